"""Tests for arabmedia.dedup on small hand-written articles (and the real mirror if present)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from datasketch import MinHash

from arabmedia.config import load_settings
from arabmedia.corpus import (
    canonical_url,
    collapse_exact,
    deduplicate,
    duplicate_summary,
    near_duplicate_clusters,
    normalize_for_matching,
)
from arabmedia.corpus._dedup import _minhash_signatures

# A 62-word text written for these tests (four invented sentences about a hospital).
HOSPITAL = (
    "أعلنت وزارة الصحة في المدينة صباح اليوم افتتاح مستشفى جديد يضم مئة سرير وقسما للطوارئ "
    "وقال المدير إن العمل في المبنى استمر عامين كاملين بمشاركة مهندسين وعمال من البلدات "
    "المجاورة ويأمل السكان أن يخفف المستشفى الضغط عن المراكز الصحية القديمة التي تعاني نقصا "
    "في الأدوية والمعدات ومن المقرر أن تبدأ العيادات الخارجية استقبال المرضى الأسبوع المقبل "
    "بعد استكمال تدريب الطواقم الطبية الجديدة"
)
# The same text with diacritics, tatweel and other alef forms: identical after normalising.
HOSPITAL_VOWELLED = HOSPITAL.replace("أعلنت", "أَعْلَنَتْ").replace("الصحة", "الصـــحة")
HOSPITAL_VOWELLED = HOSPITAL_VOWELLED.replace("إن", "ان")
# An unrelated invented text about weather.
WEATHER = (
    "شهدت العاصمة أمطارا غزيرة مساء أمس أدت إلى إغلاق عدد من الطرق الرئيسية وتأخر رحلات "
    "القطارات القادمة من الشمال وحذرت هيئة الأرصاد من استمرار العاصفة حتى نهاية الأسبوع "
    "ودعت السائقين إلى تجنب الأنفاق والجسور المنخفضة والتزام الحذر عند القيادة ليلا"
)
# Another unrelated invented text about a football match.
FOOTBALL = (
    "فاز الفريق المحلي على ضيفه بثلاثة أهداف مقابل هدف واحد في المباراة التي أقيمت على "
    "الملعب البلدي أمام جمهور كبير وسجل المهاجم الشاب هدفين في الشوط الثاني بعد تمريرات "
    "متقنة من خط الوسط ليحتل الفريق المركز الثاني في جدول الترتيب"
)


def _article(doc_id: str, **fields) -> dict:
    """One article-table row with every reader column; unspecified text is empty."""
    row = {
        "doc_id": doc_id,
        "corpus": "test",
        "outlet": "Outlet A",
        "published": pd.Timestamp("2024-01-05 10:00", tz="UTC"),
        "date": pd.Timestamp("2024-01-05"),
        "date_precision": "second",
        "utc_offset": "+03:00",
        "title": "",
        "lead": "",
        "body": "",
        "url": "",
        "section": "",
        "byline": "",
        "kind": "article",
        "lang": "ar",
        "translated_from": "",
        "keywords": "",
        "source_file": "file.json",
        "source_record": 0,
    }
    row.update(fields)
    return row


def _table(*rows: dict) -> pd.DataFrame:
    frame = pd.DataFrame(list(rows))
    frame["published"] = frame["published"].astype("datetime64[ns, UTC]")
    frame["date"] = frame["date"].astype("datetime64[ns]")
    frame["source_record"] = frame["source_record"].astype("int64")
    return frame


def _replace_word(text: str, position: int, word: str) -> str:
    words = text.split()
    words[position] = word
    return " ".join(words)


def test_normalize_for_matching_removes_marks_and_unifies_alef():
    assert normalize_for_matching("أَحْمَدُ  إلى\tآخر ٱلكتاب") == "احمد الى اخر الكتاب"
    assert normalize_for_matching("غـــزة") == "غزة"
    # NFKC turns the lam-alef presentation form into two letters.
    assert normalize_for_matching("\ufefb") == "لا"
    assert normalize_for_matching(" \n ") == ""
    assert normalize_for_matching(HOSPITAL_VOWELLED) == normalize_for_matching(HOSPITAL)
    assert HOSPITAL_VOWELLED != HOSPITAL


def test_canonical_url_matches_encoded_and_raw_arabic():
    raw = "https://www.example.net/news/غزة-اليوم"
    encoded = "HTTPS://WWW.Example.NET/news/%D8%BA%D8%B2%D8%A9-%D8%A7%D9%84%D9%8A%D9%88%D9%85/#top"
    assert canonical_url(raw) == canonical_url(encoded) == raw
    assert canonical_url("  https://example.net/a/  ") == "https://example.net/a"
    assert canonical_url("https://example.net/a?id=1") != canonical_url("https://example.net/a")
    assert canonical_url("   ") == ""


def test_same_doc_id_collapses_into_first_row():
    articles = _table(
        _article("test:1", title="خبر أول", source_file="2024_01.json", source_record=4),
        _article("test:2", title="خبر ثان", source_file="2024_01.json", source_record=5),
        _article("test:1", title="خبر أول", source_file="2024_02.json", source_record=0),
    )
    result = collapse_exact(articles)
    assert result["doc_id"].tolist() == ["test:1", "test:2"]
    assert result["dup_count"].tolist() == [2, 1]
    assert result["dup_sources"].tolist() == [
        "2024_01.json#4; 2024_02.json#0",
        "2024_01.json#5",
    ]
    assert result["dup_reason"].tolist() == ["id", ""]
    assert result.index.tolist() == [0, 1]


def test_same_url_in_different_encodings_collapses():
    articles = _table(
        _article("test:1", title="عنوان", url="https://example.net/news/غزة/"),
        _article("test:9", title="عنوان آخر", url="https://EXAMPLE.net/news/%D8%BA%D8%B2%D8%A9#x"),
        _article("test:5", title="عنوان", url=""),
        _article("test:6", title="عنوان", url=""),
    )
    result = collapse_exact(articles)
    # Empty URLs (and short identical titles) never match.
    assert result["doc_id"].tolist() == ["test:1", "test:5", "test:6"]
    assert result["dup_count"].tolist() == [2, 1, 1]
    assert result["dup_reason"].tolist() == ["url", "", ""]


def test_same_text_with_other_diacritics_collapses():
    articles = _table(
        _article("test:1", body=HOSPITAL, url="https://example.net/1"),
        _article("test:2", body=WEATHER, url="https://example.net/2"),
        _article("test:3", body=HOSPITAL_VOWELLED, url="https://example.net/3"),
    )
    result = collapse_exact(articles)
    assert result["doc_id"].tolist() == ["test:1", "test:2"]
    assert result["dup_count"].tolist() == [2, 1]
    assert result["dup_reason"].tolist() == ["text", ""]


def test_text_is_compared_across_title_lead_and_body():
    sentences = HOSPITAL.split()
    split_fields = _article(
        "test:2",
        title=" ".join(sentences[:10]),
        lead=" ".join(sentences[10:20]),
        body=" ".join(sentences[20:]),
    )
    result = collapse_exact(_table(_article("test:1", body=HOSPITAL), split_fields))
    assert result["dup_count"].tolist() == [2]


def test_duplicate_relations_are_transitive():
    # A~B share a URL, B~C share a text, A and C share nothing directly.
    articles = _table(
        _article("test:A", body=WEATHER, url="https://example.net/x", source_record=0),
        _article("test:B", body=HOSPITAL, url="https://example.net/x/", source_record=1),
        _article("test:Z", body=FOOTBALL, url="https://example.net/z", source_record=2),
        _article("test:C", body=HOSPITAL_VOWELLED, url="https://example.net/y", source_record=3),
    )
    result = collapse_exact(articles)
    assert result["doc_id"].tolist() == ["test:A", "test:Z"]
    assert result["dup_count"].tolist() == [3, 1]
    assert result["dup_sources"].iloc[0] == "file.json#0; file.json#1; file.json#3"
    assert result["dup_reason"].iloc[0] == "url,text"
    # The kept row keeps its own text, not the later copies'.
    assert result["body"].iloc[0] == WEATHER


def test_short_identical_texts_are_not_text_duplicates():
    bulletin = "نشرة الظهيرة"
    articles = _table(
        _article("test:1", title=bulletin, url="https://example.net/1"),
        _article("test:2", title=bulletin, url="https://example.net/2"),
    )
    assert len(collapse_exact(articles)) == 2
    assert len(collapse_exact(articles, min_words=2)) == 1


def test_text_matches_stay_within_an_outlet_by_default():
    articles = _table(
        _article("a:1", outlet="Outlet A", body=HOSPITAL),
        _article("b:1", outlet="Outlet B", body=HOSPITAL),
    )
    assert collapse_exact(articles)["dup_count"].tolist() == [1, 1]
    assert collapse_exact(articles, text_scope="all")["dup_count"].tolist() == [2]
    # The same wire text in two outlets is still flagged as a near duplicate.
    near = near_duplicate_clusters(collapse_exact(articles))
    assert near["near_dup_cluster"].tolist() == ["a:1", "a:1"]


def test_empty_fields_of_kept_row_are_filled_from_later_copies():
    first = _article(
        "test:1",
        title="عنوان الخبر",
        body="نص قصير",
        section="",
        published=pd.NaT,
        date=pd.NaT,
        date_precision="none",
        utc_offset="",
    )
    later = _article(
        "test:1",
        title="عنوان مختلف",
        body="نص أطول من النص الأول بكثير",
        section="سياسة",
        source_record=7,
    )
    result = collapse_exact(_table(first, later)).iloc[0]
    assert result["title"] == "عنوان الخبر"
    assert result["body"] == "نص قصير"
    assert result["section"] == "سياسة"
    assert result["date"] == pd.Timestamp("2024-01-05")
    assert result["date_precision"] == "second"
    assert result["utc_offset"] == "+03:00"


def test_no_rows_lost_and_doc_ids_unique():
    articles = _table(
        *[
            _article(f"test:{i % 5}", body=text, source_record=i, url=f"https://example.net/{i}")
            for i, text in enumerate([HOSPITAL, WEATHER, FOOTBALL, HOSPITAL, "", "", WEATHER])
        ]
    )
    result = collapse_exact(articles)
    assert result["dup_count"].sum() == len(articles)
    assert result["doc_id"].is_unique
    members = [s for sources in result["dup_sources"] for s in sources.split("; ")]
    assert sorted(members) == sorted(f"file.json#{i}" for i in range(len(articles)))
    assert result.columns.tolist()[-3:] == ["dup_count", "dup_sources", "dup_reason"]
    assert result["dup_count"].dtype == np.int64


def test_bad_input_errors_name_the_record():
    with pytest.raises(ValueError, match="url"):
        collapse_exact(_table(_article("test:1")).drop(columns="url"))
    empty_id = _table(_article("", source_file="2024_03.json", source_record=12))
    with pytest.raises(ValueError, match=r"2024_03\.json#12.*empty doc_id"):
        collapse_exact(empty_id)
    not_text = _table(_article("test:1", body=5, source_file="x.json", source_record=2))
    with pytest.raises(ValueError, match=r"x\.json#2.*'body'"):
        near_duplicate_clusters(not_text)
    with pytest.raises(ValueError, match="already"):
        collapse_exact(collapse_exact(_table(_article("test:1"))))
    with pytest.raises(ValueError, match="text_scope"):
        collapse_exact(_table(_article("test:1")), text_scope="country")


def test_missing_text_values_count_as_empty():
    articles = _table(_article("test:1", body=HOSPITAL), _article("test:2", body=HOSPITAL))
    articles.loc[1, "lead"] = None
    assert collapse_exact(articles)["dup_count"].tolist() == [2]


def test_one_changed_word_is_a_near_duplicate_unrelated_texts_are_not():
    edited = _replace_word(HOSPITAL, 30, "الجنوبية")
    assert len(HOSPITAL.split()) >= 60 and edited != HOSPITAL
    articles = _table(
        _article("test:1", body=WEATHER),
        _article("test:2", body=HOSPITAL),
        _article("test:3", body=FOOTBALL),
        _article("test:4", body=edited),
        _article("test:5", title="نشرة الظهيرة"),
    )
    articles.index = [10, 11, 12, 13, 14]
    result = near_duplicate_clusters(articles)
    assert result.index.tolist() == articles.index.tolist()
    assert result["doc_id"].tolist() == articles["doc_id"].tolist()
    assert result["near_dup_cluster"].tolist() == ["", "test:2", "", "test:2", ""]
    assert result["near_dup_size"].tolist() == [1, 2, 1, 2, 1]


def test_threshold_is_checked_on_exact_jaccard():
    # 62 words give 58 five-word shingles; changing one middle word swaps 5 of them,
    # so Jaccard = 53 / 63 = 0.84: above 0.8, below 0.9.
    articles = _table(
        _article("test:1", body=HOSPITAL),
        _article("test:2", body=_replace_word(HOSPITAL, 30, "الجنوبية")),
    )
    assert near_duplicate_clusters(articles, threshold=0.8)["near_dup_size"].tolist() == [2, 2]
    assert near_duplicate_clusters(articles, threshold=0.9)["near_dup_size"].tolist() == [1, 1]


def test_near_clusters_are_transitive_and_labelled_by_first_row():
    once = _replace_word(HOSPITAL, 20, "الشمالية")
    twice = _replace_word(once, 45, "الحديثة")
    articles = _table(
        _article("test:3", body=twice), _article("test:1", body=HOSPITAL), _article("x", body=once)
    )
    result = near_duplicate_clusters(articles)
    assert result["near_dup_cluster"].tolist() == ["test:3"] * 3
    assert result["near_dup_size"].tolist() == [3, 3, 3]


def test_results_are_deterministic():
    articles = _table(
        *[
            _article(f"test:{i}", body=_replace_word(text, i % 40, "كلمة"), source_record=i)
            for i, text in enumerate([HOSPITAL, WEATHER, FOOTBALL] * 4)
        ]
    )
    first = deduplicate(articles, disable_progress=True)
    second = deduplicate(articles.copy(), disable_progress=True)
    pd.testing.assert_frame_equal(first, second)
    assert (first["near_dup_cluster"] != "").any()


def test_vectorised_signatures_equal_datasketch_update_batch():
    rng = np.random.default_rng(3)
    sets = [np.unique(rng.integers(0, 2**63, size, dtype=np.uint64)) for size in (1, 7, 300)]
    template = MinHash(num_perm=64, seed=5)
    signatures = _minhash_signatures(sets, template, chunk_values=8)
    for values, signature in zip(sets, signatures, strict=True):
        expected = MinHash(num_perm=64, seed=5, hashfunc=int)
        expected.update_batch((values >> np.uint64(32)).tolist())
        assert np.array_equal(signature, expected.hashvalues)


def test_deduplicate_and_summary():
    articles = _table(
        _article("a:1", corpus="a", body=HOSPITAL),
        _article("a:1", corpus="a", body=HOSPITAL, source_record=1),
        _article("a:2", corpus="a", body=_replace_word(HOSPITAL, 30, "الجنوبية")),
        _article("b:1", corpus="b", outlet="Outlet B", body=WEATHER),
        _article("b:2", corpus="b", outlet="Outlet B", body=FOOTBALL),
    )
    result = deduplicate(articles)
    assert len(result) == 4
    summary = duplicate_summary(result)
    assert summary["corpus"].tolist() == ["a", "b"]
    assert summary["rows"].tolist() == [2, 2]
    assert summary["records"].tolist() == [3, 2]
    assert summary["exact_duplicates_collapsed"].tolist() == [1, 0]
    assert summary["near_dup_clusters"].tolist() == [1, 0]
    assert summary["rows_in_near_clusters"].tolist() == [2, 0]
    exact_only = duplicate_summary(deduplicate(articles, near=False))
    assert exact_only["near_dup_clusters"].isna().all()


@pytest.mark.corpora
def test_real_almayadeen_months_collapse_to_distinct_post_ids():
    from arabmedia.corpus import read_files

    folder = load_settings().mirror / "almayadeen"
    if not folder.is_dir():
        pytest.skip(f"corpus mirror folder {folder} does not exist")
    paths = [folder / "articles_2023_11.json", folder / "articles_2023_12.json"]
    post_ids = {str(r["postId"]) for p in paths for r in json.loads(Path(p).read_text("utf-8"))}
    loaded = read_files(paths, "almayadeen", corpus="almayadeen", outlet="Al Mayadeen")
    result = collapse_exact(loaded.articles)
    assert len(result) == len(post_ids)
    assert result["dup_count"].sum() == len(loaded.articles)


def test_paragraphs_of_one_page_are_not_url_duplicates():
    rows = pd.DataFrame(
        {
            "doc_id": ["p:1", "p:2"],
            "corpus": "p",
            "outlet": "example.com",
            "title": "",
            "lead": "",
            "body": ["الفقرة الأولى من الصفحة", "الفقرة الثانية من الصفحة"],
            "url": "https://example.com/page",
            "kind": "paragraph",
            "source_file": "f.jsonl",
            "source_record": [0, 1],
        }
    )
    assert len(collapse_exact(rows)) == 2


def test_band_buckets_group_rows_as_a_minhash_lsh_index_does():
    from datasketch import MinHash, MinHashLSH

    from arabmedia.corpus._dedup import band_buckets

    rng = np.random.default_rng(3)
    base = rng.integers(0, 2**32, size=(6, 16), dtype=np.uint64).astype(np.uint32)
    signatures = np.vstack([base, base[:3]])  # rows 6-8 copy rows 0-2
    signatures[7, :4] += 1  # row 7 differs from row 1 in the first band only
    bands, rows = 4, 4
    buckets = band_buckets(signatures, bands, rows)
    index = MinHashLSH(num_perm=16, params=(bands, rows))
    template = MinHash(num_perm=16, seed=1)
    for position, signature in enumerate(signatures):
        sketch = MinHash(
            seed=1, hashvalues=signature, permutations=template.permutations, scheme=template.scheme
        )
        index.insert(position, sketch)
    for position, signature in enumerate(signatures):
        sketch = MinHash(
            seed=1, hashvalues=signature, permutations=template.permutations, scheme=template.scheme
        )
        expected = set(index.query(sketch))
        shared = {other for other in range(len(signatures))
                  if (buckets[:, other] == buckets[:, position]).any()}  # fmt: skip
        assert shared == expected, position
    assert (buckets[1:, 7] == buckets[1:, 1]).all() and buckets[0, 7] != buckets[0, 1]
