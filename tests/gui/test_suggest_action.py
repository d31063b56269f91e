"""Suggest from the window: the run happens in a worker thread on its own connection, and the
window shows the new suggestions when it ends. The spaCy suggester itself is tested elsewhere
and takes tens of seconds to load, so these tests give the worker a small stand-in run."""

from __future__ import annotations

import threading
from types import SimpleNamespace

from fixtures import REPORT, find
from PySide6.QtCore import Qt

from annotator.domain import Layer, Origin, Status


def summary(**values):
    base = dict(articles=1, added=1, skipped=0, stopped=False, warning=None)
    return SimpleNamespace(**{**base, **values})


def test_suggest_action_runs_off_the_gui_thread_and_refreshes(window, qtbot, project):
    _path, ids = project
    calls = []

    def run(store, article_ids, *, model, redo, progress, should_stop):
        calls.append((threading.get_ident(), article_ids, redo, store is not window.store))
        start, end = find(REPORT, "Thursday")
        store.spans.add(article_ids[0], start, end, "DATE", Layer.ENTITY, annotator=None,
                        origin=Origin.SUGGESTED, status=Status.PENDING, source="stand-in")
        progress(1, 1)
        return summary()

    window.suggester._run = run
    before = set(window.view.shown_span_ids())
    with qtbot.waitSignal(window.suggester.ended, timeout=5000):
        qtbot.keyClick(window.view, Qt.Key_G, Qt.ControlModifier)
    [(thread, article_ids, redo, own_connection)] = calls
    assert thread != threading.get_ident() and own_connection
    assert article_ids == [ids["report"]] and redo
    added = set(window.view.shown_span_ids()) - before
    assert len(added) == 1
    assert window.controller.session.spans_by_id[added.pop()].text_in(REPORT) == "Thursday"
    assert "1 new suggestion" in window.statusBar().currentMessage()
    assert window.suggest_progress.isHidden()


def test_suggest_action_stops_when_asked(window, qtbot):
    started = threading.Event()

    def run(store, article_ids, *, model, redo, progress, should_stop):
        started.set()
        done = 0
        while not should_stop():
            done += 1
            progress(done, 1000)
            threading.Event().wait(0.005)
        return summary(articles=done, added=0, stopped=True)

    window.suggester._run = run
    window.actions["suggest_all"].trigger()
    assert started.wait(5)
    assert window.actions["suggest_stop"].isEnabled()
    with qtbot.waitSignal(window.suggester.ended, timeout=5000):
        window.actions["suggest_stop"].trigger()
    assert "stopped early" in window.statusBar().currentMessage()


def test_suggest_action_reports_a_failure(window, qtbot):
    def run(store, article_ids, **kwargs):
        raise OSError("model folder not readable")

    window.suggester._run = run
    with qtbot.waitSignal(window.suggester.ended, timeout=5000):
        window.actions["suggest_all"].trigger()
    assert "model folder not readable" in window.statusBar().currentMessage()


def test_suggest_action_a_new_default_project_is_suggested_at_first_start(qtbot, home, answers):
    from annotator import config
    from annotator.gui.app import open_window

    answers.append("olena")  # the welcome question
    window = open_window(config.default_db_path())
    asked = []

    def run(store, article_ids, *, model, redo, progress, should_stop):
        asked.append(article_ids)
        progress(1, 1)
        return summary()

    window.suggester._run = run
    with qtbot.waitSignal(window.suggester.ended, timeout=5000):
        window.start()
    assert asked == [None], "every sample article is suggested, in the background"
    assert window.store.articles.count() >= 5
    window.close()
    window.store.close()


def test_suggest_action_names_the_articles_that_failed_in_a_window(window, qtbot, project, answers):
    _path, ids = project

    def run(store, article_ids, *, model, redo, progress, should_stop):
        progress(2, 2)
        return summary(articles=1, failed=[(ids["tricky"], "ValueError: E088 text too long")], in_pieces=[])

    window.suggester._run = run
    with qtbot.waitSignal(window.suggester.ended, timeout=10000):
        window.actions["suggest_all"].trigger()
    assert "1 article(s) failed: #%d" % ids["tricky"] in window.statusBar().currentMessage()
    assert any(f"Article #{ids['tricky']}: ValueError: E088" in asked for asked in answers.asked)
