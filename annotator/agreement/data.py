"""Agreement, first stage: what is compared. The articles two or more annotators marked done, their
accepted spans and arguments as parallel numpy arrays (one row per span or argument), and every
annotator's label on every token (one row per token), read in one pass so that 10,000 articles and
three annotators take seconds. See docs/agreement.md for the tokenizer, "O" and missing annotators.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Iterable

import numpy as np

from annotator.agreement import metrics
from annotator.agreement.tokens import token_offsets
from annotator.domain import GOLD
from annotator.store import Store, StoreError

# JSON names of the three sets of units agreement is measured on, each apart (a "disagreement kind"
# in the glossary's sense is something else: why a review region disagrees).
ENTITIES = "entities"
EVENTS = "event_triggers"
ARGUMENTS = "event_arguments"
MEASURED_UNITS = (ENTITIES, EVENTS, ARGUMENTS)
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


def report_title(text: str, title: str | None) -> str:
    """What agreement and the review queue call an article: its title, else its first line."""
    heading = title or text[:60]
    return heading.splitlines()[0] if heading.strip() else ""


def done_articles(store: Store, annotators: Iterable[str] | None = None) -> tuple[list[str], dict[int, list[str]]]:
    """The annotators considered and, per article at least two of them marked done, who did.

    Unless ``annotators`` names them, everyone who marked an article done counts, except the reserved
    ``gold`` annotator: a reviewer who never annotated (their gold edits make them known to the
    project) is not an annotator with nothing done.
    """
    known = [name for name in store.annotators.names() if name != GOLD]
    rows = store.states.done_by()
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


def load_agreement_data(store: Store, annotators: Iterable[str] | None = None,
                        within: set[int] | None = None) -> AgreementData:
    """Spans, arguments and token codes of the articles two or more annotators marked done.

    :param within: only these articles (the blind ones, or the others)
    """
    chosen, shared = done_articles(store, annotators)
    if within is not None:
        shared = {a: names for a, names in shared.items() if a in within}
    column = {name: i for i, name in enumerate(chosen)}
    article_ids = sorted(shared)
    row_of = {article_id: i for i, article_id in enumerate(article_ids)}
    done = np.zeros((len(article_ids), len(chosen)), dtype=bool)
    for article_id, names in shared.items():
        for name in names:
            done[row_of[article_id], column[name]] = True
    annotator_ids = {
        annotator_id: column[name] for name, annotator_id in store.annotators.ids_by_name().items() if name in column
    }
    units, labels = load_units(store, np.asarray(article_ids, dtype=np.int64), done, annotator_ids)
    titles: list[str] = [""] * len(article_ids)
    texts: list[str] = [""] * len(article_ids)
    for article_id, (text, title) in store.articles.texts(article_ids).items():
        row = row_of[article_id]
        texts[row] = text
        titles[row] = report_title(text, title)
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


def load_units(store: Store, article_ids: np.ndarray, done: np.ndarray,
                annotator_ids: dict[int, int]) -> tuple[dict[str, Units], dict[str, list[str]]]:
    """Accepted spans and arguments of annotators on articles they marked done, as arrays.

    The store hands over whole columns (one text each); filtering and joining is done by numpy.
    """
    span_labels, span_columns = store.spans.accepted_columns(annotator_ids)
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

    by_role = store.arguments.columns()
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
    for kind in MEASURED_UNITS:
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
    order = lexorder([unit.article, unit.annotator, unit.start, -unit.end, unit.label, tie])
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


def lexorder(columns: list[np.ndarray]) -> np.ndarray:
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
