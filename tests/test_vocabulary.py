"""Vocabulary statistics on hand-counted examples."""

import pandas as pd

from arabmedia.text import DEFAULT_SETTINGS
from arabmedia.vocabulary import top_terms, types_by_step, vocabulary_growth


def test_types_by_step_counts_variant_spellings_once_normalized():
    texts = ["أحمد احمد إحمد", "مدرسة مدرسه ، !"]
    table = types_by_step(texts, DEFAULT_SETTINGS).set_index("step")
    assert table.loc["raw", "types"] == 5  # punctuation is not a word type
    assert table.loc["alef", "types"] == 3  # the three alef spellings merge
    assert table.loc["teh_marbuta", "types"] == 2
    assert (table["tokens"] == 5).all()
    assert table["types_removed"].sum() == 3


def test_vocabulary_growth_by_hand():
    docs = [["a", "b", "."], ["b", "c"], ["a"]]
    growth = vocabulary_growth(docs, points=3)
    assert growth.to_dict("records") == [
        {"tokens": 2, "types": 2},
        {"tokens": 4, "types": 3},
        {"tokens": 5, "types": 3},
    ]


def test_top_terms_rank_rate_and_ties():
    counts = pd.DataFrame(
        {"outlet": ["A", "A", "A", "B"], "term": ["ب", "ا", "ج", "ا"], "count": [5, 5, 10, 4]}
    )
    table = top_terms(counts, "outlet", n=2)
    assert table["term"].tolist() == ["ج", "ا", "ا"]  # tie between ا and ب broken by term
    assert table["per_10k"].tolist() == [5000.0, 2500.0, 10000.0]
