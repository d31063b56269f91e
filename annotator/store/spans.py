"""Spans: labelled ranges of an article's text, an annotator's own or shared suggestions."""

from __future__ import annotations

from typing import Any, Iterable

from annotator.domain import GOLD, Layer, Origin, Span, Status
from annotator.store.errors import NotFoundError, OffsetError, StoreError
from annotator.store.project import chunked, dump, now
from annotator.store.suggestions import UNDECIDED
from annotator.store.part import Part

_SPAN_SELECT = "SELECT s.*, an.name AS annotator FROM spans s LEFT JOIN annotators an ON an.id = s.annotator_id "
_ORDER = " ORDER BY s.start_char, s.end_char DESC, s.id"
_LAYERS = {"entity": "entity", "event": "event"}  # (Layer members are equal str keys)
_CHANGEABLE = {"label", "start_char", "end_char", "status", "attributes", "layer", "origin"}


def _jsonable(changes: dict[str, Any]) -> dict[str, Any]:
    return {k: (str(v) if hasattr(v, "value") else v) for k, v in changes.items()}


class Spans(Part):
    def select(self, sql: str, params) -> list[Span]:
        cursor = self._db.conn.execute(sql, params)
        columns = [d[0] for d in cursor.description]
        return [Span.from_row(dict(zip(columns, row))) for row in cursor]

    def _article_length(self, article_id: int) -> int:
        row = self._db.execute("SELECT length(text) FROM articles WHERE id = ?", [article_id]).fetchone()
        if row is None:
            raise NotFoundError(f"no article with id {article_id}")
        return row[0]

    @staticmethod
    def _check_offsets(article_id: int, start: int, end: int, length: int) -> None:
        if not (0 <= start < end <= length):
            raise OffsetError(f"span {start}-{end} is outside article {article_id} (length {length})")

    def get(self, span_id: int) -> Span:
        """One span.

        :param span_id: its id
        :raises NotFoundError: no such span
        """
        spans = self.select(_SPAN_SELECT + "WHERE s.id = ?", [span_id])
        if not spans:
            raise NotFoundError(f"no span with id {span_id}")
        return spans[0]

    def for_article(self, article_id: int, annotator: str | None = None, *,
                    within: tuple[int, int] | None = None) -> list[Span]:
        """What ``annotator`` sees on an article: their own spans plus the suggestions they have not
        decided (and that do not repeat one of their spans), in text order.

        :param article_id: the article
        :param annotator: whose view; None gives every span of every annotator and every suggestion
        :param within: only spans overlapping offsets ``[start, end)`` (the window refreshes just
            the stretch an edit touched)
        """
        overlap = "" if within is None else f" AND s.start_char < {int(within[1])} AND s.end_char > {int(within[0])}"
        if annotator is None:
            return self.select(_SPAN_SELECT + "WHERE s.article_id = ?" + overlap + _ORDER, [article_id])
        me = self._store.annotators.ensure(annotator)
        visible, params = self._visible(article_id, me)
        sql = _SPAN_SELECT + "WHERE s.article_id = ?" + overlap + visible + _ORDER
        return self.select(sql, [article_id, *params])

    def _visible(self, article_id: int, me: int) -> tuple[str, list[int]]:
        """What an annotator sees of an article: their own spans and the undecided suggestions, or on a
        blind article (annotated without suggestions, docs/agreement.md) their own spans only."""
        if self._store.blind_article_ids([article_id]):
            return " AND s.annotator_id = ?", [me]
        return f" AND (s.annotator_id = ? OR ({UNDECIDED}))", [me, me, me]

    def own(self, article_id: int, annotator: str) -> list[Span]:
        """``annotator``'s own spans on an article, any status, in the order they were made.

        :param article_id: the article
        :param annotator: whose spans
        """
        return self.select(_SPAN_SELECT + "WHERE s.article_id = ? AND s.annotator_id = ? ORDER BY s.id",
                           [article_id, self._store.annotators.ensure(annotator)])

    def has_work(self, article_id: int, annotator: str) -> bool:
        """Whether ``annotator`` has any span or a state on the article.

        :param article_id: the article
        :param annotator: who
        """
        return self._db.execute(
            "SELECT 1 FROM annotators an WHERE an.name = ? AND (EXISTS (SELECT 1 FROM spans s WHERE"
            " s.article_id = ? AND s.annotator_id = an.id) OR EXISTS (SELECT 1 FROM article_states st"
            " WHERE st.article_id = ? AND st.annotator_id = an.id))",
            [annotator, article_id, article_id],
        ).fetchone() is not None

    def find(self, article_id: int, annotator: str, start: int, end: int, layer: Layer | str,
             prefer_label: str | None = None) -> int | None:
        """The id of ``annotator``'s span on exactly these offsets and layer (that label first), if any.

        :param article_id: the article
        :param annotator: whose span
        :param start: start offset
        :param end: end offset (exclusive)
        :param layer: entity or event
        :param prefer_label: of several, the one with this label wins
        """
        row = self._db.execute(
            "SELECT id FROM spans WHERE article_id = ? AND annotator_id = ? AND start_char = ?"
            " AND end_char = ? AND layer = ? ORDER BY (label = ?) DESC, id",
            [article_id, self._store.annotators.ensure(annotator), start, end, str(Layer(layer)), prefer_label],
        ).fetchone()
        return row[0] if row else None

    def ids_in_region(self, article_id: int, annotator: str, layer: Layer | str, start: int,
                      end: int) -> list[int]:
        """``annotator``'s spans of one layer overlapping ``[start, end)``, in text order.

        :param article_id: the article
        :param annotator: whose spans
        :param layer: entity or event
        :param start: region start
        :param end: region end (exclusive)
        """
        return [r[0] for r in self._db.execute(
            "SELECT id FROM spans WHERE article_id = ? AND annotator_id = ? AND layer = ?"
            " AND start_char < ? AND end_char > ? ORDER BY start_char, id",
            [article_id, self._store.annotators.ensure(annotator), str(Layer(layer)), end, start])]

    def add(self, article_id: int, start_char: int, end_char: int, label: str, layer: Layer | str, *,
            annotator: str | None, origin: Origin | str = Origin.MANUAL,
            status: Status | str = Status.ACCEPTED, attributes: dict[str, Any] | None = None,
            source: str | None = None, score: float | None = None, suggestion_id: int | None = None,
            log: bool = True) -> int:
        """Add one span.

        :param article_id: the article
        :param start_char: start offset (code points)
        :param end_char: end offset, exclusive
        :param label: the scheme's label
        :param layer: entity or event
        :param annotator: whose span; None makes it a suggestion shared by everybody
        :param origin: suggested, manual or imported
        :param status: pending, accepted or rejected
        :param attributes: modality, sub_event_type, reported_by, canonical ...
        :param source: which suggester or import made it
        :param score: the suggester's confidence
        :param suggestion_id: the suggestion this span decides
        :param log: write an action log line (False inside a larger logged step)
        :raises OffsetError: offsets outside the article text or empty
        """
        self._check_offsets(article_id, start_char, end_char, self._article_length(article_id))
        annotator_id = self._store.annotators.ensure(annotator) if annotator else None
        stamp = now()
        with self.transaction():
            cursor = self._db.execute(
                "INSERT INTO spans(article_id, annotator_id, start_char, end_char, label, layer, origin,"
                " status, attributes, source, score, suggestion_id, created_at, updated_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [article_id, annotator_id, start_char, end_char, label, str(Layer(layer)), str(Origin(origin)),
                 str(Status(status)), dump(attributes), source, score, suggestion_id, stamp, stamp],
            )
            span_id = cursor.lastrowid
            if annotator_id is not None and status != Status.PENDING and annotator != GOLD:
                # (Gold's state is the reviewer's "finished", set by the review alone.)
                self._store.states.mark_started(article_id, annotator_id)
            if log and annotator_id is not None:
                self._store.log.write(annotator_id, article_id, "add_span",
                                      {"span": span_id, "start": start_char, "end": end_char, "label": label})
        return span_id

    def add_many(self, article_id: int, spans: Iterable[dict[str, Any]], *, annotator: str | None,
                 origin: Origin | str, status: Status | str) -> list[int]:
        """Add many spans to one article in one transaction (imports, suggestions).

        :param article_id: the article
        :param spans: dicts with ``start_char``, ``end_char``, ``label``, ``layer`` and optionally
            ``attributes``, ``source``, ``score``; offsets are checked as in :meth:`add_span`
        :param annotator: whose spans; None for shared suggestions
        :param origin: suggested, manual or imported
        :param status: pending, accepted or rejected
        :returns: the new ids, in order
        """
        return self.add_rows(
            article_id,
            [(span["start_char"], span["end_char"], span["label"], span["layer"], span.get("attributes"),
              span.get("source"), span.get("score")) for span in spans],
            annotator=annotator, origin=origin, status=status)

    def add_rows(self, article_id: int, rows: Iterable[tuple], *, annotator: str | None,
                 origin: Origin | str, status: Status | str) -> list[int]:
        """:meth:`add_spans` for spans already as tuples, without a dict per span (the importer's path).

        :param article_id: the article
        :param rows: (start_char, end_char, label, layer, attributes, source, score) per span
        :param annotator: whose spans; None for shared suggestions
        :param origin: suggested, manual or imported
        :param status: pending, accepted or rejected
        :returns: the new ids, in order
        """
        length = self._article_length(article_id)
        annotator_id = self._store.annotators.ensure(annotator) if annotator else None
        origin, status, stamp = str(Origin(origin)), str(Status(status)), now()
        values = []
        for start, end, label, layer, attributes, source, score in rows:
            if not (0 <= start < end <= length):
                self._check_offsets(article_id, start, end, length)
            values.append([None, article_id, annotator_id, start, end, label, _LAYERS.get(layer) or str(Layer(layer)),
                           origin, status, dump(attributes) if attributes else "{}", source, score, stamp, stamp])
        if not values:
            return []
        insert = (
            "INSERT INTO spans(id, article_id, annotator_id, start_char, end_char, label, layer, origin, status,"
            " attributes, source, score, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        )
        with self.transaction():
            # The first row takes the next id (and the write lock); the rest follow it in one
            # executemany, with the ids SQLite would have given them one by one.
            first = self._db.conn.execute(insert, values[0]).lastrowid
            for offset, row in enumerate(values):
                row[0] = first + offset
            self._db.conn.executemany(insert, values[1:])
        return list(range(first, first + len(values)))

    def update(self, span_id: int, actor: str | None = None, **changes: Any) -> dict[str, Any]:
        """Change fields of a span.

        :param span_id: the span
        :param actor: who changes it (logged); None for a step inside a larger logged one
        :param changes: new values of label, start_char, end_char, status, attributes, layer, origin
        :returns: the previous values of the changed fields, for undo
        """
        bad = set(changes) - _CHANGEABLE
        if bad:
            raise StoreError(f"cannot change {', '.join(sorted(bad))} of a span")
        before = self.get(span_id)
        previous = {key: getattr(before, key) for key in changes}
        values = {
            key: (dump(value) if key == "attributes" else str(value) if key in {"status", "layer", "origin"} else value)
            for key, value in changes.items()
        }
        start = values.get("start_char", before.start_char)
        end = values.get("end_char", before.end_char)
        self._check_offsets(before.article_id, start, end, self._article_length(before.article_id))
        assignments = ", ".join(f"{key} = ?" for key in values)
        with self.transaction():
            self._db.execute(f"UPDATE spans SET {assignments}, updated_at = ? WHERE id = ?",
                             [*values.values(), now(), span_id])
            if actor:
                self._store.log.write(self._store.annotators.ensure(actor), before.article_id, "update_span",
                                      {"span": span_id, "changes": _jsonable(changes)})
        return previous

    def delete(self, span_id: int, actor: str | None = None) -> dict[str, Any]:
        """Delete a span and its argument links.

        :param span_id: the span
        :param actor: who deletes it (logged)
        :returns: a snapshot that :meth:`restore_span` puts back exactly (same ids)
        """
        with self.transaction():
            rows = list(self._db.query("SELECT * FROM spans WHERE id = ?", [span_id]))
            if not rows:
                raise NotFoundError(f"no span with id {span_id}")
            span_row = rows[0]
            arg_rows = list(self._db.query(
                "SELECT * FROM arguments WHERE event_id = ? OR filler_id = ?", [span_id, span_id]))
            decided = [r[0] for r in self._db.execute("SELECT id FROM spans WHERE suggestion_id = ?", [span_id])]
            gold = self._store.gold.snapshot_of_span(span_id)
            self._db.execute("DELETE FROM spans WHERE id = ?", [span_id])
            if actor:
                self._store.log.write(self._store.annotators.ensure(actor), span_row["article_id"], "delete_span",
                                      {"span": span_id, "label": span_row["label"]})
        return {"span": span_row, "arguments": arg_rows, "decided": decided, "gold": gold}

    def restore(self, snapshot: dict[str, Any], actor: str | None = None) -> int:
        """Undo :meth:`delete_span`: the span, its id, its argument links (and gold provenance) come back.

        :param snapshot: what :meth:`delete_span` returned
        :param actor: who restores it (logged)
        """
        span_row = snapshot["span"]
        with self.transaction():
            self._db["spans"].insert(span_row)
            for arg in snapshot["arguments"]:
                self._db["arguments"].insert(arg, replace=True)
            for decided_id in snapshot.get("decided", []):
                self._db.execute("UPDATE spans SET suggestion_id = ? WHERE id = ?", [span_row["id"], decided_id])
            self._store.gold.restore_snapshot(span_row["id"], snapshot.get("gold"))
            if actor:
                self._store.log.write(self._store.annotators.ensure(actor), span_row["article_id"], "restore_span",
                                      {"span": span_row["id"]})
        return span_row["id"]

    # -- reading many at once ------------------------------------------------------------------------

    def of_articles(self, article_ids: list[int], annotator_id: int,
                    statuses: Iterable[str] = ("accepted",)) -> dict[int, list[Span]]:
        """One annotator's spans on many articles, by article, in export order.

        :param article_ids: the articles
        :param annotator_id: whose spans
        :param statuses: which statuses to read
        """
        statuses = list(statuses)
        found: dict[int, list[Span]] = {}
        for chunk in chunked(article_ids):
            sql = (
                "SELECT s.*, an.name AS annotator FROM spans s JOIN annotators an ON an.id = s.annotator_id"
                f" WHERE s.article_id IN ({', '.join('?' * len(chunk))}) AND s.annotator_id = ?"
                f" AND s.status IN ({', '.join('?' * len(statuses))})"
                " ORDER BY s.article_id, s.start_char, s.end_char, s.layer, s.label, s.id"
            )
            for span in self.select(sql, [*chunk, annotator_id, *statuses]):
                found.setdefault(span.article_id, []).append(span)
        return found

    def accepted_columns(self, annotator_ids: Iterable[int]) -> tuple[list[str], dict[str, str | None]]:
        """Every accepted span of these annotators, what agreement is computed from, read in one pass
        as columns: each column is one text of comma-separated integers, in the same (storage) order.

        A million spans come out of SQLite as seven strings rather than a million tuples of Python
        objects: half the time, a tenth of the memory (bench/agreement_bench.py).

        :param annotator_ids: the annotators
        :returns: (labels, columns): the distinct labels, sorted, and the columns ``id``,
            ``article``, ``annotator``, ``start``, ``end``, ``event`` (1 for an event span) and
            ``label`` (an index into labels); a column is None when there is no span
        """
        ids = list(annotator_ids)
        marks = ",".join("?" * len(ids)) or "NULL"
        labels = sorted(r[0] for r in self._db.execute(
            f"SELECT DISTINCT label FROM spans WHERE annotator_id IN ({marks}) AND status = 'accepted'", ids))
        code = "CASE label " + " ".join(f"WHEN ? THEN {i}" for i in range(len(labels))) + " END" if labels else "0"
        # "+annotator_id": a scan in storage order beats the index when most of the table is read.
        row = self._db.execute(
            "SELECT group_concat(id), group_concat(article_id), group_concat(annotator_id), group_concat(start_char),"
            f" group_concat(end_char), group_concat(layer = 'event'), group_concat({code}) FROM spans"
            f" WHERE status = 'accepted' AND +annotator_id IN ({marks})", [*labels, *ids]).fetchone()
        return labels, dict(zip(("id", "article", "annotator", "start", "end", "event", "label"), row))

    def accepted_with_differing_attributes(self) -> list[tuple[int, str, int, int, str, str, str]]:
        """(article, annotator, start, end, label, layer, attributes) of accepted spans that some
        other annotator accepted on the same offsets and label with different attributes."""
        # Grouping first keeps this one pass over the spans, not a self-join.
        return self._db.execute(
            "SELECT s.article_id, an.name, s.start_char, s.end_char, s.label, s.layer, s.attributes FROM spans s"
            " JOIN annotators an ON an.id = s.annotator_id WHERE s.status = 'accepted'"
            " AND (s.article_id, s.start_char, s.end_char, s.label, s.layer) IN ("
            "   SELECT article_id, start_char, end_char, label, layer FROM spans"
            "   WHERE status = 'accepted' AND annotator_id IS NOT NULL"
            "   GROUP BY article_id, start_char, end_char, label, layer HAVING count(DISTINCT attributes) > 1)"
        ).fetchall()

    def labels_in_use(self) -> dict[str, int]:
        """How many spans use each label (any annotator, suggestions too)."""
        return dict(self._db.execute("SELECT label, count(*) FROM spans GROUP BY label ORDER BY label").fetchall())

    # -- gui-main: what changed on an article since the window last looked ---------------------------
    # A block added by the GUI room (issue 13 item 4): the window's watcher re-reads only what another
    # connection wrote instead of every span of a long article.

    def changed_since(self, article_id: int, annotator: str, stamp: str) -> tuple[list[Span], list[int]]:
        """What ``annotator`` sees of an article that was written at or after ``stamp``, and the ids
        of everything they see now (a span deleted, or a suggestion decided, is missing from those).

        :param article_id: the article
        :param annotator: whose view (as :meth:`spans_for`)
        :param stamp: a time stamp as :func:`annotator.store.project.now` makes them
        """
        me = self._store.annotators.ensure(annotator)
        visible, params = self._visible(article_id, me)
        changed = self.select(_SPAN_SELECT + "WHERE s.article_id = ? AND s.updated_at >= ?" + visible + _ORDER,
                              [article_id, stamp, *params])
        ids = [r[0] for r in self._db.conn.execute(
            "SELECT s.id FROM spans s WHERE s.article_id = ?" + visible, [article_id, *params])]
        return changed, ids

    def by_ids(self, span_ids: list[int]) -> list[Span]:
        """These spans (those that exist), in text order.

        :param span_ids: their ids
        """
        found: list[Span] = []
        for chunk in chunked(span_ids):
            found += self.select(_SPAN_SELECT + f"WHERE s.id IN ({', '.join('?' * len(chunk))})" + _ORDER, chunk)
        return found
    # -- end gui-main
