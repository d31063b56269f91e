"""BRAT standoff: ``<id>.txt`` (the article text, byte for byte) beside ``<id>.ann``.

BRAT counts offsets in characters of the .txt file, so the text is written with ``newline=""``:
CRLF stays CRLF and offsets stay exact. A span crossing a line break becomes a discontinuous
T line (one fragment per line), since BRAT does not allow a newline inside a fragment.
"""

from __future__ import annotations

import re
from pathlib import Path

from annotator.selection import ArticleExport
from annotator.domain import Layer

# Attributes written as BRAT attributes (A lines); any other attribute becomes an AnnotatorNotes line.
CHOICE_ATTRIBUTES = ("modality", "sub_event_type")
CONFIG_FILE = "annotation.conf"
_LINE_BREAK = re.compile(r"[\r\n\u2028\u2029\x0b\x0c\x1c-\x1e\x85]+")
_NOT_A_NAME = re.compile(r"[^\w-]+")


def brat_value(value: str) -> str:
    """BRAT attribute values cannot hold spaces: 'Air/drone strike' -> 'Air_drone_strike'."""
    return _NOT_A_NAME.sub("_", str(value)).strip("_") or "_"


def fragments(text: str, start: int, end: int) -> list[tuple[int, int]]:
    pieces: list[tuple[int, int]] = []
    position = start
    for match in _LINE_BREAK.finditer(text, start, end):
        if match.start() > position:
            pieces.append((position, match.start()))
        position = match.end()
    if position < end:
        pieces.append((position, end))
    return pieces


def _one_line(value) -> str:
    return " ".join(str(value).split())


def ann_lines(item: ArticleExport) -> list[str]:
    text = item.article.text
    spans = sorted(item.spans, key=lambda s: (s.start_char, s.end_char, str(s.layer), s.label, s.id))
    lines: list[str] = []
    ids: dict[int, str] = {}
    trigger_ids: dict[int, str] = {}
    for number, span in enumerate(spans, start=1):
        pieces = fragments(text, span.start_char, span.end_char) or [(span.start_char, span.end_char)]
        offsets = ";".join(f"{s} {e}" for s, e in pieces)
        covered = " ".join(text[s:e] for s, e in pieces)
        lines.append(f"T{number}\t{span.label} {offsets}\t{covered}")
        trigger_ids[span.id] = f"T{number}"
        ids[span.id] = f"T{number}"
    events = [s for s in spans if s.layer is Layer.EVENT]
    for number, event in enumerate(events, start=1):
        ids[event.id] = f"E{number}"
    for event in events:
        parts = [f"{event.label}:{trigger_ids[event.id]}"]
        seen: dict[str, int] = {}
        for link in item.arguments:
            if link.event.id != event.id:
                continue
            seen[link.role] = seen.get(link.role, 0) + 1
            role = link.role if seen[link.role] == 1 else f"{link.role}{seen[link.role]}"
            parts.append(f"{role}:{ids[link.filler.id]}")
        lines.append(f"{ids[event.id]}\t{' '.join(parts)}")
    attribute_number = note_number = 0
    for span in spans:
        for name, value in sorted(span.attributes.items()):
            if value is None or value is False or value == "":
                continue
            if value is True:
                attribute_number += 1
                lines.append(f"A{attribute_number}\t{name} {ids[span.id]}")
            elif name in CHOICE_ATTRIBUTES and isinstance(value, str):
                attribute_number += 1
                lines.append(f"A{attribute_number}\t{name} {ids[span.id]} {brat_value(value)}")
            else:
                note_number += 1
                lines.append(f"#{note_number}\tAnnotatorNotes {ids[span.id]}\t{name}: {_one_line(value)}")
    return lines


class ConfigCollector:
    """Gathers the labels, roles and attribute values an export used, for BRAT's annotation.conf."""

    def __init__(self):
        self.entities: set[str] = set()
        self.events: dict[str, set[str]] = {}
        self.attributes: dict[str, tuple[set[str], set[str]]] = {}  # name -> (values, layers it is on)

    def add(self, item: ArticleExport) -> None:
        for span in item.spans:
            if span.layer is Layer.EVENT:
                self.events.setdefault(span.label, set())
            else:
                self.entities.add(span.label)
            for name, value in span.attributes.items():
                if value is True or (name in CHOICE_ATTRIBUTES and isinstance(value, str) and value):
                    values, layers = self.attributes.setdefault(name, (set(), set()))
                    layers.add(str(span.layer))
                    if value is not True:
                        values.add(brat_value(value))
        for link in item.arguments:
            self.events[link.event.label].add(link.role)

    def text(self) -> str:
        lines = ["# Written by Conflict Annotator's export: the labels, roles and attributes in this export.",
                 "[entities]", *sorted(self.entities), "", "[relations]", "", "[events]"]
        for label, roles in sorted(self.events.items()):
            # "*": a role may be filled any number of times, or not at all.
            arguments = ", ".join(f"{role}*:<ENTITY>" for role in sorted(roles))
            lines.append(f"{label}\t{arguments}" if arguments else label)
        lines += ["", "[attributes]"]
        for name, (values, layers) in sorted(self.attributes.items()):
            targets = "|".join(f"<{layer.upper()}>" for layer in sorted(layers))
            lines.append(f"{name}\tArg:{targets}" + (f", Value:{'|'.join(sorted(values))}" if values else ""))
        return "\n".join(lines) + "\n"


def write_article(directory: Path, item: ArticleExport) -> None:
    stem = f"{item.article.id}"
    directory.mkdir(parents=True, exist_ok=True)
    with open(directory / f"{stem}.txt", "w", encoding="utf-8", newline="") as handle:
        handle.write(item.article.text)
    lines = ann_lines(item)
    with open(directory / f"{stem}.ann", "w", encoding="utf-8", newline="\n") as handle:
        handle.write("".join(line + "\n" for line in lines))

