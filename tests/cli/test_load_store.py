"""`arabmedia load --store [DIR]`: the study's corpora streamed into an article store."""

import re

import pandas as pd
import pytest
from synthetic_study import CORPUS_TOML, write_corpus

from arabmedia.cli import EXIT_FAILED, EXIT_OK, EXIT_USAGE, main
from arabmedia.config import load_settings
from arabmedia.corpus import (
    load_study,
    read_store,
    store_folder,
    store_partitions,
    store_problems,
    store_rejects,
)


@pytest.fixture
def study(tmp_path):
    """The twelve-outlet synthetic corpus (shared ids across outlets, a record listed twice,
    a cp1256 CSV, unparseable dates, a record without text) as a study folder."""
    folder = tmp_path / "study"
    write_corpus(folder / "raw", per_file=12)
    (folder / "arabmedia.toml").write_text(CORPUS_TOML, "utf-8")
    return folder


def _counts(text: str) -> dict[str, int]:
    found = re.search(
        r"store: (\d+) partitions, (\d+) articles, (\d+) rejects, (\d+) problems -> (.+)", text
    )
    assert found, text
    names = ("partitions", "articles", "rejects", "problems")
    return {**dict(zip(names, map(int, found.groups()[:4]), strict=True)), "folder": found[5]}


def test_load_store_writes_the_default_store(study, capsys):
    assert main(["load", "--store", "--study", str(study), "--quiet"]) == EXIT_OK
    settings = load_settings(study)
    folder = store_folder(settings)
    expected = load_study(settings)
    counts = _counts(capsys.readouterr().out)
    assert counts == {
        "partitions": len(store_partitions(folder)),
        "articles": len(expected.articles),
        "rejects": len(expected.rejects),
        "problems": len(expected.problems),
        "folder": str(folder),
    }
    assert counts["rejects"] > 0 and counts["problems"] > 0
    pd.testing.assert_frame_equal(read_store(folder), expected.articles, check_dtype=True)
    pd.testing.assert_frame_equal(store_rejects(folder), expected.rejects, check_dtype=True)
    pd.testing.assert_frame_equal(store_problems(folder), expected.problems, check_dtype=True)
    # Shared source ids got their outlet, as in load_study: the store reproduced that.
    assert read_store(folder)["doc_id"].str.count(":").max() == 2


def test_load_store_into_a_folder(study, tmp_path, capsys):
    target = tmp_path / "out" / "store"
    assert main(["load", "--store", str(target), "--study", str(study), "--quiet"]) == EXIT_OK
    assert _counts(capsys.readouterr().out)["folder"] == str(target)
    expected = load_study(load_settings(study)).articles
    pd.testing.assert_frame_equal(read_store(target), expected, check_dtype=True)


def test_load_store_refuses_files_and_foreign_folders(study, tmp_path, capsys):
    source = tmp_path / "mine.json"
    source.write_text("[]", "utf-8")
    args = ["--study", str(study), "--quiet"]
    assert main(["load", str(source), "--store", str(tmp_path / "s"), *args]) == EXIT_FAILED
    assert "takes no files" in capsys.readouterr().err
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("mine", "utf-8")
    assert main(["load", "--store", str(foreign), *args]) == EXIT_FAILED
    assert "holds no article store" in capsys.readouterr().err
    with pytest.raises(SystemExit) as raised:
        main(["load", "--store", "--out", str(tmp_path / "o"), *args])
    assert raised.value.code == EXIT_USAGE
