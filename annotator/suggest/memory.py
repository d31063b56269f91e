"""Annotation memory: what annotators accepted, added or rejected, read back from the spans table.

A text an annotator accepted or added with a label is suggested with that label wherever it recurs
(compared case-folded and transliteration-canonical, so accepting "Sievierodonetsk" teaches
"Severodonetsk" too); a text and label rejected more often than accepted is not suggested again.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from annotator.domain import Layer, Status
from annotator.store import Store
from annotator.suggest.gazetteer import Gazetteer, fold


@dataclass
class Remembered:
    label: str
    layer: Layer
    accepted: int
    sub_event_type: str | None = None


@dataclass
class AnnotationMemory:
    gazetteer: Gazetteer
    remembered: dict[str, Remembered] = field(default_factory=dict)  # normalised text -> what to suggest
    spellings: dict[str, set[str]] = field(default_factory=dict)  # normalised text -> spellings seen
    rejected: set[tuple[str, str]] = field(default_factory=set)  # (normalised text, label)
    _matchers: dict[int, PhraseMatcher] = field(default_factory=dict, repr=False)

    @classmethod
    def from_store(cls, store: Store, gazetteer: Gazetteer) -> "AnnotationMemory":
        votes: dict[tuple[str, str, str], Counter] = defaultdict(Counter)
        subtypes: dict[tuple[str, str], Counter] = defaultdict(Counter)
        spellings: dict[str, set[str]] = defaultdict(set)
        for label, layer, status, attributes, text in store.suggestions.decided_texts():
            key = gazetteer.normalise(text)
            if not key:
                continue
            votes[(key, label, layer)][status] += 1
            if status == Status.ACCEPTED:
                spellings[key].add(text.strip())
                subtype = attributes.get("sub_event_type")
                if subtype:
                    subtypes[(key, label)][subtype] += 1
        memory = cls(gazetteer)
        best: dict[str, Remembered] = {}
        for (key, label, layer), count in votes.items():
            accepted, rejected = count[Status.ACCEPTED], count[Status.REJECTED]
            if rejected > accepted:
                memory.rejected.add((key, label))
            elif accepted > rejected and (key not in best or best[key].accepted < accepted):
                subtype = subtypes[(key, label)].most_common(1)
                best[key] = Remembered(label, Layer(layer), accepted, subtype[0][0] if subtype else None)
        memory.remembered = best
        memory.spellings = {key: spellings[key] for key in best}
        return memory

    def is_rejected(self, text: str, label: str) -> bool:
        if not self.rejected:
            # Asked of every candidate span: a project where nothing was rejected (most, at first)
            # should not fold and look up every one of them for nothing.
            return False
        return (self.gazetteer.normalise(text), label) in self.rejected

    def _patterns(self) -> dict[str, set[str]]:
        """Every spelling to look for, by remembered key: those seen plus the gazetteer's variants."""
        by_key: dict[str, set[str]] = {}
        variants_of: dict[str, set[str]] = defaultdict(set)
        for table in (self.gazetteer.places, self.gazetteer.people, self.gazetteer.groups):
            for variant, canonical in table.items():
                variants_of[fold(canonical)].add(variant)
        for key, seen in self.spellings.items():
            by_key[key] = set(seen) | variants_of.get(key, set())
        return by_key

    def matches(self, nlp: Language, doc: Doc) -> list[tuple[int, int, Remembered]]:
        """Token ranges of ``doc`` where a remembered text recurs."""
        if not self.remembered:
            return []
        matcher = self._matchers.get(id(nlp))
        if matcher is None:
            matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
            for key, spellings in self._patterns().items():
                matcher.add(key, [nlp.make_doc(s) for s in spellings])
            self._matchers[id(nlp)] = matcher
        found = []
        for match_id, start, end in matcher(doc):
            key = nlp.vocab.strings[match_id]
            found.append((start, end, self.remembered[key]))
        return found
