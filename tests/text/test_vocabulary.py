"""Vocabulary statistics on hand-counted examples."""

from collections import Counter

import pandas as pd
import pytest
import test_text
from hypothesis import given, settings
from hypothesis import strategies as st

from arabmedia.config import load_settings
from arabmedia.corpus import article_text, load_articles
from arabmedia.text import (
    DEFAULT_SETTINGS,
    cumulative_settings,
    is_word,
    tokenize_many,
    top_terms,
    types_by_step,
    types_by_step_by_group,
    vocabulary_growth,
    vocabulary_growth_by_group,
)


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


def _types_by_step_per_text(texts, settings):
    """Reference: tokenize every whole text at every step (what types_by_step shortcuts)."""
    rows = []
    for name, stage in cumulative_settings(settings):
        counts = Counter(t for tokens in tokenize_many(texts, stage) for t in tokens if is_word(t))
        rows.append((name, len(counts), sum(counts.values())))
    return rows


@settings(max_examples=300, deadline=None)
@given(st.lists(test_text.texts, max_size=4))
def test_types_by_step_equals_tokenizing_whole_texts(texts):
    table = types_by_step(texts, DEFAULT_SETTINGS)
    assert list(table[["step", "types", "tokens"]].itertuples(index=False, name=None)) == (
        _types_by_step_per_text(texts, DEFAULT_SETTINGS)
    )


@pytest.mark.corpora
@pytest.mark.skipif(not load_settings().raw_dir.is_dir(), reason="run `arabmedia fetch` first")
def test_types_by_step_equals_tokenizing_whole_texts_on_news():
    articles = load_articles(load_settings())
    sample = articles.sample(400, random_state=0)
    texts = article_text(sample).tolist()
    table = types_by_step(texts, DEFAULT_SETTINGS)
    assert list(table[["step", "types", "tokens"]].itertuples(index=False, name=None)) == (
        _types_by_step_per_text(texts, DEFAULT_SETTINGS)
    )


def test_types_by_step_by_group_stacks_each_groups_table():
    texts = pd.Series(["أحمد احمد", "مدرسة", "مدرسه مدرسة"], index=[10, 11, 12])
    groups = pd.Series(["B", "A", "B"], index=[10, 11, 12], name="outlet")
    table = types_by_step_by_group(texts, groups, DEFAULT_SETTINGS, text="titles")
    assert list(table.columns) == ["step", "types", "tokens", "types_removed", "outlet", "text"]
    expected = pd.concat(
        [
            types_by_step(["مدرسة"], DEFAULT_SETTINGS).assign(outlet="A", text="titles"),
            types_by_step(["أحمد احمد", "مدرسه مدرسة"], DEFAULT_SETTINGS).assign(
                outlet="B", text="titles"
            ),
        ],
        ignore_index=True,
    )
    pd.testing.assert_frame_equal(table, expected)
    raw_b = table[(table["outlet"] == "B") & (table["step"] == "raw")]
    assert raw_b["types"].item() == 4  # أحمد احمد مدرسه مدرسة, before any folding


def test_vocabulary_growth_by_group_keeps_document_order_within_groups():
    tokens = pd.Series(
        [["ا", "ب"], ["س"], ["ب", "ج", "."], ["س", "ص"]], index=[3, 1, 2, 0], dtype=object
    )
    groups = pd.Series(["A", "B", "A", "B"], index=[3, 1, 2, 0], name="outlet")
    curves = vocabulary_growth_by_group(tokens, groups, label="{group} leads", points=2)
    assert list(curves.columns) == ["curve", "outlet", "tokens", "types"]
    # A: ا ب then ب ج (punctuation is no word): 2 tokens/2 types, 4 tokens/3 types
    # B: س then س ص: 1 token/1 type, 3 tokens/2 types
    assert curves.values.tolist() == [
        ["A leads", "A", 2, 2],
        ["A leads", "A", 4, 3],
        ["B leads", "B", 1, 1],
        ["B leads", "B", 3, 2],
    ]
