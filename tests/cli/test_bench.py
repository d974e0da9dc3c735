"""Benchmarks: the scale benchmark's contract and replicas, the series benchmark's contract."""

import concurrent.futures
import re
from pathlib import Path

import pandas as pd
import pytest

from arabmedia.cli import format_scale_benchmark, run_scale_benchmark
from arabmedia.config import load_settings


def test_unknown_or_missing_steps_are_refused():
    with pytest.raises(ValueError, match="unknown scale steps"):
        run_scale_benchmark(".", steps=("nope",))
    with pytest.raises(ValueError, match="need 'load'"):
        run_scale_benchmark(".", steps=("tokenize",))
    with pytest.raises(ValueError, match="need 'exact'"):
        run_scale_benchmark(".", steps=("load", "tokenize"))


def test_bad_factors_are_a_usage_error(capsys):
    from arabmedia.cli import main

    with pytest.raises(SystemExit) as exit_info:
        main(["bench", "--scale", "1,ten"])
    assert exit_info.value.code == 2
    assert "factors must be integers" in capsys.readouterr().err


def test_the_scale_benchmark_reports_every_step_and_factor(tmp_path, monkeypatch):
    from arabmedia.cli import _scale

    made, calls = [], []

    def fake_replicate(settings, factor, folder, corpus):
        made.append(factor)
        Path(folder).mkdir(parents=True)
        return Path(folder)

    class FakePool:
        def __init__(self, *args, **kwargs):
            pass

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def submit(self, function, step, study, engine, options):
            calls.append((step, Path(study).name, engine))
            factor = int(Path(study).name[1:])
            seconds = {"load": 1.0, "exact": 1.5, "tokenize": 2.0}[step] * factor
            future = concurrent.futures.Future()
            future.set_result({"seconds": seconds, "peak_mb": 100 + factor, "rows": 10 * factor})
            return future

    monkeypatch.setattr(_scale, "replicate_corpus", fake_replicate)
    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", FakePool)
    (tmp_path / "arabmedia.toml").write_text("")
    result = run_scale_benchmark(
        tmp_path, (10, 1), steps=("tokenize", "exact", "load"), engine="dask", progress=False
    )
    assert made == [1, 10] and result["factors"] == ["1", "10"]
    # load, then exact, then the others
    assert [step for step, _, _ in calls[:3]] == ["load", "exact", "tokenize"]
    assert calls[0] == ("load", "x1", "dask")
    assert result["articles"] == {"1": 10, "10": 100}
    assert result["steps"]["tokenize"]["10"] == {"seconds": 20.0, "peak_mb": 110, "rows": 100}
    assert result["ratios"]["tokenize"] == {"1": 1.0, "10": 10.0}
    assert "tokenize" in format_scale_benchmark(result)


@pytest.mark.corpora
@pytest.mark.skipif(not load_settings().raw_dir.is_dir(), reason="run `arabmedia fetch` first")
def test_replicas_are_new_articles_of_the_same_words(tmp_path):
    """Copy 1 of the corpus: unique ids, each article's words those of its original in
    other orders, not one article collapsed or clustered with one of copy 0."""
    from collections import Counter

    from arabmedia.cli import replicate_corpus
    from arabmedia.corpus import read_store, store_part_files, write_store
    from arabmedia.engine import LocalEngine, collapse_partitions, near_duplicate_partitions

    study = replicate_corpus(load_settings(), 2, tmp_path / "x2")
    store = tmp_path / "store"
    partitions = write_store(load_settings(study), store, progress=False)
    columns = ["doc_id", "body", "source_file", "source_record"]
    articles = read_store(store, columns=columns)
    assert len(articles) == int(partitions["n_articles"].sum())
    copies = articles["source_file"].str.contains("/copy0001/", regex=False).to_numpy()
    assert copies.sum() * 2 == len(articles)  # every record once per copy
    # no id of one copy meets the other's (ids repeated within a copy are the source's)
    assert not set(articles.loc[copies, "doc_id"]) & set(articles.loc[~copies, "doc_id"])
    assert articles.loc[copies, "doc_id"].nunique() == articles.loc[~copies, "doc_id"].nunique()
    first, second = articles[~copies].reset_index(), articles[copies].reset_index()
    # the copy's words are the original's, punctuation aside (plus, rarely, page furniture
    # that a reordered tag line no longer cuts off)
    words = [
        (Counter(re.findall(r"\w+", a)), Counter(re.findall(r"\w+", b)))
        for a, b in zip(first["body"], second["body"], strict=True)
    ]
    assert all(a <= b for a, b in words)
    assert sum(a == b for a, b in words) >= 0.95 * len(words)
    long = first["body"].str.count(" ") > 20
    assert (first.loc[long, "body"] != second.loc[long, "body"]).all()

    engine = LocalEngine(1)
    collapsed = collapse_partitions(store_part_files(store), engine, tmp_path / "c", root=store)
    kept = pd.concat([pd.read_parquet(p, columns=["doc_id", "source_file"]) for p in collapsed])
    in_copy = kept["source_file"].str.contains("/copy0001/", regex=False)
    # the source's copies go; in copy 1 about as many (two texts that differ only in word
    # order can meet in one order)
    assert (~in_copy).sum() < len(articles) // 2
    assert abs(in_copy.sum() - (~in_copy).sum()) <= 0.01 * (~in_copy).sum()
    clusters = near_duplicate_partitions(collapsed, engine)
    clusters["copy"] = clusters["doc_id"].isin(kept.loc[in_copy, "doc_id"])
    clustered = clusters[clusters["near_dup_size"] > 1]
    assert clustered.groupby("near_dup_cluster")["copy"].nunique().max() == 1
    assert clustered["copy"].any() and not clustered["copy"].all()


@pytest.mark.corpora
@pytest.mark.skipif(not load_settings().raw_dir.is_dir(), reason="run `arabmedia fetch` first")
def test_the_scale_benchmark_runs_its_steps_in_fresh_processes(tmp_path):
    steps = ("load", "exact", "tokenize")
    result = run_scale_benchmark(
        load_settings().root, (1,), steps=steps, progress=False, work_dir=tmp_path
    )
    assert result["articles"]["1"] > result["steps"]["exact"]["1"]["rows"] > 0
    entry = result["steps"]["tokenize"]["1"]
    assert entry["rows"] == result["steps"]["exact"]["1"]["rows"]
    assert entry["seconds"] > 0 and entry["peak_mb"] > 0


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
