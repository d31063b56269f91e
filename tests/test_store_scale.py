"""What the speed work (issue 13) must not change: search after deferred indexing, keyset pages,
the state and label filters written as sets, spans added in one statement, bulk rows, counts."""

import pytest

from annotator.importers import import_paths
from annotator.domain import ArticleState, Status
from annotator.store import Store, StoreError


def _search(store: Store, words: str) -> list[int]:
    return [a.id for a in store.articles.list("ann", search=words)]


def test_store_deferred_search_indexes_articles_added_and_changed_inside(store):
    before, _ = store.articles.add("Shelling in Kharkiv overnight.")
    with store.articles.deferred_search():
        first, _ = store.articles.add("Protest in Bamako.", title="Bamako")
        second, _ = store.articles.add("Clashes near Goma.", title="Goma report")
        # Changing an article fires the index's update trigger: for one not indexed yet, and one that is.
        store.articles.update_meta(first, {"n": 1})
        store.articles.update_meta(before, {"n": 2})
    # Each article is found once, by words of its title and of its text.
    assert _search(store, "bamako") == [first]
    assert _search(store, "goma report") == [second]
    assert _search(store, "clashes") == [second]
    assert _search(store, "kharkiv") == [before]
    store.articles.verify_search_index()  # raises when a search could miss or repeat an article
    store.articles.add("Later, one by one: Mopti.")
    assert len(_search(store, "mopti")) == 1


def test_store_verify_search_index_notices_a_broken_index(store):
    import sqlite3

    article, _ = store.articles.add("Shelling in Kharkiv overnight.")
    store.articles.verify_search_index()
    # Another program drops the article's words from the index (a damaged file): search loses it.
    with sqlite3.connect(store.path) as other:
        other.execute("INSERT INTO articles_fts(articles_fts, rowid, title, text)"
                      " SELECT 'delete', id, title, text FROM articles WHERE id = ?", [article])
    assert _search(store, "kharkiv") == []
    with pytest.raises(StoreError, match="the search index disagrees with the articles"):
        store.articles.verify_search_index()


def test_store_deferred_search_failing_leaves_no_article_and_no_index_rows(store):
    with pytest.raises(RuntimeError):
        with store.articles.deferred_search():
            store.articles.add("Djibo attacked.")
            raise RuntimeError("stop")
    assert store.articles.count() == 0
    assert _search(store, "djibo") == []
    store.articles.add("Djibo attacked again.")
    assert len(_search(store, "djibo")) == 1


def test_importers_failed_file_leaves_no_search_rows(store, write):
    good = write("good.jsonl", '{"text": "Fighting in Idlib."}\n')
    bad = write("bad.jsonl", '{"text": "Shelling in Aleppo."}\n{"text": ""}\n')
    summary = import_paths(store, [good, bad])
    assert summary.imported == 1 and len(summary.failed) == 1
    assert len(_search(store, "idlib")) == 1
    assert _search(store, "aleppo") == []
    store.articles.verify_search_index()


def _project(store: Store) -> list[int]:
    ids = [store.articles.add(f"Report {n}: shelling in Kharkiv.")[0] for n in range(30)]
    for n, article_id in enumerate(ids):
        if n % 3 == 0:
            store.states.set(article_id, "ann", ArticleState.DONE)
        elif n % 5 == 0:
            store.states.set(article_id, "ann", ArticleState.FLAGGED)
        elif n % 7 == 0:
            store.states.add_seconds(article_id, "ann", 3)  # a stored 'todo' row
        if n % 4 == 0:
            store.spans.add(article_id, 0, 6, "LOCATION", "entity", annotator="ann")
        if n % 6 == 1:
            span = store.spans.add(article_id, 0, 6, "LOCATION", "entity", annotator="ann")
            store.spans.update(span, status=Status.REJECTED)
        if n % 9 == 2:
            store.spans.add_many(article_id, [{"start_char": 0, "end_char": 6, "label": "LOCATION", "layer": "entity"}],
                                 annotator=None, origin="suggested", status="pending")
    store.states.set(ids[1], "ben", ArticleState.DONE)
    return ids


def test_store_keyset_pages_are_the_offset_pages(store):
    _project(store)
    for filters in ({}, {"states": ["todo"]}, {"states": ["done", "flagged"]}, {"label": "LOCATION"},
                    {"search": "kharkiv"}, {"has_pending": True}, {"has_pending": False},
                    {"states": ["todo"], "label": "LOCATION"}):
        by_offset = [a.id for start in range(0, 40, 7) for a in store.articles.list("ann", offset=start, limit=7,
                                                                                       **filters)]
        by_key, last = [], 0
        while page := store.articles.list("ann", after=last, limit=7, **filters):
            by_key += [a.id for a in page]
            last = page[-1].id
        assert by_key == by_offset
        assert len(by_key) == store.articles.count_where("ann", **filters)


def test_store_state_and_label_filters_as_sets_match_a_lookup_per_article(store):
    ids = _project(store)
    for states in (["todo"], ["done"], ["todo", "in_progress"], ["flagged", "todo"], list(map(str, ArticleState))):
        expected = [i for i in ids if str(store.states.get(i, "ann")[0]) in states]
        assert [a.id for a in store.articles.list("ann", states=states, limit=100)] == expected
        assert store.articles.count_where("ann", states=states) == len(expected)
    with_label = [i for i in ids if any(s.label == "LOCATION" and s.status is not Status.REJECTED
                                        for s in store.spans.for_article(i, "ann"))]
    assert [a.id for a in store.articles.list("ann", label="LOCATION", limit=100)] == with_label


def test_store_add_spans_returns_the_ids_it_wrote(store):
    article, _ = store.articles.add("Ukrainian forces shelled Kharkiv on Monday.")
    store.spans.add(article, 0, 9, "ARMED_GROUP", "entity", annotator="ann")
    ids = store.spans.add_many(article, [{"start_char": s, "end_char": s + 3, "label": f"L{s}", "layer": "entity"}
                                         for s in range(0, 30, 5)], annotator="ann", origin="imported", status="accepted")
    assert [store.spans.get(i).label for i in ids] == [f"L{s}" for s in range(0, 30, 5)]
    assert store.spans.add_many(article, [], annotator="ann", origin="imported", status="accepted") == []


def test_store_insert_rows_loads_finished_rows_and_refuses_other_tables(store):
    written = store.bulk.insert("articles", ["id", "text", "content_hash", "imported_at"],
                                ((n, f"Bulk report {n} from Mopti.", f"h{n}", "now") for n in range(1, 1001)),
                                batch=300)
    assert written == 1000 and store.articles.count() == 1000 == store.bulk.max_id("articles")
    assert len(store.articles.list("ann", search="mopti", limit=2000)) == 1000
    with pytest.raises(StoreError):
        store.bulk.insert("actions", ["action"], [("x",)])


def test_store_stats_from_one_pass_match_grouping_queries(store):
    ids = _project(store)
    span = store.spans.add(ids[2], 0, 6, "ATTACK", "event", annotator="ben")
    store.spans.update(span, status=Status.REJECTED)
    store.spans.delete(store.spans.add(ids[3], 0, 6, "LOCATION", "entity", annotator="ben"))
    counts = store.stats.counts()
    q = store._db.execute
    assert counts["spans"] == q("SELECT count(*) FROM spans").fetchone()[0]
    assert counts["spans_by_layer"] == dict(q("SELECT layer, count(*) FROM spans GROUP BY layer ORDER BY layer"))
    assert counts["spans_by_status"] == dict(q("SELECT status, count(*) FROM spans GROUP BY status ORDER BY status"))
    assert counts["spans_by_origin"] == dict(q("SELECT origin, count(*) FROM spans GROUP BY origin ORDER BY origin"))
    assert counts["spans_by_label"] == list(store._db.query(
        "SELECT layer, label, status, count(*) AS count FROM spans GROUP BY layer, label, status"
        " ORDER BY layer, label, status"))
    assert counts["spans_by_annotator"] == list(store._db.query(
        "SELECT coalesce(an.name, '(suggestions)') AS annotator, s.status, count(*) AS count"
        " FROM spans s LEFT JOIN annotators an ON an.id = s.annotator_id"
        " GROUP BY an.name, s.status ORDER BY an.name, s.status"))


def test_store_add_article_outside_a_transaction_is_kept_and_duplicates_found(tmp_path):
    with Store.open(tmp_path / "p.sqlite") as store:
        first, created = store.articles.add("Shelling in Kharkiv.")
        again, created_again = store.articles.add("Shelling in Kharkiv.")
        assert (created, created_again, again) == (True, False, first)
    with Store.open(tmp_path / "p.sqlite") as store:
        assert store.articles.count() == 1
        assert store.articles.add("Shelling in Kharkiv.") == (first, False)
