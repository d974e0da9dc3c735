"""Same-event matching across partitions: :func:`arabmedia.analysis.match_events`
("tfidf") of the whole table, its candidate blocking and clustering done partition-wise.

The matcher's TF-IDF weights need the whole table (N and each feature's document
frequency), its blocks all outlets of a few days, and its clusters the similarities
within a connected component; a store's partitions are one outlet-month each.  So
:func:`match_event_partitions` runs in three rounds on the engine, holding in this process
only a few numbers per article, the document frequencies and the candidate pairs:

1. :func:`event_index_partition`: each article's doc_id, outlet and date, and the
   partition's document frequencies;
2. candidates: the days are cut into spans of ``block_days``; a task reads the articles of
   its span and ``window_days`` either side from whatever partitions hold them, weights
   their features by the table's frequencies, and finds and scores each day's candidates
   as ``match_events`` does (the same block, the same rows, so the same pairs and scores);
3. clusters: the components of the pairs at or above the threshold go to tasks of at most
   ``cluster_rows`` articles, each reading its members' texts again.

The result is ``match_events`` of the concatenated partitions, row for row.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

from arabmedia.analysis._events import (
    _HASH_FEATURES,
    _candidate_pairs,
    _check_method,
    _component_events,
    _component_members,
    _days_and_outlets,
    _document_frequencies,
    _event_table,
    _feature_counts,
    _sorted_order,
    _TfidfSimilarity,
    _word_tokens,
)
from arabmedia.engine._engines import Engine, shared
from arabmedia.engine._partitions import (
    _batch_bounds,
    _on_partition,
    _read_partition,
    _read_rows,
    _row_reads,
)

_CALLER = "match_event_partitions"


def _texts(path: Path, fields: Sequence[str], rows: np.ndarray | None = None) -> pd.DataFrame:
    table = _read_partition(path, ["doc_id", "outlet", "date", *fields])
    return table if rows is None else table.iloc[rows].reset_index(drop=True)


def event_index_partition(
    path: str | os.PathLike,
    *,
    fields: Sequence[str] = ("title", "lead", "body"),
    max_body_tokens: int | None = 200,
) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """The first round of :func:`match_event_partitions` on one partition: its articles
    (doc_id, outlet, date; file order) and the document frequencies of its word and
    character features (int64 arrays over the hashed feature space)."""
    articles = _texts(Path(path), fields)
    words = _word_tokens(articles, fields, max_body_tokens, None, _CALLER)
    word, char = _feature_counts(words)
    index = articles[["doc_id", "outlet", "date"]]
    return index, _document_frequencies(word), _document_frequencies(char)


def _task_words(task: dict) -> list[list[str]]:
    """Word tokens of the task's rows (``reads`` and ``order`` of ``_row_reads``)."""
    columns = ["doc_id", "outlet", "date", *task["fields"]]
    articles = _read_rows(task["reads"], task["order"], columns)
    return _word_tokens(articles, task["fields"], task["max_body_tokens"], None, _CALLER)


def _similarity_of(task: dict, frequencies: object) -> _TfidfSimilarity:
    """The task's rows with the TF-IDF weights of the whole table (``frequencies``: N and
    the word and character document frequencies, as the engine shared them)."""
    counts = _feature_counts(_task_words(task))
    return _TfidfSimilarity(
        None, task["n_neighbors"], counts=counts, frequencies=shared(frequencies)
    )


def _candidates_task(task: dict, *, frequencies: object) -> np.ndarray:
    """Candidate pairs (table positions, first < second) and their scores, shape (n, 3),
    of the task's query days (``asked``) against the rows it holds: those days and the
    window around them, in table order."""
    similarity = _similarity_of(task, frequencies)
    local = _candidate_pairs(
        similarity, task["days"], task["outlets"], task["window_days"], False, task["asked"]
    )
    scores = similarity.pairs(local[:, 0], local[:, 1]) if len(local) else np.zeros(0)
    positions = task["positions"]
    return np.column_stack([positions[local[:, 0]], positions[local[:, 1]], scores])


def _clusters_task(
    task: dict, *, frequencies: object
) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """Per component of the task (its rows are the components' members one component after
    the other, each in table order; ``sizes`` their lengths): the members (table
    positions), the first member of each one's event (table position), its best
    similarity."""
    similarity = _similarity_of(task, frequencies)
    found = []
    starts = np.cumsum([0, *task["sizes"]])
    for start, stop in itertools.pairwise(starts):
        members = np.arange(start, stop)
        first, best = _component_events(
            similarity,
            members,
            task["days"],
            task["outlets"],
            task["window_days"],
            task["threshold"],
        )
        positions = task["positions"][members]
        found.append((positions, positions[first], best))
    return found


def _spans(days: np.ndarray, block_days: int) -> list[np.ndarray]:
    """The distinct dated days cut into runs spanning at most ``block_days`` days."""
    unique = np.unique(days[days >= 0])
    spans, start = [], 0
    for end in range(1, len(unique) + 1):
        if end == len(unique) or unique[end] - unique[start] >= block_days:
            spans.append(unique[start:end])
            start = end
    return spans


def match_event_partitions(
    partitions: Sequence[str | os.PathLike],
    engine: Engine,
    *,
    window_days: int = 1,
    fields: Sequence[str] = ("title", "lead", "body"),
    threshold: float | None = None,
    max_body_tokens: int | None = 200,
    n_neighbors: int = 10,
    block_days: int = 7,
    cluster_rows: int = 20_000,
) -> pd.DataFrame:
    """:func:`arabmedia.analysis.match_events` (method "tfidf"; the other options as there)
    of the concatenated partitions, without holding their texts (see the module doc).

    ``block_days``: days of queries per candidate task; ``cluster_rows``: articles per
    clustering task.  Neither changes the result.  Returns match_events' columns
    (:data:`arabmedia.analysis.EVENT_COLUMNS`), one row per article in partition order,
    index 0..n-1, ``attrs["n_candidates"]`` as there.  Raises match_events' errors (bad
    options, a doc_id in two rows) and those of :func:`arabmedia.engine.run_partitions`
    (no partitions, a bad partition).
    """
    threshold = _check_method("tfidf", threshold, _CALLER)
    for name, value, least in (
        ("window_days", window_days, 0),
        ("n_neighbors", n_neighbors, 1),
        ("block_days", block_days, 1),
        ("cluster_rows", cluster_rows, 1),
    ):
        if isinstance(value, bool) or not isinstance(value, int) or value < least:
            raise ValueError(f"{_CALLER}: {name} must be an integer >= {least}, got {value!r}")
    paths = [Path(p) for p in partitions]
    if not paths:
        raise ValueError(f"{_CALLER}: no partitions given")
    options = {"fields": tuple(fields), "max_body_tokens": max_body_tokens}
    rounds = engine.map(_on_partition, paths, step=event_index_partition, **options)
    articles = pd.concat([index for index, _, _ in rounds], ignore_index=True)
    sizes = [len(index) for index, _, _ in rounds]
    word_df = np.zeros(_HASH_FEATURES, dtype=np.int64)
    char_df = np.zeros(_HASH_FEATURES, dtype=np.int64)
    for _, word, char in rounds:
        word_df += word
        char_df += char
    del rounds
    repeated = articles["doc_id"][articles["doc_id"].duplicated()]
    if len(repeated):
        raise ValueError(
            f"{_CALLER}: doc_id is not unique ({len(repeated)} repeated, e.g. "
            f"{repeated.iloc[0]!r}): collapse the partitions first (collapse_partitions)"
        )
    order = _sorted_order(articles)
    table = articles.iloc[order]
    partition_of = np.repeat(np.arange(len(paths)), sizes)[order]
    row_of = np.concatenate([np.arange(n) for n in sizes])[order]
    days, outlets = _days_and_outlets(table)
    common = {
        **options,
        "n_neighbors": n_neighbors,
        "window_days": window_days,
        "threshold": threshold,
    }

    def task(positions: np.ndarray, **extra) -> dict:
        reads, read_order = _row_reads(paths, partition_of[positions], row_of[positions])
        held = {"positions": positions, "days": days[positions], "outlets": outlets[positions]}
        return {**common, **held, "reads": reads, "order": read_order, **extra}

    tasks = []
    for asked in _spans(days, block_days):
        window = (days >= asked[0] - window_days) & (days <= asked[-1] + window_days)
        tasks.append(task(np.flatnonzero(window & (days >= 0)), asked=asked))
    frequencies = engine.share((len(table), word_df, char_df))
    found = engine.map(_candidates_task, tasks, frequencies=frequencies)
    scored = np.vstack([np.zeros((0, 3)), *found])
    pairs, first = np.unique(scored[:, :2].astype(np.int64), axis=0, return_index=True)
    scores = scored[first, 2]
    linked = pairs[scores >= threshold]
    graph = sp.coo_matrix(
        (np.ones(len(linked)), (linked[:, 0], linked[:, 1])), shape=(len(table), len(table))
    )
    _, component = connected_components(graph, directed=False)
    components = _component_members(component, np.bincount(component))
    labels = np.arange(len(table), dtype=np.int64)
    best = np.full(len(table), np.nan)
    bounds = _batch_bounds([len(m) for m in components], cluster_rows)
    batches = [components[start:stop] for start, stop in bounds]
    work = [task(np.concatenate(b), sizes=[len(m) for m in b]) for b in batches]
    for result in engine.map(_clusters_task, work, frequencies=frequencies):
        for members, event_first, event_best in result:
            labels[members], best[members] = event_first, event_best
    index = articles.reset_index(drop=True)
    return _event_table(index, table, order, labels, outlets, best, len(pairs))
