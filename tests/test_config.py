"""Settings: file values, environment overrides, configured outlets."""

from arabmedia.config import load_settings


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
