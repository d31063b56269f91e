"""Event suggestions: triggers by lemma, typed to the scheme, with modality, reported_by and arguments.

One module per stage, each a set of functions taking what it needs (the Doc, the chosen entities by
token, the trigger set, the gazetteer): ``triggers`` finds the words, ``classify`` types them,
``attributes`` reads modality and source, ``arguments`` links the entities. :class:`EventFinder`
runs them in order. Everything reads the dependency parse when the pipeline has one; with rules
alone triggers are found by word form, and modality and arguments fall back to the sentence words.
"""

from __future__ import annotations

from dataclasses import replace

from spacy.tokens import Doc

from annotator.suggest.entities import EntityCandidate, is_dateline
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
from annotator.suggest.events.learned import TriggerModel, rule_hits
from annotator.suggest.events.triggers import (
    EventCandidate,
    is_month,
    TriggerRule,
    TriggerSet,
    anaphoric,
    lemma_of,
    load_triggers,
    matches,
    subject_kind,
)
from annotator.suggest.gazetteer import Gazetteer
from annotator.suggest.lexicon import dateline_places

__all__ = ["EventCandidate", "EventFinder", "TriggerModel", "TriggerRule", "TriggerSet", "lemma_of", "load_triggers"]


VIOLENT_LABELS = {"BATTLES", "EXPLOSIONS_REMOTE_VIOLENCE", "VIOLENCE_AGAINST_CIVILIANS"}


class EventFinder:
    """Finds, types and links events in one parsed Doc."""

    def __init__(self, gazetteer: Gazetteer, triggers: list[TriggerRule], model: TriggerModel | None = None):
        self.gazetteer = gazetteer
        self.triggers = TriggerSet.of(triggers)
        # Where triggers are, learned (see learned.py); None: the rules alone decide.
        self.model = model

    def _learned(self, doc: Doc, found) -> dict[int, float]:
        if self.model is None:
            return {}
        return self.model.probabilities(doc, rule_hits(doc, self.triggers, found))

    def find(self, doc: Doc, entities: list[EntityCandidate], extra=()) -> list[EventCandidate]:
        """Events in ``doc``; ``extra`` are (start, end, remembered) triggers from annotation memory."""
        inside_entity = {i for e in entities for i in range(e.start, e.end)}
        by_token = {i: e for e in entities for i in range(e.start, e.end)}
        # A count of weapons ("fired three ballistic missiles") is a QUANTITY span, and still the weapon
        # that makes "fired" an attack and types it: the weapon checks read it as one.
        armed = self._counted_weapons_as_weapons(doc, by_token)
        weapon_counts = frozenset(id(e) for i, e in by_token.items() if armed[i] is not e)
        events: list[EventCandidate] = []
        used: set[int] = set()
        for start, end, remembered in extra:
            if used & set(range(start, end)) or inside_entity & set(range(start, end)):
                continue
            used |= set(range(start, end))
            events.append(EventCandidate(start, end, remembered.label, remembered.sub_event_type or "", "",
                                         score=1.0))
        # The rules' matches once: the learned model reads them as a feature, then they are filtered.
        found = list(matches(doc, self.triggers))
        learned = self._learned(doc, found)
        threshold = self.model.threshold if self.model is not None else 0.0
        keep = self.model.keep_threshold if self.model is not None else 0.0
        for start, end, rule in found:
            if used & set(range(start, end)) or inside_entity & set(range(start, end)):
                continue
            if is_month(doc[start]):
                continue
            scored = [learned[i] for i in range(start, end) if i in learned]
            if scored and max(scored) < keep:
                continue  # the learned model says this rule's word is no trigger here
            if rule.subjects and subject_kind(doc[start], by_token) not in rule.subjects:
                continue
            if rule.not_subjects and subject_kind(doc[start], by_token) in rule.not_subjects:
                continue
            if rule.label in VIOLENT_LABELS and figurative(doc[start]):
                continue
            # No score: a rule gives no probability, and the learned model's for this word is not the
            # rule's confidence (the window said "score 0.00" for rule triggers the model barely knew).
            event = EventCandidate(start, end, rule.label, rule.sub_event_type, rule.ace2005, rule=rule,
                                   anaphoric=anaphoric(doc[start], rule))
            trigger = doc[start]
            if rule.requires_weapon and not linked_weapon(trigger, armed):
                continue
            if rule.typing == "weapon" or rule.requires_weapon:
                weapon_type = weapon_context(doc, trigger, armed, self.gazetteer)
                type_by_weapon(event, weapon_type, doc, trigger)
            if rule.armed_actor and subject_kind(trigger, by_token) == "ARMED_GROUP":
                event.label, event.sub_event_type = rule.armed_actor
            used |= set(range(start, end))
            events.append(event)
        for i in sorted(i for i, p in learned.items() if p >= threshold):
            # A word the rules missed: typed by the rule its lemma has in any form, else left to
            # the events around it (type_by_cause and _type_from_sentence, below).
            if i in used or i in inside_entity or is_month(doc[i]):
                continue
            event = self._learned_event(doc, i, by_token, learned[i])
            if event is not None:
                used.add(i)
                events.append(event)
        type_by_cause(doc, events, by_token, self.triggers, self.gazetteer)
        events = [e for e in events if e.label or self._type_from_sentence(doc, e, events, by_token)]
        type_against_protesters(doc, events)
        events = [e for e in events if not e.anaphoric]
        events = drop_predicates_of_events(doc, events, self.triggers)
        events = [e for e in events if not (e.rule and e.rule.alone_in_sentence and any(
            o is not e and o.label == e.label and doc[o.start].sent == doc[e.start].sent for o in events))]
        # A dateline is where the report was filed: the parse can make "KYIV, June 24 (Reuters) -"
        # the subject of the first sentence's verb, but it acts in no event and says nothing.
        datelines = dateline_places(doc.text)
        in_events = {i: e for i, e in by_token.items()
                     if not (e.label == "LOCATION" and is_dateline(doc, e.start, e.end, datelines))}
        for event in events:
            event.modality = modality(doc[event.start])
            event.reported_by = reported_by(doc[event.start], in_events)
            # Only a verb that needs a weapon fires the counted ones ("fired 40 rockets"); what was
            # captured or shot down ("two tanks", "two helicopters") stays the target.
            fired = weapon_counts if event.rule is not None and event.rule.requires_weapon else frozenset()
            event.arguments = arguments(doc, event, in_events, fired)
        return sorted(events, key=lambda e: e.start)

    def _counted_weapons_as_weapons(self, doc: Doc, by_token: dict[int, EntityCandidate]) -> dict[int, EntityCandidate]:
        counted = {id(e): e for e in by_token.values()
                   if e.label == "QUANTITY" and self.gazetteer.is_weapon_word(doc[e.end - 1].text)}
        if not counted:
            return by_token
        as_weapon = {key: replace(e, label="WEAPON") for key, e in counted.items()}
        return {i: as_weapon.get(id(e), e) for i, e in by_token.items()}

    def _learned_event(self, doc: Doc, i: int, by_token: dict[int, EntityCandidate],
                       probability: float) -> EventCandidate | None:
        trigger = doc[i]
        lemma = lemma_of(trigger)
        known = [self.triggers.rules[k] for k in self.triggers.by_word.get(lemma, ())
                 or self.triggers.by_word.get(trigger.lower_, ())]
        if not known:
            # No rule knows the word: typed later from the sentence's other events or its weapon.
            return EventCandidate(i, i + 1, "", "", "", score=round(probability, 4))
        rule = known[0]
        if rule.label in VIOLENT_LABELS and figurative(trigger):
            return None
        if rule.not_subjects and subject_kind(trigger, by_token) in rule.not_subjects:
            return None  # the rule's own guard holds whoever found the word ("troops marched")
        event = EventCandidate(i, i + 1, rule.label, rule.sub_event_type, rule.ace2005, rule=rule,
                               score=round(probability, 4), anaphoric=anaphoric(trigger, rule))
        if rule.typing == "weapon" or rule.requires_weapon:
            type_by_weapon(event, weapon_context(doc, trigger, by_token, self.gazetteer), doc, trigger)
        if rule.armed_actor and subject_kind(trigger, by_token) == "ARMED_GROUP":
            event.label, event.sub_event_type = rule.armed_actor
        return event

    def _type_from_sentence(self, doc: Doc, event: EventCandidate, events: list[EventCandidate],
                            by_token: dict[int, EntityCandidate]) -> bool:
        """An untyped learned trigger takes the type of the nearest typed event in its sentence, else
        of the weapon named there; without either it is dropped (False)."""
        sentence = doc[event.start].sent
        near = [e for e in events if e.label and doc[e.start].sent == sentence]
        if near:
            nearest = min(near, key=lambda e: abs(e.start - event.start))
            event.label, event.sub_event_type = nearest.label, nearest.sub_event_type
            return True
        weapon = weapon_context(doc, doc[event.start], by_token, self.gazetteer)
        if weapon and weapon != "protest":
            event.label, event.sub_event_type = "EXPLOSIONS_REMOTE_VIOLENCE", weapon
            return True
        return False
