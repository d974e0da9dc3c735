"""Precision, recall and F1 per label, with bootstrap intervals."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from arabmedia.stats._bootstrap import _check_options, _group_rng, _interval

# ---------------------------------------------------------------- classification


def _scores(true: np.ndarray, pred: np.ndarray, labels: Sequence) -> np.ndarray:
    """(len(labels) x 3) precision, recall, F1; 0 where undefined (sklearn's zero_division=0)."""
    out = np.zeros((len(labels), 3))
    for i, label in enumerate(labels):
        tp = np.sum((pred == label) & (true == label))
        predicted, actual = np.sum(pred == label), np.sum(true == label)
        precision = tp / predicted if predicted else 0.0
        recall = tp / actual if actual else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        out[i] = precision, recall, f1
    return out


def classification_scores(
    y_true: Sequence,
    y_pred: Sequence,
    *,
    labels: Sequence | None = None,
    n_boot: int = 1000,
    ci: float = 0.95,
    seed: int = 0,
) -> pd.DataFrame:
    """Precision, recall and F1 per label and macro-averaged, with bootstrap intervals.

    Items (pairs of true and predicted labels) are resampled with a seeded generator.
    Undefined ratios count as 0 (scikit-learn's ``zero_division=0``).  Returns one row
    per label in ``labels`` order (default: sorted union of both) plus a final row
    ``"macro"``; columns: ``label``, ``support``, ``precision``, ``precision_low``,
    ``precision_high``, ``recall``, ``recall_low``, ``recall_high``, ``f1``,
    ``f1_low``, ``f1_high``.
    """
    true, pred = np.asarray(y_true, dtype=object), np.asarray(y_pred, dtype=object)
    if len(true) != len(pred):
        raise ValueError(f"classification_scores: {len(true)} true labels, {len(pred)} predicted")
    if len(true) == 0:
        raise ValueError("classification_scores: no items")
    _check_options(n_boot, ci)
    labels = list(labels) if labels is not None else sorted(set(true) | set(pred), key=str)
    point = _scores(true, pred, labels)
    rng = _group_rng(seed, "classification_scores")
    replicates = np.empty((n_boot, len(labels) + 1, 3))
    for b in range(n_boot):
        rows = rng.integers(0, len(true), size=len(true))
        per_label = _scores(true[rows], pred[rows], labels)
        replicates[b] = np.vstack([per_label, per_label.mean(axis=0)])
    point = np.vstack([point, point.mean(axis=0)])
    support = [int(np.sum(true == label)) for label in labels] + [len(true)]
    records = []
    for i, label in enumerate([*labels, "macro"]):
        record = {"label": label, "support": support[i]}
        for j, metric in enumerate(("precision", "recall", "f1")):
            low, high = _interval(replicates[:, i, j], ci)
            record |= {metric: point[i, j], f"{metric}_low": low, f"{metric}_high": high}
        records.append(record)
    return pd.DataFrame(records)
