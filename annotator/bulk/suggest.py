"""One bulk task: the suggester over one chunk of input, written as one gzipped shard.

The suggester is the one ``annotator suggest`` uses (:func:`annotator.suggest.load_suggester`, with
the project's learned version and annotation memory when the run names a project), loaded once per
worker process and kept for the tasks that follow. A shard is Prodigy-style JSON lines with
``spans`` (each with ``layer``, ``source`` and ``score``) and ``relations`` (an event's arguments)
and no ``answer``: ``annotator import`` takes its spans as pending suggestions, as they are.

The shard is written under a temporary name and renamed when complete, so a task killed half-way
leaves no shard, and the next run does that chunk again.
"""

from __future__ import annotations

import gzip
import json
import os
import resource
import socket
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from annotator.bulk.chunks import Chunk, read_chunk
from annotator.importers.records import ArticleRecord, InputError

SHARD_SUFFIX = ".jsonl.gz"
MAX_ERRORS_LISTED = 20  # per chunk; the count is always exact
ARTICLES_PER_PIPE = 64  # articles handed to nlp.pipe at once: memory stays bounded, a failure stays local


@dataclass(frozen=True)
class Job:
    """What every task of one run shares (sent to each worker once).

    :param out_dir: where the shards go (on a cluster: a folder every worker can write to)
    :param model: the spaCy pipeline (None: the default, as ``annotator suggest``)
    :param scheme: the label scheme whose labels are suggested (a name, or a project's own Scheme)
    :param project: the project file whose learned version is used (its models folder must be
        readable by the workers), or None
    :param learned_version: that version's name, chosen once by the client so every task uses it
    :param memory: the project's annotation memory as plain data (remembered, spellings, rejected)
    :param batch_size: ``nlp.pipe`` batch size
    """

    out_dir: str
    model: str | None = None
    scheme: Any = "conflict"
    project: str | None = None
    learned_version: str | None = None
    memory: tuple | None = None
    batch_size: int = 32
    encoding: str | None = None
    text_column: str | None = None
    run_id: str = ""  # tells a worker's kept suggester from another run's (memory and version may differ)


@dataclass
class ChunkReport:
    """What a task did, for the manifest."""

    name: str
    input: str
    articles: int = 0
    spans: int = 0
    events: int = 0
    arguments: int = 0
    errors: int = 0
    error_lines: list[str] = field(default_factory=list)
    labels_outside_scheme: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0  # the whole task
    load_seconds: float = 0.0  # of which loading the suggester (the worker's first task only)
    cpu_seconds: float = 0.0  # processor time of the task after loading (user + system)
    source: str = ""
    worker: str = ""
    peak_rss_mb: float = 0.0
    warning: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def shard_path(out_dir: str | Path, chunk: Chunk) -> Path:
    return Path(out_dir) / "shards" / f"{chunk.name}{SHARD_SUFFIX}"


def report_path(out_dir: str | Path, chunk: Chunk) -> Path:
    """What the task did, beside its shard (a suffix the importer's folder walk passes over)."""
    return Path(out_dir) / "shards" / f"{chunk.name}.report"


# One suggester per worker process, for the run's model and learned version.
_loaded: dict[tuple, Any] = {}


def _suggester_for(job: Job):
    key = (job.model, job.project, job.learned_version, job.run_id)
    if key not in _loaded:
        from annotator.suggest import load_suggester
        from annotator.suggest.memory import AnnotationMemory

        _loaded.clear()  # another run's suggester in this worker: free it first
        suggester = load_suggester(job.model)
        warning = suggester.warning
        if job.project and job.learned_version:
            from annotator.learn.versions import VersionError, load_version

            try:
                suggester = suggester.with_learned(load_version(job.project, job.learned_version))
            except VersionError as exc:
                # The client checked the version; a worker that cannot read it must not quietly
                # suggest with something else under the same run.
                raise RuntimeError(f"worker {socket.gethostname()}: {exc}") from exc
        memory = None
        if job.memory is not None:
            remembered, spellings, rejected = job.memory
            memory = AnnotationMemory(suggester.gazetteer, dict(remembered), dict(spellings), set(rejected))
        _loaded[key] = (suggester, memory, warning)
    return _loaded[key]


def suggest_chunk(chunk: Chunk, job: Job) -> ChunkReport:
    """Suggest over one chunk and write its shard (the Dask task). Already written: nothing to do."""
    from annotator.schemes import scheme_by_name
    from annotator.suggest.runner import PIECE_CHARS, Placed, pieces, place_doc

    final = shard_path(job.out_dir, chunk)
    report = ChunkReport(chunk.name, chunk.describe(), worker=f"{socket.gethostname()}:{os.getpid()}")
    started = time.perf_counter()
    suggester, memory, warning = _suggester_for(job)
    report.load_seconds = round(time.perf_counter() - started, 3)
    cpu_before = _cpu()
    report.source, report.warning = suggester.source, warning
    scheme = scheme_by_name(job.scheme) if isinstance(job.scheme, str) else job.scheme
    piece_chars = max(1000, min(PIECE_CHARS, suggester.nlp.max_length // 2))
    final.parent.mkdir(parents=True, exist_ok=True)
    temporary = final.with_name(f".{final.name}.{os.getpid()}.tmp")
    try:
        with gzip.open(temporary, "wb", compresslevel=5) as out:
            batch: list[tuple[str, ArticleRecord]] = []

            def flush() -> None:
                for where, record, placed in _suggested(batch, suggester, memory, piece_chars, job.batch_size,
                                                        report, pieces, place_doc, Placed):
                    out.write(_dumps(shard_record(record, placed, suggester.source, scheme, where, report)))
                batch.clear()

            for item, where in read_chunk(chunk, encoding=job.encoding, text_column=job.text_column):
                if isinstance(item, InputError):
                    _error(report, str(item))
                    continue
                if not isinstance(item.text, str) or not item.text.strip():
                    _error(report, f"{where}: empty text, left out")
                    continue
                batch.append((where, item))
                if len(batch) >= ARTICLES_PER_PIPE:
                    flush()
            flush()
        report.seconds = round(time.perf_counter() - started, 3)
        report.cpu_seconds = round(_cpu() - cpu_before, 3)
        report.peak_rss_mb = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
        # The report first, then the shard: a shard that exists always has its report beside it.
        report_path(job.out_dir, chunk).write_text(json.dumps(report.as_dict(), ensure_ascii=False), encoding="utf-8")
        os.replace(temporary, final)
    finally:
        if temporary.exists():
            temporary.unlink()
    return report


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _error(report: ChunkReport, line: str) -> None:
    report.errors += 1
    if len(report.error_lines) < MAX_ERRORS_LISTED:
        report.error_lines.append(line)


def _suggested(batch, suggester, memory, piece_chars, batch_size, report, pieces, place_doc, Placed):
    """(where, record, placed suggestions) for each record of the batch that could be analysed."""
    cut = [(where, record, pieces(record.text, piece_chars)) for where, record in batch]
    texts = [(piece, (index, base)) for index, (_, _, parts) in enumerate(cut) for base, piece in parts]
    placed = [Placed() for _ in cut]
    failed: set[int] = set()
    try:
        for doc, (index, base) in suggester.nlp.pipe(texts, as_tuples=True, batch_size=batch_size):
            try:
                place_doc(placed[index], doc, suggester.analyse(doc, memory), base)
            except Exception as exc:  # noqa: BLE001 - one article's failure must not stop the chunk
                if index not in failed:
                    failed.add(index)
                    _error(report, f"{cut[index][0]}: not suggested: {type(exc).__name__}: {exc}")
    except Exception:  # noqa: BLE001 - spaCy failed inside a batch: the articles go one by one
        placed = [Placed() for _ in cut]
        failed = set()
        for index, (where, _record, parts) in enumerate(cut):
            try:
                for base, piece in parts:
                    doc = suggester.nlp(piece)
                    place_doc(placed[index], doc, suggester.analyse(doc, memory), base)
            except Exception as exc:  # noqa: BLE001
                failed.add(index)
                _error(report, f"{where}: not suggested: {type(exc).__name__}: {exc}")
    for index, (where, record, _parts) in enumerate(cut):
        if index not in failed:
            yield where, record, placed[index]


def shard_record(record: ArticleRecord, placed, source: str, scheme, where: str, report: ChunkReport) -> dict:
    """One article and its suggestions as a Prodigy-style task without an answer.

    The scheme decides as in ``annotator suggest``: labels it lacks are left out (and counted), an
    event label it lacks falls back to the ACE 2005 label when it has that one.
    """
    text = record.text
    spans: list[dict] = []
    seen: set[tuple] = set()
    entity_refs: dict[int, dict] = {}

    def add(start: int, end: int, label: str, layer: str, attributes: dict, score: float | None) -> dict | None:
        key = (start, end, label)
        ref = {"start": start, "end": end, "label": label}
        if key in seen:
            return ref  # the same span found twice (two pieces): once is enough
        seen.add(key)
        entry = {**ref, "text": text[start:end], "layer": layer, "source": source}
        if attributes or layer == "event":
            entry["attributes"] = dict(attributes)
        if score is not None:
            entry["score"] = round(float(score), 4)
        spans.append(entry)
        return ref

    def outside(label: str) -> None:
        report.labels_outside_scheme[label] = report.labels_outside_scheme.get(label, 0) + 1

    for key, start, end, label, attributes, score in placed.entities:
        if scheme.label(label) is None:
            outside(label)
            continue
        entity_refs[key] = add(start, end, label, "entity", attributes, score)
    roles = {r.name for r in scheme.roles}
    relations = []
    for start, end, event_label, ace_label, attributes, score, arguments in placed.events:
        label = event_label if scheme.label(event_label) is not None else (
            ace_label if ace_label and scheme.label(ace_label) is not None else None)
        if label is None:
            outside(event_label)
            continue
        if label != event_label:
            attributes = {k: v for k, v in attributes.items() if k != "sub_event_type"}  # ACLED sub-types only
        head = add(start, end, label, "event", attributes, score)
        report.events += 1
        for role, entity_key in arguments:
            if role in roles and entity_key in entity_refs:
                relations.append({"head_span": head, "child_span": entity_refs[entity_key], "label": role})
    report.articles += 1
    report.spans += len(spans)
    report.arguments += len(relations)
    meta = dict(record.meta)
    for name in ("title", "source", "url", "published", "language"):
        value = getattr(record, name)
        if value is not None:
            meta[name] = value
    meta["bulk_input"] = where
    return {"text": text, "meta": meta, "spans": spans, "relations": relations}


def _dumps(record: dict) -> bytes:
    return (json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8", "surrogatepass")
