"""Precision, recall and F1 per label, with bootstrap intervals."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from arabmedia.stats._bootstrap import _check_options, _group_rng, _interval

# ---------------------------------------------------------------- classification


def _scores_from_confusion(confusion: np.ndarray) -> np.ndarray:
    """Precision, recall, F1 of each label from confusion matrices (..., K+1, K+1), true in
    rows, predicted in columns, the last row and column for labels outside the list; shape
    (..., K, 3), 0 where undefined (scikit-learn's ``zero_division=0``)."""
    tp = np.diagonal(confusion, axis1=-2, axis2=-1)[..., :-1]
    predicted = confusion.sum(axis=-2)[..., :-1]
    actual = confusion.sum(axis=-1)[..., :-1]
    with np.errstate(divide="ignore", invalid="ignore"):
        precision = np.where(predicted > 0, tp / predicted, 0.0)
        recall = np.where(actual > 0, tp / actual, 0.0)
        total = precision + recall
        f1 = np.where(total > 0, 2 * precision * recall / total, 0.0)
    return np.stack([precision, recall, f1], axis=-1)


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
    index = {label: i for i, label in enumerate(labels)}
    true_codes = np.array([index.get(label, len(labels)) for label in true])
    pred_codes = np.array([index.get(label, len(labels)) for label in pred])
    cells = true_codes * (len(labels) + 1) + pred_codes
    n_cells = (len(labels) + 1) ** 2
    shape = (len(labels) + 1, len(labels) + 1)
    point = _scores_from_confusion(np.bincount(cells, minlength=n_cells).reshape(shape))
    rows = _group_rng(seed, "classification_scores").integers(0, len(true), (n_boot, len(true)))
    offsets = (np.arange(n_boot) * n_cells)[:, None]
    confusion = np.bincount((cells[rows] + offsets).ravel(), minlength=n_boot * n_cells)
    per_label = _scores_from_confusion(confusion.reshape(n_boot, *shape))
    replicates = np.concatenate([per_label, per_label.mean(axis=1, keepdims=True)], axis=1)
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
