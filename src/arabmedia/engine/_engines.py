"""Engines: where the partition-wise steps run, behind one ``map``.

An engine calls ``function(item, **kwargs)`` for every item and returns the results in
item order, whatever ran where, so a result never depends on the engine or its worker
count.  :class:`LocalEngine` runs in this process or in a pool of forked processes;
:class:`DaskEngine` on a Dask cluster, a local one it starts or a running one it connects
to.  Functions and arguments travel pickled, so they must be importable (module-level)
and picklable.  A large value every task needs (tens of MB) is passed once per worker,
not with every task: ``map(function, items, name=engine.share(value))``, the task reading
it with :func:`shared`.
"""

from __future__ import annotations

import functools
import multiprocessing
import pickle
import shutil
import tempfile
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any


class _SharedFile:
    """A value a :class:`LocalEngine` shared with its workers: pickled in a file."""

    def __init__(self, path: Path):
        self.path = path


@functools.lru_cache(maxsize=4)
def _load_shared(path: Path) -> Any:
    with open(path, "rb") as file:
        return pickle.load(file)


def shared(value: Any) -> Any:
    """In a task, the value behind what :meth:`Engine.share` returned (``value`` itself
    when it was passed as it is)."""
    return _load_shared(value.path) if isinstance(value, _SharedFile) else value


class Engine(ABC):
    """Maps a function over items, results in item order; ``with`` closes it at the end."""

    @abstractmethod
    def map(self, function: Callable[..., Any], items: Iterable[Any], **kwargs: Any) -> list:
        """``[function(item, **kwargs) for item in items]``, computed by the engine."""

    def share(self, value: Any) -> Any:
        """``value`` ready to be a keyword argument of :meth:`map` that reaches each worker
        once; tasks read it with :func:`shared`.  Valid until :meth:`close`."""
        return value

    @abstractmethod
    def close(self) -> None:
        """Release what the engine started (processes, a cluster); it cannot map after."""

    def __enter__(self):
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class LocalEngine(Engine):
    """This process (``n_jobs=1``) or a pool of ``n_jobs`` forked processes.

    The pool starts at the first ``map`` with more than one item and lives until
    :meth:`close`; forked workers inherit the modules this process has imported.
    """

    def __init__(self, n_jobs: int = 1) -> None:
        if not isinstance(n_jobs, int) or n_jobs < 1:
            raise ValueError(f"LocalEngine: n_jobs must be an int >= 1, got {n_jobs!r}")
        self.n_jobs = n_jobs
        self._pool: ProcessPoolExecutor | None = None
        self._folder: Path | None = None

    def map(self, function: Callable[..., Any], items: Iterable[Any], **kwargs: Any) -> list:
        call = functools.partial(function, **kwargs)
        items = list(items)
        if self.n_jobs == 1 or len(items) <= 1:
            return [call(item) for item in items]
        if self._pool is None:
            context = multiprocessing.get_context("fork")
            self._pool = ProcessPoolExecutor(self.n_jobs, mp_context=context)
        return list(self._pool.map(call, items))

    def share(self, value: Any) -> Any:
        """With worker processes, ``value`` pickled once into a temporary file that each
        worker reads once; in this process, ``value`` itself."""
        if self.n_jobs == 1:
            return value
        if self._folder is None:
            self._folder = Path(tempfile.mkdtemp(prefix="arabmedia-shared-"))
        path = self._folder / f"{len(list(self._folder.iterdir()))}.pickle"
        with open(path, "wb") as file:
            pickle.dump(value, file, protocol=pickle.HIGHEST_PROTOCOL)
        return _SharedFile(path)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
        if self._folder is not None:
            shutil.rmtree(self._folder, ignore_errors=True)
            self._folder = None

    def __repr__(self) -> str:
        return f"LocalEngine(n_jobs={self.n_jobs})"


#: The Dask setting a :class:`DaskEngine`'s own local cluster turns off (the workers'
#: statistical profiler, which only a dashboard reads).
LOCAL_WORKER_PROFILE = "distributed.worker.profile.enabled"


class DaskEngine(Engine):
    """A Dask ``distributed`` client: of a local cluster it starts, or of ``scheduler``.

    With ``scheduler=None`` a :class:`distributed.LocalCluster` of ``n_workers`` worker
    processes with ``threads_per_worker`` threads each (no dashboard, no worker profiler:
    :data:`LOCAL_WORKER_PROFILE`) starts here and
    :meth:`close` stops it; with a scheduler address (``"tcp://host:8786"``) the engine
    connects to that running cluster (``n_workers`` and ``threads_per_worker`` are then
    not used) and :meth:`close` only disconnects.  Workers must be able to import
    :mod:`arabmedia`; local workers are spawned processes, so a script that starts a
    cluster does so under ``if __name__ == "__main__":``.
    """

    def __init__(
        self, scheduler: str | None = None, n_workers: int = 2, threads_per_worker: int = 1
    ) -> None:
        import dask
        from distributed import Client, LocalCluster

        self._cluster = None
        if scheduler is None:
            # No dashboard shows the workers' statistical profiles: sampling each task's
            # stack every 10 ms cost the count step about 7% of its speed.
            with dask.config.set({LOCAL_WORKER_PROFILE: False}):
                self._cluster = LocalCluster(
                    n_workers=n_workers,
                    threads_per_worker=threads_per_worker,
                    processes=True,
                    dashboard_address=None,
                    # The scheduler's HTTP routes (health, metrics) on a free local port.
                    scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},
                )
            self.client = Client(self._cluster)
        else:
            self.client = Client(scheduler)

    def map(self, function: Callable[..., Any], items: Iterable[Any], **kwargs: Any) -> list:
        from distributed import Future

        # Shared values (futures) go as keyword arguments, which Dask resolves on the worker.
        futures = {name: value for name, value in kwargs.items() if isinstance(value, Future)}
        others = {name: value for name, value in kwargs.items() if name not in futures}
        call = functools.partial(function, **others)
        return self.client.gather(self.client.map(call, list(items), pure=False, **futures))

    def share(self, value: Any) -> Any:
        """``value`` scattered to every worker once (a Dask future)."""
        # in a list: scatter would send each element of a sequence on its own
        return self.client.scatter([value], broadcast=True, hash=False)[0]

    def close(self) -> None:
        self.client.close()
        if self._cluster is not None:
            self._cluster.close()

    def __repr__(self) -> str:
        return f"DaskEngine(scheduler={self.client.scheduler.address!r})"


#: The engines :func:`make_engine` knows, by name.
ENGINES = {"local": LocalEngine, "dask": DaskEngine}


def make_engine(name: str, **options: Any) -> Engine:
    """The engine called ``name`` (a key of :data:`ENGINES`), built with ``options``.

    ``make_engine("local", n_jobs=4)``, ``make_engine("dask", n_workers=8)`` or
    ``make_engine("dask", scheduler="tcp://host:8786")``.
    """
    if name not in ENGINES:
        raise ValueError(f"unknown engine {name!r}; choose from {sorted(ENGINES)}")
    return ENGINES[name](**options)
