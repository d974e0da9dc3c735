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


def unit_coincidences(
    codes: pd.DataFrame,
    unit: str = "unit",
    coder: str = "coder",
    value: str = "value",
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each pairable unit's contribution to the coincidence matrix (Krippendorff 2011).

    Returns (contributions, categories, units): an array units x K x K (a unit coded m >= 2
    times adds ``(outer(counts, counts) - diag(counts)) / (m - 1)``), the K sorted distinct
    values, and the pairable units in sorted order.  Summing the contributions gives the
    coincidence matrix; weighting them by resampling counts gives bootstrap replicates.
    """
    _require(codes, [unit, coder, value], "krippendorff_alpha")
    data = codes[[unit, coder, value]].dropna(subset=[value])
    duplicated = data.duplicated([unit, coder])
    if duplicated.any():
        first = data[duplicated].iloc[0]
        raise ValueError(f"krippendorff_alpha: coder {first[coder]} coded unit {first[unit]} twice")
    categories = np.sort(data[value].unique())
    k = len(categories)
    unit_codes, units = pd.factorize(data[unit], sort=True)
    value_codes = np.searchsorted(categories, data[value].to_numpy())
    counts = np.zeros((len(units), k))
    np.add.at(counts, (unit_codes, value_codes), 1)
    coded = counts.sum(axis=1)
    pairable = coded >= 2
    counts, coded = counts[pairable], coded[pairable]
    pairs = counts[:, :, None] * counts[:, None, :]
    pairs[:, np.arange(k), np.arange(k)] -= counts
    return pairs / (coded - 1)[:, None, None], categories, np.asarray(units)[pairable]


def alpha_from_coincidences(
    coincidences: np.ndarray, categories: np.ndarray, level: str = "nominal"
) -> np.ndarray:
    """alpha = 1 - D_o / D_e of each K x K coincidence matrix in ``coincidences`` (..., K, K);
    NaN where there is no variation (D_e = 0) or no pairable value."""
    delta = _distance(level, categories)
    n_c = coincidences.sum(axis=-1)
    n = n_c.sum(axis=-1)
    with np.errstate(divide="ignore", invalid="ignore"):
        observed = (coincidences * delta).sum(axis=(-2, -1)) / n
        expected = (n_c[..., :, None] * n_c[..., None, :] * delta).sum(axis=(-2, -1)) / (
            n * (n - 1)
        )
        alpha = 1 - observed / expected
    return np.where(expected > 0, alpha, np.nan)


def resampled_coincidences(contributions: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """Coincidence matrices of the resamples ``rows`` (replicates x units, indices into the
    units of ``contributions``), all at once: the count of each unit in each replicate
    times its contribution."""
    n_boot, n_units = rows.shape[0], contributions.shape[0]
    offsets = (np.arange(n_boot) * n_units)[:, None]
    weights = np.bincount((rows + offsets).ravel(), minlength=n_boot * n_units)
    flat = contributions.reshape(n_units, -1)
    return (weights.reshape(n_boot, n_units) @ flat).reshape(n_boot, *contributions.shape[1:])


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
    contributions, categories, _ = unit_coincidences(codes, unit, coder, value)
    _distance(level, categories)  # checks the level before anything is computed
    if contributions.sum() == 0:
        raise ValueError("krippendorff_alpha: no unit was coded by two or more coders")
    return float(alpha_from_coincidences(contributions.sum(axis=0), categories, level))
