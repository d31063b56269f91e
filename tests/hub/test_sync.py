"""Sync between annotators' files and a real PostgreSQL hub."""

from __future__ import annotations

import psycopg
import pytest

from annotator.hub import admin
from annotator.hub.connect import HubError, remember_password
from annotator.hub.sync import sync
from annotator.domain import content_hash
from annotator.store import Store

from .hub_helpers import TEXTS, annotate, lead_project


@pytest.fixture
def team(tmp_path, hub_url, member_name):
    """A hub with the lead's project, two annotators and a reviewer, each article assigned to both annotators."""
    lead = lead_project(tmp_path / "lead.sqlite")
    with Store.open(lead) as store:
        admin.init(hub_url, store)
    names = {role: member_name(role) for role in ("olena", "marko", "rev")}
    urls = {role: admin.add_annotator(hub_url, name, reviewer=role == "rev") for role, name in names.items()}
    admin.assign(hub_url, per_article=2, lease_days=None)
    return {"lead": lead, "names": names, "urls": urls, "admin": hub_url}


def counts(url: str, table: str) -> int:
    with psycopg.connect(url) as conn:
        return conn.execute(f"SELECT count(*) FROM {table} WHERE NOT deleted").fetchone()[0]


def test_sync_creates_a_missing_file_from_the_hub_with_the_assigned_articles(tmp_path, team):
    path = tmp_path / "olena.sqlite"
    url = remember_password(team["urls"]["olena"])
    with Store.open(path) as store:
        report = sync(store, url)
        assert store.articles.count() == len(TEXTS)
        assert report.pulled["suggestions"] == len(TEXTS)
        assert store.get_setting("scheme") == "conflict"
        assert len(store.sync.assignments()) == len(TEXTS)
        assert store.sync.url().startswith(f"postgresql://{team['names']['olena']}@/")  # no password


def test_two_annotators_offline_then_syncing_give_the_reviewer_both_layers(tmp_path, team):
    olena, marko = team["names"]["olena"], team["names"]["marko"]
    urls = {role: remember_password(url) for role, url in team["urls"].items()}
    files = {}
    for role in ("olena", "marko"):
        files[role] = tmp_path / f"{role}.sqlite"
        with Store.open(files[role]) as store:
            sync(store, urls[role])
    # Offline: each works in their own file, no hub involved.
    with Store.open(files["olena"]) as store:
        annotate(store, olena, store.articles.ids()[:4])
    with Store.open(files["marko"]) as store:
        annotate(store, marko, store.articles.ids()[2:], label="ORG")
    for role in ("olena", "marko"):
        with Store.open(files[role]) as store:
            report = sync(store, urls[role])
            assert report.articles_pushed == 4
            again = sync(store, urls[role])  # nothing new: nothing sent
            assert again.articles_pushed == 0 and again.actions_pushed == 0
    # Each article: suggestion accepted + event + filler = 3 spans per annotator-article.
    assert counts(team["admin"], "spans") == 3 * 8
    assert counts(team["admin"], "arguments") == 8  # one ACTOR link per annotator and article
    with Store.open(tmp_path / "rev.sqlite") as store:
        sync(store, urls["rev"])
        assert sorted(store.annotators.names()) == sorted([olena, marko])
        local = {name: sum(len(store.spans.own(a, name)) for a in store.articles.ids()) for name in (olena, marko)}
        assert local == {olena: 12, marko: 12}
        assert len(store.states.done_by()) == 8


def test_an_annotator_does_not_see_another_layer(tmp_path, team):
    urls = {role: remember_password(url) for role, url in team["urls"].items()}
    with Store.open(tmp_path / "olena.sqlite") as store:
        sync(store, urls["olena"])
        annotate(store, team["names"]["olena"], store.articles.ids()[:2])
        sync(store, urls["olena"])
    with Store.open(tmp_path / "marko.sqlite") as store:
        sync(store, urls["marko"])
        assert team["names"]["olena"] not in store.annotators.names()
    with psycopg.connect(urls["marko"]) as conn:
        assert conn.execute("SELECT count(*) FROM spans").fetchone()[0] == 0


def test_a_newer_hub_is_refused_untouched(tmp_path, team):
    with psycopg.connect(team["admin"]) as conn:
        conn.execute("INSERT INTO hub_migrations(name) VALUES ('9999_from_the_future')")
    with Store.open(team["lead"]) as store, pytest.raises(HubError, match="newer version"):
        admin.init(team["admin"], store)
    with Store.open(tmp_path / "olena.sqlite") as store, pytest.raises(HubError, match="newer version"):
        sync(store, remember_password(team["urls"]["olena"]))


def test_articles_and_suggestions_published_later_reach_the_annotators_next_sync(tmp_path, team):
    url = remember_password(team["urls"]["olena"])
    path = tmp_path / "olena.sqlite"
    with Store.open(path) as store:
        sync(store, url)
        first_text = store.articles.get(store.articles.ids()[0]).text
    with Store.open(team["lead"]) as store:  # the lead imports and suggests more, then publishes again
        new_id, _ = store.articles.add("Drones struck a depot outside Lisk at dawn.", title="Report 7")
        store.spans.add_many(new_id, [{"start_char": 0, "end_char": 6, "label": "WEAPON", "layer": "entity"}],
                             annotator=None, origin="suggested", status="pending")
        old_id = store.articles.id_by_hash(content_hash(first_text))
        store.spans.add_many(old_id, [{"start_char": 0, "end_char": 8, "label": "EXPLOSIONS_REMOTE_VIOLENCE",
                                       "layer": "event"}], annotator=None, origin="suggested", status="pending")
        _, counts = admin.init(team["admin"], store)
        assert counts["articles"] == 7
    admin.assign(team["admin"], per_article=2, lease_days=None)
    with Store.open(path) as store:
        report = sync(store, url)
        assert report.pulled["articles"] == 1 and report.pulled["suggestions"] == 2
        assert store.articles.count() == 7
        first = store.articles.ids()[0]
        assert sorted(s.label for s in store.spans.for_article(first, team["names"]["olena"]) if s.is_suggestion) == [
            "EXPLOSIONS_REMOTE_VIOLENCE", "LOCATION"]
        assert sync(store, url).pulled == {kind: 0 for kind in report.pulled}  # and only once


def test_the_hub_going_away_mid_push_loses_nothing_and_the_next_sync_finishes(tmp_path, team, monkeypatch):
    # The server drops the sync's connection (as when it restarts) while the second batch of articles is
    # on its way: the first batch is on the hub, the second was never committed, the file keeps all of it.
    import annotator.hub.sync as hub_sync
    from annotator.hub.connect import HubUnreachable

    name = team["names"]["olena"]
    url = remember_password(team["urls"]["olena"])
    path = tmp_path / "olena.sqlite"
    with Store.open(path) as store:
        sync(store, url)
        annotate(store, name, store.articles.ids())
        local = sum(len(store.spans.own(a, name)) for a in store.articles.ids())
    sent = []
    send_layer = hub_sync._send_layer

    def dropped_on_the_third(cur, layer, article, payload):
        sent.append(article)
        if len(sent) == 3:
            with psycopg.connect(team["admin"]) as admin_conn:
                admin_conn.execute("SELECT pg_terminate_backend(%s)", [cur.connection.info.backend_pid])
        send_layer(cur, layer, article, payload)

    monkeypatch.setattr(hub_sync, "ARTICLES_PER_BATCH", 2)
    monkeypatch.setattr(hub_sync, "_send_layer", dropped_on_the_third)
    with Store.open(path) as store:
        with pytest.raises(HubUnreachable, match="lost the hub"):
            sync(store, url)
        assert sum(len(store.spans.own(a, name)) for a in store.articles.ids()) == local
    with psycopg.connect(team["admin"]) as conn:
        on_hub = conn.execute("SELECT count(DISTINCT article_id) FROM spans WHERE annotator = %s", [name]).fetchone()[0]
    assert on_hub == 2  # the first batch only: the second was rolled back with the connection

    monkeypatch.setattr(hub_sync, "_send_layer", send_layer)
    with Store.open(path) as store:
        report = sync(store, url)
        assert report.articles_pushed == len(TEXTS) - 2
        assert sync(store, url).articles_pushed == 0
    with psycopg.connect(team["admin"]) as conn:
        assert conn.execute("SELECT count(*) FROM spans WHERE annotator = %s AND NOT deleted",
                            [name]).fetchone()[0] == local
