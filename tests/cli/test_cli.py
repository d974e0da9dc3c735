"""The command line: summary line, outputs, exit codes."""

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from arabmedia.cli import EXIT_FAILED, EXIT_OK, EXIT_USAGE, main

FIXTURES = Path(__file__).parents[1] / "fixtures" / "corpus"


def test_load_writes_articles_and_rejects(tmp_path, capsys):
    source = tmp_path / "mine.jsonl"
    source.write_text(
        '{"id": "1", "headline": "عنوان الخبر", "text": "نص الخبر هنا"}\n'
        '{"id": "2", "headline": "", "text": ""}\n'
        "{broken\n",
        encoding="utf-8",
    )
    mapping = '{"doc_id": "id", "title": "headline", "body": "text"}'
    args = ["load", str(source), "--corpus", "mine", "--outlet", "Test Outlet"]
    code = main([*args, "--mapping", mapping, "--quiet", "--out", str(tmp_path / "out")])
    assert code == EXIT_OK
    assert "read 3, loaded 1, rejected 2 (1 unique rows)" in capsys.readouterr().out
    articles = pd.read_parquet(tmp_path / "out" / "articles.parquet")
    rejects = pd.read_csv(tmp_path / "out" / "rejects.csv")
    assert articles["title"].tolist() == ["عنوان الخبر"]
    assert articles["outlet"].tolist() == ["Test Outlet"]
    assert sorted(rejects["source_record"].tolist()) == [1, 2]


def test_unknown_reader_fails_with_message(tmp_path, capsys):
    source = tmp_path / "a.json"
    source.write_text("[]", encoding="utf-8")
    code = main(["load", str(source), "--reader", "nope", "--out", str(tmp_path / "o")])
    assert code == EXIT_FAILED
    assert "unknown reader 'nope'" in capsys.readouterr().err


def test_usage_error_exit_code():
    with pytest.raises(SystemExit) as raised:
        main(["load"])  # --out is required
    assert raised.value.code == EXIT_USAGE


def test_python_dash_m_is_the_same_command():
    result = subprocess.run(
        [sys.executable, "-m", "arabmedia", "--help"], capture_output=True, text=True
    )
    assert result.returncode == 0
    assert "fetch" in result.stdout and "load" in result.stdout
