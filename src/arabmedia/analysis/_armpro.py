"""ArMPro (persuasion-technique spans in Arabic news paragraphs): a loaded-language detector
scored at paragraph, token and span level.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from arabmedia.analysis._framing import match_frames
from arabmedia.config import Settings
from arabmedia.lexicons._frames import FrameDictionary, load_frames
from arabmedia.stats._classification import classification_scores
from arabmedia.text._normalize import tokenize_many
from arabmedia.text._vocabulary import is_word

LOADED_LANGUAGE = "Loaded_Language"


# --------------------------------------------------------------------------- ArMPro


def armpro_table(settings: Settings, corpus: str = "armpro") -> pd.DataFrame:
    """ArMPro paragraphs with their Loaded_Language spans aligned to the loaded text.

    One row per paragraph.  Columns: doc_id, body (the paragraph), spans (list of
    (start, end) character offsets into ``body`` of the gold Loaded_Language spans),
    n_realigned (spans whose published offsets did not match their text and were moved
    to the nearest occurrence of the text), n_unaligned (spans whose text was not found:
    kept at the published offsets).
    """
    from arabmedia.corpus._labels import armpro_spans
    from arabmedia.corpus._loading import load_corpora

    paragraphs = load_corpora([corpus], settings).articles[["doc_id", "body"]]
    spans = armpro_spans(settings.raw_dir / corpus, corpus)
    spans = spans[spans["technique"] == LOADED_LANGUAGE]
    return attach_spans(paragraphs, spans)


def attach_spans(paragraphs: pd.DataFrame, spans: pd.DataFrame) -> pd.DataFrame:
    """Gold spans (doc_id, start, end, text) attached to paragraphs (doc_id, body).

    Columns as :func:`armpro_table`.  Published offsets are trusted when ``body[start:end]``
    equals the span's text; otherwise the occurrence of the text nearest to ``start`` is
    used, and failing that the published offsets.
    """
    by_doc = {doc: group for doc, group in spans.groupby("doc_id", sort=False)}
    rows = []
    for doc_id, body in zip(paragraphs["doc_id"], paragraphs["body"], strict=True):
        aligned, realigned, unaligned = [], 0, 0
        group = by_doc.get(doc_id)
        if group is not None:
            for start, end, text in zip(group["start"], group["end"], group["text"], strict=True):
                span, status = _align(body, int(start), int(end), str(text))
                aligned.append(span)
                realigned += status == "realigned"
                unaligned += status == "unaligned"
        rows.append((doc_id, body, sorted(set(aligned)), realigned, unaligned))
    return pd.DataFrame(rows, columns=["doc_id", "body", "spans", "n_realigned", "n_unaligned"])


def _align(body: str, start: int, end: int, text: str) -> tuple[tuple[int, int], str]:
    if body[start:end] == text:
        return (start, end), "ok"
    needle = text.strip()
    found = [m.start() for m in re.finditer(re.escape(needle), body)] if needle else []
    if found:
        best = min(found, key=lambda position: (abs(position - start), position))
        return (best, best + len(needle)), "realigned"
    return (start, end), "unaligned"


def _word_tokens(body: str, settings) -> tuple[list[str], list[tuple[int, int]]]:
    """Normalized tokens of ``body`` and the character span of the whitespace word of each.

    Tokenizing each whitespace-separated word on its own gives the same tokens as
    tokenizing the whole text (the tokenizer splits on whitespace first).
    """
    words = [(m.start(), m.end()) for m in re.finditer(r"\S+", body)]
    per_word = tokenize_many([body[a:b] for a, b in words], settings)
    tokens, spans = [], []
    for span, word_tokens in zip(words, per_word, strict=True):
        tokens.extend(word_tokens)
        spans.extend([span] * len(word_tokens))
    return tokens, spans


def loaded_language_matches(table: pd.DataFrame, lexicon: FrameDictionary) -> pd.DataFrame:
    """Gold and detected loaded language per paragraph, counted in word tokens and spans.

    ``table`` has columns doc_id, body, spans (as :func:`armpro_table`).  Units are the
    word tokens of the paragraph (punctuation left out).  A token is gold when its
    whitespace word overlaps a gold span by at least one character; it is detected when a
    lexicon match covers it.  A gold span is found when one of its tokens is detected; a
    detected span (one lexicon match) is correct when one of its tokens is gold.

    Columns: doc_id, gold (paragraph has a gold span), detected (the lexicon fires),
    gold_tokens, detected_tokens, overlap_tokens, gold_spans, gold_spans_found,
    detected_spans, detected_spans_correct.
    """
    rows = []
    for doc_id, body, spans in zip(table["doc_id"], table["body"], table["spans"], strict=True):
        tokens, word_spans = _word_tokens(body, lexicon.settings)
        word_flags = [is_word(t) for t in tokens]
        gold_sets = [
            {i for i, (a, b) in enumerate(word_spans) if a < end and start < b and word_flags[i]}
            for start, end in spans
        ]
        gold_sets = [s for s in gold_sets if s]
        gold = set().union(*gold_sets)
        detected_sets = [
            {i for i in range(m.start, m.end) if word_flags[i]}
            for m in match_frames(tokens, lexicon)
        ]
        detected = set().union(*detected_sets)
        rows.append(
            (
                doc_id,
                bool(gold_sets),
                bool(detected_sets),
                len(gold),
                len(detected),
                len(gold & detected),
                len(gold_sets),
                sum(bool(s & detected) for s in gold_sets),
                len(detected_sets),
                sum(bool(s & gold) for s in detected_sets),
            )
        )
    columns = [
        "doc_id",
        "gold",
        "detected",
        "gold_tokens",
        "detected_tokens",
        "overlap_tokens",
        "gold_spans",
        "gold_spans_found",
        "detected_spans",
        "detected_spans_correct",
    ]
    return pd.DataFrame(rows, columns=columns)


#: (level, precision numerator, precision denominator, recall numerator, recall denominator)
_SPAN_LEVELS = (
    ("token", "overlap_tokens", "detected_tokens", "overlap_tokens", "gold_tokens"),
    ("span", "detected_spans_correct", "detected_spans", "gold_spans_found", "gold_spans"),
)


def loaded_language_scores(
    matches: pd.DataFrame, *, n_boot: int = 1000, ci: float = 0.95, seed: int = 0
) -> pd.DataFrame:
    """Precision, recall and F1 of the loaded-language detector at three levels.

    ``matches`` is :func:`loaded_language_matches`.  Levels: ``paragraph`` (gold = has a
    Loaded_Language span, predicted = the lexicon fires; the positive class of
    :func:`arabmedia.stats.classification_scores`), ``token`` (micro-averaged over word
    tokens) and ``span`` (overlap rule of :func:`loaded_language_matches`).  Token and span
    intervals resample paragraphs (seeded), with P, R and F1 from the same resamples.
    Columns: level, n_items (paragraphs, gold tokens or gold spans), precision,
    precision_low, precision_high, recall, recall_low, recall_high, f1, f1_low, f1_high.
    """
    paragraph = classification_scores(
        matches["gold"], matches["detected"], labels=[True, False], n_boot=n_boot, ci=ci, seed=seed
    ).iloc[0]
    rows = [
        {"level": "paragraph", "n_items": len(matches)}
        | {k: paragraph[k] for k in paragraph.index if k not in ("label", "support")}
    ]
    rng = np.random.default_rng(seed)
    draws = rng.integers(0, len(matches), size=(n_boot, len(matches)))
    tail = (1 - ci) / 2 * 100
    for level, p_num, p_den, r_num, r_den in _SPAN_LEVELS:
        sums = matches[[p_num, p_den, r_num, r_den]].to_numpy(dtype=float)
        point = _prf(sums.sum(axis=0)[None, :])[0]
        replicates = _prf(sums[draws].sum(axis=1))
        row = {"level": level, "n_items": int(matches[r_den].sum())}
        for j, metric in enumerate(("precision", "recall", "f1")):
            low, high = np.nanpercentile(replicates[:, j], [tail, 100 - tail])
            row |= {metric: point[j], f"{metric}_low": low, f"{metric}_high": high}
        rows.append(row)
    return pd.DataFrame(rows)


def _prf(sums: np.ndarray) -> np.ndarray:
    """Rows of (p_num, p_den, r_num, r_den) sums -> (precision, recall, F1); 0 if undefined."""
    with np.errstate(divide="ignore", invalid="ignore"):
        precision = np.where(sums[:, 1] > 0, sums[:, 0] / sums[:, 1], 0.0)
        recall = np.where(sums[:, 3] > 0, sums[:, 2] / sums[:, 3], 0.0)
        total = precision + recall
        f1 = np.where(total > 0, 2 * precision * recall / total, 0.0)
    return np.column_stack([precision, recall, f1])


def armpro_validation(
    settings: Settings,
    lexicon: FrameDictionary | None = None,
    *,
    n_boot: int = 1000,
    seed: int = 0,
) -> pd.DataFrame:
    """:func:`loaded_language_scores` of ``lexicon`` (default: the project's loaded-language
    lexicon) on the ArMPro dev paragraphs."""
    lexicon = lexicon or load_frames("loaded_language")
    matches = loaded_language_matches(armpro_table(settings), lexicon)
    return loaded_language_scores(matches, n_boot=n_boot, seed=seed)
