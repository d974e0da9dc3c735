"""Clitic segmentation and light stemming of normalized Arabic tokens.

Two backends share one small interface (``.name``, ``.segment(token)``, ``.stem(token)``):

* :class:`CamelSegmenter` - camel-tools' MLE disambiguator with the D3 (or ATB) tokenization
  scheme and its lemmas.  It needs camel-tools' morphology data, which cannot be downloaded
  here; :func:`camel_data_available` checks for it on disk without importing anything that
  would try to download it.
* :class:`RuleSegmenter` - an offline fallback: proclitics (و ف ب ل ك س + ال) and pronoun
  enclitics from the one clitic table (:mod:`arabmedia.text._clitics`), and a Larkey-style
  light stemmer, guarded by minimum stem lengths and by the protected-word list
  (:func:`arabmedia.lexicons.load_protected_words`: names, key terms and stems whose first
  letter looks like a clitic) and, given a vocabulary of corpus word counts, by corpus
  evidence: a split is made when what remains is itself attested as a word.  The bundled
  vocabulary (:data:`VOCABULARY_FILE`, the top word types of the study corpora, written by
  tools/build_vocabulary.py) is the default.

Tokens are expected in the project's default normalization (NFKC, no diacritics or tatweel,
أ إ آ ٱ → ا, ى → ي, ة → ه).  Segments follow camel-tools' D3 style: proclitics end in ``+``,
enclitics start with ``+`` and the stem is bare, e.g. ``"وبالاحتلال"`` →
``["و+", "ب+", "ال+", "احتلال"]``.  The conventions are spelled out in
data/gold/README_segmentation.md.

:func:`make_segmenter` picks a backend; :func:`segment_words` segments words with the
default one.  No state is kept at module level.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import sys
import warnings
from collections.abc import Iterable, Mapping
from pathlib import Path

import pandas as pd

from arabmedia.io import atomic_path
from arabmedia.lexicons._protected_words import ProtectedWords, load_protected_words
from arabmedia.lexicons._resources import LEXICON_DIR
from arabmedia.text._clitics import (
    ARTICLE,
    CONJUNCTIONS,
    FUTURE,
    HOST_ENCLITICS,
    OPEN_CLASS_ENCLITICS,
    PREPOSITIONS,
    PROCLITIC_CHAINS,
)

ARABIC_LETTERS = frozenset("ءآأؤإئابةتثجحخدذرزسشصضطظعغفقكلمنهوىي")

IMPERFECT_PREFIXES = ("ي", "ت", "ن")

# Closed-class words that take pronoun enclitics: فيها = في +ها, عليه = علي +ه.
# fmt: off
PRONOUN_HOSTS = frozenset({
    "في", "علي", "الي", "من", "عن", "ل", "ب", "مع", "ان", "لان", "لكن", "بين", "لدي", "عند",
    "حول", "ضد", "امام", "خلف", "بعد", "قبل", "دون", "عبر", "تحت", "فوق", "مثل", "غير", "نفس",
    "انفس", "كل", "بعض", "جميع", "معظم", "ذات", "ايا", "حين", "خلال",
})
# fmt: on

# Closed-class words that may follow a one-letter proclitic although shorter than 3 letters.
# fmt: off
SHORT_HOSTS = frozenset({
    "في", "من", "عن", "علي", "الي", "لا", "لم", "لن", "ما", "قد", "ان", "كل", "مع", "او", "ثم",
    "لو", "اذ", "بل", "كم",
})
# fmt: on

# Independent pronouns follow only the conjunctions (وهم); after ب ل ك a pronoun is an
# enclitic instead (بهم = ب +هم).
PRONOUN_WORDS = frozenset(["هو", "هي", "هم", "هن", "هما"])

# Inflectional endings removed by the light stemmer: (ending, replacement, minimum stem left).
STEM_SUFFIXES = (
    ("يين", "ي", 3),
    ("يون", "ي", 3),
    ("يه", "ي", 2),
    ("يتين", "ي", 3),
    ("ات", "", 2),
    ("ون", "", 3),
    ("ين", "", 3),
    ("ه", "", 2),
)
TANWEEN_ALIF = "ا"
NOT_TANWEEN_ENDINGS = ("ايا", "وا")


#: Word-type counts of the study corpora (top types only), the rule segmenter's evidence.
VOCABULARY_FILE = LEXICON_DIR / "word_counts.tsv.gz"
VOCABULARY_HEADER = "word\tcount"
VOCABULARY_TOP = 50_000


def vocabulary_counts(token_lists: Iterable[Iterable[str]], top: int | None = None) -> pd.Series:
    """Counts of the Arabic word types in ``token_lists`` (normalized tokens, one list per text).

    Tokens not made only of Arabic letters (digits, Latin, punctuation) are left out.  Returns
    a Series word → count (index ``word``, name ``count``) sorted by count descending, then
    word, keeping the ``top`` most frequent types when given.
    """
    counts: dict[str, int] = {}
    for tokens in token_lists:
        for token in tokens:
            counts[token] = counts.get(token, 0) + 1
    rows = sorted(
        ((w, n) for w, n in counts.items() if w and set(w) <= ARABIC_LETTERS),
        key=lambda row: (-row[1], row[0]),
    )
    if top is not None:
        rows = rows[:top]
    index = pd.Index([w for w, _ in rows], dtype=object, name="word")
    return pd.Series([n for _, n in rows], index=index, name="count", dtype="int64")


def write_vocabulary(counts: pd.Series, path: str | os.PathLike) -> Path:
    """Write word → count as gzip-compressed ``word<TAB>count`` lines, reproducibly.

    Rows are written sorted by count descending, then word, after a header line; the gzip
    header carries no time, so the same counts give the same bytes.  Replaced atomically.
    """
    path = Path(path)
    rows = sorted(((str(w), int(n)) for w, n in counts.items()), key=lambda r: (-r[1], r[0]))
    text = "\n".join([VOCABULARY_HEADER, *(f"{w}\t{n}" for w, n in rows)]) + "\n"
    data = gzip.compress(text.encode("utf-8"), mtime=0)
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)
    return path


def read_vocabulary(path: str | os.PathLike | None = None) -> pd.Series:
    """Read a vocabulary written by :func:`write_vocabulary` (default :data:`VOCABULARY_FILE`).

    Returns a Series word → count (index ``word``, name ``count``).  Raises ``ValueError``
    naming the file and line for a wrong header, a malformed line or a repeated word.
    """
    path = Path(path or VOCABULARY_FILE)
    with gzip.open(path, "rt", encoding="utf-8", newline="\n") as handle:
        lines = handle.read().split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    if not lines or lines[0] != VOCABULARY_HEADER:
        raise ValueError(f"{path}: line 1: expected the header 'word<TAB>count'")
    words, numbers = [], []
    for number, line in enumerate(lines[1:], start=2):
        word, _, count = line.partition("\t")
        if not word or not count.isdigit():
            raise ValueError(f"{path}: line {number}: expected 'word<TAB>count', got {line!r}")
        words.append(word)
        numbers.append(int(count))
    index = pd.Index(words, dtype=object, name="word")
    if index.has_duplicates:
        raise ValueError(f"{path}: word {index[index.duplicated()][0]!r} is listed twice")
    return pd.Series(numbers, index=index, name="count", dtype="int64")


class CamelDataMissingWarning(UserWarning):
    """The camel-tools morphology data is absent; the rule-based fallback is used."""


#: Evidence thresholds of :class:`RuleSegmenter` with a vocabulary: a base counts as attested
#: with at least MIN_BASE_COUNT occurrences, and a proclitic split needs the remainder to be
#: at least MIN_BASE_SHARE times as frequent as the whole form.
MIN_BASE_COUNT = 5
MIN_BASE_SHARE = 0.02
#: Enclitics the vocabulary may split off open-class words, longest first (beyond
#: OPEN_CLASS_ENCLITICS, which the rules split without evidence).
EVIDENCE_ENCLITICS = ("هما", "هم", "هن", "ها", "كم", "نا", "ه", "ك", "ي")
#: ي ك كم are split only off a base at least this many times as frequent as the form.
RARE_PRONOUN_RATIO = 10
#: One-letter proclitics whose letter often starts a stem (وزير، بيروت، كافه، فجر، لندن).
LOOKALIKE_PROCLITICS = frozenset((*CONJUNCTIONS, *PREPOSITIONS))


# A base's last letter as written alone (قيادت → قياده، اصابو → اصابوا، اسرا → اسري).
_ALONE_SPELLING = {"ت": "ه", "و": "وا", "ئ": "ء", "ؤ": "ء", "ا": "ي"}
# Endings of form-VIII verbs (تزم، تزمت، تزموا) and verbal nouns (تزام، تزامها، تزامات) of
# ل-initial roots, which look like ال + a ت-word once ال is split off (التزم، التزام).
_PRONOUN_OR_NONE = ("", "ه", "ها", "هم", "هما")
_FORM_VIII_VERB_ENDINGS = frozenset(e + p for e in ("", "ت", "وا", "ا") for p in _PRONOUN_OR_NONE)
_FORM_VIII_NOUN_ENDINGS = frozenset(e + p for e in ("", "ا", "ات") for p in _PRONOUN_OR_NONE)


def _alone(base: str) -> str:
    """``base`` with its last letter spelt as without a pronoun (see _ALONE_SPELLING)."""
    if base[-1:] == "ا" and len(base) < 4:
        return base  # ارا، نفا: too short to tell ى from a stem alif
    return base[:-1] + _ALONE_SPELLING[base[-1]] if base[-1:] in _ALONE_SPELLING else base


def _form_viii(remainder: str) -> bool:
    """Whether ``remainder`` (after ال) has the shape of a form-VIII verb or verbal noun of a
    ل-initial root: ت C C (التزم) or ت C ا C (التزام) plus an ending, not تشاور or تالي."""
    if not remainder.startswith("ت"):
        return False
    return remainder[3:] in _FORM_VIII_VERB_ENDINGS or (
        remainder[2:3] == "ا" and remainder[4:] in _FORM_VIII_NOUN_ENDINGS
    )


class RuleSegmenter:
    """Rule-based clitic splitter and light stemmer, optionally guided by corpus word counts.

    Candidate proclitic sequences are tried longest first; a candidate is valid when the
    remainder is long enough (2 letters after ال, 3 after a bare one-letter clitic unless the
    remainder is a short function word, a verb prefix after س), ال does not precede a particle
    and ك does not precede a function word (كذلك، كما are lexicalized).  A candidate whose
    remainder is a protected word (possibly inflected) wins over longer ones, otherwise the
    longest valid one is taken.  Enclitics are split after closed-class hosts and, for هم هما
    هن ها, after open-class stems (3+ letters, 2 for ها); ة written ت before a pronoun is
    restored (حكومته → حكومه +ه).  A word carrying ال takes no pronoun enclitic.

    ``vocabulary`` (word → count, e.g. :func:`read_vocabulary` or :func:`vocabulary_counts`)
    adds corpus evidence; without it the rules above decide alone.  With it:

    * a look-alike proclitic (و ف ب ك ل, or ال before the shape of a form-VIII verb or
      verbal noun of a ل-initial root: التزم، التزامها) is not split off a form seen
      ``min_count`` times when the remainder - counted alone, without its pronoun, with ال or
      another one-letter proclitic - is rarer than ``min_share`` of the form or than
      ``min_count`` (after و, which attaches to any word: than once), so كافه، باحثين، كونيل
      stay whole and بسبب، وكذلك split;
    * ة before a pronoun is restored or kept as the verb ending ت by which base is more
      frequent (جهتها → جهه +ها, نفذتها → نفذت +ها); a base ending in ا before a pronoun
      other than ه is also looked up with ى (اسرانا → اسرا +نا, counted as اسري);
    * the pronouns ه ي نا ك كم are split off open-class words only when the base is attested
      (``min_count``) and the form fits the pronoun reading: for ه the base takes ها/هم more
      often than the ة-forms ات ته تها تهم (قوله، حديثه; not مقاومه، مؤسسه) and does not end
      in ي (nisba يه); for نا the base is an imperfect verb (يمكننا) or takes ال and is no
      past verb (وصلنا: نا is the subject), and the form is not tanween after ن (امنا); ي ك كم
      (rare in news) need a base :data:`RARE_PRONOUN_RATIO` times as frequent as the form,
      taking ال, and a form that never inflects as a stem (الشرقي، شرقيه، منفذين، البنك).

    Each token costs a few dozen dictionary look-ups, once per instance (cached).  ``name`` is
    ``"rules"`` without a vocabulary and ``"rules+vocabulary-<digest>"`` with one, the digest
    covering the counts and thresholds, so caches keyed by the name never mix the two.
    """

    def __init__(
        self,
        protected: ProtectedWords | None = None,
        vocabulary: Mapping[str, int] | pd.Series | None = None,
        *,
        min_count: int = MIN_BASE_COUNT,
        min_share: float = MIN_BASE_SHARE,
    ):
        self.protected = protected if protected is not None else load_protected_words()
        items = vocabulary.items() if vocabulary is not None else ()
        self.vocabulary: dict[str, int] = {str(word): int(count) for word, count in items}
        self.min_count, self.min_share = min_count, min_share
        self.name = "rules"
        if self.vocabulary:
            digest = hashlib.sha256(repr((min_count, min_share)).encode())
            for word, count in sorted(self.vocabulary.items()):
                digest.update(f"{word}\t{count}\n".encode())
            self.name = f"rules+vocabulary-{digest.hexdigest()[:12]}"
        self._analyses: dict[str, tuple[tuple[str, ...], str, str]] = {}  # per-instance cache

    def segment(self, token: str) -> list[str]:
        """Split ``token`` into proclitics (``X+``), a stem, and an enclitic (``+X``)."""
        clitics, stem, enclitic = self._analyze(token)
        return [f"{c}+" for c in clitics] + [stem] + ([f"+{enclitic}"] if enclitic else [])

    def stem(self, token: str) -> str:
        """Light stem for counting: the segmented stem without one inflectional ending."""
        _clitics, stem, _enclitic = self._analyze(token)
        return self._light_stem(stem)

    def segment_many(self, tokens: Iterable[str]) -> list[list[str]]:
        """:meth:`segment` for each token."""
        return [self.segment(token) for token in tokens]

    def _analyze(self, token: str) -> tuple[tuple[str, ...], str, str]:
        """(proclitics, stem, enclitic) of ``token``, computed once per distinct token."""
        if token not in self._analyses:
            self._analyses[token] = self._analyze_uncached(token)
        return self._analyses[token]

    def _analyze_uncached(self, token: str) -> tuple[tuple[str, ...], str, str]:
        if not token or not set(token) <= ARABIC_LETTERS:
            return (), token, ""
        clitics, remainder = self._split_proclitics(token)
        if ARTICLE in clitics or self._protected_root(remainder) == remainder:
            return clitics, remainder, ""
        stem, enclitic = self._split_enclitic(remainder)
        return clitics, stem, enclitic

    # ------------------------------------------------------------------ evidence

    def _count(self, word: str) -> int:
        return self.vocabulary.get(word, 0)

    def _attested(self, word: str) -> bool:
        return self.vocabulary.get(word, 0) >= self.min_count

    def _evidence(self, word: str) -> int:
        """Corpus count of ``word`` or, if higher, of ``word`` without a pronoun enclitic, also
        spelt as alone (ت → ة، و → وا، ئ ؤ → ء، ا → ى: قيادته، اصابوها، حلفائهم، اسرانا)."""
        best = self._count(word)
        for enclitic in HOST_ENCLITICS:
            if word.endswith(enclitic) and len(word) - len(enclitic) >= 3:
                base = word[: -len(enclitic)]
                best = max(best, self._count(base), self._count(_alone(base)))
        return best

    def _lookalike(self, token: str, clitics: tuple[str, ...], remainder: str) -> bool:
        """True when the counts show ``clitics`` are letters of an attested stem."""
        last = clitics[-1] if clitics else ""
        if last not in LOOKALIKE_PROCLITICS and not (last == ARTICLE and _form_viii(remainder)):
            return False
        whole = self._count(token)
        if whole < self.min_count or self._protected_root(remainder) is not None:
            return False
        # و attaches to any word, so any sighting of the remainder will do after it.
        floor = 1 if last == "و" else self.min_count
        return self._family(remainder, token) < max(floor, self.min_share * whole)

    def _family(self, remainder: str, token: str) -> int:
        """Evidence that ``remainder`` is a word: its own (:meth:`_evidence`) plus its
        occurrences with the article or another one-letter proclitic (not ``token``)."""
        others = [ARTICLE + remainder, *(c + remainder for c in LOOKALIKE_PROCLITICS)]
        return self._evidence(remainder) + sum(self._count(f) for f in others if f != token)

    def _base_before_pronoun(self, base: str, enclitic: str) -> tuple[str, str] | None:
        """(base as segmented, base as looked up) left by a pronoun, if attested: ت restored
        to ة (ه) or kept, by frequency; ى written ا before a pronoun is looked up as ي
        (اسرانا → اسرا +نا, counted as اسري)."""
        if base.endswith("ت"):
            restored = base[:-1] + "ه"
            if self._attested(restored) and self._count(restored) >= self._count(base):
                return restored, restored
        if self._attested(base):
            return base, base
        if enclitic != "ه" and base.endswith("ا") and self._attested(_alone(base)):
            return base, _alone(base)  # not before ه: Xاه is mostly Xاة (قضاه، اداه)
        return None

    def _evidence_enclitic(self, word: str) -> tuple[str, str] | None:
        """(base, enclitic) when the counts support a pronoun on an open-class ``word``."""
        for enclitic in EVIDENCE_ENCLITICS:
            written = word[: -len(enclitic)]
            if not word.endswith(enclitic) or len(written) < 3 - (enclitic == "ها"):
                continue
            found = self._base_before_pronoun(written, enclitic)
            if found is None or not self._fits_pronoun(word, written, found[1], enclitic):
                continue
            return found[0], enclitic
        return None

    def _fits_pronoun(self, word: str, written: str, lookup: str, enclitic: str) -> bool:
        """Whether ``word`` = ``written`` + ``enclitic`` reads as a pronoun (see class doc);
        ``lookup`` is the base as it is written alone."""
        count = self._count
        if enclitic in OPEN_CLASS_ENCLITICS:
            return enclitic == "ها" or not written.endswith("ا")
        nominal = self._attested(ARTICLE + lookup)
        if enclitic == "ه":
            if written.endswith("ي"):
                return False  # Xيه is the feminine nisba (عسكريه)
            pronoun = count(written + "ها") + count(written + "هم")
            feminine = sum(count(written + e) for e in ("ات", "ته", "تها", "تهم"))
            return pronoun >= self.min_count and pronoun > feminine
        if enclitic == "نا":
            tanween = self._attested(word[:-1])  # امنا، مواطنا
            past_verb = self._attested(written + "وا")  # وصلنا: نا is the subject
            imperfect = written.startswith("ي")  # يمكننا
            return (imperfect or (nominal and not past_verb)) and not tanween
        # ي ك كم: rare in news, so the base must be far more frequent than the form, take
        # ال, and the form itself must not inflect as a stem (الشرقي، شرقيه، منفذين، البنك).
        rare = count(word) * RARE_PRONOUN_RATIO <= count(lookup)
        stem_forms = (ARTICLE + word, word + "ه", word + "ن", word + "ها", word + "ات")
        return nominal and rare and not any(self._attested(form) for form in stem_forms)

    # ------------------------------------------------------------------ rules

    def _split_proclitics(self, token: str) -> tuple[tuple[str, ...], str]:
        if token in self.protected.all:
            return (), token
        valid = [
            (clitics, token[len(written) :])
            for clitics, written in PROCLITIC_CHAINS
            if token.startswith(written) and self._valid_remainder(clitics, token[len(written) :])
        ]
        if self.vocabulary:
            valid = [(c, r) for c, r in valid if not self._lookalike(token, c, r)]
        for clitics, remainder in valid:
            if remainder in self.protected.all:
                return clitics, remainder
        for clitics, remainder in valid:
            if self._protected_root(remainder) is not None:
                return clitics, remainder
        return valid[0]  # the empty chain is always valid

    def _valid_remainder(self, clitics: tuple[str, ...], remainder: str) -> bool:
        if not clitics:
            return True
        if clitics[-1] == ARTICLE:
            return len(remainder) >= 2 and (remainder not in SHORT_HOSTS or remainder == "كل")
        if clitics[-1] == FUTURE:
            return len(remainder) >= 3 and remainder.startswith(IMPERFECT_PREFIXES)
        if clitics[-1] in CONJUNCTIONS and remainder in PRONOUN_WORDS:
            return True
        if clitics[-1] == "ك" and remainder in self.protected.function:
            return False
        return len(remainder) >= 3 or remainder in SHORT_HOSTS

    def _protected_root(self, word: str) -> str | None:
        """The protected word ``word`` is built on (itself, or plus an ending), if any."""
        protected = self.protected.all
        if word in protected:
            return word
        for ending in _ENDINGS_LONGEST_FIRST:
            base = word[: -len(ending)]
            if word.endswith(ending) and (len(base) >= 3 or base in PRONOUN_HOSTS):
                if base in protected:
                    return base
                if base.endswith("ت") and base[:-1] + "ه" in protected:
                    return base[:-1] + "ه"
        return None

    def _split_enclitic(self, word: str) -> tuple[str, str]:
        for enclitic in HOST_ENCLITICS:
            if word.endswith(enclitic) and word[: -len(enclitic)] in PRONOUN_HOSTS:
                return word[: -len(enclitic)], enclitic
        if word in self.protected.all:
            return word, ""
        if self.vocabulary:
            found = self._evidence_enclitic(word)
            if found is not None:
                return found
        for enclitic in OPEN_CLASS_ENCLITICS:
            base = word[: -len(enclitic)]
            if word.endswith(enclitic) and len(base) >= 3 - (enclitic == "ها"):
                if enclitic != "ها" and base.endswith("ا"):
                    continue  # تفاهم، يساهم: هم after ا is part of the stem
                return self._restore_ta_marbuta(base), enclitic
        if word.endswith("ته") and len(word) >= 5:
            return self._restore_ta_marbuta(word[:-1]), "ه"
        return word, ""

    def _restore_ta_marbuta(self, base: str) -> str:
        """Undo ة → ت before a pronoun (قيادت → قياده) unless ت is a stem, plural or verb ending."""
        if not base.endswith("ت") or base.endswith("ات") or len(base) < 4:
            return base
        if base in self.protected.all:
            return base  # بيوت، وقت
        looks_like_past_verb = base.startswith("ا") and base[2:3] != "ا"  # ارتكبت، اطلقت
        return base if looks_like_past_verb else base[:-1] + "ه"

    def _light_stem(self, stem: str) -> str:
        if stem in self.protected.function or stem in self.protected.frozen:
            return stem
        root = self._protected_root(stem)
        floor = len(root) if root in self.protected.frozen else 0
        for ending, replacement, minimum in STEM_SUFFIXES:
            base = stem[: -len(ending)]
            if stem.endswith(ending) and len(base) >= max(minimum, floor):
                return base + replacement
        if (
            stem.endswith(TANWEEN_ALIF)
            and len(stem) >= 4
            and len(stem) - 1 >= floor
            and not stem.endswith(NOT_TANWEEN_ENDINGS)
        ):
            return stem[:-1]
        return stem


# Endings a protected word may carry and still be recognized (وزيره، فلسطينيين، قياداتها).
_ENDINGS_LONGEST_FIRST = tuple(
    sorted(
        {ending for ending, _, _ in STEM_SUFFIXES}
        | set(HOST_ENCLITICS)
        | {"ا", "ي", "ان", "تين", "تان", "اته", "اتها", "اتهم"},
        key=lambda ending: (-len(ending), ending),
    )
)


# --------------------------------------------------------------------------- camel-tools


def camel_data_dir() -> Path:
    """Where camel-tools looks for its data: ``$CAMELTOOLS_DATA`` or its per-user default."""
    if os.environ.get("CAMELTOOLS_DATA"):
        return Path(os.environ["CAMELTOOLS_DATA"]).expanduser().absolute()
    if sys.platform == "win32":
        return Path.home() / "AppData" / "Roaming" / "camel_tools"
    return Path.home() / ".camel_tools"


def camel_data_available(data_dir: str | os.PathLike | None = None) -> bool:
    """True if camel-tools' morphology DB and MLE model are installed, checked on disk only.

    Reads ``catalogue.json`` in the data folder (camel-tools downloads it on first import when
    it is missing, so a missing catalogue means "not available"), looks up the default
    ``DisambigMLE`` model and the ``MorphologyDB`` of the same name, and checks that their
    ``model.json`` and ``morphology.db`` exist under ``<data>/data/<dataset path>``, the layout
    ``camel_tools.data.catalogue`` uses.  Nothing is imported from camel-tools.
    """
    root = Path(data_dir) if data_dir is not None else camel_data_dir()
    try:
        catalogue = json.loads((root / "catalogue.json").read_text("utf-8"))
        components = catalogue["components"]
        mle = components["DisambigMLE"]
        mle_name = mle["default"]
        dbs = components["MorphologyDB"]
        db = dbs["datasets"].get(mle_name) or dbs["datasets"][dbs["default"]]
        needed = (
            root / "data" / mle["datasets"][mle_name]["path"] / "model.json",
            root / "data" / db["path"] / "morphology.db",
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return False
    return all(path.is_file() for path in needed)


def _normalize_camel_output(text: str) -> str:
    """Bring camel-tools output (diacritized, ة, أ, ى) to the project's default normalization."""
    from camel_tools.utils.dediac import dediac_ar
    from camel_tools.utils.normalize import (
        normalize_alef_ar,
        normalize_alef_maksura_ar,
        normalize_teh_marbuta_ar,
    )

    text = dediac_ar(text).replace("\u0640", "")
    return normalize_teh_marbuta_ar(normalize_alef_maksura_ar(normalize_alef_ar(text)))


class CamelSegmenter:
    """camel-tools MLE disambiguation + morphological tokenization (D3 or ATB) and lemmas.

    ``disambiguator`` is anything with camel-tools' ``disambiguate(words)`` interface; by
    default ``MLEDisambiguator.pretrained()``, which needs the installed data.  Segments and
    lemmas are returned dediacritized in the project's default normalization.
    """

    SCHEMES = ("d3tok", "atbtok")

    def __init__(self, disambiguator=None, scheme: str = "d3tok"):
        if scheme not in self.SCHEMES:
            raise ValueError(f"scheme must be one of {self.SCHEMES}, not {scheme!r}")
        if disambiguator is None:
            if not camel_data_available():
                raise RuntimeError(
                    f"camel-tools morphology data not found under {camel_data_dir()} "
                    "(install it with `camel_data -i light` or set CAMELTOOLS_DATA)"
                )
            from camel_tools.disambig.mle import MLEDisambiguator

            disambiguator = MLEDisambiguator.pretrained()
        from camel_tools.tokenizers.morphological import MorphologicalTokenizer

        self.name = f"camel-{scheme}"
        self._disambiguator = disambiguator
        self._tokenizer = MorphologicalTokenizer(disambiguator, scheme=scheme, split=True)

    def segment(self, token: str) -> list[str]:
        """Morphological tokens of ``token``, e.g. ``["و+", "ب+", "ال+", "احتلال"]``."""
        pieces = [_normalize_camel_output(p) for p in self._tokenizer.tokenize([token])]
        return [piece for piece in pieces if piece] or [token]

    def stem(self, token: str) -> str:
        """The lemma of the top analysis; the bare segment when there is no analysis."""
        (disambiguated,) = self._disambiguator.disambiguate([token])
        if disambiguated.analyses:
            lemma = disambiguated.analyses[0].analysis.get("lex")
            if lemma:
                return _normalize_camel_output(lemma)
        bare = [p for p in self.segment(token) if not p.startswith("+") and not p.endswith("+")]
        return bare[0] if bare else token

    def segment_many(self, tokens: Iterable[str]) -> list[list[str]]:
        """:meth:`segment` for each token."""
        return [self.segment(token) for token in tokens]


def make_segmenter(backend: str = "auto", warn: bool = True):
    """A segmenter: ``"camel"``, ``"rules"``, or ``"auto"`` (camel if its data is installed).

    The rule backend reads the bundled corpus vocabulary (:data:`VOCABULARY_FILE`).

    With ``"auto"`` and no camel-tools data, a :class:`CamelDataMissingWarning` is issued
    (shown once per calling line under Python's default warning filter) unless ``warn`` is
    False, and the rule-based fallback is returned.
    """
    if backend == "rules":
        return RuleSegmenter(vocabulary=read_vocabulary())
    if backend == "camel":
        return CamelSegmenter()
    if backend != "auto":
        raise ValueError(f"backend must be 'auto', 'camel' or 'rules', not {backend!r}")
    if camel_data_available():
        return CamelSegmenter()
    if warn:
        warnings.warn(
            f"camel-tools morphology data is absent (looked in {camel_data_dir()}); "
            "using the rule-based fallback segmenter (arabmedia.text.RuleSegmenter)",
            CamelDataMissingWarning,
            stacklevel=2,
        )
    return RuleSegmenter(vocabulary=read_vocabulary())


def segment_words(words: Iterable[str]) -> list[list[str]]:
    """Segments of each word by the default backend (:func:`make_segmenter` ``"auto"``).

    camel-tools when its data is installed, else :class:`RuleSegmenter` with the bundled
    corpus vocabulary (no warning).  Pieces are written ``و+``, ``ال+``, the stem, ``+ها``;
    one list per word, in input order.  Builds one segmenter per call, so pass all the words
    at once.
    """
    segmenter = make_segmenter("auto", warn=False)
    return [segmenter.segment(word) for word in words]
