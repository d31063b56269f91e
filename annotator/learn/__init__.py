"""Learning from the project: train a spaCy pipeline on accepted spans, keep versions beside the project,
suggest with the newest good one. Qt-free; the caller reads the project and passes the articles in.

See docs/learning.md and docs/adr/0005-learned-models-beside-the-project.md.
"""

from annotator.learn.examples import LearnArticle, LearnInputError, LearnSpan, split_articles
from annotator.learn.predict import LearnedSpan, learned_spans
from annotator.learn.train import (
    LearnCancelled,
    LearnConfigError,
    TrainConfig,
    TrainResult,
    score_articles,
    train_pipeline,
)
from annotator.learn.versions import (
    LoadedModel,
    LoadOutcome,
    VersionError,
    VersionInfo,
    choose_version,
    current_version,
    learn,
    list_versions,
    load_for_suggesting,
    load_version,
    manifest_row,
    models_dir,
    save_version,
)

__all__ = [
    "LearnArticle", "LearnCancelled", "LearnConfigError", "LearnInputError", "LearnSpan", "LearnedSpan",
    "LoadOutcome", "LoadedModel", "TrainConfig", "TrainResult", "VersionError", "VersionInfo",
    "choose_version", "current_version", "learn", "learned_spans", "list_versions", "load_for_suggesting",
    "load_version", "manifest_row", "models_dir", "save_version", "score_articles", "split_articles",
    "train_pipeline",
]
