"""Bring other annotators' work (their project files, or Prodigy-style JSONL with ``_annotator_id``)
into this project, article by article matched on the text's content hash.

An input is read into the importers' own records (``ArticleRecord`` with one ``Annotation`` per
annotator), so import and merge share the layer guess and the rule on article states. A project file
from someone else is untrusted: ``annotator.store.foreign`` reads its rows read-only, and every value is checked
here before anything is written; then it is written in short steps. Merging the same input again
changes nothing: a span already there (same annotator, offsets, label, layer) is not added twice.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from annotator.importers.readers import JSON_SUFFIXES, TOO_DEEP, read_path
from annotator.importers.records import (
    MAX_NAME_CHARS,
    MAX_TEXT_CHARS,
    MAX_TITLE_CHARS,
    Annotation,
    ArticleRecord,
    InputError,
    RelationRecord,
    SpanRecord,
    check_record,
    outside_note,
    relabel,
    relation_spans_note,
    state_replaces,
)
from annotator.domain import GOLD, ArticleState, Layer, Origin, Status, content_hash
from annotator.schemes import Scheme
from annotator.store import Store, StoreError
from annotator.store.foreign import ForeignRows, read_foreign_rows

_SQLITE_MAGIC = b"SQLite format 3\x00"


class MergeError(StoreError):
    """An input file that cannot be merged; the message names the file and, when known, the place in it."""


@dataclass
class MergeSummary:
    input: str  # the input file, as named on the command line
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
            f"{self.input}: annotators {', '.join(self.annotators) or 'none'}",
            f"  articles: {self.articles_added} added, {self.articles_matched} already here",
            f"  spans: {self.spans_added} added, {self.spans_present} already here",
            f"  event arguments added: {self.arguments_added}; article states changed: {self.states_changed}",
            *(f"  note: {note}" for note in self.notes),
        ]


def merge_files(store: Store, paths: Iterable[str | Path], scheme: Scheme | None = None,
                label_map: dict[str, str] | None = None) -> list[MergeSummary]:
    """Merge each input file; stops at the first one that cannot be merged (the ones before it stay
    merged) and raises MergeError naming it.

    :param label_map: renames labels as they are read (another tool's PER to our PERSON); labels
        still outside the scheme become labels of the project's own, and the summary names them
    """
    scheme = scheme or store.project_scheme()
    summaries = []
    for raw in paths:
        path = Path(raw)
        articles, notes = read_input(path, scheme, label_map)
        outside: dict[tuple[str, str], int] = {}
        for article in articles:
            for work in article.annotations:
                for span in work.spans:
                    if scheme.label(span.label) is None:
                        key = (span.label, str(span.layer or span.layer_in(scheme)))
                        outside[key] = outside.get(key, 0) + 1
        summary = merge_articles(store, articles, str(path), notes)
        if outside:
            store.add_scheme_labels({label: layer for label, layer in outside})
            summary.notes.append(outside_note(str(path), scheme, outside, "--label-map"))
        summaries.append(summary)
    return summaries


def read_input(path: Path, scheme: Scheme, label_map: dict[str, str] | None = None
               ) -> tuple[list[ArticleRecord], list[str]]:
    """Read and check a whole input file before anything is written; labels renamed by ``label_map``."""
    if not path.is_file():
        raise MergeError(f"{path}: no such file")
    with path.open("rb") as handle:
        head = handle.read(len(_SQLITE_MAGIC))
    if head == _SQLITE_MAGIC:
        articles, notes = read_project_file(path)
        for article in articles:
            relabel(article, label_map)
        return articles, notes
    if path.suffix.lower() in JSON_SUFFIXES:
        return read_jsonl(path, scheme, label_map)
    raise MergeError(
        f"{path}: neither a project file (SQLite) nor a JSONL export; merge takes those two"
    )


def _work_of(article: ArticleRecord, name: str) -> Annotation:
    """The annotator's one annotation on the article, started empty (no state) on first use."""
    for annotation in article.annotations:
        if annotation.annotator == name:
            return annotation
    annotation = Annotation(name, state=None)
    article.annotations.append(annotation)
    return annotation


# -- project files ---------------------------------------------------------------------------------

def read_project_file(path: Path) -> tuple[list[ArticleRecord], list[str]]:
    try:
        rows = read_foreign_rows(path, limits={
            ("articles", "text"): MAX_TEXT_CHARS,
            **{("articles", column): MAX_TITLE_CHARS for column in ("title", "source", "url", "published", "language")},
            ("annotators", "name"): MAX_NAME_CHARS, ("spans", "label"): MAX_NAME_CHARS,
            ("arguments", "role"): MAX_NAME_CHARS, ("articles", "meta"): MAX_TEXT_CHARS,
        })
    except StoreError as exc:
        raise MergeError(str(exc)) from exc
    return _read_project_rows(rows, path), []


def _fail(path: Path, table: str, row_id: Any, column: str, reason: str) -> MergeError:
    return MergeError(f"{path}: table {table}, row {row_id}: {column}: {reason}")


def _over(length: int, limit: int) -> str:
    return f"{length:,} characters, more than the {limit:,} a merge takes"


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
    except RecursionError as exc:
        raise _fail(path, table, row_id, column, TOO_DEEP) from exc
    if not isinstance(parsed, dict):
        raise _fail(path, table, row_id, column, "expected a JSON object")
    return parsed


def _enum(kind, value: Any, path: Path, table: str, row_id: Any, column: str):
    try:
        return kind(value)
    except ValueError:
        allowed = ", ".join(member.value for member in kind)
        raise _fail(path, table, row_id, column, f"{value!r} is not one of {allowed}") from None


def _read_project_rows(rows: ForeignRows, path: Path) -> list[ArticleRecord]:
    names: dict[int, str] = {}
    for row_id, name in rows.annotators:
        if not isinstance(name, str) or not name.strip():
            raise _fail(path, "annotators", row_id, "name", "an annotator needs a non-empty name")
        if len(name) > MAX_NAME_CHARS:
            raise _fail(path, "annotators", row_id, "name", _over(len(name), MAX_NAME_CHARS))
        names[row_id] = name.strip()
    articles: dict[int, ArticleRecord] = {}
    for row in rows.articles:
        row_id, text = row.id, row.text
        if not isinstance(text, str) or not text:
            raise _fail(path, "articles", row_id, "text", "an article needs non-empty text")
        if len(text) > MAX_TEXT_CHARS:
            raise _fail(path, "articles", row_id, "text", _over(len(text), MAX_TEXT_CHARS))
        fields = {c: _text_or_none(getattr(row, c), path, "articles", row_id, c)
                  for c in ("title", "source", "url", "published", "language")}
        for column, value in fields.items():
            if value is not None and len(value) > MAX_TITLE_CHARS:
                raise _fail(path, "articles", row_id, column, _over(len(value), MAX_TITLE_CHARS))
        articles[row_id] = ArticleRecord(text, **fields, meta=_json_object(row.meta, path, "articles", row_id, "meta"))

    def work_of(article_id: Any, annotator_id: Any, table: str, row_id: Any) -> Annotation | None:
        article = articles.get(article_id)
        if article is None:
            raise _fail(path, table, row_id, "article_id", f"no article {article_id!r} in the file")
        name = names.get(annotator_id)
        if name is None:
            raise _fail(path, table, row_id, "annotator_id", f"no annotator {annotator_id!r} in the file")
        if name == GOLD:
            return None
        return _work_of(article, name)

    span_owner: dict[int, Annotation] = {}
    for row in rows.spans:
        row_id, start, end, label = row.id, row.start_char, row.end_char, row.label
        work = work_of(row.article_id, row.annotator_id, "spans", row_id)
        if work is None:
            continue
        text = articles[row.article_id].text
        if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)):
            raise _fail(path, "spans", row_id, "start_char/end_char",
                        f"{start!r}-{end!r} is not a range inside the article (length {len(text)})")
        if not isinstance(label, str) or not label.strip():
            raise _fail(path, "spans", row_id, "label", "a span needs a label")
        if len(label) > MAX_NAME_CHARS:
            raise _fail(path, "spans", row_id, "label", _over(len(label), MAX_NAME_CHARS))
        if row.score is not None and not isinstance(row.score, (int, float)):
            raise _fail(path, "spans", row_id, "score", "expected a number")
        work.spans.append(SpanRecord(
            start=start, end=end, label=label, key=row_id, score=row.score,
            layer=str(_enum(Layer, row.layer, path, "spans", row_id, "layer")),
            origin=str(_enum(Origin, row.origin, path, "spans", row_id, "origin")),
            status=str(_enum(Status, row.status, path, "spans", row_id, "status")),
            attributes=_json_object(row.attributes, path, "spans", row_id, "attributes"),
            source=_text_or_none(row.source, path, "spans", row_id, "source"),
        ))
        span_owner[row_id] = work
    for row_id, event_id, filler_id, role in rows.arguments:
        work = span_owner.get(event_id)
        if work is None:
            continue  # an argument of a suggestion or of gold: neither is merged
        if span_owner.get(filler_id) is not work:
            raise _fail(path, "arguments", row_id, rows.filler_column,
                        "the filler is not a span of the same annotator and article")
        if not isinstance(role, str) or not role.strip():
            raise _fail(path, "arguments", row_id, "role", "an argument needs a role")
        work.relations.append(RelationRecord(event_id, filler_id, role))
    for article_id, annotator_id, state, note in rows.states:
        row_id = f"({article_id}, {annotator_id})"
        work = work_of(article_id, annotator_id, "article_states", row_id)
        if work is None:
            continue
        work.state = _enum(ArticleState, state, path, "article_states", row_id, "state")
        work.note = _text_or_none(note, path, "article_states", row_id, "note")
    return list(articles.values())


# -- JSONL exports ---------------------------------------------------------------------------------

def read_jsonl(path: Path, scheme: Scheme, label_map: dict[str, str] | None = None
               ) -> tuple[list[ArticleRecord], list[str]]:
    """Prodigy-style records, each naming its annotator in ``_annotator_id``; parsed by the importer.
    The records of one text become one article, with one annotation per annotator."""
    by_hash: dict[str, ArticleRecord] = {}
    notes: list[str] = []
    suggestions = 0
    try:
        for record, _size in read_path(path):
            if isinstance(record, InputError):
                raise record
            relabel(record, label_map)
            check_record(record, str(path))
            article = by_hash.setdefault(content_hash(record.text), ArticleRecord(
                record.text, record.line, record.title, record.source, record.url, record.published,
                record.language, dict(record.meta),
            ))
            suggestions += len(record.suggestions)
            note = relation_spans_note(str(path), record)
            if note:
                notes.append(note)
            for number, annotation in enumerate(record.annotations):
                if not annotation.annotator:
                    raise InputError(str(path), record.line,
                                     "no annotator named; merge needs it (use `annotator import --annotator"
                                     " NAME` for an export of one person's work)", "_annotator_id")
                if annotation.annotator == GOLD:
                    continue
                work = _work_of(article, annotation.annotator)
                # Span keys are unique within a record only; the record's line makes them unique here.
                prefix = (record.line, number)
                for span in annotation.spans:
                    work.spans.append(SpanRecord(
                        start=span.start, end=span.end, label=span.label, layer=str(span.layer_in(scheme)),
                        origin=str(Origin.IMPORTED), status=annotation.status, attributes=dict(span.attributes),
                        source=span.source or f"merge:{path.name}", score=span.score,
                        key=(prefix, _hashable(span.key)),
                    ))
                work.relations += [RelationRecord((prefix, _hashable(r.head)), (prefix, _hashable(r.child)), r.role)
                                   for r in annotation.relations]
                if annotation.state and state_replaces(work.state, annotation.state):
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

def merge_articles(store: Store, articles: list[ArticleRecord], input_name: str,
                   notes: list[str] | None = None) -> MergeSummary:
    """Write checked articles of one input file, committing in short steps (as the importer does:
    ``STEP_RECORDS`` articles or ``STEP_SECONDS``) so other programs writing the project get their turn.

    Everything was read and checked before this is called, so a bad file merges nothing. Should a step
    fail (disk full, the project made read-only), the steps before it stay and the error says how
    many articles they hold; merging the same file again adds the rest and nothing twice.

    :param articles: the records read from the input, one annotation per annotator
    :param input_name: the input file as the user named it (summary and action log)
    :param notes: things the reading noticed, passed on to the summary
    """
    from annotator.importers import STEP_RECORDS, STEP_SECONDS, let_others_write

    summary = MergeSummary(input_name, notes=list(notes or []))
    per_annotator: dict[str, dict[str, int]] = {}
    position = 0
    try:
        while position < len(articles):
            started = time.monotonic()
            with store.transaction():
                for count, article in enumerate(articles[position:], start=1):
                    _merge_article(store, article, summary, per_annotator)
                    if count >= STEP_RECORDS or time.monotonic() - started >= STEP_SECONDS:
                        break
            position += count
            if position < len(articles):
                let_others_write(started)
        with store.transaction():
            for name, counts in sorted(per_annotator.items()):
                if any(counts.values()):
                    store.log.add(name, "merge", detail={"input": input_name, **counts})
    except StoreError as exc:
        store.forget_cached_ids()
        if not position:
            raise
        raise type(exc)(f"{exc}; {position:,} of the {len(articles):,} articles of {input_name} were merged "
                        "before this: merge the file again when fixed to add the rest (nothing is added twice)"
                        ) from exc
    except Exception:
        store.forget_cached_ids()
        raise
    summary.annotators = sorted(per_annotator)
    return summary


def _merge_article(store: Store, article: ArticleRecord, summary: MergeSummary,
                   per_annotator: dict[str, dict[str, int]]) -> None:
    article_id, created = store.articles.add(
        article.text, title=article.title, source=article.source, url=article.url,
        published=article.published, language=article.language, meta=article.meta,
    )
    if created:
        summary.articles_added += 1
    else:
        summary.articles_matched += 1
    for work in article.annotations:
        name = work.annotator
        counts = per_annotator.setdefault(name, {"spans": 0, "arguments": 0, "states": 0})
        store.annotators.ensure(name)  # named in the project even when their work here is empty
        existing: dict[tuple[int, int, str, str], int] = {}
        for span in store.spans.own(article_id, name):
            # The oldest of identical spans stands for them all.
            existing.setdefault((span.start_char, span.end_char, span.label, str(span.layer)), span.id)
        local: dict[Any, int] = {}
        for span in work.spans:
            identity = (span.start, span.end, span.label, span.layer)
            if identity in existing:
                local[span.key] = existing[identity]
                summary.spans_present += 1
                continue
            span_id = store.spans.add(
                article_id, span.start, span.end, span.label, Layer(span.layer), annotator=name,
                origin=Origin(span.origin or Origin.IMPORTED), status=Status(span.status or work.status),
                attributes=span.attributes, source=span.source, score=span.score, log=False,
            )
            existing[identity] = local[span.key] = span_id
            summary.spans_added += 1
            counts["spans"] += 1
        for relation in work.relations:
            event_id, filler_id = local[relation.head], local[relation.child]
            if store.arguments.find(event_id, filler_id, relation.role) is not None:
                continue
            if store.spans.get(event_id).layer is not Layer.EVENT:
                raise MergeError(f"{summary.input}: an argument ({relation.role}) starts at a span that is not an event")
            store.arguments.add(event_id, filler_id, relation.role, log=False)
            summary.arguments_added += 1
            counts["arguments"] += 1
        if work.state is not None:
            current, note, _ = store.states.get(article_id, name)
            if (current, note) != (work.state, work.note) and state_replaces(current, work.state):
                store.states.set(article_id, name, work.state, work.note)
                summary.states_changed += 1
                counts["states"] += 1
