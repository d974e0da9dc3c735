"""Settings: file values, environment overrides, configured outlets, the study folder."""

import pytest

from arabmedia.config import find_root, load_settings


def test_settings_file_and_environment_overrides(tmp_path, monkeypatch):
    (tmp_path / "arabmedia.toml").write_text(
        '[data]\nmirror = "mirror"\n[run]\ncorpora = ["seed"]\n[run.outlets]\nseed = "Outlet X"\n',
        encoding="utf-8",
    )
    monkeypatch.delenv("ARABMEDIA_MIRROR", raising=False)
    monkeypatch.delenv("ARABMEDIA_CORPORA", raising=False)
    settings = load_settings(tmp_path)
    assert settings.mirror == (tmp_path / "mirror").resolve()
    assert settings.raw_dir == (tmp_path / "data" / "raw").resolve()
    assert settings.corpora == ("seed",)
    assert settings.outlets == {"seed": "Outlet X"}
    monkeypatch.setenv("ARABMEDIA_MIRROR", "/elsewhere")
    monkeypatch.setenv("ARABMEDIA_CORPORA", "almayadeen,aljazeera")
    settings = load_settings(tmp_path)
    assert str(settings.mirror) == "/elsewhere"
    assert settings.corpora == ("almayadeen", "aljazeera")


def test_unknown_keys_are_an_error_naming_them_and_the_file(tmp_path):
    path = tmp_path / "arabmedia.toml"
    path.write_text(
        '[data]\nmirror = "m"\ncache = "c"\n[outputs]\nfigures_dir = "f"\n', encoding="utf-8"
    )
    with pytest.raises(ValueError, match="unknown setting") as error:
        load_settings(tmp_path)
    assert str(path) in str(error.value)
    assert "outputs, data.cache;" in str(error.value)


def test_study_folder_is_the_nearest_one_with_a_settings_file(tmp_path, monkeypatch):
    study = tmp_path / "study"
    (study / "notebooks" / "deep").mkdir(parents=True)
    (study / "arabmedia.toml").write_text('[data]\nraw_dir = "raw"\n', encoding="utf-8")
    monkeypatch.delenv("ARABMEDIA_RAW_DIR", raising=False)
    monkeypatch.delenv("ARABMEDIA_ROOT", raising=False)
    monkeypatch.chdir(study / "notebooks" / "deep")
    settings = load_settings()
    assert settings.root == study.resolve()
    assert settings.raw_dir == (study / "raw").resolve()


def test_arabmedia_root_wins_over_the_folder_search_and_the_cwd_is_the_fallback(
    tmp_path, monkeypatch
):
    outside = tmp_path / "no_study"
    (outside / "inner").mkdir(parents=True)
    (outside / "arabmedia.toml").write_text("", encoding="utf-8")
    monkeypatch.chdir(outside / "inner")
    monkeypatch.setenv("ARABMEDIA_ROOT", str(tmp_path / "env_root"))
    assert find_root() == (tmp_path / "env_root").resolve()
    monkeypatch.delenv("ARABMEDIA_ROOT")
    assert find_root() == outside.resolve()
    (outside / "arabmedia.toml").unlink()
    assert find_root() == (outside / "inner").resolve()
    outside = outside / "inner"
    assert load_settings().cache_dir == (outside / "data" / "cache").resolve()
