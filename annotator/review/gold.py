"""Settling disagreements into gold, as undoable edits (:mod:`annotator.edits`).

Gold is the spans and arguments of the reserved annotator :data:`annotator.domain.GOLD`. Each gold
span and argument points to the decision it came from (kind, annotators, reviewer, time): what all
annotators agreed on, one annotator's version taken by the reviewer, or the reviewer's own edit.
Every function here returns an :class:`~annotator.edits.Edit` (not yet applied): the review window
pushes it onto its undo stack, the command line applies it.
"""

from __future__ import annotations

from typing import Any, Iterable

from annotator.edits import Edit, Recorder
from annotator.domain import GOLD, ArticleState, Layer, Span, Status
from annotator.review.regions import ArgumentView, Region, ReviewError, load_review


def _copy_to_gold(rec: Recorder, span: Span, decision_id: int) -> int:
    gold_id = rec.add_span(span.article_id, span.start_char, span.end_char, span.label, span.layer,
                           annotator=GOLD, origin=span.origin, status=Status.ACCEPTED,
                           attributes=span.attributes, source=span.source, log=False)
    rec.point_gold_span(gold_id, decision_id)
    return gold_id


def _gold_filler(rec: Recorder, filler: Span, decision_id: int) -> int:
    """The gold span an argument should point to: one on the same offsets (same label preferred),
    else a copy of the annotator's filler."""
    found = rec.store.spans.find(filler.article_id, GOLD, filler.start_char, filler.end_char, filler.layer,
                                 prefer_label=filler.label)
    return found if found is not None else _copy_to_gold(rec, filler, decision_id)


def _copy_with_arguments(rec: Recorder, spans: list[Span], arguments: dict[int, list[ArgumentView]],
                         decision_id: int) -> list[int]:
    created = []
    for span in spans:
        gold_event = _copy_to_gold(rec, span, decision_id)
        created.append(gold_event)
        for argument in arguments.get(span.id, []):
            filler = _gold_filler(rec, argument.filler, decision_id)
            link_id = rec.add_argument(gold_event, filler, argument.role, log=False)
            rec.point_gold_argument(link_id, decision_id)
    return created


def _prefill(rec: Recorder, article_id: int, annotators: Iterable[str] | None) -> list[int]:
    review = load_review(rec.store, article_id, annotators)
    names = review.annotators
    already = set(rec.store.gold.regions(article_id, agreed=True))
    created: list[int] = []
    # Entities first, so agreed events find their agreed fillers already in gold.
    for region in sorted(review.regions, key=lambda r: r.layer is Layer.EVENT):
        if region.kinds or (region.layer, region.start, region.end) in already:
            continue
        if rec.store.spans.ids_in_region(article_id, GOLD, region.layer, region.start, region.end):
            continue
        decision = rec.add_gold_decision(article_id, region.layer, region.start, region.end, "agreed", list(names))
        created += _copy_with_arguments(rec, region.versions[names[0]], region.arguments, decision)
    if created:
        rec.store.log.add(rec.actor, "gold_prefill", article_id, {"spans": created})
    return created


def prefill_gold(reviewer: str, article_id: int, annotators: Iterable[str] | None = None) -> Edit:
    """Put every agreed region into gold, once (an agreed region already decided is skipped)."""
    return Edit("Accept what all annotators agree on", article_id, reviewer,
                lambda rec: _prefill(rec, article_id, annotators))


def take_version(reviewer: str, disagreement: Region, annotator: str, article_id: int) -> Edit:
    """Make ``annotator``'s version of a region the gold one (replacing what gold had there).

    The decision names every annotator whose version is the same. Taking the version of someone who
    marked nothing there settles the region as empty.
    """
    if annotator not in disagreement.versions:
        raise ReviewError(f"{annotator!r} did not annotate this article")
    same = disagreement.same_as(annotator)

    def perform(rec: Recorder) -> list[int]:
        for span_id in rec.store.spans.ids_in_region(article_id, GOLD, disagreement.layer, disagreement.start,
                                                     disagreement.end):
            rec.delete_span(span_id)
        decision = rec.add_gold_decision(article_id, disagreement.layer, disagreement.start, disagreement.end,
                                         "annotator", same)
        created = _copy_with_arguments(rec, disagreement.versions[annotator], disagreement.arguments, decision)
        rec.store.log.add(rec.actor, "gold_take_version", article_id,
                             {"annotators": same, "layer": str(disagreement.layer),
                              "region": [disagreement.start, disagreement.end], "spans": created})
        return created

    return Edit(f"Take {', '.join(same)}'s version of {disagreement.layer} {disagreement.start}-{disagreement.end}",
                article_id, reviewer, perform)


def add_gold_span(reviewer: str, article_id: int, start: int, end: int, label: str, layer: Layer | str,
                  attributes: dict[str, Any] | None = None) -> Edit:
    """The reviewer's own span in gold; ``result`` is its id."""
    layer = Layer(layer)

    def perform(rec: Recorder) -> int:
        decision = rec.add_gold_decision(article_id, layer, start, end, "reviewer", [])
        span_id = rec.add_span(article_id, start, end, label, layer, annotator=GOLD, status=Status.ACCEPTED,
                               attributes=attributes, log=False)
        rec.point_gold_span(span_id, decision)
        rec.store.log.add(rec.actor, "gold_add_span", article_id, {"span": span_id, "label": label})
        rec.focus = span_id
        return span_id

    return Edit(f"Add {label} {start}-{end} to gold", article_id, reviewer, perform)


def _gold_span(rec: Recorder, span_id: int) -> Span:
    span = rec.store.spans.get(span_id)
    if span.annotator != GOLD:
        raise ReviewError(f"span {span_id} is not in gold")
    return span


def edit_gold_span(reviewer: str, article_id: int, span_id: int, **changes: Any) -> Edit:
    """Change a gold span's label, offsets or attributes; it becomes the reviewer's edit, based on the
    annotators its previous decision named."""

    def perform(rec: Recorder) -> None:
        _gold_span(rec, span_id)
        previous = rec.store.gold.decision_of_span(span_id)
        rec.update_span(span_id, **changes)
        after = rec.store.spans.get(span_id)
        decision = rec.add_gold_decision(article_id, after.layer, after.start_char, after.end_char, "reviewer",
                                         previous[1] if previous else [])
        rec.point_gold_span(span_id, decision)
        rec.store.log.add(rec.actor, "gold_edit_span", article_id,
                             {"span": span_id, "changes": {k: str(v) for k, v in changes.items()}})
        rec.focus = span_id

    return Edit("Edit gold span", article_id, reviewer, perform)


def delete_gold_span(reviewer: str, article_id: int, span_id: int) -> Edit:
    def perform(rec: Recorder) -> None:
        span = _gold_span(rec, span_id)
        rec.add_gold_decision(article_id, span.layer, span.start_char, span.end_char, "reviewer", [])
        rec.delete_span(span_id)
        rec.store.log.add(rec.actor, "gold_delete_span", article_id, {"span": span_id})

    return Edit("Remove gold span", article_id, reviewer, perform)


def _finish(rec: Recorder, article_id: int, done: bool) -> None:
    _before, note, _ = rec.store.states.get(article_id, GOLD)
    rec.set_state(article_id, ArticleState.DONE if done else ArticleState.IN_PROGRESS,
                  f"reviewed by {rec.actor}" if done else note, annotator=GOLD)
    rec.store.log.add(rec.actor, "gold_finish" if done else "gold_reopen", article_id)


def finish_article(reviewer: str, article_id: int, done: bool = True) -> Edit:
    """Mark the gold of an article done (what ``annotator export --gold`` exports), or reopen it."""
    return Edit("Finish the article's review" if done else "Reopen the article's review", article_id, reviewer,
                lambda rec: _finish(rec, article_id, done))


def accept_agreed_articles(reviewer: str, article_ids: list[int], annotators: Iterable[str] | None = None) -> Edit:
    """Put articles on which the annotators agree completely into gold and finish them, as one step.

    They never enter the review queue, so without this their gold would stay empty.
    """

    def perform(rec: Recorder) -> list[int]:
        for article_id in article_ids:
            _prefill(rec, article_id, annotators)
            _finish(rec, article_id, True)
        return list(article_ids)

    first = article_ids[0] if article_ids else 0
    return Edit(f"Accept {len(article_ids)} fully agreed article(s) into gold", first, reviewer, perform)
