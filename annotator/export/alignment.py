"""Tokens for an article and the rule that puts each span on token boundaries.

Rule (documented in docs/formats.md): a span keeps its offsets when they fall on token boundaries.
Otherwise it is widened to the tokens it overlaps (spaCy's ``alignment_mode="expand"``), unless the
widened range would cover part of another exported span that the original did not touch, or it
overlaps only whitespace: then it cannot be aligned. Both cases are reported.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from contextlib import nullcontext
from dataclasses import dataclass
from functools import cache

from annotator.model import Span

TOKENIZER_LANGUAGE = "en"


@cache
def tokenizer_pipeline():
    """spaCy's English tokenizer rules (those of en_core_web_sm) without any trained component."""
    import spacy

    return spacy.blank(TOKENIZER_LANGUAGE)


def tokenizer_description() -> str:
    """Names the tokenizer in the export manifest, so a later reader can rebuild the same tokens."""
    import spacy

    return f"spacy.blank({TOKENIZER_LANGUAGE!r}), spaCy {spacy.__version__}"


# Articles tokenized before strings are freed per article: they fill the tokenizer's cache, which spaCy
# does not grow inside a memory zone, so later articles stay fast.
WARM_UP_ARTICLES = 200


class TokenMemory:
    """Keeps spaCy's vocabulary from growing with every new word of a large export.

    After the warm-up, each article is tokenized inside ``Language.memory_zone()``: the strings it
    added are dropped when the article is written. Nothing of a Doc may be used after its zone.
    """

    def __init__(self):
        self.seen = 0

    def zone(self):
        self.seen += 1
        if self.seen <= WARM_UP_ARTICLES:
            return nullcontext()
        return tokenizer_pipeline().memory_zone()


def tokenize(text: str):
    """A spaCy ``Doc`` of the article text: tokens only."""
    return tokenizer_pipeline().make_doc(text)


@dataclass(frozen=True)
class Aligned:
    """Where a span sits in the tokens: token_end is inclusive, as in Prodigy."""

    span: Span
    token_start: int
    token_end: int
    start_char: int  # the token-aligned offsets (equal to the span's when it was already aligned)
    end_char: int

    @property
    def moved(self) -> bool:
        return (self.start_char, self.end_char) != (self.span.start_char, self.span.end_char)


@dataclass(frozen=True)
class Misalignment:
    """A span whose offsets were not on token boundaries: re-aligned, or left out of token formats."""

    article_id: int
    span_id: int
    label: str
    layer: str
    start_char: int
    end_char: int
    text: str
    aligned_start: int | None  # None: it could not be aligned
    aligned_end: int | None
    reason: str

    def describe(self) -> str:
        where = f"article {self.article_id}: {self.layer} {self.label} {self.start_char}-{self.end_char} {self.text!r}"
        if self.aligned_start is None:
            return f"{where}: not aligned ({self.reason})"
        return f"{where}: re-aligned to {self.aligned_start}-{self.aligned_end} ({self.reason})"

    def as_dict(self) -> dict:
        return {
            "article_id": self.article_id, "span_id": self.span_id, "label": self.label, "layer": self.layer,
            "start": self.start_char, "end": self.end_char, "text": self.text,
            "aligned_start": self.aligned_start, "aligned_end": self.aligned_end, "reason": self.reason,
        }


class TokenIndex:
    """Token boundaries of one Doc, for mapping character offsets to token indices."""

    def __init__(self, doc):
        from spacy.attrs import IDX, IS_SPACE, LENGTH, SPACY

        # One array read: iterating Token objects costs several times more on long articles.
        rows = doc.to_array([IDX, LENGTH, IS_SPACE, SPACY]).tolist() if len(doc) else []
        self.starts = [row[0] for row in rows]
        self.ends = [row[0] + row[1] for row in rows]
        self.space = [bool(row[2]) for row in rows]
        self.followed_by_space = [bool(row[3]) for row in rows]

    def overlapping(self, start: int, end: int) -> tuple[int, int] | None:
        """First and last (inclusive) token overlapping ``[start, end)``; None if none does."""
        first = bisect_right(self.ends, start)
        last = bisect_left(self.starts, end) - 1
        if first > last:
            return None
        return first, last

    def only_space(self, first: int, last: int) -> bool:
        return all(self.space[first : last + 1])

    def is_boundary(self, start: int, end: int, first: int, last: int) -> bool:
        return self.starts[first] == start and self.ends[last] == end


def align_spans(doc, article_id: int, text: str, spans: list[Span],
                index: TokenIndex | None = None) -> tuple[list[Aligned], list[Misalignment]]:
    """Apply the alignment rule to every span of one article."""
    index = index or TokenIndex(doc)
    aligned: list[Aligned] = []
    problems: list[Misalignment] = []
    for span in spans:
        tokens = index.overlapping(span.start_char, span.end_char)
        if tokens is None or index.only_space(*tokens):
            problems.append(_problem(article_id, text, span, None, "it covers no token, only whitespace"))
            continue
        first, last = tokens
        if index.is_boundary(span.start_char, span.end_char, first, last):
            aligned.append(Aligned(span, first, last, span.start_char, span.end_char))
            continue
        new_start, new_end = index.starts[first], index.ends[last]
        swallowed = _swallowed(span, new_start, new_end, spans)
        if swallowed is not None:
            problems.append(_problem(
                article_id, text, span, None,
                f"widening it to tokens {new_start}-{new_end} would cover {swallowed.label} "
                f"{swallowed.start_char}-{swallowed.end_char}",
            ))
            continue
        aligned.append(Aligned(span, first, last, new_start, new_end))
        problems.append(_problem(article_id, text, span, (new_start, new_end), "widened to whole tokens"))
    return aligned, problems


def _swallowed(span: Span, new_start: int, new_end: int, spans: list[Span]) -> Span | None:
    for other in spans:
        if other is span:
            continue
        touched_before = other.start_char < span.end_char and span.start_char < other.end_char
        touched_after = other.start_char < new_end and new_start < other.end_char
        if touched_after and not touched_before:
            return other
    return None


def _problem(article_id: int, text: str, span: Span, new: tuple[int, int] | None, reason: str) -> Misalignment:
    return Misalignment(
        article_id=article_id,
        span_id=span.id,
        label=span.label,
        layer=str(span.layer),
        start_char=span.start_char,
        end_char=span.end_char,
        text=text[span.start_char : span.end_char],
        aligned_start=new[0] if new else None,
        aligned_end=new[1] if new else None,
        reason=reason,
    )
