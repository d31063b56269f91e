"""What every part of the store shares: the one open project file it belongs to.

A part (``store.spans``, ``store.articles``, ...) holds no connection of its own: it reads and writes
through the file's, inside the file's transactions, so a step that touches several parts is still one
transaction (docs/adr/0012-the-store-is-made-of-parts.md).
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from annotator.store import Store
    from annotator.store._sqlite import Database


class Part:
    """One kind of thing the project file keeps, with a few verbs over it."""

    def __init__(self, store: Store):
        self._store = store

    @property
    def _db(self) -> Database:
        return self._store._db

    def transaction(self) -> AbstractContextManager[None]:
        """The file's transaction (nested blocks become savepoints): see :meth:`Store.transaction`."""
        return self._store.transaction()
