"""Reviewer mode and the agreement window through the real widgets (pytest-qt)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextDocument

from annotator.gui.agreement_window import AgreementWindow
from annotator.gui.review_window import ReviewWindow
from annotator.review import gold_spans
from annotator.store import Store

_spec = importlib.util.spec_from_file_location(
    "review_fixture", Path(__file__).resolve().parents[1] / "test_agreement_fixture.py")
fixture = sys.modules.setdefault("review_fixture", importlib.util.module_from_spec(_spec))
_spec.loader.exec_module(fixture)


@pytest.fixture
def three(tmp_path):
    with Store.open(tmp_path / "review.sqlite") as store:
        ids = fixture.build_three_annotators(store)
        yield store, ids


@pytest.fixture
def window(qtbot, three):
    store, _ = three
    opened = ReviewWindow(store, "rita")
    qtbot.addWidget(opened)
    opened.show()
    qtbot.waitExposed(opened)
    wait_for_queue(qtbot, opened)
    opened.activateWindow()
    opened.text_view.setFocus()
    return opened


def wait_for_queue(qtbot, window):
    """The queue of a project file is computed in the background; it is complete when the first
    article is on show."""
    qtbot.waitUntil(lambda: window.queue_complete, timeout=10_000)


def texts(view):
    """What a list view shows, row by row."""
    model = view.model()
    return [model.index(row, 0).data() for row in range(model.rowCount())]


def cells(table):
    """What a table view shows, row by row."""
    model = table.model()
    return [[model.index(r, c).data() for c in range(model.columnCount())] for r in range(model.rowCount())]


def headers(table, orientation=Qt.Horizontal):
    model = table.model()
    count = model.columnCount() if orientation == Qt.Horizontal else model.rowCount()
    return [model.headerData(section, orientation) for section in range(count)]


def click_cell(qtbot, table, row, column, double=False):
    """Click a cell where the user would: in the view's viewport, at the cell."""
    table.scrollTo(table.model().index(row, column))
    where = table.visualRect(table.model().index(row, column)).center()
    qtbot.mouseClick(table.viewport(), Qt.LeftButton, pos=where)
    if double:  # as the platform delivers one: a click, then the second press as a double-click
        qtbot.mouseDClick(table.viewport(), Qt.LeftButton, pos=where)


def press(qtbot, window, key, modifier=Qt.NoModifier):
    qtbot.keyClick(window.text_view, key, modifier)


def gold(store, article_id):
    text = store.articles.get(article_id).text
    return sorted((g.span.text_in(text), g.span.label, g.provenance()) for g in gold_spans(store, article_id))


def test_review_window_lists_the_queue_worst_first_with_progress(window, three):
    _, ids = three
    rows = texts(window.queue_list)
    assert rows[0].startswith(f"#{ids.article_1}  F1 0.29") and rows[1].startswith(f"#{ids.article_3}  F1 0.80")
    assert window.progress_label.text() == "Reviewed 0 of 2"
    assert window.session.current.article.id == ids.article_1
    assert texts(window.disagreement_list)[:4] == [
        "[open] entity “Militia fighters” — boundary",
        "[open] event “attacked” — label, event role, attribute",
        "[open] entity “Dorvan market” — label",
        "[open] entity “Tuesday” — missing",
    ]
    assert texts(window.version_list)[1].startswith("2  ben: ARMED_GROUP “Militia”")


def test_review_window_number_keys_take_versions_and_ctrl_z_undoes(qtbot, window, three):
    store, ids = three
    press(qtbot, window, Qt.Key_2)  # ben's "Militia"
    assert gold(store, ids.article_1) == [("Militia", "ARMED_GROUP", "from ben")]
    # The window moved on to the next open disagreement, the event.
    assert window.current_disagreement().layer == "event"
    press(qtbot, window, Qt.Key_1)  # ana's event, with its arguments
    assert ("attacked", "VIOLENCE_AGAINST_CIVILIANS", "from ana") in gold(store, ids.article_1)
    assert texts(window.disagreement_list)[0].startswith("[settled]")
    press(qtbot, window, Qt.Key_Z, Qt.ControlModifier)
    assert gold(store, ids.article_1) == [("Militia", "ARMED_GROUP", "from ben")]
    press(qtbot, window, Qt.Key_Z, Qt.ControlModifier)
    assert gold(store, ids.article_1) == []
    press(qtbot, window, Qt.Key_Z, Qt.ControlModifier | Qt.ShiftModifier)
    assert gold(store, ids.article_1) == [("Militia", "ARMED_GROUP", "from ben")]


def test_review_window_adds_relabels_and_removes_own_span(qtbot, window, three):
    store, ids = three
    cursor = window.text_view.document().find("Tuesday", 0, QTextDocument.FindCaseSensitively)
    window.text_view.setTextCursor(cursor)
    window.label_choice.setCurrentText("DATE")
    press(qtbot, window, Qt.Key_A)
    assert gold(store, ids.article_1) == [("Tuesday", "DATE", "edited by rita")]
    window.gold_list.setCurrentRow(0)
    window.label_choice.setCurrentText("QUANTITY")
    press(qtbot, window, Qt.Key_L)
    assert gold(store, ids.article_1) == [("Tuesday", "QUANTITY", "edited by rita")]
    window.gold_list.setCurrentRow(0)
    press(qtbot, window, Qt.Key_Delete)
    assert gold(store, ids.article_1) == []
    press(qtbot, window, Qt.Key_Z, Qt.ControlModifier)
    assert gold(store, ids.article_1) == [("Tuesday", "QUANTITY", "edited by rita")]


def test_review_window_finish_marks_gold_done_and_opens_the_next(qtbot, window, three, monkeypatch):
    store, ids = three
    asked = []
    monkeypatch.setattr(window, "confirm", lambda question: asked.append(question) or True)
    for _ in range(4):
        press(qtbot, window, Qt.Key_1)  # ana's version of each disagreement
    press(qtbot, window, Qt.Key_Return, Qt.ControlModifier)
    assert asked == []  # nothing was left open, so nothing to confirm
    assert str(store.states.get(ids.article_1, "gold")[0]) == "done"
    assert window.progress_label.text() == "Reviewed 1 of 2"
    assert window.session.current.article.id == ids.article_3
    # Article 3's agreed spans are already in gold when it opens.
    assert gold(store, ids.article_3) == [("Omar Haddad", "PERSON", "agreed by ben, cho"),
                                         ("Teluk", "LOCATION", "agreed by ben, cho")]
    press(qtbot, window, Qt.Key_Return, Qt.ControlModifier)
    assert asked and "1 disagreement(s) are still open" in asked[0]


def test_review_window_shows_article_text_as_plain_text(qtbot, tmp_path):
    with Store.open(tmp_path / "html.sqlite") as store:
        text = "<b>Shelling</b> hit <a href='x'>Rivne</a> &amp; more"
        article, _ = store.articles.add(text, title="<i>not italic</i>")
        for name, label in (("ana", "LOCATION"), ("ben", "FACILITY")):
            start = text.index("Rivne")
            store.spans.add(article, start, start + 5, label, "entity", annotator=name)
            store.states.set(article, name, "done")
        window = ReviewWindow(store, "rita")
        qtbot.addWidget(window)
        wait_for_queue(qtbot, window)
        assert window.text_view.toPlainText() == text
        assert "<i>not italic</i>" in window.article_title.text()
        assert window.article_title.textFormat() == Qt.PlainText


def test_agreement_window_shows_figures_matrix_and_confusion(qtbot, three):
    store, ids = three
    window = AgreementWindow(store, "rita")
    qtbot.addWidget(window)
    # A project file is measured in a worker thread; its result arrives through the event loop.
    assert window.data is None and window.summary.text() == "Computing agreement…"
    with qtbot.waitSignal(window.computed, timeout=10_000):
        window.show()  # the job started with the window; its result comes through the event loop
    assert "f1_exact 0.522" in window.summary.text()
    assert [label for label, _ in window.bars.rows][:2] == ["ARMED_GROUP", "DATE"]
    window.pair_figure.setCurrentText("cohen_kappa")
    pairs = cells(window.pair_table)
    assert pairs[0][1].startswith("0.878")  # ana ~ ben, 108/123
    assert pairs[1][0] == pairs[0][1]
    window.confusion_pair.setCurrentText("ana ~ cho")
    labels = headers(window.confusion_table, Qt.Vertical)
    row, column = labels.index("ana: LOCATION"), labels.index("ana: FACILITY")
    assert cells(window.confusion_table)[row][column] == "2"  # "Dorvan market", two tokens
    window.kind_choice.setCurrentIndex(1)
    assert "Event triggers" in window.summary.text()
    window.tabs.setCurrentWidget(window.article_table)
    with qtbot.waitSignal(window.articleActivated) as chosen:
        click_cell(qtbot, window.article_table, 0, 0, double=True)
    assert chosen.args == [ids.article_1]


def test_review_window_undo_of_finish_reopens_and_updates_progress(qtbot, window, three, monkeypatch):
    store, ids = three
    monkeypatch.setattr(window, "confirm", lambda question: True)
    press(qtbot, window, Qt.Key_Return, Qt.ControlModifier)
    assert window.progress_label.text() == "Reviewed 1 of 2"
    assert texts(window.queue_list)[0].startswith("✓ #1")
    press(qtbot, window, Qt.Key_Z, Qt.ControlModifier)
    assert str(store.states.get(ids.article_1, "gold")[0]) != "done"
    assert window.progress_label.text() == "Reviewed 0 of 2"
    assert texts(window.queue_list)[0].startswith("#1")


def test_review_window_with_nothing_to_review_says_so(qtbot):
    store = Store.memory()
    window = ReviewWindow(store, "rita")
    qtbot.addWidget(window)
    assert window.queue_list.count() == 0
    assert "No article has disagreements" in window.article_title.text()


def test_review_window_shows_every_annotator_side_by_side(qtbot, window, three):
    table = window.comparison_table
    assert headers(table) == ["Text", "Layer", "ana", "ben", "cho", "Gold"]
    rows = cells(table)
    assert rows[0] == ["Militia fighters", "entity", "ARMED_GROUP", "ARMED_GROUP “Militia”", "ARMED_GROUP", "—"]
    assert rows[3][2:] == ["DATE", "DATE", "—", "—"]
    click_cell(qtbot, table, 2, 0)
    assert window.current_disagreement().start == fixture.TEXT_1.index("Dorvan")


def test_review_window_edits_bounds_and_modality_of_gold(qtbot, window, three):
    store, ids = three
    press(qtbot, window, Qt.Key_2)  # ben's "Militia"
    press(qtbot, window, Qt.Key_2)  # ben's event: modality planned
    rows = texts(window.gold_list)
    window.gold_list.setCurrentRow(next(i for i, text in enumerate(rows) if text.startswith("ARMED_GROUP")))
    cursor = window.text_view.document().find("Militia fighters", 0, QTextDocument.FindCaseSensitively)
    window.text_view.setTextCursor(cursor)
    press(qtbot, window, Qt.Key_B)
    assert ("Militia fighters", "ARMED_GROUP", "edited by rita (based on ben)") in gold(store, ids.article_1)
    rows = texts(window.gold_list)
    window.gold_list.setCurrentRow(next(i for i, text in enumerate(rows) if text.startswith("VIOLENCE")))
    press(qtbot, window, Qt.Key_M)
    event = next(g.span for g in gold_spans(store, ids.article_1) if g.span.layer == "event")
    assert event.attributes["modality"] == "hypothetical"  # the value after "planned"
    press(qtbot, window, Qt.Key_Z, Qt.ControlModifier)
    event = next(g.span for g in gold_spans(store, ids.article_1) if g.span.layer == "event")
    assert event.attributes["modality"] == "planned"


def test_agreement_window_on_an_empty_project_says_so(qtbot):
    window = AgreementWindow(Store.memory(), "rita")
    qtbot.addWidget(window)
    assert "No article has been marked done by two or more annotators" in window.summary.text()
    assert window.bars.rows == [] and window.article_table.model().rowCount() == 0


def test_agreement_window_closed_while_computing_is_harmless(qtbot, three):
    from PySide6.QtCore import QEvent
    from PySide6.QtWidgets import QApplication

    from annotator.gui.background import wait_all

    store, _ = three
    window = AgreementWindow(store, "rita")
    window.close()
    window.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.DeferredDelete)
    assert wait_all(10_000)
    QApplication.processEvents()  # delivers the result, if any, to nobody
    # What the user sees next: opening the window again works and shows the figures.
    again = AgreementWindow(store, "rita")
    qtbot.addWidget(again)
    with qtbot.waitSignal(again.computed, timeout=10_000):
        again.show()
    assert "f1_exact 0.522" in again.summary.text()


def test_review_window_f5_reloads_the_queue_after_new_work(qtbot, window, three):
    store, ids = three
    # cho finishes article 2, where cho marked "soldiers" that nobody else did: a new disagreement.
    store.states.set(ids.article_2, "cho", "done")
    assert window.queue_list.count() == 2
    with qtbot.waitSignal(window.queueReady, timeout=10_000):
        press(qtbot, window, Qt.Key_F5)
    assert window.queue_list.count() == 3 and window.progress_label.text() == "Reviewed 0 of 3"
    assert window.session.current.article.id == ids.article_1  # the article on show stays


def test_review_tooltips_show_annotator_names_literally(qtbot, tmp_path):
    from PySide6.QtGui import QTextDocument as Document

    with Store.open(tmp_path / "names.sqlite") as store:
        article, _ = store.articles.add("Shelling near Rivne.")
        for name, label in (("<b>eve</b>", "LOCATION"), ("ann", "FACILITY")):
            store.spans.add(article, 14, 19, label, "entity", annotator=name)
            store.states.set(article, name, "done")
        window = ReviewWindow(store, "rita")
        qtbot.addWidget(window)
        wait_for_queue(qtbot, window)
        shown = Document()
        shown.setHtml(window.queue_list.model().index(0, 0).data(Qt.ToolTipRole))
        assert shown.toPlainText() == "Shelling near Rivne.\nannotators: <b>eve</b>, ann"


def test_review_window_accepts_fully_agreed_articles_as_one_undoable_step(qtbot, window, three):
    from PySide6.QtWidgets import QPushButton

    from annotator.domain import ArticleState
    from annotator.domain import GOLD

    store, ids = three
    button = next(b for b in window.findChildren(QPushButton) if b.text() == "Accept fully agreed articles")
    button.click()
    assert store.states.get(ids.article_2, GOLD)[0] is ArticleState.DONE
    agreed = {(g.span.start_char, g.span.end_char, g.span.label) for g in gold_spans(store, ids.article_2)}
    assert agreed, "what every annotator marked on article 2 is gold now"
    press(qtbot, window, Qt.Key_Z, Qt.ControlModifier)
    assert store.states.get(ids.article_2, GOLD)[0] is not ArticleState.DONE
    assert gold_spans(store, ids.article_2) == []
    press(qtbot, window, Qt.Key_Z, Qt.ControlModifier | Qt.ShiftModifier)
    assert {(g.span.start_char, g.span.end_char, g.span.label) for g in gold_spans(store, ids.article_2)} == agreed
    button.click()  # nothing left to accept: said, not done twice
    assert "No fully agreed article" in window.statusBar().currentMessage()


def test_review_window_modality_key_matches_the_main_window(qtbot, window, three):
    from annotator.review import add_gold_span

    store, ids = three
    start = fixture.TEXT_1.index("attacked")
    add_gold_span("rita", ids.article_1, start, start + len("attacked"), "BATTLES", "event").apply(store)
    window.show_article(ids.article_1)
    rows = texts(window.gold_list)
    window.gold_list.setCurrentRow(next(i for i, text in enumerate(rows) if text.startswith("BATTLES")))
    press(qtbot, window, Qt.Key_M)
    gold_event = next(g.span for g in gold_spans(store, ids.article_1) if g.span.label == "BATTLES")
    assert gold_event.attributes["modality"] == "planned"  # as M gives in the annotation window


def test_review_window_opening_an_article_is_an_undoable_step(qtbot, window, three):
    store, ids = three
    assert gold(store, ids.article_3) == []  # opening the window showed article 1, which agrees on nothing
    window.queue_list.setCurrentRow(1)
    assert gold(store, ids.article_3) == [("Omar Haddad", "PERSON", "agreed by ben, cho"),
                                         ("Teluk", "LOCATION", "agreed by ben, cho")]
    press(qtbot, window, Qt.Key_Z, Qt.ControlModifier)
    assert gold(store, ids.article_3) == []


def test_review_window_notices_changes_made_by_another_window(qtbot, window, three):
    store, ids = three
    assert window.queue_list.count() == 2
    with Store.open(store.path) as other:  # a second window or process on the same file
        text = other.articles.get(ids.article_4).text
        other.spans.add(ids.article_4, 0, len(text.split()[0]), "ORG", "entity", annotator="cho")
        other.states.set(ids.article_4, "cho", "done")
    with qtbot.waitSignal(window.watcher.changed, timeout=5000):
        pass
    qtbot.waitUntil(lambda: window.queue_list.count() == 3, timeout=5000)


def test_review_window_shows_the_queue_piece_by_piece_worst_first(qtbot, tmp_path, monkeypatch):
    from annotator.review import review_queue

    bench = importlib.util.module_from_spec(importlib.util.spec_from_file_location(
        "agreement_bench", Path(__file__).resolve().parents[2] / "bench" / "agreement_bench.py"))
    bench.__spec__.loader.exec_module(bench)
    bench.build(tmp_path / "big.sqlite", articles=40, sentences=3)
    with Store.open(tmp_path / "big.sqlite") as store:
        expected = [item.article_id for item in review_queue(store)]
        monkeypatch.setattr(ReviewWindow, "queue_piece", 4)
        window = ReviewWindow(store, "rita")
        qtbot.addWidget(window)
        # Nothing is computed on the GUI thread: the window is there before any row is.
        assert window.queue_list.count() == 0 and window.session.current is None
        assert window.progress_label.text() == "Finding articles with disagreements…"
        counts = []
        window.queue_model.rowsInserted.connect(lambda *_: counts.append(window.queue_list.count()))
        with qtbot.waitSignal(window.queueReady, timeout=10_000):
            pass  # the job started with the window
        assert counts[:3] == [4, 8, 12] and len(counts) == -(-len(expected) // 4)
        assert [item.article_id for item in window.queue] == expected
        assert window.session.current.article.id == expected[0]  # the worst one, once the queue is complete


def test_review_window_closed_while_its_queue_is_computed_is_harmless(qtbot, three):
    from PySide6.QtCore import QEvent
    from PySide6.QtWidgets import QApplication

    from annotator.gui.background import wait_all

    store, _ = three
    window = ReviewWindow(store, "rita")
    window.close()
    window.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.DeferredDelete)
    assert wait_all(10_000)
    QApplication.processEvents()  # delivers the queue, if any, to nobody


def test_review_window_shows_what_its_session_reads_without_being_told(window, three):
    """The session alone opens another article: the queue row, the text and the lists follow it."""
    store, ids = three
    window.session.open(ids.article_3)
    assert window.text_view.toPlainText() == store.articles.get(ids.article_3).text
    assert window.article_title.text().startswith(f"#{ids.article_3} ")
    assert window.queue_list.currentRow() == window.queue_model.row_of(ids.article_3)
    assert window.disagreement_list.count() == len(window.session.current.disagreements) > 0
