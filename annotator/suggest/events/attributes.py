"""Stage 3, attributes: an event's modality (happened, planned, hypothetical, denied) and who it is
reported by, read from the clauses governing its trigger.
"""

from __future__ import annotations

from spacy.tokens import Token

from annotator.domain import Modality
from annotator.suggest.entities import EntityCandidate
from annotator.suggest.events.triggers import LIGHT_VERBS, lemma_of, pos_class
from annotator.suggest.lexicon import DENY_FORMS, DENY_VERBS, SAY_VERBS

# What a denial rejects, with the event in its clause: "denied reports that ...".
CLAIM_NOUNS = {"report", "claim", "allegation", "accusation", "suggestion", "rumour", "rumor", "assertion"}

PLAN_WORDS = {"plan", "order", "intend", "prepare", "vow", "promise", "pledge", "threaten", "decide", "aim",
              "agree", "expect", "set", "want", "seek", "call", "urge", "ask", "schedule", "propose"}

# Verbs of massing forces: what forces are gathered "to" do is an aim, not yet an event ("concentrates its
# forces to capture a city", "massing troops to retake the airport"). Verbs that send or use weapons are not
# among them: "sent 40 drones to attack Kyiv" and "used drones to strike" report what happened.
MUSTER_VERBS = {"concentrate", "mass", "amass", "gather", "assemble", "regroup", "mobilise", "mobilize"}

MAYBE_AUX = {"could", "might", "may", "can"}

FUTURE_AUX = {"will", "shall", "'ll", "wo"}

PRONOUNS = {"he", "she", "it", "they", "we", "i", "you", "this", "that", "who", "which"}

CLAUSE_DEPS = {"ccomp", "xcomp", "advcl", "conj", "pcomp", "acl", "relcl", "parataxis", "dobj", "pobj", "prep",
               "csubj"}

PLAN_NOUNS = {"goal", "bid", "plan", "aim", "attempt", "effort", "intention", "ambition", "push"}


def clause_chain(token: Token) -> list[Token]:
    """The trigger and the words governing it, up through clause links, nearest first."""
    chain = [token]
    current = token
    while current.head is not current and current.dep_ in CLAUSE_DEPS and len(chain) < 6:
        current = current.head
        chain.append(current)
    return chain


def modality(trigger: Token) -> Modality:
    doc = trigger.doc
    if not doc.has_annotation("DEP"):
        return modality_by_words(trigger)
    reason = _named_as_cause_or_aim(trigger)
    if reason is not None:
        return reason
    if _aimed_at(trigger):
        return Modality.PLANNED
    chain = clause_chain(trigger)
    for depth, word in enumerate(chain):
        children = list(word.children)
        lemma = lemma_of(word)
        if depth > 0 and lemma in DENY_VERBS:
            return Modality.DENIED
        if any(c.dep_ == "neg" for c in children) and (depth == 0 or lemma in LIGHT_VERBS):
            return Modality.DENIED
        aux = {c.lower_ for c in children if c.dep_ in {"aux", "auxpass"}}
        if depth > 0 and lemma in PLAN_NOUNS and pos_class(word) == "NOUN":
            return Modality.PLANNED
        if depth == 0 or lemma in LIGHT_VERBS or chain[depth - 1].dep_ in {"conj", "csubj"}:
            if aux & FUTURE_AUX or going_to(word):
                return Modality.PLANNED
            if aux & MAYBE_AUX:
                return Modality.HYPOTHETICAL
            if "would" in aux:
                reported = any(lemma_of(w) in SAY_VERBS for w in chain[depth + 1 :])
                return Modality.PLANNED if reported else Modality.HYPOTHETICAL
        if depth > 0 and (lemma in PLAN_WORDS and chain[depth - 1].dep_ in {"xcomp", "acl", "ccomp"}
                          or lemma in MUSTER_VERBS and chain[depth - 1].dep_ in {"xcomp", "advcl"}):
            if any(c.dep_ == "aux" and c.lower_ == "to" for c in chain[depth - 1].children):
                return Modality.PLANNED
        if (depth > 0 and lemma in CLAIM_NOUNS and pos_class(word) == "NOUN" and word.dep_ in {"dobj", "obj"}
                and lemma_of(word.head) in DENY_VERBS):
            return Modality.DENIED  # "denied reports that it had shelled", "rejected claims that its jets bombed"
        if depth > 0 and lemma in SAY_VERBS | {"report"}:
            break
    return Modality.HAPPENED


# Prepositions by which a verb names an event as its cause: "retaliate for the killing", "arrested over
# the bombing", "protests after the shooting". The event has happened, whatever the verb's own modality.
CAUSE_PREPOSITIONS = {"for", "over", "after", "following"}


def _named_as_cause_or_aim(trigger: Token) -> Modality | None:
    """The modality of an event named as a verb's prepositional object: what a verb of planning is "for"
    is planned ("preparing for an assault", "called for an attack"); what any other verb is for, over or
    after is a cause, and happened ("is expected to retaliate for the killing of its commander")."""
    preposition = trigger.head
    if pos_class(trigger) != "NOUN" or trigger.dep_ != "pobj" or preposition.lower_ not in CAUSE_PREPOSITIONS:
        return None
    verb = preposition.head
    if verb is preposition or pos_class(verb) != "VERB" or any(c.dep_ == "neg" for c in trigger.children):
        return None
    if lemma_of(verb) in PLAN_WORDS:
        return Modality.PLANNED if preposition.lower_ == "for" else None
    return Modality.HAPPENED


# Words of a mind set on doing something: what they are "on" is an aim ("now focused on capturing the
# region", "bent on seizing the capital"), not yet an event.
AIM_ON_WORDS = {"focus", "focused", "concentrate", "concentrated", "bent", "intent", "set"}


def _aimed_at(trigger: Token) -> bool:
    preposition = trigger.head
    return (trigger.dep_ == "pcomp" and preposition.lower_ == "on" and preposition.head is not preposition
            and (lemma_of(preposition.head) in AIM_ON_WORDS or preposition.head.lower_ in AIM_ON_WORDS))


def going_to(word: Token) -> bool:
    head = word.head
    return lemma_of(head) == "go" and any(c.lower_ == "to" for c in word.children) and head.tag_ == "VBG"


def modality_by_words(trigger: Token) -> Modality:
    before = [t.lower_ for t in trigger.doc[max(trigger.sent.start, trigger.i - 4) : trigger.i]]
    if any(w in DENY_FORMS for w in before) or "not" in before or "n't" in before:
        return Modality.DENIED
    if set(before) & FUTURE_AUX:
        return Modality.PLANNED
    if set(before) & MAYBE_AUX:
        return Modality.HYPOTHETICAL
    return Modality.HAPPENED


def reported_by(trigger: Token, by_token: dict[int, EntityCandidate]) -> str | None:
    """Who a claim is attributed to: the subject of the verb of saying over the trigger."""
    doc = trigger.doc
    if not doc.has_annotation("DEP"):
        return None
    say_verbs = [w for w in clause_chain(trigger)[1:] if lemma_of(w) in SAY_VERBS]
    if not say_verbs:
        # "X will withdraw, the governor said": the verb of saying is a sibling clause.
        root = trigger.sent.root
        if lemma_of(root) in SAY_VERBS and root.i != trigger.i and root.i > trigger.i:
            say_verbs = [root]
    for verb in say_verbs:
        for child in verb.children:
            if child.dep_ in {"nsubj", "nsubjpass"} and child.lower_ not in PRONOUNS:
                return subject_text(child, by_token)
    return None


def subject_text(token: Token, by_token: dict[int, EntityCandidate]) -> str:
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
            return noun_phrase(token)
        return head_entity.text
    return noun_phrase(token)


def noun_phrase(token: Token) -> str:
    """The subject's words without appositions and relative clauses."""
    cut = {t.i for c in token.children if c.dep_ in {"appos", "relcl", "acl", "punct"} for t in c.subtree}
    words = [t.i for t in token.subtree if t.i not in cut]
    left, right = min(words), max(words) + 1
    while right - left > 1 and token.doc[right - 1].is_punct:
        right -= 1
    return token.doc[left:right].text

