import krippendorff
import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import precision_recall_fscore_support

from arabmedia.stats import (
    bootstrap_difference,
    bootstrap_ratio,
    bootstrap_ratios,
    classification_scores,
    krippendorff_alpha,
)


@pytest.fixture
def articles():
    """Two outlets; per article: mentions of a name and tokens."""
    return pd.DataFrame(
        {
            "outlet": ["A", "A", "A", "B", "B"],
            "mentions": [1, 0, 3, 2, 2],
            "tokens": [100, 50, 150, 200, 200],
        }
    )


def test_ratio_of_sums_per_group(articles):
    result = bootstrap_ratio(
        articles, "mentions", "outlet", denominator="tokens", scale=10_000, n_boot=200
    )
    assert result["outlet"].tolist() == ["A", "B"]
    # A: 4 mentions in 300 tokens; B: 4 in 400.
    assert result["estimate"].tolist() == pytest.approx([4 / 300 * 1e4, 4 / 400 * 1e4])
    assert result["numerator"].tolist() == [4, 4]
    assert result["denominator"].tolist() == [300, 400]
    assert result["n_units"].tolist() == [3, 2]
    # B's articles have identical rates: every resample gives the same ratio.
    assert result.loc[1, "low"] == pytest.approx(100) and result.loc[1, "high"] == pytest.approx(
        100
    )
    assert (result["low"] <= result["estimate"]).all()
    assert (result["estimate"] <= result["high"]).all()


def test_several_numerators_share_one_resample_and_match_one_at_a_time():
    rng = np.random.default_rng(5)
    frame = pd.DataFrame(
        {
            "outlet": rng.choice(["A", "B"], 300),
            "killed": rng.poisson(1, 300),
            "martyrs": rng.poisson(2, 300),
        }
    )
    frame["dead"] = frame["killed"] + frame["martyrs"]
    together = bootstrap_ratios(
        frame, ["martyrs", "killed"], "outlet", name="variant", denominator="dead", seed=2
    )
    assert together.columns.tolist()[:2] == ["outlet", "variant"]
    assert together["variant"].tolist() == ["martyrs", "martyrs", "killed", "killed"]
    for variant in ("martyrs", "killed"):
        alone = bootstrap_ratio(frame, variant, "outlet", denominator="dead", seed=2)
        pd.testing.assert_frame_equal(
            together[together["variant"] == variant].drop(columns="variant").reset_index(drop=True),
            alone,
        )
    # The two shares of one resample add up to 1, so their intervals mirror each other.
    martyrs, killed = together.iloc[:2], together.iloc[2:]
    np.testing.assert_allclose(martyrs["low"].to_numpy(), 1 - killed["high"].to_numpy())
    with pytest.raises(ValueError, match="missing column"):
        bootstrap_ratios(frame, ["martyrs", "nope"], "outlet")


def test_mean_without_denominator(articles):
    result = bootstrap_ratio(articles, "mentions", n_boot=100)
    assert result.loc[0, "estimate"] == pytest.approx(8 / 5)
    assert result.loc[0, "denominator"] == 5


def test_seeded_and_groups_independent(articles):
    first = bootstrap_ratio(articles, "mentions", "outlet", denominator="tokens", seed=3)
    again = bootstrap_ratio(articles, "mentions", "outlet", denominator="tokens", seed=3)
    pd.testing.assert_frame_equal(first, again)
    only_a = bootstrap_ratio(
        articles[articles["outlet"] == "A"], "mentions", "outlet", denominator="tokens", seed=3
    )
    pd.testing.assert_frame_equal(first.iloc[:1], only_a)
    rng = np.random.default_rng(0)
    many = pd.DataFrame({"mentions": rng.poisson(2, 500), "tokens": rng.integers(50, 500, 500)})
    seed_3 = bootstrap_ratio(many, "mentions", denominator="tokens", seed=3)
    seed_4 = bootstrap_ratio(many, "mentions", denominator="tokens", seed=4)
    assert seed_3.loc[0, "estimate"] == seed_4.loc[0, "estimate"]
    assert seed_3.loc[0, "low"] != seed_4.loc[0, "low"]


def test_interval_matches_normal_theory_for_a_mean():
    # For a mean of n iid values the bootstrap interval approaches mean +- 1.96 sd/sqrt(n).
    values = np.random.default_rng(1).normal(10, 2, size=4000)
    result = bootstrap_ratio(pd.DataFrame({"x": values}), "x", n_boot=2000)
    half_width = 1.96 * values.std(ddof=1) / np.sqrt(len(values))
    assert result.loc[0, "high"] - result.loc[0, "low"] == pytest.approx(2 * half_width, rel=0.1)


def test_difference_between_periods():
    frame = pd.DataFrame(
        {
            "period": ["before"] * 4 + ["after"] * 4,
            "hits": [0, 1, 0, 1, 2, 3, 2, 3],
        }
    )
    result = bootstrap_difference(frame, "hits", "period", "before", "after", n_boot=500)
    row = result.iloc[0]
    assert row["estimate_first"] == pytest.approx(0.5)
    assert row["estimate_second"] == pytest.approx(2.5)
    assert row["difference"] == pytest.approx(2.0)
    assert row["low"] <= 2.0 <= row["high"]
    assert row["low"] > 0  # the two periods do not overlap at all
    assert (row["n_first"], row["n_second"]) == (4, 4)


def test_difference_with_a_missing_side_is_nan():
    frame = pd.DataFrame({"g": ["x", "y"], "period": ["before", "before"], "hits": [1, 2]})
    result = bootstrap_difference(frame, "hits", "period", "before", "after", by="g", n_boot=10)
    assert result["difference"].isna().all()
    assert result["n_second"].tolist() == [0, 0]


def test_bad_input_names_the_problem(articles):
    with pytest.raises(ValueError, match="missing column"):
        bootstrap_ratio(articles, "nope")
    with pytest.raises(ValueError, match="ci must be"):
        bootstrap_ratio(articles, "mentions", ci=95)


# Krippendorff (2011), "Computing Krippendorff's alpha-reliability", example C:
# 4 coders, 12 units, missing values; published alphas nominal 0.743, interval 0.849.
KRIPPENDORFF_2011 = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
    [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
]


def _long(matrix):
    return pd.DataFrame(
        [
            {"unit": u, "coder": c, "value": v}
            for c, row in enumerate(matrix)
            for u, v in enumerate(row)
            if v is not None
        ]
    )


def test_alpha_matches_krippendorff_worked_example():
    codes = _long(KRIPPENDORFF_2011)
    assert round(krippendorff_alpha(codes), 3) == 0.743
    assert round(krippendorff_alpha(codes, level="interval"), 3) == 0.849


@pytest.mark.parametrize("level", ["nominal", "interval"])
def test_alpha_matches_krippendorff_package(level):
    rng = np.random.default_rng(7)
    truth = rng.integers(0, 4, size=60)
    matrix = np.array(
        [np.where(rng.random(60) < 0.7, truth, rng.integers(0, 4, size=60)) for _ in range(3)],
        dtype=float,
    )
    matrix[rng.random(matrix.shape) < 0.15] = np.nan
    reference = krippendorff.alpha(reliability_data=matrix, level_of_measurement=level)
    rows = [[None if np.isnan(v) else v for v in row] for row in matrix]
    assert krippendorff_alpha(_long(rows), level=level) == pytest.approx(reference, abs=1e-9)


def test_alpha_rejects_double_codes():
    codes = pd.DataFrame({"unit": [1, 1], "coder": ["a", "a"], "value": [1, 2]})
    with pytest.raises(ValueError, match="coded unit 1 twice"):
        krippendorff_alpha(codes)


def test_classification_scores_match_sklearn():
    rng = np.random.default_rng(2)
    labels = ["agentless", "cause", "named"]
    true = rng.choice(labels, size=300)
    pred = np.where(rng.random(300) < 0.6, true, rng.choice(labels, size=300))
    pred[:5] = "other"  # a predicted label never true: precision 0 on it, recall undefined
    all_labels = [*labels, "other"]
    result = classification_scores(true, pred, labels=all_labels, n_boot=200).set_index("label")
    precision, recall, f1, support = precision_recall_fscore_support(
        true, pred, labels=all_labels, zero_division=0
    )
    np.testing.assert_allclose(result.loc[all_labels, "precision"], precision, atol=1e-12)
    np.testing.assert_allclose(result.loc[all_labels, "recall"], recall, atol=1e-12)
    np.testing.assert_allclose(result.loc[all_labels, "f1"], f1, atol=1e-12)
    assert result.loc[all_labels, "support"].tolist() == support.tolist()
    macro = precision_recall_fscore_support(
        true, pred, labels=all_labels, average="macro", zero_division=0
    )
    assert result.loc["macro", ["precision", "recall", "f1"]].tolist() == pytest.approx(
        list(macro[:3])
    )
    for metric in ("precision", "recall", "f1"):
        assert (result[f"{metric}_low"] <= result[metric] + 1e-12).all()
        assert (result[metric] <= result[f"{metric}_high"] + 1e-12).all()


def test_bootstrap_differences_equal_one_difference_per_numerator():
    from arabmedia.stats import bootstrap_difference, bootstrap_differences, with_interval

    frame = pd.DataFrame(
        {
            "side": ["x", "x", "x", "y", "y", "y"],
            "hit": [1, 0, 2, 1, 1, 0],
            "miss": [0, 2, 1, 3, 0, 1],
            "total": [2, 2, 3, 4, 1, 1],
        }
    )
    table = bootstrap_differences(
        frame, ["hit", "miss"], "side", "x", "y", name="label", denominator="total", n_boot=50
    )
    assert table.columns[0] == "label" and table["label"].tolist() == ["hit", "miss"]
    alone = bootstrap_difference(frame, "miss", "side", "x", "y", denominator="total", n_boot=50)
    pd.testing.assert_frame_equal(table.iloc[[1], 1:].reset_index(drop=True), alone)
    text = with_interval(pd.DataFrame({"estimate": [0.5], "low": [0.25], "high": [0.75]}))
    assert text == ["0.500 [0.250, 0.750]"]


def test_reading_tables_format_intervals_by_hand():
    from arabmedia.stats import difference_table, interval_table, metric_table

    table = pd.DataFrame(
        {
            "label": ["b", "b", "a", "a"],
            "outlet": ["X", "Y", "X", "Y"],
            "estimate": [0.5, 0.25, 0.125, 1.0],
            "low": [0.4, 0.2, 0.1, 0.9],
            "high": [0.6, 0.3, 0.2, 1.0],
        }
    )
    pivot = interval_table(table, "label", "outlet", digits=2)
    assert pivot.index.tolist() == ["b", "a"] and pivot.columns.tolist() == ["X", "Y"]
    assert pivot.loc["a", "X"] == "0.12 [0.10, 0.20]" and pivot.loc["b", "Y"] == "0.25 [0.20, 0.30]"
    scores = pd.DataFrame({"label": ["k"], "f1": [0.5], "f1_low": [0.25], "f1_high": [0.75]})
    assert metric_table(scores, ["label"], ["f1"]).to_dict("list") == {
        "label": ["k"],
        "f1": ["0.500 [0.250, 0.750]"],
    }
    change = pd.DataFrame(
        {
            "label": ["k"],
            "n_first": [3],
            "n_second": [4],
            "estimate_first": [0.1234],
            "estimate_second": [0.5],
            "difference": [0.3766],
            "low": [0.1],
            "high": [0.6],
        }
    )
    shown = difference_table(change, "before", "after", counts=True)
    assert shown.columns.tolist() == [
        "label",
        "n_first",
        "n_second",
        "before",
        "after",
        "difference",
    ]
    assert shown.iloc[0].tolist() == ["k", 3, 4, 0.123, 0.5, "0.377 [0.100, 0.600]"]


def test_resampled_coincidences_give_the_alpha_of_each_resample():
    from arabmedia.stats._agreement import (
        alpha_from_coincidences,
        resampled_coincidences,
        unit_coincidences,
    )

    rng = np.random.default_rng(7)
    n = 40
    first = rng.choice(["a", "b", "c"], n)
    second = np.where(rng.random(n) < 0.7, first, rng.choice(["a", "b", "c"], n))
    codes = pd.DataFrame({"unit": np.tile(np.arange(n), 2),
                          "coder": np.repeat(["x", "y"], n),
                          "value": np.concatenate([first, second])})  # fmt: skip
    contributions, categories, units = unit_coincidences(codes)
    assert units.tolist() == list(range(n))
    rows = rng.integers(0, n, (25, n))
    draws = alpha_from_coincidences(resampled_coincidences(contributions, rows), categories)
    for row, draw in zip(rows, draws, strict=True):
        resample = pd.DataFrame({"unit": np.tile(np.arange(n), 2),
                                 "coder": np.repeat(["x", "y"], n),
                                 "value": np.concatenate([first[row], second[row]])})  # fmt: skip
        assert draw == pytest.approx(krippendorff_alpha(resample), abs=1e-12)
