"""Naming choices: which of several competing names an outlet uses for one thing.

A *term set* (YAML under ``lexicons/data/terms/``, format in its README, loaded by
:func:`arabmedia.lexicons.load_term_sets`) lists *concepts* (the dead, Israel and its army,
captives, ...) and for each the competing *variants* (شهداء / قتلى / ضحايا), each with
surface patterns.  Patterns are matched on the project's normalized tokens
(:func:`arabmedia.text.tokenize`, punctuation kept):

* a pattern is one or more whole tokens, normalized on load; it matches the surface forms
  :func:`arabmedia.text.surface_forms` gives it, the clitic rule every lexicon shares: by
  default و ف ب ك ل, their pairs and (for one-word patterns) the article on the first token,
  ل + ال written لل (شهداء → الشهداء, للشهداء); ``enclitics`` (default off) adds the
  pronouns ه ها هم هما هن نا on the last token when it has no article, teh marbuta becoming
  ت (مقاومه + ها → مقاومتها); ``clitics: exact`` matches the pattern as written;
* within one concept, matching runs left to right and the longest pattern starting at a
  position wins; its tokens are consumed, so each token position is counted at most once
  per concept ("قوات الاحتلال" is one mention, not also a mention of "الاحتلال").
  Concepts are matched independently of each other;
* a concept's ``exclude`` patterns take part in that competition but count as nothing:
  they consume names that are part of something else ("كتائب شهداء الأقصى", a brigade,
  is not a mention of the dead).

A surface form claimed by two variants of one concept is an error: a mention must belong
to one name.  Orthographic stance markers are flagged per mention: ``quoted`` (the name
sits directly between two quotation-mark tokens, "إسرائيل" or «إسرائيل»; the normalizer
folds all double quotes to ``"`` and curly single quotes to ``'``) and ``so_called`` (the
name follows ما يسمى / بما يسمى, quotes and a detached ب allowed in between).

Rates and shares use article-level bootstrap intervals (:mod:`arabmedia.stats`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from arabmedia.analysis._periods import (
    month_start,
    overlap_window,
    period_coverage,
    split_periods,
)
from arabmedia.lexicons._terms import TermSets, term_sets_from_terms
from arabmedia.stats._bootstrap import bootstrap_ratio
from arabmedia.text._cache import article_tokens
from arabmedia.text._clitics import PhraseIndex
from arabmedia.text._vocabulary import is_word

#: Quotation-mark tokens after normalization (all double quotes fold to ").
QUOTE_TOKENS = frozenset({'"', "'"})
#: "so-called": ما يسمى and its variants, normalized, as the words before the name.
SO_CALLED = (("ما", "يسمي"), ("بما", "يسمي"), ("لما", "يسمي"), ("ما", "تسمي"), ("بما", "تسمي"))

MATCH_COLUMNS = ["doc", "concept", "variant", "position", "length", "form", "quoted", "so_called"]


def _pattern_index(term_sets: TermSets) -> PhraseIndex:
    """Every surface form with (concept, variant id or None if excluded)."""
    return PhraseIndex(
        [
            *(
                (form, (concept.id, variant.id))
                for concept in term_sets.concepts
                for variant in concept.variants
                for form in variant.forms
            ),
            *(
                (form, (concept.id, None))
                for concept in term_sets.concepts
                for form in concept.exclude
            ),
        ]
    )


def _is_so_called(tokens: Sequence[str], position: int) -> bool:
    """Whether the words before ``position`` (quotes and a lone ب skipped) say ما يسمى."""
    before = position
    while before > 0 and (tokens[before - 1] in QUOTE_TOKENS or tokens[before - 1] == "ب"):
        before -= 1
    return any(tuple(tokens[max(0, before - len(s)) : before]) == s for s in SO_CALLED)


def match_document(tokens: Sequence[str], term_sets: TermSets, index=None) -> list[tuple]:
    """Matches in one token list: (concept, variant, position, length, form, quoted, so_called)."""
    index = _pattern_index(term_sets) if index is None else index
    free_from: dict[str, int] = {}
    found = []
    n = len(tokens)
    candidates = [p for p, token in enumerate(tokens) if token in index.first_tokens]
    for position in candidates:
        for form, (concept, variant) in index.at(tokens, position):
            if position < free_from.get(concept, 0):
                continue
            end = position + len(form)
            free_from[concept] = end
            if variant is None:  # an excluded form: consumed, not counted
                continue
            quoted = (
                position > 0
                and end < n
                and tokens[position - 1] in QUOTE_TOKENS
                and tokens[end] == tokens[position - 1]
            )
            so_called = _is_so_called(tokens, position)
            found.append((concept, variant, position, len(form), " ".join(form), quoted, so_called))
    return found


def find_terms(tokens: pd.Series, term_sets: TermSets) -> pd.DataFrame:
    """Every mention of every variant in every document.

    ``tokens`` holds one normalized token list per document (punctuation kept), e.g.
    :func:`arabmedia.text.article_tokens`; its index identifies the documents.
    Columns: doc (the index label of ``tokens``), concept, variant (ids), position (index
    of the first token), length (tokens), form (the normalized tokens matched, joined by
    spaces), quoted (bool: directly between two identical quote tokens), so_called (bool:
    after ما يسمى).  Rows in document order, then by position, then concept.
    """
    index = _pattern_index(term_sets)
    firsts = index.first_tokens
    rows = []
    for doc, doc_tokens in tokens.items():
        if doc_tokens is None or firsts.isdisjoint(doc_tokens):
            continue
        rows.extend((doc, *match) for match in match_document(list(doc_tokens), term_sets, index))
    table = pd.DataFrame(rows, columns=MATCH_COLUMNS)
    order = {doc: number for number, doc in enumerate(tokens.index)}
    concept_order = {c.id: number for number, c in enumerate(term_sets.concepts)}
    table = table.assign(
        _doc=table["doc"].map(order), _concept=table["concept"].map(concept_order)
    ).sort_values(["_doc", "position", "_concept"], kind="stable")
    return table.drop(columns=["_doc", "_concept"]).reset_index(drop=True)


def word_counts(tokens: pd.Series) -> pd.Series:
    """Word tokens (letters or digits, not punctuation) per document, aligned with ``tokens``."""
    counts = [0 if doc is None else sum(1 for t in doc if is_word(t)) for doc in tokens]
    return pd.Series(counts, index=tokens.index, dtype=int)


def count_terms(tokens: pd.Series, matches: pd.DataFrame, term_sets: TermSets) -> pd.DataFrame:
    """Mentions per document and variant, zeros included: the table the statistics resample.

    Columns: doc (index label of ``tokens``), concept, variant, count (mentions of the
    variant), concept_count (mentions of any variant of the concept in the document),
    words (word tokens in the document).  One row per document and variant, documents in
    the order of ``tokens``, variants in file order.
    """
    pairs = [(c.id, v.id) for c in term_sets.concepts for v in c.variants]
    words = word_counts(tokens)
    n_docs, n_pairs = len(tokens), len(pairs)
    grid = pd.DataFrame(
        {
            "doc": np.repeat(tokens.index.to_numpy(), n_pairs),
            "concept": np.tile([c for c, _ in pairs], n_docs),
            "variant": np.tile([v for _, v in pairs], n_docs),
            "words": np.repeat(words.to_numpy(), n_pairs),
        }
    )
    per_variant = matches.groupby(["doc", "concept", "variant"]).size().rename("count")
    grid = grid.join(per_variant, on=["doc", "concept", "variant"])
    grid["count"] = grid["count"].fillna(0).astype(int)
    grid["concept_count"] = grid.groupby(["doc", "concept"], sort=False)["count"].transform("sum")
    return grid[["doc", "concept", "variant", "count", "concept_count", "words"]]


def compare_term_rates(
    counts: pd.DataFrame,
    by: Sequence[str] = (),
    *,
    n_boot: int = 1000,
    ci: float = 0.95,
    seed: int = 0,
) -> pd.DataFrame:
    """Mentions per 10,000 word tokens per group and variant, with article-bootstrap CIs.

    ``counts`` is :func:`count_terms` output with the ``by`` columns added (e.g. outlet,
    month).  Columns (the compare contract): *by, concept, variant, n_units (articles),
    numerator (mentions), denominator (word tokens), estimate (per 10,000), low, high.
    """
    keys = [*by, "concept", "variant"]
    return bootstrap_ratio(
        counts, "count", keys, denominator="words", scale=10_000, n_boot=n_boot, ci=ci, seed=seed
    )


def compare_term_shares(
    counts: pd.DataFrame,
    by: Sequence[str] = (),
    *,
    n_boot: int = 1000,
    ci: float = 0.95,
    seed: int = 0,
    term_sets: TermSets | None = None,
) -> pd.DataFrame:
    """Share of each variant among a concept's mentions, per group, with bootstrap CIs.

    Of all mentions of the dead in a group's articles, the share written شهداء.  Only
    articles that mention the concept are resampled.  ``counts`` is :func:`count_terms`
    output with the ``by`` columns added.  Columns (the compare contract): *by, concept,
    variant, n_units (articles mentioning the concept), numerator (mentions of the
    variant), denominator (mentions of the concept), estimate (share), low, high; with
    ``term_sets``, then label, rows in the term file's order (:func:`in_term_order`).
    """
    keys = [*by, "concept", "variant"]
    mentioning = counts[counts["concept_count"] > 0]
    table = bootstrap_ratio(
        mentioning, "count", keys, denominator="concept_count", n_boot=n_boot, ci=ci, seed=seed
    )
    return table if term_sets is None else in_term_order(table, term_sets)


def compare_scare_quotes(
    matches: pd.DataFrame,
    by: Sequence[str] = ("concept", "variant"),
    *,
    n_boot: int = 1000,
    ci: float = 0.95,
    seed: int = 0,
) -> pd.DataFrame:
    """Share of mentions written in quotation marks (and after ما يسمى), per group.

    ``matches`` is :func:`find_terms` output with any extra ``by`` columns added (e.g.
    outlet; ``form`` to look at one spelling).  The interval resamples documents.
    Columns (the compare contract, then one more): *by, n_units (documents), numerator
    (quoted mentions), denominator (mentions), estimate (quoted share), low, high,
    so_called (mentions after ما يسمى).
    """
    by = list(by)
    per_doc = (
        matches.assign(quoted=matches["quoted"].astype(int), so_called=matches["so_called"])
        .groupby([*by, "doc"], sort=True)
        .agg(mentions=("quoted", "size"), quoted=("quoted", "sum"), so_called=("so_called", "sum"))
        .reset_index()
    )
    table = bootstrap_ratio(
        per_doc, "quoted", by, denominator="mentions", n_boot=n_boot, ci=ci, seed=seed
    )
    so_called = per_doc.groupby(by, sort=True)["so_called"].sum().astype(int)
    table = table.join(so_called, on=by)
    table[["numerator", "denominator"]] = table[["numerator", "denominator"]].astype(int)
    return table


# --------------------------------------------------------------------------- reading order


def find_and_count_terms(
    articles: pd.DataFrame, tokens: pd.Series, term_sets: TermSets, by: Sequence[str] = ()
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(:func:`find_terms`, :func:`count_terms`) of one text field, with ``by`` attached.

    ``tokens`` is aligned with ``articles.index``; the ``by`` columns of ``articles`` (e.g.
    outlet, month) are joined to both tables on ``doc``, ready for the compare functions.
    """
    by = list(by)
    found = find_terms(tokens, term_sets).join(articles[by], on="doc")
    counts = count_terms(tokens, found, term_sets).join(articles[by], on="doc")
    return found, counts


def in_term_order(table: pd.DataFrame, term_sets: TermSets, *first: str) -> pd.DataFrame:
    """``table`` with each variant's ``label`` and rows in the term file's order.

    Rows are sorted by the ``first`` columns (e.g. field, outlet), then by the order of
    concepts and variants in the file; index 0..n-1.  ``table`` has concept and variant.
    """
    labels = term_sets.labels()
    rank = {key: number for number, key in enumerate(labels)}
    keys = list(zip(table["concept"], table["variant"], strict=True))
    ordered = table.assign(label=[labels[key] for key in keys], _rank=[rank[k] for k in keys])
    ordered = ordered.sort_values([*first, "_rank"], kind="stable")
    return ordered.drop(columns="_rank").reset_index(drop=True)


# --------------------------------------------------------------------------- several fields


def find_and_count_terms_by_field(
    articles: pd.DataFrame,
    tokens: Mapping[str, pd.Series],
    term_sets: TermSets,
    by: Sequence[str] = (),
) -> tuple[dict[str, pd.DataFrame], dict[str, pd.DataFrame]]:
    """:func:`find_and_count_terms` of each text field: (matches by field, counts by field).

    ``tokens`` maps a field (e.g. title, lead) to its tokens, indexed by the rows of
    ``articles`` that have text in that field, so ``doc`` is an ``articles`` index label in
    every table.  Fields are compared like with like, never pooled: both dicts keep the
    fields of ``tokens`` in order, with the columns of :func:`find_and_count_terms`.
    """
    tables = {
        field: find_and_count_terms(articles.loc[field_tokens.index], field_tokens, term_sets, by)
        for field, field_tokens in tokens.items()
    }
    matches = {field: found for field, (found, _) in tables.items()}
    counts = {field: counted for field, (_, counted) in tables.items()}
    return matches, counts


def compare_term_shares_by_field(
    counts: Mapping[str, pd.DataFrame],
    term_sets: TermSets,
    by: Sequence[str] = (),
    *,
    n_boot: int = 1000,
    ci: float = 0.95,
    seed: int = 0,
) -> dict[str, pd.DataFrame]:
    """:func:`compare_term_shares` of each field's counts, with labels, in the term file's order.

    ``counts`` maps a field to :func:`count_terms` output with the ``by`` columns (e.g.
    from :func:`find_and_count_terms_by_field`); each field is bootstrapped on its own with
    the same ``seed``.  Columns: those of :func:`compare_term_shares`, then label.
    """
    return {
        field: in_term_order(
            compare_term_shares(table, by, n_boot=n_boot, ci=ci, seed=seed), term_sets
        )
        for field, table in counts.items()
    }


def compare_scare_quotes_by_field(
    matches: Mapping[str, pd.DataFrame],
    by: Sequence[str] = ("concept", "variant"),
    *,
    n_boot: int = 1000,
    ci: float = 0.95,
    seed: int = 0,
) -> pd.DataFrame:
    """:func:`compare_scare_quotes` of each field's matches, stacked in the fields' order.

    ``matches`` maps a field to :func:`find_terms` output with the ``by`` columns; each
    field is bootstrapped on its own with the same ``seed``.  Columns: those of
    :func:`compare_scare_quotes`, then field; index 0..n-1.
    """
    return pd.concat(
        [
            compare_scare_quotes(found, by, n_boot=n_boot, ci=ci, seed=seed).assign(field=field)
            for field, found in matches.items()
        ],
        ignore_index=True,
    )


def compare_listed_scare_quotes(
    articles: pd.DataFrame,
    tokens: Mapping[str, pd.Series],
    terms: Mapping[str, Sequence[str]],
    by: Sequence[str] = ("outlet",),
    *,
    n_boot: int = 1000,
    ci: float = 0.95,
    seed: int = 0,
) -> pd.DataFrame:
    """Quoted share of the mentions of names a researcher lists, per field and ``by`` group.

    ``terms`` is ``{label: [patterns]}`` (an ad-hoc term set, :func:`term_sets_from_terms`);
    ``tokens`` maps a field to its tokens, indexed by rows of ``articles`` (which has the
    ``by`` columns).  Columns: *by, variant, the rest of :func:`compare_scare_quotes`,
    field, term (the label of the variant).
    """
    listed = term_sets_from_terms(terms)
    by = list(by)
    found = {
        field: find_terms(field_tokens, listed).join(articles[by], on="doc")
        for field, field_tokens in tokens.items()
    }
    table = compare_scare_quotes_by_field(found, [*by, "variant"], n_boot=n_boot, ci=ci, seed=seed)
    labels = {variant: label for (_, variant), label in listed.labels().items()}
    return table.assign(term=table["variant"].map(labels))


def frequent_quoted_names(
    quoted: pd.DataFrame, min_mentions: int, names: Sequence[str] = ("field", "concept", "variant")
) -> pd.DataFrame:
    """Rows of the names worth showing in a scare-quote table (:func:`compare_scare_quotes`).

    A name (one value of the ``names`` columns) is kept when each of its rows (e.g. each
    outlet) has at least ``min_mentions`` mentions (``denominator``) and at least one of
    its mentions is quoted (``numerator``).  Same columns and index as ``quoted``.
    """
    per_name = quoted.groupby(list(names))
    enough = per_name["denominator"].transform("min") >= min_mentions
    return quoted[enough & (per_name["numerator"].transform("sum") > 0)]


def pool_variants(
    counts: pd.DataFrame,
    variants: Sequence[str],
    *,
    concept: str,
    variant: str,
    by: Sequence[str] = (),
) -> pd.DataFrame:
    """Per-article counts of several variants summed into one new variant (e.g. two charges).

    ``counts`` is :func:`count_terms` output with the ``by`` columns; rows of the
    ``variants`` are summed per article (word counts kept), so the pooled variant has its
    own rate in :func:`compare_term_rates`.  Columns: doc, *by, count, words, concept
    (``concept``), variant (``variant``); sorted by doc and ``by``.
    """
    chosen = counts[counts["variant"].isin(list(variants))]
    pooled = chosen.groupby(["doc", *by], as_index=False).agg(
        count=("count", "sum"), words=("words", "first")
    )
    return pooled.assign(concept=concept, variant=variant)


# --------------------------------------------------------------------------- notebook sections


def field_subsets(
    articles: pd.DataFrame, fields: Sequence[str], settings, *, group: str = "outlet"
) -> tuple[pd.DataFrame, dict[str, pd.DataFrame], dict[str, pd.Series]]:
    """Like with like: the articles of the overlap window, split by text field, and tokens.

    Returns (in_window, subsets, tokens): ``in_window`` holds the articles dated inside
    :func:`overlap_window` of ``group`` with a ``month`` column (:func:`month_start`),
    index 0..n-1; ``subsets`` maps each field to the rows of ``in_window`` with text in it
    (index kept); ``tokens`` maps each field to those rows' tokens
    (:func:`arabmedia.text.article_tokens`, through ``settings.cache_dir``), ready for
    :func:`find_and_count_terms_by_field`.
    """
    start, end = overlap_window(articles, group=group)
    in_window = articles[articles["date"].between(start, end)].reset_index(drop=True)
    in_window["month"] = month_start(in_window["date"])
    subsets = {field: in_window[in_window[field] != ""] for field in fields}
    tokens = {field: article_tokens(subset, [field], settings) for field, subset in subsets.items()}
    return in_window, subsets, tokens


def period_subset(
    articles: pd.DataFrame,
    field: str,
    break_date: str,
    settings,
    *,
    outlets: Sequence[str] | None = None,
    min_articles: int = 1,
) -> tuple[pd.DataFrame, pd.Series, pd.DataFrame]:
    """The articles with text in ``field`` of every outlet that has such articles before
    ``break_date`` and from it on, split at the date, and their tokens.

    For comparing each outlet with itself before and after an event.  ``outlets`` limits
    the outlets looked at (default: all); ``min_articles`` is the fewest articles each side
    needs (:func:`period_coverage`).  Returns (subset, tokens, coverage): the
    :func:`split_periods` table (column period, index 0..n-1, articles in their order) of
    the qualifying outlets' articles whose ``field`` is not empty, the ``field`` tokens
    aligned with it, and :func:`period_coverage` of the outlets looked at, whose
    ``compared`` column says which qualify and which do not.  Raises ValueError when a
    listed outlet is not in ``articles`` or does not qualify, or when none qualifies.
    """
    if outlets is not None:
        outlets = list(outlets)
        absent = sorted(set(outlets) - set(articles["outlet"]))
        if absent:
            raise ValueError(f"period_subset: no articles of outlet(s) {absent}")
        articles = articles[articles["outlet"].isin(outlets)]
    coverage = period_coverage(articles, field, break_date, min_articles=min_articles)
    failing = coverage[~coverage["compared"]]
    described = "; ".join(
        f"{row.outlet}: {row.before} before, {row.after} after" for row in coverage.itertuples()
    )
    if outlets is not None and len(failing):
        raise ValueError(
            f"period_subset: outlet(s) {failing['outlet'].tolist()} lack {field} texts on one "
            f"side of {break_date} (at least {min_articles} needed; {described})"
        )
    if not coverage["compared"].any():
        raise ValueError(
            f"period_subset: no outlet has {field} texts both before and from {break_date} "
            f"(at least {min_articles} each; {described})"
        )
    qualifying = coverage.loc[coverage["compared"], "outlet"]
    chosen = articles[articles["outlet"].isin(qualifying) & (articles[field] != "")]
    subset = split_periods(chosen, break_date)
    return subset, article_tokens(subset, [field], settings), coverage


def compare_monthly_terms(
    counts: pd.DataFrame,
    share: tuple[str, str],
    rate: Sequence[str],
    by: Sequence[str] = ("outlet", "month"),
    *,
    n_boot: int = 1000,
    ci: float = 0.95,
    seed: int = 0,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Monthly series of one field: the share of one name and the rate of a few names pooled.

    ``counts`` is :func:`count_terms` output with the ``by`` columns.  ``share`` is
    (concept, variant): :func:`compare_term_shares` of the concept's rows, the variant's
    rows kept.  ``rate`` lists variants pooled by :func:`pool_variants` into one variant
    named ``"_or_".join(rate)`` of the concept of ``rate[0]``, then
    :func:`compare_term_rates`.  Both tables have the compare contract columns.
    """
    by = list(by)
    concept, variant = share
    shares = compare_term_shares(
        counts[counts["concept"] == concept], by, n_boot=n_boot, ci=ci, seed=seed
    )
    rate = list(rate)
    pooled_concept = counts.loc[counts["variant"] == rate[0], "concept"].iloc[0]
    pooled = pool_variants(counts, rate, concept=pooled_concept, variant="_or_".join(rate), by=by)
    rates = compare_term_rates(pooled, by, n_boot=n_boot, ci=ci, seed=seed)
    return shares[shares["variant"] == variant], rates


def compare_term_scare_quotes(
    matches: Mapping[str, pd.DataFrame],
    term_sets: TermSets,
    by: Sequence[str] = ("outlet",),
    *,
    n_boot: int = 1000,
    ci: float = 0.95,
    seed: int = 0,
) -> pd.DataFrame:
    """Quoted share of every name of the term set, per field and ``by`` group, in file order.

    :func:`compare_scare_quotes_by_field` by (*by, concept, variant), labelled and sorted
    by field, the ``by`` columns, then the term file (:func:`in_term_order`).  Columns:
    those of :func:`compare_scare_quotes_by_field`, then label; index 0..n-1.
    """
    by = list(by)
    quoted = compare_scare_quotes_by_field(
        matches, [*by, "concept", "variant"], n_boot=n_boot, ci=ci, seed=seed
    )
    return in_term_order(quoted, term_sets, "field", *by)


def pivot_terms(
    table: pd.DataFrame | Mapping[str, pd.DataFrame],
    columns: str | Sequence[str],
    values: str | Sequence[str] = "estimate",
    index: str | Sequence[str] = ("concept", "label"),
    digits: int = 3,
) -> pd.DataFrame:
    """A compare table for display: one row per name, one column per group, rounded.

    ``table`` is a compare table (e.g. :func:`compare_term_shares` with labels), or a
    mapping field -> such table, shown side by side with the field as the first column
    level.  Rows and columns keep their order of appearance.
    """
    if isinstance(table, Mapping):
        wide = {field: pivot_terms(t, columns, values, index, digits) for field, t in table.items()}
        return pd.concat(wide, axis=1)
    index = [index] if isinstance(index, str) else list(index)
    columns = [columns] if isinstance(columns, str) else list(columns)
    values = values if isinstance(values, str) else list(values)
    wide = table.pivot_table(index=index, columns=columns, values=values, sort=False)
    return wide.round(digits)
