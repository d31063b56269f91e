"""The tokenizer behind token-level agreement: a word is a run of letters/digits/underscore, every
other non-space character is a token of its own. Deterministic and independent of spaCy's model,
so figures do not change when the model is upgraded."""

from __future__ import annotations

import re
from operator import itemgetter

import numpy as np

TOKEN_PATTERN = re.compile(r"\w+|[^\w\s]")
TOKENIZER_DESCRIPTION = r"regex \w+|[^\w\s] (words, and each other non-space character alone)"


# The same tokens, each with the whitespace before it: findall on this is faster than match objects.
_SPACED_TOKEN = re.compile(r"(\s*)(" + TOKEN_PATTERN.pattern + ")")


def token_offsets(text: str) -> tuple[np.ndarray, np.ndarray]:
    """Start and end (exclusive) code-point offsets of the tokens of ``text``."""
    parts = _SPACED_TOKEN.findall(text)
    spaces = np.fromiter(map(len, map(itemgetter(0), parts)), dtype=np.int64, count=len(parts))
    lengths = np.fromiter(map(len, map(itemgetter(1), parts)), dtype=np.int64, count=len(parts))
    ends = np.cumsum(spaces + lengths)
    return ends - lengths, ends

