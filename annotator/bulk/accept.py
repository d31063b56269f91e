"""``annotator accept``: what Shift+A (accept all) and Ctrl+Return (done) do in the window, for
many articles at once.

Each article's acceptance is the window's own edit (:func:`annotator.edits.accept_all`), applied
through the store exactly as the window applies it, so the rows it leaves are the window's rows;
``done`` then applies the window's :func:`annotator.edits.set_state`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Iterable

from annotator import edits
from annotator.domain import ArticleState, Layer, Span


@dataclass
class AcceptFilter:
    """Which pending suggestions to take.

    :param labels: only these labels (None: all)
    :param layers: only these layers (None: both)
    :param min_score: only suggestions scored at least this; a suggestion without a score (a rule
        that gives none) passes only when no minimum is asked for
    """

    labels: frozenset[str] | None = None
    layers: frozenset[Layer] | None = None
    min_score: float | None = None

    def takes(self, span: Span) -> bool:
        if self.labels is not None and span.label not in self.labels:
            return False
        if self.layers is not None and span.layer not in self.layers:
            return False
        if self.min_score is not None and (span.score is None or span.score < self.min_score):
            return False
        return True


@dataclass
class AcceptSummary:
    articles: int = 0  # articles looked at
    accepted_articles: int = 0  # articles where something was accepted
    suggestions: int = 0  # suggestions accepted (as the window counts them)
    spans: int = 0  # spans created in the annotator's layer (an event's arguments add to these)
    marked_done: int = 0
    edits: list[edits.Edit] = field(default_factory=list)  # applied, in order (tests and callers may undo)


def accept_suggestions(store, annotator: str, article_ids: Iterable[int] | None = None, *,
                       only: AcceptFilter | None = None, done: bool = False,
                       progress: Callable[[int, int], None] | None = None) -> AcceptSummary:
    """Accept the pending suggestions ``annotator`` sees, article by article.

    :param store: the project
    :param annotator: whose spans the accepted copies become
    :param article_ids: these articles (None: every article)
    :param only: which suggestions (None: all, as Shift+A)
    :param done: then mark each article done, as Ctrl+Return (an article already done is left alone)
    :param progress: called with (articles handled, articles in all)
    """
    only = only or AcceptFilter()
    ids = list(article_ids) if article_ids is not None else store.articles.ids()
    summary = AcceptSummary()
    for position, article_id in enumerate(ids, 1):
        summary.articles += 1
        pending = [s for s in store.spans.for_article(article_id, annotator) if s.is_suggestion and only.takes(s)]
        if pending:
            edit = edits.accept_all(annotator, article_id, pending)
            edit.apply(store)
            summary.edits.append(edit)
            summary.accepted_articles += 1
            summary.suggestions += len(pending)
            summary.spans += len(edit.result or [])
        if done and store.states.get(article_id, annotator)[0] is not ArticleState.DONE:
            edit = edits.set_state(annotator, article_id, ArticleState.DONE)
            edit.apply(store)
            summary.edits.append(edit)
            summary.marked_done += 1
        if progress is not None:
            progress(position, len(ids))
    return summary


TAKE_BACK = "take_back_accept_all"


@dataclass
class TakeBackSummary:
    articles: int = 0  # articles where an acceptance was taken back
    spans: int = 0  # spans removed
    kept_changed: int = 0  # spans kept because the annotator changed them since
    edits: list[edits.Edit] = field(default_factory=list)


def take_back(store, annotator: str, article_ids: Iterable[int] | None = None) -> TakeBackSummary:
    """Undo, from the command line, the last accept-all of ``annotator`` on each article (the
    window's undo stack only holds what was done in that window).

    The log's ``accept_all`` line names the spans it created; those still there and unchanged since
    are deleted (with their arguments) as one undoable edit per article, logged as ``delete_span``
    lines plus one ``take_back_accept_all`` line naming the entry taken back. Spans the annotator
    changed since (relabelled, resized) stay. Article states are left as they are.
    """
    ids = list(article_ids) if article_ids is not None else store.articles.ids()
    summary = TakeBackSummary()
    for article_id in ids:
        entries = store.log.entries(article_id)
        taken = {e["detail"].get("entry") for e in entries if e["action"] == TAKE_BACK}
        last = next((e for e in reversed(entries) if e["action"] == "accept_all" and e["annotator"] == annotator
                     and e["id"] not in taken), None)
        if last is None:
            continue
        present = [s for s in store.spans.by_ids(last["detail"].get("spans", [])) if s.annotator == annotator]
        if not present:
            continue  # undone in the window already, or deleted by hand
        unchanged = [s for s in present if s.updated_at == s.created_at]
        summary.kept_changed += len(present) - len(unchanged)

        def perform(rec, spans=unchanged, entry=last["id"]):
            for span in sorted(spans, key=lambda s: (s.layer is not Layer.EVENT, s.start_char)):
                rec.delete_span(span.id)
            rec.store.log.add(annotator, TAKE_BACK, article_id, {"entry": entry, "spans": [s.id for s in spans]})

        edit = edits.Edit(f"Take back accepting {len(unchanged)} suggestions", article_id, annotator, perform)
        edit.apply(store)
        summary.edits.append(edit)
        summary.articles += 1
        summary.spans += len(unchanged)
    return summary
