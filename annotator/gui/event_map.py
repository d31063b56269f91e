"""The event map: a bundled Natural Earth outline (no tile server is reachable) with events as points.

Equirectangular projection, its x squeezed by the cosine of the middle latitude so towns keep their
shape at the scale of a war; zoomed to the events' extent at first, then the wheel zooms about the
pointer and a drag pans. Events closer on screen than ``CLUSTER_PIXELS`` are drawn as one cluster with
its count, and a name is written only where it overlaps no other name or point, so labels never
overlap. Clicking a point emits ``eventClicked`` with the article id and event span id of the event's
first report, so the window can open it; clicking a cluster of several places zooms in on it.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Sequence

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFontMetricsF, QPainter, QPainterPath, QPen, QTransform
from PySide6.QtWidgets import QWidget

from annotator import config

# Colours of the scheme's event labels (resources/label_schemes/conflict.json), by ACLED event type.
EVENT_COLOURS = {
    "Battles": "#d62728",
    "Explosions/Remote violence": "#ff7f0e",
    "Violence against civilians": "#8c564b",
    "Protests": "#2ca02c",
    "Riots": "#bcbd22",
    "Strategic developments": "#17becf",
}
POINT_RADIUS = 6
HIT_RADIUS = 9
CLUSTER_PIXELS = 22  # events nearer than this on screen are one cluster
ZOOM_STEP = 1.25  # one wheel notch
DRAG_PIXELS = 4  # a press that moves less than this is a click, not a drag
_MIN_SPAN_DEGREES = 4.0
_MIN_ZOOM_DEGREES = 0.05


def outline_path() -> Path:
    return config.resources_dir() / "map" / "world_110m.json"


class MapDataError(ValueError):
    """The bundled outline is missing or not the expected format; the message names the file."""


def load_outline(path: Path | None = None) -> list[QPainterPath]:
    """Country outlines as painter paths in (longitude, -latitude) degrees."""
    path = path or outline_path()
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise MapDataError(f"{path}: cannot read the map outline ({exc})") from exc
    if raw.get("format") != "conflict-annotator/world-outline":
        raise MapDataError(f"{path}: field 'format' must be 'conflict-annotator/world-outline'")
    paths = []
    for country in raw["countries"]:
        shape = QPainterPath()
        shape.setFillRule(Qt.FillRule.OddEvenFill)  # holes (lakes, enclaves) are rings like any other
        for ring in country["rings"]:
            shape.moveTo(ring[0][0], -ring[0][1])
            for lon, lat in ring[1:]:
                shape.lineTo(lon, -lat)
            shape.closeSubpath()
        paths.append(shape)
    return paths


class EventMap(QWidget):
    """Events (rows of :func:`annotator.eventtable.export.event_rows`) as points on a world outline."""

    eventClicked = Signal(int, int)  # article id, event span id

    def __init__(self, parent: QWidget | None = None, *, outline: Path | None = None):
        super().__init__(parent)
        self._outline = load_outline(outline)
        self._events: list[dict] = []
        self._unplaced = 0  # events of the table with no coordinates, which the map cannot show
        self._extent = QRectF(-180, -90, 360, 180)  # lon, -lat
        self._layout: tuple | None = None  # (clusters, labels), until the view or the events change
        self._press: QPointF | None = None
        self._dragged = False
        self.setMinimumSize(320, 200)
        self.setMouseTracking(True)
        self.setAccessibleName("Event map")

    # -- data ----------------------------------------------------------------------------------
    def set_events(self, rows: Sequence[dict]) -> None:
        """Show the rows that have coordinates and zoom to them."""
        self._events = [r for r in rows if r.get("latitude") is not None and r.get("longitude") is not None]
        self._unplaced = len(rows) - len(self._events)
        self.zoom_to_events()

    def caption(self) -> str:
        """What the map shows, under it: counted and uncounted events on it, and how many have no place,
        so that its numbers add up to the table's."""
        counted = sum(1 for r in self._events if r.get("counted", True))
        text = (f"{counted} event{'' if counted == 1 else 's'} counted, {len(self._events) - counted} not"
                " (planned, hypothetical, denied)")
        if self._unplaced:
            text += f"; {self._unplaced} without a place, not on the map"
        return text + "  ·  Natural Earth 1:110m"

    def events(self) -> list[dict]:
        return list(self._events)

    def zoom_to_events(self) -> None:
        if not self._events:
            self._extent = QRectF(-180, -90, 360, 180)
        else:
            lons = [r["longitude"] for r in self._events]
            lats = [-r["latitude"] for r in self._events]
            width = max(max(lons) - min(lons), _MIN_SPAN_DEGREES)
            height = max(max(lats) - min(lats), _MIN_SPAN_DEGREES)
            centre = QPointF((max(lons) + min(lons)) / 2, (max(lats) + min(lats)) / 2)
            # A margin so edge points are not cut by the frame, wider on the right, where names are written
            # first (a name that would pass the map's edge is written on another side, or not at all).
            left, right, vertical = 0.2, 0.5, 0.15
            self._extent = QRectF(centre.x() - width * (0.5 + left), centre.y() - height * (0.5 + vertical),
                                  width * (1 + left + right), height * (1 + 2 * vertical))
        self._changed()

    def _changed(self) -> None:
        self._layout = None
        self.update()

    def extent(self) -> QRectF:
        """What the map shows: longitude and minus latitude, in degrees."""
        return QRectF(self._extent)

    def zoom(self, factor: float, about: QPointF | None = None) -> None:
        """Zoom in (factor > 1) or out, keeping the place under ``about`` (widget pixels) where it is."""
        about = about if about is not None else QPointF(self.width() / 2, self.height() / 2)
        inverse, _ok = self._transform().inverted()
        anchor = inverse.map(about)
        width = min(max(self._extent.width() / factor, _MIN_ZOOM_DEGREES), 360.0)
        height = min(max(self._extent.height() / factor, _MIN_ZOOM_DEGREES), 180.0)
        left = anchor.x() - (anchor.x() - self._extent.left()) * width / self._extent.width()
        top = anchor.y() - (anchor.y() - self._extent.top()) * height / self._extent.height()
        self._extent = QRectF(left, top, width, height)
        self._changed()

    def pan(self, dx: float, dy: float) -> None:
        """Move the view by (dx, dy) widget pixels: the map follows the pointer."""
        inverse, _ok = self._transform().inverted()
        origin, moved = inverse.map(QPointF(0, 0)), inverse.map(QPointF(dx, dy))
        self._extent.translate(origin.x() - moved.x(), origin.y() - moved.y())
        self._changed()

    # -- clusters and labels ---------------------------------------------------------------------
    def clusters(self) -> list[tuple[QPointF, list[dict]]]:
        """Events as drawn: (centre in widget pixels, its events), nearer ones merged."""
        return self._laid_out()[0]

    def label_rects(self) -> list[tuple[str, QRectF]]:
        """The names written and where: none overlaps another or any point."""
        return self._laid_out()[1]

    def _laid_out(self) -> tuple:
        if self._layout is None:
            transform = self._transform()
            groups: list[list] = []  # [sum x, sum y, rows]
            ordered = sorted(self._events, key=lambda r: (-int(r.get("number_of_sources") or 1), r["event_id_cnty"]))
            for row in ordered:
                point = transform.map(QPointF(row["longitude"], -row["latitude"]))
                for group in groups:
                    n = len(group[2])
                    if math.hypot(group[0] / n - point.x(), group[1] / n - point.y()) < CLUSTER_PIXELS:
                        group[0] += point.x()
                        group[1] += point.y()
                        group[2].append(row)
                        break
                else:
                    groups.append([point.x(), point.y(), [row]])
            clusters = [(QPointF(x / len(rows), y / len(rows)), rows) for x, y, rows in groups]
            metrics = QFontMetricsF(self.font())
            taken = [QRectF(c.x() - self._radius(rows), c.y() - self._radius(rows), 2 * self._radius(rows),
                            2 * self._radius(rows)) for c, rows in clusters]
            labels = []
            for centre, rows in sorted(clusters, key=lambda c: -len(c[1])):
                names = list(dict.fromkeys(str(r.get("location") or "") for r in rows if r.get("location")))
                if not names:
                    continue
                text = names[0] + (f" +{len(names) - 1}" if len(names) > 1 else "")
                size = metrics.size(0, text)
                radius = self._radius(rows)
                for dx, dy in ((radius + 3, -size.height() / 2), (-radius - 3 - size.width(), -size.height() / 2),
                               (-size.width() / 2, -radius - 2 - size.height()), (-size.width() / 2, radius + 2)):
                    rect = QRectF(centre.x() + dx, centre.y() + dy, size.width(), size.height())
                    # Inside the map too: a name past its edge was cut ("Sievierodonetsk +" at the right).
                    if QRectF(self.rect()).contains(rect) and not any(rect.intersects(other) for other in taken):
                        taken.append(rect)
                        labels.append((text, rect))
                        break
            self._layout = (clusters, labels)
        return self._layout

    @staticmethod
    def _radius(rows: list[dict]) -> float:
        if len(rows) > 1:
            return POINT_RADIUS + 3 + min(len(rows), 30) ** 0.5 * 2
        return POINT_RADIUS + min(int(rows[0].get("number_of_sources") or 1) - 1, 4)

    # -- projection ----------------------------------------------------------------------------
    def _transform(self) -> QTransform:
        extent = self._extent
        squeeze = max(math.cos(math.radians(-extent.center().y())), 0.2)
        width_deg = extent.width() * squeeze
        scale = min(self.width() / width_deg, self.height() / extent.height())
        transform = QTransform()
        transform.translate(self.width() / 2, self.height() / 2)
        transform.scale(scale * squeeze, scale)
        transform.translate(-extent.center().x(), -extent.center().y())
        return transform

    def point_of(self, row: dict) -> QPointF:
        """Where an event is drawn, in widget coordinates."""
        return self._transform().map(QPointF(row["longitude"], -row["latitude"]))

    def cluster_at(self, position: QPointF) -> tuple[QPointF, list[dict]] | None:
        """The point or cluster drawn under ``position``, if any."""
        best, best_distance = None, None
        for centre, rows in self.clusters():
            distance = math.hypot(centre.x() - position.x(), centre.y() - position.y())
            if distance <= max(HIT_RADIUS, self._radius(rows)) and (best_distance is None or distance < best_distance):
                best, best_distance = (centre, rows), distance
        return best

    def event_at(self, position: QPointF) -> dict | None:
        """The event drawn under ``position``: a point's, or a cluster's first (most reported) event."""
        found = self.cluster_at(position)
        return found[1][0] if found else None

    # -- Qt --------------------------------------------------------------------------------------
    def paintEvent(self, event) -> None:  # noqa: N802 - Qt's name
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), QColor("#dbe9f4"))
        painter.save()
        painter.setTransform(self._transform())
        border = QPen(QColor("#8a8a8a"))
        border.setCosmetic(True)  # one pixel wide whatever the zoom
        painter.setPen(border)
        painter.setBrush(QBrush(QColor("#f4f1ea")))
        for shape in self._outline:
            painter.drawPath(shape)
        painter.restore()
        for centre, rows in self.clusters():
            radius = self._radius(rows)
            painter.setPen(QPen(QColor("#222222"), 1))
            if len(rows) > 1:
                painter.setBrush(QBrush(QColor("#555555")))
                painter.drawEllipse(centre, radius, radius)
                painter.setPen(QColor("#ffffff"))
                painter.drawText(QRectF(centre.x() - radius, centre.y() - radius, 2 * radius, 2 * radius),
                                 Qt.AlignmentFlag.AlignCenter, str(len(rows)))
                continue
            row = rows[0]
            colour = QColor(EVENT_COLOURS.get(row.get("event_type", ""), "#444444"))
            # Events left out of counts (planned, hypothetical, denied) are drawn hollow.
            painter.setBrush(QBrush(colour) if row.get("counted", True) else Qt.BrushStyle.NoBrush)
            painter.drawEllipse(centre, radius, radius)
        # Names after all points, each only where it overlaps no other name or point.
        painter.setPen(QColor("#222222"))
        for text, rect in self.label_rects():
            painter.drawText(rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, text)
        painter.setPen(QColor("#333333"))
        # Wrapped: a narrow map (the event window beside its table) would cut the caption's end off.
        painter.drawText(self.rect().adjusted(8, 4, -8, -4),
                         Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom | Qt.TextFlag.TextWordWrap,
                         self.caption())
        painter.end()

    def mouseMoveEvent(self, event) -> None:  # noqa: N802
        if self._press is not None and event.buttons() & Qt.MouseButton.LeftButton:
            delta = event.position() - self._press
            if self._dragged or math.hypot(delta.x(), delta.y()) >= DRAG_PIXELS:
                self._dragged = True
                self.pan(delta.x(), delta.y())
                self._press = event.position()
                return
        row = self.event_at(event.position())
        self.setToolTip(
            f"{row['event_date'] or 'undated'} · {row['event_type']} · {row['location']}\n"
            f"{row['source']} ({row['number_of_sources']} sources)" if row else "")
        super().mouseMoveEvent(event)

    def mousePressEvent(self, event) -> None:  # noqa: N802
        if event.button() == Qt.MouseButton.LeftButton:
            self._press, self._dragged = event.position(), False
            return
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event) -> None:  # noqa: N802
        if event.button() == Qt.MouseButton.LeftButton and self._press is not None:
            dragged, self._press, self._dragged = self._dragged, None, False
            if not dragged:
                self._click(event.position())
            return
        super().mouseReleaseEvent(event)

    def _click(self, position: QPointF) -> None:
        found = self.cluster_at(position)
        if found is None:
            return
        centre, rows = found
        places = {(round(r["latitude"], 3), round(r["longitude"], 3)) for r in rows}
        if len(places) > 1:
            self.zoom(2.5, centre)  # several places under one disc: show them apart
            return
        article_id, span_id = (int(x) for x in rows[0]["spans"].split()[0].split(":"))
        self.eventClicked.emit(article_id, span_id)

    def wheelEvent(self, event) -> None:  # noqa: N802
        notches = event.angleDelta().y() / 120
        if notches:
            self.zoom(ZOOM_STEP ** notches, event.position())
        event.accept()

    def resizeEvent(self, event) -> None:  # noqa: N802
        self._changed()
        super().resizeEvent(event)
