"""Article states: each annotator's progress on each article (todo, in progress, done, skipped, flagged)
and the time they spent on it."""

from __future__ import annotations

from typing import Any, Iterable

from annotator.domain import ArticleState
from annotator.store.project import now
from annotator.store.part import Part

ALL_STATES = tuple(str(state) for state in ArticleState)


def state_clause(annotator_id: int, states: Iterable[str]) -> tuple[str, list[Any]]:
    """The one filter "article ``a`` is in one of ``states`` for this annotator"; an article the
    annotator never touched is 'todo'. Used by the article list, the next-article step and export.

    Written as a set the index article_states_by_annotator answers (not a lookup per article), so
    it stays fast on a million articles: with 'todo' among ``states`` it is "no row in another
    state" (there is at most one row per article and annotator)."""
    wanted = list(dict.fromkeys(str(s) for s in states))
    if "todo" in wanted:
        others = [s for s in ALL_STATES if s not in wanted]
        if not others:
            return "1", []
        marks = ", ".join("?" * len(others))
        return (
            "a.id NOT IN (SELECT st.article_id FROM article_states st WHERE st.annotator_id = ?"
            f" AND st.state IN ({marks}))",
            [annotator_id, *others],
        )
    marks = ", ".join("?" * len(wanted)) or "NULL"
    return (
        "a.id IN (SELECT st.article_id FROM article_states st WHERE st.annotator_id = ?"
        f" AND st.state IN ({marks}))",
        [annotator_id, *wanted],
    )


class States(Part):
    def get(self, article_id: int, annotator: str) -> tuple[ArticleState, str | None, float]:
        """(state, note, seconds spent) of ``annotator`` on an article.

        :param article_id: the article
        :param annotator: whose state
        """
        row = self._db.execute(
            "SELECT state, note, seconds FROM article_states WHERE article_id = ? AND annotator_id = ?",
            [article_id, self._store.annotators.ensure(annotator)],
        ).fetchone()
        if row is None:
            return ArticleState.TODO, None, 0.0
        return ArticleState(row[0]), row[1], row[2]

    def set(self, article_id: int, annotator: str, state: ArticleState | str,
            note: str | None = None) -> tuple[ArticleState, str | None]:
        """Set ``annotator``'s state of an article.

        :param article_id: the article
        :param annotator: whose state
        :param state: the new state
        :param note: why (a flag's reason), or None
        :returns: the previous (state, note), for undo
        """
        state = ArticleState(state)
        me = self._store.annotators.ensure(annotator)
        previous_state, previous_note, _ = self.get(article_id, annotator)
        with self.transaction():
            self._db.execute(
                "INSERT INTO article_states(article_id, annotator_id, state, note, updated_at)"
                " VALUES (?, ?, ?, ?, ?) ON CONFLICT(article_id, annotator_id)"
                " DO UPDATE SET state = excluded.state, note = excluded.note, updated_at = excluded.updated_at",
                [article_id, me, str(state), note, now()],
            )
            self._store.log.write(me, article_id, "set_state", {"state": str(state), "note": note})
        return previous_state, previous_note

    def add_seconds(self, article_id: int, annotator: str, seconds: float) -> None:
        """Add time spent on an article (the window calls this as the annotator moves on).

        :param article_id: the article
        :param annotator: who spent it
        :param seconds: how long; nothing happens for zero or less
        """
        if seconds <= 0:
            return
        me = self._store.annotators.ensure(annotator)
        with self.transaction():
            # Looking at an article is not working on it: the state stays what it was ('todo').
            self._db.execute(
                "INSERT INTO article_states(article_id, annotator_id, state, seconds, updated_at)"
                " VALUES (?, ?, 'todo', ?, ?) ON CONFLICT(article_id, annotator_id)"
                " DO UPDATE SET seconds = seconds + excluded.seconds, updated_at = excluded.updated_at",
                [article_id, me, seconds, now()],
            )

    def mark_started(self, article_id: int, annotator_id: int) -> None:
        """The annotator made a span or a decision here: a 'todo' article is now in progress."""
        self._db.execute(
            "INSERT INTO article_states(article_id, annotator_id, state, updated_at) VALUES (?, ?, 'in_progress', ?)"
            " ON CONFLICT(article_id, annotator_id) DO UPDATE SET state = 'in_progress',"
            " updated_at = excluded.updated_at WHERE state = 'todo'",
            [article_id, annotator_id, now()],
        )

    def article_ids(self, annotator: str, state: ArticleState | str) -> set[int]:
        """Articles ``annotator`` has recorded in ``state`` (never 'todo' by default).

        :param annotator: whose state
        :param state: the state
        """
        return {r[0] for r in self._db.execute(
            "SELECT st.article_id FROM article_states st JOIN annotators an ON an.id = st.annotator_id"
            " WHERE an.name = ? AND st.state = ?", [annotator, str(ArticleState(state))])}

    def done_by(self) -> list[tuple[int, str]]:
        """(article id, annotator name) for every article an annotator marked done, ordered."""
        return self._db.execute(
            "SELECT st.article_id, an.name FROM article_states st JOIN annotators an ON an.id = st.annotator_id"
            " WHERE st.state = 'done' ORDER BY st.article_id, an.name"
        ).fetchall()
