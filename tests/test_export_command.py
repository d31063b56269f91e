"""``annotator export`` on the command line."""

from __future__ import annotations

from annotator.cli import main
from test_export_helpers import build_project


def test_export_command_writes_files_and_prints_the_summary(store, tmp_path, capsys):
    build_project(store)
    text = "Shelling hit KorvathOstra road early."
    article, _ = store.articles.add(text)
    start = text.index("Korvath")
    store.spans.add(article, start, start + 7, "LOCATION", "entity", annotator="maria")
    store.states.set(article, "maria", "done")
    out = tmp_path / "corpus"
    status = main(["export", "--db", str(store.path), "--format", "spacy", "--out", str(out),
                   "--annotator", "maria", "--split", "train=0.5,dev=0.5", "--seed", "1"])
    printed = capsys.readouterr().out
    assert status == 0
    assert printed.splitlines()[0] == f"exported 4 articles of maria as spacy to {out}"
    split = (f"article {article}: entity LOCATION {start}-{start + 7} 'Korvath': the token 'KorvathOstra'"
             " was split so that the span keeps its exact characters")
    assert split in printed
    assert sorted(p.name for p in out.iterdir()) == ["dev", "export.json", "train"]


def test_export_command_unknown_annotator_is_an_error_listing_annotators(store, tmp_path, capsys):
    build_project(store)
    status = main(["export", "--db", str(store.path), "--format", "jsonl", "--out", str(tmp_path / "o"),
                   "--annotator", "mario"])
    assert status == 2
    assert "no annotator named 'mario' in this project (known: gold, maria)" in capsys.readouterr().err


def test_export_command_bad_split_is_an_error(store, tmp_path, capsys):
    build_project(store)
    status = main(["export", "--db", str(store.path), "--format", "jsonl", "--out", str(tmp_path / "o"),
                   "--gold", "--split", "train=0.7,dev=0.2"])
    assert status == 2
    assert "split ratios must add up to 1, they add up to 0.9" in capsys.readouterr().err
    assert not (tmp_path / "o").exists()


def test_export_command_unwritable_folder_is_an_error_not_a_traceback(store, tmp_path, capsys):
    build_project(store)
    blocker = tmp_path / "taken"
    blocker.write_text("a file where the folder should be", encoding="utf-8")
    status = main(["export", "--db", str(store.path), "--format", "jsonl", "--out", str(blocker / "corpus"),
                   "--annotator", "maria"])
    assert status == 2
    assert f"cannot write the export to {blocker / 'corpus'}" in capsys.readouterr().err
