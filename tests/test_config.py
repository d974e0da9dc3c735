"""Studies: the arabmedia.toml format, its errors, environment overrides, the study folder."""

import pytest

from arabmedia.config import StudyError, find_root, load_settings

STUDY = """
[study]
title = "Two outlets"
[data]
mirror = "mirror"
[output]
tables_dir = "tables"
[[corpus]]
name = "seed"
outlet = "Outlet X"
[[corpus]]
name = "mine"
files = ["raw/*.json", "/abs/*.csv"]
mapping = {outlet = "source", body = "text"}
encoding = "cp1256"
dayfirst = true
record_path = "data.items"
[validation]
corpora = ["fignews2024"]
[compare]
outlets = ["B", "A"]
fields = ["title", "body"]
period = ["2013-01-01", ""]
break_date = 2013-02-01
events = {"verdict" = "2013-01-26"}
pairs = [["A", "B"]]
colors = {A = "#000000"}
"""


def write(folder, text):
    (folder / "arabmedia.toml").write_text(text, encoding="utf-8")
    return folder / "arabmedia.toml"


def test_a_study_file_is_read_into_corpora_validation_and_comparison(tmp_path, monkeypatch):
    write(tmp_path, STUDY)
    monkeypatch.delenv("ARABMEDIA_MIRROR", raising=False)
    monkeypatch.delenv("ARABMEDIA_TABLES_DIR", raising=False)
    settings = load_settings(tmp_path)
    assert settings.title == "Two outlets"
    assert settings.mirror == (tmp_path / "mirror").resolve()
    assert settings.tables_dir == (tmp_path / "tables").resolve()
    assert settings.raw_dir == (tmp_path / "data" / "raw").resolve()
    seed, mine = settings.corpora
    assert seed.from_manifest and seed.outlet == "Outlet X"
    assert not mine.from_manifest and mine.files == ("raw/*.json", "/abs/*.csv")
    assert (mine.mapping, mine.encoding, mine.dayfirst, mine.record_path) == (
        {"outlet": "source", "body": "text"},
        "cp1256",
        True,
        "data.items",
    )
    assert settings.validation == ("fignews2024",)
    compare = settings.compare
    assert compare.outlets == ("B", "A") and compare.fields == ("title", "body")
    assert compare.period == ("2013-01-01", "") and compare.break_date == "2013-02-01"
    assert compare.events == {"verdict": "2013-01-26"} and compare.pairs == (("A", "B"),)
    assert compare.colors == {"A": "#000000"}
    monkeypatch.setenv("ARABMEDIA_MIRROR", "/elsewhere")
    assert str(load_settings(tmp_path).mirror) == "/elsewhere"


def test_defaults_compare_every_outlet_with_the_bundled_lexicons(tmp_path):
    settings = load_settings(tmp_path)
    assert settings.corpora == () and settings.validation == ()
    assert settings.compare.outlets == "all" and settings.compare.break_date == ""
    assert settings.compare.term_file == "gaza_war"
    assert settings.title == tmp_path.name


def test_lexicon_names_stay_bundled_names_and_paths_are_the_studys(tmp_path):
    settings = load_settings(tmp_path)
    assert settings.lexicon("gaza_war") == "gaza_war"
    assert settings.lexicon("lex/mine.yaml") == str(tmp_path.resolve() / "lex" / "mine.yaml")
    assert settings.lexicon("/abs/terms.yaml") == "/abs/terms.yaml"


def test_unknown_keys_are_an_error_naming_them_and_the_file(tmp_path):
    path = write(
        tmp_path,
        '[data]\nmirror = "m"\ncache = "c"\n[outputs]\nx = 1\n'
        '[[corpus]]\nname = "a"\nfile = "x.json"\n[compare]\noutlet = "all"\n',
    )
    with pytest.raises(StudyError, match="unknown setting") as error:
        load_settings(tmp_path)
    message = str(error.value)
    assert str(path) in message
    for key in ("outputs", "data.cache", "corpus[0].file", "compare.outlet"):
        assert key in message


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ('[[corpus]]\nfiles = ["a.json"]\n', "corpus[0].name"),
        ('[[corpus]]\nname = "a"\n[[corpus]]\nname = "a"\n', "used twice"),
        ('[[corpus]]\nname = "a"\nreader = "generic"\n', "corpus[0].reader"),
        ('[[corpus]]\nname = "a"\nfiles = "x.json"\n', "corpus[0].files"),
        ('[[corpus]]\nname = "a"\nfiles = ["x"]\ndayfirst = "yes"\n', "corpus[0].dayfirst"),
        ('[compare]\nbreak_date = "7 October"\n', "compare.break_date"),
        ('[compare]\nperiod = ["2024-01-01"]\n', "compare.period"),
        ('[compare]\nperiod = ["2024-02-01", "2024-01-01"]\n', "is after end"),
        ('[compare]\noutlets = ["A", "A"]\n', "compare.outlets"),
        ('[compare]\nfields = ["headline"]\n', "compare.fields"),
        ('[compare]\npairs = [["A"]]\n', "compare.pairs"),
        ("[compare\n", "not valid TOML"),
    ],
)
def test_bad_values_name_the_key_and_the_reason(tmp_path, text, names):
    write(tmp_path, text)
    with pytest.raises(StudyError, match=names.replace("[", r"\[").replace("]", r"\]")):
        load_settings(tmp_path)


def test_the_default_study_is_the_repository_root():
    settings = load_settings(find_root())
    assert settings.corpus_names == ("almayadeen", "aljazeera")
    assert settings.notebooks_dir == settings.root / "notebooks"
    assert settings.compare.break_date


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
