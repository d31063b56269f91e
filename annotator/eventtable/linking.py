"""The same real-world event across reports: records proposed as one group with several sources, and
the reviewer's confirm / split / merge as pure functions returning a new grouping (the store keeps the
decisions; :func:`apply_confirmed` replays them over a fresh proposal).

Two records may be one event only when they are of one type family (ACLED's disorder type for ACLED
labels; labels the scheme does not explain share one family, and their words must be forms of one
word or of one word family, :data:`WORD_FAMILIES`), one modality class, and nothing they both know
contradicts: dates whose periods (each as wide as its precision) do not meet, places farther apart than
their precision allows (25 km between towns, as UCDP's where_prec 2; a region holds its own towns and
districts, else 300 km from its middle; a country-level place says nothing about a town, never "same
country" alone; a place that is only where the article is set, its dateline or a place named earlier,
stands in as a published date does and contradicts nothing), actors (or targets) of no common name or
type, or perpetrators the gazetteer names on both sides with none in common. Past those
rules, evidence adds up (:func:`affinity`): the same type word or related words, dates that meet (less
for a published date standing in), the same place or a near one, the same article or the same
dateline, shared names. Records are then joined by average linkage with cannot-links
(:func:`_average_linkage`): groups join, strongest first, while the mean evidence over every pair
across them reaches the threshold; a pair that contradicts counts against the join, and one whose
annotated places or dates contradict forbids it, so A~B and B~C never chain an A and C placed in two
towns into one event.
"""

from __future__ import annotations

import gc
import math
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from typing import Iterable, Mapping, Sequence

from annotator.eventtable.places import COUNTRY, REGION, TOWN, distance_km
from annotator.eventtable.records import (
    IDENTITY_MILITIA, POLITICAL_MILITIA, REBELS, STATE_FORCES, UNTYPED_FAMILY, EventRecord,
)

RecordKey = tuple[int, int]  # (article_id, span_id)
# Place bases of where the article is set, not read from the event's words: a place named earlier, or only
# the dateline (where the reporter is, ADR 30).
SETTINGS = frozenset({"article", "dateline"})
TOWN_KM = 25.0
SLACK = timedelta(days=1)  # "overnight", time zones: reports of one event may name adjacent days
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
        # A published date standing in for an unknown one: news reports what happened within the week
        # before (ACLED's weekly coding), so it contradicts nothing in that week.
        start -= timedelta(days=7)
    return start, end


def _dates(a: EventRecord, b: EventRecord) -> float | None:
    """Evidence from dates: None when they contradict, 0 when one is unknown."""
    return _date_score(_Evidence(a), _Evidence(b))


def _date_score(x: "_Evidence", y: "_Evidence") -> float | None:
    pa, pb = x.period, y.period
    if pa is None or pb is None:
        return 0.0
    if not (pa[0] <= pb[1] + SLACK and pb[0] <= pa[1] + SLACK):
        return None
    if not (pa[0] <= pb[1] and pb[0] <= pa[1]):
        return 0.75
    if x.fallback or y.fallback:
        # a published date standing in: the same day's news is some evidence, the same week's little
        return 1.0 if abs((x.day - y.day).days) <= 1 else 0.25
    return {1: 1.5, 2: 1.25, 3: 0.75}.get(max(x.precision, y.precision), 0.25)


def dates_compatible(a: EventRecord, b: EventRecord) -> bool:
    pa, pb = _period(a), _period(b)
    if pa is None or pb is None:
        return False
    return pa[0] <= pb[1] and pb[0] <= pa[1]


def _places(a: EventRecord, b: EventRecord) -> float | None:
    """Evidence from places: None when too far apart for their precision, 0 when one says too little."""
    pa = a.place.place if a.place else None
    pb = b.place.place if b.place else None
    if pa is None or pb is None:
        return 0.0
    if pa.geonameid == pb.geonameid:
        if pa.precision == COUNTRY and _set(a, b):
            return 0.0  # two reports set in one country: every report of a war is
        return {TOWN: 1.5, REGION: 0.75}.get(pa.precision, 0.5)
    if (a.article_id == b.article_id and a.disorder_type != UNTYPED_FAMILY and pa.precision == TOWN == pb.precision
            and not _set(a, b)):
        # One report whose own words put two events in two towns has told them apart, however near the
        # towns ("captured Toshkivka" and "shelled Sievierodonetsk"): ACLED's events are one per place.
        return None
    if COUNTRY in (pa.precision, pb.precision) and pa.country_code == pb.country_code:
        return 0.25  # a country says nothing about which of its towns: never enough alone
    if _within(pa, pb):
        return 0.75  # a region and a place in it: as much as one region, whatever the distance to its middle
    if pa.country_code == pb.country_code and _near(pa, pb):
        return 1.0
    if _set(a, b):
        # Where the article is set (its dateline, a place named earlier) stands in for a place the event's
        # own words do not give: a guess, as a published date standing in for the event's day, so it
        # contradicts nothing; it agrees only when the places meet.
        return 0.0
    return None


def _set(a: EventRecord, b: EventRecord) -> bool:
    """Whether either record's place is only where its article is set."""
    return a.place.basis in SETTINGS or b.place.basis in SETTINGS


def _within(pa, pb) -> bool:
    """Whether one place is a region (a province, or a district of it) and the other lies in the same
    province, by GeoNames' admin1 code: "Texas" holds El Paso, 900 km from the state's middle."""
    if REGION not in (pa.precision, pb.precision) or COUNTRY in (pa.precision, pb.precision):
        return False
    return pa.admin1_code == pb.admin1_code and _admin1_known(pa.admin1_code)


def _admin1_known(code: str) -> bool:
    # curated regions carry no code; GeoNames writes "00" (or nothing) for a place of no province
    return bool(code) and code.split(".")[-1] not in {"", "00"}


def places_compatible(a: EventRecord, b: EventRecord) -> bool:
    pa = a.place.place if a.place else None
    pb = b.place.place if b.place else None
    if pa is None or pb is None:
        return False
    if pa.geonameid == pb.geonameid:
        return True
    return _within(pa, pb) or _near(pa, pb)


@lru_cache(maxsize=65536)
def _near(pa, pb) -> bool:
    # Cached by place pair: a corpus puts thousands of reports in a few hundred places.
    coarsest = max(pa.precision, pb.precision)
    if coarsest == COUNTRY:
        return pa.country_code == pb.country_code
    km = distance_km((pa.latitude, pa.longitude), (pb.latitude, pb.longitude))
    return km <= (REGION_KM if coarsest == REGION else TOWN_KM)


def actors_compatible(a: EventRecord, b: EventRecord) -> bool:
    """Unknown actors (and targets) fit anyone; known ones must share a name or an ACLED actor type, and
    perpetrators named by the gazetteer on both sides must share one ("Boko Haram" is not "ISWAP", though
    both are rebels; "gunmen" fits either)."""
    return (_same_side(a.actors, b.actors) and _same_side(a.targets, b.targets)
            and not _named_apart(a.actors, b.actors))


def _named_apart(these, those) -> bool:
    return _names_apart(_named(these), _named(those))


def _named(actors) -> frozenset[str]:
    return frozenset(x.name.casefold() for x in actors if x.named)


def _names_apart(named_a: frozenset, named_b: frozenset) -> bool:
    return bool(named_a and named_b and not named_a & named_b)


# Perpetrators no report has named yet: "gunmen" may be the jihadists another report names.
_ARMED_TYPES = frozenset({STATE_FORCES, REBELS, POLITICAL_MILITIA, IDENTITY_MILITIA})


def _side(actors) -> tuple[frozenset, frozenset, bool, bool]:
    """What comparing one side of two events reads: its names, its ACLED actor types, whether every one
    is an unidentified perpetrator, whether every one is armed."""
    return (frozenset(x.name.casefold() for x in actors), frozenset(x.inter for x in actors),
            bool(actors) and all(x.unidentified for x in actors),
            bool(actors) and all(x.inter in _ARMED_TYPES for x in actors))


def _same_side(these, those) -> bool:
    return _sides_fit(_side(these), _side(those))


def _sides_fit(a: tuple, b: tuple) -> bool:
    """Unknown actors fit anyone; known ones share a name or an ACLED type; an unidentified perpetrator
    ("gunmen", "attackers") fits any armed actor (the Djibo abduction's headline said "Gunmen", its
    report "suspected jihadist fighters")."""
    (names_a, inters_a, unidentified_a, armed_a), (names_b, inters_b, unidentified_b, armed_b) = a, b
    if not names_a or not names_b or names_a & names_b or inters_a & inters_b:
        return True
    return (unidentified_a and armed_b) or (unidentified_b and armed_a)


def _counts(a: EventRecord, b: EventRecord) -> bool:
    """Death counts of one event may differ between reports, but not by two orders of magnitude."""
    return _deaths_fit(_deaths(a), _deaths(b))


def _deaths(record: EventRecord) -> int | None:
    found = record.fatalities
    return found.best if found is not None and found.best else None


def _deaths_fit(da: int | None, db: int | None) -> bool:
    return da is None or db is None or max(da, db) <= 100 * min(da, db) + 10


def family(record: EventRecord) -> str:
    """The type family linking compares: ACLED's disorder type for labels the scheme explains. Labels it
    does not explain share one family, and their trigger words decide (:func:`words_related`): a scheme
    that never says "quake" and "earthquake" are one kind of event leaves it to the words."""
    return record.disorder_type


# Words news uses for one happening, beyond the forms of one word (those :func:`stem` joins). A word may
# stand in several sets ("fire": a blaze, or shots). Written for the event words of news reports and
# checked against the odd-numbered ECB+ development topics (bench/link_bench.py); never the reserved ones.
WORD_FAMILIES: tuple[frozenset[str], ...] = tuple(frozenset(words.split()) for words in (
    "die death dead kill killing slay slaying murder fatal perish toll body",
    "injure injury wound hurt injured wounded casualty",
    "earthquake quake temblor tremor shake shaking jolt aftershock",
    "hit strike rock jolt shake devastate",
    "fire blaze burn inferno flame wildfire",
    "shoot shooting gunfire gunshot fire gunman",
    "attack assault raid ambush strike offensive",
    "bomb bombing blast explosion explode detonate detonation",
    "clash fight fighting battle skirmish firefight",
    "arrest detain detention capture apprehend custody seize nab",
    "kidnap kidnapping abduct abduction",
    "protest demonstration rally march",
    "say tell announce report state statement reveal disclose confirm accord",
    "release launch issue unveil introduce rush",
    "buy acquire acquisition purchase takeover deal",
    "win victory beat defeat triumph lose loss",
    "rehab rehabilitation treatment stint check enter placement",
    "flee leave escape run drive",
    "destroy demolish damage raze wreck burn",
    "fix patch plug repair",
    "nominate nomination nominee pick choose name appoint appointment",
    "fire dismiss sack oust replace",
    "convict conviction sentence guilty verdict",
))

_SUFFIXES = ("ments", "ment", "ings", "ing", "ions", "ion", "ies", "ied", "es", "ed", "s", "d", "e")


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A word without its endings ("checks", "checked", "checking" -> "check"; "violation", "violating"
    -> "violat"): the parser's lemma misses forms in headlines ("Checks Into Rehab" read as a noun)."""
    word = word.casefold().strip(".,;:'\"’")
    stripped = True
    while stripped:
        stripped = False
        for suffix in _SUFFIXES:
            if word.endswith(suffix) and len(word) - len(suffix) >= 3:
                word, stripped = word[: -len(suffix)], True
                break
    return word


@lru_cache(maxsize=65536)
def _words(label: str, trigger: str) -> frozenset[str]:
    """The stems that name an event: its label's words (a scheme's "quake") and its trigger's."""
    found = {stem(w) for w in label.replace("_", " ").split()}
    found.update(stem(w) for w in trigger.split() if len(w) > 2)
    return frozenset(found)


_FAMILY_OF: dict[str, frozenset[int]] = {}
for _index, _family in enumerate(WORD_FAMILIES):
    for _word in _family:
        _FAMILY_OF[stem(_word)] = _FAMILY_OF.get(stem(_word), frozenset()) | {_index}


def words_related(a: EventRecord, b: EventRecord) -> float:
    """Evidence from the words naming two events: 1 for forms of one word, 0.75 for words of one family
    (:data:`WORD_FAMILIES`), else 0."""
    return _word_score(_Evidence(a), _Evidence(b))


def _word_score(x: "_Evidence", y: "_Evidence") -> float:
    return 1.0 if x.words & y.words else 0.75 if x.families & y.families else 0.0


RARE_NAME_ARTICLES = 50
THRESHOLD = 1.5  # mean evidence two groups need (the same type word counts 1, a matching day 1.5...); set on
# the odd ECB+ development topics with CONTRADICTION (bench/link_bench.py)


def affinity(a: EventRecord, b: EventRecord) -> float | None:
    """How strongly two records read as one event; None when anything contradicts.

    Contradictions first: another type family, modality class or background; actors or targets of no
    common name or type, or perpetrators named apart (:func:`actors_compatible`); counts two orders of
    magnitude apart (:func:`_counts`); for labels the scheme does not explain, other labels and unrelated
    words; dates (:func:`_dates`) or places (:func:`_places`) apart. Then the evidence adds up: dates,
    places, the same type (else related words, :func:`words_related`), the same article, else the same
    dateline and shared names (the sums :func:`explain` lists)."""
    return _affinity(_Evidence(a), _Evidence(b), a, b)


class _Evidence:
    """What :func:`affinity` reads of one record, read once a record: a big block compares each record with
    dozens of others, and would otherwise rebuild its actors' name sets, its period and its words' families
    for every pair (:func:`_average_linkage` reads it once a block)."""

    __slots__ = ("kind", "actor_side", "target_side", "named_actors", "deaths",
                 "untyped", "event_type", "words", "families", "period", "fallback", "precision", "day",
                 "article_id", "dateline", "names")

    def __init__(self, record: EventRecord) -> None:
        self.kind = (family(record), record.counted, record.background)
        self.actor_side = _side(record.actors)
        self.target_side = _side(record.targets)
        self.named_actors = _named(record.actors)
        self.deaths = _deaths(record)
        self.untyped = record.disorder_type == UNTYPED_FAMILY
        self.event_type = record.event_type
        self.words = _words(record.label, record.trigger)
        self.families = frozenset().union(*(_FAMILY_OF.get(w, ()) for w in self.words))
        self.period = _period(record)
        self.fallback = record.date.is_fallback
        self.precision = record.date.precision or 3
        self.day = date.fromisoformat(record.date.end or record.date.start) if self.period is not None else None
        self.article_id = record.article_id
        self.dateline = record.source.dateline
        self.names = record.source.names


def _affinity(x: _Evidence, y: _Evidence, a: EventRecord, b: EventRecord) -> float | None:
    """:func:`affinity` of ``a`` and ``b`` from what was read of them once (``x``, ``y``). Each check is the
    piece the rule function the docstring of :func:`affinity` names calls (``_date_score`` for
    :func:`_dates`, ``_deaths_fit`` for :func:`_counts`, ``_word_score`` for :func:`words_related`,
    ``_sides_fit`` and ``_names_apart`` for :func:`actors_compatible`), so :func:`explain` and this read
    one rule; tests/test_eventtable_speed_helpers.py checks the order they are asked in, pair by pair."""
    if x.kind != y.kind:
        return None
    if not (_sides_fit(x.actor_side, y.actor_side) and _sides_fit(x.target_side, y.target_side)):
        return None
    if _names_apart(x.named_actors, y.named_actors) or not _deaths_fit(x.deaths, y.deaths):
        return None
    on_words = _word_score(x, y)
    if x.untyped and x.event_type != y.event_type and not on_words:
        return None  # the scheme says nothing of these labels, and their words name different happenings
    on_dates = _date_score(x, y)
    if on_dates is None:
        return None
    on_places = _places(a, b)
    if on_places is None:
        return None
    score = on_dates + on_places
    score += 1.0 if x.event_type == y.event_type else on_words
    if x.article_id == y.article_id:
        score += 1.5  # one report names its event again and again ("the attack", "the blast")
    else:
        if x.dateline and x.dateline == y.dateline:
            score += 0.5
        shared = len(x.names & y.names)
        score += 1.5 if shared >= 4 else 1.0 if shared >= 2 else 0.0  # the same people, groups and places
    return score


def explain(a: EventRecord, b: EventRecord) -> str:
    """Why two records read (or not) as one event, in words: the first contradiction :func:`affinity`
    stops at, else each piece of evidence it adds (for a bench's list of errors, or a reviewer)."""
    if family(a) != family(b):
        return f"type families differ ({family(a)} / {family(b)})"
    if a.counted != b.counted or a.background != b.background:
        return "one is counted or background, the other not"
    if not actors_compatible(a, b):
        return "actors or targets share no name or type"
    if not _counts(a, b):
        return "death counts too far apart"
    on_words = words_related(a, b)
    if a.disorder_type == UNTYPED_FAMILY and a.event_type != b.event_type and not on_words:
        return "unrelated words"
    on_dates, on_places = _dates(a, b), _places(a, b)
    if on_dates is None:
        return "dates apart"
    if on_places is None:
        return "places apart"
    parts = [f"dates {on_dates:g}", f"places {on_places:g}",
             f"words {1.0 if a.event_type == b.event_type else on_words:g}"]
    if a.article_id == b.article_id:
        parts.append("same article 1.5")
    else:
        if a.source.dateline and a.source.dateline == b.source.dateline:
            parts.append("dateline 0.5")
        shared = len(a.source.names & b.source.names)
        if shared >= 2:
            parts.append(f"{shared} shared names {1.5 if shared >= 4 else 1.0:g}")
    return f"{affinity(a, b):g} = " + ", ".join(parts)


def compatible(a: EventRecord, b: EventRecord) -> bool:
    value = affinity(a, b)
    return value is not None and value >= THRESHOLD


def propose(records: Sequence[EventRecord], *, fixed: Iterable[RecordKey] = (), linkage: str = "average") -> Grouping:
    """Proposed groups over ``records`` (every record in exactly one group; alone if nothing fits).

    Average linkage with cannot-links within each type family (:func:`_average_linkage`): the pair of
    groups with the strongest mean evidence is joined first, while that mean reaches the threshold.

    :param fixed: records already in a confirmed group: left out here (see :func:`apply_confirmed`)
    :param linkage: ``"complete"`` for complete linkage (the bench prints it beside what ships)
    """
    if linkage not in {"average", "complete"}:
        raise ValueError(f"linkage {linkage!r}: average or complete")
    skip = set(fixed)
    blocks: dict[tuple[str, bool, bool], list[EventRecord]] = {}
    for record in records:
        if record.key not in skip:
            blocks.setdefault((family(record), record.counted, record.background), []).append(record)
    groups: list[Group] = []
    with _no_cycle_collection():
        for block in blocks.values():
            groups.extend(_group(members, False) for members in _average_linkage(block, linkage))
    return Grouping(tuple(sorted(groups, key=lambda g: g.members[0])))


@contextmanager
def _no_cycle_collection():
    """Python's cycle collector paused while the records are clustered: the clustering makes hundreds of
    thousands of small dicts, sets and tuples and no reference cycles, and each of the collector's full
    passes meanwhile would walk every live object of the process (the place index's among them): about
    a third of the grouping's time on 10,000 articles. Freed objects still go at once (reference counts);
    the collector is back on, as it was, when the clustering ends or fails."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _town(record: EventRecord):
    """The town an event's own words place it in (the article's setting stands in only: any town may meet it)."""
    place = record.place.place if record.place else None
    if record.place is not None and record.place.basis in SETTINGS:
        return None
    return place if place is not None and place.precision == TOWN else None


def _sweep(dated: list[tuple[date, date, int]], pairs: set, pair_with=None) -> None:
    """Pairs of records whose periods meet (a sweep over start dates); with ``pair_with`` only pairs
    it accepts (given the earlier record's index and the later one's)."""
    dated = sorted(dated)
    active: list[tuple[date, int]] = []
    for start, end, i in dated:
        active = [(e, j) for e, j in active if e >= start]
        pairs.update((min(i, j), max(i, j)) for _, j in active if pair_with is None or pair_with(j, i))
        active.append((end, i))


def _near_towns(towns: dict[int, object]) -> list[tuple[int, int]]:
    """Pairs of distinct towns close enough to be one event's place, found through a grid of cells
    about a town's radius wide instead of comparing every pair of places."""
    cells: dict[tuple[int, int], list[int]] = {}
    for geonameid, place in towns.items():
        cells.setdefault((int(place.latitude // 0.25), int(place.longitude // 0.25)), []).append(geonameid)
    near = []
    for (y, x), ids in cells.items():
        # a cell is 28 km high everywhere, but narrower away from the equator (18 km wide at Kharkiv)
        wide = int(TOWN_KM / (111.2 * 0.25 * max(math.cos(math.radians((y + 0.5) * 0.25)), 0.05))) + 1
        others = [g for dy in (-1, 0, 1) for dx in range(-wide, wide + 1) for g in cells.get((y + dy, x + dx), ())]
        near.extend((p, q) for p in ids for q in others if p < q and _near(towns[p], towns[q]))
    return near


def _candidate_pairs(block: list[EventRecord]):
    """Pairs that could reach the threshold, without comparing every pair of a big block (any other pair
    counts as contradicting): records of one article; articles sharing rare names; dated records whose
    periods meet, when placed in one town or two near ones, or when either is not placed in a town;
    undated records with a place, against the records of that place's country. An undated, unplaced
    record can only reach it within its own article."""
    by_article: dict[int, list[int]] = {}
    by_country: dict[str, list[int]] = {}
    by_town: dict[int, list[tuple[date, date, int]]] = {}
    towns: dict[int, object] = {}
    dated: list[tuple[date, date, int]] = []
    loose: set[int] = set()  # dated records not placed in a town: they may meet any record of their days
    undated_placed: list[int] = []
    for i, record in enumerate(block):
        by_article.setdefault(record.article_id, []).append(i)
        place = record.place.place if record.place else None
        if place is not None:
            by_country.setdefault(place.country_code, []).append(i)
        period = _period(record)
        if period is not None:
            dated.append((period[0], period[1], i))
            town = _town(record)
            if town is None:
                loose.add(i)
            else:
                towns[town.geonameid] = town
                by_town.setdefault(town.geonameid, []).append((period[0], period[1], i))
        elif place is not None:
            undated_placed.append(i)
    pairs: set[tuple[int, int]] = set()
    for ids in by_article.values():
        pairs.update((x, y) for n, x in enumerate(ids) for y in ids[n + 1:])
    # Articles naming the same rare names (each in a few articles only: "Kabul" in every other one says little)
    by_name: dict[str, list[int]] = {}
    for article_id, ids in by_article.items():
        for name in block[ids[0]].source.names:
            by_name.setdefault(name, []).append(article_id)
    sharing: dict[tuple[int, int], int] = {}
    for articles in by_name.values():
        if len(articles) <= RARE_NAME_ARTICLES:
            for n, x in enumerate(articles):
                for y in articles[n + 1:]:
                    sharing[(x, y)] = sharing.get((x, y), 0) + 1
    for (x, y), count in sharing.items():
        if count >= 2:
            pairs.update((min(i, j), max(i, j)) for i in by_article[x] for j in by_article[y])
    for records_there in by_town.values():
        _sweep(records_there, pairs)
    for p, q in _near_towns(towns):
        in_p = {i for _, _, i in by_town[p]}
        _sweep(by_town[p] + by_town[q], pairs, lambda x, y: (x in in_p) != (y in in_p))
    if loose:
        _sweep(dated, pairs, lambda x, y: x in loose or y in loose)
    for i in undated_placed:
        country = block[i].place.place.country_code
        pairs.update((min(i, j), max(i, j)) for j in by_country.get(country, ()) if j != i)
    return pairs


# What a pair that contradicts (another day, a far place, unrelated words) weighs against a join: two
# groups whose other pairs agree strongly may still be one event when one record misread its date or
# place. Pairs never compared (too far apart in time or place to be candidates) weigh the same.
CONTRADICTION = -1.0


FIRM = {"argument", "reviewer"}  # what the annotator linked to the event or the reviewer chose


@dataclass
class _Firm:
    """A group's annotated (or reviewer's) places and periods. Two groups whose firm places or dates
    contradict never join, whatever the rest says: no report in between chains two towns or two days
    together. Places and dates read from the sentence may be misread: theirs weigh only
    :data:`CONTRADICTION` in the mean."""

    places: list = field(default_factory=list)
    periods: list = field(default_factory=list)

    @classmethod
    def of(cls, record: EventRecord) -> "_Firm":
        firm = cls()
        if record.place and record.place.basis in FIRM and record.place.place is not None:
            firm.places.append(record.place.place)
        period = _period(record)
        if record.date.basis in FIRM and period is not None:
            firm.periods.append(period)
        return firm

    def fits(self, other: "_Firm") -> bool:
        slack = timedelta(days=1)
        return (all(_place_fits(p, q) for p in self.places for q in other.places)
                and all(a[0] <= b[1] + slack and b[0] <= a[1] + slack for a in self.periods for b in other.periods))

    def add(self, other: "_Firm") -> None:
        self.places.extend(p for p in other.places if p not in self.places)
        self.periods.extend(p for p in other.periods if p not in self.periods)


def _place_fits(pa, pb) -> bool:
    """Two places that may be one event's (as :func:`_places`, for places alone)."""
    if pa.geonameid == pb.geonameid:
        return True
    if pa.country_code != pb.country_code:
        return False
    return COUNTRY in (pa.precision, pb.precision) or _within(pa, pb) or _near(pa, pb)


def _mean(total: float, scored: int, pairs: int) -> float:
    """Mean evidence over every record pair across two groups."""
    return (total + CONTRADICTION * (pairs - scored)) / pairs


def _average_linkage(block: list[EventRecord], linkage: str = "average") -> list[list[RecordKey]]:
    """Agglomerative clustering with cannot-links: two groups join, strongest first, while the mean
    evidence over every record pair across them reaches the threshold. A pair that contradicts (or was
    never a candidate) weighs :data:`CONTRADICTION`; annotated places or dates apart (:class:`_Firm`) forbid
    the join. Complete linkage asked every pair to reach the threshold alone, which split reports of one
    event whenever one pair said little or one report misread its date or place (ECB+ development
    topics, bench/link_bench.py: pairwise F1 on dated articles 0.47 with it on the tuned half).

    :param linkage: ``"complete"`` joins two groups only when every pair across them reaches the threshold
        alone (strongest weakest pair first): kept so the bench can print it beside what ships"""
    import heapq

    block = sorted(block, key=lambda r: r.key)
    n = len(block)
    # Evidence over cluster pairs: its sum and how many record pairs are compatible (cannot-links are
    # those missing: never candidates, or contradicting).
    total: dict[int, dict[int, float]] = {i: {} for i in range(n)}
    count: dict[int, dict[int, int]] = {i: {} for i in range(n)}
    complete = linkage == "complete"
    lowest: dict[int, dict[int, float]] = {i: {} for i in range(n)}  # the weakest pair across (complete linkage)
    # What affinity reads of each record, once a record: most candidate pairs of a big block fail on
    # the actors, the first thing read.
    evidence = [_Evidence(r) for r in block]
    for i, j in _candidate_pairs(block):
        value = _affinity(evidence[i], evidence[j], block[i], block[j])
        if value is not None:
            total[i][j] = total[j][i] = value
            count[i][j] = count[j][i] = 1
            if complete:
                lowest[i][j] = lowest[j][i] = value
    size = {i: 1 for i in range(n)}
    members: dict[int, list[int]] = {i: [i] for i in range(n)}
    firm = {i: _Firm.of(block[i]) for i in range(n)}

    def strength(a: int, c: int) -> float:
        if complete:
            return lowest[a][c] if count[a][c] == size[a] * size[c] else -math.inf
        return _mean(total[a][c], count[a][c], size[a] * size[c])

    heap = [(-value, i, j) for i in range(n) for j, value in total[i].items() if i < j and value >= THRESHOLD]
    heapq.heapify(heap)
    while heap:
        negative, a, b = heapq.heappop(heap)
        if a not in members or b not in members or b not in total[a]:
            continue
        mean = strength(a, b)
        if abs(mean + negative) > 1e-9:
            continue  # a stale entry: the pair's mean changed with an earlier join
        if mean < THRESHOLD or not firm[a].fits(firm[b]):
            continue
        # join b into a; a's sums with every other cluster are the two sums added
        for c in list(total[b]):
            if c == a:
                continue
            total[a][c] = total[c][a] = total[a].get(c, 0.0) + total[b][c]
            count[a][c] = count[c][a] = count[a].get(c, 0) + count[b][c]
            del total[c][b], count[c][b]
            if complete:
                lowest[a][c] = lowest[c][a] = min(lowest[a].get(c, math.inf), lowest[b][c])
                del lowest[c][b]
        del total[a][b], count[a][b]
        total.pop(b), count.pop(b)
        if complete:
            del lowest[a][b]
            lowest.pop(b)
        size[a] += size.pop(b)
        members[a].extend(members.pop(b))
        firm[a].add(firm.pop(b))
        for c, value in total[a].items():
            # only pairs with no cannot-link can ever join: the rest never enter the heap
            mean = strength(a, c)
            if mean >= THRESHOLD:
                heapq.heappush(heap, (-mean, min(a, c), max(a, c)))
    return [[block[i].key for i in sorted(ids)] for ids in members.values()]


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
