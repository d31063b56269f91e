"""`annotator accept` leaves the same rows as Shift+A and Ctrl+Return pressed in the window."""

from __future__ import annotations

import sqlite3

from conftest import open_test_window
from fixtures import build_project
from PySide6.QtCore import Qt

from annotator.cli import main
from annotator.store import Store

# Time stamps and the time spent differ between any two runs; everything else must be equal.
VARYING = {"at", "created_at", "updated_at", "seconds", "changed_at"}


def rows(path, table: str, article_column: str, article_id: int) -> list[dict]:
    connection = sqlite3.connect(path)
    connection.row_factory = sqlite3.Row
    try:
        found = [dict(r) for r in connection.execute(
            f"SELECT * FROM {table} WHERE {article_column} = ? ORDER BY rowid", [article_id])]
    finally:
        connection.close()
    return [{k: v for k, v in row.items() if k not in VARYING} for row in found]


def arguments(path, article_id: int) -> list[dict]:
    connection = sqlite3.connect(path)
    connection.row_factory = sqlite3.Row
    try:
        found = [dict(r) for r in connection.execute(
            "SELECT a.* FROM arguments a JOIN spans s ON s.id = a.event_id WHERE s.article_id = ? ORDER BY a.id",
            [article_id])]
    finally:
        connection.close()
    return [{k: v for k, v in row.items() if k not in VARYING} for row in found]


def contents(path, article_id: int) -> dict:
    return {
        "spans": rows(path, "spans", "article_id", article_id),
        "arguments": arguments(path, article_id),
        "states": rows(path, "article_states", "article_id", article_id),
        "actions": rows(path, "actions", "article_id", article_id),
    }


def test_accept_done_stores_what_shift_a_and_ctrl_return_store(qtbot, tmp_path, home, answers, capsys):
    by_window, by_command = tmp_path / "window.sqlite", tmp_path / "command.sqlite"
    for path in (by_window, by_command):
        with Store.open(path) as store:
            ids = build_project(store)
    report = ids["report"]

    window = open_test_window(qtbot, by_window)
    try:
        assert window.controller.session.article.id == report
        qtbot.keyClick(window.view, Qt.Key_A, Qt.ShiftModifier)
        qtbot.keyClick(window.view, Qt.Key_Return, Qt.ControlModifier)
        assert window.controller.session.article.id != report  # done and next
    finally:
        window.close()
        window.store.close()

    assert main(["--db", str(by_command), "accept", "--annotator", "ana", "--article", str(report), "--done"]) == 0
    assert "7 suggestions accepted on 1 of 1 articles" in capsys.readouterr().out

    from_window, from_command = contents(by_window, report), contents(by_command, report)
    assert len([s for s in from_window["spans"] if s["annotator_id"] is not None]) == 7
    assert len(from_window["arguments"]) == 4  # the suggested event's two links and the accepted copy's two
    assert [a["action"] for a in from_window["actions"]].count("accept_all") == 1
    assert from_command == from_window
