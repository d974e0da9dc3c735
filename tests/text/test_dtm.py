"""Document-term matrices over token lists, checked against hand counts."""

import pytest

from arabmedia.text import make_vectorizer

DOCS = [
    ["قصف", "على", "غزه", "قصف", '"', "اسرائيل", '"'],
    ["غزه", "تحت", "القصف"],
    ["على", "غزه", "."],
]


def counts(vectorizer, docs=DOCS):
    matrix = vectorizer.fit_transform(docs)
    vocab = vectorizer.get_feature_names_out().tolist()
    return {term: matrix[:, i].toarray().ravel().tolist() for i, term in enumerate(vocab)}


def test_unigram_counts_match_hand_count_and_drop_punctuation():
    table = counts(make_vectorizer())
    assert table["قصف"] == [2, 0, 0]
    assert table["غزه"] == [1, 1, 1]
    assert '"' not in table and "." not in table
    assert len(table) == 6


def test_punctuation_can_be_kept_for_quote_analysis():
    assert counts(make_vectorizer(keep_punctuation=True))['"'] == [2, 0, 0]


def test_bigrams_stop_words_and_min_df():
    table = counts(make_vectorizer(ngram_range=(2, 2), stop_words=frozenset({"على"})))
    # stop words are removed before bigrams are formed
    assert table["قصف غزه"] == [1, 0, 0]
    assert "على غزه" not in table
    frequent = counts(make_vectorizer(min_df=2))
    assert sorted(frequent) == sorted(["على", "غزه"])  # in 2 and 3 documents


def test_term_map_merges_forms():
    table = counts(make_vectorizer(term_map={"القصف": "قصف"}))
    assert table["قصف"] == [2, 1, 0]


def test_tfidf_and_unknown_kind():
    matrix = make_vectorizer("tfidf").fit_transform(DOCS)
    assert matrix.shape == (3, 6)
    with pytest.raises(ValueError, match="kind must be one of"):
        make_vectorizer("bm25")
