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
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import pandas as pd

from arabmedia.analysis._agency import (
    article_sentences,
    lexicon_forms,
    read_lexicon_file,
    read_reference_table,
    resolve_references,
    with_clitics,
)
from arabmedia.lexicons._resources import LEXICON_DIR
from arabmedia.text._normalize import normalize_many

ATTRIBUTION_DIR = LEXICON_DIR / "attribution"
NO_ACTOR = "none"
CONJUNCTIONS = ("", "و", "ف")
MEDIA_HEADS_DROPPED = frozenset(["موقع", "صحيفه", "وكاله", "قناه", "اذاعه", "شبكه", "مجله"])
LEADING_SKIPS = 4  # punctuation or time words skipped between a verb and its subject
GLUED_NAME_MIN = 5  # a media name this long glued into a longer token ends the actor
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


@dataclass(frozen=True)
class ActorType:
    """One actor type: head words/phrases (first tokens) and name words/phrases (anywhere).

    Phrases are indexed by every clitic form of their first word, so a look-up costs one set
    probe per token.
    """

    name: str
    head_words: frozenset[str]
    head_phrases: dict[str, tuple[tuple[str, ...], ...]]  # first word form -> remaining words
    words: frozenset[str]  # head and name words
    phrases: dict[str, tuple[tuple[str, ...], ...]]  # head and name phrases

    def has_head(self, tokens: Sequence[str]) -> bool:
        """Does the phrase start with one of this type's heads?"""
        return tokens[0] in self.head_words or _phrase_at(tokens, 0, self.head_phrases)

    def mentions(self, tokens: Sequence[str]) -> bool:
        """Does any head or name of this type occur anywhere in the phrase?"""
        return any(
            token in self.words or _phrase_at(tokens, i, self.phrases)
            for i, token in enumerate(tokens)
        )


def _phrase_at(
    tokens: Sequence[str], position: int, index: dict[str, tuple[tuple[str, ...], ...]]
) -> bool:
    """Does one of the indexed phrases start at ``position``?"""
    rests = index.get(tokens[position])
    if not rests:
        return False
    return any(tuple(tokens[position + 1 : position + 1 + len(r)]) == r for r in rests)


def _phrase_index(phrases: Sequence[tuple[str, ...]]) -> dict[str, tuple[tuple[str, ...], ...]]:
    """Phrases keyed by every clitic form of their first word."""
    index: dict[str, list[tuple[str, ...]]] = {}
    for phrase in phrases:
        for form in with_clitics([phrase[0]]):
            index.setdefault(form, []).append(phrase[1:])
    return {form: tuple(rests) for form, rests in index.items()}


@dataclass(frozen=True)
class AttributionLexicon:
    """The word lists of ``lexicons/data/attribution``, expanded for set look-ups."""

    verbs: frozenset[str]
    imperfect_verbs: frozenset[str]
    prepositions: frozenset[str]
    bridge: frozenset[str]
    stops: frozenset[str]
    objects: frozenset[str]
    channels: frozenset[str]
    punctuation: frozenset[str]
    quote: str
    addressees: frozenset[str]
    time_words: frozenset[str]
    max_actor_tokens: int
    title_colon_max_tokens: int
    types: tuple[ActorType, ...]
    media_heads: frozenset[str]
    glued_media: re.Pattern  # a media name glued into a longer token (مراسلالميادينفي)

    def type_named(self, name: str) -> ActorType | None:
        """The actor type called ``name``, if the lexicon has it."""
        return next((t for t in self.types if t.name == name), None)


def _with_conjunctions(forms: Sequence[str]) -> frozenset[str]:
    return frozenset(c + form for form in forms for c in CONJUNCTIONS)


def _split_entries(path: Path, entries: object, where: str) -> tuple[list[str], list[tuple]]:
    """Single words and multi-word phrases of a list, each checked to be normalized."""
    if not isinstance(entries, list):
        raise ValueError(f"{path}: {where} must be a list")
    entries = [str(e) for e in entries]
    for entry, normalized in zip(entries, normalize_many(entries), strict=True):
        if entry != normalized or not entry.strip():
            raise ValueError(f"{path}: {where}: {entry!r} is not in the default normalization")
    words = [e for e in entries if " " not in e]
    phrases = [tuple(e.split(" ")) for e in entries if " " in e]
    return words, phrases


def load_attribution_lexicon(folder: str | Path | None = None) -> AttributionLexicon:
    """Read ``markers.yaml`` and ``actor_types.yaml`` from ``folder``."""
    folder = Path(folder or ATTRIBUTION_DIR)
    markers_path, types_path = folder / "markers.yaml", folder / "actor_types.yaml"
    markers, types_data = read_lexicon_file(markers_path), read_lexicon_file(types_path)
    verbs = lexicon_forms(markers_path, markers.get("verbs"), "verbs")
    prepositions = lexicon_forms(markers_path, markers.get("prepositions"), "prepositions")
    bridge = lexicon_forms(markers_path, markers.get("bridge"), "bridge")
    stops_section = markers.get("stops")
    stops = lexicon_forms(markers_path, stops_section, "stops")
    objects = lexicon_forms(
        markers_path, {**stops_section, "forms": stops_section.get("objects")}, "objects"
    )
    channels = lexicon_forms(
        markers_path, {**stops_section, "forms": stops_section.get("channels")}, "channels"
    )
    punctuation = stops_section.get("punctuation")
    quote = stops_section.get("quote")
    if not isinstance(punctuation, list) or not isinstance(quote, str):
        raise ValueError(f"{markers_path}: stops needs 'punctuation' (list) and 'quote' (string)")
    addressees = lexicon_forms(markers_path, markers.get("addressees"), "addressees")
    limits = {}
    for key in ("max_actor_tokens", "title_colon_max_tokens"):
        value = markers.get(key)
        if not isinstance(value, int) or value < 1:
            raise ValueError(f"{markers_path}: {key!r} must be a positive integer, got {value!r}")
        limits[key] = value

    types = []
    entries = types_data.get("types")
    if not isinstance(entries, list) or not entries:
        raise ValueError(f"{types_path}: expected a non-empty list 'types'")
    for entry in entries:
        name = entry.get("name") if isinstance(entry, dict) else None
        if not name or not entry.get("rationale"):
            raise ValueError(f"{types_path}: every type needs a 'name' and a 'rationale'")
        head_words, head_phrases = _split_entries(types_path, entry.get("heads"), f"{name} heads")
        name_words, name_phrases = _split_entries(types_path, entry.get("names"), f"{name} names")
        types.append(
            ActorType(
                name,
                with_clitics(head_words),
                _phrase_index(head_phrases),
                with_clitics(head_words + name_words),
                _phrase_index(head_phrases + name_phrases),
            )
        )
        if name == "media":
            media_heads = frozenset(head_words)
            media_names = sorted(
                {"".join(p) for p in name_phrases} | set(name_words), key=lambda n: (-len(n), n)
            )
    if "media" not in {t.name for t in types}:
        raise ValueError(f"{types_path}: a type named 'media' is required")
    time_words = {"اليوم", "امس", "صباح", "مساء", "الاحد", "الاثنين", "الثلاثاء", "الاربعاء"}
    time_words |= {"الخميس", "الجمعه", "السبت", "فجر", "ليل", "ليله"}
    return AttributionLexicon(
        verbs=_with_conjunctions(verbs),
        imperfect_verbs=_with_conjunctions([v for v in verbs if v[0] in "يت"]),
        prepositions=_with_conjunctions(prepositions),
        bridge=frozenset(bridge),
        stops=frozenset(stops),
        objects=with_clitics(objects),
        channels=frozenset(channels),
        punctuation=frozenset(map(str, punctuation)),
        quote=quote,
        addressees=frozenset(addressees),
        time_words=frozenset(time_words) & frozenset(stops),
        max_actor_tokens=limits["max_actor_tokens"],
        title_colon_max_tokens=limits["title_colon_max_tokens"],
        types=tuple(types),
        media_heads=media_heads,
        glued_media=re.compile(
            "|".join(re.escape(n) for n in media_names if len(n) >= GLUED_NAME_MIN)
        ),
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
    return "other"


def find_attributions(
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


def extract_attributions(
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
        raise ValueError("extract_attributions: the sentence table has no 'tokens' column")
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
        for attribution in find_attributions(tokens, lexicon, title=is_title):
            rows.append((*key, *attribution))
    return pd.DataFrame(rows, columns=[*keys, *ATTRIBUTION_COLUMNS])


def article_attributions(
    articles: pd.DataFrame,
    fields: Sequence[str] = ("title", "lead", "body"),
    lexicon: AttributionLexicon | None = None,
) -> pd.DataFrame:
    """:func:`extract_attributions` over the sentences of the given article fields."""
    return extract_attributions(article_sentences(articles, fields), lexicon)


# --------------------------------------------------------------------------- comparisons


def article_actor_counts(articles: pd.DataFrame, attributions: pd.DataFrame) -> pd.DataFrame:
    """One row per article: attributions with a named actor, and how many per actor type.

    Columns: doc_id, outlet, attributions (markers with a non-empty actor), then one count
    column per actor type in the lexicon order.  Articles without attributions have zeros.
    """
    types = [t.name for t in load_attribution_lexicon().types]
    named = attributions[attributions["actor_type"] != NO_ACTOR]
    counts = pd.crosstab(named["doc_id"], named["actor_type"]).reindex(columns=types, fill_value=0)
    table = articles[["doc_id", "outlet"]].reset_index(drop=True).join(counts, on="doc_id")
    table[types] = table[types].fillna(0).astype("int64")
    table.insert(2, "attributions", table[types].sum(axis=1))
    return table


def actor_type_shares(
    counts: pd.DataFrame,
    by: str | Sequence[str] = "outlet",
    *,
    n_boot: int = 1000,
    ci: float = 0.95,
    seed: int = 0,
) -> pd.DataFrame:
    """Share of each actor type among named attributions per group, article-bootstrap CIs.

    ``counts`` is :func:`article_actor_counts`.  Columns: the ``by`` columns, actor_type,
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


def top_actors(attributions: pd.DataFrame, by: str = "outlet", n: int = 10) -> pd.DataFrame:
    """The ``n`` most cited actor names per group.

    Columns: ``by``, actor_name, actor_type (most frequent type of that name), count, rank.
    Ties are broken by name so the order is stable.
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
    return counted[counted["rank"] <= n].reset_index(drop=True)


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
            for a in find_attributions(row.tokens, lexicon, title=row.field == "title")
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
