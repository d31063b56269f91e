"""A reviewer's sync pulls every layer: agreement, the review queue and review into gold then give
what they give after a file merge of the same work; gold goes back to the hub under a lease."""

from __future__ import annotations

import json
import shutil

import psycopg
import pytest

from annotator.cli import main
from annotator.hub import admin
from annotator.hub.connect import HubError, remember_password
from annotator.hub.sync import sync
from annotator.domain import Layer
from annotator.store import Store

from .hub_helpers import annotate, lead_project


def cli_output(capsys, *argv: str) -> str:
    capsys.readouterr()
    assert main(list(argv)) == 0
    return capsys.readouterr().out


def test_agreement_and_review_on_the_hub_equal_those_after_a_file_merge(tmp_path, hub_url, member_name, capsys):
    lead = lead_project(tmp_path / "lead.sqlite")
    shutil.copy(lead, tmp_path / "merged.sqlite")  # the old way starts from the same project file
    with Store.open(lead) as store:
        admin.init(hub_url, store)
    olena, marko, rev = member_name("olena"), member_name("marko"), member_name("rev")
    urls = {n: remember_password(admin.add_annotator(hub_url, n, reviewer=n == rev)) for n in (olena, marko, rev)}
    admin.assign(hub_url, per_article=2, lease_days=None)
    for name, label in ((olena, "PERSON"), (marko, "ORG")):
        with Store.open(tmp_path / f"{name}.sqlite") as store:
            sync(store, urls[name])
            ids = store.articles.ids()
            annotate(store, name, ids[:5], label=label if name == marko else "PERSON")
            # Some disagreement beyond the label: marko also marks the last word of article 2.
            if name == marko:
                text = store.articles.get(ids[1]).text
                store.spans.add(ids[1], len(text) - 7, len(text) - 1, "LOCATION", Layer.ENTITY, annotator=name)
            sync(store, urls[name])
    rev_file = tmp_path / "rev.sqlite"
    with Store.open(rev_file) as store:
        sync(store, urls[rev])
    merged = str(tmp_path / "merged.sqlite")
    cli_output(capsys, "merge", "--db", merged, str(tmp_path / f"{olena}.sqlite"), str(tmp_path / f"{marko}.sqlite"))

    on_hub = json.loads(cli_output(capsys, "agreement", "--json", "--db", str(rev_file)))
    after_merge = json.loads(cli_output(capsys, "agreement", "--json", "--db", merged))
    assert on_hub["articles"] == 5 and on_hub == after_merge
    assert cli_output(capsys, "review", "--db", str(rev_file)) == cli_output(capsys, "review", "--db", merged)


def test_a_reviewers_gold_goes_to_the_hub_under_a_lease_and_a_second_reviewer_waits(tmp_path, hub_url, member_name):
    with Store.open(lead_project(tmp_path / "lead.sqlite")) as store:
        admin.init(hub_url, store)
    ann, rev, other = member_name("ann"), member_name("rev"), member_name("other")
    urls = {n: remember_password(admin.add_annotator(hub_url, n, reviewer=n != ann)) for n in (ann, rev, other)}
    admin.assign(hub_url, per_article=1, lease_days=None)
    with Store.open(tmp_path / "ann.sqlite") as store:
        sync(store, urls[ann])
        annotate(store, ann, store.articles.ids()[:1])
        sync(store, urls[ann])
    with Store.open(tmp_path / "rev.sqlite") as store:
        sync(store, urls[rev])
        article = store.articles.ids()[0]
        for span in store.spans.own(article, ann):
            store.spans.add(article, span.start_char, span.end_char, span.label, span.layer, annotator="gold")
        store.states.set(article, "gold", "done")
        report = sync(store, urls[rev])
        assert report.articles_pushed == 1 and not report.gold_refused
    with psycopg.connect(hub_url) as conn:
        assert conn.execute("SELECT count(*) FROM spans WHERE annotator = 'gold'").fetchone()[0] == 3
        assert conn.execute("SELECT reviewer FROM gold_leases").fetchone()[0] == rev
    with Store.open(tmp_path / "other.sqlite") as store:
        sync(store, urls[other])
        quiet = sync(store, urls[other])  # gold it only pulled is not sent back as its own
        assert quiet.articles_pushed == 0 and not quiet.gold_refused
        article = store.articles.ids()[0]
        assert len(store.spans.own(article, "gold")) == 3  # the other reviewer sees the gold ...
        gold_span = store.spans.own(article, "gold")[0]
        store.spans.delete(gold_span.id, actor=other)
        report = sync(store, urls[other])  # ... but cannot change it while rev holds the lease
        assert report.articles_pushed == 0 and len(report.gold_refused) == 1 and rev in report.gold_refused[0]
        assert len(store.spans.own(article, "gold")) == 2  # nothing lost locally: it waits for the lease
    with psycopg.connect(hub_url) as conn:
        assert conn.execute("SELECT count(*) FROM spans WHERE annotator = 'gold' AND NOT deleted").fetchone()[0] == 3
        conn.execute("UPDATE gold_leases SET lease_until = now() - interval '1 minute'")
    with Store.open(tmp_path / "other.sqlite") as store:
        report = sync(store, urls[other])  # the lease ran out: now the other reviewer's change goes up
        assert report.articles_pushed == 1 and not report.gold_refused
    with psycopg.connect(hub_url) as conn:
        assert conn.execute("SELECT count(*) FROM spans WHERE annotator = 'gold' AND NOT deleted").fetchone()[0] == 2


def test_event_table_decisions_and_learned_versions_travel_between_reviewers(tmp_path, hub_url, member_name):
    with Store.open(lead_project(tmp_path / "lead.sqlite")) as store:
        admin.init(hub_url, store)
    ann, first, second = member_name("ann"), member_name("first"), member_name("second")
    urls = {n: remember_password(admin.add_annotator(hub_url, n, reviewer=n != ann)) for n in (ann, first, second)}
    admin.assign(hub_url, per_article=1, lease_days=None)
    with Store.open(tmp_path / "ann.sqlite") as store:
        sync(store, urls[ann])
        annotate(store, ann, store.articles.ids()[:2])
        sync(store, urls[ann])

    def events_seen(store):
        """Overrides and groups, with spans named by (article title, offsets, annotator)."""
        def name(span_id):
            span = store.spans.get(span_id)
            return store.articles.get(span.article_id).title, span.start_char, span.end_char, span.annotator
        overrides = {name(span): values for (_, span), values in store.events.overrides().items()}
        groups = sorted(sorted(name(span) for _, span in members) for members in store.events.groups().values())
        return overrides, groups

    with Store.open(tmp_path / "first.sqlite") as store:
        sync(store, urls[first])
        events = [s for a in store.articles.ids()[:2] for s in store.spans.own(a, ann) if s.layer is Layer.EVENT]
        store.events.set_override(events[0].id, first, {"date": "2026-03-02", "precision": 1, "geonameid": 703448})
        group = store.events.add_group([(e.article_id, e.id) for e in events], first, "confirm")
        store.learned.record({"version": "v1", "created_at": "2026-12-01", "spacy_version": "3.8.0",
                              "scores": "{}"}, first)
        assert sync(store, urls[first]).reviewer_records == 3
        expected = events_seen(store)
    with Store.open(tmp_path / "second.sqlite") as store:
        sync(store, urls[second])
        assert events_seen(store) == expected and len(expected[1]) == 1
        assert [v["version"] for v in store.learned.versions()] == ["v1"]
    with Store.open(tmp_path / "first.sqlite") as store:
        store.events.remove_group(group)
        sync(store, urls[first])
    with Store.open(tmp_path / "second.sqlite") as store:
        sync(store, urls[second])
        assert events_seen(store) == (expected[0], [])


def test_a_hub_missing_a_newer_step_is_upgraded_by_init_and_members_can_use_it(tmp_path, hub_url, member_name):
    lead = lead_project(tmp_path / "lead.sqlite")
    with Store.open(lead) as store:
        admin.init(hub_url, store)
    rev = member_name("rev")
    url = remember_password(admin.add_annotator(hub_url, rev, reviewer=True))
    with psycopg.connect(hub_url) as conn:  # as a hub made before step 0002 existed
        conn.execute("DROP TABLE event_decisions")
        conn.execute("DELETE FROM hub_migrations WHERE name = '0002_event_decisions'")
    with Store.open(tmp_path / "rev.sqlite") as store, pytest.raises(HubError, match="needs upgrading"):
        sync(store, url)
    with Store.open(lead) as store:
        applied, _ = admin.init(hub_url, store)
    assert applied == ["0002_event_decisions"]
    with Store.open(tmp_path / "rev.sqlite") as store:
        assert sync(store, url).pulled["articles"] == 6
