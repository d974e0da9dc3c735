"""Comparing like with like: the dates two groups both cover, and calendar months."""

from __future__ import annotations

import pandas as pd

# ---------------------------------------------------------------- comparing like with like


def overlap_window(
    articles: pd.DataFrame, *, group: str = "outlet", date: str = "date"
) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The first and last day that every ``group`` (outlet) has articles in: (start, end).

    Start is the latest first day, end the earliest last day; articles without a date are
    ignored.  Raises ValueError with each group's range when there are fewer than two
    groups or the ranges do not overlap.
    """
    dated = articles.dropna(subset=[date])
    ranges = dated.groupby(group, sort=True)[date].agg(["min", "max"])
    described = "; ".join(
        f"{name}: {row['min'].date()} to {row['max'].date()}" for name, row in ranges.iterrows()
    )
    if len(ranges) < 2:
        raise ValueError(f"overlap_window: need at least two {group}s with dates, have {described}")
    start, end = ranges["min"].max(), ranges["max"].min()
    if start > end:
        raise ValueError(f"overlap_window: the date ranges do not overlap ({described})")
    return pd.Timestamp(start), pd.Timestamp(end)


def month_start(dates: pd.Series) -> pd.Series:
    """The first day of each date's calendar month (the period key of the monthly series)."""
    return pd.to_datetime(dates).dt.to_period("M").dt.to_timestamp()


def period_labels(break_date: str) -> tuple[str, str]:
    """The two period names of :func:`split_periods`: ("before <day>", "from <day>")."""
    return f"before {break_date}", f"from {break_date}"


def split_periods(articles: pd.DataFrame, break_date: str, *, date: str = "date") -> pd.DataFrame:
    """The dated ``articles`` with a ``period`` column: before ``break_date`` or from it on.

    E.g. Al Mayadeen before and after 7 October 2023.  Period names are
    :func:`period_labels`; articles without a date are left out; index 0..n-1.
    """
    before, after = period_labels(break_date)
    dated = articles[articles[date].notna()].reset_index(drop=True)
    later = dated[date] >= pd.Timestamp(break_date)
    return dated.assign(period=later.map({False: before, True: after}))
