"""The event table's shortcuts for speed give what the plain calls give, on invented odd text."""

from __future__ import annotations

import pytest

from annotator.eventtable.records import SentenceTable, load_parser, sentence_bounds

ODD_TEXTS = [
    # Cyrillic, with a dateline in capitals
    "КИЇВ, 24 червня - Війська обстріляли Харків. Загинули двоє людей.\nОфіційні особи не повідомили деталей.",
    # emoji and other symbols beyond the basic plane between the words
    "Rebels 🔥 shelled Goma overnight 💥. Two people died... Officials said 🙏 nothing more! Really?",
    # Windows line ends, a blank line as a paragraph break, a wrapped line inside a paragraph
    "Drone strike hits plant, officials say\r\n\r\nKHARKIV, Oct. 10 - A drone hit a power plant\r\nin the city. "
    "Nobody was hurt.\r\n\r\nThe U.N. said it would look into it.",
    # a dateline under a headline, a lone carriage return, tabs and runs of spaces
    "Clashes near the border\n\nMOPTI - Gunmen  attacked\ta market.\rTen people were wounded.   ",
    # one word, no full stop
    "Ceasefire",
]


def _offsets(text: str):
    """Every (start, end) a span could have, including empty ones and ones on whitespace."""
    points = range(len(text) + 1)
    return [(s, e) for s in points for e in points if s <= e and e - s <= 40]


@pytest.mark.parametrize("sentences_only", [True, False], ids=["recogniser", "parse"])
@pytest.mark.parametrize("text", ODD_TEXTS, ids=["cyrillic", "emoji", "crlf", "dateline", "one-word"])
def test_sentence_table_gives_what_sentence_bounds_gives(text, sentences_only):
    doc = load_parser(sentences_only=sentences_only)(text)
    table = SentenceTable(doc)
    for start, end in _offsets(text):
        assert table.bounds(start, end) == sentence_bounds(doc, start, end), (start, end, text[start:end])


def test_sentence_table_of_a_doc_without_boundaries_fails_as_spacy_does():
    import spacy

    doc = spacy.blank("en")("Gunmen attacked a market. Ten people were wounded.")
    with pytest.raises(ValueError):
        sentence_bounds(doc, 0, 6)
    with pytest.raises(ValueError):
        SentenceTable(doc).bounds(0, 6)
