"""The review queue computes only exact matches per article; it must order and score articles exactly
as the agreement report does (the window shows both)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from annotator.agreement import compute_agreement
from annotator.review import review_queue
from annotator.review.queue import review_queue_batches
from annotator.store import Store
from test_agreement_fixture import build_three_annotators

_spec = importlib.util.spec_from_file_location(
    "agreement_bench", Path(__file__).resolve().parents[1] / "bench" / "agreement_bench.py")
bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench)


def from_report(store):
    """The queue as the agreement report's per-article rows give it."""
    return [(row["article_id"], row["title"], row["annotators"], row["f1_exact"], row["unmatched"])
            for row in compute_agreement(store).per_article if row["unmatched"] > 0]


def shown(queue):
    return [(i.article_id, i.title, i.annotators, i.f1_exact, i.unmatched) for i in queue]


def test_review_queue_matches_the_agreement_report_on_the_fixture(tmp_path):
    with Store.open(tmp_path / "p.sqlite") as store:
        build_three_annotators(store)
        assert shown(review_queue(store)) == from_report(store)


def test_review_queue_matches_the_agreement_report_on_a_synthetic_project(tmp_path):
    path = tmp_path / "synthetic.sqlite"
    bench.build(path, articles=60, sentences=3)
    with Store.open(path) as store:
        expected = from_report(store)
        assert len(expected) > 20  # the synthetic annotators disagree on most articles
        assert shown(review_queue(store)) == expected


def test_review_queue_batches_come_worst_first_in_pieces(tmp_path):
    path = tmp_path / "synthetic.sqlite"
    bench.build(path, articles=60, sentences=3)
    with Store.open(path) as store:
        pieces = list(review_queue_batches(store, batch=7))
        assert all(1 <= len(piece) <= 7 for piece in pieces) and len(pieces) > 3
        assert shown([item for piece in pieces for item in piece]) == shown(review_queue(store))
