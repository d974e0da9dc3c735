"""Publication dates: ISO timestamps with or without offsets, strptime formats, numeric
day/month/year dates and Arabic month names."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

import pandas as pd

from arabmedia.corpus._schema import RecordError, _first_text


class When(NamedTuple):
    """A parsed publication time, in the article table's four date columns."""

    published: pd.Timestamp
    date: pd.Timestamp
    date_precision: str
    utc_offset: str


UNKNOWN_WHEN = When(pd.NaT, pd.NaT, "none", "")


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


_NUMERIC_DATE = re.compile(
    r"(\d{1,4})[/.-](\d{1,2})[/.-](\d{1,4})(?:(?:\s+|T|,\s*)(\d{1,2}:\d{2}(?::\d{2})?))?"
)
# strptime directives that carry a time of day (a format without them gives day precision).
_TIME_DIRECTIVES = re.compile(r"%[HIMSXcfp]")


def _strptime_when(text: str, date_format: str, naive_tz: str | None) -> When:
    moment = datetime.strptime(text, date_format)
    if not _TIME_DIRECTIVES.search(date_format):
        return _day(moment.date())
    return parse_timestamp(moment.isoformat(), naive_tz=naive_tz)


def _numeric_when(text: str, dayfirst: bool, naive_tz: str | None) -> When | None:
    """``Y/M/D``, or ``D/M/Y`` (``dayfirst``) / ``M/D/Y``, with ``/``, ``.`` or ``-`` and an
    optional ``H:MM[:SS]``; None when ``text`` is not such a date or names no real day."""
    match = _NUMERIC_DATE.fullmatch(text.translate(_ARABIC_FOLD))
    if not match:
        return None
    first, second, third, clock = match.groups()
    if len(first) == 4:
        year, month, day = first, second, third
    elif len(third) == 4:
        year, (day, month) = third, ((first, second) if dayfirst else (second, first))
    else:
        return None  # no four-digit year: too ambiguous to guess
    try:
        calendar_day = date(int(year), int(month), int(day))
    except ValueError:
        return None
    if clock is None:
        return _day(calendar_day)
    return parse_timestamp(f"{calendar_day.isoformat()}T{clock.zfill(5)}", naive_tz=naive_tz)


def parse_date(
    value: str,
    *,
    date_format: str | None = None,
    dayfirst: bool = False,
    naive_tz: str | None = None,
) -> When:
    """Parse a publication date written in any of the layouts news files use.

    Tried in this order, the first that fits wins: ``date_format`` (a strptime format,
    when given); ISO 8601 (:func:`parse_timestamp`); numeric dates with a four-digit year
    (``2013/04/03``, and ``03/04/2013`` read day first when ``dayfirst`` else month
    first, each with an optional ``H:MM[:SS]``); written-out dates with Arabic
    (Egyptian يناير... and Levantine كانون الثاني...) or English month names
    (:func:`parse_arabic_date`, day precision).  Offset-less times are in ``naive_tz``
    as in :func:`parse_timestamp`.  Raises ValueError naming what was tried.
    """
    text = value.strip()
    if date_format:
        try:
            return _strptime_when(text, date_format, naive_tz)
        except ValueError:
            pass
    try:
        return parse_timestamp(text, naive_tz=naive_tz)
    except ValueError:
        pass
    when = _numeric_when(text, dayfirst, naive_tz)
    if when is not None:
        return when
    day = parse_arabic_date(text)
    if day is not None:
        return _day(day)
    tried = [f"date_format {date_format!r}"] if date_format else []
    order = "day first" if dayfirst else "month first (pass dayfirst=True for day first)"
    tried += ["ISO 8601", f"numeric day/month/year read {order}", "Arabic month names"]
    raise ValueError(f"unparseable date {value!r}: not {', not '.join(tried)}")


def _required_when(record: Mapping[str, Any], names: Sequence[str], **zones: str | None) -> When:
    field, value = _first_text(record, names)
    if not value.strip():
        raise RecordError(f"missing required field {field}")
    try:
        return parse_timestamp(value, **zones)
    except (ValueError, OverflowError) as error:
        raise RecordError(f"unparseable date {value!r} in field {field}") from error
