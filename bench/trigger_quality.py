"""Event triggers: the rules alone beside the learned trigger model, by cross-validation on development data.

Run by hand (a few minutes; scikit-learn from the ``test`` extra):
    nice .venv/bin/python -u bench/trigger_quality.py [--folds 5] [--thresholds 0.5,0.7] [--keep 0.05] [--skip-wikievents] [--sample N]

- WikiEvents dev, split by document into ``--folds`` folds: for each fold a model is trained on the other
  documents, alone and with all of event_location (never the fold's own text), and the whole suggester
  (entities, rules, learned model, typing) runs on the fold's documents. The rules alone run on the same
  documents in the same run. Scored type-free with overlap: a suggested
  trigger is right if it overlaps a gold trigger, a gold trigger is found if a suggestion overlaps it.
  Two yardsticks: "conflict" (the triggers of the events our scheme types: attack, death, injury,
  demonstration, arrest; suggestions on other KAIROS triggers count neither way, as in
  bench/real_gold.py) and "all" (all 345 triggers, the model trained on all of them too).
- event_location, leave one source out: the model is trained on WikiEvents dev (alone, and with the other
  sources);
  on the held-out source, the share of marked event verbs a suggestion overlaps (recall; the other
  verbs are unmarked, so precision cannot be measured) and how many triggers are suggested per sentence.
Records whose source is reserved for independent evaluation are never read (see scripts/train_triggers.py).
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
    KEEP_THRESHOLD,
    OTHER_VERBS,
    PARTIAL_WEIGHT,
    REGULARISATION,
    THRESHOLD,
    event_location_reports,
    parsed,
    training_rows,
    wikievents_reports,
)

from annotator.suggest.events import EventFinder, TriggerSet, load_triggers  # noqa: E402
from annotator.suggest.events.learned import fit  # noqa: E402
from annotator.suggest.pipeline import load_suggester  # noqa: E402

SEED = 19
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


# (name, event_location rows' weight or None for WikiEvents alone, weight of event_location's unmarked verbs)
SETUPS = (("WikiEvents alone", None, 0.0),
          ("+ event_location", PARTIAL_WEIGHT, OTHER_VERBS))


def wikievents_cv(suggester, triggers, location, folds: int, thresholds, keep: float, all_events: bool):
    reports = wikievents_reports(all_events=all_events)
    pairs = parsed(suggester.nlp, reports, cache=CACHE)
    rows = training_rows(pairs, triggers)
    names = sorted({r.group for r in reports})
    random.Random(SEED).shuffle(names)
    fold_of = {name: k % folds for k, name in enumerate(names)}
    rules, learned = Counter(), defaultdict(Counter)
    for report, doc in pairs:
        score(rules, suggested_spans(suggester, doc), report)
    for setup, weight, other_verbs in SETUPS:
        location_rows = training_rows(location, triggers, partial_weight=weight, other_verbs=other_verbs) if weight else None
        for fold in range(folds):
            train = rows.subset(lambda g: fold_of[g] != fold)
            if location_rows is not None:
                train.extend(location_rows)
            model = fit(train, bits=BITS, regularisation=REGULARISATION)
            for report, doc in pairs:
                if fold_of[report.group] == fold:
                    for threshold in thresholds:
                        score(learned[(setup, threshold)],
                              suggested_spans(with_model(suggester, model, threshold, keep), doc), report)
    return rules, learned, len(reports)


def event_location_loso(suggester, triggers, location, wikievents_rows, threshold, keep, sample=None, show=print):
    location_rows = training_rows(location, triggers, partial_weight=PARTIAL_WEIGHT, other_verbs=OTHER_VERBS)
    alone = fit(wikievents_rows.subset(lambda g: True), bits=BITS, regularisation=REGULARISATION)
    alone.threshold, alone.keep_threshold = threshold, keep
    table = {}
    for source in sorted({r.group for r, _ in location}):
        train = location_rows.subset(lambda g: g != source)
        train.extend(wikievents_rows)
        model = fit(train, bits=BITS, regularisation=REGULARISATION)
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
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--thresholds", default="0.5,0.7", help="probabilities from which a word no rule matches is suggested")
    parser.add_argument("--keep", type=float, default=KEEP_THRESHOLD, help="a rule's word is dropped below this probability")
    parser.add_argument("--skip-location", action="store_true", help="only the WikiEvents cross-validation")
    parser.add_argument("--skip-wikievents", action="store_true", help="only event_location, leave one source out")
    parser.add_argument("--sample", type=int, default=None,
                        help="score a seeded random sample of this many sentences per held-out source (default: all)")
    args = parser.parse_args()
    thresholds = [float(t) for t in args.thresholds.split(",")]
    started = time.perf_counter()
    suggester = with_model(load_suggester(), None)
    triggers = TriggerSet.of(load_triggers())
    location = parsed(suggester.nlp, event_location_reports(), cache=CACHE)
    print(f"event_location: {len(location)} sentences ({time.perf_counter() - started:.0f} s)", flush=True)

    print(f"\nWikiEvents dev, {args.folds}-fold cross-validation by document; type-free overlap of triggers;"
          f" a rule's word is kept from p >= {args.keep}")
    print(f"{'yardstick':<10} {'who':<40} {'P':>6} {'R':>6} {'F1':>6}")
    for all_events in () if args.skip_wikievents else (False, True):
        rules, learned, n_reports = wikievents_cv(suggester, triggers, location, args.folds, thresholds, args.keep, all_events)
        name = "all" if all_events else "conflict"
        p, r, f = prf(rules)
        print(f"{name:<10} {'rules alone':<40} {p:6.3f} {r:6.3f} {f:6.3f}   ({rules['gold']} gold triggers, {n_reports} reports)")
        for (setup, threshold), counts in learned.items():
            p, r, f = prf(counts)
            print(f"{name:<10} {f'learned ({setup}), new words p >= {threshold}':<40} {p:6.3f} {r:6.3f} {f:6.3f}", flush=True)

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
