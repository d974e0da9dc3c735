"""Token cache: a second run hits, any change of text or settings misses, writes are atomic."""

from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest

from arabmedia.config import load_settings
from arabmedia.corpus import article_text
from arabmedia.text import DEFAULT_SETTINGS, tokenize
from arabmedia.text import _cache as cache
from arabmedia.text import _normalize as normalize

IDS = ["a", "b"]
TEXTS = ["قالت وزارة الصحة إن «الشهداء» 12", "لا نص آخر"]


def test_second_run_hits_and_returns_the_same_tokens(tmp_path):
    first, hit_first = cache.cached_tokens(IDS, TEXTS, tmp_path)
    second, hit_second = cache.cached_tokens(IDS, TEXTS, tmp_path)
    assert (hit_first, hit_second) == (False, True)
    assert second["doc_id"].tolist() == IDS
    assert [list(t) for t in second["tokens"]] == [tokenize(t) for t in TEXTS]
    assert [list(t) for t in first["tokens"]] == [list(t) for t in second["tokens"]]


@pytest.mark.parametrize(
    ("ids", "texts", "settings"),
    [
        (IDS, [TEXTS[0] + " ", TEXTS[1]], DEFAULT_SETTINGS),
        (["a", "c"], TEXTS, DEFAULT_SETTINGS),
        (IDS, TEXTS, replace(DEFAULT_SETTINGS, teh_marbuta=False)),
    ],
)
def test_changing_text_ids_or_settings_misses(tmp_path, ids, texts, settings):
    cache.cached_tokens(IDS, TEXTS, tmp_path)
    _, hit = cache.cached_tokens(ids, texts, tmp_path, settings)
    assert not hit


def test_editing_the_tokenizer_code_misses_and_unchanged_code_hits(tmp_path, monkeypatch):
    cache_dir = tmp_path / "cache"
    cache.cached_tokens(IDS, TEXTS, cache_dir)
    assert cache.cached_tokens(IDS, TEXTS, cache_dir)[1]
    edited = tmp_path / "_normalize.py"
    edited.write_bytes(Path(normalize.__file__).read_bytes() + b"\n# an edit of the tokenizer\n")
    monkeypatch.setattr(normalize, "__file__", str(edited))
    _, hit = cache.cached_tokens(IDS, TEXTS, cache_dir)
    assert not hit
    assert len(list((cache_dir / "tokens").glob("*.parquet"))) == 2


def test_failed_write_leaves_no_cache_file(tmp_path, monkeypatch):
    def fail(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(cache.pq, "write_table", fail)
    with pytest.raises(OSError, match="disk full"):
        cache.cached_tokens(IDS, TEXTS, tmp_path)
    assert list((tmp_path / "tokens").iterdir()) == []


def test_article_tokens_align_with_the_table_and_share_the_cache(tmp_path):
    settings = load_settings().with_paths(cache_dir=tmp_path)
    articles = pd.DataFrame(
        {"doc_id": ["x", "y"], "title": ["عنوان أول", ""], "lead": ["", "مقدمة"]},
        index=[10, 20],
    )
    assert article_text(articles, ["title", "lead"]).tolist() == ["عنوان أول", "مقدمة"]
    tokens = cache.article_tokens(articles, ["title", "lead"], settings)
    assert tokens.index.tolist() == [10, 20]
    assert [list(t) for t in tokens] == [tokenize("عنوان أول"), tokenize("مقدمة")]
    again = cache.article_tokens(articles, ["title", "lead"], settings)
    assert len(list((tmp_path / "tokens").glob("*.parquet"))) == 1
    assert [list(t) for t in again] == [list(t) for t in tokens]
    with pytest.raises(ValueError, match=r"no column\(s\) \['body'\]"):
        article_text(articles, ["title", "body"])
