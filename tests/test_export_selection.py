"""Which articles and spans an export takes, the split, and the errors naming what exists."""

from __future__ import annotations

import json

import pytest

from annotator.export import ExportError, export_project, parse_split
from annotator.selection import part_of
from test_export_helpers import build_project


@pytest.fixture
def project(store):
    return store, build_project(store)


def exported_ids(path) -> list[int]:
    return [json.loads(line)["meta"]["article_id"] for line in path.read_text(encoding="utf-8").splitlines()]


def test_export_selection_default_is_done_articles_only(project, tmp_path):
    store, ids = project
    report = export_project(store, tmp_path, format="jsonl", annotator="maria")
    assert exported_ids(tmp_path / "all.jsonl") == [ids["shelling"], ids["protest"], ids["quiet"]]
    assert report.parts["all"].articles == 3 and report.parts["all"].events == 2


def test_export_selection_other_states_on_request(project, tmp_path):
    store, ids = project
    export_project(store, tmp_path, format="jsonl", annotator="maria", states=("in_progress",))
    assert exported_ids(tmp_path / "all.jsonl") == [ids["unfinished"]]


def test_export_selection_labels_and_layers_filter_spans_and_arguments(project, tmp_path):
    store, _ = project
    report = export_project(store, tmp_path / "a", format="jsonl", annotator="maria",
                            labels=["EXPLOSIONS_REMOTE_VIOLENCE", "LOCATION"])
    first = json.loads((tmp_path / "a" / "all.jsonl").read_text(encoding="utf-8").splitlines()[0])
    assert [s["label"] for s in first["spans"]] == ["EXPLOSIONS_REMOTE_VIOLENCE", "LOCATION"]
    assert [r["label"] for r in first["relations"]] == ["LOCATION"]
    # ACTOR and TIME point at spans not exported; the PROTESTS event is not exported, nor its argument.
    assert report.arguments_left_out == 3
    export_project(store, tmp_path / "b", format="jsonl", annotator="maria", layers=["event"])
    first = json.loads((tmp_path / "b" / "all.jsonl").read_text(encoding="utf-8").splitlines()[0])
    assert [s["layer"] for s in first["spans"]] == ["event"] and first["relations"] == []


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"annotator": "nobody"}, "no annotator named 'nobody' in this project (known: gold, maria)"),
        ({"annotator": "maria", "labels": ["TANK"]}, "unknown label 'TANK' (labels in this project: ARMED_GROUP"),
        ({"annotator": "maria", "layers": ["relation"]}, "unknown layer 'relation' (layers: entity, event)"),
        ({"annotator": "maria", "states": ["finished"]}, "unknown article state 'finished' (states: todo,"),
        ({"annotator": "maria", "gold": True}, "either an annotator or the gold layer"),
        ({}, "say whose spans to export: an annotator (known: gold, maria)"),
        ({"annotator": "maria", "split": {"train": 0.8, "dev": 0.1}}, "must add up to 1, they add up to 0.9"),
        ({"annotator": "maria", "split": {"train/x": 1.0}}, "split part name 'train/x'"),
        ({"annotator": "maria", "include_rejected": True, "format": "spacy"}, "only be exported as negative"),
        ({"annotator": "maria", "format": "conll"}, "unknown export format 'conll' (formats: spacy, jsonl, brat, doccano, events)"),
    ],
)
def test_export_selection_bad_choices_say_what_exists(project, tmp_path, options, message):
    store, _ = project
    options = {"format": "jsonl", **options}
    with pytest.raises(ExportError) as caught:
        export_project(store, tmp_path / "out", **options)
    assert message in str(caught.value)
    assert not (tmp_path / "out").exists() or list((tmp_path / "out").iterdir()) == []


def test_export_selection_no_gold_layer_is_a_clear_error(tmp_path):
    from annotator.store import Store

    with Store.open(tmp_path / "p.sqlite") as store:
        store.annotators.ensure("maria")
        with pytest.raises(ExportError, match="no gold layer yet"):
            export_project(store, tmp_path / "out", format="jsonl", gold=True)


def test_export_selection_parse_split_reads_the_command_line_form():
    assert parse_split("train=0.8, dev=0.1,test=0.1") == {"train": 0.8, "dev": 0.1, "test": 0.1}
    with pytest.raises(ExportError, match="'dev' is not NAME=RATIO"):
        parse_split("train=0.9,dev")
    with pytest.raises(ExportError, match="not a number"):
        parse_split("train=most")
    with pytest.raises(ExportError, match="'train' is named twice"):
        parse_split("train=0.5,train=0.5")


def test_export_selection_split_follows_ratios_and_is_stable_when_articles_are_added():
    split = (("train", 0.8), ("dev", 0.1), ("test", 0.1))
    hashes = [f"{n:064x}" for n in range(3000)]
    parts = {h: part_of(h, split, seed=7) for h in hashes}
    counts = {name: sum(1 for p in parts.values() if p == name) for name, _ in split}
    assert 2250 < counts["train"] < 2550 and 200 < counts["dev"] < 400 and 200 < counts["test"] < 400
    # Each article's part depends on its own text and the seed only: more articles move nobody.
    assert all(part_of(h, split, seed=7) == parts[h] for h in hashes[:100])
    assert [part_of(h, split, seed=8) for h in hashes[:50]] != [parts[h] for h in hashes[:50]]


def test_export_selection_split_writes_one_file_per_part(project, tmp_path):
    store, _ = project
    out = tmp_path / "out"
    report = export_project(store, out, format="jsonl", annotator="maria", split={"train": 0.5, "dev": 0.5}, seed=3)
    names = sorted(p.name for p in out.iterdir())
    assert names == ["dev.jsonl", "export.json", "train.jsonl"]
    total = sum(len((out / f"{part}.jsonl").read_text(encoding="utf-8").splitlines()) for part in ("train", "dev"))
    assert total == 3 == report.articles


def _eight_done_articles(store) -> dict[int, str]:
    hashes = {}
    for n in range(8):
        article, _ = store.articles.add(f"Invented report number {n}: fighting near the river crossing.")
        store.states.set(article, "maria", "done")
        hashes[article] = store.articles.get(article).content_hash
    return hashes


def test_export_selection_small_split_gives_every_part_an_article(store, tmp_path):
    hashes = _eight_done_articles(store)
    split = (("train", 0.8), ("dev", 0.2))
    # A seed for which hashing alone leaves dev empty: what the user met with 8 articles.
    seed = next(s for s in range(200) if all(part_of(h, split, s) == "train" for h in hashes.values()))
    report = export_project(store, tmp_path / "out", format="jsonl", annotator="maria",
                            split=dict(split), seed=seed)
    assert report.parts["dev"].articles == 1 and report.parts["train"].articles == 7
    assert len((tmp_path / "out" / "dev.jsonl").read_text(encoding="utf-8").splitlines()) == 1
    assert any("moved out of its hashed part" in line for line in report.lines())
    assert not report.warnings()
    # The same export again puts the same article in dev.
    again = export_project(store, tmp_path / "again", format="jsonl", annotator="maria", split=dict(split), seed=seed)
    assert (tmp_path / "again" / "dev.jsonl").read_text(encoding="utf-8") == \
        (tmp_path / "out" / "dev.jsonl").read_text(encoding="utf-8")
    assert again.parts["dev"].articles == 1


def test_export_selection_warns_when_a_part_must_stay_empty(store, tmp_path):
    article, _ = store.articles.add("One lonely invented report about a checkpoint.")
    store.states.set(article, "maria", "done")
    report = export_project(store, tmp_path / "out", format="jsonl", annotator="maria",
                            split={"train": 0.5, "dev": 0.3, "test": 0.2})
    assert len(report.empty_parts) == 2
    warning = report.warnings()[0]
    assert warning.startswith("warning:") and "1 article cannot fill 3 parts" in warning
    assert warning in report.lines()
