"""Execute the numbered notebook series headless with papermill, reproducibly.

The committed notebooks carry their outputs (nbval compares a rerun with
them), so ``run_notebooks`` executes each notebook in place by default and
then removes what changes on every run without changing any result: papermill
and nbclient timing metadata.  What remains is byte-identical across runs.
"""

from __future__ import annotations

import contextlib
import os
import re
import resource
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import nbformat
import pandas as pd

from arabmedia.cli._notebook_cache import (
    NotebookCache,
    declared_writes,
    notebook_outputs,
    output_stamps,
    study_digest,
    undeclared_writes,
    written_since,
)
from arabmedia.config import Settings
from arabmedia.io import atomic_write_text

KERNEL_NAME = "arabmedia"
#: Thread-count variables of the BLAS and OpenMP libraries a kernel may load.
THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")
NOTEBOOK_PATTERN = re.compile(r"^\d\d_[A-Za-z0-9_]+\.ipynb$")
VOLATILE_NOTEBOOK_KEYS = ("start_time", "end_time", "duration", "exception")


class NotebookError(RuntimeError):
    """A notebook cell failed; the message names the notebook, the cell and the error."""


def list_notebooks(folder: Path) -> list[Path]:
    """The numbered notebooks ``NN_name.ipynb`` in ``folder``, in order."""
    return sorted(p for p in Path(folder).iterdir() if NOTEBOOK_PATTERN.match(p.name))


def scrub_volatile_metadata(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Remove per-run timings and ids that papermill and nbclient add; results are untouched."""
    papermill = nb.metadata.get("papermill", {})
    for key in (*VOLATILE_NOTEBOOK_KEYS, "input_path", "output_path", "environment_variables"):
        papermill.pop(key, None)
    for cell in nb.cells:
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
        if "injected-parameters" in cell.metadata.get("tags", []):
            cell.id = "injected-parameters"  # papermill gives it a random id on every run
    return nb


def execute_notebook(
    source: Path,
    target: Path | None = None,
    parameters: dict | None = None,
    *,
    kernel_name: str = KERNEL_NAME,
    progress: bool = True,
) -> Path:
    """Run ``source`` with papermill (cwd: its folder) and write the scrubbed result.

    The result replaces ``target`` (default: ``source`` itself) atomically, so a
    failed or interrupted run never leaves a half-written notebook behind.
    """
    import papermill

    source = Path(source).resolve()
    target = Path(target or source).resolve()
    with tempfile.TemporaryDirectory() as tmp:
        executed = Path(tmp) / source.name
        try:
            papermill.execute_notebook(
                str(source),
                str(executed),
                parameters=parameters or None,
                kernel_name=kernel_name,
                cwd=str(source.parent),
                progress_bar=progress,
                request_save_on_cell_execute=False,
            )
        except papermill.PapermillExecutionError as error:
            raise NotebookError(
                f"{source.name}, cell {error.exec_count}: {error.ename}: {error.evalue}"
            ) from error
        nb = scrub_volatile_metadata(nbformat.read(executed, as_version=4))
    atomic_write_text(target, nbformat.writes(nb) + "\n")
    return target


def series_folder() -> Path:
    """The repository's ``notebooks/`` (the series every study runs), found from this package."""
    folder = Path(__file__).resolve().parents[3] / "notebooks"
    if not folder.is_dir() or not list_notebooks(folder):
        raise FileNotFoundError(
            f"no numbered notebooks in {folder} (an installed wheel has none): pass --series"
        )
    return folder


def notebook_needs(path: Path) -> list[str]:
    """Name prefixes of the notebooks whose outputs ``path`` reads, from its metadata
    ``{"arabmedia": {"needs": ["00", ...]}}`` (none: it depends on no other notebook)."""
    needs = nbformat.read(path, as_version=4).metadata.get("arabmedia", {}).get("needs", [])
    if not isinstance(needs, list) or not all(isinstance(n, str) for n in needs):
        raise ValueError(f"{path}: metadata arabmedia.needs must be a list of name prefixes")
    return needs


def schedule(notebooks: list[Path]) -> dict[str, set[str]]:
    """For each notebook name, the names (among ``notebooks``) it must wait for.

    A need that matches no notebook of the run is taken as already satisfied (its outputs
    are on disk from an earlier run); a need on a later notebook of the series is an error.
    """
    names = [p.name for p in notebooks]
    waits = {}
    for position, path in enumerate(notebooks):
        needed = set()
        for prefix in notebook_needs(path):
            matches = [n for n in names if n.startswith(prefix)]
            if any(names.index(n) >= position for n in matches):
                raise ValueError(f"{path.name} needs {prefix}, which comes after it in the series")
            needed.update(matches)
        waits[path.name] = needed
    return waits


def run_notebooks(
    source: Path,
    target: Path,
    *,
    select: list[str] | None = None,
    parameters: dict | None = None,
    progress: bool = True,
    jobs: int = 1,
    seconds: dict[str, float] | None = None,
    cache: NotebookCache | None = None,
) -> pd.DataFrame:
    """Execute the series in ``source`` into ``target``, ``jobs`` notebooks at a time.

    A notebook starts once the notebooks it needs (:func:`notebook_needs`) have finished;
    among those ready, the one that took longest last time (``seconds``, by name) starts
    first, then series order.  Each notebook writes only its own outputs, so the results
    do not depend on ``jobs``.  With a ``cache``, a notebook whose inputs are all as in a
    stored run is restored from it instead of executed (see
    :mod:`arabmedia.cli._notebook_cache`), and one that writes an output the cache could
    not restore is an error.  Returns one row per notebook (notebook, seconds, cached), in
    series order.  ``select`` keeps notebooks whose name starts with one of the given
    prefixes (e.g. ``["00", "02_terminology"]``). ``target`` may be ``source`` (in place).
    """
    from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait

    from tqdm import tqdm

    if jobs < 1:
        raise ValueError(f"jobs must be >= 1, got {jobs}")
    notebooks = list_notebooks(source)
    if select:
        notebooks = [p for p in notebooks if any(p.name.startswith(s) for s in select)]
        if not notebooks:
            raise ValueError(f"no notebook in {source} matches {select}")
    waits = schedule(notebooks)
    order = {p.name: i for i, p in enumerate(notebooks)}
    previous = seconds or {}
    pending = {p.name: p for p in notebooks}
    done: dict[str, tuple[float, bool]] = {}
    serial_bars = progress and jobs == 1
    if cache is not None:
        series = list_notebooks(source)
        writes = {p.name: declared_writes(p) for p in series}
        all_writes = [cache.settings.root / w for listed in writes.values() for w in listed]
        study = study_digest(cache.settings, all_writes, cache.folder / "file_digests.json")

    def run_and_store(path: Path, destination: Path) -> bool:
        """Restore ``path`` from the cache or execute it and store the run; True if restored."""
        needs = notebook_needs(path)
        needed = [
            output
            for other in series
            if any(other.name.startswith(n) for n in needs)
            for output in notebook_outputs(cache.settings, other.name[:2], writes[other.name])
        ]
        key = cache.key(path, parameters, study, needed)
        if cache.restore(path.name, key, destination) is not None:
            return True
        before = output_stamps(cache.settings)
        execute_notebook(path, destination, parameters, progress=serial_bars)
        written = written_since(before, cache.settings)
        stray = undeclared_writes(written, cache.settings, [p.name[:2] for p in series], all_writes)
        if stray:
            raise NotebookError(
                f"{path.name} wrote {', '.join(map(str, stray))}: outputs must be named "
                f"NN_* in the figures or tables folder or listed in metadata arabmedia.writes"
            )
        outputs = notebook_outputs(cache.settings, path.name[:2], writes[path.name])
        cache.store(path.name, key, destination, [p for p in outputs if p.resolve() in written])
        return False

    def execute(path: Path) -> tuple[float, bool]:
        start = time.perf_counter()
        destination = Path(target) / path.name
        if cache is None:
            execute_notebook(path, destination, parameters, progress=serial_bars)
            restored = False
        else:
            restored = run_and_store(path, destination)
        return round(time.perf_counter() - start, 1), restored

    bar = tqdm(
        total=len(notebooks), desc="notebooks", unit="nb", disable=not progress or serial_bars
    )
    with ThreadPoolExecutor(jobs) as pool:
        running = {}
        while pending or running:
            ready = [n for n in pending if waits[n] <= done.keys()]
            ready.sort(key=lambda n: (-previous.get(n, 0.0), order[n]))
            for name in ready[: jobs - len(running)]:
                running[pool.submit(execute, pending.pop(name))] = name
            finished, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in finished:
                name = running.pop(future)
                try:
                    done[name] = future.result()
                except BaseException:
                    for other in running:
                        other.cancel()
                    raise
                bar.update()
    bar.close()
    rows = [
        {"notebook": n, "seconds": done[n][0], "cached": done[n][1]}
        for n in sorted(done, key=order.get)
    ]
    return pd.DataFrame(rows, columns=["notebook", "seconds", "cached"])


@contextlib.contextmanager
def _study_environment(root: Path, jobs: int = 1) -> Iterator[None]:
    """Point kernels started inside the block at the study (``ARABMEDIA_ROOT``) and give
    each of the ``jobs`` kernels its share of the cores for BLAS and OpenMP threads
    (:data:`THREAD_VARIABLES`, unless set already): more threads than cores make every
    kernel spin-wait (a logistic regression of notebook 03 took 40 times longer with two
    kernels of two threads each on two cores; the series' outputs are byte-identical)."""
    threads = str(max(1, (os.cpu_count() or 1) // jobs))
    wanted = {"ARABMEDIA_ROOT": str(root)}
    wanted |= {name: threads for name in THREAD_VARIABLES if name not in os.environ}
    before = {name: os.environ.get(name) for name in wanted}
    os.environ.update(wanted)
    try:
        yield
    finally:
        for name, value in before.items():
            if value is None:
                os.environ.pop(name)
            else:
                os.environ[name] = value


#: Cold seconds of each notebook of a series, measured on the default study, in its folder.
EXPECTED_SECONDS = "expected_seconds.json"


def expected_seconds(source: Path) -> dict[str, float]:
    """The cold seconds :data:`EXPECTED_SECONDS` in the series folder ``source`` gives (none
    when it has no such file): the order a study's first run starts the notebooks in, before
    its cache has timings of its own (the longest first shortens a run on two cores)."""
    import json

    path = Path(source) / EXPECTED_SECONDS
    if not path.is_file():
        return {}
    seconds = json.loads(path.read_text("utf-8"))
    if not isinstance(seconds, dict) or not all(
        isinstance(v, (int, float)) and not isinstance(v, bool) for v in seconds.values()
    ):
        raise ValueError(f"{path}: expected an object of notebook name -> seconds")
    return seconds


def start_order_seconds(timings: Path, source: Path) -> dict[str, float]:
    """The seconds a run orders the notebooks of ``source`` by (the longest first): those of
    the study's last runs (``timings``, the cache's ``notebook_seconds.json``) where it has
    them, else the series' :func:`expected_seconds`."""
    import json

    seconds = expected_seconds(source)
    if timings.is_file():
        seconds |= json.loads(timings.read_text("utf-8"))
    return seconds


def run_study(
    settings: Settings,
    source: Path,
    *,
    select: list[str] | None = None,
    parameters: dict | None = None,
    progress: bool = True,
    jobs: int = 1,
    target: Path | None = None,
    force: bool = False,
) -> tuple[pd.DataFrame, Path]:
    """Run the series on a study: load its articles (filling the article cache once, before
    any kernel starts), execute the notebooks into ``target`` (default
    ``settings.notebooks_dir``) with the study as their root, ``jobs`` at a time, then write
    ``report.md``.

    After a full run (no ``select``), outputs in the figures and tables folders that the run
    did not write are listed in the report as left from an earlier run. Each notebook's time
    is kept in the cache folder so that the next run starts the longest first (a first run
    starts by :func:`expected_seconds`). Returns (one
    row per notebook, the report path). Notebooks whose inputs are unchanged since a stored
    run are restored from ``<cache_dir>/notebooks`` unless ``force``. Raises
    :class:`arabmedia.corpus.NothingLoadedError` before any notebook runs when no article
    loads.
    """
    import json

    from arabmedia.cli._report import write_report
    from arabmedia.corpus._articles import load_articles

    load_articles(settings)  # fails early, naming the rejects, when nothing loads
    timings = Path(settings.cache_dir) / "notebook_seconds.json"
    previous = start_order_seconds(timings, source)
    started = time.time()
    cache = None if force else NotebookCache(Path(settings.cache_dir) / "notebooks", settings)
    with _study_environment(settings.root, jobs):
        table = run_notebooks(
            source,
            target or settings.notebooks_dir,
            select=select,
            parameters=parameters,
            progress=progress,
            jobs=jobs,
            seconds=previous,
            cache=cache,
        )
    executed = table[~table["cached"]]
    latest = previous | dict(zip(executed["notebook"], executed["seconds"], strict=True))
    atomic_write_text(timings, json.dumps(latest, indent=1, sort_keys=True) + "\n")
    outputs = [*settings.figures_dir.glob("*.*"), *settings.tables_dir.glob("*.*")]
    stale = [] if select else sorted(p for p in outputs if p.stat().st_mtime < started)
    stale = [p for p in stale if p != settings.report and p.name != "README.md"]
    return table, write_report(settings, stale)


def peak_memory_mb() -> float:
    """Peak resident memory of this process and its finished children (kernels), in MB."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024
