"""Event records, grouping and export for synthetic articles: the issue's target is 10,000 in under 10 s.

    .venv/bin/python bench/eventtable_bench.py                 # 10,000 articles
    .venv/bin/python bench/eventtable_bench.py --articles 2000
    .venv/bin/python bench/eventtable_bench.py --full-parse    # every article parsed whole, as before
    .venv/bin/python bench/eventtable_bench.py --no-place-arguments --plain-pipe

Every synthetic event has a LOCATION argument the place index knows, so its article is read with spaCy's
sentence recogniser alone (``RecordBuilder.prepare``). ``--no-place-arguments`` leaves the place words
annotated as LOCATION spans but links none to its event: the place step reads the parse, which
``prepare`` runs over every article. ``--full-parse`` parses every article first, though its events are
placed, to show the table is the same either way. ``--plain-pipe`` also times, in the same
run, the plain model (``spacy.load`` as installed) over the same article texts with ``nlp.pipe``: the
yardstick the records' time is given against.

Each synthetic article has three sentences and two annotated events (actor, place, sometimes a TIME
argument and a death count), published on one of 120 days, with places drawn from 30 real towns in
several spellings, so many reports land on the same event and grouping has real work to do. The place
index is loaded first (from its cache file; built once if missing) and timed apart: it is a one-off per
process, not per article.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from annotator.eventtable.dates import resolve_expression  # noqa: E402
from annotator.eventtable.export import counts, event_rows, write_csv, write_geojson  # noqa: E402
from annotator.eventtable.linking import propose  # noqa: E402
from annotator.eventtable.places import load_index  # noqa: E402
from annotator.eventtable.records import RecordBuilder, load_parser  # noqa: E402
from eventtable_fixtures import Annotated  # noqa: E402

PLACES = ["Severodonetsk", "Sievierodonetsk", "Lysychansk", "Kharkiv", "Kharkov", "Mykolaiv", "Nikolaev", "Bakhmut",
          "Artemivsk", "Kramatorsk", "Izium", "Kherson", "Mariupol", "Aleppo", "Idlib", "Homs", "Djibo", "Mopti",
          "Gao", "Goma", "Maiduguri", "Mogadishu", "Khartoum", "El Fasher", "Mosul", "Kabul", "Sanaa", "Marib",
          "Tripoli", "Benghazi"]
ACTORS = ["Ukrainian forces", "Russian troops", "the army", "JNIM fighters", "police", "M23 rebels", "gunmen",
          "protesters", "al-Shabaab militants", "Wagner"]
EVENTS = [("shelled", "EXPLOSIONS_REMOTE_VIOLENCE"), ("attacked", "BATTLES"), ("withdrew from", "STRATEGIC_DEVELOPMENTS"),
          ("clashed in", "BATTLES"), ("raided", "VIOLENCE_AGAINST_CIVILIANS"), ("marched in", "PROTESTS")]
WHEN = ["on Friday", "yesterday", "overnight", "on Monday", "last week", "in February", "on 3 May 2022", ""]
DEATHS = ["two people", "at least 12 people", "dozens of people", "10-15 people", "1,200 people", ""]
OUTLETS = ["Northern Ledger", "Coastal Wire", "Invented Gazette", "Plains Courier"]


def synthetic(count: int, seed: int = 0, place_arguments: bool = True) -> list[Annotated]:
    rng = random.Random(seed)
    start = date(2022, 3, 1)
    articles = []
    for index in range(count):
        published = (start + timedelta(days=rng.randrange(120))).isoformat()
        parts, plan = [], []
        for _ in range(2):
            actor, (verb, label), place = rng.choice(ACTORS), rng.choice(EVENTS), rng.choice(PLACES)
            when, deaths = rng.choice(WHEN), rng.choice(DEATHS)
            sentence = f"{actor[0].upper()}{actor[1:]} {verb} {place}" + (f" {when}" if when else "")
            sentence += f", killing {deaths}." if deaths else "."
            parts.append(sentence)
            plan.append((actor, verb, label, place, when, deaths))
        parts.append("Officials gave no further details.")
        text = " ".join(parts)
        item = Annotated(index + 1, text, source=rng.choice(OUTLETS), url=f"https://news.example/{index + 1}",
                         published=published)
        for occurrence, (actor, verb, label, place, when, deaths) in enumerate(plan):
            arguments = {"actor": (actor[0].upper() + actor[1:], "ARMED_GROUP")}
            if place_arguments:
                arguments["location"] = (place, "LOCATION")
            if when and rng.random() < 0.5:
                arguments["time"] = (when, "DATE")
            if deaths:
                arguments["fatalities"] = (deaths, "QUANTITY")
            nth = text.count(verb, 0, text.index(parts[occurrence])) if occurrence else 0
            event = item.event(verb, label, occurrence=nth, **arguments)
            if not place_arguments:  # the place still marked, as the suggester marks it, but not linked
                at = text.index(place, event.end_char)
                if not any(s.start_char == at for s in item.spans):
                    item.span(place, "LOCATION", occurrence=text.count(place, 0, at))
        articles.append(item)
    return articles


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--full-parse", action="store_true",
                        help="parse every article whole first (the way before), for comparison")
    parser.add_argument("--no-place-arguments", action="store_true",
                        help="link no LOCATION argument to the events: the place step reads the parse")
    parser.add_argument("--plain-pipe", action="store_true",
                        help="also time the plain model's nlp.pipe over the same article texts")
    parser.add_argument("--out", type=Path,
                        help="keep events.csv and events.geojson in this folder (to compare two versions' output)")
    args = parser.parse_args()

    started = time.perf_counter()
    index = load_index()
    index_seconds = time.perf_counter() - started
    articles = synthetic(args.articles, place_arguments=not args.no_place_arguments)
    builder = RecordBuilder(places=index)
    builder.gazetteer  # loaded before the clock starts, like the index
    builder.parse_many(["The spaCy model is loaded before the clock starts too."])
    builder.parsed_fully = 0
    load_parser(sentences_only=True)  # and the sentence recogniser
    resolve_expression("3 May 2022", None)  # and dateparser's languages (a second, once a process)

    cpu0 = time.process_time()
    t0 = time.perf_counter()
    stage_cpu = []
    records = []
    for start in range(0, len(articles), 32):  # parsed in batches, as the event table's read_records does
        chunk = articles[start:start + 32]
        if args.full_parse:
            builder.parse_many([a.article.text for a in chunk])
        else:
            builder.prepare([(a.article, a.spans, a.links) for a in chunk])
        records += [r for a in chunk for r in builder.records(a.article, a.spans, a.links)]
    t1 = time.perf_counter()
    stage_cpu.append(time.process_time())
    grouping = propose(records)
    t2 = time.perf_counter()
    stage_cpu.append(time.process_time())
    rows = event_rows(grouping, {r.key: r for r in records})
    with tempfile.TemporaryDirectory() as scratch:
        folder = args.out or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        write_csv(rows, folder / "events.csv")
        write_geojson(rows, folder / "events.geojson")
        size = sum((folder / name).stat().st_size for name in ("events.csv", "events.geojson"))
    t3 = time.perf_counter()
    stage_cpu.append(time.process_time())
    cpu = time.process_time() - cpu0
    records_cpu, grouping_cpu, export_cpu = (stage_cpu[0] - cpu0, stage_cpu[1] - stage_cpu[0], stage_cpu[2] - stage_cpu[1])
    summary = counts(rows)
    print(f"{len(articles):,} articles, {len(records):,} event records -> {len(rows):,} events "
          f"({summary['events']:,} counted, {sum(len(g.members) > 1 for g in grouping.groups):,} with several reports)")
    print(f"place index: {index_seconds:.2f} s (cache file; one-off per process)")
    print(f"records:  {t1 - t0:6.2f} s  ({records_cpu:.2f} s CPU; {builder.parsed_fully:,} articles fully parsed, "
          f"the others read for sentences only)")
    print(f"grouping: {t2 - t1:6.2f} s  ({grouping_cpu:.2f} s CPU)")
    print(f"export:   {t3 - t2:6.2f} s  ({export_cpu:.2f} s CPU; CSV + GeoJSON, {size / 1e6:.1f} MB)")
    print(f"total:    {t3 - t0:6.2f} s  (target: under 10 s for 10,000 articles)")
    if args.plain_pipe:
        import spacy

        from annotator.suggest.pipeline import DEFAULT_MODELS

        nlp = spacy.load(next(m for m in DEFAULT_MODELS if spacy.util.is_package(m)))
        texts = [a.article.text for a in articles]
        list(nlp.pipe(texts[:32]))  # warmed up, as the builder's model was
        cpu_pipe, t_pipe = time.process_time(), time.perf_counter()
        for _ in nlp.pipe(texts, batch_size=32):
            pass
        pipe_wall, pipe_cpu = time.perf_counter() - t_pipe, time.process_time() - cpu_pipe
        print(f"plain nlp.pipe of {nlp.meta['name']} ({', '.join(nlp.pipe_names)}) over the same {len(texts):,} "
              f"texts: {pipe_wall:.2f} s ({pipe_cpu:.2f} s CPU); records / pipe: {(t1 - t0) / pipe_wall:.2f}x wall, "
              f"{records_cpu / pipe_cpu:.2f}x CPU")
    # On a shared machine wall time grows with the others' load; CPU time much less so.
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"CPU time: {cpu:6.2f} s  (load average {load:.1f} on {os.cpu_count()} cores)")


if __name__ == "__main__":
    main()
