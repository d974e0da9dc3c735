"""The agency rule families added for negation, other senses, object verbs, result clauses,
quotes, person nouns, causes, ة spelling, place words and names; classify_texts; the
supervised layer's estimator and cross-validation.  Every sentence is written for these tests.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from arabmedia import analysis, lexicons
from arabmedia.analysis import _agency as agency
from arabmedia.analysis._agency_model import rule_labels
from arabmedia.text import tokenize

LEXICON = lexicons.load_agency_lexicon()


def label(sentence: str) -> str:
    return analysis.classify_texts([sentence])["label"].iloc[0]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # negation and denial: nobody was hurt
        ("انفجرت قنبلة في السوق دون وقوع إصابات.", "not_casualty"),
        ("سقط صاروخ في منطقة مفتوحة ولم يسفر عن قتلى", "not_casualty"),
        ("لا إصابات في الحادث", "not_casualty"),
        # a negator of something else leaves the report standing
        ("لا تزال جثامين الشهداء تحت الأنقاض", "agentless"),
        # commemoration and prayer
        ("أحيا الأهالي ذكرى استشهاد القائد في ساحة البلدة", "not_casualty"),
        # metaphor and moral commandment
        ("قالت الكاتبة إن الحصار يقتل الأمل في نفوس الشباب", "not_casualty"),
        ("لا يجوز قتل المدنيين في أي حرب", "not_casualty"),
        # threats, orders and conditionals
        ("قال الوزير إن الجيش سيواصل قتل المقاتلين", "not_casualty"),
        ("أصدر الحاكم أوامر بقتل المعارضين", "not_casualty"),
        ("إذا قتل الأسرى فستنهار المفاوضات", "not_casualty"),
        # other senses: a building hit, a title on a name
        ("أعلن الدفاع المدني إصابة منزل بقذيفة في الحي", "not_casualty"),
        ("نشرت الصحيفة مقالا كتبه الشهيد خالد قبل سنوات", "not_casualty"),
        # ... but the adjective on a person or a funeral keeps the death the topic
        ("شيع المئات جثمان الشهيد خالد في القرية", "agentless"),
    ],
)
def test_negation_and_other_senses(sentence, expected):
    assert label(sentence) == expected


def test_active_verbs_with_an_object_pronoun_take_their_subject_as_agent():
    table = analysis.classify_texts(["أصابه قناص في ساقه أمس", "قتلهم المستوطنون قرب القرية"])
    assert table["label"].tolist() == ["perpetrator_named", "perpetrator_named"]
    assert table["agent"].tolist() == ["قناص", "المستوطنون"]
    # a person noun is the agent only as the subject of such a verb, not after a noun
    assert label("أصابه جندي بالرصاص") == "perpetrator_named"
    assert label("مقتل جندي في الجنوب") == "agentless"


def test_the_teh_marbuta_spelling_separates_the_noun_from_the_verb():
    # إصابة (injury) before a person noun: the person is the victim, not the agent
    assert label("إصابة جندي في المعركة الليلة") != "perpetrator_named"
    # قتلة (killers) unnamed is agentless; قتله + actor is the verb with its subject
    assert label("طالبت الأسرة بمحاسبة قتلة ابنها") == "agentless"
    assert label("قتله الاحتلال عند الحاجز") == "perpetrator_named"
    flags = agency.teh_marbuta_flags(["إصابة أصابه"], [["اصابه", "اصابه"]])
    assert flags == [[True, False]]
    # tokens that do not line up with the text give no flags
    assert agency.teh_marbuta_flags(["إصابة"], [["اصابه", "x"]]) == [None]


def test_a_result_clause_links_the_casualty_to_the_actor_of_its_cause_clause():
    decision = analysis.classify_texts(["دخلت قوات الاحتلال البلدة ما أدى إلى استشهاد فتى"]).iloc[0]
    assert (decision["label"], decision["agent"]) == ("perpetrator_named", "قوات الاحتلال")
    assert decision["rule"] == "result of actor's clause"
    # the speaker of the toll is not the actor of the cause clause
    assert label("أعلن الجيش أن الانفجار أدى إلى مقتل شخصين") == "cause_without_actor"
    # without a result link, a clause about the actor stays apart
    assert label("شهداء في المدينة والاحتلال يواصل هدم البيوت") == "agentless"


def test_a_pronoun_on_a_cause_points_back_to_the_actor_named_before():
    decision = analysis.classify_texts(["صعد الاحتلال غاراته على المدينة موقعة عشرة شهداء"]).iloc[0]
    assert decision["label"] == "perpetrator_named"
    assert decision["agent"] == "الاحتلال"


def test_a_quotation_mark_does_not_cut_the_agent_from_its_cause():
    decision = analysis.classify_texts(['استشهد شاب برصاص "جيش الاحتلال" في المدينة']).iloc[0]
    assert (decision["label"], decision["agent"]) == ("perpetrator_named", "جيش الاحتلال")
    # trigger_index still counts in the tokens with the quotes
    assert decision["trigger_index"] == 0


@pytest.mark.parametrize(
    "sentence",
    [
        "استشهد رجل على يد جنود في المدينة",
        "أطلق جندي النار على الشاب فاستشهد",
        "أصيب طفل برصاص شرطي قرب السوق",
    ],
)
def test_person_nouns_for_members_name_the_actor_where_grammar_makes_them_the_doer(sentence):
    assert label(sentence) == "perpetrator_named"


def test_person_nouns_after_before_are_not_agents():
    # قبل is "before" here: the wounded are put in front of the soldiers
    assert label("وضع الجنود الجرحى أمام الآليات قبل الجنود") != "perpetrator_named"


@pytest.mark.parametrize(
    "sentence",
    [
        "توفي ثلاثة أشخاص جراء الزلزال",
        "استشهد أسير تحت التعذيب في السجن",
        "قتل طفلان بالذخيرة الحية",
        "توفي رجل جراء الفيضانات في القرية",
    ],
)
def test_disasters_torture_and_weapons_are_causes(sentence):
    assert label(sentence) == "cause_without_actor"


def test_other_senses_of_cause_words_name_no_cause():
    # وقف اطلاق النار is a ceasefire; عملية انتشال is a recovery
    assert label("طالب الجرحى بوقف إطلاق النار فورا") == "agentless"
    assert label("واصلت الفرق عملية انتشال الشهداء") == "agentless"


def test_a_place_word_after_a_preposition_does_not_break_the_clause():
    # في وسط: the place, not the conjunction "amid"; the agent phrase stays in the clause
    assert label("قتل جيش الاحتلال في وسط المدينة شابين") == "perpetrator_named"
    assert agency._is_break(["في", "وسط"], 1, LEXICON) is False
    assert agency._is_break(["شهداء", "وسط"], 1, LEXICON) is True


def test_cause_words_in_names_are_not_causes():
    assert label("استشهد أبو حرب في منزله") == "agentless"


def test_killing_nouns_listed_with_causes_stay_in_one_clause():
    # القتل والتجويع: the و-cause continues the list, so the cause counts
    assert label("شهور من القتل والتجويع في المدينة") == "cause_without_actor"


# ------------------------------------------------------------------ classify_texts


def test_classify_texts_returns_one_row_per_text_with_the_documented_columns():
    texts = ["قتلت قوات الاحتلال شابا", "اجتمع الوزراء", "", "مجزرة في القرية"]
    table = analysis.classify_texts(texts)
    assert tuple(table.columns) == agency.TEXT_COLUMNS
    assert table["text"].tolist() == texts
    assert list(table.index) == list(range(len(texts)))
    assert set(table["label"]) <= set(agency.LABELS)
    assert table["label"].tolist() == [
        "perpetrator_named",
        "not_casualty",
        "not_casualty",
        "cause_without_actor",
    ]
    assert table["trigger_index"].dtype == "int64"
    assert analysis.classify_texts([]).shape == (0, len(agency.TEXT_COLUMNS))


def test_classify_texts_agrees_with_find_agency_and_is_deterministic():
    texts = ["أصيب شاب برصاص المستوطنين", "استشهد طفل", "تشخيص إصابة الرجل بالسرطان"]
    first, second = analysis.classify_texts(texts), analysis.classify_texts(list(texts))
    pd.testing.assert_frame_equal(first, second)
    sentences = pd.DataFrame({"text": texts, "tokens": [tokenize(t) for t in texts]})
    direct = analysis.find_agency(sentences)
    assert first["label"].tolist() == direct["label"].tolist()


def test_classify_texts_refuses_non_strings_with_the_position():
    with pytest.raises(TypeError, match=r"item 1 is float, not str"):
        analysis.classify_texts(["استشهد شاب", float("nan")])


# ------------------------------------------------------------------ supervised layer


def _toy_gold() -> pd.DataFrame:
    rows = [
        ("قتلت قوات الاحتلال شابا في المدينة", "perpetrator_named"),
        ("استشهد رجل برصاص الاحتلال", "perpetrator_named"),
        ("قصف إسرائيلي يقتل عائلة", "perpetrator_named"),
        ("استشهد طفل في غارة على الحي", "cause_without_actor"),
        ("مقتل شخصين في انفجار", "cause_without_actor"),
        ("قتل ثلاثة في حادث سير", "cause_without_actor"),
        ("استشهد شاب في المدينة", "agentless"),
        ("ارتفع عدد الشهداء إلى مئة", "agentless"),
        ("وصل جريحان إلى المستشفى", "agentless"),
        ("اجتمع المجلس لبحث الميزانية", "not_casualty"),
        ("افتتح الوزير مدرسة جديدة", "not_casualty"),
        ("ارتفعت أسعار الخبز", "not_casualty"),
    ]
    return pd.DataFrame(rows * 2, columns=["text", "label"])


def test_the_supervised_layer_is_a_deterministic_estimator():
    gold = _toy_gold()
    model = analysis.AgencyModel().fit(gold["text"], gold["label"])
    again = analysis.AgencyModel().fit(gold["text"], gold["label"])
    predicted = model.predict(["استشهد شاب برصاص الاحتلال", "اجتمع المجلس"])
    assert set(predicted) <= set(agency.LABELS)
    np.testing.assert_array_equal(
        predicted, again.predict(["استشهد شاب برصاص الاحتلال", "اجتمع المجلس"])
    )
    with pytest.raises(ValueError, match=r"unknown label\(s\) \['victim'\]"):
        analysis.AgencyModel().fit(["استشهد شاب"], ["victim"])


def test_cross_validation_scores_rules_and_layer_on_the_same_folds():
    gold = _toy_gold()
    table = analysis.cross_validate_agency(gold, folds=2)
    assert set(table["classifier"]) == {"rules", "model"}
    assert sorted(table["fold"].unique()) == [-1, 0, 1]
    pooled = table[table["fold"] == -1].set_index("classifier")
    rules = rule_labels(gold["text"])
    expected = (rules == "agentless").sum() / (gold["label"] == "agentless").sum()
    assert pooled.loc["rules", "agentless_ratio"] == pytest.approx(expected)
    assert table["macro_f1"].between(0, 1).all()
    pd.testing.assert_frame_equal(table, analysis.cross_validate_agency(gold, folds=2))
