"""Stored offsets are code points; Qt counts UTF-16 units and folds CRLF: the two must agree."""

from __future__ import annotations

import pytest
from fixtures import TRICKY
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextDocument

from annotator.gui.offsets import OffsetMap, move_boundary, shown_length, snap_to_tokens

SAMPLES = [
    TRICKY,
    "plain ascii only",
    "🇺🇦🇺🇦\r\n\r\n",
    "\r\n😀\r\r\n\n",
    "e\u0301\u0301 Ω 𝔘𝔫𝔦 \t end",
]


@pytest.mark.parametrize("text", SAMPLES)
def test_offsets_agree_with_a_real_document(qapp, text):
    document = QTextDocument()
    document.setPlainText(text)
    mapping = OffsetMap(text)
    assert mapping.doc_length == document.characterCount() - 1
    # Qt's own text as UTF-16 code units (PySide hands back a Python str of code points).
    units = document.toRawText().encode("utf-16-le", "surrogatepass")
    for offset, char in enumerate(text):
        position = mapping.to_doc(offset)
        if char == "\n" and offset and text[offset - 1] == "\r":
            continue  # folded into the preceding "\r"
        expected = "\u2029" if char in "\r\n" else char
        width = 2 if ord(char) > 0xFFFF else 1
        assert units[2 * position:2 * (position + width)] == expected.encode("utf-16-le")
        assert mapping.to_offset(position) == offset
    assert mapping.to_offset(mapping.doc_length) == len(text)


def test_offsets_inside_a_surrogate_pair_round_outward():
    mapping = OffsetMap("a😀b")
    assert mapping.to_doc(1) == 1 and mapping.to_doc(2) == 3
    assert mapping.to_offset(2) == 1
    assert mapping.to_offset(2, round_up=True) == 2
    assert mapping.selection_to_offsets(2, 2) == (1, 2)


def test_offsets_reject_positions_outside_the_text():
    mapping = OffsetMap("abc")
    with pytest.raises(ValueError, match="outside"):
        mapping.to_doc(4)
    with pytest.raises(ValueError, match="outside"):
        mapping.to_offset(-1)


def test_offsets_snap_keeps_combining_marks_and_drops_spaces():
    text = "the cafe\u0301 opened"
    assert snap_to_tokens(text, 5, 6) == (4, 9)  # "cafe" + combining acute, never split
    assert snap_to_tokens(text, 3, 10) == (4, 9)
    assert snap_to_tokens(text, 3, 4) == (3, 4)  # only a space: left alone


def test_offsets_move_boundary_by_word_and_by_character():
    text = "shelled the town, officials said"
    start, end = 12, 16  # town
    # Widening by word skips the comma: a punctuation-only step is never worth a key press.
    assert move_boundary(text, start, end, "end", +1, by_token=True) == (12, 27)
    assert move_boundary(text, start, end, "start", -1, by_token=True) == (8, 16)
    assert move_boundary(text, start, end, "start", +1, by_token=False) == (13, 16)
    assert move_boundary(text, start, end, "end", -1, by_token=True) == (12, 16)  # would empty it


def test_offsets_move_boundary_skips_punctuation_only_steps():
    text = "said Marochko’s unit, then left"
    start, end = find_in(text, "Marochko’s")
    assert move_boundary(text, start, end, "end", -1, by_token=True) == find_in(text, "Marochko")
    narrowed = find_in(text, "Marochko")
    assert move_boundary(text, *narrowed, "end", +1, by_token=True) == (start, end)  # back in one press
    unit = find_in(text, "unit")
    assert move_boundary(text, *unit, "end", +1, by_token=True) == find_in(text, "unit, then")
    assert move_boundary(text, *find_in(text, "s unit"), "start", -1, by_token=True) == find_in(text, "Marochko’s unit")
    assert move_boundary(text, *find_in(text, "’s unit"), "start", +1, by_token=True) == find_in(text, "s unit")


def find_in(text: str, needle: str) -> tuple[int, int]:
    start = text.index(needle)
    return start, start + len(needle)


def test_offsets_trailing_blank_lines_are_not_shown_but_offsets_stay_exact():
    text = "Kyiv said 😀 more\r\n\r\n  \n\n"
    shown = shown_length(text)
    assert text[:shown] == "Kyiv said 😀 more"
    offsets = OffsetMap(text, shown)
    assert offsets.doc_length == shown + 1  # the emoji takes two UTF-16 units
    assert offsets.to_doc(text.index("more")) == text.index("more") + 1
    assert offsets.to_doc(len(text)) == offsets.doc_length  # a span into the blank tail ends at the end
    assert offsets.to_offset(offsets.doc_length) == shown


def select_in_document(window, needle: str) -> None:
    cursor = window.view.document().find(needle, 0, QTextDocument.FindCaseSensitively)
    assert not cursor.isNull(), needle
    window.view.setTextCursor(cursor)


@pytest.mark.parametrize("needle,label_key", [
    ("Київ", Qt.Key_L),
    ("🇺🇦", Qt.Key_G),
    ("😀", Qt.Key_W),
    ("cafe\u0301", Qt.Key_F),
    ("end", Qt.Key_D),  # after a CRLF
    ("last", Qt.Key_Q),  # after a lone CR
    ("said", Qt.Key_O),  # before a tab
])
def test_offsets_spans_made_in_the_window_cover_exactly_the_selected_characters(window, qtbot, project,
                                                                                 needle, label_key):
    _path, ids = project
    window.controller.open_article(ids["tricky"])
    window.controller.toggle_snap(False)
    select_in_document(window, needle)
    qtbot.keyClick(window.view, label_key)
    [span] = [s for s in window.store.spans.for_article(ids["tricky"], "ana") if not s.is_suggestion]
    assert span.text_in(TRICKY) == needle
    # And it is drawn over the same characters it stores.
    shown = window.view.spans_between(0, 10_000)
    assert [(s.start, s.end) for s in shown] == [window.view.offsets.span_to_doc(span.start_char, span.end_char)]
    cursor = window.view.textCursor()
    cursor.setPosition(shown[0].start)
    cursor.setPosition(shown[0].end, cursor.MoveMode.KeepAnchor)
    assert cursor.selectedText() == needle


def test_offsets_markup_in_articles_is_shown_literally(window, project):
    _path, ids = project
    window.controller.open_article(ids["tricky"])
    text = window.view.toPlainText()
    assert "<b>bold</b> &amp; <img src=" in text
    document = window.view.document()
    assert document.toHtml().count("<img") == 0  # the tag is text, not an image element
    assert window.heading.text() == "Tricky <b>characters</b>"
    assert window.heading.textFormat() == Qt.PlainText
