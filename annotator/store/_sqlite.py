"""The one import of sqlite-utils, made so that it leaves numpy alone (see below)."""

from __future__ import annotations


def _import_sqlite_utils_without_numpy():
    """sqlite-utils, imported so that it does not import numpy (and pandas) as it would on its own.

    sqlite-utils imports numpy only to add numpy scalar types to the column types it infers when it
    creates a table from Python values; our tables are created by SQL in the migrations, so nothing
    needs that, while numpy is two thirds of `annotator stats`' start-up. Code that uses numpy
    (agreement, review) imports it later as usual.
    """
    import sys

    if "sqlite_utils" in sys.modules or "numpy" in sys.modules:
        import sqlite_utils

        return sqlite_utils
    # Why: numpy (and pandas) would be two thirds of a plain command's start-up, for column types we
    # never infer (the migrations create every table). How: a None entry makes `import numpy` raise
    # ImportError, which sqlite-utils treats as "not installed"; the entries are removed right after,
    # so agreement and review import numpy as usual.
    blocked = [name for name in ("numpy", "pandas") if name not in sys.modules]
    for name in blocked:
        sys.modules[name] = None  # type: ignore[assignment]
    try:
        import sqlite_utils
    finally:
        for name in blocked:
            del sys.modules[name]
    return sqlite_utils




Database = _import_sqlite_utils_without_numpy().Database
from sqlite_utils.migrations import Migrations  # noqa: E402 - after the guarded import above

__all__ = ["Database", "Migrations"]
