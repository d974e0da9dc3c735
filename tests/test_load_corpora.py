"""Manifest corpora read from the raw folder: the outlet comes from settings, never guessed."""

import pytest

from arabmedia.config import load_settings
from arabmedia.corpus import load_corpora
from arabmedia.manifest import acquire, load_manifest

SETTINGS = load_settings()
pytestmark = [
    pytest.mark.corpora,
    pytest.mark.skipif(not SETTINGS.mirror.is_dir(), reason="corpus mirror not present"),
]


def test_seed_needs_an_outlet(tmp_path):
    settings = SETTINGS.with_paths(raw_dir=tmp_path / "raw")
    acquire(load_manifest(settings.manifest), ["seed"], settings, download=False, progress=False)
    rejected = load_corpora(["seed"], settings)
    assert rejected.summary == "read 1, loaded 0, rejected 1"
    assert rejected.rejects["reason"].str.startswith("no outlet given").all()
    loaded = load_corpora(["seed"], settings, outlets={"seed": "Outlet X"})
    assert loaded.summary == "read 1, loaded 1, rejected 0"
    assert loaded.articles.loc[0, "outlet"] == "Outlet X"
    assert loaded.articles.loc[0, "date"].strftime("%Y-%m-%d") == "2023-11-04"


def test_non_article_corpus_and_unknown_name_are_errors():
    with pytest.raises(ValueError, match="holds no articles"):
        load_corpora(["stopwords"], SETTINGS)
    with pytest.raises(ValueError, match="no corpus 'nope'"):
        load_corpora(["nope"], SETTINGS)
