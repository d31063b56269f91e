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

``--errors``: for the shipped features with the shipped settings (C 3, token vectors at scale 0.1, new words from
0.3), every held-out
false positive and missed trigger, one line each (group, word, part of speech, dependency, whether a rule
matches it, the model's probability, the sentence), counted by kind; then the lemmas the gold marks in some
  places and not in others: what docs/suggester.md's error counts come from.
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
                    "morphology", "rule_lemma+entities")
OTHER_VARIANTS = ("no_token_vector", "token_vector_x3", "token_vector_x0.3", "token_vector_chosen", "positive_weight", "keep",
                  "wide_C", "low_thresholds", "event_location", "location_positives", "location_lexicon",
                  "unruled_rows", "rule_word_model", "wordnet", "wordnet_narrow",
                  "rule_negatives_missing", "noun_threshold")
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
        if "morphology" in names:
            found += [f"num={token.morph.get('Number')}", f"tense={token.morph.get('Tense')}"]
        return found
    return features


class VariantCV(quality.GroupCV):
    """GroupCV whose settings also hold the positive class's weight, with the grids of one variant."""

    def __init__(self, *args, thresholds, keeps, extra_rows=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.thresholds, self.keeps, self.extra_rows = thresholds, keeps, extra_rows

    rule_rows = None  # rule_word_model: a second model, of the rule's words alone, decides whether they stay

    def fit(self, groups, setting):
        model = self.fit_one(self.rows, groups, setting)
        if self.rule_rows is None:
            return model
        return SplitModel(model, self.fit_one(self.rule_rows, groups, setting[:3]))

    def fit_one(self, rows, groups, setting):
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
    learned.token_features = extra_features(set(name.split("+")) if name in FEATURE_VARIANTS else set())
    if name == "location_lexicon":
        learned.token_features = lexicon_features(location_lexicon(suggester.nlp))
    if name in ("wordnet", "wordnet_narrow"):
        from trigger_wordnet import rule_relatives, rule_words_of

        narrow = {"senses_kept": 1, "depth": 1} if name == "wordnet_narrow" else {}
        learned.token_features = wordnet_features(rule_relatives(rule_words_of(triggers.rules), **narrow))
    try:
        thresholds = (0.15, 0.2, 0.25) + quality.THRESHOLDS if name == "low_thresholds" else quality.THRESHOLDS
        keeps = ((0.0, 0.02, 0.05) if name == "keep" else (0.0, 0.1, 0.2, 0.3, 0.4, 0.5) if name == "rule_word_model"
                 else (0.0,))
        regularisations = (0.3, 1.0, 3.0, 10.0) if name == "wide_C" else (1.0, 3.0)
        positive_weights = (1.0, 3.0) if name == "positive_weight" else (1.0,)
        extra = (location_rows(suggester.nlp, triggers) if name == "event_location" else
                 location_positive_rows(suggester.nlp, triggers) if name == "location_positives" else None)
        extra_weights = LOCATION_POSITIVE_WEIGHTS if name == "location_positives" else ()
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
        folds = cv.nested([(c, w, k, *((x,) if extra_weights else ())) for c in regularisations for w in positive_weights
                           for k in scales for x in (extra_weights or (None,))],
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
    return quality.prf(pooled), mean, quality.prf(sum((fold[1] for fold in folds), Counter()))[2], chosen


def show_errors(suggester, triggers, pairs) -> None:
    cv = quality.GroupCV(suggester, triggers, pairs)
    kinds = Counter()
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
                    line(held, "FP", doc[event.start], kind, probabilities)
            for gold in report.triggers:
                if not any(quality.overlap(gold, (start, end)) for start, end, _ in spans):
                    token = next(t for t in doc if t.idx < gold[1] and gold[0] < t.idx + len(t))
                    p = probabilities.get(token.i, 0.0)
                    kind = ("a rule matches it (the finder drops it)" if token.i in hits
                            else "the model gives it under 0.1" if p < 0.1 else "the model gives it 0.1 or more")
                    kinds[("missed", kind)] += 1
                    line(held, "MISS", token, kind, probabilities)
    for (what, kind), number in sorted(kinds.items()):
        print(f"{what:<15} {kind:<45} {number}")
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
