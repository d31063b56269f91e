"""Learned triggers: what other features, class weights, thresholds and data do to the nested held-out F1.

Run by hand (about a minute per variant on a quiet machine; scikit-learn from the ``test`` extra):
    OMP_NUM_THREADS=1 nice .venv/bin/python -u bench/trigger_variants.py [--variants all|NAME,NAME...]
        [--errors]

Each variant is scored with bench/trigger_quality.py's protocol and nothing else: WikiEvents dev, leave one
document group out (7 groups); for each held-out group the settings (C, the positive class's weight, the
threshold for new words, the probability under which a rule's word is dropped) are chosen by an inner
leave-one-group-out over the six training groups only; the whole event finder runs on the held-out reports;
type-free overlap on the conflict triggers. Printed: pooled P/R/F1 and the mean of the 7 groups' F1, beside
the shipped features ("shipped") in the same run.

Feature variants add features to the shipped ones (learned.token_features) for training and scoring alike:
- rule_lemma: the rule's label joined with the word's lemma (a rule's word the reports do not count);
- rule_context: the rule's label joined with the word's dependency and with its head's lemma;
- entities: the entity types of the word's children, of its head and inside its subtree;
- negation: a negation or a modal verb among the word's or its head's children;
- determiner: the word's determiner or possessive ("the explosion": a repeated mention);
- sentence_rules: how many other words of its sentence a rule matches (0, 1, 2 or more);
- morphology: the word's number and tense;
- rule_lemma+entities: both.
Other variants: no_token_vector (only the hashed features), token_vector_x3 and token_vector_x0.3 (the token
vector scaled by 3 or 0.3 for training, learned.fit's ``vector_scale``: its weights held less or more to zero
than the hashed features'), token_vector_chosen (the scale chosen inside from 0.1, 0.3, 1), positive_weight (the positive class weighted 1 or 3,
chosen inside), keep (a rule's word dropped below 0, 0.02 or 0.05, chosen inside), wide_C (C from 0.3, 1, 3, 10),
low_thresholds (new words from 0.15 up), event_location (its sentences at weight 0.3: the marked verb a positive
where a rule matches it, the marked places negatives, every other word missing);
location_positives (event_location's 5,719 marked event verbs as positives, every other word of those sentences
missing, their weight chosen inside from 0.03, 0.1, 0.3); location_lexicon (a feature: how often event_location's
annotators marked the word's lemma where it stood, bucketed); unruled_rows (the model trained only on the words
no rule matches, the words it decides while keep is 0); rule_word_model (a second model, trained on the rules'
words alone, may drop a rule's word below a keep threshold chosen inside from 0 to 0.5); wordnet and
wordnet_narrow (a feature: the labels of the trigger rules' words the word is, or is a kind of, in WordNet, from
its 3 commonest senses up to 3 hypernym steps, or its first sense and 1 step; bench/trigger_wordnet.py, needs
``apt-get install wordnet-base``); noun_threshold (a noun no rule matches is suggested from its own threshold,
chosen inside from 0.1 to 0.5 beside the threshold of other words).
Tried by trig23 (docs/suggester.md): genericity (a feature variant: the suggester's own modality reading of the
word, a bare plural, "such as", the word governing it through a preposition); rule_lexicon (a feature variant,
for a word no rule matches: the label of the rule that lists its lemma in any form, one feature shared by all
such words); genericity+rule_lexicon; family_keep (the model may drop a rule's word below a keep chosen inside
from 0 to 0.2, but only a word whose lemma was a rule's word FAMILY_SEEN times or more in the training groups);
genericity_family_keep (both); location_conflict (as location_positives, from the event_location sentences where
a trigger rule matches some word only); features_chosen (the feature set itself a setting of the inner
cross-validation, from CHOSEN_FEATURE_SETS); averaged (the mean probability of the models at C 1 and 3 and vector
scale 0.1 and 0.3); bagged (the mean of BAGS models, each trained on a seeded draw with replacement of the
training reports); document_salience (a feature variant: how many words of the report a rule of the word's label
matches, and whether one does in its first sentence); genericity+document_salience; ecbplus_conflict (ECB+'s
development articles, reserved topics never read: their annotated event mentions as positives in the sentences
where a trigger rule matches some word, every other word missing, weight chosen inside from 0.03, 0.1, 0.3).

``--errors``: for the shipped features with the shipped settings (C 3, token vectors at scale 0.1, new words from
0.3), every held-out
false positive and missed trigger, one line each (group, word, part of speech, dependency, whether a rule
matches it, the model's probability, the sentence), counted by kind; the span extent check (gold triggers of more
than one word, misses with a suggestion on the word beside them, false positives beside a gold trigger, each
listed); then the lemmas the gold marks in some places and not in others: what docs/suggester.md's error counts come from.
Reserved data is never read: not the WikiEvents test split, nor event_location's reserved sources.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "scripts"))

import trigger_quality as quality  # noqa: E402
from train_triggers import (  # noqa: E402
    BITS,
    REGULARISATION,
    VECTOR_SCALE,
    THRESHOLD,
    document_group,
    event_location_reports,
    overlaps,
    parsed,
    token_labels,
    wikievents_reports,
)

import annotator.suggest.events.learned as learned  # noqa: E402
from annotator.suggest.events import TriggerSet, load_triggers  # noqa: E402
from annotator.suggest.events.learned import TrainingRows, rule_hits  # noqa: E402
from annotator.suggest.events.triggers import lemma_of  # noqa: E402

SHIPPED_FEATURES = learned.token_features
NEGATIONS = {"not", "n't", "never", "no", "without"}
MODALS = {"may", "might", "could", "would", "will", "should", "can", "must"}
FEATURE_VARIANTS = ("rule_lemma", "rule_context", "entities", "negation", "determiner", "sentence_rules",
                    "morphology", "rule_lemma+entities", "genericity", "rule_lexicon", "genericity+rule_lexicon", "document_salience",
                    "genericity+document_salience")
OTHER_VARIANTS = ("no_token_vector", "token_vector_x3", "token_vector_x0.3", "token_vector_chosen", "positive_weight", "keep",
                  "wide_C", "low_thresholds", "event_location", "location_positives", "location_lexicon",
                  "unruled_rows", "rule_word_model", "wordnet", "wordnet_narrow",
                  "rule_negatives_missing", "noun_threshold", "family_keep", "genericity_family_keep",
                  "location_conflict", "features_chosen", "averaged", "bagged", "ecbplus_conflict")
# ECB+ topics reserved for independent evaluation: never read (as bench/link_bench.py)
ECBPLUS_RESERVED_TOPICS = {3, 8, 12, 16, 18, 19, 22, 32, 33, 41, 45}
# averaged: the models of these (C, vector scale) settings, their probabilities averaged
AVERAGED_SETTINGS = ((1.0, 0.1), (3.0, 0.1), (1.0, 0.3), (3.0, 0.3))
BAGS = 10  # bagged: models each trained on a seeded draw of the training reports (with replacement)
# family_keep: a rule's word may be dropped only if its lemma was a rule's word this many times in the training groups
FAMILY_SEEN = 5
FAMILY_KEEPS = (0.0, 0.05, 0.1, 0.2)  # below every threshold for new words, so a kept probability never adds a word
# location_positives: the weights of event_location's marked verbs the inner cross-validation chooses from
LOCATION_POSITIVE_WEIGHTS = (0.03, 0.1, 0.3)
LOCATION_WEIGHT = 0.3


def extra_features(names: set[str]):
    """token_features with the named additions."""
    def features(doc, i, hits, words=None):
        found = SHIPPED_FEATURES(doc, i, hits, words)
        token, rule = doc[i], hits.get(i)
        if "rule_lemma" in names:
            found.append(f"rl={rule or '-'}|{lemma_of(token)}")
        if "rule_context" in names and rule:
            found += [f"rd={rule}|{token.dep_}", f"rh={rule}|{lemma_of(token.head)}"]
        if "entities" in names:
            found += [f"ce={c.dep_}|{c.ent_type_}" for c in token.children if c.ent_type_]
            if token.head.ent_type_:
                found.append(f"he={token.head.ent_type_}")
            found += [f"se={t.ent_type_}" for t in token.subtree if t.ent_type_ and t.i != i]
        if "negation" in names:
            near = {c.lower_ for c in token.children} | {c.lower_ for c in token.head.children if c.dep_ in ("neg", "aux")}
            found += [cue for cue, words_of in (("neg", NEGATIONS), ("modal", MODALS)) if near & words_of]
        if "determiner" in names:
            found += [f"det={c.lower_}" for c in token.children if c.dep_ in ("det", "poss")]
        if "sentence_rules" in names:
            sentence = token.sent
            found.append(f"sr={min(2, sum(1 for j in range(sentence.start, sentence.end) if j in hits and j != i))}")
        if "genericity" in names:
            found += genericity(token)
        if "document_salience" in names:
            found += document_salience(doc, i, hits)
        if "rule_lexicon" in names and not rule:
            found.append(f"rk={rule_label_of_lemma().get(lemma_of(token), '-')}|{token.pos_}")
        if "morphology" in names:
            found += [f"num={token.morph.get('Number')}", f"tense={token.morph.get('Tense')}"]
        return found
    return features


_RULE_LABELS: dict[str, str] = {}


def rule_label_of_lemma() -> dict[str, str]:
    """lemma -> the label of the first trigger rule listing it, in any part of speech (rule_lexicon: "attack"
    without "on", "injuries", "bomb" where the rule wants a weapon: words a rule knows but did not match here;
    one feature shared by all such words of a label, where the lemma feature is one per word)."""
    if not _RULE_LABELS:
        for rule in load_triggers():
            for lemma in rule.lemmas:
                _RULE_LABELS.setdefault(lemma, rule.label)
    return _RULE_LABELS


def document_salience(doc, i, hits) -> list[str]:
    """How much the report is about the word's kind of event: how many words of the whole report a rule of its
    label matches (0, 1, 2-4, 5 or more), and whether one does in its first sentence (the headline). WikiEvents
    marks the events of each report's scenario, not every attack it mentions; its annotators' habit may follow
    what the report is about. The word's label: its rule's, else the rule's that lists its lemma in any form."""
    label = hits.get(i) or rule_label_of_lemma().get(lemma_of(doc[i]))
    if not label:
        return ["ds=-"]
    labels = Counter(hits.values())
    first = next(iter(doc.sents))
    count = labels[label] - (1 if hits.get(i) == label else 0)  # the other words of its label
    bucket = "0" if count == 0 else "1" if count == 1 else "2-4" if count < 5 else "5+"
    headline = any(hits.get(j) == label for j in range(first.start, first.end) if j != i)
    return [f"ds={bucket}", f"dsh={headline}"]


def genericity(token) -> list[str]:
    """Cues that a word names no event that happened: a bare plural ("terror attacks have risen", "kidnappings
    are commonplace"), a word under "such as", the suggester's own modality reading (attributes.modality:
    "they'll be fired", "tried to assassinate"), and the word governing it through a preposition ("a ban on
    protests", "died of the disease")."""
    from annotator.suggest.events.attributes import modality

    cues = [f"mod={modality(token)}"]
    if token.tag_ in ("NNS", "NNPS") and not any(c.dep_ in ("det", "poss", "nummod") for c in token.children):
        cues.append("bare_plural")
    head = token.head
    if head.lower_ == "as" and any(c.lower_ == "such" for c in head.children):
        cues.append("such_as")
    if token.dep_ == "pobj" and head.head is not head:
        cues.append(f"gov={lemma_of(head.head)}|{head.lower_}")
    return cues


class FamilyKeepModel:
    """family_keep: the model may drop a rule's word (below ``keep_threshold``, chosen inside) only when the
    word's lemma was a rule's word at least FAMILY_SEEN times in the training groups: a family it has seen in
    use and not in use. A rule's word of a family it barely knows ("drone strike", 0.02) keeps its rule.
    Its probability is raised to the highest keep of the grid, which lies below every threshold for new words,
    so this adds no word."""

    def __init__(self, model, known_lemmas):
        self.model, self.known = model, known_lemmas
        self.threshold = self.keep_threshold = 0.0

    def probabilities(self, doc, hits):
        found = self.model.probabilities(doc, hits)
        # The probabilities are remembered once per model, then every keep of the grid is scored: a word of
        # a family it barely knows is raised to the grid's highest keep, which none drops it below.
        return {i: p if i not in hits or lemma_of(doc[i]) in self.known else max(p, max(FAMILY_KEEPS))
                for i, p in found.items()}


class AveragedModel:
    """averaged and bagged: the mean of several models' probabilities for each word."""

    def __init__(self, models):
        self.models = models
        self.threshold = self.keep_threshold = 0.0

    def probabilities(self, doc, hits):
        found = [model.probabilities(doc, hits) for model in self.models]
        return {i: sum(f[i] for f in found) / len(found) for i in found[0]}


class FeatureSetModel:
    """features_chosen: a model trained on the rows of one feature set, scoring with the same features."""

    def __init__(self, model, features):
        self.model, self.features = model, features
        self.threshold = self.keep_threshold = 0.0

    def probabilities(self, doc, hits):
        kept = learned.token_features
        learned.token_features = self.features
        try:
            return self.model.probabilities(doc, hits)
        finally:
            learned.token_features = kept


# features_chosen: the feature sets the inner cross-validation chooses from (named before any of them was run)
CHOSEN_FEATURE_SETS = ("shipped", "genericity", "rule_lexicon", "genericity+rule_lexicon", "document_salience",
                    "genericity+document_salience")


class VariantCV(quality.GroupCV):
    """GroupCV whose settings also hold the positive class's weight, with the grids of one variant."""

    # features_chosen: feature set name -> (its training rows, its token_features); the set is a setting
    rows_by_features: dict | None = None

    def __init__(self, *args, thresholds, keeps, extra_rows=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.thresholds, self.keeps, self.extra_rows = thresholds, keeps, extra_rows

    rule_rows = None  # rule_word_model: a second model, of the rule's words alone, decides whether they stay

    family_lemmas = None  # family_keep: (group, lemma) of every rule's word in the training rows

    averaged = False
    bags = 0

    def fit(self, groups, setting):
        if self.averaged:
            return AveragedModel([self.fit_one(self.rows, groups, (c, 1.0, scale)) for c, scale in AVERAGED_SETTINGS])
        if self.bags:
            return AveragedModel([self.fit_one(self.bag(groups, seed), groups, setting) for seed in range(self.bags)])
        model = self.fit_one(self.rows, groups, setting)
        if self.family_lemmas is not None:
            seen = Counter(lemma for group, lemma in self.family_lemmas if group in groups)
            return FamilyKeepModel(model, {lemma for lemma, n in seen.items() if n >= FAMILY_SEEN})
        if self.rule_rows is None:
            return model
        return SplitModel(model, self.fit_one(self.rule_rows, groups, setting[:3]))

    def bag(self, groups, seed) -> TrainingRows:
        """bagged: the rows of a draw, with replacement, of as many training reports as there are (seeded by the
        training groups and the bag's number, so a run is repeatable); a report drawn twice counts twice."""
        import random

        reports = sorted({key for key, group in self.row_reports if group in groups})
        draw = Counter(random.Random(f"{seed}|{sorted(groups)}").choices(reports, k=len(reports)))
        index = [k for k, (key, _) in enumerate(self.row_reports) if draw[key]]
        return TrainingRows([self.rows.features[k] for k in index], [self.rows.tensors[k] for k in index],
                            [self.rows.labels[k] for k in index], [self.rows.groups[k] for k in index],
                            [self.rows.row_weight(k) * draw[self.row_reports[k][0]] for k in index])

    def fit_one(self, rows, groups, setting):
        if self.rows_by_features is not None and isinstance(setting[-1], str):
            *setting, feature_set = setting
            rows, features = self.rows_by_features[feature_set]
            return FeatureSetModel(self.fit_one(rows, groups, tuple(setting)), features)
        regularisation, positive_weight, vector_scale, *extra_weight = setting
        train = rows.subset(lambda g: g in groups)
        if self.extra_rows is not None:
            extra = self.extra_rows.subset(lambda g: True)
            if extra_weight:  # the extra rows' weight is one of the settings chosen inside
                extra.weights = [w * extra_weight[0] for w in extra.weights]
            train.extend(extra)
        return learned.fit(train, bits=BITS, regularisation=regularisation, positive_weight=positive_weight,
                           vector_scale=vector_scale)

    # noun_thresholds: a noun's own threshold for new words, chosen inside as well (None: the one threshold)
    noun_thresholds = (None,)
    noun_threshold = None
    nouns_chosen: list = []  # per choice, for --chosen

    def choose(self, groups, settings):
        counts = defaultdict(Counter)
        for held in groups:
            for setting in settings:
                model = self.fit(set(groups) - {held}, setting)
                docs = self.docs(held)
                self.remember_probabilities(model, docs)
                for threshold in self.thresholds:
                    for keep in self.keeps:
                        for noun in self.noun_thresholds:
                            self.noun_threshold = noun
                            model.threshold, model.keep_threshold = threshold, keep
                            counts[(setting, threshold, keep, noun)].update(self.score_cached(model, docs))
        # Ties as in trigger_quality: the higher threshold, the stronger regularisation, the lower keep.
        best = max(counts, key=lambda k: (round(quality.prf(counts[k])[2], 4), k[1], -k[0][0], -k[2],
                                          k[3] if k[3] is not None else -1))
        # The outer scoring that follows (GroupCV.nested) uses the noun threshold chosen here.
        self.noun_threshold = best[3]
        self.nouns_chosen.append(best[3])
        return best[:3], quality.prf(counts[best])[2]

    def score_cached(self, model, docs) -> Counter:
        if self.noun_threshold is None:
            return super().score_cached(model, docs)
        counts = Counter()
        finder = NounThresholdFinder(self.suggester.gazetteer, list(self.triggers.rules), model)
        finder.noun_threshold = self.noun_threshold
        for report, doc in docs:
            events = finder.find(doc, self.entities[id(doc)])
            quality.score(counts, [(doc[e.start].idx, doc[e.end - 1].idx + len(doc[e.end - 1])) for e in events], report)
        return counts


class NounThresholdFinder(quality.ScoredFinder):
    """noun_threshold variant: a noun no rule matches becomes a trigger from its own threshold (its probability
    is scaled so that the finder's one comparison with ``threshold`` asks that; a rule's word is kept as before)."""

    noun_threshold = 0.3

    def _learned(self, doc, found=None):
        probabilities = super()._learned(doc, found)
        if self.model is None:  # the rules alone
            return probabilities
        factor = self.model.threshold / self.noun_threshold
        return {i: min(1.0, p * factor) if doc[i].pos_ in ("NOUN", "PROPN") else p for i, p in probabilities.items()}


def location_rows(nlp, triggers) -> TrainingRows:
    rows = TrainingRows.empty()
    for report, doc in parsed(nlp, event_location_reports(), cache=quality.CACHE):
        hits = rule_hits(doc, triggers)
        labels = {}
        for token in doc:
            if overlaps(token, report.triggers):
                if token.i in hits:
                    labels[token.i] = 1
            elif overlaps(token, report.negatives):
                labels[token.i] = 0
        rows.add(doc, hits, labels, "event_location:" + report.group, BITS, {i: LOCATION_WEIGHT for i in labels})
    return rows


def family_lemmas(pairs, triggers) -> list[tuple[str, str]]:
    """(document group, lemma) of every labelled candidate word a rule matches in the WikiEvents rows."""
    found = []
    for report, doc in pairs:
        hits = rule_hits(doc, triggers)
        labels = token_labels(doc, report)[0]
        found += [(report.group, lemma_of(doc[i])) for i in learned.candidates(doc) if i in hits and i in labels]
    return found


def location_conflict_rows(nlp, triggers) -> TrainingRows:
    """location_conflict: as location_positive_rows, from the sentences where a trigger rule matches some word
    only (an attack, a killing, a protest told there): event_location marks events of every kind, and the
    finder drops a word it cannot type from its sentence."""
    rows = TrainingRows.empty()
    for report, doc in parsed(nlp, event_location_reports(), cache=quality.CACHE):
        hits = rule_hits(doc, triggers)
        if not hits:
            continue
        labels = {t.i: 1 for t in doc if overlaps(t, report.triggers)}
        rows.add(doc, hits, labels, "event_location:" + report.group, BITS)
    return rows


def ecbplus_conflict_rows(nlp, triggers) -> TrainingRows:
    """ecbplus_conflict: ECB+'s development articles (reserved topics never read), their annotated event mentions
    as positives in the sentences where a trigger rule matches some word, every other word missing: ECB+ marks the
    mentions of its topics' events (shootings, arrests, but also earthquakes and film roles), not every event."""
    import json

    from train_triggers import DATA, Report

    reports = []
    with (DATA / "ecbplus" / "dev.jsonl").open(encoding="utf-8") as lines:
        for line in lines:
            article = json.loads(line)
            if article["topic"] in ECBPLUS_RESERVED_TOPICS:
                continue
            reports.append(Report(f"ecbplus:{article['topic']}", article["text"],
                                  [(e["start"], e["end"]) for e in article["events"]], fully_annotated=False))
    rows = TrainingRows.empty()
    for report, doc in parsed(nlp, reports, cache=quality.CACHE):
        hits = rule_hits(doc, triggers)
        told = {doc[i].sent.start for i in hits}
        labels = {t.i: 1 for t in doc if t.sent.start in told and overlaps(t, report.triggers)}
        rows.add(doc, hits, labels, report.group, BITS)
    return rows


def location_positive_rows(nlp, triggers) -> TrainingRows:
    """event_location's marked event verbs as positives of weight 1 (the setting scales it); every other
    word of those sentences is missing, not a negative (nobody said it is no event)."""
    rows = TrainingRows.empty()
    for report, doc in parsed(nlp, event_location_reports(), cache=quality.CACHE):
        labels = {t.i: 1 for t in doc if overlaps(t, report.triggers)}
        rows.add(doc, rule_hits(doc, triggers), labels, "event_location:" + report.group, BITS)
    return rows


class SplitModel:
    """rule_word_model: new words scored by the model of every word, a rule's word by a model trained on
    the rules' words alone (is this rule's word a trigger here?), against ``keep_threshold``."""

    def __init__(self, every_word, rule_words):
        self.every_word, self.rule_words = every_word, rule_words
        self.threshold = self.keep_threshold = 0.0

    def probabilities(self, doc, hits):
        found = self.every_word.probabilities(doc, hits)
        for_rules = self.rule_words.probabilities(doc, hits)
        return {i: for_rules[i] if i in hits else p for i, p in found.items()}


def ruled_rows(pairs, triggers) -> TrainingRows:
    """WikiEvents rows of the words a rule matches only."""
    rows = TrainingRows.empty()
    for report, doc in pairs:
        hits = rule_hits(doc, triggers)
        labels = {i: label for i, label in token_labels(doc, report)[0].items() if i in hits}
        rows.add(doc, hits, labels, report.group, BITS)
    return rows


def rows_without_rule_negatives(pairs, triggers) -> TrainingRows:
    """WikiEvents rows where a rule's word the gold leaves unmarked is missing, not a negative: about half
    of those are conflict events the gold leaves out (docs/suggester.md), which taught the model that an
    attack is no trigger."""
    rows = TrainingRows.empty()
    for report, doc in pairs:
        hits = rule_hits(doc, triggers)
        labels = {i: label for i, label in token_labels(doc, report)[0].items() if label or i not in hits}
        rows.add(doc, hits, labels, report.group, BITS)
    return rows


def unruled_rows(pairs, triggers) -> TrainingRows:
    """WikiEvents rows of the words no rule matches only: a rule's word stays a trigger whatever the model
    says (keep 0), so the model is trained on the words it decides."""
    rows = TrainingRows.empty()
    for report, doc in pairs:
        hits = rule_hits(doc, triggers)
        labels = {i: label for i, label in token_labels(doc, report)[0].items() if i not in hits}
        rows.add(doc, hits, labels, report.group, BITS)
    return rows


def location_lexicon(nlp) -> dict[str, str]:
    """lemma -> how often event_location's annotators marked it where it stood in their sentences
    (a bucket: "0" never, "lo" under 10 %, "mid" under 30 %, "hi" from 30 %; lemmas met fewer than 3
    times are left out): knowledge of event verbs from 5,719 sentences of other outlets, read by the
    model as one feature whose weight WikiEvents sets."""
    met, marked = Counter(), Counter()
    for report, doc in parsed(nlp, event_location_reports(), cache=quality.CACHE):
        for token in doc:
            if token.pos_ in learned.CANDIDATE_POS:
                lemma = lemma_of(token)
                met[lemma] += 1
                marked[lemma] += overlaps(token, report.triggers)
    buckets = {}
    for lemma, number in met.items():
        if number >= 3:
            rate = marked[lemma] / number
            buckets[lemma] = "0" if rate == 0 else "lo" if rate < 0.1 else "mid" if rate < 0.3 else "hi"
    return buckets


def lexicon_features(lexicon):
    def features(doc, i, hits, words=None):
        found = SHIPPED_FEATURES(doc, i, hits, words)
        token = doc[i]
        found.append(f"elr={lexicon.get(lemma_of(token), '-')}|{token.pos_}")
        return found
    return features


def wordnet_features(relatives):
    """The shipped features and the labels of the trigger rules' words the word is, or is a kind of, in
    WordNet (scripts/trigger_wordnet.py)."""
    def features(doc, i, hits, words=None):
        found = SHIPPED_FEATURES(doc, i, hits, words)
        token = doc[i]
        pos = "v" if token.pos_ == "VERB" else "n" if token.pos_ in {"NOUN", "PROPN"} else None
        labels = relatives.get(f"{lemma_of(token)}|{pos}", ()) if pos else ()
        found += [f"wn={label}" for label in labels] or ["wn=-"]
        return found
    return features


def run_variant(name, suggester, triggers, pairs):
    learned.token_features = extra_features(set(name.split("+")) if name in FEATURE_VARIANTS else
                                            {"genericity"} if name == "genericity_family_keep" else set())
    if name == "location_lexicon":
        learned.token_features = lexicon_features(location_lexicon(suggester.nlp))
    if name in ("wordnet", "wordnet_narrow"):
        from trigger_wordnet import rule_relatives, rule_words_of

        narrow = {"senses_kept": 1, "depth": 1} if name == "wordnet_narrow" else {}
        learned.token_features = wordnet_features(rule_relatives(rule_words_of(triggers.rules), **narrow))
    try:
        thresholds = (0.15, 0.2, 0.25) + quality.THRESHOLDS if name == "low_thresholds" else quality.THRESHOLDS
        keeps = ((0.0, 0.02, 0.05) if name == "keep" else (0.0, 0.1, 0.2, 0.3, 0.4, 0.5) if name == "rule_word_model"
                 else FAMILY_KEEPS if name in ("family_keep", "genericity_family_keep") else (0.0,))
        regularisations = (0.3, 1.0, 3.0, 10.0) if name == "wide_C" else (1.0, 3.0)
        positive_weights = (1.0, 3.0) if name == "positive_weight" else (1.0,)
        extra = (location_rows(suggester.nlp, triggers) if name == "event_location" else
                 location_positive_rows(suggester.nlp, triggers) if name == "location_positives" else
                 location_conflict_rows(suggester.nlp, triggers) if name == "location_conflict" else
                 ecbplus_conflict_rows(suggester.nlp, triggers) if name == "ecbplus_conflict" else None)
        extra_weights = (LOCATION_POSITIVE_WEIGHTS if name in ("location_positives", "location_conflict", "ecbplus_conflict")
                         else ())
        scales = {"no_token_vector": (0.0,), "token_vector_x3": (3.0,), "token_vector_x0.3": (0.3,),
                  "token_vector_chosen": (0.1, 0.3, 1.0)}.get(name, (VECTOR_SCALE,))
        cv = VariantCV(suggester, triggers, pairs, thresholds=thresholds, keeps=keeps, extra_rows=extra)
        if name == "unruled_rows":
            cv.rows = unruled_rows(pairs, triggers)
        if name == "noun_threshold":
            cv.noun_thresholds, cv.nouns_chosen = (0.1, 0.15, 0.2, 0.3, 0.4, 0.5), []
        if name == "rule_negatives_missing":
            cv.rows = rows_without_rule_negatives(pairs, triggers)
        if name == "rule_word_model":
            cv.rule_rows = ruled_rows(pairs, triggers)
        if name in ("family_keep", "genericity_family_keep"):
            cv.family_lemmas = family_lemmas(pairs, triggers)
        if name == "averaged":
            cv.averaged, regularisations, scales = True, (1.0,), (VECTOR_SCALE,)  # one setting: the average
        if name == "bagged":
            cv.bags = BAGS
            cv.row_reports = []
            for report, doc in pairs:  # as TrainingRows.add: a row per labelled candidate word
                labels = token_labels(doc, report)[0]
                cv.row_reports += [(id(doc), report.group) for i in learned.candidates(doc) if i in labels]
            assert len(cv.row_reports) == len(cv.rows.labels)
        feature_sets = (None,)
        if name == "features_chosen":
            cv.rows_by_features = {}
            for feature_set in CHOSEN_FEATURE_SETS:
                features = extra_features(set(feature_set.split("+")) - {"shipped"})
                learned.token_features = features
                cv.rows_by_features[feature_set] = (quality.training_rows(pairs, triggers), features)
            learned.token_features = SHIPPED_FEATURES
            feature_sets = CHOSEN_FEATURE_SETS
        folds = cv.nested([(c, w, k, *((x,) if extra_weights else ()), *((f,) if f else ()))
                           for c in regularisations for w in positive_weights
                           for k in scales for x in (extra_weights or (None,)) for f in feature_sets],
                          show=lambda fold: None)
        chosen = [fold[3] for fold in folds]
        if name == "noun_threshold":
            chosen.append(("noun thresholds chosen", cv.nouns_chosen))
        if name == "token_vector_chosen":
            chosen.append(("over all 7 groups", cv.choose(cv.groups, [(c, 1.0, k) for c in regularisations
                                                                     for k in scales])))
    finally:
        learned.token_features = SHIPPED_FEATURES
    pooled = sum((fold[2] for fold in folds), Counter())
    mean = sum(quality.prf(fold[2])[2] for fold in folds) / len(folds)
    chosen.append(("F1 per held-out group", {fold[0]: round(quality.prf(fold[2])[2], 3) for fold in folds}))
    return quality.prf(pooled), mean, quality.prf(sum((fold[1] for fold in folds), Counter()))[2], chosen


def show_errors(suggester, triggers, pairs) -> None:
    cv = quality.GroupCV(suggester, triggers, pairs)
    kinds, extent = Counter(), Counter()
    for held in cv.groups:
        model = cv.fit({g for g in cv.groups if g != held}, REGULARISATION)
        model.threshold, model.keep_threshold = THRESHOLD, 0.0
        docs = cv.docs(held)
        cv.remember_probabilities(model, docs)
        finder = quality.ScoredFinder(suggester.gazetteer, list(triggers.rules), model)
        for report, doc in docs:
            probabilities, hits = quality.ScoredFinder.probabilities[id(doc)], rule_hits(doc, triggers)
            events = finder.find(doc, cv.entities[id(doc)])
            spans = [(doc[e.start].idx, doc[e.end - 1].idx + len(doc[e.end - 1]), e) for e in events]
            for start, end, event in spans:
                if not any(quality.overlap((start, end), g) for g in report.triggers + report.missing):
                    kind = "rule's word" if event.start in hits else "model's word"
                    kinds[("false positive", kind)] += 1
                    beside = (doc[max(event.start - 1, 0)].idx, doc[min(event.end, len(doc) - 1)].idx
                              + len(doc[min(event.end, len(doc) - 1)]))
                    extent["false positives"] += 1
                    if any(quality.overlap(beside, g) for g in report.triggers):
                        extent["false positives, a gold trigger on the word beside"] += 1
                        line(held, "FP, gold beside", doc[event.start], kind, probabilities)
                    line(held, "FP", doc[event.start], kind, probabilities)
            for gold in report.triggers:
                words = [t for t in doc if t.idx < gold[1] and gold[0] < t.idx + len(t)]
                extent["gold triggers"] += 1
                extent["of more than one word"] += len(words) > 1
                if not any(quality.overlap(gold, (start, end)) for start, end, _ in spans):
                    token = words[0]
                    extent["missed"] += 1
                    extent["missed, of more than one word"] += len(words) > 1
                    # An extent slip: a suggestion right beside the gold span, touching it by no character.
                    near = (doc[max(words[0].i - 1, 0)].idx, doc[min(words[-1].i + 1, len(doc) - 1)].idx
                            + len(doc[min(words[-1].i + 1, len(doc) - 1)]))
                    if any(quality.overlap(near, (start, end)) for start, end, _ in spans):
                        extent["missed, a suggestion on the word beside it"] += 1
                        line(held, "MISS, suggestion beside", token, "", probabilities)
                    if len(words) > 1:
                        line(held, f"MISS of {len(words)} words", token, "", probabilities)
                    p = probabilities.get(token.i, 0.0)
                    kind = ("a rule matches it (the finder drops it)" if token.i in hits
                            else "the model gives it under 0.1" if p < 0.1 else "the model gives it 0.1 or more")
                    kinds[("missed", kind)] += 1
                    line(held, "MISS", token, kind, probabilities)
    for (what, kind), number in sorted(kinds.items()):
        print(f"{what:<15} {kind:<45} {number}")
    print("\nspan extent (scoring is by overlap): " + ", ".join(f"{k} {v}" for k, v in extent.items()))
    # How the gold itself treats a word: lemmas met 5 times or more that are marked in some places and
    # not in others (repeated mentions included), over all 20 reports.
    labels = defaultdict(Counter)
    for report, doc in pairs:
        for i, label in token_labels(doc, report)[0].items():
            labels[(lemma_of(doc[i]), doc[i].pos_)][label] += 1
    print("\nlemmas the gold marks in some places and not in others (marked / met):")
    mixed = [(key, c) for key, c in labels.items() if c[1] and c[0] and c[0] + c[1] >= 5]
    print(", ".join(f"{lemma} ({pos}) {c[1]}/{c[0] + c[1]}"
                    for (lemma, pos), c in sorted(mixed, key=lambda item: -(item[1][0] + item[1][1]))))


def line(group, what, token, kind, probabilities) -> None:
    sentence = " ".join(token.sent.text.split())[:110]
    print(f"{what:<4} {group:<18} {token.text!r:<14} {token.pos_:<5} {token.dep_:<9} {kind:<40} "
          f"{probabilities.get(token.i, 0.0):.3f} | {sentence}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--variants", default="all", help="comma-separated names (see above), or all")
    parser.add_argument("--errors", action="store_true", help="list the held-out errors of the shipped features")
    parser.add_argument("--with-shipped", action="store_true", help="with named --variants, the shipped features too")
    parser.add_argument("--chosen", action="store_true", help="print the settings each held-out group's inner"
                        " cross-validation chose (and, for token_vector_chosen, the choice over all 7 groups)")
    args = parser.parse_args()
    started = time.perf_counter()
    suggester = quality.with_model(quality.load_suggester(), None)
    triggers = TriggerSet.of(load_triggers())
    pairs = parsed(suggester.nlp, wikievents_reports(), cache=quality.CACHE)
    for report, _ in pairs:
        report.group = document_group(report.group)
    if args.errors:
        show_errors(suggester, triggers, pairs)
        return
    names = FEATURE_VARIANTS + OTHER_VARIANTS if args.variants == "all" else tuple(args.variants.split(","))
    unknown = set(names) - set(FEATURE_VARIANTS + OTHER_VARIANTS)
    if unknown:
        parser.error(f"unknown variants {sorted(unknown)}")
    print(f"{'variant':<22} {'pooled P':>8} {'R':>6} {'F1':>6} {'mean of groups':>15}   (rules alone in the same run)")
    for name in ("shipped", *names) if args.variants == "all" or args.with_shipped else names:
        (p, r, f1), mean, rules, chosen = run_variant(name, suggester, triggers, pairs)
        print(f"{name:<22} {p:>8.3f} {r:>6.3f} {f1:>6.3f} {mean:>15.3f}   ({rules:.3f})  {time.perf_counter() - started:.0f} s",
              flush=True)
        if args.chosen:
            print(f"{'':<22} chosen ((C, positive weight, vector scale), threshold, keep): {chosen}", flush=True)


if __name__ == "__main__":
    main()
