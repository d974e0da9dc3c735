"""Corpus overview tables: what is in the article table, when, and where the holes are.

All functions take the article table of :mod:`arabmedia.corpus` (after
:mod:`arabmedia.dedup`) and return new DataFrames in a stable order.
"""

from __future__ import annotations

import pandas as pd


def _dated(articles: pd.DataFrame) -> pd.DataFrame:
    return articles[articles["date"].notna()]


def weekly_counts(articles: pd.DataFrame) -> pd.DataFrame:
    """Articles per outlet and ISO week (weeks start on Monday), zero-filled between an
    outlet's first and last week.

    Columns: outlet, week (datetime64, the Monday), articles (int).
    """
    dated = _dated(articles)
    week = dated["date"].dt.to_period("W-SUN").dt.start_time
    counts = dated.assign(week=week).groupby(["outlet", "week"]).size()
    frames = []
    for outlet, series in counts.groupby(level="outlet", sort=True):
        series = series.droplevel("outlet")
        full = pd.date_range(series.index.min(), series.index.max(), freq="7D")
        filled = series.reindex(full, fill_value=0)
        frames.append(pd.DataFrame({"outlet": outlet, "week": full, "articles": filled.to_numpy()}))
    columns = ["outlet", "week", "articles"]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=columns)


def coverage_gaps(articles: pd.DataFrame, min_days: int = 3) -> pd.DataFrame:
    """Runs of at least ``min_days`` consecutive days without any article, per outlet,
    between the outlet's first and last dated article.

    Columns: outlet, first_missing, last_missing (datetime64), days (int).
    """
    rows = []
    for outlet, group in _dated(articles).groupby("outlet", sort=True):
        days = pd.DatetimeIndex(group["date"].dt.normalize().unique()).sort_values()
        steps = days[1:] - days[:-1]
        for before, step in zip(days[:-1], steps, strict=True):
            missing = step.days - 1
            if missing >= min_days:
                rows.append(
                    {
                        "outlet": outlet,
                        "first_missing": before + pd.Timedelta(days=1),
                        "last_missing": before + pd.Timedelta(days=missing),
                        "days": missing,
                    }
                )
    return pd.DataFrame(rows, columns=["outlet", "first_missing", "last_missing", "days"])


def word_counts(articles: pd.DataFrame) -> pd.DataFrame:
    """Whitespace-separated words of title, lead and body per article.

    Columns: doc_id, outlet, kind, title_words, lead_words, body_words (int).
    """
    out = articles[["doc_id", "outlet", "kind"]].copy()
    for field in ("title", "lead", "body"):
        out[f"{field}_words"] = articles[field].fillna("").str.split().str.len().astype(int)
    return out.reset_index(drop=True)


def length_summary(articles: pd.DataFrame) -> pd.DataFrame:
    """Median and quartiles of words per field and outlet, counting non-empty fields only.

    Columns: outlet, field, non_empty (int), q1, median, q3 (float).
    """
    words = word_counts(articles)
    rows = []
    for outlet, group in words.groupby("outlet", sort=True):
        for field in ("title", "lead", "body"):
            values = group[f"{field}_words"]
            values = values[values > 0]
            quartiles = values.quantile([0.25, 0.5, 0.75]) if len(values) else [float("nan")] * 3
            q1, median, q3 = (float(q) for q in list(quartiles))
            rows.append(
                {
                    "outlet": outlet,
                    "field": field,
                    "non_empty": len(values),
                    "q1": q1,
                    "median": median,
                    "q3": q3,
                }
            )
    return pd.DataFrame(rows, columns=["outlet", "field", "non_empty", "q1", "median", "q3"])


def reject_summary(rejects: pd.DataFrame) -> pd.DataFrame:
    """Rejected records per corpus and reason (the reason's text before any quoted value).

    Columns: corpus, reason, records (int).
    """
    reason = rejects["reason"].str.split("'", n=1).str[0].str.strip().str.rstrip(":")
    table = rejects.assign(reason=reason).groupby(["corpus", "reason"]).size()
    return table.rename("records").reset_index().sort_values(["corpus", "reason"], kind="stable")
