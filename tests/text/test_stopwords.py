"""The project stop-word list: normalized, single words, no key terms, reproducible."""

import pytest

from arabmedia.config import load_settings
from arabmedia.text import (
    build_stopword_list,
    load_stopwords,
    normalize_word,
    read_removed,
    remove_stopwords,
)

KEY_TERMS = ["شهداء", "الشهداء", "الاحتلال", "اسرائيل", "حماس", "قتلي", "المقاومه", "غزه"]


@pytest.fixture(scope="module")
def stopwords():
    return load_stopwords()


def test_list_is_non_empty_and_holds_common_function_words(stopwords):
    assert len(stopwords) > 300
    assert {"في", "من", "علي", "الي", "عن", "التي", "الذي", "هذا", "و"} <= stopwords


def test_every_entry_is_one_normalized_word(stopwords):
    for word in stopwords:
        assert word == normalize_word(word)
        assert " " not in word
        assert not set(word) & set("أإآٱىةًٌٍَُِّْـ")


def test_key_terms_and_removed_words_are_not_stop_words(stopwords):
    assert not stopwords & set(KEY_TERMS)
    removed = read_removed()
    assert {"اكتوبر", "دولار", "شمال", "قال"} <= set(removed)
    assert not stopwords & set(removed)


def test_file_is_sorted_and_deduplicated():
    from arabmedia.text import STOPWORDS_DIR

    lines = (STOPWORDS_DIR / "arabmedia.txt").read_text("utf-8").splitlines()
    assert lines == sorted(set(lines))


def test_remove_stopwords_keeps_order_and_content_words():
    tokens = ["قال", "في", "غزه", "ان", "الاحتلال", "من", "قصف", "في"]
    assert remove_stopwords(tokens, {"في", "من", "ان"}) == ["قال", "غزه", "الاحتلال", "قصف"]
    assert remove_stopwords([], {"في"}) == []


def test_bad_lists_are_refused_with_file_and_line(tmp_path):
    (tmp_path / "bad.txt").write_text("في\nعلى\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"bad\.txt:2: 'على' is not in the default normalization"):
        load_stopwords("bad", tmp_path)
    (tmp_path / "spaces.txt").write_text("لا سيما\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"spaces\.txt:1"):
        load_stopwords("spaces", tmp_path)
    with pytest.raises(FileNotFoundError, match="available: \\['bad', 'spaces'\\]"):
        load_stopwords("missing", tmp_path)


def test_build_normalizes_deduplicates_and_drops_removed(tmp_path):
    source = tmp_path / "source.txt"
    source.write_text("إلى\nالى\nعلى\nلا سيما\nت\nو\nأكتوبر\n", encoding="utf-8")
    assert build_stopword_list([source], removed={"اكتوبر"}) == ["الي", "علي", "و"]


@pytest.mark.corpora
def test_committed_list_is_rebuilt_from_the_mirrored_sources():
    mirror = load_settings().mirror
    folder = mirror / "stopwords"
    if not mirror.exists():
        pytest.skip(f"corpus mirror {mirror} does not exist")
    sources = [
        folder / "mohataher_arabic_stop_words" / "list.txt",
        folder / "motazsaad_stopwords" / "stopwords.txt",
    ]
    assert build_stopword_list(sources, read_removed()) == sorted(load_stopwords())
