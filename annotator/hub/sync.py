"""One sync between a project file and the team hub: push this annotator's layer, then pull.

Push: for each article whose layer changed since the hub last confirmed it (a fingerprint per layer
and article, kept in the file), the whole layer of that article is sent as upserts keyed by ids the
client made (:mod:`annotator.hub.ids`); hub rows of that layer and article that the file no longer
has are marked deleted. Log lines go by the last pushed line. Each batch is one hub transaction and
the file records it only after the hub committed, so a sync killed at any moment repeats at most one
batch, which changes nothing the second time.

Pull: articles the hub shows this annotator (assigned ones; all for a reviewer) that the file lacks,
with their suggestions; the assignments; and every layer row written since the last pull by someone
else (a reviewer sees every layer; row-level security shows an annotator only their own). "Since the
last pull" is the oldest transaction still running when that pull started (``pg_snapshot_xmin``), so
a row committed late by a long transaction is not skipped; rows read twice change nothing.
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass, field
from typing import Any

from psycopg.rows import dict_row

from annotator.hub import ids as hub_ids
import psycopg

from annotator.hub.connect import HubUnreachable, check_version, connect, redact
from annotator.domain import GOLD
from annotator.store import Store

ARTICLES_PER_BATCH = 100
ACTIONS_PER_BATCH = 2000
GOLD_LEASE_HOURS = 24.0

_SPAN_FIELDS = ("start_char", "end_char", "label", "layer", "origin", "status", "attributes", "source", "score",
                "created_at", "updated_at")


@dataclass
class SyncReport:
    annotator: str = ""
    reviewer: bool = False
    articles_pushed: int = 0
    actions_pushed: int = 0
    pulled: dict[str, int] = field(default_factory=dict)
    reviewer_records: int = 0  # event-table decisions and learned-version records pushed
    gold_refused: list[str] = field(default_factory=list)  # "article N: held by X until T"
    gold_waiting: set[int] = field(default_factory=set)  # those articles' local ids
    seconds: float = 0.0

    def lines(self) -> list[str]:
        pulled = ", ".join(f"{count} {kind}" for kind, count in self.pulled.items() if count) or "nothing new"
        lines = [f"synced as {self.annotator}{' (reviewer)' if self.reviewer else ''} in {self.seconds:.1f} s",
                 f"  pushed: {self.articles_pushed} articles' work, {self.actions_pushed} log lines",
                 f"  pulled: {pulled}"]
        lines += [f"  gold not pushed (another reviewer has it): {note}" for note in self.gold_refused]
        return lines


def _fingerprint(payload: dict[str, Any]) -> str:
    return hashlib.sha1(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


def _layer_payload(name: str, article: str, rows: dict[str, Any], hub_id) -> dict[str, Any]:
    """One layer of one article as hub rows, references translated to hub ids."""
    spans = [{"id": hub_id("span", s["id"]), "article_id": article, "annotator": name,
              "suggestion_id": hub_id("span", s["suggestion_id"]), **{k: s[k] for k in _SPAN_FIELDS}}
             for s in rows["spans"]]
    arguments = [{"id": hub_id("argument", g["id"]), "article_id": article, "annotator": name,
                  "event_id": hub_id("span", g["event_id"]), "filler_id": hub_id("span", g["filler_id"]),
                  "role": g["role"], "created_at": g["created_at"]} for g in rows["arguments"]]
    state = rows["state"]
    payload: dict[str, Any] = {"spans": spans, "arguments": arguments,
                               "state": None if state is None else {**state, "article_id": article,
                                                                    "annotator": name}}
    if name == GOLD:
        payload["gold_decisions"] = [{**d, "id": hub_id("gold_decision", d["id"]), "article_id": article}
                                     for d in rows["gold_decisions"]]
        payload["gold_links"] = [{"item_id": hub_id(link["item_kind"], link["item_id"]),
                                  "item_kind": link["item_kind"], "article_id": article,
                                  "decision_id": hub_id("gold_decision", link["decision_id"])}
                                 for link in rows["gold_links"]]
    return payload


_EMPTY = {"spans": [], "arguments": [], "state": None, "gold_decisions": [], "gold_links": []}


def _upsert(cur, table: str, rows: list[dict[str, Any]], key: str) -> None:
    if not rows:
        return
    columns = list(rows[0])
    updates = ", ".join(f"{c} = excluded.{c}" for c in columns if c not in key.split(", "))
    cur.executemany(
        f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('%s' for _ in columns)})"
        f" ON CONFLICT ({key}) DO UPDATE SET {updates}, deleted = FALSE, owner = current_user,"
        " txid = pg_current_xact_id()",
        [[row[c] for c in columns] for row in rows])


def _send_layer(cur, name: str, article: str, payload: dict[str, Any]) -> None:
    _upsert(cur, "spans", payload["spans"], "id")
    _upsert(cur, "arguments", payload["arguments"], "id")
    if payload["state"] is not None:
        state = payload["state"]
        _upsert(cur, "article_states", [{k: state[k] for k in ("article_id", "annotator", "state", "note", "seconds",
                                                              "updated_at")}], "article_id, annotator")
    tables = [("spans", payload["spans"], "id"), ("arguments", payload["arguments"], "id")]
    if name == GOLD:
        _upsert(cur, "gold_decisions", payload["gold_decisions"], "id")
        _upsert(cur, "gold_links", payload["gold_links"], "item_id")
        tables += [("gold_decisions", payload["gold_decisions"], "id"),
                   ("gold_links", payload["gold_links"], "item_id")]
    for table, rows, key in tables:
        layer_test = "annotator = %s AND " if table in ("spans", "arguments") else ""
        params = [name] if layer_test else []
        cur.execute(
            f"UPDATE {table} SET deleted = TRUE, owner = current_user, txid = pg_current_xact_id()"
            f" WHERE {layer_test}article_id = %s AND NOT deleted AND NOT ({key} = ANY(%s))",
            [*params, article, [row[key] for row in rows]])


def _id_maker(store: Store, me: str) -> hub_ids.IdMaker:
    return hub_ids.IdMaker(store.sync.prepare(), me, {kind: store.sync.id_map(kind)
                                                      for kind in ("span", "argument", "gold_decision", "event_group")})


def _changed(store: Store, name: str, hub_id, article_ids: dict[int, str],
             only: set[int] | None = None) -> list[tuple[int, str, dict[str, Any]]]:
    """(article, fingerprint, payload) of each article whose layer ``name`` differs from what the hub
    last confirmed (``only``: among these articles)."""
    layer = store.sync.layer(name, only)
    pushed = store.sync.pushed(name)
    changed = []
    for local_article in sorted((set(layer) | set(pushed)) if only is None else only):
        article = article_ids.get(local_article)
        if article is None:
            continue  # not a hub article (imported only here): stays local
        payload = _layer_payload(name, article, layer.get(local_article, _EMPTY), hub_id)
        fingerprint = _fingerprint(payload)
        if pushed.get(local_article) != fingerprint:
            changed.append((local_article, fingerprint, payload))
    return changed


def push(store: Store, conn, me: str, reviewer: bool, report: SyncReport) -> None:
    article_ids = store.sync.id_map("article")
    hub_id = _id_maker(store, me)
    for name in ([me, GOLD] if reviewer else [me]):
        dirty = _changed(store, name, hub_id, article_ids)
        if name == GOLD and dirty:
            dirty = _with_gold_lease(conn, store, dirty, report)
        for start in range(0, len(dirty), ARTICLES_PER_BATCH):
            batch = dirty[start:start + ARTICLES_PER_BATCH]
            with conn.transaction(), conn.cursor() as cur:
                for local_article, _, payload in batch:
                    _send_layer(cur, name, article_ids[local_article], payload)
            store.sync.mark_pushed(name, {local_article: fp for local_article, fp, _ in batch}, None)
            report.articles_pushed += len(batch)
    if reviewer:
        _push_reviewer_records(store, conn, me, hub_id, article_ids, report)
    after = store.sync.last_pushed_action()
    actions = store.sync.actions_after(me, after)
    action_ids = store.sync.id_map("action")
    for start in range(0, len(actions), ACTIONS_PER_BATCH):
        batch = actions[start:start + ACTIONS_PER_BATCH]
        rows = [[action_ids.get(a["id"]) or hub_id("action", a["id"]), article_ids.get(a["article_id"]), me, a["at"],
                 a["action"], a["detail"]] for a in batch]
        with conn.transaction(), conn.cursor() as cur:
            cur.executemany("INSERT INTO actions(id, article_id, annotator, at, action, detail)"
                            " VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (id) DO NOTHING", rows)
        store.sync.mark_pushed(me, {}, batch[-1]["id"])
        report.actions_pushed += len(batch)


def _reviewer_records(store: Store, hub_id, article_ids: dict[int, str]):
    """(rows, learned versions, fingerprint) of the event table's decisions and learned-version records."""
    overrides, groups = store.sync.event_decisions()

    def pairs(members):
        return [[article_ids.get(a), hub_id("span", s)] for a, s in members]

    rows = [(hub_id("span", o["span_id"]), "override",
             {k: o[k] for k in ("date", "date_end", "precision", "geonameid", "reviewer", "updated_at")})
            for o in overrides if o["article_id"] in article_ids]
    rows += [(hub_id("event_group", g["id"]), "group",
              {"kind": g["kind"], "reviewer": g["reviewer"], "created_at": g["created_at"],
               "members": pairs(g["members"]), "replaces": [pairs(r) for r in json.loads(g["replaces"])]})
             for g in groups]
    versions = store.sync.model_versions()
    return rows, versions, _fingerprint({"events": rows, "versions": versions})


def _push_reviewer_records(store: Store, conn, me: str, hub_id, article_ids: dict[int, str],
                           report: SyncReport) -> None:
    """The event table's decisions and the learned-version records, when they changed since the last
    push: upserts, and a deleted mark on the groups this file knew and no longer has."""
    rows, versions, fingerprint = _reviewer_records(store, hub_id, article_ids)
    if store.sync.pushed("reviewer records").get(0) == fingerprint:
        return
    known = set(store.sync.id_map("event_group").values()) | store.sync.pushed_group_ids()
    gone = sorted(known - {row[0] for row in rows})
    with conn.transaction(), conn.cursor() as cur:
        cur.executemany(
            "INSERT INTO event_decisions(id, kind, record) VALUES (%s, %s, %s) ON CONFLICT (id) DO UPDATE SET"
            " kind = excluded.kind, record = excluded.record, deleted = FALSE, owner = current_user,"
            " txid = pg_current_xact_id()", [[row[0], row[1], json.dumps(row[2])] for row in rows])
        if gone:
            cur.execute("UPDATE event_decisions SET deleted = TRUE, owner = current_user, txid = pg_current_xact_id()"
                        " WHERE kind = 'group' AND id = ANY(%s::uuid[]) AND NOT deleted", [gone])
        cur.executemany("INSERT INTO model_versions(version, record) VALUES (%s, %s) ON CONFLICT (version) DO UPDATE"
                        " SET record = excluded.record, owner = current_user, txid = pg_current_xact_id()",
                        [[v["version"], json.dumps(v)] for v in versions])
    store.sync.set_pushed_group_ids(row[0] for row in rows if row[1] == "group")
    store.sync.mark_pushed("reviewer records", {0: fingerprint}, None)
    report.reviewer_records = len(rows) + len(versions)


def _settle_pulled(store: Store, me: str, pulled: dict[str, Any], refused: set[int]) -> None:
    """What a pull wrote is what the hub has: record it as confirmed, so this file does not send other
    reviewers' gold and event decisions back as its own (articles whose own gold change is still
    waiting for the lease keep waiting)."""
    article_ids = store.sync.id_map("article")
    local_articles = store.sync.local_map("article")
    hub_id = _id_maker(store, me)
    touched = {local_articles.get(row["article_id"]) for kind in ("spans", "arguments", "states")
               for row in pulled.get(kind, []) if row.get("annotator") == GOLD}
    touched |= {local_articles.get(row["article_id"]) for kind in ("gold_decisions", "gold_links")
                for row in pulled.get(kind, [])}
    touched = {article for article in touched if article is not None} - refused
    if touched:
        store.sync.mark_pushed(GOLD, {article: fp for article, fp, _ in
                                      _changed(store, GOLD, hub_id, article_ids, touched)}, None)
    if pulled.get("event_decisions") or pulled.get("model_versions"):
        *_, fingerprint = _reviewer_records(store, hub_id, article_ids)
        store.sync.mark_pushed("reviewer records", {0: fingerprint}, None)


def _with_gold_lease(conn, store: Store, dirty, report: SyncReport):
    """The gold articles this reviewer may write: the lease is taken (or renewed) for each."""
    article_ids = store.sync.id_map("article")
    allowed = []
    with conn.transaction():
        for item in dirty:
            holder, until = conn.execute("SELECT * FROM hub_take_gold(%s, %s)",
                                         [article_ids[item[0]], GOLD_LEASE_HOURS]).fetchone()
            if holder == conn.info.user:
                allowed.append(item)
            else:
                report.gold_refused.append(f"article {item[0]}: held by {holder} until {until:%Y-%m-%d %H:%M} UTC")
                report.gold_waiting.add(item[0])
    return allowed


_PULL_LAYERS = {
    "spans": "SELECT id::text, article_id::text, annotator, start_char, end_char, label, layer, origin, status,"
             " attributes, source, score, suggestion_id::text, created_at, updated_at, deleted FROM spans",
    "arguments": "SELECT id::text, article_id::text, annotator, event_id::text, filler_id::text, role, created_at,"
                 " deleted FROM arguments",
    "states": "SELECT article_id::text, annotator, state, note, seconds, updated_at, deleted FROM article_states",
    "actions": "SELECT id::text, article_id::text, annotator, at, action, detail, deleted FROM actions",
    "gold_decisions": "SELECT id::text, article_id::text, layer, region_start, region_end, kind, annotators,"
                      " reviewer, decided_at, deleted FROM gold_decisions",
    "gold_links": "SELECT item_id::text, item_kind, article_id::text, decision_id::text, deleted FROM gold_links",
}
_ORDER = {"spans": " ORDER BY (suggestion_id IS NOT NULL), created_at, id", "actions": " ORDER BY at, id"}


def pull(store: Store, conn, me: str, reviewer: bool, gold_waiting: set[int]) -> dict[str, int]:
    cursor = store.sync.cursor()
    bootstrap = cursor is None
    # A file that never synced and holds none of this annotator's work (a new laptop, a lost file)
    # takes their own layer back from the hub too.
    own_too = bootstrap and not store.sync.layer(me)
    pulled: dict[str, Any] = {}
    with conn.transaction():
        conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        next_cursor = str(conn.execute("SELECT pg_snapshot_xmin(pg_current_snapshot())").fetchone()[0])
        cur = conn.cursor(row_factory=dict_row)
        pulled["settings"] = {row["key"]: row["value"] for row in cur.execute("SELECT key, value FROM hub_settings")}
        known = store.sync.local_map("article")
        visible = [row["id"] for row in cur.execute("SELECT id::text FROM articles")]
        new = [article for article in visible if article not in known]
        since = "" if bootstrap else " WHERE txid >= %s::xid8"
        since_params = [] if bootstrap else [cursor]
        pulled["articles"] = cur.execute(
            "SELECT id::text, content_hash, text, title, source, url, published, language, meta, imported_at"
            " FROM articles WHERE id = ANY(%s::uuid[]) ORDER BY position", [new]).fetchall()
        suggestion_sql = ("SELECT id::text, article_id::text, start_char, end_char, label, layer, origin, status,"
                          " attributes, source, score, created_at FROM suggestions")
        pulled["suggestions"] = cur.execute(
            suggestion_sql + " WHERE article_id = ANY(%s::uuid[])" + ("" if bootstrap else " OR txid >= %s::xid8")
            + " ORDER BY created_at, id", [new, *since_params]).fetchall()
        pulled["suggestion_runs"] = cur.execute(
            "SELECT article_id::text, source, spans, finished_at FROM suggestion_runs WHERE article_id = ANY(%s::uuid[])"
            + ("" if bootstrap else " OR txid >= %s::xid8"), [new, *since_params]).fetchall()
        pulled["assignments"] = cur.execute(
            "SELECT article_id::text, lease_until::text FROM assignments WHERE annotator = current_user").fetchall()
        others = "" if own_too else " AND owner <> current_user"
        for kind, sql in _PULL_LAYERS.items():
            pulled[kind] = cur.execute(sql + (since or " WHERE TRUE") + others + _ORDER.get(kind, ""),
                                       since_params).fetchall()
        pulled["model_versions"] = [json.loads(row["record"]) for row in cur.execute(
            "SELECT record FROM model_versions" + (since or " WHERE TRUE") + others,
            since_params)]
        pulled["event_decisions"] = [{**row, "record": json.loads(row["record"])} for row in cur.execute(
            "SELECT id::text, kind, record, deleted FROM event_decisions" + (since or " WHERE TRUE") + others
            + " ORDER BY txid", since_params)]
    pulled["settings"] = {"scheme": pulled["settings"]["scheme"]} if "scheme" in pulled["settings"] else {}
    counts = store.sync.apply(pulled, me=me)
    if reviewer:
        _settle_pulled(store, me, pulled, gold_waiting)
    # The cursor moves only once the file holds what was read (a kill before this repeats the pull).
    store.sync.set_cursor(next_cursor)
    if own_too:
        # Everything pulled is already on the hub: the log lines this file now holds are not pushed again.
        with_actions = store.sync.actions_after(me, 0)
        if with_actions:
            store.sync.mark_pushed(me, {}, with_actions[-1]["id"])
    return counts


def sync(store: Store, url: str) -> SyncReport:
    """Push this annotator's work to the hub at ``url``, then pull what is new for them.

    :param store: the annotator's project file
    :param url: the hub (without a password: the password file has it)
    :raises HubUnreachable: the server did not answer or went away; the file keeps everything and the
        next sync sends again what the hub had not confirmed
    :raises HubError: not a hub, or a newer one
    """
    started = time.perf_counter()
    report = SyncReport()
    try:
        _sync(store, url, report)
    except psycopg.OperationalError as exc:  # the server went away mid-sync
        raise HubUnreachable(f"lost the hub at {redact(url)} during the sync ({str(exc).strip()}); what it had not"
                             " confirmed is sent again next time") from exc
    report.seconds = time.perf_counter() - started
    return report


def _sync(store: Store, url: str, report: SyncReport) -> None:
    with connect(url) as conn:
        check_version(conn, url)
        conn.commit()
        me = conn.info.user
        reviewer = bool(conn.execute("SELECT hub_is_reviewer(current_user)").fetchone()[0])
        conn.commit()
        report.annotator, report.reviewer = me, reviewer
        store.sync.prepare()
        if store.sync.cursor() is None:
            # A file's first sync learns which of its articles are the hub's, so its work on them
            # goes up in the same sync.
            report.pulled = pull(store, conn, me, reviewer, set())
        # Push before pulling: what the pull overwrites is then already on the hub.
        push(store, conn, me, reviewer, report)
        pulled = pull(store, conn, me, reviewer, report.gold_waiting)
        report.pulled = {kind: report.pulled.get(kind, 0) + count for kind, count in pulled.items()}
        store.sync.set_url(url)


__all__ = ["SyncReport", "pull", "push", "sync"]
