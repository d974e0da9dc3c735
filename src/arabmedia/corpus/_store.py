"""A study's article table as a partitioned Parquet store, written by streaming.

:func:`write_store` reads the study's corpora as :func:`~arabmedia.corpus.load_study` does
(the same reading plans: readers, mapping, options) but file by file, writing article rows
in batches, so memory does not grow with the corpus beyond a few numbers per article (see
Ids).  A store folder holds:

- ``corpus=<c>/outlet=<o>/month=<YYYY-MM|unknown>/part-<NNNNN>.parquet``: article rows
  with exactly the columns :data:`ARTICLE_COLUMNS` (same dtypes) plus ``sequence``
  (int64, the row's position in ``load_study``'s article table).  ``month`` is that of
  ``date`` (``unknown`` when undated); ``<c>`` and ``<o>`` are percent-encoded (letters,
  digits, ``_.-~`` and spaces kept).  Each batch adds one row group to the parts of the
  partitions it touches; a part is closed at :data:`PART_ROWS` rows (or 32 row groups),
  and a partition written to again gets a new part;
- ``rejects.parquet``, ``problems.parquet``: ``load_study``'s rejects and problems tables
  (:data:`REJECT_COLUMNS`, :data:`PROBLEM_COLUMNS`), rows in the same order;
- ``partitions.parquet``: the table :func:`store_partitions` returns;
- ``store.json``: format, key and counts (read = articles + rejects, problems).

Ids.  ``load_study`` settles ids over each corpus as a whole: a source id that records of
different outlets share gets the outlet inserted, and a record repeating an earlier
record's id gets a "duplicate id" problem naming that record and saying whether the texts
are the same.  While a corpus streams, the store keeps per article only its id, outlet,
source file and record, a 64-bit hash of title, lead and body, and the part file it went
to (the corpus's problem rows are kept too, to be given their final ids); when the corpus
is read it runs the very rules of the in-memory path (``_qualify_shared_ids`` on the ids
that occur more than once, ``_settled_problems``) on that slim table and rewrites only the
part files that hold a qualified id.  Chosen over a first pass over ids because that pass
would parse every file twice (ids come out of the readers' full parse, as do rejects),
while the fix-up rewrites few files when shared ids are few, and each part at most once
when they are everywhere.

A store is written into a temporary folder beside its target and renamed into place when
complete: a store folder is complete or absent (a killed writer leaves a ``.tmp-*`` folder,
which the next write of that store on the same machine removes).  Read
it with :func:`read_store`; the part files are not a Hive dataset (they hold ``corpus``
and ``outlet`` themselves, and the partitions table holds the unencoded names).
"""

from __future__ import annotations

import functools
import hashlib
import json
import shutil
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from pathlib import Path
from urllib.parse import quote

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.dataset
import pyarrow.parquet as pq
from tqdm import tqdm

from arabmedia.config import Settings
from arabmedia.corpus._articles import _study_key
from arabmedia.corpus._loading import (
    _articles_frame,
    _file_outcomes,
    _Plan,
    _problems_frame,
    _qualify_shared_ids,
    _rejects_frame,
    _Rows,
    _settled_problems,
)
from arabmedia.corpus._schema import ARTICLE_COLUMNS
from arabmedia.corpus._study import _study_plans
from arabmedia.io import remove_abandoned, temporary_folder

STORE_FORMAT = "store-v1"
#: Columns of :func:`store_partitions`.
PARTITION_COLUMNS = ("corpus", "outlet", "month", "path", "n_articles")
#: Rows after which a part file is closed (a partition written to again gets a new part).
#: A part file is one task of the partition-wise steps (:mod:`arabmedia.engine`), so this
#: bounds a task's memory whatever the corpus size: counting terms and frames in 5,000
#: full-text news articles (330 words on average) peaked at 0.5 GB, in 20,000 at 1.3 GB.
PART_ROWS = 5_000
# Part files open for writing at once; the least recently written is closed beyond this
# (well below the usual limit of 1024 open files).  An open writer keeps ~20 KB of metadata
# per row group, so a part is also closed at _PART_ROW_GROUPS row groups: the writers'
# memory stays below _OPEN_PARTS * _PART_ROW_GROUPS * 20 KB (~80 MB) whatever the corpus.
_OPEN_PARTS = 128
_PART_ROW_GROUPS = 32
_PARTITION_KEYS = ("corpus", "outlet", "month")
_SLIM_COLUMNS = ["doc_id", "corpus", "outlet", "source_file", "source_record"]
_TEXT_POSITIONS = tuple(ARTICLE_COLUMNS.index(c) for c in ("title", "lead", "body"))


@functools.cache
def _schema(table: str) -> pa.Schema:
    """Arrow schema of the store's part files ("parts"), "rejects" or "problems"."""
    if table == "parts":
        frame = _articles_frame([]).assign(sequence=pd.Series([], dtype="int64"))
    else:
        frame = {"rejects": _rejects_frame, "problems": _problems_frame}[table]([])
    return pa.Schema.from_pandas(frame, preserve_index=False)


def _arrow(frame: pd.DataFrame, table: str) -> pa.Table:
    return pa.Table.from_pandas(frame, schema=_schema(table), preserve_index=False)


def _text_hash(row: tuple) -> int:
    """64-bit hash of an article row's title, lead and body (length-prefixed, so the
    split between fields counts): what the duplicate-id rule compares."""
    digest = hashlib.blake2b(digest_size=8)
    for position in _TEXT_POSITIONS:
        data = row[position].encode("utf-8")
        digest.update(len(data).to_bytes(8, "little"))
        digest.update(data)
    return int.from_bytes(digest.digest(), "little", signed=True)


def _partition_path(key: tuple[str, str, str]) -> str:
    pairs = zip(_PARTITION_KEYS, key, strict=True)
    return "/".join(f"{name}={quote(value, safe=' ')}" for name, value in pairs)


class _Parts:
    """The part files of a store being written: each batch's rows go to their partition's
    open part as one row group."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.open: OrderedDict[tuple[str, str, str], int] = OrderedDict()  # partition: part
        self.writers: dict[int, pq.ParquetWriter] = {}  # open part: its writer
        self.numbers: dict[tuple[str, str, str], int] = {}  # partition: parts so far
        self.keys: list[tuple[str, str, str]] = []  # per part: its partition
        self.paths: list[str] = []  # per part: path relative to the store
        self.rows: list[int] = []  # per part: rows written
        self.groups: list[int] = []  # per part: row groups written

    def write(self, frame: pd.DataFrame) -> np.ndarray:
        """Write a batch (part-file columns); return each row's part."""
        month = frame["date"].dt.strftime("%Y-%m").fillna("unknown").rename("month")
        groups = frame.groupby([frame["corpus"], frame["outlet"], month], sort=True).indices
        table = _arrow(frame, "parts")
        parts = np.empty(len(frame), dtype=np.int64)
        for key, positions in groups.items():
            part = self._part(key)
            self.writers[part].write_table(table.take(positions))
            self.rows[part] += len(positions)
            self.groups[part] += 1
            parts[positions] = part
            if self.rows[part] >= PART_ROWS or self.groups[part] >= _PART_ROW_GROUPS:
                self._close(key)
        return parts

    def _part(self, key: tuple[str, str, str]) -> int:
        """The open part of partition ``key``, opened (and another closed) when needed."""
        if key in self.open:
            self.open.move_to_end(key)
            return self.open[key]
        if len(self.open) >= _OPEN_PARTS:
            self._close(next(iter(self.open)))
        number = self.numbers.get(key, 0)
        self.numbers[key] = number + 1
        path = f"{_partition_path(key)}/part-{number:05d}.parquet"
        (self.folder / path).parent.mkdir(parents=True, exist_ok=True)
        part = len(self.paths)
        self.writers[part] = pq.ParquetWriter(self.folder / path, _schema("parts"))
        self.open[key] = part
        self.keys.append(key)
        self.paths.append(path)
        self.rows.append(0)
        self.groups.append(0)
        return part

    def _close(self, key: tuple[str, str, str]) -> None:
        self.writers.pop(self.open.pop(key)).close()

    def close(self) -> None:
        """Close every open part (before a part is rewritten, and at the end)."""
        while self.open:
            self._close(next(iter(self.open)))

    def table(self) -> pd.DataFrame:
        """The partitions table (see :func:`store_partitions`)."""
        frame = pd.DataFrame(self.keys, columns=list(_PARTITION_KEYS), dtype="str")
        frame["path"] = pd.Series([p.rsplit("/", 1)[0] for p in self.paths], dtype="str")
        frame["n_articles"] = pd.Series(self.rows, dtype="int64")
        return (
            frame.groupby([*_PARTITION_KEYS, "path"], sort=True)["n_articles"].sum().reset_index()
        )

    def qualify(self, changed: pd.DataFrame, first: int) -> None:
        """Give rows of the (closed) parts their qualified ids; ``changed``: columns part,
        doc_id (the new id), index the row's position in its plan (``first``: the
        sequence of the plan's first row)."""
        for part, rows in changed.groupby("part", sort=True):
            path = self.folder / self.paths[part]
            table = pq.read_table(path)
            new = dict(zip((rows.index + first).tolist(), rows["doc_id"].tolist(), strict=True))
            doc_ids = [
                new.get(number, doc_id)
                for number, doc_id in zip(
                    table.column("sequence").to_pylist(),
                    table.column("doc_id").to_pylist(),
                    strict=True,
                )
            ]
            column = table.schema.get_field_index("doc_id")
            array = pa.array(doc_ids, type=table.schema.field(column).type)
            pq.write_table(table.set_column(column, table.schema.field(column), array), path)


def _qualify_in_place(slim: pd.DataFrame) -> pd.DataFrame:
    """Apply ``_qualify_shared_ids`` to the slim table in place, on the rows whose id occurs
    more than once (the only ones it can change); return the changed rows (part, doc_id)."""
    repeated = slim[slim["doc_id"].duplicated(keep=False).to_numpy()]
    qualified = _qualify_shared_ids(repeated)
    changed = qualified[(qualified["doc_id"] != repeated["doc_id"]).to_numpy()]
    slim.loc[changed.index, "doc_id"] = changed["doc_id"]
    return changed[["part", "doc_id"]]


class _Slim:
    """What the id rules need of each article of the plan being written, batch by batch:
    doc_id, corpus, outlet, source_file, source_record (as read), the text hash (in
    ``title``) and the part the row went to."""

    def __init__(self):
        self.batches: list[pd.DataFrame] = []

    def add(self, frame: pd.DataFrame, rows: list[tuple], parts: np.ndarray) -> None:
        slim = frame[_SLIM_COLUMNS].copy()
        slim["title"] = np.array([_text_hash(row) for row in rows], dtype=np.int64)
        slim["part"] = parts
        self.batches.append(slim)

    def table(self) -> pd.DataFrame:
        """The plan's slim table, index 0..n-1 in reading order; ``lead`` and ``body`` are
        0 so that ``title`` (the hash) alone decides "same text"."""
        if not self.batches:
            empty = _articles_frame([])[_SLIM_COLUMNS]
            return empty.assign(title=np.int64(0), part=np.int64(0), lead=0, body=0)
        table = pd.concat(self.batches, ignore_index=True).assign(lead=0, body=0)
        self.batches.clear()
        return table


class _StoreWriter:
    """Streams reading plans into a (temporary) store folder."""

    def __init__(self, folder: Path, batch_size: int):
        self.folder, self.batch_size = folder, batch_size
        self.parts = _Parts(folder)
        self.tables = {
            name: pq.ParquetWriter(folder / f"{name}.parquet", _schema(name))
            for name in ("rejects", "problems")
        }
        self.counts = dict.fromkeys(("n_articles", "n_rejects", "n_problems"), 0)

    def write_plan(self, plan: _Plan, bar: tqdm) -> None:
        """Stream one plan (file by file, articles and rejects in batches), then settle its
        ids and problems as ``_result`` does."""
        first = self.counts["n_articles"]
        rows, slim = _Rows(), _Slim()
        for (path, source_file), key in zip(plan.files, plan.keys, strict=True):
            for kind, item in _file_outcomes(path, source_file, key, plan.reader, plan.options):
                rows.add(kind, item)
                if len(rows.articles) >= self.batch_size:
                    self._articles(rows, first, slim)
                if len(rows.rejects) >= self.batch_size:
                    self._rejects(rows)
            bar.update()
        self._articles(rows, first, slim)
        self._rejects(rows)
        self.parts.close()
        table = slim.table()
        self.parts.qualify(_qualify_in_place(table), first)
        problems = _settled_problems(table, rows.problems)
        self.tables["problems"].write_table(_arrow(problems, "problems"))
        self.counts["n_articles"] += rows.taken
        self.counts["n_problems"] += len(problems)

    def _articles(self, rows: _Rows, first: int, slim: _Slim) -> None:
        """Write the article rows gathered in ``rows`` (``first``: the sequence of the
        plan's first article) and take them out."""
        if not rows.articles:
            return
        frame = _articles_frame(rows.articles)
        start = first + rows.taken
        frame["sequence"] = np.arange(start, start + len(frame), dtype=np.int64)
        slim.add(frame, rows.articles, self.parts.write(frame))
        rows.taken += len(rows.articles)
        rows.articles.clear()

    def _rejects(self, rows: _Rows) -> None:
        if rows.rejects:
            self.tables["rejects"].write_table(_arrow(_rejects_frame(rows.rejects), "rejects"))
            self.counts["n_rejects"] += len(rows.rejects)
            rows.rejects.clear()

    def close(self) -> None:
        self.parts.close()
        for writer in self.tables.values():
            writer.close()


def store_folder(settings: Settings) -> Path:
    """The study's default store folder, ``<cache_dir>/store/<key>``; the key hashes the
    raw files, the corpus entries and the reading code, so a store there is never stale."""
    return Path(settings.cache_dir) / "store" / _study_key(settings, STORE_FORMAT)


def _marker(folder: Path) -> dict | None:
    """The ``store.json`` of a complete store in ``folder``, else None."""
    try:
        marker = json.loads((folder / "store.json").read_text("utf-8"))
    except FileNotFoundError:
        return None
    complete = marker.get("format") == STORE_FORMAT and (folder / "partitions.parquet").is_file()
    return marker if complete else None


def _install(tmp: Path, folder: Path, key: str) -> None:
    """Move the finished store ``tmp`` to ``folder``, replacing an older store there; when
    another writer installed the same store meanwhile, keep that one."""
    marker = _marker(folder) if folder.exists() else None
    if marker is not None and marker["key"] == key:
        shutil.rmtree(tmp)
        return
    old = None
    if folder.exists():
        if marker is None and any(folder.iterdir()):
            raise FileExistsError(
                f"{folder} exists and holds no article store: give an empty or new folder"
            )
        old = temporary_folder(folder, "old")
        folder.rename(old / folder.name)
    tmp.rename(folder)
    if old is not None:
        shutil.rmtree(old)


def write_store(
    settings: Settings,
    folder: str | Path | None = None,
    *,
    batch_size: int = 5000,
    progress: bool = True,
) -> pd.DataFrame:
    """Stream the study's corpora into an article store in ``folder`` (default:
    :func:`store_folder`) and return its partitions table (:func:`store_partitions`).

    Reads what :func:`~arabmedia.corpus.load_study` reads, file by file, ``batch_size``
    article (and reject) rows at a time; ``read_store(folder)`` then equals
    ``load_study(settings).articles`` and the store's rejects and problems its tables.  A
    complete store of the same inputs already in ``folder`` is reused; an older store there
    is replaced; a folder holding anything else is a FileExistsError.  Errors of
    ``load_study`` (no corpus, missing files, bad options) are raised alike, leaving no store.
    """
    if not isinstance(batch_size, int) or batch_size < 1:
        raise ValueError(f"batch_size must be a positive integer, got {batch_size!r}")
    key = _study_key(settings, STORE_FORMAT)
    folder = Path(folder) if folder is not None else store_folder(settings)
    marker = _marker(folder) if folder.exists() else None
    if marker is not None and marker["key"] == key:
        return store_partitions(folder)
    plans = _study_plans(settings)
    remove_abandoned(folder)
    tmp = temporary_folder(folder)
    try:
        writer = _StoreWriter(tmp, batch_size)
        try:
            total = sum(len(plan.files) for plan in plans)
            with tqdm(total=total, unit="file", disable=not progress) as bar:
                for plan in plans:
                    bar.set_description(f"store {plan.options.corpus}")
                    writer.write_plan(plan, bar)
        finally:
            writer.close()
        writer.parts.table().to_parquet(tmp / "partitions.parquet", index=False)
        counts = writer.counts
        marker = {"format": STORE_FORMAT, "key": key, **counts}
        marker["n_read"] = counts["n_articles"] + counts["n_rejects"]
        (tmp / "store.json").write_text(json.dumps(marker, indent=1) + "\n", "utf-8")
        _install(tmp, folder, key)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return store_partitions(folder)


def _checked(folder: str | Path) -> Path:
    """``folder`` as a Path; FileNotFoundError naming it unless it holds a complete store."""
    folder = Path(folder)
    if _marker(folder) is None:
        raise FileNotFoundError(
            f"{folder}: no complete article store (format {STORE_FORMAT}) there; "
            "write one with write_store"
        )
    return folder


def store_partitions(folder: str | Path) -> pd.DataFrame:
    """The partitions of the store in ``folder``: columns corpus, outlet, month ("YYYY-MM"
    or "unknown"), path (str, the partition's folder relative to ``folder``), n_articles
    (int64); one row per partition, sorted by corpus, outlet, month.  A missing or
    incomplete store is a FileNotFoundError naming the folder."""
    table = pd.read_parquet(_checked(folder) / "partitions.parquet")
    return table.astype({c: "str" for c in PARTITION_COLUMNS if c != "n_articles"})


def store_part_files(folder: str | Path, partitions: Iterable[str] | None = None) -> list[Path]:
    """The Parquet files of the store in ``folder`` (of ``partitions``, ``path`` values of
    :func:`store_partitions`; default all), in partition order: the units the partition-wise
    steps of :mod:`arabmedia.engine` read, one task each."""
    folder = _checked(folder)
    chosen = store_partitions(folder)["path"] if partitions is None else partitions
    return [path for part in chosen for path in sorted((folder / part).glob("part-*.parquet"))]


def store_rejects(folder: str | Path) -> pd.DataFrame:
    """The store's rejects: ``load_study``'s rejects table (:data:`REJECT_COLUMNS`)."""
    table = pd.read_parquet(_checked(folder) / "rejects.parquet")
    return table.astype(_rejects_frame([]).dtypes.to_dict())


def store_problems(folder: str | Path) -> pd.DataFrame:
    """The store's problems: ``load_study``'s problems table (:data:`PROBLEM_COLUMNS`)."""
    table = pd.read_parquet(_checked(folder) / "problems.parquet")
    return table.astype(_problems_frame([]).dtypes.to_dict())


def read_store(
    folder: str | Path,
    *,
    columns: Sequence[str] | None = None,
    partitions: Iterable[str] | None = None,
) -> pd.DataFrame:
    """The article table of the store in ``folder``: rows in ``load_study`` order, index
    0..n-1, columns :data:`ARTICLE_COLUMNS` (or ``columns``, in that order) with their
    dtypes.  ``partitions``: only these partitions (``path`` values of
    :func:`store_partitions`).  Unknown columns or partitions are a ValueError naming them."""
    folder = _checked(folder)
    wanted = list(ARTICLE_COLUMNS if columns is None else columns)
    unknown = [c for c in wanted if c not in ARTICLE_COLUMNS]
    if unknown:
        raise ValueError(f"{folder}: the article store has no column(s) {unknown}")
    known = store_partitions(folder)["path"].tolist()
    chosen = known if partitions is None else list(dict.fromkeys(partitions))
    unknown = sorted(set(chosen) - set(known))
    if unknown:
        raise ValueError(f"{folder}: the article store has no partition(s) {unknown}")
    files = [str(path) for path in store_part_files(folder, chosen)]
    dtypes = _articles_frame([]).dtypes[wanted].to_dict()
    if not files:
        return _articles_frame([])[wanted]
    table = pyarrow.dataset.dataset(files, schema=_schema("parts"), format="parquet")
    table = table.to_table(columns=[*wanted, "sequence"]).sort_by("sequence")
    frame = table.drop_columns(["sequence"]).to_pandas()
    return frame.astype(dtypes)
