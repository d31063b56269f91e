"""Event triggers: the rules alone beside the learned trigger model, on development data it was not trained on.

Run by hand (a few minutes; scikit-learn from the ``test`` extra):
    nice .venv/bin/python -u bench/trigger_quality.py [--regularisation 1,3] [--event-location 0.1] [--skip-location] [--sample N]
        [--first-mentions-only]

- WikiEvents dev, leave one document group out: the 20 reports fall into 7 groups by their id's family
  (road_ied_8 and road_ied_12 are one group, the three VOA reports another...), so that reports of one
  incident never sit on both sides. For each held-out group a model is trained on the other groups, and
  its settings (regularisation, the probability from which a word no rule matches is suggested, the
  probability under which a rule's word is dropped) are chosen by a second leave-one-group-out inside
  those training groups only (nested: the held-out group never chooses anything). The whole suggester's
  event finder (entities, rules, learned model, typing) then runs on the held-out reports; the rules
  alone run on the same reports in the same run. Scored type-free with overlap: a suggested trigger is
  right if it overlaps a gold trigger, a gold trigger is found if a suggestion overlaps it. Gold: the
  triggers of the events our scheme types (attack, death, injury, demonstration, arrest); suggestions
  on other KAIROS triggers count neither way, as in bench/real_gold.py. Printed per held-out group,
  pooled over all groups and as the mean of the groups.
  Last, the settings chosen by leave-one-group-out over all 7 groups: what scripts/train_triggers.py ships.
- ``--event-location W``: the same with event_location's rows added to every training set at weight W.
- ``--first-mentions-only``: the same, scored as our guidelines read: a gold trigger that is a repeated mention
  (a bare noun after "the", "this"..., the finder's own test) counts neither way, for the rules and the model
  alike. WikiEvents marks every mention, our guidelines the first only: a second view, not the goal's yardstick.
- event_location, leave one source out: the model is trained on WikiEvents dev (alone, and with the other
  sources); on the held-out source, the share of marked event verbs a suggestion overlaps (recall; the other
  verbs are unmarked, so precision cannot be measured) and how many triggers are suggested per sentence.
Records whose source is reserved for independent evaluation are never read (see scripts/train_triggers.py),
nor is the WikiEvents test split.
"""

from __future__ import annotations

import argparse
import dataclasses
import random
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from train_triggers import (  # noqa: E402
    BITS,
    EVENT_LOCATION_WEIGHT,
    KEEP_THRESHOLD,
    OTHER_VERBS,
    REGULARISATION,
    THRESHOLD,
    VECTOR_SCALE,
    document_group,
    event_location_reports,
    parsed,
    training_rows,
    wikievents_reports,
)

from annotator.suggest.events import EventFinder, TriggerSet, load_triggers  # noqa: E402
from annotator.suggest.events.learned import fit, rule_hits  # noqa: E402
from annotator.suggest.pipeline import load_suggester  # noqa: E402

SEED = 19
# event_location's weight when it is the training data of its own leave-one-source-out (as the earlier model)
LOSO_LOCATION_WEIGHT = 0.1
CACHE = Path("/tmp/trigger_quality_cache/docs")  # parsed Docs, so a second run skips parsing


def suggested_spans(suggester, doc) -> list[tuple[int, int]]:
    events = suggester.analyse(doc).events
    return [(doc[e.start].idx, doc[e.end - 1].idx + len(doc[e.end - 1])) for e in events]


def overlap(a, b) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def score(counts: Counter, predicted, report) -> None:
    for span in predicted:
        if any(overlap(span, g) for g in report.triggers):
            counts["right"] += 1
            counts["predicted"] += 1
        elif not any(overlap(span, m) for m in report.missing):
            counts["predicted"] += 1
    counts["gold"] += len(report.triggers)
    counts["found"] += sum(any(overlap(g, s) for s in predicted) for g in report.triggers)


def prf(counts: Counter) -> tuple[float, float, float]:
    p = counts["right"] / counts["predicted"] if counts["predicted"] else 0.0
    r = counts["found"] / counts["gold"] if counts["gold"] else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def with_model(suggester, model, threshold=None, keep=None):
    """The suggester with ``model`` finding triggers (None: the rules alone; the shipped model, which
    saw every development text, never takes part here)."""
    if model is not None:
        model.threshold, model.keep_threshold = threshold, keep
    finder = EventFinder(suggester.gazetteer, list(suggester.finder.triggers.rules), model)
    return dataclasses.replace(suggester, finder=finder)


# The settings the inner leave-one-group-out chooses from. A rule's word is never dropped (keep 0): trained
# on 20 reports, the model gave "drone strike" in "A drone strike hit a fuel depot" 0.05 and overruled a
# rule that is plainly right; ``--keeps 0,0.05,0.1`` lets the cross-validation choose it again.
THRESHOLDS = (0.3, 0.4, 0.5, 0.6, 0.7)
KEEPS = (0.0,)


class ScoredFinder(EventFinder):
    """The suggester's event finder reading each Doc's learned probabilities from ``probabilities``
    (computed once per model), so that every setting of the grid is scored without scoring the words again."""

    probabilities: dict[int, dict[int, float]] = {}

    def _learned(self, doc, found=None):  # ``found``: the rules' matches, already in the remembered probabilities
        return self.probabilities.get(id(doc), {}) if self.model is not None else {}


class GroupCV:
    """WikiEvents dev reports by document group, their entities found once, and the nested cross-validation."""

    def __init__(self, suggester, triggers, pairs, location_rows=None):
        self.suggester, self.triggers, self.pairs = suggester, triggers, pairs
        self.entities = {id(doc): suggester.analyse(doc).entities for _, doc in pairs}
        self.rows = training_rows(pairs, triggers)
        self.location_rows = location_rows
        self.groups = sorted({report.group for report, _ in pairs})

    def docs(self, group):
        return [(report, doc) for report, doc in self.pairs if report.group == group]

    def fit(self, groups, regularisation):
        train = self.rows.subset(lambda g: g in groups)
        if self.location_rows is not None:
            train.extend(self.location_rows)
        return fit(train, bits=BITS, regularisation=regularisation, vector_scale=VECTOR_SCALE)

    def score(self, model, docs, threshold=0.0, keep=0.0) -> Counter:
        if model is not None:
            model.threshold, model.keep_threshold = threshold, keep
            self.remember_probabilities(model, docs)
        return self.score_cached(model, docs)

    def remember_probabilities(self, model, docs) -> None:
        for _, doc in docs:
            ScoredFinder.probabilities[id(doc)] = model.probabilities(doc, rule_hits(doc, self.triggers))

    def choose(self, groups, regularisations) -> tuple[tuple[float, float, float], float]:
        """((regularisation, threshold, keep), F1) best by leave-one-group-out over ``groups`` alone."""
        counts = defaultdict(Counter)
        for held in groups:
            for regularisation in regularisations:
                model = self.fit(set(groups) - {held}, regularisation)
                docs = self.docs(held)
                self.remember_probabilities(model, docs)  # once per model, then every setting
                for threshold in THRESHOLDS:
                    for keep in KEEPS:
                        model.threshold, model.keep_threshold = threshold, keep
                        counts[(regularisation, threshold, keep)].update(self.score_cached(model, docs))
        # Ties go to the higher threshold, then the stronger regularisation: fewer, surer suggestions.
        best = max(counts, key=lambda k: (round(prf(counts[k])[2], 4), k[1], -k[0]))
        return best, prf(counts[best])[2]

    def score_cached(self, model, docs) -> Counter:
        counts = Counter()
        finder = ScoredFinder(self.suggester.gazetteer, list(self.triggers.rules), model)
        for report, doc in docs:
            events = finder.find(doc, self.entities[id(doc)])
            score(counts, [(doc[e.start].idx, doc[e.end - 1].idx + len(doc[e.end - 1])) for e in events], report)
        return counts

    def nested(self, regularisations, show=print):
        """Per held-out group: (group, rules' counts, learned counts, chosen settings)."""
        folds = []
        for held in self.groups:
            inner = [g for g in self.groups if g != held]
            (regularisation, threshold, keep), _ = self.choose(inner, regularisations)
            model = self.fit(set(inner), regularisation)
            docs = self.docs(held)
            rules, learned = self.score(None, docs), self.score(model, docs, threshold, keep)
            folds.append((held, rules, learned, (regularisation, threshold, keep)))
            show(folds[-1])
        return folds


def leave_out_repeated_mentions(pairs) -> int:
    """Gold triggers our guidelines leave out (a repeated mention: a bare noun after "the", "this"..., the
    test of triggers.anaphoric) are moved to the report's missing spans, which count neither way.
    WikiEvents marks every mention; the suggester, as our guidelines say, the first only."""
    from annotator.suggest.events.triggers import anaphoric

    noun_rule = dataclasses.replace(load_triggers()[0], pos="NOUN")  # anaphoric() reads only the rule's pos
    moved = 0
    for report, doc in pairs:
        kept = []
        for start, end in report.triggers:
            words = [t for t in doc if t.idx < end and start < t.idx + len(t)]
            if len(words) == 1 and words[0].pos_ == "NOUN" and anaphoric(words[0], noun_rule):
                report.missing.append((start, end))
                moved += 1
            else:
                kept.append((start, end))
        report.triggers = kept
    return moved


def event_location_loso(suggester, triggers, location, wikievents_rows, threshold, keep, sample=None, show=print):
    location_rows = training_rows(location, triggers, partial_weight=LOSO_LOCATION_WEIGHT, other_verbs=OTHER_VERBS)
    alone = fit(wikievents_rows.subset(lambda g: True), bits=BITS, regularisation=REGULARISATION,
                vector_scale=VECTOR_SCALE)
    alone.threshold, alone.keep_threshold = threshold, keep
    table = {}
    for source in sorted({r.group for r, _ in location}):
        train = location_rows.subset(lambda g: g != source)
        train.extend(wikievents_rows)
        model = fit(train, bits=BITS, regularisation=REGULARISATION, vector_scale=VECTOR_SCALE)
        model.threshold, model.keep_threshold = threshold, keep
        finders = {who: EventFinder(suggester.gazetteer, list(triggers.rules), m)
                   for who, m in (("rules", None), ("WikiEvents alone", alone), ("+ event_location", model))}
        counts = defaultdict(Counter)
        scored = [(report, doc) for report, doc in location if report.group == source]
        if sample is not None and len(scored) > sample:
            scored = random.Random(SEED).sample(scored, sample)
        for report, doc in scored:
            # The entities once (the costly part), the event finders on them each in turn.
            entities = suggester.analyse(doc).entities
            for who, finder in finders.items():
                events = finder.find(doc, entities)
                score(counts[who], [(doc[e.start].idx, doc[e.end - 1].idx + len(doc[e.end - 1])) for e in events], report)
                counts[who]["sentences"] += 1
        table[source] = counts
        show(source, counts)
    return table


def main() -> None:
    global KEEPS
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--regularisation", default="1,3", help="scikit-learn's C values the inner cross-validation chooses from")
    parser.add_argument("--event-location", type=float, default=EVENT_LOCATION_WEIGHT,
                        help="weight of event_location's rows in every training set (0: WikiEvents dev alone)")
    parser.add_argument("--keep", type=float, default=KEEP_THRESHOLD, help="(event_location part) a rule's word is dropped below this")
    parser.add_argument("--keeps", default=",".join(str(k) for k in KEEPS),
                        help="probabilities under which a rule's word is dropped, for the inner cross-validation to choose from")
    parser.add_argument("--skip-location", action="store_true", help="only the WikiEvents cross-validation")
    parser.add_argument("--first-mentions-only", action="store_true",
                        help="score as our guidelines read: gold triggers that are repeated mentions count neither way")
    parser.add_argument("--skip-wikievents", action="store_true", help="only event_location, leave one source out")
    parser.add_argument("--sample", type=int, default=None,
                        help="score a seeded random sample of this many sentences per held-out source (default: all)")
    args = parser.parse_args()
    started = time.perf_counter()
    suggester = with_model(load_suggester(), None)
    triggers = TriggerSet.of(load_triggers())
    location = []
    if args.event_location or not args.skip_location:  # 5,719 sentences to parse: only when they are used
        location = parsed(suggester.nlp, event_location_reports(), cache=CACHE)
        print(f"event_location: {len(location)} sentences ({time.perf_counter() - started:.0f} s)", flush=True)

    KEEPS = tuple(float(k) for k in args.keeps.split(","))
    if not args.skip_wikievents:
        regularisations = [float(c) for c in args.regularisation.split(",")]
        pairs = parsed(suggester.nlp, wikievents_reports(), cache=CACHE)
        for report, _ in pairs:
            report.group = document_group(report.group)
        location_rows = (training_rows(location, triggers, partial_weight=args.event_location, other_verbs=OTHER_VERBS)
                         if args.event_location else None)
        cv = GroupCV(suggester, triggers, pairs, location_rows)
        if args.first_mentions_only:
            moved = leave_out_repeated_mentions(pairs)
            print(f"scored as our guidelines read: {moved} gold triggers that are repeated mentions (a bare noun"
                  " after 'the', 'this'...) count neither way, for the rules and the model alike (training unchanged)")
        setup = f"WikiEvents dev + event_location at weight {args.event_location}" if location_rows else "WikiEvents dev alone"
        print(f"\nWikiEvents dev, leave one document group out ({len(cv.groups)} groups), settings chosen by an inner"
              f" leave-one-group-out on the training groups (regularisation from {regularisations}); trained on {setup};"
              " type-free overlap of the conflict triggers")
        print(f"{'held-out group':<20} {'reports':>7} {'gold':>5}   {'rules P/R/F1':<20} {'learned P/R/F1':<20} chosen (C, new from, keep from)")

        def show(fold):
            held, rules, learned, chosen = fold
            cells = ["{:.3f} {:.3f} {:.3f}".format(*prf(c)) for c in (rules, learned)]
            print(f"{held:<20} {len(cv.docs(held)):>7} {rules['gold']:>5}   {cells[0]:<20} {cells[1]:<20} {chosen}", flush=True)

        folds = cv.nested(regularisations, show)
        pooled = [sum((fold[k] for fold in folds), Counter()) for k in (1, 2)]
        print("{:<20} {:>7} {:>5}   {:<20} {:<20}".format("pooled", len(pairs), pooled[0]["gold"],
              *("{:.3f} {:.3f} {:.3f}".format(*prf(c)) for c in pooled)))
        means = [sum(prf(fold[k])[2] for fold in folds) / len(folds) for k in (1, 2)]
        print(f"{'mean of groups F1':<20} {'':>7} {'':>5}   {means[0]:<20.3f} {means[1]:<20.3f}")
        chosen, inner_f1 = cv.choose(cv.groups, regularisations)
        print(f"settings chosen by leave-one-group-out over all {len(cv.groups)} groups (what scripts/train_triggers.py"
              f" ships): C {chosen[0]}, new words from p >= {chosen[1]}, a rule's word kept from p >= {chosen[2]}"
              f" (F1 {inner_f1:.3f} there: chosen on it, not a held-out figure)", flush=True)

    if args.skip_location:
        return
    wikievents_rows = training_rows(parsed(suggester.nlp, wikievents_reports(), cache=CACHE), triggers)
    print(f"\nevent_location, leave one source out (new words p >= {THRESHOLD}): recall of the marked event verb,"
          " (triggers suggested per sentence)")
    total = defaultdict(Counter)
    whos = ("rules", "WikiEvents alone", "+ event_location")

    def show(source, counts):
        cells = [f"{who} {prf(counts[who])[1]:.3f} ({counts[who]['predicted'] / max(counts[who]['sentences'], 1):.2f})"
                 for who in whos]
        print(f"{source:<14} n={counts['rules']['sentences']:<5} " + "   ".join(cells), flush=True)

    table = event_location_loso(suggester, triggers, location, wikievents_rows, THRESHOLD, args.keep,
                                args.sample, show)
    for counts in table.values():
        for who in whos:
            total[who].update(counts[who])
    show("all sources", total)
    print(f"\n{time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
