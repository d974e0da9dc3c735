"""Domain check: which matched forms drive each lexicon result, and warnings when one does.

The bundled lexicons were written for war news.  On other pages a listed word can carry
another sense (الكيان "the club" in sports pages, الطوفان Noah's flood, بطولة a
championship, الله in set phrases) and still be counted, with no sign of it in the shares
or rates.  These functions show, per group (e.g. outlet), how much of each result each
matched form gives, and flag the results one form dominates, with a few keyword-in-context
lines of that form to read.  Three steps, the same for terms, frames and agency:

* :func:`term_hits`, :func:`frame_hits`, :func:`agency_hits`: the rows of
  :func:`find_terms`, :func:`find_frames` or :func:`find_agency` in one shape
  (:data:`HIT_COLUMNS`), each hit with its form as written in the original text;
* :func:`count_forms`: hits per group, analysis, item and form, with each form's share of
  the item's hits and its rank (:data:`FORM_COLUMNS`);
* :func:`domain_warnings`: the items whose top form gives more than ``threshold`` of their
  hits, with up to three short KWIC lines of that form (:data:`WARNING_COLUMNS`).

What an item and its forms are:

* terms: item ``concept/variant``, form the matched tokens, clitics included (الكيان and
  للكيان are two forms);
* frames: item the frame name, form the matched indicator tokens;
* agency: item the sentence's label (one of :data:`arabmedia.analysis.CASUALTY_LABELS`),
  form its deciding trigger: the casualty word that makes a sentence a casualty report at
  all (a player's إصابة in a sports page makes an "agentless" casualty sentence).  Agents
  and causes are not the driver: they only move a sentence between labels once its
  trigger has made it count.

Hits are found on normalized tokens (ة→ه, أ→ا, no diacritics), so two spellings of a word
are one form, keyed by its normalized tokens (``normalized``).  ``form`` shows the most
frequent original spelling of each: the original text is tokenized with normalization off
and each raw token normalized on its own, as :func:`arabmedia.analysis.kwic` does; the raw
spans are used only when they give back the text's normalized tokens token for token
(``aligned``), otherwise the normalized tokens stand in and ``aligned`` is False.  KWIC
lines come from :func:`arabmedia.analysis.kwic` at the same hit positions.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from arabmedia.analysis._kwic import _original_spans, _squeeze, kwic
from arabmedia.corpus._articles import article_text
from arabmedia.stats._bootstrap import _group_rng
from arabmedia.text._normalize import DEFAULT_SETTINGS, NormalizeSettings

#: Columns of :func:`term_hits`, :func:`frame_hits`, :func:`agency_hits` (after ``by``).
HIT_COLUMNS = (
    "doc",
    "doc_id",
    "analysis",
    "item",
    "position",
    "length",
    "normalized",
    "form",
    "aligned",
)
#: Columns of :func:`count_forms` (after ``by``).
FORM_COLUMNS = ("analysis", "item", "form", "normalized", "hits", "item_hits", "share", "rank")
#: Columns of :func:`domain_warnings` (after ``by``).
WARNING_COLUMNS = (*FORM_COLUMNS[:-1], "share_elsewhere", "n_forms", "kwic")
#: A result is flagged when one form gives more than this share of its hits.
DOMAIN_THRESHOLD = 0.30
#: Fewest hits an item needs in a group to be flagged (see :func:`domain_warnings`).
MIN_HITS = 20
#: Most KWIC lines per warning and most tokens on each side of a line (quotable lines).
KWIC_LINES = 3
KWIC_WINDOW = 5


def _require(table: pd.DataFrame, columns: Sequence[str], caller: str) -> None:
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise ValueError(f"{caller}: missing column(s) {missing}; have {list(table.columns)}")


def _surface(
    hits: pd.DataFrame,
    texts: pd.Series,
    tokens: pd.Series,
    settings: NormalizeSettings,
    caller: str,
) -> tuple[list[str], list[bool]]:
    """(form, aligned) of each hit: the original text of its tokens (see module doc)."""
    docs = pd.Index(hits["doc"].unique())
    missing = docs.difference(texts.index).union(docs.difference(tokens.index))
    if len(missing):
        raise ValueError(f"{caller}: no text or tokens for doc(s) {list(missing[:5])}")
    forms = hits["normalized"].tolist()
    aligned = [False] * len(hits)
    starts, lengths = hits["position"].to_numpy(), hits["length"].to_numpy()
    for doc, rows in hits.groupby("doc", sort=False).indices.items():
        text, doc_tokens = texts.loc[doc], list(tokens.loc[doc])
        spans, pieces = _original_spans(text, settings)
        same = pieces == doc_tokens
        for row in rows:
            start, end = int(starts[row]), int(starts[row] + lengths[row])
            if end > len(doc_tokens) or " ".join(doc_tokens[start:end]) != forms[row]:
                raise ValueError(
                    f"{caller}: doc {doc!r}, position {start}: the tokens there are not the "
                    f"hit {forms[row]!r}; pass the tokens the hits were found in"
                )
            if same:
                forms[row] = _squeeze(text[spans[start][0] : spans[end - 1][1]])
                aligned[row] = True
    return forms, aligned


def _hit_table(
    analysis: str,
    found: pd.DataFrame,
    units: pd.DataFrame,
    texts: pd.Series,
    tokens: pd.Series,
    by: Sequence[str],
    settings: NormalizeSettings,
    caller: str,
) -> pd.DataFrame:
    """``found`` (doc, item, position, length, normalized) with doc_id, ``by`` and surfaces."""
    by = list(by)
    _require(units, ["doc_id", *by], caller)
    if not units.index.is_unique:
        raise ValueError(f"{caller}: the article (or sentence) table's index is not unique")
    unknown = pd.Index(found["doc"].unique()).difference(units.index)
    if len(unknown):
        raise ValueError(f"{caller}: doc(s) {list(unknown[:5])} not in the article table")
    table = found.reset_index(drop=True).assign(analysis=analysis)
    table["position"] = table["position"].astype("int64")
    table["length"] = table["length"].astype("int64")
    table["form"], table["aligned"] = _surface(table, texts, tokens, settings, caller)
    ids = units.loc[table["doc"], ["doc_id", *by]].reset_index(drop=True)
    return pd.concat([ids[by], ids[["doc_id"]], table], axis=1)[[*by, *HIT_COLUMNS]]


def term_hits(
    matches: pd.DataFrame,
    articles: pd.DataFrame,
    texts: pd.Series,
    tokens: pd.Series,
    *,
    by: Sequence[str] = ("outlet",),
    level: str = "concept",
    settings: NormalizeSettings = DEFAULT_SETTINGS,
) -> pd.DataFrame:
    """The mentions of :func:`find_terms` as hits: item the concept (``level="concept"``,
    what the domain check judges: one form driving "the dead") or ``concept/variant``.

    ``tokens`` are the normalized tokens the mentions were found in, ``texts`` the original
    texts they were made from (:func:`arabmedia.corpus.article_text` of the same fields,
    same index, tokenized with ``settings``), ``articles`` the table they index (columns
    doc_id and ``by``).  Columns: *by, then :data:`HIT_COLUMNS`: doc (index label), doc_id,
    analysis (``"terms"``), item, position (first token), length (tokens), normalized (the
    matched normalized tokens), form (the same tokens as written), aligned (the original
    text was mapped onto the tokens; else ``form`` is ``normalized``); rows in the order of
    ``matches``, index 0..n-1.
    """
    _require(matches, ["doc", "concept", "variant", "position", "length", "form"], "term_hits")
    if level not in {"concept", "variant"}:
        raise ValueError(f'term_hits: level must be "concept" or "variant", got {level!r}')
    item = matches["concept"].astype(str)
    if level == "variant":
        item = item + "/" + matches["variant"].astype(str)
    found = pd.DataFrame(
        {
            "doc": matches["doc"],
            "item": item,
            "position": matches["position"],
            "length": matches["length"],
            "normalized": matches["form"],
        }
    )
    return _hit_table("terms", found, articles, texts, tokens, by, settings, "term_hits")


def frame_hits(
    found: pd.DataFrame,
    articles: pd.DataFrame,
    texts: pd.Series,
    tokens: pd.Series,
    *,
    by: Sequence[str] = ("outlet",),
    settings: NormalizeSettings = DEFAULT_SETTINGS,
) -> pd.DataFrame:
    """The indicator matches of :func:`find_frames` as hits: item the frame.

    ``tokens`` (e.g. :func:`arabmedia.text.article_tokens` of ``articles``) are the tokens
    the matches were found in, ``texts`` the original texts they were made from (same
    index; ``settings`` the dictionary's, ``frames.settings``); ``articles`` has doc_id and
    ``by``.  Columns: *by, then :data:`HIT_COLUMNS` (analysis ``"frames"``, doc the
    ``row`` of ``found``, position its ``start``, normalized its ``matched``); rows in the
    order of ``found``, index 0..n-1.
    """
    _require(found, ["row", "frame", "start", "end", "matched"], "frame_hits")
    hits = pd.DataFrame(
        {
            "doc": found["row"],
            "item": found["frame"],
            "position": found["start"],
            "length": found["end"] - found["start"],
            "normalized": found["matched"],
        }
    )
    return _hit_table("frames", hits, articles, texts, tokens, by, settings, "frame_hits")


def agency_hits(
    classified: pd.DataFrame,
    tokens: pd.Series,
    *,
    by: Sequence[str] = ("outlet",),
    settings: NormalizeSettings = DEFAULT_SETTINGS,
) -> pd.DataFrame:
    """The casualty sentences of :func:`find_agency` as hits: item the label, form the trigger.

    ``classified`` is :func:`find_agency` (or :func:`find_casualty_sentences`) output, with
    its ``text`` the original sentences; ``tokens`` their normalized tokens, same index
    (the ``tokens`` column of :func:`article_sentences`, or
    ``arabmedia.text.tokenize_many(classified["text"])``).  Only sentences with a casualty
    label are hits; the trigger (see the module doc) is the form.  Columns: *by, then
    :data:`HIT_COLUMNS` (analysis ``"agency"``, doc the sentence's index label, length 1);
    rows in the order of ``classified``, index 0..n-1.
    """
    from arabmedia.analysis._agency import CASUALTY_LABELS

    _require(classified, ["doc_id", "text", "label", "trigger", "trigger_index"], "agency_hits")
    casualty = classified[classified["label"].isin(CASUALTY_LABELS)]
    hits = pd.DataFrame(
        {
            "doc": casualty.index,
            "item": casualty["label"].to_numpy(),
            "position": casualty["trigger_index"].to_numpy(),
            "length": 1,
            "normalized": casualty["trigger"].to_numpy(),
        }
    )
    texts = classified["text"]
    return _hit_table("agency", hits, classified, texts, tokens, by, settings, "agency_hits")


def count_forms(hits: pd.DataFrame, by: Sequence[str] = ("outlet",)) -> pd.DataFrame:
    """Which forms drive each result: hits per ``by`` group, analysis, item and form.

    ``hits`` are rows of :func:`term_hits`, :func:`frame_hits` or :func:`agency_hits`
    (several may be stacked).  A form is a normalized token sequence.  Columns: *by,
    then :data:`FORM_COLUMNS`: analysis, item, form (its most frequent original spelling;
    on a tie the first in code-point order), normalized, hits (of the form), item_hits
    (of the item in the group), share (hits / item_hits), rank (1 = most hits in the
    item; ties by normalized form).  Sorted by *by, analysis, item, rank; index 0..n-1.
    """
    by = list(by)
    keys = [*by, "analysis", "item"]
    _require(hits, [*keys, "normalized", "form"], "count_forms")
    options = {"sort": True, "dropna": False, "observed": True}
    form_keys = [*keys, "normalized"]
    spellings = hits.groupby([*form_keys, "form"], **options).size().rename("n").reset_index()
    spellings = spellings.sort_values(
        [*form_keys, "n", "form"],
        ascending=[*([True] * len(form_keys)), False, True],
        kind="stable",
    ).drop_duplicates(form_keys)
    table = hits.groupby(form_keys, **options).size().rename("hits").reset_index()
    table = table.merge(spellings[[*form_keys, "form"]], on=form_keys, validate="one_to_one")
    table["hits"] = table["hits"].astype("int64")
    table["item_hits"] = table.groupby(keys, **options)["hits"].transform("sum").astype("int64")
    table["share"] = table["hits"] / table["item_hits"]
    table = table.sort_values(
        [*keys, "hits", "normalized"], ascending=[*([True] * len(keys)), False, True], kind="stable"
    )
    table["rank"] = (table.groupby(keys, **options).cumcount() + 1).astype("int64")
    return table[[*by, *FORM_COLUMNS]].reset_index(drop=True)


def domain_warnings(
    forms: pd.DataFrame,
    hits: pd.DataFrame,
    texts: pd.Series,
    tokens: pd.Series,
    *,
    threshold: float = DOMAIN_THRESHOLD,
    min_hits: int = MIN_HITS,
    n_lines: int = KWIC_LINES,
    window: int = KWIC_WINDOW,
    seed: int = 0,
    settings: NormalizeSettings = DEFAULT_SETTINGS,
) -> pd.DataFrame:
    """Results one form dominates: the rank-1 row of each item with share > ``threshold``.

    ``forms`` is :func:`count_forms` of ``hits``; its ``by`` columns are those before
    ``analysis``.  ``hits``, ``texts`` and ``tokens`` are what the hit function got (one
    text source: the same doc labels); a flagged item without hits here is an error.  An
    item needs ``min_hits`` hits in its group (default 20): with fewer, some form always
    has a large share (with 3 or fewer hits one form has at least a third), and the
    standard error of a 0.30 share, sqrt(0.21 / n), only falls to 0.10 at about 20 hits,
    so below that flags are noise that would flood the report (20 is also notebook 02's
    ``min_mentions`` for scare-quote rows).  A share of exactly ``threshold`` is not
    flagged.  Each warning gets ``n_lines`` (at most 3) KWIC lines of the dominant form,
    ``window`` (at most 5) tokens each side, from :func:`arabmedia.analysis.kwic` at
    hits drawn with a generator seeded by ``seed`` and the row's key (so other groups do
    not change a row's lines), in hit order.  Columns: *by, then :data:`WARNING_COLUMNS`:
    those of :func:`count_forms` but rank, share_elsewhere (the form's share of the item's
    hits in all other groups together, NaN without any: a form that drives a result in one
    outlet only, بطولة in a sports page, stands out against it), n_forms (forms of the item
    in the group), kwic (the lines, "doc_id: left [match] right", joined by newlines).
    Rows in the order of ``forms``, index 0..n-1; no warning gives an empty table with
    these columns.
    """
    if not 0 < threshold < 1:
        raise ValueError(f"domain_warnings: threshold must be between 0 and 1, got {threshold}")
    if min_hits < 1:
        raise ValueError(f"domain_warnings: min_hits must be >= 1, got {min_hits}")
    if not 1 <= n_lines <= KWIC_LINES or not 0 <= window <= KWIC_WINDOW:
        raise ValueError(
            f"domain_warnings: at most {KWIC_LINES} lines of at most {KWIC_WINDOW} tokens "
            f"each side, got n_lines={n_lines}, window={window}"
        )
    _require(forms, FORM_COLUMNS, "domain_warnings")
    by = list(forms.columns[: forms.columns.get_loc("analysis")])
    keys = [*by, "analysis", "item"]
    _require(hits, [*keys, "doc", "doc_id", "position", "length", "normalized"], "domain_warnings")
    per_item = forms.groupby(keys, sort=False, dropna=False, observed=True)["rank"]
    n_forms = per_item.transform("size").astype("int64")
    form_total = forms.groupby(["analysis", "item", "normalized"], dropna=False)["hits"]
    item_total = forms.groupby(["analysis", "item"], dropna=False)["hits"]
    other_hits = form_total.transform("sum") - forms["hits"]
    other_items = (item_total.transform("sum") - forms["item_hits"]).astype(float)
    elsewhere = other_hits / other_items.where(other_items > 0)
    chosen = (forms["rank"] == 1) & (forms["share"] > threshold) & (forms["item_hits"] >= min_hits)
    flagged = forms[chosen].assign(share_elsewhere=elsewhere[chosen], n_forms=n_forms[chosen])
    line_keys = [*keys, "normalized"]
    groups = hits.groupby(line_keys, sort=False, dropna=False, observed=True).indices
    lines = []
    for row in flagged[line_keys].itertuples(index=False, name=None):
        positions = groups.get(row)
        if positions is None:
            raise ValueError(f"domain_warnings: no hits for flagged form {row}; pass its hits")
        rng = _group_rng(seed, row)
        picked = np.sort(rng.choice(positions, size=min(n_lines, len(positions)), replace=False))
        lines.append(_kwic_lines(hits.iloc[picked], texts, tokens, window, settings))
    table = flagged.drop(columns="rank").assign(
        kwic=pd.Series(lines, index=flagged.index, dtype=str)
    )
    return table[[*by, *WARNING_COLUMNS]].reset_index(drop=True)


def _kwic_lines(
    picked: pd.DataFrame,
    texts: pd.Series,
    tokens: pd.Series,
    window: int,
    settings: NormalizeSettings,
) -> str:
    """ "doc_id: left [match] right" of each picked hit (:func:`kwic`), joined by newlines."""
    matches = pd.DataFrame(
        {
            "doc": picked["doc"].to_numpy(),
            "concept": picked["item"].to_numpy(),
            "variant": picked["analysis"].to_numpy(),
            "position": picked["position"].to_numpy(),
            "length": picked["length"].to_numpy(),
            "form": picked["normalized"].to_numpy(),
        }
    )
    found = kwic(texts, tokens, matches, window=window, settings=settings)
    columns = ["doc", "position", "left", "match", "right"]
    line_of = {
        (doc, position): " ".join(part for part in (left, f"[{middle}]", right) if part)
        for doc, position, left, middle, right in found[columns].itertuples(index=False, name=None)
    }
    return "\n".join(
        f"{doc_id}: {line_of[doc, position]}"
        for doc, doc_id, position in zip(
            picked["doc"], picked["doc_id"], picked["position"], strict=True
        )
    )


def check_domain(
    hits: pd.DataFrame,
    texts: pd.Series,
    tokens: pd.Series,
    *,
    by: Sequence[str] = ("outlet",),
    settings: NormalizeSettings = DEFAULT_SETTINGS,
    **options,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(forms, warnings) of one text source: :func:`count_forms` of ``hits`` and their
    :func:`domain_warnings` (``options`` go there), warnings with the largest gap between
    the form's share here and elsewhere first, so outlet-specific drivers lead."""
    forms = count_forms(hits, by)
    warnings = domain_warnings(forms, hits, texts, tokens, settings=settings, **options)
    gap = (warnings["share"] - warnings["share_elsewhere"].fillna(0)).rename("gap")
    order = pd.concat([gap, warnings], axis=1).sort_values(
        ["gap", *by, "item"], ascending=[False, *[True] * (len(by) + 1)], kind="stable"
    )
    return forms, warnings.loc[order.index].reset_index(drop=True)


def check_terms_by_field(
    matches: Mapping[str, pd.DataFrame],
    subsets: Mapping[str, pd.DataFrame],
    tokens: Mapping[str, pd.Series],
    *,
    by: Sequence[str] = ("outlet",),
    **options,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """:func:`check_domain` of term matches field by field (the dictionaries of
    :func:`find_and_count_terms_by_field` and :func:`field_subsets`), stacked with a
    ``field`` column first."""
    forms, warnings = [], []
    for field, found in matches.items():
        texts = article_text(subsets[field], [field])
        hits = term_hits(found, subsets[field], texts, tokens[field], by=by)
        field_forms, field_warnings = check_domain(hits, texts, tokens[field], by=by, **options)
        forms.append(field_forms.assign(field=field))
        warnings.append(field_warnings.assign(field=field))
    return _field_first(forms), _field_first(warnings)


def _field_first(tables: list[pd.DataFrame]) -> pd.DataFrame:
    table = pd.concat(tables, ignore_index=True)
    return table[["field", *table.columns.drop("field")]]
