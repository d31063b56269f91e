"""bench/trigger_quality.py's nested leave-one-group-out: the held-out group never chooses the settings it is
scored with, and reports of one family stay on one side (invented texts, no shared data)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from annotator.suggest import shared_suggester

_spec = importlib.util.spec_from_file_location(
    "trigger_quality_bench", Path(__file__).resolve().parents[1] / "bench" / "trigger_quality.py")
bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench)
train_triggers = __import__("train_triggers")  # put on the path by the bench


def test_reports_of_one_family_fall_in_one_group():
    group = train_triggers.document_group
    assert group("road_ied_8") == group("road_ied_12") == "road_ied"
    assert group("wiki_ied_bombings_1_news_4") == group("wiki_ied_bombings_9") == "wiki_ied_bombings"
    assert group("64_VOA_EN_NW_2017.06.05.3887168") == group("32_VOA_EN_NW_2014.06.04.1929720") == "VOA"
    assert group("scenario_en_kairos_60") != group("scenario_en_62")


def report(group: str, text: str, trigger_words: list[str]):
    spans = []
    for word in trigger_words:
        start = text.index(word)
        spans.append((start, start + len(word)))
    return train_triggers.Report(group, text, spans)


def test_the_held_out_group_is_neither_trained_on_nor_scored_while_choosing(monkeypatch):
    suggester = bench.with_model(shared_suggester(), None)
    texts = {
        "north": ("Rebels ambushed a patrol near the river and killed two soldiers.", ["ambushed", "killed"]),
        "south": ("Gunmen attacked the village and burned houses.", ["attacked", "burned"]),
        "east": ("Soldiers shelled the market at dawn, wounding five people.", ["shelled", "wounding"]),
    }
    reports = [report(group, text, words) for group, (text, words) in texts.items() for _ in range(2)]
    reports += [report(group, "The minister visited the hospital on Monday.", []) for group in texts]
    pairs = list(zip(reports, suggester.nlp.pipe(r.text for r in reports)))
    cv = bench.GroupCV(suggester, suggester.finder.triggers, pairs)
    monkeypatch.setattr(bench, "THRESHOLDS", (0.5,))
    monkeypatch.setattr(bench, "KEEPS", (0.0,))
    trained, scored = [], []
    fit, score_cached = cv.fit, cv.score_cached
    monkeypatch.setattr(cv, "fit", lambda groups, c: trained.append(set(groups)) or fit(groups, c))
    monkeypatch.setattr(cv, "score_cached", lambda model, docs: scored.append({r.group for r, _ in docs})
                        or score_cached(model, docs))

    folds = cv.nested([1.0])

    assert [fold[0] for fold in folds] == ["east", "north", "south"]
    for held in texts:
        # Per fold: 2 inner trainings, each scored on its own inner group, then the fold's own model.
        fold = ["east", "north", "south"].index(held)
        inner_trained, inner_scored = trained[3 * fold : 3 * fold + 2], scored[4 * fold : 4 * fold + 2]
        assert all(held not in groups for groups in inner_trained + inner_scored)
        assert trained[3 * fold + 2] == set(texts) - {held}
        assert scored[4 * fold + 2] == scored[4 * fold + 3] == {held}  # rules alone, then the learned model
    assert sum(fold[1]["gold"] for fold in folds) == 12


def test_first_mentions_only_moves_repeated_mentions_of_the_gold_out_of_the_score():
    # WikiEvents marks every mention; our guidelines the first only: "The bombing" alone after the first
    # counts neither way, while "the bombing of the market" (it says which) and the verbs still count.
    suggester = shared_suggester()
    text = ("Rebels bombed a market in the north. The bombing killed five people. "
            "Officials condemned the bombing of the market.")
    gold = report("north", text, ["bombed", "bombing", "killed"])  # "bombing": its first place, "The bombing"
    start = text.index("bombing of")
    gold.triggers.append((start, start + len("bombing")))
    pairs = [(gold, suggester.nlp(text))]

    moved = bench.leave_out_repeated_mentions(pairs)

    assert moved == 1
    assert gold.missing == [(text.index("bombing"), text.index("bombing") + 7)]
    assert sorted(text[s:e] for s, e in gold.triggers) == ["bombed", "bombing", "killed"]
    counts = bench.Counter()
    bench.score(counts, [(text.index("The bombing"), text.index("The bombing") + 11)], gold)
    assert counts["predicted"] == 0 and counts["gold"] == 3  # a suggestion on it is neither right nor wrong
