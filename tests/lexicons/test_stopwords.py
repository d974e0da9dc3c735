"""The project stop-word list: normalized, single words, no key terms, reproducible."""

import pytest

from arabmedia.config import load_settings
from arabmedia.lexicons import (
    STOPWORDS_DIR,
    LexiconError,
    build_stopword_list,
    load_removed_stopwords,
    load_stopwords,
)
from arabmedia.text import normalize

KEY_TERMS = ["شهداء", "الشهداء", "الاحتلال", "اسرائيل", "حماس", "قتلي", "المقاومه", "غزه"]


@pytest.fixture(scope="module")
def stopwords():
    return load_stopwords()


def test_list_is_non_empty_and_holds_common_function_words(stopwords):
    assert len(stopwords) > 300
    assert {"في", "من", "علي", "الي", "عن", "التي", "الذي", "هذا", "و"} <= stopwords


def test_every_entry_is_one_normalized_word(stopwords):
    for word in stopwords:
        assert word == normalize(word)
        assert " " not in word
        assert not set(word) & set("أإآٱىةًٌٍَُِّْـ")


def test_key_terms_and_removed_words_are_not_stop_words(stopwords):
    assert not stopwords & set(KEY_TERMS)
    removed = load_removed_stopwords()
    assert {"اكتوبر", "دولار", "شمال", "قال"} <= set(removed)
    assert all(reason.strip() for reason in removed.values())
    assert not stopwords & set(removed)


def test_file_is_sorted_and_deduplicated():
    lines = (STOPWORDS_DIR / "arabmedia.txt").read_text("utf-8").splitlines()
    assert lines == sorted(set(lines))


@pytest.mark.parametrize(
    ("content", "entry", "reason"),
    [
        ("في\nعلى\n", "line 2", "'على' is not in the default normalization"),
        ("في\nلا سيما\n", "line 2", "'لا سيما' is not a single Arabic word"),
        ("في\n\n", "line 2", "'' is not a single Arabic word"),
        ("", None, "the stop-word list is empty"),
    ],
)
def test_bad_lists_name_the_file_line_and_reason(tmp_path, content, entry, reason):
    path = tmp_path / "bad.txt"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(LexiconError) as error:
        load_stopwords("bad", tmp_path)
    assert (error.value.file, error.value.entry, error.value.reason) == (str(path), entry, reason)


def test_a_missing_list_names_the_available_ones(tmp_path):
    (tmp_path / "mine.txt").write_text("في\n", encoding="utf-8")
    with pytest.raises(LexiconError, match=r"available: \['mine'\]") as error:
        load_stopwords("missing", tmp_path)
    assert error.value.file == str(tmp_path / "missing.txt")
    assert load_stopwords("mine", tmp_path) == {"في"}


@pytest.mark.parametrize(
    ("content", "entry", "reason"),
    [
        ("word\tnote\n", "line 1", "expected the header 'word<TAB>reason'"),
        ("word\treason\nقال\n", "line 2", "expected 'word<TAB>reason'"),
        ("word\treason\nقال\t \n", "line 2", "expected 'word<TAB>reason'"),
        ("word\treason\nقال\tverb\nأكتوبر\tmonth\n", "line 3", "not in the default normalization"),
    ],
)
def test_bad_removed_files_name_the_file_line_and_reason(tmp_path, content, entry, reason):
    path = tmp_path / "removed.tsv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(LexiconError, match=reason) as error:
        load_removed_stopwords(path)
    assert (error.value.file, error.value.entry) == (str(path), entry)


def test_build_normalizes_deduplicates_and_drops_removed(tmp_path):
    source = tmp_path / "source.txt"
    source.write_text("إلى\nالى\nعلى\nلا سيما\nت\nو\nأكتوبر\n", encoding="utf-8")
    assert build_stopword_list([source], removed={"اكتوبر"}) == ["الي", "علي", "و"]
    with pytest.raises(LexiconError, match="cannot read the file"):
        build_stopword_list([tmp_path / "absent.txt"], removed=())


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
    assert build_stopword_list(sources, load_removed_stopwords()) == sorted(load_stopwords())
