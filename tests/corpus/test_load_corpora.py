"""Manifest corpora read from the raw folder: the outlet comes from settings, never guessed."""

import os
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest

from arabmedia.config import CorpusConfig, load_settings
from arabmedia.corpus import (
    _dates,
    _dedup,
    _loading,
    _readers,
    _schema,
    acquire,
    load_articles,
    load_corpora,
    load_manifest,
)

SETTINGS = load_settings()
pytestmark = [
    pytest.mark.corpora,
    pytest.mark.skipif(not SETTINGS.mirror.is_dir(), reason="corpus mirror not present"),
]


def test_seed_needs_an_outlet(tmp_path):
    settings = SETTINGS.with_paths(raw_dir=tmp_path / "raw")
    acquire(load_manifest(settings.manifest), ["seed"], settings, download=False, progress=False)
    rejected = load_corpora(["seed"], settings)
    assert rejected.summary == "read 1, loaded 0, rejected 1, problems 0"
    assert rejected.rejects["reason"].str.startswith("no outlet given").all()
    loaded = load_corpora(["seed"], settings, outlets={"seed": "Outlet X"})
    assert loaded.summary == "read 1, loaded 1, rejected 0, problems 0"
    assert loaded.articles.loc[0, "outlet"] == "Outlet X"
    assert loaded.articles.loc[0, "date"].strftime("%Y-%m-%d") == "2023-11-04"


def test_non_article_corpus_and_unknown_name_are_errors():
    with pytest.raises(ValueError, match="holds no articles"):
        load_corpora(["stopwords"], SETTINGS)
    with pytest.raises(ValueError, match="no corpus 'nope'"):
        load_corpora(["nope"], SETTINGS)


def test_load_articles_caches_and_follows_the_raw_files(tmp_path):
    settings = SETTINGS.with_paths(raw_dir=tmp_path / "raw", cache_dir=tmp_path / "cache")
    settings = replace(settings, corpora=(CorpusConfig("seed", outlet="Outlet X"),))
    acquire(load_manifest(settings.manifest), ["seed"], settings, download=False, progress=False)
    first = load_articles(settings)
    assert len(first) == 1 and first.loc[0, "outlet"] == "Outlet X"
    cached = list((tmp_path / "cache" / "articles").glob("*.parquet"))
    assert len(cached) == 1
    pd.testing.assert_frame_equal(load_articles(settings), first)
    assert list((tmp_path / "cache" / "articles").glob("*.parquet")) == cached
    # A raw file that changed on disk (here: only its mtime) selects a new cache entry.
    seed_file = load_manifest(settings.manifest).corpus("seed").files[0]
    path = seed_file.local_path(settings.raw_dir)
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 10**9))
    load_articles(settings)
    assert len(list((tmp_path / "cache" / "articles").glob("*.parquet"))) == 2


@pytest.mark.parametrize("module", [_readers, _schema, _dates, _loading, _dedup])
def test_article_cache_is_keyed_by_the_reading_code(tmp_path, monkeypatch, module):
    settings = SETTINGS.with_paths(raw_dir=tmp_path / "raw", cache_dir=tmp_path / "cache")
    settings = replace(settings, corpora=(CorpusConfig("seed", outlet="Outlet X"),))
    acquire(load_manifest(settings.manifest), ["seed"], settings, download=False, progress=False)
    load_articles(settings)
    load_articles(settings)
    assert len(list((tmp_path / "cache" / "articles").glob("*.parquet"))) == 1
    edited = tmp_path / Path(module.__file__).name
    edited.write_bytes(Path(module.__file__).read_bytes() + b"\n# an edit of the reading code\n")
    monkeypatch.setattr(module, "__file__", str(edited))
    load_articles(settings)
    assert len(list((tmp_path / "cache" / "articles").glob("*.parquet"))) == 2


def test_the_manifest_names_the_outlet_of_single_outlet_corpora(tmp_path):
    settings = SETTINGS.with_paths(raw_dir=tmp_path / "raw")
    manifest = load_manifest(settings.manifest)
    acquire(manifest, ["aljazeera"], settings, download=False, progress=False)
    result = load_corpora(["aljazeera"], settings)
    assert result.rejects.empty
    assert set(result.articles["outlet"]) == set(manifest.corpus("aljazeera").outlets)
    # A study's outlet for the corpus overrides the manifest's.
    renamed = load_corpora(["aljazeera"], settings, outlets={"aljazeera": "Renamed"})
    assert set(renamed.articles["outlet"]) == {"Renamed"}
    assert list(renamed.articles["doc_id"]) == list(result.articles["doc_id"])
