"""Small invented projects and steps shared by the hub tests."""

from __future__ import annotations

from pathlib import Path

from annotator.domain import Layer, Status
from annotator.store import Store

TEXTS = [
    "Shelling hit the market in Dorvala on Monday. Two civilians were killed.",
    "The Northern Front said it would withdraw from Karsk by Friday.",
    "Protesters gathered outside the ministry in Velmora after the strike.",
    "An airstrike near the Ostrava bridge destroyed a supply convoy.",
    "Militia fighters clashed with police in the port of Sarnic overnight.",
    "A roadside bomb wounded three soldiers on the road to Pellin.",
]


def lead_project(path: Path, texts: list[str] = TEXTS) -> Path:
    """The team lead's file: articles and a suggested place in each ("in X" / first capitalised word)."""
    with Store.open(path) as store:
        for number, text in enumerate(texts):
            article_id, _ = store.articles.add(text, title=f"Report {number + 1}")
            word = text.split()[-4] if number % 2 else text.split()[1]
            start = text.index(word)
            store.spans.add_many(article_id, [{"start_char": start, "end_char": start + len(word), "label": "LOCATION",
                                               "layer": "entity", "source": "test-suggester@1"}],
                            annotator=None, origin="suggested", status="pending")
            store.suggestions.record_run(article_id, "test-suggester@1", 1)
    return path


def annotate(store: Store, name: str, article_ids: list[int], *, label: str = "PERSON", done: bool = True) -> None:
    """What an annotator does on each article: accept the suggestion, mark a span of their own, link
    an event to it, and finish the article."""
    for article_id in article_ids:
        text = store.articles.get(article_id).text
        for span in store.spans.for_article(article_id, name):
            if span.is_suggestion:
                store.suggestions.decide(span.id, name, Status.ACCEPTED)
        first = text.split()[0]
        event = store.spans.add(article_id, 0, len(first), "BATTLES", Layer.EVENT, annotator=name)
        word_start = text.index(text.split()[2])
        filler = store.spans.add(article_id, word_start, word_start + len(text.split()[2]), label, Layer.ENTITY,
                                 annotator=name)
        store.arguments.add(event, filler, "ACTOR", actor=name)
        store.states.add_seconds(article_id, name, 12.5)
        if done:
            store.states.set(article_id, name, "done")
