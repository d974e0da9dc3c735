"""A notebook is executed again only when something it reads changed; otherwise its stored
run and outputs are restored byte for byte."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import nbformat
import pytest

from arabmedia import cache as step_cache_module
from arabmedia.cli import _notebooks
from arabmedia.cli._notebook_cache import NotebookCache, study_digest
from arabmedia.cli._notebooks import NotebookError, run_notebooks
from arabmedia.config import load_settings


def _notebook(folder: Path, name: str, source: str, metadata: dict | None = None) -> Path:
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source)])
    notebook.metadata["arabmedia"] = metadata or {}
    path = folder / name
    nbformat.write(notebook, path)
    return path


@pytest.fixture
def study(tmp_path, monkeypatch):
    """A study with two notebooks (01 needs 00) and a fake executor that writes each
    notebook's outputs from its source and the files it reads, and counts executions."""
    (tmp_path / "arabmedia.toml").write_text("")
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "input.tsv").write_text("a\t1\n")
    series = tmp_path / "notebooks"
    series.mkdir()
    _notebook(series, "00_a.ipynb", "x = 1", {"writes": ["data/interim/sheet.csv"]})
    _notebook(series, "01_b.ipynb", "y = 2", {"needs": ["00"]})
    settings = load_settings(tmp_path)
    executed = []

    def fake_execute(path, target, parameters, *, progress):
        executed.append(path.name)
        prefix = path.name[:2]
        source = nbformat.read(path, as_version=4).cells[0].source
        settings.figures_dir.mkdir(parents=True, exist_ok=True)
        read = (tmp_path / "data" / "input.tsv").read_text()
        if prefix == "01":
            read += (settings.figures_dir / "00_figure.txt").read_text()
        (settings.figures_dir / f"{prefix}_figure.txt").write_text(f"{source}|{parameters}|{read}")
        if prefix == "00":
            (tmp_path / "data" / "interim").mkdir(exist_ok=True)
            (tmp_path / "data" / "interim" / "sheet.csv").write_text("sheet")
        Path(target).write_text(f"executed {path.name} with {parameters}")

    monkeypatch.setattr(_notebooks, "execute_notebook", fake_execute)
    return settings, series, executed


def _run(settings, series, parameters=None):
    cache = NotebookCache(settings.cache_dir / "notebooks", settings)
    return run_notebooks(
        series, series.parent / "out", progress=False, cache=cache, parameters=parameters
    )


def test_an_unchanged_series_is_restored_byte_for_byte_and_not_executed(study):
    settings, series, executed = study
    (series.parent / "out").mkdir()
    first = _run(settings, series)
    assert executed == ["00_a.ipynb", "01_b.ipynb"] and not first["cached"].any()
    produced = [*settings.figures_dir.iterdir(), *(series.parent / "out").iterdir()]
    written = {p: p.read_bytes() for p in produced}
    sheet = settings.root / "data" / "interim" / "sheet.csv"
    for path in [*written, sheet]:
        path.unlink()
    second = _run(settings, series)
    assert executed == ["00_a.ipynb", "01_b.ipynb"]  # nothing executed again
    assert second["cached"].all()
    assert {p: p.read_bytes() for p in written} == written
    assert sheet.read_text() == "sheet"  # a declared write outside the figures is restored


@pytest.mark.parametrize("change", ["source", "parameters", "input", "code", "needed output"])
def test_a_change_to_what_a_notebook_reads_executes_it_again(study, monkeypatch, change):
    settings, series, executed = study
    (series.parent / "out").mkdir()
    _run(settings, series)
    executed.clear()
    parameters = None
    if change == "source":
        _notebook(series, "01_b.ipynb", "y = 3", {"needs": ["00"]})
    elif change == "parameters":
        parameters = {"n_boot": 10}
    elif change == "input":
        (settings.root / "data" / "input.tsv").write_text("a\t2\n")
    elif change == "code":
        monkeypatch.setattr(step_cache_module, "code_fingerprint", lambda: "edited package")
    else:
        _notebook(series, "00_a.ipynb", "x = 5", {"writes": ["data/interim/sheet.csv"]})
    _run(settings, series, parameters)
    expected = {
        "source": ["01_b.ipynb"],  # 00 is restored; 01 reads nothing of 00 that changed
        "needed output": ["00_a.ipynb", "01_b.ipynb"],  # 00 changed, so did what 01 reads
    }.get(change, ["00_a.ipynb", "01_b.ipynb"])
    assert executed == expected


def test_outputs_in_the_notebook_file_do_not_change_its_key(study):
    settings, series, _ = study
    cache = NotebookCache(settings.cache_dir / "notebooks", settings)
    path = series / "00_a.ipynb"
    digest = study_digest(settings)
    before = cache.key(path, None, digest, [])
    notebook = nbformat.read(path, as_version=4)
    notebook.cells[0].outputs = [nbformat.v4.new_output("stream", text="1\n")]
    notebook.cells[0].execution_count = 7
    nbformat.write(notebook, path)
    assert cache.key(path, None, digest, []) == before


def test_a_write_the_cache_could_not_restore_is_an_error_naming_the_file(study, monkeypatch):
    settings, series, _ = study
    (series.parent / "out").mkdir()

    def writes_elsewhere(path, target, parameters, *, progress):
        settings.figures_dir.mkdir(parents=True, exist_ok=True)
        (settings.figures_dir / "summary.txt").write_text("no prefix")
        Path(target).write_text("executed")

    monkeypatch.setattr(_notebooks, "execute_notebook", writes_elsewhere)
    with pytest.raises(NotebookError, match=r"00_a\.ipynb wrote .*summary\.txt"):
        _run(settings, series)


def test_an_output_left_from_an_earlier_run_is_not_stored(study):
    settings, series, _ = study
    (series.parent / "out").mkdir()
    settings.figures_dir.mkdir(parents=True)
    stale = settings.figures_dir / "00_dropped_figure.txt"
    stale.write_text("from an older version of the notebook")
    past = time.time() - 3600
    os.utime(stale, (past, past))
    _run(settings, series)
    entries = list((settings.cache_dir / "notebooks" / "00_a.ipynb").iterdir())
    stored = json.loads((entries[0] / "outputs.json").read_text())
    assert "figures/00_dropped_figure.txt" not in stored
    assert "figures/00_figure.txt" in stored and "data/interim/sheet.csv" in stored


def test_a_file_digest_is_read_again_when_the_file_changes_and_kept_while_it_does_not(tmp_path):
    from arabmedia.cli._notebook_cache import file_sha256

    path = tmp_path / "corpus.jsonl"
    path.write_text("first\n")
    settled = time.time() - 60
    os.utime(path, (settled, settled))
    memo = {}
    first = file_sha256(path, memo)
    assert memo[str(path.resolve())][2] == first  # settled files are remembered
    memo[str(path.resolve())][2] = "remembered"  # a memo hit does not read the file
    assert file_sha256(path, memo) == "remembered"
    path.write_text("other\n")  # same size, new modification time
    assert file_sha256(path, memo) not in {"remembered", first}
    assert str(path.resolve()) not in memo or memo[str(path.resolve())][2] != "remembered"
