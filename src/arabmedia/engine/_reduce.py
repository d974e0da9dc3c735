"""Reducers over partitions: near-duplicate clusters and a topic model of the whole table.

Unlike the steps of :mod:`arabmedia.engine._partitions`, these need more than one article
at a time.  :func:`near_duplicate_partitions` maps :func:`band_partition` (a few ints per
article: its LSH band keys) over the partitions, groups the keys of all partitions in this
process, and re-reads only the partitions that hold candidate pairs to verify them by the
exact Jaccard of their shingle sets, so it labels the clusters that
:func:`arabmedia.corpus.near_duplicate_clusters` labels on the concatenated table without
holding its texts.  :func:`fit_topic_sample` fits a topic model on a seeded sample of the
articles (chosen by a hash of each doc_id, so the sample does not depend on the
partitioning or the engine) and :func:`transform_partition` gives every article its topic
proportions, each article on its own.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import scipy.sparse as sp

from arabmedia.analysis._topics import (
    TopicCorpus,
    TopicModel,
    build_term_map,
    build_topic_corpus,
    topic_columns,
)
from arabmedia.corpus._dedup import (
    _TEXT_FIELDS,
    DEFAULT_MIN_WORDS,
    _doc_ids,
    _join_verified_pairs,
    _lsh_bands,
    _matching_texts,
    _minhash_signatures,
    _mix64,
    _shingle_sets,
    check_near_options,
)
from arabmedia.engine._engines import Engine
from arabmedia.engine._partitions import (
    _concat_tables,
    _map_partitions,
    _read_partition,
    _tokens,
)
from arabmedia.text._normalize import DEFAULT_SETTINGS, NormalizeSettings

#: Prefix of the band key columns of :func:`band_partition`: ``band_0``, ``band_1``, ...
BAND_PREFIX = "band_"


# --------------------------------------------------------------------------- near duplicates


def _partition_shingles(
    path: str | os.PathLike,
    caller: str,
    shingle: int,
    min_words: int,
    rows: np.ndarray | None = None,
) -> tuple[pd.Series, dict[int, np.ndarray]]:
    """doc_ids of a partition's articles (or of its ``rows``) and their shingle sets.

    The sets are those of :func:`arabmedia.corpus.near_duplicate_clusters` (normalised
    title + lead + body), keyed by position among the rows read; articles with fewer than
    ``min_words`` words have none.
    """
    articles = _read_partition(path, ["doc_id", *_TEXT_FIELDS])
    if rows is not None:
        articles = articles.iloc[rows].reset_index(drop=True)
    _doc_ids(articles, caller)  # every doc_id is a non-empty string
    return articles["doc_id"], _shingle_sets(_matching_texts(articles, caller), shingle, min_words)


def _band_keys(signatures: np.ndarray, bands: int, rows: int) -> np.ndarray:
    """One 64-bit key (n x bands) per signature row and LSH band.

    Rows with equal values in a band get equal keys, as in
    :func:`arabmedia.corpus.band_buckets`; the values are hashed (MurmurHash3's finaliser,
    seeded per band) instead of numbered, so keys of different partitions can be compared.
    """
    values = signatures[:, : bands * rows].astype(np.uint64).reshape(len(signatures), bands, rows)
    keys = np.broadcast_to(_mix64(np.arange(1, bands + 1, dtype=np.uint64)), values.shape[:2])
    for row in range(rows):
        keys = _mix64(keys ^ values[:, :, row])
    return keys


def band_partition(
    path: str | os.PathLike,
    *,
    threshold: float = 0.8,
    num_perm: int = 128,
    shingle: int = 5,
    seed: int = 1,
    min_words: int = DEFAULT_MIN_WORDS,
) -> pd.DataFrame:
    """LSH band keys of each article of one partition, the map step of near-duplicate search.

    The MinHash signature (``num_perm``, ``seed``) of the article's shingle set and the LSH
    bands of :func:`arabmedia.corpus.near_duplicate_clusters` with the same options; two
    articles are candidates when a band key of theirs is equal.  Needs columns doc_id, title,
    lead, body.  Columns: doc_id; banded (bool: the article has at least ``min_words``
    words, else it is never clustered and its keys are 0); ``band_0`` .. ``band_<b-1>``
    (int64 keys, one per band).  Rows in file order.
    """
    from datasketch import MinHash

    caller = "band_partition"
    check_near_options(caller, threshold, num_perm, shingle, min_words)
    doc_ids, shingle_sets = _partition_shingles(path, caller, shingle, min_words)
    positions = np.fromiter(shingle_sets, dtype=np.int64, count=len(shingle_sets))
    template = MinHash(num_perm=num_perm, seed=seed)
    signatures = _minhash_signatures([shingle_sets[p] for p in positions.tolist()], template)
    bands, rows = _lsh_bands(threshold, num_perm)
    keys = np.zeros((len(doc_ids), bands), dtype=np.uint64)
    keys[positions] = _band_keys(signatures, bands, rows)
    table = pd.DataFrame(keys.view(np.int64), columns=[f"{BAND_PREFIX}{b}" for b in range(bands)])
    banded = np.zeros(len(doc_ids), dtype=bool)
    banded[positions] = True
    table.insert(0, "banded", banded)
    table.insert(0, "doc_id", doc_ids)
    return table


def _candidate_groups(table: pd.DataFrame) -> list[np.ndarray]:
    """Row positions (two or more) of ``table`` sharing a key, band by band."""
    banded = np.flatnonzero(table["banded"].to_numpy())
    groups = []
    for column in (c for c in table.columns if c.startswith(BAND_PREFIX)):
        keys = table[column].to_numpy()[banded]
        order = np.argsort(keys, kind="stable")
        cuts = np.flatnonzero(np.diff(keys[order])) + 1
        groups.extend(banded[g] for g in np.split(order, cuts) if len(g) > 1)
    return groups


def _candidate_shingles(
    item: tuple[Path, np.ndarray], *, shingle: int, min_words: int
) -> tuple[list[str], list[np.ndarray | None]]:
    """doc_ids and shingle sets (None: too short) of the ``rows`` of one partition."""
    path, rows = item
    doc_ids, sets = _partition_shingles(path, "near_duplicate_partitions", shingle, min_words, rows)
    return doc_ids.tolist(), [sets.get(position) for position in range(len(rows))]


def _check_reread(
    path: Path, expected: Sequence[str], found: Sequence[str], missing: int = 0
) -> None:
    """Raise when a partition read again does not hold the articles it held the first time
    (``missing``: articles too short to cluster now that were not before)."""
    if list(expected) != list(found) or missing:
        raise ValueError(
            f"partition {path}: changed while it was read (its articles differ between the "
            "first and the second read); rerun on unchanging partitions"
        )


def near_duplicate_partitions(
    partitions: Sequence[str | os.PathLike],
    engine: Engine,
    *,
    threshold: float = 0.8,
    num_perm: int = 128,
    shingle: int = 5,
    seed: int = 1,
    min_words: int = DEFAULT_MIN_WORDS,
) -> pd.DataFrame:
    """Near-duplicate clusters of the articles of all partitions, labelled, none dropped.

    The clusters of :func:`arabmedia.corpus.near_duplicate_clusters` (same options, same
    meaning) on the concatenation of the partitions in the order given: :func:`band_partition`
    runs on ``engine``; this process holds only doc_ids and band keys, groups the keys of
    all partitions, and has the engine re-read just the partitions holding candidates to
    return the shingle sets of those articles, whose exact Jaccard similarity decides each
    pair.  Columns: doc_id; near_dup_cluster (str: doc_id of the cluster's first article in
    partition order, ``""`` without a near duplicate); near_dup_size (int: 1 without one).
    Rows in partition order, index 0..n-1.  Raises as :func:`arabmedia.engine.run_partitions`
    (no partitions, an article in two partitions) and when a partition changes between
    its two reads.
    """
    check_near_options("near_duplicate_partitions", threshold, num_perm, shingle, min_words)
    options = {"shingle": shingle, "min_words": min_words}
    paths = [Path(p) for p in partitions]
    tables = _map_partitions(
        band_partition, paths, engine, threshold=threshold, num_perm=num_perm, seed=seed, **options
    )
    starts = np.concatenate([[0], np.cumsum([len(t) for t in tables])])
    table = _concat_tables(tables)
    del tables
    groups = _candidate_groups(table)
    candidates = np.unique(np.concatenate(groups)) if groups else np.zeros(0, dtype=np.int64)
    holder = np.searchsorted(starts, candidates, side="right") - 1
    held = np.unique(holder).tolist()
    items = [(paths[p], candidates[holder == p] - starts[p]) for p in held]
    doc_ids = table["doc_id"].tolist()
    shingle_sets: dict[int, np.ndarray] = {}
    for p, (path, rows), (found, sets) in zip(
        held, items, engine.map(_candidate_shingles, items, **options), strict=True
    ):
        expected = doc_ids[starts[p] : starts[p + 1]]
        _check_reread(path, [expected[r] for r in rows], found, sum(s is None for s in sets))
        first = int(np.searchsorted(candidates, starts[p]))  # its candidates are contiguous
        shingle_sets.update(enumerate(sets, start=first))
    # Union-find over the candidates in table order: its smallest member is the first row.
    dense = [np.searchsorted(candidates, group) for group in groups]
    roots = np.arange(len(table))
    roots[candidates] = candidates[
        _join_verified_pairs(dense, shingle_sets, threshold, len(candidates)).roots()
    ]
    sizes = np.bincount(roots, minlength=len(table))[roots].astype(np.int64)
    clusters = [doc_ids[root] if size > 1 else "" for root, size in zip(roots, sizes, strict=True)]
    return pd.DataFrame(
        {
            "doc_id": table["doc_id"],
            "near_dup_cluster": pd.array(clusters, dtype="str"),
            "near_dup_size": sizes,
        }
    )


# --------------------------------------------------------------------------- topic models


@dataclass(frozen=True)
class TopicSample:
    """A topic model fitted on a sample of the articles of the partitions.

    ``model`` is the fitted :class:`arabmedia.analysis.TopicModel`; ``corpus`` the
    :class:`arabmedia.analysis.TopicCorpus` it was fitted on (one row per sampled article
    with at least one term, ``terms`` the vocabulary, for
    :func:`arabmedia.analysis.topic_terms` and :func:`arabmedia.analysis.choose_k`);
    ``doc_ids`` the doc_id of each corpus row; ``term_map`` the word type -> term map of the
    sample (:func:`arabmedia.analysis.build_term_map`); ``fields`` and ``normalize`` how
    the articles were tokenized.
    """

    model: TopicModel
    corpus: TopicCorpus
    doc_ids: np.ndarray
    term_map: Mapping[str, str]
    fields: tuple[str, ...]
    normalize: NormalizeSettings

    @property
    def transform_options(self) -> dict[str, object]:
        """Keyword arguments of :func:`transform_partition` for this model.

        ``run_partitions(transform_partition, partitions, engine, **sample.transform_options)``;
        the term map is cut to the types of the vocabulary (the only ones counted).
        """
        vocabulary = set(self.corpus.terms.tolist())
        return {
            "fields": self.fields,
            "model": self.model,
            "term_map": {t: term for t, term in self.term_map.items() if term in vocabulary},
            "terms": self.corpus.terms,
            "normalize": self.normalize,
        }


def _sample_keys(path: str | os.PathLike, *, seed: int) -> pd.DataFrame:
    """doc_id and sampling key (BLAKE2b of seed and doc_id, uint64) of each article."""
    doc_ids = _read_partition(path, ["doc_id"])["doc_id"]
    keys = [
        int.from_bytes(hashlib.blake2b(f"{seed}\0{d}".encode()).digest()[:8], "little")
        for d in doc_ids.tolist()
    ]
    return pd.DataFrame({"doc_id": doc_ids, "key": np.array(keys, dtype=np.uint64)})


def _sample_tokens(
    item: tuple[Path, np.ndarray], *, fields: Sequence[str], normalize: NormalizeSettings
) -> tuple[list[str], list[list[str]]]:
    """doc_ids and tokens (text of ``fields``) of the ``rows`` of one partition."""
    path, rows = item
    articles = _read_partition(path, ["doc_id", *fields]).iloc[rows].reset_index(drop=True)
    return articles["doc_id"].tolist(), _tokens(articles, fields, normalize).tolist()


def fit_topic_sample(
    partitions: Sequence[str | os.PathLike],
    engine: Engine,
    *,
    fields: Sequence[str],
    n_sample: int,
    seed: int,
    k: int,
    segmenter,
    kind: str = "nmf",
    model_seed: int = 0,
    stop_words: Iterable[str] = (),
    normalize: NormalizeSettings = DEFAULT_SETTINGS,
    min_length: int = 2,
    min_df: float | int = 5,
    max_df: float | int = 0.5,
    max_terms: int | None = 5000,
    cache_dir: str | os.PathLike | None = None,
) -> TopicSample:
    """Fit a ``kind`` topic model of ``k`` topics on a seeded sample of ``n_sample`` articles.

    The sample is the ``n_sample`` articles with the smallest BLAKE2b hash of ``seed`` and
    their doc_id (all of them when there are fewer), so it depends on neither the
    partitioning nor the engine; only its tokens (text of ``fields``, ``normalize``) come to
    this process, in partition order.  On them :func:`arabmedia.analysis.build_term_map`
    (``segmenter``, ``stop_words``, ``min_length``, ``cache_dir``) and
    :func:`arabmedia.analysis.build_topic_corpus` (``min_df``, ``max_df``, ``max_terms``)
    build the matrix; sampled articles left without a term are dropped, as
    :func:`arabmedia.analysis.build_topic_corpora` drops them, and
    ``TopicModel(kind, k, model_seed)`` is fitted on the rest.  With ``n_sample`` at least
    the number of articles this is the in-memory fit of the concatenated table.
    """
    if not isinstance(n_sample, (int, np.integer)) or n_sample < 1:
        raise ValueError(f"fit_topic_sample: n_sample must be an int >= 1, got {n_sample!r}")
    fields = tuple(fields)
    paths = [Path(p) for p in partitions]
    tables = _map_partitions(_sample_keys, paths, engine, seed=seed)
    starts = np.concatenate([[0], np.cumsum([len(t) for t in tables])])
    keys = _concat_tables(tables)
    ranked = keys.sort_values(["key", "doc_id"], kind="stable").index.to_numpy()
    chosen = np.sort(ranked[:n_sample])
    holder = np.searchsorted(starts, chosen, side="right") - 1
    held = np.unique(holder).tolist()
    items = [(paths[p], chosen[holder == p] - starts[p]) for p in held]
    doc_ids, token_lists = [], []
    answers = engine.map(_sample_tokens, items, fields=fields, normalize=normalize)
    for p, (path, rows), (found, tokens) in zip(held, items, answers, strict=True):
        _check_reread(path, keys["doc_id"].iloc[rows + starts[p]].tolist(), found)
        doc_ids.extend(found)
        token_lists.extend(tokens)
    term_map = build_term_map(
        token_lists, segmenter, stop_words, min_length=min_length, cache_dir=cache_dir
    )
    corpus = build_topic_corpus(
        token_lists, term_map, min_df=min_df, max_df=max_df, max_terms=max_terms
    )
    nonempty = np.flatnonzero(corpus.matrix.getnnz(axis=1) > 0)
    corpus = TopicCorpus(corpus.matrix[nonempty], corpus.terms, corpus.surface)
    model = TopicModel(kind, k, model_seed).fit(corpus.matrix)
    return TopicSample(
        model, corpus, np.array(doc_ids, dtype=object)[nonempty], term_map, fields, normalize
    )


def _term_matrix(
    token_lists: Sequence[Sequence[str]], term_map: Mapping[str, str], terms: np.ndarray
) -> sp.csr_matrix:
    """Counts (documents x ``terms``) of the tokens whose term is in ``terms``.

    The counts :func:`arabmedia.analysis.build_topic_corpus` gives for that vocabulary.
    """
    column = {term: number for number, term in enumerate(terms.tolist())}
    lengths = np.fromiter((len(tokens) for tokens in token_lists), dtype=np.int64)
    flat = [token for tokens in token_lists for token in tokens]
    codes, types = pd.factorize(pd.Series(flat, dtype=object))
    columns_of_type = np.array(
        [column.get(term_map.get(token), -1) for token in types], dtype=np.int64
    )
    token_columns = columns_of_type[codes] if len(codes) else np.zeros(0, dtype=np.int64)
    rows = np.repeat(np.arange(len(token_lists)), lengths)
    kept = token_columns >= 0
    matrix = sp.csr_matrix(
        (np.ones(int(kept.sum())), (rows[kept], token_columns[kept])),
        shape=(len(token_lists), len(terms)),
    )
    matrix.sum_duplicates()
    return matrix


def transform_partition(
    path: str | os.PathLike,
    fields: Sequence[str],
    model: TopicModel,
    term_map: Mapping[str, str],
    terms: np.ndarray,
    *,
    normalize: NormalizeSettings = DEFAULT_SETTINGS,
) -> pd.DataFrame:
    """Topic proportions of each article of one partition under a fitted model.

    The text of ``fields`` is tokenized (``normalize``), its tokens mapped by ``term_map``
    and counted over the model's vocabulary ``terms``; each article is transformed on its
    own (``model.transform`` of its row: scikit-learn's NMF transform of several rows
    depends on all of them), so an article's proportions depend only on it and the model.
    An article with none of the terms gets 1/K for every topic, as in
    :meth:`arabmedia.analysis.TopicModel.transform`.  :attr:`TopicSample.transform_options`
    gives the arguments after ``path``.  Columns: doc_id, n_terms (its tokens counted),
    topic_1 .. topic_K (:func:`arabmedia.analysis.topic_columns`); rows in file order.
    """
    articles = _read_partition(path, ["doc_id", *fields])
    matrix = _term_matrix(_tokens(articles, fields, normalize).tolist(), term_map, terms)
    n_topics = model.components_.shape[0]
    proportions = np.full((len(articles), n_topics), 1.0 / n_topics)
    for row in np.flatnonzero(matrix.getnnz(axis=1) > 0).tolist():
        proportions[row] = model.transform(matrix[row])[0]
    table = pd.DataFrame(proportions, columns=topic_columns(n_topics))
    table.insert(0, "n_terms", np.asarray(matrix.sum(axis=1)).ravel().astype(np.int64))
    table.insert(0, "doc_id", articles["doc_id"])
    return table
