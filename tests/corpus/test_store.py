"""The partitioned article store: written by streaming, read back as load_study's tables."""

import json
import os
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from arabmedia.config import CorpusConfig, load_settings
from arabmedia.corpus import (
    ARTICLE_COLUMNS,
    PARTITION_COLUMNS,
    NothingLoadedError,
    _store,
    deduplicate,
    load_articles,
    load_study,
    read_store,
    store_folder,
    store_partitions,
    store_problems,
    store_rejects,
    write_store,
)
from arabmedia.io import remove_abandoned, temporary_folder

MAPPING = {"doc_id": "id", "outlet": "src", "title": "title", "body": "body", "published": "time"}
SLASHED = "الوطن/Al Watan"  # an outlet name that is no valid path segment as it is


def _record(number, outlet, month, title=None, day=5):
    time = f"2024-{month:02d}-{day:02d}T10:00:00+03:00" if month else "not a date"
    return {
        "id": number,
        "src": outlet,
        "title": title or f"خبر رقم {number} من {outlet}",
        "body": f"نص الخبر {number}\nفقرة ثانية",
        "time": time,
    }


@pytest.fixture
def study(tmp_path):
    """Two corpora over four files: outlets A and B share source id 1 (and 2), B lists id 7
    twice with the same text and id 8 twice with different texts, one record has no text,
    one line of a JSONL file is no JSON, one record is undated, dates span three months;
    a second corpus (CSV, outlet from the study) reuses the ids 1 and 2."""
    raw = tmp_path / "raw"
    (raw / "wire").mkdir(parents=True)
    a = [_record(n, "A", 1 + n % 3, day=n) for n in range(1, 7)] + [_record(9, "A", 0)]
    b = [_record(1, "B", 2), _record(7, "B", 3, "عنوان مكرر"), _record(8, "B", 3, "نص أول")]
    b += [{"id": 10, "src": "B", "title": "", "body": " ", "time": "2024-02-02"}]
    b += [_record(7, "B", 3, "عنوان مكرر"), _record(8, "B", 1, "نص آخر"), _record(2, "B", 2)]
    (raw / "wire" / "a.json").write_text(json.dumps(a, ensure_ascii=False), "utf-8")
    (raw / "wire" / "b.json").write_text(json.dumps(b, ensure_ascii=False), "utf-8")
    lines = [json.dumps(_record(n, SLASHED, 2), ensure_ascii=False) for n in (11, 12)]
    lines.insert(1, "{not json")
    (raw / "wire" / "c.jsonl").write_text("\n".join(lines) + "\n", "utf-8")
    (raw / "notes.csv").write_text(
        "id,title,time\n1,ملاحظة أولى,2024-03-01\n2,ملاحظة ثانية,2024-03-02\n", "utf-8"
    )
    corpora = (
        CorpusConfig("wire", files=("raw/wire/*",), mapping=MAPPING),
        CorpusConfig(
            "notes",
            files=("raw/notes.csv",),
            outlet="Notes",
            mapping={"doc_id": "id", "title": "title", "published": "time"},
        ),
    )
    settings = load_settings(tmp_path).with_paths(cache_dir=tmp_path / "cache")
    return replace(settings, corpora=corpora)


def test_the_fixture_holds_every_trap(study):
    """The traps the store must reproduce are really in the study (guards the fixture)."""
    result = load_study(study)
    ids = set(result.articles["doc_id"])
    assert {"wire:A:1", "wire:B:1", "wire:A:2", "wire:B:2", "notes:1", "notes:2"} <= ids
    problems = result.problems["problem"].value_counts().to_dict()
    assert problems == {"duplicate id": 2, "unparseable date": 1}
    assert len(result.rejects) == 2
    assert result.articles["date"].dt.strftime("%Y-%m").nunique() == 3


@pytest.mark.parametrize(
    ("batch_size", "part_rows", "open_parts"),
    [(5000, _store.PART_ROWS, 64), (1, 2, 1), (3, 4, 2)],
    ids=["one-batch", "row-by-row", "small-batches"],
)
def test_the_store_reads_back_as_load_study(
    study, tmp_path, monkeypatch, batch_size, part_rows, open_parts
):
    monkeypatch.setattr(_store, "PART_ROWS", part_rows)
    monkeypatch.setattr(_store, "_OPEN_PARTS", open_parts)
    folder = tmp_path / "store"
    partitions = write_store(study, folder, batch_size=batch_size, progress=False)
    expected = load_study(study)
    pd.testing.assert_frame_equal(read_store(folder), expected.articles, check_dtype=True)
    pd.testing.assert_frame_equal(store_rejects(folder), expected.rejects, check_dtype=True)
    pd.testing.assert_frame_equal(store_problems(folder), expected.problems, check_dtype=True)
    pd.testing.assert_frame_equal(store_partitions(folder), partitions)
    marker = json.loads((folder / "store.json").read_text("utf-8"))
    assert marker["n_read"] == expected.n_read == marker["n_articles"] + marker["n_rejects"]
    files = sorted(folder.glob("corpus=*/outlet=*/month=*/part-*.parquet"))
    for path in files:  # streamed: no row group holds more than a batch
        assert pq.read_table(path).column_names == [*ARTICLE_COLUMNS, "sequence"]
        metadata = pq.ParquetFile(path).metadata
        sizes = [metadata.row_group(i).num_rows for i in range(metadata.num_row_groups)]
        assert max(sizes) <= batch_size
        if batch_size < 5000:
            assert sum(sizes) <= max(part_rows, batch_size) + batch_size


def test_partitions_name_corpus_outlet_and_month(study, tmp_path):
    folder = tmp_path / "store"
    partitions = write_store(study, folder, progress=False)
    assert list(partitions.columns) == list(PARTITION_COLUMNS)
    articles = load_study(study).articles
    month = articles["date"].dt.strftime("%Y-%m").fillna("unknown").rename("month")
    counts = articles.groupby(["corpus", "outlet", month]).size().rename("n_articles")
    expected = counts.reset_index().sort_values(["corpus", "outlet", "month"], ignore_index=True)
    pd.testing.assert_frame_equal(
        partitions.drop(columns="path"), expected, check_dtype=False, check_index_type=False
    )
    assert partitions["n_articles"].dtype == "int64"
    assert "corpus=wire/outlet=A/month=unknown" in set(partitions["path"])
    slashed = partitions.loc[partitions["outlet"] == SLASHED, "path"].tolist()
    assert slashed == ["corpus=wire/outlet=%D8%A7%D9%84%D9%88%D8%B7%D9%86%2FAl Watan/month=2024-02"]
    for row in partitions.itertuples():
        part = read_store(folder, partitions=[row.path])
        assert len(part) == row.n_articles
        assert set(part["corpus"]) == {row.corpus} and set(part["outlet"]) == {row.outlet}


def test_read_store_selects_columns_and_partitions_in_load_study_order(study, tmp_path):
    folder = tmp_path / "store"
    partitions = write_store(study, folder, progress=False)
    articles = load_study(study).articles
    chosen = partitions[partitions["outlet"].isin(["B", "Notes"])]["path"]
    part = read_store(folder, columns=["title", "doc_id", "date"], partitions=chosen)
    expected = articles.loc[articles["outlet"].isin(["B", "Notes"]), ["title", "doc_id", "date"]]
    pd.testing.assert_frame_equal(part, expected.reset_index(drop=True), check_dtype=True)
    with pytest.raises(ValueError, match=r"no column\(s\) \['nope'\]"):
        read_store(folder, columns=["title", "nope"])
    with pytest.raises(ValueError, match=r"no partition\(s\) \['corpus=x'\]"):
        read_store(folder, partitions=["corpus=x"])


def test_the_default_store_is_keyed_by_the_inputs_and_reused(study):
    partitions = write_store(study, progress=False)
    folder = store_folder(study)
    assert folder.parent == study.cache_dir / "store" and (folder / "store.json").is_file()
    written = (folder / "store.json").stat().st_mtime_ns
    pd.testing.assert_frame_equal(write_store(study, progress=False), partitions)
    assert (folder / "store.json").stat().st_mtime_ns == written  # reused, not rewritten
    path = study.root / "raw" / "notes.csv"
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 10**9))
    assert store_folder(study) != folder  # a changed raw file: another store
    write_store(study, progress=False)
    assert sorted(p.name for p in folder.parent.iterdir()) == sorted(
        [folder.name, store_folder(study).name]
    )


def test_an_explicit_folder_is_replaced_only_when_it_holds_a_store(study, tmp_path):
    folder = tmp_path / "mine"
    write_store(study, folder, progress=False)
    notes_only = replace(study, corpora=study.corpora[1:])
    write_store(notes_only, folder, progress=False)  # another study: replaced
    assert set(read_store(folder)["corpus"]) == {"notes"}
    other = tmp_path / "data"
    other.mkdir()
    (other / "keep.txt").write_text("mine")
    with pytest.raises(FileExistsError, match="holds no article store"):
        write_store(study, other, progress=False)
    assert [p.name for p in other.iterdir()] == ["keep.txt"]
    assert not [p for p in tmp_path.iterdir() if p.name.startswith((".tmp-", ".old-"))]


def test_a_missing_or_incomplete_store_is_an_error_naming_it(study, tmp_path):
    with pytest.raises(FileNotFoundError, match="nope: no complete article store"):
        store_partitions(tmp_path / "nope")
    folder = tmp_path / "store"
    write_store(study, folder, progress=False)
    (folder / "store.json").unlink()  # as if the write had stopped before its end
    for read in (store_partitions, read_store, store_rejects, store_problems):
        with pytest.raises(FileNotFoundError, match=f"{folder}: no complete article store"):
            read(folder)


def test_a_failing_read_leaves_no_store(study, tmp_path):
    mapping = {**MAPPING, "url": "link"}  # no record has "link": a ValueError naming it
    broken = replace(study, corpora=(replace(study.corpora[0], mapping=mapping),))
    with pytest.raises(ValueError, match="'link' \\(for url\\)"):
        write_store(broken, tmp_path / "store", progress=False)
    assert not (tmp_path / "store").exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".tmp-")]
    with pytest.raises(ValueError, match="batch_size"):
        write_store(study, tmp_path / "store", batch_size=0, progress=False)


def test_a_killed_writer_s_folder_is_removed_by_the_next_write(study, tmp_path):
    """A writer killed mid-write (no exception handler runs) leaves its temporary folder; the
    next write of that store on this machine removes it, and leaves live writers' alone."""
    import signal
    import subprocess
    import sys

    folder = tmp_path / "store"
    killed = (
        "import os, signal, sys\n"
        "from arabmedia.io import temporary_folder\n"
        "(temporary_folder(sys.argv[1]) / 'part.parquet').write_bytes(b'half')\n"
        "os.kill(os.getpid(), signal.SIGKILL)\n"
    )
    run = subprocess.run([sys.executable, "-c", killed, str(folder)], check=False)
    assert run.returncode == -signal.SIGKILL
    (left,) = [p for p in tmp_path.iterdir() if p.name.startswith(".tmp-store.")]
    live = temporary_folder(folder)  # this process: a writer still at work
    elsewhere = tmp_path / ".tmp-store.other_host-1.abc"  # another machine's: not checkable
    elsewhere.mkdir()
    write_store(study, folder, progress=False)
    assert not left.exists() and live.is_dir() and elsewhere.is_dir()
    assert remove_abandoned(folder) == []
    assert read_store(folder).equals(load_study(study).articles)


def test_load_articles_is_the_store_deduplicated(study):
    articles = load_articles(study)
    expected = deduplicate(load_study(study).articles, near=False, disable_progress=True)
    pd.testing.assert_frame_equal(articles, expected.reset_index(drop=True), check_dtype=True)
    assert (store_folder(study) / "store.json").is_file()


def test_an_all_rejected_study_gives_an_empty_store(study, tmp_path):
    (tmp_path / "raw" / "empty.csv").write_text("id,title,time\n1,,2024-01-01\n", "utf-8")
    corpus = replace(study.corpora[1], files=("raw/empty.csv",))
    empty = replace(study, corpora=(corpus,))
    folder = tmp_path / "store"
    assert write_store(empty, folder, progress=False).empty
    expected = load_study(empty)
    pd.testing.assert_frame_equal(read_store(folder), expected.articles, check_dtype=True)
    pd.testing.assert_frame_equal(store_rejects(folder), expected.rejects, check_dtype=True)
    with pytest.raises(NothingLoadedError, match="read 1, loaded 0, rejected 1"):
        load_articles(empty)


def test_the_store_module_keys_the_article_cache(study, tmp_path, monkeypatch):
    load_articles(study)
    edited = tmp_path / "_store.py"
    edited.write_bytes(Path(_store.__file__).read_bytes() + b"\n# an edit of the store code\n")
    monkeypatch.setattr(_store, "__file__", str(edited))
    load_articles(study)
    assert len(list((study.cache_dir / "articles").glob("*.parquet"))) == 2
    assert len(list((study.cache_dir / "store").iterdir())) == 2
