"""The event map: a bundled Natural Earth outline (no tile server is reachable) with events as points.

Equirectangular projection, its x squeezed by the cosine of the middle latitude so towns keep their
shape at the scale of a war; zoomed to the events' extent. Clicking a point emits ``eventClicked`` with
the article id and event span id of the event's first report, so the window can open it.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Sequence

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QPainter, QPainterPath, QPen, QTransform
from PySide6.QtWidgets import QWidget

from annotator import config

# Colours of the scheme's event labels (resources/schemes/conflict.json), by ACLED event type.
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
_MIN_SPAN_DEGREES = 4.0


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
        self._extent = QRectF(-180, -90, 360, 180)  # lon, -lat
        self.setMinimumSize(320, 200)
        self.setMouseTracking(True)
        self.setAccessibleName("Event map")

    # -- data ----------------------------------------------------------------------------------
    def set_events(self, rows: Sequence[dict]) -> None:
        """Show the rows that have coordinates and zoom to them."""
        self._events = [r for r in rows if r.get("latitude") is not None and r.get("longitude") is not None]
        self.zoom_to_events()

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
            pad = 1.3  # a margin so edge points are not cut by the frame
            self._extent = QRectF(centre.x() - width * pad / 2, centre.y() - height * pad / 2, width * pad, height * pad)
        self.update()

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

    def event_at(self, position: QPointF) -> dict | None:
        """The event drawn nearest ``position`` within the hit radius; the most recent on ties."""
        best, best_distance = None, float(HIT_RADIUS)
        for row in self._events:
            point = self.point_of(row)
            distance = math.hypot(point.x() - position.x(), point.y() - position.y())
            if distance <= best_distance:
                best, best_distance = row, distance
        return best

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
        for row in sorted(self._events, key=lambda r: r.get("counted", True)):
            point = self.point_of(row)
            colour = QColor(EVENT_COLOURS.get(row.get("event_type", ""), "#444444"))
            painter.setPen(QPen(QColor("#222222"), 1))
            # Events left out of counts (planned, hypothetical, denied) are drawn hollow.
            painter.setBrush(QBrush(colour) if row.get("counted", True) else Qt.BrushStyle.NoBrush)
            radius = POINT_RADIUS + min(int(row.get("number_of_sources", 1)) - 1, 4)
            painter.drawEllipse(point, radius, radius)
        # Place names beside the points, after all points, so no point hides a name.
        painter.setPen(QColor("#222222"))
        for row in self._events:
            if row.get("location"):
                point = self.point_of(row)
                painter.drawText(point + QPointF(POINT_RADIUS + 4, 4), str(row["location"]))
        painter.setPen(QColor("#333333"))
        counted = sum(1 for r in self._events if r.get("counted", True))
        painter.drawText(self.rect().adjusted(8, 4, -8, -4), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom,
                         f"{counted} events counted, {len(self._events) - counted} not (planned, hypothetical, denied)"
                         "  ·  Natural Earth 1:110m")
        painter.end()

    def mouseMoveEvent(self, event) -> None:  # noqa: N802
        row = self.event_at(event.position())
        self.setToolTip(
            f"{row['event_date'] or 'undated'} · {row['event_type']} · {row['location']}\n"
            f"{row['source']} ({row['number_of_sources']} sources)" if row else "")
        super().mouseMoveEvent(event)

    def mousePressEvent(self, event) -> None:  # noqa: N802
        if event.button() == Qt.MouseButton.LeftButton:
            row = self.event_at(event.position())
            if row is not None:
                article_id, span_id = (int(x) for x in row["spans"].split()[0].split(":"))
                self.eventClicked.emit(article_id, span_id)
                return
        super().mousePressEvent(event)

    def resizeEvent(self, event) -> None:  # noqa: N802
        self.update()
        super().resizeEvent(event)
