"""Bring articles, and the annotations other tools made on them, into a project.

``import_paths`` walks files and folders, reads each file with ``readers``, checks every record, and
checks a whole file before writing any of it: a file with a bad record imports nothing, unless
``skip_invalid`` is set, in which case good records go in and bad ones are listed with file, line and
reason. The writing then commits in short steps, so other programs writing the same project are
never kept waiting for long (docs/adr/0002-second-instance-writes-too.md).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from itertools import groupby
from pathlib import Path
from typing import Callable, Iterable

from annotator import config
from annotator.importers.readers import SUPPORTED, read_path
from annotator.importers.records import (
    Annotation,
    ArticleRecord,
    InputError,
    RelationRecord,
    SpanRecord,
    check_record,
    count_outside,
    outside_note,
    relabel,
    relation_spans_note,
    state_replaces,
)
from annotator.domain import ArticleState, Layer, Origin, Status
from annotator.schemes import Scheme, scheme_by_name
from annotator.store import DiskFullError, ReadOnlyError, Store, StoreError

__all__ = ["import_paths", "import_samples", "ImportSummary", "InputError", "DEFAULT_ANNOTATOR"]

DEFAULT_ANNOTATOR = "import"
# Far beyond a news article (the longest samples are ~10,000 characters): such a text is most likely
# a whole feed or book pasted into one record, and the summary says so.
LONG_ARTICLE = 200_000


@dataclass
class ImportSummary:
    files: int = 0
    imported: int = 0  # new articles
    already_present: int = 0  # articles whose text was already in the project
    annotations: int = 0  # (article, annotator) annotations added
    annotations_present: int = 0  # annotations not added because that annotator already had some
    spans: int = 0
    suggestions: int = 0
    arguments: int = 0
    utf16_fixed: int = 0
    rejected: list[InputError] = field(default_factory=list)  # records left out (skip_invalid)
    failed: list[InputError] = field(default_factory=list)  # whole files left out
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failed

    def lines(self) -> list[str]:
        out = [
            f"files read: {self.files}",
            f"articles imported: {self.imported}",
            f"already present (same text): {self.already_present}",
            f"annotations added: {self.annotations} ({self.spans} spans, {self.arguments} event arguments)",
            f"suggestions added: {self.suggestions}",
        ]
        if self.annotations_present:
            out.append(f"annotations already present, not added again: {self.annotations_present}")
        if self.utf16_fixed:
            out.append(f"spans whose offsets were UTF-16 units, converted: {self.utf16_fixed}")
        out += self.notes
        if self.rejected:
            out.append(f"records rejected: {len(self.rejected)}")
            out += [f"  {error}" for error in self.rejected]
        if self.failed:
            out.append(f"files not imported: {len(self.failed)}")
            out += [f"  {error}" for error in self.failed]
        return out


def collect_files(paths: Iterable[str | Path]) -> list[Path]:
    """Files named, and supported files found recursively in folders named, in a stable order."""
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files += sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUPPORTED
                            and not any(part.startswith(".") for part in p.relative_to(path).parts))
        elif path.exists():
            files.append(path)
        else:
            raise InputError(str(path), None, "no such file or folder")
    return files


def import_paths(
    store: Store,
    paths: Iterable[str | Path],
    *,
    annotator: str | None = None,
    skip_invalid: bool = False,
    text_column: str | None = None,
    encoding: str | None = None,
    scheme: Scheme | None = None,
    progress: Callable[[int], None] | None = None,
    label_map: dict[str, str] | None = None,
) -> ImportSummary:
    """Import files and folders into ``store``.

    :param annotator: who the annotations in the files belong to (default: as the file says, else "import")
    :param skip_invalid: import the good records of a file and list the bad ones, instead of refusing it
    :param text_column: the CSV column holding the article text (default "text")
    :param encoding: the files' encoding when it is not UTF-8
    :param scheme: decides which labels are events (default: the project's scheme)
    :param progress: called with the number of bytes read since the last call; each file is read
        twice (checked, then written), so the bytes add up to twice the files' size
    :param label_map: renames labels as they are read (another tool's PER to our PERSON); labels
        still outside the scheme become labels of the project's own, and the summary names them
    """
    scheme = scheme or store.project_scheme()
    summary = ImportSummary()
    files = collect_files(paths)
    for number, path in enumerate(files):
        summary.files += 1
        try:
            _import_file(store, path, summary, annotator, skip_invalid, text_column, encoding, scheme, progress,
                         label_map)
        except _Stop:
            if files[number + 1:]:
                summary.notes.append(f"stopped: {len(files) - number - 1} file(s) after {path} were not tried")
            break
    return summary


# A long import commits in steps of at most this many records or seconds, so that other programs
# writing the same file (the window, a second import, a suggestion run) get their turn in between.
STEP_RECORDS = 300
STEP_SECONDS = 0.5


def let_others_write(step_started: float) -> None:
    """Pause after a committed step so that a program waiting for the lock gets it. SQLite's busy
    wait polls (every 100 ms once it has waited a while) rather than queueing, so a writer that took
    the lock again at once could keep a waiting window out for the whole import. The pause is a
    quarter of the step's time, at least 10 ms: a waiter gets in within a few steps, and a long
    import is at most a fifth slower in wall time (its CPU time is unchanged)."""
    time.sleep(max(0.01, 0.25 * (time.monotonic() - step_started)))


# A file whose records hold up to this many characters is kept in memory between checking and
# writing; a bigger one is read a second time instead.
KEEP_CHARS = 20_000_000


def _import_file(store, path, summary, annotator, skip_invalid, text_column, encoding, scheme, progress,
                 label_map=None) -> None:
    """Import one file: first every record is read and checked, writing nothing, so a file with a
    bad record (without ``skip_invalid``) adds nothing at all; then the good records are written in
    steps (:data:`STEP_RECORDS`). Should a step fail (disk full, the file made read-only), the steps
    before it stay and the summary says how many records they hold: importing the file again adds
    the rest and nothing twice (same text is the same article; an annotator's work is added once)."""
    before = _counters(summary)
    try:
        outside: dict[tuple[str, str], int] = {}
        kept, items = _check_file(path, summary, skip_invalid, text_column, encoding, progress, label_map,
                                  scheme, outside)
    except InputError as error:
        _restore(summary, before)
        summary.failed.append(error)
        return
    except OSError as error:
        summary.failed.append(InputError(str(path), None, f"cannot read: {error.strerror or error}"))
        return
    if not items:
        # Nothing imported and nothing wrong: without this line the file would pass unnoticed.
        summary.notes.append(f"{path}: no records")
        return
    records = kept if kept is not None else _good_records(path, text_column, encoding, label_map)
    writer = _Writer(store, summary, annotator, scheme, str(path))
    committed = _counters(summary)
    written = 0
    try:
        records = iter(records)
        finished = False
        while not finished:
            started, count = time.monotonic(), 0
            # Each step's articles are indexed for search once, at its end.
            with store.articles.deferred_search():
                for record, size in records:
                    writer.write(record)
                    count += 1
                    if progress:
                        progress(size)
                    if count >= STEP_RECORDS or time.monotonic() - started >= STEP_SECONDS:
                        break
                else:
                    finished = True
            written += count
            committed = _counters(summary)
            if not finished:
                let_others_write(started)
    except (StoreError, OSError) as error:
        _restore(summary, committed)
        store.forget_cached_ids()
        reason = getattr(error, "strerror", None) or str(error)
        part = (f"; {written:,} of its records were stored before this: import the file again when fixed "
                "to add the rest (nothing is added twice)") if written else "; nothing of it was stored"
        summary.failed.append(InputError(str(path), None, f"{reason}{part}"))
        if isinstance(error, (ReadOnlyError, DiskFullError)):
            raise _Stop from error
        return
    if outside:
        # Never silently: named with their counts, and made labels of the project's own so they show,
        # filter and export like the scheme's.
        store.add_scheme_labels({label: layer for label, layer in outside})
        summary.notes.append(outside_note(str(path), scheme, outside, "--label-map"))


class _Stop(Exception):
    """The project cannot take more (disk full, read-only): the files after this one are not tried."""


def _check_file(path, summary, skip_invalid, text_column, encoding, progress, label_map=None, scheme=None,
                outside=None):
    """Read and check every record of ``path``, writing nothing.

    :returns: (the good records with their sizes, kept if the file is small enough, else None; how
        many items the file had)
    :raises InputError: a bad record (unless ``skip_invalid``, which lists it in the summary instead)
    """
    kept: list | None = []
    chars = 0
    items = 0
    rejected_before = len(summary.rejected)
    try:
        for item, size in read_path(path, encoding=encoding, text_column=text_column):
            items += 1
            if progress:
                progress(size)
            if isinstance(item, InputError):
                if not skip_invalid:
                    raise item
                summary.rejected.append(item)
                continue
            relabel(item, label_map)
            try:
                check_record(item, str(path))
            except InputError as error:
                if not skip_invalid:
                    raise
                summary.rejected.append(error)
                continue
            if scheme is not None and outside is not None:
                count_outside(item, scheme, outside)
            if kept is not None:
                chars += len(item.text)
                kept.append((item, size))
                if chars > KEEP_CHARS:
                    kept = None
    except InputError:
        del summary.rejected[rejected_before:]
        raise
    return kept, items


def _good_records(path, text_column, encoding, label_map):
    """The file's records again, for writing; the bad ones were listed when it was checked."""
    for item, size in read_path(path, encoding=encoding, text_column=text_column):
        if isinstance(item, InputError):
            continue
        relabel(item, label_map)
        try:
            check_record(item, str(path))
        except InputError:
            continue
        yield item, size


_COUNTED = ("imported", "already_present", "annotations", "annotations_present", "spans", "suggestions",
            "arguments", "utf16_fixed")


def _counters(summary: ImportSummary) -> dict[str, int]:
    return {name: getattr(summary, name) for name in _COUNTED} | {"notes": len(summary.notes)}


def _restore(summary: ImportSummary, before: dict[str, int]) -> None:
    """A file that failed added nothing: its counts go back to what they were."""
    for name in _COUNTED:
        setattr(summary, name, before[name])
    del summary.notes[before["notes"]:]


class _Writer:
    """Stores checked records; remembers which annotations this run added, so records of one file
    that belong together (Prodigy accept + reject records of one text) all go in."""

    def __init__(self, store: Store, summary: ImportSummary, annotator: str | None, scheme: Scheme, path: str):
        self.store = store
        self.summary = summary
        self.annotator = annotator
        self.scheme = scheme
        self.path = path
        self.added_now: set[tuple[int, str]] = set()
        self.created_now: set[int] = set()
        self.default_source = f"import:{Path(path).name}"
        self._layers: dict[tuple[str, str | None], str] = {}

    def write(self, record: ArticleRecord) -> None:
        article_id, created = self.store.articles.add(
            record.text, title=record.title, source=record.source, url=record.url,
            published=record.published, language=record.language, meta=record.meta,
        )
        if created:
            self.summary.imported += 1
            self.created_now.add(article_id)
            if len(record.text) > LONG_ARTICLE:
                self.summary.notes.append(f"{self.path}:{record.line}: article of {len(record.text):,} characters;"
                                          " suggestions will be made in pieces")
        elif article_id not in self.created_now:
            # Several records of one text in one file (Prodigy's accept and reject) are one article.
            self.summary.already_present += 1
        self.summary.utf16_fixed += record.utf16_fixed
        note = relation_spans_note(self.path, record)
        if note:
            self.summary.notes.append(note)
        for annotation in record.annotations:
            self._write_annotation(article_id, record, annotation)
        if record.suggestions and (created or not self.store.suggestions.has_imported(article_id)):
            ids = self._write_spans(article_id, record.suggestions, None, Status.PENDING,
                                    bool(record.suggestion_relations))
            self.summary.suggestions += len(record.suggestions)
            self._write_relations(ids, record.suggestion_relations, record)

    def _write_annotation(self, article_id: int, record: ArticleRecord, annotation: Annotation) -> None:
        name = self.annotator or annotation.annotator or DEFAULT_ANNOTATOR
        key = (article_id, name)
        # An article this file created has no work of anyone but what this file wrote (added_now).
        first = key not in self.added_now
        new_article = article_id in self.created_now
        if first and not new_article and self.store.spans.has_work(article_id, name):
            self.summary.annotations_present += 1
            return
        if first:
            self.summary.annotations += 1
        self.added_now.add(key)
        ids = self._write_spans(article_id, annotation.spans, name, Status(annotation.status),
                                bool(annotation.relations))
        self._write_relations(ids, annotation.relations, record)
        if annotation.state:
            if first and new_article:
                current = ArticleState.TODO
            else:
                current, _, _ = self.store.states.get(article_id, name)
            if state_replaces(current, annotation.state):
                self.store.states.set(article_id, name, annotation.state, annotation.note)

    def _write_spans(self, article_id: int, spans: list[SpanRecord], annotator: str | None,
                     status: Status, need_ids: bool = True) -> dict:
        """Store spans; returns their ids by the file's own span keys when ``need_ids`` (relations)."""
        span_ids: list[int] = []
        if any(span.status or span.origin for span in spans):
            # Spans that carry their own status or origin (a project file's) are stored in runs of equal ones.
            runs = groupby(spans, key=lambda span: (Status(span.status or status),
                                                    Origin(span.origin or Origin.IMPORTED)))
        else:
            runs = [((status, Origin.IMPORTED), spans)] if spans else []
        layers, layer_of, source = self._layers, self._layer, self.default_source
        for (span_status, origin), run in runs:
            span_ids += self.store.spans.add_rows(
                article_id,
                [(span.start, span.end, span.label, layers.get((span.label, span.layer)) or layer_of(span),
                  span.attributes, span.source or source, span.score) for span in run],
                annotator=annotator, origin=origin, status=span_status,
            )
        if annotator is not None:
            self.summary.spans += len(span_ids)
        if not need_ids:
            return {}
        return {_hashable(span.key): span_id for span, span_id in zip(spans, span_ids) if span.key is not None}

    def _layer(self, span: SpanRecord) -> str:
        """The span's layer; the scheme is asked once per label, not once per span."""
        key = (span.label, span.layer)
        layer = self._layers.get(key)
        if layer is None:
            layer = self._layers[key] = str(span.layer_in(self.scheme))
        return layer

    def _write_relations(self, ids: dict, relations: list[RelationRecord], record: ArticleRecord) -> None:
        kept_aside = []
        for relation in relations:
            head = self.store.spans.get(ids[_hashable(relation.head)])
            child_id = ids[_hashable(relation.child)]
            if head.layer is Layer.EVENT:
                self.store.arguments.add(head.id, child_id, relation.role, log=False)
                self.summary.arguments += 1
            else:
                kept_aside.append((head, self.store.spans.get(child_id), relation.role))
        if kept_aside:
            # Our arguments always start at an event; a relation between two entities (doccano's
            # "foundedBy") is kept in the article's meta rather than dropped.
            article = self.store.articles.get(kept_aside[0][0].article_id)
            extra = article.meta.get("relations_between_entities", [])
            extra += [{"label": role, "head": [head.start_char, head.end_char, head.label],
                       "child": [child.start_char, child.end_char, child.label]}
                      for head, child, role in kept_aside]
            self.store.articles.update_meta(article.id, {**article.meta, "relations_between_entities": extra})
            self.summary.notes.append(
                f"{self.path}:{record.line}: {len(kept_aside)} relation(s) between entities kept in the "
                "article's meta (arguments start at an event)"
            )


def import_urls(store: Store, urls: list[str], *, fetcher=None, scheme: Scheme | None = None,
                progress: Callable[[int], None] | None = None) -> ImportSummary:
    """Fetch web pages and import their articles (:mod:`annotator.importers.web`): every page is
    fetched first, then the good ones go in together, in one transaction; each URL that failed is
    one line of ``summary.failed``, and nothing of it is stored.

    :param urls: the pages
    :param fetcher: an :class:`annotator.importers.web.Fetcher` (default: its usual timeouts and pauses)
    :param progress: called with 1 after each URL
    """
    from annotator.importers.web import Fetcher

    fetcher = fetcher or Fetcher()
    scheme = scheme or store.project_scheme()
    summary = ImportSummary()
    fetched = []
    for url in urls:
        result = fetcher.fetch(url)
        if result.error is not None:
            summary.failed.append(InputError(url, None, result.error))
        else:
            fetched.append(result)
        if progress:
            progress(1)
    writer = _Writer(store, summary, None, scheme, "web")
    with store.articles.deferred_search():
        for result in fetched:
            check_record(result.record, result.url)
            writer.write(result.record)
    summary.files = len(fetched)
    return summary


def _hashable(key):
    return tuple(_hashable(k) for k in key) if isinstance(key, (list, tuple)) else key


def import_samples(store: Store) -> ImportSummary:
    """Put the bundled sample articles into a project (used for a new default project)."""
    return import_paths(store, [config.samples_dir()])
