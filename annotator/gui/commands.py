"""Every edit in the window is one of these QUndoCommands; redo() and undo() only call the store.

The store commits each call at once, so an action is on disk as soon as it is shown. Undo is an
ordinary store write too (logged and attributed), and re-doing a command puts back the very same
rows (same ids), so later commands on the stack that refer to those ids stay valid.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from PySide6.QtGui import QUndoCommand

from annotator.model import ArticleState, Layer, Status
from annotator.store import Store, StoreError


@dataclass
class EditContext:
    """What a command needs: the store, who acts, and whom to tell which article changed."""

    store: Store
    annotator: str
    # Called after every redo/undo with (article id, span id to select or None, the offsets whose
    # spans changed or None when no span did), so the window re-reads only that stretch.
    changed: Callable[[int, int | None, tuple[int, int] | None], None] = field(
        default=lambda article_id, span_id, touched: None)
    # Called with a message when the store refuses a step.
    failed: Callable[[str, int], None] = field(default=lambda message, article_id: None)


class StoreCommand(QUndoCommand):
    """Base: knows its article, so undo can bring the view back to it."""

    def __init__(self, context: EditContext, article_id: int, text: str, parent: "Compound | None" = None):
        # Children are kept by their Compound in Python, not handed to Qt: PySide does not keep the
        # Python side of a QUndoCommand child alive, and running them ourselves keeps the order plain.
        super().__init__(text)
        self.parent_command = parent
        if parent is not None:
            parent.children_commands.append(self)
        self.context = context
        self.article_id = article_id
        self.focus_span: int | None = None
        self.touched: tuple[int, int] | None = None

    @property
    def store(self) -> Store:
        return self.context.store

    @property
    def annotator(self) -> str:
        return self.context.annotator

    def _notify(self) -> None:
        # Children of a compound command stay quiet; the parent reports once.
        if self.parent_command is None:
            self.context.changed(self.article_id, self.focus_span, self.touched)

    def redo(self) -> None:
        self._guarded(self.do, "redo")

    def undo(self) -> None:
        self._guarded(self.revert, "undo")

    def _guarded(self, step: Callable[[], None], verb: str) -> None:
        # Qt cannot see a Python exception from redo()/undo(); the store may refuse a step (another
        # window already deleted the span, say): say so and show the file's truth instead.
        try:
            step()
        except StoreError as exc:
            self.context.failed(f"Could not {verb} “{self.text()}”: {exc}", self.article_id)

    def do(self) -> None:
        raise NotImplementedError

    def revert(self) -> None:
        raise NotImplementedError

    def _touch(self, *ranges: tuple[int, int]) -> None:
        self.touched = union(self.touched, *ranges)


class AddSpan(StoreCommand):
    def __init__(self, context: EditContext, article_id: int, start: int, end: int, label: str,
                 layer: Layer, attributes: dict[str, Any] | None = None, parent: "Compound | None" = None):
        super().__init__(context, article_id, f"Add {label}", parent)
        self.start, self.end, self.label, self.layer = start, end, label, layer
        self.attributes = attributes or {}
        self.span_id: int | None = None
        self._snapshot: dict[str, Any] | None = None

    def do(self) -> None:
        if self._snapshot is None:
            self.span_id = self.store.add_span(
                self.article_id, self.start, self.end, self.label, self.layer,
                annotator=self.annotator, attributes=self.attributes,
            )
        else:
            self.store.restore_span(self._snapshot, actor=self.annotator)
        self.focus_span = self.span_id
        self._touch((self.start, self.end))
        self._notify()

    def revert(self) -> None:
        self._snapshot = self.store.delete_span(self.span_id, actor=self.annotator)
        self.focus_span = None
        self._notify()


class DeleteSpan(StoreCommand):
    def __init__(self, context: EditContext, article_id: int, span_id: int, label: str,
                 parent: "Compound | None" = None):
        super().__init__(context, article_id, f"Delete {label}", parent)
        self.span_id = span_id
        self._snapshot: dict[str, Any] | None = None

    def do(self) -> None:
        self._snapshot = self.store.delete_span(self.span_id, actor=self.annotator)
        self.focus_span = None
        self._touch((self._snapshot["span"]["start_char"], self._snapshot["span"]["end_char"]))
        self._notify()

    def revert(self) -> None:
        self.store.restore_span(self._snapshot, actor=self.annotator)
        self.focus_span = self.span_id
        self._notify()


class DecideSuggestion(StoreCommand):
    """Accept or reject a shared suggestion; undo deletes the spans that deciding created."""

    def __init__(self, context: EditContext, article_id: int, suggestion_id: int, status: Status,
                 label: str, parent: "Compound | None" = None):
        verb = "Accept" if status is Status.ACCEPTED else "Reject"
        super().__init__(context, article_id, f"{verb} {label}", parent)
        self.suggestion_id = suggestion_id
        self.status = status
        self.created: list[int] = []
        self._snapshots: list[dict[str, Any]] = []

    def do(self) -> None:
        if not self._snapshots:
            self.created = self.store.decide_suggestion(self.suggestion_id, self.annotator, self.status)
            # Accepting an event may accept its argument suggestions elsewhere in the text too.
            self._touch(*((s.start_char, s.end_char) for s in map(self.store.get_span, self.created)))
        else:
            with self.store.transaction():
                for snapshot in reversed(self._snapshots):
                    self.store.restore_span(snapshot, actor=self.annotator)
        self.focus_span = self.created[0] if self.status is Status.ACCEPTED else None
        self._notify()

    def revert(self) -> None:
        with self.store.transaction():
            self._snapshots = [self.store.delete_span(span_id, actor=self.annotator)
                               for span_id in self.created]
        self.focus_span = self.suggestion_id
        self._notify()

    @property
    def decided_span(self) -> int:
        """The annotator's copy of the suggestion (exists after redo)."""
        return self.created[0]


class UpdateSpan(StoreCommand):
    """Relabel, move a boundary or set attributes; consecutive boundary moves merge into one step."""

    MERGE_ID = 7301

    def __init__(self, context: EditContext, article_id: int, span_id: int, text: str,
                 changes: dict[str, Any], *, mergeable: bool = False, parent: "Compound | None" = None):
        super().__init__(context, article_id, text, parent)
        self.span_id = span_id
        self.changes = dict(changes)
        self.previous: dict[str, Any] = {}
        self.mergeable = mergeable
        self.focus_span = span_id

    def do(self) -> None:
        before = self.store.get_span(self.span_id)
        previous = self.store.update_span(self.span_id, actor=self.annotator, **self.changes)
        if not self.previous:
            self.previous = previous
        self._touch((before.start_char, before.end_char),
                    (self.changes.get("start_char", before.start_char), self.changes.get("end_char", before.end_char)))
        self._notify()

    def revert(self) -> None:
        self.store.update_span(self.span_id, actor=self.annotator, **self.previous)
        self._notify()

    def id(self) -> int:  # noqa: A003 - Qt's name
        return self.MERGE_ID if self.mergeable else -1

    def mergeWith(self, other: QUndoCommand) -> bool:  # noqa: N802 - Qt's name
        if not isinstance(other, UpdateSpan) or other.span_id != self.span_id or not other.mergeable:
            return False
        if set(other.changes) - {"start_char", "end_char"}:
            return False
        self.changes.update(other.changes)
        self.touched = union(self.touched, *([other.touched] if other.touched else []))
        return True


class AddArgument(StoreCommand):
    """Link an event to the span filling ``role``. Either end may be a sibling DecideSuggestion
    (linking a suggestion accepts it first); its span id is read when this command runs."""

    def __init__(self, context: EditContext, article_id: int, event: "int | DecideSuggestion",
                 argument: "int | DecideSuggestion", role: str, parent: "Compound | None" = None):
        super().__init__(context, article_id, f"Link {role}", parent)
        self.event, self.argument, self.role = event, argument, role
        self.link_id: int | None = None

    def do(self) -> None:
        event_id, argument_id = _resolve(self.event), _resolve(self.argument)
        self.link_id = self.store.add_argument(event_id, argument_id, self.role,
                                               actor=self.annotator, argument_link_id=self.link_id)
        self.focus_span = event_id
        if self.parent_command is not None:
            self.parent_command.focus_span = event_id
        self._notify()

    def revert(self) -> None:
        self.store.delete_argument(self.link_id, actor=self.annotator)
        self._notify()


def union(current: tuple[int, int] | None, *ranges: tuple[int, int]) -> tuple[int, int] | None:
    """The smallest offset range covering ``current`` and ``ranges``."""
    for start, end in ranges:
        current = (start, end) if current is None else (min(current[0], start), max(current[1], end))
    return current


def _resolve(reference: "int | DecideSuggestion") -> int:
    return reference.decided_span if isinstance(reference, DecideSuggestion) else reference


class DeleteArgument(StoreCommand):
    def __init__(self, context: EditContext, article_id: int, link_id: int, role: str,
                 parent: "Compound | None" = None):
        super().__init__(context, article_id, f"Unlink {role}", parent)
        self.link_id = link_id
        self.link = None

    def do(self) -> None:
        self.link = self.store.delete_argument(self.link_id, actor=self.annotator)
        self.focus_span = self.link.event_id
        self._notify()

    def revert(self) -> None:
        self.store.add_argument(self.link.event_id, self.link.argument_id, self.link.role,
                                actor=self.annotator, argument_link_id=self.link.id)
        self._notify()


class SetState(StoreCommand):
    """Mark done, skip or flag (with a note); undo puts the previous state and note back."""

    def __init__(self, context: EditContext, article_id: int, state: ArticleState, note: str | None = None,
                 parent: "Compound | None" = None):
        names = {ArticleState.DONE: "Mark done", ArticleState.SKIPPED: "Skip", ArticleState.FLAGGED: "Flag"}
        super().__init__(context, article_id, names.get(state, f"Set {state}"), parent)
        self.state, self.note = state, note
        self.previous: tuple[ArticleState, str | None] | None = None

    def do(self) -> None:
        previous = self.store.set_state(self.article_id, self.annotator, self.state, self.note)
        if self.previous is None:
            self.previous = previous
        self._notify()

    def revert(self) -> None:
        self.store.set_state(self.article_id, self.annotator, *self.previous)
        self._notify()


class Compound(StoreCommand):
    """Several edits as one undo step (accept all, fix a suggestion); atomic in the file too."""

    def __init__(self, context: EditContext, article_id: int, text: str):
        self.children_commands: list[StoreCommand] = []
        super().__init__(context, article_id, text)

    def do(self) -> None:
        with self.store.transaction():
            for child in self.children_commands:
                child.do()
        self._gather()
        self._notify()

    def revert(self) -> None:
        with self.store.transaction():
            for child in reversed(self.children_commands):
                child.revert()
        self._gather()
        self._notify()

    def _gather(self) -> None:
        self.touched = union(None, *(c.touched for c in self.children_commands if c.touched))


def accept_all(context: EditContext, article_id: int, suggestions: list) -> Compound:
    """One step accepting every pending suggestion shown; entities first, so an event accepted
    afterwards links to the entity copies instead of copying them a second time."""
    parent = Compound(context, article_id, f"Accept all {len(suggestions)} suggestions")
    ordered = sorted(suggestions, key=lambda span: (span.layer is Layer.EVENT, span.start_char))
    for span in ordered:
        DecideSuggestion(context, article_id, span.id, Status.ACCEPTED, span.label, parent)
    return parent


def fix_suggestion(context: EditContext, article_id: int, suggestion, text: str,
                   changes: dict[str, Any], *, mergeable: bool = False) -> QUndoCommand:
    """Changing a suggestion means accepting it into one's own layer and changing that copy."""
    parent = Compound(context, article_id, text)
    decide = DecideSuggestion(context, article_id, suggestion.id, Status.ACCEPTED, suggestion.label, parent)
    _DeferredUpdate(context, article_id, decide, text, changes, parent)
    return parent


class _DeferredUpdate(UpdateSpan):
    """Updates the span a sibling DecideSuggestion created (its id is known only after redo)."""

    def __init__(self, context, article_id, decide: DecideSuggestion, text, changes, parent):
        super().__init__(context, article_id, -1, text, changes, parent=parent)
        self.decide = decide

    def do(self) -> None:
        self.span_id = self.decide.decided_span
        super().do()
        self.parent_command.focus_span = self.span_id
