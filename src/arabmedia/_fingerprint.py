"""A fingerprint of the code that computes something, to key on-disk caches by.

A cache keyed only by its inputs serves stale results once the code that made them
changes.  :func:`code_fingerprint` hashes the source of the project modules that compute a
cached value, the data files they read and the installed versions of the libraries they
call, so editing any of them, or upgrading a library, selects another cache file.
"""

from __future__ import annotations

import hashlib
import platform
from collections.abc import Iterable
from importlib import metadata
from pathlib import Path
from types import ModuleType

PACKAGE_DIR = Path(__file__).resolve().parent


def _library_version(distribution: str) -> str:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return "not installed"


def code_fingerprint(
    modules: Iterable[ModuleType],
    libraries: Iterable[str] = (),
    data_files: Iterable[str | Path] = (),
) -> str:
    """sha256 over the Python version, each module's name and source bytes, each data
    file's bytes and each library's installed version (distribution names, e.g. "pandas")."""
    digest = hashlib.sha256(f"python {platform.python_version()}".encode())
    parts = [(module.__name__, Path(module.__file__).read_bytes()) for module in modules]
    parts += [(Path(path).name, Path(path).read_bytes()) for path in data_files]
    parts += [(name, _library_version(name).encode()) for name in libraries]
    for label, content in parts:
        for part in (label.encode("utf-8"), content):
            digest.update(len(part).to_bytes(8, "little"))
            digest.update(part)
    return digest.hexdigest()


def package_fingerprint(
    folder: str | Path = PACKAGE_DIR,
    distributions: Iterable[tuple[str, str]] | None = None,
) -> str:
    """sha256 over every file under ``folder`` (sorted relative paths and bytes, no
    ``__pycache__``) and the (name, version) of every installed distribution (default: all
    of this environment's), for caches of steps whose code paths are too many to list."""
    folder = Path(folder)
    if distributions is None:
        distributions = (
            (d.metadata["Name"].lower(), d.version)
            for d in metadata.distributions()
            if d.metadata["Name"]
        )
    digest = hashlib.sha256(b"package")
    files = sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    for path in files:
        for part in (str(path.relative_to(folder)).encode("utf-8"), path.read_bytes()):
            digest.update(len(part).to_bytes(8, "little"))
            digest.update(part)
    versions = "\n".join(sorted(f"{name}=={version}" for name, version in distributions))
    digest.update(versions.encode())
    return digest.hexdigest()
