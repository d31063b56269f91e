"""Merging other annotators' project files and JSONL exports."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing

import pytest

from annotator.cli import main
from annotator.importers.merge import MergeError, merge_files
from annotator.domain import content_hash
from annotator.store import Store
from test_agreement_fixture import TEXT_1, TEXT_2, build_three_annotators


def read_only(store: Store) -> sqlite3.Connection:
    """A connection of the test's own on the project file, as another program would see it."""
    return sqlite3.connect(f"{store.path.resolve().as_uri()}?mode=ro", uri=True)


def snapshot(store: Store) -> dict:
    """Everything a merge may change, without ids or times."""
    with closing(read_only(store)) as db:
        return _snapshot(db)


def _snapshot(db: sqlite3.Connection) -> dict:
    return {
        "articles": sorted(r[0] for r in db.execute("SELECT content_hash FROM articles")),
        "spans": sorted(db.execute(
            "SELECT a.content_hash, an.name, s.start_char, s.end_char, s.label, s.layer, s.status,"
            " s.attributes FROM spans s JOIN articles a ON a.id = s.article_id"
            " JOIN annotators an ON an.id = s.annotator_id").fetchall()),
        "arguments": sorted(db.execute(
            "SELECT e.start_char, e.label, f.start_char, f.label, g.role, an.name FROM arguments g"
            " JOIN spans e ON e.id = g.event_id JOIN spans f ON f.id = g.filler_id"
            " JOIN annotators an ON an.id = e.annotator_id").fetchall()),
        "states": sorted(db.execute(
            "SELECT a.content_hash, an.name, st.state FROM article_states st"
            " JOIN articles a ON a.id = st.article_id JOIN annotators an ON an.id = st.annotator_id").fetchall()),
    }


@pytest.fixture
def others(tmp_path):
    """Three annotators' work in someone else's project file."""
    path = tmp_path / "colleagues.sqlite"
    with Store.open(path) as theirs:
        build_three_annotators(theirs)
    return path


def test_merge_brings_spans_arguments_attributes_and_states(tmp_path, others):
    with Store.open(tmp_path / "mine.sqlite") as mine:
        # Article 2 is already here (added first, so it has another id): it is matched by its text.
        existing, _ = mine.articles.add(TEXT_2)
        mine.articles.add("Something else entirely.")
        [summary] = merge_files(mine, [others])
        assert summary.articles_added == 3 and summary.articles_matched == 1
        with Store.open(others) as theirs:
            assert snapshot(mine)["spans"] == snapshot(theirs)["spans"]
            assert snapshot(mine)["arguments"] == snapshot(theirs)["arguments"]
            assert snapshot(mine)["states"] == snapshot(theirs)["states"]
        sela = [s for s in mine.spans.for_article(existing, "ana") if s.label == "LOCATION"]
        assert [s.text_in(TEXT_2) for s in sela] == ["Sela"]
        article_1 = mine.articles.id_by_hash(content_hash(TEXT_1))
        attack = next(s for s in mine.spans.for_article(article_1, "ben") if s.layer == "event")
        assert attack.attributes == {"modality": "planned"}
        assert [a.role for a in mine.arguments.of_event(attack.id)] == ["ACTOR", "TARGET"]
        assert any(a["action"] == "merge" for a in mine.log.entries())


def test_merge_same_source_twice_changes_nothing(tmp_path, others):
    with Store.open(tmp_path / "mine.sqlite") as mine:
        merge_files(mine, [others])
        before = snapshot(mine)
        [again] = merge_files(mine, [others])
        assert snapshot(mine) == before
        assert not again.changed and again.spans_present == sum(1 for _ in before["spans"])


def test_merge_does_not_undo_a_finished_article(tmp_path, others):
    with Store.open(tmp_path / "mine.sqlite") as mine:
        merge_files(mine, [others])
        article_2 = mine.articles.id_by_hash(content_hash(TEXT_2))
        assert str(mine.states.get(article_2, "cho")[0]) == "in_progress"
        mine.states.set(article_2, "cho", "done")
        merge_files(mine, [others])
        assert str(mine.states.get(article_2, "cho")[0]) == "done"


def test_merge_refuses_a_foreign_sqlite_file(tmp_path):
    foreign = tmp_path / "foreign.sqlite"
    with sqlite3.connect(foreign) as conn:
        conn.execute("CREATE TABLE spans(x)")
    with Store.open(tmp_path / "mine.sqlite") as mine:
        with pytest.raises(MergeError, match="not an annotation project"):
            merge_files(mine, [foreign])
        assert mine.articles.count() == 0


def test_merge_refuses_a_newer_version_file(tmp_path, others):
    with sqlite3.connect(others) as conn:
        conn.execute("INSERT INTO _sqlite_migrations(migration_set, name, applied_at)"
                     " VALUES ('conflict-annotator', '9999_from_the_future', '2030-01-01')")
    with Store.open(tmp_path / "mine.sqlite") as mine:
        with pytest.raises(MergeError, match="newer version"):
            merge_files(mine, [others])
        assert mine.articles.count() == 0


def test_merge_refuses_a_malformed_project_and_writes_nothing(tmp_path, others):
    with sqlite3.connect(others) as conn:
        conn.execute("PRAGMA ignore_check_constraints = ON")
        conn.execute("UPDATE spans SET end_char = 9999 WHERE id = 2")
    with Store.open(tmp_path / "mine.sqlite") as mine:
        with pytest.raises(MergeError, match=r"table spans, row 2: start_char/end_char: .*9999"):
            merge_files(mine, [others])
        assert mine.articles.count() == 0 and mine.annotators.names() == []


def test_merge_refuses_a_view_in_place_of_a_table(tmp_path, others):
    with sqlite3.connect(others) as conn:
        conn.execute("ALTER TABLE spans RENAME TO spans_real")
        conn.execute("CREATE VIEW spans AS SELECT * FROM spans_real")
    with Store.open(tmp_path / "mine.sqlite") as mine:
        with pytest.raises(MergeError, match="'spans' is view, not a table"):
            merge_files(mine, [others])


def test_merge_leaves_the_source_file_unchanged(tmp_path, others):
    before = others.read_bytes()
    with Store.open(tmp_path / "mine.sqlite") as mine:
        merge_files(mine, [others])
    assert others.read_bytes() == before


def prodigy_line(text: str, annotator: str, spans: list[tuple[str, str]], answer: str = "accept") -> str:
    found = [{"start": text.index(words), "end": text.index(words) + len(words), "label": label}
             for words, label in spans]
    return json.dumps({"text": text, "spans": found, "answer": answer, "_annotator_id": annotator})


def test_merge_jsonl_export_with_annotator_ids(tmp_path):
    export = tmp_path / "export.jsonl"
    export.write_text("\n".join([
        prodigy_line(TEXT_1, "dee", [("Dorvan market", "LOCATION"), ("attacked", "BATTLES")]),
        prodigy_line(TEXT_1, "eli", [("Dorvan", "LOCATION")]),
    ]) + "\n", encoding="utf-8")
    with Store.open(tmp_path / "mine.sqlite") as mine:
        [summary] = merge_files(mine, [export])
        assert summary.annotators == ["dee", "eli"] and summary.spans_added == 3
        article = mine.articles.id_by_hash(content_hash(TEXT_1))
        dee = {(s.text_in(TEXT_1), s.label, str(s.layer)) for s in mine.spans.for_article(article, "dee")}
        assert dee == {("Dorvan market", "LOCATION", "entity"), ("attacked", "BATTLES", "event")}
        assert str(mine.states.get(article, "eli")[0]) == "done"
        before = snapshot(mine)
        merge_files(mine, [export])
        assert snapshot(mine) == before


def test_merge_jsonl_without_annotator_is_refused_with_line(tmp_path):
    export = tmp_path / "export.jsonl"
    export.write_text(json.dumps({"text": TEXT_1, "spans": [], "answer": "accept"}) + "\n", encoding="utf-8")
    with Store.open(tmp_path / "mine.sqlite") as mine:
        with pytest.raises(MergeError, match=r"export.jsonl:1: _annotator_id: no annotator named"):
            merge_files(mine, [export])
        assert mine.articles.count() == 0


def test_merge_command_reports_and_refuses(tmp_path, others, capsys):
    db = tmp_path / "mine.sqlite"
    Store.open(db).close()  # merge goes into an existing project; only import makes new ones
    assert main(["merge", "--db", str(db), str(others)]) == 0
    assert "articles: 4 added" in capsys.readouterr().out
    bogus = tmp_path / "notes.txt"
    bogus.write_text("hello", encoding="utf-8")
    assert main(["merge", "--db", str(db), str(bogus)]) == 2
    assert "neither a project file" in capsys.readouterr().err


def test_merge_leaves_out_the_sources_gold(tmp_path, others):
    from annotator.review import finish_article, load_review, take_version

    with Store.open(others) as theirs:
        article_1 = theirs.articles.id_by_hash(content_hash(TEXT_1))
        take_version("rita", load_review(theirs, article_1).disagreements[0], "ana", article_1).apply(theirs)
        finish_article("rita", article_1).apply(theirs)
    with Store.open(tmp_path / "mine.sqlite") as mine:
        [summary] = merge_files(mine, [others])
        assert "gold" not in summary.annotators
        with closing(read_only(mine)) as db:
            assert db.execute("SELECT count(*) FROM spans s JOIN annotators an ON an.id = s.annotator_id"
                              " WHERE an.name = 'gold'").fetchone()[0] == 0


def test_merge_of_each_annotators_jsonl_export_gives_the_same_agreement(tmp_path, others):
    from annotator.agreement import compute_agreement
    from annotator.export import export_project

    exports = []
    with Store.open(others) as theirs:
        expected = compute_agreement(theirs).to_dict()
        for name in ("ana", "ben", "cho"):
            export_project(theirs, tmp_path / name, format="jsonl", annotator=name)
            exports += sorted((tmp_path / name).glob("*.jsonl"))
    with Store.open(tmp_path / "mine.sqlite") as mine:
        merge_files(mine, exports)
        merged = compute_agreement(mine).to_dict()
    for kind in ("entities", "event_triggers", "event_arguments"):
        assert merged[kind]["overall"] == expected[kind]["overall"]
        assert merged[kind]["pairs"] == expected[kind]["pairs"]


def test_merge_keeps_done_against_skipped_but_takes_flagged(tmp_path, others):
    # The same rule as import: "done" wins over todo, in_progress and skipped; "flagged" asks for a look.
    with Store.open(tmp_path / "mine.sqlite") as mine:
        merge_files(mine, [others])
        article_1 = mine.articles.id_by_hash(content_hash(TEXT_1))
        article_2 = mine.articles.id_by_hash(content_hash(TEXT_2))
        mine.states.set(article_2, "cho", "done")
    with Store.open(others) as theirs:
        theirs.states.set(theirs.articles.id_by_hash(content_hash(TEXT_2)), "cho", "skipped")
        theirs.states.set(theirs.articles.id_by_hash(content_hash(TEXT_1)), "ben", "flagged", "is Dorvan a town?")
    with Store.open(tmp_path / "mine.sqlite") as mine:
        [summary] = merge_files(mine, [others])
        assert str(mine.states.get(article_2, "cho")[0]) == "done"
        assert mine.states.get(article_1, "ben")[:2] == ("flagged", "is Dorvan a town?")
        assert summary.states_changed == 1


def test_merge_says_when_relations_brought_spans_not_in_spans(tmp_path):
    attacked = {"start": TEXT_1.index("attacked"), "end": TEXT_1.index("attacked") + 8, "label": "BATTLES"}
    militia = {"start": 0, "end": 16, "label": "ARMED_GROUP"}
    export = tmp_path / "export.jsonl"
    export.write_text(json.dumps({"text": TEXT_1, "spans": [attacked], "answer": "accept", "_annotator_id": "dee",
                                  "relations": [{"label": "ACTOR", "head_span": attacked, "child_span": militia}]})
                      + "\n", encoding="utf-8")
    with Store.open(tmp_path / "mine.sqlite") as mine:
        [summary] = merge_files(mine, [export])
        assert summary.spans_added == 2 and summary.arguments_added == 1
        assert (f"  note: {export}:1: 1 span(s) added from relation endpoints (head_span/child_span) that are"
                " not in 'spans'") in summary.lines()
