"""Exact duplicates collapsed across partitions equal collapse_exact of the whole table."""

import json

import numpy as np
import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from arabmedia import corpus
from arabmedia.corpus._loading import _articles_frame
from arabmedia.engine import (
    DaskEngine,
    LocalEngine,
    collapse_partitions,
    exact_keys_partition,
    run_partitions,
    tokenize_partition,
)

#: Words of our own for texts long enough (20 words) to be linked by text.
WORDS = [
    "قال",
    "مراسلنا",
    "إن",
    "القصف",
    "استمر",
    "طوال",
    "الليل",
    "على",
    "الأحياء",
    "الشرقية",
    "من",
    "المدينة",
]


def _text(number: int) -> str:
    rng = np.random.default_rng(number)
    return " ".join(rng.choice(WORDS, size=24))


def _row(doc_id, outlet, date, body, url="", title="عنوان", lead="", record=0):
    return {
        "doc_id": doc_id,
        "corpus": "wire",
        "outlet": outlet,
        "date": date,
        "title": title,
        "lead": lead,
        "body": body,
        "url": url,
        "source_file": "wire.json",
        "source_record": record,
    }


def _table() -> pd.DataFrame:
    """Copies linked by id (one month, two parts), by URL (across outlets and months), by
    text (within an outlet, across months; not across outlets), a chain id~url~text, a
    kept row with an empty lead and no date filled from a later copy, short texts that
    repeat but do not link, and singletons."""
    rows = [
        _row("wire:A:1", "A", "2024-01-03", _text(1)),
        _row("wire:A:2", "A", "2024-01-04", _text(2), url="https://a.example/n/2"),
        _row("wire:B:3", "B", "2024-02-01", _text(3), url="https://A.example/n/2/#top"),
        _row("wire:A:4", "A", "2024-01-09", _text(4)),
        _row("wire:A:5", "A", "2024-03-09", _text(4)),  # text of 4, other month
        _row("wire:B:6", "B", "2024-01-09", _text(4)),  # text of 4, other outlet: kept apart
        _row("wire:A:7", "A", None, _text(7), lead=""),
        _row("wire:A:7", "A", "2024-02-02", _text(7), lead="مقدمة"),  # id of the above
        _row("wire:A:8", "A", "2024-02-05", "نشرة الظهيرة"),
        _row("wire:A:9", "A", "2024-02-06", "نشرة الظهيرة"),  # short: not linked
        _row("wire:A:1", "A", "2024-01-03", _text(1)),  # id of the first, same month
        _row("wire:A:10", "A", "2024-03-01", _text(10), url="https://a.example/n/10"),
        _row("wire:A:11", "A", "2024-03-02", _text(11), url="https://a.example/n/10"),
        _row("wire:A:12", "A", "2024-01-20", _text(11)),  # text of 11: chain 10~11~12
    ]
    for number, row in enumerate(rows):
        row["source_record"] = number
    table = _articles_frame([]).iloc[:0]
    frame = pd.DataFrame(rows)
    frame["date"] = pd.to_datetime(frame["date"])
    frame["published"] = frame["date"].dt.tz_localize("UTC")
    for column in table.columns:
        if column not in frame:
            frame[column] = ""
    return frame[list(table.columns)].astype(table.dtypes.to_dict())


#: Which rows go to which partition: the two id copies of row 0 in two parts of a month,
#: partitions listed in an order other than the rows' (sequence decides the first copy).
LAYOUT = {
    "outlet=A/month=2024-03/part-00000.parquet": [4, 11, 12],
    "outlet=A/month=2024-01/part-00000.parquet": [0, 1, 3],
    "outlet=A/month=2024-01/part-00001.parquet": [10, 13],
    "outlet=A/month=unknown/part-00000.parquet": [6],
    "outlet=A/month=2024-02/part-00000.parquet": [7, 8, 9],
    "outlet=B/month=2024-01/part-00000.parquet": [5],
    "outlet=B/month=2024-02/part-00000.parquet": [2],
    "outlet=B/month=2024-04/part-00000.parquet": [],
}


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    return _table()


@pytest.fixture(scope="module")
def parts(tmp_path_factory, table) -> list:
    folder = tmp_path_factory.mktemp("store")
    paths = []
    for name, rows in LAYOUT.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        table.iloc[rows].assign(sequence=np.array(rows, dtype=np.int64)).to_parquet(path)
        paths.append(path)
    return paths


def _gathered(paths) -> pd.DataFrame:
    frame = pd.concat([pd.read_parquet(p) for p in paths], ignore_index=True)
    return frame.sort_values("sequence").drop(columns="sequence").reset_index(drop=True)


def test_the_fixture_links_every_way(table):
    """Guards the fixture: every relation collapses something."""
    collapsed = corpus.collapse_exact(table)
    reasons = set(",".join(collapsed["dup_reason"]).split(","))
    assert {"id", "url", "text"} <= reasons
    assert len(collapsed) == len(table) - 6


@pytest.mark.parametrize("engine", [LocalEngine(1), LocalEngine(2)], ids=repr)
def test_collapsed_partitions_equal_collapse_exact(tmp_path, parts, table, engine):
    written = collapse_partitions(parts, engine, tmp_path / "collapsed")
    assert [p.relative_to(tmp_path / "collapsed") for p in written] == [
        p.relative_to(parts[0].parents[2]) for p in parts
    ]
    expected = corpus.collapse_exact(table).reset_index(drop=True)
    assert_frame_equal(_gathered(written), expected)
    # the kept row of the undated copy took the date of its later copy, in its own part
    undated = pd.read_parquet(written[3])
    assert undated["date"].tolist() == [pd.Timestamp("2024-02-02")]
    assert undated["lead"].tolist() == ["مقدمة"]
    # the partition-wise steps now count each article once
    assert len(run_partitions(tokenize_partition, written, engine, fields=["body"])) == 8


@pytest.mark.parametrize(("text_scope", "min_words"), [("all", 20), ("corpus", 20), ("outlet", 1)])
def test_the_options_mean_what_they_mean_in_collapse_exact(
    tmp_path, parts, table, text_scope, min_words
):
    written = collapse_partitions(
        parts, LocalEngine(1), tmp_path / "c", text_scope=text_scope, min_words=min_words
    )
    expected = corpus.collapse_exact(table, text_scope=text_scope, min_words=min_words)
    assert_frame_equal(_gathered(written), expected.reset_index(drop=True))


@pytest.mark.parametrize("batch_rows", [1, 3])
def test_groups_collapsed_in_small_batches_give_the_same(tmp_path, parts, monkeypatch, batch_rows):
    from arabmedia.engine import _exact

    whole = collapse_partitions(parts, LocalEngine(1), tmp_path / "whole")
    monkeypatch.setattr(_exact, "_BATCH_ROWS", batch_rows)
    batched = collapse_partitions(parts, LocalEngine(2), tmp_path / "batched")
    for first, second in zip(whole, batched, strict=True):
        assert_frame_equal(pd.read_parquet(first), pd.read_parquet(second))


def test_the_dask_engine_gives_the_same_partitions(tmp_path, parts):
    with DaskEngine(n_workers=2, threads_per_worker=1) as engine:
        by_dask = collapse_partitions(parts, engine, tmp_path / "dask")
    local = collapse_partitions(parts, LocalEngine(1), tmp_path / "local")
    for first, second in zip(by_dask, local, strict=True):
        assert_frame_equal(pd.read_parquet(first), pd.read_parquet(second))


def test_without_sequence_the_partition_order_decides(tmp_path, table):
    halves = [table.iloc[7:], table.iloc[:7]]
    paths = []
    for number, half in enumerate(halves):
        paths.append(tmp_path / "in" / f"part-{number}.parquet")
        paths[-1].parent.mkdir(exist_ok=True)
        half.to_parquet(paths[-1])
    written = collapse_partitions(paths, LocalEngine(1), tmp_path / "out")
    gathered = pd.concat([pd.read_parquet(p) for p in written], ignore_index=True)
    expected = corpus.collapse_exact(pd.concat(halves, ignore_index=True))
    assert_frame_equal(gathered, expected.reset_index(drop=True))


def test_a_store_collapses_as_load_articles_does(tmp_path, monkeypatch):
    """End to end: a study whose copies are split over part files."""
    from dataclasses import replace

    from arabmedia.config import CorpusConfig, load_settings
    from arabmedia.corpus import _store

    records = [
        {
            "id": n % 7,
            "src": "A",
            "title": f"خبر {n % 7}",
            "body": _text(n % 7),
            "time": "2024-01-05",
        }
        for n in range(12)
    ]
    (tmp_path / "raw").mkdir()
    (tmp_path / "raw" / "a.json").write_text(json.dumps(records, ensure_ascii=False), "utf-8")
    mapping = {
        "doc_id": "id",
        "outlet": "src",
        "title": "title",
        "body": "body",
        "published": "time",
    }
    settings = load_settings(tmp_path).with_paths(cache_dir=tmp_path / "cache")
    settings = replace(
        settings, corpora=(CorpusConfig("wire", files=("raw/a.json",), mapping=mapping),)
    )
    folder = tmp_path / "store"
    monkeypatch.setattr(_store, "PART_ROWS", 3)
    corpus.write_store(settings, folder, batch_size=2, progress=False)
    parts = corpus.store_part_files(folder)
    assert len(parts) == 3  # of one month: rows 0-3, 4-7, 8-11, copies of 0-6 among them
    with pytest.raises(ValueError, match="more than one partition"):
        run_partitions(tokenize_partition, parts, LocalEngine(1), fields=["body"])
    written = collapse_partitions(parts, LocalEngine(1), tmp_path / "collapsed")
    expected = corpus.load_articles(settings)
    assert_frame_equal(_gathered(written), expected)


def test_bad_input_is_named(tmp_path, parts, table):
    with pytest.raises(ValueError, match="is not below"):
        collapse_partitions(parts, LocalEngine(1), tmp_path / "z", root=tmp_path / "elsewhere")
    with pytest.raises(ValueError, match="listed twice"):
        collapse_partitions([parts[0], parts[0]], LocalEngine(1), tmp_path / "x")
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "file").write_text("x")
    with pytest.raises(FileExistsError, match="not empty"):
        collapse_partitions(parts, LocalEngine(1), tmp_path / "full")
    done = collapse_partitions(parts[:1], LocalEngine(1), tmp_path / "once")
    with pytest.raises(ValueError, match="already has dup_count"):
        exact_keys_partition(done[0])
    empty_id = tmp_path / "empty-id.parquet"
    table.assign(doc_id=["", *table["doc_id"].tolist()[1:]]).to_parquet(empty_id)
    with pytest.raises(ValueError, match="empty doc_id"):
        collapse_partitions([empty_id], LocalEngine(1), tmp_path / "y")
    assert not (tmp_path / "y").exists()
