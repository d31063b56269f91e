"""Learned versions as the project file records them (the folders beside it hold the weights), and
the decided spans learning reads."""

from __future__ import annotations

import json
import sqlite3
from typing import Any, Iterator

from annotator.domain import GOLD, Article, Span
from annotator.store.errors import StoreError
from annotator.store.part import Part

_COLUMNS = ("version", "created_at", "spacy_version", "base_model", "labels", "train_hashes", "heldout_hashes",
            "scores", "entity_f1", "event_f1", "previous_version")


class LearnedVersions(Part):
    def record(self, row: dict[str, Any], annotator: str) -> None:
        """Record a learned version (what ``annotator.learn.manifest_row`` gives).

        :param row: the manifest's row: version, created_at, spacy_version, base_model, labels,
            train_hashes, heldout_hashes, scores (JSON text), entity_f1, event_f1, previous_version
        :param annotator: who started the learning (logged)
        :raises StoreError: the file cannot take the record (a full disk, a read-only file); the
            version then does not count (the record is its commit point)
        """
        values = [row.get(column) for column in _COLUMNS]
        try:
            with self.transaction():
                self._db.execute(
                    f"INSERT OR REPLACE INTO model_versions({', '.join(_COLUMNS)})"
                    f" VALUES ({', '.join('?' * len(_COLUMNS))})", values)
                self._store.log.write(self._store.annotators.ensure(annotator), None, "learn",
                          {"version": row["version"], "entity_f1": row.get("entity_f1"),
                           "event_f1": row.get("event_f1")})
        except sqlite3.OperationalError as exc:  # "database or disk is full", "attempt to write a readonly database"
            raise StoreError(f"{self._store.path}: cannot record the learned version {row['version']} ({exc});"
                             " free some space (or make the file writable) and learn again") from exc

    def versions(self) -> list[dict[str, Any]]:
        """Every recorded version, oldest first, with ``labels`` and ``scores`` parsed."""
        rows = list(self._db.query(f"SELECT {', '.join(_COLUMNS)} FROM model_versions ORDER BY version"))
        for row in rows:
            for key in ("labels", "scores", "train_hashes", "heldout_hashes"):
                row[key] = json.loads(row[key] or "null")
        return rows

    def material(self) -> Iterator[tuple[Article, list[Span]]]:
        """(article, decided spans) of every article fit to learn from: its gold spans where the review
        finished it, else the accepted spans of the annotator who last marked it done. Articles neither
        reviewed nor done are left out: every word of a learning text that carries no span is learned
        as "not a span", so half-labelled articles would teach the model to miss things."""
        rows = self._db.execute(
            "SELECT st.article_id, an.name, an.name = ? AS is_gold FROM article_states st"
            " JOIN annotators an ON an.id = st.annotator_id WHERE st.state = 'done'"
            " ORDER BY st.article_id, is_gold DESC, st.updated_at DESC", [GOLD]).fetchall()
        chosen: dict[int, str] = {}
        for article_id, name, _is_gold in rows:
            chosen.setdefault(article_id, name)
        for article_id, name in sorted(chosen.items()):
            spans = [s for s in self._store.spans.own(article_id, name) if s.status == "accepted"]
            yield self._store.articles.get(article_id), spans

