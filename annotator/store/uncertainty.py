"""How unsure the learned version is about each article an annotator has not finished, so the queue can
put those first (annotator.learn.uncertainty computes the scores; the store keeps them)."""

from __future__ import annotations

from annotator.store.project import chunked, now
from annotator.store.states import state_clause
from annotator.store.part import Part

_UNFINISHED = ("todo", "in_progress")


class Uncertainty(Part):
    def unfinished_ids(self, annotator: str) -> list[int]:
        """Articles ``annotator`` has not finished (to do or in progress), by id."""
        clause, params = state_clause(self._store.annotators.ensure(annotator), _UNFINISHED)
        return [r[0] for r in self._db.execute(f"SELECT a.id FROM articles a WHERE {clause} ORDER BY a.id", params)]

    def set(self, version: str, scores: dict[int, float]) -> None:
        """Keep ``version``'s uncertainty of these articles (replacing any earlier score of theirs)."""
        stamp = now()
        with self.transaction():
            self._db.conn.executemany(
                "INSERT INTO article_uncertainty(article_id, version, score, computed_at) VALUES (?, ?, ?, ?)"
                " ON CONFLICT(article_id) DO UPDATE SET version = excluded.version, score = excluded.score,"
                " computed_at = excluded.computed_at",
                [(article_id, version, float(score), stamp) for article_id, score in scores.items()])

    def of(self, article_ids: list[int]) -> dict[int, tuple[str, float]]:
        """Article id -> (version, score) for those that have one."""
        found = {}
        for part in chunked(article_ids):
            marks = ", ".join("?" * len(part))
            for article_id, version, score in self._db.execute(
                    f"SELECT article_id, version, score FROM article_uncertainty WHERE article_id IN ({marks})", part):
                found[article_id] = (version, score)
        return found

    def next_id(self, annotator: str, after: int | None = None) -> int | None:
        """The unfinished article with the highest uncertainty (articles without a score come last, by
        id), skipping ``after`` so that "next" moves on from the article just left."""
        clause, params = state_clause(self._store.annotators.ensure(annotator), _UNFINISHED)
        row = self._db.execute(
            f"SELECT a.id FROM articles a LEFT JOIN article_uncertainty u ON u.article_id = a.id WHERE {clause}"
            " AND a.id != ? ORDER BY u.score IS NULL, u.score DESC, a.id LIMIT 1", [*params, after or 0]).fetchone()
        return row[0] if row else None
