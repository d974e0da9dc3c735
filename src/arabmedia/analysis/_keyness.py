"""Distinctive terms: Fightin' Words and log-likelihood keyness, two corpora or many groups.

Both measures take two term-count Series (index: term, values: counts), e.g. two columns of
:func:`group_term_counts`, which counts unigrams and/or bigrams through the project's
document-term matrix (:func:`arabmedia.text.make_vectorizer`).

* :func:`fightin_words`: the log-odds ratio with an informative Dirichlet prior of
  Monroe, Colaresi & Quinn (2008, "Fightin' Words", Political Analysis 16(4), eqs. 16-22):

      delta_w = log((y_wa + α_w) / (n_a + α_0 − y_wa − α_w))
              − log((y_wb + α_w) / (n_b + α_0 − y_wb − α_w))
      var(delta_w) ≈ 1 / (y_wa + α_w) + 1 / (y_wb + α_w),      z_w = delta_w / sqrt(var)

  with α_0 = Σ_w α_w.  The default prior takes α_w from a background corpus, here the
  two corpora pooled (α_w = y_wa + y_wb, the usual "informative" choice); a float gives
  the uninformative uniform prior α_w = that value, a Series any background counts.
* :func:`log_likelihood`: Dunning's (1993) G2 on the full 2x2 table of each term
  (term / other terms x corpus a / corpus b), with Williams' (1976) correction as an
  option, the p-value (chi-square, 1 df) and the log ratio effect size of Hardie (2014):
  log2 of the ratio of relative frequencies, a zero count replaced by 0.5.

:func:`distinctive_terms` compares 2 to 20 groups (outlets) at once: each group against
all the others pooled ("A vs rest"), and any named pairs ("A vs B"), in one table.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from arabmedia.stats._association import g2_2x2, williams_q
from arabmedia.text._display import display_terms
from arabmedia.text._dtm import make_vectorizer


def group_term_counts(
    tokens: pd.Series,
    groups: pd.Series,
    *,
    ngram_range: tuple[int, int] = (1, 1),
    min_count: int = 1,
    stop_words: frozenset[str] | None = None,
) -> pd.DataFrame:
    """Term counts per group from the project's document-term matrix.

    ``tokens``: one normalized token list per document; ``groups``: the group of each
    document (same index).  Punctuation is dropped and stop words removed before n-grams
    are formed (see :mod:`arabmedia.dtm`).  Terms with fewer than ``min_count``
    occurrences over all groups are dropped.  Returns a DataFrame indexed by term
    (sorted), one integer column per group (sorted).
    """
    if not tokens.index.equals(groups.index):
        raise ValueError("group_term_counts: tokens and groups must have the same index")
    vectorizer = make_vectorizer(ngram_range=ngram_range, stop_words=stop_words)
    matrix = vectorizer.fit_transform(tokens.tolist()).tocsr()
    vocabulary = vectorizer.get_feature_names_out()
    columns = {}
    for name in sorted(groups.unique()):
        rows = (groups == name).to_numpy()
        columns[name] = np.asarray(matrix[rows].sum(axis=0)).ravel().astype(np.int64)
    table = pd.DataFrame(columns, index=pd.Index(vocabulary, name="term"))
    table = table[table.sum(axis=1) >= min_count]
    return table.sort_index(kind="stable")


def _aligned(counts_a: pd.Series, counts_b: pd.Series, caller: str) -> tuple[np.ndarray, ...]:
    """The two count vectors over the union of their terms (missing = 0), and the terms."""
    for name, counts in (("counts_a", counts_a), ("counts_b", counts_b)):
        if not isinstance(counts, pd.Series):
            raise TypeError(f"{caller}: {name} must be a pandas Series indexed by term")
        if counts.index.has_duplicates:
            raise ValueError(f"{caller}: {name} has duplicate terms")
        values = pd.to_numeric(counts, errors="coerce").to_numpy(float)
        if not np.isfinite(values).all() or (values < 0).any():
            raise ValueError(f"{caller}: {name} must hold finite non-negative counts")
    terms = counts_a.index.union(counts_b.index, sort=False)
    a = counts_a.reindex(terms, fill_value=0).to_numpy(float)
    b = counts_b.reindex(terms, fill_value=0).to_numpy(float)
    if a.sum() == 0 or b.sum() == 0:
        raise ValueError(f"{caller}: each corpus needs at least one counted term")
    return terms, a, b


def _sorted(table: pd.DataFrame, column: str) -> pd.DataFrame:
    return table.sort_values([column, "term"], ascending=[False, True], kind="stable").reset_index(
        drop=True
    )


def fightin_words(
    counts_a: pd.Series,
    counts_b: pd.Series,
    *,
    prior: str | float | pd.Series = "pooled",
) -> pd.DataFrame:
    """Monroe et al.'s (2008) log-odds ratio with a Dirichlet prior, per term (see module doc).

    ``prior``: ``"pooled"`` (α_w = the term's count in both corpora together), a positive
    float (uniform α_w), or a Series of positive background counts covering every term.
    Positive z: the term is typical of corpus a.  Columns: term, count_a, count_b, alpha,
    delta, variance, z; sorted by z descending, then term.
    """
    terms, a, b = _aligned(counts_a, counts_b, "fightin_words")
    if isinstance(prior, str):
        if prior != "pooled":
            raise ValueError(
                f"fightin_words: prior must be 'pooled', a float or a Series, got {prior!r}"
            )
        alpha = a + b
    elif isinstance(prior, pd.Series):
        missing = terms.difference(prior.index)
        if len(missing):
            raise ValueError(f"fightin_words: prior has no value for terms {list(missing[:5])}")
        alpha = prior.reindex(terms).to_numpy(float)
    else:
        alpha = np.full(len(terms), float(prior))
    if not (np.isfinite(alpha).all() and (alpha > 0).all()):
        raise ValueError("fightin_words: every prior value α_w must be a positive number")
    alpha_0 = alpha.sum()
    n_a, n_b = a.sum(), b.sum()
    log_odds_a = np.log((a + alpha) / (n_a + alpha_0 - a - alpha))
    log_odds_b = np.log((b + alpha) / (n_b + alpha_0 - b - alpha))
    delta = log_odds_a - log_odds_b
    variance = 1.0 / (a + alpha) + 1.0 / (b + alpha)
    table = pd.DataFrame(
        {
            "term": terms,
            "count_a": a.astype(np.int64) if np.all(a == a.round()) else a,
            "count_b": b.astype(np.int64) if np.all(b == b.round()) else b,
            "alpha": alpha,
            "delta": delta,
            "variance": variance,
            "z": delta / np.sqrt(variance),
        }
    )
    return _sorted(table, "z")


def log_likelihood(
    counts_a: pd.Series,
    counts_b: pd.Series,
    *,
    williams: bool = False,
) -> pd.DataFrame:
    """G2 keyness per term between corpus a and corpus b, with log ratio effect size.

    For each term the 2x2 table is (count_a, count_b; n_a − count_a, n_b − count_b),
    n = total counted terms of each corpus.  ``williams=True`` divides G2 by Williams' q.
    Columns: term, count_a, count_b, per_10k_a, per_10k_b, g2, p_value, log_ratio
    (log2 of relative frequency a / b; a zero count counts as 0.5), direction ("a" when
    relatively more frequent in a, else "b"); sorted by g2 descending, then term.
    """
    from scipy import stats as scipy_stats

    terms, a, b = _aligned(counts_a, counts_b, "log_likelihood")
    n_a, n_b = a.sum(), b.sum()
    cells = (a, b, n_a - a, n_b - b)
    g2 = g2_2x2(*cells)
    if williams:
        g2 = g2 / williams_q(*cells)
    log_ratio = np.log2((np.where(a > 0, a, 0.5) / n_a) / (np.where(b > 0, b, 0.5) / n_b))
    table = pd.DataFrame(
        {
            "term": terms,
            "count_a": a.astype(np.int64),
            "count_b": b.astype(np.int64),
            "per_10k_a": a / n_a * 10_000,
            "per_10k_b": b / n_b * 10_000,
            "g2": g2,
            "p_value": scipy_stats.chi2.sf(g2, df=1),
            "log_ratio": log_ratio,
            "direction": np.where(a / n_a >= b / n_b, "a", "b"),
        }
    )
    return _sorted(table, "g2")


def strongest_per_side(
    table: pd.DataFrame, score: str, n: int, *, side: str = "side", sides=("a", "b")
) -> pd.DataFrame:
    """The ``n`` rows of largest absolute ``score`` of each side, then all by ``score`` descending.

    ``table`` has a ``side`` column naming each row's side (e.g. the ``outlet`` column of one
    comparison of :func:`distinctive_terms`); the sort is stable, so equal scores keep their
    order.  Same columns as ``table``.
    """
    top = pd.concat(
        [
            table[table[side] == name].sort_values(score, key=abs, ascending=False).head(n)
            for name in sides
        ]
    )
    return top.sort_values(score, ascending=False, kind="stable")


#: The ``outlet`` value of the rows of a "<group> vs rest" comparison typical of the rest.
REST = "rest"

DISTINCTIVE_COLUMNS = [
    "comparison",
    "outlet",
    "term",
    "surface",
    "count_a",
    "count_b",
    "z",
    "g2",
    "log_ratio",
    "rank",
]


def _comparison_order(
    groups: pd.Series, names: list[str], order: Sequence[str] | None
) -> list[str]:
    """The groups of the "vs rest" comparisons: ``order``, or by documents (most first), name."""
    if order is None:
        sizes = groups.value_counts()
        return sorted(names, key=lambda name: (-sizes[name], name))
    order = list(order)
    unknown = [name for name in order if name not in names]
    missing = [name for name in names if name not in order]
    if unknown or missing or len(set(order)) != len(order):
        raise ValueError(
            f"distinctive_terms: order must list every group once; unknown {unknown}, "
            f"missing {missing}, groups {names}"
        )
    return order


def _one_comparison(
    label: str,
    names: tuple[str, str],
    counts_a: pd.Series,
    counts_b: pd.Series,
    n: int,
    min_count: int,
) -> pd.DataFrame:
    """Fightin' Words z, G2 and log ratio of a against b; the ``n`` terms of each side by z."""
    kept = (counts_a + counts_b) >= min_count
    counts_a, counts_b = counts_a[kept], counts_b[kept]
    if counts_a.sum() == 0 or counts_b.sum() == 0:
        raise ValueError(
            f"distinctive_terms: in {label!r} a side has no term counted at least "
            f"{min_count} times (min_count) in the two sides together"
        )
    fightin = fightin_words(counts_a, counts_b)
    g2 = log_likelihood(counts_a, counts_b, williams=True).set_index("term")
    table = fightin[["term", "count_a", "count_b", "z"]].join(g2[["g2", "log_ratio"]], on="term")
    sides = [
        table[table["z"] > 0].head(n),
        table[table["z"] < 0].sort_values(["z", "term"], kind="stable").head(n),
    ]
    sides = [
        side.assign(outlet=name, rank=np.arange(1, len(side) + 1))
        for side, name in zip(sides, names, strict=True)
    ]
    return pd.concat(sides, ignore_index=True).assign(comparison=label)


def distinctive_terms(
    tokens: pd.Series,
    groups: pd.Series,
    *,
    pairs: Sequence[tuple[str, str]] = (),
    order: Sequence[str] | None = None,
    n: int = 15,
    ngram_range: tuple[int, int] = (1, 2),
    min_count: int = 10,
    stop_words: frozenset[str] | None = None,
    display: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """The terms most typical of each group against all the others, and of named pairs.

    ``tokens`` and ``groups`` as in :func:`group_term_counts` (e.g. leads and their outlet),
    2 or more groups.  One comparison "<A> vs rest" per group (A against the pooled
    documents of every other group), in ``order`` (every group once) or by number of
    documents, most first, then name; then one "<A> vs <B>" per ``pairs`` entry.  In each
    comparison terms counted fewer than ``min_count`` times in the two sides together are
    left out; each term gets :func:`fightin_words` z (pooled prior; positive: typical of
    the first side), :func:`log_likelihood` G2 (Williams-corrected) and log ratio; the
    ``n`` terms of largest positive z are the first side's, the ``n`` of most negative z
    the second side's (B, or :data:`REST`).

    Columns (:data:`DISTINCTIVE_COLUMNS`): comparison, outlet (the side the term is
    typical of), term (normalized), surface (the term in ``display`` forms, word by word,
    e.g. :func:`arabmedia.text.display_forms`; the term itself without ``display``),
    count_a, count_b (counts in the first and second side), z and log_ratio (signed,
    positive for the first side), g2 (never negative), rank (1..n within comparison and
    side, strongest first).  Rows by comparison, first side then second, rank.
    Raises ValueError for fewer than two groups, a missing group label, a group without
    counted tokens, and unknown names in ``pairs`` or ``order``.
    """
    if groups.isna().any():
        raise ValueError(
            f"distinctive_terms: {int(groups.isna().sum())} documents have no group label"
        )
    counts = group_term_counts(tokens, groups, ngram_range=ngram_range, stop_words=stop_words)
    names = list(counts.columns)
    if len(names) < 2:
        raise ValueError(f"distinctive_terms: need at least two groups, have {names}")
    if REST in names:
        raise ValueError(f"distinctive_terms: {REST!r} names the pooled others; rename that group")
    empty = [name for name in names if counts[name].sum() == 0]
    if empty:
        raise ValueError(
            f"distinctive_terms: group(s) {empty} have no tokens left once punctuation and "
            "stop words are dropped"
        )
    unknown = sorted({str(name) for pair in pairs for name in pair if name not in names})
    if unknown:
        raise ValueError(f"distinctive_terms: pairs name unknown groups {unknown}; have {names}")
    same = [a for a, b in pairs if a == b]
    if same:
        raise ValueError(f"distinctive_terms: a pair compares {same[0]!r} with itself")
    total = counts.sum(axis=1)
    comparisons = [
        _one_comparison(
            f"{name} vs {REST}", (name, REST), counts[name], total - counts[name], n, min_count
        )
        for name in _comparison_order(groups, names, order)
    ]
    comparisons += [
        _one_comparison(f"{a} vs {b}", (a, b), counts[a], counts[b], n, min_count) for a, b in pairs
    ]
    table = pd.concat(comparisons, ignore_index=True)
    forms = display or {}
    table["surface"] = display_terms(table["term"], forms)
    return table[DISTINCTIVE_COLUMNS]
