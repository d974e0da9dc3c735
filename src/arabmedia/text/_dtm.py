"""Document-term matrices: the one way analyses build their counts.

scikit-learn's CountVectorizer / TfidfVectorizer are given documents that are
already token lists (from :mod:`arabmedia.cache`), so the project's Arabic
normalization and tokenization decide what a word is, and scikit-learn does the
n-grams, document-frequency cut-offs and sparse counting.  Stop words are removed
before n-grams are formed (scikit-learn's behaviour), so a bigram may span a
removed stop word.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sklearn.feature_extraction.text import CountVectorizer


class TokenPreprocessor:
    """Map tokens (e.g. to stems) and drop punctuation-only tokens; picklable."""

    def __init__(self, term_map: Mapping[str, str] | None = None, keep_punctuation: bool = False):
        self.term_map = dict(term_map or {})
        self.keep_punctuation = keep_punctuation

    def __call__(self, tokens: Sequence[str] | str) -> list[str]:
        if isinstance(tokens, str):  # scikit-learn checks stop words one string at a time
            tokens = [tokens]
        mapped = (self.term_map.get(t, t) for t in tokens)
        if self.keep_punctuation:
            return list(mapped)
        return [t for t in mapped if any(c.isalnum() for c in t)]


def _identity(tokens: list[str]) -> list[str]:
    return tokens


def make_vectorizer(
    kind: str = "count",
    *,
    ngram_range: tuple[int, int] = (1, 1),
    min_df: float | int = 1,
    max_df: float | int = 1.0,
    stop_words: frozenset[str] | None = None,
    term_map: Mapping[str, str] | None = None,
    keep_punctuation: bool = False,
) -> CountVectorizer:
    """A CountVectorizer (``kind="count"``) or TfidfVectorizer (``"tfidf"``) over token lists.

    ``term_map`` maps tokens before counting (e.g. a segmenter's stems of the corpus
    vocabulary); punctuation-only tokens are dropped unless ``keep_punctuation``.
    """
    from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer

    classes = {"count": CountVectorizer, "tfidf": TfidfVectorizer}
    if kind not in classes:
        raise ValueError(f"kind must be one of {sorted(classes)}, got {kind!r}")
    return classes[kind](
        analyzer="word",
        preprocessor=TokenPreprocessor(term_map, keep_punctuation),
        tokenizer=_identity,
        token_pattern=None,
        lowercase=False,
        ngram_range=ngram_range,
        min_df=min_df,
        max_df=max_df,
        stop_words=sorted(stop_words) if stop_words else None,
    )
