"""Validation against human labels: agreement from votes, cross-validation, loaded language."""

import krippendorff
import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import precision_recall_fscore_support

from arabmedia.analysis import (
    CASUALTY_LABELS,
    LexiconDetector,
    annotator_ceiling,
    armpro_table,
    attach_spans,
    cross_validated_predictions,
    fignews_agreement,
    fignews_cross_validation,
    fignews_table,
    fignews_term_agency_features,
    loaded_language_matches,
    loaded_language_scores,
    pooled_macro_f1,
    score_methods,
    sinalab_agreement,
    stratified_folds,
    vote_agreement,
    votes_long,
)
from arabmedia.config import load_settings
from arabmedia.lexicons import load_frames, term_sets_from_terms
from arabmedia.text import is_word, tokenize

SETTINGS = load_settings()


def vote_table():
    """Four posts with vote counts for labels a, b (and the derived columns to skip)."""
    return pd.DataFrame(
        {
            "doc_id": ["p1", "p2", "p3", "p4"],
            "group": ["x", "x", "y", "y"],
            "bias_a": [3, 1, 0, 2],
            "bias_b": [0, 1, 2, 2],
            "bias_majority": ["a", "a", "b", "a"],
            "bias_majority_share": [1.0, 0.5, 1.0, 0.5],
        }
    )


def reliability_matrix(long):
    """coders x units matrix for the krippendorff package (NaN = no vote)."""
    wide = long.pivot(index="coder", columns="unit", values="value")
    return wide.replace({"a": 0, "b": 1}).to_numpy(dtype=float)


def test_votes_long_expands_counts_and_alpha_matches_krippendorff_package():
    labels = vote_table()
    long = votes_long(labels, "bias")
    assert long.groupby("unit")["value"].value_counts().to_dict() == {
        ("p1", "a"): 3,
        ("p2", "a"): 1,
        ("p2", "b"): 1,
        ("p3", "b"): 2,
        ("p4", "a"): 2,
        ("p4", "b"): 2,
    }
    table = vote_agreement(labels, "bias")
    expected_alpha = krippendorff.alpha(
        reliability_data=reliability_matrix(long), level_of_measurement="nominal"
    )
    assert table["alpha"].item() == pytest.approx(expected_alpha)
    # per post: p1 all 3 pairs agree, p2 0/1, p3 1/1, p4 2 of 6 ordered pairs -> 2/6
    assert table["pairwise_agreement"].item() == pytest.approx((1 + 0 + 1 + 2 / 6) / 4)
    assert table[["n_units", "n_votes"]].values.tolist() == [[4, 11]]
    grouped = vote_agreement(labels, "bias", by="group")
    assert grouped["group"].tolist() == ["x", "y"]
    assert grouped["pairwise_agreement"].tolist() == pytest.approx([0.5, (1 + 2 / 6) / 2])
    with pytest.raises(ValueError, match="task"):
        votes_long(labels, "stance")
    assert "raw_agreement" not in table.columns  # a different statistic from SinaLab's


def test_sinalab_agreement_on_posts_both_annotators_labelled():
    labels = pd.DataFrame(
        {
            "doc_id": ["p1", "p2", "p3", "p4", "p5"],
            "sinalab1_bias": ["a", "a", "b", "b", ""],
            "sinalab2_bias": ["a", "b", "b", "b", "a"],
            "sinalab1_propaganda": ["x", "x", "x", "y", "y"],
            "sinalab2_propaganda": ["x", "x", "x", "y", "y"],
        }
    )
    table = sinalab_agreement(labels).set_index("task")
    assert table.loc["bias", "n_units"] == 4
    assert table.loc["bias", "raw_agreement"] == 0.75
    matrix = np.array([[0, 0, 1, 1], [0, 1, 1, 1]], dtype=float)
    assert table.loc["bias", "alpha"] == pytest.approx(
        krippendorff.alpha(reliability_data=matrix, level_of_measurement="nominal")
    )
    assert table.loc["prop", "alpha"] == pytest.approx(1.0)


def test_annotator_ceiling_is_perfect_when_annotators_agree():
    labels = pd.DataFrame(
        {
            "doc_id": ["p1", "p2", "p3"],
            "bias_a": [4, 0, 5],
            "bias_b": [0, 3, 0],
            "bias_c": [0, 0, 1],
        }
    )
    scores = annotator_ceiling(labels.iloc[:2], "bias", n_boot=50)
    assert scores["f1"].tolist() == [1.0, 1.0, 1.0]  # a, b, macro
    mixed = annotator_ceiling(labels, "bias", n_boot=50, seed=3)
    again = annotator_ceiling(labels, "bias", n_boot=50, seed=3)
    pd.testing.assert_frame_equal(mixed, again)
    main = annotator_ceiling(labels, "bias", classes=["a", "b"], n_boot=50)
    assert main["label"].tolist() == ["a", "b", "macro"]
    assert main.loc[1, "f1"] == 1.0 and main.loc[0, "recall"] >= 0.5
    with pytest.raises(ValueError, match="unknown bias label"):
        annotator_ceiling(labels, "bias", classes=["a", "z"])


def test_stratified_folds_are_seeded_and_balanced():
    labels = pd.Series(["a"] * 10 + ["b"] * 5)
    folds = stratified_folds(labels, n_splits=5, seed=1)
    assert (stratified_folds(labels, n_splits=5, seed=1) == folds).all()
    assert not (stratified_folds(labels, n_splits=5, seed=2) == folds).all()
    per_fold = pd.crosstab(folds, labels)
    assert (per_fold["a"] == 2).all() and (per_fold["b"] == 1).all()


def synthetic_items(n=60):
    """Labels a/b/c; one feature separates them, and each label has its own words."""
    rng = np.random.default_rng(0)
    labels = pd.Series(np.repeat(["a", "b", "c"], [n // 2, n // 3, n - n // 2 - n // 3]))
    signal = labels.map({"a": 0.0, "b": 5.0, "c": 10.0}) + rng.normal(0, 0.3, len(labels))
    noise = rng.normal(0, 1, len(labels))
    features = pd.DataFrame({"rate_x": signal, "extra_feature": noise})
    words = {"a": ["قصف", "غارة"], "b": ["هدنة", "مفاوضات"], "c": ["مساعدات", "إغاثة"]}
    tokens = pd.Series([[*words[label], "خبر", "اليوم"] for label in labels])
    return labels, features, tokens


def test_cross_validated_predictions_and_scores_match_scikit_learn():
    labels, features, tokens = synthetic_items()
    predictions = cross_validated_predictions(
        labels, features=features, tokens=tokens, n_splits=3, seed=0
    )
    assert list(predictions.columns) == ["fold", "truth", "majority_class", "features", "tfidf"]
    assert (predictions["features"] == labels).mean() > 0.95
    assert (predictions["tfidf"] == labels).all()
    assert set(predictions["majority_class"]) == {"a"}
    scores = score_methods(predictions, n_boot=100)
    order = ["a", "b", "c"]
    for method in ("majority_class", "features", "tfidf"):
        pooled = scores[(scores["method"] == method) & (scores["fold"] == "pooled")]
        expected = precision_recall_fscore_support(
            labels, predictions[method], labels=order, zero_division=0
        )
        for metric, values in zip(("precision", "recall", "f1"), expected[:3], strict=False):
            assert pooled[metric].iloc[:3].tolist() == pytest.approx(list(values))
            assert pooled[metric].iloc[3] == pytest.approx(np.mean(values))  # macro
        assert (pooled["f1_low"] <= pooled["f1"] + 1e-12).all()
        first_fold = scores[(scores["method"] == method) & (scores["fold"] == 0)]
        mask = predictions["fold"] == 0
        fold_f1 = precision_recall_fscore_support(
            labels[mask], predictions.loc[mask, method], labels=order, zero_division=0
        )[2]
        assert first_fold["f1"].iloc[:3].tolist() == pytest.approx(list(fold_f1))
    with pytest.raises(ValueError, match="aligned"):
        cross_validated_predictions(labels, features=features.iloc[1:])
    with pytest.raises(ValueError, match="features, tokens"):
        cross_validated_predictions(labels)


LEXICON = """\
dictionary: toy_loaded
references: {r: Test reference.}
frames:
  - name: loaded_language
    label: Loaded
    definition: Emotional words.
    coding_question: Emotional?
    reference: r
    indicators:
      - {pattern: وحشي, rationale: test}
      - {pattern: مجزرة مروعة, rationale: test phrase}
"""


def test_loaded_language_matching_rule_and_scores(tmp_path):
    path = tmp_path / "lexicon.yaml"
    path.write_text(LEXICON, encoding="utf-8")
    lexicon = load_frames(path)
    p1 = "قصف وحشي، ومجزرة مروعة اليوم"
    p2 = "خبر هادئ تماما"
    p3 = "هجوم وحشي جدا"
    paragraphs = pd.DataFrame({"doc_id": ["d1", "d2", "d3"], "body": [p1, p2, p3]})
    word = p1.index("وحشي")
    spans = pd.DataFrame(
        {
            "doc_id": ["d1", "d1", "d2"],
            "start": [word + 1, 0, p2.index("هادئ")],  # first offsets are off by one
            "end": [word + 5, 3, p2.index("هادئ") + 4],
            "text": ["وحشي", "قصف", "هادئ"],
        }
    )
    table = attach_spans(paragraphs, spans)
    assert table.loc[0, "spans"] == [(0, 3), (word, word + 4)]
    assert table["n_realigned"].tolist() == [1, 0, 0]
    matches = loaded_language_matches(table, LexiconDetector(lexicon)).set_index("doc_id")
    # d1: gold tokens قصف, وحشي; detected وحشي + (ومجزرة, مروعة): 3 tokens, 2 spans
    assert matches.loc["d1"].to_dict() == {
        "gold": True,
        "detected": True,
        "gold_tokens": 2,
        "detected_tokens": 3,
        "overlap_tokens": 1,
        "gold_spans": 2,
        "gold_spans_found": 1,
        "detected_spans": 2,
        "detected_spans_correct": 1,
    }
    assert matches.loc["d2", ["gold", "detected", "gold_tokens"]].tolist() == [True, False, 1]
    assert matches.loc["d3", ["gold", "detected", "detected_tokens"]].tolist() == [False, True, 1]
    scores = loaded_language_scores(matches.reset_index(), n_boot=100).set_index("level")
    precision, recall, _, _ = precision_recall_fscore_support(
        matches["gold"], matches["detected"], labels=[True], zero_division=0
    )
    assert scores.loc["paragraph", "precision"] == pytest.approx(precision[0])
    assert scores.loc["paragraph", "recall"] == pytest.approx(recall[0])
    # tokens: overlap 1 of detected 4 (d1 3 + d3 1) and of gold 3 (d1 2 + d2 1)
    assert scores.loc["token", "precision"] == pytest.approx(1 / 4)
    assert scores.loc["token", "recall"] == pytest.approx(1 / 3)
    assert scores.loc["token", "f1"] == pytest.approx(2 * (1 / 4) * (1 / 3) / (1 / 4 + 1 / 3))
    assert scores.loc["span", "precision"] == pytest.approx(1 / 3)
    assert scores.loc["span", "recall"] == pytest.approx(1 / 3)
    assert scores.loc["span", "n_items"] == 3
    for level in ("token", "span"):
        row = scores.loc[level]
        assert row["precision_low"] <= row["precision"] <= row["precision_high"]


@pytest.mark.corpora
@pytest.mark.skipif(not SETTINGS.mirror.is_dir(), reason="corpus mirror not present")
def test_real_fignews_and_armpro_tables():
    table = fignews_table(SETTINGS)
    assert len(table) == 3300 and table["doc_id"].is_unique
    assert (table["translated_from"] == "").sum() == 660  # Arabic originals
    sinalab = sinalab_agreement(table).set_index("task")
    # the dataset documentation: raw agreement 0.81 (bias) and 0.86 (propaganda)
    assert sinalab.loc["bias", "raw_agreement"] == pytest.approx(0.81, abs=0.005)
    assert sinalab.loc["prop", "raw_agreement"] == pytest.approx(0.86, abs=0.005)
    assert sinalab.loc["bias", "n_units"] == 1200
    paragraphs = armpro_table(SETTINGS)
    assert len(paragraphs) == 672
    assert (paragraphs["spans"].str.len() > 0).sum() == 342
    assert paragraphs["n_unaligned"].sum() == 0


def test_fignews_agreement_keeps_the_two_statistics_apart():
    labels = vote_table().assign(
        prop_x=[2, 1, 1, 0],
        prop_y=[0, 1, 1, 2],
        prop_majority=["x", "x", "x", "y"],
        prop_majority_share=[1.0, 0.5, 0.5, 1.0],
        sinalab1_bias=["a", "a", "b", ""],
        sinalab2_bias=["a", "b", "b", "a"],
        sinalab1_propaganda=["x", "x", "y", "y"],
        sinalab2_propaganda=["x", "x", "y", "y"],
    )
    table = fignews_agreement(labels)
    assert "observed_agreement" not in table.columns
    votes = table[table["annotators"].str.startswith("all teams")].set_index("task")
    sinalab = table[table["annotators"].str.startswith("SinaLab")].set_index("task")
    assert votes["raw_agreement"].isna().all() and sinalab["pairwise_agreement"].isna().all()
    expected = vote_agreement(labels, "bias")["pairwise_agreement"].item()
    assert votes.loc["bias", "pairwise_agreement"] == pytest.approx(expected)
    assert sinalab.loc["bias", "raw_agreement"] == pytest.approx(2 / 3)
    assert sinalab.loc["prop", "raw_agreement"] == 1.0


# ------------------------------------------------- whole steps of notebook 03 (FIGNEWS)


def fignews_items(n=60):
    """Synthetic FIGNEWS-like posts: majority labels a/b/c with the vote counts behind them."""
    labels, features, tokens = synthetic_items(n)
    votes = pd.DataFrame({f"bias_{c}": (labels == c).astype(int) * 3 for c in "abc"})
    votes["bias_a"] += 1  # one dissenting vote for a on every post
    table = pd.concat([pd.DataFrame({"doc_id": [f"p{i}" for i in range(n)]}), votes], axis=1)
    return table.assign(bias_majority=labels), features, tokens


def test_fignews_cross_validation_equals_its_parts():
    labels, features, tokens = fignews_items()
    extended = features.assign(more=features["rate_x"] * 2)
    classes = {"bias": ["a", "b", "c"]}
    scored = fignews_cross_validation(
        labels, features, extended, tokens, classes=classes, n_splits=3, n_boot=50, seed=1
    )
    assert set(scored["task"]) == {"bias"} and set(scored["n_classes"]) == {3}
    assert set(scored["method"]) == {"majority_class", "features", "extended", "tfidf", "ceiling"}
    truth = labels["bias_majority"]
    direct = cross_validated_predictions(
        truth, features=features, tokens=tokens, n_splits=3, seed=1
    )
    expected = score_methods(direct, n_boot=50, seed=1)
    got = scored[scored["method"] == "tfidf"].reset_index(drop=True)
    want = expected[expected["method"] == "tfidf"].reset_index(drop=True)
    assert got["f1"].tolist() == pytest.approx(want["f1"].tolist())
    wider = cross_validated_predictions(truth, features=extended, n_splits=3, seed=1)
    pooled = scored[(scored["method"] == "extended") & (scored["fold"] == "pooled")]
    macro = precision_recall_fscore_support(truth, wider["features"], average="macro")[2]
    assert pooled.loc[pooled["label"] == "macro", "f1"].item() == pytest.approx(macro)
    ceiling = scored[scored["method"] == "ceiling"]
    assert set(ceiling["fold"]) == {"pooled"}
    again = fignews_cross_validation(
        labels, features, extended, tokens, classes=classes, n_splits=3, n_boot=50, seed=1
    )
    pd.testing.assert_frame_equal(scored, again)


def test_pooled_macro_f1_keeps_pooled_rows_and_adds_the_fold_range():
    scored = pd.DataFrame(
        {
            "task": ["bias"] * 7,
            "method": ["m1", "m1", "m1", "m1", "m2", "m2", "ceiling"],
            "fold": [0, 1, "pooled", "pooled", 0, "pooled", "pooled"],
            "label": ["macro", "macro", "macro", "a", "macro", "macro", "macro"],
            "f1": [0.4, 0.8, 0.6, 0.9, 0.5, 0.55, 0.7],
        }
    )
    pooled = pooled_macro_f1(scored)
    assert pooled["method"].tolist() == ["m1", "m2", "ceiling"]
    assert pooled["f1"].tolist() == [0.6, 0.55, 0.7]
    assert pooled["fold_min"].tolist()[:2] == [0.4, 0.5]
    assert pooled["fold_max"].tolist()[:2] == [0.8, 0.5]
    assert np.isnan(pooled["fold_min"].iloc[2]) and np.isnan(pooled["fold_max"].iloc[2])


def test_fignews_term_agency_features_rates_and_alignment():
    posts = pd.DataFrame(
        {
            "doc_id": ["x1", "x2", "x3"],
            "body": ["سقط شهداء في القصف اليوم", "اجتماع الحكومة اليوم", "شهداء شهداء"],
        },
        index=[10, 11, 12],
    )
    tokens = pd.Series([tokenize(body) for body in posts["body"]], index=posts.index)
    term_sets = term_sets_from_terms({"شهداء": ["شهداء"]})
    terms, agency = fignews_term_agency_features(posts, tokens, term_sets)
    assert list(agency.index) == [10, 11, 12]
    assert list(agency.columns) == [f"agency_{label}" for label in CASUALTY_LABELS]
    assert agency.loc[11].sum() == 0  # no casualty word, no casualty sentence
    assert agency.loc[10].sum() >= 1
    (column,) = terms.columns
    assert column.startswith("term_")
    words = [sum(map(is_word, doc)) for doc in tokens]
    assert terms[column].tolist() == pytest.approx([1000 * 1 / words[0], 0.0, 1000 * 2 / words[2]])


def test_fignews_feature_sets_equal_their_parts_and_macro_f1_names():
    from arabmedia.analysis import (
        FIGNEWS_METHOD_NAMES,
        fignews_feature_sets,
        fignews_features,
        fignews_macro_f1,
        pooled_macro_f1,
    )

    posts = pd.DataFrame(
        {"doc_id": ["x1", "x2"], "body": ["سقط شهداء في القصف", "اجتماع الحكومة اليوم"]},
        index=[5, 6],
    )
    term_sets = term_sets_from_terms({"شهداء": ["شهداء"]})
    frames = load_frames("war")
    tokens, features = fignews_feature_sets(posts, term_sets, [frames])
    assert list(features) == ["frame", "terminology", "agency"]
    assert tokens.tolist() == [tokenize(body) for body in posts["body"]]
    pd.testing.assert_frame_equal(features["frame"], fignews_features(posts, [frames]))
    terms, agency = fignews_term_agency_features(posts, tokens, term_sets)
    pd.testing.assert_frame_equal(features["terminology"], terms)
    pd.testing.assert_frame_equal(features["agency"], agency)
    assert all(table.index.tolist() == [5, 6] for table in (features["frame"], agency))
    scored = pd.DataFrame(
        {
            "task": ["bias"] * 4,
            "method": ["tfidf", "tfidf", "tfidf", "ceiling"],
            "fold": ["pooled", "0", "1", "pooled"],
            "label": ["macro"] * 4,
            "f1": [0.5, 0.4, 0.7, 0.8],
        }
    )
    table = fignews_macro_f1(scored)
    direct = pooled_macro_f1(scored)
    assert table["method"].tolist() == [FIGNEWS_METHOD_NAMES[m] for m in direct["method"]]
    assert table["task"].tolist() == ["bias (3 classes)"] * 2
    assert table[["f1", "fold_min"]].iloc[0].tolist() == [0.5, 0.4]
    assert table["fold_max"].iloc[0] == 0.7 and np.isnan(table["fold_min"].iloc[1])


def test_fignews_feature_sets_default_to_the_shipped_term_sets():
    from arabmedia.analysis import fignews_feature_sets
    from arabmedia.lexicons import load_term_sets

    posts = pd.DataFrame({"doc_id": ["x1", "x2"], "body": ["سقط شهداء في القصف", "اجتماع"]})
    frames = [load_frames("war")]
    _, features = fignews_feature_sets(posts, dictionaries=frames)
    _, direct = fignews_feature_sets(posts, load_term_sets("gaza_war"), frames)
    for name in ("terminology", "agency"):
        pd.testing.assert_frame_equal(features[name], direct[name])
    assert features["terminology"].shape == (2, len(load_term_sets("gaza_war").variants()))
    assert features["terminology"].loc[1].sum() == 0  # no listed name in "اجتماع"
