"""The event table of a project, as one pipeline that flows one way:

    selection -> records (each: words -> date -> place -> counts -> the reviewer's choices; records.py)
              -> linking (groups, the reviewer's confirmed groups replayed; linking.py)
              -> rows (one per group; export.py)

each stage a function of the one before (:func:`read_records`, :func:`link`, :meth:`EventTable.rows`).
This is where the pure functions of the package meet the store; the exporter, the command line and
the windows all build the table here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Sequence

from annotator.eventtable.linking import Grouping, RecordKey, apply_confirmed, count_events
from annotator.eventtable.records import EventRecord, Override, RecordBuilder


PARSE_BATCH = 32  # articles parsed together (under RecordBuilder's 64 kept parses)


@dataclass
class EventTable:
    records: dict[RecordKey, EventRecord]
    grouping: Grouping

    def events(self, *, include_uncounted: bool = False) -> int:
        """Real-world events (one per group, never one per report)."""
        return count_events(self.grouping, self.records, include_uncounted=include_uncounted)

    def rows(self, *, include_background: bool = False) -> list[dict]:
        """The last stage: one row per group (docs/formats.md, "Event table")."""
        from annotator.eventtable.export import event_rows

        return event_rows(self.grouping, self.records, include_background=include_background)


def _builder(store) -> RecordBuilder:
    """A record builder reading labels as the project's scheme means them to the event table."""
    from annotator.schemes import DEFAULT_SCHEME, scheme_by_name

    return RecordBuilder(scheme=scheme_by_name(store.get_setting("scheme") or DEFAULT_SCHEME))


def overrides_of(store, article_id: int | None = None) -> dict[RecordKey, Override]:
    return {key: Override(**values) for key, values in store.events.overrides(article_id).items()}


def build_table(store, *, annotator: str | None = None, gold: bool = False, states: Sequence[str] = ("done",),
                builder: RecordBuilder | None = None,
                progress: Callable[[int, int], object] | None = None) -> EventTable:
    """Records and grouping of the articles in ``states`` of ``annotator`` (or the gold layer).

    :param progress: called with (articles done, articles in all)
    """
    records = read_records(store, annotator=annotator, gold=gold, states=states, builder=builder, progress=progress)
    return EventTable(records, link(store, records))


def read_records(store, *, annotator: str | None, gold: bool, states: Sequence[str],
                 builder: RecordBuilder | None = None,
                 progress: Callable[[int, int], object] | None = None) -> dict[RecordKey, EventRecord]:
    """Stage one: a record per accepted (or gold) event span of the selection, the reviewer's date,
    place and background choices replayed over each."""
    from annotator.selection import count_selected, iter_selected, make_selection

    selection = make_selection(store, annotator=annotator, gold=gold, states=states, labels=None, layers=None,
                               split=None, seed=0, include_rejected=False)
    builder = builder or _builder(store)
    overrides = overrides_of(store)
    total = count_selected(store, selection)
    records: dict[RecordKey, EventRecord] = {}
    done = 0
    batch: list = []

    def flush() -> None:
        nonlocal done
        builder.parse_many([item.article.text for item in batch])  # one spaCy batch for the lot
        for item in batch:
            for record in builder.records(item.article, item.spans, item.arguments, overrides=overrides):
                records[record.key] = record
            done += 1
            if progress is not None:
                progress(done, total)
        batch.clear()

    for item in iter_selected(store, selection):
        batch.append(item)
        if len(batch) >= PARSE_BATCH:
            flush()
    flush()
    return records


def link(store, records: dict[RecordKey, EventRecord]) -> Grouping:
    """Stage two: the reviewer's confirmed groups replayed, the other records grouped afresh."""
    return apply_confirmed(list(records.values()), store.events.groups().values())


def record_of(store, article_id: int, span_id: int, annotator: str,
              builder: RecordBuilder | None = None) -> EventRecord | None:
    """The event record of one of ``annotator``'s accepted event spans, as the event table would
    build it (with the reviewer's choices); None when the span is not such an event."""
    from annotator.selection import ArgumentLink

    spans = [s for s in store.spans.own(article_id, annotator) if s.status == "accepted"]
    by_id = {s.id: s for s in spans}
    if span_id not in by_id:
        return None
    links = [ArgumentLink(by_id[a.event_id], by_id[a.filler_id], a.role)
             for a in store.arguments.for_article(article_id) if a.event_id in by_id and a.filler_id in by_id]
    builder = builder or _builder(store)
    overrides = overrides_of(store, article_id)
    found = builder.records(store.articles.get(article_id), spans, links, overrides=overrides)
    return next((r for r in found if r.span_id == span_id), None)
