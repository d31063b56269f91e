from PySide6.QtCore import QPoint, Qt

from annotator.gui.event_map import EventMap


def row(event_id, lat, lon, spans, event_type="Battles", counted=True):
    return {"event_id_cnty": event_id, "latitude": lat, "longitude": lon, "spans": spans, "event_type": event_type,
            "counted": counted, "event_date": "2022-06-24", "location": "x", "source": "s", "number_of_sources": 1}


def test_event_map_click_on_a_point_emits_its_article_and_span(qtbot):
    widget = EventMap()
    qtbot.addWidget(widget)
    widget.resize(600, 400)
    rows = [row("UKR1-10", 48.94, 38.49, "1:10 2:20"), row("UKR3-30", 46.64, 32.61, "3:30"),
            row("SYR4-40", 36.2, 37.16, "4:40", counted=False)]
    widget.set_events(rows)
    widget.show()
    qtbot.waitExposed(widget)
    point = widget.point_of(rows[1]).toPoint()
    assert widget.rect().contains(point)  # zoomed to the events: every point is on screen
    with qtbot.waitSignal(widget.eventClicked) as clicked:
        qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=point)
    assert clicked.args == [3, 30]
    first = widget.point_of(rows[0]).toPoint()
    with qtbot.waitSignal(widget.eventClicked) as clicked:
        qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=first)
    assert clicked.args == [1, 10]  # a group opens at its first report


def test_event_map_click_on_empty_sea_emits_nothing(qtbot):
    widget = EventMap()
    qtbot.addWidget(widget)
    widget.resize(600, 400)
    widget.set_events([row("UKR1-10", 48.94, 38.49, "1:10"), row("UKR3-30", 46.64, 32.61, "3:30")])
    widget.show()
    qtbot.waitExposed(widget)
    with qtbot.assertNotEmitted(widget.eventClicked):
        qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=QPoint(3, 3))
