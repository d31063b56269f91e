"""Event arguments: links from an event span to the span filling one of its roles."""

from __future__ import annotations

from collections.abc import Iterable

from annotator.domain import Argument, Layer
from annotator.store.errors import NotFoundError, StoreError
from annotator.store.project import chunked, now
from annotator.store.part import Part

_COLUMNS = "g.id, g.event_id, g.filler_id, g.role, g.created_at"
# One link per (event, filler, role): linking again keeps the row (and its id).
_LINK = ("INSERT INTO arguments(id, event_id, filler_id, role, created_at) VALUES (?, ?, ?, ?, ?)"
         " ON CONFLICT(event_id, filler_id, role) DO UPDATE SET role = excluded.role")


class Arguments(Part):
    def add(self, event_id: int, filler_id: int, role: str, *, actor: str | None = None,
            log: bool = True, argument_link_id: int | None = None) -> int:
        """Link event span ``event_id`` to the span filling ``role``.

        :param event_id: the event span
        :param filler_id: the span filling the role (its filler)
        :param role: ACTOR, TARGET, LOCATION ...
        :param actor: who links them (logged)
        :param log: write an action log line
        :param argument_link_id: reuse this link id (redo puts back the same row)
        :returns: the link's id
        """
        event = self._store.spans.get(event_id)
        if event.layer is not Layer.EVENT:
            raise StoreError(f"span {event_id} ({event.label}) is not an event")
        other = self._store.spans.get(filler_id)
        if other.article_id != event.article_id:
            raise StoreError("an event argument must be in the same article as its event")
        with self.transaction():
            cursor = self._db.execute(_LINK + " RETURNING id", [argument_link_id, event_id, filler_id, role, now()])
            link_id = cursor.fetchone()[0]
            if log and actor:
                self._store.log.write(self._store.annotators.ensure(actor), event.article_id, "add_argument",
                                      {"event": event_id, "argument": filler_id, "role": role})
        return link_id

    def add_many(self, links: Iterable[tuple[int, int, str]]) -> None:
        """Link suggested events to the suggested spans filling their roles, in one statement: as
        :meth:`add` without its checks and log line, which the suggester's own links pass by
        construction (an event and its fillers are spans of the same article it has just written).

        :param links: (event span id, filler span id, role) per link
        """
        stamp = now()
        with self.transaction():
            self._db.conn.executemany(_LINK, [(None, event_id, filler_id, role, stamp)
                                              for event_id, filler_id, role in links])

    def delete(self, link_id: int, actor: str | None = None) -> Argument:
        """Remove one event-argument link.

        :param link_id: the link
        :param actor: who removes it (logged)
        :returns: the link, so undo can put it back
        """
        link = self.get(link_id)
        with self.transaction():
            self._db.execute("DELETE FROM arguments WHERE id = ?", [link_id])
            if actor:
                article_id = self._store.spans.get(link.event_id).article_id
                self._store.log.write(self._store.annotators.ensure(actor), article_id, "delete_argument",
                                      {"event": link.event_id, "argument": link.filler_id, "role": link.role})
        return link

    def get(self, link_id: int) -> Argument:
        """One event-argument link.

        :param link_id: its id
        :raises NotFoundError: no such link
        """
        row = self._db.execute(f"SELECT {_COLUMNS} FROM arguments g WHERE g.id = ?", [link_id]).fetchone()
        if row is None:
            raise NotFoundError(f"no event argument with id {link_id}")
        return Argument(*row)

    def find(self, event_id: int, filler_id: int, role: str) -> int | None:
        """The id of the link of ``event_id`` to ``filler_id`` in ``role``, if present.

        :param event_id: the event span
        :param filler_id: the filling span
        :param role: the role
        """
        row = self._db.execute("SELECT id FROM arguments WHERE event_id = ? AND filler_id = ? AND role = ?",
                               [event_id, filler_id, role]).fetchone()
        return row[0] if row else None

    def of_event(self, event_id: int) -> list[Argument]:
        """The links of one event, in the order they were made.

        :param event_id: the event span
        """
        return [Argument(*r) for r in self._db.execute(
            f"SELECT {_COLUMNS} FROM arguments g WHERE g.event_id = ? ORDER BY g.id", [event_id])]

    def for_article(self, article_id: int) -> list[Argument]:
        """Every link of every event of an article.

        :param article_id: the article
        """
        return [Argument(*r) for r in self._db.execute(
            f"SELECT {_COLUMNS} FROM arguments g JOIN spans s ON s.id = g.event_id WHERE s.article_id = ?"
            " ORDER BY g.id", [article_id])]

    def of_articles(self, article_ids: list[int], annotator_id: int) -> dict[int, list[Argument]]:
        """One annotator's links on many articles, by event, in export order.

        :param article_ids: the articles
        :param annotator_id: whose events
        """
        found: dict[int, list[Argument]] = {}
        for chunk in chunked(article_ids):
            for row in self._db.execute(
                f"SELECT {_COLUMNS} FROM arguments g JOIN spans s ON s.id = g.event_id"
                f" WHERE s.article_id IN ({', '.join('?' * len(chunk))}) AND s.annotator_id = ?"
                " ORDER BY g.event_id, g.role, g.filler_id", [*chunk, annotator_id]
            ):
                found.setdefault(row[1], []).append(Argument(*row))
        return found

    def columns(self) -> dict[str, tuple[str, str, str]]:
        """Every link in the project, read in one pass for agreement: per role, the links' ids, their
        events and their fillers, each one text of comma-separated ids (in the same order)."""
        return {role: (ids, events, fillers) for role, ids, events, fillers in self._db.execute(
            "SELECT role, group_concat(id), group_concat(event_id), group_concat(filler_id) FROM arguments"
            " GROUP BY role")}
