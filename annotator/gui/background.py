"""The one way the windows run work off the GUI thread: :class:`BackgroundJob`.

A job runs a plain function ``work(store, job)`` in a ``QThread`` of its own, on a connection of its
own to the project file (SQLite connections stay in the thread that opened them), and reports back
through signals, which Qt delivers on the GUI thread:

- ``progressed(done, total)``: from ``job.progress(done, total)``
- ``published(value)``: a part of the result ready early (a batch of the review queue), from
  ``job.publish(value)``
- ``succeeded(result)`` or ``failed(message)``, then always ``ended()``

``job.cancel()`` asks the work to stop; the work looks at ``job.cancelled()`` between steps. An
in-memory project cannot be opened a second time, so its jobs run inline on the GUI thread, with the
window's own connection, and emit the same signals in the same order before ``start()`` returns.

A job outlives the window that started it: it is kept alive by this module until its thread is
done, so closing a window while a job runs loses only the window's connections to the signals
(a QThread destroyed while running aborts the process).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

from PySide6.QtCore import QCoreApplication, QThread, Signal

from annotator.store import Store

Work = Callable[[Store, "BackgroundJob"], Any]

_running: set[BackgroundJob] = set()


class BackgroundJob(QThread):
    """Run ``work(store, job)`` on a connection of its own.

    :param project: an open project (its file is opened again in the job's thread; an in-memory one is
        used inline) or the path of a project file
    :param work: the function to run; its return value is the job's result
    :param readonly: open the file read-only (figures, queues); writing jobs pass False
    :param parent: none by default: the job must outlive a window closed while it runs
    """

    progressed = Signal(int, int)
    published = Signal(object)
    succeeded = Signal(object)
    failed = Signal(str)
    ended = Signal()

    def __init__(self, project: Store | Path, work: Work, *, readonly: bool = True, parent=None):
        super().__init__(parent)
        if isinstance(project, Store):
            self.path: Path | None = project.path
            self._inline_store = project if project.path is None else None
        else:
            self.path, self._inline_store = Path(project), None
        self.work = work
        self.readonly = readonly
        self._cancelled = False
        self.result: Any = None

    # -- what the work calls ------------------------------------------------------------------------

    def progress(self, done: int, total: int) -> bool:
        """Report progress; returns False once the job is cancelled (the exporter's convention)."""
        self.progressed.emit(done, total)
        return not self._cancelled

    def publish(self, value: Any) -> None:
        self.published.emit(value)

    def cancelled(self) -> bool:
        return self._cancelled

    # -- what the window calls ----------------------------------------------------------------------

    @property
    def inline(self) -> bool:
        return self._inline_store is not None

    def start(self) -> None:  # noqa: D401 - Qt's name
        """Start the work: in a thread for a project file, inline for an in-memory project."""
        if self.inline:
            self._perform(self._inline_store)
            return
        _running.add(self)
        _stop_at_quit()
        # A method, not a lambda: Qt then runs it on the GUI thread, where the job lives.
        self.finished.connect(self._forget)
        super().start()

    def cancel(self) -> None:
        """Ask the work to stop at its next look at ``cancelled()``; what it did so far stays."""
        self._cancelled = True
        self.requestInterruption()

    def running(self) -> bool:
        return self.isRunning()

    def _forget(self) -> None:
        # finished() comes just before the thread really ends: wait for that, so dropping the last
        # reference never destroys a running QThread.
        self.wait()
        _running.discard(self)

    def run(self) -> None:
        try:
            store = Store.open(self.path, readonly=self.readonly, create=False)
        except Exception as exc:  # noqa: BLE001 - reported to the user, never lost in a thread
            self.failed.emit(_describe(exc))
            self.ended.emit()
            return
        with store:
            self._perform(store)

    def _perform(self, store: Store) -> None:
        try:
            self.result = self.work(store, self)
        except Exception as exc:  # noqa: BLE001 - any failure is reported to the user, not lost
            self.failed.emit(_describe(exc))
        else:
            self.succeeded.emit(self.result)
        self.ended.emit()


def _describe(exc: Exception) -> str:
    return f"{type(exc).__name__}: {exc}"


_quit_connected = False


def _stop_at_quit() -> None:
    """When the application quits, ask every job to stop and wait for it: Python tearing down a
    QThread that still runs aborts the process (a core dump instead of a quiet exit)."""
    global _quit_connected
    app = QCoreApplication.instance()
    if app is not None and not _quit_connected:
        app.aboutToQuit.connect(_cancel_and_wait)
        _quit_connected = True


def _cancel_and_wait() -> None:
    for job in list(_running):
        job.cancel()
    wait_all(30_000)


def wait_all(timeout_ms: int = 10_000) -> bool:
    """Wait for every running job's thread (closing the application, tests); True if all ended."""
    return all(job.wait(timeout_ms) for job in list(_running))
