"""Sentence splitting on hand-written Arabic news-style text."""

import itertools
import random
import re

from hypothesis import given
from hypothesis import strategies as st

from arabmedia.text import sentence_spans, split_sentences


def test_splits_at_arabic_and_latin_terminal_punctuation():
    text = "قصف الجيش المدينة. هل توقف القصف؟ لا! انتهى الاجتماع?"
    assert split_sentences(text) == [
        "قصف الجيش المدينة.",
        "هل توقف القصف؟",
        "لا!",
        "انتهى الاجتماع?",
    ]


def test_line_breaks_end_sentences_and_whitespace_is_stripped():
    text = "  عنوان الخبر\n\nالفقرة الأولى بلا نقطة\r\nالفقرة الثانية.  "
    assert split_sentences(text) == ["عنوان الخبر", "الفقرة الأولى بلا نقطة", "الفقرة الثانية."]


def test_ellipsis_and_repeated_marks_stay_together():
    text = "وانتظر الناس... ثم جاء الخبر.. وماذا بعد؟! لا أحد يعرف… حتى الآن."
    assert split_sentences(text) == [
        "وانتظر الناس...",
        "ثم جاء الخبر..",
        "وماذا بعد؟!",
        "لا أحد يعرف…",
        "حتى الآن.",
    ]


def test_decimals_and_domains_do_not_split():
    text = "ارتفع المؤشر 3.5 في المئة حسب موقع aljazeera.net اليوم. وتراجع لاحقا."
    assert split_sentences(text) == [
        "ارتفع المؤشر 3.5 في المئة حسب موقع aljazeera.net اليوم.",
        "وتراجع لاحقا.",
    ]


def test_single_letter_abbreviations_and_initials_do_not_split():
    text = "قال د. أحمد إن أ. د. سعاد وصلت. وأكد J. Smith من U.S. ذلك."
    assert split_sentences(text) == [
        "قال د. أحمد إن أ. د. سعاد وصلت.",
        "وأكد J. Smith من U.S. ذلك.",
    ]


def test_no_split_inside_guillemets_or_double_quotes():
    text = 'قال المتحدث «وصلنا. لن نغادر» ثم غادر. وكتب "انتهى. نعم" في بيانه.'
    assert split_sentences(text) == [
        "قال المتحدث «وصلنا. لن نغادر» ثم غادر.",
        'وكتب "انتهى. نعم" في بيانه.',
    ]


def test_quote_ending_with_punctuation_then_new_sentence_splits_after_the_quote():
    text = "وهتف المتظاهرون «لن نرحل!» وتفرقوا بعد ساعة. ثم قال: “انتهى.” وغادر."
    assert split_sentences(text) == [
        "وهتف المتظاهرون «لن نرحل!»",
        "وتفرقوا بعد ساعة.",
        "ثم قال: “انتهى.”",
        "وغادر.",
    ]


def test_punctuation_after_closing_quote_keeps_the_quote_in_the_sentence():
    assert split_sentences("قال: «انتهى». وأضاف شيئا.") == ["قال: «انتهى».", "وأضاف شيئا."]


def test_an_unclosed_quote_is_closed_by_the_line_break():
    text = "قال «كلام بلا نهاية. ما زال.\nفقرة جديدة. وجملة أخرى."
    assert split_sentences(text) == [
        "قال «كلام بلا نهاية. ما زال.",
        "فقرة جديدة.",
        "وجملة أخرى.",
    ]


def test_spans_index_the_original_text():
    text = "  أولا.   ثانيا؟\nثالثا"
    spans = sentence_spans(text)
    assert [text[s:e] for s, e in spans] == ["أولا.", "ثانيا؟", "ثالثا"]
    assert all(a < b for a, b in spans)
    assert all(spans[i][1] <= spans[i + 1][0] for i in range(len(spans) - 1))


def test_empty_and_blank_text_give_no_sentences():
    assert split_sentences("") == []
    assert split_sentences(" \n\t \n") == []
    assert split_sentences("...") == ["..."]


NEWSY = st.text(
    alphabet=st.sampled_from(list('ابتثجحخدذرزسشصضطظعغفقكلمنهوي0123456789 .?!؟…«»"“”\n\t()د')),
    max_size=200,
)


@given(NEWSY)
def test_sentences_lose_no_non_space_characters(text):
    sentences = split_sentences(text)
    assert re.sub(r"\s", "", "".join(sentences)) == re.sub(r"\s", "", text)
    assert all(s and s == s.strip() for s in sentences)


@given(NEWSY)
def test_spans_are_ordered_and_disjoint(text):
    spans = sentence_spans(text)
    assert all(0 <= a < b <= len(text) for a, b in spans)
    assert all(spans[i][1] <= spans[i + 1][0] for i in range(len(spans) - 1))


# ------------------------------------------- equivalence with a per-character reference

TERMINAL_CHARS = ".?!؟…！？"
QUOTE_CLOSERS = {"«": "»", "“": "”"}


def _reference_is_abbreviation_or_number(text: str, position: int) -> bool:
    """Rule 3 of the module doc, and decimals: a full stop in 3.5 or after a lone letter."""
    if text[position] != ".":
        return False
    before = text[position - 1] if position > 0 else ""
    after = text[position + 1] if position + 1 < len(text) else ""
    if before.isdigit() and after.isdigit():
        return True
    two_before = text[position - 2] if position > 1 else " "
    return before.isalpha() and not two_before.isalpha() and after != "."


def _reference_cut_points(text: str) -> list[int]:
    """The module doc's rules, one character at a time (the splitter's former code)."""
    cuts, open_quotes, position = [], [], 0
    while position < len(text):
        char = text[position]
        if char in "\n\r\u2028\u2029\x0b\x0c\x85":
            open_quotes.clear()
            cuts.append(position + 1)
        elif char in QUOTE_CLOSERS:
            open_quotes.append(QUOTE_CLOSERS[char])
        elif open_quotes and char == open_quotes[-1]:
            open_quotes.pop()
        elif char == '"':
            open_quotes.append('"')
        elif char in TERMINAL_CHARS and not _reference_is_abbreviation_or_number(text, position):
            end = position + 1
            while end < len(text) and text[end] in TERMINAL_CHARS:
                end += 1
            while end < len(text) and text[end] in "»”\"')]}’":
                if open_quotes and text[end] == open_quotes[-1]:
                    open_quotes.pop()
                elif text[end] in '»”"':
                    break
                end += 1
            if (end >= len(text) or text[end].isspace()) and not open_quotes:
                cuts.append(end)
            position = end
            continue
        position += 1
    return cuts


def _reference_split(text: str) -> list[str]:
    """Cut at the reference cut points, strip, drop empty pieces."""
    bounds = [0, *_reference_cut_points(text), len(text)]
    pieces = (text[a:b].strip() for a, b in itertools.pairwise(bounds))
    return [piece for piece in pieces if piece]


EDGE_CASES = [
    "",
    ".",
    "...",
    "؟!",
    "a.",
    ".a",
    "3.5",
    "3.",
    ".5",
    "د. محمد",
    "U.S. ذلك",
    "aa. bb",
    "a.. b",
    "ب.. ج",
    "«",
    "»",
    "«»",
    "«انتهى!» ثم",
    "«انتهى!»ثم",
    "«جملة. جملة»",
    '"أ." ب',
    '"أ"." ب',
    '."',
    '."«',
    "!».",
    "قال: «انتهى». وأضاف",
    "«“قال.” ثم» بعد. نعم",
    "«“قال.» ثم” بعد. نعم",
    "(جملة.) تالية",
    "جملة.’) تالية",
    "«سطر.\nسطر» آخر. هنا",
    "سطر\r\nسطر\u2028سطر\u2029\x0b\x0c\x85",
    "نهاية.\u00a0بداية",
    "نهاية.\tبداية",
    "نهاية！ بداية？ ثم…",
    "\u2026\u2026 .",
]


def test_edge_cases_match_the_reference():
    for text in EDGE_CASES:
        assert split_sentences(text) == _reference_split(text), repr(text)


def test_generated_texts_match_the_reference():
    rng = random.Random(20250301)
    letters = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي" + "abcJSU"
    digits = "0123456789٠١٢"
    pieces = [
        (letters, 30),
        (digits, 6),
        (" ", 14),
        ("\t\u00a0", 1),
        (TERMINAL_CHARS, 10),
        ('«»“”"', 8),
        ("')]}’(", 3),
        ("\n\r\u2028\u2029\x0b\x0c\x85", 2),
    ]
    alphabets = [chars for chars, _ in pieces]
    weights = [weight for _, weight in pieces]
    for _ in range(4000):
        length = rng.randrange(0, 120)
        text = "".join(rng.choice(rng.choices(alphabets, weights)[0]) for _ in range(length))
        assert split_sentences(text) == _reference_split(text), repr(text)
        expected = _reference_split(text)
        assert [text[a:b] for a, b in sentence_spans(text)] == expected, repr(text)
