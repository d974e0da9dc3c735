"""Coverage of matched events, who reports first, and gaps within the same events."""

import numpy as np
import pandas as pd
import pytest

from arabmedia.analysis import (
    compare_lags,
    compare_within_events,
    coverage_matrix,
    coverage_summary,
    decompose_gap,
    event_coverage,
    event_ratios,
    outlet_pairs,
    per_pair,
    report_lags,
    shared_event_counts,
)


def event_table(rows):
    """Events from (doc_id, outlet, date, event_id) tuples, as match_events gives them."""
    table = pd.DataFrame(rows, columns=["doc_id", "outlet", "date", "event_id"])
    table["date"] = pd.to_datetime(table["date"])
    sizes = table.groupby("event_id")["doc_id"].transform("size")
    outlets = table.groupby("event_id")["outlet"].transform("nunique")
    return table.assign(event_size=sizes, event_outlets=outlets)


def measured(rows):
    """(events, counts) from (doc_id, outlet, event_id, numerator, denominator) tuples."""
    events = event_table([(doc, outlet, "2024-01-01", event) for doc, outlet, event, *_ in rows])
    counts = pd.DataFrame(
        [(doc, num, den) for doc, _, _, num, den in rows], columns=["doc_id", "num", "den"]
    )
    return events, counts


# ---------------------------------------------------------------- coverage

COVERAGE = event_table(
    [
        ("a1", "A", "2024-01-02", "e1"),
        ("a2", "A", "2024-01-01", "e1"),
        ("b1", "B", "2024-01-03", "e1"),
        ("a3", "A", "2024-01-05", "e2"),
        ("b2", "B", "2024-01-04", "e3"),
        ("c1", "C", "2024-01-04", "e3"),
        ("c2", "C", "2024-01-06", "e4"),
    ]
)


def test_event_coverage_counts_articles_per_event_and_outlet():
    coverage = event_coverage(COVERAGE)
    assert coverage.columns.tolist() == [
        "event_id", "outlet", "n_articles", "first_date", "n_outlets"
    ]  # fmt: skip
    assert list(zip(coverage["event_id"], coverage["outlet"], strict=True)) == [
        ("e1", "A"),
        ("e1", "B"),
        ("e3", "B"),
        ("e3", "C"),
        ("e2", "A"),
        ("e4", "C"),
    ]  # fmt: skip  (by the event's first date: e1 on the 1st, e3 the 4th, e2 the 5th)
    assert coverage["n_articles"].tolist() == [2, 1, 1, 1, 1, 1]
    assert coverage["n_outlets"].tolist() == [2, 2, 2, 2, 1, 1]
    assert coverage.loc[0, "first_date"] == pd.Timestamp("2024-01-01")
    wide = coverage_matrix(coverage)
    assert wide.index.tolist() == ["e1", "e3", "e2", "e4"]
    assert wide.columns.tolist() == ["A", "B", "C"]
    assert wide.loc["e1"].tolist() == [2, 1, 0]
    assert wide.loc["e4"].tolist() == [0, 0, 1]


def test_coverage_summary_shared_and_exclusive_by_hand():
    summary = coverage_summary(COVERAGE, n_boot=200, seed=1)
    assert summary.columns.tolist() == [
        "outlet", "measure", "n_units", "numerator", "denominator", "estimate", "low", "high",
        "n_articles",
    ]  # fmt: skip
    assert summary["outlet"].tolist() == ["A", "A", "B", "B", "C", "C"]
    assert summary["measure"].tolist() == ["shared_articles", "exclusive_events"] * 3
    rows = summary.set_index(["outlet", "measure"])
    # A: 3 articles in 2 events; e1 (2 articles) is shared, e2 only A's
    assert rows.loc[("A", "shared_articles"), ["numerator", "denominator"]].tolist() == [2, 3]
    assert rows.loc[("A", "shared_articles"), "estimate"] == pytest.approx(2 / 3)
    assert rows.loc[("A", "exclusive_events"), ["numerator", "denominator"]].tolist() == [1, 2]
    assert rows.loc[("B", "shared_articles"), "estimate"] == 1.0
    assert rows.loc[("B", "exclusive_events"), "estimate"] == 0.0
    assert rows.loc[("C", "exclusive_events"), "estimate"] == 0.5
    assert summary["n_units"].tolist() == [2, 2, 2, 2, 2, 2]
    assert summary["n_articles"].tolist() == [3, 3, 2, 2, 2, 2]
    # B covers no event alone: every resample says so
    assert rows.loc[("B", "exclusive_events"), ["low", "high"]].tolist() == [0.0, 0.0]
    assert (summary["low"] <= summary["estimate"]).all()
    assert (summary["estimate"] <= summary["high"]).all()


def test_coverage_counts_shared_events_from_the_table_given():
    only_a_and_c = coverage_summary(COVERAGE[COVERAGE["outlet"] != "B"], n_boot=50)
    rows = only_a_and_c.set_index(["outlet", "measure"])
    assert rows.loc[("A", "shared_articles"), "estimate"] == 0.0  # e1 was shared with B
    assert rows.loc[("C", "exclusive_events"), "estimate"] == 1.0


# ---------------------------------------------------------------- who reports first


def lag_tables():
    events = event_table(
        [
            ("a1", "A", "2024-01-01", "e1"),  # A at 10:00 and 15:00, B at 13:30: A 3.5 h first
            ("a2", "A", "2024-01-01", "e1"),
            ("b1", "B", "2024-01-01", "e1"),
            ("a3", "A", "2024-01-02", "e2"),  # B an hour before A
            ("b2", "B", "2024-01-02", "e2"),
            ("a4", "A", "2024-01-03", "e3"),  # both on the same day, no times
            ("b3", "B", "2024-01-03", "e3"),
            ("a5", "A", "2024-01-03", "e4"),  # A timed, B two days later without a time
            ("b4", "B", "2024-01-05", "e4"),
            ("c1", "C", "2024-01-03", "e5"),  # an event only C has
        ]
    )
    times = {
        "a1": "2024-01-01 10:00",
        "a2": "2024-01-01 15:00",
        "b1": "2024-01-01 13:30",
        "a3": "2024-01-02 09:00",
        "b2": "2024-01-02 08:00",
        "a4": "2024-01-03 00:00",
        "b3": "2024-01-03 00:00",
        "a5": "2024-01-03 11:00",
        "b4": None,
        "c1": "2024-01-03 00:00",
    }
    day = {"a4", "b3", "c1"}
    articles = pd.DataFrame(
        {
            "doc_id": list(times),
            "published": pd.to_datetime(list(times.values()), utc=True),
            "date_precision": [
                "day" if doc in day else "none" if times[doc] is None else "second" for doc in times
            ],
        }
    )
    return events, articles


def test_report_lags_on_planted_times():
    events, articles = lag_tables()
    lags = report_lags(events, articles)
    assert lags.columns.tolist() == [
        "first", "second", "event_id", "event_date", "lag_hours", "basis"
    ]  # fmt: skip
    ab = lags[(lags["first"] == "A") & (lags["second"] == "B")]
    assert ab["event_id"].tolist() == ["e1", "e2", "e3", "e4"]
    assert ab["lag_hours"].tolist() == [3.5, -1.0, 0.0, 48.0]
    assert ab["basis"].tolist() == ["time", "time", "date", "date"]
    ba = lags[(lags["first"] == "B") & (lags["second"] == "A")]
    assert ba["lag_hours"].tolist() == [-3.5, 1.0, 0.0, -48.0]
    assert set(zip(lags["first"], lags["second"], strict=True)) == {("A", "B"), ("B", "A")}


def test_report_lags_pass_over_undated_lone_articles():
    events, articles = lag_tables()
    lone = pd.DataFrame({"doc_id": ["a9"], "outlet": ["A"], "date": [pd.NaT], "event_id": ["e9"]})
    undated = pd.concat([events, lone], ignore_index=True)
    with_lone = pd.concat([articles, pd.DataFrame({"doc_id": ["a9"]})], ignore_index=True)
    pd.testing.assert_frame_equal(report_lags(undated, with_lone), report_lags(events, articles))


def test_report_lags_without_precision_column_uses_any_time_given():
    events, articles = lag_tables()
    lags = report_lags(events, articles.drop(columns="date_precision"), pairs=[("A", "B")])
    assert lags["basis"].tolist() == ["time", "time", "time", "date"]  # e3's midnights count


def test_compare_lags_median_and_who_first_by_hand():
    events, articles = lag_tables()
    table = compare_lags(report_lags(events, articles, pairs=[("A", "B")]), n_boot=300, seed=2)
    assert table.columns.tolist() == [
        "first", "second", "measure", "n_units", "numerator", "denominator", "estimate", "low",
        "high", "n_timed",
    ]  # fmt: skip
    rows = table.set_index("measure")
    assert rows.index.tolist() == ["median_lag_hours", "share_first", "share_tied"]
    assert rows.loc["median_lag_hours", "estimate"] == pytest.approx((0 + 3.5) / 2)
    assert np.isnan(rows.loc["median_lag_hours", "numerator"])
    assert rows.loc["share_first", ["numerator", "denominator", "estimate"]].tolist() == [2, 4, 0.5]
    assert rows.loc["share_tied", "estimate"] == 0.25
    assert (rows["n_units"] == 4).all() and (rows["n_timed"] == 2).all()
    median = rows.loc["median_lag_hours"]
    assert -1.0 <= median["low"] <= median["estimate"] <= median["high"] <= 48.0


def test_report_lags_errors():
    events, articles = lag_tables()
    with pytest.raises(ValueError, match="not in the article table"):
        report_lags(events, articles[articles["doc_id"] != "b4"])
    with pytest.raises(ValueError, match=r"missing column\(s\) \['published'\]"):
        report_lags(events, articles.drop(columns="published"))
    with pytest.raises(ValueError, match=r"outlet\(s\) \['D'\] have no articles"):
        report_lags(events, articles, pairs=[("A", "D")])


# ---------------------------------------------------------------- within events

# Same shares within each event (0.8 in e1, 0.2 in e2), but A writes mostly about e1 and
# B mostly about e2: the whole gap is agenda.
AGENDA_ONLY = [
    ("a1", "A", "e1", 40, 50),
    ("a2", "A", "e1", 32, 40),
    ("a3", "A", "e2", 2, 10),
    ("b1", "B", "e1", 8, 10),
    ("b2", "B", "e2", 18, 90),
]
# Same events, same weight in each outlet, different shares: the whole gap is within events.
WITHIN_ONLY = [
    ("a1", "A", "e1", 6, 10),
    ("a2", "A", "e2", 8, 10),
    ("b1", "B", "e1", 3, 10),
    ("b2", "B", "e2", 5, 10),
]
# One shared event (A 3/4, B 1/4), one A has alone (1/6), one B has alone (6/6), and an
# article of B on A's event without a mention: that event is not shared.
MIXED = [
    ("a1", "A", "e1", 3, 4),
    ("b1", "B", "e1", 1, 4),
    ("a2", "A", "e2", 1, 6),
    ("b2", "B", "e2", 0, 0),
    ("b3", "B", "e3", 6, 6),
]


def test_event_ratios_per_shared_event():
    events, counts = measured(MIXED)
    ratios = event_ratios(counts, events, "num", "den", ("A", "B"))
    assert ratios["event_id"].tolist() == ["e1"]
    assert ratios.loc[0, ["ratio_first", "ratio_second", "difference"]].tolist() == [
        0.75, 0.25, 0.5
    ]  # fmt: skip
    events, counts = measured(AGENDA_ONLY)
    ratios = event_ratios(counts, events, "num", "den", ("A", "B"))
    assert ratios["numerator_first"].tolist() == [72, 2]  # a1 and a2 summed
    assert ratios["ratio_first"].tolist() == pytest.approx([0.8, 0.2])
    assert ratios["ratio_second"].tolist() == pytest.approx([0.8, 0.2])


def test_identical_shares_within_events_leave_the_whole_gap_to_agenda():
    events, counts = measured(AGENDA_ONLY)
    within = compare_within_events(counts, events, "num", "den", ("A", "B"), n_boot=200)
    assert within["measure"].tolist() == ["first", "second", "difference"]
    rows = within.set_index("measure")
    assert rows.loc["difference", "estimate"] == pytest.approx(0.0, abs=1e-12)
    assert rows.loc["first", "estimate"] == pytest.approx(0.5)  # (0.8 + 0.2) / 2
    gap = decompose_gap(counts, events, "num", "den", ("A", "B"), n_boot=200).set_index("component")
    assert gap.loc["aggregate", "estimate"] == pytest.approx(74 / 100 - 26 / 100)
    assert gap.loc["within_event", "estimate"] == pytest.approx(0.0, abs=1e-12)
    assert gap.loc["agenda", "estimate"] == pytest.approx(0.48)
    assert gap.loc["agenda", "share_of_aggregate"] == pytest.approx(1.0)


def test_same_events_different_shares_leave_the_whole_gap_within_events():
    events, counts = measured(WITHIN_ONLY)
    within = compare_within_events(counts, events, "num", "den", ("A", "B"), n_boot=200)
    rows = within.set_index("measure")
    assert rows.loc["difference", "estimate"] == pytest.approx(0.3)
    assert rows.loc["first", ["numerator", "denominator", "n_units"]].tolist() == [14, 20, 2]
    assert rows.loc["difference", "n_units"] == 4
    assert (within["n_events"] == 2).all()
    gap = decompose_gap(counts, events, "num", "den", ("A", "B"), n_boot=200).set_index("component")
    assert gap.loc["aggregate", "estimate"] == pytest.approx(0.3)
    assert gap.loc["within_event", "estimate"] == pytest.approx(0.3)
    assert gap.loc["agenda", "estimate"] == pytest.approx(0.0, abs=1e-12)
    # every event differs by 0.3 with equal weight: every resample gives 0.3
    assert gap.loc["within_event", ["low", "high"]].tolist() == pytest.approx([0.3, 0.3])


def test_decomposition_by_hand_adds_up_exactly():
    events, counts = measured(MIXED)
    gap = decompose_gap(counts, events, "num", "den", ("A", "B"), n_boot=300, seed=4)
    assert gap.columns.tolist() == [
        "first", "second", "component", "estimate", "low", "high", "n_events",
        "share_of_aggregate",
    ]  # fmt: skip
    rows = gap.set_index("component")
    assert rows.index.tolist() == ["aggregate", "within_event", "agenda"]
    assert rows.loc["aggregate", "estimate"] == pytest.approx(4 / 10 - 7 / 10)
    # only e1 is shared: A's share of its mentions there (4/10) times 0.75 - 0.25
    assert rows.loc["within_event", "estimate"] == pytest.approx(0.4 * 0.5)
    assert (
        rows.loc["within_event", "estimate"] + rows.loc["agenda", "estimate"]
        == (rows.loc["aggregate", "estimate"])
    )
    assert rows["n_events"].tolist() == [3, 1, 3]
    assert rows.loc["within_event", "share_of_aggregate"] == pytest.approx(0.2 / -0.3)
    assert (rows["low"] <= rows["high"]).all()


def test_parts_add_up_on_random_tables_and_swapping_flips_the_aggregate():
    rng = np.random.default_rng(7)
    rows = []
    for number in range(60):
        event = f"e{rng.integers(0, 20)}"
        outlet = "ABC"[rng.integers(0, 3)]
        den = int(rng.integers(0, 8))
        rows.append((f"d{number}", outlet, event, int(rng.integers(0, den + 1)), den))
    events, counts = measured(rows)
    for pair in [("A", "B"), ("B", "C"), ("C", "A")]:
        gap = decompose_gap(counts, events, "num", "den", pair, n_boot=100).set_index("component")
        parts = gap.loc["within_event", "estimate"] + gap.loc["agenda", "estimate"]
        assert parts == pytest.approx(gap.loc["aggregate", "estimate"], rel=0, abs=1e-15)
        swapped = decompose_gap(counts, events, "num", "den", pair[::-1], n_boot=100)
        assert swapped.loc[0, "estimate"] == pytest.approx(-gap.loc["aggregate", "estimate"])


def test_mentions_weighting_by_hand():
    # e1: A 2/2, B 0/2 (difference 1, 4 mentions); e2: A 0/10, B 0/6 (difference 0, 16)
    events, counts = measured(
        [("a1", "A", "e1", 2, 2), ("b1", "B", "e1", 0, 2), ("a2", "A", "e2", 0, 10),
         ("b2", "B", "e2", 0, 6)]
    )  # fmt: skip
    by_event = compare_within_events(counts, events, "num", "den", ("A", "B"), n_boot=50)
    by_mention = compare_within_events(
        counts, events, "num", "den", ("A", "B"), weights="mentions", n_boot=50
    )
    assert by_event["estimate"].tolist() == pytest.approx([0.5, 0.0, 0.5])
    assert by_mention["estimate"].tolist() == pytest.approx([0.2, 0.0, 0.2])


def test_one_shared_event_gives_a_point_interval():
    events, counts = measured(MIXED)
    within = compare_within_events(counts, events, "num", "den", ("A", "B"), n_boot=100)
    difference = within.set_index("measure").loc["difference"]
    assert (difference["low"], difference["high"]) == (0.5, 0.5)
    assert difference["n_events"] == 1


def test_articles_missing_from_counts_count_zero():
    events, counts = measured(MIXED)
    without_b2 = counts[counts["doc_id"] != "b2"]  # b2 has no mention anyway
    assert decompose_gap(without_b2, events, "num", "den", ("A", "B"), n_boot=50).equals(
        decompose_gap(counts, events, "num", "den", ("A", "B"), n_boot=50)
    )


def test_within_event_tables_are_deterministic_and_keyed_by_pair():
    rows = [
        (f"{outlet}{event}{k}", outlet, f"e{event}", (event * 3 + k) % 5, 5)
        for outlet in "AB"
        for event in range(12)
        for k in range(2 if outlet == "A" else 1)
    ]
    events, counts = measured(rows)
    first = decompose_gap(counts, events, "num", "den", ("A", "B"), n_boot=200, seed=3)
    again = decompose_gap(counts, events, "num", "den", ("A", "B"), n_boot=200, seed=3)
    other = decompose_gap(counts, events, "num", "den", ("A", "B"), n_boot=200, seed=4)
    pd.testing.assert_frame_equal(first, again)
    assert not first[["low", "high"]].equals(other[["low", "high"]])
    # a third outlet in the tables changes nothing for A and B
    extra = [(f"C{event}", "C", f"e{event}", 1, 5) for event in range(12)]
    more_events, more_counts = measured([*rows, *extra])
    pd.testing.assert_frame_equal(
        first, decompose_gap(more_counts, more_events, "num", "den", ("A", "B"), n_boot=200, seed=3)
    )
    within = compare_within_events(counts, events, "num", "den", ("A", "B"), n_boot=200, seed=3)
    pd.testing.assert_frame_equal(
        within,
        compare_within_events(counts, events, "num", "den", ("A", "B"), n_boot=200, seed=3),
    )


def test_per_pair_runs_every_pair_or_the_ones_given():
    rows = [
        (f"{outlet}{event}", outlet, f"e{event}", event % 3, 3)
        for outlet in "ABC"
        for event in range(4)
    ]
    events, counts = measured(rows)
    assert outlet_pairs(events) == [("A", "B"), ("A", "C"), ("B", "C")]
    assert len(outlet_pairs(events, ordered=True)) == 6
    table = per_pair(
        lambda pair: decompose_gap(counts, events, "num", "den", pair, n_boot=20), events
    )
    assert list(dict.fromkeys(zip(table["first"], table["second"], strict=True))) == [
        ("A", "B"), ("A", "C"), ("B", "C")
    ]  # fmt: skip
    assert table.index.tolist() == list(range(9))
    chosen = per_pair(
        lambda pair: compare_within_events(counts, events, "num", "den", pair, n_boot=20),
        events,
        [["C", "A"]],
    )
    assert set(zip(chosen["first"], chosen["second"], strict=True)) == {("C", "A")}


def test_within_event_errors_say_what_is_wrong():
    events, counts = measured(MIXED)
    args = ("num", "den", ("A", "B"))
    with pytest.raises(ValueError, match=r"missing column\(s\) \['den'\]"):
        decompose_gap(counts.drop(columns="den"), events, *args)
    with pytest.raises(ValueError, match=r"missing column\(s\) \['event_id'\]"):
        compare_within_events(counts, events.drop(columns="event_id"), *args)
    with pytest.raises(ValueError, match=r"outlet\(s\) \['Z'\] have no articles"):
        compare_within_events(counts, events, "num", "den", ("A", "Z"))
    with pytest.raises(ValueError, match="two different outlets"):
        decompose_gap(counts, events, "num", "den", ("A", "A"))
    with pytest.raises(ValueError, match="one row per article"):
        decompose_gap(pd.concat([counts, counts]), events, *args)
    with pytest.raises(ValueError, match="not in the event table"):
        extra = pd.DataFrame({"doc_id": ["zz"], "num": [1], "den": [1]})
        decompose_gap(pd.concat([counts, extra]), events, *args)
    with pytest.raises(ValueError, match="weights must be one of"):
        compare_within_events(counts, events, *args, weights="articles")
    with pytest.raises(ValueError, match="name different outlets"):
        compare_within_events(counts.assign(outlet="A"), events, *args)
    apart, apart_counts = measured([("a1", "A", "e1", 1, 2), ("b1", "B", "e2", 1, 2)])
    for compare in (compare_within_events, decompose_gap, event_ratios):
        with pytest.raises(ValueError, match="no event in which both A and B have articles"):
            compare(apart_counts, apart, *args)
    with pytest.raises(ValueError, match="B has no articles with den > 0"):
        decompose_gap(apart_counts.assign(den=[2, 0], num=[1, 0]), apart, *args)


def test_shared_event_counts_is_the_square_of_who_covers_what():
    events = pd.DataFrame(
        {
            "doc_id": ["a1", "b1", "a2", "c2", "b3", "a4"],
            "outlet": ["A", "B", "A", "C", "B", "A"],
            "date": pd.to_datetime(["2024-01-01"] * 6),
            "event_id": ["e1", "e1", "e2", "e2", "e3", "e4"],
        }
    )
    shared = shared_event_counts(event_coverage(events)).set_index(["outlet_a", "outlet_b"])
    counts = shared["shared_events"]
    assert counts[("A", "A")] == 3 and counts[("B", "B")] == 2 and counts[("C", "C")] == 1
    assert counts[("A", "B")] == counts[("B", "A")] == 1
    assert counts[("B", "C")] == 0
