"""Project settings from ``arabmedia.toml``, overridable by environment variables.

Settings are read once per call and returned as an immutable value: nothing is
kept in module-level state, so tests and notebooks can pass their own.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
SETTINGS_FILE = "arabmedia.toml"

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


def load_settings(root: str | os.PathLike | None = None) -> Settings:
    """Read ``arabmedia.toml`` under ``root`` (default: this checkout) and the environment."""
    root = Path(root or os.environ.get("ARABMEDIA_ROOT", PROJECT_ROOT)).resolve()
    path = root / SETTINGS_FILE
    raw = tomllib.loads(path.read_text("utf-8")) if path.exists() else {}
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
