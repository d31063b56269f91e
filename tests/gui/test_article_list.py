"""The article list pages through the store instead of loading every row."""

from __future__ import annotations

import sys

import pytest
from PySide6.QtCore import Qt

from annotator.gui.article_list import PAGE_SIZE, ArticleFilter, ArticleListModel
from annotator.domain import ArticleState
from annotator.store import Store


@pytest.fixture
def many(tmp_path, home):
    store = Store.open(tmp_path / "many.sqlite")
    with store.transaction():
        for i in range(PAGE_SIZE * 2 + 50):
            topic = "airstrike" if i % 10 == 0 else "market"
            store.articles.add(f"Report {i} about a {topic} in town number {i}.", title=f"Report {i}")
    yield store
    store.close()


def test_article_list_passes_qt_model_checks(qtmodeltester, many):
    model = ArticleListModel(many, "ana")
    qtmodeltester.check(model, force_py=True)
    while model.canFetchMore():
        model.fetchMore()
    qtmodeltester.check(model, force_py=True)


def test_article_list_loads_a_page_at_a_time(many):
    model = ArticleListModel(many, "ana")
    assert model.total == PAGE_SIZE * 2 + 50
    assert model.rowCount() == PAGE_SIZE
    assert model.canFetchMore()
    model.fetchMore()
    assert model.rowCount() == 2 * PAGE_SIZE
    model.fetchMore()
    assert model.rowCount() == model.total and not model.canFetchMore()
    assert model.data(model.index(449, 1)) == "Report 449"


def test_article_list_filters_by_state_and_search(many):
    model = ArticleListModel(many, "ana")
    many.states.set(3, "ana", ArticleState.DONE)
    model.set_filter(ArticleFilter(states=["done"]))
    assert [model.article_at(r).id for r in range(model.rowCount())] == [3]
    assert model.data(model.index(0, 2)) == "✓" and model.data(model.index(0, 2), Qt.ToolTipRole) == "done"
    model.set_filter(ArticleFilter(search="airstrike"))
    assert model.total == 45 and model.rowCount() == 45
    many.states.set(11, "ana", ArticleState.FLAGGED)
    model.refresh_article(11)
    assert model.data(model.index(model.row_of(11), 2), Qt.ToolTipRole) == "flagged"



def test_article_list_survives_many_qt_calls(many, qapp):
    """PySide 6.12 on Python 3.11 drops a reference to None (void calls, empty data() answers) or
    True (signal emits) per call; a window in use for a while aborted (see annotator.gui.qt_compat)."""
    from annotator.gui.span_panel import SpanTableModel

    spans_model = SpanTableModel()
    spans_model.set_spans("some text", many.spans.for_article(1, "ana"))
    models = [ArticleListModel(many, "ana"), spans_model]
    for model in models:
        for _ in range(20_000):  # more than None's whole reference count at start-up
            model.index(0, 0).data(Qt.DecorationRole)
            model.layoutChanged.emit()
    assert min(sys.getrefcount(None), sys.getrefcount(True)) > 1_000_000
