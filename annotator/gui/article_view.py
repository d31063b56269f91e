"""The article text with its spans drawn on it.

The text goes in as plain text only (``QTextCursor.insertText``, which is what ``setPlainText``
does), so markup in an article shows literally and nothing is ever fetched. Spans are not
formats in the document: they are painted around it, for the visible lines only, so opening a
long article or changing one span never re-lays-out the text. Entities are a translucent fill
under the text (nested ones stack visibly); events are a thick underline; every span carries its
label in a small tag in the gap under its line. Pending suggestions are lighter and dashed.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from typing import NamedTuple

from PySide6.QtCore import QEvent, QPoint, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QColor, QFont, QFontMetricsF, QPainter, QPen, QPixmap, QTextBlockFormat, QTextCursor, QTextDocument,
)
from PySide6.QtWidgets import QFrame, QTextEdit, QToolTip

from annotator.gui.offsets import OffsetMap, shown_length
from annotator.domain import Layer, Span, Status

TAG_MARGIN = 4  # pixels kept free between a tag and the viewport's edge
MIN_ABBREVIATED_TAG = 22  # less room than this at a line's end (after the tags before it): no tag
LINE_SLACK = 6  # pixels between two rects' tops that still count as one line
TAG_GAP = 19  # pixels added under every line for the label tags and event underlines
EVENT_LINE = 3
FILL_ACCEPTED, FILL_PENDING, FILL_SELECTED, FILL_SELECTED_EVENT = 70, 34, 115, 22
UNKNOWN_LABEL_COLOUR = "#777777"


def tag_text(label: str, metrics: QFontMetricsF, room: float) -> str:
    """The label as a tag shows it: whole if it fits in ``room`` pixels, else cut with an ellipsis."""
    if metrics.horizontalAdvance(label) <= room:
        return label
    return metrics.elidedText(label, Qt.ElideRight, max(room, metrics.horizontalAdvance("A…")))


class ShownSpan(NamedTuple):
    """A span in document positions, as drawn (a tuple: thousands are built per article)."""

    id: int
    start: int
    end: int
    label: str
    layer: Layer
    pending: bool
    colour: str


def _order(span: ShownSpan) -> tuple[int, int, int]:
    return span.start, -span.end, span.id


class ArticleView(QTextEdit):
    """Read-only article text; emits ``spanClicked(id)`` (or -1 on empty text)."""

    spanClicked = Signal(int)
    spanMenuRequested = Signal(int, QPoint)  # span id (-1: none), global position

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setReadOnly(True)
        self.setUndoRedoEnabled(False)
        self.setAcceptRichText(False)
        self.setTextInteractionFlags(Qt.TextSelectableByMouse | Qt.TextSelectableByKeyboard)
        self.setFrameShape(QFrame.NoFrame)
        self.setLineWrapMode(QTextEdit.WidgetWidth)
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
        self._fragment_cache: dict[tuple[int, int], list[QRectF]] = {}
        self._tag_cache: dict[tuple, QPixmap] = {}
        self._tag_texts: dict[tuple[str, int], str] = {}
        self.painted_tags: list[tuple[int, QRectF]] = []  # (span id, rect) as last painted
        self._document: QTextDocument | None = None

    # -- content -----------------------------------------------------------------------------

    def follow(self, session) -> None:
        """Show what an :class:`annotator.session.AnnotationSession` announces: the article it opened,
        the spans it swapped, the span it selected. Nobody pushes these into the view by hand."""
        session.events.article_opened.connect(self._article_opened)
        session.events.spans_changed.connect(self.replace_spans)
        session.events.selection_changed.connect(self._selection_changed)

    def _article_opened(self, article, spans: list[Span]) -> None:
        self.set_article(article.text, spans)

    def _selection_changed(self, span: Span | None) -> None:
        self.select_span(span.id if span is not None else None)

    def set_colours(self, colours: dict[str, str]) -> None:
        self._colours = dict(colours)

    def set_article(self, text: str, spans: list[Span], selected: int | None = None) -> None:
        self.text = text
        shown = shown_length(text)
        self.offsets = OffsetMap(text, shown)
        self.selected_span_id = selected
        self._index(self._shown(spans))
        self._fragment_cache.clear()
        # A fresh document filled through a cursor that already carries the line spacing: one pass,
        # instead of setPlainText followed by a second pass over every paragraph.
        document = QTextDocument(self)
        document.setUndoRedoEnabled(False)
        document.setDefaultFont(self.font())
        document.setDocumentMargin(28)
        cursor = QTextCursor(document)
        spacing = QTextBlockFormat()
        spacing.setLineHeight(TAG_GAP, QTextBlockFormat.LineDistanceHeight.value)
        cursor.setBlockFormat(spacing)
        cursor.insertText(text[:shown])
        previous, self._document = self._document, document
        self.setDocument(document)
        if previous is not None:
            previous.deleteLater()  # ours; QTextEdit leaves documents it did not create alone
        self.moveCursor(QTextCursor.Start)

    def replace_spans(self, removed: list[int], added: list[Span]) -> None:
        """Take spans off and put spans on (the session announces only what an edit touched)."""
        shown = self._shown(added)
        if len(removed) + len(shown) > 64:  # a whole article's worth: index afresh
            spans = dict(self._spans)
            for span_id in removed:
                spans.pop(span_id, None)
            for span in shown:
                spans[span.id] = span
            self._index(list(spans.values()))
        else:  # one edit: place by bisection, not a re-sort of thousands of spans per key press
            longest_gone = False
            for span_id in removed:
                span = self._spans.pop(span_id, None)
                if span is not None:
                    self._take_out(span)
                    longest_gone |= span.end - span.start >= self._longest
            for span in shown:
                old = self._spans.get(span.id)
                if old is not None:
                    self._take_out(old)
                self._spans[span.id] = span
                i = bisect_left(self._ordered, _order(span), key=_order)
                self._ordered.insert(i, span)
                self._starts.insert(i, span.start)
                self._longest = max(self._longest, span.end - span.start)
            if longest_gone:
                self._longest = max((s.end - s.start for s in self._ordered), default=0)
        self.viewport().update()

    def _take_out(self, span: ShownSpan) -> None:
        i = bisect_left(self._ordered, _order(span), key=_order)
        while self._ordered[i].id != span.id:
            i += 1
        del self._ordered[i]
        del self._starts[i]

    def select_span(self, span_id: int | None) -> None:
        self.selected_span_id = span_id if span_id in self._spans else None
        current = self._spans.get(self.selected_span_id) if self.selected_span_id is not None else None
        self.viewport().update()
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
        colours = self._colours
        pending, rejected = Status.PENDING, Status.REJECTED
        return [
            ShownSpan(s.id, to_doc(s.start_char), to_doc(s.end_char), s.label, s.layer,
                      s.status is pending, colours.get(s.label, UNKNOWN_LABEL_COLOUR))
            for s in spans
            if s.status is not rejected
        ]

    def _index(self, shown: list[ShownSpan]) -> None:
        self._ordered = sorted(shown, key=_order)
        self._starts = [s.start for s in self._ordered]
        self._spans = {s.id: s for s in shown}
        self._longest = max((s.end - s.start for s in shown), default=0)

    def resizeEvent(self, event) -> None:  # noqa: N802
        self._fragment_cache.clear()  # lines re-wrap at a new width
        super().resizeEvent(event)

    def _fragments(self, span: ShownSpan) -> list[QRectF]:
        """The rectangles the span covers, one per visual line, in document coordinates."""
        key = (span.start, span.end)
        cached = self._fragment_cache.get(key)
        if cached is not None:
            return cached
        document = self.document()
        layout = document.documentLayout()
        rects = []
        block = document.findBlock(span.start)
        while block.isValid() and block.position() < span.end:
            text_layout = block.layout()
            if text_layout.lineCount() == 0:
                return rects  # not laid out yet: do not remember a partial answer
            top_left = layout.blockBoundingRect(block).topLeft()
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
        self._fragment_cache[key] = rects
        return rects

    def _visible_spans(self) -> list[ShownSpan]:
        viewport = self.viewport()
        first = self.cursorForPosition(QPoint(0, 0)).position()
        last = self.cursorForPosition(QPoint(viewport.width(), viewport.height())).position()
        return self.spans_between(first, last)

    def paintEvent(self, event) -> None:  # noqa: N802
        if not self._ordered:
            super().paintEvent(event)
            return
        visible = self._visible_spans()
        offset = QPointF(-self.horizontalScrollBar().value(), -self.verticalScrollBar().value())
        placed = [(span, [r.translated(offset) for r in self._fragments(span)]) for span in visible]
        placed = [(span, rects) for span, rects in placed if rects]
        painter = QPainter(self.viewport())
        # Fills first, widest first, so the text is drawn over them and nested spans stack.
        for span, rects in sorted(placed, key=lambda item: item[0].start - item[0].end):
            if span.layer is not Layer.ENTITY and span.id != self.selected_span_id:
                continue
            if span.layer is Layer.ENTITY:
                colour = QColor(span.colour)
                colour.setAlpha(FILL_SELECTED if span.id == self.selected_span_id
                                else FILL_PENDING if span.pending else FILL_ACCEPTED)
            else:
                colour = QColor(0, 0, 0, FILL_SELECTED_EVENT)
            for rect in rects:
                painter.fillRect(rect, colour)
        painter.end()
        super().paintEvent(event)
        painter = QPainter(self.viewport())
        # No antialiasing for straight and dashed lines (dashes antialiased cost most of a frame on
        # a screen full of suggestions); tags are cached pixmaps painted with it once.
        taken: dict[int, float] = {}  # line top -> x where the next tag may start
        self.painted_tags = []
        for span, rects in placed:
            colour = QColor(span.colour)
            selected = span.id == self.selected_span_id
            if span.layer is Layer.EVENT:
                painter.setPen(QPen(colour, EVENT_LINE, Qt.DashLine if span.pending else Qt.SolidLine, Qt.FlatCap))
                for rect in rects:
                    y = rect.bottom() + 1.5
                    painter.drawLine(QPointF(rect.left(), y), QPointF(rect.right(), y))
            elif span.pending:
                painter.setPen(QPen(colour, 1.2, Qt.DashLine))
                painter.setBrush(Qt.NoBrush)
                for rect in rects:
                    painter.drawRect(rect.adjusted(0.5, 0.5, -0.5, -0.5))
            if selected:
                painter.setRenderHint(QPainter.Antialiasing, True)
                painter.setPen(QPen(QColor("#1d232a"), 2))
                painter.setBrush(Qt.NoBrush)
                for rect in rects:
                    painter.drawRoundedRect(rect.adjusted(-2, -1, 2, 4), 3, 3)
                painter.setRenderHint(QPainter.Antialiasing, False)
            self._paint_tag(painter, span, rects[0], selected, taken)
        painter.end()

    def _paint_tag(self, painter: QPainter, span: ShownSpan, rect: QRectF, selected: bool,
                   taken: dict[int, float]) -> None:
        """The label under the span's first line, kept inside the viewport: at the right edge it
        shifts left, and a tag wider than the view is abbreviated (the full name is its tooltip)."""
        room = self.viewport().width() - 2 * TAG_MARGIN
        # One line's spans share a key even when a taller glyph (an emoji) moves a rect a few pixels.
        line_key = next((key for key in taken if abs(key - rect.top()) < LINE_SLACK), round(rect.top()))
        first_free = taken.get(line_key, TAG_MARGIN)  # right of the tags already on this line
        pixmap = self._tag_pixmap(span.label, span.colour, span.pending, selected, room)
        ratio = pixmap.devicePixelRatio() or 1.0
        width, height = pixmap.width() / ratio, pixmap.height() / ratio
        # Under the span; at the right edge shifted left, but never over the previous tag.
        x = max(first_free, min(max(rect.left(), first_free), TAG_MARGIN + room - width))
        space = TAG_MARGIN + room - x
        if width > space:
            if space < MIN_ABBREVIATED_TAG:
                return  # no room left on this line: the label is in the tooltip and the span list
            # Abbreviate rather than cover the neighbour's tag ("ARMED_G…"; tooltip in full).
            pixmap = self._tag_pixmap(span.label, span.colour, span.pending, selected, space)
            width = pixmap.width() / ratio
        tag = QRectF(x, rect.bottom() + EVENT_LINE + 1.5, width, height)
        taken[line_key] = tag.right() + 3
        painter.drawPixmap(tag.topLeft(), pixmap)
        self.painted_tags.append((span.id, tag))

    def _tag_pixmap(self, label: str, colour_name: str, pending: bool, selected: bool, room: float) -> QPixmap:
        """A tag drawn once per look and reused: hundreds are on screen, redrawn on every key."""
        ratio = self.devicePixelRatioF()
        text_key = (label, int(room))
        shown = self._tag_texts.get(text_key)
        if shown is None:
            shown = self._tag_texts[text_key] = tag_text(label, self._tag_metrics, room - 8)
        key = (shown, colour_name, pending, selected, ratio)
        pixmap = self._tag_cache.get(key)
        if pixmap is not None:
            return pixmap
        width = self._tag_metrics.horizontalAdvance(shown) + 8
        height = TAG_GAP - EVENT_LINE - 2.5
        pixmap = QPixmap(int(math.ceil(width * ratio)), int(math.ceil(height * ratio)))
        pixmap.setDevicePixelRatio(ratio)
        pixmap.fill(Qt.transparent)
        colour = QColor(colour_name)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.Antialiasing)
        painter.setFont(self._tag_font)
        tag = QRectF(0.5, 0.5, width - 1, height - 1)
        if pending:
            painter.setPen(QPen(colour, 1, Qt.DashLine))
            painter.setBrush(QColor("#ffffff"))
            text_colour = colour.darker(130)
        else:
            painter.setPen(Qt.NoPen)
            painter.setBrush(colour.darker(115) if selected else colour)
            text_colour = QColor("#ffffff")
        painter.drawRoundedRect(tag, 3, 3)
        painter.setPen(text_colour)
        painter.drawText(tag, Qt.AlignCenter, shown)
        painter.end()
        self._tag_cache[key] = pixmap
        return pixmap

    def tag_at(self, point: QPointF) -> int | None:
        """The span whose tag is painted at ``point`` (viewport coordinates), if any."""
        for span_id, rect in reversed(self.painted_tags):
            if rect.contains(point):
                return span_id
        return None

    def viewportEvent(self, event) -> bool:  # noqa: N802
        if event.type() == QEvent.ToolTip:
            # Tags may be abbreviated; the tooltip always names the label in full.
            point = QPointF(event.pos())
            span_id = self.tag_at(point)
            if span_id is None:
                position = self.document().documentLayout().hitTest(
                    point + QPointF(self.horizontalScrollBar().value(), self.verticalScrollBar().value()),
                    Qt.ExactHit)
                span_id = self.span_at(position) if position >= 0 else None
            span = self._spans.get(span_id) if span_id is not None else None
            if span is None:
                QToolTip.hideText()
                event.ignore()
                return True
            QToolTip.showText(event.globalPos(), f"{span.label}" + (" (suggestion)" if span.pending else ""),
                              self.viewport())
            return True
        return super().viewportEvent(event)

    def contextMenuEvent(self, event) -> None:  # noqa: N802
        position = self.cursorForPosition(event.pos()).position()
        span_id = self.span_at(position)
        if span_id is None and position > 0:
            span_id = self.span_at(position - 1)
        self.spanMenuRequested.emit(span_id if span_id is not None else -1, event.globalPos())

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

    def fill_colour_at(self, offset: int) -> QColor:
        """The colour painted under the text at code-point ``offset`` (what the annotator sees)."""
        cursor = QTextCursor(self.document())
        cursor.setPosition(self.offsets.to_doc(offset))
        rect = self.cursorRect(cursor)
        image = self.viewport().grab().toImage()
        ratio = image.devicePixelRatio()
        return image.pixelColor(int((rect.left() + 2) * ratio), int((rect.top() + 2) * ratio))
