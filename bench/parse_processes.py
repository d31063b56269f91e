"""Whether a second process helps the event table's parse: `nlp.pipe` with n_process 1 and 2, wall time.

    OMP_NUM_THREADS=1 nice -n 10 .venv/bin/python bench/parse_processes.py            # 2,000 articles
    OMP_NUM_THREADS=1 nice -n 10 .venv/bin/python bench/parse_processes.py --articles 500

The synthetic articles of bench/eventtable_bench.py, parsed by ``records.load_parser()`` (the parse of
articles whose events need it) in batches of 32, as ``RecordBuilder.prepare`` receives them, each
batch with one process and with two, twice over alternately; then all articles as one stream each way.
Wall time only: the question is whether the table is ready sooner. Give the load with the figures.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from eventtable_bench import synthetic  # noqa: E402

from annotator.eventtable.records import load_parser  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    args = parser.parse_args()
    texts = [a.article.text for a in synthetic(args.articles)]
    nlp = load_parser()
    list(nlp.pipe(texts[:32]))  # loaded and warmed before the clock starts
    for processes in (1, 2, 1, 2):
        started = time.perf_counter()
        for start in range(0, len(texts), 32):
            list(nlp.pipe(texts[start:start + 32], batch_size=32, n_process=processes))
        print(f"batches of 32, n_process {processes}: {time.perf_counter() - started:.1f} s wall")
    for processes in (2, 1):
        started = time.perf_counter()
        list(nlp.pipe(texts, batch_size=64, n_process=processes))
        print(f"one stream, n_process {processes}: {time.perf_counter() - started:.1f} s wall")
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
