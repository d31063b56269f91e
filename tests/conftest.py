import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(autouse=True)
def isolated_home(tmp_path, tmp_path_factory, monkeypatch):
    """Every test gets its own data and preferences folder and no inherited project path."""
    home = tmp_path / "home"
    monkeypatch.setenv("ANNOTATOR_HOME", str(home))
    # Files rebuilt from installed data (the GeoNames place index, seconds to build) are the same
    # for every test: one cache beside pytest's temporary folders, built once per machine.
    monkeypatch.setenv("ANNOTATOR_CACHE", str(tmp_path_factory.getbasetemp().parent / "conflict-annotator-cache"))
    monkeypatch.delenv("ANNOTATOR_DB", raising=False)
    return home


@pytest.fixture
def store(tmp_path):
    from annotator.store import Store

    with Store.open(tmp_path / "project.sqlite") as opened:
        yield opened


@pytest.fixture
def write(tmp_path):
    """Write a fixture file (text or bytes) and return its path."""

    def _write(name: str, content: str | bytes) -> Path:
        path = tmp_path / "input" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8", newline="")
        return path

    return _write
