"""Frame dictionaries: loading and validation, matching rules, scores and prevalence."""

import textwrap

import numpy as np
import pandas as pd
import pytest

from arabmedia.analysis import (
    MIXED_FRAMES,
    NO_FRAME,
    compare_frame_change,
    compare_frame_periods,
    compare_frames,
    count_frames,
    find_frames,
    frame_indicator_counts,
    frame_prevalence,
    frame_scores,
    match_frames,
    monthly_frame_prevalence,
    period_labels,
    sentence_frames,
    split_periods,
)
from arabmedia.lexicons import FRAME_FILES, LexiconError, load_frames
from arabmedia.text import tokenize

TOY = """\
dictionary: toy
version: 1
description: A small dictionary written for the tests.
references:
  r1: Test reference one.
  r2: Test reference two.
frames:
  - name: war
    label: War
    definition: Fighting.
    coding_question: Is there fighting?
    reference: r1
    indicators:
      - {pattern: قصف, forms: [غارات], rationale: shelling}
      - {pattern: احتلال, rationale: occupation}
      - {pattern: وقف إطلاق النار, rationale: ceasefire phrase, reference: r2}
      - {pattern: إطلاق النار, rationale: shooting}
  - name: aid
    label: Aid
    definition: Relief.
    coding_question: Is there relief?
    reference: r2
    indicators:
      - {pattern: مساعدات, rationale: aid}
      - {pattern: الله, clitics: exact, rationale: exact word}
      - {pattern: النار, rationale: overlaps the war phrase on purpose}
"""


def write(tmp_path, text, name="toy.yaml"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


@pytest.fixture
def toy(tmp_path):
    return load_frames(write(tmp_path, TOY))


def test_project_dictionaries_load_with_the_frames_the_study_needs():
    frames = load_frames("generic", "war", "journalism")
    assert frames.names == [
        "responsibility",
        "human_interest",
        "conflict",
        "morality",
        "economic_consequences",
        "humanitarian_crisis",
        "military_operations",
        "law_war_crimes",
        "diplomacy_ceasefire",
        "resistance_liberation",
        "terrorism_threat",
        "war_journalism",
        "peace_journalism",
    ]
    table = frames.indicator_table()
    assert table["rationale"].str.len().min() > 3
    assert table["reference"].str.len().min() > 20  # a citation, not a key
    assert load_frames("loaded_language").names == ["loaded_language"]


@pytest.mark.parametrize("name", sorted(FRAME_FILES))
def test_every_project_form_matches_its_own_frame(name):
    frames = load_frames(name)
    for row in frames.indicator_table().itertuples():
        matched = {m.frame for m in match_frames(row.tokens.split(" "), frames)}
        assert row.frame in matched, (name, row.form)


def test_a_bare_form_matches_behind_conjunction_preposition_and_article(toy):
    tokens = tokenize("وللاحتلال بالاحتلال فالاحتلال كالاحتلال الاحتلال احتلال تلال الالاحتلال")
    starts = [m.start for m in match_frames(tokens, toy) if m.indicator == "احتلال"]
    assert starts == [0, 1, 2, 3, 4, 5]  # not تلال, not the ill-formed الالاحتلال


def test_prefixes_normalization_and_exact_matching(toy):
    tokens = tokenize("وللاحتلال وبالقصف ومساعداتهم لله والله الله.")
    frames = [(m.frame, m.indicator) for m in match_frames(tokens, toy)]
    assert ("war", "احتلال") in frames
    assert ("war", "قصف") in frames
    assert ("aid", "مساعدات") not in frames  # a suffix is not stripped
    assert frames.count(("aid", "الله")) == 1  # exact: only the bare word


def test_only_the_first_word_of_a_phrase_takes_clitics(toy):
    found = match_frames(tokenize("ووقف إطلاق النار ، وقف والإطلاق النار"), toy)
    assert [(m.indicator, m.start) for m in found if m.frame == "war"] == [("وقف إطلاق النار", 0)]


def test_phrases_count_once_per_frame_and_other_frames_still_match(toy):
    tokens = tokenize("دعوا إلى وقف إطلاق النار ثم سمع إطلاق النار")
    matches = match_frames(tokens, toy)
    war = [m for m in matches if m.frame == "war"]
    assert [(m.indicator, m.start, m.end) for m in war] == [
        ("وقف إطلاق النار", 2, 5),
        ("إطلاق النار", 7, 9),
    ]
    assert [m.start for m in matches if m.frame == "aid"] == [4, 8]


def test_match_table_reports_surface_tokens(toy):
    tokens = pd.Series([tokenize("والغارات مستمرة"), []], index=["a", "b"])
    table = find_frames(tokens, toy)
    assert table[["row", "frame", "form", "start", "end", "matched"]].values.tolist() == [
        ["a", "war", "غارات", 0, 1, "والغارات"]
    ]


def test_frame_scores_rates_and_dominant_frame(toy):
    texts = {
        "war_only": "قصف وغارات ثم قصف، و مساعدات.",  # war 3, aid 1, six words
        "tie": "قصف ومساعدات",
        "empty": "لا شيء هنا",
        "blank": "",
    }
    tokens = pd.Series({k: tokenize(v) for k, v in texts.items()})
    scores = frame_scores(tokens, toy, per=100)
    assert scores.loc["war_only", "n_tokens"] == 6  # punctuation not counted
    assert scores.loc["war_only", "hits_war"] == 3
    assert scores.loc["war_only", "rate_war"] == pytest.approx(300 / 6)
    assert scores.loc["war_only", "n_frames"] == 2
    assert scores["dominant_frame"].tolist() == ["war", MIXED_FRAMES, NO_FRAME, NO_FRAME]
    assert scores.loc["blank", "rate_aid"] == 0
    first = frame_scores(tokens, toy, ties="first")
    assert first.loc["tie", "dominant_frame"] == "war"  # dictionary order
    with pytest.raises(ValueError, match="ties"):
        frame_scores(tokens, toy, ties="random")


def articles_table():
    return pd.DataFrame(
        {
            "doc_id": ["d1", "d2", "d3", "d4"],
            "outlet": ["A", "A", "B", "B"],
            "date": pd.to_datetime(["2023-10-02", "2023-11-05", "2023-10-09", None]),
            "title": ["قصف المدينة", "مساعدات", "", "قصف"],
            "lead": ["", "", "", ""],
            "body": ["غارات ليلا. وصلت المساعدات!\nلا جديد", "", "قصف", "قصف وقصف"],
        }
    )


def test_article_and_sentence_frames(toy):
    articles = articles_table()
    tokens = pd.Series([tokenize(t) for t in articles["title"] + " " + articles["body"]])
    scores = count_frames(articles, tokens, toy)
    assert list(scores.columns[:3]) == ["doc_id", "outlet", "date"]
    assert scores["hits_war"].tolist() == [2, 0, 1, 3]
    with pytest.raises(ValueError, match="aligned"):
        count_frames(articles, tokens.iloc[:3], toy)
    sentences = sentence_frames(articles, toy)
    first = sentences[sentences["doc_id"] == "d1"]
    assert first["text"].tolist() == ["قصف المدينة", "غارات ليلا.", "وصلت المساعدات!", "لا جديد"]
    assert first["dominant_frame"].tolist() == ["war", "war", "aid", NO_FRAME]
    assert sentences.groupby("doc_id")["hits_war"].sum().to_dict() == {
        "d1": 2,
        "d2": 0,
        "d3": 1,
        "d4": 3,
    }


def test_prevalence_estimates_match_hand_computation(toy):
    articles = articles_table()
    tokens = pd.Series([tokenize(t) for t in articles["title"] + " " + articles["body"]])
    scores = count_frames(articles, tokens, toy)
    share = compare_frames(scores, toy, "outlet", n_boot=200)
    war_a = share[(share["frame"] == "war") & (share["outlet"] == "A")].iloc[0]
    assert war_a["estimate"] == 0.5 and war_a["n_units"] == 2
    assert war_a["low"] <= war_a["estimate"] <= war_a["high"]
    rate = compare_frames(scores, ["war"], "outlet", measure="rate", per=100, n_boot=50)
    b = rate[rate["outlet"] == "B"].iloc[0]
    n_b = scores.loc[scores["outlet"] == "B", "n_tokens"].sum()
    assert b["estimate"] == pytest.approx(100 * 4 / n_b)
    monthly = compare_frames(scores, toy, (), freq="M", n_boot=50, measure="dominant")
    assert sorted(monthly["period"].unique()) == list(pd.to_datetime(["2023-10-01", "2023-11-01"]))
    october_war = monthly[(monthly["frame"] == "war") & (monthly["period"] == "2023-10-01")]
    assert october_war["estimate"].item() == 1.0 and october_war["n_units"].item() == 2
    same = compare_frames(scores, toy, "outlet", n_boot=200)
    assert np.allclose(same[["low", "high"]], share[["low", "high"]])  # seeded
    with pytest.raises(ValueError, match="measure"):
        compare_frames(scores, toy, measure="max")


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (("rationale: shelling", "note: shelling"), r"frame 'war', indicator 'قصف'.*unknown key"),
        (("{pattern: مساعدات, rationale: aid}", "{pattern: مساعدات}"), r"missing 'rationale'"),
        (("reference: r2}", "reference: r9}"), r"indicator 'وقف إطلاق النار'.*'r9'"),
        (("name: aid", "name: Aid-Frame"), r"frame 'Aid-Frame'.*'name'.*should match pattern"),
        (("forms: [غارات]", "forms: [قصفٌ]"), r"indicator 'قصف'.*duplicates.*normalization"),
        (("forms: [غارات]", "forms: [«»]"), r"indicator 'قصف'.*(no word|punctuation)"),
        (("clitics: exact", "clitics: yes please"), r"indicator 'الله'.*'clitics'.*'exact'"),
        (("    definition: Relief.\n", ""), r"frame 'aid'.*missing 'definition'"),
        (("frames:", "frames: [\n"), r"not valid UTF-8 YAML"),
    ],
)
def test_invalid_files_name_file_frame_indicator_and_reason(tmp_path, edit, message):
    old, new = edit
    assert old in TOY
    path = write(tmp_path, TOY.replace(old, new, 1))
    with pytest.raises(LexiconError, match=message) as error:
        load_frames(path)
    assert str(path) in str(error.value)


def test_frame_names_must_be_unique_across_files(tmp_path):
    first = write(tmp_path, TOY, "one.yaml")
    second = write(tmp_path, TOY, "two.yaml")
    with pytest.raises(LexiconError, match=r"two.yaml: frame 'war': name already used"):
        load_frames(first, second)
    with pytest.raises(LexiconError, match="no such frame dictionary file"):
        load_frames(tmp_path / "missing.yaml")


def test_compare_frame_change_rates_per_thousand_words_by_hand(toy):
    scores = pd.DataFrame(
        {
            "period": ["before", "before", "after", "after", "after"],
            "n_tokens": [100, 300, 200, 200, 100],
            "hits_war": [1, 3, 5, 3, 2],
            "hits_aid": [2, 0, 0, 1, 0],
        }
    )
    change = compare_frame_change(scores, toy, "period", "before", "after", n_boot=200, seed=0)
    assert change["frame"].tolist() == ["war", "aid"]  # dictionary order
    assert change["label"].tolist() == ["War", "Aid"]
    war, aid = change.iloc[0], change.iloc[1]
    assert (war["n_first"], war["n_second"]) == (2, 3)
    assert war["estimate_first"] == pytest.approx(1000 * 4 / 400)
    assert war["estimate_second"] == pytest.approx(1000 * 10 / 500)
    assert war["difference"] == pytest.approx(20 - 10)
    assert aid["difference"] == pytest.approx(1000 * 1 / 500 - 1000 * 2 / 400)
    assert (change["low"] <= change["difference"]).all()
    assert (change["difference"] <= change["high"]).all()
    again = compare_frame_change(scores, toy, "period", "before", "after", n_boot=200, seed=0)
    pd.testing.assert_frame_equal(change, again)


def test_frame_indicator_counts_count_patterns_and_forms(toy):
    table = frame_indicator_counts(toy)
    assert table.columns.tolist() == ["dictionary", "frame", "label", "indicators", "forms"]
    assert table["frame"].tolist() == ["war", "aid"]
    assert table["label"].tolist() == ["War", "Aid"]
    assert table["indicators"].tolist() == [4, 3]
    indicators = toy.indicator_table()
    assert table["forms"].tolist() == indicators.groupby("frame", sort=False).size().tolist()


def test_frame_prevalence_labels_frames_and_drops_thin_groups(toy):
    articles = articles_table()
    tokens = pd.Series([tokenize(t) for t in articles["title"] + " " + articles["body"]])
    scores = count_frames(articles, tokens, toy)
    table = frame_prevalence(scores, toy, "outlet", n_boot=50, seed=0)
    direct = compare_frames(scores, toy, "outlet", n_boot=50, seed=0)
    pd.testing.assert_frame_equal(table.drop(columns="label"), direct)
    assert table.columns.tolist().index("label") == table.columns.tolist().index("frame") + 1
    assert table["label"].tolist() == direct["frame"].map({"war": "War", "aid": "Aid"}).tolist()
    monthly = frame_prevalence(scores, toy, "outlet", names=["war"], freq="M", min_units=2)
    assert monthly.empty  # no outlet has two dated articles in one month
    monthly = frame_prevalence(scores, toy, (), names=["war"], freq="M", min_units=2, n_boot=20)
    assert monthly["period"].tolist() == [pd.Timestamp("2023-10-01")]  # d1 and d3
    assert monthly["estimate"].tolist() == [1.0] and monthly["label"].tolist() == ["War"]


def test_compare_frame_periods_of_one_outlet_equals_the_direct_computation(toy):
    table = articles_table()
    articles = split_periods(table[table["outlet"] == "A"], "2023-10-07")
    tokens = pd.Series([tokenize(t) for t in articles["title"]], index=articles.index)
    change = compare_frame_periods(articles, tokens, toy, "2023-10-07", n_boot=50, seed=3)
    scores = count_frames(articles, tokens, toy).assign(period=articles["period"])
    before, after = period_labels("2023-10-07")
    direct = compare_frame_change(scores, toy, "period", before, after, n_boot=50, seed=3)
    assert change.columns[0] == "outlet" and set(change["outlet"]) == {"A"}
    pd.testing.assert_frame_equal(change.drop(columns="outlet"), direct)
    war = change.set_index("frame").loc["war"]
    # before: d1 (title: 1 war hit in 2 words); from: d2 (no war hit in 1 word)
    assert (war["n_first"], war["n_second"]) == (1, 1)
    assert war["estimate_first"] == pytest.approx(1000 * 1 / 2)
    assert war["difference"] == pytest.approx(-500)


def three_outlet_bodies() -> pd.DataFrame:
    """Bodies of outlets A, B, C around 7 Oct 2023 (invented); C has none before."""
    rows = [
        ("a1", "A", "2023-09-01", "قصف المدينة"),
        ("a2", "A", "2023-10-10", "مساعدات إلى المدينة"),
        ("a3", "A", "2023-10-11", "قصف وغارات"),
        ("b1", "B", "2023-08-01", "مساعدات"),
        ("b2", "B", "2023-09-20", "قصف قصف قصف"),
        ("b3", "B", "2023-11-01", "قصف ثم مساعدات"),
        ("c1", "C", "2023-10-08", "قصف"),
        ("c2", "C", "2023-10-09", "مساعدات"),
    ]
    table = pd.DataFrame(rows, columns=["doc_id", "outlet", "date", "body"])
    return table.assign(date=pd.to_datetime(table["date"]))


def test_compare_frame_periods_compares_each_outlet_with_itself(toy):
    articles = split_periods(three_outlet_bodies(), "2023-10-07")
    tokens = pd.Series([tokenize(t) for t in articles["body"]], index=articles.index)
    change = compare_frame_periods(articles, tokens, toy, "2023-10-07", n_boot=50, seed=3)
    assert change["outlet"].unique().tolist() == ["A", "B", "C"]
    for outlet in "ABC":
        rows = articles["outlet"] == outlet
        alone = compare_frame_periods(
            articles[rows], tokens[rows], toy, "2023-10-07", n_boot=50, seed=3
        )
        pd.testing.assert_frame_equal(
            change[change["outlet"] == outlet].reset_index(drop=True), alone
        )
    war = change[change["frame"] == "war"].set_index("outlet")
    # A: before 1 hit in 2 words, after 2 hits in 5 words; B: 3 of 4, then 1 of 3
    assert war.loc["A", "difference"] == pytest.approx(1000 * (2 / 5 - 1 / 2))
    assert war.loc["B", "difference"] == pytest.approx(1000 * (1 / 3 - 3 / 4))
    assert war.loc["C", "n_first"] == 0 and np.isnan(war.loc["C", "difference"])


def test_monthly_frame_prevalence_drops_wordless_articles_and_thin_months(toy):
    articles = articles_table()
    scores = count_frames(articles, pd.Series([tokenize(t) for t in articles["title"]]), toy)
    monthly = monthly_frame_prevalence(scores, toy, ["war"], n_boot=20, seed=1)
    direct = frame_prevalence(
        scores[scores["n_tokens"] > 0], toy, "outlet", names=["war"], freq="M", n_boot=20, seed=1
    )
    pd.testing.assert_frame_equal(monthly, direct)
    # d3 (outlet B) has an empty title and d4 no date: only A's two months remain
    assert monthly["outlet"].tolist() == ["A", "A"]
    assert monthly["period"].tolist() == [pd.Timestamp("2023-10-01"), pd.Timestamp("2023-11-01")]
    assert monthly["estimate"].tolist() == [1.0, 0.0] and set(monthly["label"]) == {"War"}
    assert monthly_frame_prevalence(scores, toy, ["war"], 2, n_boot=20).empty
