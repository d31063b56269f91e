"""Reviewing disagreements into gold (Qt-free).

- ``queue``: which articles need a reviewer, worst first, and the progress
- ``regions``: an article's spans grouped into agreed regions and disagreements (of kinds
  missing, boundary, label, event role, attribute), and the gold layer with its provenance
- ``gold``: the reviewer's decisions, as undoable edits (:mod:`annotator.edits`)
"""

from annotator.review.gold import (
    accept_agreed_articles,
    add_gold_span,
    delete_gold_span,
    edit_gold_span,
    finish_article,
    prefill_gold,
    take_version,
)
from annotator.review.queue import (
    QueueItem,
    agreed_article_ids,
    review_progress,
    review_queue,
    review_queue_batches,
)
from annotator.review.regions import (
    ATTRIBUTE,
    BOUNDARY,
    KIND_ORDER,
    LABEL,
    MISSING,
    ROLE,
    ArgumentView,
    ArticleReview,
    GoldSpan,
    Region,
    ReviewError,
    gold_spans,
    load_review,
)

__all__ = [
    "ATTRIBUTE", "BOUNDARY", "KIND_ORDER", "LABEL", "MISSING", "ROLE", "ArgumentView", "ArticleReview", "GoldSpan",
    "QueueItem", "Region", "ReviewError", "accept_agreed_articles", "add_gold_span", "agreed_article_ids",
    "delete_gold_span", "edit_gold_span", "finish_article", "gold_spans", "load_review", "prefill_gold",
    "review_progress", "review_queue", "review_queue_batches", "take_version",
]
