"""Clitic segmentation and light stemming: rules, gold accuracy, camel-tools wiring."""

import json
import warnings
from pathlib import Path

import pytest

from arabmedia.lexicons import ProtectedWords
from arabmedia.text import (
    CamelDataMissingWarning,
    CamelSegmenter,
    RuleSegmenter,
    camel_data_available,
    make_segmenter,
)
from arabmedia.text import _segment as segment

GOLD = Path(__file__).resolve().parents[2] / "data" / "gold" / "segmentation.tsv"
# Measured on the gold list (669 forms): segmentation 0.984, stem 0.979; on its 75 random
# mid-frequency rows 0.987 and 0.960.  The floors sit just below, so one or two new errors fail.
MIN_SEGMENTATION, MIN_STEM = 0.980, 0.975
MIN_RANDOM_SEGMENTATION, MIN_RANDOM_STEM = 0.98, 0.95


@pytest.fixture(scope="module")
def rules():
    return RuleSegmenter()


def read_gold():
    lines = [line for line in GOLD.read_text("utf-8").splitlines() if not line.startswith("#")]
    assert lines[0] == "word\tsegmentation\tstem\tnote"
    return [line.split("\t") for line in lines[1:]]


# ----------------------------------------------------------------------------- rules


@pytest.mark.parametrize(
    ("token", "segments", "stem"),
    [
        ("وبالاحتلال", ["و+", "ب+", "ال+", "احتلال"], "احتلال"),
        ("للاحتلال", ["ل+", "ال+", "احتلال"], "احتلال"),
        ("الاحتلال", ["ال+", "احتلال"], "احتلال"),
        ("وللمقاومه", ["و+", "ل+", "ال+", "مقاومه"], "مقاوم"),
        ("فالحرب", ["ف+", "ال+", "حرب"], "حرب"),
        ("كالعاده", ["ك+", "ال+", "عاده"], "عاد"),
        ("سيكون", ["س+", "يكون"], "يكون"),
        ("والشهداء", ["و+", "ال+", "شهداء"], "شهداء"),
        ("الفلسطينيين", ["ال+", "فلسطينيين"], "فلسطيني"),
        ("شهيدا", ["شهيدا"], "شهيد"),
        ("حكومته", ["حكومه", "+ه"], "حكوم"),
        ("قياداتها", ["قيادات", "+ها"], "قياد"),
        ("عليهم", ["علي", "+هم"], "علي"),
        ("بانها", ["ب+", "ان", "+ها"], "ان"),
        ("بهم", ["ب", "+هم"], "ب"),
        ("وهم", ["و+", "هم"], "هم"),
    ],
)
def test_rule_segmentation_of_clitics(rules, token, segments, stem):
    assert rules.segment(token) == segments
    assert rules.stem(token) == stem


@pytest.mark.parametrize(
    "token",
    [
        "بيروت",
        "لندن",
        "كتائب",
        "فلسطين",
        "ليبيا",
        "وزير",
        "والي",
        "لبنان",
        "واشنطن",
        "بايدن",
        "نتنياهو",
        "حماس",
        "كاليفورنيا",
        "وقف",
        "بعد",
        "في",
        "الي",
        "الذي",
        "الله",
        "هذه",
        "هنا",
        "مهم",
        "تتهم",
        "ذلك",
    ],
)
def test_words_whose_letters_look_like_clitics_are_not_split(rules, token):
    assert rules.segment(token) == [token]


@pytest.mark.parametrize(
    ("token", "stem"),
    [
        ("غزه", "غزه"),
        ("الضفه", "ضفه"),
        ("ايران", "ايران"),
        ("النصيرات", "نصيرات"),
        ("القتلي", "قتلي"),
        ("الاسري", "اسري"),
        ("العدوان", "عدوان"),
        ("جنين", "جنين"),
        ("اسرائيل", "اسرائيل"),
        ("الولايات", "ولاي"),
        ("للبنان", "لبنان"),
        ("ضحايا", "ضحايا"),
    ],
)
def test_protected_names_and_key_terms_keep_their_stem(rules, token, stem):
    assert rules.stem(token) == stem


def test_light_stem_is_not_isri_root_extraction(rules):
    assert rules.stem("الاحتلال") != "حلل"
    assert rules.stem("والاحتلال") == rules.stem("بالاحتلال") == "احتلال"


def test_short_remainders_are_not_split_without_protection():
    bare = RuleSegmenter(ProtectedWords(frozenset(), frozenset(), frozenset()))
    assert bare.segment("وقف") == ["وقف"]  # و+قف would leave a 2-letter stem
    assert bare.segment("بحر") == ["بحر"]
    assert bare.segment("الي") == ["الي"]  # ال needs a stem of 2+ letters
    assert bare.segment("ولم") == ["و+", "لم"]  # short function words may follow و
    assert bare.segment("سوريا") == ["سوريا"]  # س+ only before an imperfect-verb prefix


def test_non_arabic_tokens_pass_through(rules):
    for token in ["2023", "UN", "", "غزة-2"]:
        assert rules.segment(token) == [token]
        assert rules.stem(token) == token


# ------------------------------------------------------------------------------ gold


def written_forms(pieces):
    """How a segmentation can be written: ل+ال as لل, and ة restored before a pronoun as ت."""
    proclitics = [p[:-1] for p in pieces if p.endswith("+")]
    (stem,) = [p for p in pieces if not p.startswith("+") and not p.endswith("+")]
    enclitic = "".join(p[1:] for p in pieces if p.startswith("+"))
    prefix = "".join(proclitics).replace("لال", "لل")
    stems = {stem, stem[:-1] + "ت"} if enclitic and stem.endswith("ه") else {stem}
    return {prefix + s + enclitic for s in stems}


def test_gold_file_is_well_formed():
    rows = read_gold()
    assert len(rows) >= 300
    assert len({row[0] for row in rows}) == len(rows), "duplicate words"
    for word, segmentation, stem, note in rows:
        assert word in written_forms(segmentation.split(" ")), (word, segmentation)
        assert set(word) <= segment.ARABIC_LETTERS and stem and note


def gold_accuracy(rows, segmenter):
    seg_failures, stem_failures = [], []
    for word, segmentation, stem, _note in rows:
        got = " ".join(segmenter.segment(word))
        if got != segmentation:
            seg_failures.append(f"{word}: expected {segmentation!r}, got {got!r}")
        if segmenter.stem(word) != stem:
            stem_failures.append(f"{word}: expected stem {stem!r}, got {segmenter.stem(word)!r}")
    n = len(rows)
    return 1 - len(seg_failures) / n, 1 - len(stem_failures) / n, seg_failures, stem_failures


def test_rule_segmenter_accuracy_on_gold(rules):
    rows = read_gold()
    seg_acc, stem_acc, seg_failures, stem_failures = gold_accuracy(rows, rules)
    report = f"segmentation {seg_acc:.3f}, stem {stem_acc:.3f} on {len(rows)} words\n"
    print(report)
    assert seg_acc >= MIN_SEGMENTATION, report + "\n".join(seg_failures)
    assert stem_acc >= MIN_STEM, report + "\n".join(stem_failures)


def test_rule_segmenter_accuracy_on_random_mid_frequency_rows(rules):
    rows = [row for row in read_gold() if row[3].startswith("random-mid")]
    seg_acc, stem_acc, seg_failures, stem_failures = gold_accuracy(rows, rules)
    print(f"random-mid rows: segmentation {seg_acc:.3f}, stem {stem_acc:.3f} on {len(rows)}")
    assert seg_acc >= MIN_RANDOM_SEGMENTATION, "\n".join(seg_failures)
    assert stem_acc >= MIN_RANDOM_STEM, "\n".join(stem_failures)


# ------------------------------------------------------------------------ camel-tools


def write_catalogue(root, mle_path="disambig_mle/calima-msa-r13", db_path="morphology_db/x"):
    catalogue = {
        "version": "1.6.0",
        "packages": {},
        "components": {
            "DisambigMLE": {
                "default": "calima-msa-r13",
                "datasets": {"calima-msa-r13": {"path": mle_path}},
            },
            "MorphologyDB": {
                "default": "calima-msa-r13",
                "datasets": {"calima-msa-r13": {"path": db_path}},
            },
        },
    }
    root.mkdir(parents=True, exist_ok=True)
    (root / "catalogue.json").write_text(json.dumps(catalogue), encoding="utf-8")


def test_camel_data_missing_without_catalogue_or_files(tmp_path):
    assert camel_data_available(tmp_path / "nothing") is False
    stub = tmp_path / "stub"
    stub.mkdir()
    (stub / "catalogue.json").write_text(
        '{"version": "1.6.0", "packages": {}, "components": {}}', encoding="utf-8"
    )
    assert camel_data_available(stub) is False
    (tmp_path / "broken").mkdir()
    (tmp_path / "broken" / "catalogue.json").write_text("{not json", encoding="utf-8")
    assert camel_data_available(tmp_path / "broken") is False
    write_catalogue(tmp_path / "listed")
    assert camel_data_available(tmp_path / "listed") is False  # listed but not installed
    assert sorted(p.name for p in tmp_path.iterdir()) == ["broken", "listed", "stub"]


def test_camel_data_found_when_model_and_db_are_installed(tmp_path, monkeypatch):
    write_catalogue(tmp_path)
    (tmp_path / "data" / "disambig_mle" / "calima-msa-r13").mkdir(parents=True)
    (tmp_path / "data" / "disambig_mle" / "calima-msa-r13" / "model.json").write_text("{}")
    assert camel_data_available(tmp_path) is False  # morphology.db still missing
    (tmp_path / "data" / "morphology_db" / "x").mkdir(parents=True)
    (tmp_path / "data" / "morphology_db" / "x" / "morphology.db").write_text("")
    assert camel_data_available(tmp_path) is True
    monkeypatch.setenv("CAMELTOOLS_DATA", str(tmp_path))
    assert camel_data_available() is True


class FakeDisambiguator:
    """Stands in for MLEDisambiguator: returns fixed analyses in camel-tools' types."""

    def __init__(self, analyses):
        self.analyses = analyses
        self.calls = []

    def disambiguate(self, words):
        from camel_tools.disambig.common import DisambiguatedWord, ScoredAnalysis

        self.calls.append(list(words))
        result = []
        for word in words:
            analysis = self.analyses.get(word)
            scored = [ScoredAnalysis(1.0, analysis, "", -1.0, -1.0)] if analysis else []
            result.append(DisambiguatedWord(word, scored))
        return result


FAKE_ANALYSES = {
    "وبالاحتلال": {
        "d3tok": "وَ+_بِ+_ال+_اِحْتِلال",
        "atbtok": "وَ+_بِ+_الاِحْتِلال",
        "lex": "اِحْتِلال",
    },
    "حكومته": {"d3tok": "حُكُومَة_+ه", "atbtok": "حُكُومَة_+ه", "lex": "حُكُومَة"},
    "والاسري": {"d3tok": "وَ+_ال+_أَسْرَى", "atbtok": "وَ+_الأَسْرَى", "lex": "أَسِير"},
    "كوكو": {"d3tok": "NOAN", "atbtok": "NOAN", "lex": "NOAN"},
}


def test_camel_segmenter_d3_wiring_and_output_format():
    fake = FakeDisambiguator(FAKE_ANALYSES)
    camel = CamelSegmenter(disambiguator=fake)
    assert camel.name == "camel-d3tok"
    assert camel.segment("وبالاحتلال") == ["و+", "ب+", "ال+", "احتلال"]
    assert camel.segment("حكومته") == ["حكومه", "+ه"]
    assert camel.segment("والاسري") == ["و+", "ال+", "اسري"]
    assert camel.stem("والاسري") == "اسير"
    assert camel.stem("وبالاحتلال") == "احتلال"
    assert ["حكومته"] in fake.calls


def test_camel_segmenter_atb_scheme_keeps_the_article():
    camel = CamelSegmenter(disambiguator=FakeDisambiguator(FAKE_ANALYSES), scheme="atbtok")
    assert camel.segment("وبالاحتلال") == ["و+", "ب+", "الاحتلال"]


def test_camel_segmenter_without_analysis_returns_the_word():
    camel = CamelSegmenter(disambiguator=FakeDisambiguator(FAKE_ANALYSES))
    assert camel.segment("مجهول") == ["مجهول"]
    assert camel.stem("مجهول") == "مجهول"
    assert camel.segment("كوكو") == ["كوكو"]


def test_camel_segmenter_refuses_unknown_scheme():
    with pytest.raises(ValueError, match="scheme"):
        CamelSegmenter(disambiguator=FakeDisambiguator({}), scheme="bwtok")


# ------------------------------------------------------------------------- factory


@pytest.fixture
def no_camel_data(tmp_path, monkeypatch):
    monkeypatch.setenv("CAMELTOOLS_DATA", str(tmp_path / "camel"))


def test_auto_falls_back_to_rules_with_a_warning(no_camel_data):
    with pytest.warns(CamelDataMissingWarning, match="rule-based fallback"):
        segmenter = make_segmenter("auto")
    assert segmenter.name == "rules"
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert make_segmenter("auto", warn=False).name == "rules"
        assert make_segmenter("rules").name == "rules"


def test_auto_uses_camel_when_data_is_available(monkeypatch):
    monkeypatch.setattr(segment, "camel_data_available", lambda: True)
    monkeypatch.setattr(segment, "CamelSegmenter", lambda: "camel segmenter")
    assert make_segmenter("auto") == "camel segmenter"


def test_camel_backend_without_data_is_a_clear_error(no_camel_data):
    with pytest.raises(RuntimeError, match="camel-tools morphology data not found"):
        make_segmenter("camel")


def test_unknown_backend_is_refused():
    with pytest.raises(ValueError, match="backend"):
        make_segmenter("isri")
