"""The one Qt adapter of the undo model: any :class:`annotator.edits.Edit` as a ``QUndoCommand``.

redo() and undo() hand the edit to the project's write queue (annotator.gui.saving), which writes it
through the store at once, or a moment later when another program holds the file; what the window
shows is refreshed by whoever listens to ``changed`` (the controller, the review window).
"""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QEvent
from PySide6.QtGui import QUndoCommand

from annotator.edits import Edit
from annotator.gui.saving import REDO, UNDO, saver_for
from annotator.store import BusyError, StoreError

MERGE_ID = 7301


class EditCommand(QUndoCommand):
    """Wraps one edit.

    :param store: the project the edit writes to
    :param edit: the edit (not yet applied)
    :param changed: called after every redo/undo with (edit, undone); ``edit.late`` says it was
        stored after waiting for another writer
    :param failed: called with a message when the store refuses a step (another window already
        deleted the span, say); a first redo that fails leaves nothing on the stack
    """

    def __init__(self, store, edit: Edit, changed: Callable[[Edit, bool], None],
                 failed: Callable[[str, Edit], None]):
        super().__init__(edit.description)
        self.store = store
        self.saver = saver_for(store)
        self.edit = edit
        self.changed = changed
        self.failed = failed

    @property
    def waiting(self) -> bool:
        """Pushed, but not in the file yet (another program holds it)."""
        return self.saver.is_waiting(self)

    def redo(self) -> None:
        self.saver.submit(self, REDO)

    def undo(self) -> None:
        self.saver.submit(self, UNDO)

    def write(self, operation: str, late: bool) -> None:
        """Called by the write queue; BusyError passes back to it (nothing was written)."""
        self.edit.late = late
        if operation == REDO:
            try:
                self.edit.apply(self.store)
            except BusyError:
                raise
            except (StoreError, ValueError) as exc:
                # Qt cannot see a Python exception from redo(); nothing was written (one transaction).
                self._obsolete()
                self.failed(f"Could not {self.edit.description[:1].lower()}{self.edit.description[1:]}: {exc}",
                            self.edit)
                return
            if not self.edit.changed_anything:
                # Nothing to undo (opening an article whose agreed spans are in gold already): Qt
                # leaves an obsolete command off the stack.
                self._obsolete()
                return
            self.changed(self.edit, False)
            return
        if not self.edit.done:
            return  # never stored (it failed, late): there is nothing to take back
        try:
            self.edit.revert(self.store)
        except BusyError:
            raise
        except StoreError as exc:
            self.failed(f"Could not undo “{self.edit.description}”: {exc}", self.edit)
            return
        self.changed(self.edit, True)

    def _obsolete(self) -> None:
        try:
            self.setObsolete(True)  # Qt drops it from the stack (at once, or at its next undo)
        except RuntimeError:
            pass  # the stack was cleared meanwhile and Qt deleted the command: nothing to drop

    def id(self) -> int:  # noqa: A003 - Qt's name
        return MERGE_ID if self.edit.merge_key is not None else -1

    def mergeWith(self, other: QUndoCommand) -> bool:  # noqa: N802 - Qt's name
        return isinstance(other, EditCommand) and self.edit.merge(other.edit)


class WindowHistory:
    """Undo and redo for a window beside the main one (review, events) that keeps its own
    ``undo_stack`` in the application's undo group: Edit → Undo means the active window's history.
    Put it before the Qt window class in the bases."""

    def undo(self) -> None:
        self.undo_stack.undo()

    def redo(self) -> None:
        self.undo_stack.redo()

    def changeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        if event.type() == QEvent.ActivationChange and self.isActiveWindow():
            self.undo_stack.setActive()
        super().changeEvent(event)
