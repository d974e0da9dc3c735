"""Read raw corpus files into one article table plus a table of rejected records.

Every record read ends up in exactly one of the two tables (read = loaded + rejected):
bad data never raises and is never dropped silently.  A bug in a reader does raise: only
data errors (``RecordError``, and ValueError, OverflowError, OSError, pyarrow errors from
the parsing libraries) become reject rows.  Duplicates are kept; collapsing
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

import numbers
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
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
