"""The reviewer's queue: articles two or more annotators finished that have a disagreement."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Iterable

from annotator.agreement import compute_agreement
from annotator.agreement.report import done_articles
from annotator.model import GOLD, ArticleState
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
    report = compute_agreement(store, annotators)
    differing = _articles_with_attribute_differences(store, report.annotators)
    finished = store.article_ids_in_state(GOLD, ArticleState.DONE)
    return [
        QueueItem(row["article_id"], row["title"], row["annotators"], row["f1_exact"], row["unmatched"],
                  row["article_id"] in finished)
        for row in report.per_article
        if row["unmatched"] > 0 or row["article_id"] in differing
    ]


def _articles_with_attribute_differences(store: Store, annotators: list[str]) -> set[int]:
    # Same span, different attributes: invisible to span F1 and kappa, still a disagreement.
    rows = store.accepted_spans_with_differing_attributes()
    if not rows:
        return set()
    _, shared = done_articles(store, annotators)
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
    return sorted(set(shared) - queued - store.article_ids_in_state(GOLD, ArticleState.DONE))
