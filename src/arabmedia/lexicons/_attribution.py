"""The attribution word lists (``lexicons/data/attribution``): markers and actor types.

Entries are in the default normalization, written without clitics, and expanded with
:func:`arabmedia.text.surface_forms`, the rule every lexicon shares: speech verbs and citing
prepositions at the ``conjunctions`` level (و/ف only: وقال, but never بقال "grocer");
reported-content nouns (``objects``) and actor-type heads and names at the ``full`` level
(phrases take clitics on their first word); the words that end or bridge a span (bridge,
stops, channels, addressees) are matched exactly, since they are checked at fixed positions.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

from pydantic import Field, StrictInt

from arabmedia.lexicons._errors import LexiconError
from arabmedia.lexicons._resources import LEXICON_DIR
from arabmedia.lexicons._schema import Strict, Text, normalized_words, read_yaml, validate
from arabmedia.text._clitics import PhraseIndex, surface_forms, surface_words

ATTRIBUTION_DIR = LEXICON_DIR / "attribution"
GLUED_NAME_MIN = 5  # a media name this long glued into a longer token ends the actor
TIME_WORDS = frozenset(
    {"اليوم", "امس", "صباح", "مساء", "الاحد", "الاثنين", "الثلاثاء", "الاربعاء"}
    | {"الخميس", "الجمعه", "السبت", "فجر", "ليل", "ليله"}
)

Forms = Annotated[list[str], Field(min_length=1)]


class _Words(Strict):
    rationale: Text
    forms: Forms


class _Stops(_Words):
    objects: Forms
    channels: Forms
    punctuation: Forms
    quote: Text


class _Markers(Strict):
    verbs: _Words
    prepositions: _Words
    bridge: _Words
    stops: _Stops
    addressees: _Words
    max_actor_tokens: Annotated[StrictInt, Field(ge=1)]
    title_colon_max_tokens: Annotated[StrictInt, Field(ge=1)]


class _ActorTypeRecord(Strict):
    name: Text
    rationale: Text
    heads: list[str]
    names: list[str]


class _ActorTypes(Strict):
    types: Annotated[list[_ActorTypeRecord], Field(min_length=1)]


@dataclass(frozen=True)
class ActorType:
    """One actor type: head words/phrases (first tokens) and name words/phrases (anywhere)."""

    name: str
    head_words: frozenset[str]
    head_phrases: PhraseIndex
    words: frozenset[str]  # head and name words
    phrases: PhraseIndex  # head and name phrases

    def has_head(self, tokens: Sequence[str]) -> bool:
        """Does the phrase start with one of this type's heads?"""
        return tokens[0] in self.head_words or bool(self.head_phrases.at(tokens, 0))

    def mentions(self, tokens: Sequence[str]) -> bool:
        """Does any head or name of this type occur anywhere in the phrase?"""
        return any(
            token in self.words or bool(self.phrases.at(tokens, i))
            for i, token in enumerate(tokens)
        )


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


def _split_entries(path: Path, entries: list[str], entry: str) -> tuple[list[str], list[tuple]]:
    """Single words and multi-word phrases of a list, each checked to be normalized."""
    words = [e for e in entries if " " not in e]
    phrases = [tuple(e.split(" ")) for e in entries if " " in e]
    normalized_words([w for phrase in phrases for w in phrase] + words, path, entry)
    return words, phrases


def _phrase_index(phrases: Sequence[tuple[str, ...]]) -> PhraseIndex:
    return PhraseIndex((form, None) for phrase in phrases for form in surface_forms(phrase))


def load_attribution_lexicon(folder: str | os.PathLike | None = None) -> AttributionLexicon:
    """Read ``markers.yaml`` and ``actor_types.yaml`` from ``folder`` (default: shipped)."""
    folder = Path(folder or ATTRIBUTION_DIR)
    markers_path, types_path = folder / "markers.yaml", folder / "actor_types.yaml"
    markers = validate(_Markers, read_yaml(markers_path), markers_path)
    types_data = validate(_ActorTypes, read_yaml(types_path), types_path)

    def words(section: str, forms: list[str]) -> tuple[str, ...]:
        return normalized_words(forms, markers_path, f"section {section!r}")

    verbs = words("verbs", markers.verbs.forms)
    stops = frozenset(words("stops", markers.stops.forms))
    types, media_heads, media_names = [], frozenset(), []
    for record in types_data.types:
        where = f"type {record.name!r}"
        head_words, head_phrases = _split_entries(types_path, record.heads, where)
        name_words, name_phrases = _split_entries(types_path, record.names, where)
        types.append(
            ActorType(
                record.name,
                surface_words(head_words),
                _phrase_index(head_phrases),
                surface_words(head_words + name_words),
                _phrase_index(head_phrases + name_phrases),
            )
        )
        if record.name == "media":
            media_heads = frozenset(head_words)
            media_names = sorted(
                {"".join(p) for p in name_phrases} | set(name_words), key=lambda n: (-len(n), n)
            )
    if "media" not in {t.name for t in types}:
        raise LexiconError(types_path, "a type named 'media' is required")
    return AttributionLexicon(
        verbs=surface_words(verbs, "conjunctions"),
        imperfect_verbs=surface_words([v for v in verbs if v[0] in "يت"], "conjunctions"),
        prepositions=surface_words(
            words("prepositions", markers.prepositions.forms), "conjunctions"
        ),
        bridge=frozenset(words("bridge", markers.bridge.forms)),
        stops=stops,
        objects=surface_words(words("objects", markers.stops.objects)),
        channels=frozenset(words("channels", markers.stops.channels)),
        punctuation=frozenset(markers.stops.punctuation),
        quote=markers.stops.quote,
        addressees=frozenset(words("addressees", markers.addressees.forms)),
        time_words=TIME_WORDS & stops,
        max_actor_tokens=markers.max_actor_tokens,
        title_colon_max_tokens=markers.title_colon_max_tokens,
        types=tuple(types),
        media_heads=media_heads,
        glued_media=re.compile(
            "|".join(re.escape(n) for n in media_names if len(n) >= GLUED_NAME_MIN)
        ),
    )
