"""Small project changes several GUI tests make (invented data)."""

from __future__ import annotations

from annotator.domain import ArticleState


def finish_by_two(store) -> int:
    """Two annotators mark the last short test article done with one different span: a disagreement."""
    article = store.articles.list("ana", search="ceasefire")[0].id
    text = store.articles.get(article).text
    start = text.index("Lakeport")
    store.spans.add(article, start, start + len("Lakeport"), "LOCATION", "entity", annotator="ana")
    store.spans.add(article, start, start + len("Lakeport"), "ORG", "entity", annotator="ben")
    for name in ("ana", "ben"):
        store.states.set(article, name, ArticleState.DONE)
    return article
