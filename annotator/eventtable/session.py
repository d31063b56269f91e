"""A reviewer's session over the event table, Qt-free: the table as last built from the file, announced
to the views that show it (docs/adr/0013-a-window-listens-to-its-session.md)."""

from __future__ import annotations

from typing import Sequence

from annotator.evented import Event
from annotator.eventtable.table import EventTable, build_table
from annotator.store import StoreError


class EventTableSession:
    """The event table of ``annotator``'s (or gold's) articles in ``states``, for ``reviewer``."""

    def __init__(self, store, reviewer: str, *, annotator: str | None = None, gold: bool = False,
                 states: Sequence[str] = ("done",)):
        self.store, self.reviewer = store, reviewer
        self.annotator, self.gold, self.states = annotator, gold, tuple(states)
        self.table: EventTable | None = None
        #: (table): the table was built again (records, the reviewer's choices, confirmed groups)
        self.table_built = Event()
        #: (message): the table could not be built; the last one stays
        self.table_failed = Event()

    def rebuild(self) -> EventTable | None:
        """Build the table again from the file and say so (or say why it could not be built)."""
        try:
            self.table = build_table(self.store, annotator=self.annotator, gold=self.gold, states=self.states)
        except (StoreError, ValueError) as exc:
            self.table_failed.emit(str(exc))
            return None
        self.table_built.emit(self.table)
        return self.table
