"""Partition-wise analysis steps: one Parquet partition of the article table in, a small
per-article table out, and a driver that runs a step over partitions on an engine.

A *partition* is a Parquet file of rows of the article table (the columns of
:mod:`arabmedia.corpus`: doc_id, corpus, outlet, date, title, lead, body, ...; other
columns such as ``sequence`` are ignored).  Each step reads only the columns it needs,
tokenizes with :func:`arabmedia.text.tokenize_many` (nothing is written, not even the
token cache) and applies the in-memory analysis functions to that partition alone; each
article's row depends only on that article, so :func:`run_partitions`, which concatenates
the steps' tables in partition order, gives the table the same functions give on the
concatenated article table, whatever the engine and its worker count.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from arabmedia.analysis._agency import article_sentences, count_agency, find_casualty_sentences
from arabmedia.analysis._attribution import count_actors, find_attributions
from arabmedia.analysis._framing import ID_COLUMNS, count_frames
from arabmedia.analysis._terminology import count_terms, find_terms, word_counts
from arabmedia.corpus._articles import article_text
from arabmedia.engine._engines import Engine
from arabmedia.lexicons._agency import AgencyLexicon
from arabmedia.lexicons._attribution import AttributionLexicon
from arabmedia.lexicons._frames import FrameDictionary
from arabmedia.lexicons._terms import TermSets
from arabmedia.text._normalize import DEFAULT_SETTINGS, NormalizeSettings, tokenize_many

#: Prefix of the per-variant mention columns of :func:`count_partition`:
#: ``term:<concept>:<variant>``.
TERM_PREFIX = "term:"


class PartitionError(ValueError):
    """A partition file that cannot be read or lacks a column a step needs."""


def _read_partition(
    path: str | os.PathLike, columns: Sequence[str], optional: Sequence[str] = ()
) -> pd.DataFrame:
    """The ``columns`` (and those of ``optional`` the file has) of one partition, index 0..n-1.

    Raises FileNotFoundError for a missing file and :class:`PartitionError` for a file that
    is not readable Parquet or lacks one of ``columns``; both messages name the file.
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"partition {path}: no such file")
    try:
        names = pq.read_schema(path).names
        missing = [c for c in columns if c not in names]
        if missing:
            raise PartitionError(f"partition {path}: no column(s) {missing}; it has {names}")
        wanted = [*columns, *(c for c in optional if c in names and c not in columns)]
        table = pd.read_parquet(path, columns=wanted)
    except (pa.ArrowException, OSError) as error:
        raise PartitionError(f"partition {path}: not a readable Parquet file ({error})") from error
    return table.reset_index(drop=True)


def _tokens(articles: pd.DataFrame, fields: Sequence[str], settings: NormalizeSettings):
    """Tokens of :func:`arabmedia.corpus.article_text` over ``fields``, aligned with articles."""
    texts = article_text(articles, fields).tolist()
    return pd.Series(tokenize_many(texts, settings), index=articles.index, dtype=object)


def tokenize_partition(
    path: str | os.PathLike,
    fields: Sequence[str],
    *,
    normalize: NormalizeSettings = DEFAULT_SETTINGS,
) -> pd.DataFrame:
    """Word tokens of each article of one partition (the text of ``fields``, ``normalize``).

    Columns: doc_id, n_tokens (word tokens, punctuation left out: the ``n_tokens`` of
    :func:`arabmedia.analysis.count_frames` and ``words`` of
    :func:`arabmedia.analysis.count_terms`); rows in file order.
    """
    articles = _read_partition(path, ["doc_id", *fields])
    tokens = _tokens(articles, fields, normalize)
    return pd.DataFrame({"doc_id": articles["doc_id"], "n_tokens": word_counts(tokens)})


def _term_columns(term_sets: TermSets) -> list[tuple[str, str, str]]:
    """(concept, variant, column name) of every variant, in file order."""
    columns = [
        (c.id, v.id, f"{TERM_PREFIX}{c.id}:{v.id}") for c in term_sets.concepts for v in c.variants
    ]
    names = [name for *_, name in columns]
    if len(set(names)) != len(names):
        raise ValueError(f"{term_sets.source}: concept and variant ids give one column twice")
    return columns


def count_partition(
    path: str | os.PathLike,
    fields: Sequence[str],
    term_sets: TermSets,
    frames: FrameDictionary,
    *,
    per: int = 1000,
    ties: str = "mixed",
) -> pd.DataFrame:
    """Frame scores and term mentions of each article of one partition, one row per article.

    The text of ``fields`` is tokenized with the dictionary's settings (``frames.settings``;
    ``term_sets`` should be loaded with the same).  Columns: those of
    :func:`arabmedia.analysis.count_frames` (the ID columns the file has, n_tokens,
    hits_/rate_ per frame, n_frames, dominant_frame; ``per`` and ``ties`` as there), then
    one column ``term:<concept>:<variant>`` per variant in file order, the mentions of
    :func:`arabmedia.analysis.count_terms`; :func:`term_counts` turns these into that
    function's long table.  Rows in file order.
    """
    columns = _term_columns(term_sets)
    articles = _read_partition(path, ["doc_id", *fields], optional=ID_COLUMNS)
    tokens = _tokens(articles, fields, frames.settings)
    scores = count_frames(articles, tokens, frames, per=per, ties=ties)
    counts = count_terms(tokens, find_terms(tokens, term_sets), term_sets)
    mentions = counts["count"].to_numpy().reshape(len(articles), len(columns))
    names = [name for *_, name in columns]
    return pd.concat([scores, pd.DataFrame(mentions, columns=names, index=scores.index)], axis=1)


def term_counts(counts: pd.DataFrame, term_sets: TermSets) -> pd.DataFrame:
    """The long table of :func:`arabmedia.analysis.count_terms` from :func:`count_partition`.

    One row per article and variant, articles in table order, variants in file order.
    Columns: the ID columns of ``counts`` (doc_id, corpus, outlet, date, kind: those it
    has, in place of count_terms' ``doc``), concept, variant, count, concept_count (mentions
    of any variant of the concept in the article), words (``n_tokens``); ready for
    :func:`arabmedia.analysis.compare_term_shares` and the other compare functions.
    """
    columns = _term_columns(term_sets)
    missing = [name for *_, name in columns if name not in counts.columns]
    if missing:
        raise ValueError(f"term_counts: counts has no column(s) {missing} of {term_sets.source}")
    n_docs, n_pairs = len(counts), len(columns)
    ids = [c for c in ID_COLUMNS if c in counts.columns]
    table = counts[ids].iloc[np.repeat(np.arange(n_docs), n_pairs)].reset_index(drop=True)
    table["concept"] = np.tile([concept for concept, _, _ in columns], n_docs)
    table["variant"] = np.tile([variant for _, variant, _ in columns], n_docs)
    table["count"] = counts[[name for *_, name in columns]].to_numpy().ravel()
    by_concept = table.groupby([np.repeat(np.arange(n_docs), n_pairs), "concept"], sort=False)
    table["concept_count"] = by_concept["count"].transform("sum")
    table["words"] = np.repeat(counts["n_tokens"].to_numpy(), n_pairs)
    return table


def agency_partition(
    path: str | os.PathLike,
    fields: Sequence[str],
    *,
    lexicon: AgencyLexicon | None = None,
) -> pd.DataFrame:
    """Casualty sentences of each article of one partition by agency class.

    :func:`arabmedia.analysis.count_agency` of
    :func:`arabmedia.analysis.find_casualty_sentences` over ``fields`` (``lexicon``
    default: the shipped agency lists).  Columns: doc_id, outlet, casualty,
    perpetrator_named, cause_without_actor, agentless; rows in file order.
    """
    articles = _read_partition(path, ["doc_id", "outlet", *fields])
    return count_agency(articles, find_casualty_sentences(articles, fields, lexicon))


def attribution_partition(
    path: str | os.PathLike,
    fields: Sequence[str],
    *,
    lexicon: AttributionLexicon | None = None,
) -> pd.DataFrame:
    """Named attributions of each article of one partition, by actor type.

    :func:`arabmedia.analysis.count_actors` of :func:`arabmedia.analysis.find_attributions`
    in the sentences of ``fields`` (:func:`arabmedia.analysis.article_sentences`;
    ``lexicon`` default: the shipped attribution lexicon).  Columns: doc_id, outlet,
    attributions, one count per actor type; rows in file order.
    """
    articles = _read_partition(path, ["doc_id", "outlet", *fields])
    attributions = find_attributions(article_sentences(articles, fields), lexicon)
    return count_actors(articles, attributions, lexicon)


def _batch_bounds(sizes: Sequence[int], limit: int) -> list[tuple[int, int]]:
    """(start, stop) of runs of consecutive items whose sizes add up to at most ``limit``
    (an item larger than ``limit`` is a run of its own): the tasks of a reducer."""
    bounds, start, total = [], 0, 0
    for number, size in enumerate(sizes):
        if total and total + size > limit:
            bounds.append((start, number))
            start, total = number, 0
        total += size
    return [*bounds, (start, len(sizes))] if len(sizes) else bounds


def _row_reads(
    paths: Sequence[Path], partitions: np.ndarray, rows: np.ndarray
) -> tuple[list[tuple[Path, np.ndarray]], np.ndarray]:
    """How a task reads the rows ``rows[i]`` of partitions ``paths[partitions[i]]`` in the
    order given: (path, row positions) per partition, each file once, and the order that
    puts the rows read (concatenated) in the order given (see :func:`_read_rows`)."""
    grouped = np.lexsort((rows, partitions))
    reads = [(paths[p], np.sort(rows[partitions == p])) for p in np.unique(partitions)]
    order = np.empty(len(rows), dtype=np.int64)
    order[grouped] = np.arange(len(rows))
    return reads, order


def _read_rows(
    reads: Sequence[tuple[Path, np.ndarray]], order: np.ndarray, columns: Sequence[str] | None
) -> pd.DataFrame:
    """The rows of :func:`_row_reads` (``columns``; None: all), in its order, index 0..n-1."""
    tables = []
    for path, rows in reads:
        table = pd.read_parquet(path, columns=columns).reset_index(drop=True)
        tables.append(table.iloc[rows])
    return pd.concat(tables, ignore_index=True).iloc[order].reset_index(drop=True)


def _file_size(path: Path) -> int:
    """Bytes of ``path``; 0 where this process cannot see it (the task then says why)."""
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _on_partition(
    path: Path, *, step: Callable[..., pd.DataFrame], **parameters: object
) -> pd.DataFrame:
    """``step(path, **parameters)``; an error gets a note naming the step and the file."""
    try:
        return step(path, **parameters)
    except Exception as error:
        error.add_note(f"in {step.__name__} of partition {path}")
        raise


def run_partitions(
    step: Callable[..., pd.DataFrame],
    partitions: Sequence[str | os.PathLike],
    engine: Engine,
    **parameters: object,
) -> pd.DataFrame:
    """``step(partition, **parameters)`` of every partition on ``engine``, concatenated.

    ``step`` is one of :func:`tokenize_partition`, :func:`count_partition`,
    :func:`agency_partition` (or any module-level function of a partition path returning
    a table with a ``doc_id`` column).  Tables are concatenated in the order of
    ``partitions``, index 0..n-1, so the result does not depend on the engine; the tables of
    empty partitions add no rows and do not change the dtypes.  Raises
    ValueError when ``partitions`` is empty or an article (``doc_id``) is in two partitions
    (or one partition is listed twice): per-article counts of the concatenated table would
    then count it twice.
    """
    return _concat_tables(_map_partitions(step, partitions, engine, **parameters))


def _concat_tables(tables: Sequence[pd.DataFrame]) -> pd.DataFrame:
    """The tables one after the other, index 0..n-1."""
    # An empty partition's table can have other dtypes (object for str): it adds no rows.
    return pd.concat([t for t in tables if len(t)] or tables[:1], ignore_index=True)


def _map_partitions(
    step: Callable[..., pd.DataFrame],
    partitions: Sequence[str | os.PathLike],
    engine: Engine,
    **parameters: object,
) -> list[pd.DataFrame]:
    """The table of ``step`` for each partition, in the order of ``partitions``.

    :func:`run_partitions` before concatenation, for reducers that need to know which
    partition holds which row; raises the same errors.
    """
    paths = [Path(p) for p in partitions]
    if not paths:
        raise ValueError(f"run_partitions: no partitions given for {step.__name__}")
    # Largest files first, so the last task to finish is a small one (no long tail on one
    # worker while the others wait); the tables come back in the order of ``partitions``.
    order = sorted(range(len(paths)), key=lambda i: (-_file_size(paths[i]), i))
    results = engine.map(_on_partition, [paths[i] for i in order], step=step, **parameters)
    by_position = dict(zip(order, results, strict=True))
    tables = [by_position[i] for i in range(len(paths))]
    ids = pd.DataFrame(
        {
            "doc_id": pd.concat([t["doc_id"] for t in tables], ignore_index=True),
            "partition": np.repeat(np.arange(len(paths)), [len(t) for t in tables]),
        }
    ).drop_duplicates()
    shared = ids[ids["doc_id"].duplicated(keep=False)]
    if not shared.empty:
        doc_id = shared["doc_id"].iloc[0]
        files = [str(paths[p]) for p in shared.loc[shared["doc_id"] == doc_id, "partition"]]
        raise ValueError(
            f"run_partitions: article {doc_id!r} is in more than one partition: {files} "
            f"({shared['doc_id'].nunique()} such articles)"
        )
    return tables
