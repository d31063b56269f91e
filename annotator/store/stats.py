"""Counts of what a project holds, for ``annotator stats``."""

from __future__ import annotations

from typing import Any


class Stats:
    def stats(self) -> dict[str, Any]:
        """Counts for ``annotator stats``; ``articles`` and ``spans`` are the two totals."""
        q = self._db.execute

        def grouped(sql: str) -> list[dict[str, Any]]:
            return list(self._db.query(sql))

        return {
            "articles": q("SELECT count(*) FROM articles").fetchone()[0],
            "spans": q("SELECT count(*) FROM spans").fetchone()[0],
            "annotators": self.annotator_names(),
            "spans_by_layer": dict(q("SELECT layer, count(*) FROM spans GROUP BY layer ORDER BY layer").fetchall()),
            "spans_by_status": dict(q("SELECT status, count(*) FROM spans GROUP BY status ORDER BY status").fetchall()),
            "spans_by_origin": dict(q("SELECT origin, count(*) FROM spans GROUP BY origin ORDER BY origin").fetchall()),
            "spans_by_label": grouped(
                "SELECT layer, label, status, count(*) AS count FROM spans GROUP BY layer, label, status"
                " ORDER BY layer, label, status"
            ),
            "spans_by_annotator": grouped(
                "SELECT coalesce(an.name, '(suggestions)') AS annotator, s.status, count(*) AS count"
                " FROM spans s LEFT JOIN annotators an ON an.id = s.annotator_id"
                " GROUP BY an.name, s.status ORDER BY an.name, s.status"
            ),
            "article_states": grouped(
                "SELECT an.name AS annotator, st.state, count(*) AS count FROM article_states st"
                " JOIN annotators an ON an.id = st.annotator_id GROUP BY an.name, st.state"
                " ORDER BY an.name, st.state"
            ),
            "event_arguments": q("SELECT count(*) FROM arguments").fetchone()[0],
        }
