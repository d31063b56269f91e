import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from annotator import __version__, config
from annotator.cli import main


def run(capsys, *argv):
    status = main(list(argv))
    out = capsys.readouterr()
    return status, out.out, out.err


def test_cli_version(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    assert __version__ in capsys.readouterr().out


def test_cli_new_default_project_gets_the_samples(capsys):
    status, out, _ = run(capsys, "stats", "--json")
    assert status == 0
    stats = json.loads(out)
    assert stats["articles"] >= 5 and stats["spans"] == 0
    assert config.default_db_path().exists()


def test_cli_db_option_and_environment_choose_the_project(capsys, tmp_path, monkeypatch, write):
    article = write("a.txt", "Clashes near Aleppo\n\nNine fighters were killed.")
    status, out, _ = run(capsys, "import", "--db", str(tmp_path / "one.sqlite"), str(article))
    assert status == 0 and "articles imported: 1" in out
    monkeypatch.setenv("ANNOTATOR_DB", str(tmp_path / "one.sqlite"))
    status, out, _ = run(capsys, "stats", "--json")
    assert json.loads(out)["articles"] == 1
    assert not config.default_db_path().exists(), "an explicit project never creates the default one"


def test_cli_import_failure_exits_non_zero_and_names_the_line(capsys, tmp_path, write):
    bad = write("bad.jsonl", '{"text": "fine"}\n{"text": "fine too"}\n{"text": \n')
    status, out, _ = run(capsys, "import", "--db", str(tmp_path / "p.sqlite"), str(bad))
    assert status == 1
    assert "bad.jsonl:3: not valid JSON" in out
    assert "articles imported: 0" in out


def test_cli_missing_path_is_a_clear_error(capsys, tmp_path):
    status, _, err = run(capsys, "import", "--db", str(tmp_path / "p.sqlite"), str(tmp_path / "nowhere.txt"))
    assert status == 2
    assert "nowhere.txt: no such file or folder" in err


def test_cli_refuses_foreign_file(capsys, tmp_path):
    foreign = tmp_path / "foreign.sqlite"
    foreign.write_bytes(b"x" * 4096)
    status, _, err = run(capsys, "stats", "--db", str(foreign))
    assert status == 2
    assert "is not an annotation project" in err


def test_cli_stats_table_lists_labels_and_states(capsys, tmp_path, write):
    record = {"text": "Russian forces shelled Kharkiv.", "answer": "accept",
              "spans": [{"start": 23, "end": 30, "label": "LOCATION"}]}
    path = write("p.jsonl", json.dumps(record) + "\n")
    db = str(tmp_path / "p.sqlite")
    run(capsys, "import", "--db", db, "--annotator", "olena", str(path))
    status, out, _ = run(capsys, "stats", "--db", db)
    assert status == 0
    assert "articles: 1" in out and "LOCATION" in out and "olena" in out and "done" in out


# A command's arguments after `--db PATH`; each must refuse a PATH where there is no project.
COMMANDS_ON_A_PROJECT = {
    "stats": [],
    "suggest": [],
    "agreement": [],
    "review": [],
    "scheme": [],
    "export": ["--format", "jsonl", "--annotator", "ana", "--out", "{tmp}/out"],
    "merge": ["{tmp}/theirs.jsonl"],
}


@pytest.mark.parametrize("command", sorted(COMMANDS_ON_A_PROJECT))
def test_cli_mistyped_db_is_refused_and_creates_nothing(capsys, tmp_path, command):
    typo = tmp_path / "projcets" / "war.sqlite"
    extra = [arg.format(tmp=tmp_path) for arg in COMMANDS_ON_A_PROJECT[command]]
    status, out, err = run(capsys, command, "--db", str(typo), *extra)
    assert status == 2
    assert f"no project at {typo}; `annotator import` creates one" in err
    assert not typo.parent.exists(), "a mistyped --db must leave no folder or file behind"
    assert not config.default_db_path().exists()


def test_cli_import_creates_the_project_and_its_folder(capsys, tmp_path, write):
    article = write("a.txt", "Clashes near Aleppo\n\nNine fighters were killed.")
    db = tmp_path / "new" / "war.sqlite"
    status, out, _ = run(capsys, "import", "--db", str(db), str(article))
    assert status == 0 and "articles imported: 1" in out
    status, out, _ = run(capsys, "stats", "--db", str(db), "--json")
    assert status == 0 and json.loads(out)["articles"] == 1


def one_sentence_error(err: str) -> str:
    """The message, checked to be what a user should see: one line, no traceback, no SQLite jargon."""
    assert err.startswith("annotator: error: ") and err.count("\n") == 1, err
    assert "Traceback" not in err and "OperationalError" not in err and "disk I/O error" not in err, err
    return err


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs Linux /proc")
@pytest.mark.parametrize("command", ["stats", "import"])
def test_cli_path_sqlite_cannot_use_gets_one_sentence(capsys, tmp_path, write, command):
    extra = [str(write("a.txt", "Shelling in Kharkiv."))] if command == "import" else []
    status, _, err = run(capsys, command, "--db", "/proc/x.sqlite", *extra)
    assert status == 2
    assert "/proc/x.sqlite" in one_sentence_error(err)


@pytest.mark.parametrize("command", ["stats", "import"])
def test_cli_folder_as_db_gets_one_sentence(capsys, tmp_path, write, command):
    extra = [str(write("a.txt", "Shelling in Kharkiv."))] if command == "import" else []
    status, _, err = run(capsys, command, "--db", str(tmp_path), *extra)
    assert status == 2
    assert f"{tmp_path} is a folder, not a project file" in one_sentence_error(err)


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root may write anywhere")
def test_cli_import_into_an_unwritable_folder_gets_one_sentence(capsys, tmp_path, write):
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    try:
        status, _, err = run(capsys, "import", "--db", str(locked / "p.sqlite"), str(write("a.txt", "Shelling.")))
    finally:
        locked.chmod(0o700)
    assert status == 2
    assert f"no permission to write in {locked}" in one_sentence_error(err)


def test_cli_stats_into_a_closed_pipe_exits_quietly(tmp_path, write):
    db = tmp_path / "p.sqlite"
    assert main(["import", "--db", str(db), str(write("a.txt", "Clashes near Aleppo."))]) == 0
    # `annotator stats | head -3` where head has already gone: the pipe's reader is closed before the
    # command writes, so every write fails with EPIPE, deterministically.
    reader, writer = os.pipe()
    os.close(reader)
    try:
        done = subprocess.run([sys.executable, "-m", "annotator", "stats", "--db", str(db)], stdout=writer,
                              stderr=subprocess.PIPE, text=True, timeout=60)
    finally:
        os.close(writer)
    assert "Traceback" not in done.stderr and "BrokenPipeError" not in done.stderr, done.stderr
    assert done.stderr == ""
    assert done.returncode == 141


def test_cli_parser_repeats_the_domain_constants_faithfully():
    """The parser names the export formats and batch size without importing spaCy; the values agree."""
    from annotator.commands import export, suggest
    from annotator.export import FORMATS
    from annotator.suggest import DEFAULT_BATCH_SIZE

    assert export.FORMATS == FORMATS
    assert suggest.DEFAULT_BATCH_SIZE == DEFAULT_BATCH_SIZE


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root may write anywhere")
def test_cli_project_in_an_unwritable_folder_gets_one_sentence(capsys, tmp_path, write):
    folder = tmp_path / "shared"
    db = folder / "p.sqlite"
    assert main(["import", "--db", str(db), str(write("a.txt", "Shelling in Kharkiv."))]) == 0
    capsys.readouterr()
    for leftover in folder.glob("p.sqlite-*"):  # as a project copied from elsewhere arrives
        leftover.unlink()
    folder.chmod(0o500)
    try:
        status, _, err = run(capsys, "stats", "--db", str(db))
    finally:
        folder.chmod(0o700)
    if status == 0:
        pytest.skip("this SQLite opens WAL files read-only without writing beside them")
    assert status == 2
    assert f"{folder} is not writable" in one_sentence_error(err)
