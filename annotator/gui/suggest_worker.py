"""Run the suggester off the GUI thread, on its own connection to the project file.

The window stays responsive while spaCy loads and works; when the run ends, the window's usual
check for changes made by another connection picks the new suggestions up.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from PySide6.QtCore import QObject, QThread, Signal

from annotator.store import Store


def _suggest_articles(*args, **kwargs):
    # Imported here, in the worker thread: importing spaCy takes seconds.
    from annotator.suggest import suggest_articles

    return suggest_articles(*args, **kwargs)


class SuggestThread(QThread):
    progressed = Signal(int, int)
    succeeded = Signal(object)  # the run's summary
    failed = Signal(str)

    def __init__(self, db_path: Path, article_ids: list[int] | None, model: str | None, *, redo: bool,
                 run: Callable = _suggest_articles, parent=None):
        super().__init__(parent)
        self.db_path, self.article_ids, self.model, self.redo, self._run = db_path, article_ids, model, redo, run

    def run(self) -> None:
        try:
            with Store.open(self.db_path) as store:
                summary = self._run(store, self.article_ids, model=self.model or None, redo=self.redo,
                                    progress=self.progressed.emit, should_stop=self.isInterruptionRequested)
        except Exception as exc:  # noqa: BLE001 - any failure is reported to the annotator, not lost
            self.failed.emit(f"{type(exc).__name__}: {exc}")
            return
        self.succeeded.emit(summary)


class SuggestRunner(QObject):
    """At most one suggestion run at a time; tells the window how it goes."""

    progressed = Signal(int, int)
    message = Signal(str)
    ended = Signal()

    def __init__(self, db_path: Path, model: str, run: Callable = _suggest_articles, parent=None):
        super().__init__(parent)
        self.db_path, self.model, self._run = db_path, model, run
        self.thread: SuggestThread | None = None

    @property
    def running(self) -> bool:
        return self.thread is not None and self.thread.isRunning()

    def start(self, article_ids: list[int] | None) -> bool:
        if self.running:
            self.message.emit("Suggestions are already running; stop them first")
            return False
        # Asking for one article means "again, now"; all articles resumes where an earlier run stopped.
        self.thread = SuggestThread(self.db_path, article_ids, self.model, redo=article_ids is not None,
                                    run=self._run, parent=self)
        self.thread.progressed.connect(self.progressed)
        self.thread.succeeded.connect(self._succeeded)
        self.thread.failed.connect(lambda text: self.message.emit(f"Suggesting failed: {text}"))
        self.thread.finished.connect(self.ended)
        self.message.emit("Suggesting… (the window stays usable)")
        self.thread.start()
        return True

    def stop(self) -> None:
        if self.running:
            self.thread.requestInterruption()

    def wait(self) -> None:
        if self.thread is not None:
            self.thread.wait()

    def _succeeded(self, summary) -> None:
        text = (f"Suggested {summary.articles} article(s): {summary.added} new suggestion(s)"
                + (", stopped early" if summary.stopped else "")
                + (f" ({summary.skipped} already done)" if summary.skipped else ""))
        if summary.warning:
            text += f" — {summary.warning}"
        self.message.emit(text)
