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
from typing import NamedTuple

import numpy as np
from spacy.attrs import DEP, ENT_TYPE, HEAD, IS_TITLE, LEMMA, LOWER, POS, SENT_START, SHAPE, TAG
from spacy.parts_of_speech import NAMES as POS_NAMES
from spacy.tokens import Doc

from annotator.suggest.events.triggers import TriggerSet, lemma_of, matches

MODEL_FILE = "weights.npz"
META_FILE = "meta.json"
FORMAT = 1
# Words that can be triggers at all; the rest are never suggested ("in", "the", numbers).
CANDIDATE_POS = frozenset({"VERB", "NOUN", "ADJ", "PROPN"})


class TriggerModelError(ValueError):
    """The trigger model's files are missing or do not fit this code; the message names the file."""


def candidates(doc: Doc, words: "DocWords | None" = None) -> list[int]:
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


class DocWords(NamedTuple):
    """What :func:`token_features` reads of every token of one Doc, looked up once per Doc.

    Scoring reads each candidate's head, children and neighbours: read through spaCy's Token
    objects (a new one made for every look-up), that was most of the time of scoring a Doc. The
    first two fields are the lower-case forms and parts of speech (:func:`candidates` reads those)."""

    lower: list[str]
    pos: list[str]
    lemma: list[str]  # lemma_of each token
    tag: list[str]
    dep: list[str]
    shape: list[str]
    ent_type: list[str]
    head: list[int]
    children: list[list[int]]  # in the order Token.children gives them
    title: list[bool]
    # The first token of each token's sentence; None when the Doc decides its sentences itself
    # (user hooks) or has none, and Token.sent is asked.
    sentence_start: list[int] | None


_COLUMNS = (LOWER, LEMMA, TAG, DEP, SHAPE, ENT_TYPE, POS, IS_TITLE, HEAD, SENT_START)


def doc_words(doc: Doc) -> DocWords:
    """Every token's attributes for token_features, read in one array (Doc.to_array) and looked up
    in the string store: the same values as the Token's ``lower_``, ``pos_``, ``head``... ."""
    if not len(doc):
        return DocWords([], [], [], [], [], [], [], [], [], [], [])
    array = doc.to_array(_COLUMNS)
    lower_ids, lemma_ids, tag_ids, dep_ids, shape_ids, ent_ids, pos_ids, titles = array[:, :8].T.tolist()
    # Offsets to the head and sentence starts (-1, 0, 1) are signed, stored unsigned.
    head_offsets, starts = array[:, 8:].astype(np.int64).T.tolist()
    strings = doc.vocab.strings
    names: dict[int, str] = {}

    def text(ids: list[int]) -> list[str]:
        found = []
        for key in ids:
            name = names.get(key)
            if name is None:
                name = names[key] = strings[key]
            found.append(name)
        return found

    lower = text(lower_ids)
    if doc.has_annotation("LEMMA"):
        lemma = [name.lower() for name in text(lemma_ids)]
    else:
        lemma = [lemma_of(token) for token in doc]
    heads = [i + offset for i, offset in enumerate(head_offsets)]
    children: list[list[int]] = [[] for _ in heads]
    for i, head in enumerate(heads):
        if head != i:
            children[head].append(i)
    sentence_start = None
    if not (doc.user_hooks or doc.user_token_hooks or doc.user_span_hooks) and doc.has_annotation("SENT_START"):
        sentence_start, current = [], 0
        for i, start in enumerate(starts):
            if start == 1:
                current = i
            sentence_start.append(current)
    return DocWords(lower, [POS_NAMES[p] for p in pos_ids], lemma, text(tag_ids), text(dep_ids), text(shape_ids),
                    text(ent_ids), heads, children, [bool(t) for t in titles], sentence_start)


def token_features(doc: Doc, i: int, hits: dict[int, str], words: DocWords | None = None) -> list[str]:
    """``words``: :func:`doc_words` of ``doc``, when the caller scores many of its tokens."""
    words = words if words is not None else doc_words(doc)
    lower, pos, lemmas, deps = words.lower, words.pos, words.lemma, words.dep
    lemma, dep, word, part = lemmas[i], deps[i], lower[i], pos[i]
    head = words.head[i]
    title = words.title[i] and i > (words.sentence_start[i] if words.sentence_start is not None
                                    else doc[i].sent.start)
    features = [
        "bias", f"w={word}", f"l={lemma}", f"p={part}", f"t={words.tag[i]}", f"d={dep}",
        f"s3={word[-3:]}", f"shape={words.shape[i][:4]}", f"lp={lemma}|{part}",
        f"hl={lemmas[head]}", f"hp={pos[head]}", f"dh={dep}|{pos[head]}",
        f"ent={words.ent_type[i] or '-'}", f"title={title}",
    ]
    for child in words.children[i]:
        child_dep = deps[child]
        features.append(f"cd={child_dep}")
        if child_dep in {"dobj", "nsubj", "nsubjpass", "prt", "prep", "amod", "compound"}:
            features.append(f"c={child_dep}|{lemmas[child]}")
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
        features.append(f"rule|p={part}")
    return features


# Feature strings recur (a word, its tag, its neighbours): their hashes are kept, per number of bits.
_HASHES: dict[int, dict[str, int]] = {}
_HASHES_KEPT = 500_000


def hashed(features: list[str], bits: int) -> np.ndarray:
    return np.array(hash_indices(features, bits), dtype=np.int64)


def hash_indices(features: list[str], bits: int) -> list[int]:
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
    return indices


# numpy sums up to this many float32 values in eight running sums (its pairwise sum's block).
_NUMPY_BLOCK = 128


def row_sums(weights: np.ndarray, rows: list[list[int]]) -> np.ndarray:
    """``weights[row].sum()`` for each row of indices, to the bit: the rows of one length are summed
    together, in the order numpy sums one short float32 row (below 8 values one by one; else eight
    running sums over the blocks of eight, combined in pairs, then the rest one by one). One gather
    per length instead of an array, a gather and a sum per candidate word."""
    sums = np.zeros(len(rows), dtype=np.float32)
    by_length: dict[int, list[int]] = {}
    for k, row in enumerate(rows):
        by_length.setdefault(len(row), []).append(k)
    for length, where in by_length.items():
        if length == 0:
            continue
        if length > _NUMPY_BLOCK:  # numpy halves longer rows recursively: let it
            for k in where:
                sums[k] = weights[np.array(rows[k], dtype=np.int64)].sum()
            continue
        values = weights[np.array([rows[k] for k in where], dtype=np.int64)]
        if length < 8:
            total = values[:, 0].copy()
            for j in range(1, length):
                total += values[:, j]
        else:
            whole = length - length % 8
            running = values[:, 0:8].copy()
            for j in range(8, whole, 8):
                running += values[:, j : j + 8]
            total = (((running[:, 0] + running[:, 1]) + (running[:, 2] + running[:, 3]))
                     + ((running[:, 4] + running[:, 5]) + (running[:, 6] + running[:, 7])))
            for j in range(whole, length):
                total += values[:, j]
        sums[where] = total
    return sums


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
        if tensor is not None and len(tensor) != len(doc):
            tensor = None
        found = {}
        words = doc_words(doc)
        chosen = candidates(doc, words)
        sums = row_sums(self.sparse, [hash_indices(token_features(doc, i, hits, words), self.bits) for i in chosen])
        for i, hashed_sum in zip(chosen, sums.tolist()):
            score = hashed_sum
            if tensor is not None:
                # One dot product per word, as trained and scored before: a matrix product over
                # all candidates may round the last bit differently.
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
