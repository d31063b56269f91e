"""bench/trigger_variants.py's variants of trig23: what they may and may not change (invented texts, no shared data)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from annotator.suggest import shared_suggester

_spec = importlib.util.spec_from_file_location(
    "trigger_variants_bench", Path(__file__).resolve().parents[1] / "bench" / "trigger_variants.py")
variants = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(variants)


class FixedModel:
    """Every candidate word gets the same low probability."""

    def probabilities(self, doc, hits):
        return {t.i: 0.01 for t in doc if t.pos_ in ("NOUN", "VERB")}


def test_family_keep_drops_only_rule_words_of_a_family_seen_in_training():
    doc = shared_suggester().nlp("Rebels attacked the village and shelled the market.")
    attacked, shelled, village = (next(t.i for t in doc if t.text == w) for w in ("attacked", "shelled", "village"))
    hits = {attacked: "BATTLES", shelled: "EXPLOSIONS_REMOTE_VIOLENCE"}
    model = variants.FamilyKeepModel(FixedModel(), known_lemmas={"attack"})

    found = model.probabilities(doc, hits)

    assert found[attacked] == 0.01  # a family it knows: its low probability may drop the rule's word
    assert found[shelled] == max(variants.FAMILY_KEEPS)  # never below any keep of the grid: the rule stands
    assert found[village] == 0.01  # a word no rule matches is scored as before
    assert max(variants.FAMILY_KEEPS) < min(variants.quality.THRESHOLDS)  # so it never becomes a new word


def test_a_bag_draws_only_reports_of_the_training_groups_and_the_same_each_run():
    suggester = variants.quality.with_model(shared_suggester(), None)
    texts = {"north": "Rebels ambushed a patrol and killed two soldiers.",
             "south": "Gunmen attacked the village.", "east": "Soldiers shelled the market."}
    reports = [__import__("train_triggers").Report(group, text, [(0, 6)]) for group, text in texts.items() for _ in range(3)]
    pairs = list(zip(reports, suggester.nlp.pipe(r.text for r in reports)))
    cv = variants.VariantCV(suggester, suggester.finder.triggers, pairs, thresholds=(0.5,), keeps=(0.0,))
    cv.row_reports = []
    for report, doc in pairs:
        labels = variants.token_labels(doc, report)[0]
        cv.row_reports += [(id(doc), report.group) for i in variants.learned.candidates(doc) if i in labels]

    first, again = cv.bag({"north", "south"}, seed=0), cv.bag({"north", "south"}, seed=0)

    assert set(first.groups) <= {"north", "south"}
    assert (first.labels, first.weights) == (again.labels, again.weights)
    # As many reports drawn as the training groups hold (6), a report drawn twice counting twice.
    times_drawn = {}
    for k, (report_id, _) in enumerate(cv.row_reports):
        if cv.rows.groups[k] != "east":
            times_drawn.setdefault(report_id, set())
    index = 0
    for k, (report_id, group) in enumerate(cv.row_reports):
        if index < len(first.features) and first.features[index] is cv.rows.features[k]:
            times_drawn[report_id].add(first.weights[index])
            index += 1
    assert index == len(first.features)
    assert all(len(weights) <= 1 for weights in times_drawn.values())
    assert sum(next(iter(w)) for w in times_drawn.values() if w) == 6
