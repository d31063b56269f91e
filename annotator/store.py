"""The project store: one SQLite file is one annotation project.

Every user-level write is one transaction that also appends to the action log, so the file is
always the whole truth: there is no Save button and nothing lives only in memory.
"""

from __future__ import annotations

import json
import sqlite3
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterable, Iterator

from sqlite_utils import Database

from annotator import migrations as schema
from annotator.model import (
    Argument,
    Article,
    ArticleState,
    Layer,
    Origin,
    Span,
    Status,
    content_hash,
)

BUSY_TIMEOUT_MS = 10_000


class StoreError(Exception):
    """Base class: anything the store refuses to do, with a message fit for the user."""


class NotAProjectError(StoreError):
    """The file is not an annotation project (another SQLite file, or not SQLite at all)."""


class NewerSchemaError(StoreError):
    """The file was written by a newer version of the app; it is left untouched."""


class UnknownAnnotatorError(StoreError):
    pass


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")


@dataclass
class ArticleSummary:
    """One row of the article list: enough to show it without loading the text."""

    id: int
    title: str
    state: str
    spans: int
    pending: int
    length: int


def inspect_file(path: Path) -> list[str]:
    """Check, read-only, that ``path`` is one of our projects of a version we understand.

    Returns the migrations applied in it. Raises NotAProjectError or NewerSchemaError.
    An empty or missing file is fine (a new project); nothing is ever written here.
    """
    if not path.exists() or path.stat().st_size == 0:
        return []
    uri = f"{path.resolve().as_uri()}?mode=ro"
    try:
        conn = sqlite3.connect(uri, uri=True)
    except sqlite3.Error as exc:
        raise NotAProjectError(f"{path}: cannot open: {exc}") from exc
    try:
        # A file from elsewhere is untrusted: its views and triggers must not run our functions.
        conn.execute("PRAGMA trusted_schema = OFF")
        try:
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        except sqlite3.DatabaseError as exc:
            raise NotAProjectError(
                f"{path} is not an annotation project: SQLite says {exc!s}"
            ) from exc
        if app_id != schema.APPLICATION_ID:
            if not tables:
                return []
            raise NotAProjectError(
                f"{path} is an SQLite database but not an annotation project "
                f"(application_id {app_id:#x}, tables: {', '.join(sorted(tables)[:6])}); refusing to touch it"
            )
        if schema.migrations.migrations_table not in tables:
            return []
        try:
            applied = [
                r[0]
                for r in conn.execute(
                    f"SELECT name FROM [{schema.migrations.migrations_table}] "
                    "WHERE migration_set = ? ORDER BY id",
                    [schema.MIGRATION_SET],
                )
            ]
        except sqlite3.DatabaseError as exc:
            raise NotAProjectError(f"{path}: the migration record is unreadable: {exc}") from exc
    finally:
        conn.close()
    unknown = [name for name in applied if name not in schema.KNOWN]
    if unknown:
        raise NewerSchemaError(
            f"{path} was written by a newer version of Conflict Annotator "
            f"(it has schema step {unknown[-1]}; this version knows up to {schema.KNOWN[-1]}). "
            "Upgrade the app to open it; the file was left untouched."
        )
    return applied


class Store:
    """An open project file. Use :meth:`open`; close it with :meth:`close` or a ``with`` block."""

    def __init__(self, db: Database, path: Path | None, readonly: bool = False):
        self.db = db
        self.path = path
        self.readonly = readonly
        self._annotator_ids: dict[str, int] = {}

    # -- opening -----------------------------------------------------------------------------

    @classmethod
    def open(cls, path: str | Path, *, readonly: bool = False) -> "Store":
        """Open (and upgrade) a project file, creating it if it does not exist.

        :param path: the project file
        :param readonly: open without writing anything, not even an upgrade
        """
        path = Path(path)
        applied = inspect_file(path)
        if readonly:
            if not path.exists():
                raise StoreError(f"{path}: no such project file")
            if applied != schema.KNOWN[: len(applied)] or len(applied) < len(schema.KNOWN):
                raise StoreError(
                    f"{path} needs upgrading before it can be read; open it once read-write"
                )
            conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
            conn.execute("PRAGMA trusted_schema = OFF")
            store = cls(Database(conn), path, readonly=True)
            store._configure_connection()
            return store
        path.parent.mkdir(parents=True, exist_ok=True)
        store = cls(Database(path), path)
        store._configure_connection()
        store._migrate()
        return store

    @classmethod
    def memory(cls) -> "Store":
        """A throwaway project in memory, for tests and previews."""
        store = cls(Database(memory=True), None)
        store._configure_connection()
        store._migrate()
        return store

    def _configure_connection(self) -> None:
        conn = self.db.conn
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA foreign_keys = ON")
        if not self.readonly and self.path is not None:
            self.db.enable_wal()
            # WAL with synchronous=NORMAL keeps every committed action through a crash or kill of
            # the app; only a power cut may lose the last few (SQLite's documented trade-off).
            conn.execute("PRAGMA synchronous = NORMAL")

    def _migrate(self) -> None:
        if self.db.execute("PRAGMA application_id").fetchone()[0] != schema.APPLICATION_ID:
            self.db.execute(f"PRAGMA application_id = {schema.APPLICATION_ID}")
        schema.migrations.apply(self.db)

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[Database]:
        """One atomic unit of work; nested blocks become savepoints."""
        try:
            with self.db.atomic():
                yield self.db
        except BaseException:
            # Ids cached inside a rolled-back transaction may no longer exist.
            self.forget_cached_ids()
            raise

    def forget_cached_ids(self) -> None:
        self._annotator_ids.clear()

    def schema_steps(self) -> list[str]:
        return [m.name for m in schema.migrations.applied(self.db)]

    def data_version(self) -> int:
        """Changes when another connection commits: lets a window notice a second instance."""
        return self.db.execute("PRAGMA data_version").fetchone()[0]

    # -- project settings ----------------------------------------------------------------------

    def get_setting(self, key: str, default: str | None = None) -> str | None:
        row = self.db.execute("SELECT value FROM project WHERE key = ?", [key]).fetchone()
        return row[0] if row else default

    def set_setting(self, key: str, value: str) -> None:
        with self.transaction():
            self.db.execute(
                "INSERT INTO project(key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                [key, value],
            )

    # -- annotators ----------------------------------------------------------------------------

    def ensure_annotator(self, name: str) -> int:
        """The id of annotator ``name``, adding them on first use."""
        name = name.strip()
        if not name:
            raise StoreError("an annotator needs a name")
        cached = self._annotator_ids.get(name)
        if cached is not None:
            return cached
        row = self.db.execute("SELECT id FROM annotators WHERE name = ?", [name]).fetchone()
        if row:
            self._annotator_ids[name] = row[0]
            return row[0]
        with self.transaction():
            cursor = self.db.execute(
                "INSERT INTO annotators(name, created_at) VALUES (?, ?)", [name, now()]
            )
        self._annotator_ids[name] = cursor.lastrowid
        return cursor.lastrowid

    def annotator_id(self, name: str) -> int:
        """The id of an existing annotator; raises UnknownAnnotatorError naming who exists."""
        row = self.db.execute("SELECT id FROM annotators WHERE name = ?", [name]).fetchone()
        if not row:
            known = ", ".join(self.annotator_names()) or "none yet"
            raise UnknownAnnotatorError(f"no annotator named {name!r} in this project (known: {known})")
        return row[0]

    def annotator_names(self) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT name FROM annotators ORDER BY name")]

    # -- articles ------------------------------------------------------------------------------

    def add_article(
        self,
        text: str,
        *,
        title: str | None = None,
        source: str | None = None,
        url: str | None = None,
        published: str | None = None,
        language: str | None = None,
        meta: dict[str, Any] | None = None,
    ) -> tuple[int, bool]:
        """Add an article unless one with the same text is there.

        :returns: (article id, True if it was added now)
        """
        digest = content_hash(text)
        existing = self.db.execute(
            "SELECT id FROM articles WHERE content_hash = ?", [digest]
        ).fetchone()
        if existing:
            return existing[0], False
        cursor = self.db.execute(
            "INSERT INTO articles(text, title, source, url, published, language, meta, content_hash,"
            " imported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                text,
                title,
                source,
                url,
                published,
                language,
                json.dumps(meta or {}, ensure_ascii=False, sort_keys=True),
                digest,
                now(),
            ],
        )
        return cursor.lastrowid, True

    def get_article(self, article_id: int) -> Article:
        rows = list(self.db.query("SELECT * FROM articles WHERE id = ?", [article_id]))
        if not rows:
            raise StoreError(f"no article with id {article_id}")
        return Article.from_row(rows[0])

    def update_article_meta(self, article_id: int, meta: dict[str, Any]) -> None:
        with self.transaction():
            self.db.execute("UPDATE articles SET meta = ? WHERE id = ?", [_dump(meta), article_id])

    def article_id_by_hash(self, digest: str) -> int | None:
        row = self.db.execute("SELECT id FROM articles WHERE content_hash = ?", [digest]).fetchone()
        return row[0] if row else None

    def count_articles(self) -> int:
        return self.db.execute("SELECT count(*) FROM articles").fetchone()[0]

    def iter_articles(self, ids: Iterable[int] | None = None, batch: int = 500) -> Iterator[Article]:
        """Stream articles in id order without loading them all."""
        if ids is not None:
            for article_id in ids:
                yield self.get_article(article_id)
            return
        last = 0
        while True:
            rows = list(
                self.db.query(
                    "SELECT * FROM articles WHERE id > ? ORDER BY id LIMIT ?", [last, batch]
                )
            )
            if not rows:
                return
            for row in rows:
                yield Article.from_row(row)
            last = rows[-1]["id"]

    def _article_filter(
        self,
        annotator: str,
        states: Iterable[str] | None,
        label: str | None,
        has_pending: bool | None,
        search: str | None,
    ) -> tuple[str, list[Any]]:
        me = self._annotator_ids.get(annotator) or self.ensure_annotator(annotator)
        clauses: list[str] = []
        params: list[Any] = []
        if states:
            states = list(states)
            marks = ", ".join("?" * len(states))
            clauses.append(
                f"coalesce((SELECT state FROM article_states st WHERE st.article_id = a.id "
                f"AND st.annotator_id = ?), 'todo') IN ({marks})"
            )
            params += [me, *states]
        if label:
            clauses.append(
                "EXISTS (SELECT 1 FROM spans s WHERE s.article_id = a.id AND s.label = ? "
                "AND (s.annotator_id = ? OR s.annotator_id IS NULL) AND s.status != 'rejected')"
            )
            params += [label, me]
        if has_pending is not None:
            clauses.append(("" if has_pending else "NOT ") + "EXISTS (" + _UNDECIDED_SUGGESTION + ")")
            params += [me, me]
        if search and search.strip():
            clauses.append("a.id IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?)")
            params.append(fts_query(search))
        where = " AND ".join(clauses) if clauses else "1"
        return where, params

    def count_articles_where(
        self,
        annotator: str,
        *,
        states: Iterable[str] | None = None,
        label: str | None = None,
        has_pending: bool | None = None,
        search: str | None = None,
    ) -> int:
        where, params = self._article_filter(annotator, states, label, has_pending, search)
        return self.db.execute(f"SELECT count(*) FROM articles a WHERE {where}", params).fetchone()[0]

    def list_articles(
        self,
        annotator: str,
        *,
        states: Iterable[str] | None = None,
        label: str | None = None,
        has_pending: bool | None = None,
        search: str | None = None,
        offset: int = 0,
        limit: int = 200,
    ) -> list[ArticleSummary]:
        """One page of the article list for ``annotator``, in id order, filtered."""
        me = self.ensure_annotator(annotator)
        where, params = self._article_filter(annotator, states, label, has_pending, search)
        sql = f"""
            SELECT a.id, coalesce(a.title, substr(a.text, 1, 80)) AS title,
                   coalesce(st.state, 'todo') AS state, length(a.text) AS length,
                   (SELECT count(*) FROM spans s WHERE s.article_id = a.id AND s.annotator_id = ?
                        AND s.status = 'accepted') AS spans,
                   ({_UNDECIDED_SUGGESTION.replace("SELECT 1", "SELECT count(*)", 1)}) AS pending
            FROM articles a
            LEFT JOIN article_states st ON st.article_id = a.id AND st.annotator_id = ?
            WHERE {where}
            ORDER BY a.id LIMIT ? OFFSET ?
        """
        rows = self.db.execute(sql, [me, me, me, me, *params, limit, offset]).fetchall()
        return [
            ArticleSummary(id=r[0], title=r[1].splitlines()[0] if r[1] else "", state=r[2],
                           length=r[3], spans=r[4], pending=r[5])
            for r in rows
        ]

    def next_article_id(self, annotator: str, after: int | None = None) -> int | None:
        """The next article (by id) that ``annotator`` has not finished, wrapping around."""
        me = self.ensure_annotator(annotator)
        sql = (
            "SELECT a.id FROM articles a LEFT JOIN article_states st "
            "ON st.article_id = a.id AND st.annotator_id = ? "
            "WHERE coalesce(st.state, 'todo') IN ('todo', 'in_progress') AND a.id > ? "
            "ORDER BY a.id LIMIT 1"
        )
        row = self.db.execute(sql, [me, after or 0]).fetchone()
        if row is None and after:
            row = self.db.execute(sql, [me, 0]).fetchone()
        return row[0] if row else None

    # -- spans ---------------------------------------------------------------------------------

    def _span_select(self) -> str:
        return (
            "SELECT s.*, an.name AS annotator FROM spans s "
            "LEFT JOIN annotators an ON an.id = s.annotator_id "
        )

    def get_span(self, span_id: int) -> Span:
        rows = list(self.db.query(self._span_select() + "WHERE s.id = ?", [span_id]))
        if not rows:
            raise StoreError(f"no span with id {span_id}")
        return Span.from_row(rows[0])

    def spans_for(self, article_id: int, annotator: str | None = None, *,
                  within: tuple[int, int] | None = None) -> list[Span]:
        """What ``annotator`` sees on an article: their own spans plus the suggestions they have not
        decided (and that do not repeat one of their spans). ``annotator=None``: every span.

        :param within: only spans overlapping offsets ``[start, end)`` (the window refreshes just
            the stretch an edit touched)
        """
        overlap = "" if within is None else f" AND s.start_char < {int(within[1])} AND s.end_char > {int(within[0])}"
        if annotator is None:
            sql = (self._span_select() + "WHERE s.article_id = ?" + overlap
                   + " ORDER BY s.start_char, s.end_char DESC, s.id")
            return self._spans(sql, [article_id])
        me = self.ensure_annotator(annotator)
        sql = (
            self._span_select()
            + "WHERE s.article_id = :article" + overlap + " AND (s.annotator_id = :me OR (s.annotator_id IS NULL"
            " AND s.status = 'pending'"
            " AND NOT EXISTS (SELECT 1 FROM spans d WHERE d.suggestion_id = s.id AND d.annotator_id = :me)"
            " AND NOT EXISTS (SELECT 1 FROM spans m WHERE m.article_id = s.article_id"
            "   AND m.annotator_id = :me AND m.start_char = s.start_char AND m.end_char = s.end_char"
            "   AND m.label = s.label)))"
            " ORDER BY s.start_char, s.end_char DESC, s.id"
        )
        return self._spans(sql, {"article": article_id, "me": me})

    def _spans(self, sql: str, params) -> list[Span]:
        cursor = self.db.conn.execute(sql, params)
        columns = [d[0] for d in cursor.description]
        return [Span.from_row(dict(zip(columns, row))) for row in cursor]

    def add_span(
        self,
        article_id: int,
        start_char: int,
        end_char: int,
        label: str,
        layer: Layer | str,
        *,
        annotator: str | None,
        origin: Origin | str = Origin.MANUAL,
        status: Status | str = Status.ACCEPTED,
        attributes: dict[str, Any] | None = None,
        source: str | None = None,
        score: float | None = None,
        suggestion_id: int | None = None,
        log: bool = True,
    ) -> int:
        """Add one span; ``annotator=None`` makes it a suggestion shared by everybody.

        :raises StoreError: offsets outside the article text or empty
        """
        length = self.db.execute("SELECT length(text) FROM articles WHERE id = ?", [article_id]).fetchone()
        if length is None:
            raise StoreError(f"no article with id {article_id}")
        if not (0 <= start_char < end_char <= length[0]):
            raise StoreError(
                f"span {start_char}-{end_char} is outside article {article_id} (length {length[0]})"
            )
        annotator_id = self.ensure_annotator(annotator) if annotator else None
        stamp = now()
        with self.transaction():
            cursor = self.db.execute(
                "INSERT INTO spans(article_id, annotator_id, start_char, end_char, label, layer, origin,"
                " status, attributes, source, score, suggestion_id, created_at, updated_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    article_id,
                    annotator_id,
                    start_char,
                    end_char,
                    label,
                    str(Layer(layer)),
                    str(Origin(origin)),
                    str(Status(status)),
                    _dump(attributes),
                    source,
                    score,
                    suggestion_id,
                    stamp,
                    stamp,
                ],
            )
            span_id = cursor.lastrowid
            if log and annotator_id is not None:
                self._log(annotator_id, article_id, "add_span",
                          {"span": span_id, "start": start_char, "end": end_char, "label": label})
        return span_id

    def add_spans(
        self,
        article_id: int,
        spans: Iterable[dict[str, Any]],
        *,
        annotator: str | None,
        origin: Origin | str,
        status: Status | str,
    ) -> list[int]:
        """Add many spans to one article in one transaction (imports, suggestions).

        Each dict has ``start_char``, ``end_char``, ``label``, ``layer`` and optionally ``attributes``,
        ``source``, ``score``. Offsets are checked against the text as in :meth:`add_span`.
        """
        row = self.db.execute("SELECT length(text) FROM articles WHERE id = ?", [article_id]).fetchone()
        if row is None:
            raise StoreError(f"no article with id {article_id}")
        length = row[0]
        annotator_id = self.ensure_annotator(annotator) if annotator else None
        origin, status, stamp = str(Origin(origin)), str(Status(status)), now()
        ids = []
        insert = (
            "INSERT INTO spans(article_id, annotator_id, start_char, end_char, label, layer, origin, status,"
            " attributes, source, score, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        )
        with self.transaction():
            for span in spans:
                start, end = span["start_char"], span["end_char"]
                if not (0 <= start < end <= length):
                    raise StoreError(f"span {start}-{end} is outside article {article_id} (length {length})")
                cursor = self.db.conn.execute(insert, [
                    article_id, annotator_id, start, end, span["label"], str(Layer(span["layer"])), origin,
                    status, _dump(span.get("attributes")), span.get("source"), span.get("score"), stamp, stamp,
                ])
                ids.append(cursor.lastrowid)
        return ids

    def update_span(self, span_id: int, actor: str | None = None, **changes: Any) -> dict[str, Any]:
        """Change fields of a span (label, start_char, end_char, status, attributes, layer).

        :returns: the previous values of the changed fields, for undo
        """
        allowed = {"label", "start_char", "end_char", "status", "attributes", "layer", "origin"}
        bad = set(changes) - allowed
        if bad:
            raise StoreError(f"cannot change {', '.join(sorted(bad))} of a span")
        before = self.get_span(span_id)
        previous = {key: getattr(before, key) for key in changes}
        values = {
            key: (_dump(value) if key == "attributes" else str(value) if key in {"status", "layer", "origin"} else value)
            for key, value in changes.items()
        }
        start = values.get("start_char", before.start_char)
        end = values.get("end_char", before.end_char)
        length = self.db.execute(
            "SELECT length(text) FROM articles WHERE id = ?", [before.article_id]
        ).fetchone()[0]
        if not (0 <= start < end <= length):
            raise StoreError(f"span {start}-{end} is outside article {before.article_id} (length {length})")
        assignments = ", ".join(f"{key} = ?" for key in values)
        with self.transaction():
            self.db.execute(
                f"UPDATE spans SET {assignments}, updated_at = ? WHERE id = ?",
                [*values.values(), now(), span_id],
            )
            if actor:
                self._log(self.ensure_annotator(actor), before.article_id, "update_span",
                          {"span": span_id, "changes": _jsonable(changes)})
        return previous

    def delete_span(self, span_id: int, actor: str | None = None) -> dict[str, Any]:
        """Delete a span and its argument links.

        :returns: a snapshot that :meth:`restore_span` puts back exactly (same ids)
        """
        with self.transaction():
            row = self.db.execute("SELECT * FROM spans WHERE id = ?", [span_id]).fetchone()
            if row is None:
                raise StoreError(f"no span with id {span_id}")
            columns = [d[0] for d in self.db.execute("SELECT * FROM spans LIMIT 0").description]
            span_row = dict(zip(columns, row))
            arg_rows = [
                dict(r)
                for r in self.db.query(
                    "SELECT * FROM arguments WHERE event_id = ? OR argument_id = ?", [span_id, span_id]
                )
            ]
            decided = [
                r[0] for r in self.db.execute("SELECT id FROM spans WHERE suggestion_id = ?", [span_id])
            ]
            self.db.execute("DELETE FROM spans WHERE id = ?", [span_id])
            if actor:
                self._log(self.ensure_annotator(actor), span_row["article_id"], "delete_span",
                          {"span": span_id, "label": span_row["label"]})
        return {"span": span_row, "arguments": arg_rows, "decided": decided}

    def restore_span(self, snapshot: dict[str, Any], actor: str | None = None) -> int:
        """Undo :meth:`delete_span`: the span, its ids, its argument links come back."""
        span_row = snapshot["span"]
        with self.transaction():
            self.db["spans"].insert(span_row)
            for arg in snapshot["arguments"]:
                self.db["arguments"].insert(arg)
            for decided_id in snapshot.get("decided", []):
                self.db.execute(
                    "UPDATE spans SET suggestion_id = ? WHERE id = ?", [span_row["id"], decided_id]
                )
            if actor:
                self._log(self.ensure_annotator(actor), span_row["article_id"], "restore_span",
                          {"span": span_row["id"]})
        return span_row["id"]

    def decide_suggestion(self, suggestion_id: int, annotator: str, status: Status | str) -> list[int]:
        """Accept or reject a shared suggestion for ``annotator``: their layer gets a decided copy.

        Accepting an event also accepts the suggested spans filling its arguments, with the links.
        :returns: the ids of the spans created (delete them to undo)
        """
        status = Status(status)
        suggestion = self.get_span(suggestion_id)
        if not suggestion.is_suggestion:
            raise StoreError(f"span {suggestion_id} is not a suggestion")
        if self._decided_copy(suggestion_id, annotator) is not None:
            # Another window (or an event's acceptance) got there first; a second copy would
            # double the span in this annotator's work.
            raise StoreError(f"{annotator} has already decided suggestion {suggestion_id} "
                             f"({suggestion.label} at {suggestion.start_char}-{suggestion.end_char})")
        created: list[int] = []
        with self.transaction():
            copy_id = self._copy_suggestion(suggestion, annotator, status)
            created.append(copy_id)
            if status is Status.ACCEPTED and suggestion.layer is Layer.EVENT:
                for arg in self.arguments_of(suggestion_id):
                    target = self.get_span(arg.argument_id)
                    if target.is_suggestion:
                        mine = self._decided_copy(target.id, annotator)
                        if mine is None:
                            mine = self._copy_suggestion(target, annotator, Status.ACCEPTED)
                            created.append(mine)
                        elif self.get_span(mine).status is Status.REJECTED:
                            continue
                        self.add_argument(copy_id, mine, arg.role, log=False)
                    else:
                        self.add_argument(copy_id, target.id, arg.role, log=False)
            self._log(self.ensure_annotator(annotator), suggestion.article_id,
                      "accept" if status is Status.ACCEPTED else "reject",
                      {"suggestion": suggestion_id, "spans": created})
        return created

    def _decided_copy(self, suggestion_id: int, annotator: str) -> int | None:
        row = self.db.execute(
            "SELECT id FROM spans WHERE suggestion_id = ? AND annotator_id = ?",
            [suggestion_id, self.ensure_annotator(annotator)],
        ).fetchone()
        return row[0] if row else None

    def _copy_suggestion(self, suggestion: Span, annotator: str, status: Status) -> int:
        return self.add_span(
            suggestion.article_id,
            suggestion.start_char,
            suggestion.end_char,
            suggestion.label,
            suggestion.layer,
            annotator=annotator,
            origin=suggestion.origin,
            status=status,
            attributes=suggestion.attributes,
            source=suggestion.source,
            score=suggestion.score,
            suggestion_id=suggestion.id,
            log=False,
        )

    # -- event arguments -----------------------------------------------------------------------

    def add_argument(self, event_id: int, argument_id: int, role: str, *, actor: str | None = None,
                     log: bool = True, argument_link_id: int | None = None) -> int:
        """Link event span ``event_id`` to the span filling ``role``."""
        event = self.get_span(event_id)
        if event.layer is not Layer.EVENT:
            raise StoreError(f"span {event_id} ({event.label}) is not an event")
        other = self.get_span(argument_id)
        if other.article_id != event.article_id:
            raise StoreError("an event argument must be in the same article as its event")
        with self.transaction():
            cursor = self.db.execute(
                "INSERT INTO arguments(id, event_id, argument_id, role, created_at) VALUES (?, ?, ?, ?, ?)"
                " ON CONFLICT(event_id, argument_id, role) DO UPDATE SET role = excluded.role RETURNING id",
                [argument_link_id, event_id, argument_id, role, now()],
            )
            link_id = cursor.fetchone()[0]
            if log and actor:
                self._log(self.ensure_annotator(actor), event.article_id, "add_argument",
                          {"event": event_id, "argument": argument_id, "role": role})
        return link_id

    def delete_argument(self, link_id: int, actor: str | None = None) -> Argument:
        """Remove one event-argument link; returns it so undo can put it back."""
        link = self.get_argument(link_id)
        with self.transaction():
            self.db.execute("DELETE FROM arguments WHERE id = ?", [link_id])
            if actor:
                article_id = self.get_span(link.event_id).article_id
                self._log(self.ensure_annotator(actor), article_id, "delete_argument",
                          {"event": link.event_id, "argument": link.argument_id, "role": link.role})
        return link

    def get_argument(self, link_id: int) -> Argument:
        row = self.db.execute(
            "SELECT id, event_id, argument_id, role, created_at FROM arguments WHERE id = ?", [link_id]
        ).fetchone()
        if row is None:
            raise StoreError(f"no event argument with id {link_id}")
        return Argument(*row)

    def arguments_of(self, event_id: int) -> list[Argument]:
        return [
            Argument(*r)
            for r in self.db.execute(
                "SELECT id, event_id, argument_id, role, created_at FROM arguments WHERE event_id = ? ORDER BY id",
                [event_id],
            )
        ]

    def arguments_for(self, article_id: int) -> list[Argument]:
        return [
            Argument(*r)
            for r in self.db.execute(
                "SELECT g.id, g.event_id, g.argument_id, g.role, g.created_at FROM arguments g"
                " JOIN spans s ON s.id = g.event_id WHERE s.article_id = ? ORDER BY g.id",
                [article_id],
            )
        ]

    # -- article states ------------------------------------------------------------------------

    def get_state(self, article_id: int, annotator: str) -> tuple[ArticleState, str | None, float]:
        row = self.db.execute(
            "SELECT state, note, seconds FROM article_states WHERE article_id = ? AND annotator_id = ?",
            [article_id, self.ensure_annotator(annotator)],
        ).fetchone()
        if row is None:
            return ArticleState.TODO, None, 0.0
        return ArticleState(row[0]), row[1], row[2]

    def set_state(self, article_id: int, annotator: str, state: ArticleState | str,
                  note: str | None = None) -> tuple[ArticleState, str | None]:
        """Set ``annotator``'s state of an article; returns the previous (state, note) for undo."""
        state = ArticleState(state)
        me = self.ensure_annotator(annotator)
        previous_state, previous_note, _ = self.get_state(article_id, annotator)
        with self.transaction():
            self.db.execute(
                "INSERT INTO article_states(article_id, annotator_id, state, note, updated_at)"
                " VALUES (?, ?, ?, ?, ?) ON CONFLICT(article_id, annotator_id)"
                " DO UPDATE SET state = excluded.state, note = excluded.note, updated_at = excluded.updated_at",
                [article_id, me, str(state), note, now()],
            )
            self._log(me, article_id, "set_state", {"state": str(state), "note": note})
        return previous_state, previous_note

    def add_seconds(self, article_id: int, annotator: str, seconds: float) -> None:
        """Add time spent on an article (the window calls this as the annotator moves on)."""
        if seconds <= 0:
            return
        me = self.ensure_annotator(annotator)
        with self.transaction():
            self.db.execute(
                "INSERT INTO article_states(article_id, annotator_id, state, seconds, updated_at)"
                " VALUES (?, ?, 'in_progress', ?, ?) ON CONFLICT(article_id, annotator_id)"
                " DO UPDATE SET seconds = seconds + excluded.seconds, updated_at = excluded.updated_at",
                [article_id, me, seconds, now()],
            )

    # -- the action log ------------------------------------------------------------------------

    def _log(self, annotator_id: int | None, article_id: int | None, action: str,
             detail: dict[str, Any] | None = None) -> None:
        self.db.execute(
            "INSERT INTO actions(at, annotator_id, article_id, action, detail) VALUES (?, ?, ?, ?, ?)",
            [now(), annotator_id, article_id, action, _dump(detail)],
        )

    def log_action(self, annotator: str, action: str, article_id: int | None = None,
                   detail: dict[str, Any] | None = None) -> None:
        """Record something the annotator did that is not itself a data change (e.g. undo)."""
        with self.transaction():
            self._log(self.ensure_annotator(annotator), article_id, action, detail)

    def actions_for(self, article_id: int | None = None) -> list[dict[str, Any]]:
        sql = ("SELECT x.id, x.at, an.name AS annotator, x.article_id, x.action, x.detail FROM actions x"
               " LEFT JOIN annotators an ON an.id = x.annotator_id")
        params: list[Any] = []
        if article_id is not None:
            sql += " WHERE x.article_id = ?"
            params.append(article_id)
        rows = list(self.db.query(sql + " ORDER BY x.id", params))
        for row in rows:
            row["detail"] = json.loads(row["detail"])
        return rows

    # -- statistics ----------------------------------------------------------------------------

    def stats(self) -> dict[str, Any]:
        """Counts for ``annotator stats``; ``articles`` and ``spans`` are the two totals."""
        q = self.db.execute
        by = lambda sql: list(self.db.query(sql))  # noqa: E731 - grouped counts as dicts
        return {
            "articles": q("SELECT count(*) FROM articles").fetchone()[0],
            "spans": q("SELECT count(*) FROM spans").fetchone()[0],
            "annotators": self.annotator_names(),
            "spans_by_layer": dict(q("SELECT layer, count(*) FROM spans GROUP BY layer ORDER BY layer").fetchall()),
            "spans_by_status": dict(q("SELECT status, count(*) FROM spans GROUP BY status ORDER BY status").fetchall()),
            "spans_by_origin": dict(q("SELECT origin, count(*) FROM spans GROUP BY origin ORDER BY origin").fetchall()),
            "spans_by_label": by(
                "SELECT layer, label, status, count(*) AS count FROM spans GROUP BY layer, label, status"
                " ORDER BY layer, label, status"
            ),
            "spans_by_annotator": by(
                "SELECT coalesce(an.name, '(suggestions)') AS annotator, s.status, count(*) AS count"
                " FROM spans s LEFT JOIN annotators an ON an.id = s.annotator_id"
                " GROUP BY an.name, s.status ORDER BY an.name, s.status"
            ),
            "article_states": by(
                "SELECT an.name AS annotator, st.state, count(*) AS count FROM article_states st"
                " JOIN annotators an ON an.id = st.annotator_id GROUP BY an.name, st.state"
                " ORDER BY an.name, st.state"
            ),
            "event_arguments": q("SELECT count(*) FROM arguments").fetchone()[0],
        }

    # --- added on branch importers: moves into the store package on merge ---

    def own_spans(self, article_id: int, annotator: str) -> list[Span]:
        """``annotator``'s own spans on an article, whatever their status, oldest first.

        :param article_id: the article
        :param annotator: whose spans (an unknown name has none; it is not added)
        """
        return self._spans(self._span_select() + "WHERE s.article_id = ? AND an.name = ? ORDER BY s.id",
                           [article_id, annotator])

    def find_argument(self, event_id: int, argument_id: int, role: str) -> int | None:
        """The id of the link from ``event_id`` to ``argument_id`` in ``role``, or None.

        :param event_id: the event span
        :param argument_id: the span filling the role
        :param role: the role's name
        """
        row = self.db.execute("SELECT id FROM arguments WHERE event_id = ? AND argument_id = ? AND role = ?",
                              [event_id, argument_id, role]).fetchone()
        return row[0] if row else None

    def has_imported_suggestions(self, article_id: int) -> bool:
        """Whether an import already put shared suggestions on the article.

        :param article_id: the article
        """
        return self.db.execute(
            "SELECT 1 FROM spans WHERE article_id = ? AND annotator_id IS NULL AND origin = 'imported' LIMIT 1",
            [article_id],
        ).fetchone() is not None

    def has_work(self, article_id: int, annotator: str) -> bool:
        """Whether ``annotator`` has any span or a state on the article.

        :param article_id: the article
        :param annotator: the annotator's name (an unknown name has no work; it is not added)
        """
        return self.db.execute(
            "SELECT 1 FROM annotators an WHERE an.name = ? AND (EXISTS (SELECT 1 FROM spans s WHERE"
            " s.article_id = ? AND s.annotator_id = an.id) OR EXISTS (SELECT 1 FROM article_states st"
            " WHERE st.article_id = ? AND st.annotator_id = an.id))",
            [annotator, article_id, article_id],
        ).fetchone() is not None


# A suggestion on article ``a`` that annotator ``?`` (twice) has neither decided nor repeated.
_UNDECIDED_SUGGESTION = (
    "SELECT 1 FROM spans s WHERE s.article_id = a.id AND s.annotator_id IS NULL AND s.status = 'pending'"
    " AND NOT EXISTS (SELECT 1 FROM spans d WHERE d.suggestion_id = s.id AND d.annotator_id = ?)"
    " AND NOT EXISTS (SELECT 1 FROM spans m WHERE m.article_id = s.article_id AND m.annotator_id = ?"
    "   AND m.start_char = s.start_char AND m.end_char = s.end_char AND m.label = s.label)"
)


def fts_query(text: str) -> str:
    """Turn what a user typed into an FTS5 query of quoted terms, so punctuation cannot break it."""
    terms = [t.replace('"', '""') for t in text.split()]
    return " ".join(f'"{t}"' for t in terms if t)


def _dump(value: dict[str, Any] | None) -> str:
    if not value:
        return "{}"
    return json.dumps(value or {}, ensure_ascii=False, sort_keys=True)


def _jsonable(changes: dict[str, Any]) -> dict[str, Any]:
    return {k: (str(v) if hasattr(v, "value") else v) for k, v in changes.items()}
