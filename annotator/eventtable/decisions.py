"""The reviewer's decisions on the event table as undoable edits (annotator.edits): a place picked
among the candidates, a date typed, groups confirmed, split or merged. Each is stored with who made
it; the window pushes these onto its undo stack, the command line applies them."""

from __future__ import annotations

from typing import Sequence

from annotator.edits import Edit, Recorder
from annotator.eventtable.linking import Grouping, GroupingError, RecordKey, merge, split


def choose_place(reviewer: str, article_id: int, span_id: int, geonameid: int | None) -> Edit:
    """The event happened at this GeoNames place (None: back to what was resolved)."""
    return Edit("Choose the event's place", article_id, reviewer,
                lambda rec: rec.set_event_override(span_id, {"geonameid": geonameid}))


def choose_date(reviewer: str, article_id: int, span_id: int, date: str | None, *, date_end: str | None = None,
                precision: int | None = 1) -> Edit:
    """The event happened on this ISO date (precision 1 day, 2 week, 3 month; None: back to resolved)."""
    changes = {"date": date, "date_end": date_end, "precision": precision if date else None}
    return Edit("Type the event's date", article_id, reviewer, lambda rec: rec.set_event_override(span_id, changes))


def mark_background(reviewer: str, article_id: int, span_id: int, background: bool | None) -> Edit:
    """The event is background, told as history (True: out of the table), an event of its own (False),
    or as its dates say (None)."""
    title = {True: "Mark the event as background", False: "Keep the event in the table"}.get(
        background, "Let the dates say whether the event is background")
    return Edit(title, article_id, reviewer, lambda rec: rec.set_event_override(span_id, {"background": background}))


def _stored_group(store, members: Sequence[RecordKey]) -> int | None:
    wanted = set(members)
    for group_id, stored in store.events.groups().items():
        if wanted & set(stored):
            return group_id
    return None


def _replace(rec: Recorder, old: Sequence[Sequence[RecordKey]], new: Sequence[Sequence[RecordKey]], kind: str) -> None:
    for members in old:
        stored = _stored_group(rec.store, members)
        if stored is not None:
            rec.remove_event_group(stored)
    for members in new:
        rec.add_event_group(members, kind, old)


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


__all__ = ["GroupingError", "choose_date", "choose_place", "confirm_group", "mark_background", "merge_groups",
           "split_group"]
