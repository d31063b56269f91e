"""bench/suggest_quality.py's yardstick on real text: what it leaves unscored, for every system alike
(invented texts, no shared data)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

_spec = importlib.util.spec_from_file_location(
    "suggest_quality_bench", Path(__file__).resolve().parents[1] / "bench" / "suggest_quality.py")
bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench)


def span(text, words, label):
    start = text.index(words)
    return {"start": start, "end": start + len(words), "label": label, "layer": "entity", "attributes": {}}


def article(text):
    # as bench/real_gold.py reads WikiEvents: "police" is a nominal mention marked by its head word,
    # "Minister" a title (a type we do not map), both in ``ignore``; "Lyon" a scored name
    lyon = {**span(text, "Lyon", "LOCATION"), "id": 0}
    ignore = [{**{k: v for k, v in span(text, "police", "x").items() if k in {"start", "end"}}, "type": "PER"},
              {**{k: v for k, v in span(text, "Minister", "x").items() if k in {"start", "end"}}, "type": "TTL"}]
    return {"id": "a", "text": text, "spans": [lyon], "arguments": [], "ignore": ignore,
            "labels": ["PERSON", "ORG", "LOCATION"], "scored_as": {"ARMED_GROUP": "ORG"},
            "attributes_scored": [], "arguments_scored": False}


TEXT = "French police searched Lyon, the Interior Minister said."


def test_a_suggestion_ending_on_an_ignored_nominal_head_is_not_scored_with_the_option(monkeypatch):
    monkeypatch.setattr(bench, "HEAD_IGNORE", True)
    suggestions = [span(TEXT, "French police", "ARMED_GROUP"), span(TEXT, "Lyon", "LOCATION")]
    rows, _ = bench.restrict(article(TEXT), suggestions, [])
    assert [(TEXT[r["start"]:r["end"]], r["label"]) for r in rows] == [("Lyon", "LOCATION")]
    result = bench.evaluate([article(TEXT)], {"a": (suggestions, [])})
    assert result["entities"]["precision"] == 1.0


def test_a_title_or_a_span_over_a_scored_name_is_still_scored(monkeypatch):
    monkeypatch.setattr(bench, "HEAD_IGNORE", True)
    suggestions = [span(TEXT, "Interior Minister", "ORG"), span(TEXT, "police searched Lyon", "ORG")]
    rows, _ = bench.restrict(article(TEXT), suggestions, [])
    assert len(rows) == 2
    assert bench.evaluate([article(TEXT)], {"a": (suggestions, [])})["entities"]["precision"] == 0.0


def test_by_default_every_span_off_the_exact_ignored_offsets_is_scored():
    rows, _ = bench.restrict(article(TEXT), [span(TEXT, "French police", "ARMED_GROUP")], [])
    assert [(TEXT[r["start"]:r["end"]], r["label"]) for r in rows] == [("French police", "ORG")]


def test_each_error_is_the_components_or_the_rules():
    # Gold: Lyon (a place) only. With the rules: "French police" (made by a rule), "Interior" (the
    # component's own slip, kept), Lyon missed (the component had it, a rule took it away).
    ours = {"a": ([span(TEXT, "French police", "ARMED_GROUP"), span(TEXT, "Interior", "ORG")], [])}
    component_alone = {"a": ([span(TEXT, "Interior", "ORG"), span(TEXT, "Lyon", "LOCATION")], [])}
    share = bench.error_share([article(TEXT)], ours, component_alone)
    assert dict(share) == {"wrong_model": 1, "wrong_rules": 1, "missed_model": 0, "missed_rules": 1}
    # and a gold span neither finds is the component's miss
    share = bench.error_share([article(TEXT)], ours, {"a": ([], [])})
    assert dict(share) == {"wrong_model": 0, "wrong_rules": 2, "missed_model": 1, "missed_rules": 0}
