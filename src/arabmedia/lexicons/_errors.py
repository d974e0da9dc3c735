"""The one error every lexicon loader raises: it names the file, the entry and the reason."""

from __future__ import annotations


class LexiconError(ValueError):
    """A lexicon file is missing, unreadable or invalid.

    ``str(error)`` reads ``"<file>: <entry>: <reason>"`` (the entry part is left out when the
    problem concerns the whole file), so a researcher can find and fix the line at once.
    """

    def __init__(self, file: str, reason: str, entry: str | None = None):
        self.file, self.entry, self.reason = str(file), entry, reason
        where = f"{self.file}: {entry}" if entry else self.file
        super().__init__(f"{where}: {reason}")
