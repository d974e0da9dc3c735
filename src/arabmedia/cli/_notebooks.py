"""Execute the numbered notebook series headless with papermill, reproducibly.

The committed notebooks carry their outputs (nbval compares a rerun with
them), so ``run_notebooks`` executes each notebook in place by default and
then removes what changes on every run without changing any result: papermill
and nbclient timing metadata.  What remains is byte-identical across runs.
"""

from __future__ import annotations

import re
import resource
import tempfile
import time
from pathlib import Path

import nbformat
import pandas as pd

from arabmedia.io import atomic_write_text

KERNEL_NAME = "arabmedia"
NOTEBOOK_PATTERN = re.compile(r"^\d\d_[A-Za-z0-9_]+\.ipynb$")
VOLATILE_NOTEBOOK_KEYS = ("start_time", "end_time", "duration", "exception")


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
        papermill.execute_notebook(
            str(source),
            str(executed),
            parameters=parameters or None,
            kernel_name=kernel_name,
            cwd=str(source.parent),
            progress_bar=progress,
            request_save_on_cell_execute=False,
        )
        nb = scrub_volatile_metadata(nbformat.read(executed, as_version=4))
    atomic_write_text(target, nbformat.writes(nb) + "\n")
    return target


def run_notebooks(
    folder: Path,
    *,
    select: list[str] | None = None,
    parameters: dict | None = None,
    output_dir: Path | None = None,
    progress: bool = True,
) -> pd.DataFrame:
    """Execute the series in order; return one row per notebook (notebook, seconds).

    ``select`` keeps notebooks whose name starts with one of the given prefixes
    (e.g. ``["00", "02_terminology"]``); ``output_dir`` writes executed copies
    there instead of updating the committed notebooks.
    """
    notebooks = list_notebooks(folder)
    if select:
        notebooks = [p for p in notebooks if any(p.name.startswith(s) for s in select)]
        if not notebooks:
            raise ValueError(f"no notebook in {folder} matches {select}")
    rows = []
    for path in notebooks:
        start = time.perf_counter()
        target = Path(output_dir) / path.name if output_dir else path
        execute_notebook(path, target, parameters, progress=progress)
        rows.append({"notebook": path.name, "seconds": round(time.perf_counter() - start, 1)})
    return pd.DataFrame(rows, columns=["notebook", "seconds"])


def peak_memory_mb() -> float:
    """Peak resident memory of this process and its finished children (kernels), in MB."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024
