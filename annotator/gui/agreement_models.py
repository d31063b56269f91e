"""Qt table models of the agreement window, adapting the agreement report's dictionary
(:meth:`annotator.agreement.AgreementReport.to_dict`, as ``annotator agreement --json`` writes it).

They own nothing: each holds the part of the report it was given and answers Qt's questions.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from annotator.agreement import MEASURED_UNITS
from annotator.gui.display import plain_tooltip, wrap_label

KIND_TITLES = {"entities": "Entities", "event_triggers": "Event triggers", "event_arguments": "Event arguments"}
DIAGONAL = QColor("#f3f4f6")
IdRole = int(Qt.UserRole) + 1  # the article a row stands for

_Index = QModelIndex | QPersistentModelIndex

# Plain ints: Qt asks data() for many roles of every row it lays out, and comparing an int with an
# enum member takes Enum's slow path (it made a 10,000-article queue take seconds to lay out).
DISPLAY, TOOLTIP, BACKGROUND, FOREGROUND, ALIGNMENT, FONT = (
    int(role) for role in (Qt.DisplayRole, Qt.ToolTipRole, Qt.BackgroundRole, Qt.ForegroundRole,
                           Qt.TextAlignmentRole, Qt.FontRole))


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


def fmt(value) -> str:
    return "–" if value is None else f"{value:.3f}"


class _Table(QAbstractTableModel):
    """Rows and columns of a report part; subclasses answer ``cell`` and ``header``."""

    rows = 0
    columns = 0

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802 - Qt's name
        return 0 if parent.isValid() else self.rows

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802 - Qt's name
        return 0 if parent.isValid() else self.columns

    def data(self, index: _Index, role: int = Qt.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < self.rows and 0 <= index.column() < self.columns):
            return None
        return self.cell(index.row(), index.column(), role)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.DisplayRole) -> Any:  # noqa: N802
        if section < 0 or section >= (self.columns if orientation == Qt.Horizontal else self.rows):
            return None
        return self.header(section, orientation, role)

    def cell(self, row: int, column: int, role: int) -> Any:
        raise NotImplementedError

    def header(self, section: int, orientation: Qt.Orientation, role: int) -> Any:
        return None


class PairModel(_Table):
    """Annotator by annotator: one pairwise figure and how many articles the two share."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.names: list[str] = []
        self.values: dict[tuple[str, str], tuple[float | None, int]] = {}
        self.figure = ""

    def show(self, names: list[str], pairs: list[dict], figure: str) -> None:
        self.beginResetModel()
        self.names, self.figure = list(names), figure
        self.values = {}
        for pair in pairs:
            a, b = pair["annotators"]
            self.values[(a, b)] = self.values[(b, a)] = (pair[figure], pair["articles"])
        self.rows = self.columns = len(self.names)
        self.endResetModel()

    def cell(self, row: int, column: int, role: int) -> Any:
        a, b = self.names[row], self.names[column]
        value, shared = self.values.get((a, b), (None, 0))
        if role == DISPLAY:
            return "" if a == b else f"{fmt(value)}\n{shared} articles"
        if role == BACKGROUND:
            return DIAGONAL if a == b else agreement_colour(value)
        if role == ALIGNMENT:
            return int(Qt.AlignCenter)
        if role == TOOLTIP and a != b:
            return plain_tooltip(f"{self.figure} between {a} and {b} over {shared} shared articles")
        return None

    def header(self, section: int, orientation: Qt.Orientation, role: int) -> Any:
        return self.names[section] if role in (DISPLAY, TOOLTIP) else None


class ConfusionModel(_Table):
    """Token labels of one pair of annotators: rows the first one's, columns the second one's.

    Column headers break long labels over lines (they would otherwise make every column as wide as
    "EXPLOSIONS_REMOTE_VIOLENCE"); every header and cell has the full names in its tooltip.
    """

    def __init__(self, parent=None):
        super().__init__(parent)
        self.entry: dict | None = None
        self.largest = 1

    def show(self, entry: dict | None) -> None:
        self.beginResetModel()
        self.entry = entry
        self.rows = self.columns = len(entry["labels"]) if entry else 0
        self.largest = max((v for row in entry["matrix"] for v in row), default=0) or 1 if entry else 1
        self.endResetModel()

    def cell(self, row: int, column: int, role: int) -> Any:
        count = self.entry["matrix"][row][column]
        if role == DISPLAY:
            return str(count)
        if role == ALIGNMENT:
            return int(Qt.AlignCenter)
        if role == BACKGROUND:
            strength = (count / self.largest) ** 0.5 if count else 0.0
            colour = QColor("#16a34a") if row == column else QColor("#dc2626")
            colour.setAlphaF(0.12 + 0.75 * strength if count else 0.0)
            return QBrush(colour)
        if role == FONT and row != column and count:
            bold = QFont()
            bold.setBold(True)
            return bold
        if role == TOOLTIP:
            a, b = self.entry["annotators"]
            labels = self.entry["labels"]
            return plain_tooltip(f"{count} tokens: {a} said {labels[row]}, {b} said {labels[column]}")
        return None

    def header(self, section: int, orientation: Qt.Orientation, role: int) -> Any:
        a, b = self.entry["annotators"]
        label = self.entry["labels"][section]
        name = a if orientation == Qt.Vertical else b
        if role == DISPLAY:
            return f"{name}: {label}" if orientation == Qt.Vertical else f"{name}:\n{wrap_label(label)}"
        if role == TOOLTIP:
            return plain_tooltip(f"{name}: {label}")
        return None


class ArticleModel(_Table):
    """The report's articles, worst first: F1, unmatched units and alpha per kind, coloured."""

    HEADERS = ["article", "title", "f1_exact", "unmatched", *(f"α {KIND_TITLES[k].lower()}" for k in MEASURED_UNITS)]

    def __init__(self, parent=None):
        super().__init__(parent)
        self.records: list[dict] = []
        self.columns = len(self.HEADERS)

    def show(self, per_article: list[dict]) -> None:
        self.beginResetModel()
        self.records = list(per_article)
        self.rows = len(self.records)
        self.endResetModel()

    def cell(self, row: int, column: int, role: int) -> Any:
        record = self.records[row]
        if role == DISPLAY:
            if column == 0:
                return str(record["article_id"])
            if column == 1:
                return record["title"]
            if column == 2:
                return fmt(record["f1_exact"])
            if column == 3:
                return str(record["unmatched"])
            return fmt(record[MEASURED_UNITS[column - 4]]["krippendorff_alpha"])
        if role == BACKGROUND:
            if column == 2:
                return agreement_colour(record["f1_exact"])
            if column >= 4:
                return agreement_colour(record[MEASURED_UNITS[column - 4]]["krippendorff_alpha"])
            return None
        if role == ALIGNMENT and column != 1:
            return int(Qt.AlignRight | Qt.AlignVCenter)
        if role == TOOLTIP and column == 1:
            return plain_tooltip(f"{record['title']}\ndone by {', '.join(record['annotators'])}")
        if role == IdRole:
            return record["article_id"]
        return None

    def header(self, section: int, orientation: Qt.Orientation, role: int) -> Any:
        if orientation != Qt.Horizontal:
            return str(section + 1) if role == DISPLAY else None
        if role in (DISPLAY, TOOLTIP):
            return self.HEADERS[section]
        return None
