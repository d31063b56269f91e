"""What to annotate next: the articles a learned version is least sure of first (as Prodigy's ner.teach
picks the spans whose score is nearest 0.5, here summed over an article).

An article's uncertainty is the number of errors the learned version expects to make in it per 100
words: for every span its beam search considers (entities and triggers), the chance that the version
is wrong about it, min(p, 1 - p), summed and divided by the article's length. Per word, because an
annotator's time goes by words read; an article where the version hesitates often teaches more per
minute than a long one where it hesitates once.

Scores are kept in the project file (``store.uncertainty.set``) with the version that computed
them; ``annotator next`` orders the queue by them (docs/learning.md, "What to annotate next").
"""

from __future__ import annotations

from typing import Callable, Iterable

from spacy.language import Language

from annotator.learn.predict import ENTITIES_PIPE, SCORE_BEAM_WIDTH, TRIGGERS_PIPE, _tokens_copy, learned_labels
from annotator.domain import Layer

# Spans the beam gives less than this are not considered at all (the beam keeps many unlikely parses).
FLOOR = 0.02


def span_probabilities(nlp: Language, text: str) -> tuple[list[float], int]:
    """(the probability of every span the learned NERs' beams hold, the article's token count)."""
    doc = _tokens_copy(nlp, text)
    known = learned_labels(nlp)
    found: list[float] = []
    for name, layer in ((ENTITIES_PIPE, Layer.ENTITY), (TRIGGERS_PIPE, Layer.EVENT)):
        if name not in nlp.pipe_names or nlp.get_pipe_meta(name).factory != "ner":
            continue
        ner = nlp.get_pipe(name)
        beams = ner.beam_parse([_tokens_copy(nlp, doc)], beam_width=SCORE_BEAM_WIDTH)
        for (_, _, label), probability in ner.scored_ents(beams)[0].items():
            if label in known[layer] and probability >= FLOOR:
                found.append(float(probability))
    return found, len(doc)


def uncertainty(probabilities: Iterable[float], tokens: int) -> float:
    """Expected errors per 100 words: sum of min(p, 1 - p) over the spans, per 100 tokens."""
    expected = sum(min(p, 1.0 - p) for p in probabilities)
    return round(100.0 * expected / max(tokens, 1), 4)


def article_uncertainty(nlp: Language, text: str) -> float:
    return uncertainty(*span_probabilities(nlp, text))


def score_articles(nlp: Language, articles: Iterable[tuple[int, str]], *,
                   progress: Callable[[int], None] | None = None) -> dict[int, float]:
    """Article id -> uncertainty, for (id, text) pairs."""
    scores = {}
    for done, (article_id, text) in enumerate(articles, start=1):
        scores[article_id] = article_uncertainty(nlp, text)
        if progress is not None:
            progress(done)
    return scores


def score_project(store, annotator: str, loaded, *, progress: Callable[[int, int], None] | None = None) -> int:
    """Score the articles ``annotator`` has not finished with the learned version ``loaded`` (a
    :class:`~annotator.learn.versions.LoadedModel`) and keep the scores in the project; returns how many."""
    ids = store.uncertainty.unfinished_ids(annotator)
    total = len(ids)
    scores = score_articles(
        nlp=loaded.nlp,
        articles=((i, store.articles.get(i).text) for i in ids),
        progress=(lambda done: progress(done, total)) if progress is not None else None,
    )
    store.uncertainty.set(loaded.version, scores)
    return len(scores)
