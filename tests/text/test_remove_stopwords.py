"""Stop-word removal: the list's words go, everything else stays in order."""

from arabmedia.lexicons import load_stopwords
from arabmedia.text import remove_stopwords


def test_remove_stopwords_keeps_order_and_content_words():
    tokens = ["قال", "في", "غزه", "ان", "الاحتلال", "من", "قصف", "في"]
    assert remove_stopwords(tokens, {"في", "من", "ان"}) == ["قال", "غزه", "الاحتلال", "قصف"]
    assert remove_stopwords(iter(tokens), ["في", "من", "ان"]) == ["قال", "غزه", "الاحتلال", "قصف"]
    assert remove_stopwords([], {"في"}) == []


def test_the_project_list_keeps_content_words():
    tokens = ["قال", "مصدر", "في", "غزه", "ان", "الاحتلال", "قصف"]
    kept = ["قال", "مصدر", "غزه", "الاحتلال", "قصف"]
    assert remove_stopwords(tokens, load_stopwords()) == kept
