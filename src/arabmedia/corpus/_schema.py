"""Read raw corpus files into one article table, a table of rejected records and a table
of the problems of kept records.

Every record read ends up in exactly one of the first two tables (read = loaded +
rejected): bad data never raises and is never dropped silently.  A bug in a reader does
raise: only data errors (``RecordError``, and ValueError, OverflowError, OSError, pyarrow
errors from the parsing libraries) become reject rows.  Mistakes in what the caller asked
for raise before or while reading: an unknown reader, option, time zone or codec, an
option the reader does not take, a missing file or a glob matching nothing
(FileNotFoundError), a mapped source column that no record of a file has (ValueError
naming the file, the column and the columns the file has).  Duplicates are kept;
collapsing them is the dedup step's job, so ``doc_id`` is unique only after dedup.

Article table columns, in this order:

- ``doc_id`` (str): ``"<corpus>:<source id>"``, e.g. ``"almayadeen:1768987"``; records
  without ids get ``"<corpus>:<file>#<record>"`` where ``<file>`` is the file name, or,
  when different files read together share that name, the file's path relative to the
  corpus folder (``read_corpus``) or to the common parent folder of the given files
  (``read_files``).  A source id that records of *different outlets* share becomes
  ``"<corpus>:<outlet>:<source id>"`` for all of them (ids of one outlet never change).
  Two records (different ``source_file``/``source_record``) left with one ``doc_id``
  share a source id within one outlet: that is one article recorded twice (a re-listing,
  two overlapping scrapes), so both are kept, the later one is listed as a "duplicate id"
  problem (naming the earlier record and whether the texts are the same), and
  ``deduplicate`` collapses them with ``dup_reason`` "id" and both in ``dup_sources``.
  They are not rejected because the dedup step fills gaps of the kept row from its copies.
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
- ``source_file`` (str): path relative to the corpus folder (or as given to ``read_files``,
  or as its glob matched it).
- ``source_record`` (int): 0-based record number in the file (JSONL: line number; one-record
  files such as plain text and HTML: 0).

Rejects table columns: ``corpus``, ``source_file``, ``source_record`` (-1 when the whole
file is unreadable), ``doc_id`` (``""`` if unknown), ``reason`` (a sentence).

Problems table columns (:data:`PROBLEM_COLUMNS`), one row per problem of a *kept* record
or of a read file, in reading order: ``corpus``, ``source_file``, ``source_record`` (-1
for a file), ``doc_id`` (the article's final id; ``""`` for a file), ``field`` (the source
field), ``value`` (the source value), ``problem`` (one of :data:`PROBLEMS`), ``detail``
(a sentence).  Kinds:

- "unparseable date": an optional date field (``generic``, ``armpro``, ``html``) whose
  value is not empty but cannot be parsed: the article is kept with no date (published
  and date NaT, date_precision "none").  Readers whose date is required (``almayadeen``,
  ``aljazeera``, ``seed_text``) still reject such records;
- "duplicate id": see ``doc_id`` above;
- "encoding": a file read as cp1256 under ``encoding="auto"`` (field ``""``, value
  ``"cp1256"``); under "auto" every file without such a row was read as UTF-8.

Dates of the ``generic`` reader (:func:`~arabmedia.corpus.parse_date`): ``date_format``
(strptime) when given, then ISO 8601, then numeric dates with a four-digit year
(``03/04/2013`` is day first with ``dayfirst``, month first without), then written-out
dates with Arabic month names of either series (يناير... / كانون الثاني...), at day
precision.  Offset-less times are in ``tz`` when given.

Encodings (``encoding`` option, default "utf-8"; files of binary formats ignore it):

- a leading UTF-8 byte-order mark is stripped;
- a file the codec cannot decode is decoded with replacement characters; its records
  that contain a replaced character are rejected (reason names the first bad byte), the
  others are loaded.  When a file that is not UTF-8 decodes as cp1256 into mostly Arabic
  letters (:data:`CP1256_MIN_ARABIC_SHARE` of its non-ASCII characters), the reason says
  so and names the fix (``set encoding = "cp1256"``);
- "auto" reads UTF-8, else cp1256 when the file looks like it (as above, listed as an
  "encoding" problem), else falls back to UTF-8 with replacement characters as above.

JSON files (``.json``) hold a list of records, or an object holding it at ``record_path``
(dotted keys, e.g. "data.items"); an object without ``record_path`` is a file reject whose
reason lists the keys (dotted, a few levels deep) that hold lists.

Repairs applied to every text field (documented so results stay interpretable):

- U+FEFF, the Arabic letter mark U+061C and the bidi controls U+200E, U+200F,
  U+202A-U+202E, U+2066-U+2069 are removed;
- single-line fields (all but ``body``) have whitespace runs collapsed to one space;
- ``body`` is split into lines, each stripped; non-empty lines are the paragraphs.

Rejected: records that are not objects, lack their id, have title, lead and body all
empty after these repairs ("empty text"), have an unparseable required date, or have no
outlet.  A missing outlet is reported per record, never guessed: readers whose source
names no outlet (``almayadeen``, ``aljazeera``, ``seed_text``, ``html`` without a site
name, ``generic`` without an outlet column) reject each record with "no outlet given:
pass outlet=..." unless a default outlet is given (``load_corpora`` passes the single
outlet a manifest corpus lists, see data/manifest.yml).  ``outlet=...``, when given,
overrides what the source says.
"""

from __future__ import annotations

import codecs
import numbers
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, NamedTuple

import pandas as pd
import pyarrow

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
PROBLEM_COLUMNS = (
    "corpus",
    "source_file",
    "source_record",
    "doc_id",
    "field",
    "value",
    "problem",
    "detail",
)
#: Kinds of problem a kept record (or a read file) can have; the ``problem`` column.
PROBLEMS = ("unparseable date", "duplicate id", "encoding")
#: Keyword options of ``read_files`` that only some readers honour (see ``Reader.options``).
READER_OPTIONS = ("mapping", "tz", "encoding", "date_format", "dayfirst", "record_path")
#: Share of non-ASCII characters that must be Arabic for a non-UTF-8 file to be taken as cp1256.
CP1256_MIN_ARABIC_SHARE = 0.8

_TEXT_COLUMNS = tuple(
    c for c in ARTICLE_COLUMNS if c not in {"published", "date", "source_record", "body"}
)
_DERIVED_COLUMNS = frozenset(
    {"corpus", "date", "date_precision", "utc_offset", "source_file", "source_record"}
)
_INVISIBLE_CONTROLS = re.compile("[\ufeff\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
NO_OUTLET = "no outlet given: pass outlet=..."
BEIRUT = "Asia/Beirut"


# Errors that bad data provokes in the parsing libraries (json, csv/Parquet/Excel readers,
# dates, text decoding); turned into reject rows.  TypeError, KeyError, IndexError and
# AttributeError are not among them: a reader turns a missing field or a wrong type into a
# RecordError itself, so these only come from a bug in the reader and must crash the read.
_DATA_ERRORS = (ValueError, OverflowError, OSError, pyarrow.ArrowException)


class RecordError(ValueError):
    """Bad data in one record (or one whole file); the message is the reject reason."""

    def __init__(self, reason: str, doc_id: str = ""):
        super().__init__(reason)
        self.doc_id = doc_id


@dataclass(frozen=True)
class LoadResult:
    """Articles loaded from some files, the rejected records, the problems of kept records
    (see :data:`PROBLEM_COLUMNS`), and how many records were read."""

    articles: pd.DataFrame
    rejects: pd.DataFrame
    n_read: int
    problems: pd.DataFrame

    @property
    def summary(self) -> str:
        """``"read N, loaded L, rejected R, problems P"``, P broken down by problem kind,
        e.g. ``"problems 3 (2 unparseable date, 1 duplicate id)"`` (L counts duplicates:
        dedup comes later)."""
        text = f"read {self.n_read}, loaded {len(self.articles)}, rejected {len(self.rejects)}"
        text += f", problems {len(self.problems)}"
        if len(self.problems):
            counts = self.problems["problem"].value_counts(sort=False)
            text += " (" + ", ".join(f"{counts[k]} {k}" for k in PROBLEMS if k in counts) + ")"
        return text


@dataclass(frozen=True)
class _Options:
    corpus: str
    outlet: str | None
    mapping: Mapping[str, str] | None
    tz: str | None
    encoding: str = "utf-8"
    date_format: str | None = None
    dayfirst: bool = False
    record_path: str | None = None
    default_outlet: str | None = None


@dataclass(frozen=True)
class _Context:
    """Where a record comes from, for ids, reject rows and problem rows.

    ``file_key`` is the file part of file-record ids (the file name, or its relative
    path when names collide); ``notes`` collects the record's problems as
    (field, value, problem, detail) tuples.
    """

    options: _Options
    source_file: str
    file_key: str
    record: int
    decode_problem: str | None
    notes: list[tuple[str, str, str, str]] = field(default_factory=list)

    @property
    def file_record_id(self) -> str:
        return f"{self.options.corpus}:{self.file_key}#{self.record}"

    def note(self, field_name: str, value: str, problem: str, detail: str) -> None:
        """Record a problem of this (kept) record; ``problem`` is one of PROBLEMS."""
        self.notes.append((field_name, value, problem, detail))


class _Unreadable(NamedTuple):
    """Placeholder for a record that could not even be parsed (e.g. a bad JSONL line)."""

    reason: str


class _FileRecords(NamedTuple):
    """A file's records; ``columns``: the source columns the file has (CSV/Parquet header,
    keys of its JSON objects; None when it has no records or no columns); ``encoding``:
    the codec it was decoded with (None for binary formats)."""

    records: Iterable[tuple[int, Any]]
    decode_problem: str | None
    columns: frozenset[str] | None = None
    encoding: str | None = None
    #: The records are read as they are iterated; when ``columns`` is then None, they are
    #: known only after the last record, as ``records.columns``.
    streamed: bool = False


@dataclass(frozen=True)
class Reader:
    """A named reader: which files of a corpus folder it reads and how.

    ``options``: the keyword options of :func:`read_files` beyond corpus and outlet that
    it honours (a subset of READER_OPTIONS); giving another one is an error.
    """

    patterns: tuple[str, ...]
    records: Callable[[Path, _Options], _FileRecords]
    fields: Callable[[Any, _Context], dict[str, Any]]
    options: frozenset[str] = frozenset()


class _Decoded(NamedTuple):
    text: str
    problem: str | None
    encoding: str


def _is_utf8(encoding: str) -> bool:
    return codecs.lookup(encoding).name == "utf-8"


def _looks_like_cp1256(data: bytes) -> bool:
    """True when ``data`` decoded as cp1256 is mostly Arabic: at least
    CP1256_MIN_ARABIC_SHARE of its non-ASCII characters lie in the Arabic block."""
    text = data.decode("cp1256", "replace")
    non_ascii = [c for c in text if ord(c) > 127]
    arabic = sum(1 for c in non_ascii if "\u0600" <= c <= "\u06ff")
    return bool(non_ascii) and arabic >= CP1256_MIN_ARABIC_SHARE * len(non_ascii)


def _decode(data: bytes, encoding: str = "utf-8") -> _Decoded:
    """Text of a file in ``encoding`` ("auto": UTF-8, else cp1256 when it looks like it).

    A UTF-8 byte-order mark is stripped.  Bytes the codec cannot decode become U+FFFD and
    ``problem`` names the first one (and, for a file that is not UTF-8 but looks like
    cp1256, the setting that reads it).
    """
    if encoding == "auto" or _is_utf8(encoding):
        data = data.removeprefix(b"\xef\xbb\xbf")
        codec = "utf-8"
    else:
        codec = encoding
    try:
        return _Decoded(data.decode(codec), None, codec)
    except UnicodeDecodeError as error:
        cp1256 = codec == "utf-8" and _looks_like_cp1256(data)
        if cp1256 and encoding == "auto":
            return _Decoded(data.decode("cp1256"), None, "cp1256")
        problem = f"invalid {codec.upper()} at byte {error.start}"
        if cp1256:
            problem += '; the file looks like cp1256 (Windows Arabic): set encoding = "cp1256"'
        elif encoding == "auto":
            problem += " and not cp1256 Arabic either"
        return _Decoded(data.decode(codec, "replace"), problem, codec)


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
