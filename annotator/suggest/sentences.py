"""Sentence boundaries that the text's own layout gives: a blank line ends a sentence.

A headline without a full stop is not the start of the dateline's sentence ("Drone strike hits
power plant, officials say" + blank line + "KHARKIV, Oct. 10 - ..."): read as one sentence, the
headline's event was "reported by" the mayor quoted in the paragraph below, and the paragraph's events
by the headline's "officials". The suggester and the event table's parser both put this component
first, so that they read the same sentences. A single line break does not end one: pasted text is
often wrapped inside its paragraphs.
"""

from __future__ import annotations

import re

PARAGRAPH_BREAKS = "paragraph_breaks"


def add_paragraph_breaks(nlp) -> None:
    """Put the component first in ``nlp``: set before the parser or sentence recogniser, which keep
    boundaries already set."""
    from spacy.language import Language

    if not Language.has_factory(PARAGRAPH_BREAKS):
        Language.component(PARAGRAPH_BREAKS, func=paragraph_breaks)
    if PARAGRAPH_BREAKS not in nlp.pipe_names:
        nlp.add_pipe(PARAGRAPH_BREAKS, first=True)


def paragraph_breaks(doc):
    """Mark the first word after whitespace holding two or more line breaks (LF, CRLF or CR alone)
    as a sentence start. The text is searched, not every token: most texts have a few paragraphs and
    thousands of words, and the suggester's time is measured against the model's own."""
    starts = None
    for found in _PARAGRAPH_BREAK.finditer(doc.text):
        if starts is None:
            starts = doc.to_array("IDX")  # each token's character offset, in order
        i = int(starts.searchsorted(found.end()))
        if 0 < i < len(doc) and starts[i] == found.end():
            doc[i].is_sent_start = True
    return doc


# whitespace holding two line breaks, then the next word
_PARAGRAPH_BREAK = re.compile(r"(?:\r\n|\r|\n)[^\S\r\n]*(?:\r\n|\r|\n)\s*(?=\S)")
