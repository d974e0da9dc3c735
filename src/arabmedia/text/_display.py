"""Display forms: the spelling a reader expects for each normalized token.

Analyses count normalized tokens (الخارجيه, الي), but figures and tables should show the
words as the corpus writes them (الخارجية, إلى).  The display form of a normalized token
is its most frequent surface form in the texts compared; on a tie, the form seen first.

Surface forms come from the same texts tokenized with the letter folds turned off
(:data:`DISPLAY_FOLDS`: alef, alef maksura, teh marbuta), every other step kept.  Those
three steps map one letter to one letter, so they never move a token boundary and the two
token lists align token for token.  Turning *every* step off does not align: diacritics
(category Mn) and NFKC ligatures split or join words, and ″ becomes two tokens (′′)
without the quote step, so documents would disagree in length.  :func:`display_forms`
checks the alignment, and that each surface token normalizes to its normalized token.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace

import pandas as pd

from arabmedia.text._cache import article_tokens
from arabmedia.text._normalize import DEFAULT_SETTINGS, NormalizeSettings, normalize_many

#: The normalization steps turned off for the surface forms: one letter to one letter each.
DISPLAY_FOLDS = ("alef", "alef_maksura", "teh_marbuta")


def display_settings(settings: NormalizeSettings = DEFAULT_SETTINGS) -> NormalizeSettings:
    """``settings`` with the letter folds of :data:`DISPLAY_FOLDS` off (the surface forms)."""
    return replace(settings, **dict.fromkeys(DISPLAY_FOLDS, False))


def display_forms(
    surface: pd.Series,
    normalized: pd.Series,
    settings: NormalizeSettings = DEFAULT_SETTINGS,
) -> dict[str, str]:
    """Map each normalized token to its most frequent surface form (ties: first seen).

    ``surface`` and ``normalized`` hold one token list per document, same index:
    ``normalized`` tokenized with ``settings``, ``surface`` with
    :func:`display_settings` of them.  Raises ValueError naming the document when the two
    lists differ in length, or naming the token when a surface token does not normalize
    (with ``settings``) to the token it is paired with.
    """
    if not surface.index.equals(normalized.index):
        raise ValueError("display_forms: surface and normalized tokens must have the same index")
    pairs: Counter[tuple[str, str]] = Counter()
    for label, shown, folded in zip(surface.index, surface, normalized, strict=True):
        if len(shown) != len(folded):
            raise ValueError(
                f"display_forms: document {label!r} has {len(shown)} surface tokens but "
                f"{len(folded)} normalized tokens; tokenize both from the same text, the "
                "surface ones with display_settings()"
            )
        pairs.update(zip(folded, shown, strict=True))
    surfaces = list(dict.fromkeys(shown for _, shown in pairs))
    image = dict(zip(surfaces, normalize_many(surfaces, settings), strict=True))
    for folded, shown in pairs:
        if image[shown] != folded:
            raise ValueError(
                f"display_forms: surface token {shown!r} normalizes to {image[shown]!r}, "
                f"not to the token {folded!r} it is aligned with"
            )
    forms: defaultdict[str, Counter[str]] = defaultdict(Counter)
    for (folded, shown), count in pairs.items():  # insertion order: first seen
        forms[folded][shown] += count
    # most_common keeps the first-inserted element among equal counts
    return {folded: counts.most_common(1)[0][0] for folded, counts in forms.items()}


def article_display_forms(
    articles: pd.DataFrame,
    fields: Sequence[str],
    settings,
    *,
    normalize: NormalizeSettings = DEFAULT_SETTINGS,
) -> dict[str, str]:
    """:func:`display_forms` of the ``fields`` text of ``articles``, both token lists cached.

    ``settings`` gives the cache folder (:func:`article_tokens`); ``normalize`` is the
    normalization the analysed tokens used.
    """
    normalized = article_tokens(articles, fields, settings, normalize=normalize)
    surface = article_tokens(articles, fields, settings, normalize=display_settings(normalize))
    return display_forms(surface, normalized, normalize)


def display_terms(terms: Iterable[str], forms: Mapping[str, str]) -> list[str]:
    """Each term (a token, or an n-gram of space-separated tokens) in display forms, word by
    word; a word without a display form is shown as it is."""
    return [" ".join(forms.get(word, word) for word in term.split(" ")) for term in terms]
