"""The rule segmenter's protected-word list: kinds, one normalized word an entry."""

import pytest

from arabmedia.lexicons import PROTECTED_WORDS_FILE, LexiconError, load_protected_words
from arabmedia.text import RuleSegmenter

HEADER = "word\tkind\trationale\n"


def test_committed_list_holds_names_stems_and_function_words():
    protected = load_protected_words()
    assert {"بيروت", "لندن", "كتائب", "فلسطين", "اسرائيل", "غزه"} <= protected.all
    assert "وزير" in protected.stems and "في" in protected.function
    assert protected.all == protected.frozen | protected.stems | protected.function
    assert load_protected_words(PROTECTED_WORDS_FILE) == protected


def test_a_researchers_list_reaches_the_segmenter(tmp_path):
    path = tmp_path / "protected.txt"
    path.write_text("# mine\n" + HEADER + "\nبلال\tfrozen\tname, not ب + لال\n", "utf-8")
    protected = load_protected_words(path)
    assert protected.frozen == {"بلال"} and not protected.stems | protected.function
    assert RuleSegmenter().segment("وبلال") == ["و+", "ب+", "لال"]  # the shipped list
    assert RuleSegmenter(protected).segment("وبلال") == ["و+", "بلال"]


@pytest.mark.parametrize(
    ("content", "entry", "reason"),
    [
        ("word\tkind\n", "line 2", "expected the header 'word<TAB>kind<TAB>rationale'"),
        (HEADER + "بيروت\tname\tcapital\n", "line 3", "kind 'name' is not one of"),
        (HEADER + "بيروت\tfrozen\t\n", "line 3", "expected 3 non-empty tab-separated fields"),
        (HEADER + "بيروت\tfrozen\n", "line 3", "expected 3 non-empty tab-separated fields"),
        (HEADER + "بيروت لبنان\tfrozen\ttwo words\n", "line 3", "is not a single Arabic word"),
        (HEADER + "غزة\tfrozen\tname\n", "line 3", "'غزة' is not in the default normalization"),
        ("\n", None, "expected the header"),
    ],
)
def test_bad_files_name_the_file_line_and_reason(tmp_path, content, entry, reason):
    path = tmp_path / "protected.txt"
    path.write_text("# comment\n" + content, encoding="utf-8")
    with pytest.raises(LexiconError, match=reason) as error:
        load_protected_words(path)
    assert (error.value.file, error.value.entry) == (str(path), entry)


def test_a_missing_file_is_a_lexicon_error(tmp_path):
    with pytest.raises(LexiconError, match="cannot read the file") as error:
        load_protected_words(tmp_path / "absent.txt")
    assert error.value.file == str(tmp_path / "absent.txt")
