"""The side panel: the article's spans as a table, and the selected span's details, attributes
and event arguments. Edits here go through the same actions as the keyboard."""

from __future__ import annotations

from bisect import bisect_left

from PySide6.QtCore import QAbstractTableModel, QItemSelectionModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QFormLayout, QHeaderView, QLabel, QLineEdit, QListWidget,
    QFrame, QListWidgetItem, QPushButton, QScrollArea, QSplitter, QStyle, QTableView, QVBoxLayout, QWidget, QHBoxLayout,
)

from annotator.domain import Argument, Layer, Origin, Span, Status
from annotator.schemes import Scheme

EXCERPT = 60
MIN_TEXT_COLUMN = 100
MIN_TABLE_ROWS = 8  # the span table keeps this many rows in sight whatever is selected
# Short names keep the origin column narrow; the tooltip and the details below say it in full.
ORIGIN_SHOWN = {Origin.SUGGESTED: "sugg.", Origin.MANUAL: "manual", Origin.IMPORTED: "import"}  # pixels left for the span text next to the fixed columns


def column_width(view, values: list[str], *, bold: bool = False) -> int:
    """Pixels a column needs to show the widest of ``values`` (and its header) uncut."""
    font = QFont(view.font())
    font.setBold(bold)
    metrics = QFontMetrics(font)
    header = QFontMetrics(view.horizontalHeader().font())
    padding = 2 * view.style().pixelMetric(QStyle.PM_FocusFrameHMargin, None, view) + 14
    return max([metrics.horizontalAdvance(v) for v in values] + [header.horizontalAdvance("Status") + 12]) + padding


class SpanTableModel(QAbstractTableModel):
    COLUMNS = ("Label", "Text", "Status", "Origin")

    def __init__(self, parent=None):
        super().__init__(parent)
        self.text = ""
        self.spans: list[Span] = []
        self.colours: dict[str, str] = {}
        self._rows: dict[int, int] = {}
        self._cells: dict[int, dict] = {}
        if not _FONTS:  # QFont needs the application, so build the few we use on first model
            for key in [(b, i, x) for b in (False, True) for i in (False, True) for x in (False, True)]:
                _FONTS[key] = _font(*key)

    def set_spans(self, text: str, spans: list[Span]) -> None:
        """Show ``spans``; for the same article only the rows that differ are removed, inserted or
        repainted, so the view keeps its place and a long article stays quick. Both lists are in
        the store's reading order, so what is left after removals is in order too."""
        spans = list(spans)
        if text != self.text:
            self.beginResetModel()
            self.text, self.spans = text, spans
            self._cells.clear()
            self.endResetModel()
        else:
            new_ids = {s.id for s in spans}
            for row in reversed([i for i, s in enumerate(self.spans) if s.id not in new_ids]):
                self.beginRemoveRows(QModelIndex(), row, row)
                self._cells.pop(self.spans[row].id, None)
                del self.spans[row]
                self.endRemoveRows()
            old_ids = {s.id for s in self.spans}
            row = 0
            while row < len(spans):
                if spans[row].id in old_ids:
                    row += 1
                    continue
                run_end = row
                while run_end < len(spans) and spans[run_end].id not in old_ids:
                    run_end += 1
                self.beginInsertRows(QModelIndex(), row, run_end - 1)
                self.spans[row:row] = spans[row:run_end]
                self.endInsertRows()
                row = run_end
            for row, (old, new) in enumerate(zip(self.spans, spans)):
                if old is not new and old != new:
                    self.spans[row] = new
                    self._cells.pop(new.id, None)
                    self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.COLUMNS) - 1))
        self._rows = {s.id: i for i, s in enumerate(self.spans)}

    def replace_spans(self, removed: list[int], fresh: list[Span]) -> None:
        """Take rows out and put rows in, in reading order: what one edit changed, without
        comparing the other rows (a long article has thousands)."""
        gone = set(removed)
        for row in sorted((self._rows[i] for i in gone if i in self._rows), reverse=True):
            self.beginRemoveRows(QModelIndex(), row, row)
            self._cells.pop(self.spans[row].id, None)
            del self.spans[row]
            self.endRemoveRows()
        for span in fresh:
            if span.id in self._rows and span.id not in gone:  # already shown: leave it
                continue
            row = bisect_left(self.spans, _reading_order(span), key=_reading_order)
            self.beginInsertRows(QModelIndex(), row, row)
            self.spans.insert(row, span)
            self._cells.pop(span.id, None)
            self.endInsertRows()
        self._rows = {s.id: i for i, s in enumerate(self.spans)}

    def row_of(self, span_id: int | None) -> int | None:
        return self._rows.get(span_id) if span_id is not None else None

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.spans)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section, orientation, role=Qt.DisplayRole):  # noqa: N802
        if orientation == Qt.Horizontal and role == Qt.DisplayRole:
            return self.COLUMNS[section]
        return None

    def data(self, index, role=Qt.DisplayRole):
        # Views ask for a dozen roles per cell on every paint: answer from a per-span cache.
        if role not in _ROLES or not index.isValid():
            return None
        span = self.spans[index.row()]
        cells = self._cells.get(span.id)
        if cells is None:
            cells = self._cells[span.id] = self._cells_for(span)
        return cells[role][index.column()]

    def _cells_for(self, span: Span) -> dict:
        muted = QColor("#9ca3af") if span.status is Status.REJECTED else None
        text = span.text_in(self.text)
        body_font = _FONTS[(False, span.status is Status.PENDING, span.status is Status.REJECTED)]
        label_font = _FONTS[(True, span.status is Status.PENDING, span.status is Status.REJECTED)]
        # The origin column shows only the origin; who made it (the suggester, the file) and the
        # score are in the tooltip, so the column never cuts "suggested".
        sure = span.how_sure()
        made_by = "".join((f" · {span.source}" if span.source else "", f" · {sure}" if sure else ""))
        tip = f"{span.label} [{span.start_char}:{span.end_char}] {text!r}\n{span.status.value} · {span.origin.value}{made_by}"
        return {
            Qt.DisplayRole: (span.label, excerpt(text), span.status.value, ORIGIN_SHOWN[span.origin]),
            Qt.ForegroundRole: (QColor(self.colours.get(span.label, "#555555")), muted, muted, muted),
            Qt.FontRole: (label_font, body_font, body_font, body_font),
            Qt.ToolTipRole: (tip,) * 4,
        }


def _reading_order(span: Span) -> tuple[int, int, int]:
    return span.start_char, -span.end_char, span.id


def _font(bold: bool, italic: bool, struck: bool) -> QFont:
    font = QFont()
    font.setBold(bold)
    font.setItalic(italic)
    font.setStrikeOut(struck)
    return font


_ROLES = {Qt.DisplayRole, Qt.ForegroundRole, Qt.FontRole, Qt.ToolTipRole}
_FONTS: dict = {}


def excerpt(text: str) -> str:
    one_line = " ".join(text.split())
    return one_line if len(one_line) <= EXCERPT else one_line[: EXCERPT - 1] + "…"


class SpanPanel(QWidget):
    """Emits what the user asked for; the controller turns each wish into an undoable command."""

    spanSelected = Signal(int)
    attributeEdited = Signal(int, str, object)  # span id, attribute name, value (None clears)
    argumentRemoveRequested = Signal(int)  # argument link id
    placeChosen = Signal(int, object)  # event span id, GeoNames id (None: back to the resolved place)
    dateTyped = Signal(int, str)  # event span id, the date as typed ("" clears the reviewer's date)
    recordRequested = Signal()  # read the selected event's date and place (loads the place index)

    def __init__(self, scheme: Scheme, parent=None):
        super().__init__(parent)
        self.scheme = scheme
        self.model = SpanTableModel(self)
        self.model.colours = {label.name: label.color for label in scheme.labels}
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(22)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.Interactive)
        header.setSectionResizeMode(1, QHeaderView.Stretch)
        # Label, status and origin columns fit their longest possible value (the scheme's labels,
        # the statuses, the origins): measured once, not per row, so 2,000 rows cost nothing, and
        # "EXPLOSIONS_REMOTE_VIOLENCE" or "suggested" are never cut.
        fixed = 0
        for column, values in ((0, [label.name for label in scheme.labels]), (2, [s.value for s in Status]),
                               (3, list(ORIGIN_SHOWN.values()))):
            width = column_width(self.table, values, bold=column == 0)
            header.resizeSection(column, width)
            fixed += width
        self.setMinimumWidth(fixed + MIN_TEXT_COLUMN + 24)
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)

        self.details = QLabel()
        self.details.setWordWrap(True)
        self.details.setTextFormat(Qt.PlainText)
        self.details.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.modality = QComboBox()
        self.sub_event_type = QComboBox()
        self.reported_by = QLineEdit(placeholderText="who makes the claim")
        self.arguments = QListWidget()
        self.arguments.setMaximumHeight(120)
        self.remove_argument = QPushButton("Remove link")
        form = QFormLayout()
        form.addRow("Modality", self.modality)
        form.addRow("Sub-event type", self.sub_event_type)
        form.addRow("Reported by", self.reported_by)
        self.event_box = QWidget()
        event_layout = QVBoxLayout(self.event_box)
        event_layout.setContentsMargins(0, 0, 0, 0)
        event_layout.addLayout(form)
        event_layout.addWidget(QLabel("Arguments (select an event, then a span, then press 1–6):"))
        event_layout.addWidget(self.arguments)
        buttons = QHBoxLayout()
        buttons.addStretch()
        buttons.addWidget(self.remove_argument)
        event_layout.addLayout(buttons)
        # The event as the event table reads it: when, where (GeoNames), who; correctable here.
        self.record_status = QLabel()
        self.record_status.setWordWrap(True)
        self.record_status.setTextFormat(Qt.PlainText)
        self.record_date = QLineEdit(placeholderText="type a date: 2022-06-24 (day) or 2022-06 (month)")
        self.record_place = QComboBox()
        self.record_place.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
        self.record_place.setMinimumContentsLength(18)
        self.record_box = QWidget()
        record_form = QFormLayout(self.record_box)
        record_form.setContentsMargins(0, 0, 0, 0)
        record_form.addRow("Date", self.record_date)
        record_form.addRow("Place", self.record_place)
        event_layout.addWidget(QLabel("In the event table:"))
        event_layout.addWidget(self.record_status)
        self.record_button = QPushButton("Read its date and place")
        self.record_button.setToolTip("Resolves the date and the GeoNames place as the event table does; the first "
                                      "time loads the place index (a few seconds, off the window's thread)")
        self.record_button.clicked.connect(self.recordRequested)
        event_layout.addWidget(self.record_button)
        event_layout.addWidget(self.record_box)
        self.record_date.returnPressed.connect(self._date_typed)
        self.record_place.activated.connect(self._place_chosen)

        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(4, 4, 4, 4)
        lower_layout.addWidget(self.details)
        lower_layout.addWidget(self.event_box)
        lower_layout.addStretch()
        # The details scroll within their share: an event's form, arguments and event-table reading
        # are taller than a 1366x768 screen leaves, and without the scroll area they pushed the span
        # table down to two rows and the window past the bottom of the screen.
        self.details_area = QScrollArea()
        self.details_area.setWidget(lower)
        self.details_area.setWidgetResizable(True)
        self.details_area.setFrameShape(QFrame.NoFrame)
        self.details_area.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.details_area.setMinimumHeight(120)
        self.table.setMinimumHeight(self.table.horizontalHeader().sizeHint().height() + MIN_TABLE_ROWS * 22 + 4)
        splitter = QSplitter(Qt.Vertical)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(self.table)
        splitter.addWidget(self.details_area)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)

        self._current: Span | None = None
        self._updating = False
        self.modality.activated.connect(lambda _i: self._edit("modality", self.modality.currentData()))
        self.sub_event_type.activated.connect(
            lambda _i: self._edit("sub_event_type", self.sub_event_type.currentData()))
        self.reported_by.editingFinished.connect(
            lambda: self._edit("reported_by", self.reported_by.text().strip() or None))
        self.remove_argument.clicked.connect(self._remove_argument)
        self.show_span(None, [], {})

    # -- showing -------------------------------------------------------------------------------

    def follow(self, session) -> None:
        """Show what an :class:`annotator.session.AnnotationSession` announces: its article's spans
        in the table, the selected span's details with its argument links and their fillers."""
        self._session = session
        session.events.article_opened.connect(self._article_opened)
        session.events.spans_changed.connect(self._spans_changed)
        session.events.selection_changed.connect(self._selection_changed)

    def _article_opened(self, article, spans: list[Span]) -> None:
        self.set_spans(article.text, spans)

    def _spans_changed(self, removed: list[int], fresh: list[Span]) -> None:
        if len(removed) + len(fresh) > 64:  # a whole article's worth: one reset beats row-by-row moves
            self.set_spans(self._session.article.text, self._session.spans)
        else:
            self.replace_spans(removed, fresh)

    def _selection_changed(self, span: Span | None) -> None:
        self.select(span.id if span is not None else None)
        self.show_span(span, *self._session.links_of(span))

    def set_spans(self, text: str, spans: list[Span]) -> None:
        self.model.set_spans(text, spans)

    def replace_spans(self, removed: list[int], fresh: list[Span]) -> None:
        self.model.replace_spans(removed, fresh)

    def select(self, span_id: int | None) -> None:
        row = self.model.row_of(span_id)
        self._updating = True
        selection = self.table.selectionModel()
        if row is None:
            selection.clearSelection()
            selection.setCurrentIndex(QModelIndex(), QItemSelectionModel.NoUpdate)
        else:
            index = self.model.index(row, 0)
            selection.setCurrentIndex(index, QItemSelectionModel.ClearAndSelect | QItemSelectionModel.Rows)
            self.table.scrollTo(index)
        self._updating = False

    def show_span(self, span: Span | None, arguments: list[Argument], spans_by_id: dict[int, Span]) -> None:
        """Fill the details: what the span is, and for an event its attributes and arguments.

        :param spans_by_id: at least the spans filling the arguments' roles
        """
        self._current = span
        self._updating = True
        if span is None:
            self.details.setText("Select text and press a label key, or pick a span (Tab).")
            self.event_box.setVisible(False)
            self._updating = False
            return
        text = self.model.text[span.start_char:span.end_char]
        sure = span.how_sure()
        lines = [f"{span.label}  “{excerpt(text)}”",
                 f"{span.layer.value} · {span.status.value} · {span.origin.value}"
                 + (f" · {span.source}" if span.source else "")
                 + (f" · {sure}" if sure else ""),
                 f"offsets {span.start_char}–{span.end_char}"]
        self.details.setText("\n".join(lines))
        is_event = span.layer is Layer.EVENT
        self.event_box.setVisible(is_event)
        if is_event:
            modality = self.scheme.attribute("modality")
            self.modality.clear()
            for value in (modality.values if modality else ()):
                self.modality.addItem(value, value)
            self.modality.setCurrentIndex(max(0, self.modality.findData(self.scheme.modality_of(span.attributes))))
            label = self.scheme.label(span.label)
            self.sub_event_type.clear()
            self.sub_event_type.addItem("(none)", None)
            for subtype in (label.subtypes if label else ()):
                self.sub_event_type.addItem(subtype, subtype)
            self.sub_event_type.setCurrentIndex(max(0, self.sub_event_type.findData(span.attributes.get("sub_event_type"))))
            self.reported_by.setText(span.attributes.get("reported_by") or "")
            self.arguments.clear()
            for link in arguments:
                target = spans_by_id.get(link.filler_id)
                if target is not None:
                    shown = f"“{excerpt(target.text_in(self.model.text))}”  {target.label}"
                else:  # deleted meanwhile by another window; the link goes with the next refresh
                    shown = "(a span no longer in the article)"
                item = QListWidgetItem(f"{link.role}: {shown}")
                item.setToolTip(f"{link.role}: {target.text_in(self.model.text)} ({target.label}, {target.status.value})"
                                if target is not None else shown)
                item.setData(Qt.UserRole, link.id)
                self.arguments.addItem(item)
        self._updating = False

    def show_record(self, span_id: int, record, *, needs_index: bool = False) -> None:
        """What the event table makes of the selected event (None: not an accepted event, or not read yet;
        ``needs_index``: the reading waits for the button, which loads the place index)."""
        if self._current is None or self._current.id != span_id:
            return  # the selection moved on while the record was computed
        self._updating = True
        self.record_place.clear()
        self.record_button.setVisible(record is None and needs_index)
        if record is None:
            accepted = self._current.status.value == "accepted" and not self._current.is_suggestion
            self.record_status.setText(
                "Not read yet." if needs_index else "Reading its date and place…" if accepted else
                "Accept the event to see its date and place as the event table reads them.")
            # A pending suggestion has nothing to correct yet: keep the room for the span list.
            self.record_box.setVisible(False)
            self._updating = False
            return
        self.record_box.setVisible(True)
        date = record.date
        period = "—" if not date.start else date.start if date.end in (None, date.start) else f"{date.start} – {date.end}"
        precision = {1: "day", 2: "week", 3: "month"}.get(date.precision, "unknown precision")
        actors = ", ".join(f"{a.name} ({a.role.lower()})" for a in (*record.actors, *record.targets)) or "none linked"
        deaths = record.fatalities.best if record.fatalities is not None else None
        self.record_status.setText(
            f"{record.event_type} · {record.modality}{'' if record.counted else ' (not counted)'}\n"
            f"when: {period} ({precision}, from the {date.basis}{': ' + date.text if date.text else ''})\n"
            f"actors: {actors}" + (f"\nkilled: {deaths}" if deaths is not None else ""))
        self.record_date.setText(date.start if date.basis == "reviewer" else "")
        resolved = record.place
        chosen = resolved.place if resolved else None
        self.record_place.addItem("(no place resolved)" if chosen is None else
                                  f"{resolved.label}, {chosen.country} ({resolved.basis})", None)
        for candidate in (resolved.candidates if resolved else ()):
            if chosen is not None and candidate.geonameid == chosen.geonameid:
                continue
            self.record_place.addItem(f"{candidate.name}, {candidate.country} ({candidate.latitude:.2f}, "
                                      f"{candidate.longitude:.2f})", candidate.geonameid)
        if resolved is not None and resolved.basis == "reviewer":
            self.record_place.addItem("back to the place as resolved", -1)
        self._updating = False

    # -- wishes --------------------------------------------------------------------------------

    def _date_typed(self) -> None:
        if not self._updating and self._current is not None:
            self.dateTyped.emit(self._current.id, self.record_date.text().strip())

    def _place_chosen(self, index: int) -> None:
        if self._updating or self._current is None:
            return
        geonameid = self.record_place.itemData(index)
        if geonameid is None:
            return  # the place as it is
        self.placeChosen.emit(self._current.id, None if geonameid == -1 else geonameid)

    def _row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not self._updating and current.isValid():
            self.spanSelected.emit(self.model.spans[current.row()].id)

    def _edit(self, name: str, value) -> None:
        if self._updating or self._current is None:
            return
        if self._current.attributes.get(name) != value:
            self.attributeEdited.emit(self._current.id, name, value)

    def _remove_argument(self) -> None:
        item = self.arguments.currentItem()
        if item is not None:
            self.argumentRemoveRequested.emit(item.data(Qt.UserRole))
