"""Topic labels: validated entries, tied to the vocabulary of the model they name."""

import pytest

from arabmedia.config import find_root
from arabmedia.lexicons import (
    TOPIC_LABELS_FILE,
    LexiconError,
    load_topic_labels,
    vocabulary_fingerprint,
)

TERMS = ["قصف", "غاره", "دولار"]
LABELS = f"""\
- corpus: test
  model: nmf
  k: 3
  seed: 0
  vocabulary_sha256: {vocabulary_fingerprint(TERMS)}
  labels:
    2: اقتصاد
"""


@pytest.fixture
def labels_file(tmp_path):
    path = tmp_path / "labels.yaml"
    path.write_text(LABELS, encoding="utf-8")
    return path


def test_labels_of_the_matching_model_and_vocabulary(labels_file):
    assert load_topic_labels("test", "nmf", 3, 0, vocabulary=TERMS, path=labels_file) == {
        2: "اقتصاد"
    }
    assert load_topic_labels("test", "nmf", 3, 1, vocabulary=TERMS, path=labels_file) == {}


@pytest.mark.parametrize(
    "other_vocabulary",
    [
        ["قصف", "غاره", "نفط"],  # another term
        ["غاره", "قصف", "دولار"],  # same terms, other column order
        TERMS[:2],  # a term less
    ],
)
def test_labels_for_another_vocabulary_are_refused(labels_file, other_vocabulary):
    with pytest.raises(LexiconError, match="does not match the model's vocabulary") as error:
        load_topic_labels("test", "nmf", 3, 0, vocabulary=other_vocabulary, path=labels_file)
    assert error.value.file == str(labels_file)
    assert error.value.entry == "entry 1 (corpus test, model nmf, k 3, seed 0)"
    assert vocabulary_fingerprint(other_vocabulary) in error.value.reason


@pytest.mark.parametrize(
    ("text", "entry", "reason"),
    [
        (LABELS.replace("    2:", "    4:"), "entry 1", "topic 4 is not a number in 1..3"),
        (LABELS + LABELS, "entry 2", "a second entry"),
        (LABELS.replace("model: nmf", "model: bert"), "entry 1", "model: Input should be"),
        (LABELS.replace("  seed: 0\n", ""), "entry 1", "seed: Field required"),
        (LABELS.replace("  seed: 0\n", "  seed: 0\n  note: x\n"), "entry 1", "note: Extra"),
        (LABELS.replace("k: 3", "k: '3'"), "entry 1", "k: Input should be a valid integer"),
        (LABELS.replace("vocabulary_sha256: ", "vocabulary_sha256: x"), "entry 1", "pattern"),
        (LABELS.replace("اقتصاد", '" "'), "entry 1", "non-empty name"),
        ("corpus: test\n", None, "expected a list"),
        ("- [unclosed\n", None, "not valid YAML"),
    ],
)
def test_bad_label_files_name_the_file_entry_and_reason(tmp_path, text, entry, reason):
    path = tmp_path / "labels.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(LexiconError, match=reason) as error:
        load_topic_labels("other", "nmf", 3, 0, vocabulary=TERMS, path=path)
    assert (error.value.file, error.value.entry) == (str(path), entry)


def test_committed_labels_file_is_valid():
    committed = find_root() / TOPIC_LABELS_FILE
    assert committed.is_file()
    assert load_topic_labels("none", "nmf", 2, 0, vocabulary=TERMS) == {}


def test_a_study_without_a_labels_file_has_no_names_yet(tmp_path, monkeypatch):
    monkeypatch.setenv("ARABMEDIA_ROOT", str(tmp_path))
    assert load_topic_labels("any", "nmf", 3, 0, vocabulary=TERMS) == {}
    with pytest.raises(LexiconError, match="cannot read"):
        load_topic_labels("any", "nmf", 3, 0, vocabulary=TERMS, path=tmp_path / "missing.yaml")
