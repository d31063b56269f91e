"""What learning reads: articles with their accepted spans, checked, split and turned into spaCy Examples.

The caller (the store, a bench reader, a test) builds :class:`LearnArticle` records; nothing here
reads the project file, so the learner works the same on a project, on re3d or on a fixture.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from spacy.language import Language
from spacy.tokens import Doc
from spacy.training import Example

from annotator.domain import Article, Layer, Span, Status, content_hash

# Where trigger spans go on a Doc for the span categorizer (and for the gold Docs of scoring).
TRIGGERS_KEY = "triggers"
# One article in HELDOUT_BUCKETS is held back when its hash falls below the percentage asked for.
HELDOUT_BUCKETS = 100


class LearnInputError(ValueError):
    """An article or span given to the learner is unusable; the message names which and why."""


@dataclass(frozen=True)
class LearnSpan:
    """An accepted (or gold) span: code-point offsets into the article text, end exclusive."""

    start_char: int
    end_char: int
    label: str
    layer: Layer


@dataclass
class LearnArticle:
    """One article to learn from. ``content_hash`` identifies it in manifests (ids differ between projects)."""

    text: str
    spans: list[LearnSpan]
    article_id: int | str | None = None
    content_hash: str = ""
    # Entity ranges (start_char, end_char) the annotation leaves undecided (a span the annotators did
    # not agree on, a type the project does not learn): their tokens are *missing* in training,
    # taught neither as a span nor as "not a span", and a prediction on exactly those offsets is
    # scored neither right nor wrong. A project's finished articles have none.
    unknown: list[tuple[int, int]] = field(default_factory=list)

    def __post_init__(self):
        if not self.content_hash:
            self.content_hash = content_hash(self.text)

    @classmethod
    def from_article(cls, article: Article, spans: list[Span]) -> "LearnArticle":
        """An article and its decided spans as read from the store: accepted ones only, each once
        (several annotators accepting the same suggestion teach it once)."""
        kept = {(s.start_char, s.end_char, s.label, Layer(s.layer)) for s in spans if s.status is Status.ACCEPTED}
        return cls(article.text, [LearnSpan(*key) for key in sorted(kept)], article_id=article.id,
                   content_hash=article.content_hash)

    @property
    def name(self) -> str:
        return f"article {self.article_id}" if self.article_id is not None else f"article {self.content_hash[:12]}"


@dataclass
class Prepared:
    """Training material after alignment: Examples per layer and what could not be used."""

    entity_labels: list[str]
    trigger_labels: list[str]
    train: list[LearnArticle]
    heldout: list[LearnArticle]
    unaligned: int = 0  # spans whose offsets cut a token and could not be widened
    overlapping: int = 0  # entity spans left out of doc.ents because a longer one covers them
    problems: list[str] = field(default_factory=list)
    # Entity labels whose output weights started from the start NER's label of the same meaning.
    transferred: dict[str, str] = field(default_factory=dict)
    # Entity labels and the start NER's label of the same meaning (by overlap), for naming the rules'
    # spans in the project's labels when suggesting.
    start_labels: dict[str, str] = field(default_factory=dict)


def check_articles(articles: list[LearnArticle]) -> None:
    """:raises LearnInputError: naming the article and span that is out of range, empty or unlabelled."""
    if not articles:
        raise LearnInputError("no articles to learn from: accept or add some spans first")
    for article in articles:
        if not isinstance(article.text, str):
            raise LearnInputError(f"{article.name}: text is {type(article.text).__name__}, not a string")
        for span in article.spans:
            where = f"{article.name}: span {span.start_char}-{span.end_char} {span.label!r}"
            if not isinstance(span.label, str) or not span.label.strip():
                raise LearnInputError(f"{where}: has no label")
            if not (0 <= span.start_char < span.end_char <= len(article.text)):
                raise LearnInputError(f"{where}: offsets outside the text (0-{len(article.text)}) or empty")
            if Layer(span.layer) not in (Layer.ENTITY, Layer.EVENT):
                raise LearnInputError(f"{where}: unknown layer {span.layer!r}")
        for start, end in article.unknown:
            if not (0 <= start < end <= len(article.text)):
                raise LearnInputError(f"{article.name}: undecided range {start}-{end}: offsets outside the text "
                                      f"(0-{len(article.text)}) or empty")
    if not any(a.spans for a in articles):
        raise LearnInputError(f"none of the {len(articles)} articles has an accepted span to learn from")


def heldout_bucket(article: LearnArticle) -> int:
    """A stable bucket from the content hash alone: an article stays on its side of the split as the
    project grows, so the held-out scores of successive versions stay comparable."""
    return int(hashlib.sha256(("heldout:" + article.content_hash).encode()).hexdigest()[:8], 16) % HELDOUT_BUCKETS


def split_articles(articles: list[LearnArticle], heldout_percent: int) -> tuple[list[LearnArticle], list[LearnArticle]]:
    """(train, held out) by content hash. With at least two articles both sides get one, so that every
    run has a score and something to learn from."""
    if not 0 <= heldout_percent < 100:
        raise LearnInputError(f"held-out share must be 0-99 percent, not {heldout_percent}")
    # In hash order, so that the order the caller read the articles in does not change the version.
    usable = sorted((a for a in articles if a.spans), key=lambda a: a.content_hash)
    heldout = [a for a in usable if heldout_bucket(a) < heldout_percent]
    train = [a for a in usable if heldout_bucket(a) >= heldout_percent]
    if heldout_percent and len(usable) >= 2:
        if not heldout:
            lowest = min(train, key=heldout_bucket)
            train.remove(lowest)
            heldout.append(lowest)
        elif not train:
            highest = max(heldout, key=heldout_bucket)
            heldout.remove(highest)
            train.append(highest)
    if not train:
        raise LearnInputError("nothing left to train on after holding articles back: add more articles")
    return train, heldout


def labels_of(articles: list[LearnArticle], layer: Layer) -> list[str]:
    return sorted({s.label for a in articles for s in a.spans if Layer(s.layer) is layer})


def _longest_first(spans):
    """Non-overlapping spans for doc.ents: longest first, then earliest (export's ENTS_RULE)."""
    chosen, taken = [], set()
    for span in sorted(spans, key=lambda s: (-(s.end - s.start), s.start, s.label_)):
        tokens = set(range(span.start, span.end))
        if tokens & taken:
            continue
        taken |= tokens
        chosen.append(span)
    return sorted(chosen, key=lambda s: s.start), len(spans) - len(chosen)


def reference_doc(nlp: Language, article: LearnArticle, prepared: Prepared | None = None) -> Doc:
    """The article's tokens with its entities in ``doc.ents`` and triggers in ``doc.spans[TRIGGERS_KEY]``.

    Offsets off token boundaries are widened to the tokens they touch (as the exporters do);
    spans that only cover whitespace are counted in ``prepared.unaligned`` and left out.
    """
    doc = nlp.make_doc(article.text)
    entities, triggers = [], []
    for span in article.spans:
        placed = doc.char_span(span.start_char, span.end_char, label=span.label, alignment_mode="expand")
        if placed is None or not placed.text.strip():
            if prepared is not None:
                prepared.unaligned += 1
                prepared.problems.append(f"{article.name}: span {span.start_char}-{span.end_char} "
                                         f"{span.label!r} covers no token")
            continue
        (entities if Layer(span.layer) is Layer.ENTITY else triggers).append(placed)
    ents, dropped = _longest_first(entities)
    taken = {i for ent in ents for i in range(ent.start, ent.end)}
    undecided = set()
    for start, end in article.unknown:
        placed = doc.char_span(start, end, alignment_mode="expand")
        if placed is not None:
            undecided.update(i for i in range(placed.start, placed.end) if i not in taken)
    # Missing tokens (spaCy's empty IOB tag) add no loss either way; every other token is a span or outside.
    doc.set_ents(ents, missing=[doc[i : i + 1] for i in sorted(undecided)], default="outside")
    trigger_ents, _ = _longest_first(triggers)
    doc.spans[TRIGGERS_KEY] = trigger_ents
    if prepared is not None:
        prepared.overlapping += dropped
    return doc


def prepare(articles: list[LearnArticle], heldout_percent: int) -> Prepared:
    check_articles(articles)
    train, heldout = split_articles(articles, heldout_percent)
    return Prepared(labels_of(train, Layer.ENTITY), labels_of(train, Layer.EVENT), train, heldout)


def examples_for(nlp: Language, references: list[Doc], layer: Layer, as_spans: bool = False) -> list[Example]:
    """Examples whose reference carries one layer: in ``doc.ents`` (for an NER) or, with ``as_spans``,
    in ``doc.spans[TRIGGERS_KEY]`` (for the span categorizer). ``references`` come from :func:`reference_doc`."""
    examples = []
    for reference in references:
        if layer is Layer.EVENT and not as_spans:
            # A second NER reads triggers from doc.ents: a copy keeps the entities of the original.
            reference = reference.copy()
            reference.ents = list(reference.spans[TRIGGERS_KEY])
        elif layer is Layer.ENTITY and as_spans:
            reference = reference.copy()
            reference.spans[TRIGGERS_KEY] = list(reference.ents)
        examples.append(Example(nlp.make_doc(reference.text), reference))
    return examples
