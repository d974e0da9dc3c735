"""Benchmarks: the tokenizer against baselines, and how each step scales with corpus size.

One run times, over the same texts: the naive per-article camel-tools loop
(:func:`arabmedia.text.reference_tokenize`), the project's tokenizer in one process and in
``n_jobs`` processes, both as the token cache runs it (``project_*``:
:func:`arabmedia.text.tokenize_many_arrow`, an Arrow list array, no Python string per
token) and as Python lists (``lists_*``: :func:`arabmedia.text.tokenize_many`), and
``re.findall(r"\\w+|[^\\w\\s]", text)`` per text, the floor any tokenizer has to pay.
The CLI wires this in as ``arabmedia bench``; ``--series`` times the notebook series
(:func:`run_series_benchmark`).

How each step scales with corpus size, partition by partition on the local engine or on
Dask: :mod:`arabmedia.cli._scale` (``arabmedia bench --scale``).
"""

from __future__ import annotations

import json
import logging
import re
import resource
import time
from collections.abc import Callable
from pathlib import Path

from arabmedia.text._normalize import (
    reference_tokenize,
    token_regex,
    tokenize_many,
    tokenize_many_arrow,
)

_LOG = logging.getLogger(__name__)
_BARE_REGEX = re.compile(r"\w+|[^\w\s]")


def load_benchmark_texts(mirror: str | Path) -> list[str]:
    """Articles of the ``almayadeen`` corpus as ``title + "\\n" + full_text``, read ad hoc.

    Reads ``almayadeen/articles_*.json`` then ``almayadeen/supplement/*.json`` under
    ``mirror``, in name order.  A record without a string ``full_text`` is skipped; the
    number skipped is logged as a warning.  A file that is not a JSON list of records
    raises ``ValueError`` naming it.
    """
    folder = Path(mirror) / "almayadeen"
    files = sorted(folder.glob("articles_*.json")) + sorted(folder.glob("supplement/*.json"))
    if not files:
        raise FileNotFoundError(f"no almayadeen JSON files under {folder}")
    texts, skipped = [], 0
    for path in files:
        try:
            records = json.loads(path.read_text("utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
            raise ValueError(f"{path}: not readable JSON ({error})") from error
        if not isinstance(records, list):
            raise ValueError(f"{path}: expected a JSON list of articles")
        for record in records:
            body = record.get("full_text") if isinstance(record, dict) else None
            if not isinstance(body, str):
                skipped += 1
                continue
            title = record.get("title")
            texts.append((title if isinstance(title, str) else "") + "\n" + body)
    if skipped:
        _LOG.warning("skipped %d almayadeen records without a full_text string", skipped)
    return texts


def _timed(run: Callable[[], object]) -> tuple[float, int]:
    """Seconds (wall clock) and token count of one call (lists of tokens, or an Arrow
    list array)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    start = time.perf_counter()
    tokens = run()
    elapsed = time.perf_counter() - start
    if isinstance(tokens, pa.ChunkedArray):
        return elapsed, int(pc.sum(pc.list_value_length(tokens)).as_py() or 0)
    return elapsed, sum(map(len, tokens))


def run_benchmark(texts: list[str], n_jobs: int = 2) -> dict:
    """Time the tokenizers over ``texts`` in one run and return the figures.

    Each method is warmed up once on a small slice (imports, pattern build, caches), then
    timed once with :func:`time.perf_counter`.  The result has ``n_texts``, ``megabytes``
    (UTF-8), ``n_jobs``, per method ``{seconds, mb_per_s, tokens, tokens_per_s}`` under
    ``methods``, the speed ratios under ``ratios`` and peak resident memory in MiB
    (``ru_maxrss`` of this process and of its finished children).
    """
    if not texts:
        raise ValueError("run_benchmark needs at least one text")
    megabytes = sum(len(text.encode("utf-8", "surrogatepass")) for text in texts) / 1e6
    methods: dict[str, Callable[[list[str]], object]] = {
        "naive_camel": lambda batch: [reference_tokenize(text) for text in batch],
        "project_1proc": lambda batch: tokenize_many_arrow(batch, n_jobs=1),
        f"project_{n_jobs}proc": lambda batch: tokenize_many_arrow(batch, n_jobs=n_jobs),
        "lists_1proc": lambda batch: tokenize_many(batch, n_jobs=1),
        f"lists_{n_jobs}proc": lambda batch: tokenize_many(batch, n_jobs=n_jobs),
        "bare_regex": lambda batch: [_BARE_REGEX.findall(text) for text in batch],
    }
    token_regex()
    warmup = texts[: min(len(texts), 50)]
    figures, seconds = {}, {}
    for name, method in methods.items():
        method(warmup)
        elapsed, tokens = _timed(lambda method=method: method(texts))
        seconds[name] = elapsed
        figures[name] = {
            "seconds": round(elapsed, 3),
            "mb_per_s": round(megabytes / elapsed, 2),
            "tokens": tokens,
            "tokens_per_s": round(tokens / elapsed),
        }
    ratios = {
        "project_1proc_vs_naive": round(seconds["naive_camel"] / seconds["project_1proc"], 2),
        f"project_{n_jobs}proc_vs_naive": round(
            seconds["naive_camel"] / seconds[f"project_{n_jobs}proc"], 2
        ),
        "project_1proc_time_vs_bare_regex": round(
            seconds["project_1proc"] / seconds["bare_regex"], 2
        ),
        f"project_{n_jobs}proc_vs_1proc": round(
            seconds["project_1proc"] / seconds[f"project_{n_jobs}proc"], 2
        ),
        f"lists_{n_jobs}proc_vs_1proc": round(
            seconds["lists_1proc"] / seconds[f"lists_{n_jobs}proc"], 2
        ),
    }
    kib = 1024  # ru_maxrss is in KiB on Linux
    return {
        "n_texts": len(texts),
        "megabytes": round(megabytes, 2),
        "n_jobs": n_jobs,
        "methods": figures,
        "ratios": ratios,
        "peak_rss_mib": {
            "self": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / kib, 1),
            "children": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / kib, 1),
        },
    }


def format_benchmark(result: dict) -> str:
    """A plain-text table of :func:`run_benchmark`'s result."""
    lines = [
        f"{result['n_texts']} texts, {result['megabytes']} MB (UTF-8), n_jobs={result['n_jobs']}",
        f"{'method':<16}{'seconds':>10}{'MB/s':>10}{'tokens':>12}{'tokens/s':>12}",
    ]
    for name, entry in result["methods"].items():
        lines.append(
            f"{name:<16}{entry['seconds']:>10.3f}{entry['mb_per_s']:>10.2f}"
            f"{entry['tokens']:>12}{entry['tokens_per_s']:>12}"
        )
    lines.extend(f"{name}: {value}" for name, value in result["ratios"].items())
    memory = result["peak_rss_mib"]
    lines.append(f"peak RSS: {memory['self']} MiB (self), {memory['children']} MiB (children)")
    return "\n".join(lines)


# ---------------------------------------------------------------- the notebook series

FLOOR_SOURCE = "import pandas as pd\nimport matplotlib.pyplot as plt"


def _timed_reference(texts: list[str]) -> float:
    """R: seconds of the naive per-article camel-tools loop over ``texts`` (warmed up)."""
    [reference_tokenize(text) for text in texts[:50]]
    start = time.perf_counter()
    [reference_tokenize(text) for text in texts]
    return time.perf_counter() - start


def _timed_floor(n_notebooks: int) -> float:
    """F: seconds for papermill to run ``n_notebooks`` notebooks that only import pandas and
    matplotlib, one after another (the kernel start-up every notebook pays)."""
    import tempfile

    import nbformat

    from arabmedia.cli._notebooks import run_notebooks

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for number in range(n_notebooks):
            notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(FLOOR_SOURCE)])
            notebook.metadata["kernelspec"] = {"name": "arabmedia", "display_name": "arabmedia"}
            nbformat.write(notebook, folder / f"{number:02d}_floor.ipynb")
        start = time.perf_counter()
        run_notebooks(folder, folder, progress=False)
        return time.perf_counter() - start


def run_series_benchmark(root: str | Path, source: Path, *, jobs: int = 2) -> dict:
    """Time the notebook series as ``arabmedia run`` runs it, cold and warm, against R and F.

    In one run: R (:func:`_timed_reference` over :func:`load_benchmark_texts`), F
    (:func:`_timed_floor` with as many notebooks as the series has), then the series
    (article table first, then the notebooks, ``jobs`` at a time) with an empty cache folder
    (cold), again with the cache it filled (warm: as ``arabmedia run``, which restores
    notebooks whose inputs are unchanged), and once more executing every notebook on the
    warm step cache (``warm_executed``: what a changed notebook costs, ``run --force``).
    Notebooks are written to a temporary folder; figures and tables go to the study's
    folders, as in a run.  Returns reference_s, floor_s, cold_s, warm_s, warm_executed_s,
    peak_mb (largest resident size of any kernel or worker), per_notebook (name -> {cold,
    warm, warm_executed} seconds), jobs, n_notebooks and the ratios cold_vs_reference,
    warm_vs_floor and warm_executed_vs_floor.
    """
    import os
    import tempfile

    from arabmedia.cli._notebooks import list_notebooks, run_study
    from arabmedia.config import load_settings

    settings = load_settings(root)
    n_notebooks = len(list_notebooks(source))
    reference = _timed_reference(load_benchmark_texts(settings.raw_dir))
    floor = _timed_floor(n_notebooks)
    runs, seconds = {}, {}
    before = os.environ.get("ARABMEDIA_CACHE_DIR")
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["ARABMEDIA_CACHE_DIR"] = str(Path(tmp) / "cache")
        try:
            for name in ("cold", "warm", "warm_executed"):
                start = time.perf_counter()
                runs[name], _ = run_study(
                    load_settings(root),
                    source,
                    jobs=jobs,
                    progress=False,
                    target=Path(tmp) / "notebooks",
                    force=name == "warm_executed",
                )
                seconds[name] = time.perf_counter() - start
        finally:
            if before is None:
                os.environ.pop("ARABMEDIA_CACHE_DIR")
            else:
                os.environ["ARABMEDIA_CACHE_DIR"] = before
    per_notebook = {
        name: {run: float(table.at[position, "seconds"]) for run, table in runs.items()}
        for position, name in enumerate(runs["cold"]["notebook"])
    }
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {
        "reference_s": round(reference, 1),
        "floor_s": round(floor, 1),
        "cold_s": round(seconds["cold"], 1),
        "warm_s": round(seconds["warm"], 1),
        "warm_executed_s": round(seconds["warm_executed"], 1),
        "peak_mb": round(peak),
        "per_notebook": per_notebook,
        "jobs": jobs,
        "n_notebooks": n_notebooks,
        "ratios": {
            "cold_vs_reference": round(seconds["cold"] / reference, 2),
            "warm_vs_floor": round(seconds["warm"] / floor, 2),
            "warm_executed_vs_floor": round(seconds["warm_executed"] / floor, 2),
        },
    }


def format_series_benchmark(result: dict) -> str:
    """A plain-text summary of :func:`run_series_benchmark`'s result."""
    lines = [
        f"R (naive camel-tools loop) {result['reference_s']} s; "
        f"F ({result['n_notebooks']} minimal notebooks) {result['floor_s']} s",
        f"series, {result['jobs']} at a time: cold {result['cold_s']} s "
        f"({result['ratios']['cold_vs_reference']} R), warm {result['warm_s']} s "
        f"({result['ratios']['warm_vs_floor']} F), every notebook executed on the warm step "
        f"cache {result['warm_executed_s']} s ({result['ratios']['warm_executed_vs_floor']} F), "
        f"peak {result['peak_mb']} MB",
        f"{'notebook':<28}{'cold s':>8}{'warm s':>8}{'executed s':>12}",
    ]
    for name, entry in result["per_notebook"].items():
        lines.append(
            f"{name:<28}{entry['cold']:>8.1f}{entry['warm']:>8.1f}{entry['warm_executed']:>12.1f}"
        )
    return "\n".join(lines)
