"""Event suggestions: triggers by lemma, typed to the scheme, with modality, reported_by and arguments.

Everything here reads the dependency parse when the pipeline has one; with rules alone (no model)
triggers are still found by word form, and modality and arguments fall back to the sentence words.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from spacy.tokens import Doc, Token

from annotator.model import Modality
from annotator.suggest.entities import EntityCandidate
from annotator.suggest.gazetteer import Gazetteer, GazetteerError, gazetteer_dir

TRIGGERS_FILE = "triggers.json"

SAY_VERBS = {"say", "tell", "claim", "report", "announce", "write", "add", "state", "confirm", "allege",
             "accuse", "insist", "warn", "post", "deny", "reject", "dismiss", "acknowledge", "quote"}
DENY_VERBS = {"deny", "refute", "dismiss", "reject"}
PLAN_WORDS = {"plan", "order", "intend", "prepare", "vow", "promise", "pledge", "threaten", "decide", "aim",
              "agree", "expect", "set", "want", "seek", "call", "urge", "ask", "schedule", "propose"}
MAYBE_AUX = {"could", "might", "may", "can"}
FUTURE_AUX = {"will", "shall", "'ll", "wo"}
LIGHT_VERBS = {"launch", "carry", "conduct", "stage", "hold", "mount", "begin", "start", "continue", "plan",
               "order", "resume", "step", "complete", "finish", "announce", "rock", "hit"}
PRONOUNS = {"he", "she", "it", "they", "we", "i", "you", "this", "that", "who", "which"}
LOCATION_PREPOSITIONS = {"in", "near", "at", "from", "toward", "towards", "around", "outside", "across", "into",
                         "inside", "on", "along", "over", "of", "to"}
TERRITORY_SUBTYPES = {"Non-state actor overtakes territory", "Government regains territory",
                      "Non-violent transfer of territory"}
PROTEST_WEAPONS = {"tear gas", "rubber bullets", "water cannon", "water cannons", "stun grenades", "batons"}
RIOT_TRIGGERS = {"RIOTS"}
# Clause links through which an event inherits the modality or source of the clause above it.
CLAUSE_DEPS = {"ccomp", "xcomp", "advcl", "conj", "pcomp", "acl", "relcl", "parataxis", "dobj", "pobj", "prep",
               "csubj"}
# "Russia's goal of seizing ...": an event named as someone's aim has not happened yet.
PLAN_NOUNS = {"goal", "bid", "plan", "aim", "attempt", "effort", "intention", "ambition", "push"}


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


def _pos_class(token: Token) -> str:
    if not token.doc.has_annotation("POS") and not token.doc.has_annotation("TAG"):
        return "ANY"
    if token.pos_ in {"VERB", "AUX"} or token.tag_.startswith("VB"):
        return "VERB"
    if token.pos_ in {"NOUN", "PROPN"} or token.tag_.startswith("NN"):
        return "NOUN"
    return "OTHER"


class EventFinder:
    """Finds, types and links events in one parsed Doc."""

    def __init__(self, gazetteer: Gazetteer, triggers: list[TriggerRule]):
        self.gazetteer = gazetteer
        self.triggers = triggers
        self.multiword = [(tuple(l.split()), rule) for rule in triggers for l in rule.lemmas if " " in l]

    # -- triggers ----------------------------------------------------------------------------

    def find(self, doc: Doc, entities: list[EntityCandidate], extra=()) -> list[EventCandidate]:
        """Events in ``doc``; ``extra`` are (start, end, remembered) triggers from annotation memory."""
        inside_entity = {i for e in entities for i in range(e.start, e.end)}
        by_token = {i: e for e in entities for i in range(e.start, e.end)}
        events: list[EventCandidate] = []
        used: set[int] = set()
        for start, end, remembered in extra:
            if used & set(range(start, end)) or inside_entity & set(range(start, end)):
                continue
            used |= set(range(start, end))
            events.append(EventCandidate(start, end, remembered.label, remembered.sub_event_type or "", "",
                                         score=1.0))
        for start, end, rule in self._matches(doc):
            if used & set(range(start, end)) or inside_entity & set(range(start, end)):
                continue
            if rule.subjects and self._subject_kind(doc[start], by_token) not in rule.subjects:
                continue
            event = EventCandidate(start, end, rule.label, rule.sub_event_type, rule.ace2005, rule=rule,
                                   anaphoric=self._anaphoric(doc[start], rule))
            trigger = doc[start]
            if rule.requires_weapon and not self._linked_weapon(trigger, by_token):
                continue
            if rule.typing == "weapon" or rule.requires_weapon:
                weapon_type = self._weapon_context(doc, trigger, by_token)
                self._type_by_weapon(event, weapon_type, doc, trigger)
            if rule.armed_actor and self._subject_kind(trigger, by_token) == "ARMED_GROUP":
                event.label, event.sub_event_type = rule.armed_actor
            used |= set(range(start, end))
            events.append(event)
        self._type_by_cause(doc, events, by_token)
        self._type_against_protesters(doc, events)
        events = [e for e in events if not e.anaphoric]
        events = self._drop_predicates_of_events(doc, events)
        events = [e for e in events if not (e.rule and e.rule.alone_in_sentence and any(
            o is not e and o.label == e.label and doc[o.start].sent == doc[e.start].sent for o in events))]
        for event in events:
            event.modality = self.modality(doc[event.start])
            event.reported_by = self.reported_by(doc[event.start], by_token)
            event.arguments = self.arguments(doc, event, by_token)
        return sorted(events, key=lambda e: e.start)

    def _matches(self, doc: Doc):
        for i, token in enumerate(doc):
            lemma = lemma_of(token)
            pos = _pos_class(token)
            for words, rule in self.multiword:
                if tuple(t.lower_ for t in doc[i : i + len(words)]) == words or (
                    tuple([lemma, *[t.lower_ for t in doc[i + 1 : i + len(words)]]]) == words
                ):
                    yield i, i + len(words), rule
            # "counter-attack" is three tokens
            if i + 2 < len(doc) and token.lower_ == "counter" and doc[i + 1].text == "-":
                lemma = "counter-" + lemma_of(doc[i + 2])
                pos = _pos_class(doc[i + 2])
                end_index = i + 3
            else:
                end_index = i + 1
            for rule in self.triggers:
                if (lemma not in rule.lemmas and token.lower_ not in rule.lemmas) or " " in lemma:
                    continue
                if pos not in {rule.pos, "ANY"}:
                    continue
                if rule.particle:
                    particle = self._particle(doc, token, rule.particle)
                    if particle is None:
                        continue
                    yield i, particle + 1, rule
                    break
                if rule.objects and not any(lemma_of(t) in rule.objects or t.text in rule.objects
                                            for t in self._objects(token)):
                    continue
                if rule.needs_preposition and not any(
                    c.dep_ == "prep" and c.lower_ in rule.needs_preposition for c in token.children
                ):
                    continue
                yield i, end_index, rule
                break

    def _particle(self, doc: Doc, token: Token, particle: str) -> int | None:
        for child in token.children:
            if child.dep_ == "prt" and child.lower_ == particle:
                return child.i
        # Without a parse, or when the tagger misses the particle: look two words ahead.
        for j in range(token.i + 1, min(token.i + 3, len(doc))):
            if doc[j].lower_ == particle:
                return j
        return None

    def _objects(self, token: Token) -> list[Token]:
        if not token.doc.has_annotation("DEP"):
            return list(token.doc[token.i + 1 : token.i + 4])
        found = []
        for child in token.children:
            if child.dep_ in {"dobj", "obj", "nsubjpass", "attr"}:
                found.append(child)
                found.extend(c for c in child.children if c.dep_ == "compound")
        return found

    # -- typing ------------------------------------------------------------------------------

    def _linked_weapon(self, trigger: Token, by_token: dict[int, EntityCandidate]) -> bool:
        """'fired missiles', 'fired with rockets', 'artillery fire': the weapon belongs to the trigger."""
        doc = trigger.doc
        if trigger.i > 0 and by_token.get(trigger.i - 1) is not None and by_token[trigger.i - 1].label == "WEAPON":
            return True
        if not doc.has_annotation("DEP"):
            return any(by_token.get(j) is not None and by_token[j].label == "WEAPON"
                       for j in range(trigger.i + 1, min(trigger.i + 4, len(doc))))
        for child in trigger.children:
            near = [child, *[g for g in child.children if g.dep_ in {"pobj", "compound", "conj"}]]
            if child.dep_ in {"dobj", "obj", "prep", "compound", "amod", "nsubj"} and any(
                by_token.get(t.i) is not None and by_token[t.i].label == "WEAPON" for t in near
            ):
                return True
        return False

    def _weapon_context(self, doc: Doc, trigger: Token, by_token: dict[int, EntityCandidate]) -> str | None:
        """The sub-event type suggested by the weapon named nearest the trigger in its sentence."""
        best: tuple[int, str] | None = None
        sentence = trigger.sent
        seen = set()
        for i in range(sentence.start, sentence.end):
            candidate = by_token.get(i)
            if candidate is None or candidate.label != "WEAPON" or id(candidate) in seen:
                continue
            seen.add(id(candidate))
            text = doc[candidate.start : candidate.end].text
            if text.lower() in PROTEST_WEAPONS:
                subtype = "protest"
            else:
                subtype = self.gazetteer.weapon_subtype(text)
            distance = abs(candidate.start - trigger.i)
            if best is None or distance < best[0]:
                best = (distance, subtype)
        if best is None:
            words = {t.lower_ for t in sentence}
            if {"airstrike", "airstrikes", "warplanes", "jets", "drone", "drones", "aircraft"} & words:
                return "Air/drone strike"
            if {"suicide", "bomber"} <= words or "suicide" in words:
                return "Suicide bomb"
            return None
        return best[1]

    def _type_by_weapon(self, event: EventCandidate, weapon_type: str | None, doc: Doc, trigger: Token) -> None:
        if weapon_type == "protest":
            riot = any(lemma_of(t) in {"riot", "loot", "torch", "ransack"} for t in doc)
            event.label = "RIOTS" if riot else "PROTESTS"
            event.sub_event_type = "Violent demonstration" if riot else "Protest with intervention"
            event.ace2005 = "CONFLICT_DEMONSTRATE"
            return
        if weapon_type:
            event.label = "EXPLOSIONS_REMOTE_VIOLENCE"
            event.sub_event_type = weapon_type
            return
        if event.label == "VIOLENCE_AGAINST_CIVILIANS" and not self._hits_civilians(trigger):
            # An attack without explosive means on an armed group is a battle.
            event.label, event.sub_event_type = "BATTLES", "Armed clash"

    def _hits_civilians(self, trigger: Token) -> bool:
        words = {t.lower_ for t in trigger.sent}
        return bool(words & {"civilians", "civilian", "villagers", "residents", "women", "children", "worshippers",
                             "market", "school", "hospital", "church", "mosque", "village", "hotel", "hotels",
                             "restaurant", "bus", "shops", "homes", "houses", "camp", "camps", "protesters",
                             "demonstrators", "passengers", "students", "journalists"})

    def _anaphoric(self, trigger: Token, rule: TriggerRule) -> bool:
        """'the blast', 'the fighting': a bare noun with a determiner points back to an event already
        named; annotators mark the first mention only."""
        if rule.pos != "NOUN" or not trigger.doc.has_annotation("DEP"):
            return False
        children = list(trigger.children)
        definite = any(c.dep_ == "det" and c.lower_ in {"the", "this", "that", "these", "those"} for c in children)
        return definite and not any(c.dep_ in {"prep", "compound", "amod", "poss", "nmod", "acl", "relcl"}
                                    for c in children)

    def _type_against_protesters(self, doc: Doc, events: list[EventCandidate]) -> None:
        """Violence against demonstrators is ACLED's 'Excessive force against protesters'."""
        for event in events:
            if event.label != "VIOLENCE_AGAINST_CIVILIANS" or event.sub_event_type != "Attack":
                continue
            if {t.lower_ for t in doc[event.start].sent} & {"protesters", "protester", "demonstrators", "demonstrator"}:
                event.label, event.sub_event_type = "PROTESTS", "Excessive force against protesters"

    def _drop_predicates_of_events(self, doc: Doc, events: list[EventCandidate]) -> list[EventCandidate]:
        """'A drone strike hit the depot': 'hit' only says what the strike did; one event, not two."""
        if not doc.has_annotation("DEP"):
            return events
        starts = {e.start for e in events}
        weapon_verbs = {l for r in self.triggers if r.typing == "weapon" and r.pos == "VERB" for l in r.lemmas}
        return [e for e in events if not (
            lemma_of(doc[e.start]) in weapon_verbs
            and any(c.dep_ in {"nsubj", "nsubjpass"} and c.i in starts for c in doc[e.start].children)
        )]

    def _is_consequence(self, token: Token) -> bool:
        lemma = lemma_of(token)
        return any(r.typing == "cause" and lemma in r.lemmas for r in self.triggers)

    def _type_by_cause(self, doc: Doc, events: list[EventCandidate], by_token: dict[int, EntityCandidate]) -> None:
        """A killing or wounding takes the type of the attack that caused it, in the same sentence."""
        for event in events:
            trigger = doc[event.start]
            if not self._is_consequence(trigger):
                continue
            causes = [e for e in events if e is not event and doc[e.start].sent == trigger.sent
                      and not self._is_consequence(doc[e.start])]
            if causes:
                cause = min(causes, key=lambda e: abs(e.start - event.start))
                event.label, event.sub_event_type = cause.label, cause.sub_event_type
            else:
                by_weapon = self._weapon_context(doc, trigger, by_token)
                if by_weapon and by_weapon != "protest":
                    event.label, event.sub_event_type = "EXPLOSIONS_REMOTE_VIOLENCE", by_weapon

    # -- modality and source -----------------------------------------------------------------

    def _clause_chain(self, token: Token) -> list[Token]:
        """The trigger and the words governing it, up through clause links, nearest first."""
        chain = [token]
        current = token
        while current.head is not current and current.dep_ in CLAUSE_DEPS and len(chain) < 6:
            current = current.head
            chain.append(current)
        return chain

    def modality(self, trigger: Token) -> Modality:
        doc = trigger.doc
        if not doc.has_annotation("DEP"):
            return self._modality_by_words(trigger)
        chain = self._clause_chain(trigger)
        for depth, word in enumerate(chain):
            children = list(word.children)
            lemma = lemma_of(word)
            if depth > 0 and lemma in DENY_VERBS:
                return Modality.DENIED
            if any(c.dep_ == "neg" for c in children) and (depth == 0 or lemma in LIGHT_VERBS):
                return Modality.DENIED
            aux = {c.lower_ for c in children if c.dep_ in {"aux", "auxpass"}}
            if depth > 0 and lemma in PLAN_NOUNS and _pos_class(word) == "NOUN":
                return Modality.PLANNED
            if depth == 0 or lemma in LIGHT_VERBS or chain[depth - 1].dep_ in {"conj", "csubj"}:
                if aux & FUTURE_AUX or self._going_to(word):
                    return Modality.PLANNED
                if aux & MAYBE_AUX:
                    return Modality.HYPOTHETICAL
                if "would" in aux:
                    reported = any(lemma_of(w) in SAY_VERBS for w in chain[depth + 1 :])
                    return Modality.PLANNED if reported else Modality.HYPOTHETICAL
            if depth > 0 and lemma in PLAN_WORDS and chain[depth - 1].dep_ in {"xcomp", "acl", "ccomp"}:
                if any(c.dep_ == "aux" and c.lower_ == "to" for c in chain[depth - 1].children):
                    return Modality.PLANNED
            if depth > 0 and lemma in SAY_VERBS | {"report"}:
                break
        return Modality.HAPPENED

    def _going_to(self, word: Token) -> bool:
        head = word.head
        return lemma_of(head) == "go" and any(c.lower_ == "to" for c in word.children) and head.tag_ == "VBG"

    def _modality_by_words(self, trigger: Token) -> Modality:
        before = [t.lower_ for t in trigger.doc[max(trigger.sent.start, trigger.i - 4) : trigger.i]]
        if any(w in DENY_VERBS or w.startswith("denie") for w in before) or "not" in before or "n't" in before:
            return Modality.DENIED
        if set(before) & FUTURE_AUX:
            return Modality.PLANNED
        if set(before) & MAYBE_AUX:
            return Modality.HYPOTHETICAL
        return Modality.HAPPENED

    def reported_by(self, trigger: Token, by_token: dict[int, EntityCandidate]) -> str | None:
        """Who a claim is attributed to: the subject of the verb of saying over the trigger."""
        doc = trigger.doc
        if not doc.has_annotation("DEP"):
            return None
        say_verbs = [w for w in self._clause_chain(trigger)[1:] if lemma_of(w) in SAY_VERBS]
        if not say_verbs:
            # "X will withdraw, the governor said": the verb of saying is a sibling clause.
            root = trigger.sent.root
            if lemma_of(root) in SAY_VERBS and root.i != trigger.i and root.i > trigger.i:
                say_verbs = [root]
        for verb in say_verbs:
            for child in verb.children:
                if child.dep_ in {"nsubj", "nsubjpass"} and child.lower_ not in PRONOUNS:
                    return self._subject_text(child, by_token)
        return None

    def _subject_text(self, token: Token, by_token: dict[int, EntityCandidate]) -> str:
        doc = token.doc
        # The name in an apposition is the source ("the governor ..., Serhiy Haidai, said").
        for child in token.children:
            if child.dep_ == "appos" and child.i in by_token and by_token[child.i].label == "PERSON":
                entity = by_token[child.i]
                return doc[entity.start : entity.end].text
        people = [by_token[t.i] for t in token.subtree if t.i in by_token and by_token[t.i].label == "PERSON"]
        if people and not any(c.dep_ == "appos" for c in token.children):
            return doc[people[0].start : people[0].end].text
        if token.i in by_token and by_token[token.i].label in {"PERSON", "ORG", "ARMED_GROUP", "LOCATION"}:
            entity = by_token[token.i]
            head_entity = doc[entity.start : entity.end]
            if head_entity.end == token.i + 1:
                return self._noun_phrase(token)
            return head_entity.text
        return self._noun_phrase(token)

    def _noun_phrase(self, token: Token) -> str:
        """The subject's words without appositions and relative clauses."""
        cut = {t.i for c in token.children if c.dep_ in {"appos", "relcl", "acl", "punct"} for t in c.subtree}
        words = [t.i for t in token.subtree if t.i not in cut]
        left, right = min(words), max(words) + 1
        while right - left > 1 and token.doc[right - 1].is_punct:
            right -= 1
        return token.doc[left:right].text

    # -- arguments ---------------------------------------------------------------------------

    def arguments(self, doc: Doc, event: EventCandidate, by_token: dict[int, EntityCandidate]) -> list[tuple[str, EntityCandidate]]:
        trigger = doc[event.start]
        found: list[tuple[str, EntityCandidate]] = []
        self._current_entities = by_token

        def add(role: str, token: Token | None) -> None:
            if token is None:
                return
            for t in [token, *[c for c in token.children if c.dep_ == "conj"]]:
                entity = self._entity_in(t, by_token)
                if entity is None:
                    continue
                role_here = role
                if role == "TIME" and entity.label != "DATE":
                    continue
                if entity.label == "WEAPON":
                    role_here = "WEAPON"
                elif entity.label == "DATE":
                    role_here = "TIME"
                elif entity.label == "QUANTITY" and role in {"TARGET", "ACTOR"} and event.ace2005 in {"LIFE_DIE"}:
                    role_here = "FATALITIES"
                elif role == "TARGET" and entity.label == "LOCATION" and event.sub_event_type in TERRITORY_SUBTYPES:
                    role_here = "LOCATION"
                elif role == "LOCATION" and entity.label not in {"LOCATION", "FACILITY"}:
                    if t.dep_ != "pobj" or t.head.lower_ not in {"against", "on", "at"}:
                        continue
                    role_here = "TARGET"
                if (role_here, entity) not in found:
                    found.append((role_here, entity))

        if not doc.has_annotation("DEP"):
            return self._arguments_by_proximity(doc, event, by_token)
        subject = self._subject_of(trigger)
        for child in trigger.children:
            if child.dep_ in {"dobj", "obj"}:
                add("TARGET", child)
                self._locations_in(child, add)
            elif child.dep_ == "nsubjpass":
                add("TARGET", child)
            elif child.dep_ == "agent":
                for grand in child.children:
                    add("ACTOR", grand)
            elif child.dep_ in {"npadvmod", "tmod"}:
                add("TIME", child)
            elif child.dep_ == "prep":
                if child.lower_ == "of" and _pos_class(trigger) == "NOUN":
                    # "the shelling of the plant", "the evacuation of 15 villages"
                    for obj in child.children:
                        if obj.dep_ == "pobj":
                            add("TARGET", obj)
                    continue
                self._prepositional(child, event, add)
            elif child.dep_ == "advcl" and lemma_of(child) in {"kill", "wound", "injure"}:
                for grand in child.children:
                    if grand.dep_ in {"dobj", "obj"}:
                        entity = self._entity_in(grand, by_token)
                        if entity is not None and entity.label == "QUANTITY":
                            found.append(("FATALITIES", entity))
            elif child.dep_ in {"poss", "compound", "amod"} and _pos_class(trigger) == "NOUN":
                add("ACTOR", child)
        if subject is not None:
            add("TARGET" if subject.dep_ == "nsubjpass" else "ACTOR", subject)
        head = trigger.head
        if _pos_class(trigger) == "NOUN" and head is not trigger:
            if trigger.dep_ in {"dobj", "obj"} and lemma_of(head) in LIGHT_VERBS:
                # "completed their withdrawal", "could launch a counter-attack": the doer is the verb's subject
                add("ACTOR", self._subject_of(head))
            if trigger.dep_ in {"nsubj", "nsubjpass"} or (trigger.dep_ in {"dobj", "obj"} and lemma_of(head) in LIGHT_VERBS):
                # "Heavy clashes rocked Khartoum on Sunday": place and time hang on the verb
                for sibling in head.children:
                    if sibling.dep_ == "prep" and sibling.lower_ in LOCATION_PREPOSITIONS:
                        self._prepositional(sibling, event, add)
                    elif sibling.dep_ in {"npadvmod", "tmod"}:
                        add("TIME", sibling)
                    elif sibling.dep_ in {"dobj", "obj"} and sibling is not trigger:
                        entity = by_token.get(sibling.i)
                        if entity is not None and entity.label == "LOCATION":
                            add("LOCATION", sibling)
        if event.ace2005 in {"LIFE_DIE", "LIFE_INJURE"}:
            found = [("FATALITIES" if role == "TARGET" and e.label == "QUANTITY" else role, e) for role, e in found]
        return found

    def _subject_kind(self, trigger: Token, by_token: dict[int, EntityCandidate]) -> str | None:
        """The label of the entity that is the trigger's subject, else the subject's lemma."""
        subject = self._subject_of(trigger)
        if subject is None:
            return None
        entity = by_token.get(subject.i)
        return entity.label if entity is not None else lemma_of(subject)

    def _subject_of(self, trigger: Token) -> Token | None:
        current = trigger
        for _ in range(4):
            for child in current.children:
                if child.dep_ in {"nsubj", "nsubjpass"}:
                    return child
            if current.dep_ in {"xcomp", "conj"} and current.head is not current:
                current = current.head
            else:
                return None
        return None

    def _prepositional(self, prep: Token, event: EventCandidate, add) -> None:
        word = prep.lower_
        for obj in prep.children:
            if obj.dep_ != "pobj":
                continue
            if word == "with":
                add("WEAPON", obj)
            elif word == "between":
                add("ACTOR", obj)
            elif word in {"on", "against"} and _pos_class(prep.head) == "NOUN":
                add("TARGET", obj)
            elif word in LOCATION_PREPOSITIONS | {"during", "since", "until", "by", "after", "before"}:
                add("LOCATION", obj)
            self._locations_in(obj, add)

    def _locations_in(self, token: Token, add) -> None:
        """Places and times inside a phrase: 'a district of Kharkiv', 'the village of Bilohorivka'."""
        for inner in token.subtree:
            if inner is token or inner.dep_ != "pobj":
                continue
            if any(a.dep_ in {"relcl", "ccomp", "acl"} for a in inner.ancestors if token in a.ancestors or a is token):
                continue
            if self._inside_a_place(inner, token):
                continue
            add("LOCATION", inner)

    def _inside_a_place(self, inner: Token, top: Token) -> bool:
        """'Ariha in Idlib province', 'Boni in central Mali': the event happened in the first place;
        the wider one only locates it, so it is not a second LOCATION."""
        by_token = self._current_entities
        for ancestor in inner.ancestors:
            if ancestor is top:
                return False
            entity = by_token.get(ancestor.i)
            if entity is not None and entity.label in {"LOCATION", "FACILITY"}:
                return True
        return False

    def _entity_in(self, token: Token, by_token: dict[int, EntityCandidate]) -> EntityCandidate | None:
        entity = by_token.get(token.i)
        if entity is not None:
            if entity.label in {"PERSON", "ORG"} and token.dep_ == "pobj" and token.head.lower_ == "with":
                return None
            return entity
        for child in token.children:
            if child.dep_ in {"compound", "amod", "nummod", "poss"} and child.i in by_token:
                return by_token[child.i]
        return None

    def _arguments_by_proximity(self, doc: Doc, event: EventCandidate, by_token) -> list[tuple[str, EntityCandidate]]:
        """Without a parse: the nearest armed group before the trigger acts; places, dates, weapons
        and counts in the same sentence fill their roles."""
        sentence = doc[event.start].sent
        entities = []
        for i in range(sentence.start, sentence.end):
            entity = by_token.get(i)
            if entity is not None and entity not in entities:
                entities.append(entity)
        found = []
        before = [e for e in entities if e.end <= event.start and e.label == "ARMED_GROUP"]
        if before:
            found.append(("ACTOR", before[-1]))
        roles = {"LOCATION": "LOCATION", "DATE": "TIME", "WEAPON": "WEAPON"}
        for entity in entities:
            if entity.label in roles:
                found.append((roles[entity.label], entity))
            elif entity.label == "QUANTITY" and event.ace2005 == "LIFE_DIE":
                found.append(("FATALITIES", entity))
        return found
