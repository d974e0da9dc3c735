"""Tests for arabmedia.text (normalization, tokenization) and arabmedia.bench.

The camel-tools composition (``reference_normalize`` / ``reference_tokenize``) is the
oracle: the fast path must agree with it on hand-written examples, generated strings and a
deterministic sample of every corpus.
"""

from __future__ import annotations

import csv
import json
import random
import re
import unicodedata
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest
from emoji import EMOJI_DATA
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from arabmedia.cli import format_benchmark, load_benchmark_texts, run_benchmark
from arabmedia.config import load_settings
from arabmedia.text import (
    CAMEL_SYMBOLS_PATTERN,
    EXTRA_ARABIC_MARKS,
    STEP_NAMES,
    NormalizeSettings,
    cumulative_settings,
    normalize,
    normalize_many,
    normalize_steps,
    reference_normalize,
    reference_tokenize,
    token_regex,
    tokenize,
    tokenize_many,
)

ALL_OFF = NormalizeSettings(**dict.fromkeys(STEP_NAMES, False))


def only(step: str) -> NormalizeSettings:
    """Settings with just one step on."""
    return replace(ALL_OFF, **{step: True})


# ----------------------------------------------------------------- normalization, by step


@pytest.mark.parametrize(
    ("step", "raw", "expected"),
    [
        ("alef", "أحمد إلى آخر ٱلله", "احمد الى اخر الله"),
        ("alef_maksura", "على مستشفى", "علي مستشفي"),
        ("teh_marbuta", "غزة المحاصرة", "غزه المحاصره"),
        ("diacritics", "شُهَدَاءُ قَتْلَى غزةٌ", "شهداء قتلى غزة"),
        ("diacritics", "الرَّحْمٰنِ", "الرحمن"),  # shadda and superscript alef
        ("diacritics", "قال\u06d6 الله\u0610", "قال الله"),  # Quranic marks
        ("tatweel", "الاحتـــلال", "الاحتلال"),
        ("digits", "٧ أكتوبر ۲۰۲۳", "7 أكتوبر 2023"),
        ("quotes", "«إسرائيل» “الاحتلال” „x‟ ″y″ ＂z＂", '"إسرائيل" "الاحتلال" "x" "y" "z"'),
        ("quotes", "‘a’ ‚b‛", "'a' 'b'"),
        ("controls", "غ\u200fز\u200bة\u202b \u2066x\u2069\ufeff\u200c", "غزة x"),
        ("whitespace", "  غزة \t\n\u00a0 القدس  ", "غزة القدس"),
        ("unicode", "ﻻ ﺃﻫﻼ ＡＢ", "لا أهلا AB"),  # presentation forms, fullwidth
    ],
)
def test_each_step_does_its_job(step, raw, expected):
    assert normalize(raw, only(step)) == expected
    assert reference_normalize(raw, only(step)) == expected


@pytest.mark.parametrize("step", STEP_NAMES)
def test_a_step_switched_off_leaves_its_characters(step):
    samples = {
        "alef": "أ",
        "alef_maksura": "ى",
        "teh_marbuta": "ة",
        "diacritics": "بَ",
        "tatweel": "بـب",
        "digits": "٣",
        "quotes": "«",
        "controls": "a\u200fb",
        "whitespace": "a  b",
        "unicode": "ﻻ",
    }
    text = samples[step]
    everything_but = replace(NormalizeSettings(), **{step: False})
    assert normalize(text, everything_but) == text


def test_defaults_fold_a_realistic_headline():
    raw = "«إسرائيل» تَقْصِفُ مُسْتَشْفَى غــزة: ٥٠ شَهِيدًا"
    assert normalize(raw) == '"اسرائيل" تقصف مستشفي غزه: 50 شهيدا'


def test_hamza_on_waw_and_ya_and_arabic_punctuation_are_kept():
    text = "مؤتمر، رئيس؛ سؤال؟ ء"
    assert normalize(text) == text


def test_extra_marks_are_all_nonspacing_marks():
    assert {unicodedata.category(c) for c in EXTRA_ARABIC_MARKS} == {"Mn"}


def test_steps_are_cumulative_and_end_at_full_normalization():
    text = "«أَهلاً» بِكُم في غــزّة ١٢"
    steps = normalize_steps(text)
    assert [name for name, _ in steps] == ["raw", *STEP_NAMES]
    assert steps[0][1] == text
    assert steps[-1][1] == normalize(text)
    stages = dict(cumulative_settings())
    assert stages["alef"].diacritics and not stages["alef"].digits


def test_cumulative_settings_skips_disabled_steps():
    names = [name for name, _ in cumulative_settings(replace(NormalizeSettings(), digits=False))]
    assert "digits" not in names and names[0] == "raw"


def test_normalize_many_matches_normalize_even_with_nul_in_text():
    texts = ["أ\x00ة", "", "  ى  ", "ﻷ"]
    assert normalize_many(texts) == [normalize(t) for t in texts] == ["ا\x00ه", "", "ي", "لا"]


def test_non_string_input_names_the_record():
    with pytest.raises(TypeError, match="text 1 is int"):
        normalize_many(["ok", 3])


# ------------------------------------------------------------------ generated strings

ARABIC = [chr(c) for c in range(0x0621, 0x0653)] + ["\u0670", "\u0640", "\u0671", "ۀ"]
MARKS = ["\u0653", "\u0654", "\u0655", "\u0610", "\u06d6", "\u0300", "\u0301"]
PRESENTATION = ["ﻻ", "ﻷ", "ﺃ", "ﺓ", "\ufe70", "\ufdfc", "\ufdfd", "ﷺ", "…", "½", "ＡＢ", "①"]
PUNCT = list(".,;:!?-_/\\()[]{}@#*%&+=<>|~^$`'\"،؛؟«»“”„‟″＂‘’‚‛")
SPACES = [" ", "  ", "\n", "\t", "\u00a0", "\u2009", "\x1c", "\r\n"]
INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u200f", "\u202b", "\u2066", "\ufeff", "\ufe0f"]
DIGITS = list("0123456789٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹")
EMOJI_PIECES = [
    "\U0001f3fd",
    "\u20e3",
    "\U000e0067",
    "\U000e007f",
    "\U0001f1f5",
    "\U0001f1f8",
    "\U0001f3f4",
    "❤",
    "©",
]
EMOJI = sorted(EMOJI_DATA)

pieces = st.one_of(
    st.sampled_from(ARABIC),
    st.sampled_from(MARKS),
    st.sampled_from(PRESENTATION),
    st.sampled_from(PUNCT),
    st.sampled_from(SPACES),
    st.sampled_from(INVISIBLE),
    st.sampled_from(DIGITS),
    st.sampled_from(EMOJI_PIECES),
    st.sampled_from(EMOJI),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=3),
    st.text(alphabet="abcXYZ", min_size=1, max_size=5),
)
texts = st.lists(pieces, max_size=25).map("".join)
# Plain text: what news looks like, without contrived combining sequences.
plain_texts = st.lists(
    st.one_of(
        st.sampled_from(ARABIC),
        st.sampled_from(PUNCT),
        st.sampled_from(SPACES),
        st.sampled_from(DIGITS),
        st.sampled_from(INVISIBLE[:-1]),
        st.sampled_from(EMOJI),
        st.sampled_from(PRESENTATION),
        st.text(alphabet="abcXYZ", min_size=1, max_size=5),
    ),
    max_size=30,
).map("".join)
FAST = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(texts)
def test_normalize_is_idempotent(text):
    once = normalize(text)
    assert normalize(once) == once


@FAST
@given(plain_texts)
def test_normalize_equals_camel_composition_on_plain_text(text):
    assert normalize(text) == reference_normalize(text)


@FAST
@given(texts)
def test_tokens_keep_every_non_space_character(text):
    normalized = normalize(text)
    assert "".join(tokenize(normalized, None)) == re.sub(r"\s+", "", normalized)


@FAST
@given(texts)
def test_tokenizer_equals_camel_on_raw_strings(text):
    from camel_tools.tokenizers.word import simple_word_tokenize

    assert tokenize(text, None) == simple_word_tokenize(text)


@FAST
@given(plain_texts)
def test_tokenize_equals_camel_after_normalization(text):
    assert tokenize(text) == reference_tokenize(text)


# ----------------------------------------------------------------- tokenization examples


def test_camel_symbol_regex_is_the_one_reproduced():
    from camel_tools.tokenizers import word

    assert word._SYMBOLS_RE.pattern == CAMEL_SYMBOLS_PATTERN


@pytest.mark.parametrize(
    "text",
    [
        "Hello,    world!!!",
        "#غزة_الآن @user https://x.com/a?b=1&c=2 user@mail.org 3.5% 1,000",
        "😀👍🏽 🇵🇸🇵🇸🇦 5️⃣ #️⃣ #\u20e3 ❤️\u200d🔥 😀\u200d😀 🏴\U000e0067\U000e0062\U000e007f",
        "🇪🇪\u200d❤ a\u200db 12\ufe0f\u20e3 ℹ️x",
    ],
)
def test_tricky_strings_match_camel(text):
    from camel_tools.tokenizers.word import simple_word_tokenize

    assert tokenize(text, None) == simple_word_tokenize(text)


def test_quotation_marks_survive_as_tokens():
    assert tokenize("قالت «إسرائيل» إن") == ["قالت", '"', "اسرائيل", '"', "ان"]
    assert tokenize("“الاحتلال”").count('"') == 2


def test_hashtag_and_emoji_split_like_camel():
    assert tokenize("#غزة 👍🏽!", None) == ["#", "غزة", "👍🏽", "!"]


def test_tokenize_many_is_ordered_and_independent_of_jobs_and_chunks():
    docs = [f"خبر رقم {i}: «غزة» 👍" * (i % 3) for i in range(23)]
    expected = [tokenize(doc) for doc in docs]
    assert tokenize_many(docs) == expected
    assert tokenize_many(docs, chunksize=4) == expected
    assert tokenize_many(docs, n_jobs=2, chunksize=5) == expected
    assert tokenize_many([]) == []


def test_tokenize_many_rejects_bad_arguments():
    with pytest.raises(ValueError, match="n_jobs"):
        tokenize_many(["x"], n_jobs=0)


def test_pattern_is_cached():
    assert token_regex() is token_regex()


# ----------------------------------------------------------------------------- corpora


def _corpus_sample(mirror: Path, seeds: Path) -> list[tuple[str, str]]:
    """(source, text) pairs sampled deterministically from every corpus and the seed."""
    rng = random.Random(20240601)
    docs: list[tuple[str, str]] = []

    def take(source: str, items: list[str], n: int) -> None:
        items = [t for t in items if isinstance(t, str) and t]
        docs.extend((source, t) for t in rng.sample(items, min(n, len(items))))

    mayadeen = sorted((mirror / "almayadeen").glob("**/*.json"))
    records = [r for path in mayadeen for r in json.loads(path.read_text("utf-8"))]
    take("almayadeen", [r.get("title") for r in records], 300)
    take("almayadeen", [r.get("full_text") for r in records], 250)
    jazeera = sorted((mirror / "aljazeera").glob("*.json"))
    records = [r for path in jazeera for r in json.loads(path.read_text("utf-8"))]
    take("aljazeera", [r.get("title") for r in records], 500)
    take("aljazeera", [r.get("excerpt") for r in records], 500)
    fignews = pd.read_csv(
        mirror / "fignews2024" / "camel" / "FIGNEWS-2024-TEXT-IAA.tsv",
        sep="\t",
        quoting=csv.QUOTE_NONE,
        dtype=str,
        keep_default_na=False,
    )
    take("fignews", fignews["Text"].tolist(), 500)
    take("fignews", fignews["Arabic MT"].tolist(), 300)
    spans = mirror / "armpro" / "V2" / "span" / "ArMPro_span_dev_V2.jsonl"
    lines = spans.read_text("utf-8").splitlines()
    take("armpro", [json.loads(line)["paragraph"] for line in lines if line.strip()], 400)
    docs.extend(("seed", p.read_text("utf-8")) for p in sorted(seeds.glob("*.txt")))
    return docs


@pytest.mark.corpora
def test_tokenizer_equals_camel_on_every_corpus():
    mirror = load_settings().mirror
    if not mirror.is_dir():
        pytest.skip(f"corpus mirror {mirror} does not exist")
    docs = _corpus_sample(mirror, mirror.parent / "seeds")
    assert len(docs) >= 2000
    assert {source for source, _ in docs} == {
        "almayadeen",
        "aljazeera",
        "fignews",
        "armpro",
        "seed",
    }
    texts = [text for _, text in docs]
    ours = tokenize_many(texts, chunksize=256)
    normalized = normalize_many(texts)
    for (source, text), tokens, norm in zip(docs, ours, normalized, strict=True):
        reference = reference_normalize(text)
        assert norm == reference, f"{source}: normalization differs for {text[:40]!r}"
        expected = reference_tokenize(text)
        assert tokens == expected, f"{source}: tokens differ for {text[:40]!r}"


# ----------------------------------------------------------------------------- bench


def test_benchmark_loader_skips_bad_records_and_reports_files(tmp_path, caplog):
    folder = tmp_path / "almayadeen"
    (folder / "supplement").mkdir(parents=True)
    (folder / "articles_2024_01.json").write_text(
        json.dumps([{"title": "عنوان", "full_text": "نص"}, {"title": "x"}, 5]), "utf-8"
    )
    (folder / "supplement" / "extra.json").write_text(json.dumps([{"full_text": "ملحق"}]), "utf-8")
    assert load_benchmark_texts(tmp_path) == ["عنوان\nنص", "\nملحق"]
    assert "skipped 2" in caplog.text
    (folder / "articles_2024_02.json").write_text("{broken", "utf-8")
    with pytest.raises(ValueError, match=re.escape("articles_2024_02.json")):
        load_benchmark_texts(tmp_path)


def test_run_benchmark_reports_every_method():
    result = run_benchmark(["«غزة» تحت القصف، ٥٠ شهيدًا."] * 40, n_jobs=2)
    tokenizers = {"project_1proc", "project_2proc", "lists_1proc", "lists_2proc"}
    assert set(result["methods"]) == {"naive_camel", "bare_regex", *tokenizers}
    counts = {name: entry["tokens"] for name, entry in result["methods"].items()}
    assert {counts[name] for name in ["naive_camel", *tokenizers]} == {40 * 9}
    assert {"project_2proc_vs_1proc", "lists_2proc_vs_1proc"} <= set(result["ratios"])
    assert all(ratio > 0 for ratio in result["ratios"].values())
    assert result["peak_rss_mib"]["self"] > 0
    table = format_benchmark(result)
    assert "project_2proc" in table and "peak RSS" in table
