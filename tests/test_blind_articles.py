"""Blind articles: a share of the project annotated without suggestions, so that agreement measured
on them is the annotators' own (docs/agreement.md). Invented reports."""

from __future__ import annotations

import json

import pytest

from annotator.agreement import ENTITIES, blind_split
from annotator.cli import main
from annotator.domain import is_blind
from annotator.store import Store, StoreError
from annotator.suggest import load_gazetteer, load_suggester, suggest_articles

TEXT = "Militia fighters shelled the bridge near Kiev on Tuesday, officials in Dorvan said."


def test_blind_articles_follow_the_id_and_the_share():
    ids = range(1, 10_001)
    fifth = {a for a in ids if is_blind(a, 0.2)}
    assert 1800 < len(fifth) < 2200
    assert fifth <= {a for a in ids if is_blind(a, 0.5)}  # raising the share keeps the blind ones blind
    assert not any(is_blind(a, 0) for a in ids) and all(is_blind(a, 1) for a in ids)
    assert fifth == {a for a in ids if is_blind(a, 0.2)}


def _pair(share: float) -> tuple[Store, int, int]:
    """A project with one blind and one seen article at ``share``, each with a pending suggestion."""
    store = Store.memory()
    ids = [store.articles.add(f"{TEXT} Report {n}.")[0] for n in range(40)]
    blind = next(a for a in ids if is_blind(a, share))
    seen = next(a for a in ids if not is_blind(a, share))
    for article in (blind, seen):
        store.spans.add(article, 41, 45, "LOCATION", "entity", annotator=None, origin="suggested", status="pending")
        store.spans.add(article, 0, 16, "ARMED_GROUP", "entity", annotator="ana")
    store.set_blind_share(share)
    return store, blind, seen


def test_blind_articles_the_window_gets_no_suggestion_on_them():
    store, blind, seen = _pair(0.3)
    assert [(s.label, s.annotator) for s in store.spans.for_article(seen, "ana")] == [("ARMED_GROUP", "ana"), ("LOCATION", None)]
    assert [(s.label, s.annotator) for s in store.spans.for_article(blind, "ana")] == [("ARMED_GROUP", "ana")]
    pending = {row.id: row.pending for row in store.articles.list("ana", limit=100)}
    assert (pending[blind], pending[seen]) == (0, 1)  # the article list shows no waiting suggestion either
    changed, visible = store.spans.changed_since(blind, "ana", "2000-01-01T00:00:00")
    assert [s.annotator for s in changed] == ["ana"] and len(visible) == 1
    store.set_blind_share(0)
    assert len(store.spans.for_article(blind, "ana")) == 2


def test_blind_articles_a_share_outside_0_to_1_is_refused():
    with pytest.raises(StoreError, match="between 0 and 1"):
        Store.memory().set_blind_share(1.5)


def test_blind_articles_suggest_leaves_them_out():
    store = Store.memory()
    ids = [store.articles.add(f"{TEXT} Report {n}.")[0] for n in range(12)]
    store.set_blind_share(0.5)
    blind = {a for a in ids if is_blind(a, 0.5)}
    assert blind and blind != set(ids)
    rules_only = load_suggester("/nonexistent/pipeline", gazetteer=load_gazetteer(geonames=False))
    summary = suggest_articles(store, suggester=rules_only)
    assert summary.blind == len(blind) and summary.articles == len(ids) - len(blind)
    assert all(store.spans.for_article(a) == [] for a in blind)
    assert all(store.spans.for_article(a) for a in set(ids) - blind)


def _agreeing_except_on_blind(path, share: float) -> tuple[set[int], set[int]]:
    """ana and ben agree on every seen article and disagree on every blind one."""
    with Store.open(path) as store:
        ids = [store.articles.add(f"{TEXT} Report {n}.")[0] for n in range(10)]
        store.set_blind_share(share)
        blind = {a for a in ids if is_blind(a, share)}
        for article in ids:
            store.spans.add(article, 0, 16, "ARMED_GROUP", "entity", annotator="ana")
            store.spans.add(article, 0, 16, "ARMED_GROUP" if article not in blind else "PERSON", "entity",
                            annotator="ben")
            for name in ("ana", "ben"):
                store.states.set(article, name, "done")
    return blind, set(ids) - blind


def test_blind_articles_agreement_reports_them_apart(tmp_path, capsys):
    path = tmp_path / "p.sqlite"
    blind, seen = _agreeing_except_on_blind(path, 0.4)
    assert blind and seen
    with Store.open(path) as store:
        split = blind_split(store)
    assert (split.blind.articles, split.with_suggestions.articles) == (len(blind), len(seen))
    assert split.blind.to_dict()[ENTITIES]["overall"]["f1_exact"] == 0.0
    assert split.with_suggestions.to_dict()[ENTITIES]["overall"]["f1_exact"] == 1.0
    assert main(["agreement", "--db", str(path)]) == 0
    table = capsys.readouterr().out
    assert "blind articles (annotated without suggestions; blind share 0.4) apart from the rest:" in table
    assert f"  blind: {len(blind)} articles" in table and f"  with suggestions: {len(seen)} articles" in table
    assert main(["agreement", "--db", str(path), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["blind_split"]["share"] == 0.4
    assert data["blind_split"]["blind"]["articles"] == len(blind)
    assert data["blind_split"]["with_suggestions"][ENTITIES]["overall"]["f1_exact"] == 1.0


def test_blind_articles_settings_command(tmp_path, capsys):
    path = tmp_path / "p.sqlite"
    with Store.open(path) as store:
        for n in range(20):
            store.articles.add(f"{TEXT} Report {n}.")
    assert main(["settings", "--db", str(path), "--blind-share", "0.25"]) == 0
    blind = sum(is_blind(a, 0.25) for a in range(1, 21))
    assert capsys.readouterr().out == f"blind share: 0.25 ({blind} of 20 articles annotated without suggestions)\n"
    with Store.open(path) as store:
        assert store.blind_share() == 0.25
    with pytest.raises(SystemExit):
        main(["settings", "--db", str(path), "--blind-share", "2"])
    assert "must be between 0 and 1" in capsys.readouterr().err
