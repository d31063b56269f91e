"""The model's ``attribute_ruler`` with a quicker matcher: the same matches as its token Matcher.

en_core_web_sm's attribute ruler (its tag map and exceptions: part of speech, morphology, some
lemmas) has 179 rules of one or two tokens, each an equality, an IN / NOT_IN set or a regular
expression on the tag, the lower-case form, the dependency or IS_SPACE. spaCy's Matcher tries every
rule at every token, which made this component cost as much as the parser. Here each pattern is
filed under a value its first token must have, and a token is tried against the patterns filed
under its own values. Only the matching changes: the ruler still applies its rules itself
(``AttributeRuler.set_annotations``), in its own order. A ruler with any other kind of rule (other
attributes, operators, extensions) keeps its Matcher.
"""

from __future__ import annotations

import re
from spacy.attrs import DEP, IS_SPACE, LOWER, TAG
from spacy.strings import get_string_id
from spacy.tokens import Doc

COLUMNS = {"TAG": 0, "LOWER": 1, "DEP": 2, "IS_SPACE": 3}
ARRAY_ATTRS = [TAG, LOWER, DEP, IS_SPACE]
EQUAL, AMONG, NOT_AMONG, SEARCH = range(4)


class _Pattern:
    """One pattern of one rule: per token, its tests as (column, kind, argument)."""

    def __init__(self, number: int, match_id: int, tokens: list[list[tuple[int, int, object]]]):
        self.number, self.match_id, self.tokens = number, match_id, tokens
        self.size = len(tokens)
        self.found: dict[int, bool] = {}  # string id -> whether its regular expression finds something

    def holds(self, rows: list[list[int]], start: int, strings) -> bool:
        if start + self.size > len(rows):
            return False
        for offset, tests in enumerate(self.tokens):
            row = rows[start + offset]
            for column, kind, argument in tests:
                value = row[column]
                if kind == EQUAL:
                    if value != argument:
                        return False
                elif kind == AMONG:
                    if value not in argument:
                        return False
                elif kind == NOT_AMONG:
                    if value in argument:
                        return False
                else:
                    hit = self.found.get(value)
                    if hit is None:
                        hit = self.found[value] = bool(argument.search(strings[value]))
                    if not hit:
                        return False
        return True


def _token_tests(spec: dict) -> list[tuple[int, int, object]] | None:
    """The tests of one token of a pattern, or None if it has anything the arrays cannot check."""
    tests = []
    for attr, value in spec.items():
        column = COLUMNS.get(attr)
        if column is None:
            return None
        if isinstance(value, bool):
            tests.append((column, EQUAL, int(value)))
        elif isinstance(value, str) and attr != "IS_SPACE":
            tests.append((column, EQUAL, get_string_id(value)))
        elif isinstance(value, dict) and len(value) == 1 and attr != "IS_SPACE":
            (operator, argument), = value.items()
            if operator in {"IN", "NOT_IN"} and isinstance(argument, list) and all(isinstance(v, str) for v in argument):
                tests.append((column, AMONG if operator == "IN" else NOT_AMONG,
                              frozenset(get_string_id(v) for v in argument)))
            elif operator == "REGEX" and isinstance(argument, str):
                tests.append((column, SEARCH, re.compile(argument)))
            else:
                return None
        else:
            return None
    return tests


class FiledMatcher:
    """``AttributeRuler.match`` for rulers whose rules it can check (see :meth:`of`): each pattern is
    filed under a value its first token must have, so a token is tested against the few patterns
    filed under its own values, not against all of them."""

    def __init__(self, patterns: list[_Pattern]):
        self.filed: list[dict[int, list[_Pattern]]] = [{} for _ in COLUMNS]
        self.always: list[_Pattern] = []
        for pattern in patterns:
            first = pattern.tokens[0]
            anchor = next((t for kind in (EQUAL, AMONG) for t in first if t[1] == kind), None)
            if anchor is None:
                self.always.append(pattern)
                continue
            column, kind, argument = anchor
            for value in ([argument] if kind == EQUAL else sorted(argument)):
                self.filed[column].setdefault(value, []).append(pattern)

    @classmethod
    def of(cls, ruler) -> "FiledMatcher | None":
        patterns = []
        for number, rule in enumerate(ruler.patterns):
            match_id = ruler.vocab.strings[str(number)]
            for pattern in rule["patterns"]:
                tokens = [_token_tests(spec) for spec in pattern]
                if not tokens or any(t is None for t in tokens):
                    return None
                patterns.append(_Pattern(number, match_id, tokens))
        return cls(patterns)

    def __call__(self, doc: Doc) -> list[tuple[int, int, int, int]]:
        """(rule number, match id, start, end) of every match, sorted as AttributeRuler.match sorts."""
        if not len(doc):
            return []
        rows = doc.to_array(ARRAY_ATTRS).reshape(len(doc), len(ARRAY_ATTRS)).tolist()
        strings = doc.vocab.strings
        filed, always = self.filed, self.always
        found: set[tuple[int, int, int, int]] = set()
        for start, row in enumerate(rows):
            for column, value in enumerate(row):
                for pattern in filed[column].get(value, ()):
                    if pattern.holds(rows, start, strings):
                        found.add((pattern.number, pattern.match_id, start, start + pattern.size))
            for pattern in always:
                if pattern.holds(rows, start, strings):
                    found.add((pattern.number, pattern.match_id, start, start + pattern.size))
        return sorted(found)


def quicken_attribute_ruler(nlp) -> bool:
    """Let ``nlp``'s attribute ruler find its matches with a FiledMatcher when all its rules allow it;
    True if it does."""
    if "attribute_ruler" not in nlp.pipe_names:
        return False
    ruler = nlp.get_pipe("attribute_ruler")
    matcher = FiledMatcher.of(ruler)
    if matcher is None:
        return False
    ruler.match = matcher
    return True
