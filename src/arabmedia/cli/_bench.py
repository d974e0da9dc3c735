"""Benchmarks: the tokenizer against baselines, and how each step scales with corpus size.

One run times, over the same texts: the naive per-article camel-tools loop
(:func:`arabmedia.text.reference_tokenize`), the project's tokenizer in one process and in
``n_jobs`` processes, both as the token cache runs it (``project_*``:
:func:`arabmedia.text.tokenize_many_arrow`, an Arrow list array, no Python string per
token) and as Python lists (``lists_*``: :func:`arabmedia.text.tokenize_many`), and
``re.findall(r"\\w+|[^\\w\\s]", text)`` per text, the floor any tokenizer has to pay.
The CLI wires this in as ``arabmedia bench``; ``--series`` times the notebook series
(:func:`run_series_benchmark`).

:func:`run_scaling` replicates the ``almayadeen`` corpus 1x, 2x, 4x and times each main
step (reading, dedup, tokenizing, term matching, frames, agency, topics) in a fresh
process, with its peak memory (``arabmedia bench --scaling``).
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


# ---------------------------------------------------------------- scaling

SCALING_STEPS = ("read", "dedup", "tokenize", "terms", "frames", "agency", "topics")


def _replicate(articles, factor: int):
    """``factor`` copies of the article table, ids and URLs made unique per copy."""
    import pandas as pd

    copies = []
    for number in range(factor):
        copy = articles.copy()
        if number:
            copy["doc_id"] = copy["doc_id"] + f"#copy{number}"
            copy["url"] = copy["url"] + f"#copy{number}"
        copies.append(copy)
    return pd.concat(copies, ignore_index=True)


def _reset_peak_rss() -> bool:
    """Reset this process's peak resident memory (Linux ``clear_refs``); False if impossible."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def _rss_mib(field: str) -> float:
    """``VmRSS`` (current) or ``VmHWM`` (peak) of this process in MiB, from /proc."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _scaling_step(step: str, factor: int, root: str) -> dict:
    """Prepare the input of ``step`` at ``factor`` x ``almayadeen``, then time the step alone.

    Runs in a fresh process so that its peak memory is the step's own; the input (article
    table, tokens) is built first and its resident size reported as ``input_mib``.
    """
    from arabmedia import analysis as terminology
    from arabmedia import analysis as topics
    from arabmedia import lexicons
    from arabmedia.analysis import _agency as agency
    from arabmedia.analysis import _framing as framing
    from arabmedia.config import load_settings
    from arabmedia.corpus._articles import load_articles
    from arabmedia.corpus._dedup import collapse_exact
    from arabmedia.corpus._loading import read_files
    from arabmedia.corpus._manifest import load_manifest
    from arabmedia.corpus._schema import ARTICLE_COLUMNS
    from arabmedia.lexicons._stopwords import load_stopwords
    from arabmedia.text._cache import article_tokens
    from arabmedia.text._normalize import tokenize_many
    from arabmedia.text._segment import make_segmenter

    settings = load_settings(root)
    mayadeen = load_articles(settings)
    mayadeen = mayadeen[mayadeen["corpus"] == "almayadeen"].reset_index(drop=True)
    articles = _replicate(mayadeen, factor)
    fields = ["title", "lead", "body"]
    run: Callable[[], object]
    if step == "read":
        spec = load_manifest(settings.manifest).corpus("almayadeen")
        paths = [f.local_path(settings.raw_dir) for f in spec.files if f.path.endswith(".json")]
        options = {"corpus": "almayadeen", "outlet": spec.outlets[0]}
        run = lambda: read_files(paths * factor, "almayadeen", **options)  # noqa: E731
    elif step == "dedup":
        undeduplicated = articles[list(ARTICLE_COLUMNS)]
        run = lambda: collapse_exact(undeduplicated)  # noqa: E731
    elif step == "tokenize":
        from arabmedia.corpus._articles import article_text

        texts = article_text(articles, fields).tolist()
        run = lambda: tokenize_many(texts)  # noqa: E731
    else:
        tokens = _replicate_tokens(article_tokens(mayadeen, fields, settings), factor)
        tokens.index = articles.index
        if step == "terms":
            term_sets = lexicons.load_term_sets()

            def run():
                matches = terminology.find_terms(tokens, term_sets)
                return terminology.count_terms(tokens, matches, term_sets)
        elif step == "frames":
            frames = lexicons.load_frames()
            run = lambda: framing.count_frames(articles, tokens, frames)  # noqa: E731
        elif step == "agency":
            run = lambda: agency.find_casualty_sentences(articles, fields)  # noqa: E731
        elif step == "topics":
            segmenter = make_segmenter("auto", warn=False)
            term_map = topics.build_term_map(
                tokens, segmenter, load_stopwords(), cache_dir=settings.cache_dir
            )

            def run():
                corpus = topics.build_topic_corpus(tokens.tolist(), term_map)
                return topics.TopicModel("nmf", 10, seed=0).fit(corpus.matrix)
        else:
            raise ValueError(f"unknown scaling step {step!r}; choose from {SCALING_STEPS}")
    input_mib = _rss_mib("VmRSS")
    exact_peak = _reset_peak_rss()
    start = time.perf_counter()
    run()
    seconds = time.perf_counter() - start
    if exact_peak:
        peak = _rss_mib("VmHWM")
    else:  # the lifetime peak, input preparation included (ru_maxrss is in KiB)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "step": step,
        "factor": factor,
        "articles": len(articles),
        "seconds": round(seconds, 2),
        "input_mib": round(input_mib, 1),
        "peak_mib": round(peak, 1),
    }


def _replicate_tokens(tokens, factor: int):
    import pandas as pd

    return pd.concat([tokens] * factor, ignore_index=True)


def run_scaling(
    root: str | Path,
    factors: tuple[int, ...] = (1, 2, 4),
    steps: tuple[str, ...] = SCALING_STEPS,
    *,
    progress: bool = True,
):
    """Time and peak memory of each step at each multiple of the ``almayadeen`` corpus.

    Every (step, factor) runs in its own fresh process.  Returns a DataFrame with columns
    step, factor, articles, seconds, input_mib (resident size before the step), peak_mib
    (peak during the step), seconds_ratio (seconds / seconds at the smallest factor; linear
    cost gives ratios equal to the factors) and extra_mib (peak_mib - input_mib: what the
    step itself needs beyond its input).
    """
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    import pandas as pd
    from tqdm import tqdm

    unknown = sorted(set(steps) - set(SCALING_STEPS))
    if unknown:
        raise ValueError(f"unknown scaling steps {unknown}; choose from {SCALING_STEPS}")
    jobs = [(step, factor) for step in steps for factor in sorted(factors)]
    rows = []
    context = multiprocessing.get_context("spawn")
    for step, factor in tqdm(jobs, desc="scaling", disable=not progress):
        with ProcessPoolExecutor(1, mp_context=context) as pool:
            rows.append(pool.submit(_scaling_step, step, factor, str(root)).result())
    table = pd.DataFrame(rows)
    base = table.groupby("step")["seconds"].transform("first")
    table["seconds_ratio"] = (table["seconds"] / base).round(2)
    table["extra_mib"] = (table["peak_mib"] - table["input_mib"]).round(1)
    return table


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
