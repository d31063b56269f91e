"""Learning from a project: its decided spans in, a recorded version out, and what to say about it.

Reads through the store only; the training itself is :func:`annotator.learn.learn`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from annotator.learn.examples import LearnArticle
from annotator.learn.train import TrainConfig
from annotator.learn.versions import (
    MIN_HELDOUT_ARTICLES,
    MIN_LABEL_SPANS,
    VersionInfo,
    clean_leftovers,
    current_version,
    evidence_problem,
    held_back_spans,
    label_has_evidence,
    learn,
    manifest_row,
)


@dataclass
class LearnOutcome:
    version: VersionInfo
    previous: dict | None  # the previous version's scores (manifest "previous"), if there was one
    articles: int
    notes: list[str] = field(default_factory=list)  # leftovers of interrupted runs that were removed

    def lines(self) -> list[str]:
        """The held-out scores per label, what they rest on (held-back spans per label), and the
        previous version's F1 where both rest on enough spans, as the command prints them."""
        manifest = self.version.manifest or {}
        scores = manifest.get("scores", {}).get("labels", {})
        before = ((self.previous or {}).get("scores") or {}).get("labels", {})
        training = manifest.get("training", {})
        held = len(manifest.get("heldout_articles", []))
        out = list(self.notes)
        out += [f"{self.version.name}: learned from {self.articles - held} articles, scored on {held} held back"
                f" ({training.get('seconds', 0):.0f} s{', stopped early: time budget' if training.get('stopped_early') else ''})",
                f"  {'label':<34} {'spans':>5} {'P':>6} {'R':>6} {'F1':>6}  {'F1 before':>9}"]
        few = 0
        for label in sorted(scores):
            row, old = scores[label], before.get(label)
            counts = label_has_evidence(row)
            few += not counts
            previous = (f"{old['f1']:.3f}" if counts and old and old.get("f1") is not None and label_has_evidence(old)
                        else "-")
            out.append(f"  {label:<34} {held_back_spans(row):>5} {row.get('precision', 0):6.3f}"
                       f" {row.get('recall', 0):6.3f} {row.get('f1', 0):6.3f}  {previous:>9}"
                       + ("" if counts else "  too few spans to count"))
        out.append(f"  spans: the label's spans in the {held} held-back article{'' if held == 1 else 's'}; a score"
                   f" counts from {MIN_LABEL_SPANS} spans and {MIN_HELDOUT_ARTICLES} held-back articles"
                   + (f" ({few} label{'' if few == 1 else 's'} below)" if few else ""))
        problem = evidence_problem(manifest)
        if problem:
            out.append(f"  too little evidence: {problem}. Suggestions keep using the previous good version"
                       " (or the shipped model)")
        elif not self.version.good:
            out.append(f"  no label with {MIN_LABEL_SPANS} or more held-back spans scored above 0: suggestions keep"
                       " using the previous good version (or the shipped model)")
        return out


def learning_articles(store) -> list[LearnArticle]:
    """The project's reviewed or finished articles as learning input (see store.learned.material)."""
    return [LearnArticle.from_article(article, spans) for article, spans in store.learned.material()]


def learn_from_project(store, annotator: str, config: TrainConfig | None = None, *,
                       progress: Callable[[int, int], None] | None = None,
                       should_stop: Callable[[], bool] | None = None,
                       on_epoch: Callable[..., None] | None = None) -> LearnOutcome:
    """Train a new version on the project's decided spans, keep it beside the file and record it
    (the record is the commit point: see annotator.learn.versions).

    :param annotator: who started it (the project's log says so)
    :param on_epoch: after each pass (see :func:`annotator.learn.train_pipeline`)
    :raises LearnInputError: too few articles or spans to learn from (the message says what is needed)
    :raises LearnCancelled: stopped; nothing was written
    :raises VersionError: too little free space (before training), or the version could not be saved
    """
    articles = learning_articles(store)
    notes = clean_leftovers(store.path, {row["version"] for row in store.learned.versions()})
    before = current_version(store.path)
    info = learn(store.path, articles, config, progress=progress, should_stop=should_stop, on_epoch=on_epoch,
                 record=lambda manifest: store.learned.record(manifest_row(manifest), annotator))
    previous = (info.manifest or {}).get("previous") or (
        {"version": before.name, "scores": before.manifest.get("scores")} if before and before.manifest else None)
    return LearnOutcome(info, previous, len(articles), notes)
