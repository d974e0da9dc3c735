"""Cross-validated comparison of detectors against human labels (Boukes et al. 2020).

A dictionary is only trustworthy for a language and domain after it has been compared with
human coding.  Seeded stratified folds, the same for every method; per-document feature
models (frame scores or any numeric columns) and a supervised TF-IDF + logistic regression
baseline; precision, recall and F1 per fold and pooled, from
:func:`arabmedia.stats.classification_scores` (bootstrap intervals over items).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from arabmedia.stats._classification import classification_scores
from arabmedia.text._dtm import make_vectorizer

# --------------------------------------------------------------------------- models


def stratified_folds(labels: pd.Series, n_splits: int = 5, seed: int = 0) -> np.ndarray:
    """Fold number (0..n_splits-1) of each item: seeded, shuffled, stratified by label."""
    from sklearn.model_selection import StratifiedKFold

    folds = np.empty(len(labels), dtype=np.int64)
    splitter = StratifiedKFold(n_splits=n_splits, shuffle=True, random_state=seed)
    for fold, (_, test) in enumerate(splitter.split(np.zeros(len(labels)), labels.to_numpy())):
        folds[test] = fold
    return folds


def grouped_folds(
    labels: pd.Series, groups: pd.Series, n_splits: int = 5, seed: int = 0
) -> np.ndarray:
    """Fold number (0..n_splits-1) of each item, every group in one fold only.

    Seeded, shuffled and as near stratified by label as whole groups allow (scikit-learn's
    ``StratifiedGroupKFold``), so that e.g. one source never sits on both sides of a split.
    Raises ValueError when there are fewer groups than folds.
    """
    from sklearn.model_selection import StratifiedGroupKFold

    n_groups = groups.nunique()
    if n_groups < n_splits:
        raise ValueError(f"grouped_folds: {n_groups} group(s) cannot fill {n_splits} folds")
    folds = np.empty(len(labels), dtype=np.int64)
    splitter = StratifiedGroupKFold(n_splits=n_splits, shuffle=True, random_state=seed)
    y, g = labels.to_numpy(), groups.to_numpy()
    for fold, (_, test) in enumerate(splitter.split(np.zeros(len(y)), y, g)):
        folds[test] = fold
    return folds


def feature_model(seed: int = 0):
    """Standardized numeric features -> logistic regression (balanced classes, seeded)."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    return make_pipeline(
        StandardScaler(),
        LogisticRegression(
            solver="newton-cg", max_iter=1000, class_weight="balanced", random_state=seed
        ),
    )


def text_model(seed: int = 0, *, min_df: int = 2, ngram_range: tuple[int, int] = (1, 2)):
    """TF-IDF over the project's tokens -> logistic regression (balanced classes, seeded).

    Newton-CG converges in a few iterations here; lbfgs takes several times longer.
    """
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    return make_pipeline(
        make_vectorizer("tfidf", min_df=min_df, ngram_range=ngram_range),
        LogisticRegression(
            solver="newton-cg", max_iter=1000, class_weight="balanced", random_state=seed
        ),
    )


def _out_of_fold(model_factory, inputs, labels: np.ndarray, folds: np.ndarray, seed: int):
    predicted = np.empty(len(labels), dtype=object)
    for fold in np.unique(folds):
        train, test = folds != fold, folds == fold
        model = model_factory(seed)
        model.fit(_take(inputs, train), labels[train])
        predicted[test] = model.predict(_take(inputs, test))
    return predicted


def _take(inputs, mask: np.ndarray):
    if isinstance(inputs, pd.DataFrame):
        return inputs.to_numpy(dtype=float)[mask]
    return [inputs[i] for i in np.flatnonzero(mask)]


def cross_validated_predictions(
    labels: pd.Series,
    *,
    features: pd.DataFrame | None = None,
    tokens: pd.Series | None = None,
    n_splits: int = 5,
    seed: int = 0,
) -> pd.DataFrame:
    """Out-of-fold predictions of every method the inputs allow, on the same folds.

    ``labels`` are the human labels (e.g. FIGNEWS majority labels or coders' majority),
    aligned with ``features`` (numeric columns, e.g. ``rate_<frame>`` from
    :func:`arabmedia.analysis.frame_scores`, plus any extra per-document columns) and/or
    ``tokens`` (token lists).  Methods: ``majority_class`` (the most frequent training
    label; ties: first by name), ``features`` (:func:`feature_model`), ``tfidf``
    (:func:`text_model`).  Folds: :func:`stratified_folds` with ``seed``.

    Returns a table aligned with ``labels.index``: fold, truth, then one column of
    predicted labels per method.
    """
    if features is None and tokens is None:
        raise ValueError("cross_validated_predictions: give features, tokens or both")
    for name, inputs in (("features", features), ("tokens", tokens)):
        if inputs is not None and not inputs.index.equals(labels.index):
            raise ValueError(f"cross_validated_predictions: {name} must be aligned with labels")
    if features is not None and not np.isfinite(features.to_numpy(dtype=float)).all():
        raise ValueError("cross_validated_predictions: features must be finite numbers")
    y = labels.to_numpy(dtype=object)
    folds = stratified_folds(labels, n_splits, seed)
    table = pd.DataFrame({"fold": folds, "truth": y}, index=labels.index)
    table["majority_class"] = _majority_predictions(y, folds)
    if features is not None:
        table["features"] = _out_of_fold(feature_model, features, y, folds, seed)
    if tokens is not None:
        token_lists = [list(t) for t in tokens]
        table["tfidf"] = _out_of_fold(text_model, token_lists, y, folds, seed)
    return table


def score_methods(
    predictions: pd.DataFrame,
    *,
    n_boot: int = 1000,
    ci: float = 0.95,
    seed: int = 0,
    per_fold: bool = True,
) -> pd.DataFrame:
    """Scores of each method in :func:`cross_validated_predictions` output.

    Returns the :func:`arabmedia.stats.classification_scores` columns with ``method`` and
    ``fold`` in front: ``"pooled"`` rows score all out-of-fold predictions together, with
    bootstrap intervals over items; with ``per_fold``, rows for each fold hold that fold's
    point estimates (scikit-learn's ``precision_recall_fscore_support``, zero_division=0;
    interval columns NaN), whose spread shows the variation between folds.  Labels: all
    true labels, sorted.
    """
    y = predictions["truth"].to_numpy(dtype=object)
    folds = predictions["fold"].to_numpy()
    order = sorted(set(y), key=str)
    methods = [c for c in predictions.columns if c not in ("fold", "truth")]
    parts = []
    for method in methods:
        predicted = predictions[method].to_numpy(dtype=object)
        tables = []
        if per_fold:
            for fold in np.unique(folds):
                mask = folds == fold
                tables.append(_fold_scores(y[mask], predicted[mask], order).assign(fold=fold))
        pooled = classification_scores(y, predicted, labels=order, n_boot=n_boot, ci=ci, seed=seed)
        tables.append(pooled.assign(fold="pooled"))
        parts.extend(table.assign(method=method) for table in tables)
    table = pd.concat(parts, ignore_index=True)
    return table[["method", "fold", *[c for c in table.columns if c not in ("method", "fold")]]]


def _fold_scores(true: np.ndarray, predicted: np.ndarray, order: list) -> pd.DataFrame:
    """Point precision, recall, F1 per label and macro (scikit-learn), intervals NaN."""
    from sklearn.metrics import precision_recall_fscore_support

    precision, recall, f1, support = precision_recall_fscore_support(
        true, predicted, labels=order, zero_division=0
    )
    table = pd.DataFrame(
        {
            "label": [*order, "macro"],
            "support": [*support.tolist(), len(true)],
            "precision": [*precision, precision.mean()],
            "recall": [*recall, recall.mean()],
            "f1": [*f1, f1.mean()],
        }
    )
    for metric in ("precision", "recall", "f1"):
        position = table.columns.get_loc(metric) + 1
        table.insert(position, f"{metric}_low", np.nan)
        table.insert(position + 1, f"{metric}_high", np.nan)
    return table


def _majority_predictions(labels: np.ndarray, folds: np.ndarray) -> np.ndarray:
    predicted = np.empty(len(labels), dtype=object)
    for fold in np.unique(folds):
        train = pd.Series(labels[folds != fold])
        counts = train.value_counts()
        predicted[folds == fold] = min(counts.index[counts == counts.max()], key=str)
    return predicted
