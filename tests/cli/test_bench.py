"""Scaling benchmark: replication keeps ids unique, one real step runs in a fresh process."""

import pandas as pd
import pytest

from arabmedia.cli import run_scaling
from arabmedia.cli._bench import _replicate
from arabmedia.config import load_settings


def test_replicate_makes_ids_and_urls_unique_and_keeps_texts():
    articles = pd.DataFrame({"doc_id": ["a", "b"], "url": ["u1", "u2"], "body": ["x", "y"]})
    copies = _replicate(articles, 3)
    assert len(copies) == 6
    assert copies["doc_id"].is_unique and copies["url"].is_unique
    assert copies["body"].tolist() == ["x", "y"] * 3
    assert copies["doc_id"].tolist()[:2] == ["a", "b"]  # the first copy is the original


def test_unknown_step_is_refused():
    with pytest.raises(ValueError, match="unknown scaling steps"):
        run_scaling(".", steps=("nope",))


@pytest.mark.corpora
@pytest.mark.skipif(not load_settings().raw_dir.is_dir(), reason="run `arabmedia fetch` first")
def test_scaling_runs_a_step_at_two_sizes():
    table = run_scaling(load_settings().root, (1, 2), ("dedup",), progress=False)
    assert table["factor"].tolist() == [1, 2]
    assert table["articles"].iloc[1] == 2 * table["articles"].iloc[0]
    assert table["seconds_ratio"].iloc[0] == 1.0
    assert (table["peak_mib"] >= table["input_mib"]).all()
