"""What the team lead does on the hub: set it up and publish the project, add people, hand out
articles, read progress. Runs with the lead's (administrator's) connection, which row-level security
does not restrict."""

from __future__ import annotations

import json
import re
import secrets
from dataclasses import dataclass
from typing import Any

import psycopg
from psycopg import sql

from annotator.hub import ids as hub_ids
from annotator.hub import schema
from annotator.hub.connect import HubError, applied_migrations, connect, make_url, parse, redact
from annotator.domain import GOLD
from annotator.store import Store

# Role names become PostgreSQL roles and annotator names: kept to what needs no quoting anywhere.
NAME_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,62}$")


def ensure_database(url: str) -> None:
    """Create the URL's database if the server lacks it (connecting to the ``postgres`` one)."""
    params = parse(url)
    dbname = params.get("dbname")
    if not dbname:
        raise HubError(f"{redact(url)} names no database")
    try:
        connect(url).close()
        return
    except HubError as exc:
        if "does not exist" not in str(exc):
            raise
    with connect(make_url({**params, "dbname": "postgres"}), autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(dbname)))


def migrate(conn: psycopg.Connection, url: str) -> list[str]:
    """Apply the migrations the hub lacks; refuse a hub made by a newer version. Returns those applied."""
    with conn.transaction():
        conn.execute("CREATE TABLE IF NOT EXISTS hub_migrations (name TEXT PRIMARY KEY,"
                     " applied_at TIMESTAMPTZ NOT NULL DEFAULT now())")
        conn.execute("LOCK TABLE hub_migrations IN EXCLUSIVE MODE")
        applied = applied_migrations(conn)
        unknown = [name for name in applied if name not in schema.KNOWN]
        if unknown:
            raise HubError(
                f"the hub at {redact(url)} was set up by a newer version of Conflict Annotator (it has schema step"
                f" {unknown[-1]}; this version knows up to {schema.KNOWN[-1]}); nothing was changed")
        done = []
        for name, statements in schema.MIGRATIONS:
            if name in applied:
                continue
            conn.execute(statements)
            conn.execute("INSERT INTO hub_migrations(name) VALUES (%s)", [name])
            done.append(name)
        if done:
            # Tables a migration added are granted to the members who exist already.
            for (member,) in conn.execute("SELECT name FROM hub_members").fetchall():
                conn.execute(sql.SQL(schema.MEMBER_GRANTS.replace("{role}", "{0}")).format(sql.Identifier(member)))
    return done


def publish(conn: psycopg.Connection, store: Store) -> dict[str, int]:
    """Put the file's articles, scheme, suggestions and learned-version records on the hub (what is
    already there stays); the file remembers which of its rows are which hub rows."""
    replica = store.sync.prepare()
    make_id = hub_ids.IdMaker(replica, "", {"span": store.sync.id_map("span")})
    articles = store.sync.articles()
    article_ids = {a["id"]: hub_ids.article_id(a["content_hash"]) for a in articles}
    suggestions, runs = store.sync.suggestions()
    counts = {}
    with conn.transaction(), conn.cursor() as cur:
        cur.execute("INSERT INTO hub_settings(key, value) VALUES ('scheme', %s)"
                    " ON CONFLICT (key) DO UPDATE SET value = excluded.value", [store.get_setting("scheme", "conflict")])
        cur.executemany(
            "INSERT INTO articles(id, content_hash, text, title, source, url, published, language, meta, imported_at)"
            " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s) ON CONFLICT (id) DO NOTHING",
            [[article_ids[a["id"]], a["content_hash"], a["text"], a["title"], a["source"], a["url"], a["published"],
              a["language"], a["meta"], a["imported_at"]] for a in articles])
        counts["articles"] = len(articles)
        cur.executemany(
            "INSERT INTO suggestions(id, article_id, start_char, end_char, label, layer, origin, status, attributes,"
            " source, score, created_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
            " ON CONFLICT (id) DO NOTHING",
            [[make_id("span", s["id"]), article_ids[s["article_id"]], s["start_char"], s["end_char"], s["label"],
              s["layer"], s["origin"], s["status"], s["attributes"], s["source"], s["score"], s["created_at"]]
             for s in suggestions])
        counts["suggestions"] = len(suggestions)
        cur.executemany(
            "INSERT INTO suggestion_runs(article_id, source, spans, finished_at) VALUES (%s, %s, %s, %s)"
            " ON CONFLICT DO NOTHING",
            [[article_ids[r["article_id"]], r["source"], r["spans"], r["finished_at"]] for r in runs])
        versions = store.sync.model_versions()
        cur.executemany("INSERT INTO model_versions(version, record) VALUES (%s, %s)"
                        " ON CONFLICT (version) DO UPDATE SET record = excluded.record",
                        [[v["version"], json.dumps(v)] for v in versions])
    store.sync.remember("article", [(hub_id, local) for local, hub_id in article_ids.items()])
    store.sync.remember("span", [(make_id("span", s["id"]), s["id"]) for s in suggestions])
    return counts


def init(url: str, store: Store) -> tuple[list[str], dict[str, int]]:
    """Create or upgrade the hub's schema at ``url`` and publish ``store``'s project on it."""
    ensure_database(url)
    with connect(url) as conn:
        applied = migrate(conn, url)
        counts = publish(conn, store)
    store.sync.set_url(url)
    return applied, counts


def _password() -> str:
    return secrets.token_urlsafe(18)


def add_annotator(url: str, name: str, *, reviewer: bool = False) -> str:
    """Create (or reset) the PostgreSQL role of annotator ``name`` and make them a hub member.

    :returns: the URL ``name`` connects with (it carries a new password: hand it over privately;
        the first ``annotator sync`` moves the password into the annotator's password file)
    """
    if not NAME_PATTERN.match(name) or name == GOLD:
        raise HubError(f"annotator name {name!r}: use lower-case letters, digits and _ (starting with a letter),"
                       f" and not {GOLD!r}, which is the reviewed layer")
    password = _password()
    with connect(url) as conn:
        if applied_migrations(conn) != schema.KNOWN:
            raise HubError(f"{redact(url)} is not an up-to-date hub; run `annotator hub init` first")
        role = sql.Identifier(name)
        exists = conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [name]).fetchone()
        statement = "ALTER ROLE {} WITH LOGIN PASSWORD {}" if exists else "CREATE ROLE {} WITH LOGIN PASSWORD {}"
        conn.execute(sql.SQL(statement).format(role, sql.Literal(password)))
        conn.execute(sql.SQL(schema.MEMBER_GRANTS.replace("{role}", "{0}")).format(role))
        conn.execute("INSERT INTO hub_members(name, reviewer) VALUES (%s, %s)"
                     " ON CONFLICT (name) DO UPDATE SET reviewer = excluded.reviewer", [name, reviewer])
        conn.commit()
    params = parse(url)
    params.update(user=name, password=password)
    return make_url(params)


@dataclass
class AssignReport:
    returned: list[tuple[str, str]]  # (article title or id, annotator) whose lease ran out unfinished
    handed_out: int
    short: int  # places still empty for lack of annotators


def assign(url: str, per_article: int, lease_days: float | None) -> AssignReport:
    """Hand out articles so each is worked on by ``per_article`` annotators (reviewers excepted).

    An assignment whose lease ran out on an article its annotator has not finished is removed first
    (their work so far stays on the hub); the article goes back to the pool, for someone else. Those with the fewest
    open articles get the next ones; nobody gets an article twice, or one they already finished.
    """
    if per_article < 1:
        raise HubError("--per-article must be at least 1")
    with connect(url) as conn, conn.transaction():
        conn.execute("LOCK TABLE assignments IN SHARE ROW EXCLUSIVE MODE")
        returned = conn.execute(
            "DELETE FROM assignments a WHERE a.lease_until IS NOT NULL AND a.lease_until <= now()"
            " AND NOT EXISTS (SELECT 1 FROM article_states s WHERE s.article_id = a.article_id"
            " AND s.annotator = a.annotator AND s.state = 'done' AND NOT s.deleted)"
            " RETURNING (SELECT coalesce(title, left(text, 40)) FROM articles WHERE id = a.article_id), annotator,"
            " article_id::text").fetchall()
        annotators = [r[0] for r in conn.execute("SELECT name FROM hub_members WHERE NOT reviewer ORDER BY name")]
        load = {name: 0 for name in annotators}
        for name, count in conn.execute(
                "SELECT a.annotator, count(*) FROM assignments a WHERE NOT EXISTS (SELECT 1 FROM article_states s"
                " WHERE s.article_id = a.article_id AND s.annotator = a.annotator AND s.state = 'done')"
                " GROUP BY a.annotator"):
            if name in load:
                load[name] = count
        holders: dict[str, set[str]] = {}
        for article, name in conn.execute("SELECT article_id::text, annotator FROM assignments"):
            holders.setdefault(article, set()).add(name)
        for article, name in conn.execute("SELECT article_id::text, annotator FROM article_states"
                                          " WHERE state = 'done' AND NOT deleted"):
            holders.setdefault(article, set()).add(name)
        # Whoever let an article's lease run out does not get it straight back.
        for _, name, article in returned:
            holders.setdefault(article, set()).add(name)
        articles = [r[0] for r in conn.execute("SELECT id::text FROM articles ORDER BY position")]
        new_rows, short = [], 0
        for article in articles:
            have = holders.get(article, set())
            lapsed = {name for _, name, lapsed_article in returned if lapsed_article == article}
            for _ in range(per_article - len(have - lapsed)):
                free = [name for name in annotators if name not in have]
                if not free:
                    short += 1
                    continue
                chosen = min(free, key=lambda name: (load[name], name))
                have.add(chosen)
                load[chosen] += 1
                new_rows.append([article, chosen])
        with conn.cursor() as cur:
            cur.executemany(
                "INSERT INTO assignments(article_id, annotator, lease_until) VALUES (%s, %s,"
                " CASE WHEN %s::float IS NULL THEN NULL ELSE now() + make_interval(secs => %s::float * 86400) END)",
                [[article, name, lease_days, lease_days] for article, name in new_rows])
    return AssignReport([(str(title), name) for title, name, _ in returned], len(new_rows), short)


def status(url: str) -> dict[str, Any]:
    """Progress per annotator and per article, as the lead reads it each morning."""
    with connect(url) as conn:
        people = conn.execute(
            "SELECT m.name, m.reviewer,"
            " (SELECT count(*) FROM assignments a WHERE a.annotator = m.name),"
            " (SELECT count(*) FROM article_states s WHERE s.annotator = m.name AND s.state = 'done' AND NOT s.deleted),"
            " (SELECT count(*) FROM article_states s WHERE s.annotator = m.name AND s.state = 'in_progress'"
            "  AND NOT s.deleted),"
            " (SELECT count(*) FROM assignments a WHERE a.annotator = m.name AND a.lease_until <= now()"
            "  AND NOT EXISTS (SELECT 1 FROM article_states s WHERE s.article_id = a.article_id"
            "  AND s.annotator = a.annotator AND s.state = 'done')),"
            " (SELECT count(*) FROM spans s WHERE s.annotator = m.name AND NOT s.deleted),"
            " (SELECT coalesce(sum(seconds), 0) FROM article_states s WHERE s.annotator = m.name),"
            " (SELECT max(at) FROM actions x WHERE x.annotator = m.name)"
            " FROM hub_members m ORDER BY m.reviewer, m.name").fetchall()
        articles = conn.execute(
            "SELECT a.id::text, coalesce(a.title, left(a.text, 40)),"
            " coalesce((SELECT string_agg(x.annotator, ',' ORDER BY x.annotator) FROM assignments x"
            "  WHERE x.article_id = a.id), ''),"
            " coalesce((SELECT string_agg(s.annotator, ',' ORDER BY s.annotator) FROM article_states s"
            "  WHERE s.article_id = a.id AND s.state = 'done' AND s.annotator <> 'gold' AND NOT s.deleted), ''),"
            " (SELECT g.reviewer FROM gold_leases g WHERE g.article_id = a.id AND g.lease_until > now()),"
            " EXISTS (SELECT 1 FROM article_states s WHERE s.article_id = a.id AND s.annotator = 'gold'"
            "  AND s.state = 'done' AND NOT s.deleted)"
            " FROM articles a ORDER BY a.position").fetchall()
    return {
        "annotators": [{"name": r[0], "reviewer": r[1], "assigned": r[2], "done": r[3], "in_progress": r[4],
                        "lease_expired": r[5], "spans": r[6], "hours": round(float(r[7]) / 3600, 2),
                        "last_action": r[8]} for r in people],
        "articles": [{"id": r[0], "title": r[1], "assigned": [n for n in r[2].split(",") if n],
                      "done_by": [n for n in r[3].split(",") if n], "gold_reviewer": r[4], "gold_done": r[5]}
                     for r in articles],
    }
