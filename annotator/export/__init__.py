"""Export training data: spaCy DocBin, Prodigy task JSONL, BRAT standoff, doccano JSONL.

:func:`export_project` is the one entry point, for the ``annotator export`` command and the GUI's
File -> Export alike. It streams articles, writes aside and moves files into place only when the
whole export is done, and returns an :class:`ExportReport`. docs/formats.md describes every file.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Mapping, Sequence

from annotator import __version__
from annotator.export import brat, doccano, docbin, prodigy
from annotator.export.alignment import Misalignment, TokenMemory, tokenizer_description
from annotator.selection import (
    WHOLE,
    ExportError,
    count_selected,
    describe,
    iter_selected,
    make_selection,
    parse_split,
)
from annotator.export.staging import Staging
from annotator.domain import Layer
from annotator.store import Store

FORMATS = ("spacy", "jsonl", "brat", "doccano", "events")
MANIFEST = "export.json"
MANIFEST_FORMAT = "conflict-annotator/export"
MANIFEST_VERSION = 1

# progress(articles done, articles in all); returning False stops the export, leaving nothing written.
Progress = Callable[[int, int], "bool | None"]


class ExportCancelled(Exception):
    """The progress callback asked to stop; nothing was written under the final names."""


@dataclass
class PartCounts:
    articles: int = 0
    entities: int = 0
    events: int = 0
    arguments: int = 0
    rejected_records: int = 0


@dataclass
class ExportReport:
    """What an export wrote, and every span it had to move or could not place on tokens."""

    format: str
    out_dir: Path
    annotator: str
    files: list[Path] = field(default_factory=list)
    parts: dict[str, PartCounts] = field(default_factory=dict)
    realigned: list[Misalignment] = field(default_factory=list)
    tokens_split: list[Misalignment] = field(default_factory=list)  # spans kept exact by splitting a token
    not_aligned: list[Misalignment] = field(default_factory=list)
    arguments_left_out: int = 0
    event_counts: dict | None = None  # events export: counted events by type, left-out modalities
    records: int = 0  # events export: event spans read (reports)
    moved_to_fill_parts: int = 0  # articles moved out of their hashed split part so that no part is empty
    recovered: list[str] = field(default_factory=list)  # what interrupted exports into the folder left

    @property
    def empty_parts(self) -> list[str]:
        """Split parts that got no article (only when there are fewer articles than parts)."""
        return [name for name, counts in self.parts.items() if counts.articles == 0] if len(self.parts) > 1 else []

    def warnings(self) -> list[str]:
        """What the user must know before training on the export."""
        out = []
        if self.empty_parts:
            out.append(f"warning: {', '.join(self.empty_parts)} {'is' if len(self.empty_parts) == 1 else 'are'}"
                       f" empty: {self.articles} article{'' if self.articles == 1 else 's'} cannot fill"
                       f" {len(self.parts)} parts; mark more articles done or ask for fewer parts")
        return out

    @property
    def articles(self) -> int:
        return sum(p.articles for p in self.parts.values())

    def lines(self) -> list[str]:
        """A summary for people, as the command prints it."""
        plural = "" if self.articles == 1 else "s"
        out = [f"exported {self.articles} article{plural} of {self.annotator} as {self.format} to {self.out_dir}"]
        out += [f"  {note}" for note in self.recovered]
        if self.event_counts is not None:
            counted = self.event_counts
            rows = self.parts[WHOLE].events if WHOLE in self.parts else 0
            out.append(f"  {self.records} reported events -> {rows} event rows; counted: {counted['events']}"
                       f" ({', '.join(f'{k} {v}' for k, v in counted['by_event_type'].items()) or 'none'}),"
                       f" fatalities {counted['fatalities']}")
            if counted.get("left_out"):
                out.append("  not counted (use --count-all): "
                           + ", ".join(f"{m} {n}" for m, n in counted["left_out"].items()))
            return out
        for name, counts in self.parts.items():
            extra = f", {counts.rejected_records} reject records" if counts.rejected_records else ""
            out.append(f"  {name}: {counts.articles} articles, {counts.entities} entities, "
                       f"{counts.events} events, {counts.arguments} arguments{extra}")
        if self.moved_to_fill_parts:
            moved = self.moved_to_fill_parts
            out.append(f"  {moved} article{'' if moved == 1 else 's'} moved out of {'its' if moved == 1 else 'their'}"
                       " hashed part so that every part has one (a small export)")
        out += self.warnings()
        if self.arguments_left_out:
            out.append(f"  {self.arguments_left_out} event arguments left out: the span at one end is not in the export")
        if self.tokens_split:
            out.append(f"{len(self.tokens_split)} spans began or ended inside a token; the token was split,"
                       " the span kept exactly:")
            out += [f"  {m.describe()}" for m in self.tokens_split]
        if self.realigned:
            out.append(f"{len(self.realigned)} spans had whitespace at an edge and were trimmed to their tokens:")
            out += [f"  {m.describe()}" for m in self.realigned]
        if self.not_aligned:
            where = "left out of the DocBin" if self.format == "spacy" else "kept with their exact offsets"
            out.append(f"{len(self.not_aligned)} spans could not be put on token boundaries ({where}):")
            out += [f"  {m.describe()}" for m in self.not_aligned]
        return out


def export_project(
    store: Store,
    out_dir: str | Path,
    *,
    format: str,
    annotator: str | None = None,
    gold: bool = False,
    states: Sequence[str] = ("done",),
    labels: Sequence[str] | None = None,
    layers: Sequence[str] | None = None,
    split: Mapping[str, float] | str | None = None,
    seed: int = 0,
    include_rejected: bool = False,
    count_all: bool = False,
    progress: Progress | None = None,
) -> ExportReport:
    """Export one annotator's (or the gold) spans of the articles in ``states``.

    :param format: one of FORMATS
    :param annotator: whose spans; or ``gold=True`` for the reviewed gold layer
    :param states: article states of that annotator to export (default: done only)
    :param labels: only these labels (default: all); arguments to a left-out span are left out
    :param layers: only these layers, ``entity`` and/or ``event`` (default: both)
    :param split: ratios per part, e.g. ``{"train": 0.8, "dev": 0.2}`` or ``"train=0.8,dev=0.2"``
    :param seed: changes which articles go to which part; the same seed always gives the same split
    :param include_rejected: JSONL only: add a ``reject`` record with the rejected spans
    :param count_all: events only: count planned, hypothetical and denied events too
    :param progress: called after each article; return False to cancel
    :raises ExportError: an unknown format, annotator, state, label or layer, or a bad split
    """
    if format not in FORMATS:
        raise ExportError(f"unknown export format {format!r} (formats: {', '.join(FORMATS)})")
    if format == "events":
        if split or labels or layers or include_rejected:
            raise ExportError("the events export takes whose events and which article states; "
                              "--split, --labels, --layers and --include-rejected are for training data")
        return export_events(store, out_dir, annotator=annotator, gold=gold, states=states,
                             count_all=count_all, progress=progress)
    if include_rejected and format != "jsonl":
        raise ExportError("rejected spans can only be exported as negative examples in the jsonl format")
    if isinstance(split, str):
        split = parse_split(split)
    selection = make_selection(
        store, annotator=annotator, gold=gold, states=states, labels=labels, layers=layers,
        split=split, seed=seed, include_rejected=include_rejected,
    )
    out_dir = Path(out_dir)
    report = ExportReport(format=format, out_dir=out_dir, annotator=selection.annotator,
                          parts={name: PartCounts() for name in selection.parts},
                          moved_to_fill_parts=len(selection.moved))
    total = count_selected(store, selection)
    staging = Staging(out_dir)
    report.recovered = staging.notes
    try:
        writer = _WRITERS[format](staging, selection.parts)
        try:
            for done, item in enumerate(iter_selected(store, selection), start=1):
                counts = report.parts[item.part]
                counts.articles += 1
                counts.entities += sum(1 for s in item.spans if s.layer is Layer.ENTITY)
                counts.events += sum(1 for s in item.spans if s.layer is Layer.EVENT)
                counts.arguments += len(item.arguments)
                report.arguments_left_out += item.arguments_left_out
                written = writer.write(item, selection)
                counts.rejected_records += written.reject_records
                report.arguments_left_out += written.arguments_left_out
                problems = written.problems
                for problem in problems:
                    if problem.aligned_start is None:
                        report.not_aligned.append(problem)
                    elif (problem.aligned_start, problem.aligned_end) == (problem.start_char, problem.end_char):
                        report.tokens_split.append(problem)
                    else:
                        report.realigned.append(problem)
                if progress is not None and progress(done, total) is False:
                    raise ExportCancelled(f"export cancelled after {done} of {total} articles; nothing was written")
        finally:
            writer.close()
        manifest = _manifest(report, selection)
        staging.file(MANIFEST).write_bytes(
            (json.dumps(manifest, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
        )
        report.files = staging.commit()
    except BaseException:
        staging.abort()
        raise
    return report


def _manifest(report: ExportReport, selection) -> dict:
    return {
        "format": MANIFEST_FORMAT,
        "version": MANIFEST_VERSION,
        "app_version": __version__,
        "export_format": report.format,
        "tokenizer": tokenizer_description(),
        "selection": describe(selection),
        "parts": {name: vars(counts) for name, counts in report.parts.items()},
        "arguments_left_out": report.arguments_left_out,
        "realigned": [m.as_dict() for m in report.realigned],
        "tokens_split": [m.as_dict() for m in report.tokens_split],
        "not_aligned": [m.as_dict() for m in report.not_aligned],
    }


def export_events(store: Store, out_dir: str | Path, *, annotator: str | None, gold: bool,
                  states: Sequence[str], count_all: bool = False, progress: Progress | None = None) -> ExportReport:
    """The event table: ``events.csv`` (one row per real-world event, ACLED-like columns) and
    ``events.geojson`` of the same rows, with the manifest (docs/formats.md, "Event table")."""
    from annotator.eventtable import export as event_export
    from annotator.eventtable.table import build_table

    out_dir = Path(out_dir)
    cancelled = []

    def tick(done: int, total: int) -> None:
        if progress is not None and progress(done, total) is False:
            cancelled.append(done)
            raise ExportCancelled(f"export cancelled after {done} of {total} articles; nothing was written")

    table = build_table(store, annotator=annotator, gold=gold, states=states, progress=tick)
    rows = event_export.event_rows(table.grouping, table.records)
    counted = event_export.counts(rows, include_uncounted=count_all)
    name = "gold" if gold else annotator
    report = ExportReport(format="events", out_dir=out_dir, annotator=name or "")
    report.parts[WHOLE] = PartCounts(articles=len({key[0] for key in table.records}), events=len(rows))
    report.event_counts = counted
    report.records = len(table.records)
    staging = Staging(out_dir)
    report.recovered = staging.notes
    try:
        event_export.write_csv(rows, staging.file("events.csv"))
        event_export.write_geojson(rows, staging.file("events.geojson"), include_uncounted=count_all)
        manifest = {
            "format": MANIFEST_FORMAT, "version": MANIFEST_VERSION, "app_version": __version__,
            "export_format": "events", "table_format": event_export.FORMAT, "table_version": event_export.VERSION,
            "selection": {"annotator": name, "states": list(states)}, "reports": len(table.records),
            "counts": counted,
        }
        staging.file(MANIFEST).write_bytes((json.dumps(manifest, ensure_ascii=False, indent=2) + "\n").encode("utf-8"))
        report.files = staging.commit()
    except BaseException:
        staging.abort()
        raise
    return report


@dataclass
class _Written:
    """What writing one article gave besides the files."""

    problems: list[Misalignment] = field(default_factory=list)
    reject_records: int = 0
    arguments_left_out: int = 0  # beyond the selection's: those pointing at a span that could not be aligned


class _JsonlWriter:
    def __init__(self, staging: Staging, parts: list[str]):
        self.handles = {part: open(staging.file(f"{part}.jsonl"), "wb") for part in parts}
        self.memory = TokenMemory()

    def write(self, item, selection):
        with self.memory.zone():
            records, problems = prodigy.records_for(item, selection)
        handle = self.handles[item.part]
        for record in records:
            handle.write(prodigy.dumps(record))
        return _Written(problems, reject_records=len(records) - 1)

    def close(self):
        for handle in self.handles.values():
            handle.close()


class _DocBinWriter:
    def __init__(self, staging: Staging, parts: list[str]):
        self.shards = {part: docbin.DocBinShards(staging.file(part)) for part in parts}
        self._fast_packing = docbin.cached_msgpack_encoders()
        self._fast_packing.__enter__()
        self.memory = TokenMemory()

    def write(self, item, selection):
        # DocBin.add copies what it needs (token hashes, the strings themselves), so the Doc may go.
        with self.memory.zone():
            doc, problems, left_out = docbin.build_doc(item, selection)
            self.shards[item.part].add(doc)
        return _Written(problems, arguments_left_out=left_out)

    def close(self):
        try:
            for shards in self.shards.values():
                shards.flush()
        finally:
            self._fast_packing.__exit__(None, None, None)


class _BratWriter:
    def __init__(self, staging: Staging, parts: list[str]):
        self.staging = staging
        self.directories = {part: staging.file(part) for part in parts}
        for directory in self.directories.values():
            directory.mkdir(parents=True, exist_ok=True)
        self.config = brat.ConfigCollector()

    def write(self, item, selection):
        brat.write_article(self.directories[item.part], item)
        self.config.add(item)
        return _Written()

    def close(self):
        # BRAT looks for annotation.conf in the document's folder and then in the folders above it.
        self.staging.file(brat.CONFIG_FILE).write_text(self.config.text(), encoding="utf-8", newline="\n")


class _DoccanoWriter:
    def __init__(self, staging: Staging, parts: list[str]):
        self.handles = {part: open(staging.file(f"{part}.doccano.jsonl"), "wb") for part in parts}
        self.ids = {part: doccano.DoccanoIds() for part in parts}

    def write(self, item, selection):
        self.handles[item.part].write(doccano.dumps(doccano.record_for(item, self.ids[item.part])))
        return _Written()

    def close(self):
        for handle in self.handles.values():
            handle.close()


_WRITERS = {"spacy": _DocBinWriter, "jsonl": _JsonlWriter, "brat": _BratWriter, "doccano": _DoccanoWriter}

__all__ = [
    "FORMATS", "WHOLE", "ExportCancelled", "ExportError", "ExportReport", "PartCounts",
    "export_project", "parse_split",
]
