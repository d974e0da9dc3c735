"""Lexicon precision: how often an indicator's hits are in the sense it stands for.

A seeded sample of each frame indicator's (term variant's) hits was judged in sense or not
(``tools/sample_gold.py lexicon``, protocol in ``data/gold/README.md``); the judgements are
data next to each lexicon (``lexicons/data/<kind>/precision/<name>.tsv``, read by
:func:`arabmedia.lexicons.load_precision_judgements`).  An indicator's precision is the share
of its judged hits in sense (Wilson interval); a frame's is the hit-weighted mean of its
indicators' precisions, since the sample is stratified by indicator while the frame's hits are
not: sum(hits_i * p_i) / sum(hits_i), with a bootstrap interval that resamples the judgements
within each indicator.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy.stats import binomtest

from arabmedia.stats._bootstrap import _interval, _require

#: Columns of :func:`indicator_precision` (the compare contract plus identifiers).
INDICATOR_PRECISION_COLUMNS = (
    "lexicon",
    "item",
    "indicator",
    "hits",
    "estimate",
    "low",
    "high",
    "n_units",
    "numerator",
    "denominator",
    "dev_estimate",
    "test_estimate",
)
ITEM_PRECISION_COLUMNS = (
    "lexicon",
    "item",
    "split",
    "n_indicators",
    "hits",
    "estimate",
    "low",
    "high",
    "n_units",
    "numerator",
    "denominator",
)
JUDGEMENT_COLUMNS = ("lexicon", "item", "indicator", "hits", "split", "in_sense")


def _share(frame: pd.DataFrame, split: str) -> float:
    part = frame.loc[frame["split"] == split, "in_sense"]
    return float(part.mean()) if len(part) else np.nan


def indicator_precision(judgements: pd.DataFrame, *, ci: float = 0.95) -> pd.DataFrame:
    """Precision of each indicator over all its judged hits, with the Wilson interval.

    ``judgements``: :data:`JUDGEMENT_COLUMNS` (in_sense 0/1; hits the indicator's hit count
    in the audited corpus).  n_units = denominator = hits judged, numerator = in sense;
    dev_estimate and test_estimate are the shares within each half.  Rows sorted by lexicon,
    item, indicator.
    """
    _require(judgements, JUDGEMENT_COLUMNS, "indicator_precision")
    rows = []
    for (lexicon, item, indicator), group in judgements.groupby(
        ["lexicon", "item", "indicator"], sort=True
    ):
        k, n = int(group["in_sense"].sum()), len(group)
        interval = binomtest(k, n).proportion_ci(confidence_level=ci, method="wilson")
        rows.append(
            (
                lexicon,
                item,
                indicator,
                int(group["hits"].iloc[0]),
                k / n,
                interval.low,
                interval.high,
                n,
                k,
                n,
                _share(group, "dev"),
                _share(group, "test"),
            )
        )
    return pd.DataFrame(rows, columns=list(INDICATOR_PRECISION_COLUMNS))


def item_precision(
    judgements: pd.DataFrame,
    *,
    splits: Sequence[str] = ("test",),
    n_boot: int = 1000,
    ci: float = 0.95,
    seed: int = 0,
) -> pd.DataFrame:
    """Hit-weighted precision of each frame (term concept) on the judged hits of ``splits``.

    estimate = sum(hits_i * p_i) / sum(hits_i) over the item's indicators with judged hits in
    ``splits``; low/high resample each indicator's judgements (seeded, ``n_boot`` times).
    ``hits`` sums the indicators' hit counts; n_units = denominator = hits judged, numerator =
    in sense.  split names the halves pooled ("test", or "dev+test").  Rows sorted by
    lexicon and item.
    """
    _require(judgements, JUDGEMENT_COLUMNS, "item_precision")
    chosen = judgements[judgements["split"].isin(splits)]
    rng = np.random.default_rng(seed)
    rows = []
    for (lexicon, item), group in chosen.groupby(["lexicon", "item"], sort=True):
        parts = [g for _, g in group.groupby("indicator", sort=True)]
        weights = np.array([g["hits"].iloc[0] for g in parts], dtype=float)
        values = [g["in_sense"].to_numpy(dtype=float) for g in parts]
        point = np.dot(weights, [v.mean() for v in values]) / weights.sum()
        draws = np.column_stack(
            [v[rng.integers(0, len(v), size=(n_boot, len(v)))].mean(axis=1) for v in values]
        )
        low, high = _interval(draws @ weights / weights.sum(), ci)
        judged = int(sum(len(v) for v in values))
        in_sense = int(sum(v.sum() for v in values))
        rows.append(
            (lexicon, item, "+".join(splits), len(parts), int(weights.sum()), point, low, high)
            + (judged, in_sense, judged)
        )
    return pd.DataFrame(rows, columns=list(ITEM_PRECISION_COLUMNS))
