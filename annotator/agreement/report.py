"""Agreement between annotators over the articles at least two of them marked done.

Everything is held as parallel numpy arrays (one row per span or argument, one row per token), so a
project of 10,000 articles and three annotators is measured in seconds. See docs/agreement.md for
every choice: tokenizer, "O", overlapping spans, annotators who did not finish an article.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Iterable

import numpy as np

from annotator.agreement import metrics
from annotator.agreement.tokens import TOKENIZER_DESCRIPTION, token_offsets
from annotator.model import GOLD
from annotator.store import Store, StoreError

# JSON names of the three things agreement is measured on.
ENTITIES = "entities"
EVENTS = "event_triggers"
ARGUMENTS = "event_arguments"
KINDS = (ENTITIES, EVENTS, ARGUMENTS)
_SEPARATOR = "\n"  # between articles when tokenizing them in one pass; never part of a token
_TOKENIZE_ARTICLES = 1000  # articles tokenized in one pass


@dataclass
class Units:
    """One kind's spans (or arguments) as parallel arrays.

    For arguments, ``start``/``end`` are the filler's offsets, ``label`` is the role, and the event's
    offsets and label code are in the ``event_*`` arrays.
    """

    article: np.ndarray  # index into AgreementData.article_ids
    annotator: np.ndarray  # index into AgreementData.annotators
    start: np.ndarray
    end: np.ndarray
    label: np.ndarray  # 1.. (0 is "O")
    event_start: np.ndarray | None = None
    event_end: np.ndarray | None = None
    event_label: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.article)


@dataclass
class AgreementData:
    annotators: list[str]
    article_ids: list[int]
    titles: list[str]
    done: np.ndarray  # articles x annotators: marked done
    labels: dict[str, list[str]]  # per kind; labels[kind][0] == "O"
    units: dict[str, Units]
    codes: dict[str, np.ndarray] = field(default_factory=dict)  # per kind: tokens x annotators
    token_article: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))


@dataclass
class KindScores:
    """Figures for one of entities / event triggers / event arguments."""

    labels: list[str]
    overall: dict[str, Any]
    per_label: dict[str, dict[str, Any]]
    pairs: list[dict[str, Any]]
    confusion: dict[tuple[str, str], np.ndarray]

    def to_dict(self) -> dict[str, Any]:
        return {
            "overall": self.overall,
            "labels": self.per_label,
            "pairs": self.pairs,
            "confusion": [
                {"annotators": list(pair), "labels": self.labels, "matrix": table.astype(int).tolist()}
                for pair, table in self.confusion.items()
            ],
        }


@dataclass
class AgreementReport:
    annotators: list[str]
    articles: int
    kinds: dict[str, KindScores]
    per_article: list[dict[str, Any]]

    def to_dict(self) -> dict[str, Any]:
        return {
            "annotators": self.annotators,
            "articles": self.articles,
            "tokenizer": TOKENIZER_DESCRIPTION,
            "missing_label": "a token nobody labelled is 'O'; a span one annotator marked and another did"
            " not counts as label vs 'O' (a disagreement); annotators who did not mark an article done"
            " are missing for it",
            **{kind: scores.to_dict() for kind, scores in self.kinds.items()},
            "per_article": self.per_article,
        }


# -- loading ---------------------------------------------------------------------------------------

def done_articles(store: Store, annotators: Iterable[str] | None = None) -> tuple[list[str], dict[int, list[str]]]:
    """The annotators considered and, per article at least two of them marked done, who did.

    Unless ``annotators`` names them, everyone who marked an article done counts, except the reserved
    ``gold`` annotator: a reviewer who never annotated (their gold edits make them known to the
    project) is not an annotator with nothing done.
    """
    known = [name for name in store.annotator_names() if name != GOLD]
    rows = store.done_by()
    if annotators:
        chosen = list(dict.fromkeys(annotators))
        unknown = [name for name in chosen if name not in known]
        if unknown:
            raise StoreError(
                f"no annotator named {', '.join(map(repr, unknown))} in this project"
                f" (known: {', '.join(known) or 'none yet'})"
            )
        if len(chosen) < 2:
            raise StoreError("agreement needs at least two annotators")
    else:
        finished = {name for _, name in rows}
        chosen = [name for name in known if name in finished]
    wanted = set(chosen)
    by_article: dict[int, list[str]] = defaultdict(list)
    for article_id, name in rows:
        if name in wanted:
            by_article[article_id].append(name)
    shared = {a: names for a, names in by_article.items() if len(names) >= 2}
    return sorted(chosen), shared


def load_agreement_data(store: Store, annotators: Iterable[str] | None = None) -> AgreementData:
    """Spans, arguments and token codes of the articles two or more annotators marked done."""
    chosen, shared = done_articles(store, annotators)
    column = {name: i for i, name in enumerate(chosen)}
    article_ids = sorted(shared)
    row_of = {article_id: i for i, article_id in enumerate(article_ids)}
    done = np.zeros((len(article_ids), len(chosen)), dtype=bool)
    for article_id, names in shared.items():
        for name in names:
            done[row_of[article_id], column[name]] = True
    annotator_ids = {
        annotator_id: column[name] for name, annotator_id in store.annotator_ids_by_name().items() if name in column
    }
    units, labels = _load_units(store, np.asarray(article_ids, dtype=np.int64), done, annotator_ids)
    titles: list[str] = [""] * len(article_ids)
    texts: list[str] = [""] * len(article_ids)
    for article_id, (text, title) in store.article_texts(article_ids).items():
        row = row_of[article_id]
        texts[row] = text
        heading = title or text[:60]
        titles[row] = heading.splitlines()[0] if heading.strip() else ""
    data = AgreementData(chosen, article_ids, titles, done, labels, units)
    _token_codes(data, texts)
    return data


def _ints(text: str | None) -> np.ndarray:
    """A column the store read as comma-separated integers: parsed in C, no Python int per value."""
    if not text:
        return np.zeros(0, dtype=np.int64)
    values = np.fromstring(text, dtype=np.int64, sep=",")  # text mode (sep given) is not deprecated
    if values.size != text.count(",") + 1:
        raise ValueError("a column of integers did not parse")
    return values


def _load_units(store: Store, article_ids: np.ndarray, done: np.ndarray,
                annotator_ids: dict[int, int]) -> tuple[dict[str, Units], dict[str, list[str]]]:
    """Accepted spans and arguments of annotators on articles they marked done, as arrays.

    The store hands over whole columns (one text each); filtering and joining is done by numpy.
    """
    span_labels, span_columns = store.accepted_span_columns(annotator_ids)
    annotator_column = np.full(max(annotator_ids, default=0) + 1, -1, dtype=np.int64)
    for annotator_id, column in annotator_ids.items():
        annotator_column[annotator_id] = column

    # Parsed one column at a time, each text dropped once parsed: the texts are as big as the arrays.
    span_ids = _ints(span_columns.pop("id"))
    by_id = None if np.all(span_ids[1:] > span_ids[:-1]) else np.argsort(span_ids, kind="stable")

    def column(name: str) -> np.ndarray:
        values = _ints(span_columns.pop(name))
        return values if by_id is None else values[by_id]

    if by_id is not None:  # storage order is id order already; made sure of here
        span_ids = span_ids[by_id]
    articles = column("article")
    columns = annotator_column[column("annotator")]
    starts, ends = column("start"), column("end")
    is_event = column("event").astype(bool)
    label_index = column("label")  # into span_labels
    if len(article_ids):
        rows = np.minimum(np.searchsorted(article_ids, articles), len(article_ids) - 1)
        keep = (article_ids[rows] == articles) & done[rows, columns]
    else:
        rows, keep = articles, np.zeros(len(articles), dtype=bool)

    units: dict[str, Units] = {}
    labels: dict[str, list[str]] = {}
    label_codes = np.zeros(len(span_ids), dtype=np.int64)
    for kind, mask in ((ENTITIES, keep & ~is_event), (EVENTS, keep & is_event)):
        used = np.unique(label_index[mask])  # span_labels is sorted, so these are in label order
        labels[kind] = ["O", *(span_labels[i] for i in used.tolist())]
        code_of = np.zeros(len(span_labels), dtype=np.int64)
        code_of[used] = np.arange(1, len(used) + 1)
        label_codes[mask] = code_of[label_index[mask]]
        units[kind] = Units(rows[mask], columns[mask], starts[mask], ends[mask], label_codes[mask])

    # An argument counts when its event and its filler are both counted spans of the same annotator.
    def index_of(ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        if not len(span_ids):
            return ids, np.zeros(len(ids), dtype=bool)
        position = np.minimum(np.searchsorted(span_ids, ids), len(span_ids) - 1)
        return position, (span_ids[position] == ids) & keep[position]

    by_role = store.argument_columns()
    roles_read = sorted(by_role)
    link_ids = [_ints(by_role[role][0]) for role in roles_read]
    in_order = np.argsort(np.concatenate(link_ids or [np.zeros(0, dtype=np.int64)]), kind="stable")
    role_index = np.repeat(np.arange(len(roles_read), dtype=np.int64), [len(ids) for ids in link_ids])[in_order]

    def link_column(position: int) -> np.ndarray:
        parts = [_ints(by_role[role][position]) for role in roles_read]
        return np.concatenate(parts or [np.zeros(0, dtype=np.int64)])[in_order]

    event, event_found = index_of(link_column(1))
    filler, filler_found = index_of(link_column(2))
    arg_keep = event_found & filler_found
    arg_keep[arg_keep] &= is_event[event[arg_keep]] & (columns[event[arg_keep]] == columns[filler[arg_keep]])
    event, filler, role_index = event[arg_keep], filler[arg_keep], role_index[arg_keep]
    used = np.unique(role_index)
    labels[ARGUMENTS] = ["O", *(roles_read[i] for i in used.tolist())]
    code_of = np.zeros(len(roles_read), dtype=np.int64)
    code_of[used] = np.arange(1, len(used) + 1)
    units[ARGUMENTS] = Units(
        rows[event], columns[event], starts[filler], ends[filler], code_of[role_index],
        event_start=starts[event], event_end=ends[event], event_label=label_codes[event],
    )
    return units, labels


def _code_type(n_labels: int) -> type:
    return np.int16 if n_labels < np.iinfo(np.int16).max else np.int64


def _token_codes(data: AgreementData, texts: list[str]) -> None:
    """Tokenize every article in one pass and paint each annotator's labels on the tokens."""
    lengths = np.array([len(t) for t in texts], dtype=np.int64)
    char_base = np.concatenate([[0], np.cumsum(lengths + len(_SEPARATOR))])[:-1]
    # In pieces of articles: the regex's list of matches for all 10,000 at once was the peak of
    # memory (150 MB). A piece boundary is a separator, never inside a token, so tokens are the same.
    starts, ends = [], []
    for first in range(0, len(texts), _TOKENIZE_ARTICLES):
        piece_starts, piece_ends = token_offsets(_SEPARATOR.join(texts[first : first + _TOKENIZE_ARTICLES]))
        starts.append(piece_starts + char_base[first])
        ends.append(piece_ends + char_base[first])
    token_starts = np.concatenate(starts) if starts else np.zeros(0, dtype=np.int64)
    token_ends = np.concatenate(ends) if ends else np.zeros(0, dtype=np.int64)
    token_article = np.searchsorted(char_base, token_starts, side="right") - 1
    data.token_article = token_article
    n_annotators = len(data.annotators)
    del starts, ends
    for kind in KINDS:
        # int16: a tenth of the memory of int64 for a million tokens; metrics widen where they count.
        codes = np.full((len(token_starts), n_annotators), metrics.MISSING, dtype=_code_type(len(data.labels[kind])))
        codes[data.done[token_article]] = metrics.OUTSIDE
        _paint(codes, data.units[kind], kind == ARGUMENTS, char_base, token_starts, token_ends)
        data.codes[kind] = codes


def _paint(codes: np.ndarray, unit: Units, arguments: bool, char_base: np.ndarray, token_starts: np.ndarray,
           token_ends: np.ndarray) -> None:
    """Each annotator's labels of one kind on the tokens their units cover. (A function of its own so
    that its arrays, as big as the tokens, are freed before the next kind's are made.)"""
    if not len(unit):
        return
    n_annotators = codes.shape[1]
    # Where one annotator's spans overlap, the earliest (then longest, then first label) names
    # the token; for arguments, the filler's earliest role wins.
    tie = unit.event_start if arguments else np.zeros(len(unit), dtype=np.int64)
    order = _lexorder([unit.article, unit.annotator, unit.start, -unit.end, unit.label, tie])
    base = char_base[unit.article[order]]
    first = np.searchsorted(token_ends, base + unit.start[order], side="right")
    last = np.maximum(first, np.searchsorted(token_starts, base + unit.end[order], side="left"))
    counts = last - first
    offsets = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
    tokens = np.repeat(first, counts) + offsets
    cells = tokens * n_annotators + np.repeat(unit.annotator[order], counts)
    values = np.repeat(unit.label[order], counts)
    cells, keep = np.unique(cells, return_index=True)  # first occurrence = highest priority
    codes.reshape(-1)[cells] = values[keep]


# -- span matching ---------------------------------------------------------------------------------

def _lexorder(columns: list[np.ndarray]) -> np.ndarray:
    """The permutation ``np.lexsort(columns[::-1])`` gives (first column most significant, ties in
    index order), through one packed int64 key and a stable argsort when the columns' ranges fit in
    62 bits: a third of lexsort's time for four to seven columns."""
    n = len(columns[0])
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    key = np.zeros(n, dtype=np.int64)
    span = 1
    for col in columns:
        low = int(col.min())
        width = int(col.max()) - low + 1
        span *= width
        if span >= 1 << 62:
            return np.lexsort(columns[::-1])
        key = key * width + (col.astype(np.int64) - low)
    return np.argsort(key, kind="stable")


def _group_ids(columns: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Ids of equal rows across ``columns`` and, per id, the index of one row having it."""
    n = len(columns[0])
    if n == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    order = _lexorder(columns)
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


def _key_table(kind: str, unit: Units, n_annotators: int) -> KeyTable:
    identity = [unit.article, unit.start, unit.end, unit.label]
    if kind == ARGUMENTS:
        identity += [unit.event_start, unit.event_end, unit.event_label]
    ids, representative = _group_ids(identity)
    n_keys = len(representative)
    per_key = np.bincount(ids * n_annotators + unit.annotator, minlength=n_keys * n_annotators)
    return KeyTable(representative, per_key.reshape(n_keys, n_annotators),
                    unit.article[representative], unit.label[representative])


def _pair_counts(kind: str, unit: Units, keys: KeyTable, done: np.ndarray, i: int, j: int,
                 n_labels: int) -> PairCounts:
    n_articles = len(done)
    both = done[keys.article, i] & done[keys.article, j]
    a, b = keys.per_key[:, i] * both, keys.per_key[:, j] * both
    exact = np.minimum(a, b)
    counted = a + b
    overlap_label = np.bincount(keys.label, weights=exact, minlength=n_labels)
    overlap_article = np.bincount(keys.article, weights=exact, minlength=n_articles)
    extra = _overlap_leftovers(kind, unit, keys, a - exact, b - exact)
    for article, label in extra:
        overlap_label[label] += 1
        overlap_article[article] += 1
    return PairCounts(
        exact_label=np.bincount(keys.label, weights=exact, minlength=n_labels),
        overlap_label=overlap_label,
        units_label=np.bincount(keys.label, weights=counted, minlength=n_labels),
        exact_article=np.bincount(keys.article, weights=exact, minlength=n_articles),
        overlap_article=overlap_article,
        units_article=np.bincount(keys.article, weights=counted, minlength=n_articles),
    )


def _overlap_leftovers(kind: str, unit: Units, keys: KeyTable, left_a: np.ndarray,
                       left_b: np.ndarray) -> list[tuple[int, int]]:
    """(article, label) of each overlap match among units left after exact matching.

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
        return []
    rows = np.concatenate([rows_a, rows_b])
    side = np.concatenate([np.zeros(len(rows_a), dtype=np.int64), np.ones(len(rows_b), dtype=np.int64)])
    group_columns = [unit.article[rows], unit.label[rows]]
    if kind == ARGUMENTS:
        group_columns.append(unit.event_label[rows])
    group, _ = _group_ids(group_columns)
    n_groups = int(group.max()) + 1
    count_a = np.bincount(group[side == 0], minlength=n_groups)
    count_b = np.bincount(group[side == 1], minlength=n_groups)
    found: list[tuple[int, int]] = []
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
    found += list(zip(unit.article[pa[hit]].tolist(), unit.label[pa[hit]].tolist()))
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
        lone = the_one[np.nonzero(matched)[0]]
        found += list(zip(unit.article[lone].tolist(), unit.label[lone].tolist()))
    several = (count_a > 0) & (count_b > 0) & ~single & ~one_many
    if several.any():
        pending: dict[int, list[list[tuple]]] = defaultdict(lambda: [[], []])
        chosen = several[group]
        picked = rows[chosen]
        bounds = [unit.start[picked], unit.end[picked]]
        if kind == ARGUMENTS:
            bounds = [unit.event_start[picked], unit.event_end[picked], *bounds]
        intervals = zip(*(b.tolist() for b in bounds))
        for g, s_, interval, article, label in zip(group[chosen].tolist(), side[chosen].tolist(), intervals,
                                                   unit.article[picked].tolist(), unit.label[picked].tolist()):
            pending[g][s_].append((interval, article, label))
        for mine, theirs in pending.values():
            theirs.sort()
            used = [False] * len(theirs)
            for interval, article, label in sorted(mine):
                for position, (other, _, _) in enumerate(theirs):
                    if not used[position] and _intervals_overlap(interval, other):
                        used[position] = True
                        found.append((article, label))
                        break
    return found


def _intervals_overlap(a: tuple, b: tuple) -> bool:
    if len(a) == 2:
        return a[0] < b[1] and b[0] < a[1]
    return a[0] < b[1] and b[0] < a[1] and a[2] < b[3] and b[2] < a[3]


# -- figures ---------------------------------------------------------------------------------------

def _rounded(value: float | None) -> float | None:
    return None if value is None else round(float(value), 4)


def _collapse(table: np.ndarray, code: int) -> np.ndarray:
    """A label-vs-rest 2x2 table from a full confusion or coincidence table."""
    hit = table[code, code]
    row = table[code, :].sum() - hit
    col = table[:, code].sum() - hit
    return np.array([[table.sum() - hit - row - col, col], [row, hit]], dtype=float)


def compute_agreement(store: Store, annotators: Iterable[str] | None = None) -> AgreementReport:
    """Every figure of ``annotator agreement`` and the agreement window."""
    return report_from(load_agreement_data(store, annotators))


def report_from(data: AgreementData) -> AgreementReport:
    names = data.annotators
    n_articles = len(data.article_ids)
    pairs = list(itertools.combinations(range(len(names)), 2))
    kinds: dict[str, KindScores] = {}
    article_exact = {kind: np.zeros(n_articles) for kind in KINDS}
    article_overlap = {kind: np.zeros(n_articles) for kind in KINDS}
    article_units = {kind: np.zeros(n_articles) for kind in KINDS}
    article_alpha: dict[str, list[float | None]] = {}
    for kind in KINDS:
        labels = data.labels[kind]
        n_labels = len(labels)
        codes = data.codes[kind]
        totals = {"exact": np.zeros(n_labels), "overlap": np.zeros(n_labels), "units": np.zeros(n_labels)}
        label_kappas: dict[str, list[float]] = defaultdict(list)
        pair_rows, confusions, kappas = [], {}, []
        keys = _key_table(kind, data.units[kind], len(names))
        for i, j in pairs:
            counts = _pair_counts(kind, data.units[kind], keys, data.done, i, j, n_labels)
            totals["exact"] += counts.exact_label
            totals["overlap"] += counts.overlap_label
            totals["units"] += counts.units_label
            article_exact[kind] += counts.exact_article
            article_overlap[kind] += counts.overlap_article
            article_units[kind] += counts.units_article
            table = metrics.confusion(codes[:, i], codes[:, j], n_labels)
            confusions[(names[i], names[j])] = table
            kappa = metrics.cohen_kappa_from_confusion(table)
            if kappa is not None:
                kappas.append(kappa)
            per_label = {}
            for code, label in enumerate(labels[1:], start=1):
                label_kappa = metrics.cohen_kappa_from_confusion(_collapse(table, code))
                if label_kappa is not None:
                    label_kappas[label].append(label_kappa)
                per_label[label] = {
                    "f1_exact": _rounded(metrics.f1_score(counts.exact_label[code], counts.units_label[code], 0)),
                    "f1_overlap": _rounded(metrics.f1_score(counts.overlap_label[code], counts.units_label[code], 0)),
                    "cohen_kappa": _rounded(label_kappa),
                }
            shared = int((data.done[:, i] & data.done[:, j]).sum())
            pair_rows.append({
                "annotators": [names[i], names[j]],
                "articles": shared,
                "f1_exact": _rounded(metrics.f1_score(counts.exact_label.sum(), counts.units_label.sum(), 0)),
                "f1_overlap": _rounded(metrics.f1_score(counts.overlap_label.sum(), counts.units_label.sum(), 0)),
                "cohen_kappa": _rounded(kappa),
                "labels": per_label,
            })
        by_article = metrics.coincidences(codes, n_labels, data.token_article, n_articles)
        article_alpha[kind] = metrics.alphas_from_coincidences(by_article)
        coincidence = by_article.sum(axis=0)
        overall = {
            "f1_exact": _rounded(metrics.f1_score(totals["exact"].sum(), totals["units"].sum(), 0)),
            "f1_overlap": _rounded(metrics.f1_score(totals["overlap"].sum(), totals["units"].sum(), 0)),
            "cohen_kappa_mean": _rounded(sum(kappas) / len(kappas)) if kappas else None,
            "krippendorff_alpha": _rounded(metrics.alpha_from_coincidences(coincidence)),
        }
        per_label_rows = {}
        for code, label in enumerate(labels[1:], start=1):
            values = label_kappas.get(label, [])
            per_label_rows[label] = {
                "f1_exact": _rounded(metrics.f1_score(totals["exact"][code], totals["units"][code], 0)),
                "f1_overlap": _rounded(metrics.f1_score(totals["overlap"][code], totals["units"][code], 0)),
                "cohen_kappa_mean": _rounded(sum(values) / len(values)) if values else None,
                "krippendorff_alpha": _rounded(metrics.alpha_from_coincidences(_collapse(coincidence, code))),
            }
        kinds[kind] = KindScores(labels, overall, per_label_rows, pair_rows, confusions)

    per_article = []
    for row, article_id in enumerate(data.article_ids):
        entry: dict[str, Any] = {
            "article_id": article_id, "title": data.titles[row],
            "annotators": [names[c] for c in np.nonzero(data.done[row])[0]],
        }
        matched = total = 0
        for kind in KINDS:
            exact, units = article_exact[kind][row], article_units[kind][row]
            matched += 2 * exact
            total += units
            entry[kind] = {
                "f1_exact": _rounded(metrics.f1_score(exact, units, 0)),
                "f1_overlap": _rounded(metrics.f1_score(article_overlap[kind][row], units, 0)),
                "krippendorff_alpha": _rounded(article_alpha[kind][row]),
            }
        # Units not matched exactly by the other annotator of a pair, summed over pairs.
        entry["unmatched"] = int(total - matched)
        entry["f1_exact"] = _rounded(matched / total) if total else None
        per_article.append(entry)
    per_article.sort(key=lambda r: (1.0 if r["f1_exact"] is None else r["f1_exact"], -r["unmatched"],
                                    r["article_id"]))
    return AgreementReport(names, n_articles, kinds, per_article)
