"""Time and memory of match_events on the default study's articles replicated to 10k-100k.

Each replicate copies every article with its doc_id suffixed "#r<k>" (same outlet, date
and text), so articles per date block grow with the size as in a larger corpus; a seeded
sample of the copies gives each size.  Prints
one line per size: articles, seconds, peak resident memory (MB, of this process so far),
candidate pairs, events with two or more outlets.  Usage:
``.venv/bin/python tools/bench_events.py [SIZE ...]`` (default 10000 30000 100000).
"""

from __future__ import annotations

import resource
import sys
import time
from pathlib import Path

import pandas as pd

from arabmedia.analysis import match_events
from arabmedia.config import load_settings
from arabmedia.corpus import load_articles

ROOT = Path(__file__).resolve().parents[1]
SIZES = (10_000, 30_000, 100_000)


def replicated(articles: pd.DataFrame, size: int) -> pd.DataFrame:
    """``size`` rows drawn (seeded) from the table repeated often enough, doc_ids of the
    k-th copy suffixed "#r<k>"."""
    copies = [
        articles.assign(doc_id=articles["doc_id"] + f"#r{k}") if k else articles
        for k in range(-(-size // len(articles)))
    ]
    table = pd.concat(copies, ignore_index=True)
    return table.sample(n=size, random_state=0).reset_index(drop=True)


def main(sizes: list[int]) -> None:
    articles = load_articles(load_settings(ROOT))
    print(f"default study: {len(articles)} articles", flush=True)
    for size in sizes:
        table = replicated(articles, size)
        start = time.perf_counter()
        events = match_events(table, fields=("title", "lead", "body"))
        seconds = time.perf_counter() - start
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        shared = events.loc[events["event_outlets"] >= 2, "event_id"].nunique()
        print(
            f"{size:>7} articles: {seconds:7.1f} s, peak {peak:6.0f} MB, "
            f"{events.attrs['n_candidates']} candidate pairs, {shared} events of >= 2 outlets",
            flush=True,
        )


if __name__ == "__main__":
    main([int(s) for s in sys.argv[1:]] or list(SIZES))
