"""Term sets: competing names (variants) of the same concepts, read from YAML.

Format: ``lexicons/data/terms/README.md``.  Each variant's patterns are normalized like the
texts and expanded with :func:`arabmedia.text.surface_forms` (the variant's ``clitics`` and
``enclitics``), so a pattern matches the same words as in every other lexicon.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Annotated

import pandas as pd
from pydantic import Field, StrictBool

from arabmedia.lexicons._errors import LexiconError
from arabmedia.lexicons._resources import LEXICON_DIR
from arabmedia.lexicons._schema import (
    Clitics,
    Identifier,
    Strict,
    Text,
    entry_tokens,
    read_yaml,
    resolve_path,
    validate,
)
from arabmedia.text._clitics import CliticLevel, surface_forms
from arabmedia.text._normalize import DEFAULT_SETTINGS, NormalizeSettings

TERMS_DIR = LEXICON_DIR / "terms"

Patterns = Annotated[list[str | int], Field(min_length=1)]


class _VariantRecord(Strict):
    id: Identifier
    label: Text
    patterns: Patterns
    clitics: Clitics
    enclitics: StrictBool = False
    rationale: Text
    reference: Text | None = None


class _ConceptRecord(Strict):
    id: Identifier
    label: Text
    description: Text | None = None
    variants: Annotated[list[_VariantRecord], Field(min_length=1)]
    exclude: Patterns | None = None


class _TermSetRecord(Strict):
    name: Text
    description: Text | None = None
    concepts: Annotated[list[_ConceptRecord], Field(min_length=1)]


@dataclass(frozen=True)
class Variant:
    """One competing name: its patterns (normalized token tuples) and their surface forms."""

    id: str
    label: str
    patterns: tuple[tuple[str, ...], ...]
    forms: tuple[tuple[str, ...], ...]
    clitics: CliticLevel
    enclitics: bool
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

        Columns: concept, concept_label, variant, label, n_patterns, n_forms, clitics,
        enclitics, rationale, reference.
        """
        rows = [
            (c.id, c.label, v.id, v.label, len(v.patterns), len(v.forms), *flags)
            for c in self.concepts
            for v in c.variants
            for flags in [(v.clitics, v.enclitics, v.rationale, v.reference)]
        ]
        columns = ["concept", "concept_label", "variant", "label", "n_patterns", "n_forms"]
        columns += ["clitics", "enclitics", "rationale", "reference"]
        return pd.DataFrame(rows, columns=columns)

    def forms(self) -> pd.DataFrame:
        """Every surface form matched: concept, variant, form, n_tokens, counted.

        Excluded forms have variant "" and counted False.
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


def _patterns(raw: Sequence[str | int], source: str, entry: str, settings: NormalizeSettings):
    return list(dict.fromkeys(entry_tokens(str(text), source, entry, settings) for text in raw))


def _variant(
    record: _VariantRecord, source: str, concept: str, settings: NormalizeSettings
) -> Variant:
    entry = f"concept {concept!r}, variant {record.id!r}"
    if record.clitics == "exact" and record.enclitics:
        raise LexiconError(source, "'exact' entries take no enclitics", entry)
    patterns = _patterns(record.patterns, source, entry, settings)
    forms = [
        form
        for pattern in patterns
        for form in surface_forms(pattern, record.clitics, enclitics=record.enclitics)
    ]
    return Variant(
        id=record.id,
        label=record.label,
        patterns=tuple(patterns),
        forms=tuple(dict.fromkeys(forms)),
        clitics=record.clitics,
        enclitics=record.enclitics,
        rationale=" ".join(record.rationale.split()),
        reference=record.reference,
    )


def _concept(record: _ConceptRecord, source: str, settings: NormalizeSettings) -> Concept:
    entry = f"concept {record.id!r}"
    variants = [_variant(raw, source, record.id, settings) for raw in record.variants]
    exclude = [
        form
        for pattern in _patterns(record.exclude or [], source, f"{entry}, exclude", settings)
        for form in surface_forms(pattern)
    ]
    owner: dict[tuple[str, ...], str] = dict.fromkeys(exclude, "exclude")
    for variant in variants:
        where = f"{entry}, variant {variant.id!r}"
        if sum(v.id == variant.id for v in variants) > 1:
            raise LexiconError(source, "variant id used twice", where)
        for form in variant.forms:
            other = owner.setdefault(form, variant.id)
            if other != variant.id:
                raise LexiconError(
                    source,
                    f"surface form {' '.join(form)!r} is also produced by {other!r}; a mention "
                    "must belong to one name (remove it from one of them, or make one exact)",
                    where,
                )
    return Concept(
        id=record.id,
        label=record.label,
        description=record.description or "",
        variants=tuple(variants),
        exclude=tuple(dict.fromkeys(exclude)),
    )


def parse_term_sets(
    data: object, source: str = "<term sets>", settings: NormalizeSettings = DEFAULT_SETTINGS
) -> TermSets:
    """Validate already-parsed YAML ``data`` (a mapping) into :class:`TermSets`."""
    record = validate(_TermSetRecord, data, source)
    concepts = [_concept(raw, source, settings) for raw in record.concepts]
    ids = [c.id for c in concepts]
    for cid in ids:
        if ids.count(cid) > 1:
            raise LexiconError(source, "concept id used twice", f"concept {cid!r}")
    return TermSets(
        name=record.name,
        description=" ".join((record.description or "").split()),
        source=source,
        concepts=tuple(concepts),
    )


def load_term_sets(
    path: str | os.PathLike = "gaza_war", settings: NormalizeSettings = DEFAULT_SETTINGS
) -> TermSets:
    """Read and validate a term-set YAML file; patterns are normalized with ``settings``.

    ``path`` is a researcher's YAML file or the name of a term set shipped in
    ``lexicons/data/terms`` (e.g. ``"gaza_war"``).  Raises :class:`LexiconError`.
    """
    path = resolve_path(path, TERMS_DIR, "term-set")
    return parse_term_sets(read_yaml(path), str(path), settings)


def term_sets_from_terms(
    terms: Mapping[str, Sequence[str]],
    *,
    concept: str = "terms",
    clitics: CliticLevel = "full",
    enclitics: bool = False,
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
            "clitics": clitics,
            "enclitics": enclitics,
            "rationale": "ad hoc",
        }
        for number, (label, patterns) in enumerate(terms.items(), start=1)
    ]
    data = {"name": "ad hoc", "concepts": [{"id": concept, "label": concept, "variants": variants}]}
    return parse_term_sets(data, "<ad hoc terms>", settings)
