"""Plain-text word lists (stop words, protected words): reading their lines, checking words.

Kept apart from the YAML schema layer (:mod:`arabmedia.lexicons._schema`) because
:mod:`arabmedia.text` loads the protected words while it is being imported itself, so this
module must not import the lexicon modules that import :mod:`arabmedia.text`.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from arabmedia.lexicons._errors import LexiconError
from arabmedia.text._normalize import normalize

#: One word of Arabic letters, no spaces, digits or punctuation.
SINGLE_WORD = re.compile(r"^[\u0621-\u064a]+$")


def read_lines(path: str | os.PathLike) -> list[str]:
    """The lines of a UTF-8 text file, or a LexiconError naming the file."""
    try:
        return Path(path).read_text("utf-8").splitlines()
    except OSError as error:
        raise LexiconError(path, f"cannot read the file ({error.strerror})") from error
    except UnicodeDecodeError as error:
        raise LexiconError(path, f"not valid UTF-8: {error}") from error


def check_word(word: str, path: str | os.PathLike, entry: str) -> str:
    """``word`` if it is one Arabic word in the default normalization, else a LexiconError."""
    if not SINGLE_WORD.match(word):
        raise LexiconError(path, f"{word!r} is not a single Arabic word", entry)
    if normalize(word) != word:
        raise LexiconError(path, f"{word!r} is not in the default normalization", entry)
    return word
