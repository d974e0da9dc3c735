"""Tests for arabmedia.corpus: hand-written fixtures for every reader and bad input,
plus checks against the real corpora (marked ``corpora``)."""

from __future__ import annotations

import json
import math
import shutil
import tempfile
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from arabmedia.config import load_settings
from arabmedia.corpus import (
    ARTICLE_COLUMNS,
    NO_OUTLET,
    READERS,
    REJECT_COLUMNS,
    Reader,
    _loading,
    armpro_spans,
    concat_results,
    fignews_labels,
    parse_arabic_date,
    parse_timestamp,
    read_corpus,
    read_files,
)

FIXTURES = Path(__file__).parents[1] / "fixtures" / "corpus"
# The manifest names these outlets; the readers of their formats name none.
MAYADEEN, JAZEERA = "Al Mayadeen", "Al Jazeera"
BIDI_CONTROLS = "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff"


def assert_accounted(result):
    """Every record read is loaded or rejected, and the tables have the documented shape."""
    assert result.n_read == len(result.articles) + len(result.rejects)
    assert tuple(result.articles.columns) == ARTICLE_COLUMNS
    assert tuple(result.rejects.columns) == REJECT_COLUMNS
    assert str(result.articles["published"].dtype) == "datetime64[ns, UTC]"
    assert str(result.articles["date"].dtype) == "datetime64[ns]"
    assert str(result.articles["source_record"].dtype) == "int64"


def by_id(frame, doc_id):
    rows = frame[frame["doc_id"] == doc_id]
    assert len(rows) == 1, f"{doc_id}: {len(rows)} rows"
    return rows.iloc[0]


def reasons(result):
    return dict(zip(result.rejects["source_record"], result.rejects["reason"], strict=True))


# ---------------------------------------------------------------- Al Mayadeen


@pytest.fixture(scope="module")
def mayadeen():
    return read_corpus("almayadeen", FIXTURES / "almayadeen", "almayadeen", MAYADEEN)


def test_almayadeen_fields_dates_and_repairs(mayadeen):
    assert_accounted(mayadeen)
    row = mayadeen.articles.iloc[0]
    assert row.doc_id == "almayadeen:1001" and row.outlet == "Al Mayadeen"
    # 01:30 at +03:00 is 22:30 UTC the day before; the local calendar date stays Nov 2.
    assert row.published == pd.Timestamp("2023-11-01T22:30:00Z")
    assert row.date == pd.Timestamp("2023-11-02")
    assert (row.date_precision, row.utc_offset) == ("second", "+03:00")
    assert row.title == "عنوان تجريبي أول"  # RLM marks removed
    assert row.body == "الفقرة الأولى من الخبر.\n\nالفقرة الثانية من الخبر."
    assert not any(ch in row.title + row.body for ch in BIDI_CONTROLS)
    assert (row.lead, row.byline, row.section) == ("مقدمة قصيرة للخبر", "محرر الموقع", "سياسة")
    assert row.kind == "report"  # posttype تقارير إخبارية
    assert row.keywords == "غزة; قصف"  # repeated keyword kept once
    assert (row.source_file, row.source_record) == ("articles_2023_11.json", 0)


def test_almayadeen_classes_as_python_repr_string(mayadeen):
    row = by_id(mayadeen.articles, "almayadeen:1002")
    assert (row.kind, row.section, row.body) == ("video", "اقتصاد", "")


def test_almayadeen_bad_records_are_rejected_with_reasons(mayadeen):
    rejected = reasons(mayadeen)
    main = mayadeen.rejects["source_file"] == "articles_2023_11.json"
    assert set(mayadeen.rejects.loc[main, "source_record"]) == {2, 3, 4, 6}
    assert "postId" in rejected[2]
    assert rejected[3] == "unparseable date 'yesterday' in field published_time"
    assert rejected[4].startswith("empty text")
    assert "expected an object" in rejected[6]
    assert by_id(mayadeen.rejects, "almayadeen:1004").source_record == 3


def test_duplicate_ids_are_kept_for_dedup(mayadeen):
    duplicates = mayadeen.articles[mayadeen.articles["doc_id"] == "almayadeen:1001"]
    assert list(duplicates["source_record"]) == [0, 5]
    assert duplicates["body"].nunique() == 2


def test_offsetless_supplement_times_are_utc_dated_in_beirut(mayadeen):
    row = by_id(mayadeen.articles, "almayadeen:2001")
    # 22:30 UTC on Dec 30 is 00:30 on Dec 31 in Beirut (UTC+2 in winter).
    assert row.published == pd.Timestamp("2023-12-30T22:30:00Z")
    assert row.date == pd.Timestamp("2023-12-31")
    assert row.utc_offset == "+02:00"
    assert row.keywords == "غزة; الضفة الغربية"  # from a JSON list
    # The appended tag list and footer (starting at a keyword line) are cut off.
    assert row.body == "سطر أول من المتن.\n\nسطر ثان من المتن."


def test_full_text_holding_json_metadata(mayadeen):
    row = by_id(mayadeen.articles, "almayadeen:3001")
    assert row.title == "عنوان خارجي"  # the outer record wins
    assert row.lead == "وصف من داخل النص المضمن"  # gap filled from the nested JSON
    assert (row.body, row.kind) == ("", "opinion")
    assert row.published == pd.Timestamp("2024-08-12T20:18:00Z")


# ---------------------------------------------------------------- broken files


def test_truncated_json_gives_one_file_reject_with_position():
    result = read_files(
        [FIXTURES / "broken" / "truncated.json"], "almayadeen", corpus="t", outlet="o"
    )
    assert_accounted(result)
    assert result.n_read == 1 and result.articles.empty
    reject = result.rejects.iloc[0]
    assert reject.source_record == -1
    assert reject.reason.startswith("invalid JSON at line") and "column" in reject.reason


def test_invalid_utf8_rejects_only_the_damaged_record():
    result = read_files(
        [FIXTURES / "broken" / "bad_utf8.json"], "almayadeen", corpus="t", outlet="o"
    )
    assert_accounted(result)
    assert list(result.articles["doc_id"]) == ["t:7001"]
    reject = by_id(result.rejects, "t:7002")
    assert "invalid UTF-8 at byte" in reject.reason and "title" in reject.reason


def test_byte_order_mark_is_stripped():
    result = read_files([FIXTURES / "broken" / "bom.json"], "almayadeen", corpus="t", outlet="o")
    assert list(result.articles["doc_id"]) == ["t:8001"] and result.rejects.empty


def test_deeply_nested_json_is_a_reject(tmp_path):
    path = tmp_path / "deep.json"
    path.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    result = read_files([path], "almayadeen", corpus="t", outlet="o")
    assert_accounted(result)
    assert result.rejects["reason"].tolist() == ["JSON nested too deeply to read"]


def _key_error_bug(raw, ctx):
    return {"doc_id": raw["postId"], "title": raw["no such field"]}


def _type_error_bug(raw, ctx):
    return {"doc_id": "t:1", "title": raw["title"] + 1}


def _attribute_error_bug(path, options):
    return path.read_records()


@pytest.mark.parametrize(
    ("records", "fields", "error"),
    [
        (READERS["almayadeen"].records, _key_error_bug, KeyError),
        (READERS["almayadeen"].records, _type_error_bug, TypeError),
        (_attribute_error_bug, READERS["almayadeen"].fields, AttributeError),
    ],
)
def test_a_bug_in_a_reader_crashes_instead_of_rejecting(monkeypatch, records, fields, error):
    buggy = Reader(("*.json",), records, fields)
    monkeypatch.setattr(_loading, "READERS", {**READERS, "buggy": buggy})
    good_file = FIXTURES / "broken" / "bom.json"
    assert read_files([good_file], "almayadeen", corpus="t", outlet="o").rejects.empty
    with pytest.raises(error):
        read_files([good_file], "buggy", corpus="t")


# ---------------------------------------------------------------- Al Jazeera


def test_aljazeera_ids_from_links_and_day_dates():
    result = read_corpus("aljazeera", FIXTURES / "aljazeera", "aljazeera", JAZEERA)
    assert_accounted(result)
    articles = result.articles
    # Records 0 and 2 share a link (same id); records 0 and 1 share a file id but not a link.
    assert articles["doc_id"].iloc[0] == articles["doc_id"].iloc[2]
    assert articles["doc_id"].iloc[0] != articles["doc_id"].iloc[1]
    assert articles["doc_id"].str.fullmatch(r"aljazeera:[0-9a-f]{16}").all()
    assert list(articles["kind"]) == ["article", "liveblog", "video"]
    first = articles.iloc[0]
    assert (first.lead, first.body, first.url) == ("مقتطف أ", "", "https://example.net/a")
    assert (first.date, first.date_precision) == (pd.Timestamp("2024-07-05"), "day")
    assert first.published == pd.Timestamp("2024-07-05T00:00:00Z")
    rejected = reasons(result)
    assert rejected[3] == "unparseable date 'yesterday' in field date"
    assert rejected[4] == "missing required field link"


# ---------------------------------------------------------------- ArMPro


def test_armpro_paragraphs_dates_and_rejects():
    result = read_corpus("armpro", FIXTURES / "armpro", "armpro")
    assert_accounted(result)
    assert result.n_read == 5  # the blank line is not a record
    rows = result.articles.set_index("doc_id")
    assert rows.loc["armpro:p1_001", "date"] == pd.Timestamp("2020-05-12")
    assert rows.loc["armpro:p1_001", "date_precision"] == "day"
    assert rows.loc["armpro:p1_001", "outlet"] == "example.com"
    assert rows.loc["armpro:p1_001", "kind"] == "paragraph"
    assert pd.isna(rows.loc["armpro:p2_001", "date"])  # unreadable date: kept, undated
    assert rows.loc["armpro:p2_001", "date_precision"] == "none"
    assert rows.loc["armpro:p5_001", "date"] == pd.Timestamp("2020-05-17")
    rejected = reasons(result)
    assert rejected[2].startswith("invalid JSON")  # record number = line number
    assert rejected[4] == NO_OUTLET


def test_outlet_argument_overrides_the_source():
    result = read_corpus("armpro", FIXTURES / "armpro", "armpro", outlet="Example")
    assert set(result.articles["outlet"]) == {"Example"}
    assert "armpro:p4_001" in set(result.articles["doc_id"])


def test_armpro_spans_point_into_the_paragraph():
    spans = armpro_spans(FIXTURES / "armpro")
    articles = read_corpus("armpro", FIXTURES / "armpro", "armpro", outlet="o").articles
    assert list(spans.columns) == ["doc_id", "technique", "start", "end", "text"]
    assert list(spans["doc_id"]) == ["armpro:p1_001", "armpro:p2_001", "armpro:p4_001"]
    for span in spans.itertuples():
        assert by_id(articles, span.doc_id).body[span.start : span.end] == span.text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12 مايو/ أيار 2020", date(2020, 5, 12)),
        ("8 يناير/ كانون الثاني 2021", date(2021, 1, 8)),
        ("13 نوفمبر/ تشرين الثاني 2020", date(2020, 11, 13)),
        ("20 ديسمبر/ كانون الأول 2019", date(2019, 12, 20)),
        ("أبريل 30, 2020 01:00", date(2020, 4, 30)),
        ("الخميس، 09 يوليه 2020 - 01:56 م", date(2020, 7, 9)),
        ("1 أغسطس/ آب 2019", date(2019, 8, 1)),
        ("May 21, 2020 at 10:49am PDT", date(2020, 5, 21)),
        ("١٥ جوان ٢٠٢٣", date(2023, 6, 15)),
        ("12 مايو/ حزيران 2020", None),  # month names disagree
        ("02/15/2021 5:00:00 PM", None),  # no month name
        ("30 فبراير 2020", None),  # no such day
        ("قبل ساعتين", None),
    ],
)
def test_parse_arabic_date(text, expected):
    assert parse_arabic_date(text) == expected


def test_parse_timestamp_cases():
    aware = parse_timestamp("2019-07-08 09:57:56 +0200")
    assert aware.published == pd.Timestamp("2019-07-08T07:57:56Z")
    assert (aware.date, aware.utc_offset) == (pd.Timestamp("2019-07-08"), "+02:00")
    naive = parse_timestamp("2020-05-14 23:30:50.123")
    assert naive.published == pd.Timestamp("2020-05-14T23:30:50Z") and naive.utc_offset == ""
    zoned = parse_timestamp("2024-07-01T23:30:00", naive_tz="Asia/Beirut")
    assert zoned.published == pd.Timestamp("2024-07-01T20:30:00Z")  # summer: UTC+3
    assert (zoned.date, zoned.utc_offset) == (pd.Timestamp("2024-07-01"), "+03:00")
    day = parse_timestamp("2024-02-29")
    assert (day.date_precision, day.utc_offset) == ("day", "")
    with pytest.raises(ValueError):
        parse_timestamp("2024-02-30")
    with pytest.raises(ValueError):
        parse_timestamp("yesterday")


# ---------------------------------------------------------------- FIGNEWS


def test_fignews_arabic_original_or_arabic_translation():
    result = read_corpus("fignews2024", FIXTURES / "fignews2024", "fignews2024")
    assert_accounted(result)
    original = by_id(result.articles, "fignews2024:B01-ar-10-IAA")
    assert (original.body, original.translated_from) == ("منشور أصلي بالعربية", "")
    translated = by_id(result.articles, "fignews2024:B01-en-10-IAA")
    assert (translated.body, translated.translated_from) == ("منشور مترجم آليا", "en")
    assert set(result.articles["lang"]) == {"ar"} and set(result.articles["kind"]) == {"post"}
    assert result.articles["date"].isna().all()
    assert set(result.articles["date_precision"]) == {"none"}
    rejected = reasons(result)
    assert rejected[2].startswith("empty text")  # Hebrew post without Arabic MT
    assert rejected[3] == "unknown source language 'Klingon'"


def test_fignews_labels_majority_ties_and_sinalab(tmp_path):
    folder = tmp_path / "fignews2024"
    shutil.copytree(FIXTURES / "fignews2024", folder)
    (folder / "sinalab").mkdir()
    key = {"Batch": ["B01"], "Source Language": ["Arabic"], "ID": ["10"], "Type": ["IAA"]}
    for number, bias in ((1, "Unbiased"), (2, "Biased against Israel")):
        sheet = pd.DataFrame({**key, "Bais": [bias], "Propaganda": ["Propaganda"]})
        sheet.to_excel(folder / "sinalab" / f"IAA-{number}.xlsx", index=False)
    labels = fignews_labels(folder).set_index("doc_id")
    assert len(labels) == 4  # one row per text row, even rejected ones
    arabic = labels.loc["fignews2024:B01-ar-10-IAA"]
    # Votes: against Palestine 1, against Israel 3, Unbiased 3 → tie, first listed wins.
    assert arabic["bias_majority"] == "Biased against Israel"
    assert arabic["n_bias_votes"] == 7
    assert math.isclose(arabic["bias_majority_share"], 3 / 7)
    assert arabic["prop_majority"] == "Propaganda"
    assert math.isclose(arabic["prop_majority_share"], 2 / 3)
    assert arabic["sinalab1_bias"] == "Unbiased"
    assert arabic["sinalab2_bias"] == "Biased against Israel"
    no_votes = labels.loc["fignews2024:B01-en-10-IAA"]
    assert no_votes["bias_majority"] == "" and math.isnan(no_votes["bias_majority_share"])
    assert no_votes["sinalab1_bias"] == ""
    assert math.isnan(labels.loc["fignews2024:B01-he-11-IAA", "bias_Unbiased"])  # no vote row


# ---------------------------------------------------------------- plain text (seed layout)


def test_seed_layout_fixture():
    result = read_files(
        [FIXTURES / "seed_text" / "good.txt"], "seed_text", corpus="mine", outlet="صحيفة"
    )
    assert_accounted(result)
    row = result.articles.iloc[0]
    assert row.doc_id == "mine:good.txt#0" and row.outlet == "صحيفة"
    assert (row.section, row.title) == ("أخبار » محلية", "عنوان مقال تجريبي عن الطقس")
    assert (row.date, row.date_precision) == (pd.Timestamp("2024-02-29"), "day")
    assert row.byline == "وكالات"  # trailing "-" and no-break space removed
    assert row.body.split("\n\n") == [
        "الفقرة الأولى من المقال التجريبي.",
        "الفقرة الثانية من المقال.",
        "الفقرة الثالثة والأخيرة.",
    ]


def test_seed_layout_variants_and_bad_files():
    result = read_corpus("notes", FIXTURES / "seed_text", "seed_text", outlet="صحيفة")
    assert_accounted(result)
    rows = result.articles.set_index("source_file")
    assert rows.loc["no_byline.txt", "byline"] == ""
    assert rows.loc["no_byline.txt", "body"] == "فقرة وحيدة بلا كاتب."
    assert rows.loc["crlf_bom.txt", "section"] == "قسم"  # BOM stripped, CRLF handled
    assert rows.loc["crlf_bom.txt", "date"] == pd.Timestamp("2024-03-01")
    rejects = result.rejects.set_index("source_file")["reason"]
    assert rejects["bad_date.txt"] == "unparseable date 'في 2023/02/30' in the date line"
    assert "found 2 blocks" in rejects["too_short.txt"]


def test_missing_outlet_is_reported_per_record():
    result = read_corpus("notes", FIXTURES / "seed_text", "seed_text")
    assert_accounted(result)
    assert result.articles.empty
    assert (result.rejects["reason"] == NO_OUTLET).sum() == 3  # the three well-formed files


# ---------------------------------------------------------------- HTML


def test_html_page_extraction():
    result = read_corpus("web", FIXTURES / "html", "html")
    assert_accounted(result)
    row = by_id(result.articles, "web:page.html#0")
    assert (row.title, row.outlet) == ("وزراء يناقشون خطة المياه", "صحيفة المثال")
    assert row.url == "https://example.org/news/water-plan"
    assert row.date == pd.Timestamp("2023-11-04")
    paragraphs = row.body.split("\n\n")
    assert len(paragraphs) == 3 and paragraphs[0].startswith("اجتمع الوزراء")
    assert "الرئيسية" not in row.body and "محفوظة" not in row.body  # navigation, footer
    assert by_id(result.rejects, "web:nositename.html#0").reason == NO_OUTLET


# ---------------------------------------------------------------- generic


MAPPING = {
    "doc_id": "id",
    "title": "headline",
    "body": "text",
    "published": "time",
    "outlet": "site",
}


def test_generic_csv_and_jsonl_with_mapping():
    paths = sorted((FIXTURES / "generic").iterdir())
    result = read_files(paths, "generic", corpus="g", mapping=MAPPING, tz="Asia/Beirut")
    assert_accounted(result)
    assert list(result.articles["doc_id"]) == ["g:a1", "g:a3", "g:j1"]
    a1 = result.articles.iloc[0]
    # 08:00 in Beirut in January (UTC+2) is 06:00 UTC.
    assert a1.published == pd.Timestamp("2024-01-02T06:00:00Z") and a1.utc_offset == "+02:00"
    assert (a1.title, a1.body, a1.outlet, a1.kind) == ("عنوان أول", "متن أول", "موقع أ", "article")
    csv_rejects = result.rejects[result.rejects["source_file"].str.endswith(".csv")]
    rejected = dict(zip(csv_rejects["source_record"], csv_rejects["reason"], strict=True))
    assert rejected == {
        1: "empty text: title, lead and body are all empty",
        3: "missing required field id",
        4: NO_OUTLET,
    }
    # An unparseable date keeps the article, undated, and lists it as a problem.
    a3 = by_id(result.articles, "g:a3")
    assert pd.isna(a3.published) and pd.isna(a3.date) and a3.date_precision == "none"
    problem = result.problems.iloc[0]
    assert len(result.problems) == 1
    assert (problem.doc_id, problem.field, problem.value) == ("g:a3", "time", "not a date")
    assert problem.problem == "unparseable date" and problem.source_record == 2
    jsonl = result.rejects[result.rejects["source_file"].str.endswith(".jsonl")]
    assert list(jsonl["source_record"]) == [1, 2, 3]
    assert "headline holds a dict" in jsonl["reason"].iloc[1]


def test_generic_parquet_round_trip_without_mapping(tmp_path):
    source = read_corpus("almayadeen", FIXTURES / "almayadeen", "almayadeen", MAYADEEN).articles
    path = tmp_path / "table.parquet"
    source.to_parquet(path)
    result = read_files([path], "generic", corpus="copy")
    assert_accounted(result)
    copy = result.articles
    assert list(copy["doc_id"]) == ["copy:" + doc_id for doc_id in source["doc_id"]]
    for column in ["published", "title", "lead", "body", "kind", "keywords", "outlet"]:
        assert list(copy[column]) == list(source[column]), column
    assert list(copy["source_record"]) == list(range(len(source)))  # rows of the new file


def test_generic_argument_errors_and_unsupported_files(tmp_path):
    with pytest.raises(ValueError, match="cannot take"):
        read_files([], "generic", corpus="g", mapping={"headline": "title"})
    with pytest.raises(ValueError, match="unknown reader"):
        read_files([], "rss", corpus="g")
    with pytest.raises(ValueError, match="unknown time zone"):
        read_files([], "generic", corpus="g", tz="Mars/Olympus")
    with pytest.raises(FileNotFoundError):
        read_corpus("g", tmp_path / "absent", "generic")
    odd = tmp_path / "items.xml"
    odd.write_text("<x/>")
    result = read_files([odd], "generic", corpus="g", outlet="o")
    assert result.rejects["reason"].iloc[0].startswith("unsupported file type '.xml'")


def test_concat_results_and_summary():
    first = read_corpus("aljazeera", FIXTURES / "aljazeera", "aljazeera", JAZEERA)
    second = read_corpus("armpro", FIXTURES / "armpro", "armpro")
    both = concat_results([first, second])
    assert_accounted(both)
    assert both.summary == (
        "read 10, loaded 6, rejected 4, problems 2 (1 unparseable date, 1 duplicate id)"
    )
    assert len(both.problems) == len(first.problems) + len(second.problems) == 2
    assert_accounted(concat_results([]))


# ---------------------------------------------------------------- property test

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner),
    max_leaves=20,
)
FIELD_NAMES = st.sampled_from(
    [
        "postId",
        "title",
        "full_text",
        "published_time",
        "classes",
        "link",
        "date",
        "paragraph_id",
        "page_date",
        "page_domain",
        "labels",
        "id",
        "keywords",
    ]
)
RECORDS = st.lists(st.dictionaries(FIELD_NAMES, JSON_VALUES, max_size=6), max_size=4)
CASES = [
    ("almayadeen", "x.json"),
    ("aljazeera", "x.json"),
    ("armpro", "x.jsonl"),
    ("generic", "x.json"),
    ("generic", "x.jsonl"),
    ("generic", "x.csv"),
    ("seed_text", "x.txt"),
    ("fignews2024", "x.tsv"),
]


@settings(max_examples=40, deadline=None)
@given(
    case=st.sampled_from(CASES),
    payload=st.one_of(
        st.binary(max_size=300),
        RECORDS.map(lambda records: json.dumps(records).encode()),
        RECORDS.map(lambda rs: "\n".join(json.dumps(r) for r in rs).encode()),
    ),
)
def test_any_file_content_is_loaded_or_rejected(case, payload):
    reader, name = case
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(payload)
        result = read_files([path], reader, corpus="p", outlet="o")
    assert_accounted(result)


# ---------------------------------------------------------------- real corpora


def mirror_folder(name: str) -> Path:
    folder = load_settings().mirror / name
    if not folder.is_dir():
        pytest.skip(f"corpus mirror folder {folder} does not exist")
    return folder


@pytest.fixture(scope="module")
def real_mayadeen():
    return read_corpus("almayadeen", mirror_folder("almayadeen"), "almayadeen", MAYADEEN)


@pytest.mark.corpora
def test_real_almayadeen_counts(real_mayadeen):
    assert_accounted(real_mayadeen)
    articles = real_mayadeen.articles
    assert real_mayadeen.rejects.empty, real_mayadeen.rejects["reason"].value_counts()
    supplement = articles["source_file"].str.startswith("supplement/")
    main_ids = set(articles.loc[~supplement, "doc_id"])
    assert (~supplement).sum() == 10_200 and len(main_ids) == 10_180  # PROVENANCE
    added = articles[supplement & ~articles["doc_id"].isin(main_ids)]
    assert added.groupby("source_file")["doc_id"].nunique().to_dict() == {
        "supplement/ayahzm_2024_08.json": 280,
        "supplement/hydrmhmad731_articles_2023_12.json": 64,
    }
    assert set(articles["utc_offset"]) == {"+02:00", "+03:00"}
    assert articles["date"].notna().all()


@pytest.mark.corpora
def test_real_almayadeen_offsetless_times_agree_with_main_files(real_mayadeen):
    articles = real_mayadeen.articles
    offsetless = articles["source_file"] == "supplement/hydrmhmad731_articles_2023_12.json"
    main = articles[~articles["source_file"].str.startswith("supplement/")]
    main = main.drop_duplicates("doc_id").set_index("doc_id")
    both = articles[offsetless].set_index("doc_id").join(main, how="inner", suffixes=("", "_main"))
    assert len(both) == 195
    gap = (both["published"] - both["published_main"]).abs()
    assert (gap < pd.Timedelta(seconds=1)).all()
    assert (both["date"] == both["date_main"]).all()

    # With the appended page furniture (tags, related links, footer) cut off, nearly every
    # paragraph also occurs in the main copy (which differs in spacing and dropped some
    # embedded quotes); with the furniture left in, fewer than half would.
    def compact(text):
        return "".join(text.split())

    found = [
        compact(paragraph) in compact(main_body)
        for body, main_body in zip(both["body"], both["body_main"], strict=True)
        for paragraph in body.split("\n\n")
    ]
    assert sum(found) / len(found) > 0.85


@pytest.mark.corpora
def test_real_aljazeera_counts():
    result = read_corpus("aljazeera", mirror_folder("aljazeera"), "aljazeera", JAZEERA)
    assert_accounted(result)
    assert len(result.articles) == 13_287 and result.rejects.empty
    assert result.articles["doc_id"].nunique() == result.articles["url"].nunique() == 12_325
    assert set(result.articles["date_precision"]) == {"day"}


@pytest.mark.corpora
def test_real_fignews_texts_and_labels():
    folder = mirror_folder("fignews2024")
    result = read_corpus("fignews2024", folder, "fignews2024")
    assert_accounted(result)
    assert len(result.articles) == 3_300 and result.articles["doc_id"].is_unique
    assert result.articles["translated_from"].value_counts().to_dict() == {
        "": 660,
        "en": 660,
        "fr": 660,
        "he": 660,
        "hi": 660,
    }
    labels = fignews_labels(folder)
    assert len(labels) == 3_300 and labels["n_bias_votes"].notna().all()
    assert ((labels["sinalab1_bias"] != "") & (labels["sinalab2_bias"] != "")).sum() == 1_200
    reference = pd.read_csv(
        folder / "derived" / "fignews_text_with_team_votes.csv", dtype=str, keep_default_na=False
    )
    key = ["batch", "source_language", "id", "type"]
    joined = labels.merge(reference, on=key, suffixes=("", "_ref"), validate="one_to_one")
    assert len(joined) == 3_300
    assert (joined["bias_majority"] == joined["bias_majority_ref"]).all()
    assert (joined["prop_majority"] == joined["prop_majority_ref"]).all()
    shares = joined["bias_majority_share_ref"].astype(float)
    assert ((joined["bias_majority_share"] - shares).abs() < 1e-9).all()


@pytest.mark.corpora
def test_real_armpro_paragraphs_and_spans():
    folder = mirror_folder("armpro")
    result = read_corpus("armpro", folder, "armpro")
    assert_accounted(result)
    articles = result.articles
    assert len(articles) == 672 and result.rejects.empty and articles["doc_id"].is_unique
    assert (articles["date_precision"] == "none").sum() <= 5
    spans = armpro_spans(folder)
    assert set(spans["doc_id"]) <= set(articles["doc_id"])
    bodies = articles.set_index("doc_id")["body"]
    matches = [bodies[s.doc_id][s.start : s.end] == s.text for s in spans.itertuples()]
    assert sum(matches) / len(matches) > 0.99  # only repaired paragraphs may shift


@pytest.mark.corpora
def test_real_seed_article():
    seed = load_settings().mirror.parent / "seeds" / "000_26eebb7c75f327b4.txt"
    if not seed.exists():
        pytest.skip(f"seed article {seed} does not exist")
    result = read_files([seed], "seed_text", corpus="seed", outlet="unknown outlet")
    row = result.articles.iloc[0]
    assert row.section == "علاقات » روسي"
    assert row.title == "مباحثات كويتية روسية حول التصعيد الخطير في قطاع غزة"
    assert row.date == pd.Timestamp("2023-11-04") and row.byline == "متابعات"
    assert len(row.body.split("\n\n")) == 15


def test_readers_registry_names():
    assert set(READERS) == {
        "almayadeen",
        "aljazeera",
        "fignews2024",
        "armpro",
        "seed_text",
        "html",
        "generic",
    }


def test_input_files_lists_what_a_study_reads(tmp_path):
    from arabmedia.config import load_settings
    from arabmedia.corpus import input_files

    (tmp_path / "raw").mkdir()
    for name in ("b.csv", "a.csv", "notes.txt"):
        (tmp_path / "raw" / name).write_text("x")
    (tmp_path / "arabmedia.toml").write_text(
        '[[corpus]]\nname = "mine"\nfiles = ["raw/*.csv"]\nreader = "generic"\noutlet = "O"\n'
    )
    settings = load_settings(tmp_path)
    assert input_files(settings) == [tmp_path / "raw" / "a.csv", tmp_path / "raw" / "b.csv"]


def test_input_files_of_a_manifest_corpus_cover_its_folder_and_the_manifest():
    from arabmedia.config import load_settings
    from arabmedia.corpus import input_files

    settings = load_settings()
    if not (settings.raw_dir / "seed").is_dir():
        pytest.skip("run `arabmedia fetch` first")
    files = input_files(settings, ["seed"])
    assert settings.manifest in files
    assert files == sorted(files) and all(p.is_file() for p in files)
    assert {p.parent.name for p in files if p != settings.manifest} == {"seed"}
