"""Agreement between annotators over the articles at least two of them marked done.

Loads spans and arguments with a few bulk queries and turns each layer into a token x annotator code
matrix (see docs/agreement.md for every choice: tokenizer, "O", overlapping spans, missing coders).
"""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any, Iterable

import numpy as np

from annotator.agreement import metrics
from annotator.agreement.tokens import TOKENIZER_DESCRIPTION, covered_tokens, token_offsets
from annotator.store import Store, StoreError

GOLD = "gold"
# JSON names of the three things agreement is measured on.
ENTITIES = "entities"
EVENTS = "event_triggers"
ARGUMENTS = "event_arguments"
KINDS = (ENTITIES, EVENTS, ARGUMENTS)
_CHUNK = 900


@dataclass
class ArticleUnits:
    """What each annotator who marked one article done put on it."""

    article_id: int
    title: str
    annotators: tuple[str, ...]
    units: dict[tuple[str, str], list[tuple]] = field(default_factory=dict)

    def of(self, annotator: str, kind: str) -> list[tuple]:
        return self.units.get((annotator, kind), [])


@dataclass
class KindScores:
    """Figures for one of entities / event triggers / event arguments."""

    labels: list[str]  # index = token code; labels[0] is "O"
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
        }


def done_articles(store: Store, annotators: Iterable[str] | None = None) -> tuple[list[str], dict[int, list[str]]]:
    """The annotators considered and, per article at least two of them marked done, who did.

    Everyone except the reserved ``gold`` annotator counts unless ``annotators`` names them.
    """
    known = [name for name in store.annotator_names() if name != GOLD]
    if annotators:
        chosen = list(dict.fromkeys(annotators))
        unknown = [name for name in chosen if name not in known]
        if unknown:
            raise StoreError(
                f"no annotator named {', '.join(map(repr, unknown))} in this project"
                f" (known: {', '.join(known) or 'none yet'})"
            )
        if len(chosen) < 2:
            raise StoreError("agreement needs at least two annotators")
    else:
        chosen = known
    rows = store.db.execute(
        "SELECT st.article_id, an.name FROM article_states st JOIN annotators an ON an.id = st.annotator_id"
        " WHERE st.state = 'done' ORDER BY st.article_id, an.name"
    ).fetchall()
    wanted = set(chosen)
    by_article: dict[int, list[str]] = defaultdict(list)
    for article_id, name in rows:
        if name in wanted:
            by_article[article_id].append(name)
    shared = {a: names for a, names in by_article.items() if len(names) >= 2}
    return sorted(chosen), shared


def load_units(store: Store, shared: dict[int, list[str]]) -> list[ArticleUnits]:
    """Accepted spans and the arguments between them, per article and annotator, in bulk."""
    if not shared:
        return []
    ids = sorted(shared)
    titles: dict[int, str] = {}
    spans: dict[int, tuple] = {}
    by_article: dict[int, ArticleUnits] = {
        a: ArticleUnits(a, "", tuple(shared[a])) for a in ids
    }
    for chunk_start in range(0, len(ids), _CHUNK):
        chunk = ids[chunk_start: chunk_start + _CHUNK]
        marks = ",".join("?" * len(chunk))
        for article_id, title in store.db.execute(
            f"SELECT id, coalesce(title, substr(text, 1, 60)) FROM articles WHERE id IN ({marks})", chunk
        ):
            titles[article_id] = (title or "").splitlines()[0] if title else ""
        for span_id, article_id, name, start, end, label, layer in store.db.execute(
            "SELECT s.id, s.article_id, an.name, s.start_char, s.end_char, s.label, s.layer FROM spans s"
            " JOIN annotators an ON an.id = s.annotator_id"
            f" WHERE s.status = 'accepted' AND s.article_id IN ({marks})",
            chunk,
        ):
            article = by_article[article_id]
            if name not in article.annotators:
                continue
            spans[span_id] = (article_id, name, start, end, label)
            kind = ENTITIES if layer == "entity" else EVENTS
            article.units.setdefault((name, kind), []).append((start, end, label))
        for event_id, argument_id, role in store.db.execute(
            "SELECT g.event_id, g.argument_id, g.role FROM arguments g JOIN spans s ON s.id = g.event_id"
            f" WHERE s.article_id IN ({marks})",
            chunk,
        ):
            event = spans.get(event_id)
            filler = spans.get(argument_id)
            if event is None or filler is None:
                continue
            unit = (event[2], event[3], event[4], filler[2], filler[3], role)
            by_article[event[0]].units.setdefault((event[1], ARGUMENTS), []).append(unit)
    for article_id, article in by_article.items():
        article.title = titles.get(article_id, "")
    return [by_article[a] for a in ids]


def token_codes(store: Store, articles: list[ArticleUnits], annotators: list[str],
                 label_codes: dict[str, dict[str, int]]) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """Per kind, a tokens x annotators code matrix over all articles, and each token's article index."""
    column = {name: i for i, name in enumerate(annotators)}
    bounds: list[tuple[np.ndarray, np.ndarray]] = []
    ids = [a.article_id for a in articles]
    texts: dict[int, str] = {}
    for chunk_start in range(0, len(ids), _CHUNK):
        chunk = ids[chunk_start: chunk_start + _CHUNK]
        marks = ",".join("?" * len(chunk))
        texts.update(store.db.execute(f"SELECT id, text FROM articles WHERE id IN ({marks})", chunk).fetchall())
    for article in articles:
        bounds.append(token_offsets(texts[article.article_id]))
    lengths = np.array([len(s) for s, _ in bounds], dtype=np.int64)
    offsets = np.concatenate([[0], np.cumsum(lengths)])
    total = int(offsets[-1])
    article_index = np.repeat(np.arange(len(articles)), lengths)
    matrices = {}
    for kind in KINDS:
        codes = np.full((total, len(annotators)), metrics.MISSING, dtype=np.int64)
        codes_of = label_codes[kind]
        for index, article in enumerate(articles):
            base = int(offsets[index])
            starts, ends = bounds[index]
            for name in article.annotators:
                col = column[name]
                codes[base: base + len(starts), col] = metrics.OUTSIDE
                # Where an annotator's spans overlap, the earliest (then longest) span names the token:
                # writing in reverse order lets that one win.
                units = sorted(article.of(name, kind), key=_token_span_order)
                for unit in reversed(units):
                    start, end = (unit[0], unit[1]) if len(unit) == 3 else (unit[3], unit[4])
                    first, last = covered_tokens(starts, ends, start, end)
                    codes[base + first: base + last, col] = codes_of[unit[-1]]
        matrices[kind] = codes
    return matrices, article_index


def _token_span_order(unit: tuple) -> tuple:
    if len(unit) == 3:
        return (unit[0], -unit[1], unit[2])
    return (unit[3], -unit[4], unit[5], unit[0])


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def _binary(codes: np.ndarray, code: int) -> np.ndarray:
    out = (codes == code).astype(np.int64)
    out[codes < 0] = metrics.MISSING
    return out


def compute_agreement(store: Store, annotators: Iterable[str] | None = None) -> AgreementReport:
    """Every figure of ``annotator agreement`` and the agreement window."""
    chosen, shared = done_articles(store, annotators)
    articles = load_units(store, shared)
    labels: dict[str, list[str]] = {}
    for kind in KINDS:
        used = {unit[-1] for a in articles for (name, k), units in a.units.items() if k == kind for unit in units}
        labels[kind] = ["O", *sorted(used)]
    label_codes = {kind: {label: i for i, label in enumerate(labels[kind])} for kind in KINDS}
    matrices, article_index = token_codes(store, articles, chosen, label_codes)
    column = {name: i for i, name in enumerate(chosen)}
    pairs = list(itertools.combinations(chosen, 2))

    kinds: dict[str, KindScores] = {}
    per_article_f1: dict[str, list[tuple[Counter, Counter, int]]] = {}
    per_article_alpha: dict[str, np.ndarray] = {}
    for kind in KINDS:
        names = labels[kind]
        codes = matrices[kind]
        categories = len(names)
        # Span counts per pair and label, summed over the articles both annotators marked done.
        exact: dict[tuple[str, str], Counter] = {p: Counter() for p in pairs}
        overlap: dict[tuple[str, str], Counter] = {p: Counter() for p in pairs}
        counted: dict[tuple[str, str], Counter] = {p: Counter() for p in pairs}
        shared_articles: Counter = Counter()
        article_scores = []
        for article in articles:
            a_exact: Counter = Counter()
            a_overlap: Counter = Counter()
            a_total = 0
            for pair in itertools.combinations(article.annotators, 2):
                a_units, b_units = article.of(pair[0], kind), article.of(pair[1], kind)
                ex = metrics.exact_matches(a_units, b_units)
                ov = metrics.overlap_matches(a_units, b_units)
                exact[pair] += ex
                overlap[pair] += ov
                counted[pair] += Counter(u[-1] for u in a_units) + Counter(u[-1] for u in b_units)
                shared_articles[pair] += 1
                a_exact += ex
                a_overlap += ov
                a_total += len(a_units) + len(b_units)
            article_scores.append((a_exact, a_overlap, a_total))
        per_article_f1[kind] = article_scores

        pair_rows = []
        kappas: dict[tuple[str, str], float | None] = {}
        label_kappas: dict[str, list[float]] = defaultdict(list)
        confusions = {}
        for pair in pairs:
            x, y = codes[:, column[pair[0]]], codes[:, column[pair[1]]]
            table = metrics.confusion(x, y, categories)
            confusions[pair] = table
            kappa = metrics.cohen_kappa_from_confusion(table)
            kappas[pair] = kappa
            per_label = {}
            for code, label in enumerate(names[1:], start=1):
                label_kappa = metrics.cohen_kappa(_binary(x, code), _binary(y, code), 2)
                if label_kappa is not None:
                    label_kappas[label].append(label_kappa)
                per_label[label] = {
                    "f1_exact": _rounded(metrics.f1_score(exact[pair][label], counted[pair][label], 0)),
                    "f1_overlap": _rounded(metrics.f1_score(overlap[pair][label], counted[pair][label], 0)),
                    "cohen_kappa": _rounded(label_kappa),
                }
            n_units = sum(counted[pair].values())
            pair_rows.append({
                "annotators": list(pair),
                "articles": shared_articles[pair],
                "f1_exact": _rounded(metrics.f1_score(sum(exact[pair].values()), n_units, 0)),
                "f1_overlap": _rounded(metrics.f1_score(sum(overlap[pair].values()), n_units, 0)),
                "cohen_kappa": _rounded(kappa),
                "labels": per_label,
            })

        groups = metrics.coincidences(codes, categories, article_index, len(articles))
        per_article_alpha[kind] = groups
        total_exact = sum((exact[p] for p in pairs), Counter())
        total_overlap = sum((overlap[p] for p in pairs), Counter())
        total_counted = sum((counted[p] for p in pairs), Counter())
        defined = [k for k in kappas.values() if k is not None]
        overall = {
            "f1_exact": _rounded(metrics.f1_score(sum(total_exact.values()), sum(total_counted.values()), 0)),
            "f1_overlap": _rounded(metrics.f1_score(sum(total_overlap.values()), sum(total_counted.values()), 0)),
            "cohen_kappa_mean": _rounded(sum(defined) / len(defined)) if defined else None,
            "krippendorff_alpha": _rounded(metrics.alpha_from_coincidences(groups.sum(axis=0))),
        }
        per_label_rows = {}
        for code, label in enumerate(names[1:], start=1):
            values = label_kappas.get(label, [])
            per_label_rows[label] = {
                "f1_exact": _rounded(metrics.f1_score(total_exact[label], total_counted[label], 0)),
                "f1_overlap": _rounded(metrics.f1_score(total_overlap[label], total_counted[label], 0)),
                "cohen_kappa_mean": _rounded(sum(values) / len(values)) if values else None,
                "krippendorff_alpha": _rounded(
                    metrics.krippendorff_alpha_nominal(_binary(codes, code), 2)
                ),
            }
        kinds[kind] = KindScores(names, overall, per_label_rows, pair_rows, confusions)

    per_article = []
    for index, article in enumerate(articles):
        row: dict[str, Any] = {"article_id": article.article_id, "title": article.title,
                               "annotators": list(article.annotators)}
        matched = total = 0
        for kind in KINDS:
            a_exact, a_overlap, a_total = per_article_f1[kind][index]
            matched += 2 * sum(a_exact.values())
            total += a_total
            row[kind] = {
                "f1_exact": _rounded(metrics.f1_score(sum(a_exact.values()), a_total, 0)),
                "f1_overlap": _rounded(metrics.f1_score(sum(a_overlap.values()), a_total, 0)),
                "krippendorff_alpha": _rounded(metrics.alpha_from_coincidences(per_article_alpha[kind][index])),
            }
        # Units not matched exactly by the other annotator of a pair, summed over pairs.
        row["unmatched"] = total - matched
        row["f1_exact"] = _rounded(matched / total) if total else None
        per_article.append(row)
    per_article.sort(key=lambda r: (1.0 if r["f1_exact"] is None else r["f1_exact"], -r["unmatched"],
                                    r["article_id"]))
    return AgreementReport(chosen, len(articles), kinds, per_article)
