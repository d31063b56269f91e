"""What the span panel says about a suggestion's score: an event the trigger rules found says so and
shows no number (it showed "score 0.00": the learned trigger model's probability for a word it barely
knew, shown as the rule's confidence); a span with a score shows it. The real suggester writes the
suggestions of an invented report; the panel is driven as a user drives it."""

from __future__ import annotations

from conftest import open_test_window
from PySide6.QtCore import Qt

from annotator.domain import Layer, Origin, Status
from annotator.store import Store
from annotator.suggest import shared_suggester, suggest_articles

REPORT = "A drone strike hit a fuel depot near Kherson on Monday, officials said."


def select_in_panel(window, span_id: int) -> str:
    """Select a span by its row in the panel's table; the panel's details text."""
    window.span_panel.table.selectRow(window.span_panel.model.row_of(span_id))
    assert window.controller.session.selected == span_id
    return window.span_panel.details.text()


def test_a_rule_trigger_says_rule_and_no_score_and_a_scored_span_its_score(qtbot, tmp_path, home, answers):
    path = tmp_path / "scores.sqlite"
    with Store.open(path) as store:
        article, _ = store.articles.add(REPORT, title="Depot hit")
        suggester = shared_suggester()
        assert suggester.finder.model is not None  # the learned trigger model takes part
        suggest_articles(store, [article], suggester=suggester)
        [strike] = [s for s in store.spans.for_article(article, None)
                    if s.layer is Layer.EVENT and s.text_in(REPORT) == "strike"]
        start = REPORT.index("officials")
        scored = store.spans.add(article, start, start + len("officials"), "ORG", Layer.ENTITY, annotator=None,
                                 origin=Origin.SUGGESTED, status=Status.PENDING,
                                 source="conflict-suggester@1.7/test+learned-v0001", score=0.83)
    assert strike.score is None

    window = open_test_window(qtbot, path)
    details = select_in_panel(window, strike.id)
    assert "trigger rule, no score" in details and "score 0" not in details
    tooltip = window.span_panel.model.data(window.span_panel.table.currentIndex(), Qt.ToolTipRole)
    assert "trigger rule, no score" in tooltip
    assert "score 0.83" in select_in_panel(window, scored)
    window.close()
