"""Arabic normalization and tokenization: fast, and token-for-token equal to camel-tools.

Every analysis counts words, and spelling variation (أ/ا, ة/ه, diacritics, tatweel, digit
scripts, quote styles) splits one word into many types.  :func:`normalize` folds those
variants; :func:`tokenize` splits the result into words and punctuation.

Reference and speed
-------------------
The reference is the plain camel-tools composition in :func:`reference_normalize` and
:func:`reference_tokenize` (``normalize_unicode``, ``dediac_ar``, ``normalize_alef_ar``,
``normalize_alef_maksura_ar``, ``normalize_teh_marbuta_ar`` and ``simple_word_tokenize``,
plus simple ``str`` steps for what camel-tools has no function for).  The fast path gives
the same output but works on whole batches:

* all one-to-one character maps, deletions and whitespace squeezing are one look-up table
  applied to the whole batch with numpy (a vectorized ``str.translate``); the table also
  folds characters whose NFKC form is a single character;
* NFKC then runs only on the few documents :func:`unicodedata.is_normalized` flags;
* tokens come from ONE precompiled standard-library ``re`` pattern (``findall``) that
  reproduces ``simple_word_tokenize`` exactly, emoji sequences included
  (see :func:`_token_pattern`).

Deliberate deviations from the plain composition (none seen on the corpora):

* The fast path applies the character maps before NFKC and repeats map + NFKC until the
  text is stable.  This makes :func:`normalize` idempotent.  The plain composition is not
  idempotent on contrived inputs where a map or deletion leaves a letter next to a
  combining madda or hamza (``آ`` + U+0653 gives ``ا`` + U+0653, which NFKC composes
  back to ``آ``); there the fast path returns the stable ``ا`` and the two differ.
* ``diacritics`` also removes Quranic annotation marks and the rarer Arabic vowel marks
  (:data:`EXTRA_ARABIC_MARKS`), which ``dediac_ar`` keeps.  The reference adds the same step.

Tokenization has no deviation: the pattern is built from camel-tools' own definitions
(Unicode punctuation and symbol categories from :mod:`unicodedata`, emoji from the
``emoji`` package, the camel-tools symbol regex) and the tests compare both token for
token on the corpora and on generated strings.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import itertools
import multiprocessing
import os
import re
import tempfile
import traceback
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields, replace
from multiprocessing.connection import Connection, wait
from typing import Any, TypeVar

import numpy as np
import pyarrow as pa
import regex

# --------------------------------------------------------------------------- normalization

#: Bidi and zero-width controls: invisible, but they split one word into several types.
#: U+061C (Arabic letter mark) is added to the ranges named in the project brief.
CONTROL_CHARS = frozenset(
    [chr(c) for c in range(0x200B, 0x2010)]
    + [chr(c) for c in range(0x202A, 0x202F)]
    + [chr(c) for c in range(0x2066, 0x206A)]
    + ["\ufeff", "\u061c"]
)
#: camel-tools' ``AR_DIAC_CHARSET``: tanwin, harakat, shadda, sukun, superscript alef.
ARABIC_DIACRITICS = frozenset("\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652\u0670")
#: Quranic annotation marks and rarer Arabic vowel marks (all category Mn).
EXTRA_ARABIC_MARKS = frozenset(
    chr(c)
    for lo, hi in [
        (0x0610, 0x061A),
        (0x0656, 0x065F),
        (0x06D6, 0x06DC),
        (0x06DF, 0x06E4),
        (0x06E7, 0x06E8),
        (0x06EA, 0x06ED),
        (0x08D3, 0x08E1),
        (0x08E3, 0x08FF),
    ]
    for c in range(lo, hi + 1)
)
TATWEEL = "\u0640"
ALEF_VARIANTS = "\u0623\u0625\u0622\u0671"  # أ إ آ ٱ
DOUBLE_QUOTES = "\u201c\u201d\u201e\u201f\u00ab\u00bb\u2033\uff02"  # “ ” „ ‟ « » ″ ＂
SINGLE_QUOTES = "\u2018\u2019\u201a\u201b"  # ‘ ’ ‚ ‛
EASTERN_DIGITS = "\u0660\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668\u0669"  # ٠-٩
PERSIAN_DIGITS = "\u06f0\u06f1\u06f2\u06f3\u06f4\u06f5\u06f6\u06f7\u06f8\u06f9"  # ۰-۹
#: Characters :func:`str.isspace` accepts (what ``str.split`` and camel-tools split on).
WHITESPACE = "".join(chr(c) for c in range(0x110000) if chr(c).isspace())
#: The two code points camel-tools' ``normalize_unicode`` expands before NFKC.
UNICODE_FIXES = {"\ufdfc": "ريال", "\ufdfd": "بسم الله الرحمن الرحيم"}


@dataclass(frozen=True)
class NormalizeSettings:
    """Which normalization steps to apply; every step is on by default.

    Steps run in this order (the order of :func:`cumulative_settings`):

    * ``unicode``: NFKC, as camel-tools ``normalize_unicode`` (folds presentation forms
      and ligatures such as ﻻ into plain letters, fullwidth forms, no-break spaces).
    * ``controls``: delete bidi and zero-width controls (:data:`CONTROL_CHARS`).
    * ``diacritics``: delete tanwin, harakat, shadda, sukun, superscript alef
      (camel-tools ``dediac_ar``) and Quranic marks (:data:`EXTRA_ARABIC_MARKS`).
    * ``tatweel``: delete the kashida ـ.
    * ``alef``: أ إ آ ٱ → ا (camel-tools ``normalize_alef_ar``).
    * ``alef_maksura``: ى → ي (``normalize_alef_maksura_ar``).
    * ``teh_marbuta``: ة → ه (``normalize_teh_marbuta_ar``).
    * ``digits``: Eastern Arabic ٠-٩ and Persian ۰-۹ digits → 0-9.
    * ``quotes``: all double quotation marks (“ ” „ ‟ « » ″ ＂) → ``"`` and single curly
      quotes (‘ ’ ‚ ‛) → ``'``.  Quotation marks are kept, not deleted: a name in scare
      quotes is a stance signal that later analyses count.
    * ``whitespace``: collapse every whitespace run to one space and trim the ends.

    Left alone on purpose: hamza on waw/ya (ؤ ئ) and the bare hamza ء, which are distinct
    spellings rather than variants; and Arabic-script punctuation (، ؛ ؟), which is the
    native punctuation and maps one-to-one to nothing we would gain from folding.
    """

    unicode: bool = True
    controls: bool = True
    diacritics: bool = True
    tatweel: bool = True
    alef: bool = True
    alef_maksura: bool = True
    teh_marbuta: bool = True
    digits: bool = True
    quotes: bool = True
    whitespace: bool = True


DEFAULT_SETTINGS = NormalizeSettings()
STEP_NAMES = tuple(f.name for f in fields(NormalizeSettings))


def _character_map(settings: NormalizeSettings) -> dict[str, str | None]:
    """The one-to-one character replacements (``None`` = delete) the settings ask for."""
    mapping: dict[str, str | None] = {}
    if settings.controls:
        mapping.update(dict.fromkeys(CONTROL_CHARS))
    if settings.diacritics:
        mapping.update(dict.fromkeys(ARABIC_DIACRITICS | EXTRA_ARABIC_MARKS))
    if settings.tatweel:
        mapping[TATWEEL] = None
    if settings.alef:
        mapping.update(dict.fromkeys(ALEF_VARIANTS, "\u0627"))
    if settings.alef_maksura:
        mapping["\u0649"] = "\u064a"
    if settings.teh_marbuta:
        mapping["\u0629"] = "\u0647"
    if settings.digits:
        mapping.update({d: str(i) for i, d in enumerate(EASTERN_DIGITS)})
        mapping.update({d: str(i) for i, d in enumerate(PERSIAN_DIGITS)})
    if settings.quotes:
        mapping.update(dict.fromkeys(DOUBLE_QUOTES, '"'))
        mapping.update(dict.fromkeys(SINGLE_QUOTES, "'"))
    return mapping


_MAX_PASSES = 8  # NFKC + maps converge in one or two passes; this only bounds odd input


@dataclass(frozen=True)
class _Tables:
    """Per-settings look-up tables over UTF-16 code units."""

    replacement: np.ndarray  # code unit -> code unit
    deleted: np.ndarray  # code unit -> delete it?
    collapse_spaces: bool


@functools.lru_cache(maxsize=32)
def _lookup_tables(settings: NormalizeSettings) -> _Tables:
    """The character maps of ``settings`` as tables; cached per settings.

    With ``unicode`` on, a BMP character whose NFKC form is one BMP character is mapped
    straight to that form (then through the other maps).  This is safe because NFKC only
    looks at each character's compatibility decomposition, which a character shares with
    its NFKC form; it spares the full NFKC pass for most documents (no-break spaces,
    presentation forms, fullwidth digits).  Surrogates map to themselves, so characters
    outside the BMP pass through unchanged and are left to the NFKC pass.  With
    ``whitespace`` on, every whitespace character becomes a space.
    """
    mapping = _character_map(settings)
    if settings.whitespace:
        mapping.update(dict.fromkeys(WHITESPACE, " "))
    replacement = np.arange(0x10000, dtype=np.uint16)
    deleted = np.zeros(0x10000, dtype=bool)

    def assign(code: int, target: str | None) -> None:
        if target is None:
            deleted[code] = True
        else:
            replacement[code] = ord(target)

    if settings.unicode:
        for code in range(0x10000):
            char = chr(code)
            if 0xD800 <= code < 0xE000 or char in UNICODE_FIXES:
                continue
            image = unicodedata.normalize("NFKC", char)
            if image != char and len(image) == 1 and ord(image) < 0x10000:
                assign(code, mapping.get(image, image))
    for source, target in mapping.items():
        assign(ord(source), target)
    replacement.flags.writeable = deleted.flags.writeable = False
    return _Tables(replacement, deleted, settings.whitespace)


def _apply_tables(text: str, tables: _Tables) -> str:
    """Map, delete and (optionally) squeeze spaces in one vectorized pass over ``text``."""
    units = np.frombuffer(text.encode("utf-16-le", "surrogatepass"), dtype=np.uint16)
    kept = tables.deleted[units]
    if kept.any():
        units = units[~kept]
    mapped = tables.replacement[units]
    if tables.collapse_spaces:
        space = mapped == 32
        repeated = np.zeros(len(mapped), dtype=bool)
        np.logical_and(space[1:], space[:-1], out=repeated[1:])
        mapped = mapped[~repeated]
    return mapped.tobytes().decode("utf-16-le", "surrogatepass")


def _nfkc(text: str) -> str:
    """camel-tools ``normalize_unicode``: expand two ligatures camel fixes, then NFKC."""
    for source, target in UNICODE_FIXES.items():
        if source in text:
            text = text.replace(source, target)
    return unicodedata.normalize("NFKC", text)


def _stabilize(text: str, tables: _Tables) -> str:
    """Repeat NFKC and the character maps until neither changes ``text`` (see module doc)."""
    for _ in range(_MAX_PASSES):
        if unicodedata.is_normalized("NFKC", text) and not any(f in text for f in UNICODE_FIXES):
            break
        mapped = _apply_tables(_nfkc(text), tables)
        if mapped == text:
            break
        text = mapped
    return text


def normalize_many(
    texts: Sequence[str], settings: NormalizeSettings = DEFAULT_SETTINGS
) -> list[str]:
    """Normalize a batch of texts (same result as :func:`normalize` on each, but faster).

    The batch is joined with NUL separators so the tables run once over all of it; when a
    text itself contains NUL each text is mapped on its own instead.
    """
    texts = list(texts)
    for position, text in enumerate(texts):
        if not isinstance(text, str):
            raise TypeError(f"text {position} is {type(text).__name__}, not str")
    if not texts:
        return []
    tables = _lookup_tables(settings)
    joined = "\0".join(texts)
    if joined.count("\0") == len(texts) - 1:
        mapped = _apply_tables(joined, tables).split("\0")
    else:
        mapped = [_apply_tables(text, tables) for text in texts]
    if settings.unicode:
        mapped = [_stabilize(text, tables) for text in mapped]
    if settings.whitespace:
        mapped = [text.strip(" ") for text in mapped]
    return mapped


def normalize(text: str, settings: NormalizeSettings = DEFAULT_SETTINGS) -> str:
    """Normalize one text with the steps ``settings`` switches on (see NormalizeSettings)."""
    return normalize_many([text], settings)[0]


def cumulative_settings(
    settings: NormalizeSettings = DEFAULT_SETTINGS,
) -> list[tuple[str, NormalizeSettings]]:
    """Settings that switch on the enabled steps one at a time, in order.

    Entry ``i`` enables the first ``i`` enabled steps of ``settings``; entry 0 is named
    ``"raw"`` and enables none.  A notebook tokenizes a corpus with each to show how the
    number of types shrinks step by step.
    """
    current = NormalizeSettings(**dict.fromkeys(STEP_NAMES, False))
    stages = [("raw", current)]
    for name in STEP_NAMES:
        if getattr(settings, name):
            current = replace(current, **{name: True})
            stages.append((name, current))
    return stages


def normalize_steps(
    text: str, settings: NormalizeSettings = DEFAULT_SETTINGS
) -> list[tuple[str, str]]:
    """``text`` after each step of :func:`cumulative_settings`, as (step name, text) pairs."""
    return [(name, normalize(text, stage)) for name, stage in cumulative_settings(settings)]


def reference_normalize(text: str, settings: NormalizeSettings = DEFAULT_SETTINGS) -> str:
    """The plain camel-tools composition that :func:`normalize` must reproduce.

    Slow and obviously correct; used by the tests and as the benchmark baseline.  Steps
    camel-tools has no function for are written with ``str`` methods.  Quotation marks are
    folded before NFKC so that ″ becomes ``"`` rather than NFKC's two primes.
    """
    from camel_tools.utils.dediac import dediac_ar
    from camel_tools.utils.normalize import (
        normalize_alef_ar,
        normalize_alef_maksura_ar,
        normalize_teh_marbuta_ar,
        normalize_unicode,
    )

    if settings.controls:
        text = _CONTROLS_RE.sub("", text)
    if settings.quotes:
        text = text.translate(str.maketrans(_quote_map()))
    if settings.unicode:
        text = normalize_unicode(text)
    if settings.controls:
        text = _CONTROLS_RE.sub("", text)
    if settings.diacritics:
        text = dediac_ar(text)
        text = _EXTRA_MARKS_RE.sub("", text)
    if settings.tatweel:
        text = text.replace(TATWEEL, "")
    if settings.alef:
        text = normalize_alef_ar(text)
    if settings.alef_maksura:
        text = normalize_alef_maksura_ar(text)
    if settings.teh_marbuta:
        text = normalize_teh_marbuta_ar(text)
    if settings.digits:
        for digits in (EASTERN_DIGITS, PERSIAN_DIGITS):
            for value, digit in enumerate(digits):
                text = text.replace(digit, str(value))
    if settings.whitespace:
        text = " ".join(text.split())
    return text


_CONTROLS_RE = re.compile(f"[{re.escape(''.join(sorted(CONTROL_CHARS)))}]")
_EXTRA_MARKS_RE = re.compile(f"[{re.escape(''.join(sorted(EXTRA_ARABIC_MARKS)))}]")


def _quote_map() -> dict[str, str]:
    """Quotation-mark folding used by :func:`reference_normalize`."""
    return {**dict.fromkeys(DOUBLE_QUOTES, '"'), **dict.fromkeys(SINGLE_QUOTES, "'")}


# --------------------------------------------------------------------------- tokenization

#: The symbol regex of camel-tools 1.6 ``simple_word_tokenize`` (tests check it is unchanged).
CAMEL_SYMBOLS_PATTERN = (
    r"(?:(?:\p{RI}\p{RI}|\p{Emoji}(?:\p{EMod}|\uFE0F\u20E3?|[\U000E0020-\U000E007E]+\U000E007F)?"
    r"(?:\u200D(?:\p{RI}\p{RI}|\p{Emoji}(?:\p{EMod}|\uFE0F\u20E3?|[\U000E0020-\U000E007E]+\U000E007F)?))*)"
    r"|(?:[0-9*#]\u20e3)|\p{S}|\p{P})"
)

# Which text after a candidate symbol would make camel-tools' greedy symbol match go on
# (see _token_pattern).  Filled with explicit character classes when the pattern is built.
_GUARD_KINDS = ("complete", "joinable", "selector", "bare", "bare_indicator")


def _ranges(chars: set[str] | frozenset[str]) -> str:
    """``chars`` as the inside of a regex character class, in code point ranges."""
    codes = sorted(map(ord, chars))
    parts, start = [], 0
    while start < len(codes):
        end = start
        while end + 1 < len(codes) and codes[end + 1] == codes[end] + 1:
            end += 1
        low, high = codes[start], codes[end]
        parts.append(f"\\U{low:08x}" if low == high else f"\\U{low:08x}-\\U{high:08x}")
        start = end + 1
    return "".join(parts)


def _token_pattern() -> dict[str, str]:
    """The alternatives (in order) of the one pattern equal to ``simple_word_tokenize``.

    camel-tools splits on whitespace, then walks each word: where its symbol regex
    (:data:`CAMEL_SYMBOLS_PATTERN`) matches a string that is a Unicode punctuation/symbol
    character or a known emoji, that string is a token; otherwise it moves on one character.
    The match is greedy, so a candidate only counts if the text after it would not extend
    the match (an emoji followed by a skin tone is one token; ``🇵🇸`` is one token but the
    last of three regional indicators stands alone).  The pattern encodes exactly that:

    * symbols: every string camel-tools could emit (found by running its own regex over its
      own symbol set), grouped by how their ending could be extended, each group followed by
      a negative lookahead ruling the extension out; multi-character emoji sit behind a
      two-character gate so that ordinary text never tries them;
    * words: runs of letters, marks and digits that can never start a symbol, ending
      before whitespace or punctuation; anything else goes to a slow path that checks
      every character against all symbols.

    Character classes are explicit code point lists computed with the ``regex`` module's
    Unicode properties (the tables camel-tools' regex uses) and compiled with the standard
    ``re`` module, whose classes of BMP characters are constant-time bitmaps: the common
    path (Arabic and Latin words, ASCII and Arabic punctuation) is as fast as ``\\w+``.
    """
    from emoji import EMOJI_DATA

    camel_symbols = regex.compile(CAMEL_SYMBOLS_PATTERN)
    every_char = "".join(map(chr, range(0x110000)))

    def matching(pattern: str) -> set[str]:
        return set(regex.findall(pattern, every_char, flags=regex.V1))

    emoji_chars, indicators = matching(r"\p{Emoji}"), matching(r"\p{RI}")
    modifiers = matching(r"\p{EMod}")
    whitespace = set(WHITESPACE)
    symbol_set = {c for c in every_char if unicodedata.category(c)[0] in "PS"} | set(EMOJI_DATA)

    def guard_kind(symbol: str) -> str:
        if len(symbol) == 2 and symbol[0] in indicators and symbol[1] in indicators:
            return "complete"  # camel's regional-indicator pair never extends
        last = symbol.rsplit("\u200d", 1)[-1]
        if len(last) == 1:
            if last not in emoji_chars:
                return "complete"
            return "bare_indicator" if last in indicators else "bare"
        return "selector" if last.endswith("\ufe0f") else "joinable"

    singles: dict[str, set[str]] = {kind: set() for kind in _GUARD_KINDS}
    multis: dict[str, set[str]] = {kind: set() for kind in _GUARD_KINDS}
    for symbol in symbol_set:
        found = camel_symbols.match(symbol)
        if found is None or found.group() != symbol or set(symbol) & whitespace:
            continue
        (singles if len(symbol) == 1 else multis)[guard_kind(symbol)].add(symbol)

    joined = rf"\u200d[{_ranges(emoji_chars)}]"
    after_bare = rf"[{_ranges(modifiers)}]|\ufe0f|[\U000e0020-\U000e007e]+\U000e007f|{joined}"
    guards = {
        "complete": "",
        "joinable": f"(?!{joined})",
        "selector": rf"(?!\u20e3|{joined})",
        "bare": f"(?!{after_bare})",
        "bare_indicator": rf"(?![{_ranges(indicators)}]|{after_bare})",
    }
    single_symbols = [
        f"[{_ranges(chars)}]{guards[kind]}" for kind, chars in singles.items() if chars
    ]
    multi_chars = set().union(*multis.values())
    gate = f"(?=[{_ranges({m[0] for m in multi_chars})}][{_ranges({m[1] for m in multi_chars})}])"
    multi_symbols = [
        "(?:" + "|".join(map(re.escape, sorted(v, key=lambda m: (-len(m), m)))) + ")" + guards[k]
        for k, v in multis.items()
        if v
    ]
    any_symbol = (
        "(?:" + "|".join([*single_symbols, gate + "(?:" + "|".join(multi_symbols) + ")"]) + ")"
    )

    # Letters, marks and digits that never start a symbol.  Digits are emoji (keycaps) but
    # only start one before U+FE0F, an emoji modifier, a joiner or a tag, none of which is
    # in these classes, so a run stopping there fails the lookahead and takes the slow path.
    letters = matching(r"[\p{L}\p{M}\p{N}--\p{Emoji}--[\ufe0f]]")
    digits = set("0123456789")
    punct = singles["complete"] - emoji_chars  # single-character symbols that never extend
    bmp = {chr(c) for c in range(0x10000)}
    space = f"[{_ranges(whitespace)}]"
    fast_letters = f"[{_ranges((letters | digits) & bmp)}]"
    fast_punct = f"[{_ranges(punct & bmp)}]"
    digit_extension = rf"[{_ranges(modifiers)}\ufe0f\u200d\U000e0020-\U000e007f]"
    return {
        "fast_word": f"{fast_letters}++(?={space}|{fast_punct}|\\Z)",
        "fast_punct": fast_punct,
        # Everything else starts on a non-space: checking that first keeps findall from
        # trying the costly alternatives at every space between words.
        "rest": (
            f"(?!{space})(?:{any_symbol}"
            f"|(?:[{_ranges(letters)}]++|[0-9]++(?!{digit_extension})|(?!{space})(?!{any_symbol}).)+)"
        ),
    }


@functools.cache
def token_regex() -> re.Pattern:
    """The compiled :func:`_token_pattern` (built once per process, about a second)."""
    return re.compile("|".join(_token_pattern().values()), re.DOTALL)


def tokenize(text: str, settings: NormalizeSettings | None = DEFAULT_SETTINGS) -> list[str]:
    """Normalize ``text`` (skip with ``settings=None``) and split it into tokens.

    Identical to camel-tools ``simple_word_tokenize(reference_normalize(text, settings))``.
    """
    if settings is not None:
        text = normalize(text, settings)
    return token_regex().findall(text)


def _tokenize_batch(texts: list[str], settings: NormalizeSettings | None) -> list[list[str]]:
    """Normalize a batch as one and tokenize each text."""
    if settings is not None:
        texts = normalize_many(texts, settings)
    findall = token_regex().findall
    return [findall(text) for text in texts]


def _encode_tokens(token_lists: list[list[str]]) -> str:
    """Tokens of a chunk as one string: one text a line, tokens separated by spaces.

    Tokens never contain whitespace, so the encoding is lossless; one string crosses a
    process boundary far faster than millions of small ones.
    """
    return "\n".join(" ".join(tokens) for tokens in token_lists)


def _utf16(first: int, encoded: str) -> bytes:
    """Encoded tokens as bytes close to what a Python str holds: cheap both ways."""
    return encoded.encode("utf-16-le", "surrogatepass")


def _lists_from_utf16(first: int, payload: bytes) -> list[list[str]]:
    """Token lists from :func:`_utf16` bytes."""
    encoded = payload.decode("utf-16-le", "surrogatepass")
    return [line.split(" ") if line else [] for line in encoded.split("\n")]


def _utf8(first: int, encoded: str) -> bytes:
    """Encoded tokens as UTF-8; a lone surrogate (not UTF-8) raises ``ValueError`` naming
    its text, counted from ``first``, the position of the chunk's first text."""
    try:
        return encoded.encode("utf-8")
    except UnicodeEncodeError as error:
        text = first + encoded.count("\n", 0, error.start)
        raise ValueError(
            f"text {text}: a token contains the lone surrogate "
            f"U+{ord(encoded[error.start]):04X}, which UTF-8 (Arrow, Parquet) cannot store"
        ) from None


def _arrow_from_utf8(first: int, payload: bytes) -> pa.ListArray:
    """A list<string> array from :func:`_utf8` bytes, built with numpy, no Python strings."""
    if len(payload) >= 2**31:
        raise ValueError(
            f"texts from {first}: the tokens of one chunk exceed 2 GiB; use a smaller chunksize"
        )
    data = np.frombuffer(payload, dtype=np.uint8)
    newline = data == 10  # UTF-8 multi-byte sequences never contain bytes below 0x80
    separator = newline | (data == 32)
    bounds = np.flatnonzero(separator)
    starts = np.concatenate(([0], bounds + 1))
    ends = np.append(bounds, len(data))
    nonempty = ends > starts  # the empty pieces are the texts without tokens
    line = np.concatenate(([0], np.cumsum(newline[bounds])))
    per_text = np.bincount(line[nonempty], minlength=int(newline.sum()) + 1)
    token_offsets = np.zeros(int(nonempty.sum()) + 1, dtype=np.int32)
    np.cumsum((ends - starts)[nonempty], out=token_offsets[1:])
    values = pa.StringArray.from_buffers(
        len(token_offsets) - 1, pa.py_buffer(token_offsets), pa.py_buffer(data[~separator])
    )
    list_offsets = np.zeros(len(per_text) + 1, dtype=np.int32)
    np.cumsum(per_text, out=list_offsets[1:])
    return pa.ListArray.from_arrays(pa.array(list_offsets), values)


@dataclass(frozen=True)
class _Job:
    """What forked workers inherit from :func:`_map_chunks` (never pickled)."""

    texts: list[str]
    settings: NormalizeSettings | None
    chunksize: int
    n_chunks: int
    ship: Callable[[int, str], bytes]  # (first text, encoded tokens) -> bytes to write
    folder: str
    counter: Any  # multiprocessing.Value: the next unclaimed chunk

    def chunk(self, index: int) -> tuple[int, list[str]]:
        """Position of the first text of chunk ``index``, and its texts."""
        first = index * self.chunksize
        return first, self.texts[first : first + self.chunksize]

    def claim(self) -> int | None:
        """The next unclaimed chunk (for this process or a worker), or None when none is left."""
        with self.counter.get_lock():
            index = self.counter.value
            if index >= self.n_chunks:
                return None
            self.counter.value = index + 1
        return index

    def path(self, index: int) -> str:
        """The file a worker writes chunk ``index`` to."""
        return os.path.join(self.folder, f"{index}.tokens")


#: Running :func:`_map_chunks` jobs by key; a forked worker finds its job here.
_JOBS: dict[int, _Job] = {}
_JOB_KEYS = itertools.count()


def _worker(key: int, connection: Connection) -> None:
    """Worker: claim chunks until none is left, write each one's tokens to a file, send its
    number; on an error send (chunk, exception, traceback) instead.

    A file (in RAM on Linux) rather than the pipe: a pipe holds 64 KiB, so megabytes sent
    through it would wait for the parent to read, which it does only between its own chunks.
    """
    job = _JOBS[key]
    index = None
    try:
        while (index := job.claim()) is not None:
            first, chunk = job.chunk(index)
            payload = job.ship(first, _encode_tokens(_tokenize_batch(chunk, job.settings)))
            with open(job.path(index), "wb") as file:
                file.write(payload)
            connection.send(index)
    except BaseException as error:
        trace = traceback.format_exc()
        try:
            connection.send((index, error, trace))
        except Exception:
            connection.send((index, RuntimeError(repr(error)), trace))
    finally:
        connection.close()


def _scratch_dir() -> str | None:
    """``/dev/shm`` (RAM) when writable, else the default temporary directory."""
    return "/dev/shm" if os.access("/dev/shm", os.W_OK) else None


@contextlib.contextmanager
def _gc_paused():
    """Suspend the cyclic garbage collector (restored afterwards, as it was).

    Tokenizing allocates millions of strings and lists that can form no cycle; left on,
    the collector keeps traversing every token list built so far (a quarter of the time).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


_Result = TypeVar("_Result")


def _map_chunks(
    texts: list[str],
    settings: NormalizeSettings | None,
    n_jobs: int,
    chunksize: int,
    progress: bool,
    local: Callable[[int, list[str]], _Result],
    ship: Callable[[int, str], bytes],
    receive: Callable[[int, bytes], _Result],
) -> list[_Result]:
    """A result per chunk of ``chunksize`` texts, in order.

    This process computes ``local(first, texts)`` for a chunk (``first`` is the position of
    its first text).  With ``n_jobs`` > 1, ``n_jobs - 1`` forked workers take chunks too:
    each worker writes ``ship(first, encoded tokens)`` to a file in RAM, and this process
    turns it into the result with ``receive(first, bytes)``.  Everyone claims the next
    chunk from a shared counter, so no process waits for another until the last chunk;
    this process collects workers' chunks between its own, so it is never idle.
    """
    n_chunks = -(-len(texts) // chunksize)
    results: list[_Result | None] = [None] * n_chunks
    bar = _progress_bar(n_chunks) if progress else None
    try:
        with _gc_paused():
            if n_jobs == 1 or n_chunks == 1:
                for index in range(n_chunks):
                    first = index * chunksize
                    results[index] = local(first, texts[first : first + chunksize])
                    if bar is not None:
                        bar.update()
            else:
                _run_with_workers(
                    texts, settings, n_jobs, chunksize, local, ship, receive, results, bar
                )
    finally:
        if bar is not None:
            bar.close()
    return results


def _run_with_workers(
    texts: list[str],
    settings: NormalizeSettings | None,
    n_jobs: int,
    chunksize: int,
    local: Callable[[int, list[str]], _Result],
    ship: Callable[[int, str], bytes],
    receive: Callable[[int, bytes], _Result],
    results: list[_Result | None],
    bar: Any,
) -> None:
    """The ``n_jobs`` > 1 case of :func:`_map_chunks`: fill ``results`` in place."""
    n_chunks = len(results)
    context = multiprocessing.get_context("fork")
    workers: list[multiprocessing.Process] = []
    readers: list[Connection] = []
    key = next(_JOB_KEYS)
    try:
        with tempfile.TemporaryDirectory(prefix="arabmedia-tokens-", dir=_scratch_dir()) as folder:
            job = _Job(texts, settings, chunksize, n_chunks, ship, folder, context.Value("q", 0))
            token_regex()  # build before forking so that workers inherit them
            if settings is not None:
                _lookup_tables(settings)
            _JOBS[key] = job
            for _ in range(min(n_jobs, n_chunks) - 1):  # workers inherit the paused GC
                reader, writer = context.Pipe(duplex=False)
                worker = context.Process(target=_worker, args=(key, writer), daemon=True)
                worker.start()
                writer.close()
                workers.append(worker)
                readers.append(reader)

            def collect(reader: Connection) -> None:
                try:
                    message = reader.recv()
                except EOFError:  # the worker has finished (or died: checked below)
                    readers.remove(reader)
                    return
                if isinstance(message, tuple):
                    index, error, trace = message
                    if index is not None:
                        first, chunk = job.chunk(index)
                        trace += f"(tokenizing texts {first}-{first + len(chunk) - 1})"
                    error.add_note(f"raised in a tokenizer worker:\n{trace}")
                    raise error
                first, _ = job.chunk(message)
                path = job.path(message)
                with open(path, "rb") as file:
                    results[message] = receive(first, file.read())
                os.unlink(path)
                if bar is not None:
                    bar.update()

            while (index := job.claim()) is not None:
                results[index] = local(*job.chunk(index))
                if bar is not None:
                    bar.update()
                for reader in wait(readers, timeout=0):
                    collect(reader)
            while readers:
                for reader in wait(readers):
                    collect(reader)
            missing = [i for i, result in enumerate(results) if result is None]
            if missing:
                for worker in workers:
                    worker.join()  # its pipe is closed: it has exited or is exiting
                codes = [worker.exitcode for worker in workers]
                raise RuntimeError(
                    f"tokenizer workers (exit codes {codes}) stopped without returning "
                    f"chunk(s) {missing} of {chunksize} texts"
                )
    finally:
        _JOBS.pop(key, None)
        for worker in workers:
            if worker.is_alive():
                worker.terminate()
            worker.join()
        for reader in readers:
            reader.close()


def _check_texts(texts: Sequence[str]) -> list[str]:
    """``texts`` as a list; a ``TypeError`` names the first item that is not a str."""
    texts = list(texts)
    for position, text in enumerate(texts):
        if not isinstance(text, str):
            raise TypeError(f"text {position} is {type(text).__name__}, not str")
    return texts


def _check_arguments(n_jobs: int, chunksize: int) -> None:
    """Reject n_jobs or chunksize below 1."""
    if n_jobs < 1 or chunksize < 1:
        raise ValueError(f"n_jobs and chunksize must be >= 1, got {n_jobs} and {chunksize}")


def tokenize_many(
    texts: Sequence[str],
    settings: NormalizeSettings | None = DEFAULT_SETTINGS,
    n_jobs: int = 1,
    chunksize: int = 500,
    progress: bool = False,
) -> list[list[str]]:
    """Tokenize many texts, in order, optionally in ``n_jobs`` processes.

    Texts are cut into chunks of ``chunksize``; each chunk is normalized as one batch.
    With ``n_jobs`` > 1 this process works too, alongside ``n_jobs - 1`` forked workers
    that share the compiled pattern instead of building it again.  The result does not
    depend on ``n_jobs`` or ``chunksize``.  When the caller stores or counts the tokens
    rather than looping over Python lists, :func:`tokenize_many_arrow` is faster.
    """
    _check_arguments(n_jobs, chunksize)
    texts = _check_texts(texts)
    chunks = _map_chunks(
        texts,
        settings,
        n_jobs,
        chunksize,
        progress,
        local=lambda first, chunk: _tokenize_batch(chunk, settings),
        ship=_utf16,
        receive=_lists_from_utf16,
    )
    return [tokens for chunk in chunks for tokens in chunk]


def tokenize_many_arrow(
    texts: Sequence[str],
    settings: NormalizeSettings | None = DEFAULT_SETTINGS,
    n_jobs: int = 1,
    chunksize: int = 500,
    progress: bool = False,
) -> pa.ChunkedArray:
    """The tokens of :func:`tokenize_many` as an Arrow ``list<string>`` array, one row a text.

    Same arguments and same tokens, but no Python string or list is made per token: the
    arrays are built from the encoded chunks with numpy (for Parquet, pandas, counting).
    Raises ``ValueError`` naming the text if a token holds a lone surrogate (not UTF-8).
    """
    _check_arguments(n_jobs, chunksize)
    texts = _check_texts(texts)
    chunks = _map_chunks(
        texts,
        settings,
        n_jobs,
        chunksize,
        progress,
        local=lambda first, chunk: _arrow_from_utf8(
            first, _utf8(first, _encode_tokens(_tokenize_batch(chunk, settings)))
        ),
        ship=_utf8,
        receive=_arrow_from_utf8,
    )
    return pa.chunked_array(chunks, type=pa.list_(pa.string()))


def _progress_bar(total: int):
    """A tqdm bar over chunks (imported only when asked for)."""
    from tqdm import tqdm

    return tqdm(total=total, desc="tokenize", unit="chunk")


def reference_tokenize(text: str, settings: NormalizeSettings | None = DEFAULT_SETTINGS):
    """camel-tools ``simple_word_tokenize`` after :func:`reference_normalize` (the baseline)."""
    from camel_tools.tokenizers.word import simple_word_tokenize

    if settings is not None:
        text = reference_normalize(text, settings)
    return simple_word_tokenize(text)
