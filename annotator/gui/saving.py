"""Writes from the window that never block it: when another program (an ``annotator import``, a
suggester) holds the project file's write lock, an edit waits in a queue, shown as "saving…", and is
tried again a moment later, in order, until it is stored.

The window's connection waits only :data:`WINDOW_BUSY_TIMEOUT_MS` for a lock (the store's default is
seconds: a command-line writer may wait, the window's thread may not). One queue per open project,
shared by its windows, so their edits reach the file in the order they were made. Undoing an edit that
is still waiting takes it out of the queue (nothing was written); a redo waits behind it likewise.
"""

from __future__ import annotations

import time
from collections import deque
from typing import Protocol

from PySide6.QtCore import QObject, QTimer, Signal

from annotator.store import BusyError

WINDOW_BUSY_TIMEOUT_MS = 10  # one attempt blocks the window about this long (more on a loaded machine:
# SQLite counts the sleeps it asks for, not the time they take)
RETRY_MS = 40  # a free moment between another program's transactions may be short
SLICE_S = 0.025  # a drain of many waiting edits gives the window back this often (each is a commit)
STALLED_AFTER_S = 20.0  # then the window says plainly that edits are not in the file yet
REDO, UNDO = "redo", "undo"


class Writing(Protocol):
    """What the queue runs: an undo command's first application, redo or undo."""

    def write(self, operation: str, late: bool) -> None:
        """Do ``operation``; raise BusyError (nothing written) to be tried again."""


class Saver(QObject):
    """The write queue of one open project.

    ``pendingChanged(count, waiting_seconds)`` after every change of the queue (0: all stored);
    ``stalled(message)`` once when the queue has waited :data:`STALLED_AFTER_S`.
    """

    pendingChanged = Signal(int, float)
    stalled = Signal(str)

    def __init__(self, store, parent: QObject | None = None):
        super().__init__(parent)
        self.store = store
        store.set_busy_timeout(WINDOW_BUSY_TIMEOUT_MS)
        # A commit that triggers a checkpoint waits for an fsync: leave checkpoints to the command-line
        # writers and to closing (SQLite checkpoints when the last connection closes).
        store.set_autocheckpoint(0)
        self.queue: deque[tuple[Writing, str]] = deque()
        self.waiting_since: float | None = None
        self._said_stalled = False
        self._timer = QTimer(self, singleShot=True, interval=RETRY_MS)
        self._timer.timeout.connect(self.retry)
        # After a long hold by another program dozens of edits may wait; written in one go they
        # would stop the window for as long, so the rest waits for the next turn of the event loop.
        self._next_slice = QTimer(self, singleShot=True, interval=0)
        self._next_slice.timeout.connect(self.retry)

    @property
    def pending(self) -> int:
        return len(self.queue)

    def waiting_seconds(self) -> float:
        return 0.0 if self.waiting_since is None else time.monotonic() - self.waiting_since

    def is_waiting(self, command: Writing) -> bool:
        return any(queued is command for queued, _ in self.queue)

    def submit(self, command: Writing, operation: str) -> None:
        """Write now if nothing waits and the file is free; otherwise queue it behind the others."""
        opposite = UNDO if operation == REDO else REDO
        for entry in reversed(self.queue):
            if entry[0] is command and entry[1] == opposite:
                # Undoing an edit that never reached the file (or redoing one whose undo is still
                # waiting): the two cancel out, and the file never sees either.
                self.queue.remove(entry)
                self._changed()
                return
        if not self.queue:
            try:
                command.write(operation, False)
                return
            except BusyError:
                pass
        self.queue.append((command, operation))
        if self.waiting_since is None:
            self.waiting_since = time.monotonic()
        self._timer.start()
        self._changed()

    def retry(self, *, slice_s: float | None = SLICE_S) -> None:
        """Write what waits, oldest first, until the file is busy again, or for ``slice_s`` seconds
        (then the rest follows after the window's pending events; None: all at once)."""
        started = time.perf_counter()
        while self.queue:
            if slice_s is not None and time.perf_counter() - started > slice_s:
                self._next_slice.start()
                self._changed()
                return
            command, operation = self.queue[0]
            try:
                command.write(operation, True)
            except BusyError:
                self._timer.start()
                if not self._said_stalled and self.waiting_seconds() > STALLED_AFTER_S:
                    self._said_stalled = True
                    self.stalled.emit(
                        f"{self.pending} edit(s) are not in the project file yet: another program has been "
                        f"writing to it for {self.waiting_seconds():.0f} seconds. They are kept here and saved "
                        f"as soon as it lets go; keep the window open until the status bar no longer says "
                        f"“saving”.")
                self._changed()
                return
            self.queue.popleft()
        self.waiting_since = None
        self._said_stalled = False
        self._changed()

    def flush(self, seconds: float) -> bool:
        """Try for up to ``seconds`` (blocking: for closing the window) to write what waits; True if
        nothing is left waiting."""
        deadline = time.monotonic() + seconds
        self.store.set_busy_timeout(max(1, int(seconds * 1000)))
        try:
            while self.queue and time.monotonic() < deadline:
                self.retry(slice_s=None)
                if self.queue:
                    time.sleep(0.05)
        finally:
            self.store.set_busy_timeout(WINDOW_BUSY_TIMEOUT_MS)
        return not self.queue

    def _changed(self) -> None:
        self.pendingChanged.emit(self.pending, self.waiting_seconds())


_savers: dict[int, Saver] = {}


def saver_for(store) -> Saver:
    """The write queue of this open project, shared by its windows (made on first use)."""
    for key in [key for key, known in _savers.items() if not known.store.is_open]:
        _savers.pop(key)
    saver = _savers.get(id(store))
    if saver is None or saver.store is not store:
        saver = Saver(store)
        _savers[id(store)] = saver
    return saver
