"""Learning from the window: it runs off the GUI thread (the window answers keys meanwhile), shows the
new version's scores, and says why when there is nothing to learn from."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPlainTextEdit

from annotator.store import Store

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from conftest import open_test_window  # noqa: E402
from learn_fixtures import build_team_project, learn_fast  # noqa: E402
from test_learn import ARTICLES  # noqa: E402


@pytest.fixture
def team_project(tmp_path, home, monkeypatch):
    learn_fast(monkeypatch)
    return build_team_project(tmp_path / "team.sqlite", "Major Dagny Roos said rebels bombarded Drumlin on Tuesday.")


def test_learn_action_runs_off_the_gui_thread_and_shows_the_scores(qtbot, team_project, answers):
    window = open_test_window(qtbot, team_project)
    window.controller.open_article(len(ARTICLES) + 1)
    with qtbot.waitSignal(window.learner.finished, timeout=120000) as done:
        window.actions["learn"].trigger()
        assert window.learner.running and window.learn_progress.isVisible()
        # The window answers while the model trains: a label key on selected text makes a span now.
        text = window.controller.session.article.text
        start = text.index("Drumlin")
        window.view.select_offsets(start, start + len("Drumlin"))
        qtbot.keyClick(window.view, Qt.Key_L)
        assert [s.label for s in window.controller.session.spans if not s.is_suggestion] == ["LOCATION"]
        assert window.learner.running, "the span was made while learning was still under way"
    assert done.args[0].version.name == "v0001"
    shown = window.learn_dialog.findChild(QPlainTextEdit).toPlainText()
    assert "v0001: learned from" in shown and "entity:PERSON" in shown and "F1 before" in shown
    assert not window.learn_progress.isVisible()
    with Store.open(team_project) as store:
        assert [row["version"] for row in store.learned.versions()] == ["v0001"]
    window.close()
    window.store.close()


def test_learn_action_with_nothing_finished_says_why(qtbot, project, answers):
    path, _ids = project
    window = open_test_window(qtbot, path)
    with qtbot.waitSignal(window.learner.failed, timeout=60000):
        window.actions["learn"].trigger()
    assert window.statusBar().currentMessage().startswith("Not learned:")
    window.close()
    window.store.close()
