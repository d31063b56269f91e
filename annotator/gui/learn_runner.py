"""Learning from the window: one run at a time, off the GUI thread, with progress and a stop, and the
scores shown when it is done (next to the previous version's)."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QPlainTextEdit, QVBoxLayout

from annotator.gui.background import BackgroundJob


def _learn(annotator: str):
    def work(store, job):
        from annotator.learn import LearnCancelled
        from annotator.learn.project import learn_from_project

        try:
            return learn_from_project(store, annotator, progress=job.progress, should_stop=job.cancelled)
        except LearnCancelled:
            return None

    return work


class LearnRunner(QObject):
    """Starts learning on its own connection to the project file; ``ended`` says how it went."""

    progressed = Signal(int, int)
    finished = Signal(object)  # the LearnOutcome, or None when stopped
    failed = Signal(str)

    def __init__(self, store, parent=None):
        super().__init__(parent)
        self.store = store
        self.job: BackgroundJob | None = None

    @property
    def running(self) -> bool:
        return self.job is not None and self.job.running()

    def start(self, annotator: str) -> bool:
        if self.running:
            return False
        # A writing job: the new version is recorded in the project file.
        self.job = BackgroundJob(self.store, _learn(annotator), readonly=False)
        self.job.progressed.connect(self.progressed)
        self.job.succeeded.connect(self.finished)
        self.job.failed.connect(self.failed)
        self.job.start()
        return True

    def stop(self) -> None:
        if self.running:
            self.job.cancel()

    def wait(self) -> None:
        if self.job is not None:
            self.job.wait()


def show_outcome(parent, outcome) -> QDialog:
    """The new version's held-out scores per label beside the previous version's, in a window."""
    dialog = QDialog(parent)
    dialog.setWindowTitle(f"Learned {outcome.version.name}")
    text = QPlainTextEdit()
    text.setReadOnly(True)
    text.setFont(QFontDatabase.systemFont(QFontDatabase.FixedFont))
    text.setPlainText("\n".join(outcome.lines()) + "\n\nSuggest again (Ctrl+Shift+G) to use it; "
                      "pending suggestions are replaced, decided spans are never touched.")
    buttons = QDialogButtonBox(QDialogButtonBox.Close)
    buttons.rejected.connect(dialog.close)
    layout = QVBoxLayout(dialog)
    layout.addWidget(text)
    layout.addWidget(buttons)
    dialog.resize(720, 420)
    dialog.show()
    return dialog
