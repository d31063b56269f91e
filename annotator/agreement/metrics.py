"""Agreement measures as plain functions over plain data (no store, no Qt).

Token codes are small ints (of any integer type; they are widened where counted): 0 is "O" (no
label), -1 means the annotator did not code the article.
"""

from __future__ import annotations

import numpy as np

MISSING = -1
OUTSIDE = 0


def f1_score(matches: int, count_a: int, count_b: int) -> float | None:
    """Pairwise F1 is symmetric: 2·matches / (|A| + |B|); None when neither marked anything."""
    total = count_a + count_b
    return None if total == 0 else 2.0 * matches / total


def confusion(x: np.ndarray, y: np.ndarray, categories: int) -> np.ndarray:
    """Counts of (code in x, code in y) over positions both coded."""
    both = (x >= 0) & (y >= 0)
    flat = x[both].astype(np.int64) * categories + y[both]
    return np.bincount(flat, minlength=categories * categories).reshape(categories, categories)


def cohen_kappa_from_confusion(table: np.ndarray) -> float | None:
    """Cohen's kappa (1960): (p_o - p_e) / (1 - p_e); None when undefined (no items, or p_e = 1)."""
    total = table.sum()
    if total == 0:
        return None
    observed = np.trace(table) / total
    expected = float((table.sum(axis=1) * table.sum(axis=0)).sum()) / (total * total)
    if expected >= 1.0:
        return None
    return float((observed - expected) / (1.0 - expected))


def cohen_kappa(x: np.ndarray, y: np.ndarray, categories: int) -> float | None:
    return cohen_kappa_from_confusion(confusion(x, y, categories))


def coincidences(codes: np.ndarray, categories: int, groups: np.ndarray | None = None,
                 n_groups: int = 1) -> np.ndarray:
    """Krippendorff's coincidence matrices, one per group of units.

    ``codes`` is units x coders with MISSING where a coder gave no value. Each unit with m ≥ 2 values
    adds 1/(m-1) for every ordered pair of values from different coders; units with fewer are not
    pairable and add nothing.
    """
    m = (codes >= 0).sum(axis=1)
    pairable = m >= 2
    weights = np.zeros(len(codes))
    weights[pairable] = 1.0 / (m[pairable] - 1)
    if groups is None:
        groups = np.zeros(len(codes), dtype=np.int64)
    out = np.zeros(n_groups * categories * categories)
    coders = codes.shape[1]
    coded = codes >= 0
    # Each unordered pair of coders once: the pair (j, i) adds the transpose of what (i, j) adds.
    for i in range(coders):
        for j in range(i + 1, coders):
            both = pairable & coded[:, i] & coded[:, j]
            flat = (groups[both].astype(np.int64) * categories + codes[both, i]) * categories + codes[both, j]
            out += np.bincount(flat, weights=weights[both], minlength=len(out))
    out = out.reshape(n_groups, categories, categories)
    return out + out.transpose(0, 2, 1)


def alpha_from_coincidences(table: np.ndarray) -> float | None:
    """Nominal alpha = 1 - D_o/D_e = 1 - (n-1)·Σ_{c≠k} o_ck / Σ_{c≠k} n_c·n_k; None if undefined."""
    marginals = table.sum(axis=1)
    n = marginals.sum()
    if n <= 1:
        return None
    observed_disagreement = table.sum() - np.trace(table)
    expected_disagreement = (n * n - (marginals * marginals).sum())
    if expected_disagreement <= 0:
        return None
    return float(1.0 - (n - 1) * observed_disagreement / expected_disagreement)


def krippendorff_alpha_nominal(codes: np.ndarray, categories: int) -> float | None:
    return alpha_from_coincidences(coincidences(codes, categories)[0])


def alphas_from_coincidences(tables: np.ndarray) -> list[float | None]:
    """:func:`alpha_from_coincidences` for a stack of tables at once (one per article)."""
    marginals = tables.sum(axis=2)
    n = marginals.sum(axis=1)
    observed = tables.sum(axis=(1, 2)) - np.trace(tables, axis1=1, axis2=2)
    expected = n * n - (marginals * marginals).sum(axis=1)
    defined = (n > 1) & (expected > 0)
    alpha = np.ones(len(tables))
    alpha[defined] = 1.0 - (n[defined] - 1) * observed[defined] / expected[defined]
    return [float(a) if ok else None for a, ok in zip(alpha.tolist(), defined.tolist())]
