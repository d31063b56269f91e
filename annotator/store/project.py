"""The project file itself: opening (read-only checks first), upgrading, transactions, settings,
annotators. The other store modules add what the file keeps on top of this base."""

from __future__ import annotations

import json
import os
import sqlite3
import time
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from annotator.domain import BLIND_SHARE_SETTING, is_blind
from annotator.store import migrations as schema
from annotator.store._sqlite import Database
from annotator.store.errors import (
    BusyError,
    CannotOpenError,
    DiskFullError,
    NewerSchemaError,
    NotAProjectError,
    NotFoundError,
    ReadOnlyError,
    StoreError,
)

BUSY_TIMEOUT_MS = 10_000
# How long a writer that can say it is waiting (``ProjectFile.on_write_wait``) waits silently for
# another program's transaction before saying so; after that it waits as long as it takes.
QUIET_WAIT_MS = 500

# SQLite's primary result codes that get a sentence of their own instead of a traceback.
_SQLITE_BUSY, _SQLITE_LOCKED, _SQLITE_READONLY, _SQLITE_FULL = 5, 6, 8, 13


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


def _result_code(exc: sqlite3.Error) -> int | None:
    code = getattr(exc, "sqlite_errorcode", None)
    return code & 0xFF if code is not None else None


def is_busy(exc: sqlite3.Error) -> bool:
    """Another connection holds the write lock (after this connection's busy timeout ran out)."""
    return _result_code(exc) in (_SQLITE_BUSY, _SQLITE_LOCKED) or "database is locked" in str(exc)


def writable_place(path: Path) -> bool:
    """Whether SQLite may write the file and, beside it, its -wal and -shm files. ``os.access``
    also answers for root on a read-only mount or an immutable file, where permissions do not."""
    folder = path.parent if str(path.parent) else Path(".")
    return os.access(folder, os.W_OK) and (not path.exists() or os.access(path, os.W_OK))


def open_readonly(path: Path, *, foreign: bool = False) -> sqlite3.Connection:
    """A read-only connection: its views and triggers must not run our code.

    :param foreign: a file from elsewhere (a colleague's copy, perhaps on read-only media): opened
        ``immutable``, so SQLite takes no locks and leaves no -wal or -shm file beside it. A file
        with a -wal beside it is opened plainly instead, so that what the -wal holds is read too.

    Our own project in a folder that cannot be written is opened ``immutable`` as well: a WAL file
    otherwise needs a -shm file beside it even to be read, and SQLite cannot make one there.
    """
    uri = path.resolve().as_uri()
    wal_beside = Path(f"{path}-wal").exists()
    if foreign and not wal_beside:
        conn = sqlite3.connect(f"{uri}?immutable=1", uri=True)
    else:
        conn = sqlite3.connect(f"{uri}?mode=ro", uri=True)
        if not wal_beside and not writable_place(path):
            try:
                conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            except sqlite3.OperationalError:
                conn.close()
                conn = sqlite3.connect(f"{uri}?immutable=1", uri=True)
    conn.execute("PRAGMA trusted_schema = OFF")
    return conn


def inspect_file(path: Path, *, foreign: bool = False) -> list[str]:
    """Check, read-only, that ``path`` is one of our projects of a version we understand.

    :param path: the file to look at; an empty or missing file is fine (a new project)
    :param foreign: someone else's file: see :func:`open_readonly`
    :returns: the migrations applied in it
    :raises NotAProjectError: another SQLite file, or not SQLite at all
    :raises NewerSchemaError: written by a newer version of the app
    """
    if not path.exists() or path.stat().st_size == 0:
        return []
    try:
        conn = open_readonly(path, foreign=foreign)
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
        # Set by a caller that can tell its user (the command line prints a line): called once per
        # transaction that has to wait for another program's, and the transaction then waits as long
        # as it takes instead of failing after BUSY_TIMEOUT_MS. Without it, the busy timeout holds.
        self.on_write_wait: Callable[[Path | None], None] | None = None
        # True when the file was asked for read-write but its place cannot be written: reading works,
        # the first write is refused with a sentence saying so.
        self.read_only_place = False

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
        if path.exists() and path.stat().st_size and not writable_place(path):
            # A project on read-only media or in a folder we may not write: open it for reading, so
            # commands that only read work; a write is refused naming the reason (ReadOnlyError).
            if len(applied) < len(schema.KNOWN):
                raise ReadOnlyError(f"{path} is read-only here and was made by an older version that needs "
                                    "upgrading before it can be read; copy it to a folder you can write")
            conn = open_readonly(path)
            # Our own project: its triggers (search index) run as when it is open read-write, so a
            # write gets as far as SQLite's "read-only" and is refused in the sentence for that.
            conn.execute("PRAGMA trusted_schema = ON")
            store = cls(Database(conn), path, readonly=True)
            store.read_only_place = True
            store._configure_connection()
            return store
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            store = cls(Database(path), path)
            store._configure_connection()
            if applied != schema.KNOWN:  # an up-to-date file is opened without taking the write lock
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
            self._enable_wal()
            # WAL with synchronous=NORMAL keeps every committed action through a crash or kill of
            # the app; only a power cut may lose the last few (SQLite's documented trade-off).
            conn.execute("PRAGMA synchronous = NORMAL")

    def _enable_wal(self) -> None:
        conn = self._db.conn
        deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
        while True:
            try:
                if conn.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                    conn.execute("PRAGMA journal_mode = wal")
                return
            except sqlite3.OperationalError as exc:
                # Switching a new file to WAL needs it to itself, and SQLite does not wait for that (no
                # busy handler): two programs making one new project (two imports) meet here.
                if not is_busy(exc) or time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def _migrate(self) -> None:
        # Under the write lock: two programs making or upgrading one file at once (two imports into
        # a new project) take turns, and the second finds the steps done.
        with self.transaction():
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
        """One atomic unit of work; nested blocks become savepoints.

        The outermost block takes the write lock at once (``BEGIN IMMEDIATE``): a transaction that
        first read and then wanted to write would fail outright, not wait, when another connection
        had committed in between. SQLite's "disk full" and "read-only" come out as
        :class:`DiskFullError` and :class:`ReadOnlyError`, each a sentence naming the file.
        """
        conn = self._db.conn
        if conn.in_transaction:
            try:
                with self._db.atomic():
                    yield
            except BaseException:
                self.forget_cached_ids()
                raise
            return
        try:
            self._begin()
            try:
                yield
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
            try:
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
        except BaseException as exc:
            # Ids cached inside a rolled-back transaction may no longer exist.
            self.forget_cached_ids()
            if isinstance(exc, sqlite3.Error):
                self._raise_plainly(exc)
            raise

    def _begin(self) -> None:
        conn = self._db.conn
        if self.readonly:
            conn.execute("BEGIN")  # reading is allowed; a write inside is refused by SQLite (read-only)
            return
        if self.on_write_wait is None:
            conn.execute("BEGIN IMMEDIATE")
            return
        patience = conn.execute("PRAGMA busy_timeout").fetchone()[0]
        conn.execute(f"PRAGMA busy_timeout = {QUIET_WAIT_MS}")
        told = False
        try:
            while True:
                try:
                    conn.execute("BEGIN IMMEDIATE")
                    return
                except sqlite3.OperationalError as exc:
                    if not is_busy(exc):
                        raise
                if not told:  # the quiet wait ran out: say so once, then wait with the usual patience
                    conn.execute(f"PRAGMA busy_timeout = {patience}")
                    self.on_write_wait(self.path)
                    told = True
        finally:
            conn.execute(f"PRAGMA busy_timeout = {patience}")

    def _raise_plainly(self, exc: sqlite3.Error) -> None:
        """Turn SQLite's read-only and disk-full errors into one sentence for the user."""
        code = _result_code(exc)
        where = self.path or "the project"
        if is_busy(exc):
            raise BusyError(f"{where} is being written by another program: {exc}") from exc
        if code == _SQLITE_READONLY or self.readonly and "readonly" in str(exc):
            raise ReadOnlyError(
                f"{where} cannot be written here (the file, its folder or the disk is read-only); commands "
                "that only read it still work. To change it, copy it to a folder you can write (or make "
                "this one writable) and run the command again"
            ) from exc
        if code == _SQLITE_FULL:
            raise DiskFullError(
                f"the disk holding {where} is full; the unfinished step was not written and the file is "
                "intact. Free some space and run the command again"
            ) from exc

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
        """Drop what was cached of rows a rolled-back transaction may have made (the parts' caches)."""

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

    # -- the label scheme ------------------------------------------------------------------------

    EXTRA_LABELS_SETTING = "scheme_extra_labels"

    def scheme_extra_labels(self) -> dict[str, str]:
        """Labels outside the scheme that imported or merged work brought in: name to layer."""
        raw = self.get_setting(self.EXTRA_LABELS_SETTING)
        try:
            found = json.loads(raw) if raw else {}
        except json.JSONDecodeError:
            return {}
        return {str(k): str(v) for k, v in found.items()} if isinstance(found, dict) else {}

    def add_scheme_labels(self, labels: dict[str, str]) -> None:
        """Make labels outside the scheme labels of the project's own (shown, filtered, exported).

        :param labels: name to layer ("entity" or "event"); a name already added keeps its layer
        """
        with self.transaction():
            current = self.scheme_extra_labels()
            merged = {**{str(k): str(v) for k, v in labels.items()}, **current}
            if merged != current:
                self.set_setting(self.EXTRA_LABELS_SETTING, json.dumps(merged, sort_keys=True, ensure_ascii=False))

    def project_scheme(self, default: str = "conflict"):
        """The project's label scheme (:class:`annotator.schemes.Scheme`): the named scheme plus the
        labels imported or merged work brought in (:meth:`add_scheme_labels`).

        :param default: the scheme's name when the project names none
        :raises SchemeError: no scheme of the project's scheme name is installed
        """
        from annotator.schemes import scheme_by_name

        scheme = scheme_by_name(self.get_setting("scheme", default) or default)
        return scheme.with_labels(self.scheme_extra_labels())

    def blind_share(self) -> float:
        """The share of articles annotated without suggestions (0 when never set; docs/agreement.md)."""
        try:
            return float(self.get_setting(BLIND_SHARE_SETTING) or 0)
        except ValueError:
            return 0.0

    def set_blind_share(self, share: float) -> None:
        """:raises StoreError: the share is not between 0 and 1"""
        if not 0 <= share <= 1:
            raise StoreError(f"the blind share must be between 0 and 1 (0.2 = one article in five), not {share:g}")
        self.set_setting(BLIND_SHARE_SETTING, repr(float(share)))

    def blind_article_ids(self, article_ids: Iterable[int]) -> set[int]:
        """Those of ``article_ids`` that are annotated without suggestions."""
        share = self.blind_share()
        return {a for a in article_ids if is_blind(a, share)} if share > 0 else set()
