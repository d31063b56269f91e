"""Sentence boundaries that the text's own layout gives: a blank line ends a sentence.

A headline without a full stop is not the start of the dateline's sentence ("Drone strike hits
power plant, officials say" + blank line + "KHARKIV, Oct. 10 - ..."): read as one sentence, the
headline's event was "reported by" the mayor quoted in the paragraph below, and the paragraph's events
by the headline's "officials". The suggester and the event table's parser both put this component
first, so that they read the same sentences. A single line break does not end one: pasted text is
often wrapped inside its paragraphs.
"""

from __future__ import annotations

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
    """Mark the first word after a whitespace token holding two or more line breaks (LF, CRLF or CR
    alone) as a sentence start."""
    for token in doc[1:]:
        before = doc[token.i - 1]
        if before.is_space and _line_breaks(before.text) >= 2 and not token.is_space:
            token.is_sent_start = True
    return doc


def _line_breaks(space: str) -> int:
    return space.count("\n") + space.replace("\r\n", "").count("\r")
