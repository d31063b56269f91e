"""One watcher of the project file per open project, shared by every window.

Another process (a second window, ``annotator suggest``) commits to the same file; SQLite's
``data_version`` changes for our connection when that happens. Windows of this process share one
connection, so they also announce their own writes here and the others refresh.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal

POLL_MS = 1500


class ProjectWatcher(QObject):
    """``changed(origin)``: the file changed; ``origin`` is the window that wrote (None: another process)."""

    changed = Signal(object)

    def __init__(self, store, parent: QObject | None = None):
        super().__init__(parent)
        self.store = store
        self._version = store.data_version()
        self._timer = QTimer(self, interval=POLL_MS)
        self._timer.timeout.connect(self.poll)
        self._timer.start()

    def poll(self) -> bool:
        """Look now; True (and ``changed(None)``) if another connection committed since the last look."""
        if not self.store.is_open:  # the window closed the project; nothing left to watch
            self.stop()
            return False
        version = self.store.data_version()
        if version == self._version:
            return False
        self._version = version
        self.changed.emit(None)
        return True

    def announce(self, origin: QObject) -> None:
        """A window of this process wrote: tell the other windows."""
        self._version = self.store.data_version()
        self.changed.emit(origin)

    def polling(self) -> bool:
        return self._timer.isActive()

    def stop(self) -> None:
        self._timer.stop()


_watchers: dict[int, ProjectWatcher] = {}


def watcher_for(store) -> ProjectWatcher:
    """The watcher of this open project (made on first use)."""
    for key in [key for key, known in _watchers.items() if not known.store.is_open]:
        _watchers.pop(key).stop()
    watcher = _watchers.get(id(store))
    if watcher is None or watcher.store is not store:
        watcher = ProjectWatcher(store)
        _watchers[id(store)] = watcher
    return watcher


def forget(store) -> None:
    """The project is closed: stop watching it."""
    watcher = _watchers.pop(id(store), None)
    if watcher is not None:
        watcher.stop()
