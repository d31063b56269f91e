"""How the suggester loads and how the program ends: the cycle collector is held off while the
suggester builds its tables and is on again afterwards, whatever happens; only the program itself
(not a caller of ``main([...])``) moves its objects out of the collector's way at exit."""

from __future__ import annotations

import gc
import sys

from pathlib import Path

import pytest

from annotator.cli import main
from annotator.store import Store
from annotator.suggest.pipeline import _collector_paused, load_suggester


@pytest.fixture
def collector_on():
    was = gc.isenabled()
    gc.enable()
    yield
    if not was:
        gc.disable()


def test_loading_leaves_the_collector_on(collector_on):
    suggester = load_suggester()
    assert gc.isenabled()
    # and the suggester it built works
    doc = suggester.nlp("Militants attacked a checkpoint near Aleppo on Monday.")
    assert any(e.label == "LOCATION" for e in suggester.analyse(doc).entities)


def test_the_collector_is_paused_inside_and_back_after_a_failure(collector_on):
    with pytest.raises(RuntimeError):
        with _collector_paused():
            assert not gc.isenabled()
            raise RuntimeError("a gazetteer file is broken")
    assert gc.isenabled()


def test_a_collector_switched_off_by_the_caller_stays_off(collector_on):
    gc.disable()
    with _collector_paused():
        pass
    assert not gc.isenabled()


def test_only_the_program_itself_freezes_its_objects_at_exit(tmp_path, monkeypatch, capsys):
    project = str(tmp_path / "p.sqlite")
    with Store.open(Path(project)):
        pass
    frozen = gc.get_freeze_count()  # a suggester loaded earlier in this process is frozen already
    assert main(["--db", project, "stats"]) == 0
    assert gc.get_freeze_count() == frozen  # a test (or any caller) goes on with its collector as it was
    monkeypatch.setattr(sys, "argv", ["annotator", "--db", project, "stats"])
    try:
        assert main() == 0
        assert gc.get_freeze_count() > frozen
    finally:
        gc.unfreeze()


def test_a_models_own_tokenizer_is_read_when_it_differs_from_the_defaults(tmp_path):
    import spacy

    from annotator.suggest.pipeline import _load_model

    own = spacy.blank("en")
    own.tokenizer.add_special_case("Kyivpost", [{"ORTH": "Kyiv"}, {"ORTH": "post"}])
    own.to_disk(tmp_path / "model")
    loaded = _load_model(str(tmp_path / "model"))
    assert [t.text for t in loaded("Read Kyivpost today")] == ["Read", "Kyiv", "post", "today"]
    blank = spacy.blank("en")
    blank.to_disk(tmp_path / "defaults")
    assert [t.text for t in _load_model(str(tmp_path / "defaults"))("Read Kyivpost today")] == ["Read", "Kyivpost", "today"]


def test_the_default_models_tokenizer_is_the_one_spacy_loads():
    import spacy

    from annotator.suggest import DEFAULT_MODELS
    from annotator.suggest.pipeline import _load_model

    name = next(n for n in DEFAULT_MODELS if spacy.util.is_package(n))
    assert _load_model(name).tokenizer.to_bytes(exclude=["vocab"]) == spacy.load(name).tokenizer.to_bytes(exclude=["vocab"])
