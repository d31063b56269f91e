"""Bring other annotators' work (their project files, or Prodigy-style JSONL with ``_annotator_id``)
into this project, article by article matched on the text's content hash.

A project file from someone else is untrusted: it is opened read-only with ``trusted_schema`` off,
checked to be one of ours of a version we know, and read with plain SELECTs of plain columns; every
value is checked before anything is written. One source is one transaction. Merging the same source
again changes nothing: a span already there (same annotator, offsets, label, layer) is not added twice.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from annotator.importers.readers import JSON_SUFFIXES, read_path
from annotator.importers.records import InputError, check_record
from annotator.model import ArticleState, Layer, Origin, Status, content_hash
from annotator.schemes import Scheme, scheme_by_name
from annotator.store import Store, StoreError
from annotator.store_foreign import ForeignRows, read_foreign_rows

GOLD = "gold"
SQLITE_SUFFIXES = {".sqlite", ".sqlite3", ".db", ".annotator"}
_SQLITE_MAGIC = b"SQLite format 3\x00"
_UNFINISHED = {ArticleState.TODO, ArticleState.IN_PROGRESS}


class MergeError(StoreError):
    """A source that cannot be merged; the message names the file and, when known, the place in it."""


@dataclass
class SourceSpan:
    key: Any
    start: int
    end: int
    label: str
    layer: Layer
    origin: Origin
    status: Status
    attributes: dict[str, Any]
    source: str | None = None
    score: float | None = None


@dataclass
class SourceWork:
    """One annotator's spans, arguments and state on one article of the source."""

    annotator: str
    spans: list[SourceSpan] = field(default_factory=list)
    arguments: list[tuple[Any, Any, str]] = field(default_factory=list)
    state: ArticleState | None = None
    note: str | None = None


@dataclass
class SourceArticle:
    text: str
    title: str | None = None
    source: str | None = None
    url: str | None = None
    published: str | None = None
    language: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)
    work: dict[str, SourceWork] = field(default_factory=dict)


@dataclass
class MergeSummary:
    source: str
    articles_added: int = 0
    articles_matched: int = 0
    spans_added: int = 0
    spans_present: int = 0
    arguments_added: int = 0
    states_changed: int = 0
    annotators: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.articles_added or self.spans_added or self.arguments_added or self.states_changed)

    def lines(self) -> list[str]:
        return [
            f"{self.source}: annotators {', '.join(self.annotators) or 'none'}",
            f"  articles: {self.articles_added} added, {self.articles_matched} already here",
            f"  spans: {self.spans_added} added, {self.spans_present} already here",
            f"  event arguments added: {self.arguments_added}; article states changed: {self.states_changed}",
            *(f"  note: {note}" for note in self.notes),
        ]


def merge_sources(store: Store, paths: Iterable[str | Path], scheme: Scheme | None = None) -> list[MergeSummary]:
    """Merge each source in its own transaction; stops at the first source that cannot be merged
    (the ones before it stay merged) and raises MergeError naming it."""
    scheme = scheme or scheme_by_name(store.get_setting("scheme", "conflict"))
    summaries = []
    for raw in paths:
        path = Path(raw)
        articles, notes = read_source(path, scheme)
        summaries.append(merge_articles(store, articles, str(path), notes))
    return summaries


def read_source(path: Path, scheme: Scheme) -> tuple[list[SourceArticle], list[str]]:
    """Read and check a whole source before anything is written."""
    if not path.is_file():
        raise MergeError(f"{path}: no such file")
    with path.open("rb") as handle:
        head = handle.read(len(_SQLITE_MAGIC))
    if head == _SQLITE_MAGIC:
        return read_project_file(path)
    if path.suffix.lower() in JSON_SUFFIXES:
        return read_jsonl(path, scheme)
    raise MergeError(
        f"{path}: neither a project file (SQLite) nor a JSONL export; merge takes those two"
    )


# -- project files ---------------------------------------------------------------------------------

def read_project_file(path: Path) -> tuple[list[SourceArticle], list[str]]:
    try:
        rows = read_foreign_rows(path)
    except StoreError as exc:
        raise MergeError(str(exc)) from exc
    return _read_project_rows(rows, path), []


def _fail(path: Path, table: str, row_id: Any, column: str, reason: str) -> MergeError:
    return MergeError(f"{path}: table {table}, row {row_id}: {column}: {reason}")


def _text_or_none(value: Any, path: Path, table: str, row_id: Any, column: str) -> str | None:
    if value is not None and not isinstance(value, str):
        raise _fail(path, table, row_id, column, f"expected text, found {type(value).__name__}")
    return value


def _json_object(value: Any, path: Path, table: str, row_id: Any, column: str) -> dict[str, Any]:
    if value in (None, ""):
        return {}
    try:
        parsed = json.loads(value) if isinstance(value, str) else None
    except json.JSONDecodeError as exc:
        raise _fail(path, table, row_id, column, f"not JSON ({exc.msg})") from exc
    if not isinstance(parsed, dict):
        raise _fail(path, table, row_id, column, "expected a JSON object")
    return parsed


def _enum(kind, value: Any, path: Path, table: str, row_id: Any, column: str):
    try:
        return kind(value)
    except ValueError:
        allowed = ", ".join(member.value for member in kind)
        raise _fail(path, table, row_id, column, f"{value!r} is not one of {allowed}") from None


def _read_project_rows(rows: ForeignRows, path: Path) -> list[SourceArticle]:
    names: dict[int, str] = {}
    for row_id, name in rows.annotators:
        if not isinstance(name, str) or not name.strip():
            raise _fail(path, "annotators", row_id, "name", "an annotator needs a non-empty name")
        names[row_id] = name.strip()
    articles: dict[int, SourceArticle] = {}
    for row in rows.articles:
        row_id, text = row[0], row[1]
        if not isinstance(text, str) or not text:
            raise _fail(path, "articles", row_id, "text", "an article needs non-empty text")
        fields = [_text_or_none(v, path, "articles", row_id, c)
                  for v, c in zip(row[2:7], ("title", "source", "url", "published", "language"))]
        articles[row_id] = SourceArticle(text, *fields, meta=_json_object(row[7], path, "articles", row_id, "meta"))

    def work_of(article_id: Any, annotator_id: Any, table: str, row_id: Any) -> SourceWork | None:
        article = articles.get(article_id)
        if article is None:
            raise _fail(path, table, row_id, "article_id", f"no article {article_id!r} in the file")
        name = names.get(annotator_id)
        if name is None:
            raise _fail(path, table, row_id, "annotator_id", f"no annotator {annotator_id!r} in the file")
        if name == GOLD:
            return None
        return article.work.setdefault(name, SourceWork(name))

    span_owner: dict[int, SourceWork] = {}
    for row in rows.spans:
        row_id, article_id, annotator_id, start, end, label = row[:6]
        work = work_of(article_id, annotator_id, "spans", row_id)
        if work is None:
            continue
        text = articles[article_id].text
        if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)):
            raise _fail(path, "spans", row_id, "start_char/end_char",
                        f"{start!r}-{end!r} is not a range inside the article (length {len(text)})")
        if not isinstance(label, str) or not label.strip():
            raise _fail(path, "spans", row_id, "label", "a span needs a label")
        score = row[11]
        if score is not None and not isinstance(score, (int, float)):
            raise _fail(path, "spans", row_id, "score", "expected a number")
        work.spans.append(SourceSpan(
            key=row_id, start=start, end=end, label=label,
            layer=_enum(Layer, row[6], path, "spans", row_id, "layer"),
            origin=_enum(Origin, row[7], path, "spans", row_id, "origin"),
            status=_enum(Status, row[8], path, "spans", row_id, "status"),
            attributes=_json_object(row[9], path, "spans", row_id, "attributes"),
            source=_text_or_none(row[10], path, "spans", row_id, "source"),
            score=score,
        ))
        span_owner[row_id] = work
    for row_id, event_id, argument_id, role in rows.arguments:
        work = span_owner.get(event_id)
        if work is None:
            continue  # an argument of a suggestion or of gold: neither is merged
        if span_owner.get(argument_id) is not work:
            raise _fail(path, "arguments", row_id, "argument_id",
                        "the filler is not a span of the same annotator and article")
        if not isinstance(role, str) or not role.strip():
            raise _fail(path, "arguments", row_id, "role", "an argument needs a role")
        work.arguments.append((event_id, argument_id, role))
    for article_id, annotator_id, state, note in rows.states:
        row_id = f"({article_id}, {annotator_id})"
        work = work_of(article_id, annotator_id, "article_states", row_id)
        if work is None:
            continue
        work.state = _enum(ArticleState, state, path, "article_states", row_id, "state")
        work.note = _text_or_none(note, path, "article_states", row_id, "note")
    return list(articles.values())


# -- JSONL exports ---------------------------------------------------------------------------------

def read_jsonl(path: Path, scheme: Scheme) -> tuple[list[SourceArticle], list[str]]:
    """Prodigy-style records, each naming its annotator in ``_annotator_id``; parsed by the importer."""
    event_labels = {label.name for label in scheme.event_labels}
    by_hash: dict[str, SourceArticle] = {}
    notes: list[str] = []
    suggestions = 0
    try:
        for record, _size in read_path(path):
            if isinstance(record, InputError):
                raise record
            check_record(record, str(path))
            article = by_hash.setdefault(content_hash(record.text), SourceArticle(
                record.text, record.title, record.source, record.url, record.published, record.language,
                dict(record.meta),
            ))
            suggestions += len(record.suggestions)
            for number, annotation in enumerate(record.annotations):
                if not annotation.annotator:
                    raise InputError(str(path), record.line,
                                     "no annotator named; merge needs it (use `annotator import --annotator"
                                     " NAME` for an export of one person's work)", "_annotator_id")
                if annotation.annotator == GOLD:
                    continue
                work = article.work.setdefault(annotation.annotator, SourceWork(annotation.annotator))
                prefix = (record.line, number)
                for span in annotation.spans:
                    layer = Layer(span.layer) if span.layer else (
                        Layer.EVENT if span.label in event_labels else Layer.ENTITY)
                    work.spans.append(SourceSpan(
                        key=(prefix, _hashable(span.key)), start=span.start, end=span.end, label=span.label,
                        layer=layer, origin=Origin.IMPORTED, status=Status(annotation.status),
                        attributes=dict(span.attributes), source=span.source or f"merge:{path.name}",
                        score=span.score,
                    ))
                work.arguments += [((prefix, _hashable(r.head)), (prefix, _hashable(r.child)), r.role)
                                   for r in annotation.relations]
                if annotation.state and not (work.state is ArticleState.DONE):
                    work.state = ArticleState(annotation.state)
                    work.note = annotation.note
    except InputError as exc:
        raise MergeError(str(exc)) from exc
    except OSError as exc:
        raise MergeError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    if suggestions:
        notes.append(f"{suggestions} undecided span(s) left out: merge brings annotators' decisions only")
    return list(by_hash.values()), notes


def _hashable(key: Any) -> Any:
    return tuple(_hashable(k) for k in key) if isinstance(key, (list, tuple)) else key


# -- writing ---------------------------------------------------------------------------------------

def merge_articles(store: Store, articles: list[SourceArticle], source: str,
                   notes: list[str] | None = None) -> MergeSummary:
    """Write checked source articles in one transaction."""
    summary = MergeSummary(source, notes=list(notes or []))
    per_annotator: dict[str, dict[str, int]] = {}
    try:
        with store.transaction():
            for article in articles:
                _merge_article(store, article, summary, per_annotator)
            for name, counts in sorted(per_annotator.items()):
                if any(counts.values()):
                    store.log_action(name, "merge", detail={"source": source, **counts})
    except Exception:
        store.forget_cached_ids()
        raise
    summary.annotators = sorted(per_annotator)
    return summary


def _merge_article(store: Store, article: SourceArticle, summary: MergeSummary,
                   per_annotator: dict[str, dict[str, int]]) -> None:
    article_id, created = store.add_article(
        article.text, title=article.title, source=article.source, url=article.url,
        published=article.published, language=article.language, meta=article.meta,
    )
    if created:
        summary.articles_added += 1
    else:
        summary.articles_matched += 1
    for name, work in article.work.items():
        counts = per_annotator.setdefault(name, {"spans": 0, "arguments": 0, "states": 0})
        store.ensure_annotator(name)  # named in the project even when their work here is empty
        existing: dict[tuple[int, int, str, str], int] = {}
        for span in store.own_spans(article_id, name):
            # The oldest of identical spans stands for them all, as before.
            existing.setdefault((span.start_char, span.end_char, span.label, str(span.layer)), span.id)
        local: dict[Any, int] = {}
        for span in work.spans:
            identity = (span.start, span.end, span.label, str(span.layer))
            if identity in existing:
                local[span.key] = existing[identity]
                summary.spans_present += 1
                continue
            span_id = store.add_span(
                article_id, span.start, span.end, span.label, span.layer, annotator=name,
                origin=span.origin, status=span.status, attributes=span.attributes,
                source=span.source, score=span.score, log=False,
            )
            existing[identity] = local[span.key] = span_id
            summary.spans_added += 1
            counts["spans"] += 1
        for head, child, role in work.arguments:
            event_id, filler_id = local[head], local[child]
            if store.find_argument(event_id, filler_id, role) is not None:
                continue
            if store.get_span(event_id).layer is not Layer.EVENT:
                raise MergeError(f"{summary.source}: an argument ({role}) starts at a span that is not an event")
            store.add_argument(event_id, filler_id, role, log=False)
            summary.arguments_added += 1
            counts["arguments"] += 1
        if work.state is not None:
            current, note, _ = store.get_state(article_id, name)
            # An older copy of someone's file must not undo their finishing an article.
            downgrade = current is ArticleState.DONE and work.state in _UNFINISHED
            if (current, note) != (work.state, work.note) and not downgrade:
                store.set_state(article_id, name, work.state, work.note)
                summary.states_changed += 1
                counts["states"] += 1
