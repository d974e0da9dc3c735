"""Attribution: whose voice a report cites, and what kind of actor it is.

A marker is a speech verb (قال, اكد, اعلن, افاد, اشار, اضاف, صرح, ذكر) or a citing preposition
(بحسب, حسب, وفق/وفقا ل, نقلا عن); in titles, "X: ..." also cites X.  For each marker the cited
actor is a token span of the normalized sentence:

* after a preposition, past the relative bridge (بحسب ما ذكر, وفقا لما نقلته ... عن);
* after a verb, its subject (VSO, the usual news order); when nothing follows (قال: / قالت ان)
  or the verb is imperfect as in headlines (الجيش يعلن), the noun phrase before the verb, from
  the last punctuation (وكان متحدث باسم ... قد قال ان);
* the span stops at punctuation, quote marks (a quoted name right after its head or at the
  start is kept: موقع "روسيا اليوم"), complementizers (ان, بان), time words, the channel or
  addressee (في بيان, للميادين), relative pronouns, and reported content (بدء, ارتفاع, ...);
  it is at most ``max_actor_tokens`` long.  A marker whose subject is a pronoun has an empty span.

The actor type (:func:`actor_type`) comes from ``lexicons/data/attribution/actor_types.yaml``.
Word lists and rationale: ``lexicons/data/attribution/*.yaml``; gold set and conventions:
``data/gold/README_agency.md``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

import pandas as pd

from arabmedia.analysis._agency import gold_dir, read_reference_table, resolve_references
from arabmedia.config import Settings
from arabmedia.lexicons._attribution import (
    GLUED_NAME_MIN,
    AttributionLexicon,
    load_attribution_lexicon,
)

NO_ACTOR = "none"
#: The type of an actor no type of the lexicon claims.
OTHER_ACTOR = "other"
MEDIA_HEADS_DROPPED = frozenset(["موقع", "صحيفه", "وكاله", "قناه", "اذاعه", "شبكه", "مجله"])
LEADING_SKIPS = 4  # punctuation or time words skipped between a verb and its subject
#: Bodies a person title (وزير, مدير, الامين العام) may speak for, checked in this order.
PERSON_BODIES = ("international", "media", "resistance", "military")
ATTRIBUTION_COLUMNS = (
    "marker_index",
    "marker",
    "marker_kind",
    "actor_start",
    "actor_end",
    "actor",
    "actor_name",
    "actor_type",
)


# --------------------------------------------------------------------------- extraction


class Attribution(NamedTuple):
    """One cited actor: marker position and word, actor span ``[start, end)`` and its type."""

    marker_index: int
    marker: str
    marker_kind: str  # verb | preposition | title_colon
    actor_start: int
    actor_end: int
    actor: str
    actor_name: str
    actor_type: str


def _glued_media(token: str, lex: AttributionLexicon) -> re.Match | None:
    """A media name glued to other words (مراسلالميادينفي): the span ends after it."""
    if len(token) <= GLUED_NAME_MIN:
        return None
    found = lex.glued_media.search(token)
    return found if found and found.group() != token else None


def _span_after(tokens: Sequence[str], first: int, lex: AttributionLexicon) -> tuple[int, int]:
    """The actor span starting at ``first`` (empty when a stop comes first)."""
    n = len(tokens)
    start, skipped = first, 0
    while (
        start < n
        and skipped < LEADING_SKIPS
        and (tokens[start] in ("،", ",", "-") or tokens[start] in lex.time_words)
    ):
        start, skipped = start + 1, skipped + 1
    end, in_quote = start, False
    while end < n and end - start < lex.max_actor_tokens:
        token = tokens[end]
        if token == lex.quote:
            if in_quote:
                in_quote = False
            elif end == start or tokens[end - 1] in lex.media_heads:
                in_quote = True
            else:
                break
            end += 1
            continue
        if in_quote:
            end += 1
            continue
        if token in lex.punctuation or token in lex.stops or token in lex.addressees:
            break
        if token in lex.objects:
            break  # reported content; when it comes first, the subject is a pronoun
        if token == "في" and end + 1 < n and tokens[end + 1] in lex.channels:
            break
        end += 1
        if _glued_media(token, lex):
            break
    if in_quote:  # unclosed quote: keep the part before it
        end = tokens.index(lex.quote, start, end)
    return (start, end) if end > start else (first, first)


def _span_before(
    tokens: Sequence[str], marker: int, lex: AttributionLexicon, *, through_quotes: bool
) -> tuple[int, int]:
    """The noun phrase before a verb, from the last punctuation (empty if none or too long).

    With ``through_quotes`` (headline verbs) a quoted name is part of the phrase (شركه "X"
    الاميركيه تعلن); otherwise a quote mark ends it.
    """
    start = marker
    while start > 0 and tokens[start - 1] not in lex.punctuation:
        if tokens[start - 1] == lex.quote:
            opening = _previous_quote(tokens, start - 1, lex) if through_quotes else None
            if opening is None:
                break
            start = opening
        else:
            start -= 1
    end = marker
    while start < end and tokens[start] in ("وكان", "كان", "فيما", "بينما", "كما", "و"):
        start += 1
    while end > start and tokens[end - 1] in ("قد", "ايضا", "بدوره", "بدورها"):
        end -= 1
    if end - start > lex.max_actor_tokens or any(t in lex.stops for t in tokens[start:end]):
        return marker, marker
    return start, end


def _previous_quote(tokens: Sequence[str], closing: int, lex: AttributionLexicon) -> int | None:
    """Index of the quote mark opening the quotation that ends at ``closing``."""
    for position in range(closing - 1, -1, -1):
        if tokens[position] == lex.quote:
            return position
    return None


def _actor_text(tokens: Sequence[str], lex: AttributionLexicon) -> tuple[str, str]:
    """(actor, actor_name): the span without quote marks; the name without a media head.

    A token with a glued media name is cut after the name and spaced (مراسلالميادينفي →
    مراسل الميادين), so that the same actor is counted as one.
    """
    words = []
    for token in tokens:
        if token == lex.quote:
            continue
        glued = _glued_media(token, lex)
        if glued:
            words.extend(w for w in (token[: glued.start()], glued.group()) if w)
        else:
            words.append(token)
    name = words[1:] if len(words) > 1 and words[0] in MEDIA_HEADS_DROPPED else words
    return " ".join(words), " ".join(name)


def actor_type(tokens: Sequence[str], lexicon: AttributionLexicon) -> str:
    """The type of an actor phrase (see lexicons/data/attribution/actor_types.yaml for order)."""
    words = [t for t in tokens if t != lexicon.quote]
    if not words:
        return NO_ACTOR
    spokesperson = lexicon.type_named("spokesperson")
    if spokesperson is not None and spokesperson.mentions(words):
        return "spokesperson"
    for kind in lexicon.types:
        if kind.has_head(words):
            if kind.name == "official":
                for body in map(lexicon.type_named, PERSON_BODIES):
                    if body is not None and body.mentions(words[1:]):
                        return body.name
            return kind.name
    for kind in lexicon.types:
        if kind.mentions(words):
            return kind.name
    if any(_glued_media(t, lexicon) for t in words):
        return "media"
    return OTHER_ACTOR


def match_attributions(
    tokens: Sequence[str], lexicon: AttributionLexicon, *, title: bool = False
) -> list[Attribution]:
    """Every attribution marker of a sentence's tokens with its cited actor (module doc)."""
    found = []

    def emit(index: int, kind: str, start: int, end: int) -> None:
        span = tokens[start:end]
        actor, name = _actor_text(span, lexicon)
        if not actor:
            start = end = -1
        found.append(
            Attribution(
                index, tokens[index], kind, start, end, actor, name, actor_type(span, lexicon)
            )
        )

    if title and ":" in tokens[: lexicon.title_colon_max_tokens + 1]:
        colon = tokens.index(":")
        if colon > 0 and not any(t in lexicon.verbs for t in tokens[:colon]):
            emit(colon, "title_colon", 0, colon)
    bridged = set()  # verbs inside "بحسب ما ذكر" belong to the preposition
    for index, token in enumerate(tokens):
        if token in lexicon.prepositions:
            first = index + 1
            while first < len(tokens) and first - index <= 3 and tokens[first] in lexicon.bridge:
                bridged.add(first)
                first += 1
            emit(index, "preposition", *_span_after(tokens, first, lexicon))
        elif token in lexicon.verbs and index not in bridged:
            imperfect = token in lexicon.imperfect_verbs
            before = _span_before(tokens, index, lexicon, through_quotes=imperfect)
            after = _span_after(tokens, index + 1, lexicon)
            prefer_before = imperfect and before[1] > before[0]
            span = before if prefer_before or after[1] == after[0] else after
            emit(index, "verb", *span)
    return found


def find_attributions(
    sentences: pd.DataFrame, lexicon: AttributionLexicon | None = None
) -> pd.DataFrame:
    """One row per attribution marker in a sentence table with ``tokens`` (e.g. from
    :func:`arabmedia.analysis.article_sentences`).

    Columns: doc_id, outlet, field, sentence_index (when present in the input), marker_index,
    marker, marker_kind (verb | preposition | title_colon), actor_start, actor_end (token span,
    end exclusive; -1 when the subject is a pronoun), actor (normalized span without quote
    marks), actor_name (without a leading media noun such as موقع), actor_type (``none`` for
    an empty span).  Sentences without markers give no rows; order follows the input.
    """
    if "tokens" not in sentences.columns:
        raise ValueError("find_attributions: the sentence table has no 'tokens' column")
    lexicon = lexicon or load_attribution_lexicon()
    markers = lexicon.verbs | lexicon.prepositions
    keys = [c for c in ("doc_id", "outlet", "field", "sentence_index") if c in sentences.columns]
    fields = sentences["field"] if "field" in sentences.columns else [""] * len(sentences)
    rows = []
    for key, tokens, field in zip(
        sentences[keys].itertuples(index=False, name=None), sentences["tokens"], fields, strict=True
    ):
        is_title = field == "title"
        if markers.isdisjoint(tokens) and not (is_title and ":" in tokens):
            continue
        for attribution in match_attributions(tokens, lexicon, title=is_title):
            rows.append((*key, *attribution))
    return pd.DataFrame(rows, columns=[*keys, *ATTRIBUTION_COLUMNS])


def find_compared_attributions(
    sentences: pd.DataFrame,
    fields: Sequence[str],
    doc_ids: Sequence[str] | pd.Series,
    lexicon: AttributionLexicon | None = None,
) -> pd.DataFrame:
    """:func:`find_attributions` in the sentences of ``fields`` of the compared articles
    (``doc_ids``, e.g. those in the comparison window), so outlets are compared like with
    like.  Columns and index: those of :func:`find_attributions` (the kept rows)."""
    attributions = find_attributions(sentences[sentences["field"].isin(fields)], lexicon)
    return attributions[attributions["doc_id"].isin(set(doc_ids))]


# --------------------------------------------------------------------------- comparisons


def count_actors(
    articles: pd.DataFrame,
    attributions: pd.DataFrame,
    lexicon: AttributionLexicon | None = None,
) -> pd.DataFrame:
    """One row per article: attributions with a named actor, and how many per actor type.

    ``lexicon`` must be the one the attributions were found with (default: the shipped
    lexicon), so that a researcher's own actor types get their columns.  Columns: doc_id,
    outlet, attributions (markers with a non-empty actor), then one count column per actor
    type in the lexicon order (and ``other``).  Articles without attributions have zeros.
    """
    lexicon = lexicon or load_attribution_lexicon()
    types = [t.name for t in lexicon.types]
    types += [OTHER_ACTOR] if OTHER_ACTOR not in types else []
    unknown = sorted(set(attributions["actor_type"]) - {*types, NO_ACTOR})
    if unknown:
        raise ValueError(
            f"count_actors: actor type(s) {unknown} are not in the lexicon; pass the lexicon "
            "the attributions were found with"
        )
    named = attributions[attributions["actor_type"] != NO_ACTOR]
    counts = pd.crosstab(named["doc_id"], named["actor_type"]).reindex(columns=types, fill_value=0)
    table = articles[["doc_id", "outlet"]].reset_index(drop=True).join(counts, on="doc_id")
    table[types] = table[types].fillna(0).astype("int64")
    table.insert(2, "attributions", table[types].sum(axis=1))
    return table


def compare_actor_types(
    counts: pd.DataFrame,
    by: str | Sequence[str] = "outlet",
    *,
    n_boot: int = 1000,
    ci: float = 0.95,
    seed: int = 0,
) -> pd.DataFrame:
    """Share of each actor type among named attributions per group, article-bootstrap CIs.

    ``counts`` is :func:`count_actors`.  Columns: the ``by`` columns, actor_type,
    n_units, numerator, denominator, estimate, low, high.
    """
    from arabmedia.stats._bootstrap import bootstrap_ratios

    fixed = {"doc_id", "outlet", "attributions", *([by] if isinstance(by, str) else by)}
    return bootstrap_ratios(
        counts,
        [c for c in counts.columns if c not in fixed],
        by,
        name="actor_type",
        denominator="attributions",
        n_boot=n_boot,
        ci=ci,
        seed=seed,
    )


#: Names of the two marker sets of :func:`compare_actor_types_by_markers`: speech verbs and
#: citing prepositions only (validated), and all markers (with the unvalidated "X: ..." rule).
SPEECH_MARKERS, ALL_MARKERS = "verbs and prepositions", "all markers"


def speech_markers(attributions: pd.DataFrame) -> pd.DataFrame:
    """The attributions of speech verbs and citing prepositions (without ``title_colon``)."""
    return attributions[attributions["marker_kind"] != "title_colon"]


def marker_kind_counts(attributions: pd.DataFrame) -> pd.DataFrame:
    """Markers per outlet and field (rows) by marker kind and named/pronoun actor (columns).

    ``pronoun``: the subject is a pronoun, no actor named.  A crosstab of counts.
    """
    named = (attributions["actor_type"] != NO_ACTOR).map({True: "named", False: "pronoun"})
    return pd.crosstab(
        [attributions["outlet"], attributions["field"]], [attributions["marker_kind"], named]
    )


def compare_actor_types_by_markers(
    articles: pd.DataFrame,
    attributions: pd.DataFrame,
    lexicon: AttributionLexicon | None = None,
    *,
    n_boot: int = 1000,
    ci: float = 0.95,
    seed: int = 0,
) -> pd.DataFrame:
    """:func:`compare_actor_types` with :data:`SPEECH_MARKERS` only and with
    :data:`ALL_MARKERS`, so one sees how much the "X: ..." title rule changes the shares.

    Articles are those of ``articles`` with at least one named attribution in the set.
    Columns: those of :func:`compare_actor_types`, then markers (the set's name).
    """
    sets = {SPEECH_MARKERS: speech_markers(attributions), ALL_MARKERS: attributions}
    parts = []
    for markers, table in sets.items():
        counts = count_actors(articles, table, lexicon).query("attributions > 0")
        shares = compare_actor_types(counts, n_boot=n_boot, ci=ci, seed=seed)
        parts.append(shares.assign(markers=markers))
    return pd.concat(parts, ignore_index=True)


def top_actors(
    attributions: pd.DataFrame,
    by: str = "outlet",
    n: int = 10,
    *,
    max_words: int | None = None,
) -> pd.DataFrame:
    """The ``n`` most cited actor names per group.

    Columns: ``by``, actor_name, actor_type (most frequent type of that name), count, rank.
    Ties are broken by name so the order is stable.  With ``max_words``, names longer than
    that are cut to their first ``max_words`` words followed by `` …`` (after counting), so
    that a shown table holds no long phrases.
    """
    named = attributions[attributions["actor_type"] != NO_ACTOR]
    counted = (
        named.groupby([by, "actor_name"], sort=True)
        .agg(
            actor_type=("actor_type", lambda s: s.value_counts().index[0]),
            count=("actor_type", "size"),
        )
        .reset_index()
        .sort_values([by, "count", "actor_name"], ascending=[True, False, True], kind="stable")
    )
    counted["rank"] = counted.groupby(by).cumcount() + 1
    top = counted[counted["rank"] <= n].reset_index(drop=True)
    if max_words is not None:
        words = top["actor_name"].str.split()
        shortened = words.str[:max_words].str.join(" ") + " …"
        top["actor_name"] = top["actor_name"].where(words.str.len() <= max_words, shortened)
    return top


def top_actors_wide(top: pd.DataFrame, by: str = "outlet") -> pd.DataFrame:
    """A :func:`top_actors` table for reading: one row per rank, one column per ``by``
    group, each cell "actor_name (count)" (missing where a group has fewer names)."""
    cells = top.assign(actor=top["actor_name"] + " (" + top["count"].astype(str) + ")")
    return cells.pivot(index="rank", columns=by, values="actor")


# --------------------------------------------------------------------------- gold set


def load_attribution_gold(path: str | Path, articles: pd.DataFrame) -> pd.DataFrame:
    """The attribution gold set resolved against the loaded corpus.

    Stored columns (marker_index, actor_start, actor_end as int; -1 span = pronoun subject)
    plus outlet, text, tokens.  Rows whose sentence no longer matches, or whose indices fall
    outside the sentence, are refused with the row and the reason.
    """
    numbers = ["marker_index", "actor_start", "actor_end"]
    table = read_reference_table(path, [*numbers, "actor_type"])
    for column in numbers:
        if not table[column].str.fullmatch(r"-?\d+").all():
            raise ValueError(f"{path}: column {column!r} must hold integers")
        table[column] = table[column].astype("int64")
    resolved = resolve_references(table, articles, path)
    for number, row in enumerate(resolved.itertuples(index=False), start=1):
        size = len(row.tokens)
        empty = row.actor_start == row.actor_end == -1
        if not 0 <= row.marker_index < size or not (
            empty or 0 <= row.actor_start < row.actor_end <= size
        ):
            raise ValueError(f"{path}: row {number}: marker or actor span outside the sentence")
    return resolved


def evaluate_attribution_gold(
    gold: pd.DataFrame, lexicon: AttributionLexicon | None = None
) -> pd.DataFrame:
    """Compare extracted actors with the gold spans, one row per gold row.

    Adds: predicted_start, predicted_end, predicted_type (the system's attribution at the gold
    marker; -1/-1/none when it finds none), exact (same span, or both empty), partial (exact,
    or overlapping spans), type_match (same type, on rows with a gold actor and a partial
    match; NA otherwise).  Summarize with :func:`arabmedia.stats.bootstrap_ratio`.
    """
    lexicon = lexicon or load_attribution_lexicon()
    records = []
    for row in gold.itertuples(index=False):
        found = {
            a.marker_index: a
            for a in match_attributions(row.tokens, lexicon, title=row.field == "title")
        }
        hit = found.get(row.marker_index)
        start, end, kind = (
            (hit.actor_start, hit.actor_end, hit.actor_type) if hit else (-1, -1, NO_ACTOR)
        )
        gold_empty = row.actor_start == -1
        exact = (start, end) == (row.actor_start, row.actor_end)
        overlap = not gold_empty and start < row.actor_end and row.actor_start < end
        partial = exact or overlap
        type_match = (kind == row.actor_type) if (not gold_empty and partial) else pd.NA
        records.append((start, end, kind, exact, partial, type_match))
    columns = [
        "predicted_start",
        "predicted_end",
        "predicted_type",
        "exact",
        "partial",
        "type_match",
    ]
    result = pd.DataFrame(records, columns=columns, index=gold.index)
    result[["exact", "partial"]] = result[["exact", "partial"]].astype("int64")
    result["type_match"] = result["type_match"].astype("Int64")
    return pd.concat([gold.drop(columns="tokens"), result], axis=1)


#: The gold comparisons of :func:`evaluate_attribution_gold` that :func:`attribution_accuracy`
#: summarizes.
ATTRIBUTION_MEASURES = ("exact", "partial", "type_match")


def attribution_accuracy(
    checked: pd.DataFrame,
    by: str | Sequence[str] = "split",
    *,
    n_boot: int = 1000,
    ci: float = 0.95,
    seed: int = 0,
) -> pd.DataFrame:
    """Share of gold rows the extraction gets right, per measure and ``by`` group.

    ``checked`` is :func:`evaluate_attribution_gold` output; each of
    :data:`ATTRIBUTION_MEASURES` is averaged over the rows where it is defined
    (``type_match`` is NA without a gold actor or a partial match), with bootstrap intervals
    over sentences (:func:`arabmedia.stats.bootstrap_ratio`).  Columns: measure, the ``by``
    columns, n_units, numerator, denominator, estimate, low, high.
    """
    from arabmedia.stats._bootstrap import bootstrap_ratio

    parts = [
        bootstrap_ratio(
            checked.dropna(subset=[m]).astype({m: float}), m, by, n_boot=n_boot, ci=ci, seed=seed
        ).assign(measure=m)
        for m in ATTRIBUTION_MEASURES
    ]
    table = pd.concat(parts, ignore_index=True)
    return table[["measure", *table.columns[:-1]]]


def attribution_validation(
    articles: pd.DataFrame,
    settings: Settings,
    lexicon: AttributionLexicon | None = None,
    *,
    n_boot: int = 1000,
    seed: int = 0,
) -> pd.DataFrame:
    """The extraction against the project's gold set (``attribution_sentences.tsv`` in
    :func:`arabmedia.analysis.gold_dir`), resolved against ``articles``: the
    :func:`attribution_accuracy` per split of :func:`evaluate_attribution_gold`, whose
    columns it returns."""
    gold = load_attribution_gold(gold_dir(settings) / "attribution_sentences.tsv", articles)
    checked = evaluate_attribution_gold(gold, lexicon)
    return attribution_accuracy(checked, n_boot=n_boot, seed=seed)
