"""The agreement window: figures of annotator.agreement as bars, a pairwise matrix, a label
confusion table between two annotators, and the articles worth discussing (worst first).

The tables read the report through the models of annotator.gui.agreement_models; the report is
computed in a background job (annotator.gui.background) on a connection of its own.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QHBoxLayout, QHeaderView, QLabel, QMainWindow, QPushButton, QTableView,
    QTabWidget, QVBoxLayout, QWidget,
)

from annotator.agreement import MEASURED_UNITS, compute_agreement
from annotator.gui.agreement_models import (
    KIND_TITLES, ArticleModel, ConfusionModel, IdRole, PairModel, agreement_colour, fmt,
)
from annotator.gui.background import BackgroundJob
from annotator.gui.display import plain_tooltip
from annotator.store import Store

__all__ = ["AgreementWindow", "LabelBars", "agreement_colour", "plain_tooltip"]
BAR_FIGURES = (("f1_exact", "F1 exact", QColor("#2563eb")), ("f1_overlap", "F1 overlap", QColor("#93c5fd")),
               ("krippendorff_alpha", "Krippendorff's α", QColor("#f59e0b")))
PAIR_FIGURES = ("f1_exact", "f1_overlap", "cohen_kappa")


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
        # The label column is as wide as the longest label: "EXPLOSIONS_REMOTE_VIOLENCE" whole.
        widest = max(painter.fontMetrics().horizontalAdvance(label) for label, _ in self.rows)
        label_width, top, bar = max(120.0, widest + 16.0), 30.0, 12.0
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


class AgreementWindow(QMainWindow):
    """Agreement of the project's annotators; ``articleActivated`` asks to open an article."""

    articleActivated = Signal(int)
    computed = Signal()  # the figures on show are up to date

    def __init__(self, store: Store, reviewer_name: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.store = store
        self.reviewer = reviewer_name
        self.data: dict | None = None
        self.job: BackgroundJob | None = None
        self.setWindowTitle("Agreement between annotators")
        self.kind_choice = QComboBox()
        for kind in MEASURED_UNITS:
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
        self.pair_model = PairModel(self)
        self.pair_table = _table(self.pair_model)
        self.pair_table.horizontalHeader().setSectionResizeMode(QHeaderView.Stretch)
        self.pair_table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
        pairs = _chooser_tab("Figure:", self.pair_figure, self.pair_table)

        self.confusion_pair = QComboBox()
        self.confusion_pair.currentIndexChanged.connect(lambda _i: self.show_confusion())
        self.confusion_model = ConfusionModel(self)
        self.confusion_table = _table(self.confusion_model)
        # Column headers hold labels broken over lines: let the header grow to show every line.
        self.confusion_table.horizontalHeader().setDefaultAlignment(Qt.AlignCenter)
        confusion = _chooser_tab("Annotators (rows ~ columns), token labels:", self.confusion_pair,
                                 self.confusion_table)

        self.article_model = ArticleModel(self)
        self.article_table = _table(self.article_model)
        self.article_table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.article_table.doubleClicked.connect(self._article_chosen)
        header = self.article_table.horizontalHeader()
        for column in range(len(ArticleModel.HEADERS)):
            header.setSectionResizeMode(column, QHeaderView.Stretch if column == 1 else QHeaderView.ResizeToContents)

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
        """Recompute in a background job, so a big project does not freeze the window (an in-memory
        project is measured at once: it cannot be opened a second time)."""
        if self.job is not None and self.job.running():
            # A newer question makes the running one moot: what it still says is not shown.
            self.job.succeeded.disconnect()
            self.job.failed.disconnect()
            self.job.cancel()
        self.refresh_button.setEnabled(False)
        self.summary.setText("Computing agreement…")
        self.job = BackgroundJob(self.store, lambda store, _job: compute_agreement(store).to_dict())
        self.job.succeeded.connect(self._show_results)
        self.job.failed.connect(self._show_failure)
        self.job.start()

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
                f"{KIND_TITLES[self.kind()]}: " + "  ".join(f"{k} {fmt(v)}" for k, v in overall.items()))
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
        self.pair_model.show(self.data["annotators"], figures["pairs"], self.pair_figure.currentText())

    def show_confusion(self) -> None:
        if self.data is None:
            return
        entries = self.data[self.kind()]["confusion"]
        index = self.confusion_pair.currentIndex()
        self.confusion_model.show(entries[index] if 0 <= index < len(entries) else None)
        self.confusion_table.resizeColumnsToContents()

    def _fill_articles(self) -> None:
        self.article_model.show(self.data["per_article"] if self.data else [])

    def _article_chosen(self, index: QModelIndex) -> None:
        if index.isValid():
            self.articleActivated.emit(index.data(IdRole))


def _table(model) -> QTableView:
    table = QTableView()
    table.setModel(model)
    table.setEditTriggers(QAbstractItemView.NoEditTriggers)
    return table
