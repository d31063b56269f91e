"""The agreement window: figures of annotator.agreement as bars, a pairwise matrix, a label
confusion table between two annotators, and the articles worth discussing (worst first)."""

from __future__ import annotations

import html

from PySide6.QtCore import QObject, QRectF, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QPen
from PySide6.QtWidgets import (
    QAbstractItemView, QApplication, QComboBox, QHBoxLayout, QHeaderView, QLabel, QMainWindow, QPushButton,
    QTableWidget, QTableWidgetItem, QTabWidget, QVBoxLayout, QWidget,
)

from annotator.agreement import KINDS, compute_agreement
from annotator.store import Store, StoreError

KIND_TITLES = {"entities": "Entities", "event_triggers": "Event triggers", "event_arguments": "Event arguments"}
BAR_FIGURES = (("f1_exact", "F1 exact", QColor("#2563eb")), ("f1_overlap", "F1 overlap", QColor("#93c5fd")),
               ("krippendorff_alpha", "Krippendorff's α", QColor("#f59e0b")))
PAIR_FIGURES = ("f1_exact", "f1_overlap", "cohen_kappa")


def plain_tooltip(text: str) -> str:
    """Tooltips guess rich text from the content; names come from other people's files, so escape
    them inside a paragraph that is always rendered, and shown literally."""
    return f"<p>{html.escape(text)}</p>"


def agreement_colour(value: float | None) -> QColor:
    """Red (0 or below) through yellow (0.5) to green (1); grey when the figure is undefined."""
    if value is None:
        return QColor("#e5e7eb")
    t = max(0.0, min(1.0, value))
    low, high = (QColor("#f87171"), QColor("#fde047")) if t < 0.5 else (QColor("#fde047"), QColor("#4ade80"))
    f = t * 2 if t < 0.5 else (t - 0.5) * 2
    return QColor.fromRgbF(low.redF() + (high.redF() - low.redF()) * f,
                           low.greenF() + (high.greenF() - low.greenF()) * f,
                           low.blueF() + (high.blueF() - low.blueF()) * f)


class LabelBars(QWidget):
    """Grouped horizontal bars: per label, F1 exact, F1 overlap and alpha on a 0..1 scale."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.rows: list[tuple[str, dict[str, float | None]]] = []
        self.setMinimumHeight(200)

    def set_rows(self, rows: list[tuple[str, dict[str, float | None]]]) -> None:
        self.rows = rows
        self.setMinimumHeight(60 + 14 * len(BAR_FIGURES) * max(1, len(rows)) + 8 * len(rows))
        self.update()

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt's name
        painter = QPainter(self)
        painter.setRenderHint(QPainter.Antialiasing)
        painter.fillRect(self.rect(), QColor("white"))
        if not self.rows:
            painter.drawText(self.rect(), Qt.AlignCenter, "no labels to compare")
            return
        label_width, top, bar = 190.0, 30.0, 12.0
        scale_width = max(50.0, self.width() - label_width - 70)
        x0 = label_width
        legend_x = x0
        for _key, title, colour in BAR_FIGURES:
            painter.fillRect(QRectF(legend_x, 8, 12, 12), colour)
            painter.setPen(QColor("#111827"))
            painter.drawText(QRectF(legend_x + 16, 4, 150, 20), Qt.AlignVCenter, title)
            legend_x += 150
        y = top
        for label, figures in self.rows:
            group_height = bar * len(BAR_FIGURES) + 2 * (len(BAR_FIGURES) - 1)
            painter.setPen(QColor("#111827"))
            painter.drawText(QRectF(4, y, label_width - 8, group_height), Qt.AlignRight | Qt.AlignVCenter, label)
            for key, _title, colour in BAR_FIGURES:
                value = figures.get(key)
                width = 0.0 if value is None else max(0.0, min(1.0, value)) * scale_width
                painter.fillRect(QRectF(x0, y, width, bar), colour)
                painter.setPen(QColor("#374151"))
                text = "–" if value is None else f"{value:.2f}"
                painter.drawText(QRectF(x0 + width + 4, y - 2, 60, bar + 4), Qt.AlignVCenter, text)
                y += bar + 2
            y += 8
        painter.setPen(QPen(QColor("#9ca3af"), 1, Qt.DashLine))
        for fraction in (0.0, 0.5, 1.0):
            x = x0 + fraction * scale_width
            painter.drawLine(int(x), int(top - 4), int(x), int(y))


def _chooser_tab(caption: str, chooser: QComboBox, table: QWidget) -> QWidget:
    """A tab showing one table, with a line above it choosing what the table shows."""
    tab = QWidget()
    layout = QVBoxLayout(tab)
    row = QHBoxLayout()
    row.addWidget(QLabel(caption))
    row.addWidget(chooser)
    row.addStretch()
    layout.addLayout(row)
    layout.addWidget(table)
    return tab


class _Results(QObject):
    """Carries a computation's outcome from the worker thread to the window (queued signals)."""

    computed = Signal(dict)
    failed = Signal(str)


class _AgreementJob(QRunnable):
    """Computes agreement on a connection of its own: SQLite connections stay in their thread."""

    def __init__(self, path, results: _Results):
        super().__init__()
        self.path = path
        self.results = results

    def run(self) -> None:
        try:
            with Store.open(self.path, readonly=True) as store:
                data = compute_agreement(store).to_dict()
        except StoreError as exc:
            outcome, value = self.results.failed, str(exc)
        else:
            outcome, value = self.results.computed, data
        # The messenger belongs to this job, not to the window: a window closed meanwhile only
        # loses its connections, while emitting on an object the window had deleted crashed.
        outcome.emit(value)


class AgreementWindow(QMainWindow):
    """Agreement of the project's annotators; ``articleActivated`` asks to open an article."""

    articleActivated = Signal(int)
    computed = Signal()  # the figures on show are up to date

    def __init__(self, store: Store, reviewer_name: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.store = store
        self.reviewer = reviewer_name
        self.data: dict | None = None
        self.setWindowTitle("Agreement between annotators")
        self.kind_choice = QComboBox()
        for kind in KINDS:
            self.kind_choice.addItem(KIND_TITLES[kind], kind)
        self.kind_choice.currentIndexChanged.connect(lambda _i: self.show_kind())
        self.refresh_button = QPushButton("Recompute")
        self.refresh_button.clicked.connect(self.refresh)
        self.summary = QLabel()
        self.summary.setTextFormat(Qt.PlainText)
        self.summary.setWordWrap(True)

        self.bars = LabelBars()
        self.pair_figure = QComboBox()
        self.pair_figure.addItems(PAIR_FIGURES)
        self.pair_figure.currentIndexChanged.connect(lambda _i: self.show_kind())
        self.pair_table = _table()
        pairs = _chooser_tab("Figure:", self.pair_figure, self.pair_table)

        self.confusion_pair = QComboBox()
        self.confusion_pair.currentIndexChanged.connect(lambda _i: self.show_confusion())
        self.confusion_table = _table()
        confusion = _chooser_tab("Annotators (rows ~ columns), token labels:", self.confusion_pair,
                                 self.confusion_table)

        self.article_table = _table()
        self.article_table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.article_table.cellDoubleClicked.connect(self._article_chosen)

        self.tabs = QTabWidget()
        self.tabs.addTab(self.bars, "Per label")
        self.tabs.addTab(pairs, "Annotator pairs")
        self.tabs.addTab(confusion, "Label confusion")
        self.tabs.addTab(self.article_table, "Articles, worst first")

        central = QWidget()
        layout = QVBoxLayout(central)
        top = QHBoxLayout()
        top.addWidget(QLabel("Measure agreement on:"))
        top.addWidget(self.kind_choice)
        top.addStretch()
        top.addWidget(self.refresh_button)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addWidget(self.tabs, 1)
        self.setCentralWidget(central)
        self.resize(1000, 640)
        self.refresh()

    def refresh(self) -> None:
        """Recompute; for a project file in a worker thread, so a big project does not freeze the window."""
        if self.store.path is None:  # an in-memory project cannot be opened a second time
            QApplication.setOverrideCursor(Qt.WaitCursor)
            try:
                self._show_results(compute_agreement(self.store).to_dict())
            finally:
                QApplication.restoreOverrideCursor()
            return
        self.refresh_button.setEnabled(False)
        self.summary.setText("Computing agreement…")
        self._results = _Results()  # no parent: the job keeps it alive after the window is gone
        self._results.computed.connect(self._show_results)
        self._results.failed.connect(self._show_failure)
        QThreadPool.globalInstance().start(_AgreementJob(self.store.path, self._results))

    def _show_results(self, data: dict) -> None:
        self.data = data
        self.refresh_button.setEnabled(True)
        self.show_kind()
        self._fill_articles()
        self.computed.emit()

    def _show_failure(self, message: str) -> None:
        self.refresh_button.setEnabled(True)
        self.summary.setText(f"Agreement could not be computed: {message}")

    def kind(self) -> str:
        return self.kind_choice.currentData()

    def show_kind(self) -> None:
        if self.data is None:
            return
        figures = self.data[self.kind()]
        if self.data["articles"] == 0:
            self.summary.setText("No article has been marked done by two or more annotators yet.")
        else:
            overall = figures["overall"]
            self.summary.setText(
                f"{self.data['articles']} articles marked done by two or more of {', '.join(self.data['annotators'])}. "
                f"{KIND_TITLES[self.kind()]}: " + "  ".join(f"{k} {_fmt(v)}" for k, v in overall.items()))
        self.bars.set_rows(list(figures["labels"].items()))
        self._fill_pairs(figures)
        self.confusion_pair.blockSignals(True)
        chosen = self.confusion_pair.currentText()
        self.confusion_pair.clear()
        for entry in figures["confusion"]:
            self.confusion_pair.addItem(" ~ ".join(entry["annotators"]))
        index = self.confusion_pair.findText(chosen)
        self.confusion_pair.setCurrentIndex(max(0, index))
        self.confusion_pair.blockSignals(False)
        self.show_confusion()

    def _fill_pairs(self, figures: dict) -> None:
        names = self.data["annotators"]
        figure = self.pair_figure.currentText()
        table = self.pair_table
        table.clear()
        table.setRowCount(len(names))
        table.setColumnCount(len(names))
        table.setHorizontalHeaderLabels(names)
        table.setVerticalHeaderLabels(names)
        values = {}
        for pair in figures["pairs"]:
            a, b = pair["annotators"]
            values[(a, b)] = values[(b, a)] = (pair[figure], pair["articles"])
        for i, a in enumerate(names):
            for j, b in enumerate(names):
                if a == b:
                    item = QTableWidgetItem("")
                    item.setBackground(QColor("#f3f4f6"))
                else:
                    value, shared = values.get((a, b), (None, 0))
                    item = QTableWidgetItem(f"{_fmt(value)}\n{shared} articles")
                    item.setBackground(agreement_colour(value))
                    item.setToolTip(plain_tooltip(f"{figure} between {a} and {b} over {shared} shared articles"))
                item.setTextAlignment(Qt.AlignCenter)
                table.setItem(i, j, item)
        table.resizeRowsToContents()

    def show_confusion(self) -> None:
        if self.data is None:
            return
        entries = self.data[self.kind()]["confusion"]
        index = self.confusion_pair.currentIndex()
        table = self.confusion_table
        table.clear()
        if not 0 <= index < len(entries):
            table.setRowCount(0)
            table.setColumnCount(0)
            return
        entry = entries[index]
        labels, matrix = entry["labels"], entry["matrix"]
        table.setRowCount(len(labels))
        table.setColumnCount(len(labels))
        a, b = entry["annotators"]
        table.setHorizontalHeaderLabels([f"{b}: {label}" for label in labels])
        table.setVerticalHeaderLabels([f"{a}: {label}" for label in labels])
        largest = max((v for row in matrix for v in row), default=0) or 1
        bold = QFont()
        bold.setBold(True)
        for i, row in enumerate(matrix):
            for j, count in enumerate(row):
                item = QTableWidgetItem(str(count))
                item.setTextAlignment(Qt.AlignCenter)
                strength = (count / largest) ** 0.5 if count else 0.0
                base = QColor("#16a34a") if i == j else QColor("#dc2626")
                colour = QColor(base)
                colour.setAlphaF(0.12 + 0.75 * strength if count else 0.0)
                item.setBackground(QBrush(colour))
                if i != j and count:
                    item.setFont(bold)
                    item.setToolTip(plain_tooltip(f"{count} tokens: {a} said {labels[i]}, {b} said {labels[j]}"))
                table.setItem(i, j, item)
        table.resizeColumnsToContents()

    def _fill_articles(self) -> None:
        rows = self.data["per_article"] if self.data else []
        headers = ["article", "title", "f1_exact", "unmatched", *(f"α {KIND_TITLES[k].lower()}" for k in KINDS)]
        table = self.article_table
        table.clear()
        table.setColumnCount(len(headers))
        table.setHorizontalHeaderLabels(headers)
        table.setRowCount(len(rows))
        for i, row in enumerate(rows):
            cells = [str(row["article_id"]), row["title"], _fmt(row["f1_exact"]), str(row["unmatched"]),
                     *(_fmt(row[k]["krippendorff_alpha"]) for k in KINDS)]
            for j, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if j == 2:
                    item.setBackground(agreement_colour(row["f1_exact"]))
                if j >= 4:
                    item.setBackground(agreement_colour(row[KINDS[j - 4]]["krippendorff_alpha"]))
                table.setItem(i, j, item)
        table.horizontalHeader().setSectionResizeMode(1, QHeaderView.Stretch)

    def _article_chosen(self, row: int, _column: int) -> None:
        if self.data and 0 <= row < len(self.data["per_article"]):
            self.articleActivated.emit(self.data["per_article"][row]["article_id"])


def _table() -> QTableWidget:
    table = QTableWidget()
    table.setEditTriggers(QAbstractItemView.NoEditTriggers)
    return table


def _fmt(value) -> str:
    return "–" if value is None else f"{value:.3f}"
