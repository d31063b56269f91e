"""What the project file keeps for syncing with a team hub (annotator.hub): which local row is which
hub row, what was last pushed, and the rows a sync reads and writes.

The bookkeeping tables are made the first time a file syncs (``hub_prepare``), so a file that never
meets a hub is exactly what it was; they are plain tables and older versions of the app ignore them.

- ``hub_ids``: (kind, hub id) <-> local id for every row that came from the hub (articles,
  suggestions, other annotators' spans and links, gold decisions, log lines). Rows this file made
  itself are not listed: their hub id is computed from the file's replica id and their local id.
- ``hub_pushed``: per (layer, article) the fingerprint of what the hub last confirmed, so a sync
  pushes only the articles whose layer changed.
- ``hub_assignments``: the articles the hub assigns to this annotator, and until when.
- settings ``hub.*`` in ``project``: the replica id, the hub URL (never a password), the pull cursor,
  the last pushed log line.
"""

from __future__ import annotations

import json
import uuid
from typing import Any, Iterable

from annotator.domain import GOLD
from annotator.store.project import chunked
from annotator.store.part import Part

_SPAN_COLUMNS = ("id", "article_id", "annotator_id", "start_char", "end_char", "label", "layer", "origin",
                 "status", "attributes", "source", "score", "suggestion_id", "created_at", "updated_at")
_ARTICLE_COLUMNS = ("id", "content_hash", "text", "title", "source", "url", "published", "language", "meta",
                    "imported_at")


def _rows(cursor) -> list[dict[str, Any]]:
    columns = [d[0] for d in cursor.description]
    return [dict(zip(columns, row)) for row in cursor]


class HubSync(Part):
    # -- bookkeeping ------------------------------------------------------------------------------

    def prepare(self) -> str:
        """Make the sync bookkeeping if missing; returns this file's replica id (made once)."""
        with self.transaction():
            for statement in (
                "CREATE TABLE IF NOT EXISTS hub_ids (kind TEXT NOT NULL, hub_id TEXT NOT NULL,"
                " local_id INTEGER NOT NULL, PRIMARY KEY (kind, hub_id))",
                "CREATE UNIQUE INDEX IF NOT EXISTS hub_ids_by_local ON hub_ids(kind, local_id)",
                "CREATE TABLE IF NOT EXISTS hub_pushed (layer TEXT NOT NULL, article_id INTEGER NOT NULL,"
                " fingerprint TEXT NOT NULL, PRIMARY KEY (layer, article_id))",
                "CREATE TABLE IF NOT EXISTS hub_assignments (article_id INTEGER PRIMARY KEY, lease_until TEXT)",
            ):
                self._db.execute(statement)
            replica = self._store.get_setting("hub.replica")
            if replica is None:
                replica = str(uuid.uuid4())
                self._db.execute("INSERT INTO project(key, value) VALUES ('hub.replica', ?)", [replica])
        return replica

    def is_prepared(self) -> bool:
        """Whether this file has ever synced (has the bookkeeping)."""
        return self._db.execute("SELECT 1 FROM sqlite_master WHERE name = 'hub_ids'").fetchone() is not None

    def id_map(self, kind: str) -> dict[int, str]:
        """local id -> hub id of the rows of one kind that came from the hub.

        :param kind: article, span, argument, action, gold_decision
        """
        return dict(self._db.execute("SELECT local_id, hub_id FROM hub_ids WHERE kind = ?", [kind]).fetchall())

    def local_map(self, kind: str) -> dict[str, int]:
        """hub id -> local id of the rows of one kind that came from the hub.

        :param kind: article, span, argument, action, gold_decision
        """
        return dict(self._db.execute("SELECT hub_id, local_id FROM hub_ids WHERE kind = ?", [kind]).fetchall())

    def remember(self, kind: str, pairs: Iterable[tuple[str, int]]) -> None:
        """Record that local rows are hub rows (``hub init`` publishing this file's own rows).

        :param kind: the rows' kind
        :param pairs: (hub id, local id)
        """
        with self.transaction():
            self._db.conn.executemany("INSERT OR IGNORE INTO hub_ids(kind, hub_id, local_id) VALUES (?, ?, ?)",
                                      [(kind, hub_id, local_id) for hub_id, local_id in pairs])

    def pushed(self, layer: str) -> dict[int, str]:
        """article id -> fingerprint the hub last confirmed for one layer.

        :param layer: an annotator's name or 'gold'
        """
        return dict(self._db.execute("SELECT article_id, fingerprint FROM hub_pushed WHERE layer = ?",
                                     [layer]).fetchall())

    def mark_pushed(self, layer: str, fingerprints: dict[int, str], last_action: int | None) -> None:
        """Record what the hub confirmed (after its commit: a kill in between only repeats the push).

        :param layer: an annotator's name or 'gold'
        :param fingerprints: article id -> fingerprint now on the hub
        :param last_action: the last log line pushed, or None to leave it
        """
        with self.transaction():
            self._db.conn.executemany(
                "INSERT INTO hub_pushed(layer, article_id, fingerprint) VALUES (?, ?, ?)"
                " ON CONFLICT(layer, article_id) DO UPDATE SET fingerprint = excluded.fingerprint",
                [(layer, article_id, fp) for article_id, fp in fingerprints.items()])
            if last_action is not None:
                self._set_value("hub.pushed_action", str(last_action))

    def _set_value(self, key: str, value: str) -> None:
        self._db.execute("INSERT INTO project(key, value) VALUES (?, ?)"
                         " ON CONFLICT(key) DO UPDATE SET value = excluded.value", [key, value])

    # -- where the syncs left off (kept among the project's settings, under "hub.") -----------------

    def url(self) -> str | None:
        """The hub this file syncs with (no password: that is kept elsewhere); None before the first sync."""
        return self._store.get_setting("hub.url")

    def set_url(self, url: str) -> None:
        if self.url() != url:
            self._store.set_setting("hub.url", url)

    def last_pushed_action(self) -> int:
        """The id of the last log line the hub confirmed (0: none yet)."""
        return int(self._store.get_setting("hub.pushed_action") or 0)

    def cursor(self) -> str | None:
        """Where the last pull stopped in the hub's changes; None if this file never pulled."""
        return self._store.get_setting("hub.cursor")

    def set_cursor(self, cursor: str) -> None:
        """Move the pull's cursor, once the file holds what was read (a kill before repeats the pull)."""
        self._store.set_setting("hub.cursor", cursor)

    def pushed_group_ids(self) -> set[str]:
        """Hub ids of the confirmed event groups this file last pushed (one missing now was removed here)."""
        return set(json.loads(self._store.get_setting("hub.events_pushed") or "[]"))

    def set_pushed_group_ids(self, group_ids: Iterable[str]) -> None:
        self._store.set_setting("hub.events_pushed", json.dumps(list(group_ids)))

    def assignments(self) -> dict[int, str | None]:
        """The articles the hub assigns to this file's annotator: article id -> lease end (or None)."""
        if not self.is_prepared():
            return {}
        return dict(self._db.execute("SELECT article_id, lease_until FROM hub_assignments").fetchall())

    # -- what this file publishes or pushes -------------------------------------------------------

    def articles(self) -> list[dict[str, Any]]:
        """Every article as stored (for publishing), by id."""
        return _rows(self._db.execute(f"SELECT {', '.join(_ARTICLE_COLUMNS)} FROM articles ORDER BY id"))

    def suggestions(self) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """(shared suggestions, suggestion runs) as stored, for publishing."""
        spans = _rows(self._db.execute(
            f"SELECT {', '.join(_SPAN_COLUMNS)} FROM spans WHERE annotator_id IS NULL ORDER BY id"))
        runs = _rows(self._db.execute("SELECT article_id, source, spans, finished_at FROM suggestion_runs"))
        return spans, runs

    def layer(self, annotator: str, article_ids: Iterable[int] | None = None) -> dict[int, dict[str, Any]]:
        """One layer as stored, per article: spans, argument links of its events, its state and, for
        the gold layer, the gold decisions and which gold span or link came from which.

        :param annotator: an annotator's name, or 'gold'
        :param article_ids: only these articles (default: every article the layer touches)
        """
        row = self._db.execute("SELECT id FROM annotators WHERE name = ?", [annotator]).fetchone()
        layer: dict[int, dict[str, Any]] = {}
        if row is None:
            return layer
        me = row[0]
        wanted = None if article_ids is None else set(article_ids)

        def entry(article_id: int) -> dict[str, Any]:
            return layer.setdefault(article_id, {"spans": [], "arguments": [], "state": None,
                                                 "gold_decisions": [], "gold_links": []})

        for span in _rows(self._db.execute(
                f"SELECT {', '.join(_SPAN_COLUMNS)} FROM spans WHERE annotator_id = ? ORDER BY id", [me])):
            if wanted is None or span["article_id"] in wanted:
                entry(span["article_id"])["spans"].append(span)
        for link in _rows(self._db.execute(
                "SELECT g.id, s.article_id, g.event_id, g.filler_id, g.role, g.created_at"
                " FROM arguments g JOIN spans s ON s.id = g.event_id WHERE s.annotator_id = ? ORDER BY g.id",
                [me])):
            if wanted is None or link["article_id"] in wanted:
                entry(link["article_id"])["arguments"].append(link)
        for state in _rows(self._db.execute(
                "SELECT article_id, state, note, seconds, updated_at FROM article_states WHERE annotator_id = ?",
                [me])):
            if wanted is None or state["article_id"] in wanted:
                entry(state["article_id"])["state"] = state
        if annotator == GOLD:
            for decision in _rows(self._db.execute(
                    "SELECT id, article_id, layer, region_start, region_end, kind, annotators, reviewer, decided_at"
                    " FROM gold_decisions ORDER BY id")):
                if wanted is None or decision["article_id"] in wanted:
                    entry(decision["article_id"])["gold_decisions"].append(decision)
            for kind, sql in (
                ("span", "SELECT g.span_id, s.article_id, g.decision_id FROM gold_span_decisions g"
                         " JOIN spans s ON s.id = g.span_id"),
                ("argument", "SELECT g.argument_link_id, s.article_id, g.decision_id FROM gold_argument_decisions g"
                             " JOIN arguments a ON a.id = g.argument_link_id JOIN spans s ON s.id = a.event_id"),
            ):
                for item_id, article_id, decision_id in self._db.execute(sql):
                    if wanted is None or article_id in wanted:
                        entry(article_id)["gold_links"].append(
                            {"item_kind": kind, "item_id": item_id, "decision_id": decision_id})
        return layer

    def actions_after(self, annotator: str, after: int) -> list[dict[str, Any]]:
        """``annotator``'s log lines after local id ``after``, oldest first.

        :param annotator: whose lines
        :param after: the last line already pushed
        """
        return _rows(self._db.execute(
            "SELECT x.id, x.article_id, x.at, x.action, x.detail FROM actions x JOIN annotators an"
            " ON an.id = x.annotator_id WHERE an.name = ? AND x.id > ? ORDER BY x.id", [annotator, after]))

    def event_decisions(self) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """(date/place overrides, confirmed groups with their members) behind the event table, as stored."""
        overrides = _rows(self._db.execute(
            "SELECT o.span_id, s.article_id, o.date, o.date_end, o.precision, o.geonameid, o.reviewer, o.updated_at"
            " FROM event_overrides o JOIN spans s ON s.id = o.span_id ORDER BY o.span_id"))
        groups = _rows(self._db.execute("SELECT id, kind, reviewer, replaces, created_at FROM event_groups ORDER BY id"))
        members: dict[int, list[list[int]]] = {}
        for group_id, article_id, span_id in self._db.execute(
                "SELECT group_id, article_id, span_id FROM event_group_members ORDER BY group_id, article_id, span_id"):
            members.setdefault(group_id, []).append([article_id, span_id])
        for group in groups:
            group["members"] = members.get(group["id"], [])
        return overrides, groups

    def model_versions(self) -> list[dict[str, Any]]:
        """Every learned-version record as stored."""
        return _rows(self._db.execute("SELECT * FROM model_versions ORDER BY version"))

    # -- what a pull writes -----------------------------------------------------------------------

    def apply(self, pulled: dict[str, list[dict[str, Any]]], *, me: str) -> dict[str, int]:
        """Write what a pull brought, in one transaction (a killed pull leaves the file as it was).

        Rows are the hub's, with hub ids (text) for rows and references; each is mapped to a local
        row through ``hub_ids`` (added on first sight), so pulling the same rows again changes
        nothing.

        :param pulled: lists under settings, articles, suggestions, suggestion_runs, spans, arguments,
            states, actions, gold_decisions, gold_links, model_versions, assignments (None: unchanged)
        :param me: this file's annotator (their assignments are kept)
        :returns: counts of rows written, per list
        """
        counts: dict[str, int] = {}
        with self.transaction():
            maps = {kind: self.local_map(kind)
                    for kind in ("article", "span", "argument", "action", "gold_decision")}

            def remember(kind: str, hub_id: str, local_id: int) -> None:
                self._db.execute("INSERT OR REPLACE INTO hub_ids(kind, hub_id, local_id) VALUES (?, ?, ?)",
                                 [kind, hub_id, local_id])
                maps[kind][hub_id] = local_id

            for key, value in pulled.get("settings", {}).items():
                self._set_value(key, value)
            counts["articles"] = 0
            for article in pulled.get("articles", []):
                if article["id"] in maps["article"]:
                    continue
                found = self._db.execute("SELECT id FROM articles WHERE content_hash = ?",
                                         [article["content_hash"]]).fetchone()
                if found:
                    local_id = found[0]
                else:
                    local_id = self._db.execute(
                        "INSERT INTO articles(text, title, source, url, published, language, meta, content_hash,"
                        " imported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        [article[c] for c in ("text", "title", "source", "url", "published", "language", "meta",
                                              "content_hash", "imported_at")]).lastrowid
                    counts["articles"] += 1
                remember("article", article["id"], local_id)
            counts["suggestions"] = 0
            for span in pulled.get("suggestions", []):
                article_id = maps["article"].get(span["article_id"])
                if span["id"] in maps["span"] or article_id is None:
                    continue
                local_id = self._db.execute(
                    "INSERT INTO spans(article_id, annotator_id, start_char, end_char, label, layer, origin, status,"
                    " attributes, source, score, created_at, updated_at) VALUES (?, NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [article_id, span["start_char"], span["end_char"], span["label"], span["layer"], span["origin"],
                     span["status"], span["attributes"], span["source"], span["score"], span["created_at"],
                     span["created_at"]]).lastrowid
                remember("span", span["id"], local_id)
                counts["suggestions"] += 1
            for run in pulled.get("suggestion_runs", []):
                article_id = maps["article"].get(run["article_id"])
                if article_id is not None:
                    self._db.execute("INSERT OR IGNORE INTO suggestion_runs(article_id, source, spans, finished_at)"
                                     " VALUES (?, ?, ?, ?)", [article_id, run["source"], run["spans"], run["finished_at"]])
            if pulled.get("assignments") is not None:
                self._db.execute("DELETE FROM hub_assignments")
                for assignment in pulled["assignments"]:
                    article_id = maps["article"].get(assignment["article_id"])
                    if article_id is not None:
                        self._db.execute("INSERT OR REPLACE INTO hub_assignments(article_id, lease_until) VALUES (?, ?)",
                                         [article_id, assignment["lease_until"]])
            annotator_ids: dict[str, int] = {}

            def annotator_id(name: str) -> int:
                if name not in annotator_ids:
                    annotator_ids[name] = self._store.annotators.ensure(name)
                return annotator_ids[name]

            counts["spans"] = 0
            for span in pulled.get("spans", []):
                local_id = maps["span"].get(span["id"])
                article_id = maps["article"].get(span["article_id"])
                if span["deleted"]:
                    if local_id is not None:
                        self._db.execute("DELETE FROM spans WHERE id = ?", [local_id])
                        counts["spans"] += 1
                    continue
                if article_id is None:
                    continue
                values = [article_id, annotator_id(span["annotator"]), span["start_char"], span["end_char"],
                          span["label"], span["layer"], span["origin"], span["status"], span["attributes"],
                          span["source"], span["score"], maps["span"].get(span["suggestion_id"]),
                          span["created_at"], span["updated_at"]]
                exists = local_id is not None and self._db.execute(
                    "SELECT 1 FROM spans WHERE id = ?", [local_id]).fetchone()
                if exists:
                    self._db.execute(
                        "UPDATE spans SET article_id = ?, annotator_id = ?, start_char = ?, end_char = ?, label = ?,"
                        " layer = ?, origin = ?, status = ?, attributes = ?, source = ?, score = ?, suggestion_id = ?,"
                        " created_at = ?, updated_at = ? WHERE id = ?", [*values, local_id])
                else:
                    local_id = self._db.execute(
                        "INSERT INTO spans(article_id, annotator_id, start_char, end_char, label, layer, origin,"
                        " status, attributes, source, score, suggestion_id, created_at, updated_at)"
                        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", values).lastrowid
                    remember("span", span["id"], local_id)
                counts["spans"] += 1
            counts["arguments"] = 0
            for link in pulled.get("arguments", []):
                local_id = maps["argument"].get(link["id"])
                event_id, filler_id = maps["span"].get(link["event_id"]), maps["span"].get(link["filler_id"])
                if local_id is not None:
                    self._db.execute("DELETE FROM arguments WHERE id = ?", [local_id])
                if link["deleted"] or event_id is None or filler_id is None:
                    continue
                local_id = self._db.execute(
                    "INSERT INTO arguments(id, event_id, filler_id, role, created_at) VALUES (?, ?, ?, ?, ?)"
                    " ON CONFLICT(event_id, filler_id, role) DO UPDATE SET role = excluded.role RETURNING id",
                    [local_id, event_id, filler_id, link["role"], link["created_at"]]).fetchone()[0]
                remember("argument", link["id"], local_id)
                counts["arguments"] += 1
            counts["states"] = 0
            for state in pulled.get("states", []):
                article_id = maps["article"].get(state["article_id"])
                if article_id is None or state["deleted"]:
                    continue
                self._db.execute(
                    "INSERT INTO article_states(article_id, annotator_id, state, note, seconds, updated_at)"
                    " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(article_id, annotator_id) DO UPDATE SET"
                    " state = excluded.state, note = excluded.note, seconds = excluded.seconds,"
                    " updated_at = excluded.updated_at",
                    [article_id, annotator_id(state["annotator"]), state["state"], state["note"], state["seconds"],
                     state["updated_at"]])
                counts["states"] += 1
            counts["actions"] = 0
            for action in pulled.get("actions", []):
                if action["id"] in maps["action"]:
                    continue
                local_id = self._db.execute(
                    "INSERT INTO actions(at, annotator_id, article_id, action, detail) VALUES (?, ?, ?, ?, ?)",
                    [action["at"], annotator_id(action["annotator"]), maps["article"].get(action["article_id"]),
                     action["action"], action["detail"]]).lastrowid
                remember("action", action["id"], local_id)
                counts["actions"] += 1
            for decision in pulled.get("gold_decisions", []):
                local_id = maps["gold_decision"].get(decision["id"])
                article_id = maps["article"].get(decision["article_id"])
                if local_id is not None:
                    self._db.execute("DELETE FROM gold_decisions WHERE id = ?", [local_id])
                if decision["deleted"] or article_id is None:
                    continue
                local_id = self._db.execute(
                    "INSERT INTO gold_decisions(id, article_id, layer, region_start, region_end, kind, annotators,"
                    " reviewer, decided_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [local_id, article_id, decision["layer"], decision["region_start"], decision["region_end"],
                     decision["kind"], decision["annotators"], decision["reviewer"], decision["decided_at"]]).lastrowid
                remember("gold_decision", decision["id"], local_id)
            for link in pulled.get("gold_links", []):
                kind = link["item_kind"]
                item_id = maps["span" if kind == "span" else "argument"].get(link["item_id"])
                decision_id = maps["gold_decision"].get(link["decision_id"])
                table, column = (("gold_span_decisions", "span_id") if kind == "span"
                                 else ("gold_argument_decisions", "argument_link_id"))
                if item_id is None:
                    continue
                if link["deleted"] or decision_id is None:
                    self._db.execute(f"DELETE FROM {table} WHERE {column} = ?", [item_id])
                else:
                    self._db.execute(f"INSERT OR REPLACE INTO {table}({column}, decision_id) VALUES (?, ?)",
                                     [item_id, decision_id])
            maps["event_group"] = self.local_map("event_group")
            for decision in pulled.get("event_decisions", []):
                record = decision["record"]
                if decision["kind"] == "override":
                    span_id = maps["span"].get(decision["id"])
                    if span_id is None:
                        continue
                    if decision["deleted"]:
                        self._db.execute("DELETE FROM event_overrides WHERE span_id = ?", [span_id])
                    else:
                        self._db.execute(
                            "INSERT OR REPLACE INTO event_overrides(span_id, date, date_end, precision, geonameid,"
                            " reviewer, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                            [span_id, record["date"], record["date_end"], record["precision"], record["geonameid"],
                             record["reviewer"], record["updated_at"]])
                    continue
                local_id = maps["event_group"].get(decision["id"])
                if local_id is not None:
                    self._db.execute("DELETE FROM event_groups WHERE id = ?", [local_id])
                if decision["deleted"]:
                    continue

                def local_pairs(pairs):
                    found = [(maps["article"].get(a), maps["span"].get(s)) for a, s in pairs]
                    return [[a, s] for a, s in found if a is not None and s is not None]

                local_id = self._db.execute(
                    "INSERT INTO event_groups(id, kind, reviewer, replaces, created_at) VALUES (?, ?, ?, ?, ?)",
                    [local_id, record["kind"], record["reviewer"],
                     json.dumps([local_pairs(group) for group in record["replaces"]]), record["created_at"]]).lastrowid
                # A span confirmed into this group leaves any group it was in here (the hub's is newer).
                self._db.conn.executemany(
                    "INSERT OR REPLACE INTO event_group_members(span_id, group_id, article_id) VALUES (?, ?, ?)",
                    [(span, local_id, article) for article, span in local_pairs(record["members"])])
                self._db.execute("INSERT OR REPLACE INTO hub_ids(kind, hub_id, local_id) VALUES ('event_group', ?, ?)",
                                 [decision["id"], local_id])
            for record in pulled.get("model_versions", []):
                columns = list(record)
                self._db.execute(f"INSERT OR REPLACE INTO model_versions({', '.join(columns)})"
                                 f" VALUES ({', '.join('?' * len(columns))})", [record[c] for c in columns])
        return counts

    def article_hashes(self, article_ids: Iterable[int]) -> dict[int, str]:
        """article id -> content hash.

        :param article_ids: the articles
        """
        found: dict[int, str] = {}
        for chunk in chunked(list(article_ids)):
            found.update(self._db.execute(
                f"SELECT id, content_hash FROM articles WHERE id IN ({', '.join('?' * len(chunk))})", chunk).fetchall())
        return found


__all__ = ["HubSync"]
