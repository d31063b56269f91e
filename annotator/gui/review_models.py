"""Qt item models of the review window, adapting the records of :mod:`annotator.review`.

They own nothing: each holds the domain records it was given (the queue items, an article's
review) and answers Qt's questions about them; the window hands them new records after every step.
"""

from __future__ import annotations

from typing import Any, Sequence

from PySide6.QtCore import QAbstractListModel, QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from annotator import review
from annotator.gui.display import plain_tooltip, short

OPEN_COLOUR = QColor("#fecaca")
CURRENT_COLOUR = QColor("#fbbf24")
RESOLVED_COLOUR = QColor("#e5e7eb")
AGREED_COLOUR = QColor("#dcfce7")
OPEN_TEXT = QColor("#b91c1c")
SETTLED_TEXT = QColor("#6b7280")

# What a row stands for (an article id, a gold span id), for the window's slots.
IdRole = int(Qt.UserRole) + 1

_Index = QModelIndex | QPersistentModelIndex

# Plain ints: Qt asks data() for many roles of every row it lays out, and comparing an int with an
# enum member takes Enum's slow path (it made a 10,000-article queue take seconds to lay out).
DISPLAY, TOOLTIP, BACKGROUND, FOREGROUND, ALIGNMENT, FONT = (
    int(role) for role in (Qt.DisplayRole, Qt.ToolTipRole, Qt.BackgroundRole, Qt.ForegroundRole,
                           Qt.TextAlignmentRole, Qt.FontRole))


class _RecordList(QAbstractListModel):
    """A list of records; subclasses say how a record reads (``text``) and what else it shows."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.records: list = []

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802 - Qt's name
        return 0 if parent.isValid() else len(self.records)

    def data(self, index: _Index, role: int = Qt.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.records):
            return None
        return self.role_data(self.records[index.row()], role)

    def role_data(self, record, role: int) -> Any:
        raise NotImplementedError

    def set_records(self, records: Sequence) -> None:
        self.beginResetModel()
        self.records = list(records)
        self.endResetModel()

    def record(self, row: int):
        return self.records[row] if 0 <= row < len(self.records) else None


class QueueModel(_RecordList):
    """The articles to review (:class:`annotator.review.QueueItem`), worst first."""

    def append(self, items: Sequence[review.QueueItem]) -> None:
        """More of the queue, as the background job finds it."""
        if not items:
            return
        self.beginInsertRows(QModelIndex(), len(self.records), len(self.records) + len(items) - 1)
        self.records.extend(items)
        self.endInsertRows()

    def set_finished_row(self, row: int, finished: bool) -> bool:
        """One article's gold finished (or reopened); True if that changed its row."""
        item = self.records[row]
        if item.finished == finished:
            return False
        item.finished = finished
        self.dataChanged.emit(self.index(row), self.index(row), [DISPLAY])
        return True

    def row_of(self, article_id: int) -> int:
        return next((row for row, item in enumerate(self.records) if item.article_id == article_id), -1)

    def role_data(self, item: review.QueueItem, role: int) -> Any:
        if role == DISPLAY:
            score = "-" if item.f1_exact is None else f"{item.f1_exact:.2f}"
            mark = "✓ " if item.finished else ""
            return f"{mark}#{item.article_id}  F1 {score}  {item.title[:50]}"
        if role == TOOLTIP:
            return plain_tooltip(f"{item.title}\nannotators: {', '.join(item.annotators)}")
        if role == IdRole:
            return item.article_id
        return None


class DisagreementModel(_RecordList):
    """An article's disagreements (:class:`annotator.review.Region`), open ones in red."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.text = ""

    def show(self, article_review: review.ArticleReview | None) -> None:
        self.text = article_review.article.text if article_review else ""
        self.set_records(article_review.disagreements if article_review else [])

    def role_data(self, region: review.Region, role: int) -> Any:
        if role == DISPLAY:
            status = "settled" if region.resolved else "open"
            words = self.text[region.start:region.end]
            return f"[{status}] {region.layer} “{short(words)}” — {', '.join(region.kinds)}"
        if role == FOREGROUND:
            return SETTLED_TEXT if region.resolved else OPEN_TEXT
        if role == TOOLTIP:
            return plain_tooltip(f"{self.text[region.start:region.end]}\n{', '.join(region.kinds)}")
        return None


class VersionModel(_RecordList):
    """Each annotator's version of one disagreement; row n is key n + 1."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.region: review.Region | None = None
        self.text = ""

    def show(self, region: review.Region | None, text: str) -> None:
        self.region, self.text = region, text
        self.set_records(list(region.versions.items()) if region else [])

    def describe(self, row: int, limit: int = 40) -> str:
        name, spans = self.records[row]
        if not spans:
            return f"{row + 1}  {name}: nothing here"
        parts = []
        for span in spans:
            described = f"{span.label} “{short(span.text_in(self.text), limit)}”"
            if span.attributes:
                described += " " + ", ".join(f"{k}={v}" for k, v in sorted(span.attributes.items()))
            for argument in self.region.arguments.get(span.id, []):
                described += f"; {argument.role} → “{short(argument.filler.text_in(self.text), limit)}”"
            parts.append(described)
        return f"{row + 1}  {name}: " + " | ".join(parts)

    def data(self, index: _Index, role: int = Qt.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.records):
            return None
        if role == DISPLAY:
            return self.describe(index.row())
        if role == TOOLTIP:
            return plain_tooltip(self.describe(index.row(), limit=10_000))
        return None


class GoldModel(_RecordList):
    """The article's gold spans (:class:`annotator.review.GoldSpan`) and where each came from."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.text = ""

    def show(self, article_review: review.ArticleReview | None) -> None:
        self.text = article_review.article.text if article_review else ""
        self.set_records(article_review.gold if article_review else [])

    def role_data(self, gold: review.GoldSpan, role: int) -> Any:
        span = gold.span
        if role == DISPLAY:
            return f"{span.label} “{short(span.text_in(self.text))}” — {gold.provenance()}"
        if role == TOOLTIP:
            attributes = ", ".join(f"{k}={v}" for k, v in sorted(span.attributes.items()))
            return plain_tooltip(f"{span.label}: {span.text_in(self.text)}\n{attributes}".rstrip())
        if role == IdRole:
            return span.id
        return None


class ComparisonModel(QAbstractTableModel):
    """One row per region of the article: its words, layer, each annotator's version, and gold."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.review: review.ArticleReview | None = None
        self.headers: list[str] = []
        self.cells: list[list[str]] = []
        self.full: list[list[str]] = []

    def show(self, article_review: review.ArticleReview | None) -> None:
        self.beginResetModel()
        self.review = article_review
        self.headers, self.cells, self.full = [], [], []
        if article_review is not None:
            self.headers = ["Text", "Layer", *article_review.annotators, "Gold"]
            for region in article_review.regions:
                self.cells.append(self._row(region, 40, 24, 20))
                self.full.append(self._row(region, 10_000, 10_000, 10_000))
        self.endResetModel()

    def _row(self, region: review.Region, words: int, inner: int, filler: int) -> list[str]:
        text = self.review.article.text
        gold_here = [g.span for g in self.review.gold if g.span.layer is region.layer
                     and g.span.start_char < region.end and region.start < g.span.end_char]
        return [short(text[region.start:region.end], words), str(region.layer),
                *(_describe(spans, region, text, inner, filler) for spans in region.versions.values()),
                "; ".join(f"{s.label} “{short(s.text_in(text), inner)}”" for s in gold_here) or "—"]

    def region(self, row: int) -> review.Region | None:
        if self.review is not None and 0 <= row < len(self.review.regions):
            return self.review.regions[row]
        return None

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802 - Qt's name
        return 0 if parent.isValid() else len(self.cells)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802 - Qt's name
        return 0 if parent.isValid() else len(self.headers)

    def data(self, index: _Index, role: int = Qt.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self.cells) and 0 <= index.column() < len(self.headers)):
            return None
        region = self.review.regions[index.row()]
        if role == DISPLAY:
            return self.cells[index.row()][index.column()]
        if role == BACKGROUND:
            return AGREED_COLOUR if not region.kinds else RESOLVED_COLOUR if region.resolved else OPEN_COLOUR
        if role == TOOLTIP:
            full = self.full[index.row()][index.column()]
            kinds = f"\ndisagreement: {', '.join(region.kinds)}" if region.kinds else "\nagreed"
            return plain_tooltip(f"{self.headers[index.column()]}: {full}{kinds}")
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.DisplayRole) -> Any:  # noqa: N802
        if orientation == Qt.Horizontal and 0 <= section < len(self.headers):
            if role == DISPLAY:
                return self.headers[section]
            if role == TOOLTIP:
                return plain_tooltip(self.headers[section])
        if orientation == Qt.Vertical and 0 <= section < len(self.cells) and role == DISPLAY:
            return str(section + 1)
        return None


def _describe(spans, region: review.Region, text: str, inner: int = 24, filler: int = 20) -> str:
    """An annotator's version of a region in a few words: labels, attributes, arguments."""
    if not spans:
        return "—"
    parts = []
    for span in spans:
        words = span.label
        if span.start_char != region.start or span.end_char != region.end:
            words += f" “{short(span.text_in(text), inner)}”"
        if span.attributes:
            words += " (" + ", ".join(str(v) for _, v in sorted(span.attributes.items())) + ")"
        for argument in region.arguments.get(span.id, []):
            words += f"; {argument.role} “{short(argument.filler.text_in(text), filler)}”"
        parts.append(words)
    return " | ".join(parts)
