"""Studies end to end: `arabmedia new`, then `arabmedia run --study` on corpora the project has
never seen: a written 12-outlet corpus with every trap, and a subset of the real newscred2013."""

import json
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
from pypdf import PdfReader
from synthetic_study import CORPUS_TOML, OUTLETS, write_corpus

from arabmedia.cli import main
from arabmedia.config import find_root, load_settings

REPO = find_root(Path(__file__).parent)
SHARED = (REPO / ".." / "shared").resolve()
NOTEBOOKS = sorted(p.name for p in (REPO / "notebooks").glob("0*.ipynb"))
#: Tables with one row group per compared outlet: each must name every outlet.
PER_OUTLET_TABLES = [
    "00_outlets",
    "00_weekly_articles",
    "01_top_terms",
    "02_choice_shares_titles",
    "02_choice_shares_bodies",
    "02_distinctive_terms",
    "03_frame_prevalence",
    "03_frame_rates",
    "03_agency_shares",
]


def new_study(folder: Path, corpus_toml: str, compare: dict[str, str]) -> Path:
    """`arabmedia new`, then the template's example corpus and comparison replaced."""
    assert main(["new", str(folder)]) == 0
    path = folder / "arabmedia.toml"
    text = path.read_text("utf-8")
    start, end = text.index("\n[[corpus]]") + 1, text.index("\n[compare]") + 1
    text = text[:start] + corpus_toml.strip() + "\n\n" + text[end:]
    for key, value in compare.items():
        text = re.sub(rf"^# ?{key} = .*$", f"{key} = {value}", text, count=1, flags=re.M)
    path.write_text(text, encoding="utf-8")
    return path


def pdf_text(path: Path) -> str:
    return " ".join(page.extract_text() for page in PdfReader(path).pages)


def test_new_writes_a_template_that_names_every_key_and_refuses_to_overwrite(
    tmp_path, capsys, monkeypatch
):
    assert main(["new", str(tmp_path / "s")]) == 0
    settings = load_settings(tmp_path / "s")
    assert settings.corpora[0].files == ("raw/*.json",)
    assert settings.tables_dir == (tmp_path / "s" / "tables").resolve()
    assert (tmp_path / "s" / "raw").is_dir()
    assert main(["new", str(tmp_path / "s")]) == 1
    assert "exists already" in capsys.readouterr().err
    (tmp_path / "arabmedia.toml").write_text("[broken\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)  # the study around the new folder does not matter
    assert main(["new", "t"]) == 0


def test_run_fails_before_any_notebook_when_nothing_loads(tmp_path, capsys):
    study = tmp_path / "s"
    new_study(study, '[[corpus]]\nname = "x"\nfiles = ["raw/*.json"]\n', {})
    (study / "raw" / "a.json").write_text(json.dumps([{"title": "عنوان"}]), encoding="utf-8")
    assert main(["run", "--study", str(study), "--quiet"]) == 1
    err = capsys.readouterr().err
    assert "nothing loaded" in err and "no outlet given" in err
    assert not (study / "notebooks").exists()


def test_a_missing_file_is_reported_as_a_missing_file(tmp_path, capsys):
    study = tmp_path / "s"
    new_study(study, '[[corpus]]\nname = "x"\nfiles = ["raw/nothing_*.json"]\n', {})
    assert main(["run", "--study", str(study), "--quiet"]) == 1
    assert "raw/nothing_*.json" in capsys.readouterr().err


def check_study_outputs(study: Path, outlets: list[str]) -> None:
    """Every notebook, figure, table and the report written into the study, every outlet shown."""
    settings = load_settings(study)
    for folder in (settings.notebooks_dir, settings.figures_dir, settings.tables_dir):
        assert folder.is_relative_to(study.resolve())
    assert sorted(p.name for p in settings.notebooks_dir.glob("*.ipynb")) == NOTEBOOKS
    report = settings.report.read_text("utf-8")
    for outlet in outlets:
        assert outlet in report
    for name in PER_OUTLET_TABLES:
        path = settings.tables_dir / f"{name}.csv"
        if not path.exists():
            continue  # e.g. a field the study does not compare
        shown = set(pd.read_csv(path)["outlet"])
        assert set(outlets) <= shown, (name, set(outlets) - shown)
    latin = [outlet for outlet in outlets if outlet.isascii()]
    for name in ["00_weekly_articles", "03_frame_prevalence"]:
        text = pdf_text(settings.figures_dir / f"{name}.pdf")
        missing = [outlet for outlet in latin if outlet not in text]
        assert not missing, (name, missing)
    for pdf in settings.figures_dir.glob("*.pdf"):
        assert pdf.with_suffix(".png").exists()


def test_a_twelve_outlet_corpus_runs_end_to_end_with_nothing_lost(tmp_path, capsys):
    study = tmp_path / "study"
    written = write_corpus(study / "raw")
    new_study(study, CORPUS_TOML, {"break_date": '"2024-02-15"'})
    committed = {p: p.stat().st_mtime_ns for p in (REPO / "notebooks").glob("*.ipynb")}
    assert main(["run", "--study", str(study), "--quiet"]) == 0
    assert {p: p.stat().st_mtime_ns for p in committed} == committed  # executed copies elsewhere
    settings = load_settings(study)
    corpora = pd.read_csv(settings.tables_dir / "00_corpora.csv")
    assert (corpora["read"] == corpora["loaded"] + corpora["rejected"]).all()
    assert corpora["read"].sum() == sum(written.values()) + 1  # + the record with no text
    per_outlet = pd.read_csv(settings.tables_dir / "00_outlets.csv").set_index("outlet")
    assert per_outlet.loc[list(written), "loaded"].to_dict() == written
    removed = per_outlet["duplicates_removed"]
    assert removed.to_dict() == {
        o: int(o == OUTLETS[1]) for o in removed.index
    }  # ids merge nothing
    problems = pd.read_csv(settings.tables_dir / "00_problems.csv").set_index("problem")
    assert problems.loc["duplicate id", "records"] == 1
    assert per_outlet["undated"].sum() > 0  # bad dates kept, not dropped
    check_study_outputs(study, OUTLETS)


@pytest.mark.corpora
def test_the_newscred2013_subset_runs_as_a_study(tmp_path):
    if not (SHARED / "corpora" / "newscred2013").is_dir():
        pytest.fail(f"newscred2013 is not in the mirror {SHARED / 'corpora'}")
    study = tmp_path / "newscred2013"
    shutil.copytree(REPO / "tests" / "studies" / "newscred2013", study)
    path = study / "arabmedia.toml"
    path.write_text(
        path.read_text("utf-8").replace('"../../../../shared/', f'"{SHARED}/'), encoding="utf-8"
    )
    assert main(["run", "--study", str(study), "--quiet"]) == 0
    check_study_outputs(study, ["Alahram", "CNN Arabic", "BBC Arabic"])
    report = (study / "report.md").read_text("utf-8")
    assert "Domain check" in report


def test_the_report_says_what_was_not_produced_and_lists_stale_outputs(tmp_path):
    from arabmedia.cli import report_markdown

    settings = load_settings(tmp_path)
    settings.tables_dir.mkdir(parents=True)
    pd.DataFrame({"corpus": ["x"], "read": [3], "loaded": [2], "rejected": [1]}).to_csv(
        settings.tables_dir / "00_corpora.csv", index=False
    )
    stale = settings.figures_dir / "02_old_figure.pdf"
    text = report_markdown(settings, [stale])
    assert "|      3 |        2 |          1 |" in text
    assert "Not produced: run notebook 02." in text and "Not produced: run notebook 03." in text
    assert "## Not written by this run" in text and "`figures/02_old_figure.pdf`" in text


def test_a_failing_cell_is_named_with_its_notebook_and_error(tmp_path):
    import nbformat

    from arabmedia.cli import NotebookError, run_notebooks

    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1 / 0")])
    notebook.metadata["kernelspec"] = {"name": "arabmedia", "display_name": "arabmedia"}
    nbformat.write(notebook, tmp_path / "00_fails.ipynb")
    with pytest.raises(NotebookError, match=r"00_fails.ipynb, cell 1: ZeroDivisionError"):
        run_notebooks(tmp_path, tmp_path / "out", progress=False)
    assert not (tmp_path / "out" / "00_fails.ipynb").exists()  # nothing half-written
