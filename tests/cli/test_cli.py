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
    assert "read 3, loaded 1, rejected 2, problems 0 (1 after deduplication)" in (
        capsys.readouterr().out
    )
    assert (tmp_path / "out" / "problems.csv").exists()
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


def test_nothing_loaded_fails_with_the_reasons_on_stderr(tmp_path, capsys):
    source = tmp_path / "a.jsonl"
    source.write_text('{"title": "عنوان"}\n', encoding="utf-8")
    code = main(["load", str(source), "--out", str(tmp_path / "o"), "--quiet"])
    assert code == EXIT_FAILED
    err = capsys.readouterr().err
    assert "nothing loaded" in err and "1 rejected: no outlet given" in err
    assert not (tmp_path / "o").exists()


def test_a_mistyped_path_is_a_missing_file(tmp_path, capsys):
    code = main(["load", str(tmp_path / "typo.json"), "--out", str(tmp_path / "o")])
    assert code == EXIT_FAILED
    err = capsys.readouterr().err
    assert "no such file" in err and "typo.json" in err and "corpus" not in err


def test_cp1256_is_named_and_read_with_the_encoding_option(tmp_path, capsys):
    source = tmp_path / "win.csv"
    source.write_bytes("title,outlet\nعنوان الخبر,صحيفة\n".encode("cp1256"))
    out = ["--out", str(tmp_path / "o"), "--quiet"]
    assert main(["load", str(source), *out]) == EXIT_FAILED
    assert 'set encoding = "cp1256"' in capsys.readouterr().err
    assert main(["load", str(source), "--encoding", "cp1256", *out]) == EXIT_OK
    articles = pd.read_parquet(tmp_path / "o" / "articles.parquet")
    assert articles["title"].tolist() == ["عنوان الخبر"]


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
