"""Cached tokens of a corpus, keyed by a hash of the texts and of the settings.

Tokenizing 10^5 articles takes seconds to minutes; notebooks rerun often.  The
cache file name is the sha256 of (cache format, tokenizer settings, the code
fingerprint of the normalizer/tokenizer and the libraries it calls, every
document's id and text), so changing any text, setting or line of that code
selects another file and a stale cache can never be read.  Files are Parquet (doc_id, tokens)
written atomically: an interrupted run leaves no cache file behind.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from arabmedia._fingerprint import code_fingerprint
from arabmedia.config import Settings
from arabmedia.io import atomic_path
from arabmedia.text import _normalize
from arabmedia.text._normalize import DEFAULT_SETTINGS, NormalizeSettings, tokenize_many_arrow

CACHE_FORMAT = "tokens-v1"
#: Libraries whose code or data shape the tokens (fast path and camel-tools reference).
TOKENIZER_LIBRARIES = ("camel-tools", "emoji", "numpy", "regex")


def cache_key(doc_ids: Sequence[str], texts: Sequence[str], settings: NormalizeSettings) -> str:
    """sha256 over the format, the settings, the tokenizer code and every (doc_id, text)."""
    digest = hashlib.sha256(CACHE_FORMAT.encode())
    digest.update(repr(sorted(asdict(settings).items())).encode())
    digest.update(code_fingerprint([_normalize], TOKENIZER_LIBRARIES).encode())
    for doc_id, text in zip(doc_ids, texts, strict=True):
        for part in (doc_id, text):
            encoded = part.encode("utf-8")
            digest.update(len(encoded).to_bytes(8, "little"))
            digest.update(encoded)
    return digest.hexdigest()


def cached_tokens(
    doc_ids: Sequence[str],
    texts: Sequence[str],
    cache_dir: str | Path,
    settings: NormalizeSettings = DEFAULT_SETTINGS,
    *,
    n_jobs: int = 1,
    progress: bool = False,
) -> tuple[pd.DataFrame, bool]:
    """Tokens of each text, from the cache when it holds them; else tokenize and store.

    Returns (table, hit): the table has columns doc_id (str) and tokens (list of str),
    in input order; ``hit`` says whether it came from the cache.  The tokens go from
    :func:`tokenize_many_arrow` straight to Parquet, never as Python lists.
    """
    doc_ids, texts = list(doc_ids), list(texts)
    path = Path(cache_dir) / "tokens" / f"{cache_key(doc_ids, texts, settings)}.parquet"
    if path.exists():
        return pq.read_table(path).to_pandas(), True
    tokens = tokenize_many_arrow(texts, settings, n_jobs=n_jobs, progress=progress)
    table = pa.table({"doc_id": pa.array(doc_ids, pa.string()), "tokens": tokens})
    with atomic_path(path) as tmp:
        pq.write_table(table, tmp)
    return table.to_pandas(), False


def article_tokens(
    articles: pd.DataFrame,
    fields: Sequence[str],
    settings: Settings,
    *,
    normalize: NormalizeSettings = DEFAULT_SETTINGS,
    n_jobs: int = 1,
    progress: bool = False,
) -> pd.Series:
    """Tokens of :func:`arabmedia.corpus.article_text` over ``fields``, through the cache.

    A Series of token lists aligned with ``articles.index`` (needs column doc_id).
    """
    from arabmedia.corpus._articles import article_text

    texts = article_text(articles, fields)
    table, _ = cached_tokens(
        articles["doc_id"].tolist(),
        texts.tolist(),
        settings.cache_dir,
        normalize,
        n_jobs=n_jobs,
        progress=progress,
    )
    return pd.Series(table["tokens"].to_numpy(), index=articles.index, name="tokens")
