"""Reading files and manifest corpora into a LoadResult: read = loaded + rejected."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any
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
    if ctx.utf8_problem:
        damaged = [c for c in ARTICLE_COLUMNS if isinstance(row[c], str) and "\ufffd" in row[c]]
        if damaged:
            raise RecordError(
                f"{ctx.utf8_problem} in the file; undecodable text in field {damaged[0]}"
            )
    if not row["outlet"]:
        raise RecordError(NO_OUTLET)
    if not (row["title"] or row["lead"] or row["body"]):
        raise RecordError("empty text: title, lead and body are all empty")
    return tuple(row[column] for column in ARTICLE_COLUMNS)


def _read_one_file(
    path: Path, source_file: str, reader: Reader, options: _Options
) -> tuple[list[tuple], list[tuple]]:
    """(article rows, reject rows) of one file; bad data becomes reject rows."""
    articles, rejects = [], []
    try:
        file_records = reader.records(path, options)
        records = list(file_records.records)
    except RecordError as error:
        return [], [(options.corpus, source_file, -1, "", str(error))]
    except _DATA_ERRORS as error:
        reason = f"unreadable file: {type(error).__name__}: {error}"
        return [], [(options.corpus, source_file, -1, "", reason)]
    for number, raw in records:
        ctx = _Context(options, source_file, number, file_records.utf8_problem)
        if isinstance(raw, _Unreadable):
            rejects.append((options.corpus, source_file, number, "", raw.reason))
            continue
        doc_id = ""
        try:
            fields = reader.fields(raw, ctx)
            doc_id = fields["doc_id"]
            articles.append(_article_row(fields, ctx))
        except RecordError as error:
            rejects.append(
                (options.corpus, source_file, number, error.doc_id or doc_id, str(error))
            )
        except _DATA_ERRORS as error:
            reason = f"unreadable record: {type(error).__name__}: {error}"
            rejects.append((options.corpus, source_file, number, doc_id, reason))
    return articles, rejects


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


def _reader(name: str) -> Reader:
    if name not in READERS:
        raise ValueError(f"unknown reader {name!r}; known readers: {', '.join(READERS)}")
    return READERS[name]


def _read(pairs: Iterable[tuple[Path, str]], reader: Reader, options: _Options) -> LoadResult:
    articles, rejects = [], []
    for path, source_file in pairs:
        file_articles, file_rejects = _read_one_file(path, source_file, reader, options)
        articles += file_articles
        rejects += file_rejects
    return LoadResult(
        _articles_frame(articles), _rejects_frame(rejects), len(articles) + len(rejects)
    )


def read_files(
    paths: Iterable[str | Path],
    reader: str,
    *,
    corpus: str,
    outlet: str | None = None,
    mapping: Mapping[str, str] | None = None,
    tz: str | None = None,
) -> LoadResult:
    """Read the given files with the named reader (see READERS) into one LoadResult.

    ``mapping`` ({article column: source column}) is for the "generic" reader; without it
    source columns named like article columns are used.  ``tz`` is the IANA zone of
    offset-less times ("generic", "html"); without it they are kept as given, labelled UTC.
    ``source_file`` holds each path as given.
    """
    chosen = _reader(reader)
    if mapping is not None:
        unknown = sorted(set(mapping) - (set(ARTICLE_COLUMNS) - _DERIVED_COLUMNS))
        if unknown:
            raise ValueError(f"mapping names columns the article table cannot take: {unknown}")
    if tz is not None:
        try:
            ZoneInfo(tz)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise ValueError(f"unknown time zone {tz!r}") from error
    options = _Options(corpus, outlet, mapping, tz)
    return _read(((Path(p), str(p)) for p in paths), chosen, options)


def read_corpus(name: str, folder: Path, reader: str, outlet: str | None = None) -> LoadResult:
    """Read every file of a corpus folder that the named reader handles.

    Files are taken in sorted order of their path relative to ``folder``, which is what
    ``source_file`` holds.
    """
    folder = Path(folder)
    chosen = _reader(reader)
    if not folder.is_dir():
        raise FileNotFoundError(f"corpus folder {folder} does not exist")
    paths = {path for pattern in chosen.patterns for path in folder.glob(pattern) if path.is_file()}
    relative = sorted(path.relative_to(folder).as_posix() for path in paths)
    options = _Options(name, outlet, None, None)
    return _read(((folder / rel, rel) for rel in relative), chosen, options)


def concat_results(results: Iterable[LoadResult]) -> LoadResult:
    """One LoadResult holding the rows and counts of several."""
    results = list(results)
    if not results:
        return LoadResult(_articles_frame([]), _rejects_frame([]), 0)
    return LoadResult(
        pd.concat([r.articles for r in results], ignore_index=True),
        pd.concat([r.rejects for r in results], ignore_index=True),
        sum(r.n_read for r in results),
    )


def load_corpora(
    names: Iterable[str],
    settings: Settings,
    *,
    outlets: Mapping[str, str] | None = None,
) -> LoadResult:
    """Read manifest corpora from ``settings.raw_dir`` (after ``arabmedia fetch``).

    Each corpus is read with the reader its manifest entry names; corpora whose
    reader yields no articles (e.g. ``stopwords``) are an error.  ``outlets``
    supplies the outlet of sources that name none (e.g. ``{"seed": "..."}``):
    without it their records are rejected, not guessed.
    """
    from arabmedia.corpus._manifest import load_manifest

    manifest = load_manifest(settings.manifest)
    results = []
    for name in names:
        spec = manifest.corpus(name)
        if spec.reader not in READERS:
            raise ValueError(f"corpus {name!r} (reader {spec.reader!r}) holds no articles")
        folders = {f.path.split("/", 1)[0] for f in spec.files}
        if len(folders) != 1:
            raise ValueError(f"corpus {name!r} spans several folders: {sorted(folders)}")
        folder = settings.raw_dir / folders.pop()
        results.append(read_corpus(name, folder, spec.reader, (outlets or {}).get(name)))
    return concat_results(results)


def write_load_result(articles: pd.DataFrame, rejects: pd.DataFrame, out: Path) -> list[Path]:
    """Write ``articles.parquet`` and ``rejects.csv`` into ``out`` atomically."""
    out = Path(out)
    with atomic_path(out / "articles.parquet") as tmp:
        articles.to_parquet(tmp, index=False)
    with atomic_path(out / "rejects.csv") as tmp:
        rejects.to_csv(tmp, index=False, lineterminator="\n")
    return [out / "articles.parquet", out / "rejects.csv"]
