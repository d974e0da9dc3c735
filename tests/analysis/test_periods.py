"""The before/after split of an article table, and windows and periods of many outlets."""

import numpy as np
import pandas as pd
import pytest

from arabmedia.analysis import (
    overlap_window,
    per_group,
    period_coverage,
    period_labels,
    shared_months,
    split_periods,
)


def test_split_periods_names_both_sides_and_leaves_out_undated_articles():
    articles = pd.DataFrame(
        {
            "doc_id": ["a", "b", "c", "d"],
            "date": pd.to_datetime(["2023-10-06", "2023-10-07", None, "2024-01-01"]),
        },
        index=[10, 11, 12, 13],
    )
    split = split_periods(articles, "2023-10-07")
    before, after = period_labels("2023-10-07")
    assert (before, after) == ("before 2023-10-07", "from 2023-10-07")
    assert split["doc_id"].tolist() == ["a", "b", "d"]
    assert split["period"].tolist() == [before, after, after]  # the break day is "from"
    assert split.index.tolist() == [0, 1, 2]


def test_window_overview_counts_by_hand():
    from arabmedia.analysis import window_overview

    articles = pd.DataFrame(
        {
            "outlet": ["A", "A", "A", "B", "B"],
            "date": pd.to_datetime(
                ["2023-01-01", "2023-02-01", "2023-03-01"] * 1 + ["2023-02-01"] * 2
            ),
            "title": ["ت", "ت", "ت", "ت", "ت"],
            "lead": ["", "ل", "ل", "", "ل"],
            "body": ["", "", "", "م", "م"],
        }
    )
    in_window = articles["date"].between("2023-02-01", "2023-02-28")
    compared = pd.DataFrame({"outlet": ["A", "B", "B"], "n_tokens": [4, 2, 6]})
    table = window_overview(articles, in_window, compared, ["title", "lead"])
    assert table.columns.tolist() == [
        "outlet", "articles", "in_window", "with_title", "with_lead", "with_body", "compared",
        "median_words",
    ]  # fmt: skip
    assert table.set_index("outlet").loc["A"].tolist() == [3, 1, 1, 1, 0, 1, 4.0]
    assert table.set_index("outlet").loc["B"].tolist() == [2, 2, 2, 1, 2, 2, 4.0]


# ---------------------------------------------------------------- many outlets


def twelve_outlets(last_start: str = "2024-03-05") -> pd.DataFrame:
    """Twelve outlets, each with articles on three days; outlet 07 starts ``last_start``."""
    rows = []
    for number in range(12):
        name = f"outlet {number:02d}"
        first = pd.Timestamp("2024-01-01") + pd.Timedelta(days=3 * number)
        if number == 7:
            first = pd.Timestamp(last_start)
        last = pd.Timestamp("2024-06-30") - pd.Timedelta(days=5 * number)
        for day in (first, first + (last - first) / 2, last):
            rows.append((name, day.normalize()))
    rows.append(("outlet 00", pd.NaT))
    return pd.DataFrame(rows, columns=["outlet", "date"])


def test_overlap_window_of_twelve_outlets():
    articles = twelve_outlets()
    # latest start: outlet 07 (5 Mar); earliest end: outlet 11 (30 Jun - 55 days = 6 May)
    assert overlap_window(articles) == (pd.Timestamp("2024-03-05"), pd.Timestamp("2024-05-06"))


def test_overlap_window_without_overlap_names_every_outlets_span():
    articles = twelve_outlets(last_start="2024-05-20")
    with pytest.raises(ValueError, match="do not overlap") as error:
        overlap_window(articles)
    message = str(error.value)
    assert "outlet 07 starts on 2024-05-20, after outlet 11 ends on 2024-05-06" in message
    for number in range(12):
        assert f"outlet {number:02d}: " in message
    assert "outlet 03: 2024-01-10 to 2024-06-15" in message
    with pytest.raises(ValueError, match=r"no column\(s\) \['outlet'\]"):
        overlap_window(articles.rename(columns={"outlet": "source"}))


def outlets_by_month(months: dict[int, list[int]]) -> pd.DataFrame:
    """One article on the 10th of each listed month of 2024, per outlet number."""
    rows = [
        (f"outlet {k:02d}", pd.Timestamp(f"2024-{m:02d}-10"))
        for k, ms in months.items()
        for m in ms
    ]
    return pd.DataFrame([*rows, ("outlet 00", pd.NaT)], columns=["outlet", "date"])


def test_shared_months_of_twelve_outlets_and_their_error():
    # every outlet covers April; the other months differ from outlet to outlet
    articles = outlets_by_month({k: [1 + k % 3, 4, 5 + k % 2] for k in range(12)})
    mask = shared_months(articles)
    assert set(articles.loc[mask, "date"].dt.month) == {4}
    assert mask.sum() == 12  # one April article per outlet; the undated one never
    months = {k: [4, 5 + k % 2] for k in range(11)} | {11: [1, 2]}
    with pytest.raises(ValueError, match="no calendar month has articles of all 12") as error:
        shared_months(outlets_by_month(months))
    assert "outlet 11: 2024-01 to 2024-02" in str(error.value)
    assert "outlet 01: 2024-04 to 2024-06" in str(error.value)
    with pytest.raises(ValueError, match="no article has both"):
        shared_months(articles[articles["date"].isna()])


def test_period_coverage_counts_each_side_per_outlet():
    articles = pd.DataFrame(
        {
            "outlet": ["A", "A", "A", "B", "B", "C", "C"],
            "date": pd.to_datetime(
                ["2023-09-01", "2023-10-07", None, "2023-10-08", "2023-11-01", "2023-01-01", None]
            ),
            "body": ["ن", "ن", "ن", "ن", "", "ن", "ن"],
        }
    )
    coverage = period_coverage(articles, "body", "2023-10-07")
    assert coverage.to_dict("list") == {
        "outlet": ["A", "B", "C"],
        "before": [1, 0, 1],
        "after": [1, 1, 0],
        "compared": [True, False, False],
    }
    strict = period_coverage(articles, "body", "2023-10-07", min_articles=2)
    assert not strict["compared"].any()


def test_per_group_runs_each_group_alone_and_reports_listed_empty_groups():
    table = pd.DataFrame({"outlet": ["B", "A", "B"], "value": [1.0, 2.0, 4.0]})
    calls = []

    def total(rows: pd.DataFrame) -> pd.DataFrame:
        calls.append(rows.index.tolist())
        return pd.DataFrame({"n": [len(rows)], "sum": [rows["value"].sum()]})

    result = per_group(table, total)
    assert result.to_dict("list") == {"outlet": ["A", "B"], "n": [1, 2], "sum": [2.0, 5.0]}
    assert calls == [[1], [0, 2]]
    listed = per_group(table, total, names=["B", "Z"])
    assert listed.to_dict("list") == {"outlet": ["B", "Z"], "n": [2, 0], "sum": [5.0, 0.0]}
    with pytest.raises(ValueError, match="no 'source' column"):
        per_group(table, total, "source")
    with pytest.raises(ValueError, match="1 rows have no outlet"):
        per_group(table.assign(outlet=["A", None, "B"]), total)
    assert np.array_equal(result.index, [0, 1])
