"""tokenize_many and tokenize_many_arrow: the same tokens for any n_jobs and chunksize,
worker failures reported, nothing left behind."""

from __future__ import annotations

import os
import time

import pyarrow as pa
import pytest

from arabmedia.text import NormalizeSettings, tokenize, tokenize_many, tokenize_many_arrow
from arabmedia.text import _normalize as normalize

TEXTS = [
    "قالت وزارة الصحة إن «الشهداء» 12 👍🏽!",
    "",
    "   ",
    "سطر أول\nسطر ثان\t«اقتباس»",
    "#غزة 🇵🇸🇵 ٣.٥% U.S. aljazeera.net",
    "؟!…",
    *[f"خبر رقم {i}: «غزة» 👍 " * (i % 4) for i in range(37)],
]
SETTINGS = [NormalizeSettings(), NormalizeSettings(whitespace=False, teh_marbuta=False), None]


@pytest.mark.parametrize("settings", SETTINGS)
@pytest.mark.parametrize(("n_jobs", "chunksize"), [(1, 500), (1, 3), (2, 1), (2, 4), (3, 5)])
def test_same_tokens_as_tokenize_for_any_jobs_and_chunks(settings, n_jobs, chunksize):
    expected = [tokenize(text, settings) for text in TEXTS]
    assert tokenize_many(TEXTS, settings, n_jobs=n_jobs, chunksize=chunksize) == expected
    arrow = tokenize_many_arrow(TEXTS, settings, n_jobs=n_jobs, chunksize=chunksize)
    assert arrow.type == pa.list_(pa.string())
    assert arrow.num_chunks == -(-len(TEXTS) // chunksize)
    assert arrow.to_pylist() == expected


def test_empty_input():
    assert tokenize_many([], n_jobs=2) == []
    assert len(tokenize_many_arrow([], n_jobs=2)) == 0


def test_lone_surrogate_kept_in_lists_and_named_for_arrow():
    texts = ["نص", "نص \ud800 آخر", "ثالث"]
    assert tokenize_many(texts, n_jobs=2, chunksize=1) == [tokenize(t) for t in texts]
    for n_jobs in (1, 2):
        with pytest.raises(ValueError, match=r"text 1: .*U\+D800"):
            tokenize_many_arrow(texts, n_jobs=n_jobs, chunksize=1)


def test_non_string_is_named_before_any_work():
    with pytest.raises(TypeError, match="text 2 is int"):
        tokenize_many(["a", "b", 3], n_jobs=2)
    with pytest.raises(ValueError, match="chunksize"):
        tokenize_many_arrow(["a"], chunksize=0)


def _slow_in_parent_failing_in_worker(parent: int, failure):
    """A _tokenize_batch that gives workers time to claim chunks, then fails in them."""
    original = normalize._tokenize_batch

    def patched(texts, settings):
        if os.getpid() == parent:
            time.sleep(0.02)
            return original(texts, settings)
        failure()
        return original(texts, settings)

    return patched


def test_worker_error_reaches_the_caller(monkeypatch, tmp_path):
    def fail():
        raise RuntimeError("boom in worker")

    monkeypatch.setattr(normalize, "_scratch_dir", lambda: str(tmp_path))
    monkeypatch.setattr(
        normalize, "_tokenize_batch", _slow_in_parent_failing_in_worker(os.getpid(), fail)
    )
    with pytest.raises(RuntimeError, match="boom in worker") as caught:
        tokenize_many(TEXTS, n_jobs=2, chunksize=1)
    assert any("raised in a tokenizer worker" in note for note in caught.value.__notes__)
    assert list(tmp_path.iterdir()) == []


def test_dead_worker_is_an_error_not_a_hang(monkeypatch, tmp_path):
    monkeypatch.setattr(normalize, "_scratch_dir", lambda: str(tmp_path))
    monkeypatch.setattr(
        normalize,
        "_tokenize_batch",
        _slow_in_parent_failing_in_worker(os.getpid(), lambda: os._exit(3)),
    )
    with pytest.raises(RuntimeError, match=r"exit codes \[3\]"):
        tokenize_many_arrow(TEXTS, n_jobs=2, chunksize=1)
    assert list(tmp_path.iterdir()) == []


def test_no_files_left_behind(monkeypatch, tmp_path):
    monkeypatch.setattr(normalize, "_scratch_dir", lambda: str(tmp_path))
    tokenize_many(TEXTS, n_jobs=3, chunksize=2)
    tokenize_many_arrow(TEXTS, n_jobs=2, chunksize=2)
    assert list(tmp_path.iterdir()) == []
