"""The reviewer's queue: articles two or more annotators finished that have a disagreement."""

from __future__ import annotations

import itertools
from collections import defaultdict
from dataclasses import dataclass
from typing import Iterable, Iterator

import numpy as np

from annotator.agreement import MEASURED_UNITS
from annotator.agreement.matching import key_table
from annotator.agreement.data import load_units
from annotator.agreement.data import done_articles, report_title
from annotator.domain import GOLD, ArticleState
from annotator.store import Store


@dataclass
class QueueItem:
    article_id: int
    title: str
    annotators: list[str]
    f1_exact: float | None
    unmatched: int
    finished: bool


def review_queue(store: Store, annotators: Iterable[str] | None = None) -> list[QueueItem]:
    """Articles two or more annotators marked done that have a disagreement, worst first."""
    return [item for batch in review_queue_batches(store, annotators) for item in batch]


def review_queue_batches(store: Store, annotators: Iterable[str] | None = None,
                         batch: int = 500) -> Iterator[list[QueueItem]]:
    """The review queue in pieces, worst first: their concatenation is :func:`review_queue`.

    The window shows each piece as it comes. Only what the queue needs is computed: exact span
    matches per article (as in the agreement report, which orders its articles the same way), not
    the token-level figures, which take most of an agreement run.

    :param annotators: whose work counts (default: everyone but gold)
    :param batch: articles per piece
    """
    chosen, shared = done_articles(store, annotators)
    if not shared:
        return
    article_ids = sorted(shared)
    matched, total = _exact_matches_per_article(store, chosen, article_ids, shared)
    finished = store.states.article_ids(GOLD, ArticleState.DONE)
    rows = []
    for row, article_id in enumerate(article_ids):
        if total[row] > matched[row]:
            rows.append((round(float(matched[row] / total[row]), 4), int(total[row] - matched[row]), article_id))
    # The agreement report's order: lowest F1 first, then most unmatched units, then by id.
    rows.sort(key=lambda r: (r[0], -r[1], r[2]))
    yield from _with_titles(store, rows, shared, chosen, finished, batch)
    # Articles whose spans all match but whose attributes differ have F1 1.0 and nothing unmatched:
    # their place is after every other article, by id. Looking for them takes a query of its own.
    waiting = {r[2] for r in rows}
    same_spans = sorted(_articles_with_attribute_differences(store, shared) - waiting)
    row_of = {article_id: row for row, article_id in enumerate(article_ids)}
    yield from _with_titles(store, [(1.0 if total[row_of[a]] else None, 0, a) for a in same_spans],
                            shared, chosen, finished, batch)


def _with_titles(store: Store, rows: list[tuple], shared: dict[int, list[str]], chosen: list[str],
                 finished: set[int], batch: int) -> Iterator[list[QueueItem]]:
    for first in range(0, len(rows), batch):
        piece = rows[first:first + batch]
        texts = store.articles.texts([r[2] for r in piece])
        yield [QueueItem(article_id, report_title(*texts[article_id]),
                         [name for name in chosen if name in shared[article_id]], f1, unmatched,
                         article_id in finished)
               for f1, unmatched, article_id in piece]


def _exact_matches_per_article(store: Store, chosen: list[str], article_ids: list[int],
                               shared: dict[int, list[str]]) -> tuple[np.ndarray, np.ndarray]:
    """Per article (in ``article_ids`` order): units matched exactly by the other annotator of a pair,
    and units counted, summed over pairs and kinds: the agreement report's per-article F1 is
    matched / counted, and what is not matched is a disagreement."""
    column = {name: i for i, name in enumerate(chosen)}
    done = np.zeros((len(article_ids), len(chosen)), dtype=bool)
    for row, article_id in enumerate(article_ids):
        for name in shared[article_id]:
            done[row, column[name]] = True
    annotator_ids = {annotator_id: column[name] for name, annotator_id in store.annotators.ids_by_name().items()
                     if name in column}
    units, _labels = load_units(store, np.asarray(article_ids, dtype=np.int64), done, annotator_ids)
    matched = np.zeros(len(article_ids))
    total = np.zeros(len(article_ids))
    for kind in MEASURED_UNITS:
        keys = key_table(kind, units[kind], len(chosen))
        for i, j in itertools.combinations(range(len(chosen)), 2):
            both = done[keys.article, i] & done[keys.article, j]
            a, b = keys.per_key[:, i] * both, keys.per_key[:, j] * both
            matched += 2 * np.bincount(keys.article, weights=np.minimum(a, b), minlength=len(article_ids))
            total += np.bincount(keys.article, weights=a + b, minlength=len(article_ids))
    return matched, total


def _articles_with_attribute_differences(store: Store,
                                         shared: dict[int, list[str]]) -> set[int]:
    # Same span, different attributes: invisible to span F1 and kappa, still a disagreement.
    rows = store.spans.accepted_with_differing_attributes()
    if not rows:
        return set()
    variants: dict[tuple, set[str]] = defaultdict(set)
    for article_id, name, start, end, label, layer, attributes in rows:
        if name in shared.get(article_id, ()):
            variants[(article_id, start, end, label, layer)].add(attributes)
    return {key[0] for key, seen in variants.items() if len(seen) > 1}


def review_progress(queue: list[QueueItem]) -> tuple[int, int]:
    """(articles whose review is finished, articles in the queue)."""
    return sum(item.finished for item in queue), len(queue)


def agreed_article_ids(store: Store, annotators: Iterable[str] | None = None,
                       queue: list[QueueItem] | None = None) -> list[int]:
    """Articles done by two or more annotators who agree on everything, whose gold is not finished.

    :param queue: the review queue if the caller has it already (it takes seconds on big projects)
    """
    _, shared = done_articles(store, annotators)
    queue = review_queue(store, annotators) if queue is None else queue
    queued = {item.article_id for item in queue}
    return sorted(set(shared) - queued - store.states.article_ids(GOLD, ArticleState.DONE))
