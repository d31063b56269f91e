"""BackgroundJob: the one way the windows run work off the GUI thread."""

from __future__ import annotations

import sys
import threading

from annotator.gui.background import BackgroundJob, wait_all
from annotator.store import Store


def test_background_job_runs_on_its_own_connection_and_reports(qtbot, tmp_path):
    with Store.open(tmp_path / "p.sqlite") as store:
        store.articles.add("Shelling near Rivne.")
        seen = []

        def work(own, job):
            seen.append((threading.get_ident(), own is not store))
            job.progress(1, 2)
            job.publish("half")
            return own.articles.count()

        job = BackgroundJob(store, work)
        progress, parts = [], []
        job.progressed.connect(lambda done, total: progress.append((done, total)))
        job.published.connect(parts.append)
        with qtbot.waitSignal(job.succeeded, timeout=5000) as result, qtbot.waitSignal(job.ended, timeout=5000):
            job.start()
        assert result.args == [1]
        [(thread, own_connection)] = seen
        assert thread != threading.get_ident() and own_connection
        assert progress == [(1, 2)] and parts == ["half"]
        assert wait_all(5000)


def test_background_job_stops_when_cancelled(qtbot, tmp_path):
    with Store.open(tmp_path / "p.sqlite") as store:
        started = threading.Event()

        def work(_store, job):
            started.set()
            steps = 0
            while job.progress(steps, 0):  # False once cancelled, the exporter's convention
                steps += 1
                threading.Event().wait(0.002)
            return "stopped"

        job = BackgroundJob(store, work)
        with qtbot.waitSignal(job.succeeded, timeout=5000) as result:
            job.start()
            assert started.wait(5)
            job.cancel()
        assert result.args == ["stopped"] and job.cancelled()


def test_background_job_reports_a_failure_by_name(qtbot, tmp_path):
    with Store.open(tmp_path / "p.sqlite") as store:
        def work(_store, _job):
            raise OSError("disk full")

        job = BackgroundJob(store, work)
        with qtbot.waitSignal(job.failed, timeout=5000) as failure, qtbot.waitSignal(job.ended, timeout=5000):
            job.start()
        assert failure.args == ["OSError: disk full"]


def test_background_job_on_a_missing_file_fails_without_creating_it(qtbot, tmp_path):
    job = BackgroundJob(tmp_path / "gone" / "p.sqlite", lambda store, job: None)
    with qtbot.waitSignal(job.failed, timeout=5000) as failure:
        job.start()
    assert failure.args[0] and not (tmp_path / "gone").exists()


def test_background_job_on_an_in_memory_project_runs_inline(qtbot):
    store = Store.memory()
    events = []
    job = BackgroundJob(store, lambda own, job: (events.append(own is store), job.publish("part"), "done")[2])
    job.published.connect(lambda part: events.append(part))
    job.succeeded.connect(lambda result: events.append(result))
    job.ended.connect(lambda: events.append("ended"))
    job.start()
    # In the same order a thread would report, before start() returns, with the window's connection.
    assert events == [True, "part", "done", "ended"]
    assert job.inline and not job.running()


QUITTING = '''
import os, sys, threading
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from annotator.gui.background import BackgroundJob
from annotator.store import Store

app = QApplication([])
Store.open(sys.argv[1]).close()

def work(store, job):
    while not job.cancelled():
        threading.Event().wait(0.01)

BackgroundJob(sys.argv[1], work).start()  # nothing but this module keeps it
QTimer.singleShot(100, app.quit)
app.exec()
'''


def test_background_job_running_when_the_application_quits_ends_quietly(tmp_path):
    import subprocess

    # Python tearing down a QThread that still runs aborts the process; quitting stops the jobs first.
    done = subprocess.run([sys.executable, "-c", QUITTING, str(tmp_path / "p.sqlite")], capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "Destroyed while" not in done.stderr
