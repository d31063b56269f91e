"""One reviewer's session in the review window, Qt-free: the article under review, announced to the
views that show it when it is read (again) from the file (docs/adr/0013-a-window-listens-to-its-session.md)."""

from __future__ import annotations

from annotator.evented import Event
from annotator.review.regions import ArticleReview, load_review


class ReviewSession:
    """What a reviewer has in front of them.

    :param store: the project
    :param reviewer: who reviews (gold is written as the reserved annotator ``gold`` on their behalf)
    """

    def __init__(self, store, reviewer: str):
        self.store = store
        self.reviewer = reviewer
        self.current: ArticleReview | None = None
        #: (review, same_article): an article's review was read; ``same_article`` when it is the one
        #: already on show, read again after a step (the views keep their place in it)
        self.article_reviewed = Event()

    def open(self, article_id: int) -> ArticleReview:
        """Read an article's disagreements and gold as the file holds them now, and say so."""
        same = self.current is not None and self.current.article.id == article_id
        self.current = load_review(self.store, article_id)
        self.article_reviewed.emit(self.current, same)
        return self.current
