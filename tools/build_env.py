"""Build or check the project's virtual environment from environment.yml.

environment.yml (conda format) is the single source of truth.  Where conda
cannot run, this script builds ``.venv`` from its ``pip:`` section with uv:

    python3 tools/build_env.py            # build if missing or out of date
    python3 tools/build_env.py --check    # exit 1 if not up to date, build nothing

It refuses conda-only entries (they would be silently missing from a pip
build) and an interpreter whose version differs from the ``python=`` pin.
When every pin is already installed it does nothing.  Standard library only,
because it runs before the environment exists.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KERNEL_NAME = "arabmedia"


class EnvSpecError(ValueError):
    """environment.yml cannot be built with pip."""


def parse_environment(text: str, source: str = "environment.yml") -> tuple[str, list[str]]:
    """Return (python version, pip requirement lines) from a conda environment file.

    Only the shape this project uses is accepted: ``python=X.Y``, ``pip`` and a
    ``pip:`` list of exact ``name==version`` pins.  Anything else is an error
    that names the line.
    """
    python_version = None
    pins: list[str] = []
    section = None
    in_pip = False
    for lineno, raw in enumerate(text.splitlines(), start=1):
        line = raw.split(" #", 1)[0].rstrip() if not raw.lstrip().startswith("#") else ""
        if not line.strip():
            continue
        indent = len(line) - len(line.lstrip())
        stripped = line.strip()
        if indent == 0:
            section = stripped.split(":", 1)[0]
            in_pip = False
            continue
        if section != "dependencies":
            continue
        if not stripped.startswith("- "):
            raise EnvSpecError(f"{source}:{lineno}: expected a list entry, got {stripped!r}")
        entry = stripped[2:].strip()
        if entry == "pip:":
            in_pip = True
            pip_indent = None
            continue
        if in_pip:
            if pip_indent is None:
                pip_indent = indent
            if indent >= pip_indent and indent > 2:
                if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*==[A-Za-z0-9.+!_-]+", entry):
                    raise EnvSpecError(
                        f"{source}:{lineno}: pip entry {entry!r} is not an exact pin name==version"
                    )
                pins.append(entry)
                continue
            in_pip = False
        match = re.fullmatch(r"python\s*=+\s*([0-9.]+)", entry)
        if match:
            python_version = match.group(1)
        elif entry != "pip":
            raise EnvSpecError(
                f"{source}:{lineno}: conda-only entry {entry!r} cannot be built with pip; "
                "move it under 'pip:' with an exact pin"
            )
    if python_version is None:
        raise EnvSpecError(f"{source}: no 'python=X.Y' entry under dependencies")
    if not pins:
        raise EnvSpecError(f"{source}: empty or missing 'pip:' section")
    return python_version, pins


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pin_map(pins: list[str]) -> dict[str, str]:
    return {canonical(p.split("==")[0]): p.split("==")[1] for p in pins}


def version_matches(pinned: str, installed: str) -> bool:
    """A pin without a local segment accepts any local build (2.13.0 ~ 2.13.0+cpu)."""
    return installed == pinned or ("+" not in pinned and installed.split("+")[0] == pinned)


def mismatches(pins: dict[str, str], installed: dict[str, str]) -> list[str]:
    """Human-readable differences between pins and installed distributions."""
    problems = []
    for name, version in sorted(pins.items()):
        have = installed.get(name)
        if have is None:
            problems.append(f"{name}=={version}: not installed")
        elif not version_matches(version, have):
            problems.append(f"{name}=={version}: installed {have}")
    return problems


def venv_python(venv: Path) -> Path:
    return venv / "bin" / "python"


def installed_versions(python: Path) -> dict[str, str]:
    code = (
        "import json, importlib.metadata as m;"
        "print(json.dumps({d.metadata['Name']: d.version for d in m.distributions()}))"
    )
    out = subprocess.run([str(python), "-c", code], check=True, capture_output=True, text=True)
    return {canonical(k): v for k, v in json.loads(out.stdout).items()}


def project_installed(python: Path) -> bool:
    """The package is importable from this checkout and the kernel is registered."""
    code = (
        "import arabmedia, sys, pathlib;"
        "k = pathlib.Path(sys.prefix, 'share/jupyter/kernels', sys.argv[2], 'kernel.json');"
        "ok = pathlib.Path(arabmedia.__file__).resolve().is_relative_to(pathlib.Path(sys.argv[1]))"
        " and k.exists() and sys.executable in k.read_text();"
        "sys.exit(0 if ok else 1)"
    )
    result = subprocess.run(
        [str(python), "-c", code, str(ROOT / "src"), KERNEL_NAME], capture_output=True
    )
    return result.returncode == 0


def find_interpreter(version: str) -> str:
    """An interpreter of exactly the pinned minor version, or an error."""
    if ".".join(map(str, sys.version_info[:2])) == version:
        return sys.executable
    candidate = shutil.which(f"python{version}")
    if candidate:
        return candidate
    raise EnvSpecError(
        f"environment.yml pins python={version} but this is Python "
        f"{sys.version_info.major}.{sys.version_info.minor} and no python{version} is on PATH"
    )


def pip_find_links(python: str) -> list[str]:
    """uv options for the local wheel folders pip is configured with (uv ignores pip.conf)."""
    out = subprocess.run(
        [python, "-m", "pip", "config", "list"], capture_output=True, text=True
    ).stdout
    folders: list[str] = []
    for line in out.splitlines():
        key, _, value = line.partition("=")
        if not key.endswith("find-links"):
            continue
        for location in value.strip().strip("'\"").split():
            path = location.removeprefix("file://")
            if Path(path).is_dir() and path not in folders:
                folders.append(path)
    return [option for path in folders for option in ("--find-links", path)]


def build(venv: Path, python_version: str, pins: list[str]) -> None:
    interpreter = find_interpreter(python_version)
    if not venv_python(venv).exists():
        print(f"build_env: creating {venv} with {interpreter}", flush=True)
        subprocess.run([interpreter, "-m", "venv", str(venv)], check=True)
    py = str(venv_python(venv))
    uv_pin = next((p for p in pins if canonical(p.split("==")[0]) == "uv"), "uv")
    subprocess.run([py, "-m", "pip", "install", "--quiet", uv_pin], check=True)
    uv = [str(venv / "bin" / "uv"), "pip"]
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as handle:
        handle.write("\n".join(pins) + "\n")
        requirements = handle.name
    try:
        locations = pip_find_links(interpreter)
        subprocess.run([*uv, "install", "--python", py, *locations, "-r", requirements], check=True)
    finally:
        os.unlink(requirements)
    subprocess.run(
        [*uv, "install", "--python", py, "--no-deps", "--no-build-isolation", "-e", str(ROOT)],
        check=True,
    )
    subprocess.run(
        [
            py,
            "-m",
            "ipykernel",
            "install",
            "--sys-prefix",
            "--name",
            KERNEL_NAME,
            "--display-name",
            "Python (arabmedia)",
        ],
        check=True,
        capture_output=True,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--file", type=Path, default=ROOT / "environment.yml")
    parser.add_argument("--venv", type=Path, default=ROOT / ".venv")
    parser.add_argument("--check", action="store_true", help="report only; build nothing")
    args = parser.parse_args(argv)
    try:
        python_version, pins = parse_environment(args.file.read_text("utf-8"), str(args.file))
        pinned = pin_map(pins)
        problems = ["no environment yet"]
        if venv_python(args.venv).exists():
            problems = mismatches(pinned, installed_versions(venv_python(args.venv)))
            if not problems and not project_installed(venv_python(args.venv)):
                problems = ["arabmedia or its Jupyter kernel is not installed from this checkout"]
        if not problems:
            print(f"build_env: {args.venv} is up to date ({len(pins)} pins)")
            return 0
        print(
            "build_env: out of date: "
            + "; ".join(problems[:5])
            + (f" (+{len(problems) - 5} more)" if len(problems) > 5 else ""),
            flush=True,
        )
        if args.check:
            return 1
        build(args.venv, python_version, pins)
        left = mismatches(pinned, installed_versions(venv_python(args.venv)))
        if left:
            print("build_env: after install still different: " + "; ".join(left), file=sys.stderr)
            return 1
        print(f"build_env: {args.venv} built ({len(pins)} pins)")
        return 0
    except (EnvSpecError, OSError) as error:
        print(f"build_env: error: {error}", file=sys.stderr)
        return 2
    except subprocess.CalledProcessError as error:
        print(f"build_env: error: command failed: {' '.join(map(str, error.cmd))}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
