"""Stop-word removal, applied only when an analysis asks for it.

The lists themselves are lexicon files, loaded by :func:`arabmedia.lexicons.load_stopwords`.
"""

from __future__ import annotations

from collections.abc import Iterable


def remove_stopwords(tokens: Iterable[str], stopwords: Iterable[str]) -> list[str]:
    """``tokens`` without the stop words, order kept."""
    stopwords = stopwords if isinstance(stopwords, (set, frozenset)) else frozenset(stopwords)
    return [token for token in tokens if token not in stopwords]
