"""The append-only action log: who did what, when (the file refuses updates and deletes)."""

from __future__ import annotations

import json
from typing import Any

from annotator.store.project import dump, now
from annotator.store.part import Part


class Log(Part):
    def write(self, annotator_id: int | None, article_id: int | None, action: str,
              detail: dict[str, Any] | None = None) -> None:
        self._db.execute(
            "INSERT INTO actions(at, annotator_id, article_id, action, detail) VALUES (?, ?, ?, ?, ?)",
            [now(), annotator_id, article_id, action, dump(detail)],
        )

    def add(self, annotator: str, action: str, article_id: int | None = None,
                   detail: dict[str, Any] | None = None) -> None:
        """Record something the annotator did that is not itself a data change (e.g. undo).

        :param annotator: who
        :param action: a short verb (``undo``, ``gold_finish`` ...)
        :param article_id: the article it concerns, if any
        :param detail: anything worth keeping, as JSON
        """
        with self.transaction():
            self.write(self._store.annotators.ensure(annotator), article_id, action, detail)

    def entries(self, article_id: int | None = None) -> list[dict[str, Any]]:
        """The log, oldest first.

        :param article_id: only the lines about this article
        """
        sql = ("SELECT x.id, x.at, an.name AS annotator, x.article_id, x.action, x.detail FROM actions x"
               " LEFT JOIN annotators an ON an.id = x.annotator_id")
        params: list[Any] = []
        if article_id is not None:
            sql += " WHERE x.article_id = ?"
            params.append(article_id)
        rows = list(self._db.query(sql + " ORDER BY x.id", params))
        for row in rows:
            row["detail"] = json.loads(row["detail"])
        return rows
