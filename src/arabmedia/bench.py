"""Tokenizer benchmark: camel-tools baseline vs the project tokenizer vs a bare regex pass.

One run times, over the same texts: the naive per-article camel-tools loop
(:func:`arabmedia.text.reference_tokenize`), :func:`arabmedia.text.tokenize_many` in one
process and in ``n_jobs`` processes, and ``re.findall(r"\\w+|[^\\w\\s]", text)`` per text,
the floor any tokenizer has to pay.  The CLI wires this in as ``arabmedia bench``.
"""

from __future__ import annotations

import json
import logging
import re
import resource
import time
from collections.abc import Callable
from pathlib import Path

from arabmedia.text import reference_tokenize, token_regex, tokenize_many

_LOG = logging.getLogger(__name__)
_BARE_REGEX = re.compile(r"\w+|[^\w\s]")


def load_benchmark_texts(mirror: str | Path) -> list[str]:
    """Al Mayadeen articles as ``title + "\\n" + full_text``, read ad hoc from the mirror.

    Reads ``almayadeen/articles_*.json`` then ``almayadeen/supplement/*.json`` under
    ``mirror``, in name order.  A record without a string ``full_text`` is skipped; the
    number skipped is logged as a warning.  A file that is not a JSON list of records
    raises ``ValueError`` naming it.
    """
    folder = Path(mirror) / "almayadeen"
    files = sorted(folder.glob("articles_*.json")) + sorted(folder.glob("supplement/*.json"))
    if not files:
        raise FileNotFoundError(f"no Al Mayadeen JSON files under {folder}")
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
        _LOG.warning("skipped %d Al Mayadeen records without a full_text string", skipped)
    return texts


def _timed(run: Callable[[], list[list[str]]]) -> tuple[float, int]:
    """Seconds (wall clock) and token count of one call."""
    start = time.perf_counter()
    tokens = run()
    return time.perf_counter() - start, sum(map(len, tokens))


def run_benchmark(texts: list[str], n_jobs: int = 2) -> dict:
    """Time the four tokenizers over ``texts`` in one run and return the figures.

    Each method is warmed up once on a small slice (imports, pattern build, caches), then
    timed once with :func:`time.perf_counter`.  The result has ``n_texts``, ``megabytes``
    (UTF-8), ``n_jobs``, per method ``{seconds, mb_per_s, tokens, tokens_per_s}`` under
    ``methods``, the speed ratios under ``ratios`` and peak resident memory in MiB
    (``ru_maxrss`` of this process and of its finished children).
    """
    if not texts:
        raise ValueError("run_benchmark needs at least one text")
    megabytes = sum(len(text.encode("utf-8", "surrogatepass")) for text in texts) / 1e6
    methods: dict[str, Callable[[list[str]], list[list[str]]]] = {
        "naive_camel": lambda batch: [reference_tokenize(text) for text in batch],
        "project_1proc": lambda batch: tokenize_many(batch, n_jobs=1),
        f"project_{n_jobs}proc": lambda batch: tokenize_many(batch, n_jobs=n_jobs),
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
