"""The reviewer's decisions behind the event table: a date or place chosen for one event span, and
groups of event spans confirmed as one real-world event (annotator.eventtable)."""

from __future__ import annotations

import json
from typing import Any, Iterable

from annotator.store.errors import ConflictError
from annotator.store.project import now
from annotator.store.part import Part

_OVERRIDE_FIELDS = ("date", "date_end", "precision", "geonameid", "background")


def _stored(field: str, value: Any) -> Any:
    return (None if value is None else int(bool(value))) if field == "background" else value


def _typed(values: dict[str, Any]) -> dict[str, Any]:
    if values.get("background") is not None:
        values["background"] = bool(values["background"])
    return values


class EventDecisions(Part):
    def override(self, span_id: int) -> dict[str, Any] | None:
        """The reviewer's date/place choice for an event span, if any.

        :param span_id: the event span
        """
        row = self._db.execute(
            "SELECT date, date_end, precision, geonameid, background, reviewer FROM event_overrides WHERE span_id = ?",
            [span_id]).fetchone()
        return _typed(dict(zip((*_OVERRIDE_FIELDS, "reviewer"), row))) if row else None

    def set_override(self, span_id: int, reviewer: str, values: dict[str, Any] | None) -> dict[str, Any] | None:
        """Store (or, with ``values`` None, remove) the choice for an event span.

        :param span_id: the event span
        :param reviewer: who chose
        :param values: date, date_end, precision (1 day, 2 week, 3 month), geonameid, background (True: the
            event is background, out of the table; False: an event of its own; None: the dates decide); missing keys are None
        :returns: the previous choice, for undo
        """
        before = self.override(span_id)
        with self.transaction():
            if values is None:
                self._db.execute("DELETE FROM event_overrides WHERE span_id = ?", [span_id])
            else:
                self._db.execute(
                    "INSERT INTO event_overrides(span_id, date, date_end, precision, geonameid, background, reviewer,"
                    " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(span_id) DO UPDATE SET date = excluded.date,"
                    " date_end = excluded.date_end, precision = excluded.precision, geonameid = excluded.geonameid,"
                    " background = excluded.background, reviewer = excluded.reviewer, updated_at = excluded.updated_at",
                    [span_id, *(_stored(k, values.get(k)) for k in _OVERRIDE_FIELDS), reviewer, now()])
            article = self._db.execute("SELECT article_id FROM spans WHERE id = ?", [span_id]).fetchone()
            self._store.log.write(self._store.annotators.ensure(reviewer), article[0] if article else None, "event_override",
                                  {"span": span_id, "values": values})
        return before

    def overrides(self, article_id: int | None = None) -> dict[tuple[int, int], dict[str, Any]]:
        """Every choice, by (article id, span id).

        :param article_id: only the choices on this article's events
        """
        sql = ("SELECT s.article_id, o.span_id, o.date, o.date_end, o.precision, o.geonameid, o.background"
               " FROM event_overrides o JOIN spans s ON s.id = o.span_id")
        rows = self._db.execute(sql, []) if article_id is None else \
            self._db.execute(sql + " WHERE s.article_id = ?", [article_id])
        return {(r[0], r[1]): _typed(dict(zip(_OVERRIDE_FIELDS, r[2:]))) for r in rows}

    def add_group(self, members: Iterable[tuple[int, int]], reviewer: str, kind: str,
                  replaces: Iterable[Iterable[tuple[int, int]]] = (), group_id: int | None = None) -> int:
        """Confirm event spans as one real-world event.

        :param members: (article id, span id) of each report of it
        :param reviewer: who confirmed
        :param kind: confirm, split or merge (what the reviewer did)
        :param replaces: the groups as proposed before, kept as provenance
        :param group_id: reuse this id (redo)
        :raises ConflictError: a span is already in another confirmed group
        :returns: the group's id
        """
        members = [tuple(m) for m in members]
        with self.transaction():
            taken = [m for m in members if self._db.execute(
                "SELECT 1 FROM event_group_members WHERE span_id = ?", [m[1]]).fetchone()]
            if taken:
                raise ConflictError(f"event span(s) {', '.join(str(s) for _, s in taken)} already belong to a "
                                    "confirmed event; split that one first")
            cursor = self._db.execute(
                "INSERT INTO event_groups(id, kind, reviewer, replaces, created_at) VALUES (?, ?, ?, ?, ?)",
                [group_id, kind, reviewer, json.dumps([[list(m) for m in g] for g in replaces]), now()])
            new_id = cursor.lastrowid if group_id is None else group_id
            self._db.conn.executemany(
                "INSERT INTO event_group_members(span_id, group_id, article_id) VALUES (?, ?, ?)",
                [(span, new_id, article) for article, span in members])
            self._store.log.write(self._store.annotators.ensure(reviewer), None, f"event_group_{kind}",
                                  {"group": new_id, "members": [list(m) for m in members]})
        return new_id

    def remove_group(self, group_id: int) -> dict[str, Any]:
        """Take a confirmed group back (undo, or before a split).

        :param group_id: the group
        :returns: what :meth:`add_event_group` needs to put it back with the same id
        """
        row = self._db.execute("SELECT kind, reviewer, replaces FROM event_groups WHERE id = ?", [group_id]).fetchone()
        members = self._db.execute("SELECT article_id, span_id FROM event_group_members WHERE group_id = ?"
                                   " ORDER BY article_id, span_id", [group_id]).fetchall()
        with self.transaction():
            self._db.execute("DELETE FROM event_groups WHERE id = ?", [group_id])
        return {"group_id": group_id, "kind": row[0] if row else "confirm", "reviewer": row[1] if row else "",
                "replaces": [[tuple(m) for m in g] for g in json.loads(row[2])] if row else [],
                "members": [tuple(m) for m in members]}

    def groups(self) -> dict[int, list[tuple[int, int]]]:
        """Every confirmed group: id -> (article id, span id) of its members."""
        groups: dict[int, list[tuple[int, int]]] = {}
        for group_id, article_id, span_id in self._db.execute(
            "SELECT group_id, article_id, span_id FROM event_group_members ORDER BY group_id, article_id, span_id"
        ):
            groups.setdefault(group_id, []).append((article_id, span_id))
        return groups
