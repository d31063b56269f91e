"""Word lists in token patterns checked as lexeme flags: the same matches, found without Python.

spaCy's Matcher checks ``{"LOWER": {"IN": [...]}}`` by calling a Python predicate for every token
that a pattern's state reaches; the conflict rules' shapes start with optional tokens, so their
states reach every token and those calls were most of the rules' matching time. Whether a word's
lower-case form (or its form) is in a list depends on the word alone, so the answer can be kept
on the word's lexeme as one of spaCy's spare flag bits (``Vocab.add_flag``), and the pattern asks
for the flag (``{"FLAG20": True}``), which the Matcher checks in its compiled code. ``NOT_IN`` asks
for the flag to be off; a ``REGEX`` on the word's form is a flag too. The flag holds exactly what
the predicate compares: the hash of the lexeme's attribute against the hashes of the list's words,
or whether the expression finds something in the attribute's text.
"""

from __future__ import annotations

import re

from spacy.attrs import LOWER, ORTH
from spacy.strings import get_string_id
from spacy.vocab import Vocab

# The flag bits spaCy leaves to users (its own lexical flags take 1 to 18).
FIRST_FLAG, LAST_FLAG = 19, 63
_ATTRS = {"LOWER": LOWER, "ORTH": ORTH, "TEXT": ORTH}


class InWords:
    """The flag getter: whether a word's attribute is one of ``hashes``, or, with ``regex``, whether
    the expression finds something in it (picklable, for worker processes, which build their
    lexemes again from the getters)."""

    def __init__(self, attr: int, hashes: frozenset[int], lower, regex: str | None = None):
        self.attr, self.hashes, self.lower, self.regex = attr, hashes, lower, regex
        self._compiled = re.compile(regex) if regex is not None else None

    def __call__(self, text: str) -> bool:
        value = self.lower(text) if self.attr == LOWER else text
        if self._compiled is not None:
            return bool(self._compiled.search(value))
        return get_string_id(value) in self.hashes

    def __eq__(self, other) -> bool:
        return isinstance(other, InWords) and self.key == other.key

    def __hash__(self) -> int:
        return hash(self.key)

    @property
    def key(self) -> tuple:
        return (self.attr, self.hashes, self.regex)

    def __getstate__(self) -> dict:
        return {"attr": self.attr, "hashes": self.hashes, "lower": self.lower, "regex": self.regex}

    def __setstate__(self, state: dict) -> None:
        self.__init__(**state)


def _flag_for(vocab: Vocab, getter: InWords) -> int | None:
    """The flag bit holding ``getter``'s answer, added to the vocabulary if new; None when every
    spare bit is taken."""
    for bit, existing in vocab.lex_attr_getters.items():
        if existing == getter and FIRST_FLAG <= bit <= LAST_FLAG:
            return bit
    for bit in range(FIRST_FLAG, LAST_FLAG + 1):
        if bit not in vocab.lex_attr_getters:
            return vocab.add_flag(getter, flag_id=bit)
    return None


def word_lists_as_flags(vocab: Vocab, patterns: list[dict]) -> list[dict]:
    """``patterns`` (span ruler patterns) with each ``IN``/``NOT_IN`` word list on LOWER, ORTH or
    TEXT replaced by a lexeme flag; everything else as it was. String patterns pass unchanged."""
    lower = vocab.lex_attr_getters.get(LOWER)
    flags: dict[tuple, int | None] = {}

    def flagged(spec: dict) -> dict:
        out: dict = {}
        for key, value in spec.items():
            attr = _ATTRS.get(key.upper()) if isinstance(key, str) else None
            # (Without a getter for lower-case forms a vocabulary's lexemes have none to compare.)
            if attr is None or (attr == LOWER and lower is None) or not isinstance(value, dict) or len(value) != 1:
                out[key] = value
                continue
            (predicate, words), = value.items()
            if predicate == "REGEX" and isinstance(words, str):
                getter = InWords(attr, frozenset(), lower, regex=words)
            elif predicate in ("IN", "NOT_IN") and all(isinstance(w, str) for w in words):
                getter = InWords(attr, frozenset(get_string_id(w) for w in words), lower)
            else:
                out[key] = value
                continue
            if getter.key not in flags:
                flags[getter.key] = _flag_for(vocab, getter)
            bit = flags[getter.key]
            if bit is None:
                out[key] = value
            else:
                out[f"FLAG{bit}"] = predicate != "NOT_IN"
        return out

    return [dict(p, pattern=[flagged(t) for t in p["pattern"]]) if isinstance(p["pattern"], list) else p
            for p in patterns]
