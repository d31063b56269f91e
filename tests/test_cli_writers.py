"""Several programs writing one project file from the command line (issue 17, item 3b): nobody's
work is lost, a writer that has to wait says so, and a file still imports whole or not at all."""

import json
import os
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

from annotator import importers
from annotator.cli import main
from annotator.store import Store


def annotator(*argv, env=None):
    return subprocess.Popen([sys.executable, "-m", "annotator", *argv], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env)


def articles_file(path: Path, prefix: str, count: int) -> Path:
    with path.open("w", encoding="utf-8") as handle:
        for number in range(count):
            text = f"{prefix} report {number}: shelling near the river crossing wounded {number % 40 + 2} people."
            handle.write(json.dumps({"text": text, "spans": [{"start": 0, "end": len(prefix), "label": "LOCATION"}],
                                     "answer": "accept"}) + "\n")
    return path


def texts_in(project: Path) -> list[str]:
    with Store.open(project, readonly=True) as store:
        return [article.text for article in store.articles.iter()]


def test_two_imports_at_once_on_one_file_both_succeed_with_every_article_once(tmp_path, capsys):
    project = tmp_path / "p.sqlite"
    assert main(["import", "--db", str(project), str(articles_file(tmp_path / "seed.jsonl", "Seed", 1))]) == 0
    capsys.readouterr()
    first = articles_file(tmp_path / "first.jsonl", "Kherson", 2500)
    second = articles_file(tmp_path / "second.jsonl", "Mopti", 2500)
    runs = [annotator("import", "--db", str(project), "--annotator", name, str(path))
            for name, path in (("ann", first), ("bob", second))]
    results = [run.communicate(timeout=300) for run in runs]
    for run, (out, err) in zip(runs, results):
        assert run.returncode == 0, err
        assert "Traceback" not in err and "articles imported: 2,500" in out.replace("2500", "2,500")
    texts = texts_in(project)
    assert len(texts) == len(set(texts)) == 5001
    with Store.open(project, readonly=True) as store:
        assert store.articles.count() == 5001


def test_an_import_waits_for_another_programs_write_and_says_so(tmp_path):
    project = tmp_path / "p.sqlite"
    assert main(["import", "--db", str(project), str(articles_file(tmp_path / "seed.jsonl", "Seed", 1))]) == 0
    holding = threading.Event()

    def hold_the_write_lock():
        conn = sqlite3.connect(project)
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("INSERT INTO project(key, value) VALUES ('held', 'yes')")
        holding.set()
        time.sleep(3)
        conn.commit()
        conn.close()

    holder = threading.Thread(target=hold_the_write_lock)
    holder.start()
    holding.wait(10)
    run = annotator("import", "--db", str(project), str(articles_file(tmp_path / "more.jsonl", "Goma", 50)))
    out, err = run.communicate(timeout=120)
    holder.join()
    assert run.returncode == 0, err
    assert f"waiting for another program writing to {project}" in err
    assert "Traceback" not in err and "articles imported: 50" in out
    assert len(texts_in(project)) == 51


def test_a_file_with_a_bad_record_after_many_steps_imports_nothing(tmp_path, capsys, monkeypatch):
    # Steps of 10 records: the bad record at line 95 comes long after the first steps would have been written.
    monkeypatch.setattr(importers, "STEP_RECORDS", 10)
    path = articles_file(tmp_path / "late.jsonl", "Bakhmut", 120)
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[94] = '{"text": "broken'
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    project = tmp_path / "p.sqlite"
    status = main(["import", "--db", str(project), str(path)])
    out = capsys.readouterr().out
    assert status == 1 and "late.jsonl:95: not valid JSON" in out and "articles imported: 0" in out
    assert texts_in(project) == []


def write_ticks(project, commits: list[float], done: threading.Event) -> None:
    """Another program's one-line writes, as fast as the lock allows, until ``done``: each commit's
    time goes into ``commits``."""
    conn = sqlite3.connect(project, timeout=30, isolation_level=None)
    while not done.is_set():
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("INSERT INTO project(key, value) VALUES ('tick', 'x') "
                     "ON CONFLICT(key) DO UPDATE SET value = excluded.value")
        conn.execute("COMMIT")
        commits.append(time.monotonic())
        time.sleep(0.005)
    conn.close()


def test_a_long_import_commits_in_steps_that_let_another_writer_in(tmp_path, monkeypatch):
    """While one import writes 3,000 articles, another connection's one-line writes keep getting
    through: the import never holds the lock for the whole file."""
    monkeypatch.setattr(importers, "STEP_RECORDS", 50)
    project = tmp_path / "p.sqlite"
    with Store.open(project):
        pass
    path = articles_file(tmp_path / "big.jsonl", "Idlib", 3000)
    commits: list[float] = []
    done = threading.Event()

    with Store.open(project) as store:
        writer = threading.Thread(target=write_ticks, args=(project, commits, done))
        writer.start()
        try:
            started = time.monotonic()
            summary = importers.import_paths(store, [path])
            ended = time.monotonic()
        finally:
            done.set()
            writer.join()
    assert summary.ok and summary.imported == 3000
    during = [t for t in commits if started < t < ended]
    # One transaction for the file would let the other writer in before or after it only.
    assert len(during) >= 10, f"{len(during)} writes of another program got in during the import"


def test_two_imports_at_once_into_a_new_project_both_succeed(tmp_path):
    """Making the file is a write too: the second program waits for the first's schema steps."""
    project = tmp_path / "new.sqlite"
    runs = [annotator("import", "--db", str(project), str(articles_file(tmp_path / f"{name}.jsonl", name, 300)))
            for name in ("Aleppo", "Goma")]
    for run in runs:
        out, err = run.communicate(timeout=300)
        assert run.returncode == 0, err
        assert "articles imported: 300" in out
    assert len(texts_in(project)) == 600


def test_a_long_merge_commits_in_steps_that_let_another_writer_in(tmp_path, monkeypatch):
    from annotator.importers.merge import merge_files

    monkeypatch.setattr(importers, "STEP_RECORDS", 50)
    project = tmp_path / "p.sqlite"
    with Store.open(project):
        pass
    export = articles_file(tmp_path / "theirs.jsonl", "Mariupol", 3000)
    lines = [json.loads(line) | {"_annotator_id": "carla"} for line in export.read_text().splitlines()]
    export.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    commits: list[float] = []
    done = threading.Event()

    from annotator.importers import merge as merging

    spans: list[float] = []
    write = merging.merge_articles

    def timed(*args, **kwargs):
        spans.append(time.monotonic())
        try:
            return write(*args, **kwargs)
        finally:
            spans.append(time.monotonic())

    monkeypatch.setattr(merging, "merge_articles", timed)
    with Store.open(project) as store:
        writer = threading.Thread(target=write_ticks, args=(project, commits, done))
        writer.start()
        try:
            [summary] = merge_files(store, [export])
        finally:
            done.set()
            writer.join()
    assert summary.articles_added == 3000 and summary.spans_added == 3000
    during = [t for t in commits if spans[0] < t < spans[1]]
    assert len(during) >= 10, f"{len(during)} writes of another program got in during the merge's writing"
