"""Import speed against its limit: plain sqlite-utils ``insert_all`` of the same rows, side by side.

    python bench/import_vs_insert_all.py [--articles 5000] [--repeat 3]

Writes two JSONL files (plain articles; articles with 40 spans each, Prodigy-style), then for each,
``--repeat`` times, in fresh child processes and fresh files, alternating:

- ``annotator import``: the whole command, start-up included (``python -m annotator import``);
- ``import_paths``: the importer alone, timed inside its process (the project file already made);
- ``insert_all``: timed inside a process that reads the same JSONL, computes the same content hashes and writes
  the same article rows (and span rows, with their article ids) with sqlite-utils ``insert_all``
  into tables it creates, no indexes, no full-text search: the limit the issue measures against
  (also shown: the insert_all call alone, rows already in memory, and the whole process).

Prints medians and the ratio insert_all time / our time (1.0 = as fast as insert_all; the target is
0.5 or more). Nothing is asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic import write_prodigy_jsonl  # noqa: E402

CPU_TIMES: list[float] = []

IMPORT_PATHS = """
import json, sys, time
from annotator.store import Store
from annotator.importers import import_paths
with Store.open(sys.argv[1]) as store:
    started = time.perf_counter()
    summary = import_paths(store, [sys.argv[2]], annotator="bench")
    seconds = time.perf_counter() - started
assert summary.ok, summary.lines()
print(json.dumps({"seconds": seconds, "imported": summary.imported, "spans": summary.spans}))
"""

# The limit: what sqlite-utils does with the same rows when nothing else is asked of it.
INSERT_ALL = """
import hashlib, json, sys, time
from datetime import datetime, timezone
from sqlite_utils import Database
db = Database(sys.argv[1])
started = time.perf_counter()
stamp = datetime.now(timezone.utc).isoformat(timespec="milliseconds")
articles, spans = [], []
with open(sys.argv[2], encoding="utf-8") as lines:
    for number, line in enumerate(lines, start=1):
        record = json.loads(line)
        text = record["text"]
        articles.append({"id": number, "text": text, "title": None, "meta": json.dumps(record.get("meta", {})),
                         "content_hash": hashlib.sha256(text.encode("utf-8")).hexdigest(), "imported_at": stamp})
        for span in record.get("spans", ()):
            spans.append({"article_id": number, "annotator_id": 1, "start_char": span["start"],
                          "end_char": span["end"], "label": span["label"], "layer": "entity", "origin": "imported",
                          "status": "accepted", "attributes": "{}", "source": "import:corpus.jsonl",
                          "created_at": stamp, "updated_at": stamp})
inner = time.perf_counter()
with db.atomic():  # one transaction, as the importer uses per file (else a commit per chunk of 100)
    db["articles"].insert_all(articles, pk="id")
    if spans:
        db["spans"].insert_all(spans)
done = time.perf_counter()
print(json.dumps({"seconds": done - started, "insert": done - inner, "imported": len(articles), "spans": len(spans)}))
"""


def plain_articles(path: Path, count: int) -> Path:
    """The same articles as the span file, without spans (a plain JSONL news dump)."""
    with write_prodigy_jsonl(path.with_suffix(".spans.jsonl"), count).open(encoding="utf-8") as source, \
            path.open("w", encoding="utf-8") as out:
        for line in source:
            record = json.loads(line)
            out.write(json.dumps({"text": record["text"], "meta": record["meta"]}, ensure_ascii=False) + "\n")
    path.with_suffix(".spans.jsonl").unlink()
    return path


def child_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def child(code: str | None, args: list[str]) -> tuple[dict, float]:
    """Run a child process; returns what it printed and its wall time. Its CPU time (user + system,
    less sensitive to other work on a shared machine) is added to CPU_TIMES."""
    cpu = child_cpu()
    started = time.perf_counter()
    command = [sys.executable, "-c", code, *args] if code else [sys.executable, "-m", "annotator", *args]
    out = subprocess.run(command, check=True, capture_output=True, text=True)
    whole = time.perf_counter() - started
    lines = out.stdout.strip().splitlines()
    result = json.loads(lines[-1]) if code and lines else {}
    CPU_TIMES.append(child_cpu() - cpu)
    return result, whole


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=5_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; medians of {args.repeat}")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        corpora = {"plain": plain_articles(folder / "plain.jsonl", args.articles),
                   "with spans": write_prodigy_jsonl(folder / "spans.jsonl", args.articles)}
        for kind, (name, corpus) in enumerate(corpora.items()):
            times: dict[str, list[float]] = {"command": [], "import_paths": [], "insert_all": [],
                                             "insert_all process": [], "insert_all rows ready": []}
            counts = {}
            cpu: dict[str, list[float]] = {"command": [], "insert_all process": []}
            for attempt in range(args.repeat):
                db = folder / f"command{kind}-{attempt}.sqlite"
                _, whole = child(None, ["import", "--db", str(db), "--annotator", "bench", str(corpus)])
                times["command"].append(whole)
                cpu["command"].append(CPU_TIMES[-1])
                db = folder / f"paths{kind}-{attempt}.sqlite"
                child("from annotator.store import Store; import sys; Store.open(sys.argv[1]).close()", [str(db)])
                result, _ = child(IMPORT_PATHS, [str(db), str(corpus)])
                times["import_paths"].append(result["seconds"])
                counts["ours"] = (result["imported"], result["spans"])
                result, whole = child(INSERT_ALL, [str(folder / f"limit{kind}-{attempt}.sqlite"), str(corpus)])
                cpu["insert_all process"].append(CPU_TIMES[-1])
                times["insert_all"].append(result["seconds"])
                times["insert_all rows ready"].append(result["insert"])
                times["insert_all process"].append(whole)
                counts["insert_all"] = (result["imported"], result["spans"])
            median = {key: statistics.median(values) for key, values in times.items()}
            articles, spans = counts["ours"]
            print(f"\n{name}: {articles:,} articles, {spans:,} spans ({corpus.stat().st_size / 1e6:.1f} MB JSONL);"
                  f" insert_all wrote {counts['insert_all'][0]:,} / {counts['insert_all'][1]:,}")
            for key, value in median.items():
                runs = ", ".join(f"{v:.2f}" for v in times[key])
                print(f"  {key:<20} {value:6.2f} s  ({runs})  {articles / value:,.0f} articles/s")
            print(f"  ratio, importer alone: insert_all {median['insert_all']:.2f} s / import_paths"
                  f" {median['import_paths']:.2f} s = {median['insert_all'] / median['import_paths']:.2f}x")
            print(f"  ratio, whole processes: insert_all {median['insert_all process']:.2f} s / annotator import"
                  f" {median['command']:.2f} s = {median['insert_all process'] / median['command']:.2f}x")
            used = {key: statistics.median(values) for key, values in cpu.items()}
            print(f"  ratio, whole processes in CPU time: insert_all {used['insert_all process']:.2f} s /"
                  f" annotator import {used['command']:.2f} s = {used['insert_all process'] / used['command']:.2f}x")


if __name__ == "__main__":
    main()
