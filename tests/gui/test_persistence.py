"""Nothing lost: a restart, a second window on the same file, and a killed process."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

from conftest import activate, open_test_window
from fixtures import REPORT, find
from PySide6.QtCore import Qt

from annotator import config
from annotator.domain import ArticleState, Status
from annotator.store import Store

DRIVER = Path(__file__).with_name("drive_window.py")


def test_persistence_restart_returns_to_the_article_with_every_action(qtbot, project, answers):
    path, ids = project
    window = open_test_window(qtbot, path)
    c = window.controller
    c.open_article(ids["plain1"])
    c.open_article(ids["report"])
    c.select(ids["brigade"])
    qtbot.keyClick(window.view, Qt.Key_A)
    start, end = find(REPORT, "Red Cross")
    window.view.select_offsets(start, end)
    qtbot.keyClick(window.view, Qt.Key_O)
    c.open_article(ids["plain2"])
    window.close()
    window.store.close()

    again = open_test_window(qtbot, path)
    assert again.controller.session.article.id == ids["plain2"]
    mine = [s for s in again.store.spans.for_article(ids["report"], "ana") if not s.is_suggestion]
    assert sorted((s.label, s.text_in(REPORT)) for s in mine) == [("ARMED_GROUP", "58th Brigade"), ("ORG", "Red Cross")]
    assert again.store.states.get(ids["report"], "ana")[2] > 0  # time on the article was kept
    again.close()
    again.store.close()


def test_persistence_first_start_asks_for_the_annotator(qtbot, project, answers):
    path, _ids = project
    from annotator.gui.app import open_window

    answers.append("  Dana ")
    window = open_window(path, config.Preferences())
    qtbot.addWidget(window)
    assert window.controller.session.annotator == "Dana"
    assert config.Preferences.load().annotator == "Dana"
    window.store.close()
    answers.append(None)  # cancelling the question opens nothing
    assert open_window(path, config.Preferences()) is None


def test_persistence_first_start_offers_the_login_name_and_asks_again_when_empty(qtbot, project, monkeypatch):
    from annotator.gui import dialogs
    from annotator.gui.app import open_window

    monkeypatch.setattr(config, "login_name", lambda: "dkovalenko")
    questions = []
    replies = ["   ", "Dana K"]  # OK on an emptied field, then a name typed

    def fake_ask(parent, title, prompt, **kwargs):
        questions.append((prompt, kwargs.get("default")))
        return replies.pop(0)

    monkeypatch.setattr(dialogs, "ask", fake_ask)
    window = open_window(project[0], config.Preferences())
    assert window is not None  # an empty name no longer closes the app
    qtbot.addWidget(window)
    assert questions[0][1] == "dkovalenko"  # the login name is offered first
    assert "A name is needed" in questions[1][0]
    assert window.controller.session.annotator == "Dana K"
    window.store.close()


def test_persistence_second_window_sees_the_first_windows_edits(qtbot, project, answers):
    path, ids = project
    first = open_test_window(qtbot, path, "ana")
    second = open_test_window(qtbot, path, "ana")
    assert first.controller.watcher.polling() and second.controller.watcher.polling()
    activate(qtbot, first)
    first.controller.select(ids["brigade"])
    qtbot.keyClick(first.view, Qt.Key_A)
    # The second window notices the file changed (its timer calls this) and shows the decision.
    assert second.controller.check_external_changes()
    assert ids["brigade"] not in second.view.shown_span_ids()
    # Both write: the second window's action lands next to the first's.
    activate(qtbot, second)
    second.controller.select(ids["plant"])
    qtbot.keyClick(second.view, Qt.Key_X)
    assert first.controller.check_external_changes()
    statuses = {s.suggestion_id: s.status for s in first.store.spans.for_article(ids["report"], "ana") if not s.is_suggestion}
    assert statuses == {ids["brigade"]: Status.ACCEPTED, ids["plant"]: Status.REJECTED}
    assert not first.controller.check_external_changes()  # nothing new: no needless refresh
    for window in (first, second):
        window.close()
        window.store.close()


def test_persistence_sigkill_loses_no_completed_action(tmp_path, project):
    path, ids = project
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "ANNOTATOR_HOME": str(tmp_path / "driver-home")}
    process = subprocess.Popen([sys.executable, str(DRIVER), str(path)], stdout=subprocess.PIPE, text=True, env=env)
    done = []
    try:
        for line in process.stdout:
            if line.startswith("did "):
                done.append(json.loads(line[4:]))
            if line.startswith("waiting"):
                break
        else:
            raise AssertionError(f"the driver ended early (status {process.wait()})")
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait()
    assert process.returncode == -signal.SIGKILL
    assert len(done) == 5
    with Store.open(path) as store:
        mine = {s.id: s for s in store.spans.for_article(ids["report"], "driver") if not s.is_suggestion}
        assert mine[done[0]["span"]].label == "ARMED_GROUP"
        assert mine[done[1]["span"]].status is Status.REJECTED
        assert (mine[done[2]["span"]].label, mine[done[2]["span"]].text_in(REPORT)) == ("ORG", "Red Cross")
        assert [a.role for a in store.arguments.of_event(done[3]["event"])] == ["ACTOR"]
        assert store.states.get(ids["report"], "driver")[0] is ArticleState.DONE
        actions = [a["action"] for a in store.log.entries(ids["report"]) if a["annotator"] == "driver"]
        assert actions[:3] == ["accept", "reject", "add_span"]
    # Starting again would return to the article the killed window was on (the next one after "done").
    preferences = config.Preferences.load(tmp_path / "driver-home" / "config" / "preferences.json")
    assert preferences.last_article[str(path.resolve())] == ids["tricky"]
