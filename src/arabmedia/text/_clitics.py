"""Clitics: the one table of Arabic proclitics and pronoun enclitics, and the one form generator.

Every lexicon entry (term-set pattern, frame indicator, agency and attribution word) is turned
into the surface token tuples it matches by :func:`surface_forms`, so an entry matches the same
words in every analysis; :class:`~arabmedia.text.RuleSegmenter` splits tokens with the same
tables.  Entries and texts are in the project's default normalization (أ إ آ ٱ → ا, ى → ي,
ة → ه, no diacritics or tatweel).

Semantics of an entry (a tuple of normalized tokens) by its ``clitics`` level:

* ``"full"`` (the default, for nouns, adjectives and names): the first token also matches
  behind a conjunction (و ف), a preposition (ب ك ل), both (وب فل ...), and - for a one-token
  entry written without the article - behind the article ال and all of these before it, with
  ل + ال written لل (شهداء → الشهداء, والشهداء, بالشهداء, للشهداء, وللشهداء) and merged
  with a word's own first ل (ليل → لليل, as لله; never للليل).  An entry written with the
  article keeps it (الامم → للامم, الليل → لليل, والامم, never bare امم, never الالامم).
  A multiword entry never gains the article: its definiteness is part of the phrase
  (قوات الاحتلال, not القوات الاحتلال), so write the definite phrase as its own form.
* ``"conjunctions"`` (verbs, particles, function words): only و and ف on the first token
  (قال → وقال, فقال; never بقال, "grocer").
* ``"exact"``: the tokens as written.

The future particle س is in the table for the segmenter, but forms never get it: whether a
word is an imperfect verb cannot be told from its letters (يد → سيد "master"), so lexicons list
future forms they need.  Pronoun enclitics (ه ها هم هما هن نا) are added to the last token only
when the entry asks (``enclitics=True``), never to a word with the article, never together
with an added article, and with ة (normalized ه) written ت before them (مقاومه → مقاومتها).
Other tokens of a multiword entry must match as written.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from typing import Literal, NamedTuple

CONJUNCTIONS = ("و", "ف")
PREPOSITIONS = ("ب", "ك", "ل")
FUTURE = "س"
ARTICLE = "ال"
#: How an entry takes proclitics (see the module doc).
CLITIC_LEVELS = ("full", "conjunctions", "exact")
CliticLevel = Literal["full", "conjunctions", "exact"]

#: Pronoun enclitics after closed-class hosts (فيها، عليه), longest first.
HOST_ENCLITICS = ("هما", "كما", "هم", "هن", "ها", "كم", "كن", "نا", "ني", "ه", "ك", "ي")
#: Pronoun enclitics split off open-class words by the segmenter: ك كم كن ي and نا on
#: open-class words are far more often stem letters, the nisba ي or tanween after ن
#: (امنا، مواطنا) than pronouns in news text.
OPEN_CLASS_ENCLITICS = ("هما", "هم", "هن", "ها")
#: Pronoun enclitics an entry with ``enclitics=True`` accepts: third person and "our" (ي and
#: ك are left out because حربي, حربك collide with adjectives and are rare in news).
ENTRY_ENCLITICS = ("ه", "ها", "هم", "هما", "هن", "نا")


class ProcliticChain(NamedTuple):
    """A well-formed proclitic sequence and how it is written before a word."""

    clitics: tuple[str, ...]  # e.g. ("و", "ل", "ال")
    written: str  # e.g. "ولل"


def _write(clitics: tuple[str, ...], word: str = "") -> str:
    """``clitics`` written before ``word`` (alone by default).

    After the preposition ل the article loses its alif (ل + الامم → للامم, ل + ال → لل) and,
    before a word starting with ل, its lam as well (ل + الليل → لليل, ل + ال + ليل → لليل).
    """
    if clitics[-1:] == (ARTICLE,):
        clitics, word = clitics[:-1], ARTICLE + word
    prefix = "".join(clitics)
    if prefix.endswith("ل") and word.startswith(ARTICLE):
        word = word[len(ARTICLE) :] if word.startswith(ARTICLE + "ل") else word[1:]
    return prefix + word


def _proclitic_chains() -> tuple[ProcliticChain, ...]:
    """Conjunction? + (preposition | future)? + article?, longest written prefix first.

    The future particle precedes verbs, so never the article; ل + ال is written لل.
    """
    chains = []
    for conjunction in ("", *CONJUNCTIONS):
        for particle in ("", *PREPOSITIONS, FUTURE):
            for article in ("", ARTICLE):
                if particle == FUTURE and article:
                    continue
                clitics = tuple(c for c in (conjunction, particle, article) if c)
                chains.append(ProcliticChain(clitics, _write(clitics)))
    return tuple(sorted(chains, key=lambda chain: -len(chain.written)))


#: Every well-formed proclitic chain (the empty one included), longest written form first.
PROCLITIC_CHAINS = _proclitic_chains()


@functools.cache
def _prefixed(word: str, level: CliticLevel, article: bool) -> tuple[str, ...]:
    """``word`` behind every chain the level allows (``article``: the chains may add ال)."""
    if level == "exact":
        return (word,)
    forms = []
    for chain in PROCLITIC_CHAINS:
        if FUTURE in chain.clitics:
            continue
        if level == "conjunctions" and not set(chain.clitics) <= set(CONJUNCTIONS):
            continue
        if ARTICLE in chain.clitics and (not article or word.startswith(ARTICLE)):
            continue
        forms.append(_write(chain.clitics, word))
    return tuple(sorted(set(forms), key=lambda form: (len(form), form)))


def with_enclitics(word: str) -> tuple[str, ...]:
    """``word`` and ``word`` with each entry enclitic; a word with the article takes none."""
    if word.startswith(ARTICLE):
        return (word,)
    stem = word[:-1] + "ت" if word.endswith("ه") else word  # ة written ت before a pronoun
    return (word, *(stem + enclitic for enclitic in ENTRY_ENCLITICS))


def surface_forms(
    entry: Sequence[str], clitics: CliticLevel = "full", *, enclitics: bool = False
) -> tuple[tuple[str, ...], ...]:
    """Every surface token tuple a normalized ``entry`` matches (see the module doc).

    >>> [form for (form,) in surface_forms(("شهداء",))][:4]
    ['شهداء', 'بشهداء', 'فشهداء', 'كشهداء']
    """
    if not entry:
        raise ValueError("surface_forms: empty entry")
    if clitics not in CLITIC_LEVELS:
        raise ValueError(f"clitics must be one of {CLITIC_LEVELS}, got {clitics!r}")
    entry = tuple(entry)
    single = len(entry) == 1
    forms: list[tuple[str, ...]] = []
    for first in _prefixed(entry[0], clitics, article=single):
        forms.append((first, *entry[1:]))
    if enclitics:
        # Pronouns go on the last token; one-token entries then take no added article.
        for last in with_enclitics(entry[-1])[1:]:
            if single:
                forms.extend((first,) for first in _prefixed(last, clitics, article=False))
            else:
                firsts = _prefixed(entry[0], clitics, article=False)
                forms.extend((first, *entry[1:-1], last) for first in firsts)
    return tuple(dict.fromkeys(forms))


def surface_words(
    words: Iterable[str], clitics: CliticLevel = "full", *, enclitics: bool = False
) -> frozenset[str]:
    """The surface forms of one-token entries, as a set for look-ups."""
    return frozenset(
        form for word in words for (form,) in surface_forms((word,), clitics, enclitics=enclitics)
    )


class PhraseIndex:
    """Surface token tuples indexed by their first token, to find them in token lists.

    Built from ``(form, payload)`` pairs; :meth:`at` lists the forms that occur at a
    position, longest first (then in the order given), so callers apply their own
    longest-match or overlap rule.
    """

    def __init__(self, forms: Iterable[tuple[tuple[str, ...], object]]):
        index: dict[str, list[tuple[tuple[str, ...], object]]] = {}
        for form, payload in forms:
            index.setdefault(form[0], []).append((form, payload))
        self._index = {
            first: tuple(sorted(entries, key=lambda entry: -len(entry[0])))
            for first, entries in index.items()
        }
        self.first_tokens = frozenset(self._index)

    def at(self, tokens: Sequence[str], position: int) -> list[tuple[tuple[str, ...], object]]:
        """The indexed (form, payload) pairs whose tokens start at ``position``."""
        found = []
        for form, payload in self._index.get(tokens[position], ()):
            end = position + len(form)
            if end <= len(tokens) and tuple(tokens[position:end]) == form:
                found.append((form, payload))
        return found
