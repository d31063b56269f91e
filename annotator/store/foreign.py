"""Read another project file (a colleague's copy) without trusting it.

The file is opened read-only with ``trusted_schema`` off (its views and triggers cannot run our
functions) and ``query_only`` on, checked to be one of our projects of a version we know and to have
our tables as tables, and read with plain SELECTs of plain columns. What comes back are the raw
values, unchecked: deciding whether they make sense (offsets inside the text, known states) is the
merge's job, which names the table, row and column of anything wrong.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from annotator.store.errors import StoreError
from annotator.store.project import inspect_file, open_readonly

# The tables a merge reads; all exist with these columns since 0001_initial.
TABLES = ("annotators", "articles", "spans", "arguments", "article_states")


class ForeignFileError(StoreError):
    """Another project file that cannot be read as one of ours; the message names the file."""


class AnnotatorRow(NamedTuple):
    id: Any
    name: Any


class ArticleRow(NamedTuple):
    id: Any
    text: Any
    title: Any
    source: Any  # the outlet
    url: Any
    published: Any
    language: Any
    meta: Any  # JSON text


class SpanRow(NamedTuple):
    id: Any
    article_id: Any
    annotator_id: Any
    start_char: Any
    end_char: Any
    label: Any
    layer: Any
    origin: Any
    status: Any
    attributes: Any  # JSON text
    source: Any  # the suggester's name and version
    score: Any


class ArgumentRow(NamedTuple):
    id: Any
    event_id: Any
    filler_id: Any
    role: Any


class StateRow(NamedTuple):
    article_id: Any
    annotator_id: Any
    state: Any
    note: Any


@dataclass
class ForeignRows:
    """Everything a merge may take from another project file, as stored there."""

    annotators: list[AnnotatorRow] = field(default_factory=list)
    articles: list[ArticleRow] = field(default_factory=list)  # by id
    spans: list[SpanRow] = field(default_factory=list)  # annotators' own spans only, by id
    arguments: list[ArgumentRow] = field(default_factory=list)  # by id
    states: list[StateRow] = field(default_factory=list)  # by article, then annotator
    # The arguments' filler column as that file names it, for errors that point into it.
    filler_column: str = "filler_id"


def _filler_column(conn: sqlite3.Connection) -> str:
    """The arguments' filler column: ``filler_id``, or ``argument_id`` in a file made before migration
    0011 (a colleague's older copy is merged as it is, without upgrading it)."""
    columns = {row[1] for row in conn.execute("PRAGMA table_info(arguments)")}
    return "filler_id" if "filler_id" in columns else "argument_id"


def read_foreign_rows(path: Path, limits: dict[tuple[str, str], int] | None = None) -> ForeignRows:
    """Read another project file's rows, changing nothing in it.

    :param path: the other project file
    :param limits: the most characters (table, column) may hold; a longer value is refused before
        any row is read, so a file made to exhaust memory is never loaded
    :raises NotAProjectError: not one of our projects
    :raises NewerSchemaError: written by a newer version of the app
    :raises ForeignFileError: no schema steps, a table replaced by a view, or unreadable
    """
    if not inspect_file(path, foreign=True):
        raise ForeignFileError(f"{path} is not an annotation project (it has none of our schema steps)")
    conn = open_readonly(path, foreign=True)
    try:
        conn.execute("PRAGMA query_only = ON")
        kinds = dict(conn.execute("SELECT name, type FROM sqlite_master WHERE name IN (%s)"
                                  % ",".join("?" * len(TABLES)), TABLES).fetchall())
        for table in TABLES:
            if kinds.get(table) != "table":
                # A view of the same name could show anything; only real tables are read.
                raise ForeignFileError(f"{path}: {table!r} is {kinds.get(table) or 'missing'}, not a table;"
                                       " refusing a file that does not have our layout")
        for (table, column), limit in (limits or {}).items():
            if table not in TABLES or not column.isidentifier():
                raise ValueError(f"not a column read by a merge: {table}.{column}")
            found = conn.execute(f"SELECT rowid, length({column}) FROM {table} WHERE length({column}) > ? LIMIT 1",
                                 [limit]).fetchone()
            if found:
                raise ForeignFileError(f"{path}: table {table}, row {found[0]}: {column}: {found[1]:,} characters, "
                                       f"more than the {limit:,} a merge takes")
        filler_column = _filler_column(conn)
        return ForeignRows(
            annotators=[AnnotatorRow(*r) for r in conn.execute("SELECT id, name FROM annotators")],
            articles=[ArticleRow(*r) for r in conn.execute(
                "SELECT id, text, title, source, url, published, language, meta FROM articles ORDER BY id")],
            # Suggestions belong to nobody: a merge brings annotators' decisions, not proposals.
            spans=[SpanRow(*r) for r in conn.execute(
                "SELECT id, article_id, annotator_id, start_char, end_char, label, layer, origin, status,"
                " attributes, source, score FROM spans WHERE annotator_id IS NOT NULL ORDER BY id")],
            arguments=[ArgumentRow(*r) for r in conn.execute(
                f"SELECT id, event_id, {filler_column}, role FROM arguments ORDER BY id")],
            states=[StateRow(*r) for r in conn.execute(
                "SELECT article_id, annotator_id, state, note FROM article_states"
                " ORDER BY article_id, annotator_id")],
            filler_column=filler_column,
        )
    except sqlite3.DatabaseError as exc:
        raise ForeignFileError(f"{path}: unreadable as a project: {exc}") from exc
    finally:
        conn.close()
