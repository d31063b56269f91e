"""Reviewing disagreements into gold (Qt-free).

Gold is the spans and arguments of the reserved annotator ``gold``. Per article, the spans of the
annotators who marked it done are grouped into *regions*: spans of one layer that overlap, directly
or through others. A region where every annotator has the same span (offsets, label, attributes and,
for an event, the same arguments) is *agreed* and goes into gold by :func:`prefill_gold`; any other
region is a disagreement (a :class:`Region` with kinds) the reviewer settles by taking one annotator's version, or by
editing gold directly. Each gold span and argument points to the decision it came from
(``gold_decisions``: kind, annotators, reviewer, time).

Every change returns a :class:`GoldChange`; :func:`undo_change` and :func:`redo_change` take it back and
forth keeping span ids stable, so a stack of later changes still refers to the right spans.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Iterable

from annotator.agreement import compute_agreement
from annotator.agreement.report import done_articles
from annotator.model import Article, ArticleState, Layer, Span, Status
from annotator.store import Store, StoreError, now

GOLD = "gold"
BOUNDARY = "boundary"
LABEL = "label"
MISSING = "missing"
ROLE = "event role"
ATTRIBUTE = "attribute"
KIND_ORDER = (MISSING, BOUNDARY, LABEL, ROLE, ATTRIBUTE)


class ReviewError(StoreError):
    pass


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


@dataclass
class QueueItem:
    article_id: int
    title: str
    annotators: list[str]
    f1_exact: float | None
    unmatched: int
    finished: bool


@dataclass
class GoldChange:
    """What one review step did, so it can be undone and redone with the same ids."""

    description: str
    article_id: int
    created: list[int] = field(default_factory=list)  # gold span ids, in creation order
    created_links: list[int] = field(default_factory=list)  # argument links added between existing spans
    decisions: list[dict[str, Any]] = field(default_factory=list)  # gold_decisions rows added
    removed: list[dict[str, Any]] = field(default_factory=list)  # snapshots of gold spans taken away
    updated: list[tuple[int, dict[str, Any], dict[str, Any]]] = field(default_factory=list)
    repointed: list[tuple[int, int | None, int]] = field(default_factory=list)  # span, before, after
    state: tuple[str, str | None, str, str | None] | None = None  # state and note, before and after
    _created_snapshots: list[dict[str, Any]] = field(default_factory=list)
    _link_snapshots: list[dict[str, Any]] = field(default_factory=list)


# -- reading ---------------------------------------------------------------------------------------

def review_queue(store: Store, annotators: Iterable[str] | None = None) -> list[QueueItem]:
    """Articles two or more annotators marked done that have a disagreement, worst first."""
    report = compute_agreement(store, annotators)
    differing = _articles_with_attribute_differences(store, report.annotators)
    finished = _finished_articles(store)
    return [
        QueueItem(row["article_id"], row["title"], row["annotators"], row["f1_exact"], row["unmatched"],
                  row["article_id"] in finished)
        for row in report.per_article
        if row["unmatched"] > 0 or row["article_id"] in differing
    ]


def _finished_articles(store: Store) -> set[int]:
    return {r[0] for r in store.db.execute(
        "SELECT st.article_id FROM article_states st JOIN annotators an ON an.id = st.annotator_id"
        " WHERE an.name = ? AND st.state = 'done'", [GOLD])}


def _articles_with_attribute_differences(store: Store, annotators: list[str]) -> set[int]:
    # Same span, different attributes: invisible to span F1 and kappa, still a disagreement.
    # Grouping first keeps this one pass over the spans, not a self-join.
    rows = store.db.execute(
        "SELECT s.article_id, an.name, s.start_char, s.end_char, s.label, s.layer, s.attributes FROM spans s"
        " JOIN annotators an ON an.id = s.annotator_id WHERE s.status = 'accepted'"
        " AND (s.article_id, s.start_char, s.end_char, s.label, s.layer) IN ("
        "   SELECT article_id, start_char, end_char, label, layer FROM spans"
        "   WHERE status = 'accepted' AND annotator_id IS NOT NULL"
        "   GROUP BY article_id, start_char, end_char, label, layer HAVING count(DISTINCT attributes) > 1)"
    ).fetchall()
    if not rows:
        return set()
    _, shared = done_articles(store, annotators)
    variants: dict[tuple, set[str]] = defaultdict(set)
    for article_id, name, start, end, label, layer, attributes in rows:
        if name in shared.get(article_id, ()):
            variants[(article_id, start, end, label, layer)].add(attributes)
    return {key[0] for key, seen in variants.items() if len(seen) > 1}


def load_review(store: Store, article_id: int, annotators: Iterable[str] | None = None) -> ArticleReview:
    """Every done annotator's spans on an article, grouped into agreed regions and disagreements."""
    chosen, shared = done_articles(store, annotators)
    names = shared.get(article_id)
    if not names:
        raise ReviewError(f"article {article_id} has not been marked done by two annotators; nothing to review")
    article = store.get_article(article_id)
    spans = [s for s in store.spans_for(article_id) if s.annotator in names and s.status is Status.ACCEPTED]
    by_id = {s.id: s for s in spans}
    arguments: dict[int, list[ArgumentView]] = defaultdict(list)
    for link in store.arguments_for(article_id):
        if link.event_id in by_id and link.argument_id in by_id:
            arguments[link.event_id].append(ArgumentView(link.role, by_id[link.argument_id]))
    decided = _decided_regions(store, article_id)
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
    finished = str(store.get_state(article_id, GOLD)[0]) == ArticleState.DONE
    return ArticleReview(article, list(names), regions, gold_spans(store, article_id), finished)


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


def _decided_regions(store: Store, article_id: int) -> list[tuple[Layer, int, int]]:
    return [(Layer(r[0]), r[1], r[2]) for r in store.db.execute(
        "SELECT layer, region_start, region_end FROM gold_decisions WHERE article_id = ? AND kind != 'agreed'",
        [article_id])]


def gold_spans(store: Store, article_id: int) -> list[GoldSpan]:
    """The gold layer of an article with where each span came from."""
    provenance = {
        r[0]: (r[1], json.loads(r[2]), r[3])
        for r in store.db.execute(
            "SELECT g.span_id, d.kind, d.annotators, d.reviewer FROM gold_span_decisions g"
            " JOIN gold_decisions d ON d.id = g.decision_id WHERE d.article_id = ?", [article_id])
    }
    spans = [s for s in store.spans_for(article_id) if s.annotator == GOLD]
    return [GoldSpan(s, *provenance.get(s.id, (None, [], None))) for s in spans]


# -- changing gold ---------------------------------------------------------------------------------

def _add_decision(store: Store, change: GoldChange, layer: Layer, start: int, end: int, kind: str,
                  annotators: list[str], reviewer: str) -> int:
    row = {"article_id": change.article_id, "layer": str(layer), "region_start": start, "region_end": end,
           "kind": kind, "annotators": json.dumps(annotators, ensure_ascii=False), "reviewer": reviewer,
           "decided_at": now()}
    decision_id = store.db["gold_decisions"].insert(row).last_pk
    change.decisions.append({"id": decision_id, **row})
    return decision_id


def _copy_to_gold(store: Store, change: GoldChange, span: Span, decision_id: int,
                  attributes: dict[str, Any] | None = None) -> int:
    gold_id = store.add_span(span.article_id, span.start_char, span.end_char, span.label, span.layer,
                             annotator=GOLD, origin=span.origin, status=Status.ACCEPTED,
                             attributes=span.attributes if attributes is None else attributes,
                             source=span.source, log=False)
    store.db.execute("INSERT INTO gold_span_decisions(span_id, decision_id) VALUES (?, ?)", [gold_id, decision_id])
    change.created.append(gold_id)
    return gold_id


def _gold_filler(store: Store, change: GoldChange, filler: Span, decision_id: int) -> int:
    """The gold span an argument should point to: one on the same offsets (same label preferred),
    else a copy of the annotator's filler."""
    rows = store.db.execute(
        "SELECT id, label FROM spans WHERE article_id = ? AND annotator_id = ? AND start_char = ?"
        " AND end_char = ? AND layer = ? ORDER BY (label = ?) DESC, id",
        [filler.article_id, store.ensure_annotator(GOLD), filler.start_char, filler.end_char,
         str(filler.layer), filler.label],
    ).fetchall()
    if rows:
        return rows[0][0]
    return _copy_to_gold(store, change, filler, decision_id)


def _link(store: Store, change: GoldChange, event_id: int, filler_id: int, role: str, decision_id: int) -> None:
    link_id = store.add_argument(event_id, filler_id, role, log=False)
    store.db.execute("INSERT OR REPLACE INTO gold_argument_decisions(argument_link_id, decision_id) VALUES (?, ?)",
                     [link_id, decision_id])
    if event_id not in change.created and filler_id not in change.created:
        change.created_links.append(link_id)


def _remove_gold_span(store: Store, change: GoldChange, span_id: int) -> None:
    span_decision = store.db.execute(
        "SELECT decision_id FROM gold_span_decisions WHERE span_id = ?", [span_id]).fetchone()
    argument_decisions = store.db.execute(
        "SELECT d.argument_link_id, d.decision_id FROM gold_argument_decisions d JOIN arguments g"
        " ON g.id = d.argument_link_id WHERE g.event_id = ? OR g.argument_id = ?", [span_id, span_id]).fetchall()
    snapshot = store.delete_span(span_id)
    change.removed.append({"store": snapshot, "decision": span_decision[0] if span_decision else None,
                           "argument_decisions": argument_decisions})


def _restore_gold_span(store: Store, saved: dict[str, Any]) -> None:
    span_id = store.restore_span(saved["store"])
    if saved["decision"] is not None:
        store.db.execute("INSERT INTO gold_span_decisions(span_id, decision_id) VALUES (?, ?)",
                         [span_id, saved["decision"]])
    for link_id, decision_id in saved["argument_decisions"]:
        store.db.execute("INSERT OR REPLACE INTO gold_argument_decisions(argument_link_id, decision_id)"
                         " VALUES (?, ?)", [link_id, decision_id])


def _gold_in_region(store: Store, article_id: int, layer: Layer, start: int, end: int) -> list[int]:
    return [r[0] for r in store.db.execute(
        "SELECT id FROM spans WHERE article_id = ? AND annotator_id = ? AND layer = ?"
        " AND start_char < ? AND end_char > ? ORDER BY start_char, id",
        [article_id, store.ensure_annotator(GOLD), str(layer), end, start])]


def _copy_events_with_arguments(store: Store, change: GoldChange, spans: list[Span],
                                arguments: dict[int, list[ArgumentView]], decision_id: int) -> None:
    for span in spans:
        gold_event = _copy_to_gold(store, change, span, decision_id)
        for argument in arguments.get(span.id, []):
            filler = _gold_filler(store, change, argument.filler, decision_id)
            _link(store, change, gold_event, filler, argument.role, decision_id)


def prefill_gold(store: Store, article_id: int, reviewer: str,
                 annotators: Iterable[str] | None = None) -> GoldChange:
    """Put every agreed region into gold, once (an agreed region already decided is skipped)."""
    review = load_review(store, article_id, annotators)
    change = GoldChange("accept what all annotators agree on", article_id)
    names = review.annotators
    already = {(Layer(r[0]), r[1], r[2]) for r in store.db.execute(
        "SELECT layer, region_start, region_end FROM gold_decisions WHERE article_id = ? AND kind = 'agreed'",
        [article_id])}
    with store.transaction():
        # Entities first, so agreed events find their agreed fillers already in gold.
        for region in sorted(review.regions, key=lambda r: r.layer is Layer.EVENT):
            if region.kinds or (region.layer, region.start, region.end) in already:
                continue
            if _gold_in_region(store, article_id, region.layer, region.start, region.end):
                continue
            decision = _add_decision(store, change, region.layer, region.start, region.end, "agreed",
                                     list(names), reviewer)
            _copy_events_with_arguments(store, change, region.versions[names[0]], region.arguments, decision)
        if change.created:
            store.log_action(reviewer, "gold_prefill", article_id, {"spans": change.created})
    return change


def take_version(store: Store, disagreement: Region, annotator: str, reviewer: str,
                 article_id: int) -> GoldChange:
    """Make ``annotator``'s version of a region the gold one (replacing what gold had there).

    The decision names every annotator whose version is the same. Taking the version of someone who
    marked nothing there settles the region as empty.
    """
    if annotator not in disagreement.versions:
        raise ReviewError(f"{annotator!r} did not annotate this article")
    same = disagreement.same_as(annotator)
    change = GoldChange(f"take {', '.join(same)}'s version of {disagreement.layer} "
                        f"{disagreement.start}-{disagreement.end}", article_id)
    with store.transaction():
        for span_id in _gold_in_region(store, article_id, disagreement.layer, disagreement.start, disagreement.end):
            _remove_gold_span(store, change, span_id)
        decision = _add_decision(store, change, disagreement.layer, disagreement.start, disagreement.end,
                                 "annotator", same, reviewer)
        _copy_events_with_arguments(store, change, disagreement.versions[annotator], disagreement.arguments,
                                    decision)
        store.log_action(reviewer, "gold_take_version", article_id,
                         {"annotators": same, "layer": str(disagreement.layer),
                          "region": [disagreement.start, disagreement.end], "spans": change.created})
    return change


def add_gold_span(store: Store, article_id: int, start: int, end: int, label: str, layer: Layer | str,
                  reviewer: str, attributes: dict[str, Any] | None = None) -> GoldChange:
    """The reviewer's own span in gold."""
    layer = Layer(layer)
    change = GoldChange(f"add {label} {start}-{end} to gold", article_id)
    with store.transaction():
        decision = _add_decision(store, change, layer, start, end, "reviewer", [], reviewer)
        span_id = store.add_span(article_id, start, end, label, layer, annotator=GOLD, status=Status.ACCEPTED,
                                 attributes=attributes, log=False)
        store.db.execute("INSERT INTO gold_span_decisions(span_id, decision_id) VALUES (?, ?)",
                         [span_id, decision])
        change.created.append(span_id)
        store.log_action(reviewer, "gold_add_span", article_id, {"span": span_id, "label": label})
    return change


def edit_gold_span(store: Store, span_id: int, reviewer: str, **changes: Any) -> GoldChange:
    """Change a gold span's label, offsets or attributes; it becomes the reviewer's edit, based on the
    annotators its previous decision named."""
    span = store.get_span(span_id)
    if span.annotator != GOLD:
        raise ReviewError(f"span {span_id} is not in gold")
    change = GoldChange(f"edit gold {span.label} {span.start_char}-{span.end_char}", span.article_id)
    previous = store.db.execute(
        "SELECT d.id, d.annotators FROM gold_span_decisions g JOIN gold_decisions d ON d.id = g.decision_id"
        " WHERE g.span_id = ?", [span_id]).fetchone()
    with store.transaction():
        before = store.update_span(span_id, **changes)
        after = store.get_span(span_id)
        change.updated.append((span_id, before, changes))
        based_on = json.loads(previous[1]) if previous else []
        decision = _add_decision(store, change, after.layer, after.start_char, after.end_char, "reviewer",
                                 based_on, reviewer)
        _point(store, span_id, decision)
        change.repointed.append((span_id, previous[0] if previous else None, decision))
        store.log_action(reviewer, "gold_edit_span", span.article_id,
                         {"span": span_id, "changes": {k: str(v) for k, v in changes.items()}})
    return change


def delete_gold_span(store: Store, span_id: int, reviewer: str) -> GoldChange:
    span = store.get_span(span_id)
    if span.annotator != GOLD:
        raise ReviewError(f"span {span_id} is not in gold")
    change = GoldChange(f"remove gold {span.label} {span.start_char}-{span.end_char}", span.article_id)
    with store.transaction():
        _add_decision(store, change, span.layer, span.start_char, span.end_char, "reviewer", [], reviewer)
        _remove_gold_span(store, change, span_id)
        store.log_action(reviewer, "gold_delete_span", span.article_id, {"span": span_id})
    return change


def finish_article(store: Store, article_id: int, reviewer: str, done: bool = True) -> GoldChange:
    """Mark the gold of an article done (what ``annotator export --gold`` exports), or reopen it."""
    before, note, _ = store.get_state(article_id, GOLD)
    after = ArticleState.DONE if done else ArticleState.IN_PROGRESS
    change = GoldChange("finish the article's review" if done else "reopen the article's review", article_id)
    note_after = f"reviewed by {reviewer}" if done else note
    with store.transaction():
        store.set_state(article_id, GOLD, after, note_after)
        change.state = (str(before), note, str(after), note_after)
        store.log_action(reviewer, "gold_finish" if done else "gold_reopen", article_id)
    return change


def _point(store: Store, span_id: int, decision_id: int | None) -> None:
    if decision_id is None:
        store.db.execute("DELETE FROM gold_span_decisions WHERE span_id = ?", [span_id])
    else:
        store.db.execute("INSERT OR REPLACE INTO gold_span_decisions(span_id, decision_id) VALUES (?, ?)",
                         [span_id, decision_id])


# -- undo / redo -----------------------------------------------------------------------------------

def undo_change(store: Store, change: GoldChange, reviewer: str) -> None:
    with store.transaction():
        change._link_snapshots = []
        for link_id in reversed(change.created_links):
            row = store.db.execute("SELECT * FROM arguments WHERE id = ?", [link_id]).fetchone()
            columns = [d[0] for d in store.db.execute("SELECT * FROM arguments LIMIT 0").description]
            decision = store.db.execute(
                "SELECT decision_id FROM gold_argument_decisions WHERE argument_link_id = ?", [link_id]).fetchone()
            change._link_snapshots.append({"row": dict(zip(columns, row)), "decision": decision[0] if decision else None})
            store.db.execute("DELETE FROM arguments WHERE id = ?", [link_id])
        scratch = GoldChange("", change.article_id)
        for span_id in reversed(change.created):
            _remove_gold_span(store, scratch, span_id)
        change._created_snapshots = scratch.removed
        for span_id, before, after in reversed(change.updated):
            store.update_span(span_id, **before)
        for span_id, previous, _ in reversed(change.repointed):
            _point(store, span_id, previous)
        for saved in reversed(change.removed):
            _restore_gold_span(store, saved)
        for row in reversed(change.decisions):
            store.db.execute("DELETE FROM gold_decisions WHERE id = ?", [row["id"]])
        if change.state:
            before, note, _, _ = change.state
            store.set_state(change.article_id, GOLD, before, note)
        store.log_action(reviewer, "undo", change.article_id, {"what": change.description})


def redo_change(store: Store, change: GoldChange, reviewer: str) -> None:
    with store.transaction():
        for row in change.decisions:
            store.db["gold_decisions"].insert(row)
        for saved in change.removed:
            store.delete_span(saved["store"]["span"]["id"])
        for saved in reversed(change._created_snapshots):
            _restore_gold_span(store, saved)
        for link in reversed(change._link_snapshots):
            store.db["arguments"].insert(link["row"])
            if link["decision"] is not None:
                store.db.execute("INSERT INTO gold_argument_decisions(argument_link_id, decision_id) VALUES (?, ?)",
                                 [link["row"]["id"], link["decision"]])
        for span_id, before, after in change.updated:
            store.update_span(span_id, **after)
        for span_id, _, after in change.repointed:
            _point(store, span_id, after)
        if change.state:
            _, _, after, note = change.state
            store.set_state(change.article_id, GOLD, after, note)
        store.log_action(reviewer, "redo", change.article_id, {"what": change.description})


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
    return sorted(set(shared) - queued - _finished_articles(store))


def accept_agreed_article(store: Store, article_id: int, reviewer: str,
                          annotators: Iterable[str] | None = None) -> list[GoldChange]:
    """Put one fully agreed article into gold and finish it; the changes undo it."""
    return [prefill_gold(store, article_id, reviewer, annotators), finish_article(store, article_id, reviewer)]


def accept_agreed_articles(store: Store, reviewer: str, annotators: Iterable[str] | None = None) -> list[int]:
    """Put the articles on which the annotators agree completely into gold and finish them.

    They never enter the review queue, so without this their gold would stay empty.
    :returns: the ids of the articles finished now
    """
    done_now = agreed_article_ids(store, annotators)
    for article_id in done_now:
        accept_agreed_article(store, article_id, reviewer, annotators)
    return done_now
