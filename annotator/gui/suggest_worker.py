"""Run the suggester off the GUI thread (a :class:`~annotator.gui.background.BackgroundJob`), on its
own connection to the project file.

The window stays responsive while spaCy loads and works; when the run ends, the window's usual
check for changes made by another connection picks the new suggestions up.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from PySide6.QtCore import QObject, Signal

from annotator.gui.background import BackgroundJob
from annotator.store import Store


def _suggest_articles(*args, **kwargs):
    # Imported here, in the worker thread: importing spaCy takes seconds.
    from annotator.suggest import suggest_articles

    return suggest_articles(*args, **kwargs)


def summary_message(summary) -> str:
    """The status-bar sentence for a finished run. One part per thing the summary reports, so a new
    field of the summary (articles that failed, say) is one more part here."""
    parts = [f"Suggested {summary.articles} article(s): {summary.added} new suggestion(s)"]
    if summary.stopped:
        parts.append(", stopped early")
    if summary.skipped:
        parts.append(f" ({summary.skipped} already done)")
    if getattr(summary, "in_pieces", None):
        parts.append(f"; {len(summary.in_pieces)} long article(s) in pieces")
    if getattr(summary, "failed", None):
        parts.append(f"; {len(summary.failed)} article(s) failed: "
                     + ", ".join(f"#{article_id}" for article_id, _ in summary.failed))
    if summary.warning:
        parts.append(f" — {summary.warning}")
    return "".join(parts)


class SuggestRunner(QObject):
    """At most one suggestion run at a time; tells the window how it goes."""

    progressed = Signal(int, int)
    message = Signal(str)
    problems = Signal(str)  # articles that could not be suggested, one line each with the reason
    ended = Signal()

    def __init__(self, db_path: Path, model: str, run: Callable = _suggest_articles, parent=None):
        super().__init__(parent)
        self.db_path, self.model, self._run = db_path, model, run
        self.job: BackgroundJob | None = None

    @property
    def running(self) -> bool:
        return self.job is not None and self.job.running()

    def start(self, article_ids: list[int] | None) -> bool:
        if self.running:
            self.message.emit("Suggestions are already running; stop them first")
            return False
        # Asking for one article means "again, now"; all articles resumes where an earlier run stopped.
        redo = article_ids is not None
        run = self._run  # as it is now: tests swap it before starting

        def work(store: Store, job: BackgroundJob):
            return run(store, article_ids, model=self.model or None, redo=redo, progress=job.progress,
                       should_stop=job.cancelled)

        self.job = BackgroundJob(self.db_path, work, readonly=False)
        self.job.progressed.connect(self.progressed)
        self.job.succeeded.connect(self._succeeded)
        self.job.failed.connect(self._failed)
        self.job.ended.connect(self.ended)
        self.message.emit("Suggesting… (the window stays usable)")
        self.job.start()
        return True

    def stop(self) -> None:
        if self.running:
            self.job.cancel()

    def _succeeded(self, summary) -> None:
        self.message.emit(summary_message(summary))
        failed = getattr(summary, "failed", None)
        if failed:
            # A status bar cuts long text and clears itself: which articles and why goes in a window.
            self.problems.emit("\n".join(f"Article #{article_id}: {reason}" for article_id, reason in failed))

    def _failed(self, text: str) -> None:
        self.message.emit(f"Suggesting failed: {text}")

    def wait(self) -> None:
        if self.job is not None:
            self.job.wait()

