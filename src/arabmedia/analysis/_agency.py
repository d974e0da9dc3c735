"""Agency in casualty reporting: who, if anyone, is named as causing deaths and injuries.

War coverage can name the agent of deaths (قتل الجيش الاسرائيلي, برصاص الاحتلال, بقصف
اسرائيلي), name only a cause (غاره, قصف, انفجار) or report the dead without either (استشهد,
مقتل, سقوط ضحايا).  Each sentence that reports deaths or injuries gets one label:

* ``perpetrator_named`` - an actor is linked to the casualty as its agent;
* ``cause_without_actor`` - a cause, weapon or event is named, but no actor;
* ``agentless`` - neither;
* ``not_casualty`` - the sentence reports no deaths or injuries.

The codebook (data/gold/README_agency.md) defines the classes; the rules here approximate it on
normalized tokens (:mod:`arabmedia.text`) with word lists in ``lexicons/data/agency/*.yaml``:

1. Triggers are casualty words (``casualty_terms.yaml``) that are not part of a name (مستشفي
   شهداء الاقصي), not another sense (اصابه مباشره, استشهد بدراسه) and not a threat, plan or
   purpose (هدد بقتل, لقتل).  No trigger: ``not_casualty``.
   Commemorations (ذكري استشهاد), negations (دون وقوع اصابات, لم يسفر عن قتلي), metaphors
   (قتل الامل), commandments (لا يجوز قتل), orders, conditionals and predictions drop a
   trigger too; a killing noun with ب is checked further back for the threat or order
   governing it (تهديدات نتنياهو ، باغتيال).  Quotation marks are read past (برصاص "جيش
   الاحتلال").
2. Each trigger's clause runs to the nearest clause break (punctuation, بينما/فيما/...; not
   such a word used as a place after a preposition, في وسط, but في حين; a و-prefixed actor or
   cause word starts a new clause unless it continues a list or a بين pair, and so does a
   و-prefixed toll noun, تواصل الاشتباكات وارتفاع حصيله الشهداء), at most
   :data:`CLAUSE_REACH` tokens away.
3. In the clause, an actor (``agents.yaml``) counts as the agent when it is the subject of a
   killing verb (قتلت قوات, الاحتلال يقتل; after a verb with an object pronoun, اصابه قناص,
   also a person noun), of an agent verb (ارتكب الاحتلال, اطلق جندي النار), follows an agent
   marker (علي يد, من قبل), of an aspect verb governing a killing or a cause (اسرائيل تواصل
   قتل), is held responsible or admits a killing (تقر بمسؤوليتها عن مقتل, يقر بقتل), claims it
   (اعلن الجيش انه قتل) or owns a cause noun (غاره اسرائيليه, مجزره ارتكبها الاحتلال, برصاص
   جندي; a party to fighting, معركه ضد المقاومه; not after ب, a place: مظاهرات باسرائيل), and
   is neither a victim description (جندي اسرائيلي, قتلي الجيش) nor a target (هجوم علي
   الاحتلال).  A cause with a pronoun (غاراته) and a relative verb with an object pronoun
   (العمليه التي نفذها) are owned by the first actor named before them in the sentence; a
   trigger after a result link (ما ادي الي, موقعه) by the first actor of the clause it results
   from (speakers excepted: اعلن الجيش); a cause after a cause link later in the sentence (،
   اثر قصف اسرائيلي) by its owner.  A cause noun's dual counts as the noun (اعتداءين).
4. Otherwise a cause noun (``causes.yaml``) within :data:`CAUSE_REACH` tokens of the trigger
   in its clause (or in the cause clause of a result link, or after a cause link) gives
   ``cause_without_actor``.  A ``الشهيد`` before a name with neither and no funeral word
   (الشهيد انس الشريف:) is an honorific title:
   ``not_casualty``; anything else is ``agentless``.  A sentence takes the strongest label over
   its triggers (perpetrator_named > cause_without_actor > agentless > not_casualty).

Speakers are not agents because they are never linked by these patterns (قال الجيش ان جنديا
قتل is agentless), and juxtaposed headline clauses are cut apart (شهداء في غزه والاحتلال
يواصل القصف).
"""

from __future__ import annotations

import hashlib
from collections.abc import Container, Iterable, Sequence
from pathlib import Path
from typing import NamedTuple

import pandas as pd

from arabmedia.config import Settings
from arabmedia.lexicons._agency import AgencyLexicon, load_agency_lexicon
from arabmedia.text._normalize import NormalizeSettings, normalize_many, tokenize_many
from arabmedia.text._sentences import split_sentences

LABELS = ("perpetrator_named", "cause_without_actor", "agentless", "not_casualty")
CASUALTY_LABELS = LABELS[:3]
CLAUSE_REACH = 20  # tokens either side of a trigger that its clause may span


CAUSE_REACH = 12  # tokens either side of a trigger within which an unowned cause counts
EVIDENCE_REACH = 4  # tokens either side of the trigger kept as evidence
SENTENCE_COLUMNS = ("doc_id", "outlet", "field", "sentence_index", "text", "tokens")
REFERENCE_COLUMNS = ("doc_id", "sentence_index", "field", "sentence_sha256")


# --------------------------------------------------------------------------- sentences

#: Articles split and classified at a time by :func:`find_casualty_sentences`.
CHUNK_ARTICLES = 1000


def sentence_sha(sentence: str) -> str:
    """First 16 hex digits of the sha256 of the normalized sentence (a gold-set reference)."""
    normalized = normalize_many([sentence])[0]
    return hashlib.sha256(normalized.encode("utf-8")).hexdigest()[:16]


def article_sentences(
    articles: pd.DataFrame, fields: Sequence[str] = ("title", "lead", "body")
) -> pd.DataFrame:
    """Every sentence of the given text fields, split once and tokenized once.

    Sentences come from :func:`arabmedia.text.split_sentences` on each field's original
    text; ``sentence_index`` counts within the field.  Columns: doc_id, outlet, field,
    sentence_index (int), text (original sentence), tokens (list of normalized tokens,
    punctuation kept).  Row order: articles in table order, fields in the given order.
    """
    missing = [c for c in ("doc_id", "outlet", *fields) if c not in articles.columns]
    if missing:
        raise ValueError(f"article_sentences: the article table has no column(s) {missing}")
    doc_ids, outlets, field_names, indices, texts = [], [], [], [], []
    ids_and_outlets = [articles[c].fillna("").astype(str).tolist() for c in ("doc_id", "outlet")]
    for field in fields:
        values = articles[field].fillna("").astype(str)
        for doc_id, outlet, value in zip(*ids_and_outlets, values, strict=True):
            if not value:
                continue
            for index, sentence in enumerate(split_sentences(value)):
                doc_ids.append(doc_id)
                outlets.append(outlet)
                field_names.append(field)
                indices.append(index)
                texts.append(sentence)
    return pd.DataFrame(
        {
            "doc_id": pd.Series(doc_ids, dtype="str"),
            "outlet": pd.Series(outlets, dtype="str"),
            "field": pd.Series(field_names, dtype="str"),
            "sentence_index": pd.Series(indices, dtype="int64"),
            "text": pd.Series(texts, dtype="str"),
            "tokens": pd.Series(tokenize_many(texts), dtype="object"),
        }
    )


# --------------------------------------------------------------------------- classification


class AgencyDecision(NamedTuple):
    """The label of one sentence and what decided it (empty strings when not applicable)."""

    label: str
    trigger: str
    trigger_index: int
    agent: str
    cause: str
    rule: str


NOT_CASUALTY = AgencyDecision("not_casualty", "", -1, "", "", "no trigger")

#: Quotation marks as the default normalization writes them; the rules read past them
#: (برصاص "جيش الاحتلال"), so they never stand between a cause or verb and its agent.
QUOTE_MARKS = frozenset({'"', "'"})


class _Trigger(NamedTuple):
    index: int
    kind: str
    object_verb: bool  # an active verb with an object pronoun (اصابه قناص)


#: Proclitic chains of the preposition ب (بـ, وبـ, فبـ).
B_PREFIXES = ("ب", "وب", "فب")


def _with_preposition_b(token: str, words: Container[str]) -> bool:
    """Whether ``token`` is ب + one of ``words`` (باسرائيل "in Israel", باغتيال)."""
    return any(token.startswith(p) and token[len(p) :] in words for p in B_PREFIXES)


def _negated(tokens: Sequence[str], index: int, lex: AgencyLexicon) -> bool:
    """A negator before the trigger with only neutral words between (دون وقوع اصابات)."""
    for at in range(index - 1, max(-1, index - 1 - lex.negation_before), -1):
        if tokens[at] in lex.negators:
            return True
        if tokens[at] not in lex.negation_neutral:
            return False
    return False


def _triggers(
    tokens: Sequence[str], lex: AgencyLexicon, marbuta: Sequence[bool] | None = None
) -> list[_Trigger]:
    """The casualty triggers that survive the name, sense, threat, memory and negation checks.

    ``marbuta`` (one flag per token: the original ends in ة) tells a noun from the verb with
    an object pronoun that normalizes alike (اصابة injury, أصابه hit him); without it, each
    form keeps the kind of its word-list group.
    """
    found = []
    for index, token in enumerate(tokens):
        kind = lex.triggers.get(token)
        if kind is None or token in lex.purpose_forms:
            continue
        object_verb = False
        if marbuta is not None and token in lex.object_verbs:
            object_verb = not marbuta[index]
            kind = "kill_verb" if object_verb else "noun"
        if index > 0 and tokens[index - 1] in lex.name_heads:
            continue
        if token in lex.ambiguous_senses and any(
            t in lex.sense_exclusions for t in tokens[index + 1 : index + 1 + lex.sense_window]
        ):
            continue
        reach = lex.hypothetical_before
        if kind == "kill_verb" and _with_preposition_b(token, lex.triggers):
            clause_reach = min(lex.complement_before, index - _clause(tokens, index, lex)[0])
            reach = max(reach, clause_reach)
        before = tokens[max(0, index - reach) : index]
        if any(t in lex.hypothetical_cues for t in before):
            continue
        remembered = tokens[max(0, index - lex.commemoration_before) : index]
        if any(t in lex.commemoration_cues for t in remembered) or _negated(tokens, index, lex):
            continue
        found.append(_Trigger(index, kind, object_verb))
    return found


def _is_title(tokens: Sequence[str], index: int, clause: range, lex: AgencyLexicon) -> bool:
    """الشهيد as an honorific before a name, not after a word that makes the death the topic
    nor in a ``clause`` with a funeral word (الشهيد هنيه يواري في الثري)."""
    if tokens[index] not in lex.honorifics or index + 1 >= len(tokens):
        return False
    if any(tokens[p] in lex.funeral_words for p in clause):
        return False
    following = tokens[index + 1]
    previous = tokens[index - 1] if index > 0 else ""
    known = (
        following in lex.not_names
        or following in lex.actors
        or following in lex.causes
        or following in lex.triggers
        or following in lex.break_words
        or not following[0].isalpha()
    )
    return not known and previous not in lex.honorific_context


def _is_break(tokens: Sequence[str], position: int, lex: AgencyLexicon) -> bool:
    """Punctuation, or a break word not used as a noun after a preposition (في وسط)."""
    token = tokens[position]
    if token in lex.break_punctuation:
        return True
    previous = tokens[position - 1] if position > 0 else ""
    if token not in lex.break_words:
        return False
    return previous not in lex.break_not_after or token in lex.break_after_preposition


def _opens_clause(tokens: Sequence[str], position: int, lex: AgencyLexicon) -> bool:
    """A و/ف-prefixed actor or cause word that does not continue a list of such words, of
    verbal nouns of killing (القتل والتجويع) or a pair after بين (بين الجيش والمسلحين)."""
    if tokens[position] not in lex.coordinated:
        return False
    previous = tokens[position - 1] if position > 0 else ""
    killing = lex.triggers.get(previous) == "kill_verb"
    paired = any(t in lex.pair_words for t in tokens[max(0, position - lex.pair_window) : position])
    return not (previous in lex.actors or previous in lex.causes or killing or paired)


def _clause(tokens: Sequence[str], index: int, lex: AgencyLexicon) -> tuple[int, int]:
    """``[start, end)`` of the trigger's clause (see module doc)."""
    start = index
    while start > 0 and index - start < CLAUSE_REACH:
        if _is_break(tokens, start - 1, lex):
            break
        start -= 1
        if _opens_clause(tokens, start, lex):
            break
    end = index + 1
    while end < len(tokens) and end - index <= CLAUSE_REACH:
        if _is_break(tokens, end, lex) or _opens_clause(tokens, end, lex):
            break
        end += 1
    return start, end


def _segment_start(tokens: Sequence[str], index: int, lex: AgencyLexicon) -> int:
    """Start of the stretch before ``index`` up to sentence punctuation (at most
    2 x :data:`CLAUSE_REACH` tokens): where a result link or a pronoun looks for its actor."""
    start = index
    while start > 0 and index - start < 2 * CLAUSE_REACH:
        if tokens[start - 1] in lex.break_punctuation:
            break
        start -= 1
    return start


def _segment_end(tokens: Sequence[str], index: int, lex: AgencyLexicon) -> int:
    """End (exclusive) of the stretch after ``index`` up to sentence punctuation (at most
    2 x :data:`CLAUSE_REACH` tokens): how far a cause link (اثر قصف) may stand."""
    end = index + 1
    while end < len(tokens) and end - index <= 2 * CLAUSE_REACH:
        if tokens[end] in lex.break_punctuation:
            break
        end += 1
    return end


def _is_agent_at(
    tokens: Sequence[str], position: int, lex: AgencyLexicon, *, person: bool = False
) -> bool:
    """An actor word (with ``person``, also a person noun such as جندي) that is neither a
    victim description nor an attack target."""
    token = tokens[position]
    if token not in lex.actors and not (person and token in lex.person_actors):
        return False
    if position == 0:
        return True
    previous = tokens[position - 1]
    return not (
        previous in lex.victim_nouns
        or previous in lex.target_prepositions
        or (previous in lex.triggers and lex.triggers[previous] == "noun")
    )


def _is_cause_at(tokens: Sequence[str], position: int, lex: AgencyLexicon) -> bool:
    """A cause word not used in another sense (اطلاق سراح, وقف اطلاق النار) nor in a name."""
    if tokens[position] not in lex.causes:
        return False
    following = tokens[position + 1] if position + 1 < len(tokens) else ""
    previous = tokens[position - 1] if position > 0 else ""
    return not (
        following in lex.not_cause_before
        or previous in lex.not_cause_after
        or previous in lex.name_heads
    )


def _actor_phrase(tokens: Sequence[str], position: int, lex: AgencyLexicon) -> str:
    """The actor word at ``position`` and the actor words right after it."""
    end = position + 1
    while end < len(tokens) and end - position < 4 and tokens[end] in lex.actors:
        end += 1
    return " ".join(tokens[position:end])


def _first_agent(
    tokens: Sequence[str],
    positions: Iterable[int],
    start: int,
    end: int,
    lex: AgencyLexicon,
    persons: Iterable[int] = (),
) -> int | None:
    """The first position (in the given order) inside ``[start, end)`` holding an agent;
    at the ``persons`` positions a person noun counts too."""
    persons = frozenset(persons)
    for position in positions:
        if start <= position < end and _is_agent_at(
            tokens, position, lex, person=position in persons
        ):
            return position
    return None


def _antecedent(tokens: Sequence[str], start: int, end: int, lex: AgencyLexicon) -> int | None:
    """The first actor in ``[start, end)`` that is not a speaker (قال الجيش), victim or target:
    the subject of a cause clause or the antecedent of a pronoun."""
    for position in range(start, end):
        previous = tokens[position - 1] if position > 0 else ""
        if previous not in lex.speech_verbs and _is_agent_at(tokens, position, lex):
            while position > start and tokens[position - 1] in lex.actors:
                position -= 1
            return position
    return None


def _cause_owner(
    tokens: Sequence[str], position: int, start: int, end: int, lex: AgencyLexicon
) -> int | None:
    """The actor owning the cause at ``position``: up to ``cause_window`` tokens after it (a
    person noun right after a shooter cause, برصاص جندي), or for clashes and battles a party
    after a side preposition (مواجهات مع الامن, معركه ضد المقاومه, المعارك بين الجيش و...).
    An actor with the preposition ب names a place or means, not the owner (ومظاهرات باسرائيل).
    """
    window = [
        at
        for at in range(position + 1, position + 1 + lex.cause_window)
        if not (at < len(tokens) and _with_preposition_b(tokens[at], lex.actors))
    ]
    persons = [position + 1] if tokens[position] in lex.shooter_causes else []
    found = _first_agent(tokens, window, start, end, lex, persons)
    if found is not None or tokens[position] not in lex.fighting:
        return found
    for at in window:
        side = at + 1
        if side < end and tokens[at] in lex.side_prepositions and tokens[side] in lex.actors:
            return side
    return None


def _governs_killing(tokens: Sequence[str], position: int, end: int, lex: AgencyLexicon) -> bool:
    """Whether the aspect verb at ``position`` governs, within its window, a killing verbal
    noun, a cause or an agent verb (اسرائيل تواصل قتل, يواصل الاحتلال حرب الاباده)."""
    for at in range(position + 1, min(end, position + 1 + lex.aspect_verb_window)):
        token = tokens[at]
        if lex.triggers.get(token) in ("kill_verb", "massacre") or token in lex.agent_verbs:
            return True
        if _is_cause_at(tokens, at, lex) or token in lex.owned_causes:
            return True
    return False


def _relative_pronoun_subject(tokens: Sequence[str], position: int, lex: AgencyLexicon) -> bool:
    """Whether the agent verb at ``position`` is a relative verb with an object pronoun
    (العمليه التي نفذها): its subject is a pronoun whose antecedent is named before."""
    previous = tokens[position - 1] if position > 0 else ""
    return previous in lex.relatives and tokens[position] in lex.object_agent_verbs


def _frame_agent(
    tokens: Sequence[str], trigger: _Trigger, start: int, lex: AgencyLexicon
) -> int | None:
    """The actor held responsible, accused or admitting (see ``responsibility`` in
    agents.yaml): the first after the frame word before the trigger, else the nearest before
    it in the clause, at most twice the window away (تقر بمسؤوليتها عن مقتل, اعترف الجيش بقتل)."""
    reach = lex.responsibility_window
    for at in range(trigger.index - 1, max(start, trigger.index - reach) - 1, -1):
        token = tokens[at]
        admits = token in lex.admissions and trigger.kind == "kill_verb"
        if token in lex.responsibility or admits:
            order = [*range(at + 1, trigger.index), *range(at - 1, at - 1 - 2 * reach, -1)]
            return _first_agent(tokens, order, start, trigger.index, lex)
    return None


def _linked_cause(
    tokens: Sequence[str], index: int, lex: AgencyLexicon
) -> tuple[int | None, int | None]:
    """The first cause right after a cause link (اثر, جراء) after the trigger up to sentence
    punctuation, and its owner in the cause's own clause (:func:`_cause_owner`);
    ``(None, None)`` without one."""
    for at in range(index + 1, _segment_end(tokens, index, lex) - 1):
        if tokens[at] in lex.cause_links and _is_cause_at(tokens, at + 1, lex):
            cause = at + 1
            return cause, _cause_owner(tokens, cause, cause, _clause(tokens, cause, lex)[1], lex)
    return None, None


def _decide_trigger(tokens: Sequence[str], trigger: _Trigger, lex: AgencyLexicon) -> AgencyDecision:
    """The label of one trigger from its clause (and the cause clause it results from)."""
    index, kind = trigger.index, trigger.kind
    start, end = _clause(tokens, index, lex)
    word = tokens[index]

    def named(position: int, rule: str, cause: str = "") -> AgencyDecision:
        agent = _actor_phrase(tokens, position, lex)
        return AgencyDecision("perpetrator_named", word, index, agent, cause, rule)

    subject = tokens[index + 1] if index + 1 < end else ""
    if trigger.object_verb and (subject in lex.actors or subject in lex.person_actors):
        return named(index + 1, "killing verb subject")  # اصابه قناص: the verb, not a victim
    if kind == "kill_verb":
        found = _first_agent(tokens, [index + 1, index - 1], start, end, lex)
        if found is not None:
            return named(found, "killing verb subject")
        if index > 0 and tokens[index - 1] in lex.pronoun_subjects:
            segment = range(_segment_start(tokens, index, lex), index - 1)
            found = _first_agent(tokens, segment, 0, index, lex)
            if found is not None:
                return named(found, "pronoun subject")
    found = _frame_agent(tokens, trigger, start, lex)
    if found is not None:
        return named(found, "responsibility frame")
    for position in range(start, end):
        token = tokens[position]
        if token in lex.agent_markers:
            window = range(position + 1, position + 1 + lex.agent_marker_window)
            persons = window if token in lex.person_markers else ()
            found = _first_agent(tokens, window, start, end, lex, persons)
            if found is not None:
                return named(found, "agent marker")
        aspect = token in lex.aspect_verbs and _governs_killing(tokens, position, end, lex)
        if token in lex.agent_verbs or aspect:
            reach = lex.agent_verb_window
            after = range(position + 1, position + 1 + reach)
            before = range(position - 1, position - 1 - reach, -1)
            persons = [position + 1, position - 1]
            found = _first_agent(tokens, [*after, *before], start, end, lex, persons)
            if found is not None:
                return named(found, "agent verb", token)
            if _relative_pronoun_subject(tokens, position, lex):
                segment = _segment_start(tokens, position, lex)
                found = _antecedent(tokens, segment, position - 1, lex)
                if found is not None:
                    return named(found, "relative verb antecedent", token)
        if _is_cause_at(tokens, position, lex):
            found = _cause_owner(tokens, position, start, end, lex)
            if found is not None:
                return named(found, "cause owner", token)
        if token in lex.owned_causes:
            found = _antecedent(tokens, _segment_start(tokens, position, lex), position, lex)
            if found is not None:
                return named(found, "pronoun owner", token)
    markers = [p for p in range(start, index) if tokens[p] in lex.result_markers]
    cause_start = start
    if markers:
        cause_start = _segment_start(tokens, start, lex)
        found = _antecedent(tokens, cause_start, markers[0], lex)
        if found is not None:
            linked = [tokens[p] for p in range(found, markers[0]) if _is_cause_at(tokens, p, lex)]
            return named(found, "result of actor's clause", next(iter(linked), ""))
    linked, owner = _linked_cause(tokens, index, lex)
    if owner is not None:
        return named(owner, "linked cause owner", tokens[linked])
    # an unowned cause counts near the trigger, or anywhere in the clause it results from
    low = cause_start if markers else max(start, index - CAUSE_REACH)
    near = range(low, min(end, index + CAUSE_REACH + 1))
    causes = [tokens[p] for p in near if _is_cause_at(tokens, p, lex)]
    causes += [tokens[p] for p in range(start, end) if tokens[p] in lex.owned_causes]
    if linked is not None:
        causes.append(tokens[linked])
    if kind == "massacre":
        causes.insert(0, word)
    if causes:
        return AgencyDecision("cause_without_actor", word, index, "", causes[0], "cause")
    if _is_title(tokens, index, range(start, end), lex):
        return NOT_CASUALTY._replace(rule="title only")
    return AgencyDecision("agentless", word, index, "", "", "no agent or cause")


def classify_tokens(
    tokens: Sequence[str], lexicon: AgencyLexicon, marbuta: Sequence[bool] | None = None
) -> AgencyDecision:
    """The agency label of one sentence given as normalized tokens (see module doc).

    ``marbuta``: one flag per token, whether the original word ends in ة (see
    :func:`teh_marbuta_flags`); it separates اصابة (injury) from أصابه (hit him).
    Quotation marks are read past; ``trigger_index`` still counts in ``tokens``.
    """
    kept = [i for i, token in enumerate(tokens) if token not in QUOTE_MARKS]
    view = [tokens[i] for i in kept]
    flags = None if marbuta is None else [marbuta[i] for i in kept]
    best = NOT_CASUALTY
    for trigger in _triggers(view, lexicon, flags):
        decision = _decide_trigger(view, trigger, lexicon)
        if best.trigger_index < 0 or LABELS.index(decision.label) < LABELS.index(best.label):
            best = decision
        if best.label == LABELS[0]:
            break
    if best.trigger_index < 0:
        return best
    return best._replace(trigger_index=kept[best.trigger_index])


def teh_marbuta_flags(
    texts: Sequence[str], tokens: Sequence[Sequence[str]]
) -> list[list[bool] | None]:
    """For each text, whether each of its ``tokens`` ends in ة in the original spelling.

    The text is tokenized again with every normalization step but ة → ه, which splits it
    into the same tokens; a text whose tokens do not line up (``tokens`` not from the default
    :func:`arabmedia.text.tokenize` of it) gets None.
    """
    spelled = tokenize_many(list(texts), NormalizeSettings(teh_marbuta=False))
    flags: list[list[bool] | None] = []
    for raw, normalized in zip(spelled, tokens, strict=True):
        flags.append([t.endswith("ة") for t in raw] if len(raw) == len(normalized) else None)
    return flags


def find_agency(sentences: pd.DataFrame, lexicon: AgencyLexicon | None = None) -> pd.DataFrame:
    """Label every sentence of a table with a ``tokens`` column (e.g. :func:`article_sentences`).

    Sentences without any trigger form are skipped by one set look-up.  With a ``text``
    column (the original sentence) the ة spelling of each token is read from it
    (:func:`teh_marbuta_flags`), so اصابة (injury) and أصابه (hit him) differ.  Returns the input
    columns (without ``tokens``) plus: label, trigger (the deciding casualty word), agent (the
    actor phrase for perpetrator_named), cause (the cause word, if any), rule (which pattern
    decided), evidence (the tokens around the trigger, space-joined), trigger_index (the
    trigger's position in ``tokens``, -1 for not_casualty; e.g. for
    :func:`arabmedia.analysis.agency_hits`).  Index is preserved.
    """
    if "tokens" not in sentences.columns:
        raise ValueError("find_agency: the sentence table has no 'tokens' column")
    lexicon = lexicon or load_agency_lexicon()
    trigger_forms = lexicon.triggers.keys()
    candidates = [not trigger_forms.isdisjoint(tokens) for tokens in sentences["tokens"]]
    spelling = iter([])
    if "text" in sentences.columns:
        chosen = sentences.loc[pd.Series(candidates, index=sentences.index, dtype=bool)]
        spelling = iter(teh_marbuta_flags(chosen["text"].astype(str).tolist(), chosen["tokens"]))
    decisions, evidence = [], []
    for tokens, candidate in zip(sentences["tokens"], candidates, strict=True):
        if not candidate:
            decisions.append(NOT_CASUALTY)
            evidence.append("")
            continue
        decision = classify_tokens(tokens, lexicon, next(spelling, None))
        decisions.append(decision)
        at = decision.trigger_index
        window = tokens[max(0, at - EVIDENCE_REACH) : at + EVIDENCE_REACH + 1] if at >= 0 else []
        evidence.append(" ".join(window))
    result = sentences.drop(columns="tokens").copy()
    for field in ("label", "trigger", "agent", "cause", "rule"):
        result[field] = pd.Series(
            [getattr(d, field) for d in decisions], index=sentences.index, dtype="str"
        )
    result["evidence"] = pd.Series(evidence, index=sentences.index, dtype="str")
    result["trigger_index"] = pd.Series(
        [d.trigger_index for d in decisions], index=sentences.index, dtype="int64"
    )
    return result


#: Columns of :func:`classify_texts`.
TEXT_COLUMNS = ("text", "label", "trigger", "agent", "cause", "rule", "evidence", "trigger_index")


def classify_texts(texts: Sequence[str], lexicon: AgencyLexicon | None = None) -> pd.DataFrame:
    """The agency label of each raw sentence (original text, one sentence per item).

    The stable entry point for callers without the corpus: texts are tokenized here and
    classified by the rules (:func:`find_agency`, ة spelling read from the text).  A
    supervised layer was evaluated and not adopted (:mod:`arabmedia.analysis._agency_model`).
    One row per text, in order, index 0..n-1; columns :data:`TEXT_COLUMNS`: text, label (one
    of :data:`LABELS`), trigger, agent, cause, rule, evidence (str, empty when not
    applicable), trigger_index (int, -1 for not_casualty).
    """
    texts = list(texts)
    bad = [i for i, text in enumerate(texts) if not isinstance(text, str)]
    if bad:
        kind = type(texts[bad[0]]).__name__
        raise TypeError(f"classify_texts: item {bad[0]} is {kind}, not str ({len(bad)} such)")
    sentences = pd.DataFrame(
        {
            "text": pd.Series(texts, dtype="str"),
            "tokens": pd.Series(tokenize_many(texts), dtype="object"),
        }
    )
    return find_agency(sentences, lexicon)[list(TEXT_COLUMNS)]


def find_casualty_sentences(
    articles: pd.DataFrame,
    fields: Sequence[str] = ("title", "lead", "body"),
    lexicon: AgencyLexicon | None = None,
    *,
    chunk_size: int = CHUNK_ARTICLES,
) -> pd.DataFrame:
    """The casualty sentences (label other than not_casualty) of the given fields.

    Articles are split, tokenized and classified ``chunk_size`` at a time and only the
    casualty sentences are kept, so memory follows the chunk, not the corpus (the full
    sentence table of 40k news articles takes gigabytes).  The result does not depend on
    ``chunk_size``.  Columns as :func:`find_agency`: doc_id, outlet, field,
    sentence_index, text, label, trigger, agent, cause, rule, evidence, trigger_index; rows
    in the order of :func:`article_sentences` (field by field, articles in table order),
    index 0..n-1.
    """
    if chunk_size < 1:
        raise ValueError(f"find_casualty_sentences: chunk_size must be >= 1, got {chunk_size}")
    lexicon = lexicon or load_agency_lexicon()
    parts = []
    for start in range(0, len(articles), chunk_size):
        chunk = articles.iloc[start : start + chunk_size]
        classified = find_agency(article_sentences(chunk, fields), lexicon)
        kept = classified[classified["label"] != NOT_CASUALTY.label]
        position = dict(zip(chunk["doc_id"], range(start, start + len(chunk)), strict=True))
        parts.append(kept.assign(_article=kept["doc_id"].map(position)))
    if not parts:
        return find_agency(article_sentences(articles, fields), lexicon)
    table = pd.concat(parts, ignore_index=True)
    table["_field"] = table["field"].map({field: rank for rank, field in enumerate(fields)})
    table = table.sort_values(["_field", "_article", "sentence_index"], kind="stable")
    return table.drop(columns=["_field", "_article"]).reset_index(drop=True)


def count_agency(articles: pd.DataFrame, classified: pd.DataFrame) -> pd.DataFrame:
    """One row per article: how many of its casualty sentences fall in each class.

    ``classified`` is :func:`find_casualty_sentences` (or :func:`find_agency`) output.
    Columns: doc_id, outlet, casualty (casualty sentences), perpetrator_named,
    cause_without_actor, agentless.  Articles without casualty sentences have zeros, so the
    table is the resampling frame for :func:`compare_agency`.
    """
    casualty = classified[classified["label"].isin(CASUALTY_LABELS)]
    counts = pd.crosstab(casualty["doc_id"], casualty["label"])
    counts = counts.reindex(columns=list(CASUALTY_LABELS), fill_value=0)
    table = articles[["doc_id", "outlet"]].reset_index(drop=True)
    table = table.join(counts, on="doc_id").fillna(dict.fromkeys(CASUALTY_LABELS, 0))
    table[list(CASUALTY_LABELS)] = table[list(CASUALTY_LABELS)].astype("int64")
    table.insert(2, "casualty", table[list(CASUALTY_LABELS)].sum(axis=1))
    return table


def compare_agency(
    counts: pd.DataFrame,
    by: str | Sequence[str] = "outlet",
    *,
    n_boot: int = 1000,
    ci: float = 0.95,
    seed: int = 0,
) -> pd.DataFrame:
    """Share of each class among casualty sentences per group, with article-bootstrap CIs.

    ``counts`` is :func:`count_agency`; articles are resampled
    (:func:`arabmedia.stats.bootstrap_ratios` with denominator ``casualty``).  Columns: the
    ``by`` columns, label, n_units, numerator, denominator, estimate, low, high.
    """
    from arabmedia.stats._bootstrap import bootstrap_ratios

    return bootstrap_ratios(
        counts,
        CASUALTY_LABELS,
        by,
        name="label",
        denominator="casualty",
        n_boot=n_boot,
        ci=ci,
        seed=seed,
    )


def has_casualty_word(tokens: pd.Series, lexicon: AgencyLexicon | None = None) -> pd.Series:
    """Whether each token list holds a casualty trigger form (a cheap pre-filter).

    A text without one cannot hold a casualty sentence, so only the others need splitting
    into sentences.  Boolean Series aligned with ``tokens``.
    """
    forms = (lexicon or load_agency_lexicon()).triggers.keys()
    return tokens.map(lambda doc: not forms.isdisjoint(doc)).astype(bool)


def agency_sentences(
    articles: pd.DataFrame,
    fields: Sequence[str],
    bodies: pd.DataFrame | None = None,
    body_tokens: pd.Series | None = None,
    lexicon: AgencyLexicon | None = None,
) -> pd.DataFrame:
    """The :func:`article_sentences` of ``fields`` of every article, then of the ``body`` of
    ``bodies`` (e.g. the bodies :func:`has_casualty_word` keeps) unless ``fields`` has it.

    With ``body_tokens`` (the bodies' tokens, aligned with ``bodies``) only the bodies with a
    casualty word (:func:`has_casualty_word` with ``lexicon``) are split: the others cannot
    hold a casualty sentence.  One table for every agency and attribution count of a
    notebook, split once.  Columns: :data:`SENTENCE_COLUMNS`; index 0..n-1.
    """
    if bodies is not None and body_tokens is not None:
        bodies = bodies[has_casualty_word(body_tokens, lexicon).to_numpy()]
    parts = [article_sentences(articles, fields)]
    if bodies is not None and "body" not in fields:
        parts.append(article_sentences(bodies, ["body"]))
    return pd.concat(parts, ignore_index=True)


def casualty_counts(
    articles: pd.DataFrame,
    classified: pd.DataFrame,
    fields: Sequence[str],
    *,
    keep: Sequence[bool] | pd.Series | None = None,
    carry: Sequence[str] = (),
) -> pd.DataFrame:
    """:func:`count_agency` of the sentences of ``fields``, for the articles that have at
    least one casualty sentence there (the resampling units of the class shares).

    ``classified`` is :func:`find_agency` output; ``keep`` (booleans aligned with
    ``articles``, e.g. the comparison window) drops articles first; ``carry`` names article
    columns copied along (e.g. ``period``).  Columns: those of :func:`count_agency`, then
    ``carry``; index: the articles' positions in ``articles``.
    """
    counts = count_agency(articles, classified[classified["field"].isin(fields)])
    counts = counts.assign(**{column: articles[column].to_numpy() for column in carry})
    kept = counts["casualty"] > 0
    if keep is not None:
        kept &= pd.Series(keep).to_numpy(dtype=bool)
    return counts[kept]


def compare_agency_change(
    counts: pd.DataFrame,
    between: str,
    first: object,
    second: object,
    *,
    n_boot: int = 1000,
    ci: float = 0.95,
    seed: int = 0,
) -> pd.DataFrame:
    """Change of each class's share of casualty sentences from ``first`` to ``second``.

    ``counts`` is :func:`casualty_counts` (or :func:`count_agency`) output with a
    ``between`` column (outlet, period); the two sides' articles are resampled
    independently (:func:`arabmedia.stats.bootstrap_differences`).  Columns: label, then
    those of :func:`arabmedia.stats.bootstrap_difference` (n_first, n_second,
    estimate_first, estimate_second, difference, low, high).
    """
    from arabmedia.stats._bootstrap import bootstrap_differences

    return bootstrap_differences(
        counts,
        CASUALTY_LABELS,
        between,
        first,
        second,
        name="label",
        denominator="casualty",
        n_boot=n_boot,
        ci=ci,
        seed=seed,
    )


def agency_overview(classified: pd.DataFrame) -> pd.DataFrame:
    """Sentences per outlet and field (rows) in each class of :data:`LABELS`, and ``texts``:
    how many texts (articles' fields) were split, so a reader sees what the counts cover.

    ``classified`` is :func:`find_agency` output (doc_id, outlet, field, label).  A crosstab
    of counts, classes in :data:`LABELS` order (zeros where a class has no sentence).
    """
    rows = [classified["outlet"], classified["field"]]
    table = pd.crosstab(rows, classified["label"]).reindex(columns=list(LABELS), fill_value=0)
    table["texts"] = classified.groupby(["outlet", "field"])["doc_id"].nunique()
    return table


def compare_agency_periods(
    articles: pd.DataFrame,
    classified: pd.DataFrame,
    break_date: str,
    *,
    field: str = "body",
    n_boot: int = 1000,
    ci: float = 0.95,
    seed: int = 0,
) -> pd.DataFrame:
    """Change of each class's share of casualty sentences in ``field`` from before
    ``break_date`` to after it, per outlet (e.g. the outlets' bodies, as
    :func:`compare_frame_periods`).

    ``articles`` (doc_id, outlet) carries the ``period`` column of
    :func:`arabmedia.analysis.split_periods` (same ``break_date``; e.g. the subset of
    :func:`arabmedia.analysis.period_subset`); ``classified`` is :func:`find_agency` output
    covering them.  Each outlet's articles with a casualty sentence
    (:func:`casualty_counts`) are compared with :func:`compare_agency_change` on their own
    (:func:`arabmedia.analysis.per_group`); an outlet of ``articles`` without any gets rows
    with n_first = n_second = 0 and NaN estimates.  Columns: outlet, then those of
    :func:`compare_agency_change`; outlets sorted.
    """
    from arabmedia.analysis._periods import per_group, period_labels

    counts = casualty_counts(articles, classified, [field], carry=["period"])
    first, second = period_labels(break_date)
    return per_group(
        counts,
        lambda rows: compare_agency_change(
            rows, "period", first, second, n_boot=n_boot, ci=ci, seed=seed
        ),
        names=sorted(articles["outlet"].unique()),
    )


# --------------------------------------------------------------------------- gold set


def read_reference_table(path: str | Path, required: Sequence[str]) -> pd.DataFrame:
    """A reference-only gold TSV (``#`` comment lines), with its columns checked."""
    path = Path(path)
    try:
        table = pd.read_csv(path, sep="\t", comment="#", dtype=str, keep_default_na=False)
    except (OSError, pd.errors.ParserError) as error:
        raise ValueError(f"{path}: cannot read gold table: {error}") from error
    missing = [c for c in (*REFERENCE_COLUMNS, *required) if c not in table.columns]
    if missing:
        raise ValueError(f"{path}: missing column(s) {missing}")
    if not table["sentence_index"].str.fullmatch(r"\d+").all():
        bad = table.index[~table["sentence_index"].str.fullmatch(r"\d+")][0]
        raise ValueError(f"{path}: row {bad + 1}: sentence_index must be a non-negative integer")
    table["sentence_index"] = table["sentence_index"].astype("int64")
    return table


def resolve_references(
    table: pd.DataFrame, articles: pd.DataFrame, path: str | Path
) -> pd.DataFrame:
    """Attach the referenced sentence (text, tokens, outlet) to each gold row, or refuse.

    Every row must name an article in ``articles``, a text field it has, a sentence index
    within that field's :func:`split_sentences`, and a sentence whose :func:`sentence_sha`
    equals ``sentence_sha256``; otherwise a ValueError lists each failing row and why.
    """
    by_id = articles.drop_duplicates("doc_id").set_index("doc_id")
    problems, texts, outlets = [], [], []
    for row_number, row in enumerate(table.itertuples(index=False), start=1):
        where = f"row {row_number} ({row.doc_id}, {row.field}, sentence {row.sentence_index})"
        if row.doc_id not in by_id.index:
            problems.append(f"{where}: article not in the loaded corpus")
        elif row.field not in by_id.columns:
            problems.append(f"{where}: the article table has no field {row.field!r}")
        else:
            sentences = split_sentences(str(by_id.at[row.doc_id, row.field] or ""))
            if row.sentence_index >= len(sentences):
                problems.append(f"{where}: the field has only {len(sentences)} sentences")
            elif sentence_sha(sentences[row.sentence_index]) != row.sentence_sha256:
                problems.append(f"{where}: sentence hash differs (the text changed)")
            else:
                texts.append(sentences[row.sentence_index])
                outlets.append(by_id.at[row.doc_id, "outlet"])
                continue
        texts.append("")
        outlets.append("")
    if problems:
        shown = "\n  ".join(problems[:20])
        more = f"\n  ... and {len(problems) - 20} more" if len(problems) > 20 else ""
        raise ValueError(
            f"{path}: {len(problems)} gold row(s) do not match the corpus:\n  {shown}{more}"
        )
    resolved = table.copy()
    resolved["outlet"] = pd.Series(outlets, index=table.index, dtype="str")
    resolved["text"] = pd.Series(texts, index=table.index, dtype="str")
    resolved["tokens"] = pd.Series(tokenize_many(texts), index=table.index, dtype="object")
    return resolved


#: The agency gold set whose frozen test half gives this release's figure (data/gold/README.md).
RELEASE_GOLD = "agency_sentences_v4.tsv"


def gold_dir(settings: Settings) -> Path:
    """The project's gold sets, ``<settings.root>/data/gold`` (not package data)."""
    return settings.root / "data" / "gold"


def load_gold(path: str | Path, articles: pd.DataFrame) -> pd.DataFrame:
    """The agency gold set resolved against the loaded corpus (see :func:`resolve_references`).

    Columns: doc_id, sentence_index, field, sentence_sha256, label, note, split, stratum (as
    stored), outlet, text, tokens.  Labels outside :data:`LABELS` are refused.
    """
    table = read_reference_table(path, ["label", "note"])
    unknown = sorted(set(table["label"]) - set(LABELS))
    if unknown:
        raise ValueError(f"{path}: unknown label(s) {unknown}; expected one of {LABELS}")
    return resolve_references(table, articles, path)


def evaluate_gold(
    gold: pd.DataFrame,
    lexicon: AgencyLexicon | None = None,
    *,
    n_boot: int = 1000,
    seed: int = 0,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Classify the gold sentences; return (scores, predictions).

    scores: :func:`arabmedia.stats.classification_scores` over :data:`LABELS` (per label and
    macro, with bootstrap CIs over sentences), with ``predicted`` (sentences predicted as the
    label; all for macro) after ``support``, so over- or under-prediction shows.
    predictions: the gold table with ``predicted`` and the decision columns (trigger, agent,
    cause, rule, evidence).
    """
    from arabmedia.stats._classification import classification_scores

    classified = find_agency(gold, lexicon)
    predictions = gold.drop(columns="tokens").assign(
        predicted=classified["label"],
        **{c: classified[c] for c in ("trigger", "agent", "cause", "rule", "evidence")},
    )
    scores = classification_scores(
        predictions["label"], predictions["predicted"], labels=LABELS, n_boot=n_boot, seed=seed
    )
    predicted = predictions["predicted"].value_counts()
    scores.insert(
        2,
        "predicted",
        [
            int(predicted.get(label, 0)) if label in LABELS else len(predictions)
            for label in scores["label"]
        ],
    )
    return scores, predictions


def evaluate_gold_splits(
    gold: pd.DataFrame,
    lexicon: AgencyLexicon | None = None,
    *,
    splits: Sequence[str] = ("dev", "test"),
    n_boot: int = 1000,
    seed: int = 0,
) -> pd.DataFrame:
    """The :func:`evaluate_gold` scores of each ``split`` of the gold set, one table.

    Both are shown side by side.  The ``test`` half of ``agency_sentences.tsv`` was scored
    once and is dev material now (the rules were since revised on its errors), so neither
    half is a held-out figure any more.  Columns: split, then those of the scores table of
    :func:`evaluate_gold`.
    """
    parts = [
        evaluate_gold(gold[gold["split"] == split], lexicon, n_boot=n_boot, seed=seed)[0].assign(
            split=split
        )
        for split in splits
    ]
    table = pd.concat(parts, ignore_index=True)
    return table[["split", *table.columns[:-1]]]


def agency_validation(
    articles: pd.DataFrame,
    settings: Settings,
    lexicon: AgencyLexicon | None = None,
    *,
    n_boot: int = 1000,
    seed: int = 0,
) -> pd.DataFrame:
    """The rules against the release gold set (:data:`RELEASE_GOLD` in :func:`gold_dir`),
    resolved against ``articles``: :func:`evaluate_gold_splits` (dev and test split side by
    side), whose columns it returns.  Its test half is the one frozen for this release;
    the earlier sets are dev material (:func:`arabmedia.analysis.load_dev_gold`)."""
    gold = load_gold(gold_dir(settings) / RELEASE_GOLD, articles)
    return evaluate_gold_splits(gold, lexicon, n_boot=n_boot, seed=seed)
