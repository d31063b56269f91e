"""File → Export, Review → Agreement and Review → gold, reached from the main window's menus."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt

from annotator.domain import ArticleState, Status


def trigger(window, name):
    window.actions[name].trigger()


def test_menus_export_writes_the_annotators_done_articles(qtbot, window, tmp_path):
    store = window.store
    report = store.articles.list("ana", search="Velyka")[0].id
    fire = next(s for s in store.spans.for_article(report, "ana") if s.label == "EXPLOSIONS_REMOTE_VIOLENCE")
    store.suggestions.decide(fire.id, "ana", Status.ACCEPTED)
    store.states.set(report, "ana", ArticleState.DONE)
    trigger(window, "export")
    dialog = window.export_dialog
    assert dialog.isVisible() and dialog.whose.currentText() == "ana"
    dialog.format.setCurrentText("jsonl")
    dialog.folder.setText(str(tmp_path / "out"))
    with qtbot.waitSignal(dialog.exportEnded, timeout=20_000):  # the export runs in the background
        dialog.export_button.click()
    assert "exported 1 article of ana as jsonl" in dialog.result.toPlainText()
    records = [json.loads(line) for line in (tmp_path / "out").glob("*.jsonl").__next__().read_text().splitlines()]
    labels = {span["label"] for span in records[0]["spans"]}
    assert labels == {"EXPLOSIONS_REMOTE_VIOLENCE", "FACILITY", "LOCATION"}  # the event and its arguments
    assert {r["label"] for r in records[0]["relations"]} == {"TARGET", "LOCATION"}


def test_menus_export_error_is_shown_not_lost(qtbot, window, tmp_path):
    trigger(window, "export")
    dialog = window.export_dialog
    dialog.split.setText("train=lots")
    dialog.folder.setText(str(tmp_path / "out"))
    with qtbot.waitSignal(dialog.exportEnded, timeout=20_000):
        dialog.run_export()
    assert dialog.result.toPlainText().startswith("Not exported:")
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_menus_open_agreement_and_review_windows(qtbot, window):
    trigger(window, "agreement")
    assert window.agreement_window.isVisible()
    trigger(window, "review")
    assert window.review_window.isVisible()
    assert "ana" in window.review_window.windowTitle()
    for name in ("export", "agreement", "review"):
        assert window.actions[name].property("menu") in ("&File", "&Review")


def test_menus_double_click_in_agreement_window_opens_the_article(qtbot, window):
    from test_window_helpers import finish_by_two

    store = window.store
    article = finish_by_two(store)
    trigger(window, "agreement")
    agreement = window.agreement_window
    qtbot.waitUntil(lambda: agreement.article_model.rowCount() > 0, timeout=10000)
    assert window.controller.session.article.id != article
    agreement.tabs.setCurrentWidget(agreement.article_table)
    table = agreement.article_table
    where = table.visualRect(agreement.article_model.index(0, 0)).center()
    qtbot.mouseClick(table.viewport(), Qt.LeftButton, pos=where)
    qtbot.mouseDClick(table.viewport(), Qt.LeftButton, pos=where)  # the second press of a double-click
    assert window.controller.session.article.id == article


def test_menus_events_window_opens_an_event_in_the_annotation_window(qtbot, window):
    store = window.store
    report = store.articles.list("ana", search="Velyka")[0].id
    fire = next(s for s in store.spans.for_article(report, "ana") if s.label == "EXPLOSIONS_REMOTE_VIOLENCE")
    [mine, *_] = store.suggestions.decide(fire.id, "ana", Status.ACCEPTED)
    store.states.set(report, "ana", ArticleState.DONE)
    window.controller.open_article(store.articles.list("ana", search="ceasefire")[0].id)
    trigger(window, "events")
    events = window.events_window
    assert events.groups.rowCount() == 1
    events.reports_view.doubleClicked.emit(events.reports.index(0, 0))
    assert window.controller.session.article.id == report and window.controller.session.selected == mine
