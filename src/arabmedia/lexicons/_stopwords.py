"""The stop-word lists (``lexicons/data/stopwords``): one normalized word a line.

The project list ``arabmedia.txt`` is derived from two permissively licensed lists (see
lexicons/data/stopwords/README.md): normalized like the project's tokens, single words only,
deduplicated and sorted, minus the entries of ``removed.tsv`` - words that carry meaning in
war coverage (months, weekdays, currencies, compass directions, ...).
:func:`build_stopword_list` reproduces the committed file from the two sources; the lists are
applied by :func:`arabmedia.text.remove_stopwords`.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from arabmedia.lexicons._errors import LexiconError
from arabmedia.lexicons._resources import LEXICON_DIR
from arabmedia.lexicons._wordlists import SINGLE_WORD, check_word, read_lines
from arabmedia.text._normalize import normalize

STOPWORDS_DIR = LEXICON_DIR / "stopwords"
# One-letter words kept by the build: the particles; other letters in the sources are noise.
ONE_LETTER_PARTICLES = frozenset("وفبلكس")
REMOVED_HEADER = "word\treason"


def load_stopwords(
    name: str = "arabmedia", directory: str | os.PathLike | None = None
) -> frozenset[str]:
    """The stop-word list ``<directory>/<name>.txt`` (one normalized word a line).

    Raises :class:`~arabmedia.lexicons.LexiconError` naming the file, the line and the reason.
    """
    directory = Path(directory or STOPWORDS_DIR)
    path = directory / f"{name}.txt"
    if not path.is_file():
        available = sorted(p.stem for p in directory.glob("*.txt"))
        raise LexiconError(path, f"no such stop-word list (available: {available})")
    words = frozenset(
        check_word(line, path, f"line {number}")
        for number, line in enumerate(read_lines(path), start=1)
    )
    if not words:
        raise LexiconError(path, "the stop-word list is empty")
    return words


def load_removed_stopwords(path: str | os.PathLike | None = None) -> dict[str, str]:
    """Words kept out of the project list, with their reasons: ``word<TAB>reason`` lines
    after a header line (default ``removed.tsv`` next to the list)."""
    path = Path(path or STOPWORDS_DIR / "removed.tsv")
    lines = read_lines(path)
    if not lines or lines[0] != REMOVED_HEADER:
        raise LexiconError(path, "expected the header 'word<TAB>reason'", "line 1")
    removed = {}
    for number, line in enumerate(lines[1:], start=2):
        fields = line.split("\t")
        if len(fields) != 2 or not all(field.strip() for field in fields):
            raise LexiconError(path, "expected 'word<TAB>reason'", f"line {number}")
        removed[check_word(fields[0], path, f"line {number}")] = fields[1]
    return removed


def build_stopword_list(sources: Iterable[str | os.PathLike], removed: Iterable[str]) -> list[str]:
    """Normalize the source lists, keep single words (2+ letters or a one-letter particle such
    as و), drop ``removed``, deduplicate and sort."""
    removed = frozenset(removed)
    words = set()
    for source in sources:
        for line in read_lines(source):
            word = normalize(line).strip()
            long_enough = len(word) >= 2 or word in ONE_LETTER_PARTICLES
            if SINGLE_WORD.match(word) and long_enough and word not in removed:
                words.add(word)
    return sorted(words)
