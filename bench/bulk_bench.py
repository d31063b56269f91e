"""`annotator bulk suggest` against plain `nlp.pipe(n_process=2)` over the same texts, in one run;
peak memory per worker; a run killed half-way and continued.

    python bench/bulk_bench.py [--articles 200000] [--files 20] [--sentences 4] [--chunk-size 500]

The articles are generated (bench/synthetic.py: invented sentences, messy characters), written as
--files JSON lines files with an outlet and a date each. Measured, one after the other:
  pipe2     nlp.pipe(texts, n_process=2, batch_size=32) of the suggester's own spaCy pipeline (the
            same model, tokenizer change and conflict ruler the workers use), Docs thrown away,
            the texts already in memory, the pipeline already loaded; the library's own limit
  bulk1     `annotator bulk suggest` with 1 worker: reading the files, the whole suggester, shards
            written and gzipped; the wall time of the whole command (starting the cluster, loading
            the pipeline in each worker), and the busiest worker's task time without the loading
  bulk2     the same with 2 workers (goal: at least 0.8x the articles/s of pipe2)
  killed    bulk2 again into a new folder, the command killed (SIGKILL of its process group) once
            a third of the shards are written, then run again: every input article must be in
            exactly one shard, no shard lost, none written twice, no temporary file left
Peak memory per worker is each worker process's peak resident set (ru_maxrss) as its tasks report.
On a machine shared with other work, wall-clock rates follow the load more than the code; the
processor time per article (pipe2: this process and its two pipe workers; bulk: the workers' tasks
after loading the pipeline) is printed beside them, and their ratio is what the throughput ratio
would be on two free cores.

On a shared 2-core machine 200,000 articles take hours; --articles sets the size, and the output
says which size ran.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import resource
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import article  # noqa: E402

OUTLETS = ["Valley Post", "Coast Wire", "Hill Times", "Delta Herald", "River News"]


def generate(folder: Path, articles: int, files: int, sentences: int) -> list[Path]:
    rng = random.Random(22)
    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / f"feed-{i:02d}.jsonl" for i in range(files)]
    per_file = -(-articles // files)
    index = 0
    for path in paths:
        with path.open("w", encoding="utf-8") as handle:
            for _ in range(min(per_file, articles - index)):
                generated = article(rng, index, sentences)
                handle.write(json.dumps({"text": generated["text"], "id": f"a{index}",
                                         "source": OUTLETS[index % len(OUTLETS)],
                                         "published": f"2026-{1 + index % 12:02d}-{1 + index % 28:02d}"}) + "\n")
                index += 1
    return paths


def texts_of(paths: list[Path]) -> list[str]:
    return [json.loads(line)["text"] for path in paths for line in path.open(encoding="utf-8")]


def _cpu(who) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def plain_pipe(texts: list[str], batch_size: int) -> tuple[float, float]:
    """(wall seconds, processor seconds of this process and its pipe workers)."""
    from annotator.suggest import load_suggester

    nlp = load_suggester().nlp
    cpu = _cpu(resource.RUSAGE_SELF) + _cpu(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    for _doc in nlp.pipe(texts, n_process=2, batch_size=batch_size):
        pass
    wall = time.perf_counter() - started
    # spaCy joins its worker processes when the pipe is exhausted: their time is in RUSAGE_CHILDREN.
    return wall, _cpu(resource.RUSAGE_SELF) + _cpu(resource.RUSAGE_CHILDREN) - cpu


def bulk(inputs: Path, out: Path, workers: int, chunk_size: int) -> dict:
    started = time.perf_counter()
    result = subprocess.run(_command(inputs, out, workers, chunk_size), capture_output=True, text=True)
    wall = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"bulk suggest failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    manifest = json.loads((out / "manifest.json").read_text())
    shards = manifest["shards"]
    # Tasks run back to back in each worker: the busiest worker's sum is the run without the start.
    per_worker: dict[str, float] = {}
    for shard in shards:
        per_worker[shard["worker"]] = (per_worker.get(shard["worker"], 0.0) + shard["seconds"]
                                       - shard["load_seconds"])
    peaks: dict[str, float] = {}
    for shard in shards:
        peaks[shard["worker"]] = max(peaks.get(shard["worker"], 0.0), shard["peak_rss_mb"])
    return {"wall": wall, "articles": manifest["articles"], "busiest_worker_seconds": max(per_worker.values()),
            "peak_mb": sorted(peaks.values()), "cpu": sum(s["cpu_seconds"] for s in shards)}


def _command(inputs: Path, out: Path, workers: int, chunk_size: int) -> list[str]:
    return [sys.executable, "-m", "annotator", "bulk", "suggest", str(inputs), "--out", str(out),
            "--workers", str(workers), "--chunk-size", str(chunk_size)]


def killed_and_continued(inputs: Path, out: Path, chunk_size: int, expected: int) -> dict:
    chunks = -(-expected // chunk_size)
    process = subprocess.Popen(_command(inputs, out, 2, chunk_size), stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, start_new_session=True)
    shards = out / "shards"
    while process.poll() is None and len(list(shards.glob("*.jsonl.gz"))) < max(1, chunks // 3):
        time.sleep(0.2)
    os.killpg(process.pid, signal.SIGKILL)  # the command and its cluster's worker processes, at once
    process.wait()
    time.sleep(1.0)
    left_by_kill = len(list(shards.glob("*.jsonl.gz")))
    temporary_after_kill = len(list(shards.glob(".*.tmp")))
    second = subprocess.run(_command(inputs, out, 2, chunk_size), capture_output=True, text=True)
    if second.returncode != 0:
        raise SystemExit(f"the continued run failed:\n{second.stdout}\n{second.stderr}")
    ids: list[str] = []
    for shard in sorted(shards.glob("*.jsonl.gz")):
        with gzip.open(shard, "rt", encoding="utf-8") as handle:
            ids += [json.loads(line)["meta"]["id"] for line in handle]
    summary_line = next(line for line in second.stdout.splitlines() if line.startswith("chunks:"))
    return {"shards_after_kill": left_by_kill, "temporary_after_kill": temporary_after_kill,
            "continued": summary_line, "articles_in_shards": len(ids), "distinct": len(set(ids)),
            "expected": expected, "temporary_left": len(list(shards.glob(".*")))}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=200_000)
    parser.add_argument("--files", type=int, default=20)
    parser.add_argument("--sentences", type=int, default=4, help="sentences per article (about 85 characters each)")
    parser.add_argument("--chunk-size", type=int, default=500)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--keep", metavar="DIR", help="work in DIR and keep it (default: a temporary folder)")
    args = parser.parse_args()
    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="bulk-bench-"))
    paths = generate(work / "input", args.articles, args.files, args.sentences)
    texts = texts_of(paths)
    characters = sum(len(t) for t in texts)
    print(f"{len(texts):,} generated articles in {len(paths)} files, {characters / len(texts):.0f} characters each "
          f"on average; chunks of {args.chunk_size}; load average {os.getloadavg()[0]:.1f}", flush=True)

    pipe_seconds, pipe_cpu = plain_pipe(texts, args.batch_size)
    pipe_rate = len(texts) / pipe_seconds
    pipe_cpu_rate = len(texts) / pipe_cpu
    print(f"pipe2  nlp.pipe(n_process=2): {pipe_seconds:.1f} s, {pipe_rate:.1f} articles/s; processor time "
          f"{pipe_cpu:.1f} s, {pipe_cpu_rate:.1f} articles per processor second; load {os.getloadavg()[0]:.1f}",
          flush=True)
    del texts
    results = {}
    for workers in (1, 2):
        result = bulk(work / "input", work / f"out{workers}", workers, args.chunk_size)
        results[workers] = result
        rate = result["articles"] / result["wall"]
        print(f"bulk{workers}  {workers} worker(s): {result['wall']:.1f} s wall, {rate:.1f} articles/s "
              f"({rate / pipe_rate:.2f}x pipe2); busiest worker {result['busiest_worker_seconds']:.1f} s of tasks "
              f"({result['articles'] / result['busiest_worker_seconds']:.1f} articles/s without starting the "
              f"cluster and loading the pipeline); processor time of the tasks {result['cpu']:.1f} s, "
              f"{result['articles'] / result['cpu']:.1f} articles per processor second "
              f"({result['articles'] / result['cpu'] / pipe_cpu_rate:.2f}x pipe2); peak memory per worker {', '.join(f'{mb:.0f}' for mb in result['peak_mb'])} MB; "
              f"load {os.getloadavg()[0]:.1f}", flush=True)
    killed = killed_and_continued(work / "input", work / "killed", args.chunk_size, args.articles)
    ok = (killed["articles_in_shards"] == killed["distinct"] == killed["expected"] and not killed["temporary_left"])
    print(f"killed with {killed['shards_after_kill']} shards written ({killed['temporary_after_kill']} temporary "
          f"files left by the kill); continued: {killed['continued']}; articles in shards "
          f"{killed['articles_in_shards']:,}, distinct {killed['distinct']:,}, expected {killed['expected']:,}, "
          f"temporary files left {killed['temporary_left']}: {'OK' if ok else 'LOST OR DOUBLED'}", flush=True)
    if not args.keep:
        import shutil

        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
