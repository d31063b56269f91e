"""Agreement, second stage: matching one annotator's units against another's, exactly (same offsets
and label; for arguments the same event too) and by overlap (one to one, first fit), counted per label
and per article for every pair, with numpy doing the common cases.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import numpy as np

from annotator.agreement.data import ARGUMENTS, Units, lexorder


def _group_ids(columns: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Ids of equal rows across ``columns`` and, per id, the index of one row having it."""
    n = len(columns[0])
    if n == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    order = lexorder(columns)
    change = np.zeros(n, dtype=bool)
    change[0] = True
    for col in columns:
        ordered = col[order]
        change[1:] |= ordered[1:] != ordered[:-1]
    ids_sorted = np.cumsum(change) - 1
    ids = np.empty(n, dtype=np.int64)
    ids[order] = ids_sorted
    return ids, order[change]


@dataclass
class PairCounts:
    """Per label and per article: exact and overlap matches, and the units both annotators marked."""

    exact_label: np.ndarray
    overlap_label: np.ndarray
    units_label: np.ndarray
    exact_article: np.ndarray
    overlap_article: np.ndarray
    units_article: np.ndarray


@dataclass
class KeyTable:
    """Units of one kind grouped by identity (article, offsets, label): how many each annotator has."""

    representative: np.ndarray  # one unit index per key
    per_key: np.ndarray  # keys x annotators
    article: np.ndarray
    label: np.ndarray


def key_table(kind: str, unit: Units, n_annotators: int) -> KeyTable:
    identity = [unit.article, unit.start, unit.end, unit.label]
    if kind == ARGUMENTS:
        identity += [unit.event_start, unit.event_end, unit.event_label]
    ids, representative = _group_ids(identity)
    n_keys = len(representative)
    per_key = np.bincount(ids * n_annotators + unit.annotator, minlength=n_keys * n_annotators)
    return KeyTable(representative, per_key.reshape(n_keys, n_annotators),
                    unit.article[representative], unit.label[representative])


def pair_counts(kind: str, unit: Units, keys: KeyTable, done: np.ndarray, i: int, j: int,
                 n_labels: int) -> PairCounts:
    n_articles = len(done)
    both = done[keys.article, i] & done[keys.article, j]
    a, b = keys.per_key[:, i] * both, keys.per_key[:, j] * both
    exact = np.minimum(a, b)
    counted = a + b
    overlap_label = np.bincount(keys.label, weights=exact, minlength=n_labels)
    overlap_article = np.bincount(keys.article, weights=exact, minlength=n_articles)
    extra_article, extra_label = _overlap_leftovers(kind, unit, keys, a - exact, b - exact)
    overlap_label += np.bincount(extra_label, minlength=n_labels)
    overlap_article += np.bincount(extra_article, minlength=n_articles)
    return PairCounts(
        exact_label=np.bincount(keys.label, weights=exact, minlength=n_labels),
        overlap_label=overlap_label,
        units_label=np.bincount(keys.label, weights=counted, minlength=n_labels),
        exact_article=np.bincount(keys.article, weights=exact, minlength=n_articles),
        overlap_article=overlap_article,
        units_article=np.bincount(keys.article, weights=counted, minlength=n_articles),
    )


def _overlap_leftovers(kind: str, unit: Units, keys: KeyTable, left_a: np.ndarray,
                       left_b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Articles and labels (two parallel arrays) of the overlap matches among units left after exact
    matching.

    Same label (and, for arguments, same event label), overlapping ranges (event and filler), one to
    one, first fit in order of offsets. A group with one unit on each side, the usual case, is
    settled by numpy; the rest one by one.
    """
    sides = []
    for left in (left_a, left_b):
        key_index = np.nonzero(left)[0]
        repeat = left[key_index]
        rows = np.repeat(keys.representative[key_index], repeat)
        sides.append(rows)
    rows_a, rows_b = sides
    if not len(rows_a) or not len(rows_b):
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    rows = np.concatenate([rows_a, rows_b])
    side = np.concatenate([np.zeros(len(rows_a), dtype=np.int64), np.ones(len(rows_b), dtype=np.int64)])
    group_columns = [unit.article[rows], unit.label[rows]]
    if kind == ARGUMENTS:
        group_columns.append(unit.event_label[rows])
    group, _ = _group_ids(group_columns)
    n_groups = int(group.max()) + 1
    count_a = np.bincount(group[side == 0], minlength=n_groups)
    count_b = np.bincount(group[side == 1], minlength=n_groups)
    found_rows: list[np.ndarray] = []  # unit rows (of side a or b) that found an overlap match
    single = (count_a == 1) & (count_b == 1)
    # One unit each side: they match if they overlap.
    in_single = single[group]
    first_a = np.full(n_groups, -1, dtype=np.int64)
    first_b = np.full(n_groups, -1, dtype=np.int64)
    first_a[group[in_single & (side == 0)]] = rows[in_single & (side == 0)]
    first_b[group[in_single & (side == 1)]] = rows[in_single & (side == 1)]
    pa, pb = first_a[single], first_b[single]
    hit = (unit.start[pa] < unit.end[pb]) & (unit.start[pb] < unit.end[pa])
    if kind == ARGUMENTS:
        hit &= (unit.event_start[pa] < unit.event_end[pb]) & (unit.event_start[pb] < unit.event_end[pa])
    found_rows.append(pa[hit])
    # One unit on one side, several on the other: first fit matches the lone unit once if any unit
    # of the other side overlaps it, whatever the order; settled by numpy too.
    one_many = (count_a > 0) & (count_b > 0) & ~single & (np.minimum(count_a, count_b) == 1)
    if one_many.any():
        lone_side = np.where(count_a == 1, 0, 1)  # per group: the side with one unit
        lone_row = lone_side[group] == side
        in_one_many = one_many[group]
        the_one = np.full(n_groups, -1, dtype=np.int64)
        the_one[group[in_one_many & lone_row]] = rows[in_one_many & lone_row]
        others = in_one_many & ~lone_row
        pa, pb = the_one[group[others]], rows[others]
        hit = (unit.start[pa] < unit.end[pb]) & (unit.start[pb] < unit.end[pa])
        if kind == ARGUMENTS:
            hit &= (unit.event_start[pa] < unit.event_end[pb]) & (unit.event_start[pb] < unit.event_end[pa])
        matched = np.zeros(n_groups, dtype=bool)
        matched[group[others][hit]] = True
        found_rows.append(the_one[np.nonzero(matched)[0]])
    several = (count_a > 0) & (count_b > 0) & ~single & ~one_many
    if several.any():
        found_rows.append(_first_fit(kind, unit, group, side, rows, several))
    matched_rows = np.concatenate(found_rows) if found_rows else np.zeros(0, dtype=np.int64)
    return unit.article[matched_rows], unit.label[matched_rows]


def _first_fit(kind: str, unit: Units, group: np.ndarray, side: np.ndarray, rows: np.ndarray,
               several: np.ndarray) -> np.ndarray:
    """Groups with several units on both sides: each unit of side a, in order of offsets, takes the
    first unused unit of side b (in order of offsets) that overlaps it. Returns the matched a rows."""
    pending: dict[int, list[list[tuple]]] = defaultdict(lambda: [[], []])
    chosen = several[group]
    picked = rows[chosen]
    bounds = [unit.start[picked], unit.end[picked]]
    if kind == ARGUMENTS:
        bounds = [unit.event_start[picked], unit.event_end[picked], *bounds]
    intervals = zip(*(b.tolist() for b in bounds))
    for g, s_, interval, row in zip(group[chosen].tolist(), side[chosen].tolist(), intervals, picked.tolist()):
        pending[g][s_].append((interval, row))
    matched: list[int] = []
    for mine, theirs in pending.values():
        theirs.sort()
        used = [False] * len(theirs)
        for interval, row in sorted(mine):
            start, end = interval[0], interval[1]
            for position, (other, _) in enumerate(theirs):
                if other[0] >= end:
                    break  # sorted by their first start: none further on can overlap
                if not used[position] and start < other[1] and (
                        len(interval) == 2 or (interval[2] < other[3] and other[2] < interval[3])):
                    used[position] = True
                    matched.append(row)
                    break
    return np.asarray(matched, dtype=np.int64)
