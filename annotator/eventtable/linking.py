"""The same real-world event across reports: records proposed as one group with several sources, and
the reviewer's confirm / split / merge as pure functions returning a new grouping (the store keeps the
decisions; :func:`apply_confirmed` replays them over a fresh proposal).

Two records may be one event when they are of one disorder type (ACLED's family of event types), one
modality class (happened or not), their dates overlap within their precision, their places are the same
or near (25 km for towns, as UCDP's where_prec 2; the same country within reach for coarser places), and
their actors do not contradict each other. Groups are grown by complete linkage: a record joins a group
only if it fits every member, so A~B and B~C never chain an unrelated A and C into one event.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import Iterable, Mapping, Sequence

from annotator.eventtable.places import COUNTRY, REGION, distance_km
from annotator.eventtable.records import EventRecord

RecordKey = tuple[int, int]  # (article_id, span_id)
TOWN_KM = 25.0
REGION_KM = 300.0


class GroupingError(ValueError):
    """A confirm, split or merge that does not fit the grouping; the message names the groups."""


@dataclass(frozen=True)
class Group:
    """Records taken as one real-world event. ``confirmed`` once a reviewer said so."""

    id: str
    members: tuple[RecordKey, ...]
    confirmed: bool = False


def _group(members: Iterable[RecordKey], confirmed: bool) -> Group:
    ordered = tuple(sorted(set(members)))
    # Named after its first member, so ids survive re-proposing when new articles arrive later.
    return Group(f"g{ordered[0][0]}-{ordered[0][1]}", ordered, confirmed)


@dataclass(frozen=True)
class Grouping:
    groups: tuple[Group, ...]

    def __post_init__(self) -> None:
        seen: set[RecordKey] = set()
        for group in self.groups:
            for key in group.members:
                if key in seen:
                    raise GroupingError(f"record {key} is in two groups")
                seen.add(key)

    def get(self, group_id: str) -> Group:
        for group in self.groups:
            if group.id == group_id:
                return group
        raise GroupingError(f"no group {group_id!r} (groups: {', '.join(g.id for g in self.groups[:10])}…)")

    def group_of(self, key: RecordKey) -> Group:
        for group in self.groups:
            if key in group.members:
                return group
        raise GroupingError(f"record {key} is in no group")

    def with_groups(self, removed: Iterable[str], added: Iterable[Group]) -> "Grouping":
        gone = set(removed)
        kept = [g for g in self.groups if g.id not in gone]
        return Grouping(tuple(sorted([*kept, *added], key=lambda g: g.members[0])))


def _period(record: EventRecord) -> tuple[date, date] | None:
    return _period_of(record.date.start, record.date.end, record.date.is_fallback)


@lru_cache(maxsize=65536)
def _period_of(start_text: str | None, end_text: str | None, fallback: bool) -> tuple[date, date] | None:
    if not start_text:
        return None
    start, end = date.fromisoformat(start_text), date.fromisoformat(end_text or start_text)
    if fallback:
        # A published date standing in for an unknown one: the event may be the day before.
        start -= timedelta(days=1)
    return start, end


def dates_compatible(a: EventRecord, b: EventRecord) -> bool:
    pa, pb = _period(a), _period(b)
    if pa is None or pb is None:
        return False
    return pa[0] <= pb[1] and pb[0] <= pa[1]


def places_compatible(a: EventRecord, b: EventRecord) -> bool:
    pa = a.place.place if a.place else None
    pb = b.place.place if b.place else None
    if pa is None or pb is None:
        return False
    if pa.geonameid == pb.geonameid:
        return True
    return _near(pa, pb)


@lru_cache(maxsize=65536)
def _near(pa, pb) -> bool:
    # Cached by place pair: a corpus puts thousands of reports in a few hundred places.
    coarsest = max(pa.precision, pb.precision)
    if coarsest == COUNTRY:
        return pa.country_code == pb.country_code
    km = distance_km((pa.latitude, pa.longitude), (pb.latitude, pb.longitude))
    return km <= (REGION_KM if coarsest == REGION else TOWN_KM)


def actors_compatible(a: EventRecord, b: EventRecord) -> bool:
    """Unknown actors fit anyone; known ones must share a name or an ACLED actor type."""
    if not a.actors or not b.actors:
        return True
    names_a = {x.name.casefold() for x in a.actors}
    if names_a & {x.name.casefold() for x in b.actors}:
        return True
    return bool({x.inter for x in a.actors} & {x.inter for x in b.actors})


def compatible(a: EventRecord, b: EventRecord) -> bool:
    return (
        a.disorder_type == b.disorder_type
        and a.counted == b.counted
        and places_compatible(a, b)
        and dates_compatible(a, b)
        and actors_compatible(a, b)
    )


def propose(records: Sequence[EventRecord], *, fixed: Iterable[RecordKey] = ()) -> Grouping:
    """Proposed groups over ``records`` (every record in exactly one group; alone if nothing fits).

    :param fixed: records already in a confirmed group: left out here (see :func:`apply_confirmed`)
    """
    skip = set(fixed)
    # Blocks of records that could ever match: one family, one modality class, one country (places in
    # two countries are never linked: a border town's twin across it is another event for ACLED too).
    blocks: dict[tuple[str, bool, str], list[tuple[date, date, EventRecord]]] = {}
    alone: list[EventRecord] = []
    for record in records:
        if record.key in skip:
            continue
        period = _period(record)
        place = record.place.place if record.place else None
        if period is None or place is None:
            alone.append(record)  # no date or no place: nothing to match it on
        else:
            blocks.setdefault((record.disorder_type, record.counted, place.country_code), []).append((*period, record))
    groups: list[Group] = []
    for block in blocks.values():
        block.sort(key=lambda item: (item[0], item[2].key))
        open_groups: list[tuple[date, list[EventRecord]]] = []  # (latest end among members, members)
        for start, end, record in block:
            # Sweep: groups whose every member ended before this record started can take no one else.
            still_open = []
            for latest, members in open_groups:
                if latest >= start:
                    still_open.append((latest, members))
                else:
                    groups.append(_group((m.key for m in members), False))
            open_groups = still_open
            for index, (latest, members) in enumerate(open_groups):
                if all(compatible(record, m) for m in members):
                    members.append(record)
                    open_groups[index] = (max(latest, end), members)
                    break
            else:
                open_groups.append((end, [record]))
        groups.extend(_group((m.key for m in members), False) for _, members in open_groups)
    groups.extend(_group([r.key], False) for r in alone)
    return Grouping(tuple(sorted(groups, key=lambda g: g.members[0])))


def apply_confirmed(records: Sequence[EventRecord], confirmed: Iterable[Iterable[RecordKey]]) -> Grouping:
    """Replay the reviewer's confirmed groups, then propose groups among the remaining records.

    Confirmed members whose records are gone (span deleted, article left out) are dropped silently:
    the confirmation still holds for the rest.
    """
    present = {r.key for r in records}
    fixed: list[Group] = []
    taken: set[RecordKey] = set()
    for members in confirmed:
        kept = [k for k in members if k in present and k not in taken]
        if kept:
            fixed.append(_group(kept, True))
            taken.update(kept)
    rest = propose(records, fixed=taken)
    return Grouping(tuple(sorted([*fixed, *rest.groups], key=lambda g: g.members[0])))


def confirm(grouping: Grouping, group_id: str) -> Grouping:
    group = grouping.get(group_id)
    return grouping.with_groups([group_id], [_group(group.members, True)])


def split(grouping: Grouping, group_id: str, parts: Sequence[Sequence[RecordKey]]) -> Grouping:
    """Split a group into confirmed parts; members not named in ``parts`` become one more part.

    :raises GroupingError: when a part names a record outside the group or two parts share one
    """
    group = grouping.get(group_id)
    members = set(group.members)
    seen: set[RecordKey] = set()
    cleaned: list[list[RecordKey]] = []
    for index, part in enumerate(parts):
        keys = [tuple(k) for k in part]
        outside = [k for k in keys if k not in members]
        if outside:
            raise GroupingError(f"split of {group_id}: part {index} names {outside}, not members of the group")
        twice = [k for k in keys if k in seen]
        if twice:
            raise GroupingError(f"split of {group_id}: {twice} named in two parts")
        seen.update(keys)
        if keys:
            cleaned.append(keys)
    rest = [k for k in group.members if k not in seen]
    if rest:
        cleaned.append(rest)
    if len(cleaned) < 2:
        raise GroupingError(f"split of {group_id}: the parts leave it one group")
    return grouping.with_groups([group_id], [_group(part, True) for part in cleaned])


def merge(grouping: Grouping, group_ids: Sequence[str]) -> Grouping:
    """One confirmed group from several (the reviewer knows better than the dates or places)."""
    if len(set(group_ids)) < 2:
        raise GroupingError("merge needs at least two different groups")
    members = [k for gid in group_ids for k in grouping.get(gid).members]
    return grouping.with_groups(group_ids, [_group(members, True)])


def count_events(grouping: Grouping, records: Mapping[RecordKey, EventRecord], *, include_uncounted: bool = False) -> int:
    """Real-world events: one per group, never one per report. Groups of plans, hypotheses or denials
    count only when asked."""
    total = 0
    for group in grouping.groups:
        present = [records[k] for k in group.members if k in records]
        if present and (include_uncounted or any(r.counted for r in present)):
            total += 1
    return total
