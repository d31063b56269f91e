"""Tokens for an article and the rule that puts each span on token boundaries.

Rule (documented in docs/formats.md): a span always keeps the characters the annotator marked.
Where one of its ends falls inside a token (``died.[3][4][5`` is one token to spaCy, the span is
``died``), that token is split there (:func:`tokenize_for`), so the span's exact characters become
tokens; each such split is reported. A span is never widened. A span with whitespace at an edge is
trimmed to the tokens inside it (reported); one that covers only whitespace cannot be aligned
(reported, and left out of the formats that need tokens).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from contextlib import nullcontext
from dataclasses import dataclass
from functools import cache

from annotator.domain import Span

TOKENIZER_LANGUAGE = "en"


@cache
def tokenizer_pipeline():
    """spaCy's English tokenizer rules (those of en_core_web_sm) without any trained component."""
    import spacy

    return spacy.blank(TOKENIZER_LANGUAGE)


def tokenizer_description() -> str:
    """Names the tokenizer in the export manifest, so a later reader can rebuild the same tokens."""
    import spacy

    return (f"spacy.blank({TOKENIZER_LANGUAGE!r}), spaCy {spacy.__version__}; a token is split where an"
            " exported span begins or ends inside it (the manifest's tokens_split lists each)")


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


def tokenize_for(text: str, spans: list[Span]):
    """The article's tokens, split wherever a span begins or ends inside a token.

    :returns: the Doc (its text is ``text`` exactly) and, per span that needed a split, the span and
        the text of the token it cut (for the report)
    """
    from spacy.tokens import Doc

    doc = tokenize(text)
    cuts = sorted({s.start_char for s in spans} | {s.end_char for s in spans})
    if not cuts or not len(doc):
        return doc, []
    index = TokenIndex(doc)
    inside: dict[int, list[int]] = {}  # token -> the cuts strictly inside it
    for cut in cuts:
        token = bisect_right(index.starts, cut) - 1
        if token >= 0 and index.starts[token] < cut < index.ends[token]:
            inside.setdefault(token, []).append(cut)
    if not inside:
        return doc, []
    words: list[str] = []
    spaces: list[bool] = []
    for token, (start, end, space) in enumerate(zip(index.starts, index.ends, index.followed_by_space)):
        bounds = [start, *inside.get(token, ()), end]
        for left, right in zip(bounds, bounds[1:]):
            words.append(text[left:right])
            spaces.append(False)
        spaces[-1] = space
    cut_tokens = {}
    for span in spans:
        for edge in (span.start_char, span.end_char):
            token = bisect_right(index.starts, edge) - 1
            if token in inside and edge in inside[token]:
                cut_tokens.setdefault(span.id, (span, text[index.starts[token]:index.ends[token]]))
    split_doc = Doc(doc.vocab, words=words, spaces=spaces)
    return split_doc, list(cut_tokens.values())


def split_reports(article_id: int, text: str, cut: list[tuple[Span, str]], spans: list[Span]) -> list["Misalignment"]:
    """One report per exported span whose edge split a token (the span itself did not move)."""
    wanted = {s.id for s in spans}
    return [_problem(article_id, text, span, (span.start_char, span.end_char),
                     f"the token {token!r} was split so that the span keeps its exact characters")
            for span, token in cut if span.id in wanted]


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
        if (self.aligned_start, self.aligned_end) == (self.start_char, self.end_char):
            return f"{where}: {self.reason}"
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
    """Apply the alignment rule to every span of one article; ``doc`` comes from :func:`tokenize_for`
    (with plain :func:`tokenize`, a span whose end falls inside a token cannot be aligned)."""
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
        if new_start < span.start_char or new_end > span.end_char:
            # Only when the Doc was not split at the span's edges: never widen past what was marked.
            problems.append(_problem(article_id, text, span, None,
                                     f"an end falls inside a token ({text[new_start:new_end]!r})"))
            continue
        aligned.append(Aligned(span, first, last, new_start, new_end))
        problems.append(_problem(article_id, text, span, (new_start, new_end),
                                 "trimmed: whitespace at its edges is in no token"))
    return aligned, problems


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
