"""A sync killed (SIGKILL) at random moments, then completed: nothing lost, nothing doubled."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time

import psycopg

from annotator.hub import admin
from annotator.hub.connect import remember_password
from annotator.hub.sync import sync
from annotator.store import Store

from .hub_helpers import annotate, lead_project

ARTICLES = 240
KILLS = 20


def invented_texts(count: int) -> list[str]:
    places = ["Dorvala", "Karsk", "Velmora", "Ostrava", "Sarnic", "Pellin", "Tamsk", "Urvo"]
    return [f"Fighting near {places[n % 8]} on day {n} displaced families. Officials in {places[(n + 3) % 8]}"
            f" counted {n % 17 + 2} dead after the attack number {n}." for n in range(count)]


def run_sync(db, url, env):
    return subprocess.Popen([sys.executable, "-m", "annotator", "sync", "--db", str(db), "--hub", url], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def hub_count(url: str, sql: str, *params) -> int:
    with psycopg.connect(url) as conn:
        return conn.execute(sql, params).fetchone()[0]


def connected(url: str, role: str) -> bool:
    return hub_count(url, "SELECT count(*) FROM pg_stat_activity WHERE usename = %s", role) > 0


def test_sync_killed_twenty_times_then_completed_loses_and_doubles_nothing(tmp_path, hub_url, member_name):
    with Store.open(lead_project(tmp_path / "lead.sqlite", invented_texts(ARTICLES))) as store:
        admin.init(hub_url, store)
    name, reviewer = member_name("kira"), member_name("rev")
    url = remember_password(admin.add_annotator(hub_url, name))
    reviewer_url = remember_password(admin.add_annotator(hub_url, reviewer, reviewer=True))
    admin.assign(hub_url, per_article=1, lease_days=None)
    db = tmp_path / "kira.sqlite"
    with Store.open(db) as store:
        sync(store, url)
        ids = store.articles.ids()
    env = {**os.environ, "PYTHONPATH": os.getcwd() + os.pathsep + os.environ.get("PYTHONPATH", "")}
    rng = random.Random(21)
    outcomes = {"killed": 0, "finished first": 0}
    chunk = len(ids) // KILLS
    # How long after a sync connects it may be killed: halved whenever a sync outruns it, so a quiet
    # machine (syncs of a few tens of milliseconds) still sees twenty kills in mid-sync.
    window = 0.4
    round_ = 0
    while outcomes["killed"] < KILLS:
        assert round_ < 4 * KILLS, f"too few syncs were still running when killed: {outcomes}"
        # Between syncs the annotator goes on working: new articles, a deleted span, a changed label.
        with Store.open(db) as store:
            annotate(store, name, ids[round_ * chunk:(round_ + 1) * chunk])
            worked_on = [a for a in ids[:min(round_ + 1, KILLS) * chunk] if store.spans.own(a, name)]
            earlier = store.spans.own(worked_on[rng.randrange(len(worked_on))], name)
            store.spans.delete(earlier[-1].id, actor=name)
            if len(earlier) > 1:
                store.spans.update(earlier[0].id, actor=name, label="ORG")
        round_ += 1
        process = run_sync(db, url, env)
        # A random moment once the sync talks to the hub (before that a kill only stops Python starting).
        while process.poll() is None and not connected(hub_url, name):
            time.sleep(0.01)
        time.sleep(rng.uniform(0.0, window))
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
            outcomes["killed"] += 1
        else:
            outcomes["finished first"] += 1
            window = max(window / 2, 0.002)
        process.wait()
        assert hub_count(hub_url, "SELECT count(*) FROM spans") <= ARTICLES * 3  # never a doubled row
    with Store.open(db) as store:
        local_spans = sum(len(store.spans.own(a, name)) for a in ids)
        local_links = sum(len(store.arguments.for_article(a)) for a in ids)
        local_actions = len(store.sync.actions_after(name, 0))
        local_articles = store.articles.count()
        labels = sorted(s.label for a in ids for s in store.spans.own(a, name))
    finished = run_sync(db, url, env)
    assert finished.wait(timeout=120) == 0, finished.stderr.read()
    assert hub_count(hub_url, "SELECT count(*) FROM spans WHERE NOT deleted") == local_spans
    # Deleted spans stay as marks only if the hub had seen them before the deletion: one per round at most.
    assert hub_count(hub_url, "SELECT count(*) FROM spans WHERE deleted") <= round_
    with psycopg.connect(hub_url) as conn:
        assert sorted(r[0] for r in conn.execute("SELECT label FROM spans WHERE NOT deleted")) == labels
    assert hub_count(hub_url, "SELECT count(*) FROM arguments WHERE NOT deleted") == local_links
    assert hub_count(hub_url, "SELECT count(*) FROM actions") == local_actions
    assert hub_count(hub_url, "SELECT count(*) FROM article_states WHERE state = 'done'") == ARTICLES
    with Store.open(db) as store:
        assert store.articles.count() == local_articles
        assert sum(len(store.spans.own(a, name)) for a in store.articles.ids()) == local_spans
        assert sync(store, url).articles_pushed == 0
    with Store.open(tmp_path / "reviewer.sqlite") as store:
        sync(store, reviewer_url)
        assert sum(len(store.spans.own(a, name)) for a in store.articles.ids()) == local_spans
        assert sum(len(store.arguments.for_article(a)) for a in store.articles.ids()) == local_links
    print(outcomes)
