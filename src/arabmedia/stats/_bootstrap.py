"""Shared statistics: article-level bootstrap intervals, agreement and classification scores.

Why resample articles: tokens and sentences of one article are not independent (an
article that says شهداء once tends to say it again), so intervals computed as if they
were are too narrow.  Every analysis builds a per-article table (one row per article,
counts in columns) and the functions here resample its rows, within each group, with a
seeded generator.  Each group draws from its own stream derived from ``seed`` and the
group's key, so adding or removing a group never changes another group's interval.

Intervals are percentile intervals of ``n_boot`` replicates (Efron & Tibshirani 1993,
ch. 13).  Replicates whose denominator sums to zero are left out of the interval.
"""

from __future__ import annotations

import zlib
from collections.abc import Hashable, Sequence

import numpy as np
import pandas as pd

BATCH_REPLICATES = 100


def _as_list(by: str | Sequence[str]) -> list[str]:
    return [by] if isinstance(by, str) else list(by)


def _require(frame: pd.DataFrame, columns: Sequence[str | None], caller: str) -> None:
    missing = [c for c in columns if c is not None and c not in frame.columns]
    if missing:
        raise ValueError(f"{caller}: missing column(s) {missing}; have {list(frame.columns)}")


def _group_rng(seed: int, key: Hashable) -> np.random.Generator:
    """A generator for one group, stable across runs, Python versions and other groups."""
    parts = key if isinstance(key, tuple) else (key,)
    label = "\x1f".join(str(part) for part in parts)
    return np.random.default_rng([seed, zlib.crc32(label.encode("utf-8"))])


def _replicate_sums(
    values: np.ndarray, rng: np.random.Generator, n_boot: int
) -> tuple[np.ndarray, ...]:
    """Column sums of ``values`` (n_units x k) over ``n_boot`` resamples of its rows."""
    n = len(values)
    sums = np.empty((n_boot, values.shape[1]))
    for start in range(0, n_boot, BATCH_REPLICATES):
        stop = min(start + BATCH_REPLICATES, n_boot)
        rows = rng.integers(0, n, size=(stop - start, n))
        sums[start:stop] = values[rows].sum(axis=1)
    return tuple(sums.T)


def _interval(replicates: np.ndarray, ci: float) -> tuple[float, float]:
    finite = replicates[np.isfinite(replicates)]
    if len(finite) == 0:
        return np.nan, np.nan
    tail = (1 - ci) / 2 * 100
    low, high = np.percentile(finite, [tail, 100 - tail])
    return float(low), float(high)


def _check_options(n_boot: int, ci: float) -> None:
    if n_boot < 1:
        raise ValueError(f"n_boot must be >= 1, got {n_boot}")
    if not 0 < ci < 1:
        raise ValueError(f"ci must be between 0 and 1, got {ci}")


def _ratio_replicates(
    group: pd.DataFrame,
    numerators: Sequence[str],
    denominator: str | None,
    scale: float,
    rng: np.random.Generator,
    n_boot: int,
) -> list[tuple[float, float, float, np.ndarray]]:
    """Per numerator: (numerator sum, denominator sum, estimate, replicate estimates).

    All numerators share one set of resampled rows, drawn once for the group.
    """
    nums = [group[n].to_numpy(dtype=float) for n in numerators]
    den = np.ones(len(group)) if denominator is None else group[denominator].to_numpy(float)
    if not all(np.isfinite(values).all() for values in (*nums, den)):
        raise ValueError("bootstrap: numerator and denominator must be finite numbers")
    *num_sums, den_sums = _replicate_sums(np.column_stack([*nums, den]), rng, n_boot)
    results = []
    for num, sums in zip(nums, num_sums, strict=True):
        with np.errstate(divide="ignore", invalid="ignore"):
            estimate = scale * num.sum() / den.sum() if den.sum() else np.nan
            replicates = scale * sums / den_sums
        results.append((float(num.sum()), float(den.sum()), float(estimate), replicates))
    return results


def _groups(frame: pd.DataFrame, by: list[str]):
    if not by:
        return [((), frame)]
    return [
        (key if isinstance(key, tuple) else (key,), group)
        for key, group in frame.groupby(by, sort=True, observed=True, dropna=False)
    ]


def bootstrap_ratios(
    frame: pd.DataFrame,
    numerators: Sequence[str],
    by: str | Sequence[str] = (),
    *,
    name: str = "measure",
    denominator: str | None = None,
    scale: float = 1.0,
    n_boot: int = 1000,
    ci: float = 0.95,
    seed: int = 0,
) -> pd.DataFrame:
    """:func:`bootstrap_ratio` of several numerators over one shared resample per group.

    E.g. the share of each agency class among casualty sentences: every class is
    resampled with the same articles, as many times faster as there are numerators, and
    with the numbers :func:`bootstrap_ratio` gives for each alone.  Returns the
    :func:`bootstrap_ratio` columns with a column ``name`` (the numerator) after the ``by``
    columns; rows numerator by numerator in the given order, then by group.
    """
    by, numerators = _as_list(by), list(numerators)
    _require(frame, [*numerators, denominator, *by], "bootstrap_ratios")
    _check_options(n_boot, ci)
    rows: list[list[tuple]] = [[] for _ in numerators]
    for key, group in _groups(frame, by):
        results = _ratio_replicates(
            group, numerators, denominator, scale, _group_rng(seed, key), n_boot
        )
        for number, (num, den, estimate, replicates) in enumerate(results):
            low, high = _interval(replicates, ci)
            rows[number].append(
                (*key, numerators[number], len(group), num, den, estimate, low, high)
            )
    columns = [*by, name, "n_units", "numerator", "denominator", "estimate", "low", "high"]
    return pd.DataFrame([row for part in rows for row in part], columns=columns)


def bootstrap_ratio(
    frame: pd.DataFrame,
    numerator: str,
    by: str | Sequence[str] = (),
    *,
    denominator: str | None = None,
    scale: float = 1.0,
    n_boot: int = 1000,
    ci: float = 0.95,
    seed: int = 0,
) -> pd.DataFrame:
    """Ratio of sums (or mean) per group with a bootstrap interval over the rows.

    Rows of ``frame`` are the resampling units (articles).  The estimate is
    ``scale * sum(numerator) / sum(denominator)`` (e.g. mentions per 10,000 tokens with
    ``scale=10_000``; the share of a name within a concept with the concept count as
    denominator), or the mean of ``numerator`` when ``denominator`` is None.

    Returns one row per group, sorted by ``by``, with columns: the ``by`` columns,
    ``n_units`` (rows resampled), ``numerator`` and ``denominator`` (sums; the row count
    for a mean), ``estimate``, ``low``, ``high``.
    """
    table = bootstrap_ratios(
        frame,
        [numerator],
        by,
        name="_numerator",
        denominator=denominator,
        scale=scale,
        n_boot=n_boot,
        ci=ci,
        seed=seed,
    )
    return table.drop(columns="_numerator")


def bootstrap_difference(
    frame: pd.DataFrame,
    numerator: str,
    between: str,
    first: Hashable,
    second: Hashable,
    by: str | Sequence[str] = (),
    *,
    denominator: str | None = None,
    scale: float = 1.0,
    n_boot: int = 1000,
    ci: float = 0.95,
    seed: int = 0,
) -> pd.DataFrame:
    """Change of a ratio (or mean) from ``first`` to ``second`` values of ``between``.

    The two sets of rows are resampled independently (e.g. articles before and after
    an event), and the interval is that of ``estimate_second - estimate_first``.
    Returns one row per ``by`` group with columns: the ``by`` columns, ``n_first``,
    ``n_second``, ``estimate_first``, ``estimate_second``, ``difference``, ``low``,
    ``high``.  A group missing one side gets NaN.
    """
    by = _as_list(by)
    _require(frame, [numerator, denominator, between, *by], "bootstrap_difference")
    _check_options(n_boot, ci)
    rows = []
    for key, group in _groups(frame, by):
        sides = []
        for side in (first, second):
            part = group[group[between] == side]
            if part.empty:
                sides.append((0, np.nan, np.full(n_boot, np.nan)))
                continue
            rng = _group_rng(seed, (*key, side))
            [(_, _, estimate, replicates)] = _ratio_replicates(
                part, [numerator], denominator, scale, rng, n_boot
            )
            sides.append((len(part), estimate, replicates))
        (n1, e1, r1), (n2, e2, r2) = sides
        rows.append((*key, n1, n2, e1, e2, e2 - e1, *_interval(r2 - r1, ci)))
    columns = [
        *by,
        "n_first",
        "n_second",
        "estimate_first",
        "estimate_second",
        "difference",
        "low",
        "high",
    ]
    return pd.DataFrame(rows, columns=columns)


def bootstrap_differences(
    frame: pd.DataFrame,
    numerators: Sequence[str],
    between: str,
    first: Hashable,
    second: Hashable,
    *,
    name: str = "measure",
    denominator: str | None = None,
    scale: float = 1.0,
    n_boot: int = 1000,
    ci: float = 0.95,
    seed: int = 0,
) -> pd.DataFrame:
    """:func:`bootstrap_difference` of each of several numerators, one table.

    E.g. the change of each agency class's share from one outlet (or period) to the
    other.  Each numerator gives the numbers :func:`bootstrap_difference` gives alone.
    Columns: ``name`` (the numerator), then the :func:`bootstrap_difference` columns.
    """
    parts = [
        bootstrap_difference(
            frame,
            numerator,
            between,
            first,
            second,
            denominator=denominator,
            scale=scale,
            n_boot=n_boot,
            ci=ci,
            seed=seed,
        ).assign(**{name: numerator})
        for numerator in numerators
    ]
    table = pd.concat(parts, ignore_index=True)
    return table[[name, *table.columns[:-1]]]


def with_interval(
    table: pd.DataFrame,
    value: str = "estimate",
    low: str = "low",
    high: str = "high",
    *,
    digits: int = 3,
) -> list[str]:
    """ "estimate [low, high]" strings of a table's rows, for reading (tables keep numbers)."""
    cells = zip(table[value], table[low], table[high], strict=True)
    return [f"{v:.{digits}f} [{lo:.{digits}f}, {hi:.{digits}f}]" for v, lo, hi in cells]


def interval_table(
    table: pd.DataFrame,
    index: str | Sequence[str],
    columns: str | Sequence[str],
    value: str = "estimate",
    low: str = "low",
    high: str = "high",
    *,
    digits: int = 3,
) -> pd.DataFrame:
    """A compare_* table pivoted for reading: ``index`` rows, ``columns`` columns, each cell
    "estimate [low, high]" (:func:`with_interval`); rows and columns in table order."""
    cells = table.assign(_cell=with_interval(table, value, low, high, digits=digits))
    return cells.pivot_table(
        index=index, columns=columns, values="_cell", aggfunc="first", sort=False
    )


def metric_table(
    table: pd.DataFrame,
    keys: Sequence[str],
    metrics: Sequence[str] = ("precision", "recall", "f1"),
    *,
    digits: int = 3,
) -> pd.DataFrame:
    """The ``keys`` columns of a scores table, then each metric as "m [m_low, m_high]" (the
    columns ``<m>``, ``<m>_low``, ``<m>_high`` of e.g. :func:`classification_scores`)."""
    shown = {m: with_interval(table, m, f"{m}_low", f"{m}_high", digits=digits) for m in metrics}
    return table[list(keys)].assign(**shown)


def difference_table(
    table: pd.DataFrame,
    first: str,
    second: str,
    item: str = "label",
    *,
    counts: bool = False,
    digits: int = 3,
) -> pd.DataFrame:
    """A :func:`bootstrap_difference(s)` table for reading: ``item``, (with ``counts``
    n_first, n_second), the two estimates named ``first`` and ``second``, and
    ``difference`` as "difference [low, high]"; numbers rounded to ``digits``."""
    keys = [item, *(["n_first", "n_second"] if counts else []), "estimate_first"]
    shown = table[[*keys, "estimate_second"]].round(digits)
    shown["difference"] = with_interval(table, "difference", digits=digits)
    return shown.rename(columns={"estimate_first": first, "estimate_second": second})
