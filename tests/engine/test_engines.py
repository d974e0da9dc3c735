"""Engines map in item order, and every engine gives the same tables."""

import os

import pytest
from pandas.testing import assert_frame_equal

from arabmedia.engine import (
    DaskEngine,
    LocalEngine,
    agency_partition,
    attribution_partition,
    count_partition,
    make_engine,
    run_partitions,
    shared,
    tokenize_partition,
)


def _scaled(item, *, factor):
    return item * factor


def _pid(item):
    return os.getpid()


def _setting(name):
    import dask

    return dask.config.get(name)


def _plus_shared(item, *, offset):
    return item + shared(offset)["offset"]


@pytest.fixture(scope="module")
def dask_engine():
    """One local Dask cluster of two worker processes for the whole module."""
    with DaskEngine(n_workers=2, threads_per_worker=1) as engine:
        yield engine


def test_dask_engine_local_workers_run_without_the_profiler(dask_engine):
    import dask

    from arabmedia.engine._engines import LOCAL_WORKER_PROFILE

    settings = dask_engine.client.run(_setting, LOCAL_WORKER_PROFILE)
    assert len(settings) == 2 and not any(settings.values())
    assert dask.config.get(LOCAL_WORKER_PROFILE)  # this process's setting is left as it was


@pytest.mark.parametrize("n_jobs", [1, 2])
def test_local_engine_maps_in_item_order(n_jobs):
    with LocalEngine(n_jobs) as engine:
        assert engine.map(_scaled, [3, 1, 2, 5], factor=10) == [30, 10, 20, 50]
        assert engine.map(_scaled, [], factor=10) == []


def test_local_engine_with_two_jobs_runs_in_other_processes():
    with LocalEngine(2) as engine:
        pids = set(engine.map(_pid, range(8)))
    assert os.getpid() not in pids


@pytest.mark.parametrize("engine", ["local 1", "local 2", "dask"])
def test_a_shared_value_reaches_every_task(engine, request):
    runner = (
        request.getfixturevalue("dask_engine") if engine == "dask" else LocalEngine(int(engine[-1]))
    )
    handle = runner.share({"offset": 10, "padding": b"x" * 1000})
    assert runner.map(_plus_shared, [1, 2, 3], offset=handle) == [11, 12, 13]
    if engine == "local 2":
        folder = handle.path.parent
        assert handle.path.is_file()
        runner.close()
        assert not folder.exists()  # the shared files go with the engine


@pytest.mark.parametrize("n_jobs", [0, -1, 1.5])
def test_local_engine_refuses_a_bad_job_count(n_jobs):
    with pytest.raises(ValueError, match="n_jobs must be an int >= 1"):
        LocalEngine(n_jobs)


def test_make_engine_builds_the_named_engine():
    with make_engine("local", n_jobs=2) as engine:
        assert isinstance(engine, LocalEngine) and engine.n_jobs == 2
    with pytest.raises(
        ValueError, match=r"unknown engine 'spark'; choose from \['dask', 'local'\]"
    ):
        make_engine("spark")


def test_dask_engine_maps_in_item_order_on_two_workers(dask_engine):
    assert len(dask_engine.client.scheduler_info()["workers"]) == 2
    assert dask_engine.map(_scaled, [3, 1, 2, 5], factor=10) == [30, 10, 20, 50]
    assert os.getpid() not in set(dask_engine.map(_pid, range(8)))


def test_dask_engine_connects_to_a_running_scheduler_and_leaves_it_running(dask_engine):
    address = dask_engine.client.scheduler.address
    with make_engine("dask", scheduler=address) as engine:
        assert engine.map(_scaled, [1, 2], factor=3) == [3, 6]
    assert dask_engine.map(_scaled, [4], factor=2) == [8]


@pytest.mark.parametrize(
    "step",
    [tokenize_partition, count_partition, agency_partition, attribution_partition],
    ids=lambda s: s.__name__,
)
def test_every_engine_gives_the_same_table(
    step, dask_engine, partitions, fields, term_sets, frames
):
    parameters = {"fields": fields}
    if step is count_partition:
        parameters |= {"term_sets": term_sets, "frames": frames}
    with LocalEngine(1) as one, LocalEngine(2) as two:
        expected = run_partitions(step, partitions, one, **parameters)
        assert_frame_equal(run_partitions(step, partitions, two, **parameters), expected)
    assert_frame_equal(run_partitions(step, partitions, dask_engine, **parameters), expected)
    assert len(expected) == 18


@pytest.mark.parametrize("engine", ["local", "dask"])
def test_a_bad_partition_is_named_by_every_engine(engine, request, tmp_path, partitions, fields):
    missing = tmp_path / "missing.parquet"
    runner = request.getfixturevalue("dask_engine") if engine == "dask" else LocalEngine(2)
    with pytest.raises(FileNotFoundError, match=f"partition {missing}: no such file") as caught:
        run_partitions(tokenize_partition, [*partitions, missing], runner, fields=fields)
    assert f"in tokenize_partition of partition {missing}" in caught.value.__notes__
    runner.close() if engine == "local" else None


class _RecordingEngine(LocalEngine):
    """LocalEngine(1) that remembers the order in which it was given items."""

    def map(self, function, items, **kwargs):
        self.given = list(items)
        return super().map(function, self.given, **kwargs)


def test_partitions_run_largest_first_and_come_back_in_order(partitions, fields):
    sizes = {path: path.stat().st_size for path in partitions}
    assert len(set(sizes.values())) > 1
    engine = _RecordingEngine(1)
    table = run_partitions(tokenize_partition, partitions, engine, fields=fields)
    assert [sizes[p] for p in engine.given] == sorted(sizes.values(), reverse=True)
    expected = [tokenize_partition(p, fields) for p in partitions]
    assert table["doc_id"].tolist() == [d for t in expected for d in t["doc_id"]]
