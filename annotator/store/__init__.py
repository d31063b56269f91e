"""The project store: one SQLite file is one annotation project, and this package is the only code
that speaks SQL.

Every user-level write is one transaction that also appends to the action log, so the file is
always the whole truth: there is no Save button and nothing lives only in memory.

The package is split by what the file keeps; :class:`Store` puts the parts together:

- ``project``: opening, upgrading (``migrations``), transactions, settings, annotators
- ``articles``: texts, the filtered article list, full-text search
- ``spans``: an annotator's spans and shared suggestions as rows
- ``suggestions``: deciding suggestions, what each suggester run wrote
- ``arguments``: links from events to the spans filling their roles
- ``states``: each annotator's progress on each article
- ``gold``: the reviewer's decisions behind the gold layer
- ``events``: the reviewer's decisions behind the event table (dates, places, confirmed groups)
- ``models``: learned versions as the file records them, and the decided spans learning reads
- ``uncertainty``: how unsure the learned version is about each unfinished article (the queue's order)
- ``log``: the append-only action log
- ``stats``: counts
- ``bulk``: many finished rows at once (benchmarks, bulk loads)
- ``foreign``: reading another project file, read-only, for merging
- ``sync``: what a team-hub sync reads and writes, and its bookkeeping (annotator.hub)

The domain calls only these named methods and receives domain records (``annotator.model``) or
plain values, never a connection or a row cursor; a second backend (a shared server database)
can offer the same methods (docs/adr/0004-one-data-layer-one-undo-model.md).
"""

from __future__ import annotations

from annotator.store.articles import ArticleSummary, Articles, fts_query
from annotator.store.arguments import Arguments
from annotator.store.bulk import Bulk
from annotator.store.errors import (
    BusyError,
    CannotOpenError,
    ConflictError,
    DiskFullError,
    NewerSchemaError,
    NotAProjectError,
    NotFoundError,
    OffsetError,
    ReadOnlyError,
    StoreError,
    UnknownAnnotatorError,
)
from annotator.store.events import EventTable
from annotator.store.gold import Gold
from annotator.store.log import Log
from annotator.store.models import LearnedModels
from annotator.store.project import ProjectFile, inspect_file, now
from annotator.store.spans import Spans
from annotator.store.states import States
from annotator.store.stats import Stats
from annotator.store.suggestions import Suggestions
from annotator.store.sync import HubSync
from annotator.store.uncertainty import Uncertainty


class Store(ProjectFile, Articles, Spans, Suggestions, Arguments, States, Gold, EventTable, LearnedModels, Uncertainty,
            Log, Stats, Bulk, HubSync):
    """An open project file (SQLite). Use :meth:`Store.open` or :meth:`Store.memory`."""


__all__ = [
    "ArticleSummary",
    "BusyError",
    "CannotOpenError",
    "ConflictError",
    "DiskFullError",
    "NewerSchemaError",
    "NotAProjectError",
    "NotFoundError",
    "OffsetError",
    "ReadOnlyError",
    "Store",
    "StoreError",
    "UnknownAnnotatorError",
    "fts_query",
    "inspect_file",
    "now",
]
