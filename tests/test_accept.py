"""`annotator accept` from the command line: which suggestions it takes, done, undo, mistakes."""

from __future__ import annotations

import pytest

from annotator.bulk.accept import AcceptFilter, accept_suggestions
from annotator.cli import main
from annotator.domain import ArticleState, Layer, Origin, Status
from annotator.store import Store

FIRST = "Rebels shelled Dorvan on Tuesday, the governor Mira Talo said."
SECOND = "Police arrested two men in Teluk after a protest."


def suggest(store, article_id, text, needle, label, layer=Layer.ENTITY, score=0.9):
    start = text.index(needle)
    return store.spans.add(article_id, start, start + len(needle), label, layer, annotator=None,
                           origin=Origin.SUGGESTED, status=Status.PENDING, source="test 1.0", score=score)


@pytest.fixture
def project(tmp_path):
    path = tmp_path / "p.sqlite"
    with Store.open(path) as store:
        first, _ = store.articles.add(FIRST)
        second, _ = store.articles.add(SECOND)
        ids = {
            "first": first, "second": second,
            "rebels": suggest(store, first, FIRST, "Rebels", "ARMED_GROUP", score=0.95),
            "dorvan": suggest(store, first, FIRST, "Dorvan", "LOCATION", score=0.6),
            "talo": suggest(store, first, FIRST, "Mira Talo", "PERSON", score=None),
            "teluk": suggest(store, second, SECOND, "Teluk", "LOCATION", score=0.8),
            "shelled": suggest(store, first, FIRST, "shelled", "EXPLOSIONS_REMOTE_VIOLENCE", Layer.EVENT, 0.7),
        }
        store.arguments.add(ids["shelled"], ids["dorvan"], "LOCATION")
    return path, ids


def mine(store, article_id, annotator="ana"):
    return sorted((s.label, s.status.value) for s in store.spans.for_article(article_id, annotator) if not s.is_suggestion)


def test_accept_every_article_with_done(project, capsys):
    path, ids = project
    assert main(["--db", str(path), "accept", "--annotator", "ana", "--done"]) == 0
    out = capsys.readouterr().out
    assert "5 suggestions accepted on 2 of 2 articles" in out and "marked done: 2" in out
    with Store.open(path) as store:
        assert mine(store, ids["first"]) == [("ARMED_GROUP", "accepted"), ("EXPLOSIONS_REMOTE_VIOLENCE", "accepted"),
                                             ("LOCATION", "accepted"), ("PERSON", "accepted")]
        assert store.states.get(ids["second"], "ana")[0] is ArticleState.DONE
        # Another annotator still sees every suggestion pending.
        assert mine(store, ids["first"], "ben") == []
        entries = [e for e in store.log.entries(ids["first"]) if e["action"] == "accept_all"]
        assert len(entries) == 1 and len(entries[0]["detail"]["spans"]) == 4
    # Run again: nothing left to accept, nothing doubled, already done stays as it is.
    assert main(["--db", str(path), "accept", "--annotator", "ana", "--done"]) == 0
    assert "0 suggestions accepted on 0 of 2 articles" in capsys.readouterr().out
    with Store.open(path) as store:
        assert len(mine(store, ids["first"])) == 4


def test_accept_filters_by_label_layer_and_score(project, capsys):
    path, ids = project
    assert main(["--db", str(path), "accept", "--annotator", "ana", "--labels", "LOCATION", "PERSON"]) == 0
    with Store.open(path) as store:
        assert mine(store, ids["first"]) == [("LOCATION", "accepted"), ("PERSON", "accepted")]
        assert mine(store, ids["second"]) == [("LOCATION", "accepted")]
        assert store.states.get(ids["first"], "ana")[0] is not ArticleState.DONE
    # An unscored suggestion does not pass a minimum score; 0.6 < 0.65 stays pending.
    assert main(["--db", str(path), "accept", "--annotator", "ben", "--min-score", "0.65"]) == 0
    with Store.open(path) as store:
        assert mine(store, ids["first"], "ben") == [("ARMED_GROUP", "accepted"), ("EXPLOSIONS_REMOTE_VIOLENCE", "accepted"),
                                                    ("LOCATION", "accepted")]  # Dorvan came with the event
        pending = [s.label for s in store.spans.for_article(ids["first"], "ben") if s.is_suggestion]
        assert pending == ["PERSON"]
    # Events only, on one article: the event and its argument's filler.
    assert main(["--db", str(path), "accept", "--annotator", "cy", "--layers", "event", "--article",
                 str(ids["first"])]) == 0
    with Store.open(path) as store:
        assert mine(store, ids["first"], "cy") == [("EXPLOSIONS_REMOTE_VIOLENCE", "accepted"), ("LOCATION", "accepted")]
        event = next(s for s in store.spans.for_article(ids["first"], "cy") if s.layer is Layer.EVENT and not s.is_suggestion)
        assert [a.role for a in store.arguments.of_event(event.id)] == ["LOCATION"]
        assert mine(store, ids["second"], "cy") == []


def test_accepted_articles_undo_like_the_window(project):
    path, ids = project
    with Store.open(path) as store:
        summary = accept_suggestions(store, "ana", [ids["first"]], only=AcceptFilter(min_score=0.9), done=True)
        assert mine(store, ids["first"]) == [("ARMED_GROUP", "accepted")]
        for edit in reversed(summary.edits):
            edit.revert(store)
        assert mine(store, ids["first"]) == []
        assert store.states.get(ids["first"], "ana")[0] is not ArticleState.DONE
        assert len([s for s in store.spans.for_article(ids["first"], "ana") if s.is_suggestion]) == 4


def test_accept_refuses_gold_and_unknown_articles(project, capsys):
    path, _ids = project
    assert main(["--db", str(path), "accept", "--annotator", "gold"]) == 2
    assert "reserved" in capsys.readouterr().err
    assert main(["--db", str(path), "accept", "--annotator", "ana", "--article", "99"]) == 2
    assert "no article with id 99" in capsys.readouterr().err
    assert main(["--db", str(path / "nope.sqlite"), "accept", "--annotator", "ana"]) == 2


def test_accept_undo_takes_back_the_last_acceptance_but_keeps_corrections(project, capsys):
    path, ids = project
    assert main(["--db", str(path), "accept", "--annotator", "ana", "--labels", "LOCATION"]) == 0
    assert main(["--db", str(path), "accept", "--annotator", "ana", "--labels", "ARMED_GROUP", "PERSON"]) == 0
    with Store.open(path) as store:
        talo = next(s for s in store.spans.for_article(ids["first"], "ana") if s.label == "PERSON" and not s.is_suggestion)
        store.spans.update(talo.id, label="ORG", actor="ana")  # a correction made after accepting
    capsys.readouterr()
    assert main(["--db", str(path), "accept", "--annotator", "ana", "--undo", "--article", str(ids["first"])]) == 0
    out = capsys.readouterr().out
    assert "taken back on 1 articles, 1 spans removed" in out and "kept, changed since" in out
    with Store.open(path) as store:
        # The second run's ARMED_GROUP is gone (pending again), the corrected span and the first run's stay.
        assert mine(store, ids["first"]) == [("LOCATION", "accepted"), ("ORG", "accepted")]
        assert "ARMED_GROUP" in [s.label for s in store.spans.for_article(ids["first"], "ana") if s.is_suggestion]
    # Again: now the first run's acceptance is the last one not taken back.
    assert main(["--db", str(path), "accept", "--annotator", "ana", "--undo", "--article", str(ids["first"])]) == 0
    with Store.open(path) as store:
        assert mine(store, ids["first"]) == [("ORG", "accepted")]
        assert mine(store, ids["second"]) == [("LOCATION", "accepted")]  # not named: untouched
    assert main(["--db", str(path), "accept", "--annotator", "ana", "--undo", "--done"]) == 2
