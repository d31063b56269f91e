"""Text from files, shown safely on a terminal.

Names, titles, labels and file content come from other people's files (a colleague's project, a
downloaded dataset). Printed raw, a control character in them is an instruction to the terminal:
ESC ] 0 ; ... BEL sets the window title, ESC [ 2 J clears the screen, a right-to-left override turns
the rest of a line around. :func:`visible` writes such characters as escapes instead.
"""

from __future__ import annotations

import re

# C0 controls but tab and newline, DEL, C1 controls; and, of Unicode's format characters, the ones
# that reorder or hide what follows (bidirectional overrides and isolates).
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _escape(match: re.Match) -> str:
    char = match.group()
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str) -> str:
    """``text`` with control characters written as ``\\x1b``-style escapes; tab and newline kept.

    >>> visible("Ann\\x1b]0;pwned\\x07")
    'Ann\\\\x1b]0;pwned\\\\x07'
    """
    return _CONTROL.sub(_escape, text)


def visible_name(text: str) -> str:
    """A one-line name or title: as :func:`visible`, and line breaks escaped too."""
    return visible(text).replace("\n", "\\n").replace("\t", "\\t")


__all__ = ["visible", "visible_name"]
