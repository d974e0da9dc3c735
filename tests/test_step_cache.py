"""The step cache: keyed by inputs' content, parameters and code; warm calls read."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from arabmedia import cache
from arabmedia._fingerprint import package_fingerprint
from arabmedia.cache import StepCache, content_key

CALLS: list[tuple] = []


def shares(table: pd.DataFrame, column: str, scale: float = 1.0, progress: bool = False):
    """A pure step for the tests: the share of each value of ``column``, counted."""
    CALLS.append((column, scale))
    return table[column].value_counts(normalize=True).sort_index() * scale


@pytest.fixture
def table() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "outlet": ["a", "b", "a", "c"],
            "tokens": [["x", "y"], ["y"], [], ["z", "z"]],
            "date": pd.to_datetime(["2024-01-01", "2024-01-02", None, "2024-01-04"]),
        }
    )


@pytest.fixture(autouse=True)
def _reset_calls():
    CALLS.clear()


def test_a_warm_call_reads_instead_of_computing(tmp_path, table):
    cached = StepCache(tmp_path)
    first = cached(shares)(table, "outlet")
    second = cached(shares)(table, "outlet")
    assert len(CALLS) == 1
    pd.testing.assert_series_equal(first, second)
    assert [r.hit for r in cached.records] == [False, True]
    assert list(cached.summary().columns) == ["step", "key", "hit", "seconds"]
    assert len(list((tmp_path / f"{__name__}.shares").glob("*.pkl"))) == 1


def test_a_new_process_reads_the_same_entry(tmp_path, table):
    StepCache(tmp_path)(shares)(table, "outlet")
    StepCache(tmp_path)(shares)(table, "outlet")
    assert len(CALLS) == 1


def test_changed_input_content_recomputes(tmp_path, table):
    cached = StepCache(tmp_path)
    cached(shares)(table, "outlet")
    changed = table.copy()
    changed.loc[3, "outlet"] = "a"
    cached(shares)(changed, "outlet")
    tokens_changed = table.copy()
    tokens_changed.at[2, "tokens"] = ["w"]  # a list cell, not the column the step reads
    cached(shares)(tokens_changed, "outlet")
    assert len(CALLS) == 3


def test_changed_parameters_recompute_but_ignored_ones_do_not(tmp_path, table):
    cached = StepCache(tmp_path)
    cached(shares)(table, "outlet")
    cached(shares)(table, "outlet", scale=1.0)  # the default, spelled out: same call
    cached(shares)(table, "outlet", progress=True)  # progress never changes a result
    cached(shares)(table, "outlet", scale=2.0)
    assert CALLS == [("outlet", 1.0), ("outlet", 2.0)]


def test_changed_code_or_libraries_recompute(tmp_path, table, monkeypatch):
    cached = StepCache(tmp_path)
    cached(shares)(table, "outlet")
    monkeypatch.setattr(cache, "code_fingerprint", lambda: "another version of the code")
    cached(shares)(table, "outlet")
    assert len(CALLS) == 2


def test_package_fingerprint_covers_files_and_library_versions(tmp_path):
    (tmp_path / "module.py").write_text("x = 1\n")
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "lexicon.yaml").write_text("a: 1\n")
    libraries = [("numpy", "2.0.0"), ("pandas", "3.0.0")]
    before = package_fingerprint(tmp_path, libraries)
    assert package_fingerprint(tmp_path, list(reversed(libraries))) == before
    assert package_fingerprint(tmp_path, [("numpy", "2.0.1"), ("pandas", "3.0.0")]) != before
    (tmp_path / "data" / "lexicon.yaml").write_text("a: 2\n")
    edited_data = package_fingerprint(tmp_path, libraries)
    assert edited_data != before
    (tmp_path / "module.py").write_text("x = 2\n")
    assert package_fingerprint(tmp_path, libraries) not in {before, edited_data}


def test_content_keys_follow_content_not_identity(table):
    assert content_key(table) == content_key(table.copy())
    assert content_key(table) != content_key(table.iloc[::-1])
    assert content_key(table) != content_key(table.rename(columns={"outlet": "source"}))
    assert content_key(np.arange(3)) != content_key(np.arange(3.0))
    assert content_key({"b": 1, "a": 2}) == content_key({"a": 2, "b": 1})
    assert content_key([1, 2]) != content_key((1, 2))
    assert content_key(table["outlet"]) != content_key(table["outlet"].rename("other"))


def test_set_keys_do_not_depend_on_the_hash_seed():
    code = "from arabmedia.cache import content_key; print(content_key({'شهداء', 'قتلى', 'x', 1}))"
    keys = {
        subprocess.run(
            [sys.executable, "-c", code],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("1", "2", "3")
    }
    assert len(keys) == 1


def test_an_unkeyable_argument_computes_without_storing(tmp_path):
    cached = StepCache(tmp_path)
    lock = __import__("threading").Lock()  # no attributes to key by

    def step(value, guard):
        CALLS.append(value)
        return value

    assert cached(step)(1, lock) == 1
    assert cached(step)(1, lock) == 1
    assert len(CALLS) == 2
    assert not any(Path(tmp_path).rglob("*.pkl"))


def test_a_failing_step_leaves_no_entry(tmp_path, table):
    def broken(frame):
        raise RuntimeError("no")

    with pytest.raises(RuntimeError):
        StepCache(tmp_path)(broken)(table)
    assert not [p for p in Path(tmp_path).rglob("*") if p.is_file()]


def test_a_disabled_cache_always_computes(table):
    cached = StepCache(None)
    cached(shares)(table, "outlet")
    cached(shares)(table, "outlet")
    assert len(CALLS) == 2
    assert cached.records == []


def test_files_a_step_reads_are_keyed_by_their_bytes(tmp_path, table):
    gold = tmp_path / "gold.tsv"
    gold.write_text("label\na\n")
    cached = StepCache(tmp_path / "steps")
    cached(shares, reads=[gold])(table, "outlet")
    cached(shares, reads=[gold])(table, "outlet")
    gold.write_text("label\nb\n")
    cached(shares, reads=[gold])(table, "outlet")
    assert len(CALLS) == 2


def test_the_study_cache_lives_in_the_cache_folder(tmp_path):
    from arabmedia.config import load_settings, step_cache

    (tmp_path / "arabmedia.toml").write_text('[data]\ncache_dir = "here"\n')
    assert step_cache(load_settings(tmp_path)).folder == tmp_path / "here" / "steps"


def test_long_token_lists_are_keyed_by_content_fast_or_not():
    docs = [["غزة", "شهداء", str(i)] for i in range(200)]
    same = [list(doc) for doc in docs]
    assert content_key(docs) == content_key(same)
    edited = [list(doc) for doc in docs]
    edited[150][1] = "قتلى"
    assert content_key(edited) != content_key(docs)
    assert content_key(docs) != content_key(tuple(docs))
    mixed = [*docs[:100], 5, *docs[100:]]  # not all token lists: keyed item by item
    assert content_key(mixed) != content_key(docs)
    numbers = list(range(100))
    assert content_key(numbers) != content_key([float(n) for n in numbers])


def test_keys_survive_a_pickle_round_trip_and_do_not_see_arrow_chunks(table):
    import pickle

    first = pd.DataFrame({"title": pd.array(["غزة", "رفح"], dtype="str"), "n": [1, 2]})
    second = pd.DataFrame({"title": pd.array(["جنين"], dtype="str"), "n": [3]})
    built = pd.concat([first, second], ignore_index=True)  # two Arrow chunks
    direct = pd.DataFrame({"title": pd.array(["غزة", "رفح", "جنين"], dtype="str"), "n": [1, 2, 3]})
    assert content_key(built) == content_key(direct)
    for value in (built, table, table["tokens"]):
        assert content_key(pickle.loads(pickle.dumps(value, protocol=5))) == content_key(value)


def test_sparse_matrices_are_keyed_by_their_entries():
    from scipy import sparse

    matrix = sparse.csr_matrix(np.array([[0, 1.0], [2.0, 0]]))
    assert content_key(matrix) == content_key(matrix.tocsc().tocsr())
    assert content_key(matrix) != content_key(sparse.csr_matrix(np.array([[0, 1.0], [3.0, 0]])))
