"""Domain check: forms driving terms, frames and agency, warnings with KWIC, length check.

The texts below were written for these tests.  Outlet A is a "sports page" where one form
carries a result (الكيان the club, بطولة a championship, أصيب a player's injury); outlet
B spreads the same result over several forms, its top form at exactly 30%.
"""

from __future__ import annotations

import textwrap

import numpy as np
import pandas as pd
import pytest

from arabmedia import analysis
from arabmedia.lexicons import load_agency_lexicon, load_frames, load_term_sets
from arabmedia.text import token_regex, tokenize

TERMS = """\
name: domain_test
description: Names of Israel, for the domain-check tests.
concepts:
  - id: israel
    label: Israel
    variants:
      - id: entity
        label: الكيان
        patterns: [الكيان, الكيان الصهيوني]
        rationale: test variant
      - id: israel
        label: إسرائيل
        patterns: [إسرائيل]
        rationale: test variant
"""

FRAMES = """\
dictionary: domain_toy
version: 1
description: A dictionary written for the domain-check tests.
references:
  r1: Test reference.
frames:
  - name: resistance
    label: Resistance
    definition: Resistance and liberation.
    coding_question: Is resistance praised?
    reference: r1
    indicators:
      - {pattern: مقاومة, rationale: resistance}
      - {pattern: بطولة, rationale: heroism}
      - {pattern: انتصار, rationale: victory}
"""

# Ten titles per outlet, one mention of the entity variant each (more than five tokens on
# each side of it, so KWIC windows are cut).  A: bare الكيان 8 times (once with a kasra),
# الكيان الصهيوني twice -> 80%.  B: الكيان الصهيوني 3, الكيان 3, للكيان 2, والكيان 2 -> the top
# form has exactly 30%; B also names إسرائيل once (one hit only).
LEFT = "قال المعلق في الاستوديو مساء أمس إن"
RIGHT = "فاز على ضيفه في مباراة الدوري العام للأندية."
ENTITY_A = ["الكيان"] * 7 + ["الكِيان"] + ["الكيان الصهيوني"] * 2
ENTITY_B = ["الكيان الصهيوني"] * 3 + ["الكيان"] * 3 + ["للكيان"] * 2 + ["والكيان"] * 2
# Frame resistance: A has بطولة in 8 titles (ة kept in the text, ه after normalizing), مقاومة
# and انتصار once each -> 80%; B: مقاومة 3, المقاومة 3, بطولة 2, انتصار 2 -> 30%.
FRAME_A = ["بطولة"] * 8 + ["مقاومة", "انتصار"]
FRAME_B = ["مقاومة"] * 3 + ["المقاومة"] * 3 + ["بطولة"] * 2 + ["انتصار"] * 2


def articles_table() -> pd.DataFrame:
    rows = []
    for outlet, entities, frames in (("A", ENTITY_A, FRAME_A), ("B", ENTITY_B, FRAME_B)):
        for number, (entity, frame) in enumerate(zip(entities, frames, strict=True)):
            title = f"{LEFT} {entity} {RIGHT} وتحدث عن {frame} الفريق"
            rows.append((f"{outlet}:{number}", outlet, title))
    rows.append(("B:10", "B", "وزار الوفد إسرائيل أمس."))
    table = pd.DataFrame(rows, columns=["doc_id", "outlet", "title"])
    return table.set_index(pd.Index([f"row{n}" for n in range(len(table))]))


@pytest.fixture(scope="module")
def articles() -> pd.DataFrame:
    return articles_table()


@pytest.fixture(scope="module")
def texts(articles) -> pd.Series:
    return articles["title"]


@pytest.fixture(scope="module")
def tokens(texts) -> pd.Series:
    return texts.map(tokenize)


@pytest.fixture(scope="module")
def term_sets(tmp_path_factory):
    path = tmp_path_factory.mktemp("terms") / "domain_test.yaml"
    path.write_text(textwrap.dedent(TERMS), encoding="utf-8")
    return load_term_sets(path)


@pytest.fixture(scope="module")
def frames(tmp_path_factory):
    path = tmp_path_factory.mktemp("frames") / "domain_toy.yaml"
    path.write_text(textwrap.dedent(FRAMES), encoding="utf-8")
    return load_frames(path)


@pytest.fixture(scope="module")
def term_hits(articles, texts, tokens, term_sets):
    matches = analysis.find_terms(tokens, term_sets)
    return analysis.term_hits(matches, articles, texts, tokens, level="variant")


def test_term_hits_judge_the_concept_by_default(articles, texts, tokens, term_sets):
    matches = analysis.find_terms(tokens, term_sets)
    concept = analysis.term_hits(matches, articles, texts, tokens)
    variant = analysis.term_hits(matches, articles, texts, tokens, level="variant")
    assert set(concept["item"]) == {"israel"}
    assert (variant["item"].str.split("/").str[0] == concept["item"]).all()
    with pytest.raises(ValueError, match="level"):
        analysis.term_hits(matches, articles, texts, tokens, level="name")


@pytest.fixture(scope="module")
def frame_hits(articles, texts, tokens, frames):
    found = analysis.find_frames(tokens, frames)
    return analysis.frame_hits(found, articles, texts, tokens, settings=frames.settings)


def kwic_parts(line: str) -> tuple[str, str, str, str]:
    """(doc_id, left, match, right) of one "doc_id: left [match] right" line."""
    doc_id, rest = line.split(": ", 1)
    left, rest = rest.split("[", 1)
    match, right = rest.split("]", 1)
    return doc_id, left.strip(), match, right.strip()


# --------------------------------------------------------------------------- hits and forms


def test_hits_carry_the_original_spelling_that_normalizes_back_to_the_hit(term_hits):
    assert list(term_hits.columns) == ["outlet", *analysis.HIT_COLUMNS]
    assert len(term_hits) == 21 and term_hits["aligned"].all()
    assert set(term_hits["item"]) == {"israel/entity", "israel/israel"}
    kasra = term_hits[term_hits["doc_id"] == "A:7"].iloc[0]
    assert (kasra["form"], kasra["normalized"]) == ("الكِيان", "الكيان")
    hamza = term_hits[term_hits["item"] == "israel/israel"].iloc[0]
    assert (hamza["form"], hamza["normalized"], hamza["doc_id"]) == ("إسرائيل", "اسرائيل", "B:10")
    for form, normalized in zip(term_hits["form"], term_hits["normalized"], strict=True):
        assert tokenize(form) == normalized.split()


def test_count_forms_gives_each_forms_share_with_its_most_frequent_spelling(term_hits):
    forms = analysis.count_forms(term_hits)
    assert list(forms.columns) == ["outlet", *analysis.FORM_COLUMNS]
    a = forms[(forms["outlet"] == "A") & (forms["item"] == "israel/entity")]
    # 7 written الكيان, 1 الكِيان: one normalized form, shown as the majority spelling
    assert a[["form", "hits", "item_hits", "rank"]].values.tolist() == [
        ["الكيان", 8, 10, 1],
        ["الكيان الصهيوني", 2, 10, 2],
    ]
    assert a["share"].tolist() == pytest.approx([0.8, 0.2])
    b = forms[(forms["outlet"] == "B") & (forms["item"] == "israel/entity")]
    assert b["hits"].tolist() == [3, 3, 2, 2] and b["rank"].tolist() == [1, 2, 3, 4]
    # ties in hits are ranked by the normalized form
    assert b["normalized"].tolist()[:2] == sorted(["الكيان", "الكيان الصهيوني"])
    sums = forms.groupby(["outlet", "analysis", "item"])["share"].sum()
    assert sums.to_numpy() == pytest.approx(1.0)


def test_hits_must_match_the_tokens_they_were_found_in(articles, texts, tokens, term_sets):
    matches = analysis.find_terms(tokens, term_sets)
    shifted = matches.assign(position=matches["position"] + 1)
    with pytest.raises(ValueError, match="not the hit"):
        analysis.term_hits(shifted, articles, texts, tokens)
    with pytest.raises(ValueError, match="not in the article table"):
        analysis.term_hits(matches, articles.iloc[:3], texts, tokens)
    with pytest.raises(ValueError, match="missing column"):
        analysis.term_hits(matches, articles.drop(columns="doc_id"), texts, tokens)


def test_a_text_that_no_longer_gives_the_tokens_falls_back_to_the_normalized_form():
    articles = pd.DataFrame({"doc_id": ["x"], "outlet": ["A"]}, index=["d"])
    texts = pd.Series({"d": "فاز الكيان"})
    tokens = pd.Series({"d": ["فاز", "الكيان", "."]})  # from an older version of the text
    sets = analysis.find_terms(tokens, term_sets_from({"e": ["الكيان"]}))
    hits = analysis.term_hits(sets, articles, texts, tokens)
    assert hits[["form", "normalized", "aligned"]].values.tolist() == [["الكيان", "الكيان", False]]


def term_sets_from(terms):
    from arabmedia.lexicons import term_sets_from_terms

    return term_sets_from_terms(terms)


# --------------------------------------------------------------------------- warnings


def test_one_form_with_80_percent_is_flagged_in_one_outlet_not_the_other(term_hits, texts, tokens):
    forms = analysis.count_forms(term_hits)
    warnings = analysis.domain_warnings(forms, term_hits, texts, tokens, min_hits=10)
    assert list(warnings.columns) == ["outlet", *analysis.WARNING_COLUMNS]
    assert warnings[["outlet", "item", "form", "hits", "item_hits", "n_forms"]].values.tolist() == [
        ["A", "israel/entity", "الكيان", 8, 10, 2]
    ]
    assert warnings["share_elsewhere"].iloc[0] == pytest.approx(3 / 10)  # B: 3 of 10
    lines = warnings["kwic"].iloc[0].split("\n")
    assert len(lines) == analysis.KWIC_LINES
    a_entity = term_hits[(term_hits["outlet"] == "A") & (term_hits["normalized"] == "الكيان")]
    for line in lines:
        doc_id, left, match, right = kwic_parts(line)
        assert doc_id in set(a_entity["doc_id"])  # lines of the dominant form only
        assert tokenize(match) == ["الكيان"]
        assert 0 < len(token_regex().findall(left)) <= 5
        assert 0 < len(token_regex().findall(right)) <= 5
        assert left == " ".join(LEFT.split()[-5:])  # the original text, cut to 5 tokens
    again = analysis.domain_warnings(forms, term_hits, texts, tokens, min_hits=10)
    pd.testing.assert_frame_equal(warnings, again)


def test_threshold_edge_and_min_hits(term_hits, texts, tokens):
    forms = analysis.count_forms(term_hits)
    b_top = forms[(forms["outlet"] == "B") & (forms["item"] == "israel/entity")].iloc[0]
    assert b_top["share"] == 0.3  # 3 of 10: exactly the threshold, not flagged above
    lower = analysis.domain_warnings(forms, term_hits, texts, tokens, threshold=0.29, min_hits=10)
    assert sorted(lower["outlet"]) == ["A", "B"]
    # B's إسرائيل has one hit (share 1.0): flagged only when min_hits allows one hit
    one = analysis.domain_warnings(forms, term_hits, texts, tokens, min_hits=1)
    assert ("B", "israel/israel") in set(zip(one["outlet"], one["item"], strict=True))
    assert one.loc[one["item"] == "israel/israel", "kwic"].iloc[0].startswith("B:10: ")
    empty = analysis.domain_warnings(forms, term_hits, texts, tokens)  # default min_hits 20
    assert empty.empty and list(empty.columns) == ["outlet", *analysis.WARNING_COLUMNS]
    with pytest.raises(ValueError, match="at most"):
        analysis.domain_warnings(forms, term_hits, texts, tokens, window=6)
    with pytest.raises(ValueError, match="no hits"):
        analysis.domain_warnings(forms, term_hits.iloc[:0], texts, tokens, min_hits=10)


def test_frame_drivers_show_the_surface_form_and_flag_the_sports_outlet(frame_hits, texts, tokens):
    forms = analysis.count_forms(frame_hits)
    a = forms[forms["outlet"] == "A"].iloc[0]
    assert (a["form"], a["normalized"], a["hits"], a["item_hits"]) == ("بطولة", "بطوله", 8, 10)
    warnings = analysis.domain_warnings(forms, frame_hits, texts, tokens, min_hits=10)
    assert warnings[["outlet", "analysis", "item", "form"]].values.tolist() == [
        ["A", "frames", "resistance", "بطولة"]
    ]
    assert warnings["share_elsewhere"].iloc[0] == pytest.approx(2 / 10)
    for line in warnings["kwic"].iloc[0].split("\n"):
        assert kwic_parts(line)[2] == "بطولة"


def test_agency_driver_is_the_trigger_as_written():
    sports = ["أصيب اللاعب في مباراة الأمس"] * 6
    # B: استشهد 3, أصيب 3, توفي 2, مقتل 2 of 10: the top trigger has exactly 30%
    news = [
        *(f"استشهد {who} في المدينة" for who in ("شاب", "طفل", "رجل")),
        *(f"أصيب {who} في المخيم" for who in ("شاب", "طفل", "رجل")),
        *(f"توفي {who} في السجن" for who in ("أسير", "معتقل")),
        *(f"مقتل {who} في الحي" for who in ("شاب", "طفل")),
    ]
    articles = pd.DataFrame(
        {
            "doc_id": [f"a{n}" for n in range(6)] + [f"b{n}" for n in range(10)],
            "outlet": ["A"] * 6 + ["B"] * 10,
            "title": sports + news,
        }
    )
    sentences = analysis.article_sentences(articles, ["title"])
    classified = analysis.find_agency(sentences, load_agency_lexicon())
    assert set(classified["label"]) == {"agentless"}
    for tokens, trigger, at in zip(
        sentences["tokens"], classified["trigger"], classified["trigger_index"], strict=True
    ):
        assert tokens[at] == trigger
    hits = analysis.agency_hits(classified, sentences["tokens"])
    forms = analysis.count_forms(hits)
    top = forms[forms["rank"] == 1].set_index("outlet")
    assert top.loc["A", ["item", "form", "normalized", "share"]].tolist() == [
        "agentless",
        "أصيب",
        "اصيب",
        1.0,
    ]
    warnings = analysis.domain_warnings(
        forms, hits, classified["text"], sentences["tokens"], min_hits=6
    )
    assert warnings["outlet"].tolist() == ["A"]  # B's top trigger has 3 of 10
    assert warnings["share_elsewhere"].iloc[0] == pytest.approx(3 / 10)  # B's أصيب
    assert all(line.startswith("a") for line in warnings["kwic"].iloc[0].split("\n"))


def test_not_casualty_sentences_have_no_trigger_position():
    sentences = analysis.article_sentences(
        pd.DataFrame({"doc_id": ["x"], "outlet": ["A"], "title": ["اجتماع للوزراء"]}), ["title"]
    )
    classified = analysis.find_agency(sentences, load_agency_lexicon())
    assert classified["trigger_index"].tolist() == [-1]
    assert analysis.agency_hits(classified, sentences["tokens"]).empty


# --------------------------------------------------------------------------- rates and length


def synthetic_scores(power: float, n: int = 3000, seed: int = 1) -> pd.DataFrame:
    """Articles of 20-999 words; hits ~ Poisson(3/1000 * words**power / 1000**(power-1))."""
    rng = np.random.default_rng(seed)
    words = rng.integers(20, 1000, n)
    mean = 3 / 1000 * words**power / 1000 ** (power - 1)
    return pd.DataFrame(
        {
            "outlet": np.where(np.arange(n) % 2, "A", "B"),
            "n_tokens": words,
            "hits_resistance": rng.poisson(mean),
        }
    )


def test_frame_measures_put_the_rate_per_1000_words_beside_the_share(frames):
    scores = synthetic_scores(1.0, n=200)
    table = analysis.compare_frame_measures(scores, frames, "outlet", n_boot=50)
    assert list(table.columns[:4]) == ["outlet", "measure", "frame", "label"]
    rate = table[table["measure"] == "rate"].set_index("outlet")
    for outlet, group in scores.groupby("outlet"):
        assert rate.loc[outlet, "numerator"] == group["hits_resistance"].sum()
        assert rate.loc[outlet, "denominator"] == group["n_tokens"].sum()
        expected = 1000 * group["hits_resistance"].sum() / group["n_tokens"].sum()
        assert rate.loc[outlet, "estimate"] == pytest.approx(expected)
    share = table[table["measure"] == "share"].drop(columns="measure").reset_index(drop=True)
    alone = analysis.frame_prevalence(scores, frames, "outlet", n_boot=50)
    pd.testing.assert_frame_equal(share, alone)


def test_share_rises_with_length_at_a_constant_rate_per_word_and_the_rate_does_not(frames):
    profile = analysis.frame_length_profile(synthetic_scores(1.0), frames, n_boot=200)
    assert profile["length_bin"].tolist() == [1, 2, 3, 4, 5] * 2
    assert (profile["n_units"] == 600).all()
    assert (profile["min_tokens"] <= profile["max_tokens"]).all()
    ends, starts = profile["max_tokens"].iloc[:4], profile["min_tokens"].iloc[1:5]
    assert all(end <= start for end, start in zip(ends, starts, strict=True))
    shares = profile[profile["measure"] == "share"]["estimate"]
    assert shares.is_monotonic_increasing
    check = analysis.length_sensitivity(profile).set_index("measure")
    assert check.loc["share", "ratio"] > 2 and check.loc["share", "separated"]
    assert 0.8 < check.loc["rate", "ratio"] < 1.25 and not check.loc["rate", "separated"]
    # a rate that does grow with length (hits ~ words squared) is caught
    steep = analysis.frame_length_profile(synthetic_scores(2.0), frames, n_boot=200)
    steep_check = analysis.length_sensitivity(steep).set_index("measure")
    assert steep_check.loc["rate", "ratio"] > 2 and steep_check.loc["rate", "separated"]


def test_length_bins_are_cut_within_each_group(frames):
    scores = synthetic_scores(1.0, n=103)
    profile = analysis.frame_length_profile(
        scores, frames, "outlet", n_bins=4, measures=["rate"], n_boot=20
    )
    sizes = profile.groupby("outlet")["n_units"].apply(list).to_dict()
    assert sizes == {"A": [13, 13, 13, 12], "B": [13, 13, 13, 13]}
    assert set(analysis.length_sensitivity(profile)["outlet"]) == {"A", "B"}
    with pytest.raises(ValueError, match="n_bins"):
        analysis.frame_length_profile(scores, frames, n_bins=1)


def test_without_groups_and_without_hits(term_hits, texts, tokens):
    pooled = analysis.count_forms(term_hits, by=())
    assert list(pooled.columns) == list(analysis.FORM_COLUMNS)
    entity = pooled[pooled["item"] == "israel/entity"].iloc[0]
    assert (entity["normalized"], entity["hits"], entity["item_hits"]) == ("الكيان", 11, 20)
    warnings = analysis.domain_warnings(pooled, term_hits, texts, tokens, min_hits=10)
    assert warnings["item"].tolist() == ["israel/entity"]
    assert np.isnan(warnings["share_elsewhere"].iloc[0])  # no other group to compare with
    none = analysis.count_forms(term_hits.iloc[:0])
    assert none.empty and list(none.columns) == ["outlet", *analysis.FORM_COLUMNS]
    empty = analysis.domain_warnings(none, term_hits.iloc[:0], texts, tokens)
    assert empty.empty and list(empty.columns) == ["outlet", *analysis.WARNING_COLUMNS]


def test_check_domain_puts_the_outlet_specific_driver_first(term_hits, texts, tokens):
    forms, warnings = analysis.check_domain(term_hits, texts, tokens, min_hits=1, threshold=0.2)
    assert forms.equals(analysis.count_forms(term_hits))
    gap = warnings["share"] - warnings["share_elsewhere"].fillna(0)
    assert len(warnings) > 1 and gap.is_monotonic_decreasing
    assert ("A", "الكيان") in set(zip(warnings["outlet"], warnings["form"], strict=True))
