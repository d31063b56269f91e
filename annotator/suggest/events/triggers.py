"""Stage 1, triggers: the trigger list, and finding trigger words in a parsed Doc by lemma, part of
speech, particle, object and preposition. Also the parse helpers the later stages share.

Without a parse (rules alone) triggers are still found by word form.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from spacy.tokens import Doc, Token

from annotator.domain import Modality
from annotator.suggest.entities import EntityCandidate
from annotator.suggest.gazetteer import GazetteerError, gazetteer_dir

TRIGGERS_FILE = "triggers.json"

LIGHT_VERBS = {"launch", "carry", "conduct", "stage", "hold", "mount", "begin", "start", "continue", "plan",
               "order", "resume", "step", "complete", "finish", "announce", "rock", "hit"}


@dataclass(frozen=True)
class TriggerRule:
    lemmas: frozenset[str]
    pos: str
    label: str
    sub_event_type: str
    typing: str
    ace2005: str
    particle: str | None = None
    objects: frozenset[str] = frozenset()
    needs_preposition: frozenset[str] = frozenset()
    requires_weapon: bool = False
    alone_in_sentence: bool = False
    # The trigger counts only when its subject is one of these entity labels or nouns: a town
    # "falls" to a force, a government that "falls" is no battle.
    subjects: frozenset[str] = frozenset()
    # ... and never when its subject is one of these: troops that "march" on a town are moving, not
    # protesting.
    not_subjects: frozenset[str] = frozenset()
    # ACLED types by who acts: looting by an armed group is a strategic development, by a mob a riot.
    armed_actor: tuple[str, str] | None = None


@dataclass
class EventCandidate:
    start: int
    end: int
    label: str
    sub_event_type: str
    ace2005: str
    modality: Modality = Modality.HAPPENED
    reported_by: str | None = None
    score: float | None = None
    rule: TriggerRule | None = None
    anaphoric: bool = False  # kept while typing ("killed since the fighting began"), then dropped
    arguments: list[tuple[str, EntityCandidate]] = field(default_factory=list)

    def attributes(self) -> dict[str, str]:
        attributes = {"modality": str(self.modality)}
        if self.sub_event_type:
            attributes["sub_event_type"] = self.sub_event_type
        if self.reported_by:
            attributes["reported_by"] = self.reported_by
        return attributes


@dataclass(frozen=True)
class TriggerSet:
    """The trigger rules, with the multi-word ones indexed: built once per suggester."""

    rules: tuple[TriggerRule, ...]
    multiword: tuple[tuple[tuple[str, ...], TriggerRule], ...]
    # Which rules a word can start, in list order: scanning every rule at every token was the
    # suggester's slowest step.
    by_word: dict[str, tuple[int, ...]] = field(default_factory=dict)
    multiword_by_first: dict[str, tuple[int, ...]] = field(default_factory=dict)

    @classmethod
    def of(cls, rules: list[TriggerRule]) -> "TriggerSet":
        multiword = tuple((tuple(l.split()), rule) for rule in rules for l in rule.lemmas if " " in l)
        by_word: dict[str, list[int]] = {}
        for index, rule in enumerate(rules):
            for lemma in rule.lemmas:
                by_word.setdefault(lemma, []).append(index)
        by_first: dict[str, list[int]] = {}
        for index, (words, _) in enumerate(multiword):
            by_first.setdefault(words[0], []).append(index)
        return cls(tuple(rules), multiword, {k: tuple(v) for k, v in by_word.items()},
                   {k: tuple(v) for k, v in by_first.items()})

    def is_consequence(self, token: Token) -> bool:
        """'killed', 'wounded': words whose event is the attack that caused them."""
        return lemma_of(token) in self.consequence_lemmas

    # Asked for every event of every article: worked out once per set (cached_property writes past
    # the frozen dataclass's __setattr__).
    @cached_property
    def consequence_lemmas(self) -> frozenset[str]:
        return frozenset(l for r in self.rules if r.typing == "cause" for l in r.lemmas)

    @cached_property
    def weapon_verbs(self) -> frozenset[str]:
        return frozenset(l for r in self.rules if r.typing == "weapon" and r.pos == "VERB" for l in r.lemmas)


def load_triggers(directory: Path | None = None) -> list[TriggerRule]:
    path = (directory or gazetteer_dir()) / TRIGGERS_FILE
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise GazetteerError(f"{path}: cannot read the trigger list: {exc}") from exc
    rules = []
    for index, entry in enumerate(raw.get("triggers", [])):
        missing = {"lemmas", "pos", "label", "sub_event_type"} - set(entry)
        if missing:
            raise GazetteerError(f"{path}: triggers[{index}] lacks {', '.join(sorted(missing))}")
        rules.append(TriggerRule(
            lemmas=frozenset(entry["lemmas"]), pos=entry["pos"], label=entry["label"],
            sub_event_type=entry["sub_event_type"], typing=entry.get("typing", "fixed"),
            ace2005=entry.get("ace2005", ""), particle=entry.get("particle"),
            objects=frozenset(entry.get("objects", [])),
            needs_preposition=frozenset(entry.get("needs_preposition", [])),
            requires_weapon=bool(entry.get("requires_weapon", False)),
            alone_in_sentence=bool(entry.get("alone_in_sentence", False)),
            subjects=frozenset(entry.get("subjects", [])),
            not_subjects=frozenset(entry.get("not_subjects", [])),
            armed_actor=(entry["armed_actor"]["label"], entry["armed_actor"]["sub_event_type"])
            if entry.get("armed_actor") else None,
        ))
    return rules


def lemma_of(token: Token) -> str:
    """The lemma, or a crude one when the pipeline has no lemmatizer (rules alone)."""
    if token.lemma_ and token.lemma_ != token.text or token.doc.has_annotation("LEMMA"):
        return token.lemma_.lower()
    word = token.lower_
    for suffix, replacement in (("ied", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)] + replacement
    return word


MONTH_WORDS = {"march"}  # the month names that are also trigger words
DATE_WORDS = {"in", "since", "until", "till", "by", "from", "through", "early", "late", "mid", "last",
              "next", "before", "after", "during", "between"}


def is_month(token: Token) -> bool:
    """'March' the month, not the protest: a date entity, a day or year beside it, a date word before
    it ("in March", "since March"), or, without a parse, any capitalised "March" past a sentence's
    first word (a protest march is lower case there)."""
    if token.lower_ not in MONTH_WORDS:
        return False
    doc = token.doc
    if token.ent_type_ == "DATE":
        return True
    before = doc[token.i - 1] if token.i > 0 else None
    after = doc[token.i + 1] if token.i + 1 < len(doc) else None
    if (before is not None and before.like_num) or (after is not None and after.like_num):
        return True
    if before is not None and before.lower_ in DATE_WORDS and (token.is_title or token.is_upper
                                                                or not doc.has_annotation("DEP")):
        return True
    if token.is_title and not doc.has_annotation("DEP") and before is not None and not before.is_sent_end \
            and before.text not in {".", "!", "?", "\n", "\n\n", '"', "\u201c"}:
        return True
    return token.is_title and doc.has_annotation("DEP") and token.pos_ == "PROPN"


_AUXILIARY_FORMS = {"being", "having", "doing", "getting", "going"}


def pos_class(token: Token) -> str:
    if not token.doc.has_annotation("POS") and not token.doc.has_annotation("TAG"):
        return "ANY"
    if token.pos_ == "AUX" and token.tag_ == "VBG" and token.is_sent_start and token.lower_ not in _AUXILIARY_FORMS:
        return "NOUN"  # "Shelling wounded 12 civilians": the tagger's auxiliary is the sentence's subject
    if token.pos_ in {"VERB", "AUX"} or token.tag_.startswith("VB"):
        return "VERB"
    if token.pos_ in {"NOUN", "PROPN"} or token.tag_.startswith("NN"):
        return "NOUN"
    return "OTHER"


def matches(doc: Doc, triggers: TriggerSet):
    by_word, by_first = triggers.by_word, triggers.multiword_by_first
    for i, token in enumerate(doc):
        lemma = lemma_of(token)
        lower = token.lower_
        # Most words start no rule: skip them before the part of speech and the sets below.
        if lemma not in by_word and lower not in by_word and lemma not in by_first and lower not in by_first \
                and lower != "counter":
            continue
        pos = pos_class(token)
        starting = sorted(set(triggers.multiword_by_first.get(token.lower_, ())) |
                          set(triggers.multiword_by_first.get(lemma, ())))
        for words, rule in (triggers.multiword[k] for k in starting):
            if tuple(t.lower_ for t in doc[i : i + len(words)]) == words or (
                tuple([lemma, *[t.lower_ for t in doc[i + 1 : i + len(words)]]]) == words
            ):
                yield i, i + len(words), rule
        # "counter-attack" is three tokens
        if i + 2 < len(doc) and token.lower_ == "counter" and doc[i + 1].text == "-":
            lemma = "counter-" + lemma_of(doc[i + 2])
            pos = pos_class(doc[i + 2])
            end_index = i + 3
        else:
            end_index = i + 1
        candidates = sorted(set(triggers.by_word.get(lemma, ())) | set(triggers.by_word.get(token.lower_, ())))
        for rule in (triggers.rules[k] for k in candidates):
            if (lemma not in rule.lemmas and token.lower_ not in rule.lemmas) or " " in lemma:
                continue
            if pos not in {rule.pos, "ANY"}:
                continue
            if rule.particle:
                particle = particle_of(doc, token, rule.particle)
                if particle is None:
                    continue
                yield i, particle + 1, rule
                break
            if rule.objects and not any(lemma_of(t) in rule.objects or t.text in rule.objects
                                        for t in objects_of(token)):
                continue
            if rule.needs_preposition and not any(
                c.dep_ == "prep" and c.lower_ in rule.needs_preposition for c in token.children
            ):
                continue
            yield i, end_index, rule
            break


def particle_of(doc: Doc, token: Token, particle: str) -> int | None:
    for child in token.children:
        if child.dep_ == "prt" and child.lower_ == particle:
            return child.i
    # Without a parse, or when the tagger misses the particle: look two words ahead.
    for j in range(token.i + 1, min(token.i + 3, len(doc))):
        if doc[j].lower_ == particle:
            return j
    return None


def objects_of(token: Token) -> list[Token]:
    if not token.doc.has_annotation("DEP"):
        return list(token.doc[token.i + 1 : token.i + 4])
    found = []
    for child in token.children:
        if child.dep_ in {"dobj", "obj", "nsubjpass", "attr"}:
            found.append(child)
            found.extend(c for c in child.children if c.dep_ == "compound")
    return found


def anaphoric(trigger: Token, rule: TriggerRule) -> bool:
    """'the blast', 'the fighting': a bare noun with a determiner points back to an event already
    named; annotators mark the first mention only."""
    if rule.pos != "NOUN" or not trigger.doc.has_annotation("DEP"):
        return False
    children = list(trigger.children)
    definite = any(c.dep_ == "det" and c.lower_ in {"the", "this", "that", "these", "those"} for c in children)
    return definite and not any(c.dep_ in {"prep", "compound", "amod", "poss", "nmod", "acl", "relcl"}
                                for c in children)


def subject_of(trigger: Token) -> Token | None:
    """The subject of the trigger's clause (through xcomp and conj). Where the parse gives a verb two
    subjects, the nearest is the real one: "KYIV, March 11 - Ukrainian troops repelled" makes the
    dateline a subject of "repelled" too."""
    current = trigger
    for _ in range(4):
        subjects = [child for child in current.children if child.dep_ in {"nsubj", "nsubjpass"}]
        if subjects:
            return min(subjects, key=lambda child: abs(child.i - current.i))
        if current.dep_ in {"xcomp", "conj"} and current.head is not current:
            current = current.head
        else:
            return None
    return None


def subject_kind(trigger: Token, by_token: dict[int, EntityCandidate]) -> str | None:
    """The label of the entity that is the trigger's subject, else the subject's lemma."""
    subject = subject_of(trigger)
    if subject is None:
        return None
    entity = by_token.get(subject.i)
    return entity.label if entity is not None else lemma_of(subject)

