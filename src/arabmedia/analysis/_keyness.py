"""Distinctive terms between two corpora: Fightin' Words and log-likelihood keyness.

Both take two term-count Series (index: term, values: counts), e.g. two columns of
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
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats as scipy_stats

from arabmedia.stats._association import g2_2x2, williams_q
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


def top_terms_each_side(
    table: pd.DataFrame,
    score: str,
    n: int = 15,
    *,
    names: tuple[str, str] | None = None,
    column: str = "outlet",
) -> pd.DataFrame:
    """The ``n`` highest and ``n`` lowest rows of ``table`` by ``score`` (e.g. z), with a
    ``side`` column ("a" for the highest, "b" for the lowest); stable order.

    With ``names`` (the groups compared as a and b, e.g. two outlets) a ``column`` names
    each row's side, so a reader of the exported table needs no other record of which
    group was "a".
    """
    ordered = table.sort_values([score, "term"], ascending=[False, True], kind="stable")
    high = ordered.head(n).assign(side="a")
    low = ordered[~ordered.index.isin(high.index)].tail(n).iloc[::-1].assign(side="b")
    top = pd.concat([high, low], ignore_index=True)
    if names is not None:
        first, second = names
        top.insert(0, column, top["side"].map({"a": first, "b": second}))
    return top


def strongest_per_side(
    table: pd.DataFrame, score: str, n: int, *, side: str = "side", sides=("a", "b")
) -> pd.DataFrame:
    """The ``n`` rows of largest absolute ``score`` of each side, then all by ``score`` descending.

    ``table`` is e.g. :func:`top_terms_each_side`' table (a ``side`` column, "a" or "b"); the
    sort is stable, so equal scores keep their order.  Same columns as ``table``.
    """
    top = pd.concat(
        [
            table[table[side] == name].sort_values(score, key=abs, ascending=False).head(n)
            for name in sides
        ]
    )
    return top.sort_values(score, ascending=False, kind="stable")


def distinctive_terms(
    tokens: pd.Series,
    groups: pd.Series,
    names: tuple[str, str],
    *,
    n: int = 15,
    ngram_range: tuple[int, int] = (1, 1),
    min_count: int = 1,
    stop_words: frozenset[str] | None = None,
    column: str = "outlet",
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Terms typical of group ``names[0]`` against ``names[1]``: (fightin, fightin top, G2 top).

    Counts terms with :func:`group_term_counts` (``tokens`` and ``groups`` as there), then
    scores them two ways, so a reader sees where the two measures agree:

    * ``fightin``: :func:`fightin_words` (pooled prior) with ``frequency`` = count_a + count_b,
      every term (for :func:`arabmedia.plot.keyness_figure`);
    * ``fightin top``: its ``n`` highest and ``n`` lowest z (:func:`top_terms_each_side`, a
      ``column`` naming each row's group first);
    * ``G2 top``: :func:`log_likelihood` with Williams' correction, the ``n`` strongest terms
      of each direction (a, then b) by G2, ``column`` first.
    """
    counts = group_term_counts(
        tokens, groups, ngram_range=ngram_range, min_count=min_count, stop_words=stop_words
    )
    first, second = names
    fightin = fightin_words(counts[first], counts[second])
    fightin["frequency"] = fightin["count_a"] + fightin["count_b"]
    fightin_top = top_terms_each_side(fightin, "z", n=n, names=names, column=column)
    g2 = log_likelihood(counts[first], counts[second], williams=True)
    g2_top = pd.concat(
        [g2[g2["direction"] == side].head(n) for side in ("a", "b")], ignore_index=True
    )
    g2_top.insert(0, column, g2_top["direction"].map({"a": first, "b": second}))
    return fightin, fightin_top, g2_top
