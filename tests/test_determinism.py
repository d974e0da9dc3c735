"""Two runs of a notebook give byte-identical notebooks, figures and tables.

The notebook runs twice on a small corpus (one month of the two news outlets), each time
writing figures and tables to its own folder, and every written byte is compared.
The notebook text is compared after the sanitize file's substitutions, the only
output allowed to differ between runs.
"""

import configparser
import re
from pathlib import Path

import pytest

from arabmedia.cli import execute_notebook
from arabmedia.config import load_settings

SETTINGS = load_settings()
NOTEBOOKS = SETTINGS.root / "notebooks"


def _sanitized(text: str) -> str:
    config = configparser.ConfigParser()
    config.read(NOTEBOOKS / "sanitize.cfg")
    for section in config.sections():
        text = re.sub(config[section]["regex"], config[section]["replace"], text)
    return text


def _run(notebook: str, parameters: dict, out: Path, monkeypatch) -> dict[str, bytes]:
    monkeypatch.setenv("ARABMEDIA_FIGURES_DIR", str(out / "figures"))
    monkeypatch.setenv("ARABMEDIA_TABLES_DIR", str(out / "tables"))
    executed = execute_notebook(NOTEBOOKS / notebook, out / notebook, parameters, progress=False)
    files = {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}
    files[executed.name] = _sanitized(executed.read_text("utf-8")).encode()
    return files


@pytest.mark.corpora
@pytest.mark.skipif(not SETTINGS.raw_dir.is_dir(), reason="run `arabmedia fetch` first")
def test_two_runs_are_byte_identical(tmp_path, monkeypatch):
    parameters = {
        "corpora": ["almayadeen", "aljazeera"],
        "date_from": "2023-11-01",
        "date_to": "2023-11-30",
    }
    first = _run("00_corpus.ipynb", parameters, tmp_path / "first", monkeypatch)
    second = _run("00_corpus.ipynb", parameters, tmp_path / "second", monkeypatch)
    assert any(name.endswith(".pdf") for name in first)
    assert any(name.endswith(".csv") for name in first)
    assert sorted(first) == sorted(second)
    different = [name for name in first if first[name] != second[name]]
    assert not different
