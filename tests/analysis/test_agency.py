"""Agency in casualty reporting: hand-written sentences for every class and edge case of the
codebook (data/gold/README_agency.md), the word-list loader, per-article shares, and the gold
set resolved against the real corpora (marked ``corpora``)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from arabmedia import lexicons
from arabmedia.analysis import _agency as agency
from arabmedia.config import load_settings
from arabmedia.text import surface_words, tokenize

LEXICON = lexicons.load_agency_lexicon()
SETTINGS = load_settings()


def label_of(sentence: str) -> agency.AgencyDecision:
    return agency.classify_tokens(tokenize(sentence), LEXICON)


# Each sentence written for these tests; the expected label follows from the codebook.
@pytest.mark.parametrize(
    ("sentence", "label"),
    [
        # the adjective on the cause names the actor
        ("استشهد ثلاثة فلسطينيين بقصف إسرائيلي على خان يونس.", "perpetrator_named"),
        # active verb with its subject
        ("قتلت قوات الاحتلال شابا في نابلس.", "perpetrator_named"),
        # headline subject before an imperfect killing verb
        ("الاحتلال يقتل طفلين في جنين", "perpetrator_named"),
        # agent phrase after an intransitive report
        ("أصيب شاب برصاص المستوطنين قرب رام الله.", "perpetrator_named"),
        ("استشهد طفل على يد قوات الاحتلال.", "perpetrator_named"),
        # the actor owns the massacre through a relative verb
        ("سقط عشرات الشهداء في مجزرة جديدة ارتكبها الاحتلال.", "perpetrator_named"),
        # cause without its owner
        ("ارتقاء شهداء في غارة على رفح", "cause_without_actor"),
        ("سقوط ضحايا في انفجار بمصنع للألعاب.", "cause_without_actor"),
        ("مجزرة في بيت لاهيا", "cause_without_actor"),
        # neither actor nor cause
        ("استشهد خمسة مواطنين في مدينة غزة اليوم.", "agentless"),
        # the ministry is the source of the toll, not its agent
        ("أعلنت وزارة الصحة ارتفاع عدد الشهداء إلى مئة.", "agentless"),
        # the adjective describes the victim
        ("مقتل جندي إسرائيلي في جنوب لبنان", "agentless"),
        # the army is the speaker
        ("قال الجيش الإسرائيلي إن جنديا قتل أمس.", "agentless"),
        # juxtaposed headline clauses do not link the actor to the deaths
        ("شهداء في غزة والاحتلال يواصل هدم المنازل", "agentless"),
        # out of scope: a name, a threat, a hit, an illness, ordinary news
        ("مستشفى شهداء الأقصى يستقبل المرضى", "not_casualty"),
        ("هدد الوزير بقتل الأسرى", "not_casualty"),
        ("حقق الصاروخ إصابة مباشرة في الهدف.", "not_casualty"),
        ("تم تشخيص إصابة الرجل بالسرطان.", "not_casualty"),
        ("اجتمع الوزراء لبحث الميزانية.", "not_casualty"),
    ],
)
def test_codebook_cases(sentence, label):
    assert label_of(sentence).label == label


def test_decision_names_the_trigger_agent_and_cause():
    decision = label_of("استشهد شاب برصاص قوات الاحتلال في الخليل.")
    assert decision.trigger == "استشهد"
    assert decision.agent == "قوات الاحتلال"
    caused = label_of("استشهد شاب في غارة على المخيم.")
    assert (caused.agent, caused.cause) == ("", "غاره")


def test_the_strongest_trigger_decides_the_sentence():
    # an agentless toll followed by a clause with a named perpetrator
    sentence = "ارتفع عدد الشهداء إلى عشرة، وأصيب آخرون بنيران الجيش الإسرائيلي."
    assert label_of(sentence).label == "perpetrator_named"


def test_clitics_are_added_to_every_form():
    forms = surface_words(["شهيد"])
    assert {"شهيد", "والشهيد", "بالشهيد", "للشهيد", "وللشهيد", "فشهيد"} <= forms
    assert "شهيدال" not in forms
    # a form with the article takes the chains that end in it: لل, not ل + ال
    assert {"للامم", "والامم", "بالامم"} <= surface_words(["الامم"])
    assert {"الالامم", "لالامم", "امم"}.isdisjoint(surface_words(["الامم"]))


def test_the_shipped_word_lists_are_consistent():
    assert set(LEXICON.triggers.values()) <= set(lexicons.TRIGGER_KINDS)
    assert "والشهداء" in LEXICON.triggers and "بقصف" in LEXICON.causes
    # plural nisbas denote people (usually victims) and must not count as actors
    assert "اسرائيليين" not in LEXICON.actors and "الاحتلال" in LEXICON.actors


def _copy_lists(tmp_path: Path) -> Path:
    folder = tmp_path / "agency"
    shutil.copytree(lexicons.AGENCY_DIR, folder)
    return folder


def test_a_form_that_is_not_normalized_is_refused_with_the_file(tmp_path):
    folder = _copy_lists(tmp_path)
    path = folder / "causes.yaml"
    path.write_text(path.read_text("utf-8").replace("[غاره,", "[غارة,"), "utf-8")
    with pytest.raises(
        lexicons.LexiconError, match=r"causes\.yaml: group 'strikes': 'غارة' is not one token"
    ):
        lexicons.load_agency_lexicon(folder)


def test_a_group_without_rationale_or_kind_is_refused(tmp_path):
    folder = _copy_lists(tmp_path)
    path = folder / "casualty_terms.yaml"
    text = path.read_text("utf-8")
    path.write_text(text.replace("kind: intransitive", "kind: passive", 1), "utf-8")
    with pytest.raises(lexicons.LexiconError, match=r"group 'martyrdom': 'kind'.*got 'passive'"):
        lexicons.load_agency_lexicon(folder)
    path.write_text(text.replace("rationale: استشهد", "note: استشهد", 1), "utf-8")
    with pytest.raises(
        lexicons.LexiconError, match=r"group 'martyrdom': unknown key 'note'; missing 'rationale'"
    ):
        lexicons.load_agency_lexicon(folder)


# ------------------------------------------------------------------ tables and shares


def fixture_articles() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "doc_id": ["a:1", "a:2", "b:1", "b:2"],
            "outlet": ["A", "A", "B", "B"],
            "title": [
                "الاحتلال يقتل طفلين في جنين",
                "اجتماع للوزراء",
                "استشهد خمسة مواطنين في غزة",
                "ارتقاء شهداء في غارة على رفح",
            ],
            "body": [
                "قتلت قوات الاحتلال شابا. واستشهد آخر في المدينة.\nاجتمع المجلس.",
                "",
                "حقق الصاروخ إصابة مباشرة في الهدف.",
                "",
            ],
        }
    )


def test_article_sentences_index_sentences_within_each_field():
    sentences = agency.article_sentences(fixture_articles(), ["title", "body"])
    first = sentences[sentences["doc_id"] == "a:1"]
    assert first["field"].tolist() == ["title", "body", "body", "body"]
    assert first["sentence_index"].tolist() == [0, 0, 1, 2]
    assert first["tokens"].iloc[2] == tokenize("واستشهد آخر في المدينة.")
    assert len(sentences[sentences["doc_id"] == "a:2"]) == 1  # the empty body adds nothing
    with pytest.raises(ValueError, match="no column"):
        agency.article_sentences(fixture_articles(), ["lead"])


def test_casualty_sentences_keep_only_casualty_reports_with_evidence():
    found = agency.find_casualty_sentences(fixture_articles(), ["title", "body"])
    assert set(found["label"]) <= set(agency.CASUALTY_LABELS)
    assert sorted(zip(found["doc_id"], found["field"], found["sentence_index"], strict=True)) == [
        ("a:1", "body", 0),
        ("a:1", "body", 1),
        ("a:1", "title", 0),
        ("b:1", "title", 0),
        ("b:2", "title", 0),
    ]
    row = found[(found["doc_id"] == "a:1") & (found["field"] == "title")].iloc[0]
    assert row["trigger"] in row["evidence"].split()


def test_casualty_sentences_do_not_depend_on_the_chunk_size():
    articles = fixture_articles()
    whole = agency.find_agency(agency.article_sentences(articles, ["title", "body"]))
    expected = whole[whole["label"] != "not_casualty"].reset_index(drop=True)
    for chunk_size in (1, 2, len(articles) + 5):
        found = agency.find_casualty_sentences(articles, ["title", "body"], chunk_size=chunk_size)
        pd.testing.assert_frame_equal(found, expected)
    with pytest.raises(ValueError, match="chunk_size"):
        agency.find_casualty_sentences(articles, chunk_size=0)


def test_article_counts_and_shares_are_ratios_of_article_sums():
    articles = fixture_articles()
    counts = agency.count_agency(
        articles, agency.find_casualty_sentences(articles, ["title", "body"])
    )
    assert counts["doc_id"].tolist() == articles["doc_id"].tolist()
    by_id = counts.set_index("doc_id")
    # a:1: two perpetrator_named (title, first body sentence) and one agentless
    assert by_id.loc["a:1", ["perpetrator_named", "agentless", "casualty"]].tolist() == [2, 1, 3]
    assert by_id.loc["a:2", "casualty"] == 0
    shares = agency.compare_agency(counts, n_boot=200)
    a_named = shares[(shares["outlet"] == "A") & (shares["label"] == "perpetrator_named")].iloc[0]
    assert a_named["estimate"] == pytest.approx(2 / 3)
    b_rows = shares[shares["outlet"] == "B"].set_index("label")
    assert b_rows["estimate"].sum() == pytest.approx(1.0)
    assert (shares["low"] <= shares["estimate"] + 1e-12).all()
    assert (shares["estimate"] <= shares["high"] + 1e-12).all()


# ------------------------------------------------------------------ gold references


def write_gold(path: Path, rows: list[dict]) -> Path:
    frame = pd.DataFrame(rows)
    path.write_text("# test gold\n" + frame.to_csv(sep="\t", index=False), "utf-8")
    return path


def gold_row(doc_id="a:1", field="body", index=1, sha=None, label="agentless") -> dict:
    sha = sha or agency.sentence_sha("واستشهد آخر في المدينة.")
    return {
        "doc_id": doc_id,
        "sentence_index": index,
        "field": field,
        "sentence_sha256": sha,
        "label": label,
        "note": "cue",
    }


def test_load_gold_resolves_references_to_sentences(tmp_path):
    path = write_gold(tmp_path / "gold.tsv", [gold_row()])
    gold = agency.load_gold(path, fixture_articles())
    assert gold.loc[0, "text"] == "واستشهد آخر في المدينة."
    assert gold.loc[0, "outlet"] == "A"
    scores, predictions = agency.evaluate_gold(gold, n_boot=50)
    assert predictions.loc[0, "predicted"] == "agentless"
    assert scores.set_index("label").loc["agentless", "recall"] == 1.0


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        (gold_row(sha="0" * 16), "sentence hash differs"),
        (gold_row(doc_id="a:9"), "article not in the loaded corpus"),
        (gold_row(index=7), "the field has only 3 sentences"),
        (gold_row(field="lead"), "has no field 'lead'"),
    ],
)
def test_load_gold_refuses_rows_that_no_longer_match(tmp_path, row, reason):
    path = write_gold(tmp_path / "gold.tsv", [gold_row(), row])
    with pytest.raises(ValueError, match=f"row 2 .*{reason}"):
        agency.load_gold(path, fixture_articles())


def test_load_gold_refuses_unknown_labels(tmp_path):
    path = write_gold(tmp_path / "gold.tsv", [gold_row(label="passive")])
    with pytest.raises(ValueError, match="unknown label"):
        agency.load_gold(path, fixture_articles())


# ------------------------------------------------------------------ real corpora


@pytest.mark.corpora
@pytest.mark.skipif(not SETTINGS.mirror.is_dir(), reason="corpus mirror not present")
def test_gold_set_resolves_and_the_frozen_test_figure_holds():
    from arabmedia.analysis import check_frozen
    from arabmedia.corpus import load_articles

    check_frozen(SETTINGS.root, [f"data/gold/{agency.RELEASE_GOLD}"])
    articles = load_articles(SETTINGS)
    gold = agency.load_gold(agency.gold_dir(SETTINGS) / agency.RELEASE_GOLD, articles)
    assert len(gold) >= 400
    assert set(gold["outlet"]) == {"Al Mayadeen", "Al Jazeera"}
    for split in ("dev", "test"):
        assert set(gold.loc[gold["split"] == split, "label"]) == set(agency.LABELS)
    # the notes are short reasons or cues, never the sentence itself
    assert (gold["note"].str.split().str.len() <= 8).all()
    scores, predictions = agency.evaluate_gold(gold[gold["split"] == "test"], n_boot=100)
    macro = scores.set_index("label").loc["macro"]
    # Scored once at release on the frozen v4 test half: macro F1 0.763, agentless
    # predicted/true 75/58 = 1.29 (the goals, 0.80 and 0.85-1.15, are missed: see the README).
    # Regression guards just beside the measured figures, not targets (tuning is on dev).
    assert macro["f1"] >= 0.74
    ratio = (predictions["predicted"] == "agentless").sum() / (
        predictions["label"] == "agentless"
    ).sum()
    assert ratio <= 1.35


def test_agency_step_from_sentences_to_shares_and_change():
    articles = fixture_articles().assign(lead="", period=["p1", "p1", "p2", "p2"])
    body_tokens = pd.Series([tokenize(text) for text in articles["body"]])
    has_word = agency.has_casualty_word(body_tokens, LEXICON)
    assert has_word.tolist() == [True, False, True, False]  # إصابة is a trigger form
    sentences = agency.agency_sentences(articles, ["title"], articles[has_word.to_numpy()])
    direct = pd.concat(
        [
            agency.article_sentences(articles, ["title"]),
            agency.article_sentences(articles[has_word.to_numpy()], ["body"]),
        ],
        ignore_index=True,
    )
    pd.testing.assert_frame_equal(sentences, direct)
    classified = agency.find_agency(sentences, LEXICON)
    titles = agency.casualty_counts(articles, classified, ["title"], keep=[True, True, True, False])
    assert titles["doc_id"].tolist() == ["a:1", "b:1"]  # a:2 has none, b:2 is not kept
    assert titles["perpetrator_named"].tolist() == [1, 0]
    assert titles["agentless"].tolist() == [0, 1]
    bodies = agency.casualty_counts(articles, classified, ["body"], carry=["period"])
    assert bodies["doc_id"].tolist() == ["a:1"] and bodies["period"].tolist() == ["p1"]
    assert bodies["casualty"].tolist() == [2]  # the شابا killing and استشهد آخر
    every = agency.casualty_counts(articles, classified, ["title"], carry=["period"])
    change = agency.compare_agency_change(every, "period", "p1", "p2", n_boot=50, seed=0)
    assert change["label"].tolist() == list(agency.CASUALTY_LABELS)
    named = change.set_index("label").loc["perpetrator_named"]
    assert named["estimate_first"] == 1.0
    # p2: b:1 agentless, b:2 cause_without_actor (غارة): no perpetrator
    assert named["estimate_second"] == 0.0 and named["difference"] == -1.0


def test_evaluate_gold_splits_scores_each_split_alone():
    sentences = agency.article_sentences(fixture_articles(), ["title"])
    gold = sentences.assign(
        label=["perpetrator_named", "not_casualty", "agentless", "agentless"],
        split=["dev", "dev", "test", "test"],
    )
    table = agency.evaluate_gold_splits(gold, LEXICON, n_boot=20, seed=0)
    assert table.columns[0] == "split" and set(table["split"]) == {"dev", "test"}
    for split in ("dev", "test"):
        direct = agency.evaluate_gold(gold[gold["split"] == split], LEXICON, n_boot=20)[0]
        got = table[table["split"] == split].drop(columns="split").reset_index(drop=True)
        pd.testing.assert_frame_equal(got, direct)


# ------------------------------------------------------------------ whole steps of notebook 03


def test_agency_sentences_split_only_the_bodies_with_a_casualty_word():
    articles = pd.concat(
        [fixture_articles(), pd.DataFrame({"doc_id": ["c:1"], "outlet": ["B"], "title": [""]})],
        ignore_index=True,
    ).assign(body=lambda d: d["body"].fillna("اجتمع المجلس اليوم."))
    body_tokens = pd.Series([tokenize(text) for text in articles["body"]])
    sentences = agency.agency_sentences(articles, ["title"], articles, body_tokens, LEXICON)
    kept = articles[agency.has_casualty_word(body_tokens, LEXICON).to_numpy()]
    pd.testing.assert_frame_equal(sentences, agency.agency_sentences(articles, ["title"], kept))
    bodies = sentences[sentences["field"] == "body"]
    assert sorted(set(bodies["doc_id"])) == ["a:1", "b:1"]  # c:1's body has no casualty word
    every = agency.agency_sentences(articles, ["title"], articles)
    assert "c:1" in set(every.loc[every["field"] == "body", "doc_id"])


def test_agency_overview_counts_sentences_per_class_and_texts():
    classified = pd.DataFrame(
        {
            "doc_id": ["x", "x", "y", "x", "z"],
            "outlet": ["A", "A", "A", "A", "B"],
            "field": ["title", "body", "title", "body", "title"],
            "label": ["agentless", "not_casualty", "agentless", "agentless", "not_casualty"],
        }
    )
    table = agency.agency_overview(classified)
    assert table.columns.tolist() == [*agency.LABELS, "texts"]
    assert table.loc[("A", "title"), "agentless"] == 2 and table.loc[("A", "title"), "texts"] == 2
    assert table.loc[("A", "body")].tolist() == [0, 0, 1, 1, 1]  # one body, two sentences
    assert table.loc[("B", "title"), "perpetrator_named"] == 0


def test_compare_agency_periods_equals_the_direct_computation():
    articles = pd.DataFrame(
        {
            "doc_id": ["m:1", "m:2", "m:3"],
            "outlet": ["M"] * 3,
            "date": pd.to_datetime(["2023-09-01", "2023-11-01", "2023-11-02"]),
            "title": ["", "", ""],
            "body": [
                "قتلت قوات الاحتلال شابا. واستشهد آخر في المدينة.",
                "استشهد خمسة مواطنين في غزة.",
                "اجتمع المجلس.",
            ],
        }
    )
    from arabmedia.analysis import period_labels, split_periods

    bodies = split_periods(articles, "2023-10-07")
    classified = agency.find_agency(agency.article_sentences(bodies, ["body"]), LEXICON)
    change = agency.compare_agency_periods(bodies, classified, "2023-10-07", n_boot=50, seed=2)
    counts = agency.casualty_counts(bodies, classified, ["body"], carry=["period"])
    direct = agency.compare_agency_change(
        counts, "period", *period_labels("2023-10-07"), n_boot=50, seed=2
    )
    assert change.columns[0] == "outlet" and set(change["outlet"]) == {"M"}
    pd.testing.assert_frame_equal(change.drop(columns="outlet"), direct)
    rows = change.set_index("label")
    # before: m:1 (one perpetrator_named, one agentless); after: m:2 (agentless), m:3 none
    assert rows.loc["perpetrator_named", ["n_first", "n_second"]].tolist() == [1, 1]
    assert rows.loc["perpetrator_named", "difference"] == pytest.approx(-0.5)
    assert rows.loc["agentless", "difference"] == pytest.approx(0.5)


def test_compare_agency_periods_compares_each_of_three_outlets_with_itself():
    rows = [
        ("a:1", "A", "2023-09-01", "قتلت قوات الاحتلال شابا."),
        ("a:2", "A", "2023-11-01", "استشهد خمسة مواطنين في غزة."),
        ("b:1", "B", "2023-09-02", "استشهد شاب في المدينة."),
        ("b:2", "B", "2023-11-02", "قتلت قوات الاحتلال طفلا. واستشهد آخر."),
        ("c:1", "C", "2023-09-03", "اجتمع المجلس."),
        ("c:2", "C", "2023-11-03", "اجتمع المجلس مرة أخرى."),
    ]
    articles = pd.DataFrame(rows, columns=["doc_id", "outlet", "date", "body"])
    articles = articles.assign(date=pd.to_datetime(articles["date"]), title="")
    from arabmedia.analysis import split_periods

    bodies = split_periods(articles, "2023-10-07")
    classified = agency.find_agency(agency.article_sentences(bodies, ["body"]), LEXICON)
    change = agency.compare_agency_periods(bodies, classified, "2023-10-07", n_boot=50, seed=2)
    assert change["outlet"].unique().tolist() == ["A", "B", "C"]
    for outlet in "AB":
        own = bodies["outlet"] == outlet
        alone = agency.compare_agency_periods(
            bodies[own], classified, "2023-10-07", n_boot=50, seed=2
        )
        pd.testing.assert_frame_equal(
            change[change["outlet"] == outlet].reset_index(drop=True), alone
        )
    named = change[change["label"] == "perpetrator_named"].set_index("outlet")
    # A: named, then agentless; B: agentless, then one named of two casualty sentences
    assert named.loc["A", "difference"] == pytest.approx(-1.0)
    assert named.loc["B", "difference"] == pytest.approx(0.5)
    # C has no casualty sentence: its rows are there, empty, not dropped
    assert named.loc["C", ["n_first", "n_second"]].tolist() == [0, 0]
    assert pd.isna(named.loc["C", "difference"])


def test_agency_validation_reads_the_gold_set_of_the_study(tmp_path):
    from types import SimpleNamespace

    title = gold_row(field="title", index=0, label="perpetrator_named")
    title["sentence_sha256"] = agency.sentence_sha("الاحتلال يقتل طفلين في جنين")
    (tmp_path / "data" / "gold").mkdir(parents=True)
    path = tmp_path / "data" / "gold" / agency.RELEASE_GOLD
    write_gold(path, [gold_row() | {"split": "dev"}, title | {"split": "test"}])
    table = agency.agency_validation(fixture_articles(), SimpleNamespace(root=tmp_path), n_boot=20)
    gold = agency.load_gold(path, fixture_articles())
    pd.testing.assert_frame_equal(table, agency.evaluate_gold_splits(gold, n_boot=20))
    test = table[table["split"] == "test"].set_index("label")
    assert test.loc["perpetrator_named", "recall"] == 1.0
