"""Commands that need no NLP start without loading it (issue 9 item 7).

Each case runs the real ``annotator.cli.main`` in a fresh interpreter and then lists which heavy
libraries ended up in ``sys.modules``: in this test process they are long loaded by other tests.
The time itself is measured by ``bench/startup_bench.py``, not here.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from annotator.cli import main

HEAVY = ("spacy", "thinc", "numpy", "jsonschema")

LOADED = """
import json, sys
from annotator.cli import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
sys.stdout.flush()
print(json.dumps([name for name in %r if name in sys.modules]), file=sys.stderr)
""" % (HEAVY,)


def loaded_by(*argv: str) -> set[str]:
    done = subprocess.run([sys.executable, "-c", LOADED, *argv], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    *messages, last = done.stderr.strip().splitlines()
    assert not messages, done.stderr  # the command itself must have run without an error
    return set(json.loads(last))


@pytest.fixture
def project(tmp_path, write):
    db = tmp_path / "p.sqlite"
    assert main(["import", "--db", str(db), str(write("a.txt", "Clashes near Aleppo.\n\nNine were killed."))]) == 0
    return db


def test_startup_version_and_help_load_nothing_heavy():
    assert loaded_by("--version") == set()
    assert loaded_by("--help") == set()


def test_startup_stats_loads_nothing_heavy(project):
    assert loaded_by("stats", "--db", str(project)) == set()


def test_startup_agreement_and_review_load_numpy_only(project):
    # Both compute agreement as array operations; neither needs spaCy or the scheme validator.
    assert loaded_by("agreement", "--db", str(project)) == {"numpy"}
    assert loaded_by("review", "--db", str(project)) == {"numpy"}


def test_startup_import_merge_scheme_load_no_nlp(project, tmp_path, write, monkeypatch):
    # These read the project's label scheme, which is validated against its JSON Schema the first
    # time its text is seen (jsonschema is used), then remembered in the cache; spaCy, thinc and
    # numpy are not used.
    monkeypatch.setenv("ANNOTATOR_CACHE", str(tmp_path / "empty-cache"))
    theirs = tmp_path / "theirs.sqlite"
    assert loaded_by("import", "--db", str(theirs), str(write("b.txt", "Shelling in Kharkiv overnight."))) == {"jsonschema"}
    assert loaded_by("import", "--db", str(project), str(write("c.txt", "A drone hit Odesa."))) == set()
    assert loaded_by("merge", "--db", str(project), str(theirs)) == set()
    assert loaded_by("scheme", "--db", str(project)) == {"jsonschema"}  # it reads every bundled scheme
    assert loaded_by("scheme", "--db", str(project)) == set()
