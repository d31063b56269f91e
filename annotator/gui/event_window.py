"""The event table window: one row per real-world event as proposed from the reports, a map of them,
and the reviewer's confirm, split and merge (undoable, stored with who decided).

Rows are groups of event spans (annotator.eventtable.linking); their reports are listed under the
table. Double-clicking a report, or clicking a point on the map, opens the article at that event.
The table is built by a Qt-free ``annotator.eventtable.session.EventTableSession``; the window shows
each table it announces (docs/adr/0013-a-window-listens-to-its-session.md).
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QItemSelectionModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView, QApplication, QHBoxLayout, QHeaderView, QLabel, QMainWindow, QPushButton, QSplitter,
    QTableView, QVBoxLayout, QWidget,
)

from annotator.edits import Edit
from annotator.eventtable import decisions
from annotator.eventtable.export import best_dated, best_placed
from annotator.eventtable.linking import Group, GroupingError
from annotator.eventtable.session import EventTableSession
from annotator.eventtable.table import EventTable
from annotator.gui.event_map import EventMap
from annotator.gui import screen_fit
from annotator.gui.actions import EVENT_KEYS, build_window_keys
from annotator.gui.undo import EditCommand, WindowHistory
from annotator.gui.watcher import watcher_for

GROUP_COLUMNS = ("Event", "Date", "Place", "Actors", "Reports", "Status")
REPORT_COLUMNS = ("Outlet", "Published", "Trigger", "Sentence")


def _group_cells(group: Group, table: EventTable) -> tuple[str, ...]:
    records = [table.records[k] for k in group.members if k in table.records]
    first = records[0]
    dated, placed = best_dated(records), best_placed(records)  # the exported row's date and place
    actors = sorted({a.name for r in records for a in r.actors})
    status = "confirmed" if group.confirmed else "proposed"
    if not any(r.counted for r in records):
        status += f" · {first.modality}, not counted"
    return (
        f"{first.event_type} · {first.sub_event_type}".strip(" ·"),
        _period(dated.date),
        placed.place.label if placed else "—",
        ", ".join(actors) or "—",
        str(len(records)),
        status,
    )


def _period(date) -> str:
    if not date.start:
        return "—"
    return date.start if date.end in (None, date.start) else f"{date.start} – {date.end}"


class EventGroupsModel(QAbstractTableModel):
    """Adapts an :class:`EventTable`'s groups (events) to a table view; owns nothing but the table."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.table: EventTable | None = None
        self._rows: list[tuple[Group, tuple[str, ...]]] = []

    def set_table(self, table: EventTable) -> None:
        self.beginResetModel()
        self.table = table
        groups = [g for g in table.grouping.groups if any(k in table.records for k in g.members)]
        # Events with several reports first: those are the ones a reviewer confirms or splits.
        groups.sort(key=lambda g: (-len(g.members), g.members[0]))
        self._rows = [(g, _group_cells(g, table)) for g in groups]
        self.endResetModel()

    def group_at(self, row: int) -> Group:
        return self._rows[row][0]

    def row_of(self, group_id: str) -> int | None:
        return next((i for i, (g, _) in enumerate(self._rows) if g.id == group_id), None)

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802 - Qt's name
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(GROUP_COLUMNS)

    def headerData(self, section, orientation, role=Qt.DisplayRole):  # noqa: N802
        if role == Qt.DisplayRole and orientation == Qt.Horizontal and 0 <= section < len(GROUP_COLUMNS):
            return GROUP_COLUMNS[section]
        return None

    def data(self, index, role=Qt.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        group, cells = self._rows[index.row()]
        if role in (Qt.DisplayRole, Qt.ToolTipRole):
            return cells[index.column()]
        if role == Qt.UserRole:
            return group.id
        return None


class ReportsModel(QAbstractTableModel):
    """The reports (event spans in articles) of one event."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._records: list = []

    def set_records(self, records: list) -> None:
        self.beginResetModel()
        self._records = list(records)
        self.endResetModel()

    def record_at(self, row: int):
        return self._records[row]

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self._records)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(REPORT_COLUMNS)

    def headerData(self, section, orientation, role=Qt.DisplayRole):  # noqa: N802
        if role == Qt.DisplayRole and orientation == Qt.Horizontal and 0 <= section < len(REPORT_COLUMNS):
            return REPORT_COLUMNS[section]
        return None

    def data(self, index, role=Qt.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._records):
            return None
        record = self._records[index.row()]
        if role in (Qt.DisplayRole, Qt.ToolTipRole):
            source = record.source
            cells = (source.outlet or source.url or f"article {record.article_id}", source.published or "—",
                     record.trigger, " ".join(record.sentence.split()))
            return cells[index.column()]
        return None


def choose_rows(view: QTableView, rows: list[int]) -> None:
    """Select whole rows whatever keys are held (QTableView.selectRow toggles while Ctrl is down)."""
    selection = view.selectionModel()
    selection.clearSelection()
    model = view.model()
    for row in rows:
        selection.select(model.index(row, 0), QItemSelectionModel.Select | QItemSelectionModel.Rows)
    if rows:
        selection.setCurrentIndex(model.index(rows[0], 0), QItemSelectionModel.NoUpdate)


class EventWindow(WindowHistory, QMainWindow):
    """Events of ``annotator`` (or gold), for ``reviewer`` to confirm, split and merge."""

    eventActivated = Signal(int, int)  # article id, event span id: open it in the annotation window

    def __init__(self, store, reviewer: str, *, annotator: str | None = None, gold: bool = False,
                 states=("done",), parent: QWidget | None = None):
        super().__init__(parent)
        self.store, self.reviewer = store, reviewer
        self.annotator, self.gold, self.states = annotator, gold, tuple(states)
        self.undo_stack = QUndoStack(self)
        # The table lives in a Qt-free session; this window shows each table it announces.
        self.session = EventTableSession(store, reviewer, annotator=annotator, gold=gold, states=states)
        self.setWindowTitle(f"Events — {'gold' if gold else annotator} — reviewed by {reviewer}")
        self.groups = EventGroupsModel(self)
        self.reports = ReportsModel(self)
        self.groups_view = self._view(self.groups, QAbstractItemView.ExtendedSelection)
        self.groups_view.setSortingEnabled(False)
        self.groups_view.selectionModel().selectionChanged.connect(lambda *_: self._show_reports())
        self.reports_view = self._view(self.reports, QAbstractItemView.ExtendedSelection)
        self.reports_view.doubleClicked.connect(self._report_activated)
        self.map = EventMap()
        self.session.table_built.connect(self._show_table)
        self.session.table_failed.connect(lambda message: self.summary.setText(f"No event table: {message}"))
        self.map.eventClicked.connect(self.eventActivated)
        self.summary = QLabel()
        self.summary.setTextFormat(Qt.PlainText)
        self.summary.setWordWrap(True)
        buttons = QHBoxLayout()
        for text, slot in (("Confirm (C)", self.confirm_selected), ("Split off selected reports (S)", self.split_selected),
                           ("Merge selected events (G)", self.merge_selected), ("Recompute (F5)", self.refresh)):
            button = QPushButton(text)
            button.setFocusPolicy(Qt.NoFocus)
            button.clicked.connect(slot)
            buttons.addWidget(button)
        buttons.addStretch()
        left = QWidget()
        layout = QVBoxLayout(left)
        layout.addWidget(self.summary)
        layout.addWidget(self.groups_view, 3)
        layout.addLayout(buttons)
        layout.addWidget(QLabel("Reports of the selected event (double-click opens the article)"))
        layout.addWidget(self.reports_view, 2)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(self.map)
        splitter.setSizes([820, 460])
        self.setCentralWidget(splitter)
        self._shortcuts()
        self.watcher = watcher_for(store)
        self.watcher.changed.connect(lambda origin: origin is not self and self.refresh())
        screen_fit.first_size(self, 1300, 760)
        self.refresh()

    def showEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        screen_fit.fit_soon(self)

    def _view(self, model, mode) -> QTableView:
        view = QTableView()
        view.setModel(model)
        view.setSelectionBehavior(QAbstractItemView.SelectRows)
        view.setSelectionMode(mode)
        view.setEditTriggers(QAbstractItemView.NoEditTriggers)
        view.verticalHeader().hide()
        view.setWordWrap(False)
        header = view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.Interactive)
        header.setStretchLastSection(True)
        return view

    def _shortcuts(self) -> None:
        # The keys are a table in annotator.gui.actions, which F1 in the main window lists too.
        build_window_keys(self, EVENT_KEYS)

    # -- reading -----------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Build the table again (records, the reviewer's choices, confirmed groups)."""
        QApplication.setOverrideCursor(Qt.WaitCursor)
        try:
            self.session.rebuild()
        finally:
            QApplication.restoreOverrideCursor()

    def _show_table(self, table: EventTable) -> None:
        """The session built the table: show it, keeping the events that were selected."""
        chosen = self.selected_group_ids()
        from annotator.eventtable.export import event_rows

        self.groups.set_table(table)
        self.map.set_events(event_rows(table.grouping, table.records))
        counted, everything = table.events(), table.events(include_uncounted=True)
        self.summary.setText(f"{len(table.records)} reported events in {self.states[0]} articles → "
                             f"{everything} events ({counted} counted; plans, hypotheses and denials are not). "
                             f"Rows with several reports first.")
        # The event type is read whole ("Strategic developments · Non-violent transfer of territory" was
        # cut at 1366 pixels); the actors and the status, the texts of any length, share what is left
        # and end in "…" (whole in the tooltip).
        header = self.groups_view.horizontalHeader()
        header.setStretchLastSection(False)
        shared = {GROUP_COLUMNS.index("Actors"), GROUP_COLUMNS.index("Status")}
        for column in range(len(GROUP_COLUMNS)):
            header.setSectionResizeMode(column, QHeaderView.Stretch if column in shared else QHeaderView.ResizeToContents)
        rows = [r for r in (self.groups.row_of(g) for g in chosen) if r is not None]
        if not rows and self.groups.rowCount():
            rows = [0]
        choose_rows(self.groups_view, rows)
        self._show_reports()

    def selected_group_ids(self) -> list[str]:
        rows = sorted({index.row() for index in self.groups_view.selectionModel().selectedRows()})
        return [self.groups.group_at(row).id for row in rows]

    def _show_reports(self) -> None:
        ids = self.selected_group_ids()
        table = self.session.table
        if table is None or not ids:
            self.reports.set_records([])
            return
        group = table.grouping.get(ids[0])
        self.reports.set_records([table.records[k] for k in group.members if k in table.records])
        self.reports_view.resizeColumnsToContents()

    def _report_activated(self, index) -> None:
        record = self.reports.record_at(index.row())
        self.eventActivated.emit(record.article_id, record.span_id)

    # -- deciding ----------------------------------------------------------------------------------

    def push(self, edit: Edit) -> bool:
        command = EditCommand(self.store, edit, self._edit_done,
                              lambda message, _edit: self.statusBar().showMessage(message, 8000))
        self.undo_stack.push(command)
        return edit.done or command.waiting  # waiting: another program holds the file; saved later

    def _edit_done(self, edit: Edit, undone: bool) -> None:
        self.watcher.announce(self)
        self.statusBar().showMessage(("Undone: " if undone else "") + edit.description, 6000)
        self.refresh()

    def _decide(self, make) -> None:
        if self.session.table is None:
            return
        try:
            edit = make()
        except GroupingError as exc:
            self.statusBar().showMessage(str(exc), 8000)
            return
        self.push(edit)

    def confirm_selected(self) -> None:
        ids = self.selected_group_ids()
        if len(ids) != 1:
            self.statusBar().showMessage("Select one event to confirm (several: merge them)", 6000)
            return
        self._decide(lambda: decisions.confirm_group(self.reviewer, self.session.table.grouping, ids[0]))

    def split_selected(self) -> None:
        ids = self.selected_group_ids()
        rows = sorted({index.row() for index in self.reports_view.selectionModel().selectedRows()})
        if len(ids) != 1 or not rows:
            self.statusBar().showMessage("Select one event, then the reports below that are another event", 6000)
            return
        part = [self.reports.record_at(row).key for row in rows]
        self._decide(lambda: decisions.split_group(self.reviewer, self.session.table.grouping, ids[0], [part]))

    def merge_selected(self) -> None:
        ids = self.selected_group_ids()
        if len(ids) < 2:
            self.statusBar().showMessage("Select two or more events that are one (Ctrl+click)", 6000)
            return
        self._decide(lambda: decisions.merge_groups(self.reviewer, self.session.table.grouping, ids))
