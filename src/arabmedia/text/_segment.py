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
  letter looks like a clitic).

Tokens are expected in the project's default normalization (NFKC, no diacritics or tatweel,
أ إ آ ٱ → ا, ى → ي, ة → ه).  Segments follow camel-tools' D3 style: proclitics end in ``+``,
enclitics start with ``+`` and the stem is bare, e.g. ``"وبالاحتلال"`` →
``["و+", "ب+", "ال+", "احتلال"]``.  The conventions are spelled out in data/gold/README.md.

:func:`make_segmenter` picks a backend.  No state is kept at module level.
"""

from __future__ import annotations

import json
import os
import sys
import warnings
from collections.abc import Iterable
from pathlib import Path

from arabmedia.lexicons._protected_words import ProtectedWords, load_protected_words
from arabmedia.text._clitics import (
    ARTICLE,
    CONJUNCTIONS,
    FUTURE,
    HOST_ENCLITICS,
    OPEN_CLASS_ENCLITICS,
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


class CamelDataMissingWarning(UserWarning):
    """The camel-tools morphology data is absent; the rule-based fallback is used."""


class RuleSegmenter:
    """Rule-based clitic splitter and light stemmer that needs no external data.

    Candidate proclitic sequences are tried longest first; a candidate is valid when the
    remainder is long enough (2 letters after ال, 3 after a bare one-letter clitic unless the
    remainder is a short function word, a verb prefix after س).  A candidate whose remainder
    is a protected word (possibly inflected) wins over longer ones, otherwise the longest valid
    one is taken.  Enclitics are split after closed-class hosts and, for هم هما هن ها, after
    open-class stems (3+ letters, 2 for ها); ة written ت before a pronoun is restored
    (حكومته → حكومه +ه).  A word carrying ال takes no pronoun enclitic.
    """

    name = "rules"

    def __init__(self, protected: ProtectedWords | None = None):
        self.protected = protected if protected is not None else load_protected_words()
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

    def _split_proclitics(self, token: str) -> tuple[tuple[str, ...], str]:
        if token in self.protected.all:
            return (), token
        valid = [
            (clitics, token[len(written) :])
            for clitics, written in PROCLITIC_CHAINS
            if token.startswith(written) and self._valid_remainder(clitics, token[len(written) :])
        ]
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
            return len(remainder) >= 2
        if clitics[-1] == FUTURE:
            return len(remainder) >= 3 and remainder.startswith(IMPERFECT_PREFIXES)
        if clitics[-1] in CONJUNCTIONS and remainder in PRONOUN_WORDS:
            return True
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

    With ``"auto"`` and no camel-tools data, a :class:`CamelDataMissingWarning` is issued
    (shown once per calling line under Python's default warning filter) unless ``warn`` is
    False, and the rule-based fallback is returned.
    """
    if backend == "rules":
        return RuleSegmenter()
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
    return RuleSegmenter()
