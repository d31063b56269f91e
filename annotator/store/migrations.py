"""Numbered forward migrations of the project file, recorded in the file itself.

Each migration runs in one transaction together with the record that it ran (sqlite-utils'
``Migrations``). Never edit a migration that has shipped: add the next number instead.
"""

from __future__ import annotations

from annotator.store._sqlite import Database, Migrations

MIGRATION_SET = "conflict-annotator"
# Marks our files in the SQLite header (PRAGMA application_id), so a foreign file is told apart
# before we write anything. 0x43414E4E is "CANN".
APPLICATION_ID = 0x43414E4E

migrations = Migrations(MIGRATION_SET)
KNOWN: list[str] = []


def migration(name: str):
    """Register the next migration; names start with their number so the order is visible."""

    def register(fn):
        KNOWN.append(name)
        return migrations(name=name)(fn)

    return register


@migration("0001_initial")
def m0001_initial(db: Database) -> None:
    db.executescript(
        """
        CREATE TABLE project (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL
        );
        CREATE TABLE annotators (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            created_at TEXT NOT NULL
        );
        CREATE TABLE articles (
            id INTEGER PRIMARY KEY,
            text TEXT NOT NULL,
            title TEXT,
            source TEXT,
            url TEXT,
            published TEXT,
            language TEXT,
            meta TEXT NOT NULL DEFAULT '{}',
            content_hash TEXT NOT NULL UNIQUE,
            imported_at TEXT NOT NULL
        );
        CREATE TABLE spans (
            id INTEGER PRIMARY KEY,
            article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            annotator_id INTEGER REFERENCES annotators(id),
            start_char INTEGER NOT NULL,
            end_char INTEGER NOT NULL,
            label TEXT NOT NULL,
            layer TEXT NOT NULL CHECK (layer IN ('entity', 'event')),
            origin TEXT NOT NULL CHECK (origin IN ('suggested', 'manual', 'imported')),
            status TEXT NOT NULL CHECK (status IN ('pending', 'accepted', 'rejected')),
            attributes TEXT NOT NULL DEFAULT '{}',
            source TEXT,
            score REAL,
            suggestion_id INTEGER REFERENCES spans(id) ON DELETE SET NULL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            CHECK (start_char >= 0 AND end_char > start_char)
        );
        CREATE INDEX spans_by_article ON spans(article_id, annotator_id);
        CREATE INDEX spans_by_suggestion ON spans(suggestion_id);
        CREATE INDEX spans_by_annotator_label ON spans(annotator_id, label);
        CREATE TABLE arguments (
            id INTEGER PRIMARY KEY,
            event_id INTEGER NOT NULL REFERENCES spans(id) ON DELETE CASCADE,
            argument_id INTEGER NOT NULL REFERENCES spans(id) ON DELETE CASCADE,
            role TEXT NOT NULL,
            created_at TEXT NOT NULL,
            UNIQUE (event_id, argument_id, role)
        );
        CREATE INDEX arguments_by_argument ON arguments(argument_id);
        CREATE TABLE article_states (
            article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            annotator_id INTEGER NOT NULL REFERENCES annotators(id),
            state TEXT NOT NULL
                CHECK (state IN ('todo', 'in_progress', 'done', 'skipped', 'flagged')),
            note TEXT,
            seconds REAL NOT NULL DEFAULT 0,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (article_id, annotator_id)
        );
        CREATE INDEX article_states_by_annotator ON article_states(annotator_id, state);
        -- The audit log: article_id is deliberately not a foreign key, so deleting an article
        -- can never rewrite history.
        CREATE TABLE actions (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            annotator_id INTEGER REFERENCES annotators(id),
            article_id INTEGER,
            action TEXT NOT NULL,
            detail TEXT NOT NULL DEFAULT '{}'
        );
        CREATE INDEX actions_by_article ON actions(article_id, annotator_id);
        CREATE TRIGGER actions_no_update BEFORE UPDATE ON actions
        BEGIN SELECT RAISE(ABORT, 'the action log is append-only'); END;
        CREATE TRIGGER actions_no_delete BEFORE DELETE ON actions
        BEGIN SELECT RAISE(ABORT, 'the action log is append-only'); END;
        """
    )


@migration("0002_fulltext_search")
def m0002_fulltext_search(db: Database) -> None:
    # External-content FTS5 index: the text is stored once, in articles.
    db.executescript(
        """
        CREATE VIRTUAL TABLE articles_fts USING fts5(
            title, text, content='articles', content_rowid='id', tokenize='unicode61 remove_diacritics 2'
        );
        CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
            INSERT INTO articles_fts(rowid, title, text) VALUES (new.id, new.title, new.text);
        END;
        CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
            INSERT INTO articles_fts(articles_fts, rowid, title, text)
            VALUES ('delete', old.id, old.title, old.text);
        END;
        CREATE TRIGGER articles_fts_update AFTER UPDATE ON articles BEGIN
            INSERT INTO articles_fts(articles_fts, rowid, title, text)
            VALUES ('delete', old.id, old.title, old.text);
            INSERT INTO articles_fts(rowid, title, text) VALUES (new.id, new.title, new.text);
        END;
        INSERT INTO articles_fts(articles_fts) VALUES ('rebuild');
        """
    )


@migration("0003_gold_review")
def m0003_gold_review(db: Database) -> None:
    # Where each gold span and argument came from: a decision of a reviewer on one region of an
    # article, taking the version of some annotators ("annotator"), what all agreed on ("agreed"),
    # or the reviewer's own edit ("reviewer"). A decision may keep nothing (the reviewer chose the
    # version of an annotator who marked nothing there): it still records that the region is settled.
    db.executescript(
        """
        CREATE TABLE gold_decisions (
            id INTEGER PRIMARY KEY,
            article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            layer TEXT NOT NULL CHECK (layer IN ('entity', 'event')),
            region_start INTEGER NOT NULL,
            region_end INTEGER NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('agreed', 'annotator', 'reviewer')),
            annotators TEXT NOT NULL DEFAULT '[]',
            reviewer TEXT NOT NULL,
            decided_at TEXT NOT NULL
        );
        CREATE INDEX gold_decisions_by_article ON gold_decisions(article_id, layer);
        CREATE TABLE gold_span_decisions (
            span_id INTEGER PRIMARY KEY REFERENCES spans(id) ON DELETE CASCADE,
            decision_id INTEGER NOT NULL REFERENCES gold_decisions(id) ON DELETE CASCADE
        );
        CREATE INDEX gold_span_decisions_by_decision ON gold_span_decisions(decision_id);
        CREATE TABLE gold_argument_decisions (
            argument_link_id INTEGER PRIMARY KEY REFERENCES arguments(id) ON DELETE CASCADE,
            decision_id INTEGER NOT NULL REFERENCES gold_decisions(id) ON DELETE CASCADE
        );
        """
    )


@migration("0004_suggestion_runs")
def m0004_suggestion_runs(db: Database) -> None:
    # Which suggester (name@version/model-version) has already run on which article, so an
    # interrupted ``annotator suggest`` continues where it stopped and a new version reruns.
    db.executescript(
        """
        CREATE TABLE suggestion_runs (
            article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            source TEXT NOT NULL,
            spans INTEGER NOT NULL,
            finished_at TEXT NOT NULL,
            PRIMARY KEY (article_id, source)
        );
        """
    )


@migration("0005_span_lookup_indexes")
def m0005_span_lookup_indexes(db: Database) -> None:
    # What one annotator sees (store.spans.for_article, the article list's pending count) asks per
    # suggestion "has this annotator decided it?" and "did they make the same span?". Without these
    # the planner scans all of the annotator's spans for each suggestion: 1 s instead of 30 ms on
    # a 2,000-span article (bench/gui_bench.py).
    db.executescript(
        """
        CREATE INDEX spans_by_decision ON spans(suggestion_id, annotator_id);
        CREATE INDEX spans_by_position ON spans(article_id, annotator_id, start_char, end_char, label);
        """
    )


@migration("0006_speed_at_scale")
def m0006_speed_at_scale(db: Database) -> None:
    # Measured with bench/import_vs_insert_all.py and bench/million_articles.py (issue 13).
    #
    # Search: indexing each article from a trigger as it is inserted costs six times what one
    # INSERT ... SELECT into the index costs for the whole file. While a row of search_deferred exists
    # (only ever inside one writing transaction: store.articles.deferred_search), articles from its from_id on
    # are left to that one statement; rows before it are kept in step as always. An update that
    # changes neither title nor text (meta) no longer rewrites the index.
    #
    # Indexes: spans_by_article and spans_by_suggestion are prefixes of spans_by_position and
    # spans_by_decision, so they only cost writes and space. spans_by_decision keeps only decided
    # copies: every lookup asks "suggestion_id = ?", and most spans (imported, manual) have none. The article list's
    # filters on a million articles are answered from covering indexes: an annotator's states by state, and spans by
    # (label, annotator, status) with the layer, origin and article (also one pass for stats).
    # The label leads: led by the annotator, the planner preferred it to spans_by_position for "this
    # annotator's spans on this article" and scanned all their spans per row of the article list.
    db.executescript(
        """
        CREATE TABLE search_deferred (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            from_id INTEGER NOT NULL
        );
        DROP TRIGGER articles_fts_insert;
        DROP TRIGGER articles_fts_delete;
        DROP TRIGGER articles_fts_update;
        CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles
        WHEN NOT EXISTS (SELECT 1 FROM search_deferred WHERE new.id >= from_id) BEGIN
            INSERT INTO articles_fts(rowid, title, text) VALUES (new.id, new.title, new.text);
        END;
        CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles
        WHEN NOT EXISTS (SELECT 1 FROM search_deferred WHERE old.id >= from_id) BEGIN
            INSERT INTO articles_fts(articles_fts, rowid, title, text)
            VALUES ('delete', old.id, old.title, old.text);
        END;
        CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, text ON articles
        WHEN NOT EXISTS (SELECT 1 FROM search_deferred WHERE old.id >= from_id) BEGIN
            INSERT INTO articles_fts(articles_fts, rowid, title, text)
            VALUES ('delete', old.id, old.title, old.text);
            INSERT INTO articles_fts(rowid, title, text) VALUES (new.id, new.title, new.text);
        END;
        DROP INDEX spans_by_article;
        DROP INDEX spans_by_suggestion;
        DROP INDEX spans_by_decision;
        CREATE INDEX spans_by_decision ON spans(suggestion_id, annotator_id) WHERE suggestion_id IS NOT NULL;
        DROP INDEX spans_by_annotator_label;
        CREATE INDEX spans_by_label ON spans(label, annotator_id, status, layer, origin, article_id);
        DROP INDEX article_states_by_annotator;
        CREATE INDEX article_states_by_annotator ON article_states(annotator_id, state, article_id);
        """
    )


@migration("0007_event_table")
def m0007_event_table(db: Database) -> None:
    # The reviewer's decisions behind the event table (annotator.eventtable): a date or place chosen
    # for one event span, and groups of event spans confirmed as one real-world event. Proposed
    # groups are never stored: they are computed again from the records, and the confirmed ones
    # replayed over them.
    db.executescript(
        """
        CREATE TABLE event_overrides (
            span_id INTEGER PRIMARY KEY REFERENCES spans(id) ON DELETE CASCADE,
            date TEXT,
            date_end TEXT,
            precision INTEGER CHECK (precision IS NULL OR precision BETWEEN 1 AND 3),
            geonameid INTEGER,
            reviewer TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE TABLE event_groups (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL CHECK (kind IN ('confirm', 'split', 'merge')),
            reviewer TEXT NOT NULL,
            replaces TEXT NOT NULL DEFAULT '[]',
            created_at TEXT NOT NULL
        );
        CREATE TABLE event_group_members (
            span_id INTEGER PRIMARY KEY REFERENCES spans(id) ON DELETE CASCADE,
            group_id INTEGER NOT NULL REFERENCES event_groups(id) ON DELETE CASCADE,
            article_id INTEGER NOT NULL
        );
        CREATE INDEX event_group_members_by_group ON event_group_members(group_id);
        """
    )


@migration("0008_model_versions")
def m0008_model_versions(db: Database) -> None:
    # Learned versions live in folders beside the project file (ADR 5); the file records each one
    # (when, from which articles by content hash, scores, spaCy version) so the project says what its
    # suggestions were learned from even if the folders are moved or lost.
    db.executescript(
        """
        CREATE TABLE model_versions (
            version TEXT PRIMARY KEY,
            created_at TEXT NOT NULL,
            spacy_version TEXT NOT NULL,
            base_model TEXT,
            labels TEXT NOT NULL DEFAULT '{}',
            train_hashes TEXT NOT NULL DEFAULT '[]',
            heldout_hashes TEXT NOT NULL DEFAULT '[]',
            scores TEXT NOT NULL DEFAULT '{}',
            entity_f1 REAL,
            event_f1 REAL,
            previous_version TEXT
        );
        """
    )


@migration("0009_article_uncertainty")
def m0009_article_uncertainty(db: Database) -> None:
    # What the learned version is least sure of, per article, so the queue can offer it first
    # (annotator.learn.uncertainty). One row per article: the latest scoring replaces the last.
    db.executescript(
        """
        CREATE TABLE article_uncertainty (
            article_id INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
            version TEXT NOT NULL,
            score REAL NOT NULL,
            computed_at TEXT NOT NULL
        );
        CREATE INDEX article_uncertainty_by_score ON article_uncertainty(score DESC);
        """
    )


@migration("0010_event_background")
def m0010_event_background(db: Database) -> None:
    # The reviewer's say on whether an event is background ("a war fought in 2006" in a 2017 report):
    # 1 background (out of the table), 0 an event of its own, NULL let the dates decide (eventtable.dates).
    db.executescript("ALTER TABLE event_overrides ADD COLUMN background INTEGER CHECK (background IN (0, 1));")


@migration("0011_arguments_filler_id")
def m0011_arguments_filler_id(db: Database) -> None:
    # The column holding the span that fills a role was called argument_id, though the argument is the
    # link (the row) and the span is its filler (GLOSSARY); the domain and the hub already say filler_id.
    # SQLite (3.25+) renames the column in the unique constraint and the index too; the index's name
    # follows.
    db.executescript(
        """
        ALTER TABLE arguments RENAME COLUMN argument_id TO filler_id;
        DROP INDEX arguments_by_argument;
        CREATE INDEX arguments_by_filler ON arguments(filler_id);
        """
    )
