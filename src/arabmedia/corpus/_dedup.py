"""Find duplicate articles: collapse exact copies, label near-duplicate clusters.

Corpora list the same article more than once (a monthly file re-lists it, two scrapes
overlap, an outlet republishes a text under a new id).  Counting each copy would
inflate term frequencies, so :func:`collapse_exact` keeps one row per exact duplicate
group and records where the copies came from.  Near duplicates (a corrected typo, an
updated casualty figure, the same wire text in two outlets) are only *labelled* by
:func:`near_duplicate_clusters`; analyses decide what to do with them.

Matching uses a deliberately small normaliser (:func:`normalize_for_matching`) that is
independent of the project's full text layer, so duplicate decisions do not shift when
tokenisation for analysis changes.

Input is the article table of :mod:`arabmedia.corpus` (``doc_id``, ``corpus``,
``outlet``, ``published``, ``date``, ``date_precision``, ``utc_offset``, ``title``,
``lead``, ``body``, ``url``, ``section``, ``byline``, ``kind``, ``lang``,
``translated_from``, ``keywords``, ``source_file``, ``source_record``); each function
names the columns it needs.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Sequence
from itertools import combinations
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit, urlunsplit

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from tqdm import tqdm

if TYPE_CHECKING:
    from datasketch import MinHash

TEXT_SCOPES = ("outlet", "corpus", "all")
DEFAULT_MIN_WORDS = 20
# Near-duplicate search shows a progress bar only for tables larger than this.
PROGRESS_MIN_ROWS = 1000
# LSH bands are chosen so that a pair whose Jaccard equals the threshold becomes a
# candidate with at least this probability; candidates are then checked exactly.
LSH_RECALL_AT_THRESHOLD = 0.995

# Arabic harakat, Quranic annotation marks, superscript alef and tatweel.
_ARABIC_MARKS = re.compile(
    "[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e4\u06e7\u06e8\u06ea-\u06ed\u0640]"
)
# Alef with madda, hamza above, hamza below, and alef wasla.
_ALEF_FORMS = ("\u0622", "\u0623", "\u0625", "\u0671")

_TEXT_FIELDS = ("title", "lead", "body")
# Fields a kept row takes from a later copy when its own value is empty.
_FILLABLE_FIELDS = ("title", "lead", "body", "url", "section", "byline", "kind", "lang", "keywords")
# Publication-time columns are filled together so precision and offset stay consistent.
_TIME_FIELDS = ("published", "date", "date_precision", "utc_offset")
_REASONS = ("id", "url", "text")
_DUP_COLUMNS = ("dup_count", "dup_sources", "dup_reason")


def normalize_for_matching(text: str) -> str:
    """Text reduced for duplicate matching.

    Unicode NFKC (presentation forms become letters), Arabic diacritics, Quranic marks
    and tatweel removed, alef forms (أ إ آ ٱ) unified to ا, whitespace runs collapsed
    to one space, ends stripped.  Case and punctuation are kept.
    """
    text = _ARABIC_MARKS.sub("", unicodedata.normalize("NFKC", text))
    for alef in _ALEF_FORMS:
        text = text.replace(alef, "\u0627")
    return " ".join(text.split())


def canonical_url(url: str) -> str:
    """URL reduced for duplicate matching; ``""`` for a blank URL.

    Surrounding whitespace and the fragment are dropped, path and query are
    percent-decoded (so encoded and raw Arabic URLs match) and NFC-normalised, a
    trailing slash is removed and scheme and host are lower-cased.  A URL that
    :func:`urllib.parse.urlsplit` rejects is compared as decoded text without its
    fragment rather than stopping the run.
    """
    text = url.strip()
    if not text:
        return ""
    try:
        parts = urlsplit(text)
    except ValueError:
        return unicodedata.normalize("NFC", unquote(text.split("#", 1)[0])).rstrip("/")
    path = unicodedata.normalize("NFC", unquote(parts.path)).rstrip("/")
    query = unicodedata.normalize("NFC", unquote(parts.query))
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), path, query, ""))


class _UnionFind:
    """Disjoint sets over row positions whose representative is the smallest position."""

    def __init__(self, size: int):
        self.parent = list(range(size))

    def find(self, item: int) -> int:
        parent = self.parent
        while parent[item] != item:
            parent[item] = parent[parent[item]]
            item = parent[item]
        return item

    def union(self, first: int, second: int) -> None:
        root_a, root_b = self.find(first), self.find(second)
        if root_a != root_b:
            self.parent[max(root_a, root_b)] = min(root_a, root_b)

    def roots(self) -> np.ndarray:
        return np.array([self.find(i) for i in range(len(self.parent))], dtype=np.int64)


def _require_columns(articles: pd.DataFrame, columns: Iterable[str], caller: str) -> None:
    missing = [c for c in columns if c not in articles.columns]
    if missing:
        raise ValueError(f"{caller}: article table lacks column(s) {', '.join(missing)}")


def _record_label(articles: pd.DataFrame, position: int) -> str:
    """``source_file#source_record`` of a row when known, else its position."""
    if {"source_file", "source_record"} <= set(articles.columns):
        row = articles.iloc[position]
        return f"{row['source_file']}#{row['source_record']}"
    return f"row {position}"


def _string_values(articles: pd.DataFrame, column: str, caller: str) -> list[str]:
    """A text column as Python strings, missing values as ``""``; other types are an error."""
    values = articles[column].tolist()
    for position, value in enumerate(values):
        if isinstance(value, str):
            continue
        if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
            values[position] = ""
            continue
        raise ValueError(
            f"{caller}: record {_record_label(articles, position)}: column {column!r} holds "
            f"{type(value).__name__} {value!r}, expected text"
        )
    return values


def _doc_ids(articles: pd.DataFrame, caller: str) -> list[str]:
    doc_ids = _string_values(articles, "doc_id", caller)
    for position, doc_id in enumerate(doc_ids):
        if not doc_id.strip():
            raise ValueError(f"{caller}: record {_record_label(articles, position)}: empty doc_id")
    return doc_ids


def _matching_texts(articles: pd.DataFrame, caller: str) -> pa.Array:
    """Normalised ``title + lead + body`` of every row (pyarrow large_string array)."""
    fields = [_string_values(articles, column, caller) for column in _TEXT_FIELDS]
    normalized = [normalize_for_matching("\n".join(p)) for p in zip(*fields, strict=True)]
    return pa.array(normalized, pa.large_string())


def _word_counts(words: pa.Array, texts: pa.Array) -> np.ndarray:
    """Words per text from its space-split list (an empty text splits into one "")."""
    counts = pc.list_value_length(words).to_numpy(zero_copy_only=False).astype(np.int64)
    counts[pc.equal(texts, "").to_numpy(zero_copy_only=False)] = 0
    return counts


def _link_equal_keys(
    keys: Sequence[object], sets: _UnionFind, reasons: dict[int, set[str]], reason: str
) -> None:
    """Union rows whose key is equal (``None`` keys never match); note the reason."""
    first_with_key: dict[object, int] = {}
    for position, key in enumerate(keys):
        if key is None:
            continue
        first = first_with_key.setdefault(key, position)
        if first != position:
            sets.union(first, position)
            reasons.setdefault(first, set()).add(reason)


def _is_empty(value: object) -> bool:
    return (isinstance(value, str) and value == "") or bool(pd.isna(value))


def _fill_from_copies(kept: dict[str, object], copies: list[dict[str, object]]) -> None:
    """Fill the kept row's empty fields from the first later copy that has them."""
    for field in _FILLABLE_FIELDS:
        if field in kept and _is_empty(kept[field]):
            donor = next((c[field] for c in copies if not _is_empty(c[field])), None)
            if donor is not None:
                kept[field] = donor
    if all(f in kept for f in _TIME_FIELDS) and pd.isna(kept["date"]):
        donor_row = next((c for c in copies if not pd.isna(c["date"])), None)
        if donor_row is not None:
            kept.update({f: donor_row[f] for f in _TIME_FIELDS})


def collapse_exact(
    articles: pd.DataFrame,
    *,
    text_scope: str = "outlet",
    min_words: int = DEFAULT_MIN_WORDS,
) -> pd.DataFrame:
    """Collapse exact duplicates into one row each, recording the copies.

    Rows are exact duplicates when they share ``doc_id``, share a non-empty
    :func:`canonical_url` (except rows of kind "paragraph", which carry the URL of
    the page they are part of), or have the same non-empty :func:`normalize_for_matching`
    text of ``title + lead + body``.  The relation is transitive (A~B by url and B~C by
    text put A, B and C in one group).  Two guards keep distinct articles apart:

    - text matches only count within ``text_scope`` ("outlet", the default, "corpus"
      or "all"), because two outlets running the same wire text are two publications
      and the outlet comparison needs both (they still form a near-duplicate cluster);
    - text matches need at least ``min_words`` words, because short title-only
      records (e.g. a daily bulletin titled "نشرة الظهيرة") repeat verbatim for
      different items.

    The kept row is the group's first row in table order, with its index label.  Its
    values win over later copies (even a longer later body); only its empty fields
    (``""`` or missing) among title, lead, body, url, section, byline, kind, lang and
    keywords are filled from the first later copy that has them, and when its ``date``
    is missing the four time columns (published, date, date_precision, utc_offset) are
    taken together from the first copy that has a date.  ``translated_from`` is never
    filled because ``""`` there means "not a translation".

    Needs columns doc_id, title, lead, body, url, source_file, source_record and the
    ``text_scope`` column.  Returns the input columns plus:

    - ``dup_count`` (int): rows collapsed into this one, 1 for singletons;
    - ``dup_sources`` (str): ``"; "``-joined ``source_file#source_record`` of every
      member in table order;
    - ``dup_reason`` (str): relations that linked the group, in the order
      id, url, text, joined by ","; ``""`` for singletons.

    ``doc_id`` is unique in the result.
    """
    caller = "collapse_exact"
    if text_scope not in TEXT_SCOPES:
        raise ValueError(f"{caller}: text_scope must be one of {TEXT_SCOPES}, got {text_scope!r}")
    if min_words < 1:
        raise ValueError(f"{caller}: min_words must be at least 1, got {min_words}")
    scope_columns = [] if text_scope == "all" else [text_scope]
    _require_columns(
        articles,
        ["doc_id", *_TEXT_FIELDS, "url", "source_file", "source_record", *scope_columns],
        caller,
    )
    already = [c for c in _DUP_COLUMNS if c in articles.columns]
    if already:
        raise ValueError(
            f"{caller}: table already has {', '.join(already)}; it was collapsed before "
            "(collapse the original rows instead so copies are counted once)"
        )

    size = len(articles)
    sets = _UnionFind(size)
    reasons: dict[int, set[str]] = {}
    _link_equal_keys(_doc_ids(articles, caller), sets, reasons, "id")
    # Paragraph rows (ArMPro) carry their page's URL: it does not identify them.
    paragraph = articles["kind"].eq("paragraph").tolist() if "kind" in articles else [False] * size
    urls = [
        None if is_paragraph else canonical_url(u) or None
        for u, is_paragraph in zip(_string_values(articles, "url", caller), paragraph, strict=True)
    ]
    _link_equal_keys(urls, sets, reasons, "url")
    scopes = _string_values(articles, text_scope, caller) if scope_columns else [""] * size
    texts = _matching_texts(articles, caller)
    word_counts = _word_counts(pc.split_pattern(texts, " "), texts)
    text_keys = [
        (scope, hashlib.blake2b(text.encode("utf-8"), digest_size=16).digest())
        if count >= min_words
        else None
        for scope, text, count in zip(scopes, texts.to_pylist(), word_counts, strict=True)
    ]
    _link_equal_keys(text_keys, sets, reasons, "text")

    roots = sets.roots()
    group_reasons: dict[int, set[str]] = {}
    for first, found in reasons.items():
        group_reasons.setdefault(int(roots[first]), set()).update(found)
    members: dict[int, list[int]] = {}
    for position, root in enumerate(roots.tolist()):
        members.setdefault(root, []).append(position)

    sources = [
        f"{file}#{record}"
        for file, record in zip(
            articles["source_file"].tolist(), articles["source_record"].tolist(), strict=True
        )
    ]
    kept_positions = list(members)
    result = articles.iloc[kept_positions].copy()
    result["dup_count"] = np.array([len(members[r]) for r in kept_positions], dtype=np.int64)
    result["dup_sources"] = pd.array(
        ["; ".join(sources[p] for p in members[r]) for r in kept_positions], dtype="str"
    )
    result["dup_reason"] = pd.array(
        [",".join(x for x in _REASONS if x in group_reasons.get(r, ())) for r in kept_positions],
        dtype="str",
    )
    _fill_groups(articles, result, members)

    if not result["doc_id"].is_unique:
        raise AssertionError(f"{caller}: doc_id not unique after collapsing (a bug)")
    return result


def _fill_groups(
    articles: pd.DataFrame, result: pd.DataFrame, members: dict[int, list[int]]
) -> None:
    """Fill empty fields of kept rows in place (see collapse_exact).

    ``members`` maps each group's first position to all its positions, in the order of
    the rows of ``result``.
    """
    columns = [c for c in (*_FILLABLE_FIELDS, *_TIME_FIELDS) if c in articles.columns]
    values = {c: articles[c].tolist() for c in columns}
    kept_values = {c: [values[c][first] for first in members] for c in columns}
    changed_columns: set[str] = set()
    for result_position, positions in enumerate(members.values()):
        if len(positions) == 1:
            continue
        rows = [{c: values[c][p] for c in columns} for p in positions]
        kept = dict(rows[0])
        _fill_from_copies(kept, rows[1:])
        for column in columns:
            if not _same_value(kept[column], rows[0][column]):
                kept_values[column][result_position] = kept[column]
                changed_columns.add(column)
    for column in columns:
        if column in changed_columns:
            dtype = articles[column].dtype
            result[column] = pd.Series(kept_values[column], dtype=dtype).array


def _same_value(first: object, second: object) -> bool:
    if pd.isna(first) and pd.isna(second):
        return True
    return bool(first == second)


def _mix64(values: np.ndarray) -> np.ndarray:
    """MurmurHash3's 64-bit finaliser: spreads combined hashes over all bits."""
    values = values ^ (values >> np.uint64(33))
    values = values * np.uint64(0xFF51AFD7ED558CCD)
    values = values ^ (values >> np.uint64(33))
    values = values * np.uint64(0xC4CEB9FE1A85EC53)
    return values ^ (values >> np.uint64(33))


def _fmix32(values: np.ndarray) -> np.ndarray:
    """MurmurHash3's 32-bit finaliser, as datasketch applies it before permuting."""
    values = values ^ (values >> np.uint32(16))
    values = values * np.uint32(0x85EBCA6B)
    values = values ^ (values >> np.uint32(13))
    values = values * np.uint32(0xC2B2AE35)
    return values ^ (values >> np.uint32(16))


def _shingle_sets(texts: pa.Array, shingle: int, min_words: int) -> dict[int, np.ndarray]:
    """Sorted distinct 64-bit shingle hashes of each text with at least ``min_words`` words.

    Words are the space-separated tokens of the normalised text.  Each distinct word is
    hashed once with BLAKE2b (stable across runs, unlike Python's salted ``hash``); a
    gram's hash combines its words' hashes with a distinct odd multiplier per position,
    so word order matters.  A text shorter than ``shingle`` words is one gram.  Keys are
    row positions.
    """
    words = pc.split_pattern(texts, " ")
    counts = _word_counts(words, texts)
    encoded = pc.dictionary_encode(pc.list_flatten(words))
    vocabulary_hashes = np.array(
        [
            int.from_bytes(hashlib.blake2b(w.encode("utf-8"), digest_size=8).digest(), "little")
            for w in encoded.dictionary.to_pylist()
        ],
        dtype=np.uint64,
    )
    word_hashes = vocabulary_hashes[encoded.indices.to_numpy(zero_copy_only=False)]
    starts = words.offsets.to_numpy()[:-1]
    multipliers = _mix64(np.arange(1, shingle + 1, dtype=np.uint64)) | np.uint64(1)
    # gram_hashes[k] combines words k .. k+shingle-1 of the flattened word sequence.
    gram_hashes = np.zeros(len(word_hashes), dtype=np.uint64)
    # Offsets past the end of a short table (fewer words in all than ``shingle``) add nothing.
    for offset in range(min(shingle, len(word_hashes))):
        gram_hashes[: len(word_hashes) - offset] += word_hashes[offset:] * multipliers[offset]
    sets = {}
    for position in np.flatnonzero(counts >= min_words).tolist():
        start, count = int(starts[position]), int(counts[position])
        if count >= shingle:
            grams = gram_hashes[start : start + count - shingle + 1]
        else:
            grams = word_hashes[start : start + count] * multipliers[:count]
            grams = np.array([grams.sum(dtype=np.uint64)], dtype=np.uint64)
        sets[position] = np.unique(_mix64(grams))
    return sets


def _minhash_signatures(
    sets: list[np.ndarray], template: MinHash, chunk_values: int = 1 << 17
) -> np.ndarray:
    """MinHash signatures (one row per set) of 64-bit hash sets, vectorised.

    Equal to ``template.copy().update_batch(values)`` with an identity hash function,
    where values are the top 32 bits of each hash (datasketch's default "affine32"
    scheme: MurmurHash3 pre-mix, then ``a * h + b`` modulo 2**32 per permutation).
    """
    multipliers, offsets = (p[:, None] for p in template.permutations)
    signatures = np.empty((len(sets), len(multipliers)), dtype=np.uint32)
    first = 0
    while first < len(sets):
        last, total = first, 0
        while last < len(sets) and (last == first or total + sets[last].size <= chunk_values):
            total += sets[last].size
            last += 1
        chunk = sets[first:last]
        values = _fmix32((np.concatenate(chunk) >> np.uint64(32)).astype(np.uint32))
        # One row per permutation, so each set's minimum is a reduction along a row.
        permuted = values[None, :] * multipliers + offsets
        starts = np.cumsum([0] + [s.size for s in chunk[:-1]])
        signatures[first:last] = np.minimum.reduceat(permuted, starts, axis=1).T
        first = last
    return signatures


def _lsh_bands(threshold: float, num_perm: int) -> tuple[int, int]:
    """(bands, rows per band) with the most rows per band that still finds a pair at
    the threshold with probability ``LSH_RECALL_AT_THRESHOLD``."""
    best = (num_perm, 1)
    for rows in range(1, num_perm // 2 + 1):
        bands = num_perm // rows
        if 1 - (1 - threshold**rows) ** bands >= LSH_RECALL_AT_THRESHOLD:
            best = (bands, rows)
    return best


def band_buckets(signatures: np.ndarray, bands: int, rows: int) -> np.ndarray:
    """Bucket id (bands x n) of each signature row in each LSH band: rows share a bucket
    of a band exactly when their ``rows`` values in that band are equal, as in the
    hash tables of datasketch's ``MinHashLSH`` with ``params=(bands, rows)``, computed
    with array operations instead of one insert per row."""
    buckets = np.empty((bands, len(signatures)), dtype=np.int64)
    for band in range(bands):
        part = np.ascontiguousarray(signatures[:, band * rows : (band + 1) * rows])
        keys = part.view(np.dtype((np.void, part.dtype.itemsize * rows))).ravel()
        buckets[band] = np.unique(keys, return_inverse=True)[1].ravel()
    return buckets


def _bucket_members(buckets: np.ndarray) -> list[np.ndarray]:
    """Groups of two or more row positions sharing a bucket, band by band."""
    groups = []
    for band in buckets:
        order = np.argsort(band, kind="stable")
        cuts = np.flatnonzero(np.diff(band[order])) + 1
        groups.extend(g for g in np.split(order, cuts) if len(g) > 1)
    return groups


def _join_verified_pairs(
    groups: Iterable[np.ndarray], shingle_sets: dict[int, np.ndarray], threshold: float, size: int
) -> _UnionFind:
    """Join rows that share an LSH bucket (``groups`` of row positions) and whose exact
    Jaccard reaches the threshold.

    Clusters are the connected components of verified pairs, which do not depend on
    the order pairs are visited in; pairs already connected are not re-verified.
    """
    sets = _UnionFind(size)
    rejected: set[tuple[int, int]] = set()
    for members in groups:
        for first, second in combinations(sorted(members.tolist()), 2):
            if (first, second) in rejected or sets.find(first) == sets.find(second):
                continue
            own, theirs = shingle_sets[first], shingle_sets[second]
            # Jaccard <= min size / max size, so very unequal sets skip the intersection.
            if min(own.size, theirs.size) >= threshold * max(own.size, theirs.size) and (
                _jaccard(own, theirs) >= threshold
            ):
                sets.union(first, second)
            else:
                rejected.add((first, second))
    return sets


def _jaccard(first: np.ndarray, second: np.ndarray) -> float:
    """Exact Jaccard similarity of two sorted arrays of distinct values."""
    shared = np.intersect1d(first, second, assume_unique=True).size
    return shared / (first.size + second.size - shared)


def check_near_options(
    caller: str, threshold: float, num_perm: int, shingle: int, min_words: int
) -> None:
    """Refuse near-duplicate options out of range, naming ``caller``."""
    if not 0 < threshold <= 1:
        raise ValueError(f"{caller}: threshold must be in (0, 1], got {threshold}")
    if num_perm < 2:
        raise ValueError(f"{caller}: num_perm must be at least 2, got {num_perm}")
    if shingle < 1 or min_words < 1:
        raise ValueError(f"{caller}: shingle and min_words must be at least 1")


def near_duplicate_clusters(
    articles: pd.DataFrame,
    threshold: float = 0.8,
    num_perm: int = 128,
    shingle: int = 5,
    seed: int = 1,
    *,
    min_words: int = DEFAULT_MIN_WORDS,
    disable_progress: bool | None = None,
) -> pd.DataFrame:
    """Label clusters of near-duplicate articles; no row is dropped.

    Each row's normalised ``title + lead + body`` (see :func:`normalize_for_matching`)
    is split at spaces into words (punctuation stays attached) and turned into the
    set of word ``shingle``-grams.  datasketch MinHash (``num_perm`` permutations,
    ``seed``) and MinHashLSH propose candidate pairs; the LSH bands are chosen so a
    pair at exactly ``threshold`` is proposed with probability >= 0.995.  Each candidate
    is then kept only if the *exact* Jaccard similarity of the two shingle sets is at
    least ``threshold``, so false LSH matches never join a cluster.  Clusters are the
    connected components of kept pairs (single linkage: A~B and B~C cluster A with C).
    Rows with fewer than ``min_words`` words are never clustered (too short to judge).

    Needs columns doc_id, title, lead, body.  Returns a copy of the table (same index
    and row order) with, replacing any earlier values:

    - ``near_dup_cluster`` (str): doc_id of the cluster's first row in table order;
      ``""`` for rows without a near duplicate;
    - ``near_dup_size`` (int): rows in the cluster; 1 for rows without one.

    ``disable_progress`` is passed to tqdm (None: show only on a terminal); the bar is
    shown only for tables of more than 1000 rows.  Results are deterministic.
    """
    from datasketch import MinHash

    caller = "near_duplicate_clusters"
    check_near_options(caller, threshold, num_perm, shingle, min_words)
    _require_columns(articles, ["doc_id", *_TEXT_FIELDS], caller)
    doc_ids = _doc_ids(articles, caller)
    texts = _matching_texts(articles, caller)

    shingle_sets = _shingle_sets(texts, shingle, min_words)
    positions = list(shingle_sets)
    template = MinHash(num_perm=num_perm, seed=seed)
    signatures = _minhash_signatures([shingle_sets[p] for p in positions], template)

    bands, rows_per_band = _lsh_bands(threshold, num_perm)
    buckets = band_buckets(signatures, bands, rows_per_band)
    positions = np.asarray(positions)
    members = [positions[group] for group in _bucket_members(buckets)]
    members = tqdm(
        members,
        desc="near-duplicate buckets",
        unit="bucket",
        disable=True if len(articles) <= PROGRESS_MIN_ROWS else disable_progress,
    )
    sets = _join_verified_pairs(members, shingle_sets, threshold, len(articles))
    roots = sets.roots()
    sizes = np.bincount(roots, minlength=len(articles))[roots].astype(np.int64)
    result = articles.copy()
    result["near_dup_cluster"] = pd.array(
        [doc_ids[root] if size > 1 else "" for root, size in zip(roots, sizes, strict=True)],
        dtype="str",
    )
    result["near_dup_size"] = sizes
    return result


def deduplicate(
    articles: pd.DataFrame,
    near: bool = True,
    *,
    text_scope: str = "outlet",
    min_words: int = DEFAULT_MIN_WORDS,
    **near_options,
) -> pd.DataFrame:
    """:func:`collapse_exact`, then (if ``near``) :func:`near_duplicate_clusters`.

    ``min_words`` goes to both steps, ``text_scope`` to the exact step, the other
    keyword arguments (threshold, num_perm, shingle, seed, disable_progress) to the
    near step.  Columns: the input's plus dup_count, dup_sources, dup_reason and, with
    ``near``, near_dup_cluster and near_dup_size (see those functions).
    """
    collapsed = collapse_exact(articles, text_scope=text_scope, min_words=min_words)
    if not near:
        return collapsed
    return near_duplicate_clusters(collapsed, min_words=min_words, **near_options)


def duplicate_summary(articles: pd.DataFrame) -> pd.DataFrame:
    """Per-corpus duplicate counts of a deduplicated table.

    Needs columns corpus and dup_count; near_dup_cluster is optional.  One row per
    corpus, sorted by name, with columns:

    - ``corpus`` (str);
    - ``rows`` (int): rows after collapsing;
    - ``records`` (int): input records they represent (sum of dup_count);
    - ``exact_duplicates_collapsed`` (int): records - rows;
    - ``near_dup_clusters`` (Int64): distinct near-duplicate clusters with a row in the
      corpus (a cluster spanning corpora counts in each); missing if not computed;
    - ``rows_in_near_clusters`` (Int64): rows of the corpus in such clusters.
    """
    _require_columns(articles, ["corpus", "dup_count"], "duplicate_summary")
    has_near = "near_dup_cluster" in articles.columns
    rows = []
    for corpus, group in articles.groupby("corpus", sort=True):
        records = int(group["dup_count"].sum())
        clustered = group["near_dup_cluster"][group["near_dup_cluster"] != ""] if has_near else None
        rows.append(
            {
                "corpus": corpus,
                "rows": len(group),
                "records": records,
                "exact_duplicates_collapsed": records - len(group),
                "near_dup_clusters": clustered.nunique() if has_near else pd.NA,
                "rows_in_near_clusters": len(clustered) if has_near else pd.NA,
            }
        )
    columns = [
        "corpus",
        "rows",
        "records",
        "exact_duplicates_collapsed",
        "near_dup_clusters",
        "rows_in_near_clusters",
    ]
    summary = pd.DataFrame(rows, columns=columns)
    return summary.astype(
        {
            "corpus": "str",
            "rows": "int64",
            "records": "int64",
            "exact_duplicates_collapsed": "int64",
            "near_dup_clusters": "Int64",
            "rows_in_near_clusters": "Int64",
        }
    )
