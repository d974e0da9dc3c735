"""The protected-word list (``lexicons/data/protected_words.txt``) of the rule segmenter.

Names, key terms and stems whose first letter looks like a clitic, which
:class:`arabmedia.text.RuleSegmenter` must not split or shorten.  The file is tab-separated
``word, kind, rationale`` after a header line; blank lines and ``#`` comments are skipped.
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass
from pathlib import Path

from arabmedia.lexicons._errors import LexiconError
from arabmedia.lexicons._resources import LEXICON_DIR
from arabmedia.lexicons._wordlists import check_word, read_lines

PROTECTED_WORDS_FILE = LEXICON_DIR / "protected_words.txt"
PROTECTED_KINDS = ("frozen", "stem", "function")
HEADER = ["word", "kind", "rationale"]


@dataclass(frozen=True)
class ProtectedWords:
    """Words the rule segmenter must not mangle, by kind (see lexicons/data/protected_words.txt)."""

    frozen: frozenset[str]
    stems: frozenset[str]
    function: frozenset[str]

    @functools.cached_property
    def all(self) -> frozenset[str]:
        """Every protected word, whatever its kind (built once: stemming asks per token)."""
        return self.frozen | self.stems | self.function


def load_protected_words(path: str | os.PathLike | None = None) -> ProtectedWords:
    """Read the protected-word list (default :data:`PROTECTED_WORDS_FILE`).

    Raises :class:`~arabmedia.lexicons.LexiconError` naming the file, the line and the reason.
    """
    path = Path(path or PROTECTED_WORDS_FILE)
    by_kind: dict[str, set[str]] = {kind: set() for kind in PROTECTED_KINDS}
    seen_header = False
    for number, line in enumerate(read_lines(path), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        entry, fields = f"line {number}", line.split("\t")
        if not seen_header:
            if fields != HEADER:
                raise LexiconError(path, "expected the header 'word<TAB>kind<TAB>rationale'", entry)
            seen_header = True
            continue
        if len(fields) != 3 or not all(field.strip() for field in fields):
            raise LexiconError(path, "expected 3 non-empty tab-separated fields", entry)
        word, kind, _rationale = fields
        if kind not in by_kind:
            raise LexiconError(path, f"kind {kind!r} is not one of {PROTECTED_KINDS}", entry)
        by_kind[kind].add(check_word(word, path, entry))
    if not seen_header:
        raise LexiconError(path, "expected the header 'word<TAB>kind<TAB>rationale'")
    return ProtectedWords(
        frozen=frozenset(by_kind["frozen"]),
        stems=frozenset(by_kind["stem"]),
        function=frozenset(by_kind["function"]),
    )
