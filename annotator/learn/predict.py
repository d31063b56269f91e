"""Spans from a learned pipeline: entity and trigger candidates with label, offsets and a score.

The learned components run on their own copy of the tokens, so the suggester's Doc (whose
``doc.ents`` the shipped NER and the rules read) is never changed by them.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc

from annotator.learn.examples import TRIGGERS_KEY
from annotator.domain import Layer

ENTITIES_PIPE = "learned_entities"
TRIGGERS_PIPE = "learned_triggers"
# Beam width for the NER's confidence: the share of the beam's probability mass on parses holding
# the span. 8 keeps suggesting about twice the cost of a greedy pass.
SCORE_BEAM_WIDTH = 8


@dataclass(frozen=True)
class LearnedSpan:
    start: int  # token offsets into the Doc the caller passed (end exclusive)
    end: int
    start_char: int
    end_char: int
    label: str
    layer: Layer
    score: float | None


def learned_labels(nlp: Language) -> dict[Layer, set[str]]:
    """The labels each layer's learned component was trained on (the manifest's, not the shipped NER's
    OntoNotes labels that a component started from the shipped weights still carries)."""
    trained = nlp.meta.get("learned_labels", {})
    return {Layer.ENTITY: set(trained.get("entity", [])), Layer.EVENT: set(trained.get("event", []))}


def _tokens_copy(nlp: Language, doc: Doc | str) -> Doc:
    if isinstance(doc, str):
        return nlp.make_doc(doc)
    return Doc(nlp.vocab, words=[t.text for t in doc], spaces=[bool(t.whitespace_) for t in doc])


def _non_overlapping(spans: list[LearnedSpan]) -> list[LearnedSpan]:
    chosen, taken = [], set()
    for span in sorted(spans, key=lambda s: (-(s.score or 0.0), -(s.end - s.start), s.start)):
        tokens = set(range(span.start, span.end))
        if tokens & taken:
            continue
        taken |= tokens
        chosen.append(span)
    return sorted(chosen, key=lambda s: s.start)


def _ner_spans(nlp: Language, name: str, doc: Doc, layer: Layer, known: set[str], scores: bool) -> list[LearnedSpan]:
    ner = nlp.get_pipe(name)
    doc = ner(doc)
    # A component started from the shipped NER still knows PERSON, GPE...: only trained labels count.
    ents = [e for e in doc.ents if e.label_ in known]
    confidence = {}
    if scores and ents:
        beams = ner.beam_parse([doc], beam_width=SCORE_BEAM_WIDTH)
        confidence = ner.scored_ents(beams)[0]
    return [LearnedSpan(e.start, e.end, e.start_char, e.end_char, e.label_, layer,
                        round(float(confidence.get((e.start, e.end, e.label_), 0.0)), 4) if scores else None)
            for e in ents]


def _spancat_spans(nlp: Language, name: str, doc: Doc, known: set[str]) -> list[LearnedSpan]:
    doc = nlp.get_pipe(name)(doc)
    group = doc.spans.get(TRIGGERS_KEY, [])
    scores = group.attrs.get("scores", []) if len(group) else []
    found = [LearnedSpan(s.start, s.end, s.start_char, s.end_char, s.label_, Layer.EVENT, round(float(score), 4))
             for s, score in zip(group, scores) if s.label_ in known]
    return _non_overlapping(found)


def learned_spans(nlp: Language, doc: Doc | str, *, scores: bool = True) -> list[LearnedSpan]:
    """Entity and trigger candidates of a learned pipeline for one article, in text order.

    :param nlp: a pipeline written by :func:`annotator.learn.train_pipeline` (or loaded from a version)
    :param doc: the article text, or a Doc of it (its tokens are kept, so the token offsets match it)
    :param scores: also compute each NER span's confidence (a beam parse: about doubles the time)
    """
    copy = _tokens_copy(nlp, doc)
    known = learned_labels(nlp)
    found: list[LearnedSpan] = []
    if ENTITIES_PIPE in nlp.pipe_names:
        found += _ner_spans(nlp, ENTITIES_PIPE, copy, Layer.ENTITY, known[Layer.ENTITY], scores)
    if TRIGGERS_PIPE in nlp.pipe_names:
        # The trigger component writes doc.ents too when it is an NER: give it its own tokens.
        trigger_doc = _tokens_copy(nlp, copy)
        if nlp.get_pipe_meta(TRIGGERS_PIPE).factory == "spancat":
            found += _spancat_spans(nlp, TRIGGERS_PIPE, trigger_doc, known[Layer.EVENT])
        else:
            found += _ner_spans(nlp, TRIGGERS_PIPE, trigger_doc, Layer.EVENT, known[Layer.EVENT], scores)
    return sorted(found, key=lambda s: (s.start, s.layer, s.end))
