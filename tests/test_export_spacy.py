"""spaCy DocBin export: the Docs we write, the alignment rule, and spaCy's own CLI accepting them."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from annotator.export import export_project
from annotator.export.docbin import read_docs
from test_export_helpers import SHELLING, add, at, build_project


@pytest.fixture
def project(store):
    return store, build_project(store)


def docs_of(path) -> list:
    return list(read_docs(path))


def test_export_spacy_doc_has_entities_events_and_arguments(project, tmp_path):
    store, ids = project
    export_project(store, tmp_path, format="spacy", annotator="maria")
    docs = docs_of(tmp_path / "all")
    assert len(docs) == 3  # done articles only
    doc = docs[0]
    assert doc.text == SHELLING
    assert [(e.text, e.label_) for e in doc.ents] == [
        ("Rebel fighters", "ARMED_GROUP"), ("Korvath", "LOCATION"), ("Tuesday", "DATE"),
        ("three civilians", "QUANTITY"), ("Anna Veltri", "PERSON"),
    ]
    assert [(s.text, s.label_) for s in doc.spans["events"]] == [("shelled", "EXPLOSIONS_REMOTE_VIOLENCE")]
    assert doc.user_data["article_id"] == ids["shelling"]
    assert doc.user_data["annotator"] == "maria"
    assert doc.user_data["source"] == "Invented Wire"
    (event,) = doc.user_data["events"]
    assert event["attributes"]["modality"] == "happened"
    arguments = {a["role"]: SHELLING[a["start_char"] : a["end_char"]] for a in event["arguments"]}
    assert arguments == {"ACTOR": "Rebel fighters", "LOCATION": "Korvath", "TIME": "Tuesday"}
    assert docs[2].ents == ()  # an article marked done with no spans is a negative example


def test_export_spacy_overlapping_entities_longest_wins_all_kept_in_span_group(store, tmp_path):
    text = "Officials in North Korvath Province said the road was closed."
    article, _ = store.articles.add(text)
    add(store, article, text, "North Korvath Province", "LOCATION")
    add(store, article, text, "Korvath", "LOCATION")
    add(store, article, text, "Officials", "PERSON")
    store.states.set(article, "maria", "done")
    export_project(store, tmp_path, format="spacy", annotator="maria")
    (doc,) = docs_of(tmp_path / "all")
    assert [e.text for e in doc.ents] == ["Officials", "North Korvath Province"]
    assert [s.text for s in doc.spans["entities"]] == ["Officials", "North Korvath Province", "Korvath"]


def test_export_spacy_span_inside_a_token_splits_the_token_and_keeps_its_characters(store, tmp_path):
    text = "Troops left Korvath-based units behind on Monday."
    article, _ = store.articles.add(text)
    start, end = at(text, "orvath")  # starts inside a token
    store.spans.add(article, start, end, "LOCATION", "entity", annotator="maria")
    store.states.set(article, "maria", "done")
    report = export_project(store, tmp_path, format="spacy", annotator="maria")
    assert report.realigned == [] and report.not_aligned == []
    (split,) = report.tokens_split
    assert (split.article_id, split.start_char, split.end_char) == (article, start, end)
    assert any("the token 'Korvath' was split" in line and f"article {article}" in line for line in report.lines())
    (doc,) = docs_of(tmp_path / "all")
    assert doc.text == text
    assert [e.text for e in doc.ents] == ["orvath"]
    manifest = json.loads((tmp_path / "export.json").read_text(encoding="utf-8"))
    assert manifest["tokens_split"][0]["start"] == start


def test_export_spacy_citation_run_glued_to_a_word_is_never_widened(store, tmp_path):
    text = "At least forty people died.[3][4][5] The shelling went on."
    article, _ = store.articles.add(text)
    add(store, article, text, "died", "KILLING", "event")
    add(store, article, text, "forty people", "QUANTITY")
    store.states.set(article, "maria", "done")
    report = export_project(store, tmp_path / "spacy", format="spacy", annotator="maria")
    (doc,) = docs_of(tmp_path / "spacy" / "all")
    assert [s.text for s in doc.spans["events"]] == ["died"]
    assert [m.text for m in report.tokens_split] == ["died"] and report.realigned == []
    export_project(store, tmp_path / "jsonl", format="jsonl", annotator="maria")
    record = json.loads((tmp_path / "jsonl" / "all.jsonl").read_text(encoding="utf-8"))
    (event,) = [s for s in record["spans"] if s["layer"] == "event"]
    tokens = record["tokens"][event["token_start"] : event["token_end"] + 1]
    assert [t["text"] for t in tokens] == ["died"]
    assert "".join(t["text"] + (" " if t["ws"] else "") for t in record["tokens"]) == text


def test_export_spacy_two_spans_in_one_token_both_keep_their_characters(store, tmp_path):
    text = "Shelling hit KorvathOstra road early."  # "KorvathOstra" is one token
    article, _ = store.articles.add(text)
    add(store, article, text, "Korvath", "LOCATION")
    add(store, article, text, "Ostra", "LOCATION")
    add(store, article, text, "Shelling", "EXPLOSIONS_REMOTE_VIOLENCE", "event")
    store.states.set(article, "maria", "done")
    report = export_project(store, tmp_path, format="spacy", annotator="maria")
    assert report.realigned == [] and report.not_aligned == []
    assert [m.text for m in report.tokens_split] == ["Korvath", "Ostra"]
    (doc,) = docs_of(tmp_path / "all")
    assert [e.text for e in doc.ents] == ["Korvath", "Ostra"] and [s.text for s in doc.spans["events"]] == ["Shelling"]


def test_export_spacy_whitespace_at_an_edge_is_trimmed_never_widened(store, tmp_path):
    text = "Two villages were hit."
    article, _ = store.articles.add(text)
    store.spans.add(article, 3, 12, "LOCATION", "entity", annotator="maria")  # " villages"
    store.states.set(article, "maria", "done")
    report = export_project(store, tmp_path, format="spacy", annotator="maria")
    (trimmed,) = report.realigned
    assert text[trimmed.aligned_start : trimmed.aligned_end] == "villages"
    (doc,) = docs_of(tmp_path / "all")
    assert [e.text for e in doc.ents] == ["villages"]


def test_export_spacy_whitespace_span_cannot_be_aligned_and_is_reported(store, tmp_path):
    text = "Two  villages were hit."
    article, _ = store.articles.add(text)
    store.spans.add(article, 3, 5, "LOCATION", "entity", annotator="maria")  # the double space
    store.states.set(article, "maria", "done")
    report = export_project(store, tmp_path, format="spacy", annotator="maria")
    assert [(m.start_char, m.end_char, m.aligned_start) for m in report.not_aligned] == [(3, 5, None)]
    assert any("not aligned" in line for line in report.lines())


def synthetic_training_project(store) -> None:
    places = ["Korvath", "Delmar", "Velin", "Ostra", "Marek"]
    groups = ["Rebel fighters", "Government troops", "The militia"]
    for i in range(160):
        group, place = groups[i % 3], places[i % 5]
        if i % 4:
            text = f"{group} attacked positions near {place} on day {i}, officials said."
        else:
            text = f"Talks resumed in {place} after {i} days of calm."
        article, _ = store.articles.add(text)
        if i % 4:
            add(store, article, text, group, "ARMED_GROUP")
            add(store, article, text, "attacked", "BATTLES", "event", attributes={"modality": "happened"})
        add(store, article, text, place, "LOCATION")
        store.states.set(article, "maria", "done")


@pytest.mark.slow
def test_export_spacy_files_pass_spacy_debug_data_and_train(store, tmp_path):
    synthetic_training_project(store)
    corpus = tmp_path / "corpus"
    report = export_project(store, corpus, format="spacy", annotator="maria", split="train=0.75,dev=0.25")
    assert report.parts["train"].articles >= 100 and report.parts["dev"].articles > 0
    config = tmp_path / "config.cfg"
    spacy = [sys.executable, "-m", "spacy"]
    run = lambda *args: subprocess.run([*spacy, *map(str, args)], capture_output=True, text=True, cwd=tmp_path)  # noqa: E731
    # ner learns doc.ents; spancat learns the event triggers from doc.spans["events"].
    made = run("init", "config", config, "--lang", "en", "--pipeline", "ner,spancat", "--optimize", "efficiency")
    assert made.returncode == 0, made.stderr
    config.write_text(config.read_text(encoding="utf-8").replace("spans_sc_", "spans_events_"), encoding="utf-8")
    options = ["--paths.train", corpus / "train", "--paths.dev", corpus / "dev",
               "--components.spancat.spans_key", "events"]
    checked = run("debug", "data", config, *options)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "Corpus is loadable" in checked.stdout
    trained = run("train", config, *options, "--training.max_steps", "4", "--training.eval_frequency", "2",
                  "--output", tmp_path / "model")
    assert trained.returncode == 0, trained.stdout + trained.stderr
    assert "SPANS_EVEN" in trained.stdout  # spancat was scored on the events group
    assert (tmp_path / "model" / "model-last" / "ner").is_dir()
    assert (tmp_path / "model" / "model-last" / "spancat").is_dir()
