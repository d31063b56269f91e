"""The one Qt adapter of the undo model: any :class:`annotator.edits.Edit` as a ``QUndoCommand``.

redo() and undo() only call the edit, which writes through the store; what the window shows is
refreshed by whoever listens to ``changed`` (the controller, the review window).
"""

from __future__ import annotations

from typing import Callable

from PySide6.QtGui import QUndoCommand

from annotator.edits import Edit
from annotator.store import StoreError

MERGE_ID = 7301


class EditCommand(QUndoCommand):
    """Wraps one edit.

    :param store: the project the edit writes to
    :param edit: the edit (not yet applied)
    :param changed: called after every redo/undo with (edit, undone)
    :param failed: called with a message when the store refuses a step (another window already
        deleted the span, say); a first redo that fails leaves nothing on the stack
    """

    def __init__(self, store, edit: Edit, changed: Callable[[Edit, bool], None],
                 failed: Callable[[str, Edit], None]):
        super().__init__(edit.description)
        self.store = store
        self.edit = edit
        self.changed = changed
        self.failed = failed

    def redo(self) -> None:
        try:
            self.edit.apply(self.store)
        except (StoreError, ValueError) as exc:
            # Qt cannot see a Python exception from redo(); nothing was written (one transaction).
            self.setObsolete(True)
            self.failed(f"Could not {self.edit.description[:1].lower()}{self.edit.description[1:]}: {exc}", self.edit)
            return
        if not self.edit.changed_anything:
            # Nothing to undo (opening an article whose agreed spans are in gold already): Qt
            # leaves an obsolete command off the stack.
            self.setObsolete(True)
            return
        self.changed(self.edit, False)

    def undo(self) -> None:
        try:
            self.edit.revert(self.store)
        except StoreError as exc:
            self.failed(f"Could not undo “{self.edit.description}”: {exc}", self.edit)
            return
        self.changed(self.edit, True)

    def id(self) -> int:  # noqa: A003 - Qt's name
        return MERGE_ID if self.edit.merge_key is not None else -1

    def mergeWith(self, other: QUndoCommand) -> bool:  # noqa: N802 - Qt's name
        return isinstance(other, EditCommand) and self.edit.merge(other.edit)
