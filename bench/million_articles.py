"""A project of a million articles: how long the window's first screen, scrolling, search, filters
and ``annotator stats`` take, and what fills the file.

    python bench/million_articles.py --db /tmp/million.sqlite [--articles 1000000] [--repeat 5]

Builds the project once if the file does not exist (synthetic conflict news of ~400 characters;
annotator "ana" worked on a tenth of the articles, "ben" on a twentieth, 10 spans each; shared
pending suggestions on a fifth), through store.bulk.insert. Then each measurement runs in a fresh
process ``--repeat`` times and the median is printed with its limit. Nothing is asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic import sentence  # noqa: E402

ANNOTATORS = ("ana", "ben")
RARE = "Zvyahel"  # in one article of 10,000: a search with few hits
STATES = ["done"] * 6 + ["in_progress"] * 2 + ["skipped", "flagged"]


def _pool(rng: random.Random, size: int = 4000) -> list[tuple[str, list[tuple[int, int, str]]]]:
    return [sentence(rng) for _ in range(size)]


def build(path: Path, articles: int) -> None:
    from annotator.store import Store
    from annotator.domain import content_hash

    started = time.perf_counter()
    with Store.open(path) as store:
        for name in ANNOTATORS:
            store.annotators.ensure(name)
        step = 100_000
        span_base = 0
        for first in range(0, articles, step):
            count = min(step, articles - first)
            article_rows, span_rows, state_rows = _rows_slice(first, count, span_base)
            span_base += len(span_rows)
            store.bulk.insert("articles", ["id", "text", "title", "meta", "content_hash", "imported_at"],
                              [(i, t, ti, m, content_hash(t), s) for i, t, ti, m, _, s in article_rows])
            store.bulk.insert("spans", ["id", "article_id", "annotator_id", "start_char", "end_char", "label",
                                        "layer", "origin", "status", "created_at", "updated_at"], span_rows)
            store.bulk.insert("article_states", ["article_id", "annotator_id", "state", "updated_at"], state_rows)
            print(f"  {first + count:,} articles, {time.perf_counter() - started:.0f} s", flush=True)
    print(f"built {articles:,} articles in {time.perf_counter() - started:.0f} s", flush=True)


def _rows_slice(first: int, count: int, span_base: int):
    """Rows of articles first+1 .. first+count; each slice seeded by its start, so it is reproducible."""
    rng = random.Random(first)
    pool = _pool(random.Random(7))
    stamp = "2026-12-03T09:00:00.000+00:00"
    articles_out, spans_out, states_out = [], [], []
    span_id = span_base
    for number in range(first + 1, first + count + 1):
        text, spans = f"Report {number}\n\n", []
        for _ in range(3):
            piece, piece_spans = pool[rng.randrange(len(pool))]
            spans += [(s + len(text), e + len(text), label) for s, e, label in piece_spans]
            text += piece
        if number % 10_000 == 7:
            text += f"Shelling was also reported near {RARE}."
        articles_out.append((number, text, None, "{}", None, stamp))
        workers = []
        if number % 10 == 3:
            workers.append((1, STATES[number // 10 % len(STATES)]))
        if number % 20 in (4, 13):
            workers.append((2, "done"))
        for annotator_id, state in workers:
            states_out.append((number, annotator_id, state, stamp))
            for start, end, label in spans[:10]:
                span_id += 1
                spans_out.append((span_id, number, annotator_id, start, end, label, "entity", "manual", "accepted",
                                  stamp, stamp))
        if number % 5 == 1:
            for start, end, label in spans[:10:2]:
                span_id += 1
                spans_out.append((span_id, number, None, start, end, label, "entity", "suggested", "pending",
                                  stamp, stamp))
    return articles_out, spans_out, states_out


# Each measurement: a fresh process opens the file and does what the window (or the command) does.
MEASURE = """
import json, sys, time
started = time.perf_counter()
from annotator.store import Store
what, path = sys.argv[1], sys.argv[2]
opened = time.perf_counter()  # timed from here: opening the file is part of what the window waits for
store = Store.open(path)
if what == "open":
    page = store.articles.list("ana", limit=200)
    total = store.articles.count_where("ana")
    store.articles.next_id("ana")
    detail = f"{total:,} articles, first page {len(page)}"
elif what == "scroll offset":
    deep = store.articles.count() * 6 // 10
    opened = time.perf_counter()
    page = store.articles.list("ana", offset=deep, limit=200)
    detail = f"page at offset {deep:,} starts at {page[0].id}"
elif what == "scroll keyset":
    deep = store.articles.count() * 6 // 10
    opened = time.perf_counter()
    page = store.articles.list("ana", after=deep, limit=200)
    detail = f"page after id {deep:,} starts at {page[0].id}"
elif what.startswith("search"):
    words = sys.argv[3]
    page = store.articles.list("ana", search=words, limit=200)
    total = store.articles.count_where("ana", search=words)
    detail = f"{words!r}: {total:,} hits"
elif what.startswith("state"):
    states = sys.argv[3].split(",")
    page = store.articles.list("ana", states=states, limit=200)
    total = store.articles.count_where("ana", states=states)
    detail = f"{states}: {total:,}"
elif what.startswith("label"):
    page = store.articles.list("ana", label=sys.argv[3], limit=200)
    total = store.articles.count_where("ana", label=sys.argv[3])
    detail = f"{sys.argv[3]}: {total:,}"
elif what.startswith("pending"):
    page = store.articles.list("ana", has_pending=True, limit=200)
    total = store.articles.count_where("ana", has_pending=True)
    detail = f"with undecided suggestions: {total:,}"
elif what == "stats":
    counts = store.stats.counts()
    detail = f"{counts['articles']:,} articles, {counts['spans']:,} spans"
done = time.perf_counter()
print(json.dumps({"seconds": done - opened, "with_open": done - started, "detail": detail}))
"""

CASES = [
    ("open", [], 1.0),
    ("stats", [], 2.0),
    ("scroll offset", [], None),
    ("scroll keyset", [], None),
    ("search rare", [RARE], 0.2),
    ("search common", ["Kharkiv shelled"], 0.2),
    ("state done", ["done"], 0.5),
    ("state todo", ["todo"], 0.5),
    ("state in progress, flagged", ["in_progress,flagged"], 0.5),
    ("label", ["LOCATION"], 0.5),
    ("pending suggestions", [], 0.5),
]


def measure(path: Path, repeat: int) -> None:
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; medians of {repeat} fresh processes")
    for name, extra, limit in CASES:
        runs = []
        for _ in range(repeat):
            out = subprocess.run([sys.executable, "-c", MEASURE, name, str(path), *extra], check=True, capture_output=True, text=True)
            runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
        seconds = statistics.median(r["seconds"] for r in runs)
        ratio = f"  ({seconds / limit:.2f} of the {limit * 1000:.0f} ms limit)" if limit else ""
        each = ", ".join(f"{r['seconds'] * 1000:.0f}" for r in runs)
        print(f"  {name:<28} {seconds * 1000:8.0f} ms{ratio}   [{each}]"
              f"  {runs[0]['detail']}")
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "annotator", "stats", "--db", str(path)], check=True,
                       capture_output=True, text=True)
        runs.append(time.perf_counter() - started)
    seconds = statistics.median(runs)
    each = ", ".join(f"{r * 1000:.0f}" for r in runs)
    print(f"  {'annotator stats (command)':<28} {seconds * 1000:8.0f} ms  ({seconds / 2:.2f} of the 2 s limit)   [{each}]")


def file_size(path: Path) -> None:
    """What fills the file: pages per table and index (dbstat), largest first."""
    import sqlite3

    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    total = path.stat().st_size
    print(f"file: {total / 1e9:.2f} GB")
    try:
        rows = conn.execute("SELECT name, sum(pgsize) FROM dbstat GROUP BY name ORDER BY 2 DESC").fetchall()
    except sqlite3.OperationalError:
        print("  (no dbstat in this SQLite)")
        return
    for name, size in rows[:14]:
        print(f"  {name:<36} {size / 1e6:9.0f} MB  {size / total:5.1%}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True, help="the project (built here if missing)")
    parser.add_argument("--articles", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--no-size", action="store_true", help="skip reading the file's page statistics")
    args = parser.parse_args()
    if not args.db.exists():
        build(args.db, args.articles)
    measure(args.db, args.repeat)
    if not args.no_size:
        file_size(args.db)


if __name__ == "__main__":
    main()
