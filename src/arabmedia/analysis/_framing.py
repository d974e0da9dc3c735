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


def compare_frame_measures(
    scores: pd.DataFrame,
    frames: FrameDictionary,
    by: str | Sequence[str] = ("outlet",),
    *,
    measures: Sequence[str] = ("share", "rate"),
    **options,
) -> pd.DataFrame:
    """:func:`frame_prevalence` of each of ``measures``, stacked: the rate beside the share.

    A share of articles grows with article length (a long article has more chances to hit
    an indicator), a rate per 1,000 words does not; reading both shows whether a gap
    between outlets is one of length.  ``"share"``: numerator articles with a hit,
    denominator articles; ``"rate"``: numerator indicator hits, denominator word tokens
    (``n_tokens``), estimate per ``per`` (default 1,000) words; each group's articles are
    resampled with the same streams for every measure.  ``options`` go to
    :func:`frame_prevalence` (names, min_units, freq, per, n_boot, ci, seed).  Columns:
    the ``by`` columns (and ``period`` with ``freq``), measure, then frame, label and the
    compare contract (n_units, numerator, denominator, estimate, low, high); measures in
    the given order; index 0..n-1.
    """
    parts = [
        frame_prevalence(scores, frames, by, measure=measure, **options).assign(measure=measure)
        for measure in measures
    ]
    table = pd.concat(parts, ignore_index=True)
    columns = list(table.columns[:-1])
    columns.insert(columns.index("frame"), "measure")
    return table[columns]


def frame_length_profile(
    scores: pd.DataFrame,
    frames: FrameDictionary,
    by: str | Sequence[str] = (),
    *,
    n_bins: int = 5,
    **options,
) -> pd.DataFrame:
    """:func:`compare_frame_measures` per length bin: how share and rate move with length.

    Articles with words (``n_tokens`` > 0) are cut, within each ``by`` group, into
    ``n_bins`` bins of equal size by ``n_tokens`` (ties in row order; bin 1 the shortest).
    ``options`` go to :func:`compare_frame_measures` (measures, names, n_boot, seed, ...).
    Columns: the ``by`` columns, length_bin (1..n_bins), min_tokens, max_tokens (the
    bin's shortest and longest article), then those of :func:`compare_frame_measures`
    after ``by``; sorted by measure, frame, the ``by`` columns and length_bin.
    """
    if n_bins < 2:
        raise ValueError(f"frame_length_profile: n_bins must be >= 2, got {n_bins}")
    by = [by] if isinstance(by, str) else list(by)
    if "length_bin" in by:
        raise ValueError("frame_length_profile: 'length_bin' is the bin column, not a by column")
    with_words = scores[scores["n_tokens"] > 0]
    groups = with_words.groupby(by, sort=False, dropna=False) if by else [((), with_words)]
    bins = pd.Series(0, index=with_words.index, dtype="int64")
    for _, group in groups:
        order = np.argsort(group["n_tokens"].to_numpy(), kind="stable")
        rank = np.empty(len(group), dtype=np.int64)
        rank[order] = np.arange(len(group))
        bins.loc[group.index] = rank * n_bins // len(group) + 1
    binned = with_words.assign(length_bin=bins)
    keys = [*by, "length_bin"]
    ranges = binned.groupby(keys, dropna=False)["n_tokens"].agg(min_tokens="min", max_tokens="max")
    table = compare_frame_measures(binned, frames, keys, **options)
    table = table.join(ranges, on=keys)
    columns = [*keys, "min_tokens", "max_tokens"]
    table = table[[*columns, *(c for c in table.columns if c not in columns)]]
    order = {name: number for number, name in enumerate(frames.names)}
    measure_order = {m: number for number, m in enumerate(dict.fromkeys(table["measure"]))}
    table = table.assign(_m=table["measure"].map(measure_order), _f=table["frame"].map(order))
    table = table.sort_values(["_m", "_f", *keys], kind="stable")
    return table.drop(columns=["_m", "_f"]).reset_index(drop=True)


def length_sensitivity(profile: pd.DataFrame) -> pd.DataFrame:
    """Per measure and frame (and ``by`` group): how much the estimate moves with length.

    ``profile`` is :func:`frame_length_profile` output.  ``shortest`` and ``longest`` are
    the estimates in the first and last length bin, ``ratio`` = longest / shortest (inf
    when only the shortest bin is 0, NaN when both are), ``separated`` whether the two
    bins' bootstrap intervals do not overlap.  A measure that does not depend on length
    has a ratio near 1 and overlapping intervals; the share of articles with a frame rises
    with length even at a constant rate per word.  (A Spearman correlation over the
    articles is no use for the rate: most short articles have rate 0 and a few a very high
    one, which ranks them low at any constant rate per word.)  Columns: the ``by`` columns,
    measure, frame, label, n_units (articles), shortest, longest, ratio, separated; rows
    in the order of ``profile``; index 0..n-1.
    """
    by = list(profile.columns[: profile.columns.get_loc("length_bin")])
    keys = [*by, "measure", "frame", "label"]
    rows = []
    for key, group in profile.groupby(keys, sort=False, dropna=False):
        first = group.loc[group["length_bin"].idxmin()]
        last = group.loc[group["length_bin"].idxmax()]
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = np.float64(last["estimate"]) / np.float64(first["estimate"])
        apart = bool(first["high"] < last["low"] or last["high"] < first["low"])
        n_units = int(group["n_units"].sum())
        rows.append((*key, n_units, first["estimate"], last["estimate"], ratio, apart))
    columns = [*keys, "n_units", "shortest", "longest", "ratio", "separated"]
    return pd.DataFrame(rows, columns=columns)


def compare_frame_periods(
    articles: pd.DataFrame,
    tokens: pd.Series,
    frames: FrameDictionary,
    break_date: str,
    **options,
) -> pd.DataFrame:
    """Change of each frame's hits per 1,000 words from before ``break_date`` to after it,
    per outlet.

    ``articles`` (with an ``outlet`` column) carries the ``period`` column of
    :func:`arabmedia.analysis.split_periods` (same ``break_date``; e.g. the subset of
    :func:`arabmedia.analysis.period_subset`) and ``tokens`` is aligned with it; the
    articles are scored with :func:`count_frames` and each outlet's are compared with
    :func:`compare_frame_change` on their own (``options``: per, n_boot, ci, seed;
    :func:`arabmedia.analysis.per_group`).  Columns: outlet, then those of
    :func:`compare_frame_change`; outlets sorted.
    """
    from arabmedia.analysis._periods import per_group, period_labels

    scores = count_frames(articles, tokens, frames).assign(period=articles["period"])
    labels = period_labels(break_date)
    return per_group(
        scores, lambda rows: compare_frame_change(rows, frames, "period", *labels, **options)
    )


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
