"""Stage 2, typing: an event's ACLED type and sub-type from the weapon near its trigger, from the attack
that caused a death, from who is attacked or died (civilians, protesters, fighters), and dropping a verb
that only says what another event did ("a drone strike hit the depot" is one event).
"""

from __future__ import annotations

from spacy.tokens import Doc, Token

from annotator.suggest.entities import EntityCandidate
from annotator.suggest.events.triggers import EventCandidate, TriggerSet, lemma_of, pos_class
from annotator.suggest.gazetteer import Gazetteer

PROTEST_WEAPONS = {"tear gas", "rubber bullets", "water cannon", "water cannons", "stun grenades", "batons"}


def linked_weapon(trigger: Token, by_token: dict[int, EntityCandidate]) -> bool:
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


def weapon_context(doc: Doc, trigger: Token, by_token: dict[int, EntityCandidate],
                   gazetteer: Gazetteer) -> str | None:
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
            subtype = gazetteer.weapon_subtype(text)
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


def type_by_weapon(event: EventCandidate, weapon_type: str | None, doc: Doc, trigger: Token) -> None:
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
    generic = event.rule is None or event.rule.lemmas & {"attack", "shoot"}
    if event.label == "VIOLENCE_AGAINST_CIVILIANS" and generic and not hits_civilians(trigger):
        # An attack without explosive means on an armed group is a battle; an assassination or a
        # stabbing stays violence against a person.
        event.label, event.sub_event_type = "BATTLES", "Armed clash"


def hits_civilians(trigger: Token) -> bool:
    words = {t.lower_ for t in trigger.sent}
    return bool(words & {"civilians", "civilian", "villagers", "residents", "women", "children", "worshippers",
                         "market", "school", "hospital", "church", "mosque", "village", "hotel", "hotels",
                         "restaurant", "bus", "shops", "homes", "houses", "camp", "camps", "protesters",
                         "demonstrators", "passengers", "students", "journalists"})


# Who dies in a battle: ACLED types a killing whose victims are all armed as a battle, not as
# violence against civilians (the scheme's ``if_victims_armed``, which the event table applies too).
ARMED_VICTIMS = {"fighter", "militant", "insurgent", "rebel", "soldier", "troop", "jihadist", "gunman", "gunmen",
                 "attacker", "assailant", "militiaman", "militiamen", "guerrilla", "combatant", "serviceman",
                 "servicemen", "paratrooper", "marine", "policeman", "policemen", "terrorist", "commander"}
VICTIM_DEPS = {"nsubjpass", "dobj", "obj"}


def victims_armed(trigger: Token, by_token: dict[int, EntityCandidate]) -> bool:
    """True when the trigger names who died or was hurt, and every one of them is armed: "nine
    fighters were killed", "killed 139 insurgents", "two soldiers died", "the killing of three Taliban"."""
    if not trigger.doc.has_annotation("DEP"):
        return False
    deps = VICTIM_DEPS | ({"nsubj"} if lemma_of(trigger) in {"die", "perish"} else set())
    heads = [c for c in trigger.children if c.dep_ in deps]
    if pos_class(trigger) == "NOUN":
        heads += [g for c in trigger.children if c.dep_ == "prep" and c.lower_ == "of"
                  for g in c.children if g.dep_ == "pobj"]
    victims = [*heads, *(c for h in heads for c in h.conjuncts)]
    if not victims:
        return False

    def armed(word: Token) -> bool:
        candidate = by_token.get(word.i)
        if candidate is not None and candidate.label == "ARMED_GROUP":
            return True
        return word.lower_ in ARMED_VICTIMS or lemma_of(word) in ARMED_VICTIMS

    return all(armed(word) for word in victims)


def type_against_protesters(doc: Doc, events: list[EventCandidate]) -> None:
    """Violence against demonstrators is ACLED's 'Excessive force against protesters'."""
    for event in events:
        if event.label != "VIOLENCE_AGAINST_CIVILIANS" or event.sub_event_type != "Attack":
            continue
        if {t.lower_ for t in doc[event.start].sent} & {"protesters", "protester", "demonstrators", "demonstrator"}:
            event.label, event.sub_event_type = "PROTESTS", "Excessive force against protesters"


def drop_predicates_of_events(doc: Doc, events: list[EventCandidate],
                              triggers: TriggerSet) -> list[EventCandidate]:
    """'A drone strike hit the depot': 'hit' only says what the strike did; one event, not two."""
    if not doc.has_annotation("DEP"):
        return events
    starts = {e.start for e in events}
    weapon_verbs = triggers.weapon_verbs
    return [e for e in events if not (
        lemma_of(doc[e.start]) in weapon_verbs
        and any(c.dep_ in {"nsubj", "nsubjpass"} and c.i in starts for c in doc[e.start].children)
    )]


def sentence_starts(doc: Doc) -> list[int]:
    """Each token's sentence's first token, from one walk over the Doc's sentences (``Token.sent``
    walks out to its sentence's ends at every call)."""
    starts = [0] * len(doc)
    for sentence in doc.sents:
        starts[sentence.start : sentence.end] = [sentence.start] * (sentence.end - sentence.start)
    return starts


def type_by_cause(doc: Doc, events: list[EventCandidate], by_token: dict[int, EntityCandidate],
                  triggers: TriggerSet, gazetteer: Gazetteer) -> None:
    """A killing or wounding takes the type of the attack that caused it, in the same sentence."""
    # Each trigger's sentence and kind once: Token.sent walks the Doc, and a long report has
    # hundreds of triggers (this loop was a third of the suggester's time over the parse).
    consequence = [triggers.is_consequence(doc[e.start]) for e in events]
    if not any(consequence):
        return
    starts = sentence_starts(doc)
    sentence = [starts[e.start] for e in events]
    for index, event in enumerate(events):
        if not consequence[index]:
            continue
        trigger = doc[event.start]
        # An untyped learned trigger is no cause to copy from: it takes its type from the others.
        causes = [e for other, e in enumerate(events) if other != index and e.label
                  and sentence[other] == sentence[index] and not consequence[other]]
        if causes:
            cause = min(causes, key=lambda e: abs(e.start - event.start))
            event.label, event.sub_event_type = cause.label, cause.sub_event_type
        else:
            by_weapon = weapon_context(doc, trigger, by_token, gazetteer)
            if by_weapon and by_weapon != "protest":
                event.label, event.sub_event_type = "EXPLOSIONS_REMOTE_VIOLENCE", by_weapon
            elif event.label == "VIOLENCE_AGAINST_CIVILIANS" and victims_armed(trigger, by_token):
                event.label, event.sub_event_type = "BATTLES", "Armed clash"



# What "hit", "target", "attack" or "strike" mean when no violence is done: "hit five banks with
# sanctions", "attack the epidemic", "a three-day strike", "a hunger strike".
NON_VIOLENT_OBJECTS = {"sanction", "sanctions", "tariff", "tariffs", "virus", "disease", "pandemic", "epidemic",
                       "outbreak", "corruption",
                       "poverty", "inflation", "problem", "record", "price", "prices",
                       "goal", "criticism", "policy", "plan", "law", "ban", "measure", "measures", "tax"}
LABOUR_STRIKE_WORDS = {"general", "hunger", "labour", "labor", "workers", "worker", "teachers", "doctors", "nurses",
                       "national", "transport", "rail", "sit-down", "wildcat", "nationwide", "opposition-called",
                       "union", "miners", "truckers", "student", "students"}


LEGAL_WORDS = {"charge", "convict", "accuse", "guilty", "trial", "sentence", "indict", "complicity", "suspect",
               "acquit", "prosecute", "count"}


def figurative(trigger: Token) -> bool:
    """True when an attack word does no violence here (sanctions, a virus, a labour strike), or
    names a charge in court ("faces charges of murder") rather than an event reported."""
    if not trigger.doc.has_annotation("DEP"):
        return False
    if trigger.dep_ == "pobj" and trigger.head.head is not None and lemma_of(trigger.head.head) in LEGAL_WORDS:
        return True
    for child in trigger.children:
        words = [child] if child.dep_ in {"dobj", "obj", "nsubjpass"} else [
            g for g in child.children if g.dep_ == "pobj"] if child.dep_ == "prep" and child.lower_ in {"with", "on", "against"} else []
        if any(lemma_of(w) in NON_VIOLENT_OBJECTS or w.lower_ in NON_VIOLENT_OBJECTS for w in words):
            return True
    if lemma_of(trigger) == "strike" and pos_class(trigger) == "NOUN":
        modifiers = [c for c in trigger.children if c.dep_ in {"amod", "compound", "nmod", "nummod"}]
        for modifier in modifiers:
            text = modifier.lower_
            # "a 24-hour strike", "a three-day strike": a stoppage of work has a length
            if text in LABOUR_STRIKE_WORDS or text in {"hour", "day", "week"} or any(
                    text.endswith(s) for s in ("-hour", "-day", "-week")):
                return True
    return False
