"""A run killed part-way leaves no corrupt output; raw data is never modified.

The kill is real: a child process starts writing a cache file or a figure and
SIGKILLs itself half-way through, exactly as an out-of-memory kill or a pulled
plug would stop it.  The parent then checks what a next run would find.
"""

import hashlib
import os
import signal
import subprocess
import sys
import textwrap

import pytest

from arabmedia.config import load_settings
from arabmedia.corpus import (
    armpro_spans,
    fignews_labels,
    load_corpora,
    load_manifest,
    manifest_corpora,
    verify,
)
from arabmedia.text import _cache as cache
from arabmedia.text import tokenize

IDS = ["a", "b"]
TEXTS = ["أعلنت وزارة الصحة حصيلة جديدة", "قصف على خان يونس"]

KILL_DURING = """
import os, signal
def write_half_then_die(*args, **kwargs):
    target = args[1] if len(args) > 1 else kwargs.get("where") or kwargs.get("fname")
    with open(target, "wb") as handle:
        handle.write(b"PAR1 half a file")
        handle.flush()
    os.kill(os.getpid(), signal.SIGKILL)
"""


def _run_and_get_killed(body: str) -> None:
    script = KILL_DURING + textwrap.dedent(body)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, timeout=120)
    assert done.returncode == -signal.SIGKILL, done.stderr.decode()


def test_killed_token_cache_write_leaves_no_cache_and_next_run_recovers(tmp_path):
    _run_and_get_killed(
        f"""
        import pyarrow.parquet as pq
        from arabmedia.text import _cache as cache
        pq.write_table = write_half_then_die
        cache.cached_tokens({IDS!r}, {TEXTS!r}, {str(tmp_path)!r})
        """
    )
    folder = tmp_path / "tokens"
    assert not list(folder.glob("*.parquet")), "a half-written cache file became visible"
    assert [p.name.startswith(".tmp-") for p in folder.iterdir()] == [True]
    table, hit = cache.cached_tokens(IDS, TEXTS, tmp_path)
    assert not hit
    assert [list(t) for t in table["tokens"]] == [tokenize(t) for t in TEXTS]
    _, hit = cache.cached_tokens(IDS, TEXTS, tmp_path)
    assert hit


def test_killed_figure_export_keeps_the_previous_figure(tmp_path):
    script = f"""
        from matplotlib.figure import Figure
        from arabmedia.plot import export_figure
        fig = Figure()
        fig.subplots().plot([0, 1], [0, 1])
        export_figure(fig, "fig", figures_dir={str(tmp_path)!r})
        """
    subprocess.run([sys.executable, "-c", textwrap.dedent(script)], check=True, timeout=120)
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    assert sorted(before) == ["fig.pdf", "fig.png"]
    _run_and_get_killed(
        script.replace(
            "fig = Figure()", "fig = Figure()\n        Figure.savefig = write_half_then_die"
        )
    )
    after = {p.name: p.read_bytes() for p in tmp_path.iterdir() if not p.name.startswith(".tmp-")}
    assert after == before


SETTINGS = load_settings()


def _digests(folder):
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.mark.corpora
@pytest.mark.skipif(not SETTINGS.raw_dir.is_dir(), reason="run `arabmedia fetch` first")
def test_reading_every_corpus_leaves_the_raw_files_unchanged():
    before = _digests(SETTINGS.raw_dir)
    modes = {p: os.stat(SETTINGS.raw_dir / p).st_mode for p in before}
    result = load_corpora(manifest_corpora(SETTINGS), SETTINGS)
    assert result.n_read == len(result.articles) + len(result.rejects)
    fignews_labels(SETTINGS.raw_dir / "fignews2024")
    armpro_spans(SETTINGS.raw_dir / "armpro")
    assert _digests(SETTINGS.raw_dir) == before
    assert {p: os.stat(SETTINGS.raw_dir / p).st_mode for p in before} == modes
    checked = verify(load_manifest(SETTINGS.manifest), manifest_corpora(SETTINGS), SETTINGS)
    assert (checked["status"] == "ok").all(), checked[checked["status"] != "ok"]
