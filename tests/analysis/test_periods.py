"""The before/after split of an article table."""

import pandas as pd

from arabmedia.analysis import period_labels, split_periods


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
