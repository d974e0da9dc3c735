"""Topic models (NMF, LDA) with stm-style diagnostics for choosing K, and topic prevalence.

What each outlet writes about, and how its agenda shifts, is read from topic models fitted on
the project's document-term matrix (normalized tokens, light stems, stop words and numbers
dropped, document-frequency cut-offs).  BERTopic deletes non-Latin text and no embedding model
can be downloaded here, so the models are scikit-learn's NMF and LDA and the diagnostics are
those of R's stm ``searchK``, computed on the corpus itself:

* **coherence** - NPMI of the top-N words of each topic over document co-occurrence
  (gensim's ``c_npmi`` with one window per document, i.e. boolean documents; same epsilon
  1e-12 and the same averaging over ordered word pairs, tested against gensim);
* **exclusivity** - stm's ``exclusivity()``: for each of a topic's top-N words, the weighted
  harmonic mean of its frequency rank (ECDF of the word's weight within the topic) and its
  exclusivity rank (ECDF of weight / sum of its weights over topics); the per-topic value is
  the *mean* over the top-N words (stm sums, so ours is stm's divided by N) and the weight is
  0.5 (stm's default is 0.7);
* **held-out perplexity** (LDA only) - scikit-learn's variational bound on a seeded held-out
  share of the documents (the models of the grid are fitted on the rest);
* **stability** - how much the topics of runs with different seeds agree: topics are matched
  one-to-one between two runs (Hungarian algorithm on the Jaccard similarity of their top-N
  word sets) and the matched similarities are averaged (Greene et al. 2014).

:func:`recommend_k` turns the per-K means into one documented choice.  Topics are numbered
from 1 by decreasing share of the corpus; a researcher names them in ``data/topics/labels.yaml``
(:func:`arabmedia.lexicons.load_topic_labels`, which refuses labels given for another
vocabulary); unnamed topics are called by their three top terms.

Determinism: the same matrix, K and seed give the same topics (NMF with a seeded random
initialization, LDA with a seeded online EM); nothing is kept between calls.
"""

from __future__ import annotations

import hashlib
import os
import sys
import warnings
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.decomposition import NMF, LatentDirichletAllocation
from sklearn.exceptions import ConvergenceWarning
from sklearn.feature_extraction.text import TfidfTransformer

from arabmedia._fingerprint import code_fingerprint
from arabmedia.io import atomic_path

KINDS = ("nmf", "lda")
#: gensim's epsilon in its log-ratio measures (topic_coherence.direct_confirmation_measure).
NPMI_EPSILON = 1e-12
#: Default maximum iterations: NMF coordinate-descent sweeps, LDA passes over the corpus.
DEFAULT_MAX_ITER = {"nmf": 200, "lda": 5}
STEM_CACHE_FORMAT = "stems-v1"


# --------------------------------------------------------------------------- document-term matrix


def stem_types(
    types: Iterable[str], segmenter, *, cache_dir: str | os.PathLike | None = None
) -> dict[str, str]:
    """``segmenter.stem`` of each distinct type, computed once per type, cached on disk.

    Stemming ~10^5 types with the rule segmenter takes seconds to tens of seconds, so with
    ``cache_dir`` the map is stored under ``<cache_dir>/stems/<sha256>.parquet``, keyed by
    the sorted types, the segmenter's name and the code fingerprint of the segmenter (its
    class's module, :mod:`arabmedia.text._segment`, the protected-word list and its loader,
    camel-tools' version): any change selects another file, so a stale map is never read.
    """
    from arabmedia.lexicons import _protected_words as protected_words
    from arabmedia.text import _segment as segment

    types = sorted(set(types))
    if cache_dir is None:
        return {token: segmenter.stem(token) for token in types}
    modules = dict.fromkeys([segment, protected_words, sys.modules[type(segmenter).__module__]])
    data_files = [protected_words.PROTECTED_WORDS_FILE]
    fingerprint = code_fingerprint(modules, ["camel-tools"], data_files)
    digest = hashlib.sha256(STEM_CACHE_FORMAT.encode())
    digest.update(str(segmenter.name).encode())
    digest.update(fingerprint.encode())
    for token in types:
        digest.update(token.encode("utf-8") + b"\0")
    path = Path(cache_dir) / "stems" / f"{digest.hexdigest()}.parquet"
    if path.exists():
        table = pd.read_parquet(path)
        return dict(zip(table["type"], table["stem"], strict=True))
    stems = {token: segmenter.stem(token) for token in types}
    with atomic_path(path) as tmp:
        pd.DataFrame({"type": types, "stem": [stems[t] for t in types]}).to_parquet(
            tmp, index=False
        )
    return stems


def build_term_map(
    token_lists: Iterable[Sequence[str]],
    segmenter,
    stop_words: Iterable[str] = (),
    *,
    min_length: int = 2,
    cache_dir: str | os.PathLike | None = None,
) -> dict[str, str]:
    """Map every kept word type of the corpus to its term (its light stem), once per type.

    A type is dropped (absent from the map) when it has no letter (numbers, punctuation),
    when it or its stem is a stop word, or when its stem is shorter than ``min_length``
    letters; stop words are checked on both because a clitic can hide one (وفي → في).
    ``segmenter`` is e.g. ``make_segmenter("auto", warn=False)``; stems go through
    :func:`stem_types` (cached in ``cache_dir`` when given).
    """
    stop_words = frozenset(stop_words)
    types = {token for tokens in token_lists for token in tokens}
    candidates = {
        token
        for token in types
        if token not in stop_words and any(char.isalpha() for char in token)
    }
    stems = stem_types(candidates, segmenter, cache_dir=cache_dir)
    return {
        token: stem
        for token, stem in sorted(stems.items())
        if stem not in stop_words and len(stem) >= min_length
    }


@dataclass(frozen=True)
class TopicCorpus:
    """A document-term count matrix with its terms and their display forms.

    ``matrix`` is a CSR matrix (documents x terms) of counts; ``terms`` the term (stem) of each
    column; ``surface`` the most frequent token of each term, shown in tables and figures.
    """

    matrix: sp.csr_matrix
    terms: np.ndarray
    surface: np.ndarray

    @property
    def shape(self) -> tuple[int, int]:
        """(documents, terms)."""
        return self.matrix.shape


def build_topic_corpus(
    token_lists: Sequence[Sequence[str]],
    term_map: Mapping[str, str],
    *,
    min_df: float | int = 5,
    max_df: float | int = 0.5,
    max_terms: int | None = 5000,
) -> TopicCorpus:
    """Count the mapped terms of each document; rows follow ``token_lists``.

    Tokens absent from ``term_map`` (see :func:`build_term_map`) are dropped.  Terms in fewer
    than ``min_df`` or more than ``max_df`` documents are cut (an int is a count, a float a
    share of documents, as in scikit-learn), then the ``max_terms`` terms in most documents
    are kept (ties broken by term); terms are sorted.  The counts equal those of
    :func:`arabmedia.text.make_vectorizer` with the same ``term_map`` and cut-offs (tested),
    but are built with vectorized numpy in a few seconds instead of tens.  Each term's
    display form is its most frequent token (ties: the alphabetically first): the stem
    ``احتلال`` is shown as ``الاحتلال``.
    """
    n_documents = len(token_lists)
    lengths = np.fromiter((len(tokens) for tokens in token_lists), dtype=np.int64)
    flat = [token for tokens in token_lists for token in tokens]
    type_codes, types = pd.factorize(pd.Series(flat, dtype=object), sort=True)
    mapped = [term_map.get(token) for token in types]
    kept = np.array([term is not None for term in mapped], dtype=bool)
    all_terms, term_of_type = np.unique(
        np.array([term or "" for term in mapped], dtype=object), return_inverse=True
    )
    term_of_type = np.where(kept, term_of_type, -1)
    token_terms = term_of_type[type_codes] if len(type_codes) else np.zeros(0, dtype=np.int64)
    rows = np.repeat(np.arange(n_documents), lengths)
    mask = token_terms >= 0
    counts = sp.csr_matrix(
        (np.ones(int(mask.sum())), (rows[mask], token_terms[mask])),
        shape=(n_documents, len(all_terms)),
    )
    counts.sum_duplicates()
    document_frequency = np.bincount(counts.indices, minlength=len(all_terms))
    low = min_df if isinstance(min_df, (int, np.integer)) else min_df * n_documents
    high = max_df if isinstance(max_df, (int, np.integer)) else max_df * n_documents
    columns = np.flatnonzero((document_frequency >= max(low, 1)) & (document_frequency <= high))
    if max_terms is not None and len(columns) > max_terms:
        order = np.lexsort((all_terms[columns], -document_frequency[columns]))
        columns = np.sort(columns[order[:max_terms]])
    if not len(columns):
        raise ValueError(
            f"build_topic_corpus: no term is in at least {min_df} and at most {max_df} "
            f"of the {n_documents} documents"
        )
    type_counts = np.bincount(type_codes, minlength=len(types))
    surface = {}
    for code in np.lexsort((types, -type_counts)):  # most frequent first, then alphabetical
        if kept[code]:
            surface.setdefault(term_of_type[code], types[code])
    return TopicCorpus(
        matrix=counts[:, columns].tocsr(),
        terms=all_terms[columns],
        surface=np.array([surface[c] for c in columns], dtype=object),
    )


# --------------------------------------------------------------------------- the model


class TopicModel(TransformerMixin, BaseEstimator):
    """NMF or LDA topic model on a document-term count matrix, scikit-learn style.

    ``kind="nmf"``: scikit-learn NMF (coordinate descent, Frobenius loss) on sublinear TF-IDF
    rows with a seeded *random* initialization (NNDSVD would make every seed give the same
    topics, and stability across seeds would then measure nothing).  ``kind="lda"``:
    scikit-learn's online variational LDA on the counts (priors 1/K).  ``max_iter`` defaults
    to :data:`DEFAULT_MAX_ITER`.

    After :meth:`fit`: ``components_`` (K x terms, non-negative topic-term weights) and
    ``topic_term_`` (rows summing to 1), with topics ordered by decreasing share of the
    training corpus; ``converged_`` says whether NMF met ``tol`` before ``max_iter`` (its
    ConvergenceWarning is not printed); :meth:`transform` gives document-topic proportions
    (rows sum to 1; a document with none of the model's terms gets 1/K everywhere).
    """

    def __init__(
        self,
        kind: str = "nmf",
        n_topics: int = 10,
        seed: int = 0,
        *,
        max_iter: int | None = None,
        tol: float = 1e-3,
        batch_size: int = 1024,
    ):
        self.kind = kind
        self.n_topics = n_topics
        self.seed = seed
        self.max_iter = max_iter
        self.tol = tol
        self.batch_size = batch_size

    def _check(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"TopicModel: kind must be one of {KINDS}, got {self.kind!r}")
        if not isinstance(self.n_topics, (int, np.integer)) or self.n_topics < 2:
            raise ValueError(f"TopicModel: n_topics must be an integer >= 2, got {self.n_topics}")

    def fit(self, X, y=None) -> TopicModel:
        """Fit on a (documents x terms) count matrix."""
        self._check()
        X = sp.csr_matrix(X, dtype=np.float64)
        if X.shape[0] < self.n_topics:
            raise ValueError(
                f"TopicModel: {X.shape[0]} documents are too few for {self.n_topics} topics"
            )
        max_iter = self.max_iter or DEFAULT_MAX_ITER[self.kind]
        if self.kind == "nmf":
            self.tfidf_ = TfidfTransformer(sublinear_tf=True).fit(X)
            self.estimator_ = NMF(
                self.n_topics, init="random", random_state=self.seed, max_iter=max_iter,
                tol=self.tol,
            )  # fmt: skip
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", ConvergenceWarning)  # reported as converged_
                doc_topic = self.estimator_.fit_transform(self.tfidf_.transform(X))
            self.converged_ = bool(self.estimator_.n_iter_ < max_iter)
        else:
            self.estimator_ = LatentDirichletAllocation(
                self.n_topics,
                learning_method="online",
                batch_size=self.batch_size,
                max_iter=max_iter,
                random_state=self.seed,
            )
            doc_topic = self.estimator_.fit_transform(X)
            self.converged_ = True  # a fixed number of passes over the corpus
        share = _row_proportions(doc_topic).sum(axis=0)
        self.order_ = np.argsort(-share, kind="stable")
        self.components_ = self.estimator_.components_[self.order_]
        totals = self.components_.sum(axis=1, keepdims=True)
        self.topic_term_ = np.divide(
            self.components_, totals, out=np.zeros_like(self.components_), where=totals > 0
        )
        self.n_iter_ = self.estimator_.n_iter_
        return self

    def transform(self, X) -> np.ndarray:
        """Document-topic proportions (documents x K, rows sum to 1), topics in model order."""
        X = sp.csr_matrix(X, dtype=np.float64)
        if self.kind == "nmf":
            raw = self.estimator_.transform(self.tfidf_.transform(X))
        else:
            raw = self.estimator_.transform(X)
        return _row_proportions(raw[:, self.order_])

    def perplexity(self, X) -> float:
        """Perplexity of held-out documents (LDA only: NMF has no likelihood)."""
        if self.kind != "lda":
            raise ValueError("TopicModel.perplexity: only LDA models have a likelihood")
        return float(self.estimator_.perplexity(sp.csr_matrix(X, dtype=np.float64)))


def top_term_indices(topic_term: np.ndarray, n: int = 10) -> np.ndarray:
    """Column indices of the ``n`` heaviest terms of each topic (K x n), heaviest first.

    Ties are broken by column index, so the result is deterministic.
    """
    topic_term = np.asarray(topic_term)
    n = min(n, topic_term.shape[1])
    return np.argsort(-topic_term, axis=1, kind="stable")[:, :n]


def _row_proportions(weights: np.ndarray) -> np.ndarray:
    """Rows scaled to sum to 1; an all-zero row becomes uniform."""
    weights = np.asarray(weights, dtype=float)
    totals = weights.sum(axis=1, keepdims=True)
    uniform = np.full_like(weights, 1.0 / weights.shape[1])
    return np.divide(weights, totals, out=uniform, where=totals > 0)


# --------------------------------------------------------------------------- reading topics


def topic_terms(model: TopicModel, corpus: TopicCorpus, n: int = 10) -> pd.DataFrame:
    """The ``n`` top terms of each topic.

    Columns: topic (1..K, model order), rank (1..n), term (stem), surface (most frequent
    token of the term, for display), weight (share of the topic's weight).
    """
    top = top_term_indices(model.topic_term_, n)
    rows = [
        (topic + 1, rank + 1, corpus.terms[column], corpus.surface[column], weight)
        for topic, columns in enumerate(top)
        for rank, (column, weight) in enumerate(
            zip(columns, model.topic_term_[topic, columns], strict=True)
        )
    ]
    return pd.DataFrame(rows, columns=["topic", "rank", "term", "surface", "weight"])


def topic_labels(terms: pd.DataFrame, labels: Mapping[int, str], n_terms: int = 3) -> pd.DataFrame:
    """One display label per topic: the researcher's name, else its top ``n_terms`` terms.

    ``terms`` is :func:`topic_terms`' table.  Columns: topic, label, named (bool), top_terms
    (the surface forms of the top ``n_terms`` terms joined by " · ").
    """
    unknown = sorted(set(labels) - set(terms["topic"]))
    if unknown:
        raise ValueError(f"topic_labels: labels for topics {unknown} that the model lacks")
    tops = (
        terms.sort_values(["topic", "rank"], kind="stable")
        .groupby("topic", sort=True)["surface"]
        .apply(lambda words: " · ".join(words.iloc[:n_terms]))
    )
    table = tops.rename("top_terms").reset_index()
    table["named"] = table["topic"].isin(list(labels))
    pairs = zip(table["topic"], table["top_terms"], strict=True)
    table["label"] = [labels.get(topic, top) for topic, top in pairs]
    return table[["topic", "label", "named", "top_terms"]]


def representative_documents(
    doc_topic: np.ndarray,
    articles: pd.DataFrame,
    n: int = 3,
    *,
    show_text: bool = False,
) -> pd.DataFrame:
    """The ``n`` documents with the highest proportion of each topic.

    ``articles`` is aligned row by row with ``doc_topic`` (columns doc_id, date, url, and
    title when ``show_text``).  Ties are broken by row order.  Columns: topic, rank,
    doc_id, date, url, proportion (and title with ``show_text=True``: for a researcher's
    own machine, never for a committed notebook).
    """
    if len(articles) != len(doc_topic):
        raise ValueError(
            f"representative_documents: {len(articles)} articles but {len(doc_topic)} rows"
        )
    fields = ["doc_id", "date", "url", *(["title"] if show_text else [])]
    records = articles[fields].reset_index(drop=True)
    tables = []
    for topic in range(doc_topic.shape[1]):
        rows = np.argsort(-doc_topic[:, topic], kind="stable")[:n]
        part = records.iloc[rows].assign(proportion=doc_topic[rows, topic])
        tables.append(part.assign(topic=topic + 1, rank=np.arange(1, len(rows) + 1)))
    table = pd.concat(tables, ignore_index=True)
    return table[["topic", "rank", "doc_id", "date", "url", "proportion", *fields[3:]]]


# --------------------------------------------------------------------------- prevalence


def topic_columns(n_topics: int) -> list[str]:
    """Column names of the topic proportions in :func:`proportions_frame`."""
    return [f"topic_{t}" for t in range(1, n_topics + 1)]


def proportions_frame(
    doc_topic: np.ndarray, articles: pd.DataFrame, keep: Sequence[str] = ("doc_id",)
) -> pd.DataFrame:
    """The ``keep`` columns of ``articles`` plus one proportion column per topic.

    Rows align with ``articles`` (same index).  Columns: ``keep``..., topic_1..topic_K.
    """
    if len(articles) != len(doc_topic):
        raise ValueError(f"proportions_frame: {len(articles)} articles but {len(doc_topic)} rows")
    proportions = pd.DataFrame(
        doc_topic, index=articles.index, columns=topic_columns(doc_topic.shape[1])
    )
    return pd.concat([articles[list(keep)], proportions], axis=1)


def _topic_of(column: str) -> int:
    return int(column.rsplit("_", 1)[1])


def compare_topics(
    frame: pd.DataFrame,
    by: str | Sequence[str] = (),
    *,
    n_boot: int = 1000,
    ci: float = 0.95,
    seed: int = 0,
) -> pd.DataFrame:
    """Mean topic proportion per group with a bootstrap interval over articles.

    ``frame`` is :func:`proportions_frame`'s table (plus the ``by`` columns, e.g. outlet and
    month); all topics share each group's resample (:func:`arabmedia.stats.bootstrap_ratios`).
    Columns (the compare contract): the ``by`` columns, topic, n_units, numerator (sum of
    proportions), denominator (articles), estimate (mean proportion), low, high; sorted by
    topic then ``by``.
    """
    from arabmedia.stats._bootstrap import bootstrap_ratios

    columns = [c for c in frame.columns if c.startswith("topic_")]
    if not columns:
        raise ValueError("compare_topics: the frame has no topic_<n> columns")
    by = [by] if isinstance(by, str) else list(by)
    table = bootstrap_ratios(frame, columns, by, name="topic", n_boot=n_boot, ci=ci, seed=seed)
    table["topic"] = table["topic"].map(_topic_of)
    return table


def compare_topic_change(
    frame: pd.DataFrame,
    between: str,
    first: object,
    second: object,
    *,
    n_boot: int = 1000,
    ci: float = 0.95,
    seed: int = 0,
) -> pd.DataFrame:
    """Change in each topic's mean proportion from ``first`` to ``second`` of ``between``.

    E.g. one outlet's articles before and after an event, the two sides resampled
    independently (:func:`arabmedia.stats.bootstrap_differences`).  Columns: topic,
    n_first, n_second, estimate_first, estimate_second, difference, low, high; sorted by
    topic.
    """
    from arabmedia.stats._bootstrap import bootstrap_differences

    columns = [c for c in frame.columns if c.startswith("topic_")]
    if not columns:
        raise ValueError("compare_topic_change: the frame has no topic_<n> columns")
    table = bootstrap_differences(
        frame, columns, between, first, second, name="topic", n_boot=n_boot, ci=ci, seed=seed
    )
    table["topic"] = table["topic"].map(_topic_of)
    return table


# --------------------------------------------------------------------------- notebook steps


def build_topic_corpora(
    token_lists: Mapping[str, Sequence[Sequence[str]]],
    articles: Mapping[str, pd.DataFrame],
    term_map: Mapping[str, str],
    *,
    min_df: int | float = 5,
    max_df: int | float = 0.5,
    max_terms: int | None = 5000,
) -> tuple[dict[str, tuple[TopicCorpus, pd.DataFrame]], pd.DataFrame]:
    """One document-term matrix per named corpus, without the documents left with no term.

    ``token_lists[name]`` and ``articles[name]`` are aligned row by row.  Returns
    ``{name: (corpus, articles of its rows, index 0..n-1)}`` and a shapes table with columns
    corpus, documents (before dropping), modelled, terms, term tokens.
    """
    corpora, shapes = {}, []
    for name, lists in token_lists.items():
        corpus = build_topic_corpus(
            lists, term_map, min_df=min_df, max_df=max_df, max_terms=max_terms
        )
        nonempty = (corpus.matrix.getnnz(axis=1) > 0).nonzero()[0]
        corpus = TopicCorpus(corpus.matrix[nonempty], corpus.terms, corpus.surface)
        corpora[name] = (corpus, articles[name].iloc[nonempty].reset_index(drop=True))
        shapes.append(
            {
                "corpus": name,
                "documents": len(lists),
                "modelled": corpus.shape[0],
                "terms": corpus.shape[1],
                "term tokens": int(corpus.matrix.sum()),
            }
        )
    return corpora, pd.DataFrame(shapes)


def topic_titles(labels: pd.DataFrame) -> dict[int, str]:
    """Figure title of each topic: "label (number)", the number after, as right-to-left reads.

    ``labels`` is :func:`topic_labels`' table.
    """
    numbered = labels["label"] + " (" + labels["topic"].astype(str) + ")"
    return dict(zip(labels["topic"], numbered, strict=True))


def fit_topic_model(
    corpus: TopicCorpus,
    name: str,
    kind: str,
    k: int,
    seed: int,
    *,
    n_top: int = 10,
) -> tuple[TopicModel, pd.DataFrame, pd.DataFrame, np.ndarray]:
    """Fit one seeded model on the whole corpus and read it: (model, terms, labels, doc_topic).

    ``name`` is the corpus key of the researcher's topic names in ``data/topics/labels.yaml``
    (read by ``load_topic_labels`` for this kind, K and seed); ``terms`` is :func:`topic_terms`
    (``n_top`` per topic), ``labels`` :func:`topic_labels`, ``doc_topic`` the documents' topic
    proportions (documents x K).
    """
    from arabmedia.lexicons._topic_labels import load_topic_labels

    model = TopicModel(kind, k, seed).fit(corpus.matrix)
    terms = topic_terms(model, corpus, n=n_top)
    names = load_topic_labels(name, kind, k, seed, vocabulary=corpus.terms)
    return model, terms, topic_labels(terms, names), model.transform(corpus.matrix)


def monthly_topic_prevalence(
    doc_topic: np.ndarray,
    articles: pd.DataFrame,
    group: str | None = None,
    *,
    n_boot: int = 1000,
    seed: int = 0,
) -> pd.DataFrame:
    """Mean topic proportion per calendar month (and ``group``, e.g. outlet), bootstrapped.

    ``articles`` (doc_id, date, and ``group``) is aligned with ``doc_topic``; undated
    articles belong to no month and are left out.  Columns: the compare contract of
    :func:`compare_topics` with by = [group,] month (month start dates).
    """
    data = articles.assign(month=articles["date"].dt.to_period("M").dt.to_timestamp())
    keep = ["doc_id", "month", *([group] if group else [])]
    by = [*([group] if group else []), "month"]
    proportions = proportions_frame(doc_topic, data, keep=keep)
    dated = proportions["month"].notna()
    return compare_topics(proportions[dated], by, n_boot=n_boot, seed=seed)


def topic_change_at(
    doc_topic: np.ndarray,
    articles: pd.DataFrame,
    event_date: str,
    labels: pd.DataFrame,
    *,
    n_boot: int = 1000,
    seed: int = 0,
) -> pd.DataFrame:
    """Change in each topic's mean proportion from before ``event_date`` to from it on, per
    outlet.

    ``doc_topic`` rows align with ``articles`` (doc_id, outlet, date); the periods are those
    of :func:`arabmedia.analysis.split_periods`, so articles without a date are left out.
    Each outlet's articles are compared on their own (:func:`arabmedia.analysis.per_group`);
    an outlet with articles on one side only gets n = 0 and NaN on the other.  Columns:
    outlet, those of :func:`compare_topic_change`, then label (``labels``' name) and
    topic_label (:func:`topic_titles`); outlets sorted.
    """
    from arabmedia.analysis._periods import per_group, period_labels, split_periods

    dated = articles["date"].notna().to_numpy()
    periods = split_periods(articles[dated], event_date)
    keep = ["doc_id", "outlet", "period"]
    proportions = proportions_frame(doc_topic[dated], periods, keep=keep)
    before, after = period_labels(event_date)
    change = per_group(
        proportions,
        lambda rows: compare_topic_change(rows, "period", before, after, n_boot=n_boot, seed=seed),
    )
    change = change.merge(labels[["topic", "label"]], on="topic")
    change["topic_label"] = change["topic"].map(topic_titles(labels))
    return change


def shared_months(articles: pd.DataFrame, group: str = "outlet") -> np.ndarray:
    """Boolean mask of the articles dated in a calendar month that every ``group`` covers.

    Articles without a date are never in a shared month.  Raises ValueError naming each
    group's first and last month when no month is covered by all groups, or when no
    article has a group and a date.
    """
    months = articles["date"].dt.to_period("M")
    dated = months.notna() & articles[group].notna()
    covered = months[dated].groupby(articles.loc[dated, group], sort=True).agg(set)
    if covered.empty:
        raise ValueError(f"shared_months: no article has both a {group} and a date")
    shared = set.intersection(*covered)
    if not shared:
        spans = "; ".join(f"{name}: {min(m)} to {max(m)}" for name, m in covered.items())
        raise ValueError(
            f"shared_months: no calendar month has articles of all {len(covered)} {group}s "
            f"({spans})"
        )
    return (months.isin(shared) & dated).to_numpy()


def outlet_topic_prevalence(
    doc_topic: np.ndarray,
    articles: pd.DataFrame,
    titles: Mapping[int, str],
    *,
    n_boot: int = 1000,
    seed: int = 0,
) -> pd.DataFrame:
    """Mean topic proportion per outlet (:func:`compare_topics`) plus each topic's title.

    ``articles`` (doc_id, outlet) is aligned with ``doc_topic``; ``titles`` is
    :func:`topic_titles`.  Columns: the compare contract with by = outlet, then topic_label.
    """
    proportions = proportions_frame(doc_topic, articles, keep=["doc_id", "outlet"])
    table = compare_topics(proportions, "outlet", n_boot=n_boot, seed=seed)
    table["topic_label"] = table["topic"].map(titles)
    return table
