"""The cached, deduplicated article table and the one definition of an article's text."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from arabmedia._fingerprint import code_fingerprint
from arabmedia.config import Settings
from arabmedia.corpus._loading import expand_globs
from arabmedia.corpus._schema import LoadResult
from arabmedia.corpus._study import NothingLoadedError
from arabmedia.io import atomic_path

ARTICLE_CACHE_FORMAT = "articles-v1"
#: Libraries the readers and the dedup step call (parsing, HTML extraction, MinHash).
ARTICLE_LIBRARIES = ("datasketch", "openpyxl", "pandas", "pyarrow", "trafilatura")


def _reading_code_fingerprint() -> str:
    """Fingerprint of the code that reads, cleans and deduplicates articles (see
    :func:`arabmedia._fingerprint.code_fingerprint`)."""
    from arabmedia.corpus import (
        _articles,
        _dates,
        _dedup,
        _loading,
        _readers,
        _schema,
        _store,
        _study,
    )

    modules = [_schema, _dates, _readers, _loading, _study, _store, _dedup, _articles]
    return code_fingerprint(modules, ARTICLE_LIBRARIES)


def input_files(settings: Settings, names: Sequence[str] | None = None) -> list[Path]:
    """The files the study's corpora are read from (``names``: these manifest corpora
    instead), sorted: every file under a manifest corpus's folder in ``settings.raw_dir``
    (and the manifest itself), or the files a corpus entry's globs match.  Keys caches of
    steps that read corpora (``StepCache(..., reads=input_files(settings))``)."""
    from arabmedia.corpus._manifest import load_manifest

    entries = (
        [(name, True, ()) for name in names]
        if names is not None
        else [(entry.name, entry.from_manifest, entry.files) for entry in settings.corpora]
    )
    files: set[Path] = set()
    for name, from_manifest, patterns in entries:
        if from_manifest:
            spec = load_manifest(settings.manifest).corpus(name)
            for folder in {f.path.split("/", 1)[0] for f in spec.files}:
                files.update(p for p in (settings.raw_dir / folder).rglob("*") if p.is_file())
            files.add(Path(settings.manifest))
        else:
            files.update(expand_globs(patterns, settings.root))
    return sorted(files)


def _article_cache_key(settings: Settings, near: bool) -> str:
    """Key of the deduplicated article table (see :func:`_study_key`)."""
    return _study_key(settings, ARTICLE_CACHE_FORMAT, near)


def _study_key(settings: Settings, tag: str, *extra: object) -> str:
    """sha256 over ``tag``, the study's corpus entries and ``extra``, their files (manifest
    sha256 and outlets, or the matched paths; size, mtime) and the fingerprint of the
    reading and dedup code: the key of caches of the study's articles."""
    from arabmedia.corpus._manifest import load_manifest

    digest = hashlib.sha256(tag.encode())
    digest.update(repr((settings.corpora, *extra)).encode())
    manifest = None
    for entry in settings.corpora:
        if entry.from_manifest:
            manifest = manifest or load_manifest(settings.manifest)
            spec = manifest.corpus(entry.name)
            digest.update(repr(spec.outlets).encode())
            files = [(f.path, f.sha256, f.local_path(settings.raw_dir)) for f in spec.files]
        else:
            files = [(str(p), "", p) for p in expand_globs(entry.files, settings.root)]
        for name, sha256, path in files:
            stat = path.stat()
            digest.update(f"{name}|{sha256}|{stat.st_size}|{stat.st_mtime_ns}".encode())
    digest.update(_reading_code_fingerprint().encode())
    return digest.hexdigest()


def load_articles(settings: Settings, *, near: bool = False) -> pd.DataFrame:
    """The study's deduplicated article table, cached in ``settings.cache_dir``.

    The study's article store (:func:`arabmedia.corpus.write_store`, written when missing;
    its rows are :func:`arabmedia.corpus.load_study`'s articles) read back and passed to
    :func:`arabmedia.corpus.deduplicate`; index 0..n-1 in the dedup step's stable order.
    Columns: :data:`ARTICLE_COLUMNS` plus the dedup columns. The Parquet cache is keyed by
    the raw files, the study's corpus entries and this code, so it is never stale; rejected
    records are not kept here (see :func:`arabmedia.corpus.store_rejects`). Raises
    :class:`NothingLoadedError` when no record loads.
    """
    from arabmedia.corpus._dedup import deduplicate
    from arabmedia.corpus._store import (
        read_store,
        store_folder,
        store_problems,
        store_rejects,
        write_store,
    )

    key = _article_cache_key(settings, near)
    path = Path(settings.cache_dir) / "articles" / f"{key}.parquet"
    if path.exists():
        return pd.read_parquet(path)
    folder = store_folder(settings)
    write_store(settings, folder, progress=False)
    articles = read_store(folder)
    if articles.empty:
        rejects = store_rejects(folder)
        result = LoadResult(articles, rejects, len(rejects), store_problems(folder))
        raise NothingLoadedError(result, settings)
    articles = deduplicate(articles, near=near, disable_progress=True)
    articles = articles.reset_index(drop=True)
    with atomic_path(path) as tmp:
        articles.to_parquet(tmp, index=False)
    return articles


def article_text(
    articles: pd.DataFrame, fields: Sequence[str] = ("title", "lead", "body")
) -> pd.Series:
    """The given text fields of each article joined by a newline, empty fields skipped.

    Aligned with ``articles.index``; the one definition of "an article's text" that the
    token cache, the CLI and the notebooks share.
    """
    missing = [f for f in fields if f not in articles.columns]
    if missing:
        raise ValueError(f"article_text: the article table has no column(s) {missing}")
    parts = articles[list(fields)].fillna("").astype(str)
    return pd.Series(
        ["\n".join(p for p in row if p) for row in parts.itertuples(index=False)],
        index=articles.index,
        dtype="str",
    )
