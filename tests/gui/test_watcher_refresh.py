"""Spans written by another connection (a second window, a suggestion run) appear in the window
without re-reading the article's other spans."""

from __future__ import annotations

from fixtures import REPORT, find

from annotator.domain import Layer, Origin, Status
from annotator.store import Store


def test_watcher_refresh_shows_another_connections_span_without_a_full_reload(window, project, monkeypatch):
    path, ids = project
    c = window.controller
    before = set(window.view.shown_span_ids())
    full_reads = []
    original = type(window.store.spans).for_article

    def counting_spans_for(spans, article_id, annotator=None, *, within=None):
        if within is None:
            full_reads.append(article_id)
        return original(spans, article_id, annotator, within=within)

    monkeypatch.setattr(type(window.store.spans), "for_article", counting_spans_for)
    with Store.open(path) as other:  # what a suggestion run or a second window does
        start, end = find(REPORT, "drones")
        added = other.spans.add(ids["report"], start, end, "WEAPON", Layer.ENTITY, annotator=None,
                                origin=Origin.SUGGESTED, status=Status.PENDING)
        other.spans.delete(ids["town"])
    assert c.check_external_changes()
    shown = set(window.view.shown_span_ids())
    assert shown == (before | {added}) - {ids["town"]}
    assert added in {s.id for s in window.span_panel.model.spans}
    assert ids["town"] not in {s.id for s in window.span_panel.model.spans}
    assert full_reads == []  # only what changed was read


def test_the_view_and_the_panel_follow_the_session_without_the_controller(window, project):
    """A change made through the session alone (no controller call) reaches the text and the panel."""
    path, ids = project
    session = window.controller.session
    with Store.open(path) as other:
        start, end = find(REPORT, "drones")
        added = other.spans.add(ids["report"], start, end, "WEAPON", Layer.ENTITY, annotator=None,
                                origin=Origin.SUGGESTED, status=Status.PENDING)
    session.refresh()
    assert added in window.view.shown_span_ids()
    assert added in {s.id for s in window.span_panel.model.spans}
    session.select(added)
    assert window.view.selected_span_id == added
    assert "WEAPON" in window.span_panel.details.text() and "drones" in window.span_panel.details.text()
    session.select(ids["fire"])  # an event: the panel lists its roles with their fillers' text
    roles = [window.span_panel.arguments.item(i).text() for i in range(window.span_panel.arguments.count())]
    assert any(r.startswith("TARGET:") and "municipal water plant" in r for r in roles)
