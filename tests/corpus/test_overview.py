"""Overview tables on a hand-built article table."""

import pandas as pd

from arabmedia.corpus import coverage_gaps, length_summary, reject_summary, weekly_counts


def articles(rows):
    frame = pd.DataFrame(
        rows, columns=["doc_id", "outlet", "kind", "date", "title", "lead", "body"]
    )
    frame["date"] = pd.to_datetime(frame["date"])
    return frame


TABLE = articles(
    [
        ("a:1", "A", "article", "2023-10-02", "عنوان واحد", "", "نص من ثلاث كلمات"),
        ("a:2", "A", "article", "2023-10-03", "عنوان", "مقدمة قصيرة", ""),
        ("a:3", "A", "video", "2023-10-20", "عنوان آخر هنا", "", "كلمة"),
        ("b:1", "B", "post", "2023-10-04", "عنوان", "", "نص"),
        ("b:2", "B", "post", None, "بلا تاريخ", "", "نص"),
    ]
)


def test_weekly_counts_zero_fill_between_first_and_last_week():
    weekly = weekly_counts(TABLE)
    a = weekly[weekly["outlet"] == "A"]
    # 2 Oct 2023 is a Monday: weeks of 2, 9 and 16 October, the last two empty.
    assert a["week"].dt.strftime("%Y-%m-%d").tolist() == ["2023-10-02", "2023-10-09", "2023-10-16"]
    assert a["articles"].tolist() == [2, 0, 1]
    assert weekly["articles"].sum() == 4  # the undated article is not counted


def test_coverage_gaps_find_the_hole():
    gaps = coverage_gaps(TABLE, min_days=3)
    assert gaps.to_dict("records") == [
        {
            "outlet": "A",
            "first_missing": pd.Timestamp("2023-10-04"),
            "last_missing": pd.Timestamp("2023-10-19"),
            "days": 16,
        }
    ]
    assert coverage_gaps(TABLE, min_days=17).empty


def test_length_summary_counts_non_empty_fields_only():
    summary = length_summary(TABLE).set_index(["outlet", "field"])
    assert summary.loc[("A", "body"), "non_empty"] == 2
    assert summary.loc[("A", "body"), "median"] == 2.5  # 3 words and 1 word
    assert summary.loc[("A", "lead"), "median"] == 2.0


def test_reject_summary_groups_reasons_without_values():
    rejects = pd.DataFrame(
        {
            "corpus": ["x", "x", "y"],
            "reason": ["unparseable date 'amس'", "unparseable date 'غدا'", "empty text"],
        }
    )
    table = reject_summary(rejects)
    assert table.to_dict("records") == [
        {"corpus": "x", "reason": "unparseable date", "records": 2},
        {"corpus": "y", "reason": "empty text", "records": 1},
    ]
