"""The project file itself: opening (read-only checks first), upgrading, transactions, settings,
annotators. The other store modules add what the file keeps on top of this base."""

from __future__ import annotations

import json
import sqlite3
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterator



from annotator.store import migrations as schema
from annotator.store._sqlite import Database
from annotator.store.errors import (
    BusyError,
    CannotOpenError,
    NewerSchemaError,
    NotAProjectError,
    NotFoundError,
    StoreError,
    UnknownAnnotatorError,
)

BUSY_TIMEOUT_MS = 10_000


def now() -> str:
    """The time stamp every stored change carries: UTC, ISO 8601, milliseconds."""
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")


def dump(value: dict[str, Any] | None) -> str:
    """A JSON object column's stored form: keys sorted, so equal values compare equal as text."""
    if not value:
        return "{}"
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


# SQLite's limit on "?" per statement is 999 in older builds: lists of ids go in pieces below it.
IDS_PER_QUERY = 900


def chunked(ids: list) -> Iterator[list]:
    """``ids`` in pieces small enough for one ``IN (?, ...)`` each."""
    for start in range(0, len(ids), IDS_PER_QUERY):
        yield ids[start : start + IDS_PER_QUERY]


def open_readonly(path: Path) -> sqlite3.Connection:
    """A read-only connection to a file from elsewhere: its views and triggers must not run our code."""
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    conn.execute("PRAGMA trusted_schema = OFF")
    return conn


def inspect_file(path: Path) -> list[str]:
    """Check, read-only, that ``path`` is one of our projects of a version we understand.

    :param path: the file to look at; an empty or missing file is fine (a new project)
    :returns: the migrations applied in it
    :raises NotAProjectError: another SQLite file, or not SQLite at all
    :raises NewerSchemaError: written by a newer version of the app
    """
    if not path.exists() or path.stat().st_size == 0:
        return []
    try:
        conn = open_readonly(path)
    except sqlite3.Error as exc:
        raise NotAProjectError(f"{path}: cannot open: {exc}") from exc
    try:
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


class ProjectFile:
    """An open project file. Use :meth:`open`; close it with :meth:`close` or a ``with`` block.

    The connection is private: everything the rest of the app reads or writes goes through a named
    method, so another backend (a shared server database) can offer the same methods.
    """

    def __init__(self, db: Database, path: Path | None, readonly: bool = False):
        self._db = db
        self.path = path
        self.readonly = readonly
        self._annotator_ids: dict[str, int] = {}

    # -- opening -----------------------------------------------------------------------------

    @classmethod
    def open(cls, path: str | Path, *, readonly: bool = False, create: bool = True):
        """Open (and upgrade) a project file.

        :param path: the project file
        :param readonly: open without writing anything, not even an upgrade
        :param create: make a new project when there is no file (else NotFoundError)
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
            store = cls(Database(open_readonly(path)), path, readonly=True)
            store._configure_connection()
            return store
        if not create and not path.exists():
            raise NotFoundError(f"no project at {path}")
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            store = cls(Database(path), path)
            store._configure_connection()
            store._migrate()
        except sqlite3.OperationalError as exc:  # "unable to open database file", "disk I/O error"
            raise CannotOpenError(f"SQLite cannot open {path}: {exc}") from exc
        return store

    @classmethod
    def memory(cls):
        """A throwaway project in memory, for tests and previews."""
        store = cls(Database(memory=True), None)
        store._configure_connection()
        store._migrate()
        return store

    def _configure_connection(self) -> None:
        conn = self._db.conn
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA foreign_keys = ON")
        if not self.readonly and self.path is not None:
            self._db.enable_wal()
            # WAL with synchronous=NORMAL keeps every committed action through a crash or kill of
            # the app; only a power cut may lose the last few (SQLite's documented trade-off).
            conn.execute("PRAGMA synchronous = NORMAL")

    def _migrate(self) -> None:
        if self._db.execute("PRAGMA application_id").fetchone()[0] != schema.APPLICATION_ID:
            self._db.execute(f"PRAGMA application_id = {schema.APPLICATION_ID}")
        schema.migrations.apply(self._db)

    def close(self) -> None:
        self._db.close()
        self._closed = True

    _closed = False

    @property
    def is_open(self) -> bool:
        return not self._closed

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One atomic unit of work; nested blocks become savepoints."""
        try:
            if self._immediate and not self._db.conn.in_transaction:
                # The write lock first (its wait is the busy timeout), then atomic() nests a savepoint.
                self._db.conn.execute("BEGIN IMMEDIATE")
                try:
                    with self._db.atomic():
                        yield
                    self._db.conn.execute("COMMIT")
                except BaseException:
                    if self._db.conn.in_transaction:
                        self._db.conn.execute("ROLLBACK")
                    raise
            else:
                with self._db.atomic():
                    yield
        except sqlite3.OperationalError as exc:
            self.forget_cached_ids()
            if "locked" in str(exc) or "busy" in str(exc):  # SQLITE_BUSY, SQLITE_BUSY_SNAPSHOT
                raise BusyError(f"{self.path or 'the project'} is being written by another program: {exc}") from exc
            raise
        except BaseException:
            # Ids cached inside a rolled-back transaction may no longer exist.
            self.forget_cached_ids()
            raise

    _immediate = False

    def begin_writes_immediately(self, on: bool) -> None:
        """Start each outermost transaction with BEGIN IMMEDIATE (the window's writes): waiting for the
        lock then counts against the busy timeout, instead of failing at once when another program
        committed between this transaction's first read and its first write."""
        self._immediate = on

    def set_busy_timeout(self, milliseconds: int) -> None:
        """How long a write waits for another connection's lock before :class:`BusyError` (default
        BUSY_TIMEOUT_MS). The window uses a short one: it must not freeze, and retries instead."""
        self._db.conn.execute(f"PRAGMA busy_timeout = {int(milliseconds)}")

    def set_autocheckpoint(self, pages: int) -> None:
        """After how many WAL pages a commit of this connection copies them into the file (SQLite's
        default 1000; 0: never, leaving it to the other connections and to the last one to close).
        The window uses 0: that copy ends in an fsync, seconds on a disk another program keeps busy."""
        self._db.conn.execute(f"PRAGMA wal_autocheckpoint = {int(pages)}")

    def forget_cached_ids(self) -> None:
        self._annotator_ids.clear()

    def schema_steps(self) -> list[str]:
        """The numbered migrations recorded in the file, in order."""
        return [m.name for m in schema.migrations.applied(self._db)]

    def data_version(self) -> int:
        """Changes when another connection commits: lets a window notice a second instance."""
        return self._db.execute("PRAGMA data_version").fetchone()[0]

    def pragma(self, name: str) -> Any:
        """One connection setting (``journal_mode``, ``foreign_keys``), for diagnostics."""
        if not name.isidentifier():
            raise StoreError(f"not a pragma name: {name!r}")
        return self._db.execute(f"PRAGMA {name}").fetchone()[0]

    # -- project settings ----------------------------------------------------------------------

    def get_setting(self, key: str, default: str | None = None) -> str | None:
        """A project-wide setting (``scheme``, ...).

        :param key: the setting's name
        :param default: returned when it was never set
        """
        row = self._db.execute("SELECT value FROM project WHERE key = ?", [key]).fetchone()
        return row[0] if row else default

    def set_setting(self, key: str, value: str) -> None:
        """Store a project-wide setting.

        :param key: the setting's name
        :param value: its new value
        """
        with self.transaction():
            self._db.execute(
                "INSERT INTO project(key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                [key, value],
            )

    # -- annotators ----------------------------------------------------------------------------

    def ensure_annotator(self, name: str) -> int:
        """The id of annotator ``name``, adding them on first use.

        :param name: the annotator's name (surrounding spaces are dropped)
        """
        name = name.strip()
        if not name:
            raise StoreError("an annotator needs a name")
        cached = self._annotator_ids.get(name)
        if cached is not None:
            return cached
        row = self._db.execute("SELECT id FROM annotators WHERE name = ?", [name]).fetchone()
        if row:
            self._annotator_ids[name] = row[0]
            return row[0]
        with self.transaction():
            cursor = self._db.execute(
                "INSERT INTO annotators(name, created_at) VALUES (?, ?)", [name, now()]
            )
        self._annotator_ids[name] = cursor.lastrowid
        return cursor.lastrowid

    def annotator_id(self, name: str) -> int:
        """The id of an existing annotator.

        :param name: the annotator's name
        :raises UnknownAnnotatorError: naming who exists
        """
        row = self._db.execute("SELECT id FROM annotators WHERE name = ?", [name]).fetchone()
        if not row:
            known = ", ".join(self.annotator_names()) or "none yet"
            raise UnknownAnnotatorError(f"no annotator named {name!r} in this project (known: {known})")
        return row[0]

    def annotator_names(self) -> list[str]:
        """Everyone who has ever worked in the project, by name."""
        return [r[0] for r in self._db.execute("SELECT name FROM annotators ORDER BY name")]

    def annotator_ids_by_name(self) -> dict[str, int]:
        """Every annotator's id, by name."""
        return {name: annotator_id for annotator_id, name in self._db.execute("SELECT id, name FROM annotators")}
