"""The hub's tables in PostgreSQL, as numbered forward migrations recorded in the hub itself.

A hub made by a newer version of the app (a migration this version does not know) is refused, as a
newer project file is. Every migration runs in the same transaction as the record that it ran.
Never edit a migration that has shipped: add the next number.

Rows an annotator makes carry ``owner`` (the PostgreSQL role that wrote them, filled in by the
database from ``current_user``) and ``txid`` (the writing transaction, for "what changed since I last
looked", see :mod:`annotator.hub.sync`). Deleting a layer row only marks it ``deleted``, so a
reviewer's next pull learns about it; a row put back by undo comes back with the same id.
"""

from __future__ import annotations

from typing import Callable

# (name, SQL) in order; names start with their number.
MIGRATIONS: list[tuple[str, str]] = []


def migration(name: str) -> Callable[[str], str]:
    def register(sql: str) -> str:
        MIGRATIONS.append((name, sql))
        return sql
    return register


_LAYER_COLUMNS = """
    owner TEXT NOT NULL DEFAULT current_user,
    txid XID8 NOT NULL DEFAULT pg_current_xact_id(),
    deleted BOOLEAN NOT NULL DEFAULT FALSE
"""

migration("0001_initial")(f"""
CREATE TABLE hub_members (
    name TEXT PRIMARY KEY,
    reviewer BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE TABLE hub_settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE articles (
    id UUID PRIMARY KEY,
    -- the order articles were published in: files made from the hub number them the same way
    position BIGSERIAL NOT NULL,
    content_hash TEXT NOT NULL UNIQUE,
    text TEXT NOT NULL,
    title TEXT, source TEXT, url TEXT, published TEXT, language TEXT,
    meta TEXT NOT NULL DEFAULT '{{}}',
    imported_at TEXT NOT NULL,
    txid XID8 NOT NULL DEFAULT pg_current_xact_id()
);
CREATE TABLE suggestions (
    id UUID PRIMARY KEY,
    article_id UUID NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    start_char INTEGER NOT NULL, end_char INTEGER NOT NULL,
    label TEXT NOT NULL, layer TEXT NOT NULL, origin TEXT NOT NULL, status TEXT NOT NULL,
    attributes TEXT NOT NULL DEFAULT '{{}}', source TEXT, score DOUBLE PRECISION,
    created_at TEXT NOT NULL,
    txid XID8 NOT NULL DEFAULT pg_current_xact_id()
);
CREATE INDEX suggestions_by_article ON suggestions(article_id);
CREATE TABLE suggestion_runs (
    article_id UUID NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    source TEXT NOT NULL, spans INTEGER NOT NULL, finished_at TEXT NOT NULL,
    txid XID8 NOT NULL DEFAULT pg_current_xact_id(),
    PRIMARY KEY (article_id, source)
);
-- Who is to work on what, until when. A lease that ran out on an unfinished article frees the
-- article for someone else (annotator hub assign).
CREATE TABLE assignments (
    article_id UUID NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    annotator TEXT NOT NULL REFERENCES hub_members(name),
    assigned_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    lease_until TIMESTAMPTZ,
    PRIMARY KEY (article_id, annotator)
);
CREATE INDEX assignments_by_annotator ON assignments(annotator);
-- One reviewer settles an article's gold at a time.
CREATE TABLE gold_leases (
    article_id UUID PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    reviewer TEXT NOT NULL REFERENCES hub_members(name),
    lease_until TIMESTAMPTZ NOT NULL
);
-- Layers: ``annotator`` is whose layer the row belongs to (an annotator's name, or 'gold').
CREATE TABLE spans (
    id UUID PRIMARY KEY,
    article_id UUID NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    annotator TEXT NOT NULL,
    start_char INTEGER NOT NULL, end_char INTEGER NOT NULL,
    label TEXT NOT NULL, layer TEXT NOT NULL, origin TEXT NOT NULL, status TEXT NOT NULL,
    attributes TEXT NOT NULL DEFAULT '{{}}', source TEXT, score DOUBLE PRECISION,
    suggestion_id UUID,
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
    {_LAYER_COLUMNS}
);
CREATE INDEX spans_by_layer ON spans(annotator, article_id);
CREATE INDEX spans_by_txid ON spans(txid);
CREATE TABLE arguments (
    id UUID PRIMARY KEY,
    article_id UUID NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    annotator TEXT NOT NULL,
    event_id UUID NOT NULL, filler_id UUID NOT NULL, role TEXT NOT NULL,
    created_at TEXT NOT NULL,
    {_LAYER_COLUMNS}
);
CREATE INDEX arguments_by_layer ON arguments(annotator, article_id);
CREATE INDEX arguments_by_txid ON arguments(txid);
CREATE TABLE article_states (
    article_id UUID NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    annotator TEXT NOT NULL,
    state TEXT NOT NULL, note TEXT, seconds DOUBLE PRECISION NOT NULL DEFAULT 0,
    updated_at TEXT NOT NULL,
    {_LAYER_COLUMNS},
    PRIMARY KEY (article_id, annotator)
);
CREATE INDEX article_states_by_txid ON article_states(txid);
CREATE TABLE actions (
    id UUID PRIMARY KEY,
    article_id UUID,
    annotator TEXT NOT NULL,
    at TEXT NOT NULL, action TEXT NOT NULL, detail TEXT NOT NULL DEFAULT '{{}}',
    {_LAYER_COLUMNS}
);
CREATE INDEX actions_by_txid ON actions(txid);
-- The reviewer's gold provenance (store/gold.py): decisions, and which gold span or argument came
-- from which decision.
CREATE TABLE gold_decisions (
    id UUID PRIMARY KEY,
    article_id UUID NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    layer TEXT NOT NULL, region_start INTEGER NOT NULL, region_end INTEGER NOT NULL,
    kind TEXT NOT NULL, annotators TEXT NOT NULL DEFAULT '[]', reviewer TEXT NOT NULL,
    decided_at TEXT NOT NULL,
    {_LAYER_COLUMNS}
);
CREATE TABLE gold_links (
    -- a gold span ('span') or argument link ('argument') and the decision it came from
    item_id UUID PRIMARY KEY,
    item_kind TEXT NOT NULL CHECK (item_kind IN ('span', 'argument')),
    article_id UUID NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    decision_id UUID NOT NULL,
    {_LAYER_COLUMNS}
);
CREATE TABLE model_versions (
    version TEXT PRIMARY KEY,
    record TEXT NOT NULL,
    owner TEXT NOT NULL DEFAULT current_user,
    txid XID8 NOT NULL DEFAULT pg_current_xact_id()
);

-- Who may do what. Functions read the membership tables with the caller's rights; a member sees
-- their own row of hub_members and reviewers see all.
-- Inside a SECURITY DEFINER function current_user is the function's owner, so the caller is
-- passed in: policies call these with current_user.
CREATE FUNCTION hub_is_reviewer(who NAME) RETURNS BOOLEAN LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = public, pg_temp AS
    $$ SELECT EXISTS (SELECT 1 FROM hub_members WHERE name = who AND reviewer) $$;
CREATE FUNCTION hub_is_assigned(article UUID, who NAME) RETURNS BOOLEAN LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = public, pg_temp AS
    $$ SELECT EXISTS (SELECT 1 FROM assignments WHERE article_id = article AND annotator = who) $$;
CREATE FUNCTION hub_holds_gold(article UUID, who NAME) RETURNS BOOLEAN LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = public, pg_temp AS
    $$ SELECT EXISTS (SELECT 1 FROM gold_leases WHERE article_id = article AND reviewer = who
                      AND lease_until > now()) $$;
CREATE FUNCTION hub_may_read(article UUID) RETURNS BOOLEAN LANGUAGE sql STABLE
    SET search_path = public, pg_temp AS
    $$ SELECT hub_is_reviewer(current_user) OR hub_is_assigned(article, current_user) $$;
-- A layer row may be written by its own annotator (also on an article whose assignment has since
-- ended: it is still their work), or, for the gold layer, by the reviewer holding the article's
-- gold lease.
CREATE FUNCTION hub_may_write(layer_name TEXT, article UUID) RETURNS BOOLEAN LANGUAGE sql STABLE
    SET search_path = public, pg_temp AS
    $$ SELECT CASE WHEN layer_name = 'gold' THEN hub_is_reviewer(current_user) AND hub_holds_gold(article, current_user)
                   ELSE layer_name = current_user::text END $$;
-- A reviewer takes an article's gold lease when it is free, expired or already theirs; returns who
-- holds it afterwards and until when, so a refused reviewer can be told who has it.
CREATE FUNCTION hub_take_gold(article UUID, hours DOUBLE PRECISION)
    RETURNS TABLE (holder TEXT, held_until TIMESTAMPTZ) LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = public, pg_temp AS $$
BEGIN
    -- session_user: the member who logged in (current_user is this function's owner here)
    IF hub_is_reviewer(session_user) THEN
        INSERT INTO gold_leases(article_id, reviewer, lease_until)
        VALUES (article, session_user, now() + make_interval(secs => hours * 3600))
        ON CONFLICT (article_id) DO UPDATE SET reviewer = excluded.reviewer, lease_until = excluded.lease_until
        WHERE gold_leases.reviewer = excluded.reviewer OR gold_leases.lease_until <= now();
    END IF;
    RETURN QUERY SELECT g.reviewer, g.lease_until FROM gold_leases g WHERE g.article_id = article;
END $$;
REVOKE ALL ON FUNCTION hub_is_reviewer(NAME), hub_is_assigned(UUID, NAME), hub_holds_gold(UUID, NAME),
    hub_take_gold(UUID, DOUBLE PRECISION) FROM PUBLIC;

ALTER TABLE hub_members ENABLE ROW LEVEL SECURITY;
CREATE POLICY members_read ON hub_members FOR SELECT USING (name = current_user OR hub_is_reviewer(current_user));
ALTER TABLE hub_settings ENABLE ROW LEVEL SECURITY;
CREATE POLICY settings_read ON hub_settings FOR SELECT USING (true);
ALTER TABLE articles ENABLE ROW LEVEL SECURITY;
CREATE POLICY articles_read ON articles FOR SELECT USING (hub_may_read(id));
ALTER TABLE suggestions ENABLE ROW LEVEL SECURITY;
CREATE POLICY suggestions_read ON suggestions FOR SELECT USING (hub_may_read(article_id));
ALTER TABLE suggestion_runs ENABLE ROW LEVEL SECURITY;
CREATE POLICY suggestion_runs_read ON suggestion_runs FOR SELECT USING (hub_may_read(article_id));
ALTER TABLE assignments ENABLE ROW LEVEL SECURITY;
CREATE POLICY assignments_read ON assignments FOR SELECT USING (annotator = current_user OR hub_is_reviewer(current_user));
ALTER TABLE gold_leases ENABLE ROW LEVEL SECURITY;
CREATE POLICY gold_leases_read ON gold_leases FOR SELECT USING (hub_is_reviewer(current_user));
ALTER TABLE model_versions ENABLE ROW LEVEL SECURITY;
CREATE POLICY model_versions_read ON model_versions FOR SELECT USING (true);
CREATE POLICY model_versions_write ON model_versions FOR INSERT WITH CHECK (hub_is_reviewer(current_user) AND owner = current_user);
CREATE POLICY model_versions_change ON model_versions FOR UPDATE USING (hub_is_reviewer(current_user))
    WITH CHECK (hub_is_reviewer(current_user) AND owner = current_user);
""" + "".join(f"""
ALTER TABLE {table} ENABLE ROW LEVEL SECURITY;
CREATE POLICY {table}_read ON {table} FOR SELECT USING (
    hub_is_reviewer(current_user) OR {layer} = current_user::text);
CREATE POLICY {table}_insert ON {table} FOR INSERT WITH CHECK (
    owner = current_user AND hub_may_write({layer}, article_id));
CREATE POLICY {table}_update ON {table} FOR UPDATE USING (hub_may_write({layer}, article_id))
    WITH CHECK (owner = current_user AND hub_may_write({layer}, article_id));
""" for table, layer in (("spans", "annotator"), ("arguments", "annotator"), ("article_states", "annotator"),
                         ("actions", "annotator"), ("gold_decisions", "'gold'"), ("gold_links", "'gold'"))))

migration("0002_event_decisions")(f"""
-- The reviewer's decisions behind the event table (store/events.py): a date or place chosen for an
-- event span (kind 'override', id = the span's) and groups of event spans confirmed as one
-- real-world event (kind 'group'). record is JSON with hub ids. Reviewers only.
CREATE TABLE event_decisions (
    id UUID PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('override', 'group')),
    record TEXT NOT NULL,
    {_LAYER_COLUMNS}
);
CREATE INDEX event_decisions_by_txid ON event_decisions(txid);
ALTER TABLE event_decisions ENABLE ROW LEVEL SECURITY;
CREATE POLICY event_decisions_read ON event_decisions FOR SELECT USING (hub_is_reviewer(current_user));
CREATE POLICY event_decisions_insert ON event_decisions FOR INSERT
    WITH CHECK (hub_is_reviewer(current_user) AND owner = current_user);
CREATE POLICY event_decisions_update ON event_decisions FOR UPDATE USING (hub_is_reviewer(current_user))
    WITH CHECK (hub_is_reviewer(current_user) AND owner = current_user);
""")

KNOWN = [name for name, _ in MIGRATIONS]

# What a member's role is granted (row-level security narrows it to their rows).
MEMBER_GRANTS = """
GRANT USAGE ON SCHEMA public TO {role};
GRANT SELECT ON hub_members, hub_settings, hub_migrations, articles, suggestions, suggestion_runs,
    assignments, gold_leases, spans, arguments, article_states, actions, gold_decisions, gold_links,
    model_versions, event_decisions TO {role};
GRANT INSERT, UPDATE ON spans, arguments, article_states, actions, gold_decisions, gold_links,
    model_versions, event_decisions TO {role};
GRANT EXECUTE ON FUNCTION hub_is_reviewer(NAME), hub_is_assigned(UUID, NAME), hub_holds_gold(UUID, NAME),
    hub_take_gold(UUID, DOUBLE PRECISION) TO {role};
"""
