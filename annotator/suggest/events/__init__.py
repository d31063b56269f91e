"""Event suggestions: triggers by lemma, typed to the scheme, with modality, reported_by and arguments.

One module per stage, each a set of functions taking what it needs (the Doc, the chosen entities by
token, the trigger set, the gazetteer): ``triggers`` finds the words, ``classify`` types them,
``attributes`` reads modality and source, ``arguments`` links the entities. :class:`EventFinder`
runs them in order. Everything reads the dependency parse when the pipeline has one; with rules
alone triggers are found by word form, and modality and arguments fall back to the sentence words.
"""

from __future__ import annotations

from spacy.tokens import Doc

from annotator.suggest.entities import EntityCandidate
from annotator.suggest.events.arguments import arguments
from annotator.suggest.events.attributes import modality, reported_by
from annotator.suggest.events.classify import (
    drop_predicates_of_events,
    figurative,
    linked_weapon,
    type_against_protesters,
    type_by_cause,
    type_by_weapon,
    weapon_context,
)
from annotator.suggest.events.triggers import (
    EventCandidate,
    TriggerRule,
    TriggerSet,
    anaphoric,
    lemma_of,
    load_triggers,
    matches,
    subject_kind,
)
from annotator.suggest.gazetteer import Gazetteer

__all__ = ["EventCandidate", "EventFinder", "TriggerRule", "TriggerSet", "lemma_of", "load_triggers"]


VIOLENT_LABELS = {"BATTLES", "EXPLOSIONS_REMOTE_VIOLENCE", "VIOLENCE_AGAINST_CIVILIANS"}


class EventFinder:
    """Finds, types and links events in one parsed Doc."""

    def __init__(self, gazetteer: Gazetteer, triggers: list[TriggerRule]):
        self.gazetteer = gazetteer
        self.triggers = TriggerSet.of(triggers)

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
        for start, end, rule in matches(doc, self.triggers):
            if used & set(range(start, end)) or inside_entity & set(range(start, end)):
                continue
            if rule.subjects and subject_kind(doc[start], by_token) not in rule.subjects:
                continue
            if rule.label in VIOLENT_LABELS and figurative(doc[start]):
                continue
            event = EventCandidate(start, end, rule.label, rule.sub_event_type, rule.ace2005, rule=rule,
                                   anaphoric=anaphoric(doc[start], rule))
            trigger = doc[start]
            if rule.requires_weapon and not linked_weapon(trigger, by_token):
                continue
            if rule.typing == "weapon" or rule.requires_weapon:
                weapon_type = weapon_context(doc, trigger, by_token, self.gazetteer)
                type_by_weapon(event, weapon_type, doc, trigger)
            if rule.armed_actor and subject_kind(trigger, by_token) == "ARMED_GROUP":
                event.label, event.sub_event_type = rule.armed_actor
            used |= set(range(start, end))
            events.append(event)
        type_by_cause(doc, events, by_token, self.triggers, self.gazetteer)
        type_against_protesters(doc, events)
        events = [e for e in events if not e.anaphoric]
        events = drop_predicates_of_events(doc, events, self.triggers)
        events = [e for e in events if not (e.rule and e.rule.alone_in_sentence and any(
            o is not e and o.label == e.label and doc[o.start].sent == doc[e.start].sent for o in events))]
        for event in events:
            event.modality = modality(doc[event.start])
            event.reported_by = reported_by(doc[event.start], by_token)
            event.arguments = arguments(doc, event, by_token)
        return sorted(events, key=lambda e: e.start)
