"""Learning from a project: its decided spans in, a recorded version out, and what to say about it.

Reads through the store only; the training itself is :func:`annotator.learn.learn`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from annotator.learn.examples import LearnArticle
from annotator.learn.train import TrainConfig
from annotator.learn.versions import VersionInfo, current_version, learn, manifest_row


@dataclass
class LearnOutcome:
    version: VersionInfo
    previous: dict | None  # the previous version's scores (manifest "previous"), if there was one
    articles: int

    def lines(self) -> list[str]:
        """The held-out scores per label, next to the previous version's, as the command prints them."""
        manifest = self.version.manifest or {}
        scores = manifest.get("scores", {}).get("labels", {})
        before = ((self.previous or {}).get("scores") or {}).get("labels", {})
        training = manifest.get("training", {})
        held = len(manifest.get("heldout_articles", []))
        out = [f"{self.version.name}: learned from {self.articles - held} articles, scored on {held} held back"
               f" ({training.get('seconds', 0):.0f} s{', stopped early: time budget' if training.get('stopped_early') else ''})",
               f"  {'label':<34} {'P':>6} {'R':>6} {'F1':>6}  {'F1 before':>9}"]
        for label in sorted(scores):
            row, old = scores[label], before.get(label)
            previous = f"{old['f1']:.3f}" if old and old.get("f1") is not None else "-"
            out.append(f"  {label:<34} {row.get('precision', 0):6.3f} {row.get('recall', 0):6.3f}"
                       f" {row.get('f1', 0):6.3f}  {previous:>9}")
        if not self.version.good:
            out.append("  no label scored above 0 on the held-back articles: suggestions keep using the previous"
                       " good version (or the shipped model)")
        return out


def learning_articles(store) -> list[LearnArticle]:
    """The project's reviewed or finished articles as learning input (see Store.learning_material)."""
    return [LearnArticle.from_article(article, spans) for article, spans in store.learning_material()]


def learn_from_project(store, annotator: str, config: TrainConfig | None = None, *,
                       progress: Callable[[int, int], None] | None = None,
                       should_stop: Callable[[], bool] | None = None) -> LearnOutcome:
    """Train a new version on the project's decided spans, keep it beside the file and record it.

    :param annotator: who started it (the project's log says so)
    :raises LearnInputError: too few articles or spans to learn from (the message says what is needed)
    :raises LearnCancelled: stopped; nothing was written
    """
    articles = learning_articles(store)
    before = current_version(store.path)
    info = learn(store.path, articles, config, progress=progress, should_stop=should_stop)
    store.record_model_version(manifest_row(info.manifest), annotator)
    previous = (info.manifest or {}).get("previous") or (
        {"version": before.name, "scores": before.manifest.get("scores")} if before and before.manifest else None)
    return LearnOutcome(info, previous, len(articles))
