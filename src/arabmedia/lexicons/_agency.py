"""The agency word lists (``lexicons/data/agency``): casualty triggers, actors and causes.

Forms are single tokens in the default normalization, written without clitics.  Groups and
the sections matched like them (name heads, ambiguous senses, hypothetical cues, funeral
words, agent markers and verbs, aspect verbs, responsibility frames, pronoun subjects, target
prepositions, victim nouns, fighting sides, cause links, clause-break words) are expanded with
:func:`arabmedia.text.surface_words` at the ``full`` level, the rule every lexicon shares;
the words checked right next to a known word (sense exclusions, purpose forms, the words
after a cause, the negation's neutral words, break words after a preposition) are matched
exactly.  Clause-break words take
only the conjunctions و/ف (بوسط, الوسط are places, not breaks).  Causes with a third-person
pronoun (غاراته, قصفها) are derived from the cause groups for the pronoun-owner rule.
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


class _AgentMarkers(_WindowWords):
    persons: Forms


class _AgentVerbs(_WindowWords):
    relatives: Forms


class _SenseExclusions(_WindowWords):
    applies_to: Forms


class _HypotheticalCues(_Words):
    before: Count
    complement_before: Count
    purpose_forms: Forms


class _ClauseBreaks(_Words):
    punctuation: Forms
    not_after: Forms
    after_preposition: Forms
    toll_openers: Forms


class _Negation(_WindowWords):
    neutral: Forms


class _Honorific(_Words):
    casualty_context: Forms
    funeral_words: Forms
    not_names: Forms


class _PersonActors(_Words):
    shooter_causes: Forms


class _Responsibility(_WindowWords):
    admissions: Forms


class _FightingSides(_Words):
    prepositions: Forms
    pairs: Forms
    pair_window: Count


class _CasualtyTerms(Strict):
    groups: Annotated[list[_TriggerGroup], Field(min_length=1)]
    name_heads: _Words
    sense_exclusions: _SenseExclusions
    hypothetical_cues: _HypotheticalCues
    honorific: _Honorific
    commemoration_cues: _WindowWords
    negation: _Negation
    object_verbs: _Words


class _Agents(Strict):
    groups: Annotated[list[_Group], Field(min_length=1)]
    cause_window: Count
    agent_markers: _AgentMarkers
    target_prepositions: _Words
    agent_verbs: _AgentVerbs
    aspect_verbs: _WindowWords
    responsibility: _Responsibility
    pronoun_subjects: _Words
    victim_nouns: _Words
    person_actors: _PersonActors
    result_markers: _Words
    speech_verbs: _Words


class _Causes(Strict):
    groups: Annotated[list[_Group], Field(min_length=1)]
    not_cause_before: _Words
    not_cause_after: _Words
    fighting: _FightingSides
    cause_links: _Words
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
    complement_before: int  # reach of a cue before a ب-prefixed killing noun (هدد X باغتيال)
    purpose_forms: frozenset[str]
    honorifics: frozenset[str]
    honorific_context: frozenset[str]
    funeral_words: frozenset[str]  # anywhere in the clause: الشهيد is not a mere title
    not_names: frozenset[str]
    commemoration_cues: frozenset[str]
    commemoration_before: int
    negators: frozenset[str]
    negation_before: int
    negation_neutral: frozenset[str]
    object_verbs: frozenset[str]  # active verb + object pronoun unless spelled with ة
    actors: frozenset[str]
    cause_window: int
    agent_markers: frozenset[str]
    agent_marker_window: int
    person_markers: frozenset[str]  # agent markers after which a person noun is the agent
    target_prepositions: frozenset[str]
    agent_verbs: frozenset[str]
    agent_verb_window: int
    relatives: frozenset[str]  # الذي/التي before a verb with an object pronoun (التي نفذها)
    object_agent_verbs: frozenset[str]  # agent verbs with an object pronoun (نفذها, يشنه)
    aspect_verbs: frozenset[str]  # continue/intend/do: an agent verb only before a killing
    aspect_verb_window: int
    responsibility: frozenset[str]  # responsibility and accusation words before any trigger
    admissions: frozenset[str]  # admission verbs before a killing verb (يقر بقتل)
    responsibility_window: int
    pronoun_subjects: frozenset[str]  # انه, انها before a killing verb: its subject is named before
    victim_nouns: frozenset[str]
    person_actors: frozenset[str]  # members of forces: agents only where grammar says so
    shooter_causes: frozenset[str]
    result_markers: frozenset[str]
    speech_verbs: frozenset[str]
    causes: frozenset[str]
    owned_causes: frozenset[str]  # cause + third-person pronoun (غاراته, قصفها)
    not_cause_before: frozenset[str]
    not_cause_after: frozenset[str]
    fighting: frozenset[str]  # clashes and battles: a side after `side_prepositions` is named
    side_prepositions: frozenset[str]
    pair_words: frozenset[str]  # بين A وB: the و-prefixed B continues the phrase
    pair_window: int
    cause_links: frozenset[str]  # اثر, جراء: the cause after them explains the casualty before
    break_punctuation: frozenset[str]
    break_words: frozenset[str]
    break_not_after: frozenset[str]
    break_after_preposition: frozenset[str]  # في حين: a break after a preposition too
    coordinated: frozenset[str]  # و/ف + actor, cause or toll noun: starts a new clause


def _words(path: Path, forms: list[str], entry: str) -> frozenset[str]:
    """The surface forms of normalized one-token ``forms``."""
    return surface_words(normalized_words(forms, path, entry))


#: Third-person pronouns that make a cause owned by an antecedent (غاراته, قصفها, عدوانهم).
OWNER_PRONOUNS = ("ه", "ها", "هم", "هما")


def _owned(path: Path, groups: list[_Group]) -> frozenset[str]:
    """Cause forms without the article carrying a third-person pronoun (ة written ت)."""
    stems = []
    for group in groups:
        for form in normalized_words(group.forms, path, f"group {group.name!r}"):
            if form.startswith("ال"):
                continue
            stem = form[:-1] + "ت" if form.endswith("ه") else form
            stems.extend(stem + pronoun for pronoun in OWNER_PRONOUNS)
    return surface_words(stems)


def _duals(path: Path, groups: list[_Group]) -> frozenset[str]:
    """The dual of each cause form without the article (اعتداءين, غارتين, هجومان; ة written
    ت), so a pair of strikes is a cause like one."""
    stems = []
    for group in groups:
        for form in normalized_words(group.forms, path, f"group {group.name!r}"):
            if not form.startswith("ال"):
                stem = form[:-1] + "ت" if form.endswith("ه") else form
                stems.extend((stem + "ين", stem + "ان"))
    return surface_words(stems)


def _with_object(path: Path, forms: list[str]) -> frozenset[str]:
    """The agent verb forms that are another listed form plus a third-person object pronoun
    (نفذها = نفذ + ها, نفذته = نفذت + ه), with و/ف."""
    words = frozenset(normalized_words(forms, path, "section 'agent_verbs'"))
    found = [
        word
        for word in words
        if any(word.endswith(p) and word[: -len(p)] in words for p in OWNER_PRONOUNS)
    ]
    return surface_words(found, "conjunctions")


def _coordinated(path: Path, forms: list[str]) -> frozenset[str]:
    """The و/ف-prefixed surface forms of ``forms`` (without the bare forms)."""
    words = normalized_words(forms, path, "section 'clause_breaks'")
    return surface_words(words, "conjunctions") - frozenset(words)


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
    cause_words |= _duals(causes_path, causes.groups)
    owners = actors | cause_words
    sense, hypothetical = terms.sense_exclusions, terms.hypothetical_cues
    memory, negation, persons = terms.commemoration_cues, terms.negation, agents.person_actors
    frames = agents.responsibility
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
        complement_before=hypothetical.complement_before,
        purpose_forms=frozenset(
            normalized_words(hypothetical.purpose_forms, terms_path, "purpose_forms")
        ),
        honorifics=_words(terms_path, terms.honorific.forms, "section 'honorific'"),
        honorific_context=_words(
            terms_path, terms.honorific.casualty_context, "section 'honorific'"
        ),
        funeral_words=_words(terms_path, terms.honorific.funeral_words, "section 'honorific'"),
        not_names=_words(terms_path, terms.honorific.not_names, "section 'honorific'"),
        commemoration_cues=_words(terms_path, memory.forms, "section 'commemoration_cues'"),
        commemoration_before=memory.window,
        negators=_words(terms_path, negation.forms, "section 'negation'"),
        negation_before=negation.window,
        negation_neutral=frozenset(normalized_words(negation.neutral, terms_path, "negation")),
        object_verbs=_words(terms_path, terms.object_verbs.forms, "section 'object_verbs'"),
        actors=actors,
        cause_window=agents.cause_window,
        agent_markers=_words(agents_path, agents.agent_markers.forms, "section 'agent_markers'"),
        agent_marker_window=agents.agent_markers.window,
        person_markers=_words(agents_path, agents.agent_markers.persons, "section 'agent_markers'"),
        target_prepositions=_words(
            agents_path, agents.target_prepositions.forms, "section 'target_prepositions'"
        ),
        agent_verbs=_words(agents_path, agents.agent_verbs.forms, "section 'agent_verbs'"),
        agent_verb_window=agents.agent_verbs.window,
        relatives=_words(agents_path, agents.agent_verbs.relatives, "section 'agent_verbs'"),
        object_agent_verbs=_with_object(agents_path, agents.agent_verbs.forms),
        aspect_verbs=_words(agents_path, agents.aspect_verbs.forms, "section 'aspect_verbs'"),
        aspect_verb_window=agents.aspect_verbs.window,
        responsibility=_words(agents_path, frames.forms, "section 'responsibility'"),
        admissions=_words(agents_path, frames.admissions, "section 'responsibility'"),
        responsibility_window=frames.window,
        pronoun_subjects=_words(
            agents_path, agents.pronoun_subjects.forms, "section 'pronoun_subjects'"
        ),
        victim_nouns=_words(agents_path, agents.victim_nouns.forms, "section 'victim_nouns'"),
        person_actors=_words(agents_path, persons.forms, "section 'person_actors'"),
        shooter_causes=_words(agents_path, persons.shooter_causes, "section 'person_actors'"),
        result_markers=_words(agents_path, agents.result_markers.forms, "section 'result_markers'"),
        speech_verbs=_words(agents_path, agents.speech_verbs.forms, "section 'speech_verbs'"),
        causes=cause_words,
        owned_causes=_owned(causes_path, causes.groups) - cause_words,
        not_cause_before=frozenset(
            normalized_words(causes.not_cause_before.forms, causes_path, "not_cause_before")
        ),
        not_cause_after=_words(
            causes_path, causes.not_cause_after.forms, "section 'not_cause_after'"
        ),
        fighting=_words(causes_path, causes.fighting.forms, "section 'fighting'"),
        side_prepositions=_words(causes_path, causes.fighting.prepositions, "section 'fighting'"),
        pair_words=_words(causes_path, causes.fighting.pairs, "section 'fighting'"),
        pair_window=causes.fighting.pair_window,
        cause_links=_words(causes_path, causes.cause_links.forms, "section 'cause_links'"),
        break_punctuation=frozenset(causes.clause_breaks.punctuation),
        break_words=surface_words(
            normalized_words(causes.clause_breaks.forms, causes_path, "clause_breaks"),
            "conjunctions",
        ),
        break_not_after=_words(
            causes_path, causes.clause_breaks.not_after, "section 'clause_breaks'"
        ),
        break_after_preposition=frozenset(
            normalized_words(causes.clause_breaks.after_preposition, causes_path, "clause_breaks")
        ),
        coordinated=frozenset(s for s in owners if s[:1] in CONJUNCTIONS and s[1:] in owners)
        | _coordinated(causes_path, causes.clause_breaks.toll_openers),
    )
