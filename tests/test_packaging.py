"""The package: its pins agree with environment.yml, and a wheel works on its own."""

import ast
import importlib.metadata
import importlib.util
import re
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
spec = importlib.util.spec_from_file_location("build_env", ROOT / "tools" / "build_env.py")
build_env = importlib.util.module_from_spec(spec)
spec.loader.exec_module(build_env)


def _name(distribution: str) -> str:
    """PEP 503 normalized distribution name."""
    return re.sub(r"[-_.]+", "-", distribution).lower()


def _exact_pins(requirements: list[str]) -> dict[str, str]:
    pins = {}
    for requirement in requirements:
        match = re.fullmatch(r"([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;,]+)", requirement)
        assert match, f"pyproject.toml: {requirement!r} is not an exact name==version pin"
        pins[_name(match.group(1))] = match.group(2)
    return pins


RUNTIME = _exact_pins(PYPROJECT["dependencies"])
TEST_ONLY = _exact_pins(PYPROJECT["optional-dependencies"]["test"])


def test_every_pyproject_pin_agrees_with_environment_yml():
    _, pins = build_env.parse_environment((ROOT / "environment.yml").read_text("utf-8"))
    environment = _exact_pins(pins)
    assert RUNTIME and TEST_ONLY and not set(RUNTIME) & set(TEST_ONLY)
    for name, version in {**RUNTIME, **TEST_ONLY}.items():
        assert environment.get(name) == version, (
            f"pyproject.toml pins {name}=={version}, environment.yml "
            + (f"pins {environment[name]}" if name in environment else "does not pin it")
        )


def test_every_library_the_package_imports_is_a_runtime_dependency():
    imported = set()
    for path in (ROOT / "src" / "arabmedia").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_bytes())):
            if isinstance(node, ast.Import):
                imported |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                imported.add(node.module.split(".")[0])
    third_party = imported - set(sys.stdlib_module_names) - {"arabmedia", "__future__"}
    providers = importlib.metadata.packages_distributions()
    undeclared = {
        module: providers.get(module)
        for module in third_party
        if not {_name(d) for d in providers.get(module, [])} & set(RUNTIME)
    }
    assert not undeclared, f"imported but not in [project] dependencies: {undeclared}"


@pytest.mark.wheel
def test_wheel_alone_ships_the_default_lexicons(tmp_path):
    source = _mkdir(tmp_path / "source")  # a copy: building never writes into the checkout
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy2(ROOT / name, source / name)
    shutil.copytree(
        ROOT / "src", source / "src", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info")
    )
    wheels = tmp_path / "wheels"
    offline = ["--no-deps", "--no-build-isolation", "--no-index", "--quiet"]
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", *offline, "-w", str(wheels), str(source)],
        check=True,
        timeout=120,
    )
    (wheel,) = wheels.glob("arabmedia-*.whl")
    unpacked = tmp_path / "unpacked"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(unpacked)
    elsewhere = _mkdir(tmp_path / "elsewhere")
    probe = (
        "import arabmedia, arabmedia.lexicons as lexicons\n"
        "terms = lexicons.load_term_sets('gaza_war')\n"
        "print(arabmedia.__file__, lexicons.LEXICON_DIR, len(terms.concepts), sep='\\n')\n"
    )
    environment = {"PYTHONPATH": str(unpacked), "PATH": "/usr/bin:/bin"}
    result = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=elsewhere,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    module_file, lexicon_dir, n_concepts = result.stdout.split("\n")[:3]
    assert Path(module_file).is_relative_to(unpacked)
    assert Path(lexicon_dir).is_relative_to(unpacked)
    assert int(n_concepts) > 0


def _mkdir(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path
