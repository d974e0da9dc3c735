"""Dictionary frame detection: which frames a sentence or an article makes salient.

A frame (Entman 1993) is detected through indicators: Arabic words and phrases listed,
with a rationale and a reference each, in YAML files under ``lexicons/data/frames/`` (schema in
``lexicons/data/frames/README.md``, loaded by :func:`arabmedia.lexicons.load_frames`).
Researchers can pass their own files.

Matching rule (documented in the README as well):

* Indicator forms and texts are normalized and tokenized the same way
  (:func:`arabmedia.text.tokenize` with the dictionary's settings, by default
  ``DEFAULT_SETTINGS``), so أ/ا, ة/ه, diacritics and tatweel never matter.
* A form matches the surface forms :func:`arabmedia.text.surface_forms` gives it, the same
  clitic rule as every other lexicon: by default conjunctions, prepositions and (for one-word
  forms without it) the article on the first word, so احتلال matches الاحتلال, والاحتلال,
  للاحتلال; ``clitics: conjunctions`` allows only و/ف, ``clitics: exact`` nothing.
  Suffixes (plural, verbal, pronoun) are not added: the files list those forms.
* Multi-word forms match consecutive tokens; the words after the first match as written.
* Within one frame, matches are chosen left to right, longest first, without overlap, so
  a phrase and a word inside it count once.  Different frames may match the same words.

Lookup is one dict probe per token (:class:`arabmedia.text.PhraseIndex`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import NamedTuple

import numpy as np
import pandas as pd

from arabmedia.lexicons._frames import FrameDictionary
from arabmedia.stats._bootstrap import bootstrap_ratios
from arabmedia.text._normalize import tokenize_many
from arabmedia.text._sentences import split_sentences
from arabmedia.text._vocabulary import is_word

#: Value of ``dominant_frame`` for a text without any hit, and for a tie (``ties="mixed"``).
NO_FRAME = "none"
MIXED_FRAMES = "mixed"


class _Entry(NamedTuple):
    length: int  # tokens of the matched surface form
    frame: int
    indicator: int
    form: int


class Match(NamedTuple):
    """One indicator match: token positions [start, end) in the text's token list."""

    frame: str
    indicator: str  # the indicator's pattern
    form: str  # the form that matched, as written
    start: int
    end: int


class _Matcher:
    """Matches one dictionary in many token lists."""

    def __init__(self, dictionary: FrameDictionary):
        self.index = dictionary.index
        self.n_frames = len(dictionary.frames)

    def scan(self, tokens: Sequence[str]) -> tuple[int, list[tuple[int, _Entry]]]:
        """(number of word tokens, selected matches as (start, entry)) of one token list."""
        words = 0
        found = []
        firsts = self.index.first_tokens
        for start, token in enumerate(tokens):
            words += is_word(token)
            if token in firsts:
                found.extend(
                    (start, _Entry(len(form), *numbers))
                    for form, numbers in self.index.at(tokens, start)
                )
        return words, _select(found, self.n_frames)


def _select(found: list[tuple[int, _Entry]], n_frames: int) -> list[tuple[int, _Entry]]:
    """Per frame, non-overlapping matches: leftmost first, then longest, then file order."""
    found = sorted(found, key=lambda m: (m[1].frame, m[0], -m[1].length, m[1].indicator, m[1].form))
    kept = []
    frame_end = [-1] * n_frames
    for start, entry in found:
        if start >= frame_end[entry.frame]:
            kept.append((start, entry))
            frame_end[entry.frame] = start + entry.length
    return kept


def _as_matches(kept: list[tuple[int, _Entry]], dictionary: FrameDictionary) -> list[Match]:
    matches = []
    for start, entry in kept:
        frame = dictionary.frames[entry.frame]
        indicator = frame.indicators[entry.indicator]
        form = indicator.forms[entry.form]
        matches.append(Match(frame.name, indicator.pattern, form, start, start + entry.length))
    return matches


def match_frames(tokens: Sequence[str], dictionary: FrameDictionary) -> list[Match]:
    """Matches of ``dictionary`` in one normalized token list, by frame order then position."""
    _, kept = _Matcher(dictionary).scan(list(tokens))
    return _as_matches(kept, dictionary)


def find_frames(tokens: pd.Series, dictionary: FrameDictionary) -> pd.DataFrame:
    """All matches in a Series of token lists, one row per match.

    Columns: ``row`` (the Series' index label), frame, indicator, form, start, end (token
    positions, end exclusive), ``matched`` (the text tokens, space-joined).
    """
    matcher = _Matcher(dictionary)
    rows = []
    for label, doc in tokens.items():
        doc = list(doc)
        _, kept = matcher.scan(doc)
        for match in _as_matches(kept, dictionary):
            rows.append((label, *match, " ".join(doc[match.start : match.end])))
    columns = ["row", "frame", "indicator", "form", "start", "end", "matched"]
    return pd.DataFrame(rows, columns=columns)


# --------------------------------------------------------------------------- scores


def frame_scores(
    tokens: pd.Series,
    dictionary: FrameDictionary,
    *,
    per: int = 1000,
    ties: str = "mixed",
) -> pd.DataFrame:
    """Frame hits and length-normalized rates per text, aligned with ``tokens.index``.

    ``tokens`` holds normalized token lists (e.g. from :func:`arabmedia.text.article_tokens`,
    made with the dictionary's settings).  Columns: ``n_tokens`` (word tokens, punctuation
    left out), then for each frame ``hits_<frame>`` (non-overlapping matches) and
    ``rate_<frame>`` (hits per ``per`` word tokens; 0 for an empty text), ``n_frames``
    (frames with at least one hit) and ``dominant_frame``: the frame with most hits;
    :data:`NO_FRAME` without hits; on a tie :data:`MIXED_FRAMES` (``ties="mixed"``) or the
    tied frame that comes first in the dictionary (``ties="first"``).
    """
    if ties not in ("mixed", "first"):
        raise ValueError(f"ties must be 'mixed' or 'first', got {ties!r}")
    n_frames = len(dictionary.frames)
    hits = np.zeros((len(tokens), n_frames), dtype=np.int64)
    matcher = _Matcher(dictionary)
    lengths = np.zeros(len(tokens), dtype=np.int64)
    for row, doc in enumerate(tokens):
        doc = list(doc)
        lengths[row], kept = matcher.scan(list(doc))
        for _, entry in kept:
            hits[row, entry.frame] += 1
    names = dictionary.names
    table = pd.DataFrame({"n_tokens": lengths}, index=tokens.index)
    with np.errstate(divide="ignore", invalid="ignore"):
        rates = np.where(lengths[:, None] > 0, per * hits / lengths[:, None], 0.0)
    for f, name in enumerate(names):
        table[f"hits_{name}"] = hits[:, f]
    for f, name in enumerate(names):
        table[f"rate_{name}"] = rates[:, f]
    table["n_frames"] = (hits > 0).sum(axis=1)
    table["dominant_frame"] = _dominant(hits, names, ties)
    return table


def _dominant(hits: np.ndarray, names: list[str], ties: str) -> list[str]:
    if hits.shape[1] == 0:
        return [NO_FRAME] * len(hits)
    best = hits.max(axis=1)
    first = hits.argmax(axis=1)  # argmax returns the first maximum: dictionary order
    tied = (hits == best[:, None]).sum(axis=1) > 1
    return [
        NO_FRAME if top == 0 else (MIXED_FRAMES if is_tied and ties == "mixed" else names[position])
        for top, position, is_tied in zip(best, first, tied, strict=True)
    ]


ID_COLUMNS = ("doc_id", "corpus", "outlet", "date", "kind")


def count_frames(
    articles: pd.DataFrame,
    tokens: pd.Series,
    dictionary: FrameDictionary,
    *,
    per: int = 1000,
    ties: str = "mixed",
) -> pd.DataFrame:
    """:func:`frame_scores` of each article, with the article's identifying columns.

    ``tokens`` must be aligned with ``articles.index``.  Columns: those of
    :data:`ID_COLUMNS` that ``articles`` has, then the columns of :func:`frame_scores`.
    """
    if not tokens.index.equals(articles.index):
        raise ValueError("count_frames: tokens must be aligned with articles.index")
    ids = articles[[c for c in ID_COLUMNS if c in articles.columns]]
    return pd.concat([ids, frame_scores(tokens, dictionary, per=per, ties=ties)], axis=1)


def sentence_frames(
    articles: pd.DataFrame,
    dictionary: FrameDictionary,
    *,
    fields: Sequence[str] = ("title", "lead", "body"),
    per: int = 1000,
    ties: str = "mixed",
    n_jobs: int = 1,
) -> pd.DataFrame:
    """Frames of each sentence (:func:`arabmedia.text.split_sentences` of the text).

    The text is :func:`arabmedia.corpus.article_text` over ``fields``; sentences are
    tokenized with the dictionary's settings.  One row per sentence, index 0..n-1.
    Columns: doc_id, sentence (0-based number within the article), text (the sentence as
    written), then the columns of :func:`frame_scores`.
    """
    from arabmedia.corpus._articles import article_text

    texts = article_text(articles, fields)
    rows = [
        (doc_id, number, sentence)
        for doc_id, text in zip(articles["doc_id"], texts, strict=True)
        for number, sentence in enumerate(split_sentences(text))
    ]
    table = pd.DataFrame(rows, columns=["doc_id", "sentence", "text"])
    tokens = pd.Series(
        tokenize_many(table["text"].tolist(), dictionary.settings, n_jobs=n_jobs),
        index=table.index,
        dtype=object,
    )
    return pd.concat([table, frame_scores(tokens, dictionary, per=per, ties=ties)], axis=1)


# --------------------------------------------------------------------------- prevalence

MEASURES = ("share", "rate", "dominant")


def compare_frames(
    scores: pd.DataFrame,
    frames: Iterable[str] | FrameDictionary,
    by: str | Sequence[str] = ("outlet",),
    *,
    measure: str = "share",
    freq: str | None = None,
    per: int = 1000,
    n_boot: int = 1000,
    ci: float = 0.95,
    seed: int = 0,
) -> pd.DataFrame:
    """Prevalence of each frame per group with bootstrap intervals over articles.

    ``scores`` is a table from :func:`count_frames` (one row per article).  Measures:

    * ``"share"``: share of articles with at least one hit of the frame;
    * ``"rate"``: hits per ``per`` word tokens of the group (ratio of sums);
    * ``"dominant"``: share of articles whose ``dominant_frame`` is the frame.

    With ``freq`` (a pandas period alias such as ``"M"`` or ``"W"``) articles are also
    grouped by the ``period`` of their ``date`` (the period's start, a Timestamp); articles
    without a date are left out.  Returns a long table: the ``by`` columns, ``period``
    (with ``freq``), ``frame``, ``n_units``, ``numerator``, ``denominator``, ``estimate``,
    ``low``, ``high`` (:func:`arabmedia.stats.bootstrap_ratios`: articles resampled within
    each group, one resample shared by all frames).
    """
    if measure not in MEASURES:
        raise ValueError(f"measure must be one of {MEASURES}, got {measure!r}")
    names = frames.names if isinstance(frames, FrameDictionary) else list(frames)
    by = [by] if isinstance(by, str) else list(by)
    table = scores
    if freq is not None:
        table = scores[scores["date"].notna()].copy()
        table["period"] = table["date"].dt.to_period(freq).dt.start_time
        by = [*by, "period"]
    values = {}
    for name in names:
        if measure == "dominant":
            column = table["dominant_frame"] == name
        else:
            column = table[f"hits_{name}"] > 0 if measure == "share" else table[f"hits_{name}"]
        values[f"_value_{name}"] = column.astype(float)
    work = table[[*by, "n_tokens"]].assign(**values)
    result = bootstrap_ratios(
        work,
        list(values),
        by,
        name="frame",
        denominator="n_tokens" if measure == "rate" else None,
        scale=per if measure == "rate" else 1.0,
        n_boot=n_boot,
        ci=ci,
        seed=seed,
    )
    result["frame"] = result["frame"].str.removeprefix("_value_")
    return result


def compare_frame_change(
    scores: pd.DataFrame,
    frames: FrameDictionary,
    between: str,
    first: object,
    second: object,
    *,
    per: int = 1000,
    n_boot: int = 1000,
    ci: float = 0.95,
    seed: int = 0,
) -> pd.DataFrame:
    """Change of each frame's hits per ``per`` words from ``first`` to ``second`` of ``between``.

    ``scores`` is :func:`count_frames` output with a ``between`` column (e.g. the period
    of :func:`arabmedia.analysis.split_periods`); the two sides are resampled
    independently (:func:`arabmedia.stats.bootstrap_difference`, by frame).  Columns:
    frame, label, n_first, n_second, estimate_first, estimate_second, difference, low,
    high; frames in dictionary order.
    """
    from arabmedia.stats._bootstrap import bootstrap_difference

    hits = scores.melt(
        id_vars=[between, "n_tokens"],
        value_vars=[f"hits_{name}" for name in frames.names],
        var_name="frame",
        value_name="hits",
    )
    hits["frame"] = hits["frame"].str.removeprefix("hits_")
    change = bootstrap_difference(
        hits,
        "hits",
        between,
        first,
        second,
        by="frame",
        denominator="n_tokens",
        scale=per,
        n_boot=n_boot,
        ci=ci,
        seed=seed,
    )
    order = {name: number for number, name in enumerate(frames.names)}
    change = change.sort_values("frame", key=lambda f: f.map(order), kind="stable")
    change = change.reset_index(drop=True)
    change.insert(1, "label", change["frame"].map({f.name: f.label for f in frames.frames}))
    return change


# --------------------------------------------------------------------------- notebook steps


def frame_indicator_counts(frames: FrameDictionary) -> pd.DataFrame:
    """How many indicators (patterns) and forms each frame lists, to document the dictionaries.

    Columns: dictionary, frame, label, indicators (distinct patterns), forms (all forms);
    frames in dictionary order.
    """
    table = (
        frames.indicator_table()
        .groupby(["dictionary", "frame"], sort=False)
        .agg(indicators=("pattern", "nunique"), forms=("form", "size"))
        .reset_index()
    )
    table.insert(2, "label", table["frame"].map({f.name: f.label for f in frames.frames}))
    return table


def frame_prevalence(
    scores: pd.DataFrame,
    frames: FrameDictionary,
    by: str | Sequence[str] = ("outlet",),
    *,
    names: Sequence[str] | None = None,
    min_units: int = 0,
    **options,
) -> pd.DataFrame:
    """:func:`compare_frames` with each frame's ``label`` and without thin groups.

    ``names`` picks frames of ``frames`` (default all); ``options`` go to
    :func:`compare_frames` (measure, freq, per, n_boot, ci, seed).  Rows whose group has
    fewer than ``min_units`` articles (e.g. months with few articles of an outlet) are left
    out, since their intervals are too wide to read.  Columns: those of
    :func:`compare_frames` with ``label`` right after ``frame``; index 0..n-1.
    """
    table = compare_frames(scores, frames if names is None else list(names), by, **options)
    table = table[table["n_units"] >= min_units].reset_index(drop=True)
    labels = {frame.name: frame.label for frame in frames.frames}
    table.insert(table.columns.get_loc("frame") + 1, "label", table["frame"].map(labels))
    return table


def compare_frame_periods(
    articles: pd.DataFrame,
    tokens: pd.Series,
    frames: FrameDictionary,
    break_date: str,
    **options,
) -> pd.DataFrame:
    """Change of each frame's hits per 1,000 words from before ``break_date`` to after it.

    ``articles`` carries the ``period`` column of :func:`arabmedia.analysis.split_periods`
    (same ``break_date``) and ``tokens`` is aligned with it; the articles are scored with
    :func:`count_frames` and compared with :func:`compare_frame_change` (``options``: per,
    n_boot, ci, seed), whose columns it returns.
    """
    from arabmedia.analysis._periods import period_labels

    scores = count_frames(articles, tokens, frames).assign(period=articles["period"])
    return compare_frame_change(scores, frames, "period", *period_labels(break_date), **options)


def monthly_frame_prevalence(
    scores: pd.DataFrame,
    frames: FrameDictionary,
    names: Sequence[str] | None = None,
    min_units: int = 0,
    *,
    by: str | Sequence[str] = "outlet",
    n_boot: int = 1000,
    seed: int = 0,
) -> pd.DataFrame:
    """Monthly share of articles with each frame (``names``, default all) per ``by`` group.

    :func:`frame_prevalence` with ``freq="M"`` of the articles of ``scores``
    (:func:`count_frames` output) that have words, over every month the data covers; months
    where a group has fewer than ``min_units`` articles are left out.  Columns: those of
    :func:`frame_prevalence` (``period`` the month's first day).
    """
    with_words = scores[scores["n_tokens"] > 0]
    options = {"freq": "M", "min_units": min_units, "n_boot": n_boot, "seed": seed}
    return frame_prevalence(with_words, frames, by, names=names, **options)
