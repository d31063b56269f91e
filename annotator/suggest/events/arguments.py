"""Stage 4, arguments: the entity suggestions filling an event's roles (ACTOR, TARGET, LOCATION, TIME,
WEAPON, FATALITIES), from the dependency parse, or by proximity without one.
"""

from __future__ import annotations

from spacy.tokens import Doc, Token

from annotator.suggest.entities import EntityCandidate
from annotator.suggest.events.attributes import clause_chain
from annotator.suggest.events.triggers import LIGHT_VERBS, EventCandidate, lemma_of, pos_class, subject_of
from annotator.suggest.lexicon import SAY_VERBS

LOCATION_PREPOSITIONS = {"in", "near", "at", "from", "toward", "towards", "around", "outside", "across", "into",
                         "inside", "on", "along", "over", "of", "to"}

TERRITORY_SUBTYPES = {"Non-state actor overtakes territory", "Government regains territory",
                      "Non-violent transfer of territory"}


def arguments(doc: Doc, event: EventCandidate, by_token: dict[int, EntityCandidate],
              weapon_counts: frozenset[int] = frozenset()) -> list[tuple[str, EntityCandidate]]:
    """The event's arguments; ``weapon_counts`` holds the ids of QUANTITY spans that count weapons
    ("three ballistic missiles"), which fill WEAPON, not TARGET."""
    trigger = doc[event.start]
    found: list[tuple[str, EntityCandidate]] = []

    def add(role: str, token: Token | None) -> None:
        if token is None:
            return
        for t in [token, *[c for c in token.children if c.dep_ == "conj"]]:
            entity = entity_in(t, by_token)
            if entity is None:
                continue
            role_here = role
            if role == "TIME" and entity.label != "DATE":
                continue
            if entity.label == "WEAPON" or id(entity) in weapon_counts:
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
        return arguments_by_proximity(doc, event, by_token)
    subject = subject_of(trigger)
    for child in trigger.children:
        if child.dep_ in {"dobj", "obj"}:
            add("TARGET", child)
            locations_in(child, add, by_token)
        elif child.dep_ == "nsubjpass":
            add("TARGET", child)
        elif child.dep_ == "agent":
            for grand in child.children:
                add("ACTOR", grand)
        elif child.dep_ in {"npadvmod", "tmod"}:
            add("TIME", child)
        elif child.dep_ == "prep":
            if child.lower_ == "of" and pos_class(trigger) == "NOUN":
                # "the shelling of the plant", "the evacuation of 15 villages"
                for obj in child.children:
                    if obj.dep_ == "pobj":
                        add("TARGET", obj)
                continue
            prepositional(child, event, add, by_token)
        elif child.dep_ == "advcl" and lemma_of(child) in {"kill", "wound", "injure"}:
            for grand in child.children:
                if grand.dep_ in {"dobj", "obj"}:
                    entity = entity_in(grand, by_token)
                    if entity is not None and entity.label == "QUANTITY":
                        found.append(("FATALITIES", entity))
        elif child.dep_ in {"poss", "compound", "amod"} and pos_class(trigger) == "NOUN":
            add("ACTOR", child)
    if subject is not None:
        add("TARGET" if subject.dep_ == "nsubjpass" else "ACTOR", speaker_meant(trigger, subject))
    head = trigger.head
    claimer = responsibility_claimed_by(trigger)
    if claimer is not None:
        add("ACTOR", speaker_meant(trigger, claimer))
    if pos_class(trigger) == "NOUN" and head is not trigger:
        if trigger.dep_ in {"dobj", "obj"} and lemma_of(head) in LIGHT_VERBS:
            # "completed their withdrawal", "could launch a counter-attack": the doer is the verb's subject
            add("ACTOR", subject_of(head))
        if trigger.dep_ in {"nsubj", "nsubjpass"} or (trigger.dep_ in {"dobj", "obj"} and lemma_of(head) in LIGHT_VERBS):
            # "Heavy clashes rocked Khartoum on Sunday": place and time hang on the verb
            for sibling in head.children:
                if sibling.dep_ == "prep" and sibling.lower_ in LOCATION_PREPOSITIONS:
                    prepositional(sibling, event, add, by_token)
                elif sibling.dep_ in {"npadvmod", "tmod"}:
                    add("TIME", sibling)
                elif sibling.dep_ in {"dobj", "obj"} and sibling is not trigger:
                    entity = by_token.get(sibling.i)
                    if entity is not None and entity.label == "LOCATION":
                        add("LOCATION", sibling)
    if event.ace2005 in {"LIFE_DIE", "LIFE_INJURE"}:
        found = [("FATALITIES" if role == "TARGET" and e.label == "QUANTITY" else role, e) for role, e in found]
    return found


CLAIM_VERBS = {"claim", "accept", "admit", "take", "bear"}
SPEAKER_PRONOUNS = {"it", "they", "we"}


def speaker_meant(trigger: Token, subject: Token) -> Token:
    """A pronoun subject under a verb of saying is the speaker: "The army said it had repelled the
    assault", "JNIM said it was responsible". Other pronouns are left as they are (they find no entity)."""
    if subject.lower_ not in SPEAKER_PRONOUNS:
        return subject
    for verb in clause_chain(subject.head)[1:]:
        if lemma_of(verb) in SAY_VERBS:
            speakers = [c for c in verb.children if c.dep_ == "nsubj" and c.lower_ not in SPEAKER_PRONOUNS]
            return speakers[0] if speakers else subject
    return subject


def responsibility_claimed_by(trigger: Token) -> Token | None:
    """Who claims the event: "Al-Shabaab claimed responsibility for the attack", "the group said it
    was responsible for the ambush". In conflict reporting the claimant is the doer, so it is the
    event's ACTOR (a pronoun finds no entity; "No group has claimed ..." names none)."""
    preposition = trigger.head
    if trigger.dep_ != "pobj" or preposition.lower_ != "for":
        return None
    holder = preposition.head
    if holder.lower_ == "responsibility" and holder.dep_ in {"dobj", "obj"} and lemma_of(holder.head) in CLAIM_VERBS:
        return subject_of(holder.head)
    if holder.lower_ == "responsible" and holder.dep_ == "acomp":
        return subject_of(holder.head)
    return None


def prepositional(prep: Token, event: EventCandidate, add, by_token: dict[int, EntityCandidate]) -> None:
    word = prep.lower_
    for obj in prep.children:
        if obj.dep_ != "pobj":
            continue
        if word == "with":
            add("WEAPON", obj)
        elif word == "between":
            add("ACTOR", obj)
        elif word in {"on", "against"} and pos_class(prep.head) == "NOUN":
            add("TARGET", obj)
        elif word in LOCATION_PREPOSITIONS | {"during", "since", "until", "by", "after", "before"}:
            add("LOCATION", obj)
        locations_in(obj, add, by_token)


def locations_in(token: Token, add, by_token: dict[int, EntityCandidate]) -> None:
    """Places and times inside a phrase: 'a district of Kharkiv', 'the village of Bilohorivka'."""
    for inner in token.subtree:
        if inner is token or inner.dep_ != "pobj":
            continue
        if any(a.dep_ in {"relcl", "ccomp", "acl"} for a in inner.ancestors if token in a.ancestors or a is token):
            continue
        if inside_a_place(inner, token, by_token):
            continue
        add("LOCATION", inner)


def inside_a_place(inner: Token, top: Token, by_token: dict[int, EntityCandidate]) -> bool:
    """'Ariha in Idlib province', 'Boni in central Mali': the event happened in the first place;
    the wider one only locates it, so it is not a second LOCATION."""
    for ancestor in inner.ancestors:
        if ancestor is top:
            return False
        entity = by_token.get(ancestor.i)
        if entity is not None and entity.label in {"LOCATION", "FACILITY"}:
            return True
    return False


def entity_in(token: Token, by_token: dict[int, EntityCandidate]) -> EntityCandidate | None:
    entity = by_token.get(token.i)
    if entity is not None:
        if entity.label in {"PERSON", "ORG"} and token.dep_ == "pobj" and token.head.lower_ == "with":
            return None
        return entity
    for child in token.children:
        if child.dep_ in {"compound", "amod", "nummod", "poss"} and child.i in by_token:
            return by_token[child.i]
    return None


def arguments_by_proximity(doc: Doc, event: EventCandidate, by_token) -> list[tuple[str, EntityCandidate]]:
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

