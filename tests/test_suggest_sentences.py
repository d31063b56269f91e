"""A blank line ends a sentence, whatever the line ends; a single line break does not."""

import pytest
import spacy

from annotator.suggest.sentences import paragraph_breaks


@pytest.fixture(scope="module")
def blank():
    return spacy.blank("en")


@pytest.mark.parametrize("text", ["Troops withdraw, officials say\n\nIZIUM - Troops left.",
                                  "Troops withdraw, officials say\r\n\r\nIZIUM - Troops left.",
                                  "Troops withdraw, officials say\r\rIZIUM - Troops left.",
                                  "Troops withdraw, officials say\n \t\n  IZIUM - Troops left."])
def test_sentences_a_blank_line_starts_a_sentence(blank, text):
    doc = paragraph_breaks(blank(text))
    starts = [token.text for token in doc if token.is_sent_start]
    assert starts == ["Troops", "IZIUM"]


def test_sentences_a_wrapped_line_goes_on(blank):
    doc = paragraph_breaks(blank("Troops withdrew from the town\nafter weeks of shelling."))
    assert [token.text for token in doc if token.is_sent_start] == ["Troops"]
