"""Render the event map offscreen with invented events: docs/screenshots/event_map.png (all events,
close ones clustered) and event_map_zoomed.png (zoomed in on the Donbas as the wheel would).

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/event_map_screenshot.py
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from annotator.eventtable.export import event_rows  # noqa: E402
from annotator.eventtable.linking import propose  # noqa: E402
from annotator.eventtable.records import RecordBuilder  # noqa: E402
from eventtable_fixtures import Annotated, withdrawal_pair  # noqa: E402

# Invented reports across eastern and southern Ukraine (place names only are real).
EXTRA = [
    ("Artillery struck Kramatorsk overnight, killing two people.", "2022-06-20", "struck",
     "EXPLOSIONS_REMOTE_VIOLENCE", {"location": ("Kramatorsk", "LOCATION"), "fatalities": ("two people", "QUANTITY")}),
    ("Troops clashed near Izium on Tuesday.", "2022-06-23", "clashed", "BATTLES", {"location": ("Izium", "LOCATION")}),
    ("Residents protested in Kherson on Sunday.", "2022-06-27", "protested", "PROTESTS",
     {"actor": ("Residents", "QUANTITY"), "location": ("Kherson", "LOCATION")}),
    ("A drone hit a depot in Mykolaiv yesterday.", "2022-06-22", "hit", "EXPLOSIONS_REMOTE_VIOLENCE",
     {"location": ("Mykolaiv", "LOCATION")}),
    ("Officials said forces may try to retake Lyman next month.", "2022-06-22", "retake", "BATTLES",
     {"location": ("Lyman", "LOCATION"), "modality": "hypothetical"}),
    ("Gunmen abducted a mayor in Melitopol on Friday.", "2022-06-24", "abducted", "VIOLENCE_AGAINST_CIVILIANS",
     {"actor": ("Gunmen", "ARMED_GROUP"), "location": ("Melitopol", "LOCATION")}),
]


# More invented reports, a few kilometres apart, so that points cluster at the scale of the country.
DONBAS = ["Bakhmut", "Soledar", "Sloviansk", "Kramatorsk", "Lysychansk", "Popasna", "Siversk", "Kostiantynivka",
          "Druzhkivka", "Avdiivka", "Marinka", "Vuhledar"]
for number, town in enumerate(DONBAS * 2):
    day = 10 + number % 15
    EXTRA.append((f"Shells hit {town} on {day} June 2022, officials said.", f"2022-06-{day + 1:02d}", "hit",
                  "EXPLOSIONS_REMOTE_VIOLENCE", {"location": (town, "LOCATION")}))


def main() -> None:
    from PySide6.QtWidgets import QApplication

    from annotator.gui.event_map import EventMap

    app = QApplication.instance() or QApplication([])
    articles = list(withdrawal_pair())
    for index, (text, published, trigger, label, arguments) in enumerate(EXTRA, start=10):
        item = Annotated(index, text, source="Invented Gazette", published=published)
        item.event(trigger, label, **arguments)
        articles.append(item)
    builder = RecordBuilder()
    records = [r for a in articles for r in builder.records(a.article, a.spans, a.links)]
    rows = event_rows(propose(records), {r.key: r for r in records})
    widget = EventMap()
    widget.resize(900, 600)
    widget.set_events(rows)
    widget.show()
    app.processEvents()
    folder = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
    widget.grab().save(str(folder / "event_map.png"))
    kramatorsk = next(r for r in rows if r["location"] == "Kramatorsk")
    widget.zoom(4.0, widget.point_of(kramatorsk))
    here = widget.point_of(kramatorsk)
    widget.pan(widget.width() / 2 - here.x(), widget.height() / 2 - here.y())  # as a drag would
    app.processEvents()
    widget.grab().save(str(folder / "event_map_zoomed.png"))
    print(f"{len(rows)} events drawn in {len(widget.clusters())} points or clusters when zoomed; "
          f"saved {folder / 'event_map.png'} and {folder / 'event_map_zoomed.png'}")


if __name__ == "__main__":
    main()
