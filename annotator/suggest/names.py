"""Gazetteer names found in a Doc by their tokens: what spaCy's PhraseMatcher did, without its start-up cost.

A PhraseMatcher needs every one of the ~25,000 names as a Doc; making them creates a lexeme for
each new word, which took 7 to 10 of the suggester's 12 seconds of loading. Here the names'
tokens (from the pipeline's own tokenizer, so matching is the same: token texts, exactly) are
kept in a dictionary, and the tokenized names are cached in the user's cache folder, keyed by
everything that decides them (names, tokenizer rules, model, spaCy version): after the first run
loading them takes a fraction of a second.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span

from annotator import config

CACHE_FORMAT = "names-tokens-1"


class NamesMatcher:
    """A pipeline component writing every name match (overlaps included) into ``doc.spans[key]``,
    each Span with its label and its pattern id (the canonical name), as the span_ruler did."""

    def __init__(self, key: str):
        self.key = key
        self.table: dict[tuple[str, ...], tuple[str, str]] = {}  # tokens -> (label, id)
        self.lengths: dict[str, list[int]] = {}  # first token -> the lengths of the names it opens

    def add(self, names: list[tuple[list[str], str, str]]) -> None:
        """:param names: (tokens, label, id) per name; a later name with the same tokens wins"""
        for tokens, label, pattern_id in names:
            if not tokens:
                continue
            self.table[tuple(tokens)] = (label, pattern_id)
        lengths: dict[str, set[int]] = {}
        for tokens in self.table:
            lengths.setdefault(tokens[0], set()).add(len(tokens))
        self.lengths = {first: sorted(sizes) for first, sizes in lengths.items()}

    def __call__(self, doc: Doc) -> Doc:
        words = [t.text for t in doc]
        found = []
        for i, word in enumerate(words):
            for size in self.lengths.get(word, ()):
                if i + size > len(words):
                    # Lengths go up: past the text's end, "Donetsk" would be matched as itself with
                    # the length of "Donetsk People's Republic" (spaCy refused the article).
                    break
                entry = self.table.get(tuple(words[i : i + size]))
                if entry is not None:
                    found.append(Span(doc, i, i + size, label=entry[0], span_id=entry[1]))
        doc.spans[self.key] = found
        return doc


@Language.factory("conflict_names_matcher", default_config={"key": "conflict_names"})
def make_names_matcher(nlp: Language, name: str, key: str) -> NamesMatcher:
    return NamesMatcher(key)


def _tokenizer_key(nlp: Language) -> str:
    parts = [CACHE_FORMAT, spacy.__version__, nlp.meta.get("name", ""), nlp.meta.get("version", "")]
    for attr in ("infix_finditer", "prefix_search", "suffix_search", "token_match", "url_match"):
        function = getattr(nlp.tokenizer, attr, None)
        parts.append(getattr(getattr(function, "__self__", None), "pattern", "") or "")
    return "\n".join(parts)


def tokenized_names(nlp: Language, names: list[tuple[str, str, str]], cache: Path | None = None) -> list[tuple]:
    """(tokens, label, id) for each (text, label, id), in the order given; from the cache when it was
    made for exactly these names and this tokenizer."""
    # The gazetteer's order can change between runs (it reads sets): the cache is in text order.
    texts = sorted({text for text, _, _ in names})
    digest = hashlib.sha256(_tokenizer_key(nlp).encode())
    for text in texts:
        digest.update(text.encode() + b"\n")
    key = digest.hexdigest()
    cache = cache or config.cache_dir() / "suggester-names.json"
    tokens = None
    try:
        stored = json.loads(cache.read_text(encoding="utf-8"))
        if stored.get("key") == key and len(stored["tokens"]) == len(texts):
            tokens = stored["tokens"]
    except (OSError, ValueError, KeyError, TypeError):
        pass  # no cache yet, or another one: tokenize
    if tokens is None:
        tokens = [[t.text for t in doc] for doc in nlp.tokenizer.pipe(texts)]
        try:
            config.write_atomically(cache, json.dumps({"key": key, "tokens": tokens}, ensure_ascii=False).encode("utf-8"))
        except OSError:
            pass  # a read-only cache folder costs the next start its seconds, nothing else
    by_text = dict(zip(texts, tokens))
    return [(by_text[text], label, pattern_id) for text, label, pattern_id in names]


class WeaponsMatcher:
    """Weapon terms of the gazetteer, optionally after a nationality ("Russian artillery"), into
    ``doc.spans[key]``: as the span_ruler's token patterns did (a term with a capital letter matches
    as written, others in any case), without 400 patterns that each open with an optional token,
    which made the token Matcher the slowest step after the neural network."""

    def __init__(self, key: str):
        self.key = key
        self.exact: dict[tuple[str, ...], str] = {}
        self.lower: dict[tuple[str, ...], str] = {}
        self.nationalities: frozenset[str] = frozenset()
        # first word (as written / lower-case) -> the lengths of the terms it opens: a word that
        # opens no term is passed over without building a tuple for every length.
        self.exact_sizes: dict[str, frozenset[int]] = {}
        self.lower_sizes: dict[str, frozenset[int]] = {}

    def add(self, terms: list[tuple[list[str], str, str]], nationalities) -> None:
        for tokens, _label, term in terms:
            if any(ch.isupper() for ch in term):
                self.exact[tuple(tokens)] = term
            else:
                self.lower[tuple(t.lower() for t in tokens)] = term
        self.nationalities = frozenset(nationalities)
        for table, sizes in ((self.exact, self.exact_sizes), (self.lower, self.lower_sizes)):
            opened: dict[str, set[int]] = {}
            for key in table:
                if key:
                    opened.setdefault(key[0], set()).add(len(key))
            sizes.clear()
            sizes.update({first: frozenset(lengths) for first, lengths in opened.items()})

    def __call__(self, doc: Doc) -> Doc:
        words = [t.text for t in doc]
        lowered = [t.lower_ for t in doc]
        found = []
        empty: frozenset[int] = frozenset()
        for i in range(len(doc)):
            opened = self.exact_sizes.get(words[i], empty) | self.lower_sizes.get(lowered[i], empty)
            for size in sorted(opened, reverse=True):  # the longest term first, as before
                if i + size > len(words):
                    # Cut short by the text's end, "artillery" of a longer term is not that term (it
                    # matched the one-word term as a span past the end: spaCy refused the article).
                    continue
                if tuple(words[i : i + size]) in self.exact or tuple(lowered[i : i + size]) in self.lower:
                    found.append(Span(doc, i, i + size, label="WEAPON"))
                    before = doc[i - 1] if i else None
                    if before is not None and (before.ent_type_ == "NORP" or before.lower_ in self.nationalities):
                        found.append(Span(doc, i - 1, i + size, label="WEAPON"))
        doc.spans[self.key] = found
        return doc


@Language.factory("conflict_weapons_matcher", default_config={"key": "conflict_weapons"})
def make_weapons_matcher(nlp: Language, name: str, key: str) -> WeaponsMatcher:
    return WeaponsMatcher(key)
