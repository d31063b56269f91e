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

from annotator.domain import Status


def own_spans(window, article_id=None):
    article_id = article_id or window.controller.session.article.id
    return [s for s in window.store.spans.for_article(article_id, "ana") if not s.is_suggestion]


def select_text(window, needle: str) -> None:
    cursor = window.view.document().find(needle, 0, QTextDocument.FindCaseSensitively)
    assert not cursor.isNull(), needle
    window.view.setTextCursor(cursor)


def roles_of(window, event_id):
    store = window.store
    text = window.controller.session.article.text
    return sorted((a.role, store.spans.get(a.filler_id).text_in(text)) for a in store.arguments.of_event(event_id))


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
    assert all(window.store.spans.get(a.filler_id).annotator == "ana" for a in window.store.arguments.of_event(event.id))
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
    second = c.session.selected
    qtbot.keyClick(window.view, Qt.Key_Tab)
    assert c.session.selected != second
    qtbot.keyClick(window.view, Qt.Key_Backtab, Qt.ShiftModifier)  # what Shift+Tab delivers
    assert c.session.selected == second


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


def test_first_week_delete_removes_an_accepted_suggestion_in_one_step(window, qtbot, project):
    _path, ids = project
    c = window.controller
    c.select(ids["brigade"])
    qtbot.keyClick(window.view, Qt.Key_A)
    [copy] = [s for s in own_spans(window) if s.suggestion_id == ids["brigade"]]
    c.select(copy.id)
    qtbot.keyClick(window.view, Qt.Key_Delete)
    [copy] = [s for s in own_spans(window) if s.suggestion_id == ids["brigade"]]
    assert copy.status is Status.REJECTED  # decided, so it does not come back pending
    assert ids["brigade"] not in window.view.shown_span_ids()
    assert c.session.selected == copy.id  # the selection stays where the annotator was
    qtbot.keyClick(window.view, Qt.Key_A, Qt.ShiftModifier)  # accept all: the removed one stays out
    assert window.store.spans.get(copy.id).status is Status.REJECTED
    assert len([s for s in own_spans(window) if s.suggestion_id == ids["brigade"]]) == 1
    window.actions["undo"].trigger()  # accept all
    window.actions["undo"].trigger()  # the removal, in one step
    assert window.store.spans.get(copy.id).status is Status.ACCEPTED


def test_first_week_delete_of_an_accepted_event_takes_its_links_along(window, qtbot, project):
    _path, ids = project
    c = window.controller
    c.select(ids["fire"])
    qtbot.keyClick(window.view, Qt.Key_A)
    [event] = [s for s in own_spans(window) if s.suggestion_id == ids["fire"]]
    assert len(window.store.arguments.of_event(event.id)) == 2
    c.select(event.id)
    qtbot.keyClick(window.view, Qt.Key_Delete)
    assert window.store.spans.get(event.id).status is Status.REJECTED
    assert window.store.arguments.of_event(event.id) == []
    window.actions["undo"].trigger()
    assert len(window.store.arguments.of_event(event.id)) == 2


def test_first_week_a_span_drawn_over_a_pending_suggestion_settles_it(window, qtbot, project):
    _path, ids = project
    select_text(window, "58th Brigade said")  # wider than the suggested ARMED_GROUP "58th Brigade"
    qtbot.keyClick(window.view, Qt.Key_O)  # ORG
    mine = [s for s in own_spans(window) if s.suggestion_id is None]
    assert [s.label for s in mine] == ["ORG"]
    [settled] = [s for s in own_spans(window) if s.suggestion_id == ids["brigade"]]
    assert settled.status is Status.REJECTED
    assert ids["brigade"] not in window.view.shown_span_ids()
    qtbot.keyClick(window.view, Qt.Key_A, Qt.ShiftModifier)
    assert window.store.spans.get(settled.id).status is Status.REJECTED  # Shift+A did not take it too
    window.actions["undo"].trigger()
    window.actions["undo"].trigger()  # the span and the settling go together
    assert own_spans(window) == []
    assert ids["brigade"] in window.view.shown_span_ids()
