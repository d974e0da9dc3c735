"""Naming choices: which of several competing names an outlet uses for one thing.

A *term set* (YAML under ``lexicons/data/terms/``, format in its README) lists
*concepts* (the dead, Israel and its army, captives, ...) and for each the competing
*variants* (شهداء / قتلى / ضحايا), each with surface patterns.  Patterns are matched on
the project's normalized tokens (:func:`arabmedia.text.tokenize`, punctuation kept):

* a pattern is one or more whole tokens, normalized on load;
* ``proclitics`` (default on) also accepts و ف ب ك ل and their pairs on the first token,
  with ل + ال written لل (للشهداء); ``suffixes`` (default off) accepts the pronoun
  suffixes ه ها هم هما هن نا on the last token when it has no article, teh marbuta
  becoming ت (مقاومة + ها -> مقاومتها);
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

import os
import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from arabmedia.lexicons._resources import LEXICON_DIR
from arabmedia.stats._bootstrap import bootstrap_ratio
from arabmedia.text._normalize import (
    DEFAULT_SETTINGS,
    NormalizeSettings,
    normalize_many,
    token_regex,
)
from arabmedia.text._vocabulary import is_word

TERMS_DIR = LEXICON_DIR / "terms"

#: Proclitic chains accepted on a pattern's first token (conjunction, then preposition).
PROCLITIC_CHAINS = ("و", "ف", "ب", "ك", "ل", "وب", "وك", "ول", "فب", "فك", "فل")
#: Pronoun suffixes accepted when a variant allows ``suffixes`` (third person and "our":
#: ي and ك are left out because حربي, حربك collide with adjectives and are rare in news).
PRONOUN_SUFFIXES = ("ه", "ها", "هم", "هما", "هن", "نا")
#: Quotation-mark tokens after normalization (all double quotes fold to ").
QUOTE_TOKENS = frozenset({'"', "'"})
#: "so-called": ما يسمى and its variants, normalized, as the words before the name.
SO_CALLED = (("ما", "يسمي"), ("بما", "يسمي"), ("لما", "يسمي"), ("ما", "تسمي"), ("بما", "تسمي"))

_ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")
_TOP_KEYS = {"name", "description", "concepts"}
_CONCEPT_KEYS = {"id", "label", "description", "variants", "exclude"}
_VARIANT_KEYS = {"id", "label", "patterns", "proclitics", "suffixes", "rationale", "reference"}

MATCH_COLUMNS = ["doc", "concept", "variant", "position", "length", "form", "quoted", "so_called"]


class TermSetError(ValueError):
    """A term-set file is invalid; the message names the file, concept, variant and reason."""


@dataclass(frozen=True)
class Variant:
    """One competing name: its patterns (normalized token tuples) and their surface forms."""

    id: str
    label: str
    patterns: tuple[tuple[str, ...], ...]
    forms: tuple[tuple[str, ...], ...]
    proclitics: bool
    suffixes: bool
    rationale: str
    reference: str | None


@dataclass(frozen=True)
class Concept:
    """A thing with several competing names; ``exclude`` forms are matched but not counted."""

    id: str
    label: str
    description: str
    variants: tuple[Variant, ...]
    exclude: tuple[tuple[str, ...], ...] = ()


@dataclass(frozen=True)
class TermSets:
    """The concepts of one term-set file (``source`` is the path it came from)."""

    name: str
    description: str
    source: str
    concepts: tuple[Concept, ...]

    def variants(self) -> pd.DataFrame:
        """One row per variant, in file order.

        Columns: concept, concept_label, variant, label, n_patterns, n_forms, proclitics,
        suffixes, rationale, reference.
        """
        rows = [
            (c.id, c.label, v.id, v.label, len(v.patterns), len(v.forms), *flags)
            for c in self.concepts
            for v in c.variants
            for flags in [(v.proclitics, v.suffixes, v.rationale, v.reference)]
        ]
        columns = ["concept", "concept_label", "variant", "label", "n_patterns", "n_forms"]
        columns += ["proclitics", "suffixes", "rationale", "reference"]
        return pd.DataFrame(rows, columns=columns)

    def forms(self) -> pd.DataFrame:
        """Every surface form matched: concept, variant, form, n_tokens, counted.

        Excluded forms (see the module doc) have variant "" and counted False.
        """
        rows = [
            (c.id, v.id, " ".join(form), len(form), True)
            for c in self.concepts
            for v in c.variants
            for form in v.forms
        ]
        rows += [
            (c.id, "", " ".join(form), len(form), False)
            for c in self.concepts
            for form in c.exclude
        ]
        return pd.DataFrame(rows, columns=["concept", "variant", "form", "n_tokens", "counted"])

    def labels(self) -> dict[tuple[str, str], str]:
        """(concept, variant) -> the variant's display label."""
        return {(c.id, v.id): v.label for c in self.concepts for v in c.variants}


# ---------------------------------------------------------------- surface forms


def with_proclitics(word: str) -> list[str]:
    """``word`` and ``word`` with each proclitic chain (ل + ال -> لل)."""
    forms = [word]
    for chain in PROCLITIC_CHAINS:
        if chain.endswith("ل") and word.startswith("ال"):
            forms.append(chain + word[1:])  # ل + الشهداء -> للشهداء
        else:
            forms.append(chain + word)
    return forms


def with_suffixes(word: str) -> list[str]:
    """``word`` and ``word`` with each pronoun suffix; none for a word with the article."""
    if word.startswith("ال"):
        return [word]
    stem = word[:-1] + "ت" if word.endswith("ه") else word  # normalized teh marbuta
    return [word, *(stem + suffix for suffix in PRONOUN_SUFFIXES)]


def expand_pattern(
    pattern: tuple[str, ...], *, proclitics: bool = True, suffixes: bool = False
) -> list[tuple[str, ...]]:
    """All surface token tuples of a normalized ``pattern`` (see the module doc)."""
    if not pattern:
        raise ValueError("expand_pattern: empty pattern")
    lasts = with_suffixes(pattern[-1]) if suffixes else [pattern[-1]]
    forms = []
    for last in lasts:
        tokens = (*pattern[:-1], last)
        firsts = with_proclitics(tokens[0]) if proclitics else [tokens[0]]
        forms.extend((first, *tokens[1:]) for first in firsts)
    return list(dict.fromkeys(forms))


def pattern_tokens(text: str, settings: NormalizeSettings = DEFAULT_SETTINGS) -> tuple[str, ...]:
    """``text`` as the normalized token tuple the matcher compares with."""
    return tuple(token_regex().findall(normalize_many([text], settings)[0]))


# ---------------------------------------------------------------- loading


def _fail(path: str, reason: str, concept: str | None = None, variant: str | None = None):
    where = path
    if concept is not None:
        where += f": concept {concept!r}"
    if variant is not None:
        where += f", variant {variant!r}"
    raise TermSetError(f"{where}: {reason}")


def _text_field(record: Mapping, key: str, path: str, concept=None, variant=None, *, required):
    value = record.get(key)
    if value is None:
        if required:
            _fail(path, f"missing {key!r}", concept, variant)
        return None
    if not isinstance(value, str) or not value.strip():
        _fail(path, f"{key!r} must be a non-empty string, got {value!r}", concept, variant)
    return " ".join(value.split())


def _check_keys(record, allowed: set[str], what: str, path: str, concept=None, variant=None):
    if not isinstance(record, Mapping):
        _fail(path, f"each {what} must be a mapping, got {type(record).__name__}", concept)
    unknown = sorted(set(record) - allowed)
    if unknown:
        _fail(path, f"unknown key(s) {unknown}; allowed: {sorted(allowed)}", concept, variant)


def _identifier(record: Mapping, path: str, what: str, concept=None) -> str:
    value = record.get("id")
    if not isinstance(value, str) or not _ID_PATTERN.match(value):
        _fail(
            path,
            f"{what} id {value!r} must be lower-case letters, digits and '_', starting with "
            "a letter",
            concept,
        )
    return value


def _flag(record: Mapping, key: str, default: bool, path: str, concept: str, variant: str):
    value = record.get(key, default)
    if not isinstance(value, bool):
        _fail(path, f"{key!r} must be true or false, got {value!r}", concept, variant)
    return value


def _patterns(raw_patterns, key: str, path: str, concept: str, variant, settings):
    """The normalized token tuples of a list of pattern strings."""
    if not isinstance(raw_patterns, list) or not raw_patterns:
        _fail(path, f"{key!r} must be a non-empty list", concept, variant)
    patterns = []
    for raw in raw_patterns:
        if isinstance(raw, int) and not isinstance(raw, bool):
            raw = str(raw)
        if not isinstance(raw, str):
            _fail(path, f"pattern {raw!r} is not a string", concept, variant)
        tokens = pattern_tokens(raw, settings)
        if not tokens or not any(is_word(t) for t in tokens):
            _fail(path, f"pattern {raw!r} has no word after normalization", concept, variant)
        patterns.append(tokens)
    return patterns


def _variant(record, path: str, concept: str, settings: NormalizeSettings) -> Variant:
    _check_keys(record, _VARIANT_KEYS, "variant", path, concept)
    vid = _identifier(record, path, "variant", concept)
    patterns = _patterns(record.get("patterns"), "patterns", path, concept, vid, settings)
    proclitics = _flag(record, "proclitics", True, path, concept, vid)
    suffixes = _flag(record, "suffixes", False, path, concept, vid)
    forms = [
        form
        for pattern in patterns
        for form in expand_pattern(pattern, proclitics=proclitics, suffixes=suffixes)
    ]
    return Variant(
        id=vid,
        label=_text_field(record, "label", path, concept, vid, required=True),
        patterns=tuple(dict.fromkeys(patterns)),
        forms=tuple(dict.fromkeys(forms)),
        proclitics=proclitics,
        suffixes=suffixes,
        rationale=_text_field(record, "rationale", path, concept, vid, required=True),
        reference=_text_field(record, "reference", path, concept, vid, required=False),
    )


def _concept(record, path: str, settings: NormalizeSettings) -> Concept:
    _check_keys(record, _CONCEPT_KEYS, "concept", path)
    cid = _identifier(record, path, "concept")
    raw_variants = record.get("variants")
    if not isinstance(raw_variants, list) or not raw_variants:
        _fail(path, "'variants' must be a non-empty list", cid)
    variants = [_variant(raw, path, cid, settings) for raw in raw_variants]
    exclude: list[tuple[str, ...]] = []
    if "exclude" in record:
        for pattern in _patterns(record["exclude"], "exclude", path, cid, None, settings):
            exclude.extend(expand_pattern(pattern))
    owner: dict[tuple[str, ...], str] = dict.fromkeys(exclude, "exclude")
    for variant in variants:
        if sum(v.id == variant.id for v in variants) > 1:
            _fail(path, "variant id used twice", cid, variant.id)
        for form in variant.forms:
            other = owner.setdefault(form, variant.id)
            if other != variant.id:
                _fail(
                    path,
                    f"surface form {' '.join(form)!r} is also produced by {other!r}; "
                    "a mention must belong to one name (remove it from one of them, or turn "
                    "off proclitics/suffixes)",
                    cid,
                    variant.id,
                )
    return Concept(
        id=cid,
        label=_text_field(record, "label", path, cid, required=True),
        description=_text_field(record, "description", path, cid, required=False) or "",
        variants=tuple(variants),
        exclude=tuple(dict.fromkeys(exclude)),
    )


def parse_term_sets(
    data: object, source: str = "<term sets>", settings: NormalizeSettings = DEFAULT_SETTINGS
) -> TermSets:
    """Validate already-parsed YAML ``data`` (a mapping) into :class:`TermSets`."""
    _check_keys(data, _TOP_KEYS, "term-set file", source)
    name = _text_field(data, "name", source, required=True)
    raw_concepts = data.get("concepts")
    if not isinstance(raw_concepts, list) or not raw_concepts:
        _fail(source, "'concepts' must be a non-empty list")
    concepts = [_concept(raw, source, settings) for raw in raw_concepts]
    ids = [c.id for c in concepts]
    for cid in ids:
        if ids.count(cid) > 1:
            _fail(source, "concept id used twice", cid)
    return TermSets(
        name=name,
        description=_text_field(data, "description", source, required=False) or "",
        source=source,
        concepts=tuple(concepts),
    )


def load_term_sets(
    path: str | os.PathLike = TERMS_DIR / "gaza_war.yaml",
    settings: NormalizeSettings = DEFAULT_SETTINGS,
) -> TermSets:
    """Read and validate a term-set YAML file; patterns are normalized with ``settings``.

    ``path`` is a YAML file or the name of a term set shipped in ``lexicons/data/terms``
    (e.g. ``"gaza_war"``).  Raises :class:`TermSetError` naming the file, concept, variant
    and reason.
    """
    path = Path(path)
    if not path.suffix and not path.exists():
        path = TERMS_DIR / f"{path}.yaml"
    if not path.is_file():
        raise TermSetError(f"{path}: no such term-set file")
    try:
        data = yaml.safe_load(path.read_text("utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        raise TermSetError(f"{path}: not valid UTF-8 YAML: {error}") from error
    return parse_term_sets(data, str(path), settings)


def term_sets_from_terms(
    terms: Mapping[str, Sequence[str]],
    *,
    concept: str = "terms",
    proclitics: bool = True,
    suffixes: bool = False,
    settings: NormalizeSettings = DEFAULT_SETTINGS,
) -> TermSets:
    """An ad-hoc term set: one concept whose variants are ``{label: [patterns]}``.

    For KWIC, collocations or scare quotes of terms a researcher lists on the fly;
    variant ids are ``v1, v2, ...`` in the given order, labels the keys.
    """
    variants = [
        {
            "id": f"v{number}",
            "label": label,
            "patterns": list(patterns),
            "proclitics": proclitics,
            "suffixes": suffixes,
            "rationale": "ad hoc",
        }
        for number, (label, patterns) in enumerate(terms.items(), start=1)
    ]
    data = {
        "name": "ad hoc",
        "concepts": [{"id": concept, "label": concept, "variants": variants}],
    }
    return parse_term_sets(data, "<ad hoc terms>", settings)


# ---------------------------------------------------------------- matching


def _pattern_index(term_sets: TermSets) -> dict[str, list[tuple]]:
    """First token -> [(concept, form, variant id or None if excluded)], longest first."""
    index: dict[str, list[tuple]] = defaultdict(list)
    for concept in term_sets.concepts:
        for variant in concept.variants:
            for form in variant.forms:
                index[form[0]].append((concept.id, form, variant.id))
        for form in concept.exclude:
            index[form[0]].append((concept.id, form, None))
    for entries in index.values():
        entries.sort(key=lambda entry: -len(entry[1]))
    return dict(index)


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
    candidates = [position for position, token in enumerate(tokens) if token in index]
    for position in candidates:
        for concept, form, variant in index[tokens[position]]:
            if position < free_from.get(concept, 0):
                continue
            end = position + len(form)
            if end <= n and tuple(tokens[position:end]) == form:
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
                found.append(
                    (concept, variant, position, len(form), " ".join(form), quoted, so_called)
                )
    return found


def match_terms(tokens: pd.Series, term_sets: TermSets) -> pd.DataFrame:
    """Every mention of every variant in every document.

    ``tokens`` holds one normalized token list per document (punctuation kept), e.g.
    :func:`arabmedia.text.article_tokens`; its index identifies the documents.
    Columns: doc (the index label of ``tokens``), concept, variant (ids), position (index
    of the first token), length (tokens), form (the normalized tokens matched, joined by
    spaces), quoted (bool: directly between two identical quote tokens), so_called (bool:
    after ما يسمى).  Rows in document order, then by position, then concept.
    """
    index = _pattern_index(term_sets)
    firsts = frozenset(index)
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


def term_counts(tokens: pd.Series, matches: pd.DataFrame, term_sets: TermSets) -> pd.DataFrame:
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


def term_rates(
    counts: pd.DataFrame,
    by: Sequence[str] = (),
    *,
    n_boot: int = 1000,
    ci: float = 0.95,
    seed: int = 0,
) -> pd.DataFrame:
    """Mentions per 10,000 word tokens per group and variant, with article-bootstrap CIs.

    ``counts`` is :func:`term_counts` output with the ``by`` columns added (e.g. outlet,
    month).  Columns: *by, concept, variant, n_docs, mentions, words, per_10k, low, high.
    """
    keys = [*by, "concept", "variant"]
    table = bootstrap_ratio(
        counts, "count", keys, denominator="words", scale=10_000, n_boot=n_boot, ci=ci, seed=seed
    )
    return table.rename(
        columns={
            "n_units": "n_docs",
            "numerator": "mentions",
            "denominator": "words",
            "estimate": "per_10k",
        }
    )


def choice_shares(
    counts: pd.DataFrame,
    by: Sequence[str] = (),
    *,
    n_boot: int = 1000,
    ci: float = 0.95,
    seed: int = 0,
) -> pd.DataFrame:
    """Share of each variant among a concept's mentions, per group, with bootstrap CIs.

    Of all mentions of the dead in a group's articles, the share written شهداء.  Only
    articles that mention the concept are resampled.  ``counts`` is :func:`term_counts`
    output with the ``by`` columns added.  Columns: *by, concept, variant, n_docs (articles
    mentioning the concept), mentions, concept_mentions, share, low, high.
    """
    keys = [*by, "concept", "variant"]
    mentioning = counts[counts["concept_count"] > 0]
    table = bootstrap_ratio(
        mentioning, "count", keys, denominator="concept_count", n_boot=n_boot, ci=ci, seed=seed
    )
    return table.rename(
        columns={
            "n_units": "n_docs",
            "numerator": "mentions",
            "denominator": "concept_mentions",
            "estimate": "share",
        }
    )


def scare_quotes(
    matches: pd.DataFrame,
    by: Sequence[str] = ("concept", "variant"),
    *,
    n_boot: int = 1000,
    ci: float = 0.95,
    seed: int = 0,
) -> pd.DataFrame:
    """Share of mentions written in quotation marks (and after ما يسمى), per group.

    ``matches`` is :func:`match_terms` output with any extra ``by`` columns added (e.g.
    outlet; ``form`` to look at one spelling).  The interval resamples documents.
    Columns: *by, n_docs, mentions, quoted, quoted_share, low, high, so_called.
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
    table = table.rename(
        columns={
            "n_units": "n_docs",
            "numerator": "quoted",
            "denominator": "mentions",
            "estimate": "quoted_share",
        }
    ).join(so_called, on=by)
    table[["quoted", "mentions"]] = table[["quoted", "mentions"]].astype(int)
    columns = [*by, "n_docs", "mentions", "quoted", "quoted_share", "low", "high", "so_called"]
    return table[columns]
