"""The article list: a paging table model over ``store.articles.list`` and its filter bar."""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView, QCheckBox, QComboBox, QHBoxLayout, QHeaderView, QLineEdit, QStyle, QTableView,
    QVBoxLayout, QWidget,
)

from annotator.domain import ArticleState
from annotator.store import ArticleSummary, Store

PAGE_SIZE = 200
TITLE_LINES = 3
STATE_COLOURS = {
    "todo": "#6b7280", "in_progress": "#b45309", "done": "#15803d", "skipped": "#6b7280", "flagged": "#b91c1c",
}
STATE_MARKS = {"todo": "·", "in_progress": "◐", "done": "✓", "skipped": "↷", "flagged": "⚑"}


@dataclass
class ArticleFilter:
    states: list[str] = field(default_factory=list)
    label: str | None = None
    has_pending: bool | None = None
    search: str = ""

    def as_kwargs(self) -> dict:
        return {"states": self.states or None, "label": self.label, "has_pending": self.has_pending,
                "search": self.search or None}


class ArticleListModel(QAbstractTableModel):
    """Rows come in pages of PAGE_SIZE as the view scrolls; the total is one COUNT query."""

    COLUMNS = ("#", "Title", "State", "Spans", "Pending")

    def __init__(self, store: Store, annotator: str, parent=None):
        super().__init__(parent)
        self.store = store
        self.annotator = annotator
        self.filter = ArticleFilter()
        self._rows: list[ArticleSummary] = []
        self._total = 0
        self.reload()

    # -- loading -----------------------------------------------------------------------------

    def reload(self) -> None:
        self.beginResetModel()
        kwargs = self.filter.as_kwargs()
        self._total = self.store.articles.count_where(self.annotator, **kwargs)
        self._rows = self.store.articles.list(self.annotator, offset=0, limit=PAGE_SIZE, **kwargs)
        self.endResetModel()

    def set_filter(self, article_filter: ArticleFilter) -> None:
        self.filter = article_filter
        self.reload()

    def set_annotator(self, annotator: str) -> None:
        self.annotator = annotator
        self.reload()

    def refresh_article(self, article_id: int) -> None:
        """Re-read one loaded row (after an edit) without resetting the list."""
        row = self.row_of(article_id)
        if row is None:
            return
        kwargs = self.filter.as_kwargs()
        # Keyset paging: one row after the previous id costs the same anywhere in a million articles.
        fresh = self.store.articles.list(self.annotator, after=article_id - 1, limit=1, **kwargs)
        if fresh and fresh[0].id == article_id:
            self._rows[row] = fresh[0]
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.COLUMNS) - 1))

    def canFetchMore(self, parent=QModelIndex()) -> bool:  # noqa: N802 - Qt's name
        return not parent.isValid() and len(self._rows) < self._total

    def fetchMore(self, parent=QModelIndex()) -> None:  # noqa: N802
        if parent.isValid():
            return
        # The next page after the last id shown: OFFSET would walk every row skipped.
        after = self._rows[-1].id if self._rows else None
        page = self.store.articles.list(self.annotator, after=after, limit=PAGE_SIZE, **self.filter.as_kwargs())
        page = page[: self._total - len(self._rows)]
        if not page:
            self._total = len(self._rows)
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(page) - 1)
        self._rows.extend(page)
        self.endInsertRows()

    # -- lookup ------------------------------------------------------------------------------

    @property
    def total(self) -> int:
        return self._total

    def article_at(self, row: int) -> ArticleSummary:
        return self._rows[row]

    def row_of(self, article_id: int) -> int | None:
        return next((i for i, summary in enumerate(self._rows) if summary.id == article_id), None)

    # -- the model API -----------------------------------------------------------------------

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section, orientation, role=Qt.DisplayRole):  # noqa: N802
        if orientation == Qt.Horizontal and role == Qt.DisplayRole and 0 <= section < len(self.COLUMNS):
            return self.COLUMNS[section]
        return None

    def data(self, index, role=Qt.DisplayRole):
        if role not in _ROLES or not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        summary = self._rows[index.row()]
        column = index.column()
        if role == Qt.DisplayRole:
            if column == 0:
                return str(summary.id)
            if column == 1:
                return summary.title
            if column == 2:  # the mark alone: the title needs the room (the word is in the tooltip)
                return STATE_MARKS.get(summary.state, "")
            if column == 3:
                return str(summary.spans)
            if column == 4:
                return str(summary.pending) if summary.pending else ""
        if role == Qt.ToolTipRole and column == 1:
            return f"{summary.title}\n#{summary.id} · {summary.length:,} characters · {summary.spans} spans"
        if role == Qt.ToolTipRole and column == 2:
            return summary.state.replace("_", " ")
        if role == Qt.ForegroundRole and column == 2:
            return _STATE_QCOLOURS.setdefault(summary.state, QColor(STATE_COLOURS.get(summary.state, "#000000")))
        if role == Qt.TextAlignmentRole and column in (0, 3, 4):
            return int(Qt.AlignRight | Qt.AlignVCenter)
        if role == Qt.UserRole:
            return summary.id
        return None


_ROLES = {Qt.DisplayRole, Qt.ToolTipRole, Qt.ForegroundRole, Qt.TextAlignmentRole, Qt.UserRole}
_STATE_QCOLOURS: dict[str, QColor] = {}


class ArticleListPanel(QWidget):
    """Search box, filters and the table; emits the id of the article the annotator picks."""

    articleActivated = Signal(int)

    def __init__(self, model: ArticleListModel, labels: list[str], parent=None):
        super().__init__(parent)
        self.model = model
        self.search = QLineEdit(placeholderText="Search articles…")
        self.search.setClearButtonEnabled(True)
        self.state_filter = QComboBox()
        self.state_filter.addItem("All states", None)
        for state in ArticleState:
            self.state_filter.addItem(state.value.replace("_", " ").capitalize(), state.value)
        self.label_filter = QComboBox()
        self.label_filter.addItem("Any label", None)
        for label in labels:
            self.label_filter.addItem(label, label)
            self.label_filter.setItemData(self.label_filter.count() - 1, label, Qt.ToolTipRole)
        # Wide enough for the longest label ("STRATEGIC_DEVELOPMENTS" was cut to "STRATEGIC_DEV…"),
        # on a row of its own so the state filter keeps its room too.
        self.label_filter.setSizeAdjustPolicy(QComboBox.AdjustToContents)
        self.label_filter.currentIndexChanged.connect(
            lambda _i: self.label_filter.setToolTip(self.label_filter.currentData() or "Any label"))
        self.pending_filter = QCheckBox("Pending suggestions")
        self.table = QTableView()
        self.table.setModel(model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setShowGrid(False)
        self.table.setAlternatingRowColors(True)
        # Three lines per article: a headline of 50 characters shows whole in the list's width on a
        # 1366-pixel screen (one line cut nearly every title); longer ones end in "…" (the tooltip
        # has the whole title).
        self.table.setWordWrap(True)
        self.table.setTextElideMode(Qt.ElideRight)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(TITLE_LINES * self.fontMetrics().lineSpacing() + 8)
        self.setMinimumWidth(270)
        # The id is in the heading's byline and the title's tooltip, the span count in the tooltip:
        # their columns are better spent on the title.
        self.table.setColumnHidden(0, True)
        self.table.setColumnHidden(3, True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.Fixed)
        header.setSectionResizeMode(1, QHeaderView.Stretch)
        # Fixed widths, measured once: ResizeToContents measured every loaded row (Python calls per
        # cell) on each change of one row, which stalled the window for seconds on a growing list.
        metrics, heading = self.table.fontMetrics(), header.fontMetrics()
        padding = 2 * (self.table.style().pixelMetric(QStyle.PM_FocusFrameHMargin, None, self.table) + 1) + 8
        for column, widest in ((2, max(STATE_MARKS.values(), key=metrics.horizontalAdvance)),
                               (3, "99999"), (4, "9999")):
            needed = max(metrics.horizontalAdvance(widest), heading.horizontalAdvance(model.COLUMNS[column]))
            header.resizeSection(column, needed + padding)
        filters = QHBoxLayout()
        filters.setContentsMargins(0, 0, 0, 0)
        filters.addWidget(self.state_filter)
        filters.addWidget(self.pending_filter)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.search)
        layout.addLayout(filters)
        layout.addWidget(self.label_filter)
        layout.addWidget(self.table)
        # Typing waits for a pause before querying, so a long list does not stutter per key.
        self._search_delay = QTimer(self, singleShot=True, interval=250)
        self._search_delay.timeout.connect(self.apply_filter)
        self.search.textChanged.connect(self._search_delay.start)
        self.search.returnPressed.connect(self.apply_filter)
        self.state_filter.currentIndexChanged.connect(self.apply_filter)
        self.label_filter.currentIndexChanged.connect(self.apply_filter)
        self.pending_filter.toggled.connect(self.apply_filter)
        self.table.activated.connect(self._activated)
        self.table.clicked.connect(self._activated)

    def apply_filter(self) -> None:
        self._search_delay.stop()
        state = self.state_filter.currentData()
        self.model.set_filter(ArticleFilter(
            states=[state] if state else [],
            label=self.label_filter.currentData(),
            has_pending=True if self.pending_filter.isChecked() else None,
            search=self.search.text().strip(),
        ))

    def _activated(self, index) -> None:
        if index.isValid():
            self.articleActivated.emit(self.model.article_at(index.row()).id)

    def follow(self, session) -> None:
        """Keep the list on the session's annotator and its article (see AnnotationSession.events)."""
        session.events.annotator_changed.connect(self.model.set_annotator)
        session.events.article_opened.connect(self._article_opened)

    def _article_opened(self, article, _spans) -> None:
        self.show_current(article.id)

    def show_current(self, article_id: int) -> None:
        """Select the row of the article on screen, if it is loaded and passes the filter."""
        row = self.model.row_of(article_id)
        self.table.blockSignals(True)
        if row is None:
            self.table.clearSelection()
        else:
            self.table.selectRow(row)
            self.table.scrollTo(self.model.index(row, 0))
        self.table.blockSignals(False)
