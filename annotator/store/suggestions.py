"""Suggestions and decisions: spans shared by every annotator until each accepts or rejects them,
the decided copies that go into an annotator's layer, and which suggester has run on which article."""

from __future__ import annotations

import json
from typing import Any, Iterable, Iterator

from annotator.domain import Layer, Span, Status
from annotator.store.errors import ConflictError, StoreError
from annotator.store.project import dump, now
from annotator.store.part import Part

# The one rule "suggestion row ``s`` is still undecided for annotator ``?`` (given twice)": shared,
# pending, not decided by them, and not repeating a span of their own (same offsets and label).
UNDECIDED = (
    "s.annotator_id IS NULL AND s.status = 'pending'"
    " AND NOT EXISTS (SELECT 1 FROM spans d WHERE d.suggestion_id = s.id AND d.annotator_id = ?)"
    " AND NOT EXISTS (SELECT 1 FROM spans m WHERE m.article_id = s.article_id AND m.annotator_id = ?"
    "   AND m.start_char = s.start_char AND m.end_char = s.end_char AND m.label = s.label)"
)
# Article ``a`` has such a suggestion.
UNDECIDED_SUGGESTION = "SELECT 1 FROM spans s WHERE s.article_id = a.id AND " + UNDECIDED


class Suggestions(Part):
    def decide(self, suggestion_id: int, annotator: str, status: Status | str) -> list[int]:
        """Accept or reject a shared suggestion for ``annotator``: their layer gets a decided copy.

        Accepting an event also accepts the suggested spans filling its arguments, with the links.

        :param suggestion_id: the shared suggestion
        :param annotator: who decides
        :param status: accepted or rejected
        :returns: the ids of the spans created (delete them to undo)
        :raises ConflictError: this annotator has decided it already
        """
        status = Status(status)
        suggestion = self._store.spans.get(suggestion_id)
        if not suggestion.is_suggestion:
            raise StoreError(f"span {suggestion_id} is not a suggestion")
        if self._decided_copy(suggestion_id, annotator) is not None:
            # Another window (or an event's acceptance) got there first; a second copy would
            # double the span in this annotator's work.
            raise ConflictError(f"{annotator} has already decided suggestion {suggestion_id} "
                                f"({suggestion.label} at {suggestion.start_char}-{suggestion.end_char})")
        created: list[int] = []
        with self.transaction():
            copy_id = self._copy(suggestion, annotator, status)
            created.append(copy_id)
            if status is Status.ACCEPTED and suggestion.layer is Layer.EVENT:
                for arg in self._store.arguments.of_event(suggestion_id):
                    target = self._store.spans.get(arg.filler_id)
                    if target.is_suggestion:
                        mine = self._decided_copy(target.id, annotator)
                        if mine is None:
                            mine = self._copy(target, annotator, Status.ACCEPTED)
                            created.append(mine)
                        elif self._store.spans.get(mine).status is Status.REJECTED:
                            continue
                        self._store.arguments.add(copy_id, mine, arg.role, log=False)
                    else:
                        self._store.arguments.add(copy_id, target.id, arg.role, log=False)
            self._store.log.write(self._store.annotators.ensure(annotator), suggestion.article_id,
                                  "accept" if status is Status.ACCEPTED else "reject",
                                  {"suggestion": suggestion_id, "spans": created})
        return created

    def decide_only(self, suggestion_id: int, annotator: str, status: Status | str) -> int:
        """Accept or reject one suggestion without its arguments (setting an attribute on a
        pending event accepts that span only).

        :returns: the id of the decided copy
        """
        status = Status(status)
        suggestion = self._store.spans.get(suggestion_id)
        if not suggestion.is_suggestion:
            raise StoreError(f"span {suggestion_id} is not a suggestion")
        if self._decided_copy(suggestion_id, annotator) is not None:
            raise ConflictError(f"{annotator} has already decided suggestion {suggestion_id}")
        with self.transaction():
            copy_id = self._copy(suggestion, annotator, status)
            self._store.log.write(self._store.annotators.ensure(annotator), suggestion.article_id,
                                  "accept" if status is Status.ACCEPTED else "reject",
                                  {"suggestion": suggestion_id, "spans": [copy_id]})
        return copy_id

    def _decided_copy(self, suggestion_id: int, annotator: str) -> int | None:
        row = self._db.execute(
            "SELECT id FROM spans WHERE suggestion_id = ? AND annotator_id = ?",
            [suggestion_id, self._store.annotators.ensure(annotator)],
        ).fetchone()
        return row[0] if row else None

    def _copy(self, suggestion: Span, annotator: str, status: Status) -> int:
        return self._store.spans.add(
            suggestion.article_id, suggestion.start_char, suggestion.end_char, suggestion.label,
            suggestion.layer, annotator=annotator, origin=suggestion.origin, status=status,
            attributes=suggestion.attributes, source=suggestion.source, score=suggestion.score,
            suggestion_id=suggestion.id, log=False,
        )

    # -- what suggesters wrote --------------------------------------------------------------------

    def shared(self, article_id: int) -> list[tuple[int, int, int, str, str, str | None, bool]]:
        """Every shared suggestion of an article as (id, start, end, label, layer, source, decided by anyone).

        :param article_id: the article
        """
        return self._db.execute(
            "SELECT s.id, s.start_char, s.end_char, s.label, s.layer, s.source,"
            " EXISTS (SELECT 1 FROM spans d WHERE d.suggestion_id = s.id)"
            " FROM spans s WHERE s.article_id = ? AND s.annotator_id IS NULL",
            [article_id],
        ).fetchall()

    def has_imported(self, article_id: int) -> bool:
        """Whether an import already gave this article shared suggestions.

        :param article_id: the article
        """
        return self._db.execute(
            "SELECT 1 FROM spans WHERE article_id = ? AND annotator_id IS NULL AND origin = 'imported' LIMIT 1",
            [article_id],
        ).fetchone() is not None

    def delete(self, span_ids: Iterable[int]) -> int:
        """Remove shared suggestions nobody decided (a new suggester run no longer makes them).

        :param span_ids: the suggestions
        :returns: how many were removed
        """
        removed = 0
        with self.transaction():
            for span_id in span_ids:
                removed += self._db.execute(
                    "DELETE FROM spans WHERE id = ? AND annotator_id IS NULL", [span_id]).rowcount
        return removed

    def refresh_attributes(self, changes: Iterable[tuple[int, dict[str, Any]]]) -> None:
        """Set the attributes of shared suggestions a suggester made again, in one statement (a run
        over a long project refreshes tens of thousands of them).

        :param changes: (span id, attributes) per suggestion
        """
        stamp = now()
        with self.transaction():
            self._db.conn.executemany("UPDATE spans SET attributes = ?, updated_at = ? WHERE id = ?",
                                      [(dump(attributes), stamp, span_id) for span_id, attributes in changes])

    def record_run(self, article_id: int, suggester: str, spans: int) -> None:
        """Remember that ``suggester`` (name@version/model) has run on an article.

        :param article_id: the article
        :param suggester: the suggester's name and version, as on its suggestions
        :param spans: how many suggestions it made there
        """
        with self.transaction():
            self._db.execute(
                "INSERT INTO suggestion_runs(article_id, source, spans, finished_at) VALUES (?, ?, ?, ?)"
                " ON CONFLICT(article_id, source) DO UPDATE SET spans = excluded.spans,"
                " finished_at = excluded.finished_at",
                [article_id, suggester, spans, now()],
            )

    def article_ids(self, suggester: str) -> set[int]:
        """Articles ``suggester`` (name@version/model) has already run on.

        :param suggester: as recorded by :meth:`record_suggestion_run`
        """
        return {r[0] for r in self._db.execute(
            "SELECT article_id FROM suggestion_runs WHERE source = ?", [suggester])}

    def decided_texts(self) -> Iterator[tuple[str, str, str, dict[str, Any], str]]:
        """(label, layer, status, attributes, covered text) of every annotator's span: what the
        suggester's memory learns from."""
        rows = self._db.execute(
            "SELECT s.label, s.layer, s.status, s.attributes,"
            " substr(a.text, s.start_char + 1, s.end_char - s.start_char)"
            " FROM spans s JOIN articles a ON a.id = s.article_id WHERE s.annotator_id IS NOT NULL"
        )
        for label, layer, status, attributes, text in rows:
            yield label, layer, status, json.loads(attributes or "{}"), text
