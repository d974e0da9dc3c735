"""Reading files and manifest corpora into a LoadResult: read = loaded + rejected."""

from __future__ import annotations

import codecs
import glob
import os
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pandas as pd

from arabmedia.config import Settings
from arabmedia.corpus._readers import READERS
from arabmedia.corpus._schema import (
    _DATA_ERRORS,
    _DERIVED_COLUMNS,
    _TEXT_COLUMNS,
    ARTICLE_COLUMNS,
    NO_OUTLET,
    PROBLEM_COLUMNS,
    READER_OPTIONS,
    REJECT_COLUMNS,
    LoadResult,
    Reader,
    RecordError,
    _Context,
    _one_line,
    _Options,
    _paragraphs,
    _Unreadable,
)
from arabmedia.io import atomic_path

# ---------------------------------------------------------------- assembling rows


def _article_row(fields: Mapping[str, Any], ctx: _Context) -> tuple:
    """Clean, validate and order one record's fields as an article-table row."""
    row = {column: fields.get(column, "") for column in ARTICLE_COLUMNS}
    row.update(
        corpus=ctx.options.corpus,
        source_file=ctx.source_file,
        source_record=ctx.record,
        published=fields.get("published", pd.NaT),
        date=fields.get("date", pd.NaT),
        date_precision=fields.get("date_precision", "none"),
        body=_paragraphs(row["body"]),
    )
    for column in _TEXT_COLUMNS:
        row[column] = _one_line(row[column])
    if ctx.options.outlet:
        row["outlet"] = _one_line(ctx.options.outlet)
    elif not row["outlet"] and ctx.options.default_outlet:
        row["outlet"] = _one_line(ctx.options.default_outlet)
    if ctx.decode_problem:
        damaged = [c for c in ARTICLE_COLUMNS if isinstance(row[c], str) and "\ufffd" in row[c]]
        if damaged:
            raise RecordError(
                f"{ctx.decode_problem} in the file; undecodable text in field {damaged[0]}"
            )
    if not row["outlet"]:
        raise RecordError(NO_OUTLET)
    if not (row["title"] or row["lead"] or row["body"]):
        raise RecordError("empty text: title, lead and body are all empty")
    return tuple(row[column] for column in ARTICLE_COLUMNS)


class _Problem(NamedTuple):
    """A problem row before ids are settled: ``article`` is the position of its article
    row (-1 for a file-level problem, whose doc_id stays ""), ``order`` its place in the
    problems table (reading order: a file's own problems before its records')."""

    article: int
    order: tuple[int, int]
    row: tuple


@dataclass
class _Rows:
    """Rows gathered while reading one plan.  ``taken`` counts article rows already taken
    out of ``articles`` (the streaming store writes them in batches), so that problem
    positions stay positions in the plan's whole article table."""

    articles: list[tuple] = field(default_factory=list)
    rejects: list[tuple] = field(default_factory=list)
    problems: list[_Problem] = field(default_factory=list)
    taken: int = 0

    def add(self, kind: str, item: Any) -> None:
        """Add one outcome of :func:`_file_outcomes`."""
        position = self.taken + len(self.articles)
        if kind == "reject":
            self.rejects.append(item)
        elif kind == "file problem":
            self.problems.append(_Problem(-1, (position, 0), item))
        else:
            article, notes = item
            self.articles.append(article)
            self.problems += [_Problem(position, (position, 1), row) for row in notes]


def _check_mapping(
    mapping: Mapping[str, str] | None, columns: frozenset[str] | None, source_file: str
) -> None:
    """A mapped source column that no record of the file has is a ValueError."""
    if mapping is None or columns is None:
        return
    missing = [(column, source) for column, source in mapping.items() if source not in columns]
    if missing:
        named = ", ".join(f"{source!r} (for {column})" for column, source in missing)
        raise ValueError(
            f"{source_file}: the mapping names source column(s) {named} that no record of "
            f"the file has; its columns are {', '.join(map(repr, sorted(columns, key=str)))}"
        )


def _file_outcomes(
    path: Path, source_file: str, file_key: str, reader: Reader, options: _Options
) -> Iterator[tuple[str, Any]]:
    """One file's outcomes in reading order: ("reject", reject row), ("file problem",
    problem row) or ("article", (article row, problem rows of the record)).  Problem rows
    have doc_id "" until ids are settled.  Bad data becomes reject rows; a mapping that
    names a column the file lacks raises ValueError, before anything is yielded (after the
    last record of a streamed file whose columns are known only then)."""
    corpus = options.corpus
    try:
        file_records = reader.records(path, options)
        records = file_records.records
        if not file_records.streamed:
            records = list(records)
    except RecordError as error:
        yield "reject", (corpus, source_file, -1, "", str(error))
        return
    except _DATA_ERRORS as error:
        reason = f"unreadable file: {type(error).__name__}: {error}"
        yield "reject", (corpus, source_file, -1, "", reason)
        return
    columns_at_end = file_records.streamed and file_records.columns is None
    if not columns_at_end:
        _check_mapping(options.mapping, file_records.columns, source_file)
    if options.encoding == "auto" and file_records.encoding == "cp1256":
        detail = 'not valid UTF-8; read as cp1256 (Windows Arabic) under encoding = "auto"'
        yield "file problem", (corpus, source_file, -1, "", "", "cp1256", "encoding", detail)
    for number, raw in records:
        ctx = _Context(options, source_file, file_key, number, file_records.decode_problem)
        if isinstance(raw, _Unreadable):
            yield "reject", (corpus, source_file, number, "", raw.reason)
            continue
        doc_id = ""
        try:
            fields = reader.fields(raw, ctx)
            doc_id = fields["doc_id"]
            article = _article_row(fields, ctx)
        except RecordError as error:
            yield "reject", (corpus, source_file, number, error.doc_id or doc_id, str(error))
            continue
        except _DATA_ERRORS as error:
            reason = f"unreadable record: {type(error).__name__}: {error}"
            yield "reject", (corpus, source_file, number, doc_id, reason)
            continue
        notes = [
            (corpus, source_file, number, "", field_name, value, problem, detail)
            for field_name, value, problem, detail in ctx.notes
        ]
        yield "article", (article, notes)
    if columns_at_end:
        _check_mapping(options.mapping, records.columns, source_file)


def _articles_frame(rows: list[tuple]) -> pd.DataFrame:
    frame = pd.DataFrame.from_records(rows, columns=list(ARTICLE_COLUMNS))
    frame["published"] = pd.to_datetime(frame["published"], utc=True).astype("datetime64[ns, UTC]")
    frame["date"] = pd.to_datetime(frame["date"]).astype("datetime64[ns]")
    frame["source_record"] = frame["source_record"].astype("int64")
    text_columns = [c for c in ARTICLE_COLUMNS if c not in {"published", "date", "source_record"}]
    return frame.astype(dict.fromkeys(text_columns, "str"))


def _rejects_frame(rows: list[tuple]) -> pd.DataFrame:
    frame = pd.DataFrame.from_records(rows, columns=list(REJECT_COLUMNS))
    frame["source_record"] = frame["source_record"].astype("int64")
    return frame.astype(dict.fromkeys(["corpus", "source_file", "doc_id", "reason"], "str"))


def _problems_frame(rows: list[tuple]) -> pd.DataFrame:
    frame = pd.DataFrame.from_records(rows, columns=list(PROBLEM_COLUMNS))
    frame["source_record"] = frame["source_record"].astype("int64")
    return frame.astype({c: "str" for c in PROBLEM_COLUMNS if c != "source_record"})


def _qualify_shared_ids(articles: pd.DataFrame) -> pd.DataFrame:
    """Insert the outlet into ids that records of different outlets share:
    ``"<corpus>:<outlet>:<source id>"``.  Ids of one outlet stay as they are."""
    outlets = articles.groupby("doc_id", sort=False)["outlet"].transform("nunique")
    shared = (outlets > 1).to_numpy()
    if not shared.any():
        return articles
    articles = articles.copy()
    rows = articles.loc[shared, ["doc_id", "corpus", "outlet"]].itertuples(index=False)
    articles.loc[shared, "doc_id"] = [
        f"{corpus}:{outlet}:{doc_id.removeprefix(f'{corpus}:')}" for doc_id, corpus, outlet in rows
    ]
    return articles


def _duplicate_id_problems(articles: pd.DataFrame) -> list[_Problem]:
    """A "duplicate id" problem for every record whose doc_id an earlier record has."""
    repeated = articles["doc_id"].duplicated(keep=False).to_numpy().nonzero()[0].tolist()
    columns = ["doc_id", "corpus", "source_file", "source_record", "title", "lead", "body"]
    rows = articles[columns].iloc[repeated].itertuples(index=False)
    first: dict[str, tuple] = {}
    problems = []
    for position, row in zip(repeated, rows, strict=True):
        earlier = first.setdefault(row.doc_id, row)
        if earlier is row:
            continue
        same = "same" if row[4:] == earlier[4:] else "different"
        detail = (
            f"same doc_id as {earlier.source_file}#{earlier.source_record} ({same} text, "
            "same outlet): one source id recorded twice; deduplicate keeps one article "
            "for both (dup_reason id)"
        )
        problem = (row.corpus, row.source_file, row.source_record, "", "doc_id", row.doc_id)
        problems.append(_Problem(position, (position, 2), (*problem, "duplicate id", detail)))
    return problems


def _settled_problems(articles: pd.DataFrame, problems: list[_Problem]) -> pd.DataFrame:
    """The problems table of a plan: ``problems`` and the duplicate-id problems of
    ``articles`` (ids already qualified; only doc_id, corpus, source_file, source_record,
    title, lead, body are used) in reading order, with the articles' final ids."""
    problems = sorted(problems + _duplicate_id_problems(articles), key=lambda p: p.order)
    positions = [p.article for p in problems if p.article >= 0]
    doc_ids = iter(articles["doc_id"].iloc[positions].tolist())
    return _problems_frame(
        [(*p.row[:3], next(doc_ids) if p.article >= 0 else "", *p.row[4:]) for p in problems]
    )


def _result(rows: _Rows) -> LoadResult:
    """The LoadResult of gathered rows, with ids settled (see the _schema docstring)."""
    articles = _qualify_shared_ids(_articles_frame(rows.articles))
    return LoadResult(
        articles,
        _rejects_frame(rows.rejects),
        len(rows.articles) + len(rows.rejects),
        _settled_problems(articles, rows.problems),
    )


# ---------------------------------------------------------------- files and options


def _reader(name: str) -> Reader:
    if name not in READERS:
        raise ValueError(f"unknown reader {name!r}; known readers: {', '.join(READERS)}")
    return READERS[name]


def _file_keys(relative: list[str]) -> list[str]:
    """File part of file-record ids: a file's name, or its given relative path when
    different files share the name."""
    paths_by_name: dict[str, set[str]] = {}
    for path in relative:
        paths_by_name.setdefault(Path(path).name, set()).add(path)
    return [
        Path(path).name if len(paths_by_name[Path(path).name]) == 1 else path for path in relative
    ]


class _Plan(NamedTuple):
    """What one reading of a corpus reads: (path, source_file) pairs in order, their
    file-record id keys, the reader and its options.  Ids are settled over a whole plan
    (shared ids, duplicate ids), so a plan is the unit both the in-memory readers and the
    streaming store (``_store``) work on."""

    files: list[tuple[Path, str]]
    keys: list[str]
    reader: Reader
    options: _Options


def _read(plan: _Plan) -> LoadResult:
    rows = _Rows()
    for (path, source_file), key in zip(plan.files, plan.keys, strict=True):
        for kind, item in _file_outcomes(path, source_file, key, plan.reader, plan.options):
            rows.add(kind, item)
    return _result(rows)


_GLOB_CHARACTERS = frozenset("*?[")


def _matching_files(entry: str | os.PathLike) -> list[Path]:
    """The file ``entry`` names, or the files (sorted) its glob matches (``**`` recursive).

    Raises FileNotFoundError for a missing file or a glob matching no file and
    IsADirectoryError for a folder.
    """
    path = Path(entry).expanduser()
    if path.is_file():
        return [path]
    if path.is_dir():
        raise IsADirectoryError(f"{entry} is a folder: give its files or a glob such as {path}/*")
    if not _GLOB_CHARACTERS & set(str(path)):
        raise FileNotFoundError(f"no such file: {entry}")
    matches = sorted(
        (Path(os.path.normpath(m)) for m in glob.glob(str(path), recursive=True)),
        key=lambda p: p.as_posix(),
    )
    matches = [m for m in matches if m.is_file()]
    if not matches:
        raise FileNotFoundError(f"no file matches the glob {str(entry)!r}")
    return matches


def expand_globs(patterns: Iterable[str | os.PathLike], folder: str | os.PathLike) -> list[Path]:
    """The files that glob ``patterns`` match, relative to ``folder`` (absolute patterns and
    ``~`` as they are; ``**`` recursive; a pattern without wildcards names one file).

    Sorted by path and without repeats.  A pattern matching no file (or a missing file)
    raises FileNotFoundError naming it; a pattern naming a folder, IsADirectoryError.
    """
    folder = Path(folder)
    found: set[Path] = set()
    for pattern in patterns:
        path = Path(pattern).expanduser()
        found.update(_matching_files(path if path.is_absolute() else folder / path))
    return sorted(found, key=lambda p: p.as_posix())


def _check_options(reader_name: str, reader: Reader, options: _Options) -> None:
    """ValueError for an option the reader does not honour or a bad option value."""
    plain = _Options(options.corpus, None, None, None)
    given = {name: getattr(options, name) for name in READER_OPTIONS}
    unused = [n for n, value in given.items() if value != getattr(plain, n)]
    unused = [name for name in unused if name not in reader.options]
    if unused:
        takes = ", ".join(sorted(reader.options)) or "none of them"
        raise ValueError(
            f"reader {reader_name!r} does not take option(s) {', '.join(unused)} "
            f"(it takes: {takes})"
        )
    mapping = given["mapping"]
    if mapping is not None:
        unknown = sorted(set(mapping) - (set(ARTICLE_COLUMNS) - _DERIVED_COLUMNS))
        if unknown:
            raise ValueError(f"mapping names columns the article table cannot take: {unknown}")
        if not all(isinstance(s, str) and s for s in mapping.values()):
            raise ValueError(f"mapping source columns must be non-empty strings: {dict(mapping)}")
    if given["tz"] is not None:
        try:
            ZoneInfo(given["tz"])
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise ValueError(f"unknown time zone {given['tz']!r}") from error
    encoding = given["encoding"]
    if encoding != "auto":
        try:
            codecs.lookup(encoding)
        except (LookupError, TypeError) as error:
            raise ValueError(
                f'unknown encoding {encoding!r}: use a codec name or "auto"'
            ) from error
    date_format = given["date_format"]
    if date_format is not None and (not isinstance(date_format, str) or "%" not in date_format):
        raise ValueError(
            f"date_format must be a strptime format such as '%d/%m/%Y', got {date_format!r}"
        )
    if not isinstance(given["dayfirst"], bool):
        raise ValueError(f"dayfirst must be True or False, got {given['dayfirst']!r}")
    record_path = given["record_path"]
    if record_path is not None and (
        not isinstance(record_path, str) or not all(record_path.split("."))
    ):
        raise ValueError(
            f"record_path must be dotted keys such as 'data.items', got {record_path!r}"
        )


def read_files(
    paths: Iterable[str | Path],
    reader: str,
    *,
    corpus: str,
    outlet: str | None = None,
    mapping: Mapping[str, str] | None = None,
    tz: str | None = None,
    encoding: str = "utf-8",
    date_format: str | None = None,
    dayfirst: bool = False,
    record_path: str | None = None,
) -> LoadResult:
    """Read the given files (or globs) with the named reader (see READERS).

    Options (each only for readers that honour it, else a ValueError; see
    ``READERS[name].options``): ``mapping`` ({article column: source column}, "generic";
    without it source columns named like article columns are used; a mapped column that
    no record of a file has raises ValueError); ``tz``, the IANA zone of offset-less
    times ("generic", "html"; without it they are kept as given, labelled UTC);
    ``encoding`` ("utf-8", a Python codec name, or "auto": UTF-8, else cp1256 when the
    file reads as Arabic in it); ``date_format`` (strptime) and ``dayfirst`` (numeric
    dates) for the "generic" date column; ``record_path`` (dotted keys of the record
    list inside a JSON object).  ``outlet`` overrides what the source says.

    Each entry of ``paths`` is a file or a glob (matches sorted); a missing file or a
    glob matching nothing raises FileNotFoundError naming it.  Files are read in that
    order (a file given twice is read twice); ``source_file`` holds each path as given
    or matched.
    """
    options = _Options(corpus, outlet, mapping, tz, encoding, date_format, dayfirst, record_path)
    return _read(_files_plan(paths, reader, options))


def _files_plan(paths: Iterable[str | Path], reader: str, options: _Options) -> _Plan:
    """The plan of :func:`read_files` (options checked, globs expanded)."""
    chosen = _reader(reader)
    _check_options(reader, chosen, options)
    files = [path for entry in paths for path in _matching_files(entry)]
    absolute = [os.path.abspath(path) for path in files]
    parent = os.path.commonpath([os.path.dirname(a) for a in absolute]) if files else ""
    keys = _file_keys([Path(os.path.relpath(a, parent)).as_posix() for a in absolute])
    return _Plan([(path, str(path)) for path in files], keys, chosen, options)


def read_corpus(
    name: str,
    folder: Path,
    reader: str,
    outlet: str | None = None,
    *,
    default_outlet: str | None = None,
) -> LoadResult:
    """Read every file of a corpus folder that the named reader handles.

    Files are taken in sorted order of their path relative to ``folder``, which is what
    ``source_file`` holds.  ``outlet`` overrides what the source says;
    ``default_outlet`` is the outlet of records whose source names none.
    """
    return _read(_corpus_plan(name, folder, reader, outlet, default_outlet))


def _corpus_plan(
    name: str, folder: Path, reader: str, outlet: str | None, default_outlet: str | None
) -> _Plan:
    """The plan of :func:`read_corpus`."""
    folder = Path(folder)
    chosen = _reader(reader)
    if not folder.is_dir():
        raise FileNotFoundError(f"corpus folder {folder} does not exist")
    paths = {path for pattern in chosen.patterns for path in folder.glob(pattern) if path.is_file()}
    relative = sorted(path.relative_to(folder).as_posix() for path in paths)
    options = _Options(name, outlet, None, None, default_outlet=default_outlet)
    return _Plan([(folder / rel, rel) for rel in relative], _file_keys(relative), chosen, options)


def concat_results(results: Iterable[LoadResult]) -> LoadResult:
    """One LoadResult holding the rows and counts of several."""
    results = list(results)
    if not results:
        return LoadResult(_articles_frame([]), _rejects_frame([]), 0, _problems_frame([]))
    return LoadResult(
        pd.concat([r.articles for r in results], ignore_index=True),
        pd.concat([r.rejects for r in results], ignore_index=True),
        sum(r.n_read for r in results),
        pd.concat([r.problems for r in results], ignore_index=True),
    )


def _single_outlet(outlets: Iterable[str]) -> str | None:
    """The default outlet of a manifest corpus: its single listed outlet, else None."""
    outlets = tuple(outlets)
    return outlets[0] if len(outlets) == 1 else None


def load_corpora(
    names: Iterable[str],
    settings: Settings,
    *,
    outlets: Mapping[str, str] | None = None,
) -> LoadResult:
    """Read manifest corpora from ``settings.raw_dir`` (after ``arabmedia fetch``).

    Each corpus is read with the reader its manifest entry names; corpora whose
    reader yields no articles (e.g. ``stopwords``) are an error.  A corpus whose
    manifest entry lists exactly one outlet has that outlet for records whose source
    names none; ``outlets`` ({corpus: outlet}) overrides the outlet of a corpus (e.g.
    ``{"seed": "..."}``).  Records left without an outlet are rejected, not guessed.
    """
    return concat_results(
        _read(_manifest_plan(name, settings, (outlets or {}).get(name))) for name in names
    )


def _manifest_plan(name: str, settings: Settings, outlet: str | None) -> _Plan:
    """The plan of one manifest corpus of :func:`load_corpora` (``outlet``: its override)."""
    from arabmedia.corpus._manifest import load_manifest

    spec = load_manifest(settings.manifest).corpus(name)
    if spec.reader not in READERS:
        raise ValueError(f"corpus {name!r} (reader {spec.reader!r}) holds no articles")
    folders = {f.path.split("/", 1)[0] for f in spec.files}
    if len(folders) != 1:
        raise ValueError(f"corpus {name!r} spans several folders: {sorted(folders)}")
    folder = settings.raw_dir / folders.pop()
    return _corpus_plan(name, folder, spec.reader, outlet, _single_outlet(spec.outlets))


def write_load_result(
    articles: pd.DataFrame,
    rejects: pd.DataFrame,
    out: Path,
    problems: pd.DataFrame | None = None,
) -> list[Path]:
    """Write ``articles.parquet``, ``rejects.csv`` and (when given, see
    ``LoadResult.problems``) ``problems.csv`` into ``out`` atomically."""
    out = Path(out)
    written = [out / "articles.parquet", out / "rejects.csv"]
    with atomic_path(written[0]) as tmp:
        articles.to_parquet(tmp, index=False)
    with atomic_path(written[1]) as tmp:
        rejects.to_csv(tmp, index=False, lineterminator="\n")
    if problems is not None:
        written.append(out / "problems.csv")
        with atomic_path(written[2]) as tmp:
            problems.to_csv(tmp, index=False, lineterminator="\n")
    return written
