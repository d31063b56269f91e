"""Agreement, last stage: the figures. Span F1 exact and overlap, Cohen's kappa per pair and
Krippendorff's alpha, per label, pair and article, from the data (``agreement.data``) and the matches
(``agreement.matching``).
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from dataclasses import dataclass
from typing import Any, Iterable

import numpy as np

from annotator.agreement import metrics
from annotator.agreement.data import (
    ARGUMENTS,
    ENTITIES,
    EVENTS,
    MEASURED_UNITS,
    AgreementData,
    done_articles,
    load_agreement_data,
)
from annotator.agreement.matching import key_table, pair_counts
from annotator.agreement.tokens import TOKENIZER_DESCRIPTION
from annotator.store import Store

__all__ = ["ARGUMENTS", "ENTITIES", "EVENTS", "MEASURED_UNITS", "AgreementReport", "BlindSplit", "KindScores",
           "blind_split", "compute_agreement",
           "done_articles", "load_agreement_data", "report_from"]


@dataclass
class KindScores:
    """Figures for one of entities / event triggers / event arguments."""

    labels: list[str]
    overall: dict[str, Any]
    per_label: dict[str, dict[str, Any]]
    pairs: list[dict[str, Any]]
    confusion: dict[tuple[str, str], np.ndarray]

    def to_dict(self) -> dict[str, Any]:
        return {
            "overall": self.overall,
            "labels": self.per_label,
            "pairs": self.pairs,
            "confusion": [
                {"annotators": list(pair), "labels": self.labels, "matrix": table.astype(int).tolist()}
                for pair, table in self.confusion.items()
            ],
        }


@dataclass
class AgreementReport:
    annotators: list[str]
    articles: int
    kinds: dict[str, KindScores]
    per_article: list[dict[str, Any]]

    def to_dict(self) -> dict[str, Any]:
        return {
            "annotators": self.annotators,
            "articles": self.articles,
            "tokenizer": TOKENIZER_DESCRIPTION,
            "missing_label": "a token nobody labelled is 'O'; a span one annotator marked and another did"
            " not counts as label vs 'O' (a disagreement); annotators who did not mark an article done"
            " are missing for it",
            **{kind: scores.to_dict() for kind, scores in self.kinds.items()},
            "per_article": self.per_article,
            "worth_discussing": [row["article_id"] for row in self.worth_discussing()],
        }

    def worth_discussing(self) -> list[dict[str, Any]]:
        """The articles with a span, trigger or argument some pair did not match exactly, worst first:
        an article at F1 1.000 has nothing to discuss."""
        return [row for row in self.per_article if row["unmatched"] > 0]


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(float(value), 4)


def _collapse(table: np.ndarray, code: int) -> np.ndarray:
    """A label-vs-rest 2x2 table from a full confusion or coincidence table."""
    hit = table[code, code]
    row = table[code, :].sum() - hit
    col = table[:, code].sum() - hit
    return np.array([[table.sum() - hit - row - col, col], [row, hit]], dtype=float)


def compute_agreement(store: Store, annotators: Iterable[str] | None = None,
                      within: set[int] | None = None) -> AgreementReport:
    """Every figure of ``annotator agreement`` and the agreement window.

    :param within: only these articles
    """
    return report_from(load_agreement_data(store, annotators, within))


@dataclass
class BlindSplit:
    """Agreement on the articles annotated without suggestions, apart from the others (docs/agreement.md)."""

    share: float
    blind: AgreementReport
    with_suggestions: AgreementReport

    def to_dict(self) -> dict[str, Any]:
        return {"share": self.share, "blind": self.blind.to_dict(), "with_suggestions": self.with_suggestions.to_dict()}


def blind_split(store: Store, annotators: Iterable[str] | None = None) -> BlindSplit | None:
    """With a blind share set, the figures on blind articles and on the others, each on its own;
    None when the project has no blind share."""
    share = store.blind_share()
    if share <= 0:
        return None
    _, shared = done_articles(store, annotators)
    blind = store.blind_article_ids(shared)
    return BlindSplit(share, compute_agreement(store, annotators, within=blind),
                      compute_agreement(store, annotators, within=set(shared) - blind))


def report_from(data: AgreementData) -> AgreementReport:
    names = data.annotators
    n_articles = len(data.article_ids)
    pairs = list(itertools.combinations(range(len(names)), 2))
    kinds: dict[str, KindScores] = {}
    article_exact = {kind: np.zeros(n_articles) for kind in MEASURED_UNITS}
    article_overlap = {kind: np.zeros(n_articles) for kind in MEASURED_UNITS}
    article_units = {kind: np.zeros(n_articles) for kind in MEASURED_UNITS}
    article_alpha: dict[str, list[float | None]] = {}
    for kind in MEASURED_UNITS:
        labels = data.labels[kind]
        n_labels = len(labels)
        codes = data.codes[kind]
        totals = {"exact": np.zeros(n_labels), "overlap": np.zeros(n_labels), "units": np.zeros(n_labels)}
        label_kappas: dict[str, list[float]] = defaultdict(list)
        pair_rows, confusions, kappas = [], {}, []
        keys = key_table(kind, data.units[kind], len(names))
        for i, j in pairs:
            counts = pair_counts(kind, data.units[kind], keys, data.done, i, j, n_labels)
            totals["exact"] += counts.exact_label
            totals["overlap"] += counts.overlap_label
            totals["units"] += counts.units_label
            article_exact[kind] += counts.exact_article
            article_overlap[kind] += counts.overlap_article
            article_units[kind] += counts.units_article
            table = metrics.confusion(codes[:, i], codes[:, j], n_labels)
            confusions[(names[i], names[j])] = table
            kappa = metrics.cohen_kappa_from_confusion(table)
            if kappa is not None:
                kappas.append(kappa)
            per_label = {}
            for code, label in enumerate(labels[1:], start=1):
                label_kappa = metrics.cohen_kappa_from_confusion(_collapse(table, code))
                if label_kappa is not None:
                    label_kappas[label].append(label_kappa)
                per_label[label] = {
                    "f1_exact": _rounded(metrics.f1_score(counts.exact_label[code], counts.units_label[code], 0)),
                    "f1_overlap": _rounded(metrics.f1_score(counts.overlap_label[code], counts.units_label[code], 0)),
                    "cohen_kappa": _rounded(label_kappa),
                }
            shared = int((data.done[:, i] & data.done[:, j]).sum())
            pair_rows.append({
                "annotators": [names[i], names[j]],
                "articles": shared,
                "f1_exact": _rounded(metrics.f1_score(counts.exact_label.sum(), counts.units_label.sum(), 0)),
                "f1_overlap": _rounded(metrics.f1_score(counts.overlap_label.sum(), counts.units_label.sum(), 0)),
                "cohen_kappa": _rounded(kappa),
                "labels": per_label,
            })
        by_article = metrics.coincidences(codes, n_labels, data.token_article, n_articles)
        article_alpha[kind] = metrics.alphas_from_coincidences(by_article)
        coincidence = by_article.sum(axis=0)
        overall = {
            "f1_exact": _rounded(metrics.f1_score(totals["exact"].sum(), totals["units"].sum(), 0)),
            "f1_overlap": _rounded(metrics.f1_score(totals["overlap"].sum(), totals["units"].sum(), 0)),
            "cohen_kappa_mean": _rounded(sum(kappas) / len(kappas)) if kappas else None,
            "krippendorff_alpha": _rounded(metrics.alpha_from_coincidences(coincidence)),
        }
        per_label_rows = {}
        for code, label in enumerate(labels[1:], start=1):
            values = label_kappas.get(label, [])
            per_label_rows[label] = {
                "f1_exact": _rounded(metrics.f1_score(totals["exact"][code], totals["units"][code], 0)),
                "f1_overlap": _rounded(metrics.f1_score(totals["overlap"][code], totals["units"][code], 0)),
                "cohen_kappa_mean": _rounded(sum(values) / len(values)) if values else None,
                "krippendorff_alpha": _rounded(metrics.alpha_from_coincidences(_collapse(coincidence, code))),
            }
        kinds[kind] = KindScores(labels, overall, per_label_rows, pair_rows, confusions)

    per_article = []
    for row, article_id in enumerate(data.article_ids):
        entry: dict[str, Any] = {
            "article_id": article_id, "title": data.titles[row],
            "annotators": [names[c] for c in np.nonzero(data.done[row])[0]],
        }
        matched = total = 0
        for kind in MEASURED_UNITS:
            exact, units = article_exact[kind][row], article_units[kind][row]
            matched += 2 * exact
            total += units
            entry[kind] = {
                "f1_exact": _rounded(metrics.f1_score(exact, units, 0)),
                "f1_overlap": _rounded(metrics.f1_score(article_overlap[kind][row], units, 0)),
                "krippendorff_alpha": _rounded(article_alpha[kind][row]),
            }
        # Units not matched exactly by the other annotator of a pair, summed over pairs.
        entry["unmatched"] = int(total - matched)
        entry["f1_exact"] = _rounded(matched / total) if total else None
        per_article.append(entry)
    per_article.sort(key=lambda r: (1.0 if r["f1_exact"] is None else r["f1_exact"], -r["unmatched"],
                                    r["article_id"]))
    return AgreementReport(names, n_articles, kinds, per_article)
