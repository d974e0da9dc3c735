"""Choosing K: NPMI coherence, exclusivity, held-out perplexity and seed stability over a grid."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.optimize import linear_sum_assignment
from scipy.stats import rankdata

from arabmedia.analysis._topics import KINDS, NPMI_EPSILON, TopicModel, top_term_indices

# --------------------------------------------------------------------------- diagnostics


def npmi_coherence(
    matrix, top_terms: Sequence[Sequence[int]], *, epsilon: float = NPMI_EPSILON
) -> np.ndarray:
    """NPMI coherence of each topic over boolean document co-occurrence in ``matrix``.

    ``top_terms`` holds, per topic, column indices of its top words.  For every ordered pair
    of distinct top words, with P estimated as the share of documents (rows) containing the
    word(s), NPMI = log((P(a,b) + eps) / (P(a) P(b))) / -log(P(a,b) + eps); the topic's
    value is the mean over the pairs.  This is gensim's ``c_npmi`` (s_one_one segmentation,
    log_ratio_measure with normalize=True, arithmetic mean) with a window covering whole
    documents.  A pair that never co-occurs scores about -1; a word in every document makes
    the value undefined (NaN), as in gensim.
    """
    matrix = sp.csc_matrix(matrix)
    columns = np.unique(np.concatenate([np.asarray(t, dtype=int) for t in top_terms]))
    present = (matrix[:, columns] > 0).astype(np.float64)
    co_documents = (present.T @ present).toarray()
    position = {column: i for i, column in enumerate(columns)}
    n_documents = float(matrix.shape[0])
    scores = []
    for topic in top_terms:
        idx = np.array([position[c] for c in topic])
        joint = co_documents[np.ix_(idx, idx)] / n_documents
        single = np.diag(co_documents)[idx] / n_documents
        with np.errstate(divide="ignore", invalid="ignore"):
            pmi = np.log((joint + epsilon) / np.outer(single, single))
            npmi = pmi / -np.log(joint + epsilon)
        off_diagonal = ~np.eye(len(idx), dtype=bool)
        scores.append(npmi[off_diagonal].mean() if len(idx) > 1 else np.nan)
    return np.asarray(scores, dtype=float)


def exclusivity(topic_term: np.ndarray, n: int = 10, weight: float = 0.5) -> np.ndarray:
    """stm-style FREX exclusivity of each topic, averaged over its ``n`` top words.

    For word w in topic k: frequency = ECDF rank of beta[k, w] among topic k's words,
    exclusivity = ECDF rank of beta[k, w] / sum_j beta[j, w]; FREX = 1 / (weight / frequency
    + (1 - weight) / exclusivity) (ranks with average ties, divided by the vocabulary size,
    as stm's ``rank(...) / nrow``).  Values lie in (0, 1]; higher means topics whose top words
    belong to them alone.
    """
    topic_term = np.asarray(topic_term, dtype=float)
    if not 0 < weight < 1:
        raise ValueError(f"exclusivity: weight must lie strictly between 0 and 1, got {weight}")
    totals = topic_term.sum(axis=0, keepdims=True)
    share = np.divide(topic_term, totals, out=np.zeros_like(topic_term), where=totals > 0)
    n_terms = topic_term.shape[1]
    frequency_rank = rankdata(topic_term, axis=1) / n_terms
    exclusivity_rank = rankdata(share, axis=1) / n_terms
    frex = 1.0 / (weight / frequency_rank + (1 - weight) / exclusivity_rank)
    top = top_term_indices(topic_term, n)
    return np.take_along_axis(frex, top, axis=1).mean(axis=1)


def matched_overlap(first: Sequence[Iterable], second: Sequence[Iterable]) -> float:
    """Mean Jaccard similarity of two topic sets' top words after one-to-one matching.

    Topics of the two runs are paired by the Hungarian algorithm
    (:func:`scipy.optimize.linear_sum_assignment`) maximizing total Jaccard similarity of
    their top-word sets; 1 means the runs found the same topics.
    """
    first = [set(words) for words in first]
    second = [set(words) for words in second]
    if not first or len(first) != len(second):
        raise ValueError("matched_overlap: both runs need the same, non-zero number of topics")
    similarity = np.array([[len(a & b) / len(a | b) for b in second] for a in first])
    rows, cols = linear_sum_assignment(similarity, maximize=True)
    return float(similarity[rows, cols].mean())


def holdout_split(n_documents: int, share: float = 0.1, seed: int = 0):
    """Sorted (train, held-out) row indices: a seeded random ``share`` of documents held out."""
    if not 0 < share < 1:
        raise ValueError(f"holdout_split: share must lie strictly between 0 and 1, got {share}")
    rng = np.random.default_rng(seed)
    held_out = np.zeros(n_documents, dtype=bool)
    held_out[rng.choice(n_documents, size=max(1, round(share * n_documents)), replace=False)] = True
    return np.flatnonzero(~held_out), np.flatnonzero(held_out)


def _fit_run(train, held_out, reference, kind, k, seed, n_top, model_options):
    """One grid cell: fit on ``train``, score on the whole corpus (and ``held_out`` for LDA)."""
    model = TopicModel(kind, k, seed, **model_options).fit(train)
    top = top_term_indices(model.topic_term_, n_top)
    row = {
        "kind": kind,
        "k": k,
        "seed": seed,
        "coherence": float(np.mean(npmi_coherence(reference, top))),
        "exclusivity": float(np.mean(exclusivity(model.topic_term_, n_top))),
        "perplexity": model.perplexity(held_out) if kind == "lda" else np.nan,
        "n_iter": int(model.n_iter_),
        "converged": model.converged_,
    }
    return row, top


def search_k(
    matrix,
    ks: Sequence[int],
    seeds: Sequence[int] = (0, 1, 2),
    *,
    kinds: Sequence[str] = ("nmf",),
    n_top: int = 10,
    holdout: float = 0.1,
    split_seed: int = 0,
    n_jobs: int = 1,
    progress: bool = True,
    model_options: Mapping[str, object] | None = None,
) -> pd.DataFrame:
    """Fit every (kind, K, seed) and compute the diagnostics; one row per run.

    Each model is fitted on the same seeded training share of the documents (``holdout`` is
    held out for LDA's perplexity); coherence is computed on the whole corpus, exclusivity
    on the model.  ``stability`` of a run is the mean :func:`matched_overlap` of its top
    words with each other seed's run at the same kind and K (NaN with one seed).
    ``n_jobs`` > 1 fits in worker processes (results do not depend on it); ``progress``
    shows a tqdm bar.

    Columns: kind, k, seed, coherence, exclusivity, perplexity (NaN for NMF), stability,
    n_iter, converged (NMF stopped before ``max_iter``); sorted by kind, k, seed.
    """
    from joblib import Parallel, delayed
    from tqdm import tqdm

    matrix = sp.csr_matrix(matrix, dtype=np.float64)
    unknown = [kind for kind in kinds if kind not in KINDS]
    if unknown or not kinds:
        raise ValueError(f"search_k: kinds must be among {KINDS}, got {list(kinds)}")
    train_rows, held_out_rows = holdout_split(matrix.shape[0], holdout, split_seed)
    train, held_out = matrix[train_rows], matrix[held_out_rows]
    cells = [(kind, int(k), int(seed)) for kind in kinds for k in sorted(ks) for seed in seeds]
    options = dict(model_options or {})
    jobs = (
        delayed(_fit_run)(train, held_out, matrix, kind, k, seed, n_top, options)
        for kind, k, seed in cells
    )
    results = []
    with tqdm(total=len(cells), desc="topic models", disable=not progress) as bar:
        for result in Parallel(n_jobs=n_jobs, return_as="generator")(jobs):
            results.append(result)
            bar.update()
    tops = defaultdict(dict)
    for row, top in results:
        tops[row["kind"], row["k"]][row["seed"]] = [set(t) for t in top]
    rows = []
    for row, _top in results:
        others = tops[row["kind"], row["k"]]
        overlaps = [
            matched_overlap(others[row["seed"]], others[seed])
            for seed in others
            if seed != row["seed"]
        ]
        rows.append({**row, "stability": float(np.mean(overlaps)) if overlaps else np.nan})
    columns = ["kind", "k", "seed", "coherence", "exclusivity", "perplexity", "stability"]
    table = pd.DataFrame(rows)[[*columns, "n_iter", "converged"]]
    return table.sort_values(["kind", "k", "seed"], kind="stable").reset_index(drop=True)


#: Diagnostics and whether higher is better.
METRICS = {"coherence": True, "exclusivity": True, "stability": True, "perplexity": False}


def summarize_search(runs: pd.DataFrame) -> pd.DataFrame:
    """Per kind and K: mean and standard error over seeds of each diagnostic, and the score.

    ``runs`` is :func:`search_k`'s table.  ``score`` is the mean, over the diagnostics
    available for the kind (perplexity for LDA only), of the rank of the K's mean among the
    grid's Ks, scaled to [0, 1] (1 = best K on that diagnostic, ties get their average
    rank).  Ranks rather than raw values so that no diagnostic dominates by its scale.

    Columns: kind, k, n_seeds, then <metric>_mean and <metric>_se for each metric, score,
    recommended (bool, see :func:`recommend_k`); sorted by kind, k.
    """
    missing = {"kind", "k", "seed", *METRICS} - set(runs.columns)
    if missing:
        raise ValueError(f"summarize_search: runs lack columns {sorted(missing)}")
    tables = []
    for kind, part in runs.groupby("kind", sort=True):
        grouped = part.groupby("k", sort=True)
        table = pd.DataFrame({"kind": kind, "n_seeds": grouped.size()})
        ranks = []
        for metric, higher_is_better in METRICS.items():
            mean = grouped[metric].mean()
            table[f"{metric}_mean"] = mean
            table[f"{metric}_se"] = grouped[metric].std(ddof=1) / np.sqrt(grouped[metric].count())
            if mean.notna().all() and len(mean) > 1:
                rank = rankdata(mean if higher_is_better else -mean)
                ranks.append((rank - 1) / (len(mean) - 1))
        table["score"] = np.mean(ranks, axis=0) if ranks else np.nan
        table["recommended"] = table.index == recommend_k(table.reset_index())
        tables.append(table.reset_index())
    ordered = ["kind", "k", "n_seeds"]
    ordered += [f"{m}_{s}" for m in METRICS for s in ("mean", "se")] + ["score", "recommended"]
    return pd.concat(tables, ignore_index=True)[ordered]


def recommend_k(summary: pd.DataFrame) -> int:
    """The K with the highest ``score`` (see :func:`summarize_search`); ties go to the smaller K.

    A starting point, not a verdict: coherence usually falls and exclusivity rises with K,
    so the score rewards the K that trades them best while staying reproducible across
    seeds.  Read the topics of the neighbouring Ks before settling.  ``summary`` holds one
    kind (columns k and score).
    """
    if summary.empty or summary["score"].isna().all():
        raise ValueError("recommend_k: no K has a score (the grid needs at least two Ks)")
    best = summary["score"].max()
    return int(summary.loc[np.isclose(summary["score"], best), "k"].min())


def choose_k(
    matrix,
    ks: Sequence[int],
    seeds: Sequence[int] = (0, 1, 2),
    *,
    kinds: Sequence[str] = ("nmf",),
    n_top: int = 10,
    n_jobs: int = 1,
    progress: bool = False,
) -> tuple[pd.DataFrame, dict[str, int]]:
    """Run the K grid and summarize it: (:func:`summarize_search`'s table, {kind: recommended K}).

    The grid is :func:`search_k` (seeded by ``seeds``); one call gives the diagnostics table a
    notebook shows and exports together with the K each model kind recommends.
    """
    runs = search_k(matrix, ks, seeds, kinds=kinds, n_top=n_top, n_jobs=n_jobs, progress=progress)
    summary = summarize_search(runs)
    chosen = {row.kind: int(row.k) for row in summary[summary["recommended"]].itertuples()}
    return summary, chosen
