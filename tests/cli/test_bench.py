"""Scaling benchmark: replication keeps ids unique, one real step runs in a fresh process."""

from pathlib import Path

import pandas as pd
import pytest

from arabmedia.cli import run_scaling
from arabmedia.cli._bench import _replicate
from arabmedia.config import load_settings


def test_replicate_makes_ids_and_urls_unique_and_keeps_texts():
    articles = pd.DataFrame({"doc_id": ["a", "b"], "url": ["u1", "u2"], "body": ["x", "y"]})
    copies = _replicate(articles, 3)
    assert len(copies) == 6
    assert copies["doc_id"].is_unique and copies["url"].is_unique
    assert copies["body"].tolist() == ["x", "y"] * 3
    assert copies["doc_id"].tolist()[:2] == ["a", "b"]  # the first copy is the original


def test_unknown_step_is_refused():
    with pytest.raises(ValueError, match="unknown scaling steps"):
        run_scaling(".", steps=("nope",))


@pytest.mark.corpora
@pytest.mark.skipif(not load_settings().raw_dir.is_dir(), reason="run `arabmedia fetch` first")
def test_scaling_runs_a_step_at_two_sizes():
    table = run_scaling(load_settings().root, (1, 2), ("dedup",), progress=False)
    assert table["factor"].tolist() == [1, 2]
    assert table["articles"].iloc[1] == 2 * table["articles"].iloc[0]
    assert table["seconds_ratio"].iloc[0] == 1.0
    assert (table["peak_mib"] >= table["input_mib"]).all()


def test_the_series_benchmark_runs_cold_warm_and_forced_on_one_fresh_cache(tmp_path, monkeypatch):
    import os

    from arabmedia.cli import _bench, _notebooks
    from arabmedia.cli._bench import format_series_benchmark, run_series_benchmark

    (tmp_path / "arabmedia.toml").write_text("")
    series = tmp_path / "notebooks"
    series.mkdir()
    for name in ("00_a.ipynb", "01_b.ipynb"):
        (series / name).write_text("{}")
    caches = []

    def fake_study(settings, source, *, jobs, progress, target, force):
        caches.append((settings.cache_dir, os.environ["ARABMEDIA_CACHE_DIR"], force))
        seconds = [[4.0, 8.0], [1.0, 2.0], [3.0, 5.0]][len(caches) - 1]
        frame = pd.DataFrame({"notebook": ["00_a.ipynb", "01_b.ipynb"], "seconds": seconds,
                              "cached": [len(caches) == 2] * 2})  # fmt: skip
        return frame, target / "report.md"

    monkeypatch.setattr(_bench, "load_benchmark_texts", lambda raw: ["نص"])
    monkeypatch.setattr(_bench, "_timed_reference", lambda texts: 10.0)
    monkeypatch.setattr(_bench, "_timed_floor", lambda n: 5.0 * n)
    monkeypatch.setattr(_notebooks, "run_study", fake_study)
    monkeypatch.delenv("ARABMEDIA_CACHE_DIR", raising=False)
    result = run_series_benchmark(tmp_path, series, jobs=2)
    keys = {"reference_s", "floor_s", "cold_s", "warm_s", "warm_executed_s", "peak_mb"}
    assert keys | {"per_notebook"} <= set(result)
    assert result["reference_s"] == 10.0 and result["floor_s"] == 10.0
    assert result["per_notebook"] == {
        "00_a.ipynb": {"cold": 4.0, "warm": 1.0, "warm_executed": 3.0},
        "01_b.ipynb": {"cold": 8.0, "warm": 2.0, "warm_executed": 5.0},
    }
    # the runs share one cache folder that started empty and is not the study's own;
    # only the last one executes every notebook
    (first, env_first, f1), (second, env_second, f2), (third, _, f3) = caches
    assert first == second == third == Path(env_first) == Path(env_second)
    assert (f1, f2, f3) == (False, False, True)
    assert first != load_settings(tmp_path).cache_dir
    assert "ARABMEDIA_CACHE_DIR" not in os.environ  # restored
    assert result["ratios"]["cold_vs_reference"] == round(result["cold_s"] / 10.0, 2)
    assert "cold" in format_series_benchmark(result) and "01_b.ipynb" in format_series_benchmark(
        result
    )
