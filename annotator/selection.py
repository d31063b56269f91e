"""Choosing what an export or the event table reads: whose spans, which articles, which labels, which split part.

Everything is read in article-id order, a batch of articles at a time, so memory does not grow
with the project.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Iterator, Mapping, Sequence

from annotator.domain import GOLD, Article, ArticleState, Layer, Span
from annotator.schemes import DEFAULT_SCHEME, SchemeError
from annotator.store import Store, UnknownAnnotatorError

BATCH_SIZE = 200
PART_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
# The one part name used when no split is asked for.
WHOLE = "all"


class ExportError(ValueError):
    """The export was asked for something the project cannot give; the message says what exists."""


@dataclass(frozen=True)
class ArgumentLink:
    """An event argument whose both ends are in the export."""

    event: Span
    filler: Span
    role: str
    created_at: str | None = None


@dataclass
class ArticleExport:
    """One article as it goes out: the chosen annotator's accepted spans and their arguments."""

    article: Article
    part: str
    spans: list[Span]
    arguments: list[ArgumentLink]
    rejected: list[Span] = field(default_factory=list)
    arguments_left_out: int = 0

    def timestamp(self) -> int:
        """Unix seconds of the latest change to what is exported (stable across re-exports)."""
        stamps = [s.updated_at for s in self.spans + self.rejected if s.updated_at]
        stamps += [a.created_at for a in self.arguments if a.created_at]
        if not stamps and self.article.imported_at:
            stamps = [self.article.imported_at]
        if not stamps:
            return 0
        return int(max(_utc(s) for s in stamps).timestamp())


def _utc(stamp: str) -> datetime:
    """A stored time; one without a zone is UTC, so the result never depends on the machine's zone."""
    moment = datetime.fromisoformat(stamp)
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


@dataclass(frozen=True)
class Selection:
    """What to export, already checked against the project."""

    annotator: str
    annotator_id: int
    states: tuple[str, ...]
    labels: frozenset[str] | None
    layers: frozenset[str] | None
    split: tuple[tuple[str, float], ...]
    seed: int
    include_rejected: bool
    # Articles moved out of their hashed part so that no part of a small split is empty (see fill_parts).
    moved: Mapping[int, str] = field(default_factory=dict, compare=False, hash=False)

    @property
    def parts(self) -> list[str]:
        return [name for name, _ in self.split] if self.split else [WHOLE]

    def part_of(self, article: Article) -> str:
        return self.moved.get(article.id) or part_of(article.content_hash, self.split, self.seed)


def parse_split(text: str) -> dict[str, float]:
    """``"train=0.8,dev=0.1,test=0.1"`` -> ``{"train": 0.8, "dev": 0.1, "test": 0.1}``."""
    ratios: dict[str, float] = {}
    for item in text.split(","):
        name, sep, value = item.strip().partition("=")
        if not sep:
            raise ExportError(f"--split: {item.strip()!r} is not NAME=RATIO (e.g. train=0.8,dev=0.1,test=0.1)")
        if name.strip() in ratios:
            raise ExportError(f"--split: the part {name.strip()!r} is named twice")
        try:
            ratios[name.strip()] = float(value)
        except ValueError:
            raise ExportError(f"--split: the ratio of {name.strip()!r} is not a number: {value!r}") from None
    return ratios


def check_split(split: Mapping[str, float] | None) -> tuple[tuple[str, float], ...]:
    if not split:
        return ()
    for name, ratio in split.items():
        if not PART_NAME.match(name):
            raise ExportError(f"split part name {name!r} must be letters, digits, '-' or '_' (it becomes a file name)")
        if not 0 < ratio <= 1:
            raise ExportError(f"split ratio of {name!r} must be above 0 and at most 1, got {ratio}")
    total = sum(split.values())
    if abs(total - 1) > 1e-6:
        raise ExportError(f"split ratios must add up to 1, they add up to {total:g}")
    return tuple(split.items())


def split_point(content_hash: str, seed: int) -> float:
    """Where an article falls in [0, 1): the split gives each part a stretch of this line."""
    digest = hashlib.sha256(f"{seed}\x00{content_hash}".encode("ascii")).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def part_of(content_hash: str, split: tuple[tuple[str, float], ...], seed: int) -> str:
    """The split part of an article, from its content hash and the seed alone.

    Adding or removing other articles never moves an article to another part (but see
    :func:`fill_parts`, which moves a few articles of a small export so that no part is empty).
    """
    if not split:
        return WHOLE
    point = split_point(content_hash, seed)
    cumulative = 0.0
    for name, ratio in split:
        cumulative += ratio
        if point < cumulative:
            return name
    return split[-1][0]


def fill_parts(hashes: Mapping[int, str], split: tuple[tuple[str, float], ...], seed: int) -> dict[int, str]:
    """Articles to move so that every part gets at least one article when there are enough.

    On a small export the hashed parts can come out empty (8 articles at train=0.8,dev=0.2 leave
    dev empty one time in six). Each empty part then takes, from the part that has the most
    articles (more than one), the article whose point lies nearest to the empty part's stretch:
    only those few articles move, the rest stay where the hash puts them.

    :param hashes: article id -> content hash, of every article the export takes
    :returns: article id -> part, for the moved articles only
    """
    if len(split) < 2 or len(hashes) < len(split):
        return {}
    points = {article_id: split_point(digest, seed) for article_id, digest in hashes.items()}
    members: dict[str, list[int]] = {name: [] for name, _ in split}
    for article_id, digest in hashes.items():
        members[part_of(digest, split, seed)].append(article_id)
    stretches, cumulative = {}, 0.0
    for name, ratio in split:
        stretches[name] = (cumulative, cumulative + ratio)
        cumulative += ratio
    moved: dict[int, str] = {}
    for name, _ in split:
        if members[name]:
            continue
        donor = max(members, key=lambda part: (len(members[part]), part))
        low, high = stretches[name]
        nearest = min(members[donor], key=lambda a: (min(abs(points[a] - low), abs(points[a] - high)), a))
        members[donor].remove(nearest)
        members[name].append(nearest)
        moved[nearest] = name
    return moved


def make_selection(
    store: Store,
    *,
    annotator: str | None,
    gold: bool,
    states: Sequence[str] | None,
    labels: Sequence[str] | None,
    layers: Sequence[str] | None,
    split: Mapping[str, float] | None,
    seed: int,
    include_rejected: bool,
) -> Selection:
    """Check every choice against the project; raise ExportError naming what exists."""
    if gold and annotator:
        raise ExportError("choose either an annotator or the gold layer, not both")
    if not gold and not annotator:
        known = ", ".join(store.annotators.names()) or "none yet"
        raise ExportError(f"say whose spans to export: an annotator (known: {known}) or the gold layer")
    name = GOLD if gold else annotator
    try:
        annotator_id = store.annotators.id_of(name)
    except UnknownAnnotatorError as exc:
        if gold:
            raise ExportError("the project has no gold layer yet (no annotator named 'gold'): review first") from exc
        raise ExportError(str(exc)) from exc
    valid_states = [str(s) for s in ArticleState]
    chosen_states = tuple(states) if states else (str(ArticleState.DONE),)
    bad_states = [s for s in chosen_states if s not in valid_states]
    if bad_states:
        raise ExportError(f"unknown article state {', '.join(map(repr, bad_states))} (states: {', '.join(valid_states)})")
    chosen_layers = None
    if layers:
        valid_layers = [str(l) for l in Layer]
        bad_layers = [l for l in layers if l not in valid_layers]
        if bad_layers:
            raise ExportError(f"unknown layer {', '.join(map(repr, bad_layers))} (layers: {', '.join(valid_layers)})")
        chosen_layers = frozenset(layers)
    chosen_labels = None
    if labels:
        known_labels = project_labels(store)
        bad_labels = [l for l in labels if l not in known_labels]
        if bad_labels:
            listing = ", ".join(sorted(known_labels)) or "none"
            raise ExportError(f"unknown label {', '.join(map(repr, bad_labels))} (labels in this project: {listing})")
        chosen_labels = frozenset(labels)
    parts = check_split(split)
    moved = fill_parts(store.articles.hashes_in_states(annotator_id, chosen_states), parts, seed) if parts else {}
    return Selection(
        annotator=name,
        annotator_id=annotator_id,
        states=chosen_states,
        labels=chosen_labels,
        layers=chosen_layers,
        split=parts,
        seed=seed,
        include_rejected=include_rejected,
        moved=moved,
    )


def project_labels(store: Store) -> set[str]:
    """Labels used by any span of the project, plus those of its scheme."""
    labels = set(store.spans.labels_in_use())
    try:
        labels |= store.project_scheme(DEFAULT_SCHEME).label_names()
    except SchemeError:
        pass  # a project whose scheme file is gone still exports the labels it uses
    return labels


def count_selected(store: Store, selection: Selection) -> int:
    return store.articles.count_in_states(selection.annotator_id, selection.states)


def iter_selected(store: Store, selection: Selection) -> Iterator[ArticleExport]:
    """The articles to export, in id order, each with its spans and arguments."""
    last_id = 0
    statuses = ["accepted", "rejected"] if selection.include_rejected else ["accepted"]
    while True:
        articles = store.articles.in_states(selection.annotator_id, selection.states, after=last_id,
                                            limit=BATCH_SIZE)
        if not articles:
            return
        last_id = articles[-1].id
        ids = [a.id for a in articles]
        spans_by_article = store.spans.of_articles(ids, selection.annotator_id, statuses)
        arguments_by_event = {
            event_id: [(link.filler_id, link.role, link.created_at) for link in links]
            for event_id, links in store.arguments.of_articles(ids, selection.annotator_id).items()
        }
        for article in articles:
            yield _article_export(article, selection, spans_by_article.get(article.id, []), arguments_by_event)


def _article_export(article: Article, selection: Selection, spans: list[Span],
                    arguments_by_event: dict[int, list[tuple[int, str, str]]]) -> ArticleExport:
    wanted = [
        s for s in spans
        if (selection.labels is None or s.label in selection.labels)
        and (selection.layers is None or str(s.layer) in selection.layers)
    ]
    accepted = [s for s in wanted if s.status == "accepted"]
    rejected = [s for s in wanted if s.status == "rejected"]
    by_id = {s.id: s for s in accepted}
    links: list[ArgumentLink] = []
    left_out = 0
    for span in spans:
        for filler_id, role, created_at in arguments_by_event.get(span.id, []):
            if span.id in by_id and filler_id in by_id:
                links.append(ArgumentLink(span, by_id[filler_id], role, created_at))
            elif span.status == "accepted":
                left_out += 1
    links.sort(key=lambda l: (l.event.start_char, l.event.end_char, l.event.label, l.role,
                              l.filler.start_char, l.filler.end_char, l.filler.label))
    return ArticleExport(
        article=article,
        part=selection.part_of(article),
        spans=accepted,
        arguments=links,
        rejected=rejected,
        arguments_left_out=left_out,
    )


def describe(selection: Selection) -> dict:
    """The choices, as written into the export manifest."""
    return {
        "annotator": selection.annotator,
        "states": list(selection.states),
        "labels": sorted(selection.labels) if selection.labels else None,
        "layers": sorted(selection.layers) if selection.layers else None,
        "split": dict(selection.split) if selection.split else None,
        "moved_to_fill_parts": {str(k): v for k, v in sorted(selection.moved.items())},
        "seed": selection.seed,
        "include_rejected": selection.include_rejected,
    }


def stable_hash32(value) -> int:
    """A signed 32-bit hash of a JSON-able value, the same in every run and on every machine."""
    payload = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    digest = hashlib.sha256(payload.encode("utf-8", "surrogatepass")).digest()
    return int.from_bytes(digest[:4], "big", signed=True)


__all__ = [
    "ArticleExport", "ArgumentLink", "ExportError", "Selection",
    "count_selected", "fill_parts", "iter_selected", "make_selection", "parse_split", "part_of", "stable_hash32",
]
