"""Learning from a project end to end: the command trains on finished articles, the version is recorded
in the project file, `suggest` uses it (and says which), and a broken version falls back cleanly.

Invented reports (tests/test_learn.py's generator) in the conflict scheme's own labels."""

from __future__ import annotations

import pytest

from annotator.cli import main
from annotator.learn import models_dir
from annotator.store import Store
from annotator.suggest import load_gazetteer, load_suggester, suggest_articles
from learn_fixtures import build_team_project, learn_fast
from test_learn import ARTICLES


@pytest.fixture
def project(tmp_path, monkeypatch):
    learn_fast(monkeypatch)
    # The last article is not done: not learned from.
    return build_team_project(tmp_path / "team.sqlite", "Half done: Major Ilse Brandvold visited Kettleby.")


def test_learn_project_command_records_a_scored_version_and_suggest_uses_it(project, capsys):
    assert main(["learn", "--db", str(project), "--annotator", "rita"]) == 0
    printed = capsys.readouterr().out
    assert "v0001: learned from" in printed and "entity:PERSON" in printed and "F1 before" in printed
    with Store.open(project) as store:
        [row] = store.learned.versions()
        assert row["version"] == "v0001" and row["entity_f1"] is not None
        assert len(row["train_hashes"]) + len(row["heldout_hashes"]) == len(ARTICLES)
        assert any(entry["action"] == "learn" and entry["annotator"] == "rita" for entry in store.log.entries())
        new, _ = store.articles.add("Colonel Arvo Tammik said that rebels shelled Sarvik overnight.")
        rules_only = load_suggester("/nonexistent/pipeline", gazetteer=load_gazetteer(geonames=False))
        summary = suggest_articles(store, [new], suggester=rules_only)
        assert summary.source.endswith("+learned-v0001")
        found = {(s.text_in(store.articles.get(new).text), s.label, s.source) for s in store.spans.for_article(new)}
        assert ("Colonel Arvo Tammik", "PERSON", summary.source) in found
        assert all(s.score is not None for s in store.spans.for_article(new) if s.label == "PERSON")


def test_learn_project_list_and_go_back(project, capsys):
    assert main(["learn", "--db", str(project)]) == 0
    assert main(["learn", "--db", str(project)]) == 0
    capsys.readouterr()
    assert main(["learn", "--db", str(project), "--use", "v0001"]) == 0
    assert main(["learn", "--db", str(project), "--list"]) == 0
    listed = capsys.readouterr().out
    assert " * v0001" in listed and "   v0002" in listed
    with Store.open(project) as store:
        rules_only = load_suggester("/nonexistent/pipeline", gazetteer=load_gazetteer(geonames=False))
        assert suggest_articles(store, [1], suggester=rules_only).source.endswith("+learned-v0001")
    assert main(["learn", "--db", str(project), "--use", "v0009"]) == 2


def test_learn_project_corrupt_version_falls_back_with_a_message(project, capsys):
    assert main(["learn", "--db", str(project)]) == 0
    for weights in (models_dir(project) / "v0001").rglob("model"):
        weights.write_bytes(b"not weights")
    with Store.open(project) as store:
        rules_only = load_suggester("/nonexistent/pipeline", gazetteer=load_gazetteer(geonames=False))
        summary = suggest_articles(store, [1], suggester=rules_only, redo=True)
    assert "+learned" not in summary.source
    assert "shipped model" in summary.warning


def test_learn_project_with_nothing_finished_says_so(tmp_path, capsys):
    path = tmp_path / "empty.sqlite"
    with Store.open(path) as store:
        store.articles.add("Nothing decided here.")
    assert main(["learn", "--db", str(path)]) == 2
    assert "nothing to learn from yet" in capsys.readouterr().err
