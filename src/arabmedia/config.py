"""Project settings from ``arabmedia.toml``, overridable by environment variables.

Settings are read once per call and returned as an immutable value: nothing is
kept in module-level state, so tests and notebooks can pass their own.

The study folder (``Settings.root``, against which every relative path is resolved) is,
when not given: ``$ARABMEDIA_ROOT`` when set (how a runner points notebooks at a study);
else the nearest folder, from the current working directory upward, that holds an
``arabmedia.toml`` (as git finds ``.git``), so notebooks running in ``notebooks/`` find
the repository root; else the current working directory.  The package itself may be
installed anywhere.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path

SETTINGS_FILE = "arabmedia.toml"
#: The keys ``arabmedia.toml`` may hold, per table; any other key is an error.
SETTINGS_KEYS = {
    "data": {"mirror", "raw_dir", "cache_dir"},
    "output": {"figures_dir", "tables_dir"},
    "run": {"corpora", "outlets"},
}

_ENV = {
    "mirror": "ARABMEDIA_MIRROR",
    "raw_dir": "ARABMEDIA_RAW_DIR",
    "cache_dir": "ARABMEDIA_CACHE_DIR",
    "figures_dir": "ARABMEDIA_FIGURES_DIR",
    "tables_dir": "ARABMEDIA_TABLES_DIR",
}


@dataclass(frozen=True)
class Settings:
    """Resolved, absolute paths and run options."""

    root: Path
    mirror: Path
    raw_dir: Path
    cache_dir: Path
    figures_dir: Path
    tables_dir: Path
    manifest: Path
    corpora: tuple[str, ...] = field(default_factory=tuple)
    outlets: dict[str, str] = field(default_factory=dict)

    def with_paths(self, **paths: str | os.PathLike) -> Settings:
        """A copy with some paths replaced (resolved against the project root)."""
        return replace(self, **{k: (self.root / v).resolve() for k, v in paths.items()})


def find_root(start: str | os.PathLike | None = None) -> Path:
    """The study folder: ``$ARABMEDIA_ROOT`` when set, else the nearest folder from ``start``
    (default: the current working directory) upward holding ``arabmedia.toml``, else
    ``start``."""
    if os.environ.get("ARABMEDIA_ROOT"):
        return Path(os.environ["ARABMEDIA_ROOT"]).resolve()
    start = Path(start or Path.cwd()).resolve()
    for folder in (start, *start.parents):
        if (folder / SETTINGS_FILE).is_file():
            return folder
    return start


def _unknown_keys(raw: dict) -> list[str]:
    """Dotted names of the keys of ``raw`` that :data:`SETTINGS_KEYS` does not know."""
    unknown = [table for table in raw if table not in SETTINGS_KEYS]
    for table, keys in SETTINGS_KEYS.items():
        values = raw.get(table, {})
        if not isinstance(values, dict):
            unknown.append(table)
            continue
        unknown += [f"{table}.{key}" for key in values if key not in keys]
    return unknown


def load_settings(root: str | os.PathLike | None = None) -> Settings:
    """Read ``arabmedia.toml`` under ``root`` (default: :func:`find_root`) and the
    environment; a key the file may not hold is an error naming it and the file."""
    root = Path(root).resolve() if root else find_root()
    path = root / SETTINGS_FILE
    raw = tomllib.loads(path.read_text("utf-8")) if path.exists() else {}
    unknown = _unknown_keys(raw)
    if unknown:
        known = ", ".join(f"{t}.{k}" for t, keys in SETTINGS_KEYS.items() for k in sorted(keys))
        raise ValueError(f"{path}: unknown setting(s) {', '.join(unknown)}; known: {known}")
    flat = {**raw.get("data", {}), **raw.get("output", {})}
    defaults = {
        "mirror": "../shared/corpora",
        "raw_dir": "data/raw",
        "cache_dir": "data/cache",
        "figures_dir": "figures",
        "tables_dir": "figures/tables",
    }
    paths = {
        key: (root / os.environ.get(env, flat.get(key, defaults[key]))).resolve()
        for key, env in _ENV.items()
    }
    corpora = raw.get("run", {}).get("corpora", [])
    if os.environ.get("ARABMEDIA_CORPORA"):
        corpora = os.environ["ARABMEDIA_CORPORA"].split(",")
    return Settings(
        root=root,
        manifest=root / "data" / "manifest.yml",
        corpora=tuple(corpora),
        outlets=dict(raw.get("run", {}).get("outlets", {})),
        **paths,
    )
