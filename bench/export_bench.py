"""Export throughput and peak memory for each format, on synthetic projects of growing size.

    python bench/export_bench.py                       # 10,000 and 100,000 articles, every format
    python bench/export_bench.py --sizes 2000 --formats jsonl spacy

Builds each project once (about 600 characters, 8 entities, 2 events and 4 arguments per article, all
marked done by one annotator), then exports it in a fresh child process per format and prints
articles/s and the child's peak resident memory (with --python-heap, also the peak of Python's own
allocations, which leaves out SQLite's and spaCy's C memory). Memory that stays level from the small
project to the large one is what "streams" means here.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

from annotator.domain import content_hash
from annotator.store import Store

FORMATS = ("spacy", "jsonl", "brat", "doccano")
ANNOTATOR = "bench"

GROUPS = ["Northern Brigade fighters", "government troops", "the Coastal Militia", "rebel units", "police"]
PLACES = ["Korvath", "Delmar", "Velin", "Ostra", "Marek", "Tallow Ridge", "Port Senna", "Hollin"]
EVENTS = [("shelled", "EXPLOSIONS_REMOTE_VIOLENCE", "Shelling/artillery/missile attack"),
          ("clashed with", "BATTLES", "Armed clash"),
          ("marched through", "PROTESTS", "Peaceful protest")]
DAYS = ["Monday", "Tuesday", "Friday", "late on Sunday"]


def invented_article(rng: random.Random, number: int) -> tuple[str, list, list]:
    """Text, spans (start, end, label, layer, attributes) and arguments (event index, span index, role)."""
    parts: list[str] = []
    spans: list = []
    arguments: list = []
    position = 0

    def put(text: str, label: str | None = None, layer: str = "entity", attributes=None) -> int | None:
        nonlocal position
        parts.append(text)
        start, position = position, position + len(text)
        if label is None:
            return None
        spans.append((start, position, label, layer, attributes or {}))
        return len(spans) - 1

    for sentence in range(2):
        group, place, day = rng.choice(GROUPS), rng.choice(PLACES), rng.choice(DAYS)
        trigger, label, subtype = rng.choice(EVENTS)
        actor = put(group.capitalize(), "ARMED_GROUP")
        put(" ")
        event = put(trigger, label, "event", {"modality": "happened", "sub_event_type": subtype})
        put(" positions near ")
        where = put(place, "LOCATION")
        put(" on ")
        when = put(day, "DATE")
        put(f", report {number}-{sentence} said, adding that ")
        put(f"{rng.randint(2, 40)} people", "QUANTITY")
        put(" had left the area. ")
        put("A spokesman, ")
        put(f"Officer {rng.choice(['Dara', 'Ilse', 'Tomas', 'Wen'])} {rng.choice(['Holt', 'Marr', 'Quill'])}", "PERSON")
        put(", said the road to ")
        put(rng.choice(PLACES), "LOCATION")
        put(" stayed closed while crews checked the damage to homes and shops.\n")
        arguments += [(event, actor, "ACTOR"), (event, where, "LOCATION")]
    return "".join(parts), spans, arguments


def build_project(path: Path, articles: int) -> None:
    """Bulk-load a project through store.bulk.insert (rows carry their own ids): the store's
    one-transaction-per-span API would make building 100,000 articles take longer than the export
    being measured."""
    rng = random.Random(articles)
    stamp = datetime(2026, 1, 1, tzinfo=timezone.utc).isoformat(timespec="milliseconds")
    with Store.open(path) as store:
        me = store.annotators.ensure(ANNOTATOR)
        next_span = store.bulk.max_id("spans") + 1
        for first in range(1, articles + 1, 10_000):
            article_rows, span_rows, argument_rows, state_rows = [], [], [], []
            for number in range(first, min(first + 10_000, articles + 1)):
                text, spans, arguments = invented_article(rng, number)
                article_rows.append((number, text, f"Report {number}", "bench", "{}", content_hash(text), stamp))
                ids = list(range(next_span, next_span + len(spans)))
                next_span += len(spans)
                span_rows += [(span_id, number, me, start, end, label, layer, "manual", "accepted",
                               json.dumps(attributes), stamp, stamp)
                              for span_id, (start, end, label, layer, attributes) in zip(ids, spans)]
                argument_rows += [(ids[event], ids[target], role, stamp) for event, target, role in arguments]
                state_rows.append((number, me, "done", stamp))
            store.bulk.insert("articles", ["id", "text", "title", "source", "meta", "content_hash", "imported_at"],
                              article_rows)
            store.bulk.insert("spans", ["id", "article_id", "annotator_id", "start_char", "end_char", "label",
                                        "layer", "origin", "status", "attributes", "created_at", "updated_at"],
                              span_rows)
            store.bulk.insert("arguments", ["event_id", "filler_id", "role", "created_at"], argument_rows)
            store.bulk.insert("article_states", ["article_id", "annotator_id", "state", "updated_at"], state_rows)


CHILD = """
import json, resource, sys, time, tracemalloc
from annotator.export import export_project
from annotator.store import Store
trace = sys.argv[4] == "trace"
if trace:
    tracemalloc.start()
started = time.perf_counter()
with Store.open(sys.argv[1], readonly=True) as store:
    report = export_project(store, sys.argv[2], format=sys.argv[3], annotator="bench",
                            split={"train": 0.8, "dev": 0.1, "test": 0.1})
seconds = time.perf_counter() - started
print(json.dumps({"seconds": seconds, "articles": report.articles,
                  "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "python_heap_mb": tracemalloc.get_traced_memory()[1] / 2**20 if trace else None}))
"""


def folder_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--formats", nargs="+", choices=FORMATS, default=list(FORMATS))
    parser.add_argument("--python-heap", action="store_true",
                        help="also trace the peak of Python's own allocations (slows the export down)")
    args = parser.parse_args()
    heap_title = f" {'py heap MB':>10}" if args.python_heap else ""
    print(f"{'articles':>9} {'format':<8} {'seconds':>8} {'articles/s':>10} {'peak RSS MB':>11} {'output MB':>9}{heap_title}")
    with tempfile.TemporaryDirectory(prefix="export-bench-") as scratch:
        for size in args.sizes:
            project = Path(scratch) / f"p{size}.sqlite"
            started = time.perf_counter()
            build_project(project, size)
            print(f"# built {size} articles in {time.perf_counter() - started:.0f} s", flush=True)
            for name in args.formats:
                out = Path(scratch) / f"out{size}-{name}"
                trace = "trace" if args.python_heap else "plain"
                done = subprocess.run([sys.executable, "-c", CHILD, str(project), str(out), name, trace],
                                      capture_output=True, text=True)
                if done.returncode != 0:
                    sys.exit(done.stderr)
                result = json.loads(done.stdout)
                rate = result["articles"] / result["seconds"]
                heap = f" {result['python_heap_mb']:>10.1f}" if args.python_heap else ""
                print(f"{result['articles']:>9} {name:<8} {result['seconds']:>8.1f} {rate:>10.0f} "
                      f"{result['peak_rss_mb']:>11.0f} {folder_size(out) / 2**20:>9.0f}{heap}", flush=True)
                subprocess.run(["rm", "-rf", str(out)], check=True)


if __name__ == "__main__":
    main()
