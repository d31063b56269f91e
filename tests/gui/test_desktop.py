"""The window as it is on a real desktop: the interface font with a colour emoji font installed, and
every window fitting a 1366x768 laptop screen (conftest.py gives the offscreen platform that screen)."""

from __future__ import annotations

import pytest
from conftest import LAPTOP, open_test_window
from eventtable_fixtures import places_index  # noqa: F401 - a fixture
from PySide6.QtGui import QColor, QFontInfo
from PySide6.QtWidgets import QApplication, QStyle

from annotator.gui import fonts
from annotator.store import Store

def emoji_installed() -> bool:
    return fonts.installed_emoji_family() is not None


def assert_fits(window) -> None:
    """The whole window, frame included, on the screen's free area; and that is a laptop's."""
    QApplication.processEvents()
    room = window.screen().availableGeometry()
    assert (room.width(), room.height()) <= LAPTOP
    frame = window.frameGeometry()
    assert room.contains(frame), f"{type(window).__name__} at {frame} does not fit {room}"


def coloured_pixels(widget) -> int:
    image = widget.grab().toImage()
    count = 0
    for x in range(0, image.width(), 1):
        for y in range(image.height()):
            colour = QColor(image.pixel(x, y))
            count += colour.saturation() > 90 and colour.value() > 90
    return count


def test_desktop_interface_keeps_its_font_with_the_emoji_font_installed(window):
    assert emoji_installed(), "install fonts-noto-color-emoji: .ci/run does"
    for font in (QApplication.font(), window.font(), window.view.font(), window.span_panel.font()):
        assert QFontInfo(font).family() not in fonts.EMOJI_FAMILIES
    # A space is a space, not an emoji cell.
    assert window.view.fontMetrics().horizontalAdvance(" ") < 8


def test_desktop_emoji_in_article_text_are_drawn_in_colour(window, project, qtbot):
    _path, ids = project
    window.controller.open_article(ids["plain0"])  # no emoji: the text is grey on white
    plain = coloured_pixels(window.view.viewport())
    window.controller.open_article(ids["tricky"])  # a flag and a smiley
    qtbot.wait(50)
    assert coloured_pixels(window.view.viewport()) > plain + 40


def samples_project(tmp_path):
    from annotator.importers import import_samples
    from fixtures import build_project

    path = tmp_path / "samples.sqlite"
    with Store.open(path) as store:
        ids = build_project(store)
        import_samples(store)
    return path, ids


def test_desktop_main_window_fits_a_laptop_screen_open_and_with_an_event_selected(qtbot, tmp_path, home, answers):
    path, ids = samples_project(tmp_path)
    window = open_test_window(qtbot, path)
    try:
        qtbot.wait(50)  # the docks are placed once the window has its size
        assert_fits(window)
        height = window.frameGeometry().height()
        window.controller.open_article(ids["report"])
        window.controller.select(ids["fire"])  # a suggested event: modality, sub-event type, arguments
        assert_fits(window)
        assert window.frameGeometry().height() == height
        window.view.setFocus()
        qtbot.keyClick(window.view, "a")  # accepted: the event table's reading shows too
        window.controller.select(next(s.id for s in window.controller.session.spans if s.suggestion_id == ids["fire"]))
        assert_fits(window)
        assert window.frameGeometry().height() == height
    finally:
        window.close()
        window.store.close()


@pytest.fixture
def events_window(qtbot, tmp_path, places_index, monkeypatch):
    from eventtable_fixtures import store_pair

    from annotator.gui.event_window import EventWindow

    monkeypatch.setattr("annotator.eventtable.places.load_index", lambda *args, **kwargs: places_index)
    store = Store.open(tmp_path / "events.sqlite")
    store_pair(store)
    window = EventWindow(store, "rita", annotator="ana")
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    yield window
    window.close()
    store.close()


def test_desktop_events_window_fits_and_shows_its_event_types_whole(events_window, qtbot):
    window = events_window
    qtbot.wait(20)
    assert_fits(window)
    view, model = window.groups_view, window.groups
    margin = 2 * (view.style().pixelMetric(QStyle.PM_FocusFrameHMargin, None, view) + 1)  # as Qt draws a cell
    for row in range(model.rowCount()):
        shown = model.data(model.index(row, 0))
        assert view.fontMetrics().horizontalAdvance(shown) + margin <= view.columnWidth(0), shown
        assert view.visualRect(model.index(row, 0)).right() < view.viewport().width()  # not scrolled away


@pytest.mark.parametrize("keys", ["Esc", "Ctrl+W"])
def test_desktop_escape_and_ctrl_w_close_the_events_window(events_window, qtbot, keys):
    from PySide6.QtGui import QKeySequence
    from PySide6.QtTest import QTest

    window = events_window
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=3000)
    window.groups_view.setFocus()
    combination = QKeySequence(keys)[0]
    QTest.keyClick(window.groups_view, combination.key(), combination.keyboardModifiers())
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=2000)


def test_desktop_review_window_fits_a_laptop_screen(qtbot, tmp_path):
    import importlib.util
    import sys
    from pathlib import Path

    from annotator.gui.review_window import ReviewWindow

    spec = importlib.util.spec_from_file_location(
        "review_fixture", Path(__file__).resolve().parents[1] / "test_agreement_fixture.py")
    fixture = sys.modules.setdefault("review_fixture", importlib.util.module_from_spec(spec))
    spec.loader.exec_module(fixture)
    with Store.open(tmp_path / "review.sqlite") as store:
        fixture.build_three_annotators(store)
        window = ReviewWindow(store, "rita")
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        qtbot.waitUntil(lambda: window.queue_complete, timeout=10_000)
        try:
            assert_fits(window)
            window.step_disagreement(1)
            assert_fits(window)
        finally:
            window.close()


def test_desktop_selecting_an_event_keeps_the_span_table_rows_in_sight(window, project, qtbot):
    from annotator.gui.span_panel import MIN_TABLE_ROWS

    _path, ids = project
    qtbot.wait(50)
    height = window.frameGeometry().height()
    table = window.span_panel.table

    def rows_in_sight() -> int:
        return table.viewport().height() // table.verticalHeader().defaultSectionSize()

    before = rows_in_sight()
    window.controller.select(ids["fire"])
    qtbot.keyClick(window.view, "a")  # accepted: its event-table reading joins the details
    window.controller.select(next(s.id for s in window.controller.session.spans if s.suggestion_id == ids["fire"]))
    QApplication.processEvents()
    assert window.frameGeometry().height() == height
    assert rows_in_sight() >= min(before, MIN_TABLE_ROWS)
    assert_fits(window)


def test_desktop_article_list_shows_whole_titles_and_its_columns_whole(qtbot, tmp_path, home, answers):
    from PySide6.QtCore import QRect, Qt

    from annotator.gui.article_list import TITLE_LINES

    path, _ids = samples_project(tmp_path)
    window = open_test_window(qtbot, path)
    try:
        qtbot.wait(50)
        panel = window.article_list
        table, model = panel.table, panel.model
        metrics = table.fontMetrics()
        room = table.columnWidth(1) - 12
        for row in range(model.rowCount()):
            title = model.data(model.index(row, 1))
            # A headline of up to 50 characters is on show whole (a longer one's end is in the tooltip).
            lines = metrics.boundingRect(QRect(0, 0, room, 10_000), Qt.TextWordWrap, title[:50]).height()
            assert lines <= TITLE_LINES * metrics.lineSpacing(), title
            assert table.rowHeight(row) >= TITLE_LINES * metrics.lineSpacing()
        for column in (2, 4):
            heading = model.headerData(column, Qt.Horizontal)
            assert table.horizontalHeader().fontMetrics().horizontalAdvance(heading) < table.columnWidth(column)
    finally:
        window.close()
        window.store.close()


def test_desktop_label_tags_of_neighbouring_spans_never_overlap(window, qtbot):
    from PySide6.QtCore import QRectF

    from annotator.domain import Layer

    text = ("Ann Bo Cy 🇺🇦 Di Ed Flo Gus Hal Ivo Jo Kai Lu Max Ned Oz Pia Qi Ro Sy Ty Ulf Vi Wu Xi Yo Zed "
            "and then a long sentence follows, with more short names: Al Bea Col Dot Eve Fay Gil Hu Ike.")
    store = window.store
    article_id, _ = store.articles.add(text, title="Tags")
    position = 0
    for word in text.replace(",", " ").replace(".", " ").replace(":", " ").split():
        start = text.index(word, position)
        position = start + len(word)
        if word[0].isupper():  # long labels on short words: every tag is wider than its span
            label = "EXPLOSIONS_REMOTE_VIOLENCE" if len(word) % 2 else "STRATEGIC_DEVELOPMENTS"
            store.spans.add(article_id, start, position, label, Layer.EVENT, annotator="ana")
    window.controller.open_article(article_id)
    view = window.view
    for width in (420, 700):  # the text pane narrow and wider: different words end the lines
        window.view.setFixedWidth(width)
        view.painted_tags = []
        view.viewport().update()
        qtbot.waitUntil(lambda: bool(view.painted_tags))
        tags = [rect for _span, rect in view.painted_tags]
        assert len(tags) > 10
        for i, first in enumerate(tags):
            assert QRectF(view.viewport().rect()).contains(first), first
            for second in tags[i + 1:]:
                assert not first.intersects(second), (first, second)
