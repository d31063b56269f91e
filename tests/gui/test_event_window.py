"""The event table window through its real widgets: proposed events, confirm/split/merge with undo, a
report opening its article."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from annotator.gui.event_window import EventWindow, choose_rows
from annotator.store import Store
from eventtable_fixtures import places_index, store_pair  # noqa: F401 - a fixture


@pytest.fixture
def events(qtbot, tmp_path, places_index, monkeypatch):
    monkeypatch.setattr("annotator.eventtable.places.load_index", lambda *args, **kwargs: places_index)
    store = Store.open(tmp_path / "events.sqlite")
    ids = store_pair(store)
    window = EventWindow(store, "rita", annotator="ana")
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    yield window, store, ids
    window.close()
    store.close()


def rows(window) -> list[tuple[str, ...]]:
    model = window.groups
    return [tuple(model.data(model.index(r, c)) for c in range(model.columnCount())) for r in range(model.rowCount())]


def test_event_window_models_pass_qt_model_tests(qtmodeltester, events):
    window, _store, _ids = events
    qtmodeltester.check(window.groups)
    qtmodeltester.check(window.reports)


def test_event_window_shows_the_withdrawal_once_with_two_reports_on_the_map(events):
    window, _store, _ids = events
    table = rows(window)
    assert table[0][0].startswith("Strategic developments") and table[0][4] == "2"
    withdrawal = window.session.table.grouping.get(window.groups.group_at(0).id)
    assert {window.session.table.records[k].place.place.geonameid for k in withdrawal.members} == {691999}
    assert table[0][2] == window.session.table.records[withdrawal.members[0]].place.place.name
    assert len(table) == 2 and window.reports.rowCount() == 2
    assert len(window.map.events()) == 2


def test_event_window_split_then_undo_and_confirm(qtbot, events):
    window, store, _ids = events
    choose_rows(window.groups_view, [0])
    choose_rows(window.reports_view, [1])
    qtbot.keyClick(window.groups_view, Qt.Key_S)
    assert len(rows(window)) == 3 and all(r[4] == "1" for r in rows(window))
    assert all("confirmed" in r[5] for r in rows(window) if r[0].startswith("Strategic"))
    qtbot.keyClick(window.groups_view, Qt.Key_Z, Qt.ControlModifier)
    assert [r[4] for r in rows(window)] == ["2", "1"] and store.events.groups() == {}
    choose_rows(window.groups_view, [0])
    qtbot.keyClick(window.groups_view, Qt.Key_C)
    assert rows(window)[0][5] == "confirmed" and len(store.events.groups()) == 1


def test_event_window_double_clicked_report_asks_to_open_its_article(qtbot, events):
    window, _store, ids = events
    choose_rows(window.groups_view, [0])
    record = window.reports.record_at(0)
    with qtbot.waitSignal(window.eventActivated) as opened:
        window.reports_view.doubleClicked.emit(window.reports.index(0, 0))
    assert opened.args == [record.article_id, record.span_id]


def test_event_window_shows_each_table_its_session_builds(events):
    """The session alone builds the table again: the rows, the reports and the map follow it."""
    window, store, ids = events
    reported = int(window.summary.text().split()[0])
    first_article = next(article_id for key, article_id in ids.items() if ":" not in key)
    store.states.set(first_article, "ana", "in_progress")  # its reports leave the table
    window.session.rebuild()
    assert all(row[4] == "1" for row in rows(window))  # the withdrawal has one report left
    assert int(window.summary.text().split()[0]) < reported
    assert window.reports.rowCount() == 1


def window_over(qtbot, store, reports, trigger="attacked", label="BATTLES"):
    """An events window over invented reports, each an article with one event annotated by ana and done."""
    from annotator.domain import ArticleState, Layer

    for text, published in reports:
        article_id, _ = store.articles.add(text, title="Report", source="Invented Wire", published=published)
        start = text.index(trigger)
        store.spans.add(article_id, start, start + len(trigger), label, Layer.EVENT, annotator="ana")
        store.states.set(article_id, "ana", ArticleState.DONE)
    window = EventWindow(store, "rita", annotator="ana")
    qtbot.addWidget(window)
    return window


def test_event_window_names_a_village_the_gazetteer_lacks_and_where_it_is_placed(qtbot, tmp_path, places_index,
                                                                                 monkeypatch):
    monkeypatch.setattr("annotator.eventtable.places.load_index", lambda *args, **kwargs: places_index)
    store = Store.open(tmp_path / "village.sqlite")
    window = window_over(qtbot, store, [("Rebels shelled the village of Qarawiyat Zubaydah in southern Idlib province "
                                         "on Monday.", "2024-05-13")], trigger="shelled")
    try:
        assert rows(window)[0][2] == "Qarawiyat Zubaydah (not in the gazetteer: Idlib, region)"
        (point,) = window.map.events()  # on the map at the province's centre, under the village's name
        assert point["location"] == "Qarawiyat Zubaydah" and point["location_precision"] == "region"
        assert 35 < point["latitude"] < 37 and 36 < point["longitude"] < 37.5
    finally:
        window.close()
        store.close()


def test_event_window_row_shows_the_most_specific_place_as_the_export_does(qtbot, tmp_path, places_index,
                                                                          monkeypatch):
    # Two reports of one attack: the first names the province, the second the town in it. The row (and the
    # exported CSV) shows the town; the window showed the first report's province.
    monkeypatch.setattr("annotator.eventtable.places.load_index", lambda *args, **kwargs: places_index)
    store = Store.open(tmp_path / "two.sqlite")
    window = window_over(qtbot, store, [
        ("Militants attacked a port convoy in Balochistan on 20 March 2024.", "2024-03-20"),
        ("Militants attacked a convoy near the port in Gwadar on 20 March 2024.", "2024-03-21")])
    try:
        (row,) = rows(window)
        assert row[4] == "2" and row[2].startswith("Gwadar")
        (point,) = window.map.events()
        assert point["location"] == "Gwadar"
    finally:
        window.close()
        store.close()
