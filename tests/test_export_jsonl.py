"""Prodigy-style JSONL export: checked against our JSON Schema and against the stored spans."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from annotator.export import export_project
from test_export_helpers import PROTEST, SHELLING, at, build_project

SCHEMA = Path(__file__).resolve().parent.parent / "schemas" / "task.schema.json"


@pytest.fixture
def project(store):
    return store, build_project(store)


def read_records(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_export_jsonl_records_validate_against_the_schema(project, tmp_path):
    store, _ = project
    export_project(store, tmp_path / "out", format="jsonl", annotator="maria", include_rejected=True)
    records = read_records(tmp_path / "out" / "all.jsonl")
    validator = jsonschema.Draft202012Validator(json.loads(SCHEMA.read_text(encoding="utf-8")))
    assert len(records) == 5  # three done articles, two of them with a reject record
    for record in records:
        errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(record)]
        assert errors == []


def test_export_jsonl_schema_rejects_a_span_without_layer():
    validator = jsonschema.Draft202012Validator(json.loads(SCHEMA.read_text(encoding="utf-8")))
    span = {"start": 0, "end": 5, "token_start": 0, "token_end": 0, "label": "X", "text": "Rebel"}
    assert not validator.is_valid({"spans": [span]})
    assert list(validator.iter_errors(span | {"layer": "event"}))  # an event needs its attributes


def test_export_jsonl_spans_match_the_text_and_the_tokens(project, tmp_path):
    store, ids = project
    export_project(store, tmp_path, format="jsonl", annotator="maria")
    first = read_records(tmp_path / "all.jsonl")[0]
    assert first["text"] == SHELLING and first["answer"] == "accept"
    assert [s["label"] for s in first["spans"]] == [
        "ARMED_GROUP", "EXPLOSIONS_REMOTE_VIOLENCE", "LOCATION", "DATE", "QUANTITY", "PERSON",
    ]
    for span in first["spans"]:
        assert SHELLING[span["start"] : span["end"]] == span["text"]
        tokens = first["tokens"][span["token_start"] : span["token_end"] + 1]
        assert tokens[0]["start"] == span["start"] and tokens[-1]["end"] == span["end"]
    event = first["spans"][1]
    assert event["layer"] == "event"
    assert event["attributes"]["sub_event_type"] == "Shelling/artillery/missile attack"
    assert first["meta"]["article_id"] == ids["shelling"]
    assert first["meta"]["desk"] == "east" and first["meta"]["source"] == "Invented Wire"
    assert first["_annotator_id"] == "maria" and first["_view_id"] == "relations"


def test_export_jsonl_pending_suggestions_and_rejected_spans_stay_out(project, tmp_path):
    store, _ = project
    export_project(store, tmp_path, format="jsonl", annotator="maria")
    records = read_records(tmp_path / "all.jsonl")
    labels = {(s["label"], s["text"]) for r in records for s in r["spans"]}
    assert ("FACILITY", "water plant") not in labels  # still a pending suggestion
    assert ("PERSON", "governor") not in labels  # rejected
    assert ("ARMED_GROUP", "Protesters") not in labels  # rejected
    assert ("LOCATION", "Velin") not in labels  # the article is not done
    assert {r["answer"] for r in records} == {"accept"}


def test_export_jsonl_rejected_spans_become_a_reject_record(project, tmp_path):
    store, _ = project
    export_project(store, tmp_path, format="jsonl", annotator="maria", include_rejected=True)
    rejects = [r for r in read_records(tmp_path / "all.jsonl") if r["answer"] == "reject"]
    assert [(r["text"], [s["text"] for s in r["spans"]]) for r in rejects] == [
        (SHELLING, ["governor"]), (PROTEST, ["Protesters"]),
    ]
    assert all(r["relations"] == [] for r in rejects)


def test_export_jsonl_relations_point_at_the_last_token_of_each_span(project, tmp_path):
    store, _ = project
    export_project(store, tmp_path, format="jsonl", annotator="maria")
    first = read_records(tmp_path / "all.jsonl")[0]
    roles = {}
    for relation in first["relations"]:
        assert relation["head"] == relation["head_span"]["token_end"]
        assert relation["child"] == relation["child_span"]["token_end"]
        child = relation["child_span"]
        roles[relation["label"]] = SHELLING[child["start"] : child["end"]]
        assert SHELLING[relation["head_span"]["start"] : relation["head_span"]["end"]] == "shelled"
    assert roles == {"ACTOR": "Rebel fighters", "LOCATION": "Korvath", "TIME": "Tuesday"}
    tokens = first["tokens"]
    actor = next(r for r in first["relations"] if r["label"] == "ACTOR")
    assert tokens[actor["child"]]["text"] == "fighters"


def test_export_jsonl_offsets_count_code_points_not_utf16(project, tmp_path):
    store, _ = project
    export_project(store, tmp_path, format="jsonl", annotator="maria")
    protest = read_records(tmp_path / "all.jsonl")[1]
    square = next(s for s in protest["spans"] if s["label"] == "LOCATION")
    assert (square["start"], square["end"]) == at(PROTEST, "Delmar Square")


def test_export_jsonl_hashes_are_signed_32_bit_and_depend_on_spans(project, tmp_path):
    store, ids = project
    export_project(store, tmp_path / "a", format="jsonl", annotator="maria")
    export_project(store, tmp_path / "b", format="jsonl", gold=True)
    mine = read_records(tmp_path / "a" / "all.jsonl")[0]
    gold = read_records(tmp_path / "b" / "all.jsonl")[0]
    assert mine["_input_hash"] == gold["_input_hash"]
    assert mine["_task_hash"] != gold["_task_hash"]
    assert all(-(2**31) <= h < 2**31 for h in (mine["_input_hash"], mine["_task_hash"]))
    assert gold["_annotator_id"] == "gold" and [s["text"] for s in gold["spans"]] == ["Rebel fighters", "Korvath"]
