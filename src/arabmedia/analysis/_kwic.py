"""Keywords in context on the original text, and collocations by PMI and G2."""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from arabmedia.stats._association import g2_2x2
from arabmedia.text._normalize import (
    DEFAULT_SETTINGS,
    NormalizeSettings,
    normalize_many,
    token_regex,
)
from arabmedia.text._vocabulary import is_word

# ---------------------------------------------------------------- KWIC and collocations


def _original_spans(
    text: str, settings: NormalizeSettings
) -> tuple[list[tuple[int, int]], list[str]]:
    """Normalized tokens of each raw token of ``text`` and the raw token's span for each."""
    raw = list(token_regex().finditer(text))
    pieces = normalize_many([match.group() for match in raw], settings)
    findall = token_regex().findall
    spans, tokens = [], []
    for match, piece in zip(raw, pieces, strict=True):
        found = findall(piece)
        tokens.extend(found)
        spans.extend([match.span()] * len(found))
    return spans, tokens


def token_spans(
    text: str, settings: NormalizeSettings = DEFAULT_SETTINGS
) -> list[tuple[int, int]] | None:
    """Character spans in the ORIGINAL ``text`` of each token of ``tokenize(text, settings)``.

    The original is tokenized with normalization off; each raw token is normalized and
    tokenized on its own, and the pieces inherit its span.  Returns None when the pieces
    do not reproduce the normalized token stream (normalization changed a token boundary),
    so a caller never shows a misaligned window.
    """
    spans, tokens = _original_spans(text, settings)
    expected = token_regex().findall(normalize_many([text], settings)[0])
    return spans if tokens == expected else None


def _squeeze(text: str) -> str:
    return " ".join(text.split())


def kwic(
    texts: pd.Series,
    tokens: pd.Series,
    matches: pd.DataFrame,
    *,
    window: int = 5,
    settings: NormalizeSettings = DEFAULT_SETTINGS,
) -> pd.DataFrame:
    """Keyword-in-context lines showing the ORIGINAL text around each match.

    ``texts`` are the original texts the ``tokens`` were made from (same index, same
    ``settings``); ``matches`` rows from :func:`find_terms` (filter them first).
    ``window`` tokens (punctuation included) on each side.  When a text's normalized
    tokens cannot be aligned with its original (see :func:`token_spans`) or differ from
    ``tokens``, the line shows normalized tokens and ``original`` is False.
    Columns: doc, concept, variant, position, form, left, match, right, original.
    """
    if window < 0:
        raise ValueError(f"kwic: window must be >= 0, got {window}")
    rows = []
    for doc, group in matches.groupby("doc", sort=False):
        doc_tokens = list(tokens.loc[doc])
        spans, pieces = _original_spans(texts.loc[doc], settings)
        aligned = pieces == doc_tokens
        for row in group.itertuples(index=False):
            start, end = row.position, row.position + row.length
            left_from, right_to = max(0, start - window), min(len(doc_tokens), end + window)
            if aligned:
                text = texts.loc[doc]
                left = text[spans[left_from][0] : spans[start][0]] if start > left_from else ""
                middle = text[spans[start][0] : spans[end - 1][1]]
                right = text[spans[end - 1][1] : spans[right_to - 1][1]] if right_to > end else ""
            else:
                left = " ".join(doc_tokens[left_from:start])
                middle = " ".join(doc_tokens[start:end])
                right = " ".join(doc_tokens[end:right_to])
            window_text = (_squeeze(left), _squeeze(middle), _squeeze(right))
            rows.append((doc, row.concept, row.variant, start, row.form, *window_text, aligned))
    columns = ["doc", "concept", "variant", "position", "form", "left", "match", "right"]
    return pd.DataFrame(rows, columns=[*columns, "original"])


def collocations(
    tokens: pd.Series,
    matches: pd.DataFrame,
    *,
    window: int = 5,
    min_count: int = 5,
    stop_words: Iterable[str] = (),
) -> pd.DataFrame:
    """Words that co-occur with each variant within ``window`` words, by PMI and G2.

    Punctuation is dropped before windows are counted.  For each (concept, variant), the
    window positions around all its mentions in a document are pooled (a position counts
    once even if two mentions are near each other; the mentions' own tokens are excluded).
    With N word tokens in the corpus, W pooled window positions, f the collocate's corpus
    frequency and O its count inside the windows, the 2x2 table is (O, W-O; f-O,
    N-W-f+O): ``expected = W f / N``, ``pmi = log2(O / expected)`` and ``g2`` the
    log-likelihood of that table (:func:`arabmedia.analysis.g2_2x2`).  Collocates with
    O >= ``min_count`` and not in ``stop_words`` are kept.
    Columns: concept, variant, collocate, count (O), collocate_count (f), window_tokens
    (W), expected, pmi, g2; sorted by concept, variant, g2 descending, collocate.
    """
    if window < 1 or min_count < 1:
        raise ValueError(f"collocations: window and min_count must be >= 1, got {window}")
    stop_words = frozenset(stop_words)
    words_of: dict[object, list[str]] = {}
    word_index: dict[object, np.ndarray] = {}
    frequency: Counter[str] = Counter()
    for doc, doc_tokens in tokens.items():
        doc_tokens = list(doc_tokens)
        is_a_word = np.fromiter(map(is_word, doc_tokens), bool, len(doc_tokens))
        words = [t for t, keep in zip(doc_tokens, is_a_word, strict=True) if keep]
        frequency.update(words)
        words_of[doc] = words
        word_index[doc] = np.cumsum(is_a_word) - 1  # token position -> word position
    n_words = sum(frequency.values())
    rows = []
    for (concept, variant), group in matches.groupby(["concept", "variant"], sort=True):
        inside: Counter[str] = Counter()
        n_window = 0
        for doc, mentions in group.groupby("doc", sort=False):
            words = words_of[doc]
            positions: set[int] = set()
            own: set[int] = set()
            for start, length in zip(mentions["position"], mentions["length"], strict=True):
                first = int(word_index[doc][start])
                last = int(word_index[doc][start + length - 1])
                own.update(range(first, last + 1))
                positions.update(range(max(0, first - window), first))
                positions.update(range(last + 1, min(len(words), last + 1 + window)))
            positions -= own
            n_window += len(positions)
            inside.update(words[p] for p in positions)
        for collocate, observed in inside.items():
            if observed >= min_count and collocate not in stop_words:
                rows.append((concept, variant, collocate, observed, frequency[collocate], n_window))
    columns = ["concept", "variant", "collocate", "count", "collocate_count", "window_tokens"]
    table = pd.DataFrame(rows, columns=columns)
    observed = table["count"].to_numpy(float)
    in_window = table["window_tokens"].to_numpy(float)
    corpus = table["collocate_count"].to_numpy(float)
    table["expected"] = in_window * corpus / n_words if n_words else np.nan
    table["pmi"] = np.log2(observed / table["expected"].to_numpy(float))
    table["g2"] = g2_2x2(
        observed, in_window - observed, corpus - observed, n_words - in_window - corpus + observed
    )
    return table.sort_values(
        ["concept", "variant", "g2", "collocate"],
        ascending=[True, True, False, True],
        kind="stable",
    ).reset_index(drop=True)


def kwic_sample(
    articles: pd.DataFrame,
    field: str,
    tokens: pd.Series,
    matches: pd.DataFrame,
    *,
    n: int = 6,
    seed: int = 0,
    window: int = 5,
) -> pd.DataFrame:
    """KWIC lines of a seeded sample of ``n`` of ``matches`` (filter them first), in one field.

    ``tokens`` are the ``field`` tokens of ``articles`` (same index), ``matches`` rows of
    :func:`arabmedia.analysis.find_terms`; ``articles`` has doc_id and outlet.  Short windows keep
    the lines quotable.  Columns: outlet, field, doc_id, variant, left, match, right.
    """
    from arabmedia.corpus._articles import article_text

    chosen = matches.sample(min(n, len(matches)), random_state=seed).sort_index()
    lines = kwic(article_text(articles, [field]), tokens, chosen, window=window)
    lines["doc_id"] = articles.loc[lines["doc"], "doc_id"].to_numpy()
    lines["outlet"] = articles.loc[lines["doc"], "outlet"].to_numpy()
    return lines.assign(field=field)[
        ["outlet", "field", "doc_id", "variant", "left", "match", "right"]
    ]


def kwic_samples(
    articles: pd.DataFrame,
    field: str,
    tokens: pd.Series,
    matches: pd.DataFrame,
    groups: Mapping[str, Iterable],
    *,
    n: int = 6,
    seed: int = 0,
    window: int = 5,
) -> pd.DataFrame:
    """:func:`kwic_sample` of each combination of values of ``matches`` columns, stacked.

    ``groups`` maps columns of ``matches`` to the values wanted, e.g. ``{"outlet": [...],
    "variant": ["martyrs", "killed"]}``: ``n`` lines (seeded by ``seed``) per combination,
    so that every outlet and name is shown.  Combinations run in the given order, the last
    column fastest.  Columns: those of :func:`kwic_sample`; index 0..n-1.
    """
    columns = list(groups)
    samples = []
    for values in itertools.product(*groups.values()):
        chosen = np.ones(len(matches), dtype=bool)
        for column, value in zip(columns, values, strict=True):
            chosen &= (matches[column] == value).to_numpy()
        samples.append(
            kwic_sample(articles, field, tokens, matches[chosen], n=n, seed=seed, window=window)
        )
    return pd.concat(samples, ignore_index=True)


def top_collocations(
    tokens: pd.Series,
    matches: pd.DataFrame,
    variants: Iterable[str],
    term_sets,
    *,
    n: int = 12,
    window: int = 5,
    min_count: int = 5,
    stop_words: Iterable[str] = (),
) -> pd.DataFrame:
    """The ``n`` strongest :func:`collocations` (by G2) of each of ``variants``, labelled.

    ``matches`` are :func:`arabmedia.analysis.find_terms` rows of ``tokens``; only those of
    ``variants`` are used.  ``term_sets`` (:class:`arabmedia.lexicons.TermSets`) gives each
    row's label.  Columns: those of :func:`collocations`, then label; rows in its order
    (index of the full collocation table kept).
    """
    chosen = matches[matches["variant"].isin(list(variants))]
    table = collocations(tokens, chosen, window=window, min_count=min_count, stop_words=stop_words)
    table = table.groupby("variant", sort=False).head(n)
    labels = term_sets.labels()
    keys = zip(table["concept"], table["variant"], strict=True)
    return table.assign(label=[labels[key] for key in keys])
