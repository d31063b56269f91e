"""A finished team project to learn from, and fast learning, for the command and window tests.

The reports are tests/test_learn.py's invented ones, labelled in the conflict scheme's own labels."""

from __future__ import annotations

from pathlib import Path

from annotator.learn import TrainConfig, learn
from annotator.domain import ArticleState
from annotator.store import Store
from test_learn import ARTICLES, FAST

LABELS = {"Commander": "PERSON", "Town": "LOCATION", "Shelling": "EXPLOSIONS_REMOTE_VIOLENCE"}


def learn_fast(monkeypatch) -> None:
    """The command and the window train with the defaults (12 passes, 200 updates at least); tests use fewer."""
    monkeypatch.setattr("annotator.learn.project.learn",
                        lambda path, articles, config=None, **kw: learn(path, articles, TrainConfig(**FAST), **kw))


def build_team_project(path: Path, unfinished: str) -> Path:
    """Every invented report labelled by "ana" and marked done, plus one article ``unfinished`` left todo."""
    with Store.open(path) as store:
        for article in ARTICLES:
            article_id, _ = store.articles.add(article.text)
            for span in article.spans:
                store.spans.add(article_id, span.start_char, span.end_char, LABELS[span.label], span.layer,
                                annotator="ana")
            store.states.set(article_id, "ana", ArticleState.DONE)
        store.articles.add(unfinished)
    return path
