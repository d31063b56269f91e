"""What lands on disk: byte-identical re-exports, nothing partial, BRAT and doccano contents."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from annotator.export import FORMATS, ExportCancelled, export_project
from test_export_helpers import PROTEST, SHELLING, at, build_project


@pytest.fixture
def project(store):
    return store, build_project(store)


def snapshot(folder) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


EXPORT_ALL = """
import sys
from annotator.export import FORMATS, export_project
from annotator.store import Store
with Store.open(sys.argv[1], readonly=True) as store:
    for name in FORMATS:
        export_project(store, f"{sys.argv[2]}/{name}", format=name, annotator="maria",
                       split=None if name == "events" else {"train": 0.5, "dev": 0.5},
                       include_rejected=name == "jsonl")
"""


def test_export_files_are_byte_identical_when_exported_again(project, tmp_path):
    store, _ = project
    for name in FORMATS:
        export_project(store, tmp_path / "here" / name, format=name, annotator="maria",
                       split=None if name == "events" else {"train": 0.5, "dev": 0.5},
                       include_rejected=name == "jsonl")
    # Again in another process with another string hash seed: no set or dict order may leak into files.
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    done = subprocess.run([sys.executable, "-c", EXPORT_ALL, str(store.path), str(tmp_path / "there")],
                          env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    here, there = snapshot(tmp_path / "here"), snapshot(tmp_path / "there")
    assert here == there
    assert {name.split("/")[0] for name in here} == set(FORMATS)
    assert "spacy/train/0000.spacy" in here and "jsonl/dev.jsonl" in here


def test_export_files_interrupted_export_leaves_the_previous_one_untouched(project, tmp_path):
    store, _ = project
    out = tmp_path / "out"
    export_project(store, out, format="jsonl", annotator="maria")
    before = snapshot(out)

    def interrupt(done, total):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        export_project(store, out, format="jsonl", annotator="maria", include_rejected=True, progress=interrupt)
    assert snapshot(out) == before
    assert sorted(p.name for p in out.iterdir()) == ["all.jsonl", "export.json"]


def test_export_files_cancel_from_progress_writes_nothing(project, tmp_path):
    store, _ = project
    seen = []

    def cancel_after_two(done, total):
        seen.append((done, total))
        return done < 2

    with pytest.raises(ExportCancelled, match="after 2 of 3 articles"):
        export_project(store, tmp_path / "out", format="spacy", annotator="maria", progress=cancel_after_two)
    assert seen == [(1, 3), (2, 3)]
    assert list((tmp_path / "out").iterdir()) == []


def test_export_files_brat_offsets_match_the_txt_file_with_crlf(project, tmp_path):
    store, ids = project
    export_project(store, tmp_path, format="brat", annotator="maria")
    txt = tmp_path / "all" / f"{ids['shelling']}.txt"
    assert txt.read_bytes() == SHELLING.encode("utf-8")  # CRLF kept
    with open(txt, encoding="utf-8", newline="") as handle:
        text = handle.read()
    lines = (tmp_path / "all" / f"{ids['shelling']}.ann").read_text(encoding="utf-8").splitlines()
    for line in lines:
        if line.startswith("T"):
            key, label_offsets, covered = line.split("\t")
            start, end = map(int, label_offsets.split(" ")[1:3])
            assert text[start:end] == covered
    events = [line for line in lines if line.startswith("E")]
    assert len(events) == 1
    trigger = next(line for line in lines if "\tEXPLOSIONS_REMOTE_VIOLENCE " in line).split("\t")[0]
    by_id = {line.split("\t")[0]: line.split("\t")[2] for line in lines if line.startswith("T")}
    roles = dict(part.split(":") for part in events[0].split("\t")[1].split(" ")[1:])
    assert events[0].split("\t")[1].startswith(f"EXPLOSIONS_REMOTE_VIOLENCE:{trigger} ")
    assert {role: by_id[key] for role, key in roles.items()} == {
        "ACTOR": "Rebel fighters", "LOCATION": "Korvath", "TIME": "Tuesday",
    }
    assert "A1\tmodality E1 happened" in lines
    assert "A2\tsub_event_type E1 Shelling_artillery_missile_attack" in lines
    assert "#1\tAnnotatorNotes E1\treported_by: Anna Veltri" in lines


def test_export_files_brat_span_across_a_line_break_becomes_fragments(store, tmp_path):
    text = "Fighting near the\r\nriver crossing went on."
    article, _ = store.articles.add(text)
    start, end = at(text, "the\r\nriver crossing")
    store.spans.add(article, start, end, "FACILITY", "entity", annotator="maria")
    store.states.set(article, "maria", "done")
    export_project(store, tmp_path, format="brat", annotator="maria")
    ann = (tmp_path / "all" / f"{article}.ann").read_text(encoding="utf-8")
    assert ann == f"T1\tFACILITY {start} {start + 3};{start + 5} {end}\tthe river crossing\n"


def test_export_files_doccano_holds_entities_events_and_arguments(project, tmp_path):
    store, ids = project
    export_project(store, tmp_path, format="doccano", annotator="maria")
    records = [json.loads(l) for l in (tmp_path / "all.doccano.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [r["article_id"] for r in records] == [ids["shelling"], ids["protest"], ids["quiet"]]
    protest = records[1]
    assert protest["text"] == PROTEST
    spans = {e["id"]: (PROTEST[e["start_offset"] : e["end_offset"]], e["label"]) for e in protest["entities"]}
    assert sorted(spans.values()) == [("Delmar Square", "LOCATION"), ("gathered", "PROTESTS")]
    (relation,) = protest["relations"]
    assert (spans[relation["from_id"]][0], relation["type"], spans[relation["to_id"]][0]) == (
        "gathered", "LOCATION", "Delmar Square")
    all_ids = [e["id"] for r in records for e in r["entities"]]
    assert len(all_ids) == len(set(all_ids))


@pytest.mark.parametrize("name", ["spacy", "jsonl"])
def test_export_files_same_when_spacy_strings_are_freed_per_article(project, tmp_path, monkeypatch, name):
    import annotator.export.alignment as alignment

    store, _ = project
    export_project(store, tmp_path / "kept", format=name, annotator="maria")
    monkeypatch.setattr(alignment, "WARM_UP_ARTICLES", 0)  # every article in its own memory zone
    export_project(store, tmp_path / "freed", format=name, annotator="maria")
    assert snapshot(tmp_path / "freed") == snapshot(tmp_path / "kept")


def test_export_files_brat_config_names_the_labels_roles_and_attributes_used(project, tmp_path):
    store, _ = project
    export_project(store, tmp_path, format="brat", annotator="maria")
    config = (tmp_path / "annotation.conf").read_text(encoding="utf-8").splitlines()
    entities = config[config.index("[entities]") + 1 : config.index("[relations]") - 1]
    assert entities == ["ARMED_GROUP", "DATE", "LOCATION", "PERSON", "QUANTITY"]
    assert "EXPLOSIONS_REMOTE_VIOLENCE\tACTOR*:<ENTITY>, LOCATION*:<ENTITY>, TIME*:<ENTITY>" in config
    assert "PROTESTS\tLOCATION*:<ENTITY>" in config
    assert "modality\tArg:<EVENT>, Value:happened" in config
    assert "sub_event_type\tArg:<EVENT>, Value:Shelling_artillery_missile_attack" in config


class Killed(BaseException):
    """Stands for a kill: nothing after it runs (no except, no cleanup that catches Exception)."""


def _kill_after(monkeypatch, moves: int):
    from annotator.export import staging

    real = os.replace
    count = []

    def replace(src, dst):
        if len(count) == moves:
            raise Killed()
        count.append((src, dst))
        return real(src, dst)

    monkeypatch.setattr(staging.os, "replace", replace)


def _export_twice_killed(store, out, monkeypatch, moves):
    export_project(store, out, format="spacy", annotator="maria", split={"train": 0.5, "dev": 0.5}, seed=1)
    _kill_after(monkeypatch, moves)
    with pytest.raises(Killed):
        export_project(store, out, format="spacy", annotator="maria", split={"train": 0.5, "dev": 0.5}, seed=2)
    monkeypatch.undo()


@pytest.mark.parametrize("moves", [1, 2, 3])
def test_export_files_kill_while_moving_never_leaves_a_mix_that_looks_complete(project, tmp_path, monkeypatch, moves):
    # moves=1: the staged folder became .ready, then the kill; 2, 3: one or two parts moved already.
    store, _ = project
    out = tmp_path / "out"
    _export_twice_killed(store, out, monkeypatch, moves)
    assert not (out / "export.json").exists()  # new dev/ beside old train/ must not look complete
    expected = tmp_path / "expected"
    export_project(store, expected, format="spacy", annotator="maria", split={"train": 0.5, "dev": 0.5}, seed=2)
    # The next export into the folder first finishes the interrupted one, then writes its own.
    report = export_project(store, out, format="jsonl", annotator="maria")
    assert any("finished putting in place an export interrupted" in line for line in report.lines())
    assert {k: v for k, v in snapshot(out).items() if k.split("/")[0] in ("train", "dev")} == \
        {k: v for k, v in snapshot(expected).items() if k.split("/")[0] in ("train", "dev")}
    assert not [p.name for p in out.iterdir() if p.name.startswith(".")]


def test_export_files_half_written_folder_of_a_killed_export_is_removed(project, tmp_path):
    store, _ = project
    out = tmp_path / "out"
    export_project(store, out, format="jsonl", annotator="maria")
    before = snapshot(out)
    stale = out / ".export-k1ll3d.part"
    (stale / "all").mkdir(parents=True)
    (stale / "all.jsonl").write_text("half a line", encoding="utf-8")
    report = export_project(store, out, format="jsonl", annotator="maria")
    assert not stale.exists()
    assert "  removed .export-k1ll3d.part, left by an interrupted export" in report.lines()
    assert snapshot(out) == before


KILLED_EXPORT = """
import os, signal, sys
from annotator.export import export_project, staging
from annotator.store import Store
real, moves = os.replace, []
def replace(src, dst):
    if len(moves) == 2:
        os.kill(os.getpid(), signal.SIGKILL)
    moves.append(dst)
    real(src, dst)
staging.os.replace = replace
with Store.open(sys.argv[1], readonly=True) as store:
    export_project(store, sys.argv[2], format="spacy", annotator="maria", split={"train": 0.5, "dev": 0.5}, seed=2)
"""


def test_export_files_real_sigkill_while_moving_is_finished_by_the_next_run(project, tmp_path):
    import signal

    from annotator.export.staging import recover

    store, _ = project
    out = tmp_path / "out"
    export_project(store, out, format="spacy", annotator="maria", split={"train": 0.5, "dev": 0.5}, seed=1)
    done = subprocess.run([sys.executable, "-c", KILLED_EXPORT, str(store.path), str(out)], capture_output=True)
    assert done.returncode == -signal.SIGKILL
    assert not (out / "export.json").exists()
    assert [p.name for p in out.iterdir() if p.name.endswith(".ready")]
    notes = recover(out)
    assert notes[0].startswith("finished putting in place an export interrupted")
    expected = tmp_path / "expected"
    export_project(store, expected, format="spacy", annotator="maria", split={"train": 0.5, "dev": 0.5}, seed=2)
    assert snapshot(out) == snapshot(expected)
