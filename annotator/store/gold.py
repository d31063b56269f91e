"""Gold provenance: the reviewer's decisions and which gold span and argument came from which.

Gold spans themselves are ordinary spans of the reserved annotator :data:`annotator.domain.GOLD`;
these tables say, for each, whether all annotators agreed, whose version was taken, or whether the
reviewer made it.
"""

from __future__ import annotations

import json
from typing import Any

from annotator.domain import Layer
from annotator.store.project import now
from annotator.store.part import Part

GOLD_KINDS = ("agreed", "annotator", "reviewer")


class Gold(Part):
    def add_decision(self, article_id: int, layer: Layer | str, start: int, end: int, kind: str,
                     annotators: list[str], reviewer: str) -> dict[str, Any]:
        """Record that ``reviewer`` settled a region of an article.

        :param article_id: the article
        :param layer: the region's layer
        :param start: region start
        :param end: region end (exclusive)
        :param kind: agreed, annotator (someone's version taken) or reviewer (their own edit)
        :param annotators: whose version it is (or was based on)
        :param reviewer: who decided
        :returns: the stored row, with its id (what :meth:`restore_gold_decision` takes back)
        """
        row = {"article_id": article_id, "layer": str(Layer(layer)), "region_start": start, "region_end": end,
               "kind": kind, "annotators": json.dumps(annotators, ensure_ascii=False), "reviewer": reviewer,
               "decided_at": now()}
        with self.transaction():
            row["id"] = self._db["gold_decisions"].insert(row).last_pk
        return row

    def restore_decision(self, row: dict[str, Any]) -> None:
        """Put back a decision :meth:`delete_gold_decision` removed (redo), with the same id.

        :param row: the stored row
        """
        with self.transaction():
            self._db["gold_decisions"].insert(row)

    def delete_decision(self, decision_id: int) -> None:
        """Remove a decision (undo); the spans pointing to it lose their provenance.

        :param decision_id: the decision
        """
        with self.transaction():
            self._db.execute("DELETE FROM gold_decisions WHERE id = ?", [decision_id])

    def point_span(self, span_id: int, decision_id: int | None) -> int | None:
        """Say which decision a gold span came from (None: no recorded decision).

        :param span_id: the gold span
        :param decision_id: the decision
        :returns: the decision it pointed to before
        """
        before = self.decision_of_span(span_id)
        with self.transaction():
            if decision_id is None:
                self._db.execute("DELETE FROM gold_span_decisions WHERE span_id = ?", [span_id])
            else:
                self._db.execute("INSERT OR REPLACE INTO gold_span_decisions(span_id, decision_id) VALUES (?, ?)",
                                 [span_id, decision_id])
        return before[0] if before else None

    def point_argument(self, link_id: int, decision_id: int | None) -> int | None:
        """Say which decision a gold argument link came from.

        :param link_id: the argument link
        :param decision_id: the decision (None: none)
        :returns: the decision it pointed to before
        """
        row = self._db.execute("SELECT decision_id FROM gold_argument_decisions WHERE argument_link_id = ?",
                               [link_id]).fetchone()
        with self.transaction():
            if decision_id is None:
                self._db.execute("DELETE FROM gold_argument_decisions WHERE argument_link_id = ?", [link_id])
            else:
                self._db.execute("INSERT OR REPLACE INTO gold_argument_decisions(argument_link_id, decision_id)"
                                 " VALUES (?, ?)", [link_id, decision_id])
        return row[0] if row else None

    def decision_of_span(self, span_id: int) -> tuple[int, list[str]] | None:
        """(decision id, annotators it named) of a gold span, if recorded.

        :param span_id: the gold span
        """
        row = self._db.execute(
            "SELECT d.id, d.annotators FROM gold_span_decisions g JOIN gold_decisions d ON d.id = g.decision_id"
            " WHERE g.span_id = ?", [span_id]).fetchone()
        return (row[0], json.loads(row[1])) if row else None

    def provenance(self, article_id: int) -> dict[int, tuple[str, list[str], str]]:
        """Per gold span of an article: (kind, annotators, reviewer) of the decision it came from.

        :param article_id: the article
        """
        return {
            r[0]: (r[1], json.loads(r[2]), r[3])
            for r in self._db.execute(
                "SELECT g.span_id, d.kind, d.annotators, d.reviewer FROM gold_span_decisions g"
                " JOIN gold_decisions d ON d.id = g.decision_id WHERE d.article_id = ?", [article_id])
        }

    def regions(self, article_id: int, *, agreed: bool) -> list[tuple[Layer, int, int]]:
        """(layer, start, end) of the regions of an article settled by agreement (``agreed``) or by
        the reviewer's choice (not ``agreed``).

        :param article_id: the article
        :param agreed: which kind of decision
        """
        sql = ("SELECT layer, region_start, region_end FROM gold_decisions WHERE article_id = ? AND kind "
               + ("= 'agreed'" if agreed else "!= 'agreed'"))
        return [(Layer(r[0]), r[1], r[2]) for r in self._db.execute(sql, [article_id])]

    # -- kept with a deleted span, so restoring it restores its provenance -------------------------

    def snapshot_of_span(self, span_id: int) -> dict[str, Any]:
        span = self._db.execute("SELECT decision_id FROM gold_span_decisions WHERE span_id = ?", [span_id]).fetchone()
        links = self._db.execute(
            "SELECT d.argument_link_id, d.decision_id FROM gold_argument_decisions d JOIN arguments g"
            " ON g.id = d.argument_link_id WHERE g.event_id = ? OR g.filler_id = ?", [span_id, span_id]).fetchall()
        return {"decision": span[0] if span else None, "arguments": [list(link) for link in links]}

    def restore_snapshot(self, span_id: int, snapshot: dict[str, Any] | None) -> None:
        if not snapshot:
            return
        if snapshot.get("decision") is not None:
            self._db.execute("INSERT OR REPLACE INTO gold_span_decisions(span_id, decision_id) VALUES (?, ?)",
                             [span_id, snapshot["decision"]])
        for link_id, decision_id in snapshot.get("arguments", []):
            self._db.execute("INSERT OR REPLACE INTO gold_argument_decisions(argument_link_id, decision_id)"
                             " VALUES (?, ?)", [link_id, decision_id])
