"""The item models of the review and agreement windows, checked by Qt's own model tester
(pytest-qt's qtmodeltester) on the three-annotator fixture, and what they show."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextDocument

from annotator import review
from annotator.agreement import compute_agreement
from annotator.gui.agreement_models import ArticleModel, ConfusionModel, IdRole, PairModel
from annotator.gui.display import wrap_label
from annotator.gui.review_models import ComparisonModel, DisagreementModel, GoldModel, QueueModel, VersionModel
from annotator.store import Store

_spec = importlib.util.spec_from_file_location(
    "review_fixture", Path(__file__).resolve().parents[1] / "test_agreement_fixture.py")
fixture = sys.modules.setdefault("review_fixture", importlib.util.module_from_spec(_spec))
_spec.loader.exec_module(fixture)


@pytest.fixture
def three():
    store = Store.memory()
    ids = fixture.build_three_annotators(store)
    # Some gold, so the gold list and the comparison's gold column have rows.
    review.prefill_gold("rita", ids.article_3).apply(store)
    yield store, ids
    store.close()


def texts(model):
    return [model.index(row, 0).data() for row in range(model.rowCount())]


def plain(tooltip: str) -> str:
    shown = QTextDocument()
    shown.setHtml(tooltip)
    return shown.toPlainText()


def test_item_models_queue_passes_the_model_tester_while_it_fills(qtmodeltester, three):
    store, ids = three
    queue = review.review_queue(store)
    model = QueueModel()
    qtmodeltester.check(model)  # the tester keeps watching the changes below
    model.append(queue[:1])
    model.append(queue[1:])
    model.append([])
    assert texts(model) == [f"#{ids.article_1}  F1 0.29  {queue[0].title[:50]}",
                            f"#{ids.article_3}  F1 0.80  {queue[1].title[:50]}"]
    assert model.set_finished_row(1, True) and not model.set_finished_row(1, True)
    assert texts(model)[1].startswith(f"✓ #{ids.article_3}")
    assert model.index(1, 0).data(Qt.UserRole + 1) == ids.article_3
    model.set_records(queue[:1])
    qtmodeltester.check(model)


def test_item_models_article_review_models_pass_the_model_tester(qtmodeltester, three):
    store, ids = three
    for article_id in (ids.article_1, ids.article_3):
        article_review = review.load_review(store, article_id)
        disagreements, gold, comparison = DisagreementModel(), GoldModel(), ComparisonModel()
        versions = VersionModel()
        for model in (disagreements, gold, comparison, versions):
            qtmodeltester.check(model)
        disagreements.show(article_review)
        gold.show(article_review)
        comparison.show(article_review)
        versions.show(article_review.disagreements[0], article_review.article.text)
        for model in (disagreements, gold, comparison, versions):
            qtmodeltester.check(model)
        assert comparison.rowCount() == len(article_review.regions)
        assert versions.rowCount() == len(article_review.annotators)
    assert texts(gold) == ["PERSON “Omar Haddad” — agreed by ben, cho", "LOCATION “Teluk” — agreed by ben, cho"]
    versions.show(None, "")
    comparison.show(None)
    assert versions.rowCount() == comparison.rowCount() == comparison.columnCount() == 0


def test_item_models_comparison_tooltips_hold_the_whole_text(three):
    store, ids = three
    model = ComparisonModel()
    model.show(review.load_review(store, ids.article_1))
    tooltip = plain(model.index(1, 2).data(Qt.ToolTipRole))  # ana's version of the event
    assert tooltip.startswith("ana: VIOLENCE_AGAINST_CIVILIANS")
    assert tooltip.endswith("disagreement: label, event role, attribute")


def test_item_models_agreement_models_pass_the_model_tester(qtmodeltester, three):
    store, ids = three
    report = compute_agreement(store).to_dict()
    pairs, confusion, articles = PairModel(), ConfusionModel(), ArticleModel()
    for model in (pairs, confusion, articles):
        qtmodeltester.check(model)
    for kind in ("entities", "event_triggers", "event_arguments"):
        pairs.show(report["annotators"], report[kind]["pairs"], "cohen_kappa")
        confusion.show(report[kind]["confusion"][0])
        articles.show(report["per_article"])
        for model in (pairs, confusion, articles):
            qtmodeltester.check(model)
    confusion.show(None)
    assert confusion.rowCount() == 0
    assert articles.index(0, 0).data(IdRole) == ids.article_1
    assert pairs.index(0, 0).data() == "" and pairs.index(0, 1).data().endswith("articles")


def test_item_models_confusion_headers_break_long_labels_instead_of_cutting_them(three):
    store, _ = three
    entry = compute_agreement(store).to_dict()["event_triggers"]["confusion"][0]
    model = ConfusionModel()
    model.show(entry)
    b = entry["annotators"][1]
    column = entry["labels"].index("VIOLENCE_AGAINST_CIVILIANS")
    assert model.headerData(column, Qt.Horizontal) == f"{b}:\nVIOLENCE_\nAGAINST_\nCIVILIANS"
    assert plain(model.headerData(column, Qt.Horizontal, Qt.ToolTipRole)) == f"{b}: VIOLENCE_AGAINST_CIVILIANS"
    assert wrap_label("EXPLOSIONS_REMOTE_VIOLENCE") == "EXPLOSIONS_\nREMOTE_\nVIOLENCE"
    assert wrap_label("DATE") == "DATE"
