"""FIGNEWS-2024: annotator agreement and the prediction of bias and propaganda labels.

Gaza-war posts with many annotators' bias and propaganda votes: how well per-document
features predict the majority labels under the folds of :mod:`._validation`, next to the
annotators' own agreement (pairwise agreement, Krippendorff's alpha, one annotator against
the others' majority).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from arabmedia.analysis._validation import cross_validated_predictions, score_methods
from arabmedia.config import Settings
from arabmedia.lexicons._frames import FrameDictionary, load_frames
from arabmedia.lexicons._terms import load_term_sets
from arabmedia.stats._agreement import krippendorff_alpha
from arabmedia.stats._classification import classification_scores
from arabmedia.text._normalize import tokenize_many

TASKS = ("bias", "prop")


# --------------------------------------------------------------------------- FIGNEWS


def fignews_table(settings: Settings, corpus: str = "fignews2024") -> pd.DataFrame:
    """The FIGNEWS posts as loaded (Arabic original or Arabic MT) joined to their labels.

    One row per post, index 0..n-1.  Columns: doc_id, lang, translated_from ("" for
    Arabic originals, else the source language of the Arabic MT), body (the Arabic text),
    then every column of :func:`arabmedia.corpus.fignews_labels` (vote counts
    ``bias_<label>`` / ``prop_<label>``, n_bias_votes, bias_majority, bias_majority_share,
    n_prop_votes, prop_majority, prop_majority_share, sinalab1_bias, ...).
    """
    from arabmedia.corpus._labels import fignews_labels
    from arabmedia.corpus._loading import load_corpora

    loaded = load_corpora([corpus], settings).articles
    labels = fignews_labels(settings.raw_dir / corpus, corpus)
    posts = loaded[["doc_id", "lang", "translated_from", "body"]]
    return posts.merge(labels, on="doc_id", how="inner", validate="one_to_one")


def _vote_columns(labels: pd.DataFrame, task: str) -> list[str]:
    if task not in TASKS:
        raise ValueError(f"task must be one of {TASKS}, got {task!r}")
    skip = {f"{task}_majority", f"{task}_majority_share"}
    columns = [c for c in labels.columns if c.startswith(f"{task}_") and c not in skip]
    if not columns:
        raise ValueError(f"no {task}_<label> vote columns in the table")
    return columns


def votes_long(labels: pd.DataFrame, task: str = "bias") -> pd.DataFrame:
    """One row per vote: unit (doc_id), coder (vote number within the post), value (label).

    FIGNEWS gives vote counts per post, not who voted what; Krippendorff's alpha needs
    only the values each unit received (its coincidence matrix ignores coder identity),
    so votes are numbered 0..n-1 within each post.  Posts without votes give no rows.
    """
    columns = _vote_columns(labels, task)
    counts = labels[columns].fillna(0).to_numpy(dtype=np.int64)
    names = np.array([c.removeprefix(f"{task}_") for c in columns], dtype=object)
    per_post = counts.sum(axis=1)
    units = np.repeat(labels["doc_id"].to_numpy(dtype=object), per_post)
    values = np.concatenate(
        [np.repeat(names, row) for row in counts] or [np.array([], dtype=object)]
    )
    coders = np.concatenate([np.arange(n) for n in per_post] or [np.array([], dtype=int)])
    return pd.DataFrame({"unit": units, "coder": coders, "value": values})


def _pairwise_agreement(counts: np.ndarray) -> float:
    """Mean over units of the share of agreeing coder pairs (Fleiss' P-bar); units < 2 left out."""
    n = counts.sum(axis=1)
    usable = n >= 2
    agreeing = (counts[usable] * (counts[usable] - 1)).sum(axis=1)
    return float(np.mean(agreeing / (n[usable] * (n[usable] - 1)))) if usable.any() else np.nan


def vote_agreement(
    labels: pd.DataFrame, task: str = "bias", by: str | Sequence[str] = ()
) -> pd.DataFrame:
    """Agreement among all FIGNEWS annotators from the vote counts, per group.

    Columns: the ``by`` columns, task, n_units (posts with >= 2 votes), n_votes,
    pairwise_agreement (Fleiss' P-bar: per post, the share of vote pairs that agree,
    averaged over posts), alpha (nominal Krippendorff's alpha,
    :func:`arabmedia.stats.krippendorff_alpha` on :func:`votes_long`).
    """
    by = [by] if isinstance(by, str) else list(by)
    columns = _vote_columns(labels, task)
    groups = labels.groupby(by, sort=True) if by else [((), labels)]
    rows = []
    for key, group in groups:
        key = key if isinstance(key, tuple) else (key,)
        counts = group[columns].fillna(0).to_numpy(dtype=np.int64)
        n_votes = counts.sum(axis=1)
        rows.append(
            (
                *key,
                task,
                int((n_votes >= 2).sum()),
                int(n_votes.sum()),
                _pairwise_agreement(counts),
                krippendorff_alpha(votes_long(group, task)),
            )
        )
    names = [*by, "task", "n_units", "n_votes", "pairwise_agreement", "alpha"]
    return pd.DataFrame(rows, columns=names)


def sinalab_agreement(labels: pd.DataFrame, by: str | Sequence[str] = ()) -> pd.DataFrame:
    """Agreement of SinaLab's two annotators (IAA-1 vs IAA-2), where both labelled a post.

    Columns: the ``by`` columns, task (bias, prop), n_units, raw_agreement (share of
    posts with the same label), alpha (nominal Krippendorff's alpha).  The dataset's own
    documentation reports raw agreement 0.81 (bias) and 0.86 (propaganda).
    """
    by = [by] if isinstance(by, str) else list(by)
    rows = []
    for task, suffix in (("bias", "bias"), ("prop", "propaganda")):
        first, second = f"sinalab1_{suffix}", f"sinalab2_{suffix}"
        both = labels[(labels[first] != "") & (labels[second] != "")]
        groups = both.groupby(by, sort=True) if by else [((), both)]
        for key, group in groups:
            key = key if isinstance(key, tuple) else (key,)
            long = pd.concat(
                [
                    pd.DataFrame({"unit": group["doc_id"], "coder": coder, "value": group[col]})
                    for coder, col in ((1, first), (2, second))
                ]
            )
            agreement = float((group[first] == group[second]).mean())
            rows.append((*key, task, len(group), agreement, krippendorff_alpha(long)))
    return pd.DataFrame(rows, columns=[*by, "task", "n_units", "raw_agreement", "alpha"])


def annotator_ceiling(
    labels: pd.DataFrame,
    task: str = "bias",
    *,
    classes: Sequence[str] | None = None,
    n_boot: int = 1000,
    ci: float = 0.95,
    seed: int = 0,
) -> pd.DataFrame:
    """How well one human annotator predicts the majority of the others: the ceiling.

    For every post with at least 3 votes one vote is drawn at random (seeded) as the
    'prediction' and the majority of the remaining votes is the reference (ties go to the
    label listed first in the vote file, as for the published majority).  With
    ``classes`` (e.g. the main labels a model was trained on), pairs whose reference is
    another label are left out and only these classes are scored (a held-out vote for
    another label counts as a miss), matching a model evaluated on those classes.
    Returns the :func:`arabmedia.stats.classification_scores` table of these pairs.
    """
    columns = _vote_columns(labels, task)
    names = [c.removeprefix(f"{task}_") for c in columns]
    counts = labels[columns].fillna(0).to_numpy(dtype=np.int64)
    counts = counts[counts.sum(axis=1) >= 3]
    rng = np.random.default_rng(seed)
    held_out = np.array([rng.choice(len(names), p=row / row.sum()) for row in counts])
    rest = counts.copy()
    rest[np.arange(len(rest)), held_out] -= 1
    reference = np.array(names, dtype=object)[rest.argmax(axis=1)]  # first maximum: file order
    predicted = np.array(names, dtype=object)[held_out]
    if classes is None:
        scored = [name for name in names if name in set(reference) | set(predicted)]
    else:
        unknown = sorted(set(classes) - set(names))
        if unknown:
            raise ValueError(f"annotator_ceiling: unknown {task} label(s) {unknown}")
        scored = list(classes)
        kept = np.isin(reference, scored)
        reference, predicted = reference[kept], predicted[kept]
    return classification_scores(
        reference, predicted, labels=scored, n_boot=n_boot, ci=ci, seed=seed
    )


def fignews_features(
    table: pd.DataFrame, dictionaries: Sequence[FrameDictionary], *, prefix: str = "rate_"
) -> pd.DataFrame:
    """Frame-score features of FIGNEWS posts (one column per frame), aligned with ``table``.

    Each dictionary's :func:`arabmedia.analysis.frame_scores` over the tokenized ``body``;
    the ``rate_<frame>`` columns (or ``hits_`` with ``prefix="hits_"``) are kept.
    """
    from arabmedia.analysis._framing import frame_scores

    parts = []
    for dictionary in dictionaries:
        tokens = pd.Series(
            tokenize_many(table["body"].tolist(), dictionary.settings),
            index=table.index,
            dtype=object,
        )
        scores = frame_scores(tokens, dictionary)
        parts.append(scores[[c for c in scores.columns if c.startswith(prefix)]])
    return pd.concat(parts, axis=1)


# --------------------------------------------------------------------------- FIGNEWS pipeline

#: The FIGNEWS tasks and the majority labels each is scored on (the main classes).
FIGNEWS_CLASSES = {
    "bias": ("Biased against Palestine", "Biased against Israel", "Unbiased"),
    "prop": ("Propaganda", "Not Propaganda"),
}


def fignews_agreement(labels: pd.DataFrame) -> pd.DataFrame:
    """The annotators' own agreement on FIGNEWS: all teams' votes, and SinaLab's two.

    Two different statistics, each in its own column: ``pairwise_agreement``
    (:func:`vote_agreement`, Fleiss' P-bar over all votes; NaN for SinaLab) and
    ``raw_agreement`` (:func:`sinalab_agreement`, share of posts with the same label; NaN
    for the vote counts).  Columns: annotators, task, n_units, n_votes,
    pairwise_agreement, raw_agreement, alpha.
    """
    votes = [vote_agreement(labels, task) for task in TASKS]
    table = pd.concat(
        [
            *(part.assign(annotators="all teams (vote counts)") for part in votes),
            sinalab_agreement(labels).assign(annotators="SinaLab's two annotators"),
        ],
        ignore_index=True,
    )
    columns = ["n_units", "n_votes", "pairwise_agreement", "raw_agreement", "alpha"]
    return table[["annotators", "task", *columns]]


def fignews_term_agency_features(
    posts: pd.DataFrame, tokens: pd.Series, term_sets
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Terminology and agency features of FIGNEWS posts, aligned with ``posts``.

    Returns (terms, agency): ``term_<variant>`` columns (mentions per 1,000 words, from
    :func:`arabmedia.analysis.count_terms`) and ``agency_<label>`` columns (casualty
    sentences per class, from :func:`arabmedia.analysis.count_agency`).
    """
    from arabmedia.analysis._agency import (
        CASUALTY_LABELS,
        article_sentences,
        count_agency,
        find_agency,
    )
    from arabmedia.analysis._terminology import count_terms, find_terms

    counts = count_terms(tokens, find_terms(tokens, term_sets), term_sets)
    counts["rate"] = 1000 * counts["count"] / counts["words"].clip(lower=1)
    terms = counts.pivot(index="doc", columns="variant", values="rate").add_prefix("term_")
    posts = posts.assign(outlet="FIGNEWS")
    agency = count_agency(posts, find_agency(article_sentences(posts, ["body"])))
    agency = agency[list(CASUALTY_LABELS)].set_axis(posts.index).add_prefix("agency_")
    return terms, agency


def fignews_cross_validation(
    labels: pd.DataFrame,
    features: pd.DataFrame,
    extended: pd.DataFrame,
    tokens: pd.Series,
    *,
    classes: dict[str, Sequence[str]] | None = None,
    n_splits: int = 5,
    n_boot: int = 1000,
    seed: int = 0,
) -> pd.DataFrame:
    """Every method against the FIGNEWS majority labels, per task, on the same folds.

    Methods: majority_class, features (frame dictionaries: ``features``), extended (any
    wider feature table, e.g. frames + terms + agency), tfidf (``tokens``), and ceiling
    (:func:`annotator_ceiling`, fold "pooled").  Only posts whose majority label is one of
    the task's ``classes`` (default :data:`FIGNEWS_CLASSES`) are scored.  Returns the
    :func:`score_methods` table with ``task`` and ``n_classes`` columns added.
    """
    scored = []
    for task, keep in (classes or FIGNEWS_CLASSES).items():
        mask = labels[f"{task}_majority"].isin(keep)
        truth = labels.loc[mask, f"{task}_majority"]
        predictions = cross_validated_predictions(
            truth, features=features[mask], tokens=tokens[mask], n_splits=n_splits, seed=seed
        )
        wider = cross_validated_predictions(
            truth, features=extended[mask], n_splits=n_splits, seed=seed
        )
        predictions.insert(4, "extended", wider["features"])  # the same folds: same seed
        methods = score_methods(predictions, n_boot=n_boot, seed=seed)
        ceiling = annotator_ceiling(labels, task, classes=list(keep), n_boot=n_boot, seed=seed)
        methods = pd.concat([methods, ceiling.assign(method="ceiling", fold="pooled")])
        scored.append(methods.assign(task=task, n_classes=len(keep)))
    return pd.concat(scored, ignore_index=True)


def pooled_macro_f1(scored: pd.DataFrame) -> pd.DataFrame:
    """The pooled macro-F1 rows of :func:`fignews_cross_validation`, with the fold range.

    Columns: those of the table, plus fold_min and fold_max (the lowest and highest
    per-fold macro F1 of the method; NaN for the ceiling, which has no folds).
    """
    macro = scored[scored["label"] == "macro"]
    pooled = macro[macro["fold"] == "pooled"]
    per_fold = macro[macro["fold"] != "pooled"].groupby(["task", "method"])["f1"]
    spread = per_fold.agg(fold_min="min", fold_max="max")
    return pooled.join(spread, on=["task", "method"]).reset_index(drop=True)


#: The frame dictionaries whose scores are the FIGNEWS features (one load_frames call each).
FIGNEWS_DICTIONARIES = (("generic", "war", "journalism"), ("loaded_language",))
#: Readable names of the methods and tasks of :func:`fignews_cross_validation`.
FIGNEWS_METHOD_NAMES = {
    "majority_class": "majority class",
    "features": "frame dictionaries",
    "extended": "dictionaries + terms + agency",
    "tfidf": "TF-IDF (supervised)",
    "ceiling": "one annotator vs the others",
}
FIGNEWS_TASK_NAMES = {"bias": "bias (3 classes)", "prop": "propaganda (2 classes)"}


def fignews_feature_sets(
    posts: pd.DataFrame,
    term_sets=None,
    dictionaries: Sequence[FrameDictionary] | None = None,
) -> tuple[pd.Series, dict[str, pd.DataFrame]]:
    """The inputs of :func:`fignews_cross_validation` from the FIGNEWS posts.

    Returns (tokens, features): the tokenized ``body`` of each post (default settings), and
    the feature tables aligned with ``posts``: ``frame`` (:func:`fignews_features` of
    ``dictionaries``, default :data:`FIGNEWS_DICTIONARIES`), ``terminology`` and ``agency``
    (:func:`fignews_term_agency_features` of ``term_sets``, default the shipped
    ``gaza_war`` term sets).
    """
    if term_sets is None:
        term_sets = load_term_sets("gaza_war")
    if dictionaries is None:
        dictionaries = [load_frames(*names) for names in FIGNEWS_DICTIONARIES]
    tokens = pd.Series(tokenize_many(posts["body"].tolist()), index=posts.index)
    terms, agency = fignews_term_agency_features(posts, tokens, term_sets)
    features = {"frame": fignews_features(posts, dictionaries), "terminology": terms}
    return tokens, features | {"agency": agency}


def fignews_macro_f1(scored: pd.DataFrame) -> pd.DataFrame:
    """:func:`pooled_macro_f1` with readable method and task names (for figures and tables).

    ``method`` and ``task`` are mapped with :data:`FIGNEWS_METHOD_NAMES` and
    :data:`FIGNEWS_TASK_NAMES` (names not listed stay as they are); other columns unchanged.
    """
    pooled = pooled_macro_f1(scored)
    return pooled.assign(
        method=pooled["method"].replace(FIGNEWS_METHOD_NAMES),
        task=pooled["task"].replace(FIGNEWS_TASK_NAMES),
    )


def fignews_prediction(
    posts: pd.DataFrame,
    term_sets=None,
    *,
    n_splits: int = 5,
    n_boot: int = 1000,
    seed: int = 0,
) -> tuple[pd.DataFrame, dict[str, int]]:
    """The whole FIGNEWS prediction step: features of the posts, then every method scored.

    Features are :func:`fignews_feature_sets` (``term_sets`` default: the shipped
    ``gaza_war`` term sets); the ``features`` method uses the frame
    scores, ``extended`` all three sets.  Returns (the :func:`fignews_cross_validation`
    table, the number of feature columns per set: frame, terminology, agency).
    """
    tokens, features = fignews_feature_sets(posts, term_sets)
    extended = pd.concat(features.values(), axis=1)
    scored = fignews_cross_validation(
        posts, features["frame"], extended, tokens, n_splits=n_splits, n_boot=n_boot, seed=seed
    )
    return scored, {name: table.shape[1] for name, table in features.items()}
