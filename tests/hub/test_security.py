"""Row-level security: the database, not the client, keeps each layer its annotator's. These tests
are hand-written clients with another member's URL, talking to PostgreSQL through psycopg directly."""

from __future__ import annotations

import uuid

import psycopg
import pytest

from annotator.hub import admin
from annotator.hub.connect import remember_password
from annotator.hub.sync import sync
from annotator.store import Store

from .hub_helpers import annotate, lead_project


@pytest.fixture
def layers(tmp_path, hub_url, member_name):
    """A's work on the hub, B a second annotator, R a reviewer; one article assigned to A only."""
    with Store.open(lead_project(tmp_path / "lead.sqlite")) as store:
        admin.init(hub_url, store)
    a, b, r = member_name("anna"), member_name("boris"), member_name("rita")
    urls = {a: remember_password(admin.add_annotator(hub_url, a)),
            b: remember_password(admin.add_annotator(hub_url, b)),
            r: remember_password(admin.add_annotator(hub_url, r, reviewer=True))}
    admin.assign(hub_url, per_article=2, lease_days=None)
    with Store.open(tmp_path / "a.sqlite") as store:
        sync(store, urls[a])
        annotate(store, a, store.articles.ids()[:2])
        sync(store, urls[a])
    return {"a": a, "b": b, "r": r, "urls": urls, "admin": hub_url}


def one_span_of(url: str, annotator: str) -> dict:
    with psycopg.connect(url, row_factory=psycopg.rows.dict_row) as conn:
        return conn.execute("SELECT * FROM spans WHERE annotator = %s LIMIT 1", [annotator]).fetchone()


def test_b_cannot_insert_a_row_into_a_layer(layers):
    span = one_span_of(layers["admin"], layers["a"])
    with psycopg.connect(layers["urls"][layers["b"]]) as conn:
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"):
            conn.execute(
                "INSERT INTO spans(id, article_id, annotator, start_char, end_char, label, layer, origin, status,"
                " created_at, updated_at) VALUES (%s, %s, %s, 0, 4, 'PERSON', 'entity', 'manual', 'accepted', 'x', 'x')",
                [uuid.uuid4(), span["article_id"], layers["a"]])


def test_b_cannot_change_or_even_see_a_rows(layers):
    before = one_span_of(layers["admin"], layers["a"])
    with psycopg.connect(layers["urls"][layers["b"]]) as conn:
        assert conn.execute("SELECT count(*) FROM spans WHERE annotator = %s", [layers["a"]]).fetchone()[0] == 0
        changed = conn.execute("UPDATE spans SET label = 'ORG', deleted = TRUE WHERE annotator = %s", [layers["a"]])
        assert changed.rowcount == 0
        # Claiming the row as B's own is refused too: the upsert a client would send.
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute(
                "INSERT INTO spans(id, article_id, annotator, start_char, end_char, label, layer, origin, status,"
                " created_at, updated_at) VALUES (%s, %s, %s, 0, 4, 'PERSON', 'entity', 'manual', 'accepted', 'x', 'x')"
                " ON CONFLICT (id) DO UPDATE SET label = 'ORG'", [before["id"], before["article_id"], layers["a"]])
    after = one_span_of(layers["admin"], layers["a"])
    assert after["id"] == before["id"] and after["label"] == before["label"] and not after["deleted"]


def test_b_cannot_write_rows_as_someone_else_or_gold(layers):
    span = one_span_of(layers["admin"], layers["a"])
    with psycopg.connect(layers["urls"][layers["b"]]) as conn:
        for annotator, owner in ((layers["b"], layers["a"]), ("gold", layers["b"])):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                with conn.transaction():
                    conn.execute(
                        "INSERT INTO spans(id, article_id, annotator, owner, start_char, end_char, label, layer,"
                        " origin, status, created_at, updated_at) VALUES (%s, %s, %s, %s, 0, 4, 'PERSON', 'entity',"
                        " 'manual', 'accepted', 'x', 'x')", [uuid.uuid4(), span["article_id"], annotator, owner])
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("INSERT INTO assignments(article_id, annotator) VALUES (%s, %s)",
                         [span["article_id"], layers["b"]])


def test_only_reviewers_read_other_layers_and_articles_are_limited_to_assignments(layers):
    with psycopg.connect(layers["urls"][layers["r"]]) as conn:
        assert conn.execute("SELECT count(*) FROM spans WHERE annotator = %s", [layers["a"]]).fetchone()[0] == 6
        assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] == 6
    with psycopg.connect(layers["admin"]) as conn:
        conn.execute("DELETE FROM assignments WHERE annotator = %s AND article_id IN"
                     " (SELECT id FROM articles ORDER BY imported_at LIMIT 4)", [layers["b"]])
    with psycopg.connect(layers["urls"][layers["b"]]) as conn:
        assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] == 2
        assert conn.execute("SELECT count(*) FROM suggestions").fetchone()[0] == 2


def test_gold_is_written_only_by_the_reviewer_holding_the_article_lease(layers, member_name):
    second = member_name("sam")
    second_url = remember_password(admin.add_annotator(layers["admin"], second, reviewer=True))
    article = one_span_of(layers["admin"], layers["a"])["article_id"]
    insert_gold = ("INSERT INTO spans(id, article_id, annotator, start_char, end_char, label, layer, origin, status,"
                   " created_at, updated_at) VALUES (%s, %s, 'gold', 0, 4, 'PERSON', 'entity', 'manual', 'accepted',"
                   " 'x', 'x')")
    with psycopg.connect(layers["urls"][layers["r"]]) as conn:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            with conn.transaction():
                conn.execute(insert_gold, [uuid.uuid4(), article])  # no lease yet
        holder, _ = conn.execute("SELECT * FROM hub_take_gold(%s, 1)", [article]).fetchone()
        assert holder == layers["r"]
        conn.execute(insert_gold, [uuid.uuid4(), article])
        conn.commit()
    with psycopg.connect(second_url) as conn:
        holder, _ = conn.execute("SELECT * FROM hub_take_gold(%s, 1)", [article]).fetchone()
        assert holder == layers["r"]  # refused: rita holds it
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute(insert_gold, [uuid.uuid4(), article])
    with psycopg.connect(layers["urls"][layers["a"]]) as conn:
        holder, _ = conn.execute("SELECT * FROM hub_take_gold(%s, 1)", [article]).fetchone()
        assert holder == layers["r"]  # an annotator takes nothing
