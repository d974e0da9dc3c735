"""The environment matches environment.yml, and the builder refuses what pip cannot build."""

import importlib.metadata
import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
spec = importlib.util.spec_from_file_location("build_env", ROOT / "tools" / "build_env.py")
build_env = importlib.util.module_from_spec(spec)
spec.loader.exec_module(build_env)

GOOD = """name: demo
channels:
  - conda-forge
dependencies:
  - python=3.11
  - pip
  - pip:
      - numpy==2.4.6  # direct
      - torch==2.13.0
"""


def test_parse_environment_reads_python_and_pins():
    version, pins = build_env.parse_environment(GOOD)
    assert version == "3.11"
    assert pins == ["numpy==2.4.6", "torch==2.13.0"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (GOOD.replace("  - pip\n", "  - pip\n  - r-base=4.3\n"), "conda-only entry 'r-base=4.3'"),
        (GOOD.replace("numpy==2.4.6", "numpy>=2"), "not an exact pin"),
        (GOOD.replace("  - python=3.11\n", ""), "no 'python=X.Y'"),
        (GOOD.split("  - pip:")[0], "empty or missing 'pip:'"),
    ],
)
def test_parse_environment_refuses_what_pip_cannot_build(text, message):
    with pytest.raises(build_env.EnvSpecError, match=message):
        build_env.parse_environment(text, "env.yml")


def test_wrong_python_version_is_refused(monkeypatch):
    monkeypatch.setattr(build_env.shutil, "which", lambda name: None)
    with pytest.raises(build_env.EnvSpecError, match=r"pins python=2\.7"):
        build_env.find_interpreter("2.7")


def test_local_build_tag_matches_plain_pin():
    assert build_env.version_matches("2.13.0", "2.13.0+cpu")
    assert not build_env.version_matches("2.13.0", "2.13.1")
    assert not build_env.version_matches("2.13.0+cu121", "2.13.0+cpu")


def test_installed_versions_equal_the_pins():
    """Every package pinned in environment.yml is installed at exactly that version."""
    python, pins = build_env.parse_environment((ROOT / "environment.yml").read_text("utf-8"))
    assert sys.version.startswith(python + ".")
    installed = {
        build_env.canonical(d.metadata["Name"]): d.version
        for d in importlib.metadata.distributions()
    }
    assert build_env.mismatches(build_env.pin_map(pins), installed) == []


def test_builder_reports_up_to_date_without_building(capsys):
    assert build_env.main(["--check"]) == 0
    assert "up to date" in capsys.readouterr().out
