"""The window while other programs write the same project file (issue 17, showstopper 3): an
`annotator import` run again and again, and a process that holds the write lock for up to 1.5 s at a
time. The window is driven by keys the whole while. Nothing the annotator did may be lost, nothing may
raise, and the window's thread may not stop for more than 100 ms but once, and never for as long as a
lock hold (a 10 ms heartbeat timer measures it; time the thread only waited for a core, which is the
machine's load, is measured apart and left out).

The duration is ANNOTATOR_PRESSURE_SECONDS (default 12, so the suite stays quick); the issue's 60-second
run: ANNOTATOR_PRESSURE_SECONDS=60 pytest -s tests/gui/test_concurrent_writers.py
"""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

from conftest import open_test_window
from PySide6.QtCore import Qt, QTimer

from annotator import config
from annotator.domain import ArticleState, Layer, Origin, Status
from annotator.store import Store

SECONDS = float(os.environ.get("ANNOTATOR_PRESSURE_SECONDS", "12"))
PRESSURE = Path(__file__).with_name("write_pressure.py")
PLACES = ("Lakeport", "Hillcrest", "Novi Brod", "Eastmoor", "Saltwick", "Redford", "Karsk", "Olmen")


def invented_article(n: int) -> str:
    places = [PLACES[(n + k) % len(PLACES)] for k in range(6)]
    return (f"Officials in {places[0]} said patrols from {places[1]} reached {places[2]} on day {n}, "
            f"while traders from {places[3]} and {places[4]} waited near {places[5]} for the road to open.")


def waited_for_a_core() -> float:
    """Seconds this thread has spent ready to run but waiting for a core (Linux's per-thread
    scheduler statistics; 0 where there are none, which makes the bound below stricter, not looser)."""
    try:
        with open(f"/proc/self/task/{threading.get_native_id()}/schedstat") as stats:
            return int(stats.read().split()[1]) / 1e9
    except (OSError, IndexError, ValueError):
        return 0.0


class Heartbeat:
    """A 10 ms timer on the window's thread. A gap between its ticks is the window's thread working,
    waiting (for a lock, a disk) or waiting for a core. The last is the machine's load, not the
    window's doing - on a shared machine it alone can take 100 ms - so it is measured apart and left
    out of the block: the longest block is the longest gap less its wait for a core."""

    def __init__(self):
        self.last, self.last_queued = time.perf_counter(), waited_for_a_core()
        self.blocks: list[tuple[float, float]] = []  # (gap, of which waiting for a core)
        self.timer = QTimer(interval=10)
        self.timer.timeout.connect(self.tick)
        self.timer.start()

    def tick(self) -> None:
        now, queued = time.perf_counter(), waited_for_a_core()
        self.blocks.append((now - self.last, queued - self.last_queued))
        self.last, self.last_queued = now, queued

    def stop(self) -> tuple[float, float, float]:
        """The longest block, and the whole gap and its wait for a core it came from."""
        self.timer.stop()
        gap, queued = max(self.blocks, key=lambda block: block[0] - block[1])
        return gap - queued, gap, queued

    def second_longest(self) -> float:
        """The second longest block: a window that waited for the other program's lock would stop at
        each of its holds (several in a run), while one stall of the machine (a disk flush of another
        program's) stops it once."""
        blocks = sorted((gap - queued for gap, queued in self.blocks), reverse=True)
        return blocks[1] if len(blocks) > 1 else 0.0


def test_concurrent_writers_lose_no_window_action_and_never_block_it(qtbot, tmp_path, home, answers):
    path = tmp_path / "busy.sqlite"
    with Store.open(path) as store:
        for n in range(400):
            article_id, _ = store.articles.add(invented_article(n), title=f"Day {n}")
            start = invented_article(n).index("Officials")
            store.spans.add(article_id, start, start + len("Officials"), "PERSON", Layer.ENTITY, annotator=None,
                            origin=Origin.SUGGESTED, status=Status.PENDING, source="test-suggester 1.0", score=0.8)
    window = open_test_window(qtbot, path)
    c, view = window.controller, window.view
    env = {**os.environ, "ANNOTATOR_HOME": str(home)}
    writers = [subprocess.Popen([sys.executable, str(PRESSURE), mode, str(path), str(SECONDS)], env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
               for mode in ("hold", "import")]
    expected_spans: set[tuple[int, int, int, str]] = set()
    undone_spans: set[tuple[int, int, int, str]] = set()
    accepted: set[int] = set()  # suggestions accepted
    done: set[int] = set()
    actions = waited = 0
    # The window's process holds only the window; this one also holds what earlier tests left (other
    # windows, suggesters loaded without the window's cache, which keeps its suggester out of the
    # collector's walks). A full collection walking all of that would stop this thread for the
    # suite's sake, not the window's: it is collected now and set aside until the test ends.
    gc.collect()
    gc.freeze()
    heartbeat = Heartbeat()
    qtbot.wait(100)
    try:
        while any(w.poll() is None for w in writers):
            article = c.session.article
            if article is None or article.id in done:
                break  # every article done: more than enough
            text = article.text
            suggestion = next((s for s in c.session.spans if s.is_suggestion), None)
            if suggestion is not None:
                c.select(suggestion.id)
                qtbot.keyClick(view, Qt.Key_A)
                accepted.add(suggestion.id)
                actions += 1
            for nth, place in enumerate(PLACES[:3]):
                start = text.find(place)
                if start < 0:
                    continue
                view.select_offsets(start, start + len(place))
                qtbot.keyClick(view, Qt.Key_L)
                span = (article.id, start, start + len(place), "LOCATION")
                expected_spans.add(span)
                actions += 1
                waited += window.saver.pending > 0
                qtbot.wait(15)
                if nth == 1:  # take the second one back: undo must reach the file too
                    qtbot.keyClick(view, Qt.Key_Z, Qt.ControlModifier)
                    expected_spans.discard(span)
                    undone_spans.add(span)
                    actions += 1
            qtbot.keyClick(view, Qt.Key_Return, Qt.ControlModifier)  # done, and on to the next
            done.add(article.id)
            actions += 1
            qtbot.wait(30)
        qtbot.waitUntil(lambda: all(w.poll() is not None for w in writers), timeout=60_000)  # events flow
        outcomes = [json.loads(w.communicate()[0].strip().splitlines()[-1]) for w in writers]
        qtbot.waitUntil(lambda: window.saver.pending == 0, timeout=30_000)
        longest, gap, queued = heartbeat.stop()
        second = heartbeat.second_longest()
    finally:
        gc.unfreeze()
        for writer in writers:
            if writer.poll() is None:
                writer.kill()
    window.close()
    window.store.close()

    print(f"\n{SECONDS:.0f} s: {actions} window actions ({waited} waited to be saved) on {len(done)} articles; "
          f"lock holder {outcomes[0]}; imports {outcomes[1]}; longest block of the window's thread "
          f"{longest * 1000:.0f} ms (a gap of {gap * 1000:.0f} ms, {queued * 1000:.0f} of them waiting for a core), "
          f"the next longest {second * 1000:.0f} ms; "
          f"load {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    assert outcomes[0]["rounds"] > 0  # the lock really was held
    assert waited > 0  # and the window really met it
    with Store.open(path) as store:
        mine = {(s.article_id, s.start_char, s.end_char, s.label): s
                for article_id in done for s in store.spans.own(article_id, "ana")}
        assert expected_spans <= set(mine), sorted(expected_spans - set(mine))[:5]
        assert not (undone_spans & set(mine))
        decided = {s.suggestion_id for s in mine.values() if s.status is Status.ACCEPTED}
        assert accepted <= decided
        assert all(store.states.get(article_id, "ana")[0] is ArticleState.DONE for article_id in done)
    # At most one stop over 100 ms, and none as long as the shortest hold of the lock (0.4 s): the window
    # never waits for the other program. (One stop of 108 ms, once, with the suite running beside it.)
    assert second < 0.100, f"the window's thread stopped twice for over 100 ms ({second * 1000:.0f} ms)"
    assert longest < 0.400, f"the window's thread stopped for {longest * 1000:.0f} ms: as long as a lock hold"


def test_concurrent_writers_many_edits_waiting_for_a_lock_are_saved_without_stopping_the_window(qtbot, tmp_path):
    """After a long hold by another program dozens of edits may wait; they are written a slice at a
    time, with the window's own events (a repaint, the next key) between the slices."""
    from annotator.gui.saving import REDO, Saver
    from annotator.store import BusyError

    written: list[int] = []
    lock = {"held": True}

    class SlowEdit:
        def __init__(self, n: int):
            self.n = n

        def write(self, operation: str, late: bool) -> None:
            if lock["held"]:
                raise BusyError("another program holds the write lock")
            time.sleep(0.005)  # a commit
            written.append(self.n)

    with Store.open(tmp_path / "p.sqlite") as store:
        saver = Saver(store)
        for n in range(30):
            saver.submit(SlowEdit(n), REDO)
        assert saver.pending == 30 and written == []
        lock["held"] = False
        seen_between: list[int] = []
        window_events = QTimer(interval=0)
        window_events.timeout.connect(lambda: seen_between.append(len(written)))
        window_events.start()
        saver.retry()
        assert 0 < len(written) < 30  # one slice, then the window's turn
        qtbot.waitUntil(lambda: saver.pending == 0, timeout=5000)
        window_events.stop()
        assert written == list(range(30))  # all of them, in the order they were made
        assert any(0 < count < 30 for count in seen_between)


def test_concurrent_writers_an_edit_meeting_a_held_lock_shows_saving_and_is_stored_later(window, project, qtbot):
    import sqlite3

    from fixtures import REPORT, find

    path, ids = project
    blocker = sqlite3.connect(path, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")  # another program holds the write lock
    view, saver = window.view, window.saver
    try:
        started = time.perf_counter()
        view.select_offsets(*find(REPORT, "hospital"))
        qtbot.keyClick(view, Qt.Key_F)
        assert time.perf_counter() - started < 0.5  # no 10-second freeze
        assert saver.pending == 1 and window.saving_label.isVisible()
        assert "Saving" in window.saving_label.text()
        qtbot.keyClick(view, Qt.Key_Z, Qt.ControlModifier)  # undone before it was stored: never written
        assert saver.pending == 0 and not window.saving_label.isVisible()
        view.select_offsets(*find(REPORT, "Thursday"))
        qtbot.keyClick(view, Qt.Key_D)
        window.controller.select(ids["brigade"])
        qtbot.keyClick(view, Qt.Key_A)
        assert saver.pending == 2
        qtbot.wait(400)  # retried meanwhile, still busy, nothing dropped
        assert saver.pending == 2
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    qtbot.waitUntil(lambda: saver.pending == 0, timeout=5000)
    assert not window.saving_label.isVisible()
    mine = [s for s in window.store.spans.for_article(ids["report"], "ana") if not s.is_suggestion]
    assert sorted((s.label, s.text_in(REPORT)) for s in mine) == [("ARMED_GROUP", "58th Brigade"), ("DATE", "Thursday")]
    assert [s.text_in(REPORT) for s in window.controller.session.spans if s.annotator == "ana"].count("Thursday") == 1
    window.actions["undo"].trigger()  # the undo stack matches the file: the accept, then the date
    window.actions["undo"].trigger()
    assert [s for s in window.store.spans.for_article(ids["report"], "ana") if not s.is_suggestion] == []


def test_concurrent_writers_closing_with_edits_waiting_asks_first(window, project, qtbot, answers, monkeypatch):
    import sqlite3

    from fixtures import REPORT, find

    from annotator.gui import main_window

    monkeypatch.setattr(main_window, "CLOSE_WAIT_S", 0.3)
    path, _ids = project
    blocker = sqlite3.connect(path, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    try:
        window.view.select_offsets(*find(REPORT, "hospital"))
        qtbot.keyClick(window.view, Qt.Key_F)
        answers.append(None)  # "close anyway?" - no
        window.close()
        assert window.isVisible() and "Edits not saved" in answers.asked
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    window.close()  # the file is free: saved, then closed without a question
    assert not window.isVisible() and answers.asked.count("Edits not saved") == 1
    with Store.open(path) as store:
        assert [s.label for s in store.spans.for_article(window.controller.session.article.id, "ana") if not s.is_suggestion] == ["FACILITY"]


def test_concurrent_writers_an_edit_that_cannot_be_stored_after_waiting_is_reported(window, project, qtbot, answers):
    import sqlite3

    path, ids = project
    blocker = sqlite3.connect(path, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    try:
        window.controller.select(ids["brigade"])
        qtbot.keyClick(window.view, Qt.Key_A)  # waits: the file is busy
        assert window.saver.pending == 1
        # Meanwhile another program decides the same suggestion for this annotator.
        blocker.execute("INSERT INTO spans(article_id, annotator_id, start_char, end_char, label, layer, origin, "
                        "status, suggestion_id, created_at, updated_at) SELECT article_id, "
                        "(SELECT id FROM annotators WHERE name = 'ana'), start_char, end_char, label, layer, origin, "
                        "'rejected', id, created_at, updated_at FROM spans WHERE id = ?", [ids["brigade"]])
    finally:
        blocker.execute("COMMIT")
        blocker.close()
    qtbot.waitUntil(lambda: window.saver.pending == 0, timeout=5000)
    told = [text for text in answers.asked if text.startswith("inform:")]
    assert told and "Could not accept ARMED_GROUP" in told[0] and "already decided" in told[0]
    window.actions["undo"].trigger()  # nothing of it was stored: undo takes it off quietly
    assert not window.undo_group.canUndo()


def test_concurrent_writers_an_undo_waiting_for_the_file_survives_a_new_edit(window, project, qtbot):
    import sqlite3

    from fixtures import REPORT, find

    path, ids = project
    view, saver = window.view, window.saver
    view.select_offsets(*find(REPORT, "hospital"))
    qtbot.keyClick(view, Qt.Key_F)  # stored at once
    blocker = sqlite3.connect(path, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    try:
        qtbot.keyClick(view, Qt.Key_Z, Qt.ControlModifier)  # its undo waits
        view.select_offsets(*find(REPORT, "Thursday"))
        qtbot.keyClick(view, Qt.Key_D)  # a new edit: Qt drops the undone command from its stack
        assert saver.pending == 2
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    qtbot.waitUntil(lambda: saver.pending == 0, timeout=5000)
    mine = [s for s in window.store.spans.for_article(ids["report"], "ana") if not s.is_suggestion]
    assert [(s.label, s.text_in(REPORT)) for s in mine] == [("DATE", "Thursday")]


def test_concurrent_writers_a_busy_disk_never_holds_up_moving_between_articles(qtbot, project, monkeypatch):
    """Where to reopen is written each time an article opens. On a disk busy with another program's
    writes (an import, a copy of a few GB) that write waited 0.1-0.9 s, on the window's thread: the
    window froze at every next article. Now the window's thread never writes it while the window is
    open, and closing leaves the file with the last article."""
    path, ids = project
    real = config.write_atomically
    writers: list[str] = []

    def busy_disk(target, payload, *, sync=True):
        writers.append(threading.current_thread().name)
        time.sleep(0.3)
        real(target, payload, sync=sync)

    monkeypatch.setattr(config, "write_atomically", busy_disk)
    window = open_test_window(qtbot, path)
    c = window.controller
    for article in (ids["plain1"], ids["report"], ids["plain2"], ids["tricky"]):
        c.open_article(article)
        assert c.session.article.id == article
    qtbot.keyClick(window.view, Qt.Key_Return, Qt.ControlModifier)  # done, and on to the next
    opened = c.session.article.id
    assert writers and threading.main_thread().name not in writers
    window.close()
    window.store.close()
    assert config.Preferences.load().last_article[str(path.resolve())] == opened


def test_concurrent_writers_preferences_that_cannot_be_written_are_said_once(qtbot, project, monkeypatch, capsys):
    """A full disk refuses the preferences: the window says so in the status bar, once, goes on, and
    still closes."""
    path, ids = project
    real = config.write_atomically
    disk = {"full": True}

    def full_disk(target, payload, *, sync=True):
        if disk["full"]:
            raise OSError(28, "No space left on device")
        real(target, payload, sync=sync)

    window = open_test_window(qtbot, path)
    monkeypatch.setattr(config, "write_atomically", full_disk)
    c = window.controller
    said: list[str] = []
    c.message.connect(said.append)
    for article in (ids["plain1"], ids["report"], ids["plain2"]):  # the second save finds the failure
        c.open_article(article)
        assert c.wait_for_preferences(5)
    assert c.session.article.id == ids["plain2"]
    refused = [m for m in said if "Could not save the preferences" in m]
    assert len(refused) == 1 and "No space left" in refused[0]
    assert "Could not save the preferences" in window.statusBar().currentMessage()
    window.close()  # closing writes them once more, is refused, and closes all the same
    assert not window.isVisible()
    assert "could not save the preferences" in capsys.readouterr().err
    window.store.close()
