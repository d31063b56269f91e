"""Annotators: everyone who has worked in the project, by name and id."""

from __future__ import annotations

from annotator.store.errors import StoreError, UnknownAnnotatorError
from annotator.store.part import Part
from annotator.store.project import now


class Annotators(Part):
    def __init__(self, store):
        super().__init__(store)
        # Names already looked up: almost every write names its annotator.
        self._ids: dict[str, int] = {}

    def forget_cached_ids(self) -> None:
        self._ids.clear()

    def ensure(self, name: str) -> int:
        """The id of annotator ``name``, adding them on first use.

        :param name: the annotator's name (surrounding spaces are dropped)
        """
        name = name.strip()
        if not name:
            raise StoreError("an annotator needs a name")
        cached = self._ids.get(name)
        if cached is not None:
            return cached
        row = self._db.execute("SELECT id FROM annotators WHERE name = ?", [name]).fetchone()
        if row:
            self._ids[name] = row[0]
            return row[0]
        with self.transaction():
            cursor = self._db.execute(
                "INSERT INTO annotators(name, created_at) VALUES (?, ?)", [name, now()]
            )
        self._ids[name] = cursor.lastrowid
        return cursor.lastrowid

    def id_of(self, name: str) -> int:
        """The id of an existing annotator.

        :param name: the annotator's name
        :raises UnknownAnnotatorError: naming who exists
        """
        row = self._db.execute("SELECT id FROM annotators WHERE name = ?", [name]).fetchone()
        if not row:
            known = ", ".join(self.names()) or "none yet"
            raise UnknownAnnotatorError(f"no annotator named {name!r} in this project (known: {known})")
        return row[0]

    def names(self) -> list[str]:
        """Everyone who has ever worked in the project, by name."""
        return [r[0] for r in self._db.execute("SELECT name FROM annotators ORDER BY name")]

    def ids_by_name(self) -> dict[str, int]:
        """Every annotator's id, by name."""
        return {name: annotator_id for annotator_id, name in self._db.execute("SELECT id, name FROM annotators")}
