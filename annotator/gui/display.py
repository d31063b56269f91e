"""Small rules for showing domain values in views: plain-text tooltips, shortened snippets, long
labels broken over lines (at their underscores) instead of cut."""

from __future__ import annotations

import html


def plain_tooltip(text: str) -> str:
    """Tooltips guess rich text from the content; names come from other people's files, so escape
    them inside a paragraph that is always rendered, and shown literally (line breaks kept)."""
    return "<p>" + html.escape(text).replace("\n", "<br>") + "</p>"


def short(text: str, limit: int = 40) -> str:
    """A snippet of article text on one line, cut with an ellipsis after ``limit`` characters."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def wrap_label(label: str, width: int = 12) -> str:
    """A label over several lines, broken after its underscores, so a narrow column shows it whole:
    ``EXPLOSIONS_REMOTE_VIOLENCE`` becomes ``EXPLOSIONS_`` / ``REMOTE_`` / ``VIOLENCE``."""
    parts = label.split("_")
    lines, line = [], ""
    for i, part in enumerate(parts):
        piece = part + ("_" if i < len(parts) - 1 else "")
        if line and len(line) + len(piece) > width:
            lines.append(line)
            line = ""
        line += piece
    lines.append(line)
    return "\n".join(lines)
