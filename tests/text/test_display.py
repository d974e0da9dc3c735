"""Display forms: most frequent surface spelling per normalized token, aligned token lists."""

from __future__ import annotations

import pandas as pd
import pytest

from arabmedia.config import load_settings
from arabmedia.text import (
    DEFAULT_SETTINGS,
    STEP_NAMES,
    NormalizeSettings,
    article_display_forms,
    article_tokens,
    display_forms,
    display_settings,
    display_terms,
    normalize,
    tokenize_many,
)

# Invented sentences: الخارجية written twice with ة and once with ه, إلى twice with إ and
# once without hamza; diacritics, tatweel, a double prime (NFKC: two primes), an ellipsis
# (NFKC: three dots) and a ligature (ﻻ) test the alignment.
TEXTS = [
    "أعلنت وزارة الخارجية أن الوفد وصل إلى غزة.",
    "قالت الخارجيه إن الوفد عاد الى القاهرة ″اليوم″…",
    "وزارةُ الخارجـية تدعو إلى التهدئة ﻻ غير",
]


def token_series(settings: NormalizeSettings) -> pd.Series:
    return pd.Series(tokenize_many(TEXTS, settings), index=[10, 11, 12])


def test_most_frequent_surface_form_wins():
    forms = display_forms(token_series(display_settings()), token_series(DEFAULT_SETTINGS))
    assert forms["الخارجيه"] == "الخارجية"  # 2 of 3 (one written with tatweel, folded away)
    assert forms["الي"] == "إلى"  # 2 of 3
    assert forms["وزاره"] == "وزارة"
    assert forms["غزه"] == "غزة"
    assert forms["اعلنت"] == "أعلنت"
    assert forms['"'] == '"'  # the double prime is one quote token on both sides


def test_ties_go_to_the_form_seen_first():
    normalized = pd.Series([["الي"], ["الي"], ["الي", "الي"]])
    surface = pd.Series([["الى"], ["إلى"], ["إلى", "الى"]])
    assert display_forms(surface, normalized) == {"الي": "الى"}
    assert display_forms(surface.iloc[::-1], normalized.iloc[::-1]) == {"الي": "إلى"}


def test_display_tokens_align_but_unnormalized_tokens_do_not():
    normalized = token_series(DEFAULT_SETTINGS)
    surface = token_series(display_settings())
    raw = token_series(NormalizeSettings(**dict.fromkeys(STEP_NAMES, False)))
    assert [len(t) for t in surface] == [len(t) for t in normalized]
    for shown, folded in zip(surface, normalized, strict=True):
        assert [normalize(token) for token in shown] == folded
    # without the unicode step the ellipsis stays one token, not three
    assert [len(t) for t in raw] != [len(t) for t in normalized]
    with pytest.raises(ValueError, match="document 11 has"):
        display_forms(raw, normalized)


def test_a_surface_token_that_does_not_normalize_to_its_pair_is_an_error():
    with pytest.raises(ValueError, match="'غزة' normalizes to 'غزه', not to the token 'قطاع'"):
        display_forms(pd.Series([["غزة"]]), pd.Series([["قطاع"]]))
    with pytest.raises(ValueError, match="same index"):
        display_forms(pd.Series([["غزة"]], index=[1]), pd.Series([["غزه"]], index=[2]))


def test_display_terms_map_ngrams_word_by_word():
    forms = {"وزاره": "وزارة", "الخارجيه": "الخارجية"}
    terms = ["وزاره الخارجيه", "الخارجيه", "الوفد"]
    assert display_terms(terms, forms) == ["وزارة الخارجية", "الخارجية", "الوفد"]


def test_article_display_forms_read_both_token_sets_through_the_cache(tmp_path):
    settings = load_settings().with_paths(cache_dir=tmp_path)
    articles = pd.DataFrame(
        {"doc_id": ["a", "b", "c"], "title": TEXTS, "lead": ["", "وزارة", ""]}, index=[10, 11, 12]
    )
    forms = article_display_forms(articles, ["title", "lead"], settings)
    normalized = article_tokens(articles, ["title", "lead"], settings)
    surface = article_tokens(articles, ["title", "lead"], settings, normalize=display_settings())
    assert forms == display_forms(surface, normalized)
    assert forms["وزاره"] == "وزارة"
    assert len(list((tmp_path / "tokens").glob("*.parquet"))) == 2
