"""Learned triggers: the model decides where triggers are, the rules still type them; 'March' the month is
no protest. Invented sentences only."""

from __future__ import annotations

import dataclasses
import json

import numpy as np
import pytest

from annotator.suggest import shared_suggester
from annotator.suggest.events import EventFinder
from annotator.suggest.events.learned import (
    META_FILE,
    TrainingRows,
    TriggerModel,
    TriggerModelError,
    candidates,
    fit,
    hashed,
    rule_hits,
    shipped_trigger_model,
)
from annotator.suggest.pipeline import load_suggester

BITS = 12


@pytest.fixture(scope="module")
def suggester():
    return shared_suggester()


def events_of(suggester, text):
    doc = suggester.nlp(text)
    return {doc[e.start : e.end].text: e for e in suggester.analyse(doc).events}


def hand_model(weights: dict[str, float], width: int = 96, threshold: float = 0.5, keep: float = 0.0) -> TriggerModel:
    """A model whose hashed features carry the given weights (the rest 0), with bias -4: only the words
    named here can pass the threshold."""
    sparse = np.zeros(1 << BITS, dtype=np.float32)
    for feature, weight in {"bias": -4.0, **weights}.items():
        sparse[hashed([feature], BITS)[0]] += weight
    return TriggerModel(sparse, np.zeros(width, dtype=np.float32), threshold, {"bits": BITS}, keep)


def with_finder(suggester, model):
    return dataclasses.replace(suggester, finder=EventFinder(suggester.gazetteer,
                                                             list(suggester.finder.triggers.rules), model))


def test_learned_trigger_finds_a_word_no_rule_knows_and_types_it_from_its_sentence(suggester):
    text = "Gunmen waylaid a convoy near Kunduz and killed four soldiers."
    plain = with_finder(suggester, None)
    assert "waylaid" not in events_of(plain, text)
    learned = events_of(with_finder(suggester, hand_model({"w=waylaid": 8.0, "w=killed": 8.0})), text)
    # typed like the killing in the same sentence, since no rule says what "waylay" is
    assert learned["waylaid"].label == learned["killed"].label
    assert learned["waylaid"].score > 0.9


def test_learned_trigger_model_can_overrule_a_rule_word(suggester):
    text = "Rebels attacked the village on Tuesday."
    assert "attacked" in events_of(with_finder(suggester, None), text)
    # every word scores below the keep threshold: the rule's word is dropped too
    assert events_of(with_finder(suggester, hand_model({}, keep=0.5)), text) == {}
    # below the threshold for new words but above the one for keeping a rule's word: kept
    assert "attacked" in events_of(with_finder(suggester, hand_model({}, keep=0.01)), text)


def test_shipped_trigger_model_is_used_by_the_suggester_and_finds_attacks(suggester):
    model, why = shipped_trigger_model(suggester.features_of)
    assert why is None and suggester.finder.model is not None
    events = events_of(suggester, "Militants stormed a police station in the north, killing three officers.")
    assert {"stormed", "killing"} & set(events)
    assert all(e.label for e in events.values())


def test_shipped_trigger_model_is_not_used_with_another_pipeline():
    model, why = shipped_trigger_model("en_other_pipeline-1.0")
    assert model is None and "en_other_pipeline-1.0" in why


def test_trigger_model_saves_and_loads_and_names_a_damaged_file(tmp_path):
    model = hand_model({"w=waylaid": 3.0}, width=4)
    model.save(tmp_path / "m", base_model="x-1")
    again = TriggerModel.load(tmp_path / "m")
    assert again.meta["base_model"] == "x-1" and again.threshold == 0.5
    assert again.sparse[hashed(["w=waylaid"], BITS)[0]] == pytest.approx(3.0)
    meta = json.loads((tmp_path / "m" / META_FILE).read_text())
    (tmp_path / "m" / META_FILE).write_text(json.dumps({**meta, "bits": BITS + 1}))
    with pytest.raises(TriggerModelError, match=META_FILE):
        TriggerModel.load(tmp_path / "m")
    with pytest.raises(TriggerModelError, match="nowhere"):
        TriggerModel.load(tmp_path / "nowhere")


def test_training_learns_triggers_and_leaves_missing_words_out(suggester):
    texts = ["Rebels ambushed a patrol near the river.", "Soldiers shelled the market at dawn.",
             "Gunmen raided the village and burned houses.", "The minister visited the hospital on Monday.",
             "Officials opened a school in the capital.", "Farmers sold grain at the market."] * 3
    rows = TrainingRows.empty()
    triggers = suggester.finder.triggers
    for number, doc in enumerate(suggester.nlp.pipe(texts)):
        verbs = {t.i for t in doc if t.pos_ == "VERB"}
        violent = number % 6 < 3
        labels = {i: int(violent and i in verbs) for i in candidates(doc)}
        if number % 6 == 2:
            labels = {i: v for i, v in labels.items() if doc[i].lower_ != "burned"}  # missing: not learned
        rows.add(doc, rule_hits(doc, triggers), labels, str(number % 6), BITS)
    model = fit(rows, bits=BITS, regularisation=10.0)
    doc = suggester.nlp("Rebels ambushed a patrol near the river.")
    probabilities = model.probabilities(doc, rule_hits(doc, triggers))
    ambushed = next(t.i for t in doc if t.text == "ambushed")
    river = next(t.i for t in doc if t.text == "river")
    assert probabilities[ambushed] > 0.5 > probabilities[river]
    assert len(rows.labels) == sum(len(candidates(d)) for d in suggester.nlp.pipe(texts)) - 3


def test_training_needs_both_kinds_of_words():
    with pytest.raises(TriggerModelError, match="both"):
        fit(TrainingRows([np.array([1])], [np.zeros(0, dtype=np.float32)], [1], ["a"]), bits=BITS)


@pytest.mark.parametrize("rules_only", [False, True])
@pytest.mark.parametrize("text", ["Talks resumed in March.", "The ceasefire held until March, officials said.",
                                  "Since March fighting has displaced thousands.", "On 3 March the talks ended.",
                                  "KYIV, March 3 - The talks ended."])
def test_march_the_month_is_no_protest(suggester, text, rules_only):
    chosen = load_suggester("no-such-spacy-model") if rules_only else suggester
    events = events_of(chosen, text)
    assert "March" not in events


@pytest.mark.parametrize("rules_only", [False, True])
def test_a_protest_march_is_still_a_protest(suggester, rules_only):
    chosen = load_suggester("no-such-spacy-model") if rules_only else suggester
    events = events_of(chosen, "Thousands of students will march on parliament.")
    assert events["march"].label == "PROTESTS"


def test_a_rule_trigger_carries_no_score_and_a_word_the_model_added_its_probability(suggester):
    # The model knows "waylaid" and gives the rule's "killed" almost nothing (bias -4): that is no
    # confidence of the rule's, so the rule's trigger has no score (it used to carry 0.02).
    events = events_of(with_finder(suggester, hand_model({"w=waylaid": 8.0})),
                       "Gunmen waylaid a convoy near Kunduz and killed four soldiers.")
    assert events["killed"].rule is not None and events["killed"].score is None
    assert events["waylaid"].rule is None and events["waylaid"].score > 0.9


def test_what_the_window_says_of_a_score_names_rule_triggers_only_for_our_suggester():
    from annotator.domain import Layer, Origin, Span, Status

    def span(layer, origin=Origin.SUGGESTED, source="conflict-suggester@1.7/en_core_web_sm-3.8.0", score=None):
        return Span(1, 1, 0, 5, "BATTLES", layer, origin, Status.PENDING, source=source, score=score)

    assert span(Layer.EVENT).how_sure() == "trigger rule, no score"
    assert span(Layer.EVENT, score=0.004).how_sure() == "score 0.00"  # a probability given is shown as it is
    assert span(Layer.ENTITY).how_sure() == ""  # spaCy's NER gives no confidence: nothing is claimed
    assert span(Layer.EVENT, origin=Origin.IMPORTED).how_sure() == ""
    assert span(Layer.EVENT, source="other-tool 2.0").how_sure() == ""


def test_a_vector_scale_regularises_the_token_vectors_but_the_model_reads_them_as_they_are(suggester):
    texts = ["Rebels ambushed a patrol near the river.", "Farmers sold grain at the market.",
             "Soldiers shelled the market at dawn.", "Officials opened a school in the capital."]
    rows = TrainingRows.empty()
    for number, doc in enumerate(suggester.nlp.pipe(texts)):
        rows.add(doc, {}, {i: int(number % 2 == 0 and doc[i].pos_ == "VERB") for i in candidates(doc)}, str(number), BITS)
    scaled = fit(rows, bits=BITS, vector_scale=0.3)
    by_hand = TrainingRows(rows.features, [t * 0.3 for t in rows.tensors], rows.labels, rows.groups, rows.weights)
    plain = fit(by_hand, bits=BITS)
    # the same fit as on vectors scaled by hand, its vector weights scaled back to read unscaled vectors
    np.testing.assert_allclose(scaled.sparse, plain.sparse, atol=1e-5)
    np.testing.assert_allclose(scaled.dense, plain.dense * 0.3, atol=1e-5)
    assert scaled.meta["vector_scale"] == 0.3 and np.abs(scaled.dense).max() > 0
