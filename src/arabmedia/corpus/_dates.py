"""Publication dates: ISO timestamps with or without offsets, and Arabic month names."""

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


def _required_when(record: Mapping[str, Any], names: Sequence[str], **zones: str | None) -> When:
    field, value = _first_text(record, names)
    if not value.strip():
        raise RecordError(f"missing required field {field}")
    try:
        return parse_timestamp(value, **zones)
    except (ValueError, OverflowError) as error:
        raise RecordError(f"unparseable date {value!r} in field {field}") from error
