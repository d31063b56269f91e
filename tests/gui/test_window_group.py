"""Issue 18, item 2 (part): one undo group over the project's windows, the review and events windows'
keys in the one action table (F1 lists them), and switching annotator saying what happens to undo."""

from __future__ import annotations

from conftest import activate
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableWidget


def help_rows(window, qtbot):
    qtbot.keyClick(window.view, Qt.Key_F1)
    table = window.shortcuts_dialog.findChild(QTableWidget)
    return [tuple(table.item(r, c).text() for c in range(3)) for r in range(table.rowCount())]


def test_window_group_f1_lists_the_review_and_events_windows_keys(window, qtbot):
    rows = help_rows(window, qtbot)
    assert ("Review window", "Take version 1–9 into gold", "1–9") in rows
    assert ("Review window", "Finish the article (gold done) and open the next", "Ctrl+Return, Ctrl+Enter") in rows
    assert ("Events window", "Confirm the selected event", "C") in rows
    assert ("Events window", "Close the window", "Esc, Ctrl+W") in rows


def test_window_group_edit_undo_follows_the_active_window(window, qtbot):
    from fixtures import REPORT, find

    window.view.select_offsets(*find(REPORT, "hospital"))
    qtbot.keyClick(window.view, Qt.Key_F)
    window.show_review()
    review = window.review_window
    qtbot.waitExposed(review)
    review.activateWindow()
    qtbot.waitUntil(review.isActiveWindow, timeout=3000)
    assert window.undo_group.activeStack() is review.undo_stack
    assert not window.undo_group.canUndo()  # the review has no history yet: Edit → Undo does nothing
    review.close()
    activate(qtbot, window)
    assert window.undo_group.activeStack() is window.controller.undo_stack
    window.actions["undo"].trigger()
    assert [s for s in window.store.spans.for_article(window.controller.session.article.id, "ana") if not s.is_suggestion] == []


def test_window_group_switching_annotator_says_the_history_is_gone(window, qtbot, answers, project):
    _path, ids = project
    window.controller.select(ids["brigade"])
    qtbot.keyClick(window.view, Qt.Key_A)
    said = []
    window.controller.message.connect(said.append)
    answers.append("ben")
    qtbot.keyClick(window.view, Qt.Key_N, Qt.ControlModifier | Qt.ShiftModifier)
    assert window.controller.session.annotator == "ben"
    assert any("ana's 1 edit(s)" in text and "no longer be undone" in text for text in said), said
