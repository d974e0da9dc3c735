"""Notebooks side by side: each waits for the ones it reads; results as in series order."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import nbformat
import pytest

from arabmedia.cli import _notebooks
from arabmedia.cli._notebooks import notebook_needs, run_notebooks, schedule


def _write(folder: Path, name: str, needs=None) -> Path:
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1")])
    if needs is not None:
        notebook.metadata["arabmedia"] = {"needs": needs}
    path = folder / name
    nbformat.write(notebook, path)
    return path


def test_needs_come_from_the_metadata_and_bad_ones_are_errors(tmp_path):
    assert notebook_needs(_write(tmp_path, "00_a.ipynb")) == []
    assert notebook_needs(_write(tmp_path, "01_b.ipynb", ["00"])) == ["00"]
    with pytest.raises(ValueError, match=r"02_c\.ipynb: metadata arabmedia\.needs must be a list"):
        notebook_needs(_write(tmp_path, "02_c.ipynb", "00"))


def test_schedule_names_the_waits_and_refuses_a_need_on_a_later_notebook(tmp_path):
    paths = [
        _write(tmp_path, "00_a.ipynb"),
        _write(tmp_path, "01_b.ipynb"),
        _write(tmp_path, "02_c.ipynb", ["00", "01_b", "09"]),  # 09 is not in this run
    ]
    assert schedule(paths) == {"00_a.ipynb": set(), "01_b.ipynb": set(),
                               "02_c.ipynb": {"00_a.ipynb", "01_b.ipynb"}}  # fmt: skip
    forward = [_write(tmp_path, "03_d.ipynb", ["04"]), _write(tmp_path, "04_e.ipynb")]
    with pytest.raises(ValueError, match=r"03_d\.ipynb needs 04, which comes after it"):
        schedule(forward)


def test_two_at_a_time_a_notebook_starts_after_what_it_needs(tmp_path, monkeypatch):
    for name, needs in [("00_a", None), ("01_b", None), ("02_c", ["00", "01"]), ("03_d", None)]:
        _write(tmp_path, f"{name}.ipynb", needs)
    events, lock, running, most = [], threading.Lock(), [0], [0]

    def fake_execute(path, target, parameters, *, progress):
        with lock:
            running[0] += 1
            most[0] = max(most[0], running[0])
            events.append(("start", path.name))
        time.sleep(0.05)
        with lock:
            running[0] -= 1
            events.append(("end", path.name))

    monkeypatch.setattr(_notebooks, "execute_notebook", fake_execute)
    longest_first = {"03_d.ipynb": 9.0}
    table = run_notebooks(tmp_path, tmp_path, jobs=2, progress=False, seconds=longest_first)
    assert table["notebook"].tolist() == ["00_a.ipynb", "01_b.ipynb", "02_c.ipynb", "03_d.ipynb"]
    assert most[0] == 2
    assert events[0] == ("start", "03_d.ipynb")  # the longest last time starts first
    start_c = events.index(("start", "02_c.ipynb"))
    assert events.index(("end", "00_a.ipynb")) < start_c
    assert events.index(("end", "01_b.ipynb")) < start_c
    with pytest.raises(ValueError, match="jobs must be >= 1"):
        run_notebooks(tmp_path, tmp_path, jobs=0)


def test_a_failing_notebook_stops_the_run_with_its_error(tmp_path, monkeypatch):
    _write(tmp_path, "00_a.ipynb")
    _write(tmp_path, "01_b.ipynb", ["00"])
    started = []

    def fail(path, target, parameters, *, progress):
        started.append(path.name)
        raise _notebooks.NotebookError(f"{path.name}, cell 1: boom")

    monkeypatch.setattr(_notebooks, "execute_notebook", fail)
    with pytest.raises(_notebooks.NotebookError, match=r"00_a\.ipynb, cell 1: boom"):
        run_notebooks(tmp_path, tmp_path, jobs=2, progress=False)
    assert started == ["00_a.ipynb"]  # what needed it never started


def test_kernels_side_by_side_share_the_cores_and_a_user_setting_is_kept(tmp_path, monkeypatch):
    monkeypatch.setattr(_notebooks.os, "cpu_count", lambda: 4)
    monkeypatch.delenv("OMP_NUM_THREADS", raising=False)
    monkeypatch.delenv("OPENBLAS_NUM_THREADS", raising=False)
    monkeypatch.setenv("MKL_NUM_THREADS", "3")
    with _notebooks._study_environment(tmp_path, jobs=2):
        assert _notebooks.os.environ["OMP_NUM_THREADS"] == "2"
        assert _notebooks.os.environ["OPENBLAS_NUM_THREADS"] == "2"
        assert _notebooks.os.environ["MKL_NUM_THREADS"] == "3"  # the user's choice stands
        assert _notebooks.os.environ["ARABMEDIA_ROOT"] == str(tmp_path)
    assert "OMP_NUM_THREADS" not in _notebooks.os.environ
    assert _notebooks.os.environ["MKL_NUM_THREADS"] == "3"


def test_a_first_run_starts_by_the_series_expected_seconds(tmp_path):
    series = _notebooks.series_folder()
    expected = _notebooks.expected_seconds(series)
    # every notebook of the series has a measured time, so a first run orders them all
    assert set(expected) == {p.name for p in _notebooks.list_notebooks(series)}
    assert all(seconds > 0 for seconds in expected.values())
    assert _notebooks.expected_seconds(tmp_path) == {}
    (tmp_path / _notebooks.EXPECTED_SECONDS).write_text('{"00_a.ipynb": "slow"}')
    with pytest.raises(ValueError, match=r"expected_seconds\.json: expected an object"):
        _notebooks.expected_seconds(tmp_path)


def test_a_study_s_own_timings_override_the_expected_ones(tmp_path):
    (tmp_path / _notebooks.EXPECTED_SECONDS).write_text('{"00_a.ipynb": 5, "01_b.ipynb": 9}')
    timings = tmp_path / "cache" / "notebook_seconds.json"
    assert _notebooks.start_order_seconds(timings, tmp_path) == {"00_a.ipynb": 5, "01_b.ipynb": 9}
    timings.parent.mkdir()
    timings.write_text('{"01_b.ipynb": 2.5}')
    seconds = _notebooks.start_order_seconds(timings, tmp_path)
    assert seconds == {"00_a.ipynb": 5, "01_b.ipynb": 2.5}
