"""Krippendorff's alpha for nominal, ordinal and interval data."""

from __future__ import annotations

import numpy as np
import pandas as pd

from arabmedia.stats._bootstrap import _require

# ---------------------------------------------------------------- agreement


def _distance(level: str, values: np.ndarray) -> np.ndarray:
    """Squared-difference metric between the sorted distinct values for ``level``."""
    if level == "nominal":
        return 1.0 - np.eye(len(values))
    if level == "interval":
        numeric = values.astype(float)
        return (numeric[:, None] - numeric[None, :]) ** 2
    raise ValueError(f"krippendorff_alpha: level must be 'nominal' or 'interval', got {level!r}")


def krippendorff_alpha(
    codes: pd.DataFrame,
    unit: str = "unit",
    coder: str = "coder",
    value: str = "value",
    level: str = "nominal",
) -> float:
    """Krippendorff's alpha from a long table of codes (one row per unit and coder).

    Missing codes are simply absent rows (or NaN values); units coded by fewer than two
    coders are not pairable and are ignored, as in Krippendorff (2011), "Computing
    Krippendorff's alpha-reliability".  alpha = 1 - D_o / D_e from the coincidence
    matrix.  Returns NaN when there is no variation at all (D_e = 0).
    """
    _require(codes, [unit, coder, value], "krippendorff_alpha")
    data = codes[[unit, coder, value]].dropna(subset=[value])
    duplicated = data.duplicated([unit, coder])
    if duplicated.any():
        first = data[duplicated].iloc[0]
        raise ValueError(f"krippendorff_alpha: coder {first[coder]} coded unit {first[unit]} twice")
    categories = np.sort(data[value].unique())
    index = {v: i for i, v in enumerate(categories)}
    coincidence = np.zeros((len(categories), len(categories)))
    for _, group in data.groupby(unit, sort=True):
        m = len(group)
        if m < 2:
            continue
        counts = np.bincount([index[v] for v in group[value]], minlength=len(categories))
        pairs = np.outer(counts, counts) - np.diag(counts)
        coincidence += pairs / (m - 1)
    n_c = coincidence.sum(axis=1)
    n = n_c.sum()
    if n == 0:
        raise ValueError("krippendorff_alpha: no unit was coded by two or more coders")
    delta = _distance(level, categories)
    observed = (coincidence * delta).sum() / n
    expected = (np.outer(n_c, n_c) * delta).sum() / (n * (n - 1))
    return float(1 - observed / expected) if expected else float("nan")
