"""Sentence splitting for Arabic news text, on the original (unnormalized) text.

Rules, in order:

* A line break always ends a sentence (news paragraphs are one per line); it also closes any
  quotation left open, so one unbalanced quote mark cannot swallow the rest of an article.
* A run of terminal punctuation (``. ? ! ؟ …`` and fullwidth ``！ ？``, so ``..``, ``...``,
  ``?!`` count as one) ends a sentence when it is followed by whitespace or the end of the text.
  Closing quotes and brackets right after the run stay with the sentence (``قال: «انتهى».``).
  So ``3.5``, ``aljazeera.net`` and ``2.000`` never split.
* A full stop after a single letter is an abbreviation or initial, not an end: ``د. محمد``,
  ``أ. د.``, ``J. Biden``, ``U.S.`` (documented choice: this also keeps ``م.`` as in ``2023 م.``
  attached to the next sentence, which is rarer in news than ``د.`` before a name).
* Inside a quotation (``« »``, ``“ ”``, ``" "``) nothing splits, unless the quotation itself
  ends with terminal punctuation and is followed by whitespace: ``«انتهى!» ثم`` splits after
  ``»``, ``«جملة. جملة»`` does not split inside.

Sentences are stripped of surrounding whitespace, keep their punctuation, and are never empty.
"""

from __future__ import annotations

import re

TERMINALS = frozenset(".?!؟…！？")
CLOSERS = frozenset("»”\"')]}’")
OPENING_QUOTES = {"«": "»", "“": "”"}
STRAIGHT_QUOTE = '"'
LINE_BREAKS = frozenset("\n\r\u2028\u2029\x0b\x0c\x85")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` offsets of the sentences of ``text`` (``text[start:end]``)."""
    cuts = _cut_points(text)
    spans = []
    start = 0
    for cut in [*cuts, len(text)]:
        left, right = start, cut
        while left < right and text[left].isspace():
            left += 1
        while right > left and text[right - 1].isspace():
            right -= 1
        if left < right:
            spans.append((left, right))
        start = cut
    return spans


def split_sentences(text: str) -> list[str]:
    """The sentences of ``text``, stripped, punctuation kept, none empty."""
    return [text[start:end] for start, end in sentence_spans(text)]


#: The characters where the state of :func:`_cut_points` can change; all others are skipped.
_EVENT_CHARS = LINE_BREAKS | TERMINALS | {*OPENING_QUOTES, *OPENING_QUOTES.values()}
_EVENTS = re.compile("[" + re.escape("".join(sorted(_EVENT_CHARS | {STRAIGHT_QUOTE}))) + "]")
_TERMINAL_RUN = re.compile("[" + re.escape("".join(sorted(TERMINALS))) + "]+")


def _cut_points(text: str) -> list[int]:
    """Offsets where a new sentence may begin.

    ``re`` finds the line breaks, quotation marks and terminal punctuation runs; only those
    (a few in a hundred characters of news) are looked at in Python.
    """
    cuts = []
    open_quotes: list[str] = []  # expected closing characters, innermost last
    position = 0  # characters before this one are dealt with
    length = len(text)
    for event in _EVENTS.finditer(text):
        start = event.start()
        if start < position:
            continue  # inside a terminal run or its closers, handled below
        char = text[start]
        position = start + 1
        if char in LINE_BREAKS:
            open_quotes.clear()
            cuts.append(position)
        elif char in OPENING_QUOTES:
            open_quotes.append(OPENING_QUOTES[char])
        elif open_quotes and char == open_quotes[-1]:
            open_quotes.pop()
        elif char == STRAIGHT_QUOTE:
            open_quotes.append(STRAIGHT_QUOTE)
        elif char in TERMINALS and not _is_abbreviation_or_number(text, start):
            end = _TERMINAL_RUN.match(text, start).end()
            while end < length and text[end] in CLOSERS:
                if open_quotes and text[end] == open_quotes[-1]:
                    open_quotes.pop()
                elif text[end] in OPENING_QUOTES.values() or text[end] == STRAIGHT_QUOTE:
                    break  # a closer that does not match the open quote is not ours
                end += 1
            if (end >= length or text[end].isspace()) and not open_quotes:
                cuts.append(end)
            position = end
    return cuts


def _is_abbreviation_or_number(text: str, position: int) -> bool:
    """A full stop inside a number (3.5) or after a single-letter word (د. / U.S.)."""
    if text[position] != ".":
        return False
    before = text[position - 1] if position > 0 else ""
    after = text[position + 1] if position + 1 < len(text) else ""
    if before.isdigit() and after.isdigit():
        return True
    two_before = text[position - 2] if position > 1 else " "
    return before.isalpha() and not two_before.isalpha() and after != "."
