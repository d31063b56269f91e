"""Map stored offsets (Python code points) to positions in a QTextDocument and back.

Qt-free on purpose, so the rules are testable without a display. A document made by
``setPlainText`` differs from the Python string in two ways: a character outside the Basic
Multilingual Plane takes two UTF-16 units, and "\\r\\n" becomes one paragraph separator
(a lone "\\r" or "\\n" stays one unit). Everything else is one unit for one code point.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right

_SHIFTS = re.compile("[\U00010000-\U0010FFFF]|\r\n")


def shown_length(text: str) -> int:
    """How much of ``text`` the view shows: all but trailing blank lines and spaces, which would
    only scroll the article off the screen. The stored text keeps them; offsets stay exact."""
    return len(text.rstrip())


class OffsetMap:
    """Offsets of one article text <-> document positions; O(log n) per lookup.

    With ``shown`` (a length), the document holds only ``text[:shown]``: offsets in the hidden tail
    map to the document's end, so a span reaching into trailing blank lines still draws.
    """

    def __init__(self, text: str, shown: int | None = None):
        self.length = len(text)
        # Each entry: from this code point on, the document position differs by one more (+1 or -1).
        self._cp_thresholds: list[int] = []
        self._deltas: list[int] = []  # cumulative shift at each threshold
        self._doc_thresholds: list[int] = []
        shift = 0
        for match in _SHIFTS.finditer(text):
            if match.group() == "\r\n":
                threshold, step = match.end(), -1  # the "\n" adds nothing
            else:
                threshold, step = match.end(), +1  # the low surrogate
            shift += step
            self._cp_thresholds.append(threshold)
            self._deltas.append(shift)
            self._doc_thresholds.append(threshold + shift)
        self.doc_length = self.length + shift
        self.shown = self.length if shown is None else max(0, min(shown, self.length))
        if self.shown < self.length:
            self.doc_length = self.to_doc(self.shown)

    def to_doc(self, offset: int) -> int:
        """Document position of code-point ``offset`` (0..len(text))."""
        # Called twice per span when an article opens (thousands of times): no builtins beyond bisect.
        if not 0 <= offset <= self.length:
            raise ValueError(f"offset {offset} is outside the text (length {self.length})")
        if offset > self.shown:
            offset = self.shown
        k = bisect_right(self._cp_thresholds, offset)
        return offset + self._deltas[k - 1] if k else offset

    def to_offset(self, position: int, *, round_up: bool = False) -> int:
        """Code-point offset of document ``position``.

        A position inside a surrogate pair (Qt never puts a cursor there, but a caller might
        compute one) rounds down to the start of the character, or up with ``round_up``.
        """
        if not 0 <= position <= self.doc_length:
            raise ValueError(f"position {position} is outside the document (length {self.doc_length})")
        k = bisect_right(self._doc_thresholds, position)
        offset = position - (self._deltas[k - 1] if k else 0)
        if offset > self.length or self.to_doc(offset) != position:
            # Inside a surrogate pair: offset names the character after it.
            offset -= 1 if not round_up else 0
            return min(offset, self.length)
        return offset

    def span_to_doc(self, start: int, end: int) -> tuple[int, int]:
        return self.to_doc(start), self.to_doc(end)

    def selection_to_offsets(self, start: int, end: int) -> tuple[int, int]:
        """A document selection as (start, end) offsets, covering every character it touches."""
        return self.to_offset(start), self.to_offset(end, round_up=True)


_WORD = re.compile(r"\w", re.UNICODE)


def snap_to_tokens(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen ``[start, end)`` to whole words and drop surrounding spaces.

    A word here is a run of word characters plus the combining marks attached to them, so a
    selection never splits a letter from its accent. Punctuation-only selections are kept.
    """
    if start >= end:
        return start, end
    stripped_start, stripped_end = start, end
    while stripped_start < stripped_end and text[stripped_start].isspace():
        stripped_start += 1
    while stripped_end > stripped_start and text[stripped_end - 1].isspace():
        stripped_end -= 1
    if stripped_start == stripped_end:
        return start, end
    start, end = stripped_start, stripped_end
    while start > 0 and _is_word_part(text[start]) and _is_word_part(text[start - 1]):
        start -= 1
    while end < len(text) and _is_word_part(text[end - 1]) and _is_word_part(text[end]):
        end += 1
    return start, end


def _is_word_part(char: str) -> bool:
    return bool(_WORD.match(char)) or unicodedata.category(char).startswith("M")


def move_boundary(text: str, start: int, end: int, edge: str, direction: int, *, by_token: bool) -> tuple[int, int]:
    """Move the ``edge`` ("start" or "end") of ``[start, end)`` one word (or character) left (-1)
    or right (+1). Returns the span unchanged if the move would empty it or leave the text.

    By word, an edge lands only on word boundaries (a start on a word's first character, an end
    after a word's last), so punctuation between words never costs a key press of its own:
    narrowing "Marochko’s" from the end gives "Marochko" at once, not "Marochko’".
    """
    original = (start, end)
    if not by_token:
        if edge == "start":
            start += direction
        else:
            end += direction
    elif edge == "start":
        start = _next_boundary(text, start, direction, _is_word_start)
    else:
        end = _next_boundary(text, end, direction, _is_word_end)
    if start is not None and end is not None and 0 <= start < end <= len(text):
        return start, end
    return original


def _is_word_start(text: str, p: int) -> bool:
    return p < len(text) and _is_word_part(text[p]) and (p == 0 or not _is_word_part(text[p - 1]))


def _is_word_end(text: str, p: int) -> bool:
    return p > 0 and _is_word_part(text[p - 1]) and (p == len(text) or not _is_word_part(text[p]))


def _next_boundary(text: str, p: int, direction: int, is_boundary) -> int | None:
    """The nearest position past ``p`` in ``direction`` where ``is_boundary`` holds, if any."""
    p += direction
    while 0 <= p <= len(text):
        if is_boundary(text, p):
            return p
        p += direction
    return None
