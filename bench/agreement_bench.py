"""How long agreement takes on a big project: 10,000 articles x 3 annotators by default.

    nice python bench/agreement_bench.py [--articles 10000] [--sentences 8] [--db PATH] [--queue]
                                         [--repeat 3] [--mixed]

Builds a synthetic project (invented sentences; each annotator drops, shifts or relabels some
of the spans and arguments of a hidden truth), every article done by all three annotators
(30,000 annotator-articles; --mixed: every third article by two of them only, as in real teams),
then times ``compute_agreement`` --repeat times and prints the median, and with --queue the
reviewer's queue. Prints the figures; nothing is asserted.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import random
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

from annotator.agreement import MEASURED_UNITS, compute_agreement
from annotator.domain import content_hash
from annotator.store import Store, now

ANNOTATORS = ("ana", "ben", "cho")
GROUPS = ["Northern militia", "the border guard", "rebel fighters", "army units", "the police"]
PLACES = ["Varos", "Keltin", "Dorvan market", "the old bridge", "Ilva port", "Sela"]
VERBS = [("shelled", "EXPLOSIONS_REMOTE_VIOLENCE"), ("attacked", "BATTLES"), ("marched through", "PROTESTS"),
         ("detained people in", "VIOLENCE_AGAINST_CIVILIANS")]
ENTITY_SWAPS = {"ARMED_GROUP": "ORG", "LOCATION": "FACILITY", "DATE": "QUANTITY"}


def sentence(rng: random.Random, offset: int):
    """One invented sentence with its true entities, event and arguments (offsets from ``offset``)."""
    group, place = rng.choice(GROUPS), rng.choice(PLACES)
    verb, event = rng.choice(VERBS)
    day = rng.choice(["on Monday", "late on Friday", "at dawn"])
    text = f"{group} {verb} {place} {day}, residents said. "
    spans = []
    for words, label in ((group, "ARMED_GROUP"), (place, "LOCATION"), (day.split(" ", 1)[1], "DATE")):
        start = text.index(words)
        spans.append([offset + start, offset + start + len(words), label, "entity"])
    start = text.index(verb)
    spans.append([offset + start, offset + start + len(verb), event, "event"])
    arguments = [(3, 0, "ACTOR"), (3, 1, "LOCATION"), (3, 2, "TIME")]
    return text, spans, arguments


def annotate(rng: random.Random, truth, arguments):
    """An annotator's version of the truth: some spans missing, shifted or relabelled."""
    kept, index = [], {}
    for i, (start, end, label, layer) in enumerate(truth):
        roll = rng.random()
        if roll < 0.06:
            continue
        if roll < 0.12 and end - start > 4:
            end -= 2
        elif roll < 0.18 and label in ENTITY_SWAPS:
            label = ENTITY_SWAPS[label]
        index[i] = len(kept)
        kept.append((start, end, label, layer))
    links = [(index[e], index[a], role if rng.random() > 0.05 else "TARGET")
             for e, a, role in arguments if e in index and a in index]
    return kept, links


def build(path: Path, articles: int, sentences: int, seed: int = 1, mixed: bool = False) -> None:
    """The synthetic project, written through store.bulk.insert (rows carry their own ids)."""
    rng = random.Random(seed)
    with Store.open(path) as store:
        ids = {name: store.annotators.ensure(name) for name in ANNOTATORS}
        stamp = now()
        next_article, next_span = store.bulk.max_id("articles") + 1, store.bulk.max_id("spans") + 1
        article_rows, span_rows, argument_rows, state_rows = [], [], set(), []
        for number in range(articles):
            text, truth, arguments = f"Report {number}\n\n", [], []
            for _ in range(sentences):
                piece, spans, links = sentence(rng, len(text))
                base = len(truth)
                truth += spans
                arguments += [(base + e, base + a, role) for e, a, role in links]
                text += piece
            article_id = next_article + number
            article_rows.append((article_id, text, f"Synthetic report {number}", content_hash(text), stamp))
            # Every article done by all three; with ``mixed``, every third by two of them (partial overlap).
            done_by = ANNOTATORS if number % 3 or not mixed else rng.sample(ANNOTATORS, 2)
            for name in done_by:
                spans, links = annotate(rng, truth, arguments)
                span_ids = list(range(next_span, next_span + len(spans)))
                next_span += len(spans)
                span_rows += [(span_id, article_id, ids[name], start, end, label, layer, "manual", "accepted", "{}",
                               stamp, stamp) for span_id, (start, end, label, layer) in zip(span_ids, spans)]
                argument_rows |= {(span_ids[e], span_ids[a], role) for e, a, role in links}
                state_rows.append((article_id, ids[name], "done", stamp))
        store.bulk.insert("articles", ["id", "text", "title", "content_hash", "imported_at"], article_rows)
        store.bulk.insert("spans", ["id", "article_id", "annotator_id", "start_char", "end_char", "label", "layer",
                                    "origin", "status", "attributes", "created_at", "updated_at"], span_rows)
        store.bulk.insert("arguments", ["event_id", "filler_id", "role", "created_at"],
                          [(*row, stamp) for row in sorted(argument_rows)])
        store.bulk.insert("article_states", ["article_id", "annotator_id", "state", "updated_at"], state_rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--sentences", type=int, default=8, help="sentences per article (each ~11 tokens)")
    parser.add_argument("--db", type=Path, help="keep the synthetic project here (default: a temp file)")
    parser.add_argument("--queue", action="store_true", help="also time the reviewer's queue")
    parser.add_argument("--keep", action="store_true", help="measure the project at --db as it is (no rebuild)")
    parser.add_argument("--report", type=Path, help="write the whole JSON report here (to compare versions)")
    parser.add_argument("--repeat", type=int, default=3, help="time agreement this many times; the median is printed")
    parser.add_argument("--mixed", action="store_true", help="every third article done by two annotators only")
    args = parser.parse_args()
    folder = tempfile.TemporaryDirectory()
    path = args.db or Path(folder.name) / "agreement_bench.sqlite"
    if path.exists() and not args.keep:
        path.unlink()
    started = time.perf_counter()
    # In a child process, so the peak memory printed below is agreement's alone.
    builder = None if args.keep else multiprocessing.Process(
        target=build, args=(path, args.articles, args.sentences), kwargs={"mixed": args.mixed})
    if builder:
        builder.start()
        builder.join()
        if builder.exitcode:
            return builder.exitcode
    print(f"{'kept' if args.keep else 'built'} {args.articles} articles x {len(ANNOTATORS)} annotators in {time.perf_counter() - started:.1f} s"
          f" ({path.stat().st_size / 1e6:.0f} MB)")
    with Store.open(path) as store:
        walls, cpus = [], []
        for _ in range(max(1, args.repeat)):
            started, cpu = time.perf_counter(), time.process_time()
            report = compute_agreement(store)
            walls.append(time.perf_counter() - started)
            cpus.append(time.process_time() - cpu)
        elapsed, cpu = statistics.median(walls), statistics.median(cpus)
        data = report.to_dict()
        if args.report:
            args.report.write_text(json.dumps(data, indent=1, sort_keys=True))
        counts = store.stats.counts()
        spans, arguments = counts["spans"], counts["event_arguments"]
        # CPU time as well: on a shared machine the wall time also counts other processes.
        annotator_articles = sum(len(row["annotators"]) for row in report.per_article)
        print(f"agreement over {report.articles} articles, {annotator_articles} annotator-articles"
              f" ({spans} spans, {arguments} arguments):"
              f" median of {len(walls)}: {elapsed:.2f} s wall, {cpu:.2f} s CPU"
              f" (runs: {', '.join(f'{w:.2f}' for w in walls)} s)")
        for kind in MEASURED_UNITS:
            print(f"  {kind}: {data[kind]['overall']}")
        if args.queue:
            from annotator.review import review_queue

            started, cpu = time.perf_counter(), time.process_time()
            queue = review_queue(store)
            print(f"review queue ({len(queue)} articles): {time.perf_counter() - started:.2f} s wall,"
                  f" {time.process_time() - cpu:.2f} s CPU")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory: {peak:.0f} MB; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    folder.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
