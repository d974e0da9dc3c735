"""The agency rule families added for generalisation: responsibility and admission frames,
aspect verbs, claimed killings (انه قتل), parties to fighting, cause links past the clause,
في حين as a break, funerals and bodies, and the narrowed causes.  Every sentence is written
for these tests; each fails without its rule, except the counter-examples marked "guard"
that keep a rule from reaching too far."""

from __future__ import annotations

import pytest

from arabmedia import analysis

#: A casualty clause longer than the clause reach, then a cause link (اثر ...).
LONG_REPORT = (
    "أعلنت مصادر طبية مقتل رجل وامرأة من سكان الحي الشرقي للمدينة، وهما يعملان في مخبز "
    "صغير قرب السوق المركزي منذ سنوات طويلة جدا"
)


def decide(sentence: str) -> tuple[str, str]:
    row = analysis.classify_texts([sentence]).iloc[0]
    return row["label"], row["rule"]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # responsibility and accusation: the actor held responsible is the agent
        ("حمّل الوزير الجيش المسؤولية عن مقتل المزارع", "perpetrator_named"),
        ("الشرطة تقر بمسؤوليتها عن مقتل سائق في المدينة", "perpetrator_named"),
        # an admission names the agent of a killing verb ...
        ("اعترف الجيش أمس بقتل رجلين قرب الحدود", "perpetrator_named"),
        # guard: ... but not of its own losses
        ("اعترف الجيش أمس بمقتل أحد جنوده", "agentless"),
    ],
)
def test_responsibility_and_admission_frames(sentence, expected):
    label, rule = decide(sentence)
    assert label == expected
    if expected == "perpetrator_named":
        assert rule == "responsibility frame"


def test_aspect_verbs_name_the_agent_only_when_they_govern_a_killing():
    assert decide("الميليشيا تواصل قتل المدنيين في القرى") == (
        "perpetrator_named",
        "agent verb",
    )
    assert decide("الشرطة تتعمد قتل المتظاهرين")[0] == "perpetrator_named"
    # continuing something else is no link to the casualty
    assert decide("يواصل الجيش انسحابه من المدينة بعد سقوط قتلى")[0] == "agentless"


def test_a_claimed_killing_names_the_claimant():
    assert decide("قالت الشرطة إنها قتلت رجلا مسلحا في المداهمة") == (
        "perpetrator_named",
        "pronoun subject",
    )
    # the speaker of a plain toll stays a speaker
    assert decide("قالت الشرطة إن رجلا قتل في المداهمة")[0] == "agentless"


@pytest.mark.parametrize(
    "sentence",
    [
        "قتل ثلاثة جنود خلال معركة ضد المسلحين في الجبال",
        "خلال المواجهات بين قوات الحكومة والميليشيات أصيب خمسة أشخاص",
    ],
)
def test_a_named_party_to_fighting_is_the_agent(sentence):
    assert decide(sentence) == ("perpetrator_named", "cause owner")


def test_fighting_without_a_named_party_stays_a_cause():  # guard
    assert decide("قتل ثلاثة أشخاص خلال اشتباكات عنيفة في الجبال")[0] == "cause_without_actor"


def test_a_cause_link_reaches_past_the_clause():
    assert decide(LONG_REPORT + "، إثر قصف روسي استهدف المنطقة") == (
        "perpetrator_named",
        "linked cause owner",
    )
    assert decide(LONG_REPORT + "، جراء انهيار مبنى قديم") == ("cause_without_actor", "cause")
    # the cause's owner is read in the cause's own clause, not in a juxtaposed one
    label, _ = decide(LONG_REPORT + "، بعد انفجار قديم والشرطة تحقق في الحادث")
    assert label == "cause_without_actor"


def test_fi_hin_ends_the_clause():
    sentence = "واصل الجيش قصفه للمدينة في حين ارتفعت حصيلة ضحايا الجوع إلى عشرة"
    assert decide(sentence)[0] == "cause_without_actor"


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # a funeral word makes الشهيد before a name more than a title
        ("شيّع المئات الشهيد خالد إلى مثواه الأخير", "agentless"),
        # funerals and bodies are the dead
        ("جرى تشييع المعلم في قريته ظهر اليوم", "agentless"),
        ("انتشلت فرق الإنقاذ جثث خمسة أشخاص من تحت الركام", "agentless"),
        ("البلدة تودع شهيداتها الثلاث", "agentless"),
        ("نقل مصابي الحريق إلى المستشفى", "cause_without_actor"),
        # illness and threats are not casualties
        ("طفلة مصابة بالسرطان تنتظر العلاج", "not_casualty"),
        ("اشتكى الأسير من تهديده بالقتل", "not_casualty"),
    ],
)
def test_funerals_bodies_forms_and_senses(sentence, expected):
    assert decide(sentence)[0] == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # protests are the setting, not what killed
        ("قتيلان في مظاهرات ضد الحكومة", "agentless"),
        # an operation that is the killing itself is no separate cause
        ("أدانت الوزارة عملية اغتيال الصحفي", "agentless"),
        # guard: ... but its doer is still named
        ("قتل رجلان في عملية اغتيال نفذتها قوات خاصة", "perpetrator_named"),
        # search operations are no cause, their doer no agent
        ("بعد عمليات بحث أجرتها الشرطة عثر على جثث ثلاثة مفقودين", "agentless"),
        # a causing actor is the agent
        ("تسببت الميليشيا في مقتل عشرة مدنيين", "perpetrator_named"),
    ],
)
def test_narrowed_causes_and_causing_actors(sentence, expected):
    assert decide(sentence)[0] == expected
