"""Learned versions: what a score rests on, the record as the commit point, leftovers of killed runs,
a full disk, and progress while training. Invented reports (tests/test_learn.py's generator)."""

from __future__ import annotations

import errno
import io
import json
from collections import namedtuple

import pytest
import spacy

from annotator.cli import main
from annotator.commands.learn import LearnProgress
from annotator.learn import VersionError, current_version, learn, list_versions, load_for_suggesting, models_dir
from annotator.learn import versions
from annotator.learn.versions import FORMAT, MIN_HELDOUT_ARTICLES, MIN_LABEL_SPANS, clean_leftovers, manifest_row
from annotator.domain import ArticleState
from annotator.store import Store
from learn_fixtures import LABELS, learn_fast
from test_learn import ARTICLES


def write_version(project, name: str, held: int, spans_per_label: int, f1: float = 0.8) -> dict:
    """A version folder with a manifest only (no weights: nothing here loads it)."""
    score = {"precision": f1, "recall": f1, "f1": f1, "tp": spans_per_label, "fp": 0, "fn": 0}
    manifest = {
        "format": FORMAT, "format_version": 1, "version": name, "created_at": "2026-01-01T00:00:00+00:00",
        "spacy_version": spacy.__version__, "base_model": "blank:en",
        "labels": {"entity": ["Town"], "event": []},
        "train_articles": [{"id": 1, "content_hash": "t"}],
        "heldout_articles": [{"id": i, "content_hash": f"h{i}"} for i in range(held)],
        "scores": {"labels": {"entity:Town": score}, "layers": {"entity": score}, "articles": held},
    }
    folder = models_dir(project) / name
    folder.mkdir(parents=True)
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return manifest


def test_learn_versions_too_little_evidence_is_never_used(tmp_path):
    project = tmp_path / "bare.sqlite"  # no project file: every folder counts as recorded
    write_version(project, "v0001", held=MIN_HELDOUT_ARTICLES, spans_per_label=MIN_LABEL_SPANS)
    write_version(project, "v0002", held=1, spans_per_label=9, f1=1.0)  # one held-back article
    write_version(project, "v0003", held=5, spans_per_label=MIN_LABEL_SPANS - 1, f1=1.0)  # too few spans
    first, one_article, few_spans = list_versions(project)
    assert first.good and not one_article.good and not few_spans.good
    assert "scored on 1 held-back article, fewer than 3" in one_article.why_not_used
    assert f"no label has {MIN_LABEL_SPANS} or more spans" in few_spans.why_not_used
    assert current_version(project).name == "v0001"


def test_learn_versions_an_unrecorded_folder_is_ignored_and_cleaned(tmp_path):
    project = tmp_path / "project.sqlite"
    with Store.open(project) as store:
        recorded = write_version(project, "v0001", held=4, spans_per_label=8)
        store.learned.record(manifest_row(recorded), "ana")
    # Killed between the rename and the record: a whole folder the project file does not list.
    write_version(project, "v0002", held=4, spans_per_label=8, f1=0.9)
    (models_dir(project) / ".v0003.x1y2.partial" / "pipeline").mkdir(parents=True)
    listed = {v.name: v for v in list_versions(project)}
    assert listed["v0001"].recorded and not listed["v0002"].recorded
    assert current_version(project).name == "v0001"
    assert "not recorded in the project file" in listed["v0002"].why_not_used
    with pytest.raises(VersionError, match="not recorded"):
        versions.choose_version(project, "v0002")
    notes = clean_leftovers(project, {"v0001"})
    assert sorted(p.name for p in models_dir(project).iterdir()) == ["v0001"]
    assert len(notes) == 2 and any("does not record it" in n for n in notes)


def test_learn_versions_a_failed_record_takes_the_folder_back(tmp_path, monkeypatch):
    # The record is the commit point: when it fails (here: a kill-like interrupt), no folder stays.
    monkeypatch.setattr(versions, "train_pipeline", lambda *a, **k: pytest.fail("must not train"))

    class Killed(BaseException):
        pass

    def record(manifest):
        assert (models_dir(project) / manifest["version"]).is_dir()
        raise Killed()

    project = tmp_path / "p.sqlite"
    fake = namedtuple("Fake", "nlp")(spacy.blank("en"))
    monkeypatch.setattr(versions, "build_manifest", lambda *a: {"labels": {}, "version": "v0001"})
    with pytest.raises(Killed):
        versions.save_version(project, fake, record)
    assert [p.name for p in models_dir(project).iterdir()] == []


def test_learn_versions_too_little_space_refuses_before_training(tmp_path, monkeypatch):
    monkeypatch.setattr(versions, "train_pipeline", lambda *a, **k: pytest.fail("trained despite a full disk"))
    Usage = namedtuple("Usage", "total used free")
    monkeypatch.setattr(versions.shutil, "disk_usage", lambda path: Usage(10**9, 10**9 - 2**20, 2**20))
    with pytest.raises(VersionError, match=r"only 1 MB free, a learned version needs about 40 MB"):
        learn(tmp_path / "p.sqlite", ARTICLES)


def small_project(path, articles) -> None:
    with Store.open(path) as store:
        for article in articles:
            article_id, _ = store.articles.add(article.text)
            for span in article.spans:
                store.spans.add(article_id, span.start_char, span.end_char, LABELS[span.label], span.layer,
                                annotator="ana")
            store.states.set(article_id, "ana", ArticleState.DONE)


@pytest.mark.slow
def test_learn_versions_command_says_what_scores_rest_on_and_shows_progress(tmp_path, monkeypatch, capsys):
    learn_fast(monkeypatch)
    project = tmp_path / "small.sqlite"
    small_project(project, ARTICLES[:5])  # 30% of 5: one article held back
    monkeypatch.setattr("annotator.commands.learn.PLAIN_PROGRESS_SECONDS", 0.0)
    assert main(["learn", "--db", str(project)]) == 0
    captured = capsys.readouterr()
    assert "scored on 1 held back" in captured.out
    assert "too little evidence: scored on 1 held-back article, fewer than 3" in captured.out
    assert "too few spans to count" in captured.out
    # stderr is no terminal here: plain lines, one per pass at least, with the loss so far.
    passes = [line for line in captured.err.splitlines() if line.startswith("learning: step") and "pass" in line]
    assert len(passes) >= 8 and "loss entities" in passes[-1] and "held-back F1 entity" in passes[-1]
    with Store.open(project) as store:
        assert [row["version"] for row in store.learned.versions()] == ["v0001"]
    assert load_for_suggesting(project).model is None  # kept and listed, never used
    assert main(["learn", "--db", str(project), "--list"]) == 0
    assert "v0001  not used" in capsys.readouterr().out


@pytest.mark.slow
def test_learn_versions_disk_full_while_saving_is_one_sentence(tmp_path, monkeypatch, capsys):
    learn_fast(monkeypatch)
    project = tmp_path / "small.sqlite"
    small_project(project, ARTICLES[:5])

    def full(*args):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(versions.os, "rename", full)
    assert main(["learn", "--db", str(project)]) == 2
    err = capsys.readouterr().err
    assert "cannot write the learned version (No space left on device): nothing was kept" in err
    assert "Traceback" not in err
    assert [p.name for p in models_dir(project).iterdir()] == []


def test_learn_versions_progress_lines_without_a_terminal():
    out = io.StringIO()
    shown = LearnProgress(out, terminal=False, every=0.0)
    shown.step(0, 10)
    shown.step(5, 10)
    shown.epoch_done(1, 2, {"learned_entities": 12.345}, lambda: {"layers": {"entity": {"f1": 0.4}}})
    shown.close()
    lines = out.getvalue().splitlines()
    assert lines[:2] == ["learning: step 0 of 10 (0%)", "learning: step 5 of 10 (50%)"]
    assert lines[2] == "learning: step 5 of 10 (50%), pass 1/2, loss entities 12.3, held-back F1 entity 0.400"
