"""The project store: one SQLite file is one annotation project, and this package is the only code
that speaks SQL (docs/adr/0004-one-data-layer-one-undo-model.md).

Every user-level write is one transaction that also appends to the action log, so the file is
always the whole truth: there is no Save button and nothing lives only in memory.

:class:`Store` is the open file; what the file keeps is reached through its parts, each a small
class with short verbs over the one connection (docs/adr/0012-the-store-is-made-of-parts.md):

- ``Store`` itself (``project``): opening, upgrading (``migrations``), closing, transactions,
  connection settings, the project's settings and label scheme, the blind share
- ``store.annotators`` (``annotators``): who works in the project, by name and id
- ``store.articles`` (``articles``): texts, the filtered article list, full-text search
- ``store.spans`` (``spans``): an annotator's spans and shared suggestions as rows
- ``store.suggestions`` (``suggestions``): deciding suggestions, what each suggester run wrote
- ``store.arguments`` (``arguments``): links from events to the spans filling their roles
- ``store.states`` (``states``): each annotator's progress on each article
- ``store.gold`` (``gold``): the reviewer's decisions behind the gold layer
- ``store.events`` (``events``): the reviewer's decisions behind the event table (dates, places,
  confirmed groups)
- ``store.learned`` (``learned``): learned versions as the file records them, and the decided spans
  learning reads
- ``store.uncertainty`` (``uncertainty``): how unsure the learned version is about each unfinished
  article (the queue's order)
- ``store.log`` (``log``): the append-only action log
- ``store.stats`` (``stats``): counts
- ``store.bulk`` (``bulk``): many finished rows at once (benchmarks, bulk loads)
- ``store.sync`` (``sync``): what a team-hub sync reads and writes, and its bookkeeping (annotator.hub)
- ``foreign`` (a function, not a part): reading another project file, read-only, for merging

The domain calls only these named verbs and receives domain records (``annotator.domain``) or
plain values, never a connection or a row cursor; a second backend (a shared server database)
can offer the same parts.
"""

from __future__ import annotations

from annotator.store.articles import ArticleSummary, Articles, fts_query
from annotator.store.annotators import Annotators
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
from annotator.store.events import EventDecisions
from annotator.store.gold import Gold
from annotator.store.log import Log
from annotator.store.learned import LearnedVersions
from annotator.store.project import ProjectFile, inspect_file, now
from annotator.store.spans import Spans
from annotator.store.states import States
from annotator.store.stats import Stats
from annotator.store.suggestions import Suggestions
from annotator.store.sync import HubSync
from annotator.store.uncertainty import Uncertainty


class Store(ProjectFile):
    """An open project file (SQLite). Use :meth:`Store.open` or :meth:`Store.memory`.

    The file itself (open, close, transactions, settings, path) is here; what it keeps is in its parts:
    ``annotators``, ``articles``, ``spans``, ``suggestions``, ``arguments``, ``states``, ``gold``,
    ``events``, ``learned``, ``uncertainty``, ``log``, ``stats``, ``bulk`` and ``sync`` (see the
    package's docstring for what each holds).
    """

    def __init__(self, db, path, readonly: bool = False):
        super().__init__(db, path, readonly)
        self.annotators = Annotators(self)
        self.articles = Articles(self)
        self.spans = Spans(self)
        self.suggestions = Suggestions(self)
        self.arguments = Arguments(self)
        self.states = States(self)
        self.gold = Gold(self)
        self.events = EventDecisions(self)
        self.learned = LearnedVersions(self)
        self.uncertainty = Uncertainty(self)
        self.log = Log(self)
        self.stats = Stats(self)
        self.bulk = Bulk(self)
        self.sync = HubSync(self)

    def forget_cached_ids(self) -> None:
        self.annotators.forget_cached_ids()


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
