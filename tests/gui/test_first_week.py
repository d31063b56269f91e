"""Issue 17's first-week troubles, each through the real widgets: linking to a suggested event keeps
its suggested arguments, Shift+Tab steps back, Delete removes an accepted suggestion in one step, a
span drawn over a pending suggestion settles it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextDocument

from annotator.model import Status


def own_spans(window, article_id=None):
    article_id = article_id or window.controller.article.id
    return [s for s in window.store.spans_for(article_id, "ana") if not s.is_suggestion]


def select_text(window, needle: str) -> None:
    cursor = window.view.document().find(needle, 0, QTextDocument.FindCaseSensitively)
    assert not cursor.isNull(), needle
    window.view.setTextCursor(cursor)


def roles_of(window, event_id):
    store = window.store
    text = window.controller.article.text
    return sorted((a.role, store.get_span(a.filler_id).text_in(text)) for a in store.arguments_of(event_id))


def test_first_week_linking_to_a_suggested_event_keeps_its_suggested_arguments(window, qtbot, project):
    _path, ids = project
    c = window.controller
    c.select(ids["fire"])  # a pending event suggestion with TARGET and LOCATION suggested
    c.select(ids["brigade"])
    qtbot.keyClick(window.view, Qt.Key_1)  # ACTOR
    [event] = [s for s in own_spans(window) if s.suggestion_id == ids["fire"]]
    assert event.status is Status.ACCEPTED
    assert roles_of(window, event.id) == [("ACTOR", "58th Brigade"), ("LOCATION", "Velyka Dolyna"),
                                          ("TARGET", "municipal water plant")]
    # As plain A: the fillers are the annotator's accepted copies, not the shared suggestions.
    assert all(window.store.get_span(a.filler_id).annotator == "ana" for a in window.store.arguments_of(event.id))
    window.actions["undo"].trigger()  # one step: the event, its arguments and the new link go together
    assert own_spans(window) == []
    assert ids["fire"] in window.view.shown_span_ids()


def test_first_week_linking_a_filler_already_suggested_for_the_event_adds_only_the_new_role(window, qtbot, project):
    _path, ids = project
    c = window.controller
    c.select(ids["fire"])
    c.select(ids["town"])  # already the suggested LOCATION; now the ACTOR too
    qtbot.keyClick(window.view, Qt.Key_1)
    [event] = [s for s in own_spans(window) if s.suggestion_id == ids["fire"]]
    assert roles_of(window, event.id) == [("ACTOR", "Velyka Dolyna"), ("LOCATION", "Velyka Dolyna"),
                                          ("TARGET", "municipal water plant")]
    assert len([s for s in own_spans(window) if s.suggestion_id == ids["town"]]) == 1


def test_first_week_shift_tab_steps_back_through_the_spans(window, qtbot):
    c = window.controller
    qtbot.keyClick(window.view, Qt.Key_Tab)
    qtbot.keyClick(window.view, Qt.Key_Tab)
    second = c.selected
    qtbot.keyClick(window.view, Qt.Key_Tab)
    assert c.selected != second
    qtbot.keyClick(window.view, Qt.Key_Backtab, Qt.ShiftModifier)  # what Shift+Tab delivers
    assert c.selected == second


@pytest.mark.skipif(not (shutil.which("xvfb-run") and shutil.which("xdotool")),
                    reason="needs xvfb and xdotool (.ci/run installs them)")
def test_first_week_shift_tab_on_a_real_x_server_steps_back(tmp_path):
    env = {**os.environ, "QT_QPA_PLATFORM": "xcb", "ANNOTATOR_HOME": str(tmp_path / "home")}
    done = subprocess.run(["xvfb-run", "-a", "-s", "-screen 0 1366x768x24", sys.executable,
                           str(Path(__file__).with_name("drive_keys_xcb.py"))],
                          capture_output=True, text=True, timeout=120, env=env)
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    first, second, third, back, back_again = result["selected"]
    assert len({first, second, third}) == 3
    assert (back, back_again) == (second, first)
    assert not [w for w in result["warnings"] if "Ambiguous" in w]
