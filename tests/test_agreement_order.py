"""The packed-key sort agreement uses instead of np.lexsort must give the very same order (ties in
index order), or spans overlapping on a token would name it differently."""

import numpy as np

from annotator.agreement.data import lexorder as _lexorder


def test_agreement_lexorder_is_lexsort_order():
    rng = np.random.default_rng(1)
    for _ in range(200):
        n, k = int(rng.integers(1, 300)), int(rng.integers(1, 7))
        columns = [rng.integers(-5, int(rng.integers(1, 50)), n) for _ in range(k)]
        assert (_lexorder(columns) == np.lexsort(columns[::-1])).all()


def test_agreement_lexorder_falls_back_when_ranges_do_not_fit_one_key():
    rng = np.random.default_rng(2)
    columns = [rng.integers(0, 2**40, 100) for _ in range(3)]
    assert (_lexorder(columns) == np.lexsort(columns[::-1])).all()
