"""Reviewing disagreements into the gold layer, on the three-annotator fixture."""

from __future__ import annotations

import json

import pytest

from annotator.export import export_project
from annotator.domain import Layer
from annotator.review import (
    ATTRIBUTE, BOUNDARY, LABEL, MISSING, ROLE, ReviewError, add_gold_span, delete_gold_span, edit_gold_span,
    accept_agreed_articles, agreed_article_ids, finish_article, gold_spans, load_review, prefill_gold,
    review_progress, review_queue, take_version,
)
from annotator.store import Store
from test_agreement_fixture import TEXT_1, build_three_annotators


@pytest.fixture
def project(tmp_path):
    with Store.open(tmp_path / "p.sqlite") as store:
        ids = build_three_annotators(store)
        yield store, ids


def applied(store, edit):
    """Apply a review edit as the window or the command does, and hand it back for undo/redo."""
    edit.apply(store)
    return edit


def described(review):
    return [(str(d.layer), TEXT_1[d.start:d.end], d.kinds) for d in review.disagreements]


def gold_view(store, article_id):
    return sorted((g.span.text_in(store.articles.get(article_id).text), g.span.label, g.provenance())
                  for g in gold_spans(store, article_id))


def test_review_queue_lists_articles_with_disagreements_worst_first(project):
    store, ids = project
    queue = review_queue(store)
    # Article 2 has full agreement: not in the queue; article 4 was done by one annotator only.
    assert [item.article_id for item in queue] == [ids.article_1, ids.article_3]
    assert review_progress(queue) == (0, 2)


def test_review_marks_every_kind_of_disagreement(project):
    store, ids = project
    review = load_review(store, ids.article_1)
    assert review.annotators == ["ana", "ben", "cho"]
    assert described(review) == [
        ("entity", "Militia fighters", (BOUNDARY,)),
        ("event", "attacked", (LABEL, ROLE, ATTRIBUTE)),
        ("entity", "Dorvan market", (LABEL,)),
        ("entity", "Tuesday", (MISSING,)),
    ]
    assert review.agreed == 0


def test_review_prefill_puts_agreed_spans_into_gold_once(project):
    store, ids = project
    applied(store, prefill_gold("rita", ids.article_3))
    assert gold_view(store, ids.article_3) == [
        ("Omar Haddad", "PERSON", "agreed by ben, cho"), ("Teluk", "LOCATION", "agreed by ben, cho")]
    applied(store, prefill_gold("rita", ids.article_3))
    assert len(gold_spans(store, ids.article_3)) == 2
    # Article 2: the agreed event comes with its agreed argument.
    applied(store, prefill_gold("rita", ids.article_2))
    event = next(g.span for g in gold_spans(store, ids.article_2) if g.span.layer is Layer.EVENT)
    [argument] = store.arguments.of_event(event.id)
    assert argument.role == "LOCATION" and store.spans.get(argument.filler_id).annotator == "gold"


def test_review_take_version_records_provenance_and_resolves(project):
    store, ids = project
    review = load_review(store, ids.article_1)
    group, attack, place, date = review.disagreements
    applied(store, take_version("rita", group, "cho", ids.article_1))   # ana marked the same: both named
    applied(store, take_version("rita", place, "ana", ids.article_1))
    applied(store, take_version("rita", date, "cho", ids.article_1))    # cho marked no date: settles it empty
    applied(store, take_version("rita", attack, "ana", ids.article_1))
    assert gold_view(store, ids.article_1) == [
        ("Dorvan market", "LOCATION", "from ana, ben"),
        ("Militia fighters", "ARMED_GROUP", "from ana, cho"),
        ("attacked", "VIOLENCE_AGAINST_CIVILIANS", "from ana"),
    ]
    attack_gold = next(g.span for g in gold_spans(store, ids.article_1) if g.span.layer is Layer.EVENT)
    assert attack_gold.attributes == {"modality": "happened"}
    roles = sorted((a.role, store.spans.get(a.filler_id).text_in(TEXT_1)) for a in store.arguments.of_event(attack_gold.id))
    # The arguments point at the gold spans already there, not at new copies.
    assert roles == [("ACTOR", "Militia fighters"), ("TARGET", "Dorvan market")]
    assert len(gold_spans(store, ids.article_1)) == 3
    assert load_review(store, ids.article_1).open_disagreements == []


def test_review_taking_another_version_replaces_gold_in_the_region(project):
    store, ids = project
    place = load_review(store, ids.article_1).disagreements[2]
    applied(store, take_version("rita", place, "ana", ids.article_1))
    applied(store, take_version("rita", place, "cho", ids.article_1))
    assert gold_view(store, ids.article_1) == [("Dorvan market", "FACILITY", "from cho")]


def test_review_undo_and_redo_keep_ids_and_provenance(project):
    store, ids = project
    review = load_review(store, ids.article_1)
    group, attack = review.disagreements[0], review.disagreements[1]
    first = applied(store, take_version("rita", group, "ben", ids.article_1))
    second = applied(store, take_version("rita", attack, "cho", ids.article_1))
    after = gold_view(store, ids.article_1)
    created = [g.span.id for g in gold_spans(store, ids.article_1)]
    second.revert(store)
    first.revert(store)
    assert gold_spans(store, ids.article_1) == []
    assert len(load_review(store, ids.article_1).open_disagreements) == 4
    first.apply(store)
    second.apply(store)
    assert gold_view(store, ids.article_1) == after
    assert [g.span.id for g in gold_spans(store, ids.article_1)] == created
    second.revert(store)
    assert gold_view(store, ids.article_1) == [("Militia", "ARMED_GROUP", "from ben")]


def test_review_own_span_edit_and_delete(project):
    store, ids = project
    start = TEXT_1.index("Tuesday")
    span_id = applied(store, add_gold_span("rita", ids.article_1, start, start + 7, "DATE", "entity")).result
    edit = applied(store, edit_gold_span("rita", ids.article_1, span_id, label="QUANTITY"))
    assert gold_view(store, ids.article_1) == [("Tuesday", "QUANTITY", "edited by rita")]
    edit.revert(store)
    assert gold_view(store, ids.article_1) == [("Tuesday", "DATE", "edited by rita")]
    removed = applied(store, delete_gold_span("rita", ids.article_1, span_id))
    assert gold_spans(store, ids.article_1) == []
    removed.revert(store)
    assert gold_view(store, ids.article_1) == [("Tuesday", "DATE", "edited by rita")]
    with pytest.raises(ReviewError, match="not in gold"):
        edit_gold_span("rita", ids.article_1, store.spans.for_article(ids.article_1, "ana")[0].id, label="ORG").apply(store)


def test_review_edit_of_a_taken_span_names_what_it_was_based_on(project):
    store, ids = project
    group = load_review(store, ids.article_1).disagreements[0]
    change = applied(store, take_version("rita", group, "ben", ids.article_1))
    applied(store, edit_gold_span("rita", ids.article_1, change.result[0], end_char=len("Militia fighters")))
    assert gold_view(store, ids.article_1) == [("Militia fighters", "ARMED_GROUP", "edited by rita (based on ben)")]


def test_review_finished_gold_is_exported(project, tmp_path):
    store, ids = project
    applied(store, prefill_gold("rita", ids.article_3))
    police = load_review(store, ids.article_3).disagreements[0]
    applied(store, take_version("rita", police, "ben", ids.article_3))
    applied(store, finish_article("rita", ids.article_3))
    assert review_progress(review_queue(store)) == (1, 2)
    export_project(store, tmp_path / "out", format="jsonl", gold=True)
    [written] = list((tmp_path / "out").rglob("*.jsonl"))
    records = [json.loads(line) for line in written.read_text(encoding="utf-8").splitlines()]
    assert [sorted((s["label"], s["start"]) for s in r["spans"]) for r in records] == [
        [("LOCATION", 31), ("ORG", 0), ("PERSON", 16)]]


def test_review_decisions_survive_reopening_the_project(tmp_path):
    path = tmp_path / "p.sqlite"
    with Store.open(path) as store:
        ids = build_three_annotators(store)
        applied(store, take_version("rita", load_review(store, ids.article_1).disagreements[0], "ana", ids.article_1))
    with Store.open(path) as store:
        assert gold_view(store, ids.article_1) == [("Militia fighters", "ARMED_GROUP", "from ana, cho")]
        assert len(load_review(store, ids.article_1).open_disagreements) == 3
        assert any(a["action"] == "gold_take_version" and a["annotator"] == "rita" for a in store.log.entries())


def test_review_refuses_an_article_without_two_done_annotators(project):
    store, ids = project
    with pytest.raises(ReviewError, match="not been marked done by two annotators"):
        load_review(store, ids.article_4)


def test_review_accept_agreed_finishes_articles_outside_the_queue(project, capsys, tmp_path):
    store, ids = project
    agreed = agreed_article_ids(store)
    assert agreed == [ids.article_2]
    edit = applied(store, accept_agreed_articles("rita", agreed))
    assert gold_view(store, ids.article_2) == [("Sela", "LOCATION", "agreed by ana, ben"),
                                              ("killed", "BATTLES", "agreed by ana, ben")]
    assert str(store.states.get(ids.article_2, "gold")[0]) == "done"
    assert agreed_article_ids(store) == []
    # One step, undone whole: the gold and the finished state go again.
    edit.revert(store)
    assert gold_view(store, ids.article_2) == []
    assert str(store.states.get(ids.article_2, "gold")[0]) == "todo"


def test_review_command_lists_queue_and_accepts_agreed(tmp_path, capsys):
    from annotator.cli import main

    db = tmp_path / "cli.sqlite"
    with Store.open(db) as store:
        ids = build_three_annotators(store)
    assert main(["review", "--db", str(db), "--accept-agreed", "rita"]) == 0
    out = capsys.readouterr().out
    assert "put into gold and finished: 1" in out
    assert "reviewed 0 of 2" in out and out.index(f"#{ids.article_1} ") < out.index(f"#{ids.article_3} ")
    assert main(["review", "--db", str(db), "--accept-agreed", "gold"]) == 2
    assert "reserved for the reviewed gold layer" in capsys.readouterr().err


def test_review_queue_includes_an_article_where_only_attributes_differ():
    store = Store.memory()
    text = "Troops withdrew from the ridge."
    article, _ = store.articles.add(text)
    for name, modality in (("ana", "happened"), ("ben", "planned")):
        store.spans.add(article, 7, 15, "STRATEGIC_DEVELOPMENTS", "event", annotator=name,
                        attributes={"modality": modality})
        store.states.set(article, name, "done")
    assert [item.article_id for item in review_queue(store)] == [article]
    [disagreement] = load_review(store, article).disagreements
    assert disagreement.kinds == (ATTRIBUTE,)


def test_review_reviewer_is_not_counted_as_an_annotator_by_agreement(project):
    from annotator.agreement import compute_agreement

    store, ids = project
    applied(store, take_version("rita", load_review(store, ids.article_1).disagreements[0], "ana", ids.article_1))
    assert "rita" in store.annotators.names()  # known to the project through her gold edits
    assert compute_agreement(store).annotators == ["ana", "ben", "cho"]


def test_review_session_announces_each_review_and_whether_it_is_the_one_on_show(project):
    from annotator.review.session import ReviewSession

    store, ids = project
    session = ReviewSession(store, "rita")
    heard = []
    session.article_reviewed.connect(lambda current, same: heard.append((current.article.id, same)))
    session.open(ids.article_1)
    session.open(ids.article_1)  # read again after a step: the views keep their place
    session.open(ids.article_2)
    assert heard == [(ids.article_1, False), (ids.article_1, True), (ids.article_2, False)]
    assert session.current.article.id == ids.article_2
