"""Undoable edits, Qt-free: every change an annotator or reviewer makes is an :class:`Edit`.

An edit runs once through a :class:`Recorder`, which performs each write through the store and keeps
a step that knows how to take it back and put it again with the same ids (a span deleted on undo
comes back with its id, its argument links and its gold provenance). So an undo stack of later
edits that refer to those ids stays valid, whichever window made them. The window wraps an edit in
one small Qt adapter (``annotator.gui.undo``); the command line and tests apply them directly.

Each edit is one transaction in the file, and undo and redo are logged like any other action.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Protocol

from annotator.domain import ArticleState, Layer, Span, Status


class Step(Protocol):
    def undo(self, store, actor: str) -> None: ...

    def redo(self, store, actor: str) -> None: ...


@dataclass
class _SpanAdded:
    span_id: int
    snapshot: dict[str, Any] | None = None

    def undo(self, store, actor):
        self.snapshot = store.spans.delete(self.span_id, actor=actor)

    def redo(self, store, actor):
        store.spans.restore(self.snapshot, actor=actor)


@dataclass
class _SpanDeleted:
    snapshot: dict[str, Any]

    def undo(self, store, actor):
        store.spans.restore(self.snapshot, actor=actor)

    def redo(self, store, actor):
        self.snapshot = store.spans.delete(self.snapshot["span"]["id"], actor=actor)


@dataclass
class _SpanUpdated:
    span_id: int
    before: dict[str, Any]
    after: dict[str, Any]

    def undo(self, store, actor):
        store.spans.update(self.span_id, actor=actor, **self.before)

    def redo(self, store, actor):
        store.spans.update(self.span_id, actor=actor, **self.after)


@dataclass
class _Linked:
    link_id: int
    event_id: int
    filler_id: int
    role: str

    def undo(self, store, actor):
        store.arguments.delete(self.link_id, actor=actor)

    def redo(self, store, actor):
        store.arguments.add(self.event_id, self.filler_id, self.role, actor=actor, argument_link_id=self.link_id)


@dataclass
class _Unlinked:
    link: Any  # annotator.domain.Argument

    def undo(self, store, actor):
        store.arguments.add(self.link.event_id, self.link.filler_id, self.link.role, actor=actor,
                            argument_link_id=self.link.id)

    def redo(self, store, actor):
        store.arguments.delete(self.link.id, actor=actor)


@dataclass
class _StateSet:
    article_id: int
    annotator: str
    before: tuple[ArticleState, str | None]
    after: tuple[ArticleState, str | None]

    def undo(self, store, actor):
        store.states.set(self.article_id, self.annotator, *self.before)

    def redo(self, store, actor):
        store.states.set(self.article_id, self.annotator, *self.after)


@dataclass
class _DecisionAdded:
    row: dict[str, Any]

    def undo(self, store, actor):
        store.gold.delete_decision(self.row["id"])

    def redo(self, store, actor):
        store.gold.restore_decision(self.row)


@dataclass
class _GoldPointed:
    target: int
    before: int | None
    after: int | None
    argument: bool = False

    def undo(self, store, actor):
        (store.gold.point_argument if self.argument else store.gold.point_span)(self.target, self.before)

    def redo(self, store, actor):
        (store.gold.point_argument if self.argument else store.gold.point_span)(self.target, self.after)


@dataclass
class _EventOverrideSet:
    span_id: int
    before: dict[str, Any] | None
    after: dict[str, Any] | None

    def undo(self, store, actor):
        store.events.set_override(self.span_id, actor, _override_values(self.before))

    def redo(self, store, actor):
        store.events.set_override(self.span_id, actor, self.after)


@dataclass
class _EventGroupAdded:
    group_id: int
    snapshot: dict[str, Any] | None = None

    def undo(self, store, actor):
        self.snapshot = store.events.remove_group(self.group_id)

    def redo(self, store, actor):
        s = self.snapshot
        store.events.add_group(s["members"], s["reviewer"], s["kind"], s["replaces"], group_id=s["group_id"])


@dataclass
class _EventGroupRemoved:
    snapshot: dict[str, Any]

    def undo(self, store, actor):
        s = self.snapshot
        store.events.add_group(s["members"], s["reviewer"], s["kind"], s["replaces"], group_id=s["group_id"])

    def redo(self, store, actor):
        self.snapshot = store.events.remove_group(self.snapshot["group_id"])


def _override_values(override: dict[str, Any] | None) -> dict[str, Any] | None:
    """An event override as stored, without who made it."""
    if override is None:
        return None
    return {k: v for k, v in override.items() if k != "reviewer"}


class Recorder:
    """Performs one edit's writes through the store and keeps the steps that undo and redo them.

    :param store: the project
    :param actor: who makes the edit (every write is attributed to them)
    """

    def __init__(self, store, actor: str):
        self.store = store
        self.actor = actor
        self.steps: list[Step] = []
        self.touched: tuple[int, int] | None = None  # the offsets whose spans changed
        self.focus: int | None = None  # the span to select after the edit
        self.focus_on_revert: int | None = None  # ... and after undoing it

    def touch(self, start: int, end: int) -> None:
        self.touched = union(self.touched, (start, end))

    def add_span(self, article_id: int, start: int, end: int, label: str, layer: Layer | str, *,
                 annotator: str | None = None, attributes: dict[str, Any] | None = None, **fields: Any) -> int:
        """A new span of ``annotator`` (default: the actor)."""
        span_id = self.store.spans.add(article_id, start, end, label, layer, annotator=annotator or self.actor,
                                       attributes=attributes, log=fields.pop("log", True), **fields)
        self.steps.append(_SpanAdded(span_id))
        self.touch(start, end)
        return span_id

    def delete_span(self, span_id: int) -> dict[str, Any]:
        snapshot = self.store.spans.delete(span_id, actor=self.actor)
        self.steps.append(_SpanDeleted(snapshot))
        self.touch(snapshot["span"]["start_char"], snapshot["span"]["end_char"])
        return snapshot

    def update_span(self, span_id: int, **changes: Any) -> dict[str, Any]:
        span = self.store.spans.get(span_id)
        before = self.store.spans.update(span_id, actor=self.actor, **changes)
        self.steps.append(_SpanUpdated(span_id, before, dict(changes)))
        self.touch(span.start_char, span.end_char)
        self.touch(changes.get("start_char", span.start_char), changes.get("end_char", span.end_char))
        return before

    def decide(self, suggestion_id: int, status: Status, *, with_arguments: bool = True) -> list[int]:
        """The actor's decided copy of a suggestion; accepting an event ``with_arguments`` also
        accepts the suggestions filling its roles."""
        if with_arguments:
            created = self.store.suggestions.decide(suggestion_id, self.actor, status)
        else:
            created = [self.store.suggestions.decide_only(suggestion_id, self.actor, status)]
        for span_id in created:
            span = self.store.spans.get(span_id)
            self.steps.append(_SpanAdded(span_id))
            self.touch(span.start_char, span.end_char)
        return created

    def add_argument(self, event_id: int, filler_id: int, role: str, *, log: bool = True) -> int:
        link_id = self.store.arguments.add(event_id, filler_id, role, actor=self.actor if log else None, log=log)
        self.steps.append(_Linked(link_id, event_id, filler_id, role))
        return link_id

    def delete_argument(self, link_id: int):
        link = self.store.arguments.delete(link_id, actor=self.actor)
        self.steps.append(_Unlinked(link))
        return link

    def set_state(self, article_id: int, state: ArticleState | str, note: str | None = None, *,
                  annotator: str | None = None) -> None:
        annotator = annotator or self.actor
        before = self.store.states.set(article_id, annotator, state, note)
        self.steps.append(_StateSet(article_id, annotator, before, (ArticleState(state), note)))

    def add_gold_decision(self, article_id: int, layer: Layer | str, start: int, end: int, kind: str,
                          annotators: list[str]) -> int:
        row = self.store.gold.add_decision(article_id, layer, start, end, kind, annotators, self.actor)
        self.steps.append(_DecisionAdded(row))
        return row["id"]

    def point_gold_span(self, span_id: int, decision_id: int | None) -> None:
        before = self.store.gold.point_span(span_id, decision_id)
        self.steps.append(_GoldPointed(span_id, before, decision_id))

    def point_gold_argument(self, link_id: int, decision_id: int | None) -> None:
        before = self.store.gold.point_argument(link_id, decision_id)
        self.steps.append(_GoldPointed(link_id, before, decision_id, argument=True))

    def set_event_override(self, span_id: int, changes: dict[str, Any]) -> None:
        """The reviewer's date, place or background choice for an event span, merged over the stored one
        (a change to None takes that choice back; nothing left removes the override)."""
        before = self.store.events.override(span_id)
        after = {**(_override_values(before) or {}), **changes}
        after = after if any(v is not None for v in after.values()) else None
        self.store.events.set_override(span_id, self.actor, after)
        self.steps.append(_EventOverrideSet(span_id, before, after))
        self.focus = span_id

    def add_event_group(self, members, kind: str, replaces) -> int:
        group_id = self.store.events.add_group(members, self.actor, kind, replaces)
        self.steps.append(_EventGroupAdded(group_id))
        return group_id

    def remove_event_group(self, group_id: int) -> dict[str, Any]:
        snapshot = self.store.events.remove_group(group_id)
        self.steps.append(_EventGroupRemoved(snapshot))
        return snapshot


Perform = Callable[[Recorder], Any]


@dataclass
class Edit:
    """One undoable step: ``perform`` makes the change the first time; undo and redo replay it.

    :param description: what the user sees in Edit → Undo ("Accept LOCATION")
    :param article_id: the article it changes (undo brings the window back to it)
    :param actor: who makes it
    :param perform: does the writes through a :class:`Recorder`; raising leaves the file untouched
    :param merge_key: consecutive edits with the same key become one undo step (boundary nudges)
    """

    description: str
    article_id: int
    actor: str
    perform: Perform
    merge_key: Any = None
    steps: list[Step] = field(default_factory=list)
    touched: tuple[int, int] | None = None
    focus: int | None = None
    focus_on_revert: int | None = None
    result: Any = None
    done: bool = False
    late: bool = False  # stored after waiting for another writer: the window has moved on meanwhile
    _applied_once: bool = False

    def apply(self, store) -> None:
        """Make the change (the first time) or put it back (redo). Raising leaves the file and this
        edit as they were, so the same edit can be applied again (after a busy file, say)."""
        recorder = None
        with store.transaction():
            if not self._applied_once:
                recorder = Recorder(store, self.actor)
                result = self.perform(recorder)
            else:
                for step in self.steps:
                    step.redo(store, self.actor)
                store.log.add(self.actor, "redo", self.article_id, {"what": self.description})
        if recorder is not None:  # committed: only now is the first application a fact
            self.result = result
            self.steps, self.touched = recorder.steps, recorder.touched
            self.focus, self.focus_on_revert = recorder.focus, recorder.focus_on_revert
            self._applied_once = True
        self.done = True

    def revert(self, store) -> None:
        """Take the change back."""
        with store.transaction():
            for step in reversed(self.steps):
                step.undo(store, self.actor)
            store.log.add(self.actor, "undo", self.article_id, {"what": self.description})
        self.done = False

    @property
    def changed_anything(self) -> bool:
        return bool(self.steps)

    def merge(self, later: "Edit") -> bool:
        """Take ``later`` (already applied) into this step if both have the same ``merge_key``."""
        if self.merge_key is None or later.merge_key != self.merge_key or not later.done:
            return False
        self.steps += later.steps
        if later.touched:
            self.touched = union(self.touched, later.touched)
        return True


def union(current: tuple[int, int] | None, *ranges: tuple[int, int]) -> tuple[int, int] | None:
    """The smallest offset range covering ``current`` and ``ranges``."""
    for start, end in ranges:
        current = (start, end) if current is None else (min(current[0], start), max(current[1], end))
    return current


def apply_all(store, edits: list[Edit]) -> None:
    """Apply edits in order (command line and tests)."""
    for edit in edits:
        edit.apply(store)


# -- an annotator's edits ------------------------------------------------------------------------------

def add_span(actor: str, article_id: int, start: int, end: int, label: str, layer: Layer,
             attributes: dict[str, Any] | None = None, *, settles: list[Span] = ()) -> Edit:
    """A new span of the actor's. ``settles``: pending suggestions it is drawn over, rejected in the
    same step (the annotator's own span says what is there; left pending, Shift+A accepted them too)."""

    def perform(rec: Recorder) -> int:
        for suggestion in settles:
            rec.decide(suggestion.id, Status.REJECTED, with_arguments=False)
        rec.focus = rec.add_span(article_id, start, end, label, layer, attributes=attributes)
        return rec.focus

    return Edit(f"Add {label}", article_id, actor, perform)


def delete_span(actor: str, span: Span) -> Edit:
    def perform(rec: Recorder) -> None:
        rec.delete_span(span.id)
        rec.focus_on_revert = span.id

    return Edit(f"Delete {span.label}", span.article_id, actor, perform)


def remove_decided(actor: str, span: Span, links: list[Any]) -> Edit:
    """Delete on the actor's accepted copy of a suggestion: the decision becomes a rejection, so the
    suggestion does not come back pending; ``links`` (the arguments it is the event or the filler
    of) go with it. Plain deletion would bring the suggestion back and need a second key (X)."""

    def perform(rec: Recorder) -> None:
        for link in links:
            rec.delete_argument(link.id)
        rec.update_span(span.id, status=Status.REJECTED)
        rec.focus = rec.focus_on_revert = span.id

    return Edit(f"Remove {span.label}", span.article_id, actor, perform)


def decide(actor: str, suggestion: Span, status: Status) -> Edit:
    """Accept or reject a shared suggestion (accepting an event accepts its suggested arguments)."""
    verb = "Accept" if status is Status.ACCEPTED else "Reject"

    def perform(rec: Recorder) -> list[int]:
        created = rec.decide(suggestion.id, status)
        rec.focus = created[0] if status is Status.ACCEPTED else None
        rec.focus_on_revert = suggestion.id
        return created

    return Edit(f"{verb} {suggestion.label}", suggestion.article_id, actor, perform)


def change_span(actor: str, span: Span, description: str, changes: dict[str, Any], *,
                mergeable: bool = False) -> Edit:
    """Relabel, resize or set attributes. A suggestion is accepted first (that span only: its
    suggested arguments stay pending), in the same step, so nothing is decided silently."""

    def perform(rec: Recorder) -> int:
        target = span.id
        if span.is_suggestion:
            [target] = rec.decide(span.id, Status.ACCEPTED, with_arguments=False)
            rec.focus_on_revert = span.id
        else:
            rec.focus_on_revert = span.id
        rec.update_span(target, **changes)
        rec.focus = target
        return target

    key = ("resize", span.id) if mergeable and not span.is_suggestion else None
    return Edit(description, span.article_id, actor, perform, merge_key=key)


def link(actor: str, event: Span, filler: Span, role: str) -> Edit:
    """Make ``filler`` fill ``role`` of ``event``. A suggested event is accepted as plain A accepts
    it, with its suggested arguments (linking one more role must not drop the others); a suggested
    filler is accepted alone, unless accepting the event already made the actor's copy of it."""

    def perform(rec: Recorder) -> int:
        copies: dict[int, int] = {}  # suggestion id -> the actor's accepted copy made here
        event_id = event.id
        if event.is_suggestion:
            created = rec.decide(event.id, Status.ACCEPTED)
            event_id = created[0]
            copies = {rec.store.spans.get(span_id).suggestion_id: span_id for span_id in created}
        filler_id = filler.id
        if filler.is_suggestion:
            filler_id = copies.get(filler.id) or rec.decide(filler.id, Status.ACCEPTED, with_arguments=False)[0]
        link_id = rec.add_argument(event_id, filler_id, role)
        rec.focus = event_id
        rec.focus_on_revert = event.id
        return link_id

    return Edit(f"Link {role} to {event.label}", event.article_id, actor, perform)


def unlink(actor: str, article_id: int, link_id: int, role: str, event_id: int) -> Edit:
    def perform(rec: Recorder) -> None:
        rec.delete_argument(link_id)
        rec.focus = rec.focus_on_revert = event_id

    return Edit(f"Unlink {role}", article_id, actor, perform)


STATE_VERBS = {ArticleState.DONE: "Mark done", ArticleState.SKIPPED: "Skip", ArticleState.FLAGGED: "Flag"}


def set_state(actor: str, article_id: int, state: ArticleState, note: str | None = None) -> Edit:
    def perform(rec: Recorder) -> None:
        rec.set_state(article_id, state, note)

    return Edit(STATE_VERBS.get(state, f"Set {state}"), article_id, actor, perform)


def accept_all(actor: str, article_id: int, suggestions: list[Span]) -> Edit:
    """Every pending suggestion shown, as one step; entities first, so an event accepted afterwards
    links to the entity copies instead of copying them a second time."""

    def perform(rec: Recorder) -> list[int]:
        created: list[int] = []
        for span in sorted(suggestions, key=lambda s: (s.layer is Layer.EVENT, s.start_char)):
            created += rec.decide(span.id, Status.ACCEPTED)
        # One line that says what the whole step did, besides the store's line per decision: the
        # article's history reads "accepted all 7" whether the window or `annotator accept` did it.
        rec.store.log.add(actor, "accept_all", article_id,
                          {"suggestions": sorted(s.id for s in suggestions), "spans": created})
        return created

    return Edit(f"Accept all {len(suggestions)} suggestions", article_id, actor, perform)
