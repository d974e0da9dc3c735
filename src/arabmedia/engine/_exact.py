"""Exact duplicates collapsed across partitions: :func:`arabmedia.corpus.collapse_exact`
on the whole table without holding it.

A store's partitions hold :func:`arabmedia.corpus.load_study`'s rows, copies included: a
monthly file re-listing an article puts both records in one month, possibly in two part
files; a URL or a text can recur in other months or outlets.  :func:`collapse_partitions`
maps :func:`exact_keys_partition` (three 128-bit keys per article: its id, its canonical
URL, its matching text within its scope) over the partitions, finds in this process the
few rows whose key recurs, has the engine read just those rows and runs ``collapse_exact``
on them (every member of a group is among them, and no link leaves them, so their groups
are the whole table's), then writes each partition again without the copies, its kept rows
as collapsed.  The partition-wise steps then count each article once, as the in-memory
analysis of :func:`arabmedia.corpus.load_articles` does.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.compute as pc
import pyarrow.parquet as pq
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

from arabmedia.corpus._dedup import (
    _DUP_COLUMNS,
    _FILLABLE_FIELDS,
    _TEXT_FIELDS,
    _TIME_FIELDS,
    DEFAULT_MIN_WORDS,
    TEXT_SCOPES,
    _doc_ids,
    _matching_texts,
    _same_value,
    _string_values,
    _word_counts,
    canonical_url,
    collapse_exact,
)
from arabmedia.engine._engines import Engine
from arabmedia.engine._partitions import (
    _batch_bounds,
    _on_partition,
    _read_partition,
    _read_rows,
    _row_reads,
)
from arabmedia.io import remove_abandoned, temporary_folder

#: The key columns of :func:`exact_keys_partition`; each is two int64 columns, ``_a``, ``_b``.
KEYS = ("id", "url", "text")
_NEEDED = ("doc_id", *_TEXT_FIELDS, "url", "source_file", "source_record")
#: Rows of linked groups collapsed per task (whole groups), which bounds a task's memory.
_BATCH_ROWS = 5_000


def _digest(value: bytes) -> tuple[int, int]:
    data = hashlib.blake2b(value, digest_size=16).digest()
    return int.from_bytes(data[:8], "little", signed=True), int.from_bytes(
        data[8:], "little", signed=True
    )


def _key_columns(name: str, values: Sequence[bytes | None], table: dict) -> None:
    """``<name>_a``, ``<name>_b`` (the two halves of each value's 128-bit digest) and
    ``<name>_set`` (False for ``None``: a row without this key, which matches nothing)."""
    digests = [(0, 0) if v is None else _digest(v) for v in values]
    pairs = np.array(digests, dtype=np.int64).reshape(len(values), 2)
    table[f"{name}_a"], table[f"{name}_b"] = pairs[:, 0], pairs[:, 1]
    table[f"{name}_set"] = np.array([v is not None for v in values], dtype=bool)


def _scoped(scope: str, digest: bytes) -> bytes:
    data = scope.encode("utf-8")
    return len(data).to_bytes(8, "little") + data + digest


def exact_keys_partition(
    path: str | os.PathLike, *, text_scope: str = "outlet", min_words: int = DEFAULT_MIN_WORDS
) -> pd.DataFrame:
    """The keys by which :func:`arabmedia.corpus.collapse_exact` links the articles of one
    partition (the map step of :func:`collapse_partitions`).

    Columns: order (int64: the row's ``sequence`` when the file has one, else -1), then for
    each of :data:`KEYS` ``<key>_a``, ``<key>_b`` (int64 halves of a 128-bit BLAKE2b digest)
    and ``<key>_set`` (bool): ``id`` of doc_id; ``url`` of the canonical URL (unset when
    blank, or for rows of kind "paragraph"); ``text`` of the ``text_scope`` value with the
    matching text (unset below ``min_words`` words).  Rows in file order.  Values
    ``collapse_exact`` refuses (an empty doc_id, a non-text column) raise its errors.
    """
    caller = "collapse_partitions"
    scope = [] if text_scope == "all" else [text_scope]
    articles = _read_partition(path, [*_NEEDED, *scope], optional=("kind", "sequence"))
    collapsed = [c for c in _DUP_COLUMNS if c in pq.read_schema(path).names]
    if collapsed:
        raise ValueError(
            f"{caller}: partition {path} already has {', '.join(collapsed)}; collapse the "
            "original rows instead so copies are counted once"
        )
    size = len(articles)
    table = {
        "order": articles["sequence"].to_numpy(np.int64)
        if "sequence" in articles
        else np.full(size, -1)
    }
    _key_columns("id", [d.encode("utf-8") for d in _doc_ids(articles, caller)], table)
    paragraph = articles["kind"].eq("paragraph").tolist() if "kind" in articles else [False] * size
    urls = [
        None if is_paragraph else canonical_url(u).encode("utf-8") or None
        for u, is_paragraph in zip(_string_values(articles, "url", caller), paragraph, strict=True)
    ]
    _key_columns("url", urls, table)
    scopes = _string_values(articles, text_scope, caller) if scope else [""] * size
    texts = _matching_texts(articles, caller)
    counts = _word_counts(pc.split_pattern(texts, " "), texts)
    text_keys = [
        _scoped(s, hashlib.blake2b(t.encode("utf-8"), digest_size=16).digest())
        if count >= min_words
        else None
        for s, t, count in zip(scopes, texts.to_pylist(), counts, strict=True)
    ]
    _key_columns("text", text_keys, table)
    return pd.DataFrame(table)


def _recurring(keys: pd.DataFrame) -> np.ndarray:
    """Rows (bool) sharing a set id, url or text key with another row."""
    linked = np.zeros(len(keys), dtype=bool)
    for name in KEYS:
        present = keys[f"{name}_set"].to_numpy()
        pairs = keys.loc[present, [f"{name}_a", f"{name}_b"]]
        linked[np.flatnonzero(present)[pairs.duplicated(keep=False).to_numpy()]] = True
    return linked


def _groups(linked: pd.DataFrame) -> np.ndarray:
    """Group label of each of the ``linked`` rows (table order): the connected components
    of "shares a set key", numbered in order of their first row."""
    size = len(linked)
    first, second = [], []
    for name in KEYS:
        present = np.flatnonzero(linked[f"{name}_set"].to_numpy())
        keyed = linked.iloc[present][[f"{name}_a", f"{name}_b"]]
        label = keyed.groupby([f"{name}_a", f"{name}_b"], sort=False).ngroup().to_numpy()
        heads = np.full(label.max() + 1 if len(label) else 0, -1, dtype=np.int64)
        heads[label] = present  # a row with each key: every row gets an edge to it
        first.append(present)
        second.append(heads[label])
    edges = sp.coo_matrix(
        (np.ones(sum(len(f) for f in first)), (np.concatenate(first), np.concatenate(second))),
        shape=(size, size),
    )
    _, labels = connected_components(edges, directed=False)
    _, numbered = np.unique(labels, return_index=True)  # first row of each component
    rank = np.empty(len(numbered), dtype=np.int64)
    rank[np.argsort(numbered)] = np.arange(len(numbered))
    return rank[labels]


def _collapse_batch(
    item: tuple[list[tuple[Path, np.ndarray]], np.ndarray, np.ndarray, np.ndarray],
    *,
    text_scope: str,
    min_words: int,
) -> pd.DataFrame:
    """``collapse_exact`` of whole groups of linked rows, read from their partitions in
    table order.  One row per group: _partition, _row (its kept row), dup_count,
    dup_sources, dup_reason, and ``filled``: the fields the kept row took from its copies
    ({column: value}, None when it took none)."""
    reads, order, partitions, rows = item
    members = _read_rows(reads, order, None).assign(_partition=partitions, _row=rows)
    collapsed = collapse_exact(members, text_scope=text_scope, min_words=min_words)
    originals = members.loc[collapsed.index]
    columns = [c for c in (*_FILLABLE_FIELDS, *_TIME_FIELDS) if c in members.columns]
    filled = []
    for position in range(len(collapsed)):
        changed = {
            c: collapsed[c].iat[position]
            for c in columns
            if not _same_value(collapsed[c].iat[position], originals[c].iat[position])
        }
        filled.append(changed or None)
    result = collapsed[["_partition", "_row", *_DUP_COLUMNS]].reset_index(drop=True)
    result["filled"] = pd.Series(filled, dtype=object)
    return result


def _rewrite(item: tuple[Path, Path, np.ndarray, pd.DataFrame]) -> int:
    """Write partition ``source`` to ``target`` without the rows at positions ``dropped``,
    with the dup columns: a singleton's values, or for the kept rows of groups (``kept``:
    rows of :func:`_collapse_batch`) theirs and the fields they took from their copies.
    Returns the number of rows written."""
    source, target, dropped, kept = item
    table = pd.read_parquet(source).reset_index(drop=True)
    labels = table["source_file"].astype(str) + "#" + table["source_record"].astype(str)
    table["dup_count"] = np.ones(len(table), dtype=np.int64)
    table["dup_sources"] = pd.array(labels.tolist(), dtype="str")
    table["dup_reason"] = pd.array([""] * len(table), dtype="str")
    rows = kept["_row"].to_numpy()
    for column in _DUP_COLUMNS:
        table.loc[rows, column] = kept[column].to_numpy()
    for row, filled in zip(rows.tolist(), kept["filled"].tolist(), strict=True):
        for column, value in (filled or {}).items():
            table.loc[row, column] = value
    keep = np.ones(len(table), dtype=bool)
    keep[dropped] = False
    target.parent.mkdir(parents=True, exist_ok=True)
    table[keep].reset_index(drop=True).to_parquet(target, index=False)
    return int(keep.sum())


def _ordered_keys(paths: list[Path], tables: list[pd.DataFrame]) -> pd.DataFrame:
    """The key tables as one, with partition and row, in table order (see
    :func:`collapse_partitions`)."""
    ordered = [bool((t["order"] >= 0).all()) for t in tables if len(t)]
    if any(ordered) and not all(ordered):
        missing = next(p for p, t in zip(paths, tables, strict=True) if (t["order"] < 0).any())
        raise ValueError(f"collapse_partitions: {missing} has no sequence column, others have")
    sizes = [len(t) for t in tables]
    keys = pd.concat(tables, ignore_index=True)
    keys["partition"] = np.repeat(np.arange(len(paths)), sizes)
    keys["row"] = np.concatenate([np.arange(s, dtype=np.int64) for s in sizes])
    if all(ordered):
        if keys["order"].duplicated().any():
            raise ValueError("collapse_partitions: two rows have the same sequence")
        keys = keys.sort_values("order", kind="stable")
    return keys.reset_index(drop=True)


def collapse_partitions(
    partitions: Sequence[str | os.PathLike],
    engine: Engine,
    folder: str | os.PathLike,
    *,
    root: str | os.PathLike | None = None,
    text_scope: str = "outlet",
    min_words: int = DEFAULT_MIN_WORDS,
) -> list[Path]:
    """The partitions with exact duplicates collapsed, written to ``folder``; their paths.

    :func:`arabmedia.corpus.collapse_exact` (same options, same meaning) of the whole
    table: rows in the order of their ``sequence`` column when every partition has one (as
    a store's parts do, so the copy kept is the one ``load_articles`` keeps), else in the
    order of ``partitions``.  Each output file holds the kept rows of its input: every input
    column plus dup_count, dup_sources, dup_reason.  A group's kept row stays in the
    partition of its first copy, with the fields ``collapse_exact`` fills from later copies
    (so a kept row of an undated partition can carry a date).  Outputs mirror the inputs'
    paths below ``root`` (default: their common folder; a store's folder keeps its layout)
    and are returned in the order given; ``folder`` must be
    new or empty and is filled atomically (all files or none).  Raises ValueError for no
    partitions, one listed twice or a repeated sequence, FileExistsError for a non-empty
    ``folder``, and the errors of ``collapse_exact`` for the values it refuses.
    """
    caller = "collapse_partitions"
    if text_scope not in TEXT_SCOPES:
        raise ValueError(f"{caller}: text_scope must be one of {TEXT_SCOPES}, got {text_scope!r}")
    if min_words < 1:
        raise ValueError(f"{caller}: min_words must be at least 1, got {min_words}")
    paths = [Path(p).resolve() for p in partitions]
    if not paths:
        raise ValueError(f"{caller}: no partitions given")
    if len(set(paths)) != len(paths):
        raise ValueError(f"{caller}: a partition is listed twice")
    folder = Path(folder)
    if folder.exists() and any(folder.iterdir()):
        raise FileExistsError(f"{caller}: {folder} is not empty")
    options = {"text_scope": text_scope, "min_words": min_words}
    tables = engine.map(_on_partition, paths, step=exact_keys_partition, **options)
    keys = _ordered_keys(paths, tables)
    del tables
    linked = keys[_recurring(keys)].reset_index(drop=True)
    del keys
    partitions, rows = linked["partition"].to_numpy(), linked["row"].to_numpy()
    items = []
    groups = _groups(linked)
    # whole groups per task: rows of consecutive groups, in table order
    for low, high in _batch_bounds(np.bincount(groups).tolist(), _BATCH_ROWS):
        batch = np.flatnonzero((groups >= low) & (groups < high))
        reads, order = _row_reads(paths, partitions[batch], rows[batch])
        items.append((reads, order, partitions[batch], rows[batch]))
    found = engine.map(_collapse_batch, items, **options)
    empty = pd.DataFrame({"_partition": [], "_row": []}, dtype="int64")
    collapsed = pd.concat(found, ignore_index=True) if found else empty
    kept = set(zip(collapsed["_partition"].tolist(), collapsed["_row"].tolist(), strict=True))
    common = Path(root).resolve() if root else Path(os.path.commonpath([p.parent for p in paths]))
    outside = [p for p in paths if not p.is_relative_to(common)]
    if outside:
        raise ValueError(f"{caller}: partition {outside[0]} is not below {common}")
    targets = [folder / p.relative_to(common) for p in paths]
    remove_abandoned(folder)
    tmp = temporary_folder(folder)
    try:
        work = []
        for number, (path, target) in enumerate(zip(paths, targets, strict=True)):
            mine = rows[partitions == number].tolist()
            dropped = [r for r in mine if (number, r) not in kept]
            groups = collapsed[collapsed["_partition"] == number].drop(columns="_partition")
            dropped = np.array(dropped, dtype=np.int64)
            work.append((path, tmp / target.relative_to(folder), dropped, groups))
        engine.map(_rewrite, work)
        if folder.exists():
            folder.rmdir()
        tmp.rename(folder)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return targets
