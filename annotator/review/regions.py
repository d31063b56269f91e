"""An article under review: every done annotator's spans grouped into regions, each agreed or a
disagreement of some kinds, and the gold layer with where each gold span came from."""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from typing import Iterable

from annotator.agreement.data import done_articles
from annotator.domain import GOLD, Article, ArticleState, Layer, Span, Status
from annotator.store import Store, StoreError

BOUNDARY = "boundary"
LABEL = "label"
MISSING = "missing"
ROLE = "event role"
ATTRIBUTE = "attribute"
KIND_ORDER = (MISSING, BOUNDARY, LABEL, ROLE, ATTRIBUTE)


class ReviewError(StoreError):
    """A review step that cannot be taken (an article nobody finished twice, a span not in gold)."""


@dataclass(frozen=True)
class ArgumentView:
    role: str
    filler: Span


@dataclass
class Region:
    """Spans of one layer on one article that overlap, and each annotator's version of them.

    ``kinds`` is empty where everyone agrees; otherwise the region is a disagreement of those kinds.
    """

    layer: Layer
    start: int
    end: int
    kinds: tuple[str, ...]
    versions: dict[str, list[Span]]  # annotator -> their spans in the region (maybe none)
    arguments: dict[int, list[ArgumentView]]  # event span id -> its arguments
    resolved: bool = False

    @property
    def key(self) -> str:
        return f"{self.layer}:{self.start}-{self.end}"

    def same_as(self, annotator: str) -> list[str]:
        """The annotators whose version is identical to ``annotator``'s (including them)."""
        mine = _version_signature(self.versions[annotator], self.arguments)
        return [name for name, spans in self.versions.items()
                if _version_signature(spans, self.arguments) == mine]


@dataclass
class GoldSpan:
    span: Span
    kind: str | None  # agreed / annotator / reviewer; None for gold made outside the review
    annotators: list[str]
    reviewer: str | None

    def provenance(self) -> str:
        if self.kind == "agreed":
            return "agreed by " + ", ".join(self.annotators)
        if self.kind == "annotator":
            return "from " + ", ".join(self.annotators)
        if self.kind == "reviewer":
            based = f" (based on {', '.join(self.annotators)})" if self.annotators else ""
            return f"edited by {self.reviewer}{based}"
        return "no recorded decision"


@dataclass
class ArticleReview:
    article: Article
    annotators: list[str]
    regions: list[Region]  # in text order
    gold: list[GoldSpan]
    finished: bool

    @property
    def disagreements(self) -> list[Region]:
        return [r for r in self.regions if r.kinds]

    @property
    def agreed(self) -> int:
        return sum(1 for r in self.regions if not r.kinds)

    @property
    def open_disagreements(self) -> list[Region]:
        return [d for d in self.disagreements if not d.resolved]


def load_review(store: Store, article_id: int, annotators: Iterable[str] | None = None) -> ArticleReview:
    """Every done annotator's spans on an article, grouped into agreed regions and disagreements."""
    names = _done_on(store, article_id, annotators)
    if not names:
        raise ReviewError(f"article {article_id} has not been marked done by two annotators; nothing to review")
    article = store.articles.get(article_id)
    spans = [s for s in store.spans.for_article(article_id) if s.annotator in names and s.status is Status.ACCEPTED]
    by_id = {s.id: s for s in spans}
    arguments: dict[int, list[ArgumentView]] = defaultdict(list)
    for link in store.arguments.for_article(article_id):
        if link.event_id in by_id and link.filler_id in by_id:
            arguments[link.event_id].append(ArgumentView(link.role, by_id[link.filler_id]))
    decided = store.gold.regions(article_id, agreed=False)
    regions = []
    for layer in (Layer.ENTITY, Layer.EVENT):
        for spans_here in _regions([s for s in spans if s.layer is layer]):
            versions = {name: [s for s in spans_here if s.annotator == name] for name in names}
            kinds = _kinds(versions, arguments)
            start = min(s.start_char for s in spans_here)
            end = max(s.end_char for s in spans_here)
            resolved = bool(kinds) and any(l == layer and s < end and start < e for l, s, e in decided)
            regions.append(Region(layer, start, end, kinds, versions, dict(arguments), resolved))
    regions.sort(key=lambda r: (r.start, r.end, r.layer))
    finished = store.states.get(article_id, GOLD)[0] is ArticleState.DONE
    return ArticleReview(article, list(names), regions, gold_spans(store, article_id), finished)


def _done_on(store: Store, article_id: int, annotators: Iterable[str] | None) -> list[str] | None:
    """The annotators who marked this article done, if two or more did (by name, as
    :func:`~annotator.agreement.report.done_articles` gives them).

    Without a choice of annotators, only this article's states are read: the review window loads an
    article after every step, and reading every article's states made each step take 0.1 s and more
    on a project of 10,000 articles.
    """
    if annotators:
        return done_articles(store, annotators)[1].get(article_id)
    names = sorted(name for name in store.annotators.names() if name != GOLD
                   and store.states.get(article_id, name)[0] is ArticleState.DONE)
    return names if len(names) >= 2 else None


def gold_spans(store: Store, article_id: int) -> list[GoldSpan]:
    """The gold layer of an article with where each span came from."""
    provenance = store.gold.provenance(article_id)
    spans = [s for s in store.spans.for_article(article_id) if s.annotator == GOLD]
    return [GoldSpan(s, *provenance.get(s.id, (None, [], None))) for s in spans]


def _regions(spans: list[Span]) -> list[list[Span]]:
    """Spans that overlap, directly or through others, in order of start."""
    regions: list[list[Span]] = []
    end = -1
    for span in sorted(spans, key=lambda s: (s.start_char, -s.end_char, s.id)):
        if regions and span.start_char < end:
            regions[-1].append(span)
            end = max(end, span.end_char)
        else:
            regions.append([span])
            end = span.end_char
    return regions


def _attributes(span: Span) -> str:
    return json.dumps(span.attributes, sort_keys=True)


def _argument_signature(span: Span, arguments: dict[int, list[ArgumentView]]) -> tuple:
    return tuple(sorted((a.role, a.filler.start_char, a.filler.end_char, a.filler.label)
                        for a in arguments.get(span.id, [])))


def _version_signature(spans: list[Span], arguments: dict[int, list[ArgumentView]]) -> tuple:
    return tuple(sorted((s.start_char, s.end_char, s.label, _attributes(s), _argument_signature(s, arguments))
                        for s in spans))


def _kinds(versions: dict[str, list[Span]], arguments: dict[int, list[ArgumentView]]) -> tuple[str, ...]:
    if len({_version_signature(spans, arguments) for spans in versions.values()}) == 1:
        return ()
    marked = [spans for spans in versions.values() if spans]
    every = [s for spans in marked for s in spans]
    kinds = set()
    if len(marked) < len(versions):
        kinds.add(MISSING)
    if len({(s.start_char, s.end_char) for s in every}) > 1 or len({len(v) for v in marked}) > 1:
        kinds.add(BOUNDARY)
    if len({s.label for s in every}) > 1:
        kinds.add(LABEL)
    if len({_attributes(s) for s in every}) > 1:
        kinds.add(ATTRIBUTE)
    if any(s.layer is Layer.EVENT for s in every) and len({
        tuple(sorted(_argument_signature(s, arguments) for s in spans)) for spans in marked
    }) > 1:
        kinds.add(ROLE)
    if not kinds:  # e.g. the same spans twice in one annotator's layer
        kinds.add(BOUNDARY)
    return tuple(k for k in KIND_ORDER if k in kinds)
