"""Running a bulk suggestion over Dask: a local cluster by default, an existing one by address.

The client plans the chunks, leaves out those whose shard is already there (a killed run continues
where it stopped), sends each remaining chunk to a worker as one task and shows Dask's progress bar.
Workers write the shards themselves, so on a real cluster the output folder must be one every
worker can write to (a shared or network file system), and the input files one they can read.
The manifest is rebuilt at the end from the report each task leaves beside its shard, so it also
counts the shards of earlier, interrupted runs.

Dask is imported here and only here (and only when a run starts).
"""

from __future__ import annotations

import json
import logging
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from annotator.bulk.chunks import DEFAULT_CHUNK_SIZE, Chunk, plan_chunks
from annotator.bulk.suggest import Job, report_path, shard_path, suggest_chunk

MANIFEST = "manifest.json"
DEFAULT_MEMORY_LIMIT = "2GiB"  # per worker: the pipeline (~0.5 GB) and a chunk's batch, with room


@dataclass
class BulkSummary:
    chunks: int = 0
    skipped: int = 0  # shards already there
    done_now: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)  # (chunk input, why)
    articles: int = 0  # in every shard of the plan, earlier runs' included
    articles_now: int = 0
    spans: int = 0
    events: int = 0
    arguments: int = 0
    record_errors: int = 0
    error_lines: list[str] = field(default_factory=list)
    sources: dict[str, int] = field(default_factory=dict)  # suggester source -> shards
    seconds: float = 0.0
    peak_rss_mb: dict[str, float] = field(default_factory=dict)  # worker -> its largest peak
    warnings: list[str] = field(default_factory=list)
    manifest: Path | None = None

    @property
    def articles_per_second(self) -> float:
        return self.articles_now / self.seconds if self.seconds else 0.0


def project_settings(project: str | Path) -> dict[str, Any]:
    """From a project: its scheme, its learned version in use, and its annotation memory as data."""
    from annotator.learn.versions import current_version
    from annotator.schemes import DEFAULT_SCHEME
    from annotator.store import NotFoundError, Store
    from annotator.suggest import load_gazetteer
    from annotator.suggest.memory import AnnotationMemory

    if not Path(project).is_file():
        raise NotFoundError(f"no project at {project}")
    with Store.open(Path(project), readonly=True) as store:
        # The named scheme plus the labels imported work brought in: the workers get the whole of it.
        scheme = store.project_scheme(DEFAULT_SCHEME)
        memory = AnnotationMemory.from_store(store, load_gazetteer())
    picked = current_version(project)
    data = (memory.remembered, memory.spellings, memory.rejected) if memory.remembered or memory.rejected else None
    return {"scheme": scheme, "learned_version": picked.name if picked else None, "memory": data}


def bulk_suggest(inputs: list[str | Path], out_dir: str | Path, *, workers: int = 2,
                 scheduler: str | None = None, project: str | Path | None = None, model: str | None = None,
                 chunk_size: int = DEFAULT_CHUNK_SIZE, memory_limit: str = DEFAULT_MEMORY_LIMIT,
                 batch_size: int = 32, encoding: str | None = None, text_column: str | None = None,
                 redo: bool = False, show_progress: bool = True) -> BulkSummary:
    """Suggest over ``inputs`` into gzipped shards under ``out_dir/shards`` and a manifest.

    :param inputs: files and folders (JSONL, JSON, CSV, .txt, .html, .jsonl.gz)
    :param workers: processes of the local cluster (ignored with ``scheduler``)
    :param scheduler: the address of a running Dask scheduler (``tcp://host:8786``)
    :param project: suggest with this project's scheme, learned version and annotation memory
    :param chunk_size: articles per task
    :param memory_limit: per worker of the local cluster; Dask pauses a worker near it and
        restarts one beyond it (its task is then run again elsewhere)
    :param redo: make every shard again, even those already there
    """
    out = Path(out_dir)
    # The input and the project first: a mistake is refused before any folder is made.
    chunks = plan_chunks(inputs, chunk_size)
    settings = project_settings(project) if project is not None else {}
    (out / "shards").mkdir(parents=True, exist_ok=True)
    _remove_leftovers(out)
    summary = BulkSummary(chunks=len(chunks))
    job = Job(out_dir=str(out.resolve()), model=model, scheme=settings.get("scheme", "conflict"),
              project=str(Path(project).resolve()) if project is not None else None,
              learned_version=settings.get("learned_version"), memory=settings.get("memory"),
              batch_size=batch_size, encoding=encoding, text_column=text_column, run_id=uuid.uuid4().hex)
    pending = [c for c in chunks if redo or not shard_path(out, c).exists()]
    summary.skipped = len(chunks) - len(pending)
    started = time.perf_counter()
    if pending:
        _run_on_dask(pending, job, summary, workers=workers, scheduler=scheduler, memory_limit=memory_limit,
                     show_progress=show_progress)
    summary.seconds = time.perf_counter() - started
    _write_manifest(out, chunks, job, summary, inputs)
    return summary


def _remove_leftovers(out: Path) -> None:
    """Temporary shards of a run that was killed: never complete, never read."""
    for leftover in (out / "shards").glob(".*.tmp"):
        leftover.unlink(missing_ok=True)


def _run_on_dask(pending: list[Chunk], job: Job, summary: BulkSummary, *, workers: int, scheduler: str | None,
                 memory_limit: str, show_progress: bool) -> None:
    from distributed import Client, LocalCluster, progress

    cluster = None
    if scheduler:
        client = Client(scheduler)
    else:
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                               memory_limit=memory_limit, dashboard_address=":0", silence_logs=logging.ERROR)
        client = Client(cluster)
    try:
        shared_job = client.scatter(job, broadcast=True)
        futures = client.map(suggest_chunk, pending, job=shared_job, pure=False,
                             key=[f"suggest-{c.name}-{job.run_id[:8]}" for c in pending])
        if show_progress:
            progress(futures)
        for chunk, future in zip(pending, futures):
            try:
                report = future.result()
            except Exception as exc:  # noqa: BLE001 - a failed chunk is named; the others are kept
                first = str(exc).splitlines()[0] if str(exc) else ""
                summary.failed.append((chunk.describe(), f"{type(exc).__name__}: {first}"))
                continue
            summary.done_now += 1
            summary.articles_now += report.articles
            summary.peak_rss_mb[report.worker] = max(summary.peak_rss_mb.get(report.worker, 0.0), report.peak_rss_mb)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _write_manifest(out: Path, chunks: list[Chunk], job: Job, summary: BulkSummary, inputs) -> None:
    shards = []
    for chunk in chunks:
        path = report_path(out, chunk)
        if not shard_path(out, chunk).exists() or not path.exists():
            continue
        report = json.loads(path.read_text(encoding="utf-8"))
        shards.append({"shard": shard_path(out, chunk).name, **report})
        summary.articles += report["articles"]
        summary.spans += report["spans"]
        summary.events += report["events"]
        summary.arguments += report["arguments"]
        summary.record_errors += report["errors"]
        summary.error_lines += report["error_lines"]
        summary.sources[report["source"]] = summary.sources.get(report["source"], 0) + 1
        if report.get("warning") and report["warning"] not in summary.warnings:
            summary.warnings.append(report["warning"])
    if len(summary.sources) > 1:
        summary.warnings.append("the shards were made by different suggesters (" + ", ".join(summary.sources)
                                + "): use --redo to make them all again with the current one")
    manifest = {
        "written": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "inputs": [str(p) for p in inputs],
        "suggester": sorted(summary.sources),
        "scheme": getattr(job.scheme, "name", job.scheme),
        "project": job.project,
        "learned_version": job.learned_version,
        "chunks": len(chunks),
        "shards_complete": len(shards),
        "shards_missing": [c.name for c in chunks if not shard_path(out, c).exists()],
        "articles": summary.articles,
        "spans": summary.spans,
        "events": summary.events,
        "arguments": summary.arguments,
        "records_not_suggested": summary.record_errors,
        "this_run": {
            "shards_done": summary.done_now,
            "shards_skipped": summary.skipped,
            "shards_failed": [{"input": where, "error": why} for where, why in summary.failed],
            "articles": summary.articles_now,
            "seconds": round(summary.seconds, 2),
            "articles_per_second": round(summary.articles_per_second, 2),
            "peak_rss_mb_per_worker": summary.peak_rss_mb,
        },
        "shards": shards,
    }
    summary.manifest = out / MANIFEST
    temporary = out / f".{MANIFEST}.tmp"
    temporary.write_text(json.dumps(manifest, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    temporary.replace(summary.manifest)
