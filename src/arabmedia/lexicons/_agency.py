"""The agency word lists (``lexicons/data/agency``): casualty triggers, actors and causes.

Forms are single tokens in the default normalization, written without clitics.  Groups and
the sections matched like them (name heads, ambiguous senses, hypothetical cues, agent
markers and verbs, target prepositions, victim nouns, clause-break words) are expanded with
:func:`arabmedia.text.surface_words` at the ``full`` level, the rule every lexicon shares;
the words checked right next to a known word (sense exclusions, purpose forms, the words
after a cause) are matched exactly.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, StrictInt

from arabmedia.lexicons._resources import LEXICON_DIR
from arabmedia.lexicons._schema import Strict, Text, normalized_words, read_yaml, validate
from arabmedia.text._clitics import CONJUNCTIONS, surface_words

AGENCY_DIR = LEXICON_DIR / "agency"
TRIGGER_KINDS = ("intransitive", "noun", "kill_verb", "massacre")

Forms = Annotated[list[str], Field(min_length=1)]
Count = Annotated[StrictInt, Field(ge=0)]


class _Group(Strict):
    name: Text
    rationale: Text
    forms: Forms


class _TriggerGroup(_Group):
    kind: Literal["intransitive", "noun", "kill_verb", "massacre"]


class _Words(Strict):
    rationale: Text
    forms: Forms


class _WindowWords(_Words):
    window: Count


class _SenseExclusions(_WindowWords):
    applies_to: Forms


class _HypotheticalCues(_Words):
    before: Count
    purpose_forms: Forms


class _ClauseBreaks(_Words):
    punctuation: Forms


class _CasualtyTerms(Strict):
    groups: Annotated[list[_TriggerGroup], Field(min_length=1)]
    name_heads: _Words
    sense_exclusions: _SenseExclusions
    hypothetical_cues: _HypotheticalCues


class _Agents(Strict):
    groups: Annotated[list[_Group], Field(min_length=1)]
    cause_window: Count
    agent_markers: _WindowWords
    target_prepositions: _Words
    agent_verbs: _WindowWords
    victim_nouns: _Words


class _Causes(Strict):
    groups: Annotated[list[_Group], Field(min_length=1)]
    not_cause_before: _Words
    clause_breaks: _ClauseBreaks


@dataclass(frozen=True)
class AgencyLexicon:
    """The word lists of ``lexicons/data/agency``, expanded with clitics for set look-ups."""

    triggers: dict[str, str]  # surface form -> trigger kind
    name_heads: frozenset[str]
    sense_exclusions: frozenset[str]
    sense_window: int
    ambiguous_senses: frozenset[str]
    hypothetical_cues: frozenset[str]
    hypothetical_before: int
    purpose_forms: frozenset[str]
    actors: frozenset[str]
    cause_window: int
    agent_markers: frozenset[str]
    agent_marker_window: int
    target_prepositions: frozenset[str]
    agent_verbs: frozenset[str]
    agent_verb_window: int
    victim_nouns: frozenset[str]
    causes: frozenset[str]
    not_cause_before: frozenset[str]
    break_punctuation: frozenset[str]
    break_words: frozenset[str]
    coordinated: frozenset[str]  # و/ف + actor or cause: starts a new clause


def _words(path: Path, forms: list[str], entry: str) -> frozenset[str]:
    """The surface forms of normalized one-token ``forms``."""
    return surface_words(normalized_words(forms, path, entry))


def load_agency_lexicon(folder: str | os.PathLike | None = None) -> AgencyLexicon:
    """Read ``casualty_terms.yaml``, ``agents.yaml`` and ``causes.yaml`` from ``folder``.

    ``folder`` defaults to the shipped lists; a researcher passes a folder of their own.
    Raises :class:`~arabmedia.lexicons.LexiconError`.
    """
    folder = Path(folder or AGENCY_DIR)
    terms_path, agents_path, causes_path = (
        folder / name for name in ("casualty_terms.yaml", "agents.yaml", "causes.yaml")
    )
    terms = validate(_CasualtyTerms, read_yaml(terms_path), terms_path)
    agents = validate(_Agents, read_yaml(agents_path), agents_path)
    causes = validate(_Causes, read_yaml(causes_path), causes_path)

    triggers: dict[str, str] = {}
    for group in terms.groups:
        for surface in sorted(_words(terms_path, group.forms, f"group {group.name!r}")):
            triggers.setdefault(surface, group.kind)
    actors = frozenset().union(
        *(_words(agents_path, g.forms, f"group {g.name!r}") for g in agents.groups)
    )
    cause_words = frozenset().union(
        *(_words(causes_path, g.forms, f"group {g.name!r}") for g in causes.groups)
    )
    owners = actors | cause_words
    sense, hypothetical = terms.sense_exclusions, terms.hypothetical_cues
    return AgencyLexicon(
        triggers=triggers,
        name_heads=_words(terms_path, terms.name_heads.forms, "section 'name_heads'"),
        sense_exclusions=frozenset(
            normalized_words(sense.forms, terms_path, "section 'sense_exclusions'")
        ),
        sense_window=sense.window,
        ambiguous_senses=_words(terms_path, sense.applies_to, "section 'sense_exclusions'"),
        hypothetical_cues=_words(terms_path, hypothetical.forms, "section 'hypothetical_cues'"),
        hypothetical_before=hypothetical.before,
        purpose_forms=frozenset(
            normalized_words(hypothetical.purpose_forms, terms_path, "purpose_forms")
        ),
        actors=actors,
        cause_window=agents.cause_window,
        agent_markers=_words(agents_path, agents.agent_markers.forms, "section 'agent_markers'"),
        agent_marker_window=agents.agent_markers.window,
        target_prepositions=_words(
            agents_path, agents.target_prepositions.forms, "section 'target_prepositions'"
        ),
        agent_verbs=_words(agents_path, agents.agent_verbs.forms, "section 'agent_verbs'"),
        agent_verb_window=agents.agent_verbs.window,
        victim_nouns=_words(agents_path, agents.victim_nouns.forms, "section 'victim_nouns'"),
        causes=cause_words,
        not_cause_before=frozenset(
            normalized_words(causes.not_cause_before.forms, causes_path, "not_cause_before")
        ),
        break_punctuation=frozenset(causes.clause_breaks.punctuation),
        break_words=_words(causes_path, causes.clause_breaks.forms, "section 'clause_breaks'"),
        coordinated=frozenset(s for s in owners if s[:1] in CONJUNCTIONS and s[1:] in owners),
    )
