"""Match articles of different outlets that report the same event.

An event is a group of articles, from at least two outlets, published within a few days
of each other and similar enough in text.  :func:`match_events` finds them without
comparing every pair of articles in the corpus:

1. Texts: each article's normalized word tokens (:func:`arabmedia.text.tokenize_many`,
   punctuation dropped) of its title and lead and the start of its body (leads say what
   happened; long bodies drift into background).
2. Similarity.  ``"tfidf"``: the mean of two cosines, one over word 1-2-grams, one over
   character 3-5-grams inside words (which match clitic and spelling variants of one
   word).  Both weight sublinear term frequency (1 + log tf) by ``log((1 + N) / (1 + df))``
   over the N articles given, so features every article has weigh nothing.  ``"minhash"``:
   the Jaccard similarity of the sets of word 2-grams (near-verbatim copy: wire stories).
3. Candidates: articles are blocked by date; each article of a day is compared with the
   articles of that day and the ``window_days`` days either side.  ``"tfidf"`` keeps each
   article's ``n_neighbors`` most similar articles of *other* outlets by word-feature cosine
   (a sparse product computed in chunks of the block), then scores those pairs with the
   full similarity; ``"minhash"`` takes the pairs of other outlets that share a MinHash LSH
   band in the block (the MinHash and LSH pieces of :mod:`arabmedia.corpus._dedup`), scored
   by exact Jaccard.  Candidates grow with articles per block times ``n_neighbors``, never
   with the square of the corpus.
4. Clustering without chaining: candidate pairs at or above ``threshold`` form a graph;
   within each of its connected components, average-link agglomerative clustering over
   the similarities of all member pairs (0 for pairs more than ``window_days`` apart) is
   cut at distance ``1 - threshold``, so every event's articles are on average at least
   ``threshold`` similar to each other and A~B, B~C do not join an unrelated A and C.  A
   cluster of a single outlet is split into lone articles: only pairs of different outlets
   make an event.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
import pyarrow as pa
import scipy.sparse as sp
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.sparse.csgraph import connected_components
from scipy.spatial.distance import squareform
from sklearn.feature_extraction.text import HashingVectorizer
from tqdm import tqdm

from arabmedia.corpus._dedup import (
    _lsh_bands,
    _minhash_signatures,
    _shingle_sets,
    band_buckets,
)
from arabmedia.text._normalize import tokenize_many
from arabmedia.text._vocabulary import is_word

EVENT_METHODS = ("tfidf", "minhash")
#: Default similarity cut per method (see match_events for how they were chosen).
EVENT_THRESHOLDS = {"tfidf": 0.3, "minhash": 0.3}
#: Output columns of match_events, in order.
EVENT_COLUMNS = (
    "doc_id",
    "outlet",
    "date",
    "event_id",
    "event_size",
    "event_outlets",
    "best_similarity",
)
#: Words per MinHash shingle.
MINHASH_SHINGLE = 2
MINHASH_PERMUTATIONS = 128
# Hashed feature space of each TF-IDF part (2**22 buckets: collisions are negligible).
_HASH_FEATURES = 1 << 22
# Query rows per chunk of a block's similarity product.
_CHUNK_ROWS = 1000
# Pairs per chunk when scoring candidate pairs.
_PAIR_CHUNK = 20000
# Rows per block when weighting TF-IDF counts in place.
_WEIGHT_ROWS = 4096


# ---------------------------------------------------------------- inputs


def _check_table(
    articles: pd.DataFrame, needed: list[str], fields: Sequence[str], tokens, caller: str
) -> None:
    """Raise ValueError naming missing columns (``needed``, and ``fields`` when there are
    no ``tokens``) or duplicated doc_ids."""
    if tokens is None:
        needed += list(fields)
    missing = [c for c in needed if c not in articles.columns]
    if missing:
        raise ValueError(
            f"{caller}: the article table lacks column(s) {missing}"
            + (" (pass fields=... naming the text columns it has)" if tokens is None else "")
        )
    if tokens is None and not fields:
        raise ValueError(f"{caller}: fields is empty: name at least one text column")
    if tokens is not None and (
        not isinstance(tokens, pd.Series) or not tokens.index.equals(articles.index)
    ):
        raise ValueError(f"{caller}: tokens must be a Series aligned with articles.index")
    duplicated = articles["doc_id"][articles["doc_id"].duplicated()]
    if len(duplicated):
        raise ValueError(
            f"{caller}: doc_id is not unique ({len(duplicated)} repeated, e.g. "
            f"{duplicated.iloc[0]!r}): deduplicate the table first"
        )


def _check_method(method: str, threshold: float | None, caller: str) -> float:
    if method not in EVENT_METHODS:
        raise ValueError(
            f"{caller}: unknown method {method!r}; choose one of {list(EVENT_METHODS)}"
        )
    if threshold is None:
        return EVENT_THRESHOLDS[method]
    if isinstance(threshold, bool) or not isinstance(threshold, (int, float)):
        raise ValueError(f"{caller}: threshold must be a number in (0, 1), got {threshold!r}")
    if not 0 < threshold < 1:
        raise ValueError(f"{caller}: threshold must be in (0, 1), got {threshold}")
    return float(threshold)


def _check_window(window_days: int, n_neighbors: int, caller: str) -> None:
    if isinstance(window_days, bool) or not isinstance(window_days, int) or window_days < 0:
        raise ValueError(f"{caller}: window_days must be an integer >= 0, got {window_days!r}")
    if isinstance(n_neighbors, bool) or not isinstance(n_neighbors, int) or n_neighbors < 1:
        raise ValueError(f"{caller}: n_neighbors must be an integer >= 1, got {n_neighbors!r}")


class _Words:
    """A row's word tokens (punctuation dropped), each distinct word one str object: is_word
    runs once per distinct token, and a corpus's token lists take far less memory (here,
    and pickled in the step cache)."""

    def __init__(self) -> None:
        self.known: dict[str, str | None] = {}

    def __call__(self, row: Sequence[str]) -> list[str]:
        known = self.known
        for token in row:
            if token not in known:
                known[token] = token if is_word(token) else None
        return [word for word in map(known.__getitem__, row) if word is not None]


def _word_tokens(
    articles: pd.DataFrame,
    fields: Sequence[str],
    max_body_tokens: int | None,
    tokens: pd.Series | None,
    caller: str,
) -> list[list[str]]:
    """Word tokens (punctuation dropped) of each article, in table order.

    Without ``tokens``: the ``fields`` joined by newlines and tokenized; ``body`` is cut
    to its first ``max_body_tokens`` whitespace-separated words before tokenizing and to
    as many word tokens after (None: whole body).  With ``tokens`` (a Series aligned with
    ``articles.index``): those tokens, whole.
    """
    words = _Words()
    if tokens is not None:
        return [words(row) for row in tokens.tolist()]
    if max_body_tokens is not None and max_body_tokens < 0:
        raise ValueError(f"{caller}: max_body_tokens must be >= 0 or None, got {max_body_tokens}")
    head_fields = [f for f in fields if f != "body"]
    columns = [articles[f].fillna("").astype(str).tolist() for f in head_fields]
    heads = ["\n".join(p for p in parts if p) for parts in zip(*columns, strict=True)]
    result = [words(row) for row in tokenize_many(heads)] if heads else None
    if "body" in fields:
        bodies = articles["body"].fillna("").astype(str)
        if max_body_tokens is not None:
            bodies = [" ".join(b.split(maxsplit=max_body_tokens)[:max_body_tokens]) for b in bodies]
        body_tokens = [words(row) for row in tokenize_many(list(bodies))]
        if max_body_tokens is not None:
            body_tokens = [row[:max_body_tokens] for row in body_tokens]
        if result is None:
            return body_tokens
        result = [head + body for head, body in zip(result, body_tokens, strict=True)]
    return result


# ---------------------------------------------------------------- TF-IDF features


def _document_frequencies(counts: sp.csr_matrix) -> np.ndarray:
    """Rows of ``counts`` (the raw counts of :func:`_feature_counts`) with each feature."""
    return np.bincount(counts.indices, minlength=counts.shape[1])


def _tfidf(
    counts: sp.csr_matrix, df: np.ndarray | None = None, n_rows: int | None = None
) -> sp.csr_matrix:
    """Rows of (1 + log tf) * log((1 + N) / (1 + df)), L2-normalized (empty rows stay 0).

    N and df are those of ``counts`` itself, or of a larger table whose rows these are
    (``n_rows`` rows, document frequencies ``df``): each row depends on them and on itself
    only.  Float64 ``counts`` (as :func:`_feature_counts` gives them) are weighted in place,
    a block of rows at a time: weighting adds no copy of a corpus's matrix."""
    matrix = counts.tocsr()
    if matrix.dtype != np.float64:
        matrix = matrix.astype(np.float64)
    matrix.sum_duplicates()
    matrix.eliminate_zeros()
    if df is None:
        n_rows, df = matrix.shape[0], _document_frequencies(matrix)
    idf = np.log((1 + n_rows) / (1 + df))
    indptr = matrix.indptr
    for first in range(0, matrix.shape[0], _WEIGHT_ROWS):
        last = min(first + _WEIGHT_ROWS, matrix.shape[0])
        lo, hi = indptr[first], indptr[last]
        data = matrix.data[lo:hi]
        np.log(data, out=data)
        data += 1
        data *= idf[matrix.indices[lo:hi]]
        nonempty = np.diff(indptr[first : last + 1]) > 0
        norms = np.ones(last - first)
        if nonempty.any():
            # Rows between two nonempty rows are empty: each sum is one row's squares.
            squares = np.add.reduceat(data**2, indptr[first:last][nonempty] - lo)
            norms[nonempty] = np.sqrt(squares)
            norms[norms == 0] = 1
        data /= np.repeat(norms, np.diff(indptr[first : last + 1]))
    return matrix


def _feature_counts(words: list[list[str]]) -> tuple[sp.csr_matrix, sp.csr_matrix]:
    """(word 1-2-gram, in-word character 3-5-gram) hashed counts of the token lists
    (canonical CSR: indices sorted, no duplicates, no zeros).

    Character n-grams are those of sklearn's ``char_wb`` analyzer on the words; they
    are computed once per distinct word and summed per article (same counts, far
    faster than analysing every article's text).
    """
    word_vectorizer = HashingVectorizer(
        tokenizer=str.split,
        token_pattern=None,
        lowercase=False,
        ngram_range=(1, 2),
        n_features=_HASH_FEATURES,
        alternate_sign=False,
        norm=None,
    )
    word_counts = word_vectorizer.transform([" ".join(row) for row in words])
    vocabulary: dict[str, int] = {}
    columns = [vocabulary.setdefault(w, len(vocabulary)) for row in words for w in row]
    rows = np.repeat(np.arange(len(words)), [len(row) for row in words])
    types = sp.csr_matrix(
        (np.ones(len(columns)), (rows, np.asarray(columns, dtype=np.int64))),
        shape=(len(words), len(vocabulary)),
    )
    char_vectorizer = HashingVectorizer(
        analyzer="char_wb",
        ngram_range=(3, 5),
        lowercase=False,
        n_features=_HASH_FEATURES,
        alternate_sign=False,
        norm=None,
    )
    grams = char_vectorizer.transform(list(vocabulary)) if vocabulary else None
    char_counts = (
        types @ grams if grams is not None else sp.csr_matrix((len(words), _HASH_FEATURES))
    )
    counts = []
    for matrix in (word_counts.tocsr(), char_counts.tocsr()):
        matrix.sum_duplicates()
        matrix.eliminate_zeros()
        counts.append(matrix)
    return counts[0], counts[1]


def _row_dots(matrix: sp.csr_matrix, first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """Dot products of rows ``first[i]`` and ``second[i]`` (cosines where rows are
    L2-normalized, shared shingles where they are sets of ones)."""
    result = np.empty(len(first))
    for start in range(0, len(first), _PAIR_CHUNK):
        stop = start + _PAIR_CHUNK
        product = matrix[first[start:stop]].multiply(matrix[second[start:stop]])
        result[start:stop] = np.asarray(product.sum(axis=1)).ravel()
    return result


def _compact(rows: sp.csr_matrix) -> sp.csr_matrix:
    """The rows with only the columns they use (transposing 2**22 columns is slow)."""
    used, indices = np.unique(rows.indices, return_inverse=True)
    return sp.csr_matrix((rows.data, indices, rows.indptr), shape=(rows.shape[0], len(used)))


class _TfidfSimilarity:
    """Mean of word and character TF-IDF cosines of articles (rows in table order).

    ``words``: the articles' tokens; or ``counts`` (their :func:`_feature_counts`) with
    ``frequencies`` (N and the word and character document frequencies of the table they
    are rows of, when it is larger)."""

    def __init__(
        self,
        words: list[list[str]] | None,
        n_neighbors: int,
        *,
        counts: tuple[sp.csr_matrix, sp.csr_matrix] | None = None,
        frequencies: tuple[int, np.ndarray, np.ndarray] | None = None,
    ):
        word, char = _feature_counts(words) if counts is None else counts
        if frequencies is None:
            self.word, self.char = _tfidf(word), _tfidf(char)
        else:
            n_rows, word_df, char_df = frequencies
            self.word, self.char = _tfidf(word, word_df, n_rows), _tfidf(char, char_df, n_rows)
        self.n_neighbors = n_neighbors

    def use_threshold(self, threshold: float) -> None:
        """Nothing: TF-IDF candidates do not depend on the cut."""

    def pairs(self, first: np.ndarray, second: np.ndarray) -> np.ndarray:
        word = _row_dots(self.word, first, second)
        char = _row_dots(self.char, first, second)
        return np.clip((word + char) / 2, 0, 1)

    def matrix(self, members: np.ndarray) -> np.ndarray:
        word, char = _compact(self.word[members]), _compact(self.char[members])
        return np.clip(((word @ word.T).toarray() + (char @ char.T).toarray()) / 2, 0, 1)

    def candidates(
        self,
        days: np.ndarray,
        outlets: np.ndarray,
        window_days: int,
        query_days: np.ndarray,
        progress: bool,
    ) -> list[np.ndarray]:
        """(2, n) arrays of row positions: for each day of ``query_days``, its rows against
        the dated rows of the window around it (:meth:`block_candidates`)."""
        dated = np.flatnonzero(days >= 0)
        found = []
        for day in tqdm(query_days, desc="event blocks", unit="day", disable=not progress):
            queries = dated[days[dated] == day]
            block = dated[np.abs(days[dated] - day) <= window_days]
            found.extend(self.block_candidates(queries, block, outlets))
        return found

    def block_candidates(
        self, queries: np.ndarray, block: np.ndarray, outlets: np.ndarray
    ) -> list[np.ndarray]:
        """Each query's ``n_neighbors`` most word-similar block rows of other outlets, as
        (2, n) arrays of row positions."""
        found = []
        # Queries are block rows: compact the block's columns once, for both sides.
        rows = _compact(self.word[block])
        block_t = rows.T.tocsr()
        query_rows = rows[np.searchsorted(block, queries)]
        for start in range(0, len(queries), _CHUNK_ROWS):
            chunk = queries[start : start + _CHUNK_ROWS]
            scores = (query_rows[start : start + _CHUNK_ROWS] @ block_t).toarray()
            scores[outlets[chunk][:, None] == outlets[block][None, :]] = 0
            keep = min(self.n_neighbors, len(block))
            top = np.argpartition(-scores, keep - 1, axis=1)[:, :keep]
            rows = np.repeat(np.arange(len(chunk)), keep)
            cols = top.ravel()
            positive = scores[rows, cols] > 0
            found.append(np.vstack([chunk[rows[positive]], block[cols[positive]]]))
        return found


def _set_matrix(sets: dict[int, np.ndarray], n_rows: int) -> sp.csr_matrix:
    """Rows of ones at each row's shingles (columns: the distinct shingles, in sorted
    order), so row products count shared shingles exactly."""
    positions = sorted(sets)
    sizes = np.zeros(n_rows, dtype=np.int64)
    sizes[positions] = [sets[p].size for p in positions]
    values = np.concatenate([sets[p] for p in positions]) if positions else np.zeros(0, np.uint64)
    _, columns = np.unique(values, return_inverse=True)
    indptr = np.concatenate([[0], np.cumsum(sizes)])
    shape = (n_rows, int(columns.max()) + 1 if columns.size else 0)
    return sp.csr_matrix((np.ones(columns.size), columns.ravel(), indptr), shape=shape)


class _MinhashSimilarity:
    """Jaccard similarity of word-2-gram sets (rows in table order)."""

    def __init__(self, words: list[list[str]], threshold: float, seed: int):
        texts = pa.array([" ".join(row) for row in words], pa.large_string())
        sets = _shingle_sets(texts, MINHASH_SHINGLE, 1)
        from datasketch import MinHash

        self.n_rows = len(words)
        self.positions = list(sets)
        template = MinHash(num_perm=MINHASH_PERMUTATIONS, seed=seed)
        self.signatures = _minhash_signatures([sets[p] for p in self.positions], template)
        self.shingles = _set_matrix(sets, len(words))
        self.sizes = np.diff(self.shingles.indptr)
        self.use_threshold(threshold)

    def use_threshold(self, threshold: float) -> None:
        """Band the signatures for candidates at ``threshold`` (LSH buckets per band, -1: no
        signature, as a MinHashLSH index with these bands); similarities do not change."""
        self.buckets = np.full((0, self.n_rows), -1, dtype=np.int64)
        if self.positions:
            bands = band_buckets(self.signatures, *_lsh_bands(threshold, MINHASH_PERMUTATIONS))
            self.buckets = np.full((len(bands), self.n_rows), -1, dtype=np.int64)
            self.buckets[:, self.positions] = bands

    def _jaccard(self, shared: np.ndarray, first: np.ndarray, second: np.ndarray) -> np.ndarray:
        """|A & B| / |A | B| from the intersection sizes; 0 where either set is empty."""
        union = self.sizes[first] + self.sizes[second] - shared
        result = np.zeros(shared.shape)
        both = (self.sizes[first] > 0) & (self.sizes[second] > 0)
        result[both] = shared[both] / union[both]
        return result

    def pairs(self, first: np.ndarray, second: np.ndarray) -> np.ndarray:
        return self._jaccard(_row_dots(self.shingles, first, second), first, second)

    def matrix(self, members: np.ndarray) -> np.ndarray:
        rows = _compact(self.shingles[members])
        shared = (rows @ rows.T).toarray()
        result = self._jaccard(shared, members[:, None], members[None, :])
        np.fill_diagonal(result, 1.0)
        return result

    def candidates(
        self,
        days: np.ndarray,
        outlets: np.ndarray,
        window_days: int,
        query_days: np.ndarray,
        progress: bool,
    ) -> list[np.ndarray]:
        """(2, n) arrays of row positions: the dated rows of other outlets at most
        ``window_days`` apart that share an LSH bucket, one of them on a day of
        ``query_days`` (what a MinHashLSH query of each such day's rows over the window
        around it returns).  One sort per band, not one search per day."""
        dated = days >= 0
        is_query = dated & np.isin(days, query_days)
        span = int(days.max(initial=0)) + window_days + 1
        found = []
        for band in tqdm(self.buckets, desc="LSH bands", unit="band", disable=not progress):
            rows = np.flatnonzero(dated & (band >= 0))
            _, bucket = np.unique(band[rows], return_inverse=True)
            # Rows by (bucket, day): a row's partners are the next ones up to window_days on.
            keys = bucket.ravel().astype(np.int64) * span + days[rows]
            order = np.argsort(keys, kind="stable")
            rows, keys = rows[order], keys[order]
            ends = np.searchsorted(keys, keys + window_days, "right")
            counts = ends - np.arange(len(rows)) - 1
            first = np.repeat(np.arange(len(rows)), counts)
            offsets = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
            first, second = rows[first], rows[first + 1 + offsets]
            keep = (outlets[first] != outlets[second]) & (is_query[first] | is_query[second])
            found.append(np.vstack([first[keep], second[keep]]))
        return found


def _similarity(
    method: str, words: list[list[str]], *, n_neighbors: int, threshold: float, seed: int
):
    if method == "tfidf":
        return _TfidfSimilarity(words, n_neighbors)
    return _MinhashSimilarity(words, threshold, seed)


# ---------------------------------------------------------------- matching


def _sorted_order(articles: pd.DataFrame) -> np.ndarray:
    """Row positions by (date, doc_id), undated last: results do not depend on row order."""
    frame = pd.DataFrame(
        {"date": pd.to_datetime(articles["date"]).to_numpy(), "doc_id": articles["doc_id"].array}
    )
    return frame.sort_values(["date", "doc_id"], kind="stable", na_position="last").index.to_numpy()


def _days_and_outlets(table: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Each row's day (days since the first dated row; -1 undated) and outlet code (outlets
    numbered in sorted order, so the codes do not depend on row order)."""
    dates = pd.to_datetime(table["date"]).dt.normalize()
    days = np.full(len(table), -1, dtype=np.int64)
    dated = dates.notna().to_numpy()
    if dated.any():
        stamps = dates[dated].to_numpy().astype("datetime64[D]").astype(np.int64)
        days[dated] = stamps - stamps.min()
    return days, pd.factorize(table["outlet"].astype(str), sort=True)[0]


def _candidate_pairs(
    similarity,
    days: np.ndarray,
    outlets: np.ndarray,
    window_days: int,
    progress: bool,
    asked: np.ndarray | None = None,
) -> np.ndarray:
    """Distinct cross-outlet candidate pairs (first < second) of dated rows, shape (n, 2):
    the articles of each day (of ``asked``, default every day with an article) queried
    against those of the window around it."""
    query_days = np.unique(days[days >= 0]) if asked is None else asked
    found = similarity.candidates(days, outlets, window_days, query_days, progress)
    if not found:
        return np.zeros((0, 2), dtype=np.int64)
    pairs = np.sort(np.hstack(found).T.astype(np.int64), axis=1)
    # One int64 key per pair sorts as (first, second) does, far faster than unique rows.
    keys = np.unique(pairs[:, 0] * len(days) + pairs[:, 1])
    return np.column_stack([keys // len(days), keys % len(days)])


def _cluster(
    similarity, members: np.ndarray, days: np.ndarray, window_days: int, threshold: float
) -> tuple[np.ndarray, np.ndarray]:
    """Average-link cluster labels of one component's rows, and their similarity matrix."""
    matrix = similarity.matrix(members)
    far = np.abs(days[members][:, None] - days[members][None, :]) > window_days
    matrix[far] = 0
    distances = 1 - matrix
    np.fill_diagonal(distances, 0)
    tree = linkage(squareform(distances, checks=False), method="average")
    # A hair above the cut so that pairs exactly at the threshold join despite rounding.
    return fcluster(tree, t=1 - threshold + 1e-12, criterion="distance"), matrix


def match_events(
    articles: pd.DataFrame,
    *,
    window_days: int = 1,
    fields: Sequence[str] = ("title", "lead", "body"),
    method: str = "tfidf",
    threshold: float | None = None,
    max_body_tokens: int | None = 200,
    tokens: pd.Series | None = None,
    n_neighbors: int = 10,
    seed: int = 0,
    progress: bool = False,
) -> pd.DataFrame:
    """Group articles of different outlets that report the same event (see module doc).

    ``articles`` needs columns doc_id (unique), outlet, date (naive calendar date; NaT:
    the article is a lone event) and the ``fields`` (unless ``tokens`` is given: a
    Series of token lists aligned with ``articles.index``, used whole).  ``threshold``
    (in (0, 1); None: :data:`EVENT_THRESHOLDS` of the method) is the least average
    similarity within an event; ``n_neighbors`` the candidates kept per article
    (``"tfidf"``); ``seed`` seeds the MinHash permutations (``"minhash"``).

    Defaults were chosen on sanity checks, not on a gold set.  tfidf 0.3: wire copy and
    rewrites of one agency story score 0.6-1.0; different reports of one event (a death
    toll, a verdict, a statement) mostly 0.3-0.6 on title + body, 0.25-0.45 on title +
    lead alone; pairs just above 0.3 are the same or a closely related incident; unrelated
    stories of a day share only common words (below 0.2).  minhash 0.3: shares of word
    2-grams this high are near-verbatim copy.  The TF-IDF weights need a corpus: in a
    table of a handful of articles that all share a word, that word weighs nothing.

    Returns one row per article, in input order (index of ``articles``), columns
    :data:`EVENT_COLUMNS`:

    - doc_id, outlet, date: as given;
    - event_id (str): ``"e"`` + the event's rank by (first date, smallest doc_id), zero
      padded; equal exactly when two articles are in one event; every lone article has
      its own;
    - event_size (int): articles in the event; event_outlets (int): distinct outlets;
    - best_similarity (float): similarity to the most similar article of another outlet
      in the same event (0 for pairs more than ``window_days`` apart); NaN when alone.

    ``attrs["n_candidates"]`` holds the number of distinct candidate pairs scored.
    Deterministic; a permutation of the rows gives the same events.
    """
    caller = "match_events"
    threshold = _check_method(method, threshold, caller)
    _check_table(articles, ["doc_id", "outlet", "date"], fields, tokens, caller)
    _check_window(window_days, n_neighbors, caller)

    if articles.empty:
        empty = articles[["doc_id", "outlet", "date"]].assign(
            event_id=pd.Series(dtype="str"),
            event_size=pd.Series(dtype=np.int64),
            event_outlets=pd.Series(dtype=np.int64),
            best_similarity=pd.Series(dtype=np.float64),
        )
        empty.attrs["n_candidates"] = 0
        return empty
    order, table, words, days, outlets = _sorted_rows(
        articles, fields, max_body_tokens, tokens, caller
    )
    similarity = _similarity(method, words, n_neighbors=n_neighbors, threshold=threshold, seed=seed)
    labels, best, n_candidates = _match_rows(
        similarity, days, outlets, window_days, threshold, progress
    )
    return _event_table(articles, table, order, labels, outlets, best, n_candidates)


def _sorted_rows(
    articles: pd.DataFrame,
    fields: Sequence[str],
    max_body_tokens: int | None,
    tokens: pd.Series | None,
    caller: str,
) -> tuple[np.ndarray, pd.DataFrame, list[list[str]], np.ndarray, np.ndarray]:
    """What matching works on: the rows in (date, doc_id) order (their positions in
    ``articles``, and the sorted table), their word tokens, days and outlet codes."""
    order = _sorted_order(articles)
    table = articles.iloc[order]
    if tokens is not None:
        tokens = tokens.iloc[order]
    words = _word_tokens(table, fields, max_body_tokens, tokens, caller)
    return order, table, words, *_days_and_outlets(table)


def _match_rows(
    similarity,
    days: np.ndarray,
    outlets: np.ndarray,
    window_days: int,
    threshold: float,
    progress: bool = False,
) -> tuple[np.ndarray, np.ndarray, int]:
    """The events of sorted rows: each row's cluster label (the row of a member, or its
    own), its best similarity within its event (NaN when alone), and the number of
    candidate pairs scored."""
    n_rows = len(days)
    pairs = _candidate_pairs(similarity, days, outlets, window_days, progress)
    scores = similarity.pairs(pairs[:, 0], pairs[:, 1]) if len(pairs) else np.zeros(0)
    linked = pairs[scores >= threshold]
    graph = sp.coo_matrix(
        (np.ones(len(linked)), (linked[:, 0], linked[:, 1])), shape=(n_rows, n_rows)
    )
    _, component = connected_components(graph, directed=False)

    labels = np.arange(n_rows, dtype=np.int64)
    best = np.full(n_rows, np.nan)
    sizes = np.bincount(component)
    for members_of in _component_members(component, sizes):
        first, best[members_of] = _component_events(
            similarity, members_of, days, outlets, window_days, threshold
        )
        labels[members_of] = members_of[first]
    return labels, best, len(pairs)


def _component_events(
    similarity,
    members: np.ndarray,
    days: np.ndarray,
    outlets: np.ndarray,
    window_days: int,
    threshold: float,
) -> tuple[np.ndarray, np.ndarray]:
    """The events of one component's rows (``members``, ascending): for each member, the
    position in ``members`` of its event's first member (its own when its cluster holds
    one outlet only), and its similarity to the most similar member of another outlet in
    its event (NaN when alone)."""
    clusters, matrix = _cluster(similarity, members, days, window_days, threshold)
    first = np.arange(len(members))
    best = np.full(len(members), np.nan)
    order = np.argsort(clusters, kind="stable")  # each cluster's positions, ascending
    for inside in np.split(order, np.flatnonzero(np.diff(clusters[order])) + 1):
        cluster_outlets = outlets[members[inside]]
        if (cluster_outlets == cluster_outlets[0]).all():
            continue
        first[inside] = inside[0]
        sub = matrix[np.ix_(inside, inside)]
        other = cluster_outlets[:, None] != cluster_outlets[None, :]
        best[inside] = np.where(other, sub, -np.inf).max(axis=1)
    return first, best


def _component_members(component: np.ndarray, sizes: np.ndarray) -> list[np.ndarray]:
    """Rows of each component of two or more rows, components in order of first row."""
    order = np.argsort(component, kind="stable")
    starts = np.cumsum(np.concatenate([[0], sizes[:-1]]))
    return [order[starts[c] : starts[c] + sizes[c]] for c in np.flatnonzero(sizes > 1)]


def _event_table(
    articles: pd.DataFrame,
    table: pd.DataFrame,
    order: np.ndarray,
    labels: np.ndarray,
    outlets: np.ndarray,
    best: np.ndarray,
    n_candidates: int,
) -> pd.DataFrame:
    """The output of match_events from sorted rows' cluster labels, back in input order."""
    # Sorted rows run by (date, doc_id), so an event's smallest row is its first article
    # and ranking labels by that row ranks events by (first date, smallest doc_id).
    _, rank = np.unique(labels, return_inverse=True)
    width = len(str(max(len(labels), 1)))
    event_ids = np.array([f"e{r + 1:0{width}d}" for r in rank], dtype=object)
    sizes = np.bincount(rank)[rank]
    distinct = pd.DataFrame({"rank": rank, "outlet": outlets}).drop_duplicates()
    outlet_counts = np.bincount(distinct["rank"].to_numpy(), minlength=rank.max() + 1)[rank]
    result = pd.DataFrame(
        {
            "doc_id": table["doc_id"].array,
            "outlet": table["outlet"].array,
            "date": pd.to_datetime(table["date"]).array,
            "event_id": pd.array(event_ids, dtype="str"),
            "event_size": sizes.astype(np.int64),
            "event_outlets": outlet_counts.astype(np.int64),
            "best_similarity": best,
        }
    )
    inverse = np.empty_like(order)
    inverse[order] = np.arange(len(order))
    result = result.iloc[inverse].set_axis(articles.index)
    result.attrs["n_candidates"] = n_candidates
    return result


# ---------------------------------------------------------------- pairs


def _pair_positions(doc_ids: pd.Series, pairs: pd.DataFrame, caller: str) -> np.ndarray:
    """Row positions of the (doc_id_a, doc_id_b) pairs, shape (n, 2); unknown ids raise."""
    missing = [c for c in ("doc_id_a", "doc_id_b") if c not in pairs.columns]
    if missing:
        raise ValueError(f"{caller}: pairs lack column(s) {missing}")
    lookup = pd.Series(np.arange(len(doc_ids)), index=pd.Index(doc_ids.array))
    positions = []
    for column in ("doc_id_a", "doc_id_b"):
        found = lookup.reindex(pairs[column].array)
        if found.isna().any():
            unknown = pairs[column][found.isna().to_numpy()].unique().tolist()
            raise ValueError(
                f"{caller}: {len(unknown)} doc_id(s) of {column} not in the table, "
                f"e.g. {unknown[:3]}"
            )
        positions.append(found.to_numpy().astype(np.int64))
    return np.column_stack(positions)


def event_pair_similarity(
    articles: pd.DataFrame,
    pairs: pd.DataFrame,
    *,
    method: str = "tfidf",
    fields: Sequence[str] = ("title", "lead", "body"),
    max_body_tokens: int | None = 200,
    tokens: pd.Series | None = None,
    seed: int = 0,
) -> pd.Series:
    """The similarity :func:`match_events` uses, for given pairs of articles.

    ``pairs`` has columns doc_id_a, doc_id_b (doc_ids of ``articles``); features (and
    TF-IDF weights) come from the whole ``articles`` table, as in match_events, so
    scores on a gold set of pairs are on the matcher's scale and can choose its
    threshold.  Dates and outlets are ignored.  Returns floats in [0, 1] named
    ``similarity``, aligned with ``pairs.index``.
    """
    caller = "event_pair_similarity"
    _check_method(method, None, caller)
    _check_table(articles, ["doc_id"], fields, tokens, caller)
    positions = _pair_positions(articles["doc_id"], pairs, caller)
    words = _word_tokens(articles, fields, max_body_tokens, tokens, caller)
    # Neither the candidate budget nor the threshold changes a pair's similarity.
    threshold = EVENT_THRESHOLDS[method]
    similarity = _similarity(method, words, n_neighbors=1, threshold=threshold, seed=seed)
    scores = similarity.pairs(positions[:, 0], positions[:, 1]) if len(positions) else []
    return pd.Series(scores, index=pairs.index, name="similarity", dtype=np.float64)


def event_tokens(
    articles: pd.DataFrame,
    *,
    fields: Sequence[str] = ("title", "lead", "body"),
    max_body_tokens: int | None = 200,
) -> pd.Series:
    """The word tokens :func:`match_events` and :func:`event_pair_similarity` compare, once.

    Pass the result as ``tokens=`` to both (for every method and threshold) and they give
    what they give from ``fields`` and ``max_body_tokens`` themselves, without tokenizing
    the table again.  Returns lists of str named ``tokens``, aligned with
    ``articles.index``.
    """
    _check_table(articles, [], fields, None, "event_tokens")
    words = _word_tokens(articles, fields, max_body_tokens, None, "event_tokens")
    return pd.Series(words, index=articles.index, name="tokens", dtype=object)


def tune_event_matching(
    pools: Mapping[str, pd.DataFrame],
    pairs: pd.DataFrame,
    tokens: Mapping[str, pd.Series],
    *,
    method: str = "tfidf",
    window_days: int = 1,
    minimum: float = 0.0,
    n_neighbors: int = 10,
    seed: int = 0,
) -> tuple[pd.DataFrame, float]:
    """Choose the matcher's cut on the dev half of a gold set of pairs, then match at it.

    ``pairs`` is a gold set (:func:`arabmedia.analysis.load_event_pairs`: doc_id_a,
    doc_id_b, label, split, source), ``pools`` the article table the matcher runs on for
    each source (doc_id, outlet, date) and ``tokens`` their :func:`event_tokens`.  The cut
    is :func:`arabmedia.analysis.choose_pair_threshold` of the dev pairs'
    :func:`event_pair_similarity` (at least ``minimum``); each pool is then matched as
    ``match_events(pool, tokens=..., threshold=cut, ...)`` matches it.  The results are
    those of these calls made one by one, with each pool's features built once instead of
    twice.  Returns (a table aligned with ``pairs.index``: similarity (float), same_event
    (bool: the matcher put both articles in one event); the cut).
    """
    from arabmedia.analysis._gold import choose_pair_threshold

    caller = "tune_event_matching"
    _check_method(method, None, caller)
    _check_window(window_days, n_neighbors, caller)
    missing = [c for c in ("source", "split", "label") if c not in pairs.columns]
    if missing:
        raise ValueError(f"{caller}: pairs lack column(s) {missing}")
    for name, names in (("pools", set(pools)), ("tokens", set(tokens))):
        unknown = sorted(set(pairs["source"]) - names)
        if unknown:
            raise ValueError(f"{caller}: no {name} for the pairs' source(s) {unknown}")
    similarity = pd.Series(np.nan, index=pairs.index, name="similarity")
    prepared = []
    for name in sorted(set(pairs["source"])):
        pool, pool_tokens = pools[name], tokens[name]
        _check_table(pool, ["doc_id", "outlet", "date"], (), pool_tokens, caller)
        _, table, words, days, outlets = _sorted_rows(pool, (), None, pool_tokens, caller)
        mine = (pairs["source"] == name).to_numpy()
        positions = _pair_positions(table["doc_id"], pairs[mine], caller)
        index = _similarity(
            method, words, n_neighbors=n_neighbors, threshold=EVENT_THRESHOLDS[method], seed=seed
        )
        similarity[mine] = index.pairs(positions[:, 0], positions[:, 1])
        prepared.append((index, days, outlets, positions, mine))
    dev = (pairs["split"] == "dev").to_numpy()
    cut = choose_pair_threshold(similarity[dev], pairs[dev], minimum=minimum)
    same = np.zeros(len(pairs), dtype=bool)
    for index, days, outlets, positions, mine in prepared:
        index.use_threshold(cut)
        labels, _, _ = _match_rows(index, days, outlets, window_days, cut)
        same[mine] = labels[positions[:, 0]] == labels[positions[:, 1]]
    return similarity.to_frame().assign(same_event=same), cut


def same_event(events: pd.DataFrame, pairs: pd.DataFrame) -> pd.Series:
    """Whether each (doc_id_a, doc_id_b) pair of ``pairs`` shares an event_id in ``events``.

    ``events`` is a :func:`match_events` result (columns doc_id, event_id).  Returns
    booleans named ``same_event``, aligned with ``pairs.index``.
    """
    caller = "same_event"
    missing = [c for c in ("doc_id", "event_id") if c not in events.columns]
    if missing:
        raise ValueError(f"{caller}: events lack column(s) {missing}")
    positions = _pair_positions(events["doc_id"], pairs, caller)
    event_ids = events["event_id"].to_numpy()
    return pd.Series(
        event_ids[positions[:, 0]] == event_ids[positions[:, 1]],
        index=pairs.index,
        name="same_event",
        dtype=bool,
    )
