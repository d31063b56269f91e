"""The article text with its spans drawn on it.

The text is set with ``setPlainText`` only, so markup in an article shows literally and nothing
is ever fetched. Entities are a background fill (from a QSyntaxHighlighter, so an edit re-renders
only the paragraphs it touches); events are a thick underline; every span carries its label in a
small tag painted in the gap under its line. Suggestions still pending are lighter and dashed.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass

from PySide6.QtCore import QPoint, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QColor, QFont, QFontMetricsF, QPainter, QPen, QSyntaxHighlighter, QTextBlockFormat, QTextCharFormat,
    QTextCursor, QTextFormat,
)
from PySide6.QtWidgets import QFrame, QTextEdit

from annotator.gui.offsets import OffsetMap
from annotator.model import Layer, Span, Status

TAG_GAP = 17  # pixels added under every line for the label tags and event underlines
EVENT_LINE = 3
UNKNOWN_LABEL_COLOUR = "#777777"


@dataclass(frozen=True)
class ShownSpan:
    """A span in document positions, as drawn."""

    id: int
    start: int
    end: int
    label: str
    layer: Layer
    pending: bool
    colour: str

    @property
    def key(self) -> tuple:
        return (self.start, self.end, self.label, self.layer, self.pending, self.colour)


class SpanHighlighter(QSyntaxHighlighter):
    def __init__(self, view: "ArticleView"):
        super().__init__(view.document())
        self.view = view

    def highlightBlock(self, text: str) -> None:  # noqa: N802 - Qt's name
        block = self.currentBlock()
        first = block.position()
        last = first + len(text)
        covering = [s for s in self.view.spans_between(first, last)]
        if not covering:
            return
        cuts = sorted({first, last, *(max(first, min(last, p)) for s in covering for p in (s.start, s.end))})
        selected = self.view.selected_span_id
        for a, b in zip(cuts, cuts[1:]):
            here = [s for s in covering if s.start <= a and s.end >= b]
            if not here:
                continue
            fmt = QTextCharFormat()
            entities = [s for s in here if s.layer is Layer.ENTITY]
            if entities:
                innermost = min(entities, key=lambda s: (s.end - s.start, -s.start))
                colour = QColor(innermost.colour)
                colour.setAlpha(40 if innermost.pending else 75)
                if innermost.id == selected:
                    colour.setAlpha(130)
                fmt.setBackground(colour)
            if any(s.layer is Layer.EVENT for s in here):
                fmt.setFontWeight(QFont.DemiBold)
            if any(s.id == selected for s in here) and not entities:
                fmt.setBackground(QColor(0, 0, 0, 22))
            self.setFormat(a - first, b - a, fmt)


class ArticleView(QTextEdit):
    """Read-only article text; emits ``spanClicked(id)`` (or -1 on empty text)."""

    spanClicked = Signal(int)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setReadOnly(True)
        self.setUndoRedoEnabled(False)
        self.setAcceptRichText(False)
        self.setTextInteractionFlags(Qt.TextSelectableByMouse | Qt.TextSelectableByKeyboard)
        self.setFrameShape(QFrame.NoFrame)
        self.setLineWrapMode(QTextEdit.WidgetWidth)
        self.document().setDocumentMargin(28)
        font = QFont(self.font())
        font.setPointSizeF(13.5)
        self.setFont(font)
        self.setStyleSheet("QTextEdit { background: #fbfaf6; color: #1d232a; selection-background-color: #b7d3f5;"
                           " selection-color: #1d232a; }")
        self.text = ""
        self.offsets = OffsetMap("")
        self.selected_span_id: int | None = None
        self._spans: dict[int, ShownSpan] = {}
        self._ordered: list[ShownSpan] = []
        self._starts: list[int] = []
        self._longest = 0
        self._colours: dict[str, str] = {}
        self._tag_font = QFont(font)
        self._tag_font.setPointSizeF(7.2)
        self._tag_font.setBold(True)
        self._tag_metrics = QFontMetricsF(self._tag_font)
        self.highlighter = SpanHighlighter(self)

    # -- content -----------------------------------------------------------------------------

    def set_colours(self, colours: dict[str, str]) -> None:
        self._colours = dict(colours)

    def set_article(self, text: str, spans: list[Span], selected: int | None = None) -> None:
        self.text = text
        self.offsets = OffsetMap(text)
        self.selected_span_id = selected
        self._index(self._shown(spans))
        # Detached while the text and line spacing go in, so the highlighter runs once, not twice.
        self.highlighter.setDocument(None)
        self.setPlainText(text)
        cursor = QTextCursor(self.document())
        cursor.select(QTextCursor.Document)
        spacing = QTextBlockFormat()
        spacing.setLineHeight(TAG_GAP, QTextBlockFormat.LineDistanceHeight.value)
        cursor.mergeBlockFormat(spacing)
        self.highlighter.setDocument(self.document())
        self.moveCursor(QTextCursor.Start)

    def replace_spans(self, removed: list[int], added: list[Span]) -> None:
        """Take spans off and put spans on; only the paragraphs they cover are redrawn."""
        spans = dict(self._spans)
        dirty = [(spans[i].start, spans[i].end) for i in removed if i in spans]
        for span_id in removed:
            spans.pop(span_id, None)
        for shown in self._shown(added):
            spans[shown.id] = shown
            dirty.append((shown.start, shown.end))
        self._index(list(spans.values()))
        self._rehighlight(dirty)

    def select_span(self, span_id: int | None) -> None:
        previous = self._spans.get(self.selected_span_id) if self.selected_span_id is not None else None
        self.selected_span_id = span_id if span_id in self._spans else None
        current = self._spans.get(self.selected_span_id) if self.selected_span_id is not None else None
        self._rehighlight([(s.start, s.end) for s in (previous, current) if s is not None])
        if current is not None:
            cursor = QTextCursor(self.document())
            cursor.setPosition(current.start)
            self.setTextCursor(cursor)
            self.ensureCursorVisible()

    def shown_span_ids(self) -> list[int]:
        """Ids of the spans drawn on the text, in reading order."""
        return [s.id for s in self._ordered]

    def selected_offsets(self) -> tuple[int, int] | None:
        """The text selection as code-point offsets, or None if nothing is selected."""
        cursor = self.textCursor()
        if not cursor.hasSelection():
            return None
        return self.offsets.selection_to_offsets(cursor.selectionStart(), cursor.selectionEnd())

    def select_offsets(self, start: int, end: int) -> None:
        """Select text by code-point offsets (used by tests and by keyboard-driven tools)."""
        cursor = QTextCursor(self.document())
        cursor.setPosition(self.offsets.to_doc(start))
        cursor.setPosition(self.offsets.to_doc(end), QTextCursor.KeepAnchor)
        self.setTextCursor(cursor)

    def spans_between(self, first: int, last: int) -> list[ShownSpan]:
        """Shown spans overlapping document positions [first, last]."""
        i = bisect_left(self._starts, first - self._longest)
        found = []
        while i < len(self._ordered) and self._starts[i] <= last:
            span = self._ordered[i]
            if span.end > first and span.start <= last:
                found.append(span)
            i += 1
        return found

    def span_at(self, position: int) -> int | None:
        hits = [s for s in self.spans_between(position, position) if s.start <= position < s.end]
        if not hits:
            return None
        return min(hits, key=lambda s: (s.end - s.start, s.layer is Layer.EVENT)).id

    # -- internals ---------------------------------------------------------------------------

    def _shown(self, spans: list[Span]) -> list[ShownSpan]:
        to_doc = self.offsets.to_doc
        return [
            ShownSpan(s.id, to_doc(s.start_char), to_doc(s.end_char), s.label, s.layer,
                      s.status is Status.PENDING, self._colours.get(s.label, UNKNOWN_LABEL_COLOUR))
            for s in spans
            if s.status is not Status.REJECTED
        ]

    def _index(self, shown: list[ShownSpan]) -> None:
        self._ordered = sorted(shown, key=lambda s: (s.start, -s.end, s.id))
        self._starts = [s.start for s in self._ordered]
        self._spans = {s.id: s for s in shown}
        self._longest = max((s.end - s.start for s in shown), default=0)

    def _rehighlight(self, ranges: list[tuple[int, int]]) -> None:
        document = self.document()
        done: set[int] = set()
        for start, end in ranges:
            block = document.findBlock(start)
            while block.isValid() and block.position() <= end:
                if block.blockNumber() not in done:
                    done.add(block.blockNumber())
                    self.highlighter.rehighlightBlock(block)
                block = block.next()
        self.viewport().update()

    def _fragments(self, span: ShownSpan, origin: QPointF) -> list[QRectF]:
        """The rectangles the span covers, one per visual line, in viewport coordinates."""
        document = self.document()
        layout = document.documentLayout()
        rects = []
        block = document.findBlock(span.start)
        while block.isValid() and block.position() < span.end:
            text_layout = block.layout()
            top_left = layout.blockBoundingRect(block).topLeft() + origin
            base = block.position()
            for i in range(text_layout.lineCount()):
                line = text_layout.lineAt(i)
                line_start = base + line.textStart()
                line_end = line_start + line.textLength()
                a, b = max(span.start, line_start), min(span.end, line_end)
                if a >= b:
                    continue
                x1 = line.cursorToX(a - base)[0]
                x2 = line.cursorToX(b - base)[0]
                rects.append(QRectF(x1, line.y(), x2 - x1, line.height()).translated(top_left))
            block = block.next()
        return rects

    def paintEvent(self, event) -> None:  # noqa: N802
        super().paintEvent(event)
        if not self._ordered:
            return
        viewport = self.viewport()
        first = self.cursorForPosition(QPoint(0, 0)).position()
        last = self.cursorForPosition(QPoint(viewport.width(), viewport.height())).position()
        origin = QPointF(-self.horizontalScrollBar().value(), -self.verticalScrollBar().value())
        painter = QPainter(viewport)
        painter.setRenderHint(QPainter.Antialiasing)
        painter.setFont(self._tag_font)
        taken: dict[int, float] = {}  # line top -> x where the next tag may start
        for span in self.spans_between(first, last):
            rects = self._fragments(span, origin)
            if not rects:
                continue
            colour = QColor(span.colour)
            selected = span.id == self.selected_span_id
            if span.layer is Layer.EVENT:
                pen = QPen(colour, EVENT_LINE, Qt.DashLine if span.pending else Qt.SolidLine, Qt.FlatCap)
                painter.setPen(pen)
                for rect in rects:
                    y = rect.bottom() + 1.5
                    painter.drawLine(QPointF(rect.left(), y), QPointF(rect.right(), y))
            elif span.pending:
                painter.setPen(QPen(colour, 1.2, Qt.DashLine))
                painter.setBrush(Qt.NoBrush)
                for rect in rects:
                    painter.drawRect(rect.adjusted(0.5, 0.5, -0.5, -0.5))
            if selected:
                painter.setPen(QPen(QColor("#1d232a"), 2))
                painter.setBrush(Qt.NoBrush)
                for rect in rects:
                    painter.drawRoundedRect(rect.adjusted(-2, -1, 2, 4), 3, 3)
            self._paint_tag(painter, span, rects[0], colour, selected, taken)
        painter.end()

    def _paint_tag(self, painter: QPainter, span: ShownSpan, rect: QRectF, colour: QColor, selected: bool,
                   taken: dict[int, float]) -> None:
        label = span.label if len(span.label) <= 14 else span.label[:12] + "…"
        width = self._tag_metrics.horizontalAdvance(label) + 8
        line_key = round(rect.top())
        x = max(rect.left(), taken.get(line_key, -1e9))
        tag = QRectF(x, rect.bottom() + EVENT_LINE + 2, width, TAG_GAP - EVENT_LINE - 3)
        taken[line_key] = tag.right() + 3
        if span.pending:
            painter.setPen(QPen(colour, 1, Qt.DashLine))
            painter.setBrush(QColor("#ffffff"))
            text_colour = colour.darker(130)
        else:
            painter.setPen(Qt.NoPen)
            painter.setBrush(colour.darker(115) if selected else colour)
            text_colour = QColor("#ffffff")
        painter.drawRoundedRect(tag, 3, 3)
        painter.setPen(text_colour)
        painter.drawText(tag, Qt.AlignCenter, label)

    def mouseReleaseEvent(self, event) -> None:  # noqa: N802
        super().mouseReleaseEvent(event)
        if event.button() == Qt.LeftButton and not self.textCursor().hasSelection():
            position = self.document().documentLayout().hitTest(
                QPointF(event.position()) - QPointF(-self.horizontalScrollBar().value(),
                                                    -self.verticalScrollBar().value()),
                Qt.ExactHit,
            )
            span_id = self.span_at(position) if position >= 0 else None
            self.spanClicked.emit(span_id if span_id is not None else -1)

    def char_format_probe(self, offset: int) -> QTextFormat:
        """The format drawn at code-point ``offset`` (tests check the highlighting with it)."""
        position = self.offsets.to_doc(offset)
        block = self.document().findBlock(position)
        relative = position - block.position()
        ranges = block.layout().formats()
        for fmt_range in ranges:
            if fmt_range.start <= relative < fmt_range.start + fmt_range.length:
                return QTextCharFormat(fmt_range.format)  # a copy: the range list is temporary
        return QTextCharFormat()
