"""Lexicon precision: how often an indicator's hits are in the sense it stands for.

A seeded sample of each frame indicator's (term variant's) hits was judged in sense or not
(``tools/sample_gold.py lexicon``, protocol in ``data/gold/README.md``); the judgements are
data next to each lexicon (``lexicons/data/<kind>/precision/<name>.tsv``, read by
:func:`arabmedia.lexicons.load_precision_judgements`).  An indicator's precision is the share
of its judged hits in sense (Wilson interval); a frame's is the hit-weighted mean of its
indicators' precisions, since the sample is stratified by indicator while the frame's hits are
not: sum(hits_i * p_i) / sum(hits_i), with a bootstrap interval that resamples the judgements
within each indicator.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from arabmedia.config import Settings
from arabmedia.lexicons._frames import FrameDictionary
from arabmedia.lexicons._terms import TermSets
from arabmedia.stats._bootstrap import _interval, _require

#: The estimate columns every precision and accuracy table shares (the compare contract).
ESTIMATE_COLUMNS = ("estimate", "low", "high", "n_units", "numerator", "denominator")
#: Columns of :func:`indicator_precision`.
INDICATOR_PRECISION_COLUMNS = (
    "lexicon",
    "item",
    "indicator",
    "hits",
    *ESTIMATE_COLUMNS,
    "dev_estimate",
    "test_estimate",
)
#: Columns of :func:`item_precision`.
ITEM_PRECISION_COLUMNS = ("lexicon", "item", "split", "n_indicators", "hits", *ESTIMATE_COLUMNS)
JUDGEMENT_COLUMNS = ("lexicon", "item", "indicator", "hits", "split", "in_sense")


def _share(frame: pd.DataFrame, split: str) -> float:
    part = frame.loc[frame["split"] == split, "in_sense"]
    return float(part.mean()) if len(part) else np.nan


def indicator_precision(judgements: pd.DataFrame, *, ci: float = 0.95) -> pd.DataFrame:
    """Precision of each indicator over all its judged hits, with the Wilson interval.

    ``judgements``: :data:`JUDGEMENT_COLUMNS` (in_sense 0/1; hits the indicator's hit count
    in the audited corpus).  n_units = denominator = hits judged, numerator = in sense;
    dev_estimate and test_estimate are the shares within each half.  Rows sorted by lexicon,
    item, indicator.
    """
    from scipy.stats import binomtest

    _require(judgements, JUDGEMENT_COLUMNS, "indicator_precision")
    rows = []
    for (lexicon, item, indicator), group in judgements.groupby(
        ["lexicon", "item", "indicator"], sort=True
    ):
        k, n = int(group["in_sense"].sum()), len(group)
        interval = binomtest(k, n).proportion_ci(confidence_level=ci, method="wilson")
        rows.append(
            (
                lexicon,
                item,
                indicator,
                int(group["hits"].iloc[0]),
                k / n,
                interval.low,
                interval.high,
                n,
                k,
                n,
                _share(group, "dev"),
                _share(group, "test"),
            )
        )
    return pd.DataFrame(rows, columns=list(INDICATOR_PRECISION_COLUMNS))


def item_precision(
    judgements: pd.DataFrame,
    *,
    splits: Sequence[str] = ("test",),
    n_boot: int = 1000,
    ci: float = 0.95,
    seed: int = 0,
) -> pd.DataFrame:
    """Hit-weighted precision of each frame (term concept) on the judged hits of ``splits``.

    estimate = sum(hits_i * p_i) / sum(hits_i) over the item's indicators with judged hits in
    ``splits``; low/high resample each indicator's judgements (seeded, ``n_boot`` times).
    ``hits`` sums the indicators' hit counts; n_units = denominator = hits judged, numerator =
    in sense.  split names the halves pooled ("test", or "dev+test").  Rows sorted by
    lexicon and item.
    """
    _require(judgements, JUDGEMENT_COLUMNS, "item_precision")
    chosen = judgements[judgements["split"].isin(splits)]
    rng = np.random.default_rng(seed)
    rows = []
    for (lexicon, item), group in chosen.groupby(["lexicon", "item"], sort=True):
        parts = [g for _, g in group.groupby("indicator", sort=True)]
        weights = np.array([g["hits"].iloc[0] for g in parts], dtype=float)
        values = [g["in_sense"].to_numpy(dtype=float) for g in parts]
        point = np.dot(weights, [v.mean() for v in values]) / weights.sum()
        draws = np.column_stack(
            [v[rng.integers(0, len(v), size=(n_boot, len(v)))].mean(axis=1) for v in values]
        )
        low, high = _interval(draws @ weights / weights.sum(), ci)
        judged = int(sum(len(v) for v in values))
        in_sense = int(sum(v.sum() for v in values))
        identity = (lexicon, item, "+".join(splits), len(parts), int(weights.sum()))
        rows.append((*identity, point, low, high, judged, in_sense, judged))
    return pd.DataFrame(rows, columns=list(ITEM_PRECISION_COLUMNS))


def audited_judgements(
    kind: str,
    name: str,
    articles: pd.DataFrame,
    settings: Settings,
    lexicon: FrameDictionary | TermSets | None = None,
) -> pd.DataFrame:
    """The judgements of a bundled lexicon, re-matched with its current version.

    ``articles`` must hold the audited articles (the default study's corpora): each judged
    hit is looked up again in its article field with ``lexicon`` (default: the bundled
    ``kind``/``name``), so an indicator fixed or dropped after the audit keeps only the hits it
    still matches.  Columns: those of :func:`arabmedia.lexicons.load_precision_judgements`,
    ``audited_indicator`` (the indicator judged) and ``audited_hits`` (its hit count then),
    ``indicator`` (the current indicator, empty when no longer matched), ``matched`` (bool)
    and ``hits``: the audited hit count times the share of the indicator's judged hits that
    still match (an estimate of its current hits).
    A judged article missing from ``articles`` is a ValueError naming it.
    """
    from arabmedia.analysis._framing import find_frames
    from arabmedia.analysis._terminology import find_terms
    from arabmedia.lexicons import load_frames, load_precision_judgements, load_term_sets
    from arabmedia.text._cache import article_tokens

    judged = load_precision_judgements(kind, name)
    if lexicon is None:
        lexicon = load_frames(name) if kind == "frames" else load_term_sets(name)
    by_id = articles.drop_duplicates("doc_id").set_index("doc_id", drop=False)
    absent = sorted(set(judged["doc_id"]) - set(by_id.index))
    if absent:
        raise ValueError(
            f"audited_judgements({kind}/{name}): {len(absent)} judged article(s) are not in the "
            f"loaded corpus, e.g. {absent[0]} (load the default study's corpora)"
        )
    current: dict[tuple[str, str, str, int], str] = {}
    for field, rows in judged.groupby("field", sort=True):
        subset = by_id.loc[sorted(set(rows["doc_id"]))].reset_index(drop=True)
        tokens = article_tokens(subset, [field], settings)
        tokens.index = subset["doc_id"]
        if kind == "frames":
            found = find_frames(tokens, lexicon)
            keys = zip(
                found["row"], found["frame"], found["start"], found["indicator"], strict=True
            )
        else:
            found = find_terms(tokens, lexicon)
            keys = zip(
                found["doc"], found["concept"], found["position"], found["variant"], strict=True
            )
        for doc_id, item, start, indicator in keys:
            current[(field, doc_id, item, int(start))] = indicator
    table = judged.rename(columns={"indicator": "audited_indicator"})
    table["indicator"] = [
        current.get((f, d, i, p), "")
        for f, d, i, p in zip(
            table["field"], table["doc_id"], table["item"], table["position"], strict=True
        )
    ]
    table["matched"] = table["indicator"] != ""
    table["audited_hits"] = table["hits"]
    kept_share = table.groupby(["item", "audited_indicator"])["matched"].transform("mean")
    table["hits"] = (table["hits"] * kept_share).round().astype(int)
    weights = table[table["matched"]].groupby(["item", "indicator"])["hits"].max()
    table["hits"] = [
        int(weights.get((i, ind), 0)) if ind else 0
        for i, ind in zip(table["item"], table["indicator"], strict=True)
    ]
    return table


def audit_covers(articles: pd.DataFrame, lexicons: Sequence[tuple[str, str]]) -> bool:
    """Whether ``articles`` hold every article judged in the audits of ``lexicons`` (the
    precision of a bundled lexicon is measured on the corpora it was audited on)."""
    from arabmedia.lexicons import load_precision_judgements

    loaded = set(articles["doc_id"])
    return all(set(load_precision_judgements(k, n)["doc_id"]) <= loaded for k, n in lexicons)


def lexicon_precision(
    articles: pd.DataFrame,
    settings: Settings,
    lexicons: Sequence[tuple[str, str]],
    *,
    n_boot: int = 1000,
    seed: int = 0,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(indicators, items): the precision of the bundled ``lexicons`` ((kind, name) pairs).

    indicators: :func:`indicator_precision` of each current indicator over all its judged
    hits that it still matches.  items: :func:`item_precision` of each frame or concept on the
    frozen test half, twice: ``version`` "as audited" (the first round's indicators as they
    were judged) and "current" (after the audit's fixes, :func:`audited_judgements`).
    """
    indicators, items = [], []
    for kind, name in lexicons:
        judged = audited_judgements(kind, name, articles, settings)
        current = judged[judged["matched"]]
        first_round = judged[judged["round"] == 1]
        as_audited = first_round.assign(
            indicator=first_round["audited_indicator"], hits=first_round["audited_hits"]
        )
        indicators.append(indicator_precision(current))
        for version, table in (("as audited", as_audited), ("current", current)):
            items.append(item_precision(table, n_boot=n_boot, seed=seed).assign(version=version))
    items = pd.concat(items, ignore_index=True)
    items = items[["lexicon", "item", "version", *items.columns[2:-1]]]
    return pd.concat(indicators, ignore_index=True), items
