"""Arabic stop-word lists, applied only when an analysis asks for them.

The project list ``lexicons/data/stopwords/arabmedia.txt`` is derived from two permissively
licensed lists (see lexicons/data/stopwords/README.md): normalized like the project's tokens,
single words only, deduplicated and sorted, minus the entries in
``lexicons/data/stopwords/removed.tsv`` - words that carry meaning in war coverage
(months, weekdays, currencies, compass directions, ...).
:func:`build_stopword_list` reproduces the committed file from the two sources.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from pathlib import Path

from arabmedia.lexicons._resources import LEXICON_DIR
from arabmedia.text._normalize import normalize

STOPWORDS_DIR = LEXICON_DIR / "stopwords"
SINGLE_WORD = re.compile(r"^[\u0621-\u064a]+$")
ONE_LETTER_PARTICLES = frozenset("وفبلكس")


def normalize_word(word: str) -> str:
    """One word under the project's default normalization (:func:`arabmedia.text.normalize`)."""
    return normalize(word).strip()


def load_stopwords(name: str = "arabmedia", directory: str | os.PathLike | None = None):
    """The stop-word list ``<directory>/<name>.txt`` (one normalized word a line) as a frozenset."""
    directory = Path(directory or STOPWORDS_DIR)
    path = directory / f"{name}.txt"
    if not path.is_file():
        available = sorted(p.stem for p in directory.glob("*.txt"))
        raise FileNotFoundError(f"no stop-word list {name!r} at {path}; available: {available}")
    words = set()
    for number, line in enumerate(path.read_text("utf-8").splitlines(), start=1):
        if not SINGLE_WORD.match(line):
            raise ValueError(f"{path}:{number}: {line!r} is not a single normalized Arabic word")
        if normalize_word(line) != line:
            raise ValueError(f"{path}:{number}: {line!r} is not in the default normalization")
        words.add(line)
    if not words:
        raise ValueError(f"{path}: the stop-word list is empty")
    return frozenset(words)


def remove_stopwords(tokens: Iterable[str], stopwords: Iterable[str]) -> list[str]:
    """``tokens`` without the stop words, order kept."""
    stopwords = stopwords if isinstance(stopwords, (set, frozenset)) else frozenset(stopwords)
    return [token for token in tokens if token not in stopwords]


def read_removed(path: str | os.PathLike | None = None) -> dict[str, str]:
    """Entries excluded from the project list: ``word<TAB>reason`` after a header line."""
    path = Path(path or STOPWORDS_DIR / "removed.tsv")
    lines = path.read_text("utf-8").splitlines()
    if not lines or lines[0] != "word\treason":
        raise ValueError(f"{path}:1: expected header 'word<TAB>reason'")
    removed = {}
    for number, line in enumerate(lines[1:], start=2):
        fields = line.split("\t")
        if len(fields) != 2 or not all(fields):
            raise ValueError(f"{path}:{number}: expected 'word<TAB>reason'")
        removed[fields[0]] = fields[1]
    return removed


def build_stopword_list(sources: Iterable[str | os.PathLike], removed: Iterable[str]) -> list[str]:
    """Normalize the source lists, keep single words (2+ letters or a one-letter particle such
    as و), drop ``removed``, deduplicate and sort."""
    removed = frozenset(removed)
    words = set()
    for source in sources:
        for line in Path(source).read_text("utf-8").splitlines():
            word = normalize_word(line)
            long_enough = len(word) >= 2 or word in ONE_LETTER_PARTICLES
            if SINGLE_WORD.match(word) and long_enough and word not in removed:
                words.add(word)
    return sorted(words)
