"""Import throughput and peak memory on a synthetic corpus.

    python bench/import_bench.py --articles 100000

Writes a Prodigy-style JSONL file of N articles (about 1 KB of text and 40 spans each), imports it
into a new project in a child process, and prints articles/s and the child's peak resident memory.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic import write_prodigy_jsonl  # noqa: E402

CHILD = """
import json, resource, sys, time
from annotator.store import Store
from annotator.importers import import_paths
started = time.perf_counter()
with Store.open(sys.argv[1]) as store:
    summary = import_paths(store, [sys.argv[2]], annotator="bench")
    seconds = time.perf_counter() - started
    stats = store.stats.counts()
print(json.dumps({"seconds": seconds, "imported": summary.imported, "spans": stats["spans"],
                  "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        source = write_prodigy_jsonl(Path(tmp) / "corpus.jsonl", args.articles)
        size_mb = source.stat().st_size / 1e6
        out = subprocess.run([sys.executable, "-c", CHILD, str(Path(tmp) / "bench.sqlite"), str(source)],
                             check=True, capture_output=True, text=True)
        result = json.loads(out.stdout.strip().splitlines()[-1])
        db_mb = (Path(tmp) / "bench.sqlite").stat().st_size / 1e6
    rate = result["imported"] / result["seconds"]
    print(f"articles: {result['imported']:,}  spans: {result['spans']:,}  input: {size_mb:.0f} MB  project file: {db_mb:.0f} MB")
    print(f"import: {result['seconds']:.1f} s, {rate:,.0f} articles/s, peak memory {result['peak_rss_mb']:.0f} MB")


if __name__ == "__main__":
    main()
