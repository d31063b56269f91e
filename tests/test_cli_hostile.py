"""Hostile and broken input and places on the command line (issue 17, items 11, 12, 13, 15, 16):
escapes in names, size limits, disk full, read-only files and folders, deep nesting, labels outside
the scheme, progress off a terminal."""

import io
import json
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.commands import _common
from annotator.commands._common import Progress
from annotator.importers import readers, records
from annotator.store import Store
from annotator.store import project as store_project
from annotator.terminal import visible


def run(capsys, *argv):
    status = main([str(a) for a in argv])
    out = capsys.readouterr()
    return status, out.out, out.err


def jsonl(path: Path, *objects) -> Path:
    path.write_text("".join(json.dumps(o) + "\n" for o in objects), encoding="utf-8")
    return path


def colleague_project(tmp_path: Path, name: str = "ann") -> Path:
    """A colleague's project file with one finished article, made through the store as the app would."""
    path = tmp_path / "colleague" / "theirs.sqlite"
    path.parent.mkdir(parents=True, exist_ok=True)
    with Store.open(path) as store:
        article_id, _ = store.articles.add("Rebels attacked the garrison in Djibo on Monday.")
        store.annotators.ensure(name)
        store.spans.add(article_id, 32, 37, "LOCATION", "entity", annotator=name, log=False)
        store.states.set(article_id, name, "done")
    return path


# -- 11: escapes and limits --------------------------------------------------------------------------

def test_terminal_escapes_in_a_colleagues_file_are_printed_visibly(tmp_path, capsys):
    hostile = "ann\x1b]0;owned\x07\x1b[2J\u202e"
    theirs = colleague_project(tmp_path, name=hostile)
    project = tmp_path / "p.sqlite"
    with Store.open(project):
        pass
    status, out, err = run(capsys, "merge", "--db", project, theirs)
    assert status == 0, err
    assert "\x1b" not in out + err and "\x07" not in out + err and "\u202e" not in out
    assert "ann\\x1b]0;owned\\x07\\x1b[2J\\u202e" in out
    status, out, err = run(capsys, "stats", "--db", project)
    assert status == 0 and "ann\\x1b]0;owned" in out and "\x1b" not in out + err


def test_visible_keeps_ordinary_text_and_escapes_controls():
    assert visible("Київ — 😀\tline\nnext") == "Київ — 😀\tline\nnext"
    assert visible("a\rb\x9bc\x00") == "a\\x0db\\x9bc\\x00"


def test_a_title_over_the_limit_is_refused_naming_file_line_field_and_limit(tmp_path, capsys):
    source = jsonl(tmp_path / "big.jsonl", {"text": "A short report."},
                   {"text": "Another report.", "title": "T" * (records.MAX_TITLE_CHARS + 1)})
    status, out, _ = run(capsys, "import", "--db", tmp_path / "p.sqlite", source)
    assert status == 1
    assert f"big.jsonl:2: title: {records.MAX_TITLE_CHARS + 1:,} characters, more than the " \
           f"{records.MAX_TITLE_CHARS:,}" in out
    assert "articles imported: 0" in out


def test_a_line_over_the_limit_is_refused_without_being_read_whole(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(readers, "MAX_LINE_BYTES", 100_000)
    source = tmp_path / "long.jsonl"
    source.write_text(json.dumps({"text": "fine"}) + "\n" + json.dumps({"text": "x" * 3_000_000}) + "\n"
                      + json.dumps({"text": "also fine"}) + "\n", encoding="utf-8")
    status, out, _ = run(capsys, "import", "--skip-invalid", "--db", tmp_path / "p.sqlite", source)
    assert status == 0
    assert "long.jsonl:2: a line of 3,000,013 bytes, more than the 100,000" in out
    assert "articles imported: 2" in out

    reads: list[int] = []

    class Recording:
        def __init__(self, handle):
            self.handle = handle

        def readline(self, size=-1):
            line = self.handle.readline(size)
            reads.append(len(line))
            return line

    with source.open("rb") as handle:
        lines = list(readers._lines_within_limit(source, Recording(handle)))
    assert [n for n, _ in lines] == [1, 2, 3] and isinstance(lines[1][1], records.InputError)
    assert max(reads) <= 1 << 20, "the long line was read whole"


def test_a_project_file_with_a_huge_title_is_refused_by_merge(tmp_path, capsys):
    theirs = colleague_project(tmp_path)
    with Store.open(theirs) as store:
        store.articles.add("Second report.", title="x" * (records.MAX_TITLE_CHARS + 5))
    project = tmp_path / "p.sqlite"
    with Store.open(project):
        pass
    status, _, err = run(capsys, "merge", "--db", project, theirs)
    assert status == 2
    assert "table articles, row 2: title: 10,005 characters, more than the 10,000" in err
    assert "Traceback" not in err


# -- 12: disk full, read-only file, deep nesting -----------------------------------------------------

@pytest.fixture
def small_disk(monkeypatch):
    """Call with a project file: from then on SQLite's own limit on that file's size (max_page_count)
    holds on every connection the app opens to it, a few pages above what it has: the same
    SQLITE_FULL a full disk gives, without filling one."""
    configure = store_project.ProjectFile._configure_connection

    def limit(project: Path) -> None:
        def limited(self):
            configure(self)
            if self.path == project:
                pages = self._db.execute("PRAGMA page_count").fetchone()[0]
                self._db.execute(f"PRAGMA max_page_count = {pages + 8}")

        monkeypatch.setattr(store_project.ProjectFile, "_configure_connection", limited)

    return limit


def test_disk_full_during_import_is_one_sentence_not_a_traceback(tmp_path, capsys, small_disk):
    project = tmp_path / "p.sqlite"
    with Store.open(project):
        pass
    small_disk(project)
    texts = [{"text": f"Report {n}: " + "shelling near the depot. " * 400} for n in range(40)]
    status, out, err = run(capsys, "import", "--db", project, jsonl(tmp_path / "many.jsonl", *texts))
    assert status == 1
    assert "Traceback" not in err
    assert "many.jsonl: the disk holding" in out and "is full" in out and "Free some space" in out


def test_disk_full_during_merge_is_one_sentence_not_a_traceback(tmp_path, capsys, small_disk):
    theirs = colleague_project(tmp_path)
    with Store.open(theirs) as store:
        for n in range(30):
            store.articles.add(f"Report {n}: " + "artillery struck the bridge again. " * 300)
    project = tmp_path / "p.sqlite"
    with Store.open(project):
        pass
    small_disk(project)
    status, _, err = run(capsys, "merge", "--db", project, theirs)
    assert status == 2
    assert "Traceback" not in err
    assert "annotator: error: the disk holding" in err and "Free some space" in err


def immutable(path: Path):
    """Make ``path`` immutable (chattr +i): even root cannot write it, as on read-only media."""
    if shutil.which("chattr") is None or subprocess.run(["chattr", "+i", str(path)], capture_output=True).returncode:
        pytest.skip("chattr +i is not available here")
    return path


@pytest.fixture
def unlock():
    locked: list[Path] = []
    yield locked.append
    for path in locked:
        subprocess.run(["chattr", "-i", str(path)], capture_output=True)


def test_a_read_only_project_file_is_one_sentence_for_import_and_merge(tmp_path, capsys, unlock):
    project = tmp_path / "p.sqlite"
    assert run(capsys, "import", "--db", project, jsonl(tmp_path / "a.jsonl", {"text": "First report."}))[0] == 0
    theirs = colleague_project(tmp_path)
    unlock(immutable(project))
    status, out, err = run(capsys, "import", "--db", project, jsonl(tmp_path / "b.jsonl", {"text": "Second."}))
    assert status == 1 and "Traceback" not in err
    assert "cannot be written here" in out and "copy it to a folder you can write" in out
    status, _, err = run(capsys, "merge", "--db", project, theirs)
    assert status == 2 and "Traceback" not in err
    assert "cannot be written here" in err
    # Reading still works.
    status, out, _ = run(capsys, "stats", "--db", project, "--json")
    assert status == 0 and json.loads(out)["articles"] == 1


def test_deeply_nested_json_is_refused_in_a_sentence_by_import_and_merge(tmp_path, capsys):
    deep = '{"text": "A report.", "meta": ' + "[" * 100_000 + "]" * 100_000 + "}\n"
    source = tmp_path / "deep.jsonl"
    source.write_text('{"text": "Fine."}\n' + deep, encoding="utf-8")
    project = tmp_path / "p.sqlite"
    status, out, err = run(capsys, "import", "--db", project, source)
    assert status == 1 and "Traceback" not in err
    assert "deep.jsonl:2: JSON nested too deeply" in out
    status, _, err = run(capsys, "merge", "--db", project, source)
    assert status == 2 and "Traceback" not in err
    assert "deep.jsonl:2: JSON nested too deeply" in err


def test_a_colleagues_project_file_with_deeply_nested_meta_is_refused_by_merge(tmp_path, capsys):
    theirs = colleague_project(tmp_path)
    conn = sqlite3.connect(theirs)
    conn.execute("UPDATE articles SET meta = ?", ["[" * 100_000 + "]" * 100_000])
    conn.commit()
    conn.close()
    project = tmp_path / "p.sqlite"
    with Store.open(project):
        pass
    status, _, err = run(capsys, "merge", "--db", project, theirs)
    assert status == 2 and "Traceback" not in err
    assert "table articles, row 1: meta: JSON nested too deeply" in err


# -- 13: read-only folders and media -----------------------------------------------------------------

@pytest.fixture
def read_only_folder(tmp_path):
    """A folder mounted read-only (a bind mount): as a CD or a write-protected share looks to SQLite."""
    source = tmp_path / "rw"
    source.mkdir()
    target = tmp_path / "ro"
    target.mkdir()
    mounted = []

    def mount() -> Path:
        for command in (["mount", "--bind", str(source), str(target)],
                        ["mount", "-o", "remount,bind,ro", str(target)]):
            if subprocess.run(command, capture_output=True).returncode:
                subprocess.run(["umount", str(target)], capture_output=True)
                pytest.skip("cannot mount a folder read-only here (needs root)")
            mounted.append(target)
        return target

    yield source, mount
    if mounted:
        subprocess.run(["umount", str(target)], capture_output=True)


def test_a_project_in_a_read_only_folder_reads_and_says_read_only_when_written(tmp_path, capsys, read_only_folder):
    source, mount = read_only_folder
    assert run(capsys, "import", "--db", source / "p.sqlite",
               jsonl(tmp_path / "a.jsonl", {"text": "First report."}))[0] == 0
    folder = mount()
    project = folder / "p.sqlite"
    status, out, err = run(capsys, "stats", "--db", project, "--json")
    assert status == 0, err
    assert json.loads(out)["articles"] == 1
    status, out, err = run(capsys, "import", "--db", project, jsonl(tmp_path / "b.jsonl", {"text": "Second."}))
    assert "not an annotation project" not in out + err
    assert status == 1 and "cannot be written here" in out and "read-only" in out


def test_a_colleagues_file_on_read_only_media_merges_and_leaves_nothing_beside_it(tmp_path, capsys, read_only_folder):
    source, mount = read_only_folder
    theirs = colleague_project(tmp_path)
    shutil.copy(theirs, source / "theirs.sqlite")
    folder = mount()
    project = tmp_path / "p.sqlite"
    with Store.open(project):
        pass
    status, out, err = run(capsys, "merge", "--db", project, folder / "theirs.sqlite")
    assert status == 0, err
    assert "spans: 1 added" in out


def test_merging_a_colleagues_file_leaves_no_wal_or_shm_beside_it(tmp_path, capsys):
    theirs = colleague_project(tmp_path)
    project = tmp_path / "p.sqlite"
    with Store.open(project):
        pass
    before = sorted(os.listdir(theirs.parent))
    status, _, err = run(capsys, "merge", "--db", project, theirs)
    assert status == 0, err
    assert sorted(os.listdir(theirs.parent)) == before == ["theirs.sqlite"]


# -- 15: labels outside the scheme -------------------------------------------------------------------

def test_labels_outside_the_scheme_are_named_counted_and_added_to_the_project(tmp_path, capsys):
    text = "Militants from Mali attacked Djibo."
    source = jsonl(tmp_path / "spacy.jsonl",
                   {"text": text, "spans": [{"start": 15, "end": 19, "label": "GPE"},
                                            {"start": 29, "end": 34, "label": "GPE"},
                                            {"start": 0, "end": 9, "label": "NORP"}], "answer": "accept"})
    project = tmp_path / "p.sqlite"
    status, out, _ = run(capsys, "import", "--db", project, source)
    assert status == 0
    assert "labels not in the project's scheme 'conflict', added to it as labels of their own: " \
           "GPE (2 spans), NORP (1 span)" in out
    assert "--label-map GPE=LABEL" in out
    with Store.open(project) as store:
        scheme = store.project_scheme()
        assert scheme.label("GPE") is not None and scheme.label("NORP") is not None
        assert scheme.label("GPE").layer.value == "entity"


def test_label_map_renames_another_tools_labels_on_import_and_merge(tmp_path, capsys):
    text = "Militants from Mali attacked Djibo."
    source = jsonl(tmp_path / "spacy.jsonl",
                   {"text": text, "spans": [{"start": 29, "end": 34, "label": "GPE"}], "answer": "accept",
                    "_annotator_id": "bob"})
    project = tmp_path / "p.sqlite"
    status, out, _ = run(capsys, "import", "--db", project, "--label-map", "GPE=LOCATION", source)
    assert status == 0 and "not in the project's scheme" not in out
    with Store.open(project) as store:
        assert store.spans.labels_in_use() == {"LOCATION": 1}
        assert store.scheme_extra_labels() == {}
    pairs = tmp_path / "map.json"
    pairs.write_text(json.dumps({"GPE": "LOCATION"}), encoding="utf-8")
    other = tmp_path / "q.sqlite"
    with Store.open(other):
        pass
    status, out, err = run(capsys, "merge", "--db", other, "--label-map", pairs, source)
    assert status == 0, err
    assert "not in the project's scheme" not in out
    with Store.open(other) as store:
        assert store.spans.labels_in_use() == {"LOCATION": 1}


def test_merge_names_labels_outside_the_scheme(tmp_path, capsys):
    theirs = colleague_project(tmp_path)
    with Store.open(theirs) as store:
        store.spans.add(1, 0, 6, "REBEL_GROUP", "entity", annotator="ann", log=False)
    project = tmp_path / "p.sqlite"
    with Store.open(project):
        pass
    status, out, err = run(capsys, "merge", "--db", project, theirs)
    assert status == 0, err
    assert "added to it as labels of their own: REBEL_GROUP (1 span)" in out
    with Store.open(project) as store:
        assert store.project_scheme().label("REBEL_GROUP") is not None


def test_a_bad_label_map_is_a_clear_error(tmp_path, capsys):
    status, _, err = run(capsys, "import", "--db", tmp_path / "p.sqlite", "--label-map", "PER",
                         jsonl(tmp_path / "a.jsonl", {"text": "x"}))
    assert status == 2 and "--label-map 'PER': expected THEIRS=OURS" in err


# -- 16: progress off a terminal ---------------------------------------------------------------------

def test_progress_off_a_terminal_prints_a_plain_line_every_interval():
    now = [0.0]
    stream = io.StringIO()
    progress = Progress("importing", "article", 1000, stream=stream, interval=5.0, clock=lambda: now[0])
    for _ in range(100):
        now[0] += 0.25  # 100 updates over 25 seconds
        progress.update(10)
    progress.close()
    lines = stream.getvalue().splitlines()
    assert len(lines) == 5
    assert lines[0] == "importing: 200 articles of 1,000 articles (20%), 40 articles/s"
    assert lines[-1].startswith("importing: 1,000 articles of 1,000 articles (100%)")


def test_import_off_a_terminal_says_how_far_it_is(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(_common, "PROGRESS_SECONDS", 0.0)
    source = jsonl(tmp_path / "a.jsonl", *({"text": f"Report {n}."} for n in range(20)))
    status, _, err = run(capsys, "import", "--db", tmp_path / "p.sqlite", source)
    assert status == 0
    lines = [line for line in err.splitlines() if line.startswith("importing: ")]
    assert len(lines) >= 20 and lines[-1].endswith("B/s") and "(100%)" in lines[-1]


def test_suggest_off_a_terminal_says_how_far_it_is(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(_common, "PROGRESS_SECONDS", 0.0)
    project = tmp_path / "p.sqlite"
    source = jsonl(tmp_path / "a.jsonl", *({"text": f"Report {n}: troops shelled Kharkiv."} for n in range(4)))
    assert run(capsys, "import", "--db", project, source)[0] == 0
    # A pipeline that is not there: the suggester runs on its rules alone (fast), with a warning.
    status, out, err = run(capsys, "suggest", "--db", project, "--model", tmp_path / "no-such-pipeline")
    assert status == 0, err
    lines = [line for line in err.splitlines() if line.startswith("suggesting: ")]
    assert lines and lines[-1].startswith("suggesting: 4 articles of 4 articles (100%)")
