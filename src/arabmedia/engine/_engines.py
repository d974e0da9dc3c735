"""Engines: where the partition-wise steps run, behind one ``map``.

An engine calls ``function(item, **kwargs)`` for every item and returns the results in
item order, whatever ran where, so a result never depends on the engine or its worker
count.  :class:`LocalEngine` runs in this process or in a pool of forked processes;
:class:`DaskEngine` on a Dask cluster, a local one it starts or a running one it connects
to.  Functions and arguments travel pickled, so they must be importable (module-level)
and picklable.
"""

from __future__ import annotations

import functools
import multiprocessing
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from typing import Any


class Engine(ABC):
    """Maps a function over items, results in item order; ``with`` closes it at the end."""

    @abstractmethod
    def map(self, function: Callable[..., Any], items: Iterable[Any], **kwargs: Any) -> list:
        """``[function(item, **kwargs) for item in items]``, computed by the engine."""

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

    def map(self, function: Callable[..., Any], items: Iterable[Any], **kwargs: Any) -> list:
        call = functools.partial(function, **kwargs)
        items = list(items)
        if self.n_jobs == 1 or len(items) <= 1:
            return [call(item) for item in items]
        if self._pool is None:
            context = multiprocessing.get_context("fork")
            self._pool = ProcessPoolExecutor(self.n_jobs, mp_context=context)
        return list(self._pool.map(call, items))

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def __repr__(self) -> str:
        return f"LocalEngine(n_jobs={self.n_jobs})"


class DaskEngine(Engine):
    """A Dask ``distributed`` client: of a local cluster it starts, or of ``scheduler``.

    With ``scheduler=None`` a :class:`distributed.LocalCluster` of ``n_workers`` worker
    processes with ``threads_per_worker`` threads each (no dashboard) starts here and
    :meth:`close` stops it; with a scheduler address (``"tcp://host:8786"``) the engine
    connects to that running cluster (``n_workers`` and ``threads_per_worker`` are then
    not used) and :meth:`close` only disconnects.  Workers must be able to import
    :mod:`arabmedia`; local workers are spawned processes, so a script that starts a
    cluster does so under ``if __name__ == "__main__":``.
    """

    def __init__(
        self, scheduler: str | None = None, n_workers: int = 2, threads_per_worker: int = 1
    ) -> None:
        from distributed import Client, LocalCluster

        self._cluster = None
        if scheduler is None:
            self._cluster = LocalCluster(
                n_workers=n_workers,
                threads_per_worker=threads_per_worker,
                processes=True,
                dashboard_address=None,
                # The scheduler's HTTP routes (health, metrics) on a free local port, not 8787.
                scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},
            )
            self.client = Client(self._cluster)
        else:
            self.client = Client(scheduler)

    def map(self, function: Callable[..., Any], items: Iterable[Any], **kwargs: Any) -> list:
        call = functools.partial(function, **kwargs)
        futures = self.client.map(call, list(items), pure=False)
        return self.client.gather(futures)

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
