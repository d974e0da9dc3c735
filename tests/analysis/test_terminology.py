"""Naming choices: term-set loading, matching, counts, shares, quotes, KWIC, collocations.

The documents below were written for these tests; every expected count is counted by hand
in the comments (token positions after normalization, punctuation tokens included).
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest
import yaml

from arabmedia import analysis as T
from arabmedia import lexicons as L
from arabmedia.config import load_settings
from arabmedia.text import surface_forms, tokenize

FIXTURES = Path(__file__).parents[1] / "fixtures" / "terminology"

DOCS = {
    # tokens: استشهد0 ثلاثه1 فلسطينيين2 برصاص3 قوات4 الاحتلال5 ،6 وارتفع7 عدد8 الشهداء9
    #         الي10 عشره11 .12  -> 11 words
    # dead: استشهد@0, الشهداء@9 (martyrs x2); israel: قوات الاحتلال@4 (one occupation
    # mention of length 2: الاحتلال@5 is consumed by the longer match)
    "d1": "استُشهد ثلاثة فلسطينيين برصاص قوات الاحتلال، وارتفع عدد الشهداء إلى عشرة.",
    # tokens: اعلن0 الجيش1 الاسرائيلي2 مقتل3 جنديين4 ،5 وقال6 ان7 "8 اسرائيل9 "10 لن11
    #         تتراجع12 .13  -> 10 words
    # dead: مقتل@3 (killed); israel: الجيش الاسرائيلي@1 (length 2), اسرائيل@9 quoted
    "d2": 'أعلن الجيش الإسرائيلي مقتل جنديين، وقال إن "إسرائيل" لن تتراجع.',
    # tokens: للشهداء0 الرحمه1 ،2 ومقتلهم3 لن4 ينسي5 .6 ما7 يسمي8 "9 الاحتلال10 "11
    #         يقصف12 .13  -> 9 words
    # dead: للشهداء@0 (ل + ال -> لل, martyrs), ومقتلهم@3 (و + مقتل + هم, killed);
    # israel: الاحتلال@10 quoted (« » fold to ") and so-called (after ما يسمى)
    "d3": "للشهداء الرحمة، ومقتلهم لن يُنسى. ما يسمى «الاحتلال» يقصف.",
    # tokens: اجتماع0 في1 الدوحه2 لبحث3 التهدئه4 .5  -> 5 words, no mention
    # (شهيده, not a pattern of the mini set, must not match شهيد)
    "d4": "اجتماع في الدوحة لبحث التهدئة.",
}
WORDS = {"d1": 11, "d2": 10, "d3": 9, "d4": 5}


@pytest.fixture(scope="module")
def mini() -> L.TermSets:
    return L.load_term_sets(FIXTURES / "mini.yaml")


@pytest.fixture(scope="module")
def texts() -> pd.Series:
    return pd.Series(DOCS)


@pytest.fixture(scope="module")
def tokens(texts) -> pd.Series:
    return texts.map(tokenize)


@pytest.fixture(scope="module")
def matches(tokens, mini) -> pd.DataFrame:
    return T.find_terms(tokens, mini)


# ---------------------------------------------------------------- surface forms


def words(entry: str, **options) -> set[str]:
    return {form for (form,) in surface_forms((entry,), **options)}


def test_proclitics_use_lam_lam_for_the_article():
    forms = words("الشهداء")
    assert {"الشهداء", "والشهداء", "بالشهداء", "للشهداء", "وللشهداء", "فللشهداء"} <= forms
    assert "لالشهداء" not in forms
    assert "وشهيد" in words("شهيد")


def test_enclitics_turn_teh_marbuta_into_teh_and_skip_definite_words():
    assert "مقاومتها" in words("مقاومه", enclitics=True)
    assert "مقاومهها" not in words("مقاومه", enclitics=True)
    assert "عدوانه" in words("عدوان", enclitics=True)
    assert "العدوانه" not in words("عدوان", enclitics=True)
    assert words("العدوان", enclitics=True) == words("العدوان")


def test_multiword_pattern_gets_proclitics_on_first_and_enclitics_on_last_word():
    forms = surface_forms(("قوات", "احتلال"), enclitics=True)
    assert ("وقوات", "احتلال") in forms
    assert ("قوات", "احتلالها") in forms
    assert ("وقوات", "احتلالها") in forms
    assert ("قوات", "والاحتلال") not in forms


def test_patterns_are_normalized_on_load(mini):
    israel = mini.concepts[1].variants[1]
    assert ("اسرائيل",) in israel.patterns  # written إسرائيل in the file
    assert ("الجيش", "الاسرائيلي") in israel.patterns
    killed = mini.concepts[0].variants[1]
    assert ("قتلي",) in killed.patterns  # قتلى: alef maksura folded


def test_variants_table_lists_every_variant_in_file_order(mini):
    table = mini.variants()
    assert table["variant"].tolist() == ["martyrs", "killed", "occupation", "israel"]
    assert table.loc[3, "reference"] == "a reference"
    assert mini.labels()[("dead", "martyrs")] == "شهداء"


# ---------------------------------------------------------------- validation


def write(tmp_path: Path, data: object) -> Path:
    path = tmp_path / "terms.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def base() -> dict:
    return yaml.safe_load((FIXTURES / "mini.yaml").read_text("utf-8"))


def test_missing_file_is_named(tmp_path):
    with pytest.raises(L.LexiconError, match="no such term-set file"):
        L.load_term_sets(tmp_path / "nope.yaml")


def test_invalid_yaml_names_the_file(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("concepts: [unclosed", encoding="utf-8")
    with pytest.raises(L.LexiconError, match=r"broken\.yaml: not valid UTF-8 YAML"):
        L.load_term_sets(path)


def test_missing_rationale_names_file_concept_and_variant(tmp_path):
    data = base()
    del data["concepts"][0]["variants"][1]["rationale"]
    with pytest.raises(L.LexiconError) as error:
        L.load_term_sets(write(tmp_path, data))
    message = str(error.value)
    assert "terms.yaml" in message and "'dead'" in message and "'killed'" in message
    assert "missing 'rationale'" in message and isinstance(error.value, ValueError)


def test_form_claimed_by_two_variants_of_one_concept_is_refused(tmp_path):
    data = base()
    data["concepts"][0]["variants"][1]["patterns"].append("الشهداء")
    with pytest.raises(L.LexiconError, match=r"'killed'.*'الشهداء'.*also produced by 'martyrs'"):
        L.load_term_sets(write(tmp_path, data))


def test_unknown_key_and_bad_flag_and_bad_id_are_refused(tmp_path):
    data = base()
    data["concepts"][0]["variants"][0]["pattern"] = ["x"]
    with pytest.raises(L.LexiconError, match=r"'martyrs'.*unknown key 'pattern'"):
        L.load_term_sets(write(tmp_path, data))
    data = base()
    data["concepts"][1]["variants"][0]["enclitics"] = "yes"
    with pytest.raises(L.LexiconError, match=r"'occupation': 'enclitics': .*valid boolean"):
        L.load_term_sets(write(tmp_path, data))
    data = base()
    data["concepts"][1]["id"] = "Israel Army"
    with pytest.raises(L.LexiconError, match=r"concept 'Israel Army': 'id': .*pattern"):
        L.load_term_sets(write(tmp_path, data))


def test_pattern_without_a_word_is_refused(tmp_path):
    data = base()
    data["concepts"][0]["variants"][0]["patterns"].append("«»")
    with pytest.raises(L.LexiconError, match=r"'martyrs'.*has no word after normalization"):
        L.load_term_sets(write(tmp_path, data))


def test_duplicate_concept_id_is_refused(tmp_path):
    data = base()
    data["concepts"].append(data["concepts"][0])
    with pytest.raises(L.LexiconError, match="concept 'dead': concept id used twice"):
        L.load_term_sets(write(tmp_path, data))


def test_project_term_set_loads_and_covers_the_issue_concepts():
    gaza = L.load_term_sets()
    concepts = {c.id: {v.id for v in c.variants} for c in gaza.concepts}
    assert {"dead", "israel", "war", "armed_groups", "captives", "october_7"} <= set(concepts)
    assert {"settlers", "settlements"} <= set(concepts)
    assert {"martyrs", "killed", "victims"} <= concepts["dead"]
    assert {"prisoners", "hostages", "detainees"} <= concepts["captives"]
    forms = gaza.forms()
    dead = set(forms.loc[forms["concept"] == "dead", "form"])
    assert {"شهيد", "شهداء", "الشهداء", "للشهداء", "استشهد", "استشهاد", "قتلي", "مقتل"} <= dead
    israel = forms[forms["concept"] == "israel"].set_index("form")["variant"]
    assert israel["قوات الاحتلال الاسرائيلي"] == "israeli_occupation"
    assert israel["وقوات الاحتلال"] == "occupation"
    assert israel["الجيش الاسرائيلي"] == "israel"
    assert set(forms.loc[forms["concept"] == "october_7", "form"]) >= {"7 اكتوبر", "طوفان الاقصي"}
    assert gaza.variants()["rationale"].str.len().min() > 10


# ---------------------------------------------------------------- matching and counts


def test_tokens_of_the_fixture_are_as_counted_by_hand(tokens):
    assert {doc: sum(t.isalnum() for t in toks) for doc, toks in tokens.items()} == WORDS
    assert tokens["d1"][4:6] == ["قوات", "الاحتلال"]
    assert tokens["d3"][9:12] == ['"', "الاحتلال", '"']


def test_matches_equal_the_hand_count(matches):
    got = [
        (r.doc, r.concept, r.variant, r.position, r.length, r.quoted, r.so_called)
        for r in matches.itertuples()
    ]
    assert got == [
        ("d1", "dead", "martyrs", 0, 1, False, False),
        ("d1", "israel", "occupation", 4, 2, False, False),
        ("d1", "dead", "martyrs", 9, 1, False, False),
        ("d2", "israel", "israel", 1, 2, False, False),
        ("d2", "dead", "killed", 3, 1, False, False),
        ("d2", "israel", "israel", 9, 1, True, False),
        ("d3", "dead", "martyrs", 0, 1, False, False),
        ("d3", "dead", "killed", 3, 1, False, False),
        ("d3", "israel", "occupation", 10, 1, True, True),
    ]
    assert matches.loc[1, "form"] == "قوات الاحتلال"
    assert matches.loc[7, "form"] == "ومقتلهم"


def test_longest_match_wins_and_each_position_counts_once_per_concept():
    one = L.term_sets_from_terms({"short": ["الاحتلال"], "long": ["قوات الاحتلال"]})
    tokens = pd.Series({"x": tokenize("قوات الاحتلال الاحتلال")})
    found = T.find_terms(tokens, one)
    assert found[["variant", "position", "length"]].values.tolist() == [
        ["v2", 0, 2],
        ["v1", 2, 1],
    ]


def concept(cid: str, vid: str, pattern: str) -> dict:
    variant = {"id": vid, "label": vid, "patterns": [pattern], "rationale": "r"}
    return {"id": cid, "label": cid, "variants": [variant]}


def test_concepts_are_matched_independently():
    data = {
        "name": "two",
        "concepts": [concept("a", "x", "قوات الاحتلال"), concept("b", "y", "الاحتلال")],
    }
    sets = L.parse_term_sets(data)
    found = T.find_terms(pd.Series({"x": tokenize("قوات الاحتلال")}), sets)
    assert found[["concept", "position"]].values.tolist() == [["a", 0], ["b", 1]]


def test_excluded_forms_consume_tokens_but_count_nothing(tmp_path):
    data = base()
    data["concepts"][0]["exclude"] = ["كتائب شهداء الأقصى"]
    sets = L.load_term_sets(write(tmp_path, data))
    # tokens: اعلنت0 كتائب1 شهداء2 الاقصي3 سقوط4 شهداء5 -> only شهداء@5 counts
    tokens = pd.Series({"x": tokenize("أعلنت كتائب شهداء الأقصى سقوط شهداء")})
    found = T.find_terms(tokens, sets)
    assert found[["variant", "position"]].values.tolist() == [["martyrs", 5]]
    forms = sets.forms()
    assert not forms.loc[forms["form"] == "وكتائب شهداء الاقصي", "counted"].item()


def test_exclude_form_that_is_also_a_variant_form_is_refused(tmp_path):
    data = base()
    data["concepts"][0]["exclude"] = ["الشهداء"]
    with pytest.raises(L.LexiconError, match=r"'martyrs'.*also produced by 'exclude'"):
        L.load_term_sets(write(tmp_path, data))


def test_term_counts_equal_the_hand_count(tokens, matches, mini):
    counts = T.count_terms(tokens, matches, mini).set_index(["doc", "variant"])
    assert len(counts) == 4 * 4  # four documents x four variants, zeros included
    assert counts.loc[("d1", "martyrs"), "count"] == 2
    assert counts.loc[("d1", "martyrs"), "concept_count"] == 2
    assert counts.loc[("d1", "occupation"), "count"] == 1
    assert counts.loc[("d2", "israel"), "count"] == 2
    assert counts.loc[("d3", "killed"), "concept_count"] == 2
    assert counts.loc[("d4", "martyrs"), "count"] == 0
    assert counts.xs("martyrs", level="variant")["words"].to_dict() == WORDS
    totals = counts.groupby(level="variant")["count"].sum().to_dict()
    assert totals == {"martyrs": 3, "killed": 2, "occupation": 2, "israel": 2}


def test_rates_and_shares_equal_the_hand_count(tokens, matches, mini):
    counts = T.count_terms(tokens, matches, mini).assign(outlet="X")
    rates = T.compare_term_rates(counts, ["outlet"], n_boot=200).set_index("variant")
    # martyrs: 3 mentions in 11 + 10 + 9 + 5 = 35 words
    assert rates.loc["martyrs", "estimate"] == pytest.approx(3 / 35 * 10_000)
    assert rates.loc["martyrs", "n_units"] == 4
    assert (rates["low"] <= rates["estimate"]).all() and (rates["estimate"] <= rates["high"]).all()
    shares = T.compare_term_shares(counts, ["outlet"], n_boot=200).set_index("variant")
    # the dead: 3 martyrs + 2 killed mentions, in d1, d2, d3 (d4 does not mention them)
    assert shares.loc["martyrs", "estimate"] == pytest.approx(3 / 5)
    assert shares.loc["killed", "estimate"] == pytest.approx(2 / 5)
    assert shares.loc["martyrs", "n_units"] == 3
    # Israel: 2 occupation (d1, d3) + 2 israel (both in d2)
    assert shares.loc["israel", "estimate"] == pytest.approx(0.5)
    again = T.compare_term_shares(counts, ["outlet"], n_boot=200)
    pd.testing.assert_frame_equal(shares.reset_index()[again.columns], again)  # seeded


def test_compare_functions_share_one_column_contract(tokens, matches, mini):
    counts = T.count_terms(tokens, matches, mini).assign(outlet="X")
    contract = ["n_units", "numerator", "denominator", "estimate", "low", "high"]
    for table in (
        T.compare_term_rates(counts, ["outlet"], n_boot=20),
        T.compare_term_shares(counts, ["outlet"], n_boot=20),
    ):
        assert list(table.columns) == ["outlet", "concept", "variant", *contract]
    quotes = T.compare_scare_quotes(matches.assign(outlet="X"), ["outlet"], n_boot=20)
    assert list(quotes.columns) == ["outlet", *contract, "so_called"]


def test_scare_quotes_share_per_variant(matches):
    quotes = T.compare_scare_quotes(matches, ["variant"], n_boot=100).set_index("variant")
    # israel: اسرائيل quoted once of 2 mentions; occupation: 1 of 2 and once "so-called"
    assert quotes.loc["israel", ["denominator", "numerator"]].tolist() == [2, 1]
    assert quotes.loc["israel", "estimate"] == pytest.approx(0.5)
    assert quotes.loc["occupation", "so_called"] == 1
    assert quotes.loc["martyrs", "numerator"] == 0


def test_only_directly_enclosed_names_count_as_quoted():
    sets = L.term_sets_from_terms({"israel": ["إسرائيل"]})
    docs = pd.Series(
        {
            "q1": tokenize("قال «إسرائيل تقتل» أمس"),  # quotation starts at the name: no
            "q2": tokenize("قال 'إسرائيل' أمس"),  # single quotes: yes
            "q3": tokenize('قال "إسرائيل» أمس'),  # both fold to ": yes
            "q4": tokenize("بما يسمى بـ«إسرائيل»"),  # quoted and so-called
        }
    )
    found = T.find_terms(docs, sets).set_index("doc")
    assert found["quoted"].to_dict() == {"q1": False, "q2": True, "q3": True, "q4": True}
    assert found["so_called"].to_dict() == {"q1": False, "q2": False, "q3": False, "q4": True}


# ---------------------------------------------------------------- KWIC


def test_token_spans_point_into_the_original_text():
    text = "استُشهد ٣ فلسطـينيين\u00a0في «غزة»"
    spans = T.token_spans(text)
    normalized = tokenize(text)
    assert normalized == ["استشهد", "3", "فلسطينيين", "في", '"', "غزه", '"']
    assert [text[a:b] for a, b in spans] == ["استُشهد", "٣", "فلسطـينيين", "في", "«", "غزة", "»"]


def test_kwic_shows_the_original_spelling_around_the_match():
    text = "قال الناطق إن «إسرائيلَ» ستدفع الثمن غاليا"
    texts = pd.Series({"k": text})
    tokens = texts.map(tokenize)
    sets = L.term_sets_from_terms({"israel": ["إسرائيل"]})
    lines = T.kwic(texts, tokens, T.find_terms(tokens, sets), window=2)
    # tokens: قال0 الناطق1 ان2 "3 اسرائيل4 "5 ستدفع6 الثمن7 غاليا8; window 2 -> 2..3, 5..6
    assert lines.loc[0, ["left", "match", "right"]].tolist() == ["إن «", "إسرائيلَ", "» ستدفع"]
    assert bool(lines.loc[0, "original"])


def test_kwic_falls_back_to_normalized_tokens_when_tokens_differ():
    texts = pd.Series({"k": "قوات الاحتلال تقصف"})
    tokens = pd.Series({"k": ["قوات", "الاحتلال", "تقصف", "اليوم"]})  # not from this text
    sets = L.term_sets_from_terms({"occupation": ["الاحتلال"]})
    lines = T.kwic(texts, tokens, T.find_terms(tokens, sets), window=1)
    assert lines.loc[0, ["left", "match", "right", "original"]].tolist() == [
        "قوات",
        "الاحتلال",
        "تقصف",
        False,
    ]


# ---------------------------------------------------------------- collocations


def test_collocations_equal_a_hand_computation():
    tokens = pd.Series(
        {
            "c1": tokenize("قصف الاحتلال غزة اليوم."),
            "c2": tokenize("قصف الاحتلال رفح"),
            "c3": tokenize("غزة تحت الحصار"),
        }
    )
    sets = L.term_sets_from_terms({"occupation": ["الاحتلال"]})
    table = T.collocations(tokens, T.find_terms(tokens, sets), window=1, min_count=1)
    table = table.set_index("collocate")
    # N = 4 + 3 + 3 = 10 words (the full stop is dropped); windows of one word each side
    # around الاحتلال: {قصف, غزه} in c1 and {قصف, رفح} in c2, so W = 4.
    # قصف: O = 2, f = 2, E = 4 * 2 / 10 = 0.8
    assert table.loc["قصف", ["count", "collocate_count", "window_tokens"]].tolist() == [2, 2, 4]
    assert table.loc["قصف", "expected"] == pytest.approx(0.8)
    assert table.loc["قصف", "pmi"] == pytest.approx(math.log2(2 / 0.8))
    # 2x2 table (2, 2; 0, 6) with expected (0.8, 3.2; 1.2, 4.8)
    g2 = 2 * (2 * math.log(2 / 0.8) + 2 * math.log(2 / 3.2) + 6 * math.log(6 / 4.8))
    assert table.loc["قصف", "g2"] == pytest.approx(g2)
    # غزه: O = 1 of f = 2 -> E = 0.8, PMI = log2(1.25)
    assert table.loc["غزه", "pmi"] == pytest.approx(math.log2(1 / 0.8))
    assert "الحصار" not in table.index
    assert table.index[0] == "قصف"  # highest G2 first


# ---------------------------------------------------------------- overlap window


def test_overlap_window_is_the_latest_start_and_earliest_end():
    articles = pd.DataFrame(
        {
            "outlet": ["A", "A", "B", "B", "B"],
            "date": pd.to_datetime(["2023-04-01", "2024-08-16", "2023-10-07", "2025-01-01", None]),
        }
    )
    assert T.overlap_window(articles) == (pd.Timestamp("2023-10-07"), pd.Timestamp("2024-08-16"))
    disjoint = pd.DataFrame(
        {
            "outlet": ["A", "A", "B"],
            "date": pd.to_datetime(["2020-01-01", "2020-02-01", "2021-01-01"]),
        }
    )
    with pytest.raises(ValueError, match=r"do not overlap.*A: 2020-01-01 to 2020-02-01"):
        T.overlap_window(disjoint)
    with pytest.raises(ValueError, match="at least two"):
        T.overlap_window(disjoint[disjoint["outlet"] == "A"])


def test_month_start():
    dates = pd.Series(pd.to_datetime(["2023-10-17", "2023-11-01"]))
    assert T.month_start(dates).tolist() == [pd.Timestamp("2023-10-01"), pd.Timestamp("2023-11-01")]


# ---------------------------------------------------------------- real corpora


@pytest.mark.corpora
def test_kwic_aligns_with_the_original_on_real_titles():
    settings = load_settings()
    if not settings.mirror.exists():
        pytest.skip(f"corpus mirror {settings.mirror} not found")
    from arabmedia.corpus import article_text, load_articles

    articles = load_articles(settings)
    articles = articles[articles["corpus"] == "almayadeen"].head(300)
    texts = article_text(articles, ["title", "lead"])
    tokens = texts.map(tokenize)
    found = T.find_terms(tokens, L.load_term_sets())
    lines = T.kwic(texts, tokens, found, window=3)
    assert len(lines) > 50
    assert lines["original"].mean() > 0.99
    # the original window, normalized, contains the normalized form
    assert all(
        " ".join(tokenize(m)) == f for m, f in zip(lines["match"], lines["form"], strict=True)
    )


def test_find_and_count_terms_attach_the_grouping_columns(texts, tokens, mini):
    articles = pd.DataFrame({"outlet": ["A", "A", "B", "B"]}, index=tokens.index)
    found, counts = T.find_and_count_terms(articles, tokens, mini, ["outlet"])
    assert found["outlet"].tolist() == articles.loc[found["doc"], "outlet"].tolist()
    assert set(counts.groupby("doc")["outlet"].first()) == {"A", "B"}
    pd.testing.assert_frame_equal(found.drop(columns="outlet"), T.find_terms(tokens, mini))


def test_in_term_order_labels_rows_and_follows_the_file(mini):
    variants = mini.variants()[["concept", "variant"]]
    shuffled = variants.iloc[::-1].assign(outlet=["B", "A", "B", "A"][: len(variants)])
    ordered = T.in_term_order(shuffled, mini, "outlet")
    assert ordered["outlet"].is_monotonic_increasing
    labels = mini.labels()
    assert ordered["label"].tolist() == [
        labels[k] for k in zip(ordered["concept"], ordered["variant"], strict=True)
    ]
    for _, part in ordered.groupby("outlet"):
        rank = [list(labels).index(k) for k in zip(part["concept"], part["variant"], strict=True)]
        assert rank == sorted(rank)


def test_kwic_sample_is_seeded_and_names_outlet_field_and_article(texts, tokens, matches):
    from arabmedia.analysis import kwic_sample

    articles = pd.DataFrame(
        {"doc_id": [f"x:{d}" for d in texts.index], "outlet": "A", "lead": texts}
    )
    lines = kwic_sample(articles, "lead", tokens, matches, n=2, seed=1, window=2)
    again = kwic_sample(articles, "lead", tokens, matches, n=2, seed=1, window=2)
    pd.testing.assert_frame_equal(lines, again)
    assert list(lines.columns) == ["outlet", "field", "doc_id", "variant", "left", "match", "right"]
    assert len(lines) == 2 and set(lines["field"]) == {"lead"} and set(lines["outlet"]) == {"A"}
    assert set(lines["doc_id"]) <= set(articles["doc_id"])


# ---------------------------------------------------------------- several fields

# Leads written for these tests (titles are DOCS); d2 has no lead.
# d1: سقط0 شهداء1 جدد2 .3 -> martyrs x1; d3: مقتل0 جندي1 .2 -> killed x1;
# d4: الاحتلال0 يقصف1 و2 "3 اسرائيل4 "5 تهدد6 .7 -> occupation x1, israel x1 (quoted)
LEADS = {
    "d1": "سقط شهداء جدد.",
    "d2": "",
    "d3": "مقتل جندي.",
    "d4": 'الاحتلال يقصف و "إسرائيل" تهدد.',
}


@pytest.fixture(scope="module")
def fields(texts) -> tuple[pd.DataFrame, dict[str, pd.Series]]:
    articles = pd.DataFrame(
        {"doc_id": [f"x:{d}" for d in texts.index], "outlet": ["A", "A", "B", "B"]},
        index=texts.index,
    ).assign(title=texts, lead=pd.Series(LEADS))
    tokens = {
        field: articles.loc[articles[field] != "", field].map(tokenize)
        for field in ("title", "lead")
    }
    return articles, tokens


def test_find_and_count_terms_by_field_keeps_each_field_apart(fields, mini):
    articles, tokens = fields
    matches, counts = T.find_and_count_terms_by_field(articles, tokens, mini, ["outlet"])
    assert list(matches) == list(counts) == ["title", "lead"]
    found, counted = T.find_and_count_terms(articles, tokens["title"], mini, ["outlet"])
    pd.testing.assert_frame_equal(matches["title"], found)
    pd.testing.assert_frame_equal(counts["title"], counted)
    lead = counts["lead"].set_index(["doc", "variant"])
    assert set(lead.index.get_level_values("doc")) == {"d1", "d3", "d4"}  # d2: no lead
    assert lead.loc[("d1", "martyrs"), "count"] == 1
    assert lead.loc[("d4", "israel"), "count"] == 1
    assert lead.loc[("d4", "occupation"), "words"] == 5


def test_term_shares_by_field_equal_the_hand_count(fields, mini):
    articles, tokens = fields
    _, counts = T.find_and_count_terms_by_field(articles, tokens, mini, ["outlet"])
    shares = T.compare_term_shares_by_field(counts, mini, ["outlet"], n_boot=50, seed=3)
    title = shares["title"].set_index(["outlet", "variant"])
    # titles: A = d1 (2 martyrs) + d2 (1 killed); B = d3 (1 martyrs, 1 killed)
    assert title.loc[("A", "martyrs"), "estimate"] == pytest.approx(2 / 3)
    assert title.loc[("B", "martyrs"), "estimate"] == pytest.approx(1 / 2)
    lead = shares["lead"].set_index(["outlet", "variant"])
    assert lead.loc[("A", "martyrs"), "estimate"] == 1.0  # only d1's lead names the dead in A
    assert lead.loc[("B", "killed"), "estimate"] == 1.0
    direct = T.in_term_order(
        T.compare_term_shares(counts["lead"], ["outlet"], n_boot=50, seed=3), mini
    )
    pd.testing.assert_frame_equal(shares["lead"], direct)
    assert shares["lead"]["label"].iloc[0] == "شهداء"


def test_scare_quotes_by_field_stack_the_fields(fields, mini):
    articles, tokens = fields
    matches, _ = T.find_and_count_terms_by_field(articles, tokens, mini, ["outlet"])
    quoted = T.compare_scare_quotes_by_field(matches, ["outlet", "variant"], n_boot=50)
    assert list(quoted.columns)[-2:] == ["so_called", "field"]
    table = quoted.set_index(["field", "outlet", "variant"])
    # titles: A's israel = الجيش الاسرائيلي + "اسرائيل" (1 of 2 quoted); B's occupation in d3
    assert table.loc[("title", "A", "israel"), ["numerator", "denominator"]].tolist() == [1, 2]
    assert table.loc[("title", "B", "occupation"), "so_called"] == 1
    assert table.loc[("lead", "B", "israel"), "estimate"] == 1.0
    assert table.loc[("lead", "B", "occupation"), "numerator"] == 0
    assert quoted.index.tolist() == list(range(len(quoted)))


def test_listed_scare_quotes_label_each_listed_name(fields):
    articles, tokens = fields
    table = T.compare_listed_scare_quotes(articles, tokens, {"إسرائيل": ["إسرائيل"]}, n_boot=50)
    contract = ["n_units", "numerator", "denominator", "estimate", "low", "high"]
    assert list(table.columns) == ["outlet", "variant", *contract, "so_called", "field", "term"]
    # الجيش الاسرائيلي is not the pattern إسرائيل: one (quoted) mention each, d2 title, d4 lead
    rows = table.set_index(["field", "outlet"])[["numerator", "denominator", "term"]]
    assert rows.to_dict("index") == {
        ("title", "A"): {"numerator": 1, "denominator": 1, "term": "إسرائيل"},
        ("lead", "B"): {"numerator": 1, "denominator": 1, "term": "إسرائيل"},
    }


def test_frequent_quoted_names_need_enough_mentions_everywhere_and_one_quote():
    quoted = pd.DataFrame(
        {
            "field": ["title"] * 6,
            "concept": ["c"] * 6,
            "variant": ["a", "a", "b", "b", "z", "z"],
            "outlet": ["A", "B"] * 3,
            "numerator": [1, 0, 5, 5, 0, 0],
            "denominator": [30, 25, 30, 10, 40, 40],
        }
    )
    shown = T.frequent_quoted_names(quoted, min_mentions=20)
    # a: 30 and 25 mentions, one quoted: kept; b: only 10 in B; z: never quoted
    assert shown.index.tolist() == [0, 1]
    assert T.frequent_quoted_names(quoted, min_mentions=10).index.tolist() == [0, 1, 2, 3]


def test_pool_variants_sums_the_variants_per_article(tokens, matches, mini):
    counts = T.count_terms(tokens, matches, mini).assign(outlet="X")
    pooled = T.pool_variants(
        counts, ["martyrs", "killed"], concept="dead", variant="any", by=["outlet"]
    )
    assert list(pooled.columns) == ["doc", "outlet", "count", "words", "concept", "variant"]
    # the two names of the dead together: the concept's count (d1 2, d2 1, d3 2, d4 0)
    assert pooled.set_index("doc")["count"].to_dict() == {"d1": 2, "d2": 1, "d3": 2, "d4": 0}
    assert pooled.set_index("doc")["words"].to_dict() == WORDS
    assert set(pooled["variant"]) == {"any"} and set(pooled["concept"]) == {"dead"}
    rate = T.compare_term_rates(pooled, ["outlet"], n_boot=20)
    assert rate["estimate"].item() == pytest.approx(5 / 35 * 10_000)


def test_kwic_samples_are_one_sample_per_combination(fields, mini):
    articles, tokens = fields
    matches, _ = T.find_and_count_terms_by_field(articles, tokens, mini, ["outlet"])
    found = matches["title"]
    groups = {"outlet": ["B", "A"], "variant": ["martyrs", "killed"]}
    lines = T.kwic_samples(articles, "title", tokens["title"], found, groups, n=1, seed=2)
    expected = pd.concat(
        [
            T.kwic_sample(
                articles,
                "title",
                tokens["title"],
                found[(found["outlet"] == o) & (found["variant"] == v)],
                n=1,
                seed=2,
            )
            for o in ["B", "A"]
            for v in ["martyrs", "killed"]
        ],
        ignore_index=True,
    )
    pd.testing.assert_frame_equal(lines, expected)
    assert lines[["outlet", "variant"]].values.tolist() == [
        ["B", "martyrs"], ["B", "killed"], ["A", "martyrs"], ["A", "killed"]
    ]  # fmt: skip


# ---------------------------------------------------------------- notebook sections


def dated_articles() -> pd.DataFrame:
    """Made-up articles: A covers 1 Jan to 10 Feb, B 20 Jan to 1 Mar 2024."""
    return pd.DataFrame(
        {
            "doc_id": [f"x:{n}" for n in range(6)],
            "outlet": ["A", "A", "A", "B", "B", "B"],
            "date": pd.to_datetime(
                ["2024-01-01", "2024-01-25", "2024-02-10", "2024-01-20", "2024-02-05", "2024-03-01"]
            ),
            "title": [DOCS["d1"], DOCS["d2"], "", DOCS["d3"], DOCS["d4"], DOCS["d1"]],
            "lead": ["", DOCS["d3"], DOCS["d1"], "", "", DOCS["d2"]],
            "body": [DOCS["d1"], "", DOCS["d2"], DOCS["d3"], DOCS["d4"], ""],
        }
    )


def test_field_subsets_keep_the_overlap_window_and_split_the_fields(tmp_path):
    settings = load_settings().with_paths(cache_dir=tmp_path)
    in_window, subsets, tokens = T.field_subsets(dated_articles(), ["title", "lead"], settings)
    # window: latest first day (B, 20 Jan) to earliest last day (A, 10 Feb): rows 1, 2, 3, 4
    assert in_window["doc_id"].tolist() == ["x:1", "x:2", "x:3", "x:4"]
    assert in_window.index.tolist() == [0, 1, 2, 3]
    assert in_window["month"].dt.strftime("%Y-%m-%d").tolist() == [
        "2024-01-01", "2024-02-01", "2024-01-01", "2024-02-01"
    ]  # fmt: skip
    assert list(subsets) == list(tokens) == ["title", "lead"]
    assert subsets["title"].index.tolist() == [0, 2, 3]  # x:2 has no title
    assert subsets["lead"].index.tolist() == [0, 1]
    assert tokens["lead"].index.equals(subsets["lead"].index)
    assert [list(t) for t in tokens["title"]] == [tokenize(DOCS[d]) for d in ("d2", "d3", "d4")]


def test_period_subset_splits_one_outlets_texts_at_the_date(tmp_path):
    settings = load_settings().with_paths(cache_dir=tmp_path)
    subset, tokens, coverage = T.period_subset(
        dated_articles(), "body", "2024-02-01", settings, outlets=["A"]
    )
    # A's bodies: x:0 (1 Jan) and x:2 (10 Feb); x:1 has none
    assert subset["doc_id"].tolist() == ["x:0", "x:2"]
    assert subset["period"].tolist() == ["before 2024-02-01", "from 2024-02-01"]
    assert tokens.index.equals(subset.index)
    assert [list(t) for t in tokens] == [tokenize(DOCS["d1"]), tokenize(DOCS["d2"])]
    assert coverage.to_dict("records") == [
        {"outlet": "A", "before": 1, "after": 1, "compared": True}
    ]


def three_dated_outlets() -> pd.DataFrame:
    """:func:`dated_articles` plus outlet C, whose bodies all come after 1 Feb."""
    extra = pd.DataFrame(
        {
            "doc_id": ["x:6", "x:7"],
            "outlet": ["C", "C"],
            "date": pd.to_datetime(["2024-02-02", "2024-03-03"]),
            "title": ["", ""],
            "lead": ["", ""],
            "body": [DOCS["d3"], DOCS["d1"]],
        }
    )
    return pd.concat([dated_articles(), extra], ignore_index=True)


def test_period_subset_keeps_every_outlet_with_texts_on_both_sides(tmp_path, mini):
    settings = load_settings().with_paths(cache_dir=tmp_path)
    articles = three_dated_outlets()
    subset, tokens, coverage = T.period_subset(articles, "body", "2024-02-01", settings)
    # A: x:0 before, x:2 from; B: x:3 (20 Jan) before, x:4 (5 Feb) from; C: only from
    assert subset["doc_id"].tolist() == ["x:0", "x:2", "x:3", "x:4"]
    assert coverage.to_dict("list") == {
        "outlet": ["A", "B", "C"],
        "before": [1, 1, 0],
        "after": [1, 1, 2],
        "compared": [True, True, False],
    }
    assert [list(t) for t in tokens] == [tokenize(DOCS[d]) for d in ("d1", "d2", "d3", "d4")]
    # one outlet asked for alone: the rows (and tokens) of the many-outlet subset
    alone, alone_tokens, _ = T.period_subset(
        articles, "body", "2024-02-01", settings, outlets=["B"]
    )
    rows = subset[subset["outlet"] == "B"].reset_index(drop=True)
    pd.testing.assert_frame_equal(alone, rows)
    assert [list(t) for t in alone_tokens] == [list(t) for t in tokens[subset["outlet"] == "B"]]
    with pytest.raises(ValueError, match=r"\['C'\] lack body texts.*C: 0 before, 2 after"):
        T.period_subset(articles, "body", "2024-02-01", settings, outlets=["A", "C"])
    with pytest.raises(ValueError, match=r"no articles of outlet\(s\) \['Z'\]"):
        T.period_subset(articles, "body", "2024-02-01", settings, outlets=["Z"])
    with pytest.raises(ValueError, match="no outlet has body texts both before and from"):
        T.period_subset(articles, "body", "2025-01-01", settings)
    # term shares per outlet and period: each outlet's estimates are its own
    _, counts = T.find_and_count_terms(subset, tokens, mini, ["outlet", "period"])
    shares = T.compare_term_shares(counts, ["outlet", "period"], n_boot=50, seed=1)
    columns = ["concept", "variant", "n_units", "numerator", "denominator", "estimate"]
    for outlet in ("A", "B"):
        own = counts[counts["outlet"] == outlet]
        direct = T.compare_term_shares(own, ["period"], n_boot=50, seed=1)
        mine = shares[shares["outlet"] == outlet].reset_index(drop=True)
        pd.testing.assert_frame_equal(mine[["period", *columns]], direct[["period", *columns]])
    dead_a = shares[(shares["outlet"] == "A") & (shares["variant"] == "martyrs")]
    # A before: d1 (2 martyrs of 2 dead); A from: d2 (0 of 1 dead, killed)
    assert dead_a.set_index("period")["estimate"].to_dict() == pytest.approx(
        {"before 2024-02-01": 1.0, "from 2024-02-01": 0.0}
    )


def test_monthly_terms_equal_the_hand_count_and_the_direct_chain(fields, mini):
    articles, tokens = fields
    _, counts = T.find_and_count_terms_by_field(articles, tokens, mini, ["outlet"])
    title = counts["title"]
    shares, rates = T.compare_monthly_terms(
        title, ("dead", "martyrs"), ["martyrs", "killed"], ["outlet"], n_boot=50, seed=1
    )
    # martyrs among the dead: A 2 of 3 (d1, d2), B 1 of 2 (d3)
    assert shares.set_index("outlet")["estimate"].to_dict() == pytest.approx({"A": 2 / 3, "B": 0.5})
    assert set(shares["variant"]) == {"martyrs"}
    # both names pooled: A (3 mentions, 21 words), B (2 mentions, 9 + 5 words)
    rate = rates.set_index("outlet")
    assert rate["estimate"].to_dict() == pytest.approx({"A": 3 / 21 * 1e4, "B": 2 / 14 * 1e4})
    assert set(rates["concept"]) == {"dead"} and set(rates["variant"]) == {"martyrs_or_killed"}
    direct = T.compare_term_shares(title[title["concept"] == "dead"], ["outlet"], n_boot=50, seed=1)
    pd.testing.assert_frame_equal(shares, direct[direct["variant"] == "martyrs"])
    pooled = T.pool_variants(
        title, ["martyrs", "killed"], concept="dead", variant="martyrs_or_killed", by=["outlet"]
    )
    pd.testing.assert_frame_equal(
        rates, T.compare_term_rates(pooled, ["outlet"], n_boot=50, seed=1)
    )


def test_term_scare_quotes_and_labelled_shares_equal_the_direct_chain(fields, mini):
    articles, tokens = fields
    matches, counts = T.find_and_count_terms_by_field(articles, tokens, mini, ["outlet"])
    quoted = T.compare_term_scare_quotes(matches, mini, n_boot=50, seed=2)
    by = ["outlet", "concept", "variant"]
    direct = T.compare_scare_quotes_by_field(matches, by, n_boot=50, seed=2)
    pd.testing.assert_frame_equal(quoted, T.in_term_order(direct, mini, "field", "outlet"))
    assert quoted[["field", "outlet"]].iloc[0].tolist() == ["lead", "A"]  # fields sorted
    shares = T.compare_term_shares(counts["title"], ["outlet"], n_boot=50, term_sets=mini)
    plain = T.compare_term_shares(counts["title"], ["outlet"], n_boot=50)
    pd.testing.assert_frame_equal(shares, T.in_term_order(plain, mini))


def test_pivot_terms_puts_groups_in_columns_and_fields_side_by_side():
    table = pd.DataFrame(
        {
            "concept": ["dead"] * 4,
            "label": ["شهداء", "قتلى", "شهداء", "قتلى"],
            "outlet": ["B", "B", "A", "A"],
            "estimate": [0.12345, 0.87655, 0.5, 0.5],
            "numerator": [1, 7, 2, 2],
        }
    )
    wide = T.pivot_terms(table, "outlet")
    assert wide.columns.tolist() == ["B", "A"]  # order of appearance
    assert wide.loc[("dead", "شهداء"), "B"] == 0.123
    both = T.pivot_terms({"title": table, "lead": table.head(2)}, "outlet", ["numerator"], digits=1)
    assert both.columns.tolist() == [
        ("title", "numerator", "B"), ("title", "numerator", "A"), ("lead", "numerator", "B")
    ]  # fmt: skip
    assert both.loc[("dead", "قتلى"), ("lead", "numerator", "B")] == 7


def test_top_collocations_keep_the_strongest_per_variant_with_labels():
    tokens = pd.Series(
        {
            "c1": tokenize("قصف الاحتلال غزة اليوم."),
            "c2": tokenize("قصف الاحتلال رفح"),
            "c3": tokenize("غزة تحت الحصار"),
        }
    )
    sets = L.term_sets_from_terms({"occupation": ["الاحتلال"], "gaza": ["غزة"]})
    found = T.find_terms(tokens, sets)
    top = T.top_collocations(tokens, found, ["v1"], sets, n=1, window=1, min_count=1)
    # only the occupation (v1): its strongest collocate is قصف (the hand computation above)
    assert top[["collocate", "count", "label"]].values.tolist() == [["قصف", 2, "occupation"]]
    chosen = found[found["variant"] == "v1"]
    everything = T.top_collocations(tokens, found, ["v1"], sets, n=10, window=1, min_count=1)
    direct = T.collocations(tokens, chosen, window=1, min_count=1)
    pd.testing.assert_frame_equal(everything.drop(columns="label"), direct)
