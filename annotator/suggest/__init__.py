"""The suggester: a spaCy pipeline plus conflict rules proposing entity and event suggestions.

Qt-free: the window runs :func:`suggest_articles` in a worker thread with its own Store.
"""

from annotator.suggest.gazetteer import Gazetteer, GazetteerError, fold, load_gazetteer
from annotator.suggest.memory import AnnotationMemory
from annotator.suggest.pipeline import (
    DEFAULT_MODELS,
    SUGGESTER_NAME,
    SUGGESTER_VERSION,
    DocSuggestions,
    Suggester,
    load_suggester,
    shared_suggester,
)
from annotator.suggest.runner import DEFAULT_BATCH_SIZE, SuggestSummary, suggest_articles

__all__ = [
    "AnnotationMemory",
    "DEFAULT_BATCH_SIZE",
    "DEFAULT_MODELS",
    "DocSuggestions",
    "Gazetteer",
    "GazetteerError",
    "SUGGESTER_NAME",
    "SUGGESTER_VERSION",
    "SuggestSummary",
    "Suggester",
    "fold",
    "load_gazetteer",
    "load_suggester",
    "shared_suggester",
    "suggest_articles",
]
