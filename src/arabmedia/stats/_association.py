"""Association measures for 2x2 tables: Dunning's G2 log-likelihood and Williams' correction."""

from __future__ import annotations

import numpy as np


def g2_2x2(o11, o12, o21, o22) -> np.ndarray:
    """Dunning's G2 = 2 Σ O ln(O / E) of 2x2 tables given cell by cell (arrays broadcast).

    E are the expected counts under independence of rows and columns; a zero cell adds 0.
    """
    from scipy.special import xlogy

    cells = [np.asarray(o, float) for o in (o11, o12, o21, o22)]
    o11, o12, o21, o22 = cells
    n = o11 + o12 + o21 + o22
    rows = (o11 + o12, o21 + o22)
    cols = (o11 + o21, o12 + o22)
    expected = [
        rows[0] * cols[0] / n,
        rows[0] * cols[1] / n,
        rows[1] * cols[0] / n,
        rows[1] * cols[1] / n,
    ]
    total = sum(xlogy(o, o) - xlogy(o, e) for o, e in zip(cells, expected, strict=True))
    return np.maximum(2.0 * total, 0.0)


def williams_q(o11, o12, o21, o22) -> np.ndarray:
    """Williams' (1976) correction factor q for 2x2 tables: G2 / q is the corrected G2.

    q = 1 + (N Σ 1/R_i − 1)(N Σ 1/C_j − 1) / (6 N (r−1)(c−1)), with r = c = 2.
    """
    o11, o12, o21, o22 = (np.asarray(o, float) for o in (o11, o12, o21, o22))
    n = o11 + o12 + o21 + o22
    with np.errstate(divide="ignore"):
        row_term = n * (1 / (o11 + o12) + 1 / (o21 + o22)) - 1
        col_term = n * (1 / (o11 + o21) + 1 / (o12 + o22)) - 1
    return 1 + row_term * col_term / (6 * n)
