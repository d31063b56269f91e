"""Where the shipped data is found: the same files from a checkout, an editable install, a wheel or the bundle."""

from __future__ import annotations

import importlib.resources
from pathlib import Path

from annotator import config
from annotator.schemes import scheme_by_name


def test_config_package_data_is_the_package_s_own_resources_and_schemas(monkeypatch):
    monkeypatch.delenv("ANNOTATOR_RESOURCES", raising=False)
    assert config.resources_dir() == Path(str(importlib.resources.files("annotator.resources")))
    assert sorted(p.name for p in config.samples_dir().glob("*.txt"))[0] == "01-river-crossing-withdrawal.txt"
    assert {"conflict.json", "ace2005.json"} <= {p.name for p in config.schemes_dir().glob("*.json")}
    assert {"scheme.schema.json", "task.schema.json"} <= {p.name for p in config.schemas_dir().glob("*.json")}
    assert scheme_by_name("conflict").labels


def test_config_resources_override_moves_resources_but_not_the_schemas(monkeypatch, tmp_path):
    monkeypatch.setenv("ANNOTATOR_RESOURCES", str(tmp_path))
    assert config.resources_dir() == tmp_path
    assert config.samples_dir() == tmp_path / "samples"
    assert (config.schemas_dir() / "scheme.schema.json").is_file()
