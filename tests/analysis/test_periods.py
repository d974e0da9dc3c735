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
