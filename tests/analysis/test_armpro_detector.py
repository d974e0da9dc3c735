"""ArMPro loaded-language detectors: given span files, the detector protocol, folds by
source domain, cross-validation and errors."""

import json

import numpy as np
import pandas as pd
import pytest

from arabmedia.analysis import (
    DETECTION_COLUMNS,
    LexiconDetector,
    SupervisedDetector,
    armpro_cross_validation,
    armpro_table_from_files,
    armpro_validation,
    grouped_folds,
    loaded_language_matches,
)
from arabmedia.lexicons import load_frames

NEUTRAL = ["قال", "المسؤول", "إن", "الاجتماع", "عقد", "اليوم", "في", "المدينة", "لبحث", "الأوضاع"]
ENDING = " مع الوفد الزائر"  # in every paragraph
LOADED = ["وحشية", "مروعة", "همجية"]
DOMAINS = ["a.example", "b.example", "c.example"]

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
      - {pattern: مروعة, rationale: test}
      - {pattern: الوفد الزائر, rationale: a neutral phrase the lexicon wrongly lists}
"""


def paragraph(number: int, loaded: str | None) -> tuple[str, list[dict]]:
    """A neutral sentence (rotated by ``number``), with ``loaded`` as its seventh word."""
    words = NEUTRAL[number % len(NEUTRAL) :] + NEUTRAL[: number % len(NEUTRAL)]
    if loaded is None:
        return " ".join(words) + ENDING, []
    before = " ".join(words[:6]) + " "
    text = before + loaded + " " + " ".join(words[6:]) + ENDING
    start = len(before)
    label = {"technique": "Loaded_Language", "text": loaded, "start": start}
    other = {"technique": "Doubt", "text": words[0], "start": 0, "end": len(words[0])}
    return text, [label | {"end": start + len(loaded)}, other]


def records(per_domain: int = 8) -> list[dict]:
    """Per domain, ``per_domain`` paragraphs: every other one has a loaded word."""
    rows = []
    for d, domain in enumerate(DOMAINS):
        for k in range(per_domain):
            number = d * per_domain + k
            loaded = LOADED[number % len(LOADED)] if k % 2 == 0 else None
            text, labels = paragraph(number, loaded)
            rows.append(
                {
                    "page_id": f"page{number}",
                    "paragraph_id": f"page{number}_001",
                    "paragraph": text,
                    "labels": labels,
                    "page_domain": domain,
                    "page_url": f"https://{domain}/{number}",
                    "page_title": "عنوان",
                    "page_date": "",
                }
            )
    return rows


def write(path, rows, extra_lines=()):
    lines = [json.dumps(row, ensure_ascii=False) for row in rows] + list(extra_lines)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def span_file(tmp_path):
    return write(tmp_path / "toy_span_dev.jsonl", records())


@pytest.fixture
def lexicon(tmp_path):
    path = tmp_path / "lexicon.yaml"
    path.write_text(LEXICON, encoding="utf-8")
    return load_frames(path)


# ---------------------------------------------------------------- files


def test_table_from_given_files_has_outlets_and_aligned_spans(span_file):
    table = armpro_table_from_files([span_file])
    assert list(table.columns) == [
        "doc_id",
        "outlet",
        "body",
        "spans",
        "n_realigned",
        "n_unaligned",
    ]
    assert len(table) == 24 and table["doc_id"].is_unique
    assert table["outlet"].value_counts().to_dict() == dict.fromkeys(DOMAINS, 8)
    has_spans = table[table["spans"].str.len() > 0]
    assert len(has_spans) == 12  # only Loaded_Language spans are kept
    for body, spans in zip(has_spans["body"], has_spans["spans"], strict=True):
        ((start, end),) = spans
        assert body[start:end] in LOADED
    assert table["n_unaligned"].sum() == 0


def test_missing_empty_and_broken_files_are_named(tmp_path, span_file):
    missing = tmp_path / "absent_span.jsonl"
    with pytest.raises(FileNotFoundError, match=r"absent_span\.jsonl"):
        armpro_table_from_files([span_file, missing])
    empty = tmp_path / "empty_span.jsonl"
    empty.write_text("\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"empty_span\.jsonl: no ArMPro paragraphs"):
        armpro_table_from_files([span_file, empty])
    broken = write(tmp_path / "broken_span.jsonl", records(2), ['{"paragraph_id": '])
    with pytest.raises(ValueError, match=r"broken_span.jsonl, line 7: "):
        armpro_table_from_files([broken])
    with pytest.raises(ValueError, match="given twice"):
        armpro_table_from_files([span_file, write(tmp_path / "again.jsonl", records()[:1])])
    with pytest.raises(ValueError, match="no span files"):
        armpro_table_from_files([])


# ---------------------------------------------------------------- folds


def test_grouped_folds_keep_each_domain_on_one_side(span_file):
    table = armpro_table_from_files([span_file])
    gold = table["spans"].str.len() > 0
    many = pd.concat([table] * 3, ignore_index=True)
    many["outlet"] = [f"{o}-{i % 4}" for i, o in enumerate(many["outlet"])]
    many_gold = pd.concat([gold] * 3, ignore_index=True)
    folds = grouped_folds(many_gold, many["outlet"], n_splits=4, seed=3)
    assert sorted(set(folds.tolist())) == [0, 1, 2, 3]
    assert (many.groupby("outlet")["doc_id"].size() > 1).all()
    assert (pd.Series(folds).groupby(many["outlet"].to_numpy()).nunique() == 1).all()
    np.testing.assert_array_equal(folds, grouped_folds(many_gold, many["outlet"], 4, seed=3))
    with pytest.raises(ValueError, match="3 group"):
        grouped_folds(gold, table["outlet"], n_splits=4)


# ---------------------------------------------------------------- detectors


def test_lexicon_detector_protocol_and_validation_on_given_files(span_file, lexicon):
    detector = LexiconDetector(lexicon)
    assert detector.fit(armpro_table_from_files([span_file])) is detector
    table = armpro_table_from_files([span_file])
    detections = detector.detect(table)
    assert list(detections.columns) == list(DETECTION_COLUMNS)
    assert list(detections["doc_id"]) == list(table["doc_id"])
    # every paragraph ends in "الوفد الزائر" (a wrong hit); "مروعة" is a right one
    assert detections["detected"].all()
    assert (detections["score"] == [2.0 if "مروعة" in b else 1.0 for b in table["body"]]).all()
    scores = armpro_validation([span_file], detector, n_boot=50, seed=1).set_index("level")
    assert list(scores.index) == ["paragraph", "token", "span"]
    assert scores.loc["paragraph", "precision"] == pytest.approx(12 / 24)
    assert scores.loc["paragraph", "recall"] == pytest.approx(1.0)
    n_right = sum("مروعة" in b for b in table["body"])  # 4 of the 12 loaded words
    assert scores.loc["span", "recall"] == pytest.approx(n_right / 12)
    assert scores.loc["span", "precision"] == pytest.approx(n_right / (24 + n_right))
    assert scores.loc["token", "recall"] == pytest.approx(n_right / 12)
    assert scores.loc["token", "precision"] == pytest.approx(n_right / (48 + n_right))


def test_supervised_detector_learns_loaded_words_of_unseen_domains(span_file, lexicon):
    table = armpro_table_from_files([span_file])
    train = table[table["outlet"] != "c.example"]
    test = table[table["outlet"] == "c.example"].reset_index(drop=True)
    detector = SupervisedDetector(lexicon, seed=0)
    assert detector.fit(train) is detector
    detections = detector.detect(test)
    assert list(detections.columns) == list(DETECTION_COLUMNS)
    gold = test["spans"].str.len() > 0
    assert (detections["detected"] == gold).all()
    assert detections["score"][gold].min() > detections["score"][~gold].max()
    matches = loaded_language_matches(test, detector)
    assert matches["gold_spans_found"].sum() == matches["gold_spans"].sum() == 4
    again = SupervisedDetector(lexicon, seed=0).fit(train).detect(test)
    pd.testing.assert_frame_equal(detections, again)


def test_supervised_detector_errors(span_file, lexicon):
    table = armpro_table_from_files([span_file])
    with pytest.raises(ValueError, match="call fit first"):
        SupervisedDetector(lexicon).detect(table)
    no_loaded = table[table["spans"].str.len() == 0]
    with pytest.raises(ValueError, match="paragraphs both with and without"):
        SupervisedDetector(lexicon).fit(no_loaded)


class StubDetector:
    """A third detector through the same protocol: one fixed token span per paragraph."""

    name = "stub"

    def __init__(self, lexicon, span):
        self.settings = lexicon.settings
        self.span = span

    def fit(self, table):
        return self

    def detect(self, table):
        rows = [(d, True, 1.0, [self.span]) for d in table["doc_id"]]
        return pd.DataFrame(rows, columns=list(DETECTION_COLUMNS))


def test_matches_take_any_detector_and_check_its_token_spans(span_file, lexicon):
    table = armpro_table_from_files([span_file])
    matches = loaded_language_matches(table, StubDetector(lexicon, (6, 7)))
    # token 6 is the loaded word in every paragraph that has one
    assert (matches["gold_spans_found"] == matches["gold_spans"]).all()
    assert (matches["detected_spans"] == 1).all()
    with pytest.raises(ValueError, match=r"stub detector, paragraph armpro:page0_001: token span"):
        loaded_language_matches(table, StubDetector(lexicon, (0, 99)))


# ---------------------------------------------------------------- cross-validation


def test_cross_validation_by_domain(span_file, lexicon):
    cv = armpro_cross_validation([span_file], lexicon=lexicon, n_splits=3, seed=0, n_boot=50)
    assert list(cv.columns) == [
        "detector",
        "level",
        "n_items",
        "precision",
        "precision_low",
        "precision_high",
        "recall",
        "recall_low",
        "recall_high",
        "f1",
        "f1_low",
        "f1_high",
        "n_folds",
    ]
    assert cv[["detector", "level"]].values.tolist() == [
        [d, level] for d in ("lexicon", "supervised") for level in ("paragraph", "token", "span")
    ]
    assert (cv["n_folds"] == 3).all()
    # the lexicon learns nothing: its pooled out-of-fold scores are its scores on the file
    whole = armpro_validation([span_file], LexiconDetector(lexicon), n_boot=50, seed=0)
    lexicon_rows = cv[cv["detector"] == "lexicon"].drop(columns=["detector", "n_folds"])
    pd.testing.assert_frame_equal(lexicon_rows.reset_index(drop=True), whole)
    supervised = cv[cv["detector"] == "supervised"].set_index("level")
    assert supervised.loc["paragraph", "f1"] == pytest.approx(1.0)
    again = armpro_cross_validation([span_file], lexicon=lexicon, n_splits=3, seed=0, n_boot=50)
    pd.testing.assert_frame_equal(cv, again)
