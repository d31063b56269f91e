"""The team hub in the window: sync in the background, its state in the status bar, File → Team hub….

When the project names a hub (``hub.url``, set by ``annotator sync`` or this dialog), the window
syncs shortly after it opens and then every few minutes, always in a :class:`BackgroundJob` on a
connection of its own, so the window never waits for the network. A hub that does not answer only
changes the status bar ("offline, work kept"); the next round catches up. What a sync pulls reaches
the window the way another window's writes do: the project watcher notices the file changed.

psycopg is imported inside the job (and by the dialog when a URL is saved), never at start-up.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QMainWindow,
                               QPlainTextEdit, QPushButton, QVBoxLayout)

from annotator.store import Store

SYNC_EVERY_MS = 3 * 60 * 1000
FIRST_SYNC_AFTER_MS = 1500


def _sync_in_job(store: Store, job) -> list[str]:
    from annotator.hub.sync import sync

    return sync(store, store.sync.url()).lines()


class HubStatus(QObject):
    """Background syncs of one window's project and what the status bar says about them.

    :param window: the main window (its status bar and File menu get the hub's label and action)
    :param store: the window's open project
    """

    stateChanged = Signal(str)

    def __init__(self, window: QMainWindow, store: Store, *, every_ms: int = SYNC_EVERY_MS):
        super().__init__(window)
        self.window, self.store = window, store
        self.label = QLabel()
        self.label.setObjectName("hub_status")
        window.statusBar().addPermanentWidget(self.label)
        self.job = None
        self.last_lines: list[str] = []
        self.state = "no hub"
        self.syncs = 0
        self.failures = 0
        self.timer = QTimer(self, interval=every_ms)
        self.timer.timeout.connect(self.sync_now)
        self.action = None
        for menu_action in window.menuBar().actions():
            if menu_action.text().replace("&", "") == "File":
                self.action = menu_action.menu().addAction("Team hub…")
                self.action.triggered.connect(self.open_dialog)
                break
        self.refresh_schedule()

    def url(self) -> str | None:
        return None if self.store.path is None else self.store.sync.url()

    def refresh_schedule(self) -> None:
        """Start syncing if the project has a hub (after the dialog set one), else say there is none."""
        if self.url():
            self._show("waiting for the first sync")
            if not self.timer.isActive():
                self.timer.start()
                QTimer.singleShot(FIRST_SYNC_AFTER_MS, self.sync_now)
        else:
            self.timer.stop()
            self.label.setText("")
            self.state = "no hub"

    def sync_now(self) -> None:
        """Start a sync unless one is running."""
        from annotator.gui.background import BackgroundJob

        if not self.url() or (self.job is not None and self.job.running()):
            return
        self._show("syncing…")
        self.job = BackgroundJob(self.store.path, _sync_in_job, readonly=False)
        self.job.succeeded.connect(self._synced)
        self.job.failed.connect(self._failed)
        self.job.start()

    def _synced(self, lines: list[str]) -> None:
        self.syncs += 1
        self.last_lines = lines
        self._show(f"synced {datetime.now():%H:%M}")

    def _failed(self, message: str) -> None:
        self.failures += 1
        self.last_lines = [message]
        offline = "HubUnreachable" in message
        self._show(f"offline since {datetime.now():%H:%M}, your work is kept" if offline
                   else "sync failed (File → Team hub… says why)")

    def _show(self, state: str) -> None:
        self.state = state
        self.label.setText(f"Hub: {state}")
        self.label.setToolTip("\n".join(self.last_lines))
        self.stateChanged.emit(state)

    def open_dialog(self) -> "HubDialog":
        dialog = HubDialog(self)
        dialog.open()
        return dialog


class HubDialog(QDialog):
    """File → Team hub…: the hub's URL (a password typed in it goes to the password file), the state,
    what the last sync did, and Sync now."""

    def __init__(self, status: HubStatus):
        super().__init__(status.window)
        self.status = status
        self.setWindowTitle("Team hub")
        self.url_edit = QLineEdit(status.url() or "")
        self.url_edit.setPlaceholderText("postgresql://you@server/team (what your team lead gave you)")
        self.state_label = QLabel(status.state)
        self.details = QPlainTextEdit("\n".join(status.last_lines))
        self.details.setReadOnly(True)
        self.sync_button = QPushButton("Sync now")
        self.sync_button.clicked.connect(self.save_and_sync)
        form = QFormLayout()
        form.addRow("Hub URL", self.url_edit)
        form.addRow("State", self.state_label)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.details)
        buttons = QDialogButtonBox(QDialogButtonBox.Close)
        buttons.addButton(self.sync_button, QDialogButtonBox.ActionRole)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        status.stateChanged.connect(self._state_changed)

    def _state_changed(self, state: str) -> None:
        self.state_label.setText(state)
        self.details.setPlainText("\n".join(self.status.last_lines))

    def save_and_sync(self) -> None:
        url = self.url_edit.text().strip()
        if url and url != self.status.url():
            from annotator.hub.connect import HubError, remember_password

            try:
                url = remember_password(url)
            except HubError as exc:
                self.state_label.setText(str(exc))
                return
            self.status.store.sync.set_url(url)
            self.url_edit.setText(url)
            self.status.refresh_schedule()
        self.status.sync_now()
