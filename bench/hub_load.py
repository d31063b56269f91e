"""Load on the team hub: many annotators, each working offline and syncing now and then.

50 simulated annotators (by default) each do 200 actions in their own project file (add a span,
accept a suggestion, link an argument, finish an article), syncing after every 20, several at once
(a pool of worker processes, so syncs overlap on the server). At the end every annotator's file and
the hub are compared: every span, link, state and log line stored, none twice. Prints the median and
95th percentile of one sync's time.

    nice python bench/hub_load.py                       # a throwaway local PostgreSQL (needs postgresql)
    nice python bench/hub_load.py --annotators 10 --actions 50

Texts are invented here (numbered sentences), not read from any data set.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "hub"))

import psycopg  # noqa: E402

from annotator.hub import admin  # noqa: E402
from annotator.hub.connect import remember_password  # noqa: E402
from annotator.hub.sync import sync  # noqa: E402
from annotator.domain import Layer, Status  # noqa: E402
from annotator.store import Store  # noqa: E402
from pg_cluster import remove, start_throwaway  # noqa: E402

PLACES = ["Dorvala", "Karsk", "Velmora", "Ostrava", "Sarnic", "Pellin", "Tamsk", "Urvo", "Lisk", "Monra"]


def invented(n: int) -> str:
    place, other = PLACES[n % 10], PLACES[(n * 7 + 3) % 10]
    return (f"Report {n}: shelling hit the market in {place} on day {n % 28 + 1}. Officials in {other} said"
            f" {n % 13 + 2} people were killed and the Northern Front denied firing on {place}. Aid workers"
            f" from {other} reached the town by evening, and police in {place} closed the road to {other}.")


def make_lead(path: Path, articles: int) -> None:
    with Store.open(path) as store:
        for n in range(articles):
            text = invented(n)
            article_id, _ = store.articles.add(text, title=f"Report {n}")
            spans = []
            for place in dict.fromkeys(p for p in PLACES if p in text):
                start = text.index(place)
                spans.append({"start_char": start, "end_char": start + len(place), "label": "LOCATION",
                              "layer": "entity", "source": "bench@1"})
            store.spans.add_many(article_id, spans, annotator=None, origin="suggested", status="pending")


def one_round(job: tuple[str, str, str, int, int]) -> tuple[str, float, int]:
    """``actions`` actions in the annotator's file, then one sync; returns (name, sync seconds, actions done)."""
    name, url, db, actions, round_number = job
    done = 0
    with Store.open(db) as store:
        ids = store.articles.ids()
        while done < actions:
            article_id = ids[(round_number * actions + done) % len(ids)]
            text = store.articles.get(article_id).text
            kind = done % 5
            if kind == 0:
                pending = [s for s in store.spans.for_article(article_id, name) if s.is_suggestion]
                if pending:
                    store.suggestions.decide(pending[0].id, name, Status.ACCEPTED)
                else:
                    store.states.set(article_id, name, "in_progress")
            elif kind in (1, 2):
                word = text.split()[(done * 3 + round_number) % 20 + 2].strip(".,:")
                start = text.index(word)
                store.spans.add(article_id, start, start + len(word), "PERSON" if kind == 1 else "ORG",
                                Layer.ENTITY, annotator=name)
            elif kind == 3:
                start = text.index("shelling")
                event = store.spans.find(article_id, name, start, start + 8, Layer.EVENT) or store.spans.add(
                    article_id, start, start + 8, "EXPLOSIONS_REMOTE_VIOLENCE", Layer.EVENT, annotator=name)
                own = [s for s in store.spans.own(article_id, name) if s.layer is Layer.ENTITY]
                if own:
                    store.arguments.add(event, own[-1].id, "LOCATION", actor=name)
            else:
                store.states.set(article_id, name, "done")
            done += 1
        started = time.perf_counter()
        sync(store, url)
        return name, time.perf_counter() - started, done


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--annotators", type=int, default=50)
    parser.add_argument("--actions", type=int, default=200, help="per annotator")
    parser.add_argument("--every", type=int, default=20, help="actions between two syncs")
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--per-article", type=int, default=2)
    parser.add_argument("--workers", type=int, default=6, help="annotators syncing at the same time")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="hub-load-"))
    os.environ["PGPASSFILE"] = str(work / "pgpass")
    cluster = start_throwaway()
    if cluster is None:
        print("PostgreSQL is not installed (apt-get install -y postgresql)", file=sys.stderr)
        return 1
    try:
        admin_url = remember_password(cluster.url("load"))
        make_lead(work / "lead.sqlite", args.articles)
        with Store.open(work / "lead.sqlite") as store:
            admin.init(admin_url, store)
        names = [f"annotator_{n:02d}" for n in range(args.annotators)]
        urls = {name: remember_password(admin.add_annotator(admin_url, name)) for name in names}
        admin.assign(admin_url, per_article=args.per_article, lease_days=7)
        for name in names:  # each file is made from the hub
            with Store.open(work / f"{name}.sqlite") as store:
                sync(store, urls[name])
        rounds = args.actions // args.every
        jobs = [(name, urls[name], str(work / f"{name}.sqlite"), args.every, r) for r in range(rounds) for name in names]
        started = time.perf_counter()
        with multiprocessing.get_context("fork").Pool(args.workers) as pool:
            results = pool.map(one_round, jobs, chunksize=1)
        wall = time.perf_counter() - started
        times = sorted(seconds for _, seconds, _ in results)
        actions = sum(done for _, _, done in results)
        # Everything stored, nothing twice: each file's own rows against the hub's.
        missing = []
        with psycopg.connect(admin_url) as conn:
            for name in names:
                with Store.open(work / f"{name}.sqlite") as store:
                    local = {"spans": sum(len(store.spans.own(a, name)) for a in store.articles.ids()),
                             "actions": len(store.sync.actions_after(name, 0)),
                             "states": len([1 for a in store.articles.ids() if store.states.get(a, name)[0] != "todo"])}
                hub = {"spans": conn.execute("SELECT count(*) FROM spans WHERE annotator = %s AND NOT deleted",
                                             [name]).fetchone()[0],
                       "actions": conn.execute("SELECT count(*) FROM actions WHERE annotator = %s",
                                               [name]).fetchone()[0],
                       "states": conn.execute("SELECT count(*) FROM article_states WHERE annotator = %s",
                                              [name]).fetchone()[0]}
                if local != hub:
                    missing.append((name, local, hub))
            totals = conn.execute("SELECT (SELECT count(*) FROM spans), (SELECT count(*) FROM actions)").fetchone()
        print(f"{args.annotators} annotators x {args.actions} actions = {actions} actions, {len(times)} syncs"
              f" ({args.workers} at a time), {args.articles} articles x {args.per_article} annotators")
        print(f"on the hub: {totals[0]} spans, {totals[1]} log lines; files equal to the hub: "
              f"{args.annotators - len(missing)}/{args.annotators}")
        for name, local, hub in missing:
            print(f"  MISMATCH {name}: file {local} hub {hub}")
        print(f"sync time: median {statistics.median(times) * 1000:.0f} ms, p95 {times[int(0.95 * (len(times) - 1))] * 1000:.0f} ms,"
              f" max {times[-1] * 1000:.0f} ms; wall {wall:.1f} s")
        return 1 if missing else 0
    finally:
        remove(cluster)


if __name__ == "__main__":
    sys.exit(main())
