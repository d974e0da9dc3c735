"""Sentence splitting on hand-written Arabic news-style text."""

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
