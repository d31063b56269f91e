from PySide6.QtCore import QPoint, QRectF, Qt

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


def _shown(qtbot, rows, size=(600, 400)):
    widget = EventMap()
    qtbot.addWidget(widget)
    widget.resize(*size)
    widget.set_events(rows)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def _wheel(widget, position, notches):
    from PySide6.QtCore import QPointF
    from PySide6.QtGui import QWheelEvent
    from PySide6.QtWidgets import QApplication

    point = QPointF(position)
    event = QWheelEvent(point, widget.mapToGlobal(point), QPoint(0, 0), QPoint(0, 120 * notches),
                        Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(widget, event)


def test_event_map_wheel_zooms_about_the_pointer_and_drag_pans(qtbot):
    rows = [row("UKR1-10", 48.94, 38.49, "1:10"), row("UKR3-30", 46.64, 32.61, "3:30")]
    widget = _shown(qtbot, rows)
    before = widget.extent()
    under = widget.point_of(rows[0])
    _wheel(widget, under.toPoint(), 2)
    assert widget.extent().width() < before.width() * 0.7  # zoomed in
    after = widget.point_of(rows[0])
    assert abs(after.x() - under.x()) < 2 and abs(after.y() - under.y()) < 2  # the place under the pointer stays
    start = widget.point_of(rows[1])
    qtbot.mousePress(widget, Qt.MouseButton.LeftButton, pos=QPoint(300, 200))
    for x in range(300, 361, 10):
        qtbot.mouseMove(widget, QPoint(x, 200 + (x - 300) // 2))
    qtbot.mouseRelease(widget, Qt.MouseButton.LeftButton, pos=QPoint(360, 230))
    moved = widget.point_of(rows[1])
    assert abs(moved.x() - start.x() - 60) < 3 and abs(moved.y() - start.y() - 30) < 3  # the map follows the drag


def test_event_map_close_points_cluster_and_labels_never_overlap(qtbot):
    # Thirty events in and around three towns a few kilometres apart, seen from far away.
    rows = [row(f"SYR{i}", 36.20 + (i % 3) * 0.03, 37.15 + (i % 5) * 0.03, f"{i}:{i}") for i in range(1, 31)]
    for r, name in zip(rows, ["Aleppo", "Anadan", "Haritan"] * 10):
        r["location"] = name
    rows.append(row("UKR99", 48.9, 38.5, "99:99"))
    widget = _shown(qtbot, rows)
    clusters = widget.clusters()
    assert sum(len(members) for _, members in clusters) == 31 and len(clusters) < 31
    labels = [rect for _, rect in widget.label_rects()]
    assert all(not a.intersects(b) for i, a in enumerate(labels) for b in labels[i + 1:])
    # A click on a cluster of several places zooms in until they come apart.
    centre, members = max(clusters, key=lambda c: len(c[1]))
    width = widget.extent().width()
    with qtbot.assertNotEmitted(widget.eventClicked):
        qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=centre.toPoint())
    assert widget.extent().width() < width
    for _ in range(8):
        _wheel(widget, widget.point_of(rows[0]).toPoint(), 4)
    assert len(widget.clusters()) > len(clusters)
    labels = [rect for _, rect in widget.label_rects()]
    assert all(not a.intersects(b) for i, a in enumerate(labels) for b in labels[i + 1:])


def test_event_map_says_how_many_events_have_no_place(qtbot):
    # the table counted an event the map could not show: its caption said fewer events than the table
    unplaced = row("XXX9-90", None, None, "9:90")
    widget = _shown(qtbot, [row("UKR1-10", 48.94, 38.49, "1:10"), row("UKR3-30", 46.64, 32.61, "3:30", counted=False),
                            unplaced])
    assert widget.caption().startswith("1 event counted, 1 not (planned, hypothetical, denied); "
                                       "1 without a place, not on the map")
    widget.set_events([row("UKR1-10", 48.94, 38.49, "1:10")])
    assert "without a place" not in widget.caption()


def test_event_map_writes_no_name_past_its_edge(qtbot):
    # the easternmost point's name ran off the map ("Sievierodonetsk +"): a name is written inside or not at all
    rows = [row("UKR1-10", 48.94, 38.49, "1:10"), row("MLI2-20", 12.65, -8.0, "2:20"), row("SYR3-30", 36.2, 37.16, "3:30")]
    for r, name in zip(rows, ["Sievierodonetsk and a long name", "Bamako and a long name", "Aleppo"]):
        r["location"] = name
    widget = _shown(qtbot, rows, size=(420, 300))
    assert widget.label_rects()
    assert all(QRectF(widget.rect()).contains(rect) for _, rect in widget.label_rects())
