import json

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
