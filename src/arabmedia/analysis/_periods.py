"""Comparing like with like: the dates all groups cover, periods around a date, months."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pandas as pd

# ---------------------------------------------------------------- comparing like with like


def overlap_window(
    articles: pd.DataFrame, *, group: str = "outlet", date: str = "date"
) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The first and last day that every ``group`` (outlet) has articles in: (start, end).

    Start is the latest first day, end the earliest last day; articles without a date are
    ignored.  Raises ValueError with each group's range when there are fewer than two
    groups or the ranges do not overlap (naming the group that starts last and the one
    that ends first).
    """
    missing = [column for column in (group, date) if column not in articles.columns]
    if missing:
        raise ValueError(f"overlap_window: no column(s) {missing}; have {list(articles.columns)}")
    dated = articles.dropna(subset=[date])
    ranges = dated.groupby(group, sort=True)[date].agg(["min", "max"])
    described = "; ".join(
        f"{name}: {row['min'].date()} to {row['max'].date()}" for name, row in ranges.iterrows()
    )
    if len(ranges) < 2:
        raise ValueError(f"overlap_window: need at least two {group}s with dates, have {described}")
    start, end = ranges["min"].max(), ranges["max"].min()
    if start > end:
        last, first = ranges["min"].idxmax(), ranges["max"].idxmin()
        raise ValueError(
            f"overlap_window: the date ranges of the {len(ranges)} {group}s do not overlap: "
            f"{last} starts on {start.date()}, after {first} ends on {end.date()} ({described})"
        )
    return pd.Timestamp(start), pd.Timestamp(end)


def month_start(dates: pd.Series) -> pd.Series:
    """The first day of each date's calendar month (the period key of the monthly series)."""
    return pd.to_datetime(dates).dt.to_period("M").dt.to_timestamp()


def period_labels(break_date: str) -> tuple[str, str]:
    """The two period names of :func:`split_periods`: ("before <day>", "from <day>")."""
    return f"before {break_date}", f"from {break_date}"


def split_periods(articles: pd.DataFrame, break_date: str, *, date: str = "date") -> pd.DataFrame:
    """The dated ``articles`` with a ``period`` column: before ``break_date`` or from it on.

    E.g. one outlet's articles before and after an event.  Period names are
    :func:`period_labels`; articles without a date are left out; index 0..n-1.
    """
    before, after = period_labels(break_date)
    dated = articles[articles[date].notna()].reset_index(drop=True)
    later = dated[date] >= pd.Timestamp(break_date)
    return dated.assign(period=later.map({False: before, True: after}))


def period_coverage(
    articles: pd.DataFrame,
    field: str,
    break_date: str,
    *,
    group: str = "outlet",
    min_articles: int = 1,
) -> pd.DataFrame:
    """Per ``group`` (outlet): dated articles with text in ``field`` before ``break_date`` and
    from it on, and whether the group can be compared with itself across the date.

    A group qualifies (``compared``) with at least ``min_articles`` such articles on each
    side.  Columns: ``group``, before, after, compared; every group of ``articles``, sorted.
    """
    dated = articles[articles["date"].notna() & (articles[field] != "")]
    later = dated["date"] >= pd.Timestamp(break_date)
    names = sorted(articles[group].dropna().unique())
    coverage = pd.DataFrame(
        {
            group: names,
            "before": (~later).groupby(dated[group]).sum().reindex(names, fill_value=0).to_numpy(),
            "after": later.groupby(dated[group]).sum().reindex(names, fill_value=0).to_numpy(),
        }
    )
    coverage["compared"] = (coverage[["before", "after"]] >= min_articles).all(axis=1)
    return coverage


def per_group(
    table: pd.DataFrame,
    compare: Callable[[pd.DataFrame], pd.DataFrame],
    group: str = "outlet",
    *,
    names: Sequence | None = None,
) -> pd.DataFrame:
    """``compare`` of each ``group``'s rows of ``table`` on its own, stacked, ``group`` first.

    Each group is resampled exactly as it would be alone, so a study with one outlet gets
    the numbers it got before outlets were compared side by side.  ``names``: the groups to
    report, in order (default: those of ``table``, sorted); a listed group without rows
    gets ``compare`` of no rows.  Index 0..n-1.  Raises ValueError when ``table`` has no
    ``group`` column, a row without a group, or there is no group at all.
    """
    if group not in table.columns:
        raise ValueError(f"per_group: no {group!r} column; have {list(table.columns)}")
    if table[group].isna().any():
        raise ValueError(f"per_group: {int(table[group].isna().sum())} rows have no {group}")
    names = sorted(table[group].unique()) if names is None else list(names)
    if not names:
        raise ValueError(f"per_group: no {group} to compare")
    parts = [compare(table[table[group] == name]).assign(**{group: name}) for name in names]
    stacked = pd.concat(parts, ignore_index=True)
    return stacked[[group, *stacked.columns.drop(group)]]


def date_span(dates) -> str:
    """The first and last of ``dates`` as text, "YYYY-MM-DD to YYYY-MM-DD" (for figure indexes)."""
    dates = pd.to_datetime(pd.Series(dates))
    return f"{dates.min():%Y-%m-%d} to {dates.max():%Y-%m-%d}"


def window_overview(
    articles: pd.DataFrame,
    in_window: pd.Series,
    compared: pd.DataFrame,
    fields: Sequence[str],
    *,
    group: str = "outlet",
) -> pd.DataFrame:
    """Per ``group``: how many articles there are, how many fall in the window, and how many
    are compared, so a reader sees what a like-with-like comparison keeps.

    ``in_window`` is a boolean Series aligned with ``articles`` (e.g. from
    :func:`overlap_window`); ``compared`` holds the compared articles with their ``n_tokens``
    (words of ``fields``, e.g. :func:`arabmedia.analysis.count_frames` output).  Columns:
    ``group``, articles, in_window, with_<field> (in the window, field not empty) for each
    of ``fields`` and ``body``, compared, median_words (median ``n_tokens`` of the compared).
    """
    groups = articles[group]
    columns = list(dict.fromkeys([*fields, "body"]))
    with_field = articles.loc[in_window, columns].ne("").groupby(groups).sum()
    overview = pd.concat(
        [
            articles.groupby(group).size().rename("articles"),
            in_window.groupby(groups).sum().rename("in_window"),
            with_field.add_prefix("with_"),
            compared.groupby(group).size().rename("compared"),
            compared.groupby(group)["n_tokens"].median().rename("median_words"),
        ],
        axis=1,
    )
    return overview.rename_axis(group).reset_index()
