"""What every reader turns a file into: article records with their spans, checked before storing.

Import and merge both speak in these records, and the two rules they share live here once: which
layer a span is in when the file does not say, and which article state wins when several arrive.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from annotator.domain import ArticleState, Layer

if TYPE_CHECKING:  # the scheme module loads jsonschema; records are read long before a scheme is needed
    from annotator.schemes import Scheme


class InputError(ValueError):
    """Bad input, located: ``file:line: field: reason``."""

    def __init__(self, path: str, line: int | None, reason: str, field: str | None = None):
        self.path = path
        self.line = line
        self.field = field
        self.reason = reason
        super().__init__(self.where() + reason)

    def where(self) -> str:
        where = str(self.path)
        if self.line is not None:
            where += f":{self.line}"
        where += ": "
        if self.field:
            where += f"{self.field}: "
        return where


@dataclass
class SpanRecord:
    start: int
    end: int
    label: str
    layer: str | None = None  # None: decided by the scheme (event labels are events)
    attributes: dict[str, Any] = field(default_factory=dict)
    text: str | None = None  # the text the input file claims for the span, checked against offsets
    # Who proposed it: a suggester's name and version (Label Studio's model_version), else the import
    # names the input file ("import:x.jsonl").
    source: str | None = None
    score: float | None = None
    key: Any = None  # the input file's own id for the span, to resolve relations
    where: str | None = None  # the field in the input record, for error messages: "spans[2]"
    # A project file keeps each span's own origin and status; other formats leave them to the
    # annotation (status) and to the import itself (origin "imported").
    origin: str | None = None
    status: str | None = None

    def layer_in(self, scheme: "Scheme") -> Layer:
        """The layer the file gives, else the scheme's: its event labels are events, the rest entities."""
        if self.layer:
            return Layer(self.layer)
        return Layer.EVENT if scheme.layer_of(self.label) is Layer.EVENT else Layer.ENTITY


@dataclass
class RelationRecord:
    head: Any  # SpanRecord.key of the event
    child: Any  # SpanRecord.key of the span filling the role
    role: str


@dataclass
class Annotation:
    """One annotator's finished (or refused) work on an article, as an input file records it."""

    annotator: str | None  # None: the name given with --annotator, else "import"
    spans: list[SpanRecord] = field(default_factory=list)
    relations: list[RelationRecord] = field(default_factory=list)
    status: str = "accepted"  # of the spans: accepted, or rejected (Prodigy's reject)
    state: str | None = "done"  # the article state it implies for the annotator
    note: str | None = None


def state_replaces(current: ArticleState | str | None, incoming: ArticleState | str) -> bool:
    """Whether an article state read from a file may replace the annotator's ``current`` one.

    "done" wins over todo, in_progress and skipped: records of one text come in any order (Prodigy's
    accept, reject and ignore of one article), and an older copy of someone's project file must not undo
    their finishing it. "flagged" always goes through: it asks for a second look whatever came before.
    """
    if current is None or ArticleState(current) is not ArticleState.DONE:
        return True
    return ArticleState(incoming) in (ArticleState.DONE, ArticleState.FLAGGED)


@dataclass
class ArticleRecord:
    text: str
    line: int | None = None
    title: str | None = None
    source: str | None = None  # the outlet (Article.source); not the input file
    url: str | None = None
    published: str | None = None
    language: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)
    annotations: list[Annotation] = field(default_factory=list)
    # Spans proposed but not decided (Prodigy records without an answer or ignored, Label Studio
    # predictions): they become suggestions shared by every annotator.
    suggestions: list[SpanRecord] = field(default_factory=list)
    suggestion_relations: list[RelationRecord] = field(default_factory=list)
    utf16_fixed: int = 0  # spans whose offsets were UTF-16 units (JavaScript tools) and were converted
    # Spans known only from a relation's head_span/child_span (Prodigy), added so the relation holds:
    # counted so the summary says so rather than adding them silently.
    spans_from_relations: int = 0


def relabel(record: ArticleRecord, label_map: dict[str, str] | None) -> None:
    """Rename the record's span labels by ``label_map`` (another tool's name to ours: PER=PERSON)."""
    if not label_map:
        return
    for spans in [a.spans for a in record.annotations] + [record.suggestions]:
        for span in spans:
            if isinstance(span.label, str) and span.label in label_map:
                span.label = label_map[span.label]


def count_outside(record: ArticleRecord, scheme: "Scheme", counts: dict[tuple[str, str], int]) -> None:
    """Add to ``counts`` ((label, layer) to spans) the record's span labels its scheme lacks."""
    for spans in [a.spans for a in record.annotations] + [record.suggestions]:
        for span in spans:
            if scheme.label(span.label) is None:
                key = (span.label, str(span.layer_in(scheme)))
                counts[key] = counts.get(key, 0) + 1


def outside_note(path: str, scheme: "Scheme", counts: dict[tuple[str, str], int], option: str) -> str:
    """The summary's line naming labels outside the scheme, with their counts."""
    listed = ", ".join(f"{label} ({count} span{'s' if count != 1 else ''})"
                       for (label, _), count in sorted(counts.items()))
    example = next(iter(sorted(counts)))[0]
    return (f"{path}: labels not in the project's scheme {scheme.name!r}, added to it as labels of their own: "
            f"{listed}; to use the scheme's labels instead, import again with {option} {example}=LABEL")


def relation_spans_note(path: str, record: ArticleRecord) -> str | None:
    """The summary's line about spans a record's relations brought in, if any."""
    if not record.spans_from_relations:
        return None
    return (f"{path}:{record.line}: {record.spans_from_relations} span(s) added from relation endpoints"
            " (head_span/child_span) that are not in 'spans'")


# What one record may hold. Far beyond any news article, and low enough that a file made to exhaust
# memory (a 1 GB line, a 100 MB title) is refused by name instead of taking the machine down.
# README's "What the importer reads" lists them.
MAX_TEXT_CHARS = 20_000_000
MAX_TITLE_CHARS = 10_000  # also the outlet, url, date and language fields
MAX_NAME_CHARS = 200  # labels, roles, annotator names
MAX_SPANS = 100_000  # per record


def too_long(path: str, line: int | None, field: str, length: int, limit: int) -> InputError:
    return InputError(path, line, f"{length:,} characters, more than the {limit:,} this importer takes", field)


def check_sizes(record: ArticleRecord, path: str) -> None:
    """Raise InputError naming the file, line, field and limit of anything over the limits above."""
    if isinstance(record.text, str) and len(record.text) > MAX_TEXT_CHARS:
        raise too_long(path, record.line, "text", len(record.text), MAX_TEXT_CHARS)
    for name in ("title", "source", "url", "published", "language"):
        value = getattr(record, name)
        if isinstance(value, str) and len(value) > MAX_TITLE_CHARS:
            raise too_long(path, record.line, name, len(value), MAX_TITLE_CHARS)
    spans = sum(len(a.spans) for a in record.annotations) + len(record.suggestions)
    if spans > MAX_SPANS:
        raise InputError(path, record.line, f"{spans:,} spans, more than the {MAX_SPANS:,} this importer takes "
                         "for one article", "spans")
    for annotation in record.annotations:
        if isinstance(annotation.annotator, str) and len(annotation.annotator) > MAX_NAME_CHARS:
            raise too_long(path, record.line, "annotator", len(annotation.annotator), MAX_NAME_CHARS)


def check_record(record: ArticleRecord, path: str) -> None:
    """Raise InputError unless the text is usable and every span fits it exactly.

    Offsets written by JavaScript tools (Label Studio, doccano's front end) count UTF-16 units; when
    a span's own ``text`` matches only under that reading, the offsets are converted, not rejected.
    """
    if not isinstance(record.text, str):
        raise InputError(path, record.line, f"must be a string, not {type(record.text).__name__}", "text")
    if not record.text.strip():
        raise InputError(path, record.line, "is empty", "text")
    check_sizes(record, path)
    groups = [("spans", a.spans) for a in record.annotations] + [("suggestions", record.suggestions)]
    for name, spans in groups:
        for index, span in enumerate(spans):
            _check_span(record, span, path, span.where or f"{name}[{index}]")
    for annotation in record.annotations:
        _check_relations(annotation.spans, annotation.relations, path, record.line)
    _check_relations(record.suggestions, record.suggestion_relations, path, record.line)


def _check_span(record: ArticleRecord, span: SpanRecord, path: str, where: str) -> None:
    text = record.text
    if not isinstance(span.start, int) or not isinstance(span.end, int) or isinstance(span.start, bool):
        raise InputError(path, record.line, f"offsets must be integers, got {span.start!r}, {span.end!r}", where)
    if not isinstance(span.label, str) or not span.label.strip():
        raise InputError(path, record.line, f"label must be a non-empty string, got {span.label!r}", where)
    if len(span.label) > MAX_NAME_CHARS:
        raise too_long(path, record.line, f"{where}.label", len(span.label), MAX_NAME_CHARS)
    if span.layer not in (None, "entity", "event"):
        raise InputError(path, record.line, f"layer must be 'entity' or 'event', got {span.layer!r}", where)
    inside = 0 <= span.start < span.end <= len(text)
    if span.text is not None and (not inside or text[span.start : span.end] != span.text):
        converted = utf16_to_codepoints(text, span.start, span.end)
        if converted and text[converted[0] : converted[1]] == span.text:
            span.start, span.end = converted
            record.utf16_fixed += 1
            return
        found = repr(text[span.start : span.end]) if inside else "nothing (outside the text)"
        raise InputError(
            path, record.line,
            f"offsets {span.start}-{span.end} give {found} but the span's text is {span.text!r}", where,
        )
    if not inside:
        raise InputError(
            path, record.line,
            f"offsets {span.start}-{span.end} are outside the text (length {len(text)})", where,
        )


def _check_relations(spans: list[SpanRecord], relations: list[RelationRecord], path: str, line: int | None) -> None:
    keys = {s.key for s in spans if s.key is not None}
    for index, relation in enumerate(relations):
        for end in ("head", "child"):
            if getattr(relation, end) not in keys:
                raise InputError(path, line, f"{end} {getattr(relation, end)!r} names no span of the record",
                                 f"relations[{index}]")
        if not isinstance(relation.role, str) or not relation.role:
            raise InputError(path, line, "a relation needs a label (its role)", f"relations[{index}]")
        if len(relation.role) > MAX_NAME_CHARS:
            raise too_long(path, line, f"relations[{index}].label", len(relation.role), MAX_NAME_CHARS)


def utf16_to_codepoints(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Map UTF-16 unit offsets to code-point offsets in ``text``; None if they split a character."""
    units = 0
    result: dict[int, int] = {}
    for index, char in enumerate(text):
        result[units] = index
        units += 2 if ord(char) > 0xFFFF else 1
    result[units] = len(text)
    if start in result and end in result and result[start] < result[end]:
        return result[start], result[end]
    return None
