"""Domain records shared by the store, importers, suggester, exporters and the GUI.

Offsets are Python code-point offsets into ``Article.text``, end exclusive. See GLOSSARY.md for the words.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


# The reserved annotator whose spans are the reviewed gold layer; nobody may annotate under this name.
GOLD = "gold"


def check_annotator_name(name: str) -> str:
    """The name stripped of spaces, or ValueError if it is empty or the reserved gold name."""
    name = name.strip()
    if not name:
        raise ValueError("an annotator needs a name")
    if name == GOLD:
        raise ValueError(f"{GOLD!r} is reserved for the reviewed gold layer; choose a name of your own")
    return name


class Layer(StrEnum):
    """Which annotation layer a span belongs to (INCEpTION's sense of the word)."""

    ENTITY = "entity"
    EVENT = "event"


class Origin(StrEnum):
    SUGGESTED = "suggested"
    MANUAL = "manual"
    IMPORTED = "imported"


class Status(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    REJECTED = "rejected"


class ArticleState(StrEnum):
    TODO = "todo"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    SKIPPED = "skipped"
    FLAGGED = "flagged"


class Modality(StrEnum):
    HAPPENED = "happened"
    PLANNED = "planned"
    HYPOTHETICAL = "hypothetical"
    DENIED = "denied"


def content_hash(text: str) -> str:
    """Identity of an article's text, exactly as imported (CRLF and all)."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass
class Article:
    id: int
    text: str
    title: str | None = None
    source: str | None = None
    url: str | None = None
    published: str | None = None
    language: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)
    content_hash: str = ""
    imported_at: str | None = None

    @classmethod
    def from_row(cls, row: dict) -> "Article":
        return cls(
            id=row["id"],
            text=row["text"],
            title=row["title"],
            source=row["source"],
            url=row["url"],
            published=row["published"],
            language=row["language"],
            meta=json.loads(row["meta"]) if row["meta"] else {},
            content_hash=row["content_hash"],
            imported_at=row["imported_at"],
        )


# The suggester's name, the start of every ``source`` it writes ("conflict-suggester@1.7/...").
SUGGESTER_NAME = "conflict-suggester"


@dataclass
class Span:
    """A labelled character range. ``annotator`` is None for a suggestion shared by everybody."""

    id: int
    article_id: int
    start_char: int
    end_char: int
    label: str
    layer: Layer
    origin: Origin
    status: Status
    annotator: str | None = None
    attributes: dict[str, Any] = field(default_factory=dict)
    source: str | None = None
    score: float | None = None
    suggestion_id: int | None = None
    created_at: str | None = None
    updated_at: str | None = None

    @property
    def is_suggestion(self) -> bool:
        return self.annotator is None

    def text_in(self, article_text: str) -> str:
        return article_text[self.start_char : self.end_char]

    def how_sure(self) -> str:
        """What the window says about the suggester's confidence in this span (annotators' copies of
        a suggestion keep its score): "score 0.83" where one was given (a learned model's
        probability, 1.0 for annotation memory); for an event the suggester's trigger rules found,
        "trigger rule, no score": a rule gives no probability, and the learned trigger model's
        probability for the word is not the rule's confidence (trained on 20 reports it gave rule
        words that are plainly right 0.02). Else "" (an entity from spaCy's NER or a rule)."""
        if self.score is not None:
            return f"score {self.score:.2f}"
        if (self.layer is Layer.EVENT and self.origin is Origin.SUGGESTED
                and (self.source or "").startswith(SUGGESTER_NAME + "@")):
            return "trigger rule, no score"
        return ""

    @classmethod
    def from_row(cls, row: dict) -> "Span":
        # Called for every span of an article the window opens (thousands): plain dict lookups
        # instead of Enum calls, and no JSON parse for the common empty attributes.
        attributes = row["attributes"]
        return cls(
            id=row["id"],
            article_id=row["article_id"],
            start_char=row["start_char"],
            end_char=row["end_char"],
            label=row["label"],
            layer=_LAYERS[row["layer"]],
            origin=_ORIGINS[row["origin"]],
            status=_STATUSES[row["status"]],
            annotator=row.get("annotator"),
            attributes=json.loads(attributes) if attributes and attributes != "{}" else {},
            source=row["source"],
            score=row["score"],
            suggestion_id=row["suggestion_id"],
            created_at=row["created_at"],
            updated_at=row["updated_at"],
        )


_LAYERS = {member.value: member for member in Layer}
_ORIGINS = {member.value: member for member in Origin}
_STATUSES = {member.value: member for member in Status}


@dataclass
class Argument:
    """Links an event span to the span that fills one of its roles (ACTOR, TARGET, ...): its filler."""

    id: int
    event_id: int
    filler_id: int  # the span filling the role
    role: str
    created_at: str | None = None


TITLE_SHOWN = 80  # characters of a first line shown as a title (a list row, a heading)
_BULLET = re.compile(r"^\s*(?:[-*•–]|\d+[.)])\s+")


def display_title(title: str | None, text: str, article_id: int, published: str | None = None) -> str:
    """What the window calls an article, the same in its heading and in the article list.

    Its stored title; else its first non-empty line (list markers dropped, shortened), since that
    is what a reader sees first; else, for a text with no words at all, a dated headline.

    :param title: the stored title, if any
    :param text: the article text (its first few hundred characters are enough)
    :param article_id: the article's id, named when nothing else can be
    :param published: the publication date, if known
    """
    if title and title.strip():
        return " ".join(title.split())
    for line in text.splitlines():
        line = " ".join(_BULLET.sub("", line).split())
        if line:
            return line if len(line) <= TITLE_SHOWN else line[: TITLE_SHOWN - 1].rstrip() + "…"
    if published:
        return f"Article of {published[:10]}"
    return f"Article {article_id}"


# -- blind articles: annotated without suggestions --------------------------------------------------

BLIND_SHARE_SETTING = "blind_share"


def is_blind(article_id: int, share: float) -> bool:
    """Whether an article is annotated without suggestions at this project share (docs/agreement.md).

    Decided by a hash of the article id alone: the same articles stay blind as the project grows, and
    raising the share keeps every article a lower share made blind.
    """
    if share <= 0:
        return False
    if share >= 1:
        return True
    digest = hashlib.sha256(f"blind:{int(article_id)}".encode("ascii")).digest()
    return int.from_bytes(digest[:8], "big") / 2**64 < share
