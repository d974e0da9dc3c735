"""Validation of detectors against human labels (Boukes et al. 2020; Song et al. 2020).

A dictionary is only trustworthy for a language and domain after it has been compared with
human coding.  This module computes, on real annotated data:

* FIGNEWS-2024 (Gaza-war posts, many annotators' bias and propaganda votes): how well
  per-document features (frame scores, or any other numeric columns) predict the majority
  labels under seeded stratified cross-validation, next to the annotators' own agreement
  (pairwise agreement, Krippendorff's alpha, one annotator against the others' majority),
  which is the ceiling any detector can reach;
* a supervised baseline (TF-IDF + logistic regression) on the same folds and metrics;
* ArMPro (persuasion-technique spans in Arabic news paragraphs): a loaded-language
  detector at paragraph, token and span level.

Precision, recall and F1 come from :func:`arabmedia.stats.classification_scores`
(bootstrap intervals over items) unless stated otherwise.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import precision_recall_fscore_support
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from arabmedia.analysis._framing import match_frames
from arabmedia.config import Settings
from arabmedia.lexicons._frames import FrameDictionary, load_frames
from arabmedia.stats._agreement import krippendorff_alpha
from arabmedia.stats._classification import classification_scores
from arabmedia.text._dtm import make_vectorizer
from arabmedia.text._normalize import tokenize_many
from arabmedia.text._vocabulary import is_word

TASKS = ("bias", "prop")
LOADED_LANGUAGE = "Loaded_Language"

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


# --------------------------------------------------------------------------- models


def stratified_folds(labels: pd.Series, n_splits: int = 5, seed: int = 0) -> np.ndarray:
    """Fold number (0..n_splits-1) of each item: seeded, shuffled, stratified by label."""
    folds = np.empty(len(labels), dtype=np.int64)
    splitter = StratifiedKFold(n_splits=n_splits, shuffle=True, random_state=seed)
    for fold, (_, test) in enumerate(splitter.split(np.zeros(len(labels)), labels.to_numpy())):
        folds[test] = fold
    return folds


def feature_model(seed: int = 0):
    """Standardized numeric features -> logistic regression (balanced classes, seeded)."""
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


# --------------------------------------------------------------------------- ArMPro


def armpro_table(settings: Settings, corpus: str = "armpro") -> pd.DataFrame:
    """ArMPro paragraphs with their Loaded_Language spans aligned to the loaded text.

    One row per paragraph.  Columns: doc_id, body (the paragraph), spans (list of
    (start, end) character offsets into ``body`` of the gold Loaded_Language spans),
    n_realigned (spans whose published offsets did not match their text and were moved
    to the nearest occurrence of the text), n_unaligned (spans whose text was not found:
    kept at the published offsets).
    """
    from arabmedia.corpus._labels import armpro_spans
    from arabmedia.corpus._loading import load_corpora

    paragraphs = load_corpora([corpus], settings).articles[["doc_id", "body"]]
    spans = armpro_spans(settings.raw_dir / corpus, corpus)
    spans = spans[spans["technique"] == LOADED_LANGUAGE]
    return attach_spans(paragraphs, spans)


def attach_spans(paragraphs: pd.DataFrame, spans: pd.DataFrame) -> pd.DataFrame:
    """Gold spans (doc_id, start, end, text) attached to paragraphs (doc_id, body).

    Columns as :func:`armpro_table`.  Published offsets are trusted when ``body[start:end]``
    equals the span's text; otherwise the occurrence of the text nearest to ``start`` is
    used, and failing that the published offsets.
    """
    by_doc = {doc: group for doc, group in spans.groupby("doc_id", sort=False)}
    rows = []
    for doc_id, body in zip(paragraphs["doc_id"], paragraphs["body"], strict=True):
        aligned, realigned, unaligned = [], 0, 0
        group = by_doc.get(doc_id)
        if group is not None:
            for start, end, text in zip(group["start"], group["end"], group["text"], strict=True):
                span, status = _align(body, int(start), int(end), str(text))
                aligned.append(span)
                realigned += status == "realigned"
                unaligned += status == "unaligned"
        rows.append((doc_id, body, sorted(set(aligned)), realigned, unaligned))
    return pd.DataFrame(rows, columns=["doc_id", "body", "spans", "n_realigned", "n_unaligned"])


def _align(body: str, start: int, end: int, text: str) -> tuple[tuple[int, int], str]:
    if body[start:end] == text:
        return (start, end), "ok"
    needle = text.strip()
    found = [m.start() for m in re.finditer(re.escape(needle), body)] if needle else []
    if found:
        best = min(found, key=lambda position: (abs(position - start), position))
        return (best, best + len(needle)), "realigned"
    return (start, end), "unaligned"


def _word_tokens(body: str, settings) -> tuple[list[str], list[tuple[int, int]]]:
    """Normalized tokens of ``body`` and the character span of the whitespace word of each.

    Tokenizing each whitespace-separated word on its own gives the same tokens as
    tokenizing the whole text (the tokenizer splits on whitespace first).
    """
    words = [(m.start(), m.end()) for m in re.finditer(r"\S+", body)]
    per_word = tokenize_many([body[a:b] for a, b in words], settings)
    tokens, spans = [], []
    for span, word_tokens in zip(words, per_word, strict=True):
        tokens.extend(word_tokens)
        spans.extend([span] * len(word_tokens))
    return tokens, spans


def loaded_language_matches(table: pd.DataFrame, lexicon: FrameDictionary) -> pd.DataFrame:
    """Gold and detected loaded language per paragraph, counted in word tokens and spans.

    ``table`` has columns doc_id, body, spans (as :func:`armpro_table`).  Units are the
    word tokens of the paragraph (punctuation left out).  A token is gold when its
    whitespace word overlaps a gold span by at least one character; it is detected when a
    lexicon match covers it.  A gold span is found when one of its tokens is detected; a
    detected span (one lexicon match) is correct when one of its tokens is gold.

    Columns: doc_id, gold (paragraph has a gold span), detected (the lexicon fires),
    gold_tokens, detected_tokens, overlap_tokens, gold_spans, gold_spans_found,
    detected_spans, detected_spans_correct.
    """
    rows = []
    for doc_id, body, spans in zip(table["doc_id"], table["body"], table["spans"], strict=True):
        tokens, word_spans = _word_tokens(body, lexicon.settings)
        word_flags = [is_word(t) for t in tokens]
        gold_sets = [
            {i for i, (a, b) in enumerate(word_spans) if a < end and start < b and word_flags[i]}
            for start, end in spans
        ]
        gold_sets = [s for s in gold_sets if s]
        gold = set().union(*gold_sets)
        detected_sets = [
            {i for i in range(m.start, m.end) if word_flags[i]}
            for m in match_frames(tokens, lexicon)
        ]
        detected = set().union(*detected_sets)
        rows.append(
            (
                doc_id,
                bool(gold_sets),
                bool(detected_sets),
                len(gold),
                len(detected),
                len(gold & detected),
                len(gold_sets),
                sum(bool(s & detected) for s in gold_sets),
                len(detected_sets),
                sum(bool(s & gold) for s in detected_sets),
            )
        )
    columns = [
        "doc_id",
        "gold",
        "detected",
        "gold_tokens",
        "detected_tokens",
        "overlap_tokens",
        "gold_spans",
        "gold_spans_found",
        "detected_spans",
        "detected_spans_correct",
    ]
    return pd.DataFrame(rows, columns=columns)


#: (level, precision numerator, precision denominator, recall numerator, recall denominator)
_SPAN_LEVELS = (
    ("token", "overlap_tokens", "detected_tokens", "overlap_tokens", "gold_tokens"),
    ("span", "detected_spans_correct", "detected_spans", "gold_spans_found", "gold_spans"),
)


def loaded_language_scores(
    matches: pd.DataFrame, *, n_boot: int = 1000, ci: float = 0.95, seed: int = 0
) -> pd.DataFrame:
    """Precision, recall and F1 of the loaded-language detector at three levels.

    ``matches`` is :func:`loaded_language_matches`.  Levels: ``paragraph`` (gold = has a
    Loaded_Language span, predicted = the lexicon fires; the positive class of
    :func:`arabmedia.stats.classification_scores`), ``token`` (micro-averaged over word
    tokens) and ``span`` (overlap rule of :func:`loaded_language_matches`).  Token and span
    intervals resample paragraphs (seeded), with P, R and F1 from the same resamples.
    Columns: level, n_items (paragraphs, gold tokens or gold spans), precision,
    precision_low, precision_high, recall, recall_low, recall_high, f1, f1_low, f1_high.
    """
    paragraph = classification_scores(
        matches["gold"], matches["detected"], labels=[True, False], n_boot=n_boot, ci=ci, seed=seed
    ).iloc[0]
    rows = [
        {"level": "paragraph", "n_items": len(matches)}
        | {k: paragraph[k] for k in paragraph.index if k not in ("label", "support")}
    ]
    rng = np.random.default_rng(seed)
    draws = rng.integers(0, len(matches), size=(n_boot, len(matches)))
    tail = (1 - ci) / 2 * 100
    for level, p_num, p_den, r_num, r_den in _SPAN_LEVELS:
        sums = matches[[p_num, p_den, r_num, r_den]].to_numpy(dtype=float)
        point = _prf(sums.sum(axis=0)[None, :])[0]
        replicates = _prf(sums[draws].sum(axis=1))
        row = {"level": level, "n_items": int(matches[r_den].sum())}
        for j, metric in enumerate(("precision", "recall", "f1")):
            low, high = np.nanpercentile(replicates[:, j], [tail, 100 - tail])
            row |= {metric: point[j], f"{metric}_low": low, f"{metric}_high": high}
        rows.append(row)
    return pd.DataFrame(rows)


def _prf(sums: np.ndarray) -> np.ndarray:
    """Rows of (p_num, p_den, r_num, r_den) sums -> (precision, recall, F1); 0 if undefined."""
    with np.errstate(divide="ignore", invalid="ignore"):
        precision = np.where(sums[:, 1] > 0, sums[:, 0] / sums[:, 1], 0.0)
        recall = np.where(sums[:, 3] > 0, sums[:, 2] / sums[:, 3], 0.0)
        total = precision + recall
        f1 = np.where(total > 0, 2 * precision * recall / total, 0.0)
    return np.column_stack([precision, recall, f1])


def armpro_validation(
    settings: Settings,
    lexicon: FrameDictionary | None = None,
    *,
    n_boot: int = 1000,
    seed: int = 0,
) -> pd.DataFrame:
    """:func:`loaded_language_scores` of ``lexicon`` (default: the project's loaded-language
    lexicon) on the ArMPro dev paragraphs."""
    lexicon = lexicon or load_frames("loaded_language")
    matches = loaded_language_matches(armpro_table(settings), lexicon)
    return loaded_language_scores(matches, n_boot=n_boot, seed=seed)


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
    term_sets,
    dictionaries: Sequence[FrameDictionary] | None = None,
) -> tuple[pd.Series, dict[str, pd.DataFrame]]:
    """The inputs of :func:`fignews_cross_validation` from the FIGNEWS posts.

    Returns (tokens, features): the tokenized ``body`` of each post (default settings), and
    the feature tables aligned with ``posts``: ``frame`` (:func:`fignews_features` of
    ``dictionaries``, default :data:`FIGNEWS_DICTIONARIES`), ``terminology`` and ``agency``
    (:func:`fignews_term_agency_features` of ``term_sets``).
    """
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
    term_sets,
    *,
    n_splits: int = 5,
    n_boot: int = 1000,
    seed: int = 0,
) -> tuple[pd.DataFrame, dict[str, int]]:
    """The whole FIGNEWS prediction step: features of the posts, then every method scored.

    Features are :func:`fignews_feature_sets`; the ``features`` method uses the frame
    scores, ``extended`` all three sets.  Returns (the :func:`fignews_cross_validation`
    table, the number of feature columns per set: frame, terminology, agency).
    """
    tokens, features = fignews_feature_sets(posts, term_sets)
    extended = pd.concat(features.values(), axis=1)
    scored = fignews_cross_validation(
        posts, features["frame"], extended, tokens, n_splits=n_splits, n_boot=n_boot, seed=seed
    )
    return scored, {name: table.shape[1] for name, table in features.items()}
