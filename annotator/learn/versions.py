"""Learned versions kept beside the project file: ``<project>.models/vNNNN/`` with a manifest each.

Layout (docs/adr/0005-learned-models-beside-the-project.md)::

    project.sqlite
    project.sqlite.models/
        v0001/manifest.json     what, when, from which articles, scores (this and the previous version)
        v0001/pipeline/         the learned spaCy pipeline (nlp.to_disk)
        v0002/...
        chosen.json             {"version": "v0001"} when the team went back to an earlier version

A version folder appears whole or not at all: it is written under a hidden name and renamed.
The project file's record of the version (``model_versions``, see ``manifest_row``) is the commit
point: a folder the project file does not record (a learn killed between the rename and the
record) is never used for suggesting, and the next learn removes it; hidden ``.vNNNN.*.partial``
folders of killed runs are removed too. A path with no project file (a bench, a test) records
nothing: there every folder counts.

A version's scores count only on enough evidence (``MIN_HELDOUT_ARTICLES`` held-back articles and,
per label, ``MIN_LABEL_SPANS`` held-back spans): with less, the version is kept and listed but
suggestions do not use it, and no label's score is compared with an earlier version's.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

import spacy
from spacy.language import Language

from annotator.learn.train import LearnCancelled, TrainConfig, TrainResult, train_pipeline

MANIFEST = "manifest.json"
PIPELINE = "pipeline"
CHOSEN = "chosen.json"
FORMAT = "conflict-annotator/learned-model"
FORMAT_VERSION = 1
VERSION_NAME = re.compile(r"^v(\d{4,})$")
PARTIAL_NAME = re.compile(r"^\.v\d{4,}\..*\.partial$")
# Below these, one article's quirks decide a score (1 held-back article gave 0.000 on most labels).
MIN_HELDOUT_ARTICLES = 3
MIN_LABEL_SPANS = 5
# A learned version is two NERs of the shipped size (5.9 MB each) and the vocabulary (1.1 MB): 12.9 MB
# for tests/test_learn.py's invented articles; before the first version, ask for a margin over that.
FIRST_VERSION_BYTES = 40 * 1024 * 1024


class VersionError(Exception):
    """A learned version cannot be used; the message names the folder and the reason."""


def models_dir(project_path: str | Path) -> Path:
    """The folder beside the project file: ``project.sqlite`` -> ``project.sqlite.models``."""
    project_path = Path(project_path)
    return project_path.with_name(project_path.name + ".models")


def _spacy_minor(version: str) -> str:
    return ".".join(version.split(".")[:2])


def held_back_spans(score: dict) -> int:
    """How many annotated spans of a label the held-back articles had (what its score rests on)."""
    return int(score.get("tp", 0)) + int(score.get("fn", 0))


def label_has_evidence(score: dict) -> bool:
    return held_back_spans(score) >= MIN_LABEL_SPANS


def evidence_problem(manifest: dict) -> str | None:
    """Why the held-back scores of a version say too little to act on, or None when they suffice."""
    held = len(manifest.get("heldout_articles", []))
    if held < MIN_HELDOUT_ARTICLES:
        return (f"scored on {held} held-back article{'' if held == 1 else 's'}, fewer than"
                f" {MIN_HELDOUT_ARTICLES}: mark more articles done and learn again")
    labels = manifest.get("scores", {}).get("labels", {})
    if not any(label_has_evidence(score) for score in labels.values()):
        return (f"no label has {MIN_LABEL_SPANS} or more spans in the held-back articles:"
                " mark more articles done and learn again")
    return None


@dataclass
class VersionInfo:
    """One version folder as listed: its manifest if readable, else why not."""

    name: str
    path: Path
    manifest: dict | None
    problem: str | None = None
    recorded: bool = True  # the project file records it (always True where there is no project file)

    @property
    def number(self) -> int:
        return int(VERSION_NAME.match(self.name).group(1))

    @property
    def good(self) -> bool:
        """Readable, made by this spaCy major.minor, recorded by the project file, scored on enough
        held-back evidence, and it learned something that held up there (a label with enough held-back
        spans and F1 above zero)."""
        if self.problem or self.manifest is None or not self.recorded:
            return False
        if evidence_problem(self.manifest):
            return False
        labels = self.manifest.get("scores", {}).get("labels", {})
        return any(score.get("f1", 0) > 0 and label_has_evidence(score) for score in labels.values())

    @property
    def why_not_used(self) -> str | None:
        """For the list: why suggestions do not use this version, or None."""
        if self.problem:
            return self.problem
        if not self.recorded:
            return "not recorded in the project file (an interrupted learn): ignored, removed by the next learn"
        if self.manifest is None:
            return "no manifest"
        return evidence_problem(self.manifest) or (None if self.good else "no label scored above 0 on its"
                                                   f" held-back articles with {MIN_LABEL_SPANS} or more spans")


@dataclass
class LoadedModel:
    """A learned pipeline ready to suggest with, and the manifest it came with."""

    nlp: Language
    version: str
    manifest: dict

    @property
    def source_tag(self) -> str:
        """What a suggestion's source adds: ``learned-v0003``."""
        return f"learned-{self.version}"


@dataclass
class LoadOutcome:
    """What :func:`load_for_suggesting` found: a model, or None and a message saying why not."""

    model: LoadedModel | None
    message: str | None = None


def read_manifest(folder: Path) -> dict:
    """:raises VersionError: the manifest is missing, not JSON, of another format, or from another spaCy."""
    path = folder / MANIFEST
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise VersionError(f"{folder}: no {MANIFEST}") from exc
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise VersionError(f"{path}: unreadable: {exc}") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise VersionError(f"{path}: not a learned-model manifest (format {FORMAT!r} expected)")
    if manifest.get("format_version", 0) > FORMAT_VERSION:
        raise VersionError(f"{path}: written by a newer Conflict Annotator (format version "
                           f"{manifest.get('format_version')}, this one reads {FORMAT_VERSION})")
    made_with = str(manifest.get("spacy_version", "?"))
    if _spacy_minor(made_with) != _spacy_minor(spacy.__version__):
        raise VersionError(f"{folder.name}: trained with spaCy {made_with}, this is spaCy {spacy.__version__}: "
                           "models do not carry over between spaCy versions, learn again")
    return manifest


def recorded_versions(project_path: str | Path) -> set[str] | None:
    """The versions the project file records, or None when there is no project file to ask (a bench's
    or a test's bare path): then every folder counts."""
    from annotator.store import Store, StoreError

    path = Path(project_path)
    if not path.is_file() or path.stat().st_size == 0:
        return None
    try:
        with Store.open(path, readonly=True) as store:
            return {row["version"] for row in store.learned.versions()}
    except StoreError:
        return None  # not (yet) a project of this version: nothing to check against


def list_versions(project_path: str | Path, recorded: set[str] | None = None) -> list[VersionInfo]:
    """Every version folder, oldest first, each with its manifest or the problem that makes it unusable.

    :param recorded: the versions the project file records, if the caller has them (else read here)
    """
    folder = models_dir(project_path)
    if not folder.is_dir():
        return []
    if recorded is None:
        recorded = recorded_versions(project_path)
    found = []
    for entry in folder.iterdir():
        if not entry.is_dir() or not VERSION_NAME.match(entry.name):
            continue  # the hidden folders of a run under way, chosen.json
        listed = recorded is None or entry.name in recorded
        try:
            found.append(VersionInfo(entry.name, entry, read_manifest(entry), recorded=listed))
        except VersionError as exc:
            found.append(VersionInfo(entry.name, entry, None, str(exc), recorded=listed))
    return sorted(found, key=lambda v: v.number)


def clean_leftovers(project_path: str | Path, recorded: set[str] | None) -> list[str]:
    """Remove what killed runs left: hidden ``.vNNNN.*.partial`` folders, and version folders the
    project file does not record (renamed, then killed before the record). Returns a note per folder.

    :param recorded: the versions the project file records; None (no project file) keeps every version
    """
    folder = models_dir(project_path)
    if not folder.is_dir():
        return []
    notes = []
    for entry in sorted(folder.iterdir()):
        if not entry.is_dir():
            continue
        if PARTIAL_NAME.match(entry.name):
            shutil.rmtree(entry, ignore_errors=True)
            notes.append(f"removed {entry.name}, left by an interrupted learn")
        elif recorded is not None and VERSION_NAME.match(entry.name) and entry.name not in recorded:
            shutil.rmtree(entry, ignore_errors=True)
            notes.append(f"removed {entry.name}: the project file does not record it (an interrupted learn)")
    return notes


def folder_bytes(folder: Path) -> int:
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file())


def check_free_space(project_path: str | Path) -> None:
    """Refuse before training when the disk beside the project cannot hold another version.

    :raises VersionError: one sentence: where, how much is free, how much a version needs
    """
    folder = models_dir(project_path)
    versions = [v for v in list_versions(project_path, recorded=set()) if v.manifest] if folder.is_dir() else []
    # The newest version's size, with room for more labels; a first version gets a fixed margin.
    needed = max(FIRST_VERSION_BYTES, 2 * folder_bytes(versions[-1].path)) if versions else FIRST_VERSION_BYTES
    where = folder if folder.is_dir() else Path(project_path).resolve().parent
    try:
        free = shutil.disk_usage(where).free
    except OSError:
        return  # cannot tell: the save reports a full disk as one sentence anyway
    if free < needed:
        raise VersionError(f"{where}: only {free / 2**20:.0f} MB free, a learned version needs about"
                           f" {needed / 2**20:.0f} MB: free some space and learn again (nothing was trained)")


def chosen_version(project_path: str | Path) -> str | None:
    """The version the team went back to, or None to follow the newest good one."""
    path = models_dir(project_path) / CHOSEN
    try:
        return json.loads(path.read_text(encoding="utf-8")).get("version")
    except (OSError, ValueError, AttributeError):
        return None


def choose_version(project_path: str | Path, version: str | None) -> None:
    """Go back to ``version`` (suggest with it from now on), or with None follow the newest good one again.

    :raises VersionError: no such version, or it cannot be used
    """
    folder = models_dir(project_path)
    if version is None:
        (folder / CHOSEN).unlink(missing_ok=True)
        return
    info = next((v for v in list_versions(project_path) if v.name == version), None)
    if info is None:
        raise VersionError(f"no learned version {version!r} in {folder}")
    if info.problem:
        raise VersionError(info.problem)
    if not info.recorded:
        raise VersionError(f"{version}: {info.why_not_used}")
    _write_json(folder / CHOSEN, {"version": version})


def current_version(project_path: str | Path) -> VersionInfo | None:
    """The version suggestions use: the chosen one if still usable, else the newest good one."""
    versions = list_versions(project_path)
    chosen = chosen_version(project_path)
    if chosen:
        picked = next((v for v in versions if v.name == chosen and not v.problem and v.recorded), None)
        if picked is not None:
            return picked
    good = [v for v in versions if v.good]
    return good[-1] if good else None


def load_version(project_path: str | Path, version: str) -> LoadedModel:
    """:raises VersionError: missing, unreadable, incompatible or corrupt, with the folder named."""
    folder = models_dir(project_path) / version
    if not folder.is_dir():
        raise VersionError(f"no learned version {version!r} in {models_dir(project_path)}")
    manifest = read_manifest(folder)
    try:
        nlp = spacy.load(folder / PIPELINE)
    except Exception as exc:  # noqa: BLE001 - spaCy and thinc raise many kinds on damaged files
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise VersionError(f"{folder}: the pipeline cannot be loaded ({type(exc).__name__}: {first})") from exc
    # The labels the suggester may trust come from the manifest, not from a file that could disagree.
    nlp.meta["learned_labels"] = manifest.get("labels", {})
    return LoadedModel(nlp, version, manifest)


def load_for_suggesting(project_path: str | Path | None) -> LoadOutcome:
    """The learned model to suggest with, never raising: with no usable version the outcome has no model
    and, when something was wrong (rather than simply nothing learned yet), a message for the user
    saying that the shipped model is used instead."""
    if project_path is None:
        return LoadOutcome(None)
    versions = list_versions(project_path)
    if not versions:
        return LoadOutcome(None)
    picked = current_version(project_path)
    chosen = chosen_version(project_path)
    notes = []
    if chosen and (picked is None or picked.name != chosen):
        notes.append(f"the chosen learned version {chosen} cannot be used")
    if picked is None:
        broken = [f"{v.name}: {v.why_not_used}" for v in versions if v.problem or not v.recorded]
        why = "; ".join(broken) if broken else (
            "no version scored above zero on enough held-back articles"
            f" ({MIN_HELDOUT_ARTICLES} or more, {MIN_LABEL_SPANS} or more spans of a label)")
        return LoadOutcome(None, "; ".join(notes + [f"no usable learned model ({why})"]) +
                           ": suggesting with the shipped model")
    try:
        model = load_version(project_path, picked.name)
    except VersionError as exc:
        return LoadOutcome(None, f"{exc}: suggesting with the shipped model")
    return LoadOutcome(model, "; ".join(notes) + f": using {picked.name}" if notes else None)


def _write_json(path: Path, data: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name("." + path.name + ".partial")
    partial.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    os.replace(partial, path)


def build_manifest(result: TrainResult, name: str, previous: VersionInfo | None) -> dict:
    prepared = result.prepared
    config = result.config
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "version": name,
        "created_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "spacy_version": spacy.__version__,
        "base_model": (f"{config.shipped_model} {spacy.util.get_package_version(config.shipped_model) or '?'}"
                       f" ({config.base})" if config.base != "blank" else "blank:en"),
        "components": {"entity": "ner", "event": config.triggers},
        # Project labels whose output weights started from the start NER's label (Person -> PERSON).
        "transferred_labels": prepared.transferred,
        # Project labels and the start NER's label of the same meaning, by overlap (Person -> PERSON even
        # where the project's spans keep titles): the suggester names the rules' spans with them.
        "start_labels": prepared.start_labels,
        "labels": {"entity": prepared.entity_labels, "event": prepared.trigger_labels},
        "train_articles": [{"id": a.article_id, "content_hash": a.content_hash} for a in prepared.train],
        "heldout_articles": [{"id": a.article_id, "content_hash": a.content_hash} for a in prepared.heldout],
        "spans": {"train": sum(len(a.spans) for a in prepared.train), "unaligned": prepared.unaligned,
                  "overlapping_left_out": prepared.overlapping},
        "scores": result.scores,
        "previous": ({"version": previous.name, "scores": previous.manifest.get("scores")}
                     if previous is not None and previous.manifest else None),
        "training": {"epochs": result.epochs_done, "seconds": result.seconds, "stopped_early": result.stopped_early,
                     "losses": result.losses, "config": {k: v for k, v in vars(config).items()}},
    }


def save_version(project_path: str | Path, result: TrainResult,
                 record: Callable[[dict], None] | None = None) -> VersionInfo:
    """Write ``result`` as the next version folder: whole or not at all.

    :param record: records the manifest in the project file once the folder is in place: the commit
        point (see the module's docstring); if it fails, the folder is removed again
    :raises VersionError: the folder beside the project cannot be written (a full disk included)
    """
    folder = models_dir(project_path)
    versions = list_versions(project_path, recorded=set())
    name = f"v{(versions[-1].number + 1) if versions else 1:04d}"
    previous = next((v for v in reversed(versions) if v.manifest), None)
    manifest = build_manifest(result, name, previous)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{name}.", suffix=".partial", dir=folder))
    except OSError as exc:
        raise VersionError(f"{folder}: cannot write learned models there: {exc}") from exc
    try:
        result.nlp.meta["learned_labels"] = manifest["labels"]
        result.nlp.meta["name"] = "learned"
        result.nlp.meta["version"] = name.removeprefix("v")
        result.nlp.to_disk(staging / PIPELINE)
        _write_json(staging / MANIFEST, manifest)
        os.rename(staging, folder / name)
    except BaseException as exc:
        shutil.rmtree(staging, ignore_errors=True)
        if isinstance(exc, OSError):
            raise VersionError(f"{folder / name}: cannot write the learned version"
                               f" ({exc.strerror or exc}): nothing was kept") from exc
        raise
    if record is not None:
        try:
            record(manifest)
        except BaseException:
            shutil.rmtree(folder / name, ignore_errors=True)
            raise
    return VersionInfo(name, folder / name, manifest)


def learn(
    project_path: str | Path,
    articles,
    config: TrainConfig | None = None,
    *,
    progress: Callable[[int, int], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
    record: Callable[[dict], None] | None = None,
    on_epoch: Callable[..., None] | None = None,
) -> VersionInfo:
    """Train on ``articles`` and keep the result as the project's next version.

    :param project_path: the project file; versions go to ``<project>.models/``
    :param articles: :class:`~annotator.learn.examples.LearnArticle` records with accepted spans
    :param config: training options
    :param progress: (done, total) during training
    :param should_stop: polled during training and once more before writing; a stop writes nothing
    :param record: see :func:`save_version`
    :param on_epoch: after each pass over the training articles (see :func:`train_pipeline`)
    :raises LearnCancelled: stopped; nothing was written
    :raises VersionError: too little free space for a version (checked before training), or the save failed
    """
    check_free_space(project_path)
    result = train_pipeline(articles, config, progress=progress, should_stop=should_stop, on_epoch=on_epoch)
    if should_stop and should_stop():
        raise LearnCancelled("learning stopped: no version was written")
    return save_version(project_path, result, record)


def manifest_row(manifest: dict) -> dict:
    """The ``model_versions`` row the store keeps for a manifest (the folder stays the truth)."""
    layers = manifest.get("scores", {}).get("layers", {})
    return {
        "version": manifest["version"],
        "created_at": manifest["created_at"],
        "spacy_version": manifest["spacy_version"],
        "base_model": manifest["base_model"],
        "labels": json.dumps(manifest["labels"]),
        "train_hashes": json.dumps([a["content_hash"] for a in manifest["train_articles"]]),
        "heldout_hashes": json.dumps([a["content_hash"] for a in manifest["heldout_articles"]]),
        "scores": json.dumps(manifest["scores"]),
        "entity_f1": layers.get("entity", {}).get("f1"),
        "event_f1": layers.get("event", {}).get("f1"),
        "previous_version": (manifest.get("previous") or {}).get("version"),
    }
