"""Loading many rows at once: synthetic projects for benchmarks, and other bulk loads that already
hold finished rows (ids, offsets and all). Straight SQL, one transaction per call; articles are
indexed for search once per call (:meth:`Articles.deferred_search`)."""

from __future__ import annotations

from itertools import islice
from typing import Any, Iterable, Sequence

from annotator.store.errors import StoreError
from annotator.store.part import Part

# Tables whose rows stand alone once written; the action log is left to the named methods.
LOADABLE = {"articles", "spans", "arguments", "article_states", "annotators", "suggestion_runs"}


class Bulk(Part):
    def insert(self, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]], *,
               batch: int = 50_000) -> int:
        """Append many rows to one table in one transaction; constraints and foreign keys still hold.

        :param table: one of :data:`LOADABLE`
        :param columns: the column names, in the order of each row's values
        :param rows: the values, one sequence per row (an iterator is read ``batch`` rows at a time)
        :param batch: rows handed to SQLite at a time (memory stays flat for an iterator)
        :returns: how many rows were written
        :raises StoreError: another table, or a name that is not a column name
        """
        if table not in LOADABLE:
            raise StoreError(f"cannot bulk-load {table!r}; only {', '.join(sorted(LOADABLE))}")
        if not columns or not all(c.isidentifier() for c in columns):
            raise StoreError(f"not column names: {columns!r}")
        sql = f"INSERT INTO {table}({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
        written = 0
        rows = iter(rows)
        with self._store.articles.deferred_search():
            while chunk := list(islice(rows, batch)):
                self._db.conn.executemany(sql, chunk)
                written += len(chunk)
        return written

    def max_id(self, table: str) -> int:
        """The largest id in a table (0 when empty), so bulk rows can carry their own ids.

        :param table: one of :data:`LOADABLE` with an ``id`` column
        """
        if table not in LOADABLE - {"article_states", "suggestion_runs"}:
            raise StoreError(f"{table!r} has no id column to read")
        return self._db.execute(f"SELECT coalesce(max(id), 0) FROM {table}").fetchone()[0]
