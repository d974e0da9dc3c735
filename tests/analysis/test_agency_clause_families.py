"""The agency rule families added on the v3 dev errors: illnesses and aims, the threat that
governs a ب-prefixed killing noun, toll nouns that open a clause, duals of causes, relative
verbs with a pronoun subject and ب + actor as a place.  Every sentence is written for these
tests.
"""

from __future__ import annotations

import pandas as pd
import pytest

from arabmedia import analysis, lexicons

LEXICON = lexicons.load_agency_lexicon()


def decide(sentence: str) -> dict[str, str]:
    return analysis.classify_texts([sentence]).iloc[0].to_dict()


def label(sentence: str) -> str:
    return decide(sentence)["label"]


@pytest.mark.parametrize(
    "sentence",
    [
        # an illness, not an injury
        "أصيب بالجرب عشرات الأطفال في المخيم",
        "يعاني آلاف المصابين بالتهاب الكبد من نقص الدواء",
        # an aim or purpose, not a report
        "توجه الرجل إلى القرية بهدف قتل جاره",
        "خرج المسلح لتنفيذ عملية اغتيال في المدينة",
        # the threat stands several words before the ب-prefixed killing noun it governs
        "هددت وزيرة الخارجية في تصريح للصحفيين اليوم باغتيال قادة الحركة",
    ],
)
def test_illnesses_aims_and_far_threats_are_not_casualties(sentence):
    assert label(sentence) == "not_casualty"


def test_the_wider_threat_reach_is_only_for_killing_nouns_with_b():
    # an injury right after the same stretch is still reported
    assert label("هددت وزيرة الخارجية في تصريح للصحفيين اليوم وأصيب شاب") == "agentless"
    # and an injury stays an injury with a wound or a weapon after it
    assert label("أصيب ثلاثة شبان بالرصاص في البلدة") == "cause_without_actor"


@pytest.mark.parametrize(
    "sentence",
    ["تجدد القصف على الأحياء الشرقية وارتفاع حصيلة القتلى", "اشتباكات عنيفة في المدينة وسقوط جرحى"],
)
def test_a_toll_noun_with_wa_opens_a_clause_of_its_own(sentence):
    assert decide(sentence)["rule"] == "no agent or cause"
    assert label(sentence) == "agentless"


def test_a_toll_noun_without_wa_keeps_its_cause():
    assert label("ارتفاع حصيلة القتلى جراء القصف على الأحياء الشرقية") == "cause_without_actor"


def test_the_dual_of_a_cause_noun_is_a_cause():
    assert "انفجارين" in LEXICON.causes and "اعتداءين" in LEXICON.causes
    assert label("أصيب عشرة أشخاص في انفجارين بالعاصمة") == "cause_without_actor"
    result = decide("استشهد أربعة في اعتداءين للمستوطنين على القرية")
    assert (result["label"], result["cause"]) == ("perpetrator_named", "اعتداءين")


def test_a_relative_verb_with_an_object_pronoun_points_back_to_the_actor():
    result = decide(
        "اقتحم جيش الاحتلال المدينة فجرا، واستشهد 3 شبان خلال العملية التي نفذها في الحي القديم"
    )
    assert (result["label"], result["rule"]) == ("perpetrator_named", "relative verb antecedent")
    assert result["agent"] == "جيش الاحتلال"
    # without the object pronoun the relative verb's subject is the cause itself
    assert label("قتل 3 في الهجوم الذي استهدف الحافلة") == "cause_without_actor"
    # and without an actor before it there is no one to point back to
    assert label("استشهد 3 شبان خلال العملية التي نفذها في الحي القديم") == ("cause_without_actor")


def test_an_actor_after_b_is_a_place_not_the_owner_of_the_cause():
    result = decide("شهداء في غزة مع اشتداد المجاعة واحتجاجات بإسرائيل")
    assert (result["label"], result["cause"]) == ("cause_without_actor", "المجاعه")
    # an actor with the genitive ل still owns it
    assert label("استشهد شاب في قصف للاحتلال على المخيم") == "perpetrator_named"


def test_load_dev_gold_keeps_only_the_dev_rows_of_the_v3_file(tmp_path):
    from types import SimpleNamespace

    from arabmedia.analysis import _agency as agency
    from arabmedia.analysis._agency_model import DEV_GOLD, load_dev_gold

    body = "قصفت الطائرات البلدة. واستشهد شاب في المدينة."
    articles = pd.DataFrame({"doc_id": ["x:1"], "outlet": ["X"], "body": [body]})

    def row(index: int, text: str, split: str) -> dict:
        return {
            "doc_id": "x:1",
            "sentence_index": index,
            "field": "body",
            "sentence_sha256": agency.sentence_sha(text),
            "label": "agentless",
            "note": "",
            "split": split,
        }

    folder = tmp_path / "data" / "gold"
    folder.mkdir(parents=True)
    # the v3 test row points at a sentence that does not exist: resolving it would fail
    rows = {name: [row(1, "واستشهد شاب في المدينة.", "dev")] for name, _ in DEV_GOLD}
    rows["agency_sentences_v3.tsv"].append(row(5, "جملة لا توجد", "test"))
    for name, table in rows.items():
        (folder / name).write_text(
            "# test gold\n" + pd.DataFrame(table).to_csv(sep="\t", index=False), "utf-8"
        )
    gold = load_dev_gold(SimpleNamespace(root=tmp_path), articles)
    assert ("agency_sentences_v3.tsv", "dev") in DEV_GOLD
    assert sorted(gold["gold_file"]) == sorted(name for name, _ in DEV_GOLD)
    assert set(gold["split"]) == {"dev"}
    assert (gold["text"] == "واستشهد شاب في المدينة.").all()
