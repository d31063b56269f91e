import sqlite3

import pytest

from annotator.store import migrations
from annotator.domain import ArticleState, Status, content_hash
from annotator.store import NewerSchemaError, NotAProjectError, Store, StoreError

TEXT = "Ukrainian forces will withdraw from Severodonetsk 🇺🇦, an official said."


def test_store_new_file_is_marked_and_fully_migrated(tmp_path):
    path = tmp_path / "p.sqlite"
    with Store.open(path) as store:
        assert store.schema_steps() == migrations.KNOWN
        assert store.pragma("journal_mode") == "wal"
        assert store.pragma("foreign_keys") == 1
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA application_id").fetchone()[0] == migrations.APPLICATION_ID


def test_store_older_file_is_upgraded(tmp_path):
    path = tmp_path / "old.sqlite"
    from sqlite_utils import Database

    db = Database(path)
    db.execute(f"PRAGMA application_id = {migrations.APPLICATION_ID}")
    migrations.migrations.apply(db, stop_before=migrations.KNOWN[1])
    db.execute(
        "INSERT INTO articles(text, content_hash, imported_at) VALUES ('Shelling in Kharkiv', 'h', 'now')"
    )
    db.close()
    with Store.open(path) as store:
        assert store.schema_steps() == migrations.KNOWN
        # the full-text index built by the upgrade covers the article that was already there
        assert [a.id for a in store.articles.list("ann", search="kharkiv")] == [1]


def test_store_refuses_newer_file_and_leaves_it_untouched(tmp_path):
    path = tmp_path / "newer.sqlite"
    Store.open(path).close()
    conn = sqlite3.connect(path)
    conn.execute(
        "INSERT INTO _sqlite_migrations(migration_set, name, applied_at) VALUES (?, '9999_future', 'x')",
        [migrations.MIGRATION_SET],
    )
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(NewerSchemaError, match="newer version"):
        Store.open(path)
    assert path.read_bytes() == before


def test_store_refuses_foreign_sqlite_file(tmp_path):
    path = tmp_path / "other.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE invoices(id INTEGER)")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(NotAProjectError, match="not an annotation project"):
        Store.open(path)
    assert path.read_bytes() == before


def test_store_refuses_file_that_is_not_sqlite(tmp_path):
    path = tmp_path / "notes.sqlite"
    path.write_bytes(b"these are my notes, not a database" * 100)
    with pytest.raises(NotAProjectError, match="not an annotation project"):
        Store.open(path)
    assert path.read_bytes() == b"these are my notes, not a database" * 100


def test_store_same_text_is_one_article(store):
    first, created = store.articles.add(TEXT)
    again, created_again = store.articles.add(TEXT)
    assert (created, created_again) == (True, False)
    assert first == again
    assert store.articles.get(first).text == TEXT


def test_store_rejects_span_outside_text(store):
    article, _ = store.articles.add("short")
    with pytest.raises(StoreError, match="outside"):
        store.spans.add(article, 2, 99, "LOCATION", "entity", annotator="ann")


def _suggested_event_with_place(store):
    """A pending suggested event whose LOCATION role a pending suggested place fills."""
    article, _ = store.articles.add(TEXT)
    place = store.spans.add(article, 36, 51, "LOCATION", "entity", annotator=None, origin="suggested",
                            status="pending")
    event = store.spans.add(article, 22, 30, "STRATEGIC_DEVELOPMENTS", "event", annotator=None,
                            origin="suggested", status="pending")
    store.arguments.add(event, place, "LOCATION")
    return article, event, place


def test_store_each_annotator_sees_own_spans_and_undecided_suggestions(store):
    article, event, place = _suggested_event_with_place(store)
    created = store.suggestions.decide(event, "alice", Status.ACCEPTED)
    assert len(created) == 2  # the event and the place filling its LOCATION role
    alice = store.spans.for_article(article, "alice")
    assert {(s.label, s.annotator, s.status) for s in alice} == {
        ("LOCATION", "alice", Status.ACCEPTED), ("STRATEGIC_DEVELOPMENTS", "alice", Status.ACCEPTED)}
    alice_event = next(s for s in alice if s.label == "STRATEGIC_DEVELOPMENTS")
    assert [(a.role, store.spans.get(a.filler_id).annotator) for a in store.arguments.of_event(alice_event.id)] == [
        ("LOCATION", "alice")]
    # bob has decided nothing: he still sees both suggestions
    assert {s.annotator for s in store.spans.for_article(article, "bob")} == {None}


def test_store_delete_and_restore_span_keeps_ids_and_arguments(store):
    article, _ = store.articles.add(TEXT)
    place = store.spans.add(article, 36, 51, "LOCATION", "entity", annotator="ann")
    event = store.spans.add(article, 22, 30, "STRATEGIC_DEVELOPMENTS", "event", annotator="ann")
    link = store.arguments.add(event, place, "LOCATION")
    snapshot = store.spans.delete(place, actor="ann")
    assert store.arguments.for_article(article) == []
    store.spans.restore(snapshot, actor="ann")
    assert store.spans.get(place).label == "LOCATION"
    assert [a.id for a in store.arguments.for_article(article)] == [link]


def test_store_action_log_is_append_only(store):
    article, _ = store.articles.add(TEXT)
    store.states.set(article, "ann", ArticleState.DONE)
    assert store.log.entries(article)[-1]["action"] == "set_state"
    # Even a writer going around the app (another tool on the same file) cannot rewrite history.
    with sqlite3.connect(store.path) as other, pytest.raises(sqlite3.IntegrityError, match="append-only"):
        other.execute("DELETE FROM actions")


def test_store_failed_transaction_leaves_nothing(store):
    article, _ = store.articles.add(TEXT)
    with pytest.raises(RuntimeError):
        with store.transaction():
            store.spans.add(article, 0, 9, "ARMED_GROUP", "entity", annotator="newcomer")
            raise RuntimeError("power cut")
    assert store.spans.for_article(article) == []
    assert "newcomer" not in store.annotators.names()
    # the annotator id cached inside the rolled-back transaction is not reused
    store.spans.add(article, 0, 9, "ARMED_GROUP", "entity", annotator="newcomer")
    assert store.annotators.names() == ["newcomer"]


def test_store_article_list_filters_and_pages(store):
    ids = [store.articles.add(f"Report {n}: shelling near Kharkiv, {n} injured.")[0] for n in range(30)]
    store.spans.add(ids[3], 0, 6, "BATTLES", "event", annotator=None, origin="suggested", status="pending")
    store.states.set(ids[5], "ann", ArticleState.DONE)
    assert store.articles.count_where("ann") == 30
    assert [a.id for a in store.articles.list("ann", offset=10, limit=5)] == ids[10:15]
    assert [a.id for a in store.articles.list("ann", has_pending=True)] == [ids[3]]
    assert [a.id for a in store.articles.list("ann", states=["done"])] == [ids[5]]
    assert store.articles.count_where("ann", states=["todo"]) == 29
    assert [a.id for a in store.articles.list("ann", search='12 "injured')] == [ids[12]]
    assert store.articles.next_id("ann", after=ids[4]) == ids[6]  # ids[5] is done


def test_store_stats_totals_are_integers(store):
    article, _ = store.articles.add(TEXT)
    store.spans.add(article, 0, 9, "ARMED_GROUP", "entity", annotator="ann")
    stats = store.stats.counts()
    assert (stats["articles"], stats["spans"]) == (1, 1)


def test_store_deciding_a_suggestion_twice_is_refused(store):
    article, event, place = _suggested_event_with_place(store)
    store.suggestions.decide(event, "alice", Status.ACCEPTED)  # accepts the place too
    with pytest.raises(StoreError, match="already decided"):
        store.suggestions.decide(place, "alice", Status.ACCEPTED)
    assert len([s for s in store.spans.for_article(article, "alice") if s.label == "LOCATION"]) == 1


def test_writes_through_several_parts_are_one_transaction_and_roll_back_together():
    store = Store.memory()
    article, _ = store.articles.add(TEXT)
    with pytest.raises(RuntimeError):
        with store.transaction():
            store.spans.add(article, 0, 9, "ORG", "entity", annotator="ana")
            store.states.set(article, "ana", ArticleState.DONE)
            raise RuntimeError("the step failed half-way")
    assert store.annotators.names() == []
    assert store.spans.for_article(article) == []
    assert store.log.entries(article) == []
    assert store.states.done_by() == []
    # The annotator added inside the rolled-back step is forgotten by the annotators part too: the
    # next annotator may get the same row id, and ana's next span must not be filed under them.
    store.annotators.ensure("ben")
    store.spans.add(article, 0, 9, "ORG", "entity", annotator="ana")
    assert [s.annotator for s in store.spans.for_article(article)] == ["ana"]


def _file_before_filler_column(path):
    """A project as version 0010 left it: the arguments' filler column still called argument_id."""
    from sqlite_utils import Database

    db = Database(path)
    db.execute(f"PRAGMA application_id = {migrations.APPLICATION_ID}")
    migrations.migrations.apply(db, stop_before="0011_arguments_filler_id")
    db.execute("INSERT INTO annotators(id, name, created_at) VALUES (1, 'ana', 'now')")
    db.execute("INSERT INTO articles(id, text, content_hash, imported_at) VALUES (1, ?, 'h', 'now')", [TEXT])
    for span_id, (start, end, label, layer) in {1: (19, 27, "RETREAT", "event"), 2: (0, 17, "ORG", "entity")}.items():
        db.execute("INSERT INTO spans(id, article_id, annotator_id, start_char, end_char, label, layer, origin,"
                   " status, created_at, updated_at) VALUES (?, 1, 1, ?, ?, ?, ?, 'manual', 'accepted', 'now', 'now')",
                   [span_id, start, end, label, layer])
    db.execute("INSERT INTO arguments(event_id, argument_id, role, created_at) VALUES (1, 2, 'ACTOR', 'now')")
    db.conn.commit()
    db.close()


def test_an_upgraded_file_keeps_each_role_and_its_filler(tmp_path):
    path = tmp_path / "before_0011.sqlite"
    _file_before_filler_column(path)
    with Store.open(path) as store:
        [link] = store.arguments.for_article(1)
        assert (link.event_id, link.filler_id, link.role) == (1, 2, "ACTOR")
        assert store.pragma("foreign_keys") == 1
        store.spans.delete(2, "ana")  # the filler goes: its link goes with it
        assert store.arguments.for_article(1) == []


def test_a_colleagues_file_from_before_the_filler_column_merges_with_its_links(tmp_path):
    from annotator.importers.merge import merge_files

    theirs = tmp_path / "theirs.sqlite"
    _file_before_filler_column(theirs)
    mine = Store.memory()
    merge_files(mine, [theirs])
    article = mine.articles.id_by_hash(content_hash(TEXT))
    event = next(s for s in mine.spans.for_article(article, "ana") if s.label == "RETREAT")
    [link] = mine.arguments.of_event(event.id)
    assert link.role == "ACTOR" and mine.spans.get(link.filler_id).label == "ORG"


def test_a_bad_link_in_a_file_from_before_the_filler_column_is_named_by_that_files_column(tmp_path):
    from annotator.importers.merge import MergeError, merge_files

    theirs = tmp_path / "theirs.sqlite"
    _file_before_filler_column(theirs)
    conn = sqlite3.connect(theirs)
    conn.execute("INSERT INTO annotators(id, name, created_at) VALUES (2, 'ben', 'now')")
    conn.execute("INSERT INTO spans(id, article_id, annotator_id, start_char, end_char, label, layer, origin, status,"
                 " created_at, updated_at) VALUES (3, 1, 2, 36, 49, 'LOCATION', 'entity', 'manual', 'accepted', 'now', 'now')")
    conn.execute("INSERT INTO arguments(id, event_id, argument_id, role, created_at) VALUES (9, 1, 3, 'LOCATION', 'now')")
    conn.commit()
    conn.close()
    with pytest.raises(MergeError, match=r"arguments.*9.*argument_id.*not a span of the same annotator"):
        merge_files(Store.memory(), [theirs])
