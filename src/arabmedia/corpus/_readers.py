"""The named readers: which files of a corpus each reads, and how a record becomes fields."""

from __future__ import annotations

import ast
import codecs
import csv
import hashlib
import io
import json
import re
import zipfile
from collections.abc import Iterable, Iterator, Mapping
from datetime import date
from pathlib import Path
from types import MappingProxyType
from typing import Any

import pandas as pd
import pyarrow.parquet as pq
from openpyxl.utils.exceptions import InvalidFileException

from arabmedia.corpus._dates import (
    UNKNOWN_WHEN,
    When,
    _day,
    _required_when,
    parse_date,
)
from arabmedia.corpus._schema import (
    _DERIVED_COLUMNS,
    _INVISIBLE_CONTROLS,
    ARTICLE_COLUMNS,
    BEIRUT,
    READER_OPTIONS,
    Reader,
    RecordError,
    _as_text,
    _Context,
    _decode,
    _FileRecords,
    _first_text,
    _is_utf8,
    _keywords,
    _one_line,
    _Options,
    _paragraphs,
    _Unreadable,
)

_UTF8_BOM = b"\xef\xbb\xbf"
# Bytes per read when checking that a file is UTF-8.
_BLOCK_BYTES = 1 << 20
# JSON-list files from this size on are parsed an element at a time (smaller ones whole:
# one pass instead of two, and what they parse into is small).
_STREAM_JSON_FROM_BYTES = 8 << 20
# Rows per chunk when a CSV file is parsed in pieces.
_CSV_CHUNK_ROWS = 2_000
# Rows per batch when a Parquet file is read in pieces.
_PARQUET_BATCH_ROWS = 2_000
# "almayadeen" reader: "posttype" class → kind.  Unlisted post types become "article".
ALMAYADEEN_KINDS = MappingProxyType(
    {
        "أخبار": "article",
        "أخبار الميادين": "article",
        "نشرة الأخبار": "article",
        "متابعات": "article",
        "منوعات": "article",
        "تغطيات": "article",
        "تقارير إخبارية": "report",
        "تقارير": "report",
        "مقالات": "opinion",
        "الكتّاب": "opinion",
        "تحليل": "analysis",
        "صحافة": "press_review",
        "فيديو": "video",
        "بودكاست": "podcast",
        "إنفوغراف": "infographic",
    }
)
# "aljazeera" reader: listing "type" → kind ("post" is the site's article page type).
ALJAZEERA_KINDS = MappingProxyType(
    {"post": "article", "liveblog": "liveblog", "video": "video", "episode": "episode"}
)
FIGNEWS_LANGUAGES = MappingProxyType(
    {"Arabic": "ar", "English": "en", "French": "fr", "Hebrew": "he", "Hindi": "hi"}
)
FIGNEWS_OUTLET = "FIGNEWS (outlet not recorded)"
_FIGNEWS_KEY = ("Batch", "Source Language", "ID", "Type")


# ---------------------------------------------------------------- file record sources


def _json_error(error: json.JSONDecodeError, decode_problem: str | None) -> str:
    reason = f"invalid JSON at line {error.lineno} column {error.colno} (char {error.pos}): "
    reason += error.msg
    return f"{reason}; file also has {decode_problem}" if decode_problem else reason


_TOO_DEEP = "JSON nested too deeply to read"
# How deep and how many list-holding keys a "set record_path" hint lists.
_HINT_DEPTH, _HINT_KEYS = 4, 12


def _list_paths(data: Mapping[str, Any], prefix: str = "", depth: int = 1) -> list[str]:
    """Dotted paths (sorted, to _HINT_DEPTH levels) of the lists inside a JSON object."""
    paths = []
    for key in sorted(data, key=str):
        value, path = data[key], f"{prefix}{key}"
        if isinstance(value, list):
            paths.append(f"{path!r} ({len(value)} items)")
        elif isinstance(value, dict) and depth < _HINT_DEPTH:
            paths += _list_paths(value, f"{path}.", depth + 1)
    return paths


def _record_list(data: Any, record_path: str | None) -> list:
    """The list of records in parsed JSON: the top level, or the value at ``record_path``."""
    if record_path:
        parts = record_path.split(".")
        for depth, key in enumerate(parts):
            if not isinstance(data, dict) or key not in data:
                where = ".".join(parts[:depth]) or "the top level"
                found = (
                    f"keys there: {', '.join(map(repr, sorted(data, key=str)))}"
                    if isinstance(data, dict)
                    else f"a {type(data).__name__} is there"
                )
                reason = f"record_path {record_path!r}: no key {key!r} at {where} ({found})"
                raise RecordError(reason)
            data = data[key]
    if isinstance(data, list):
        return data
    where = f"at record_path {record_path!r}" if record_path else "at the top level"
    reason = f"expected a JSON list of records {where}, found {type(data).__name__}"
    if isinstance(data, dict):
        lists = _list_paths(data)
        if lists:
            more = f" and {len(lists) - _HINT_KEYS} more" if len(lists) > _HINT_KEYS else ""
            reason += f"; keys holding lists: {', '.join(lists[:_HINT_KEYS])}{more}"
            reason += " (set record_path, dotted, relative to this object)"
        else:
            reason += " holding no list"
    raise RecordError(reason)


def _object_keys(records: list[tuple[int, Any]]) -> frozenset[str] | None:
    """Keys of the JSON objects among ``records``; None when there is none."""
    objects = [raw for _, raw in records if isinstance(raw, Mapping)]
    return frozenset(key for raw in objects for key in raw) if objects else None


class _NotStreamable(Exception):
    """The file is not one top-level JSON list that parses (read whole for its exact error)."""


_JSON_SPACE = re.compile(r"[ \t\n\r]*")  # the whitespace json.loads allows
_JSON_DECODER = json.JSONDecoder()


class _JsonWindow:
    """The text of a UTF-8 file from the read position on, decoded a block at a time."""

    def __init__(self, handle):
        self.handle = handle
        self.decoder = codecs.getincrementaldecoder("utf-8")()
        self.text, self.at, self.ended, self.started = "", 0, False, False

    def read_more(self) -> bool:
        """Append the next block (as large as the text still ahead, so a long value costs
        linear time); False at the end of the file."""
        if self.ended:
            return False
        block = self.handle.read(max(_BLOCK_BYTES, len(self.text) - self.at))
        self.ended = not block
        self.text = self.text[self.at :] + self.decoder.decode(block, final=self.ended)
        self.at = 0
        if not self.started and self.text:
            self.text = self.text.removeprefix("\ufeff")  # the byte-order mark _decode strips
            self.started = True
        return True

    def peek(self) -> str:
        """The next character after whitespace, which is skipped ("" at the end)."""
        while True:
            self.at = _JSON_SPACE.match(self.text, self.at).end()
            if self.at < len(self.text) or not self.read_more():
                return self.text[self.at : self.at + 1]

    def value(self) -> Any:
        """The JSON value at the read position; a value reaching the end of the text read so
        far is read again with more (a number or a literal may go on)."""
        while True:
            try:
                value, end = _JSON_DECODER.raw_decode(self.text, self.at)
            except json.JSONDecodeError as error:
                if self.read_more():
                    continue
                raise _NotStreamable from error
            if end == len(self.text) and self.read_more():
                continue
            self.at = end
            return value


def _json_list_items(path: Path) -> Iterator[Any]:
    """The elements of the top-level JSON list of a UTF-8 file, parsed one at a time;
    _NotStreamable (after the elements before the fault) for any other file, one that is
    not valid UTF-8 included."""
    with open(path, "rb") as handle:
        window = _JsonWindow(handle)
        try:
            if window.peek() != "[":
                raise _NotStreamable
            window.at += 1
            if window.peek() == "]":
                window.at += 1
            else:
                while True:
                    window.peek()
                    yield window.value()
                    after = window.peek()
                    window.at += 1
                    if after == "]":
                        break
                    if after != ",":
                        raise _NotStreamable
            if window.peek():
                raise _NotStreamable  # data after the list
        except (RecursionError, UnicodeDecodeError) as error:
            raise _NotStreamable from error


class _JsonList:
    """The records of a UTF-8 file that is one JSON list, parsed an element at a time as they
    are iterated, so memory does not grow with the file; ``columns``: the keys of its
    objects (None when it has none), found by a first pass."""

    def __init__(self, path: Path, columns: frozenset[str] | None):
        self.path, self.columns = path, columns

    def __iter__(self) -> Iterator[tuple[int, Any]]:
        return enumerate(_json_list_items(self.path))


def _json_list_columns(path: Path) -> frozenset[str] | None:
    """The keys of the objects of a file's top-level JSON list, parsing every element
    (nothing kept); None without objects; _NotStreamable for a file that is not one list."""
    keys: set[str] = set()
    objects = False
    for item in _json_list_items(path):
        if isinstance(item, Mapping):
            objects = True
            keys.update(item)
    return frozenset(keys) if objects else None


def _json_list_records(path: Path, options: _Options) -> _FileRecords:
    """A UTF-8 file of _STREAM_JSON_FROM_BYTES or more whose records are its top-level list
    (no ``record_path``) is parsed an element at a time twice: once to check it and find
    its columns (a file that does not parse is unreadable before any of its records loads,
    as when it is read whole), once as its records are iterated, so memory does not grow
    with the file.  Any other file is decoded and parsed whole."""
    utf8 = options.encoding == "auto" or _is_utf8(options.encoding)
    large = path.stat().st_size >= _STREAM_JSON_FROM_BYTES
    if large and utf8 and not options.record_path:
        try:
            columns = _json_list_columns(path)
        except _NotStreamable:
            pass  # read whole below, for the error (or record_path hint) that gives
        else:
            return _FileRecords(_JsonList(path, columns), None, columns, "utf-8", streamed=True)
    decoded = _decode(path.read_bytes(), options.encoding)
    try:
        data = json.loads(decoded.text)
    except json.JSONDecodeError as error:
        raise RecordError(_json_error(error, decoded.problem)) from error
    except RecursionError as error:
        raise RecordError(_TOO_DEEP) from error
    records = list(enumerate(_record_list(data, options.record_path)))
    return _FileRecords(records, decoded.problem, _object_keys(records), decoded.encoding)


def _json_line(number: int, line: str, problem: str | None) -> tuple[int, Any]:
    try:
        return number, json.loads(line)
    except json.JSONDecodeError as error:
        return number, _Unreadable(_json_error(error, problem))
    except RecursionError:
        return number, _Unreadable(_TOO_DEEP)


class _JsonLines:
    """The records of a valid UTF-8 JSON-lines file, read one line at a time, so memory does
    not grow with the file; ``columns`` (the keys of its objects, None when it has none) is
    complete once the records have been iterated."""

    def __init__(self, path: Path):
        self.path = path
        self.columns: frozenset[str] | None = None

    def __iter__(self) -> Iterator[tuple[int, Any]]:
        keys: set[str] = set()
        objects = False
        with open(self.path, "rb") as handle:
            for number, raw in enumerate(handle):  # lines end at b"\n", as split("\n")
                line = raw.removeprefix(_UTF8_BOM) if number == 0 else raw
                text = line.decode("utf-8").removesuffix("\n")
                if not text.strip():
                    continue
                record = _json_line(number, text, None)
                if isinstance(record[1], Mapping):
                    objects = True
                    keys.update(record[1])
                yield record
        self.columns = frozenset(keys) if objects else None


def _valid_utf8(path: Path) -> bool:
    """Whether the whole file decodes as UTF-8, read in blocks (nothing kept)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    with open(path, "rb") as handle:
        try:
            while block := handle.read(_BLOCK_BYTES):
                decoder.decode(block)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return False
    return True


def _jsonl_records(path: Path, options: _Options) -> _FileRecords:
    """A UTF-8 file (checked in one decoding pass over its blocks, nothing kept) streams its
    lines (:class:`_JsonLines`); a file of another encoding, or one that is not valid UTF-8
    (read as cp1256 or with replacement characters, see :func:`_decode`), is decoded whole."""
    if (options.encoding == "auto" or _is_utf8(options.encoding)) and _valid_utf8(path):
        return _FileRecords(_JsonLines(path), None, None, "utf-8", streamed=True)
    decoded = _decode(path.read_bytes(), options.encoding)
    records = [
        _json_line(number, line, decoded.problem)
        for number, line in enumerate(decoded.text.split("\n"))
        if line.strip()
    ]
    return _FileRecords(records, decoded.problem, _object_keys(records), decoded.encoding)


def _csv_chunks(source: Path | io.StringIO) -> Iterator[pd.DataFrame]:
    """A CSV file (a UTF-8 path, or decoded text) parsed _CSV_CHUNK_ROWS rows at a time, as
    text cells; no chunk for an empty file, RecordError for one pandas cannot parse."""
    try:
        with pd.read_csv(
            source,
            encoding="utf-8-sig",
            dtype=str,
            keep_default_na=False,
            chunksize=_CSV_CHUNK_ROWS,
        ) as chunks:
            for chunk in chunks:
                # Rows with more fields than the header make pandas take the first columns
                # for an index, dropping their values.
                if not isinstance(chunk.index, pd.RangeIndex):
                    raise RecordError(
                        "unreadable CSV: its first row has more fields than the header"
                    )
                yield chunk
    except pd.errors.ParserError as error:
        raise RecordError(f"unreadable CSV: {error}") from error
    except pd.errors.EmptyDataError:
        return


def _csv_rows(chunks: Iterable[pd.DataFrame]) -> Iterator[tuple[int, dict]]:
    yield from enumerate(row for chunk in chunks for row in chunk.to_dict("records"))


def _csv_records(path: Path, options: _Options) -> _FileRecords:
    """A valid UTF-8 file is parsed a chunk at a time twice: once to check it (a file
    pandas cannot parse is unreadable before any of its records loads, as when it is read
    whole) and once as its records are iterated, so memory does not grow with the file.  A
    file of another encoding, or one that is not valid UTF-8, is decoded whole."""
    if (options.encoding == "auto" or _is_utf8(options.encoding)) and _valid_utf8(path):
        columns = None
        for chunk in _csv_chunks(path):
            columns = frozenset(chunk.columns)
        if columns is None:  # an empty file
            return _FileRecords([], None, None, "utf-8")
        return _FileRecords(_csv_rows(_csv_chunks(path)), None, columns, "utf-8", streamed=True)
    decoded = _decode(path.read_bytes(), options.encoding)
    chunks = list(_csv_chunks(io.StringIO(decoded.text)))
    columns = frozenset(chunks[0].columns) if chunks else None
    records = list(_csv_rows(chunks))
    return _FileRecords(records, decoded.problem, columns, decoded.encoding)


def _parquet_rows(path: Path) -> Iterator[tuple[int, dict]]:
    """A row group at a time (``iter_batches`` holds ever more of a file as it goes)."""
    with pq.ParquetFile(path) as parquet:
        groups = (parquet.read_row_group(i) for i in range(parquet.num_row_groups))
        batches = (batch for group in groups for batch in group.to_batches(_PARQUET_BATCH_ROWS))
        # Whole-number columns with gaps stay whole numbers (an id 3, not "3.0"), whatever
        # the other rows of a batch hold.
        frames = (batch.to_pandas(integer_object_nulls=True) for batch in batches)
        yield from enumerate(row for frame in frames for row in frame.to_dict("records"))


def _parquet_records(path: Path, _options: _Options) -> _FileRecords:
    """Read as they are iterated, _PARQUET_BATCH_ROWS rows at a time, so memory grows with
    the largest row group, not with the file; the columns (the schema's, a stored pandas
    index not among them) are known before the first record."""
    with pq.ParquetFile(path) as parquet:
        columns = frozenset(parquet.schema_arrow.empty_table().to_pandas().columns)
    return _FileRecords(_parquet_rows(path), None, columns, streamed=True)


def _generic_records(path: Path, options: _Options) -> _FileRecords:
    by_suffix = {
        ".json": _json_list_records,
        ".jsonl": _jsonl_records,
        ".csv": _csv_records,
        ".parquet": _parquet_records,
    }
    suffix = path.suffix.lower()
    if suffix not in by_suffix:
        raise RecordError(f"unsupported file type {suffix!r}: use .json, .jsonl, .csv or .parquet")
    return by_suffix[suffix](path, options)


def _whole_text_record(path: Path, options: _Options) -> _FileRecords:
    decoded = _decode(path.read_bytes(), options.encoding)
    return _FileRecords([(0, decoded.text)], decoded.problem, None, decoded.encoding)


def _whole_bytes_record(path: Path, _options: _Options) -> _FileRecords:
    return _FileRecords([(0, path.read_bytes())], None)


def _fignews_table_records(path: Path, options: _Options) -> _FileRecords:
    if path.suffix.lower() == ".xlsx":
        try:
            table = pd.read_excel(path, dtype=str).fillna("")
        except (zipfile.BadZipFile, InvalidFileException) as error:
            raise RecordError(f"unreadable Excel file: {error}") from error
        problem, encoding = None, None
    else:
        decoded = _decode(path.read_bytes(), options.encoding)
        problem, encoding = decoded.problem, decoded.encoding
        table = pd.read_csv(
            io.StringIO(decoded.text),
            sep="\t",
            quoting=csv.QUOTE_NONE,
            dtype=str,
            keep_default_na=False,
        )
    missing = [c for c in (*_FIGNEWS_KEY, "Text", "Arabic MT") if c not in table.columns]
    if missing:
        raise RecordError(f"missing columns {missing} in FIGNEWS text table")
    records = list(enumerate(table.to_dict("records")))
    return _FileRecords(records, problem, frozenset(table.columns), encoding)


# ---------------------------------------------------------------- per-source fields


def _require_object(raw: Any) -> Mapping[str, Any]:
    if not isinstance(raw, Mapping):
        raise RecordError(f"record is a {type(raw).__name__}, expected an object")
    return raw


def _almayadeen_classes(value: Any, doc_id: str) -> dict[str, str]:
    """The ``classes`` list (or its Python-repr string) as {mapping: value}."""
    if isinstance(value, str):
        try:
            value = ast.literal_eval(value) if value.strip() else []
        except (ValueError, SyntaxError, MemoryError, RecursionError) as error:
            raise RecordError("unreadable classes field", doc_id) from error
    if value is None:
        return {}
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise RecordError("classes field is not a list of objects", doc_id)
    found: dict[str, str] = {}
    for item in value:
        found.setdefault(str(item.get("mapping", "")), _as_text(item.get("value"), "classes"))
    return found


def _cut_page_furniture(body: str, keywords: str) -> str:
    """Drop everything from the first line that is one of the article's keywords.

    Some scrapes append the page's tag list, related links and footer to the body; the
    tag list starts with a line equal to a keyword.  No line of the main monthly files
    equals a keyword, so this only trims appended page furniture.
    """
    tags = set(keywords.split("; ")) - {""}
    kept = []
    for line in _INVISIBLE_CONTROLS.sub("", body).splitlines():
        if " ".join(line.split()) in tags:
            break
        kept.append(line)
    return "\n".join(kept)


def _almayadeen_fields(raw: Any, ctx: _Context) -> dict[str, Any]:
    """The "almayadeen" format: monthly files and the supplement scrapes (no outlet field:
    the outlet comes from ``outlet=`` or the manifest's single listed outlet).

    ``published_time`` carries +02:00/+03:00; the supplement's offset-less times (e.g.
    ``2023-12-30T21:59:00.0000000``) are UTC (checked: the 195 of them also in the main
    files differ from the main offset-aware times by under a second), so they are read as
    UTC and dated in Beirut local time.  When ``full_text`` is itself a JSON object (one
    supplement file), it holds metadata only: its fields fill gaps, the body stays "".
    """
    record = dict(_require_object(raw))
    _, post_id = _first_text(record, ("postId", "postid", "post_id"))
    if not post_id.strip():
        raise RecordError("missing required field postId")
    doc_id = f"{ctx.options.corpus}:{post_id.strip()}"
    full_text = record.get("full_text")
    body = _as_text(full_text, "full_text")
    if body.lstrip().startswith("{"):
        try:
            nested = json.loads(body)
        except (json.JSONDecodeError, RecursionError):
            nested = None
        if isinstance(nested, dict):
            record = {**nested, **{k: v for k, v in record.items() if v not in (None, "")}}
            body = _as_text(nested.get("full_text"), "full_text")
    try:
        when = _required_when(
            record, ("published_time", "publication_date"), naive_tz="UTC", local_tz=BEIRUT
        )
        classes = _almayadeen_classes(record.get("classes"), doc_id)
        keywords = _keywords(record.get("keywords"))
        return {
            "doc_id": doc_id,
            **when._asdict(),
            "title": _as_text(record.get("title"), "title"),
            "lead": _as_text(record.get("description"), "description"),
            "body": _cut_page_furniture(body, keywords),
            "url": _as_text(record.get("url"), "url"),
            "section": classes.get("category", ""),
            "byline": _as_text(record.get("author"), "author"),
            "kind": ALMAYADEEN_KINDS.get(classes.get("posttype", "").strip(), "article"),
            "lang": _as_text(record.get("lang"), "lang") or "ar",
            "keywords": keywords,
        }
    except RecordError as error:
        raise RecordError(str(error), doc_id) from error


def _aljazeera_fields(raw: Any, ctx: _Context) -> dict[str, Any]:
    """The "aljazeera" listing format: headline + excerpt (no body), day-precision dates.

    The file ``id`` repeats across files, so the id is a hash of the link.  No outlet
    field: the outlet comes from ``outlet=`` or the manifest's single listed outlet.
    """
    record = _require_object(raw)
    link = _as_text(record.get("link"), "link").strip()
    if not link:
        raise RecordError("missing required field link")
    doc_id = f"{ctx.options.corpus}:{hashlib.sha1(link.encode('utf-8')).hexdigest()[:16]}"
    try:
        kind = _as_text(record.get("type"), "type").strip().lower()
        return {
            "doc_id": doc_id,
            **_required_when(record, ("date",))._asdict(),
            "title": _as_text(record.get("title"), "title"),
            "lead": _as_text(record.get("excerpt"), "excerpt"),
            "url": link,
            "kind": ALJAZEERA_KINDS.get(kind, kind or "article"),
            "lang": "ar",
        }
    except RecordError as error:
        raise RecordError(str(error), doc_id) from error


def _fignews_doc_id(corpus: str, row: Mapping[str, Any]) -> str:
    language = FIGNEWS_LANGUAGES.get(str(row["Source Language"]), str(row["Source Language"]))
    return f"{corpus}:{row['Batch']}-{language}-{row['ID']}-{row['Type']}"


def _fignews_fields(raw: Any, ctx: _Context) -> dict[str, Any]:
    """FIGNEWS posts: the Arabic original, or the Arabic MT of a post in another language."""
    row = _require_object(raw)
    doc_id = _fignews_doc_id(ctx.options.corpus, row)
    language = _as_text(row.get("Source Language"), "Source Language")
    if language not in FIGNEWS_LANGUAGES:
        raise RecordError(f"unknown source language {language!r}", doc_id)
    code = FIGNEWS_LANGUAGES[language]
    text_column = "Text" if code == "ar" else "Arabic MT"
    return {
        "doc_id": doc_id,
        "outlet": FIGNEWS_OUTLET,
        "body": _as_text(row.get(text_column), text_column),
        "kind": "post",
        "lang": "ar",
        "translated_from": "" if code == "ar" else code,
    }


def _optional_when(ctx: _Context, field: str, value: str, **options: Any) -> When:
    """The date in an optional date field, parsed by :func:`parse_date` with ``options``.

    An empty value gives an undated row; an unparseable one an undated row plus an
    "unparseable date" problem naming the field, the value and what was tried.
    """
    if not value.strip():
        return UNKNOWN_WHEN
    try:
        return parse_date(value, **options)
    except (ValueError, OverflowError) as error:
        ctx.note(field, value, "unparseable date", f"kept with no date: {error}")
        return UNKNOWN_WHEN


def _armpro_fields(raw: Any, ctx: _Context) -> dict[str, Any]:
    """ArMPro paragraphs; page dates come in many layouts, an unreadable one gives an
    undated row and a problem row."""
    record = _require_object(raw)
    paragraph_id = _as_text(record.get("paragraph_id"), "paragraph_id").strip()
    if not paragraph_id:
        raise RecordError("missing required field paragraph_id")
    doc_id = f"{ctx.options.corpus}:{paragraph_id}"
    try:
        page_date = _as_text(record.get("page_date"), "page_date")
        return {
            "doc_id": doc_id,
            "outlet": _as_text(record.get("page_domain"), "page_domain"),
            **_optional_when(ctx, "page_date", page_date)._asdict(),
            "title": _as_text(record.get("page_title"), "page_title"),
            "body": _as_text(record.get("paragraph"), "paragraph"),
            "url": _as_text(record.get("page_url"), "page_url"),
            "kind": "paragraph",
            "lang": "ar",
        }
    except RecordError as error:
        raise RecordError(str(error), doc_id) from error


_SEED_DATE = re.compile(r"في\s+(\d{4})/(\d{1,2})/(\d{1,2})")


def _seed_text_fields(raw: Any, ctx: _Context) -> dict[str, Any]:
    """Plain-text article: section, title, "في YYYY/MM/DD", optional "byline-", paragraphs.

    Blocks are separated by blank lines; the byline block is recognised by its final "-".
    """
    blocks = [_one_line(block) for block in re.split(r"\n\s*\n", raw.replace("\r\n", "\n"))]
    blocks = [block for block in blocks if block]
    doc_id = ctx.file_record_id
    if len(blocks) < 3:
        raise RecordError(
            f"expected section, title and date lines before the body, found {len(blocks)} blocks",
            doc_id,
        )
    section, title, date_line, *rest = blocks
    match = _SEED_DATE.fullmatch(date_line)
    try:
        day = date(*map(int, match.groups())) if match else None
    except ValueError:
        day = None
    if day is None:
        raise RecordError(f"unparseable date {date_line!r} in the date line", doc_id)
    byline = ""
    if rest and rest[0].endswith("-"):
        byline = rest.pop(0).removesuffix("-").strip()
    return {
        "doc_id": doc_id,
        **_day(day)._asdict(),
        "title": title,
        "body": "\n".join(rest),
        "section": section,
        "byline": byline,
        "kind": "article",
        "lang": "ar",
    }


def _html_fields(raw: Any, ctx: _Context) -> dict[str, Any]:
    """An article page, extracted with trafilatura (text + title/date/author/site/url).

    The body's first paragraph is dropped when it repeats the title (the page heading).
    The outlet is the page's site name; trafilatura's fallback to the host name is not
    taken as one (the record is rejected unless ``outlet=...`` is given).  Dates are day
    precision (trafilatura reports the day only); an unparseable one gives an undated row
    and a problem row.
    """
    import trafilatura

    doc_id = ctx.file_record_id
    document = trafilatura.bare_extraction(raw, with_metadata=True, include_comments=False)
    if document is None:
        raise RecordError("no article text found in the HTML page", doc_id)
    meta = document.as_dict()
    title = _one_line(meta.get("title") or "")
    paragraphs = _paragraphs(meta.get("text") or "").split("\n\n")
    if paragraphs and paragraphs[0] == title:
        paragraphs = paragraphs[1:]
    sitename = meta.get("sitename") or ""
    hostname = (meta.get("hostname") or "").removeprefix("www.")
    when = _optional_when(ctx, "date", meta.get("date") or "", naive_tz=ctx.options.tz)
    return {
        "doc_id": doc_id,
        "outlet": "" if sitename.removeprefix("www.") == hostname else sitename,
        **when._asdict(),
        "title": title,
        "lead": meta.get("description") or "",
        "body": "\n".join(paragraphs),
        "url": meta.get("url") or "",
        "byline": meta.get("author") or "",
        "kind": "article",
        "lang": meta.get("language") or "",
        "keywords": _keywords(meta.get("tags") or []),
    }


def _generic_fields(raw: Any, ctx: _Context) -> dict[str, Any]:
    """A record of a researcher's file, through the column mapping.

    ``published`` is parsed by :func:`parse_date` with the ``date_format``, ``dayfirst``
    and ``tz`` options (offset-less values in ``tz`` when given); an empty one gives an
    undated row, an unparseable one an undated row plus an "unparseable date" problem.
    """
    record = _require_object(raw)
    readable = set(ARTICLE_COLUMNS) - _DERIVED_COLUMNS
    mapping = ctx.options.mapping or {c: c for c in ARTICLE_COLUMNS if c in readable & set(record)}
    values = {column: record.get(source) for column, source in mapping.items()}
    doc_id = ctx.file_record_id
    if "doc_id" in mapping:
        source_id = _as_text(values["doc_id"], mapping["doc_id"]).strip()
        if not source_id:
            raise RecordError(f"missing required field {mapping['doc_id']}")
        doc_id = f"{ctx.options.corpus}:{source_id}"
    try:
        fields = {
            column: _as_text(value, mapping[column])
            for column, value in values.items()
            if column not in {"doc_id", "published", "keywords"}
        }
        when = UNKNOWN_WHEN
        if "published" in mapping:
            source = mapping["published"]
            options = ctx.options
            when = _optional_when(
                ctx,
                source,
                _as_text(values["published"], source),
                date_format=options.date_format,
                dayfirst=options.dayfirst,
                naive_tz=options.tz,
            )
        fields["keywords"] = _keywords(values.get("keywords"))
        return {
            **fields,
            **when._asdict(),
            "doc_id": doc_id,
            "kind": fields.get("kind") or "article",
        }
    except RecordError as error:
        raise RecordError(str(error), doc_id) from error


_TEXT_FILE = frozenset({"encoding"})
_JSON_FILE = frozenset({"encoding", "record_path"})
READERS: Mapping[str, Reader] = MappingProxyType(
    {
        "almayadeen": Reader(
            ("articles_*.json", "supplement/*.json"),
            _json_list_records,
            _almayadeen_fields,
            _JSON_FILE,
        ),
        "aljazeera": Reader(("*.json",), _json_list_records, _aljazeera_fields, _JSON_FILE),
        "fignews2024": Reader(
            ("camel/FIGNEWS-2024-TEXT-*.tsv", "zhaw/annotated_propanda.xlsx"),
            _fignews_table_records,
            _fignews_fields,
            _TEXT_FILE,
        ),
        "armpro": Reader(("V2/span/*.jsonl",), _jsonl_records, _armpro_fields, _TEXT_FILE),
        "seed_text": Reader(("*.txt",), _whole_text_record, _seed_text_fields, _TEXT_FILE),
        "html": Reader(("*.html", "*.htm"), _whole_bytes_record, _html_fields, frozenset({"tz"})),
        "generic": Reader(
            ("*.json", "*.jsonl", "*.csv", "*.parquet"),
            _generic_records,
            _generic_fields,
            frozenset(READER_OPTIONS),
        ),
    }
)
