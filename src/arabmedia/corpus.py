"""Read raw corpus files into one article table plus a table of rejected records.

Every record read ends up in exactly one of the two tables (read = loaded + rejected):
bad data never raises and is never dropped silently.  Duplicates are kept; collapsing
them is the dedup step's job, so ``doc_id`` is unique only after dedup.

Article table columns, in this order:

- ``doc_id`` (str): ``"<corpus>:<source id>"``, e.g. ``"almayadeen:1768987"``; sources
  without ids get ``"<corpus>:<file name>#<record>"``.
- ``corpus`` (str): manifest name of the corpus.
- ``outlet`` (str): the news outlet.
- ``published`` (datetime64[ns, UTC]): exact instant when the source gives a time and an
  offset (truncated to whole seconds); for day-precision or offset-less sources the local
  date/time as given, labelled UTC.  NaT when unknown.
- ``date`` (datetime64[ns], naive): publication calendar date in the source's own local
  time; what analyses group by.  NaT when unknown.
- ``date_precision`` (str): ``"second"``, ``"day"`` or ``"none"``.
- ``utc_offset`` (str): e.g. ``"+03:00"``; ``""`` when the source gives none.
- ``title``, ``lead``, ``body`` (str): ``""`` when absent; body paragraphs joined with
  ``"\\n\\n"``.
- ``url``, ``section``, ``byline`` (str).
- ``kind`` (str): article | report | opinion | analysis | press_review | video | podcast |
  infographic | liveblog | episode | post | paragraph.
- ``lang`` (str): ISO 639-1 code of the text, ``""`` when the source does not say.
- ``translated_from`` (str): source language code when the text is a machine
  translation, else ``""``.
- ``keywords`` (str): ``"; "``-joined, duplicates removed, first-seen order.
- ``source_file`` (str): path relative to the corpus folder (or as given to ``read_files``).
- ``source_record`` (int): 0-based record number in the file (JSONL: line number; one-record
  files such as plain text and HTML: 0).

Rejects table columns: ``corpus``, ``source_file``, ``source_record`` (-1 when the whole
file is unreadable), ``doc_id`` (``""`` if unknown), ``reason`` (a sentence).

Repairs applied to every text field (documented so results stay interpretable):

- a leading byte-order mark is stripped from files; U+FEFF, the Arabic letter mark U+061C
  and the bidi controls U+200E, U+200F, U+202A-U+202E, U+2066-U+2069 are removed;
- single-line fields (all but ``body``) have whitespace runs collapsed to one space;
- ``body`` is split into lines, each stripped; non-empty lines are the paragraphs;
- a file that is not valid UTF-8 is decoded with replacement characters; its records
  that contain a replaced character are rejected (reason names the first bad byte), the
  others are loaded.

Rejected: records that are not objects, lack their id, have title, lead and body all
empty ("empty text"), have an unparseable required date, or have no outlet.  A missing
outlet is reported per record, never guessed: readers whose source names no outlet
(``seed_text``, ``html`` without a site name, ``generic`` without an outlet column)
reject each record with "no outlet given: pass outlet=...".  ``outlet=...``, when given,
overrides what the source says.
"""

from __future__ import annotations

import ast
import csv
import hashlib
import io
import json
import numbers
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from types import MappingProxyType
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pandas as pd
import pyarrow

from arabmedia.config import Settings
from arabmedia.io import atomic_path

ARTICLE_COLUMNS = (
    "doc_id",
    "corpus",
    "outlet",
    "published",
    "date",
    "date_precision",
    "utc_offset",
    "title",
    "lead",
    "body",
    "url",
    "section",
    "byline",
    "kind",
    "lang",
    "translated_from",
    "keywords",
    "source_file",
    "source_record",
)
REJECT_COLUMNS = ("corpus", "source_file", "source_record", "doc_id", "reason")

_TEXT_COLUMNS = tuple(
    c for c in ARTICLE_COLUMNS if c not in {"published", "date", "source_record", "body"}
)
_DERIVED_COLUMNS = frozenset(
    {"corpus", "date", "date_precision", "utc_offset", "source_file", "source_record"}
)
_INVISIBLE_CONTROLS = re.compile("[\ufeff\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
NO_OUTLET = "no outlet given: pass outlet=..."
BEIRUT = "Asia/Beirut"

# Al Mayadeen "posttype" class → kind.  Unlisted post types become "article".
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
# Al Jazeera listing "type" → kind ("post" is the site's article page type).
ALJAZEERA_KINDS = MappingProxyType(
    {"post": "article", "liveblog": "liveblog", "video": "video", "episode": "episode"}
)
FIGNEWS_LANGUAGES = MappingProxyType(
    {"Arabic": "ar", "English": "en", "French": "fr", "Hebrew": "he", "Hindi": "hi"}
)
FIGNEWS_OUTLET = "FIGNEWS (outlet not recorded)"
_FIGNEWS_KEY = ("Batch", "Source Language", "ID", "Type")

# Errors that bad data can provoke anywhere in parsing; turned into reject rows.
_DATA_ERRORS = (
    ValueError,
    TypeError,
    KeyError,
    IndexError,
    AttributeError,
    OverflowError,
    RecursionError,
    SyntaxError,
    OSError,
    pyarrow.ArrowException,
)


class RecordError(ValueError):
    """Bad data in one record (or one whole file); the message is the reject reason."""

    def __init__(self, reason: str, doc_id: str = ""):
        super().__init__(reason)
        self.doc_id = doc_id


@dataclass(frozen=True)
class LoadResult:
    """Articles loaded from some files, the rejected records, and how many were read."""

    articles: pd.DataFrame
    rejects: pd.DataFrame
    n_read: int

    @property
    def summary(self) -> str:
        """``"read N, loaded L, rejected R"`` (L counts duplicates: dedup comes later)."""
        return f"read {self.n_read}, loaded {len(self.articles)}, rejected {len(self.rejects)}"


@dataclass(frozen=True)
class _Options:
    corpus: str
    outlet: str | None
    mapping: Mapping[str, str] | None
    tz: str | None


@dataclass(frozen=True)
class _Context:
    """Where a record comes from, for ids and reject rows."""

    options: _Options
    source_file: str
    record: int
    utf8_problem: str | None

    @property
    def file_record_id(self) -> str:
        return f"{self.options.corpus}:{Path(self.source_file).name}#{self.record}"


class _Unreadable(NamedTuple):
    """Placeholder for a record that could not even be parsed (e.g. a bad JSONL line)."""

    reason: str


class _FileRecords(NamedTuple):
    records: Iterable[tuple[int, Any]]
    utf8_problem: str | None


@dataclass(frozen=True)
class Reader:
    """A named reader: which files of a corpus folder it reads and how."""

    patterns: tuple[str, ...]
    records: Callable[[Path, _Options], _FileRecords]
    fields: Callable[[Any, _Context], dict[str, Any]]


class When(NamedTuple):
    """A parsed publication time, in the article table's four date columns."""

    published: pd.Timestamp
    date: pd.Timestamp
    date_precision: str
    utc_offset: str


UNKNOWN_WHEN = When(pd.NaT, pd.NaT, "none", "")


# ---------------------------------------------------------------- text helpers


def _decode(data: bytes) -> tuple[str, str | None]:
    """UTF-8 text without a BOM, plus a description of the first invalid byte if any."""
    data = data.removeprefix(b"\xef\xbb\xbf")
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as error:
        return data.decode("utf-8", "replace"), f"invalid UTF-8 at byte {error.start}"


def _as_text(value: Any, field: str) -> str:
    """A scalar source value as text ("" for missing); lists and objects are bad data."""
    if value is None or value is pd.NaT:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, numbers.Number):
        return "" if value != value else str(value)
    if isinstance(value, date):
        return value.isoformat()
    raise RecordError(f"field {field} holds a {type(value).__name__}, expected text")


def _one_line(text: str) -> str:
    return " ".join(_INVISIBLE_CONTROLS.sub("", text).split())


def _paragraphs(text: str) -> str:
    lines = (line.strip() for line in _INVISIBLE_CONTROLS.sub("", text).splitlines())
    return "\n\n".join(line for line in lines if line)


def _keywords(value: Any) -> str:
    """Keywords from a comma string or a list, "; "-joined without repeats."""
    if pd.api.types.is_list_like(value) and not isinstance(value, dict):
        items = [_as_text(item, "keywords") for item in value]
    else:
        items = _as_text(value, "keywords").split(",")
    cleaned = (_one_line(item) for item in items)
    return "; ".join(dict.fromkeys(item for item in cleaned if item))


def _first_text(record: Mapping[str, Any], names: Sequence[str]) -> tuple[str, str]:
    """The first of ``names`` present in ``record``, as (field name, text)."""
    for name in names:
        if name in record and record[name] not in (None, ""):
            return name, _as_text(record[name], name)
    return names[0], ""


# ---------------------------------------------------------------- dates

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_ISO_DATETIME = re.compile(
    r"(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)\s*(Z|[+-]\d{2}:?\d{2})?"
)


def _format_offset(offset: timedelta) -> str:
    minutes = int(offset.total_seconds()) // 60
    sign = "-" if minutes < 0 else "+"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def _day(day: date) -> When:
    return When(pd.Timestamp(day).tz_localize("UTC"), pd.Timestamp(day), "day", "")


def parse_timestamp(
    value: str, *, naive_tz: str | None = None, local_tz: str | None = None
) -> When:
    """Parse an ISO 8601 date or date-time into the table's date columns.

    With an offset: the exact instant, the local date and offset as given.  Without one:
    interpreted in ``naive_tz`` (and reported in ``local_tz``, default ``naive_tz``) when
    given, else the local time as given labelled UTC with offset "".  Date only: day
    precision.  Raises ValueError for anything else.
    """
    text = value.strip()
    if _ISO_DATE.fullmatch(text):
        return _day(date.fromisoformat(text))
    match = _ISO_DATETIME.fullmatch(text)
    if not match:
        raise ValueError(f"not an ISO date: {value!r}")
    day, clock, offset = match.groups()
    fraction = clock.find(".")
    clock = clock[:fraction] if fraction >= 0 else clock
    moment = datetime.fromisoformat(f"{day}T{clock}{offset or ''}")
    if moment.tzinfo is None:
        if naive_tz is None:
            return When(
                pd.Timestamp(moment).tz_localize("UTC"), pd.Timestamp(moment.date()), "second", ""
            )
        moment = moment.replace(tzinfo=ZoneInfo(naive_tz))
        moment = moment.astimezone(ZoneInfo(local_tz or naive_tz))
    return When(
        pd.Timestamp(moment).tz_convert("UTC"),
        pd.Timestamp(moment.date()),
        "second",
        _format_offset(moment.utcoffset()),
    )


_MONTH_NAMES = {
    1: "يناير كانون الثاني جانفي january jan",
    2: "فبراير شباط فيفري february feb",
    3: "مارس اذار march mar",
    4: "ابريل نيسان افريل april apr",
    5: "مايو ايار ماي may",
    6: "يونيو يونيه حزيران جوان june jun",
    7: "يوليو يوليه تموز جويلية july jul",
    8: "اغسطس اب اوت غشت august aug",
    9: "سبتمبر ايلول september sep sept",
    10: "اكتوبر تشرين الاول october oct",
    11: "نوفمبر تشرين الثاني november nov",
    12: "ديسمبر كانون الاول december dec",
}
_TWO_WORD_MONTHS = {"كانون الثاني": 1, "تشرين الاول": 10, "تشرين الثاني": 11, "كانون الاول": 12}
_ONE_WORD_MONTHS = {
    word: number
    for number, names in _MONTH_NAMES.items()
    for word in names.split()
    if word not in {"كانون", "تشرين", "الثاني", "الاول"}
}
_ARABIC_FOLD = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹أإآ", "01234567890123456789ااا", "ـ")
_CLOCK = re.compile(r"\d{1,2}:\d{2}(?::\d{2})?")
_TOKEN = re.compile(r"[^\W\d_]+|\d+")


def parse_arabic_date(text: str) -> date | None:
    """The calendar date in a written-out date such as ``"12 مايو/ أيار 2020"``.

    Knows Egyptian/Gulf, Levantine and Maghrebi Arabic month names and English ones;
    clock times are ignored.  None when the month names disagree or day, month or year
    is missing or ambiguous.
    """
    tokens = _TOKEN.findall(_CLOCK.sub(" ", text.translate(_ARABIC_FOLD).lower()))
    months, numbers = set(), []
    for index, token in enumerate(tokens):
        pair = " ".join(tokens[index : index + 2])
        if pair in _TWO_WORD_MONTHS:
            months.add(_TWO_WORD_MONTHS[pair])
        elif token in _ONE_WORD_MONTHS and not (
            token in {"الثاني", "الاول"} and index and tokens[index - 1] in {"كانون", "تشرين"}
        ):
            months.add(_ONE_WORD_MONTHS[token])
        elif token.isdigit():
            numbers.append(token)
    years = {int(n) for n in numbers if len(n) == 4}
    days = {int(n) for n in numbers if len(n) <= 2}
    if len(months) != 1 or len(years) != 1 or len(days) != 1:
        return None
    try:
        return date(years.pop(), months.pop(), days.pop())
    except ValueError:
        return None


def _required_when(record: Mapping[str, Any], names: Sequence[str], **zones: str | None) -> When:
    field, value = _first_text(record, names)
    if not value.strip():
        raise RecordError(f"missing required field {field}")
    try:
        return parse_timestamp(value, **zones)
    except (ValueError, OverflowError) as error:
        raise RecordError(f"unparseable date {value!r} in field {field}") from error


# ---------------------------------------------------------------- file record sources


def _json_error(error: json.JSONDecodeError, utf8_problem: str | None) -> str:
    reason = f"invalid JSON at line {error.lineno} column {error.colno} (char {error.pos}): "
    reason += error.msg
    return f"{reason}; file also has {utf8_problem}" if utf8_problem else reason


def _json_list_records(path: Path, _options: _Options) -> _FileRecords:
    text, problem = _decode(path.read_bytes())
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise RecordError(_json_error(error, problem)) from error
    if not isinstance(data, list):
        raise RecordError(f"expected a JSON list of records, found {type(data).__name__}")
    return _FileRecords(enumerate(data), problem)


def _jsonl_records(path: Path, _options: _Options) -> _FileRecords:
    text, problem = _decode(path.read_bytes())
    records = []
    for number, line in enumerate(text.split("\n")):
        if not line.strip():
            continue
        try:
            records.append((number, json.loads(line)))
        except json.JSONDecodeError as error:
            records.append((number, _Unreadable(_json_error(error, problem))))
    return _FileRecords(records, problem)


def _csv_records(path: Path, _options: _Options) -> _FileRecords:
    text, problem = _decode(path.read_bytes())
    try:
        table = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    except pd.errors.ParserError as error:
        raise RecordError(f"unreadable CSV: {error}") from error
    except pd.errors.EmptyDataError:
        return _FileRecords([], problem)
    return _FileRecords(enumerate(table.to_dict("records")), problem)


def _parquet_records(path: Path, _options: _Options) -> _FileRecords:
    table = pd.read_parquet(path)
    return _FileRecords(enumerate(table.to_dict("records")), None)


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


def _whole_text_record(path: Path, _options: _Options) -> _FileRecords:
    text, problem = _decode(path.read_bytes())
    return _FileRecords([(0, text)], problem)


def _whole_bytes_record(path: Path, _options: _Options) -> _FileRecords:
    return _FileRecords([(0, path.read_bytes())], None)


def _fignews_table_records(path: Path, _options: _Options) -> _FileRecords:
    if path.suffix.lower() == ".xlsx":
        table = pd.read_excel(path, dtype=str).fillna("")
        problem = None
    else:
        text, problem = _decode(path.read_bytes())
        table = pd.read_csv(
            io.StringIO(text),
            sep="\t",
            quoting=csv.QUOTE_NONE,
            dtype=str,
            keep_default_na=False,
        )
    missing = [c for c in (*_FIGNEWS_KEY, "Text", "Arabic MT") if c not in table.columns]
    if missing:
        raise RecordError(f"missing columns {missing} in FIGNEWS text table")
    return _FileRecords(enumerate(table.to_dict("records")), problem)


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
    """Al Mayadeen monthly files and the supplement scrapes.

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
        except json.JSONDecodeError:
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
            "outlet": "Al Mayadeen",
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
    """Al Jazeera listing rows: headline + excerpt (no body), day-precision dates.

    The file ``id`` repeats across files, so the id is a hash of the link.
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
            "outlet": "Al Jazeera",
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


def _armpro_when(value: str) -> When:
    """ArMPro page dates come in many layouts; unreadable ones give an undated row."""
    try:
        return parse_timestamp(value)
    except (ValueError, OverflowError):
        day = parse_arabic_date(value)
        return _day(day) if day else UNKNOWN_WHEN


def _armpro_fields(raw: Any, ctx: _Context) -> dict[str, Any]:
    """ArMPro paragraphs; a paragraph without a readable date is kept with date NaT."""
    record = _require_object(raw)
    paragraph_id = _as_text(record.get("paragraph_id"), "paragraph_id").strip()
    if not paragraph_id:
        raise RecordError("missing required field paragraph_id")
    doc_id = f"{ctx.options.corpus}:{paragraph_id}"
    try:
        return {
            "doc_id": doc_id,
            "outlet": _as_text(record.get("page_domain"), "page_domain"),
            **_armpro_when(_as_text(record.get("page_date"), "page_date"))._asdict(),
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
    precision (trafilatura reports the day only).
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
    when = UNKNOWN_WHEN
    if meta.get("date"):
        try:
            when = parse_timestamp(meta["date"], naive_tz=ctx.options.tz)
        except (ValueError, OverflowError) as error:
            raise RecordError(f"unparseable date {meta['date']!r} in page metadata") from error
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

    ``published`` is parsed as ISO 8601 (offset-less values in ``tz`` when given); an
    empty one gives an undated row, an unparseable one a reject.
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
        if "published" in mapping and _as_text(values["published"], mapping["published"]):
            zones = {"naive_tz": ctx.options.tz}
            when = _required_when(record, (mapping["published"],), **zones)
        fields["keywords"] = _keywords(values.get("keywords"))
        return {
            **fields,
            **when._asdict(),
            "doc_id": doc_id,
            "kind": fields.get("kind") or "article",
        }
    except RecordError as error:
        raise RecordError(str(error), doc_id) from error


READERS: Mapping[str, Reader] = MappingProxyType(
    {
        "almayadeen": Reader(
            ("articles_*.json", "supplement/*.json"), _json_list_records, _almayadeen_fields
        ),
        "aljazeera": Reader(("*.json",), _json_list_records, _aljazeera_fields),
        "fignews2024": Reader(
            ("camel/FIGNEWS-2024-TEXT-*.tsv", "zhaw/annotated_propanda.xlsx"),
            _fignews_table_records,
            _fignews_fields,
        ),
        "armpro": Reader(("V2/span/*.jsonl",), _jsonl_records, _armpro_fields),
        "seed_text": Reader(("*.txt",), _whole_text_record, _seed_text_fields),
        "html": Reader(("*.html", "*.htm"), _whole_bytes_record, _html_fields),
        "generic": Reader(
            ("*.json", "*.jsonl", "*.csv", "*.parquet"), _generic_records, _generic_fields
        ),
    }
)


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
    from arabmedia.manifest import load_manifest

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


ARTICLE_CACHE_FORMAT = "articles-v1"


def _article_cache_key(names: Sequence[str], settings: Settings, near: bool) -> str:
    """sha256 over the corpus names, their files (manifest sha256, size, mtime), the
    outlets mapping, ``near`` and the source of the reading and dedup code."""
    from arabmedia import dedup
    from arabmedia.manifest import load_manifest

    manifest = load_manifest(settings.manifest)
    digest = hashlib.sha256(ARTICLE_CACHE_FORMAT.encode())
    digest.update(repr((list(names), sorted(settings.outlets.items()), near)).encode())
    for name in names:
        for entry in manifest.corpus(name).files:
            stat = entry.local_path(settings.raw_dir).stat()
            digest.update(f"{entry.path}|{entry.sha256}|{stat.st_size}|{stat.st_mtime_ns}".encode())
    for module_file in (__file__, dedup.__file__):
        digest.update(Path(module_file).read_bytes())
    return digest.hexdigest()


def load_articles(names: Iterable[str], settings: Settings, *, near: bool = False) -> pd.DataFrame:
    """The deduplicated article table of manifest corpora, cached in ``settings.cache_dir``.

    :func:`load_corpora` (with ``settings.outlets``) followed by
    :func:`arabmedia.dedup.deduplicate`; index 0..n-1 in the dedup step's stable order.
    Columns: :data:`ARTICLE_COLUMNS` plus the dedup columns.  The Parquet cache is keyed
    by the raw files, the settings that matter and this code, so it is never stale;
    rejected records are not kept here (use :func:`load_corpora` to see them).
    """
    from arabmedia.dedup import deduplicate

    names = list(names)
    key = _article_cache_key(names, settings, near)
    path = Path(settings.cache_dir) / "articles" / f"{key}.parquet"
    if path.exists():
        return pd.read_parquet(path)
    result = load_corpora(names, settings, outlets=settings.outlets)
    articles = deduplicate(result.articles, near=near, disable_progress=True)
    articles = articles.reset_index(drop=True)
    with atomic_path(path) as tmp:
        articles.to_parquet(tmp, index=False)
    return articles


def article_text(
    articles: pd.DataFrame, fields: Sequence[str] = ("title", "lead", "body")
) -> pd.Series:
    """The given text fields of each article joined by a newline, empty fields skipped.

    Aligned with ``articles.index``; the one definition of "an article's text" that the
    token cache, the CLI and the notebooks share.
    """
    missing = [f for f in fields if f not in articles.columns]
    if missing:
        raise ValueError(f"article_text: the article table has no column(s) {missing}")
    parts = articles[list(fields)].fillna("").astype(str)
    return pd.Series(
        ["\n".join(p for p in row if p) for row in parts.itertuples(index=False)],
        index=articles.index,
        dtype="str",
    )


# ---------------------------------------------------------------- annotations


def _fignews_texts(folder: Path, corpus: str) -> pd.DataFrame:
    reader = READERS["fignews2024"]
    paths = sorted({p for pattern in reader.patterns for p in Path(folder).glob(pattern)})
    tables = [reader.records(path, _Options(corpus, None, None, None)).records for path in paths]
    rows = [row for records in tables for _, row in records]
    keys = pd.DataFrame(rows, columns=list(_FIGNEWS_KEY)).astype(str)
    keys.insert(0, "doc_id", [_fignews_doc_id(corpus, row) for row in rows])
    return keys


def _majority(votes: pd.DataFrame, prefix: str) -> pd.DataFrame:
    """Most-voted label (ties: first in the vote file's column order) and its share."""
    votes = votes.fillna(0)
    total = votes.sum(axis=1)
    label = votes.idxmax(axis=1).str.removeprefix(prefix).where(total > 0, "")
    share = (votes.max(axis=1) / total).where(total > 0)
    return pd.DataFrame(
        {
            f"n_{prefix}votes": total,
            f"{prefix}majority": label,
            f"{prefix}majority_share": share,
        }
    )


def fignews_labels(folder: Path, corpus: str = "fignews2024") -> pd.DataFrame:
    """Per FIGNEWS text post: team vote counts, majority labels and SinaLab's two labels.

    Columns: doc_id, batch, source_language, id, type; ``bias_<label>`` and
    ``prop_<label>`` vote counts from camel/FIGNEWS-2024-ALL-CLEAN-FLAT.tsv (NaN when the
    post has no vote row); n_bias_votes, bias_majority, bias_majority_share, n_prop_votes,
    prop_majority, prop_majority_share (ties go to the label listed first in the vote
    file; "" and NaN without votes); sinalab1_bias, sinalab1_propaganda, sinalab2_bias,
    sinalab2_propaganda from sinalab/IAA-1.xlsx and IAA-2.xlsx ("" where not annotated).
    """
    folder = Path(folder)
    texts = _fignews_texts(folder, corpus)
    texts.columns = ["doc_id", "batch", "source_language", "id", "type"]
    key = ["batch", "source_language", "id", "type"]
    flat = pd.read_csv(
        folder / "camel" / "FIGNEWS-2024-ALL-CLEAN-FLAT.tsv",
        sep="\t",
        dtype=str,
        keep_default_na=False,
    )
    label_columns = [c for c in flat.columns if c not in key]
    separators = [i for i, c in enumerate(label_columns) if c.startswith("Unnamed")]
    bias_labels = label_columns[separators[0] + 1 : separators[1]]
    prop_labels = label_columns[separators[1] + 1 :]
    renamed = {c: f"bias_{c}" for c in bias_labels}
    renamed |= {c: f"prop_{c.removesuffix('.1')}" for c in prop_labels}
    votes = flat[key + bias_labels + prop_labels].rename(columns=renamed)
    counts = list(renamed.values())
    votes[counts] = votes[counts].apply(pd.to_numeric)
    table = texts.merge(votes, on=key, how="left", validate="many_to_one")
    bias = [c for c in counts if c.startswith("bias_")]
    prop = [c for c in counts if c.startswith("prop_")]
    table = pd.concat(
        [table, _majority(table[bias], "bias_"), _majority(table[prop], "prop_")], axis=1
    )
    for number in (1, 2):
        sinalab = pd.read_excel(folder / "sinalab" / f"IAA-{number}.xlsx", dtype=str).fillna("")
        sinalab = sinalab[[*_FIGNEWS_KEY, "Bais", "Propaganda"]]
        sinalab.columns = [*key, f"sinalab{number}_bias", f"sinalab{number}_propaganda"]
        table = table.merge(sinalab, on=key, how="left", validate="many_to_one")
    sinalab_columns = [c for c in table.columns if c.startswith("sinalab")]
    table[sinalab_columns] = table[sinalab_columns].fillna("")
    return table


def armpro_spans(folder: Path, corpus: str = "armpro") -> pd.DataFrame:
    """One row per labelled persuasion span of the ArMPro span files.

    Columns: doc_id (as in the article table), technique, start, end (character offsets
    into the source paragraph before text repairs), text.  Unreadable lines are skipped:
    ``read_corpus`` reports them as rejects.
    """
    rows = []
    for path in sorted(Path(folder).glob(READERS["armpro"].patterns[0])):
        for _, record in _jsonl_records(path, _Options(corpus, None, None, None)).records:
            if not isinstance(record, dict) or not isinstance(record.get("labels"), list):
                continue
            doc_id = f"{corpus}:{record.get('paragraph_id', '')}"
            for span in record["labels"]:
                rows.append(
                    (
                        doc_id,
                        span.get("technique"),
                        span.get("start"),
                        span.get("end"),
                        span.get("text"),
                    )
                )
    frame = pd.DataFrame(rows, columns=["doc_id", "technique", "start", "end", "text"])
    return frame.astype({"start": "int64", "end": "int64"})
