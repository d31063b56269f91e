"""Learned triggers: which words of a parsed Doc are event triggers, scored by a model trained on
other people's annotations (scripts/train_triggers.py; data and licences in docs/suggester.md).

The model is a logistic regression over each candidate word's features: its form, lemma, part of
speech, dependency and head, its neighbours, whether a trigger rule matches it (the rules are one
feature among others) and the shipped pipeline's own token vector (``doc.tensor``, which the tagger
and parser already computed, so scoring costs a dot product per word). It needs a parse: with rules
alone the suggester keeps the rules.

Only where triggers are is learned; the ACLED type still comes from the rules and the classifier.
"""

from __future__ import annotations

import json
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from spacy.tokens import Doc

from annotator.suggest.events.triggers import TriggerSet, lemma_of, matches

MODEL_FILE = "weights.npz"
META_FILE = "meta.json"
FORMAT = 1
# Words that can be triggers at all; the rest are never suggested ("in", "the", numbers).
CANDIDATE_POS = frozenset({"VERB", "NOUN", "ADJ", "PROPN"})


class TriggerModelError(ValueError):
    """The trigger model's files are missing or do not fit this code; the message names the file."""


def candidates(doc: Doc, words: tuple[list[str], list[str]] | None = None) -> list[int]:
    """Indices of the words that can be triggers; ``words``: :func:`doc_words` of ``doc`` if at hand."""
    if words is not None:
        return [i for i, pos in enumerate(words[1]) if pos in CANDIDATE_POS]
    return [t.i for t in doc if t.pos_ in CANDIDATE_POS]


def rule_hits(doc: Doc, triggers: TriggerSet, found=None) -> dict[int, str]:
    """Token index -> label of the first trigger rule matching there (the rules as a feature).
    ``found``: ``matches(doc, triggers)`` when the caller has them already."""
    hits: dict[int, str] = {}
    for start, end, rule in matches(doc, triggers) if found is None else found:
        for i in range(start, end):
            hits.setdefault(i, rule.label)
    return hits


def doc_words(doc: Doc) -> tuple[list[str], list[str]]:
    """Every token's lower-case form and part of speech, read once per Doc for token_features
    (which reads each word's neighbours: four tokens looked up again for every candidate)."""
    return [t.lower_ for t in doc], [t.pos_ for t in doc]


def token_features(doc: Doc, i: int, hits: dict[int, str],
                   words: tuple[list[str], list[str]] | None = None) -> list[str]:
    """``words``: :func:`doc_words` of ``doc``, when the caller scores many of its tokens."""
    lower, pos = words if words is not None else doc_words(doc)
    token = doc[i]
    lemma = lemma_of(token)
    head = token.head
    features = [
        "bias", f"w={token.lower_}", f"l={lemma}", f"p={token.pos_}", f"t={token.tag_}", f"d={token.dep_}",
        f"s3={token.lower_[-3:]}", f"shape={token.shape_[:4]}", f"lp={lemma}|{token.pos_}",
        f"hl={lemma_of(head)}", f"hp={head.pos_}", f"dh={token.dep_}|{head.pos_}",
        f"ent={token.ent_type_ or '-'}", f"title={token.is_title and i > token.sent.start}",
    ]
    for child in token.children:
        features.append(f"cd={child.dep_}")
        if child.dep_ in {"dobj", "nsubj", "nsubjpass", "prt", "prep", "amod", "compound"}:
            features.append(f"c={child.dep_}|{lemma_of(child)}")
    for offset in (-2, -1, 1, 2):
        j = i + offset
        if 0 <= j < len(lower):
            features.append(f"n{offset}={lower[j]}")
            features.append(f"np{offset}={pos[j]}")
        else:
            features.append(f"n{offset}=<edge>")
    rule = hits.get(i)
    features.append(f"rule={rule or '-'}")
    if rule:
        features.append(f"rule|p={token.pos_}")
    return features


# Feature strings recur (a word, its tag, its neighbours): their hashes are kept, per number of bits.
_HASHES: dict[int, dict[str, int]] = {}
_HASHES_KEPT = 500_000


def hashed(features: list[str], bits: int) -> np.ndarray:
    known = _HASHES.setdefault(bits, {})
    if len(known) > _HASHES_KEPT:
        known.clear()  # a memory bound for very long runs; the hashes are computed again
    mask = (1 << bits) - 1
    indices = []
    for feature in features:
        index = known.get(feature)
        if index is None:
            index = known[feature] = zlib.crc32(feature.encode("utf-8")) & mask
        indices.append(index)
    return np.array(indices, dtype=np.int64)


@dataclass
class TriggerModel:
    """Weights of the hashed features and of the token vector, and the decision threshold."""

    sparse: np.ndarray  # (2 ** bits,) float32
    dense: np.ndarray  # (tensor width,) float32
    threshold: float  # a word no rule matches becomes a trigger from this probability up
    meta: dict
    # A word a rule matches stays a trigger unless the model gives it less than this: the rules are
    # precise, so overruling them needs more certainty than adding a word they missed.
    keep_threshold: float = 0.0

    @property
    def bits(self) -> int:
        return int(self.meta["bits"])

    def probabilities(self, doc: Doc, hits: dict[int, str]) -> dict[int, float]:
        """Candidate token index -> probability that it is (part of) an event trigger."""
        if not doc.has_annotation("DEP") or not doc.has_annotation("POS"):
            return {}
        tensor = doc.tensor if getattr(doc.tensor, "shape", (0, 0))[-1:] == (self.dense.shape[0],) else None
        found = {}
        words = doc_words(doc)
        for i in candidates(doc, words):
            score = float(self.sparse[hashed(token_features(doc, i, hits, words), self.bits)].sum())
            if tensor is not None and len(tensor) == len(doc):
                score += float(tensor[i] @ self.dense)
            found[i] = 1.0 / (1.0 + np.exp(-score))
        return found

    def save(self, directory: Path, **meta) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        np.savez_compressed(directory / MODEL_FILE, sparse=self.sparse.astype(np.float16),
                            dense=self.dense.astype(np.float32))
        self.meta.update(meta, threshold=self.threshold, keep_threshold=self.keep_threshold, format=FORMAT)
        (directory / META_FILE).write_text(json.dumps(self.meta, indent=2, sort_keys=True) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, directory: Path) -> "TriggerModel":
        try:
            meta = json.loads((directory / META_FILE).read_text(encoding="utf-8"))
            arrays = np.load(directory / MODEL_FILE)
            sparse, dense = arrays["sparse"].astype(np.float32), arrays["dense"].astype(np.float32)
        except (OSError, ValueError, KeyError) as exc:
            raise TriggerModelError(f"{directory}: cannot read the trigger model: {exc}") from exc
        if meta.get("format") != FORMAT or sparse.shape != (1 << int(meta.get("bits", 0)),):
            raise TriggerModelError(f"{directory / META_FILE}: format {meta.get('format')!r} with "
                                    f"{sparse.shape[0]} weights does not fit this version (format {FORMAT})")
        return cls(sparse, dense, float(meta["threshold"]), meta, float(meta.get("keep_threshold", 0.0)))


def shipped_trigger_model(base_model: str) -> tuple[TriggerModel | None, str | None]:
    """(the shipped trigger model, None) when it was trained on the features of ``base_model``
    ("en_core_web_sm-3.8.0"); else (None, why the rules alone find triggers)."""
    from annotator import config

    directory = config.trigger_model_dir()
    if not (directory / META_FILE).exists():
        return None, f"no learned trigger model in {directory}: triggers by the rules alone"
    try:
        model = TriggerModel.load(directory)
    except TriggerModelError as exc:
        return None, f"{exc}: triggers by the rules alone"
    trained_on = model.meta.get("base_model")
    if trained_on != base_model:
        # Its features (token vectors, tags) are that pipeline's; another pipeline's would mislead it.
        return None, (f"the learned trigger model was trained on {trained_on}, not {base_model}: "
                      "triggers by the rules alone")
    return model, None


@dataclass
class TrainingRows:
    """Candidate words of many Docs: hashed features, token vectors and labels (1, 0)."""

    features: list[np.ndarray]
    tensors: list[np.ndarray]
    labels: list[int]
    groups: list[str]  # which document or source each row came from, for cross-validation
    weights: list[float] = field(default_factory=list)  # how much each row counts (default 1)

    @classmethod
    def empty(cls) -> "TrainingRows":
        return cls([], [], [], [], [])

    def add(self, doc: Doc, hits: dict[int, str], labels: dict[int, int], group: str, bits: int,
            weights: dict[int, float] | None = None) -> None:
        """``labels``: token index -> 1 (trigger) or 0 (not); tokens left out are missing, not negatives.
        ``weights``: token index -> how much its row counts (default 1)."""
        width = doc.tensor.shape[1] if doc.tensor.size else 0
        words = doc_words(doc)
        for i in candidates(doc, words):
            if i not in labels:
                continue
            self.features.append(hashed(token_features(doc, i, hits, words), bits))
            self.tensors.append(doc.tensor[i] if width else np.zeros(0, dtype=np.float32))
            self.labels.append(labels[i])
            self.groups.append(group)
            self.weights.append((weights or {}).get(i, 1.0))

    def subset(self, keep) -> "TrainingRows":
        index = [k for k, group in enumerate(self.groups) if keep(group)]
        return TrainingRows([self.features[k] for k in index], [self.tensors[k] for k in index],
                            [self.labels[k] for k in index], [self.groups[k] for k in index],
                            [self.row_weight(k) for k in index])

    def row_weight(self, k: int) -> float:
        return self.weights[k] if k < len(self.weights) else 1.0

    def extend(self, other: "TrainingRows") -> None:
        self.weights = [self.row_weight(k) for k in range(len(self.labels))]
        self.features += other.features
        self.tensors += other.tensors
        self.labels += other.labels
        self.groups += other.groups
        self.weights += [other.row_weight(k) for k in range(len(other.labels))]


def fit(rows: TrainingRows, *, bits: int, threshold: float = 0.5, regularisation: float = 1.0,
        positive_weight: float = 1.0, vector_scale: float = 1.0) -> TriggerModel:
    """A logistic regression on ``rows`` (scikit-learn, from the ``test`` extra: training is a
    developer's step, the app only reads the weights).

    ``vector_scale``: the token vectors are multiplied by it for training and their weights by it
    after, so the model scores the vectors as they are, while the regularisation holds their weights
    1/scale² times harder to zero than the hashed features' (0.3: the 96 dense values of a word count
    for less against its words and parse, which held-out reports reward, bench/trigger_variants.py)."""
    from scipy.sparse import csr_matrix, hstack
    from sklearn.linear_model import LogisticRegression

    if not rows.labels or len(set(rows.labels)) < 2:
        raise TriggerModelError("training needs both trigger and non-trigger words")
    indptr = np.cumsum([0] + [len(f) for f in rows.features])
    indices = np.concatenate(rows.features)
    sparse = csr_matrix((np.ones(len(indices), dtype=np.float32), indices, indptr), shape=(len(rows.labels), 1 << bits))
    sparse.sum_duplicates()
    width = max(len(t) for t in rows.tensors)
    dense = np.stack([t if len(t) == width else np.zeros(width, dtype=np.float32) for t in rows.tensors]) * vector_scale
    matrix = hstack([sparse, csr_matrix(dense)]).tocsr()
    labels = np.array(rows.labels)
    weights = np.array([rows.row_weight(k) for k in range(len(labels))]) * np.where(labels == 1, positive_weight, 1.0)
    # The bias is the hashed "bias" feature: no separate intercept, so inference is one sum.
    model = LogisticRegression(C=regularisation, fit_intercept=False, max_iter=400, solver="liblinear")
    model.fit(matrix, labels, sample_weight=weights)
    coefficients = model.coef_[0].astype(np.float32)
    return TriggerModel(coefficients[: 1 << bits], coefficients[1 << bits :] * np.float32(vector_scale), threshold,
                        {"bits": bits, "tensor_width": width, "regularisation": regularisation,
                         "positive_weight": positive_weight, "vector_scale": vector_scale})
