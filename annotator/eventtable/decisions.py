"""The reviewer's decisions on the event table as undoable edits (annotator.edits): a place picked
among the candidates, a date typed, groups confirmed, split or merged. Each is stored with who made
it; the window pushes these onto its undo stack, the command line applies them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

from annotator.edits import Edit, Recorder
from annotator.eventtable.linking import Grouping, GroupingError, RecordKey, merge, split


@dataclass
class _OverrideSet:
    span_id: int
    before: dict[str, Any] | None
    after: dict[str, Any] | None

    def undo(self, store, actor):
        store.set_event_override(self.span_id, actor, _values(self.before))

    def redo(self, store, actor):
        store.set_event_override(self.span_id, actor, self.after)


@dataclass
class _GroupAdded:
    group_id: int
    snapshot: dict[str, Any] | None = None

    def undo(self, store, actor):
        self.snapshot = store.remove_event_group(self.group_id)

    def redo(self, store, actor):
        s = self.snapshot
        store.add_event_group(s["members"], s["reviewer"], s["kind"], s["replaces"], group_id=s["group_id"])


@dataclass
class _GroupRemoved:
    snapshot: dict[str, Any]

    def undo(self, store, actor):
        s = self.snapshot
        store.add_event_group(s["members"], s["reviewer"], s["kind"], s["replaces"], group_id=s["group_id"])

    def redo(self, store, actor):
        self.snapshot = store.remove_event_group(self.snapshot["group_id"])


def _values(override: dict[str, Any] | None) -> dict[str, Any] | None:
    if override is None:
        return None
    return {k: v for k, v in override.items() if k != "reviewer"}


def _set(rec: Recorder, span_id: int, changes: dict[str, Any]) -> None:
    before = rec.store.event_override(span_id)
    after = {**(_values(before) or {}), **changes}
    after = after if any(v is not None for v in after.values()) else None
    rec.store.set_event_override(span_id, rec.actor, after)
    rec.steps.append(_OverrideSet(span_id, before, after))
    rec.focus = span_id


def choose_place(reviewer: str, article_id: int, span_id: int, geonameid: int | None) -> Edit:
    """The event happened at this GeoNames place (None: back to what was resolved)."""
    return Edit("Choose the event's place", article_id, reviewer,
                lambda rec: _set(rec, span_id, {"geonameid": geonameid}))


def choose_date(reviewer: str, article_id: int, span_id: int, date: str | None, *, date_end: str | None = None,
                precision: int | None = 1) -> Edit:
    """The event happened on this ISO date (precision 1 day, 2 week, 3 month; None: back to resolved)."""
    changes = {"date": date, "date_end": date_end, "precision": precision if date else None}
    return Edit("Type the event's date", article_id, reviewer, lambda rec: _set(rec, span_id, changes))


def _stored_group(store, members: Sequence[RecordKey]) -> int | None:
    wanted = set(members)
    for group_id, stored in store.event_groups().items():
        if wanted & set(stored):
            return group_id
    return None


def _replace(rec: Recorder, old: Sequence[Sequence[RecordKey]], new: Sequence[Sequence[RecordKey]], kind: str) -> None:
    for members in old:
        stored = _stored_group(rec.store, members)
        if stored is not None:
            rec.steps.append(_GroupRemoved(rec.store.remove_event_group(stored)))
    for members in new:
        group_id = rec.store.add_event_group(members, rec.actor, kind, old)
        rec.steps.append(_GroupAdded(group_id))


def confirm_group(reviewer: str, grouping: Grouping, group_id: str) -> Edit:
    group = grouping.get(group_id)
    return Edit(f"Confirm event {group_id} ({len(group.members)} reports)", group.members[0][0], reviewer,
                lambda rec: _replace(rec, [group.members], [group.members], "confirm"))


def split_group(reviewer: str, grouping: Grouping, group_id: str, parts: Sequence[Sequence[RecordKey]]) -> Edit:
    """Split a group into confirmed parts (see :func:`annotator.eventtable.linking.split`)."""
    group = grouping.get(group_id)
    after = split(grouping, group_id, parts)  # raises GroupingError before anything is written
    new = [g.members for g in after.groups if g not in grouping.groups]
    return Edit(f"Split event {group_id}", group.members[0][0], reviewer,
                lambda rec: _replace(rec, [group.members], new, "split"))


def merge_groups(reviewer: str, grouping: Grouping, group_ids: Sequence[str]) -> Edit:
    after = merge(grouping, group_ids)
    old = [grouping.get(g).members for g in group_ids]
    [merged] = [g.members for g in after.groups if g not in grouping.groups]
    return Edit(f"Merge {len(group_ids)} events", merged[0][0], reviewer,
                lambda rec: _replace(rec, old, [merged], "merge"))


__all__ = ["GroupingError", "choose_date", "choose_place", "confirm_group", "merge_groups", "split_group"]
