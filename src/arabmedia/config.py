"""A study: its ``arabmedia.toml`` (corpora, outlets, periods, lexicons), read into one value.

A study is a folder holding an ``arabmedia.toml``; the repository root is the default study
(the Gaza-war comparison). The file has these tables, every one optional (``arabmedia new``
writes a commented template; ``STUDY_KEYS`` lists every key):

- ``[study]`` ``title``.
- ``[data]`` ``mirror``, ``raw_dir``, ``cache_dir``, ``manifest``: where manifest corpora are
  acquired from and to, the caches, the corpus manifest.
- ``[output]`` ``figures_dir``, ``tables_dir``, ``notebooks_dir`` (executed notebooks of
  ``arabmedia run --study``), ``report`` (``report.md``).
- ``[[corpus]]``, one or more: ``name`` alone is a corpus of the manifest (files, reader and
  outlet from there); with ``files`` (globs, relative to the study folder or absolute) the
  files are read with ``reader`` (default "generic"), ``mapping`` ({article column: source
  column}), ``outlet`` (one outlet for all files, instead of an outlet column), ``encoding``
  ("utf-8", any codec name, or "auto"), ``date_format``, ``dayfirst``, ``timezone`` and
  ``record_path`` (the record list inside a JSON object).
- ``[validation]`` ``corpora``: manifest corpora that validate the tool itself (FIGNEWS,
  ArMPro, the seed article); the notebooks skip those sections when none are listed.
- ``[compare]`` ``outlets`` ("all": every outlet, largest first; or a list, in that order),
  ``fields`` (text compared between outlets), ``period`` ([start, end], either may be ""),
  ``break_date`` (before/after comparisons; optional), ``events`` ({name: date}, marked in
  time series), ``pairs`` (outlet pairs compared head to head besides one-vs-rest),
  ``term_file``, ``frame_files`` (bundled names or paths relative to the study) and
  ``colors`` ({outlet: colour}, overriding the assigned ones).

A key the file may not hold is an error naming it. Paths may also be overridden by the
environment variables in ``PATH_ENVIRONMENT``. Nothing is kept in module-level state.

The study folder, when not given, is ``$ARABMEDIA_ROOT`` when set (how ``arabmedia run
--study`` points notebooks at a study); else the nearest folder, from the current working
directory upward, that holds an ``arabmedia.toml`` (as git finds ``.git``); else the current
working directory.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from types import MappingProxyType
from typing import Any

SETTINGS_FILE = "arabmedia.toml"
#: Every key ``arabmedia.toml`` may hold, per table (``corpus`` is an array of tables).
STUDY_KEYS = MappingProxyType(
    {
        "study": frozenset({"title"}),
        "data": frozenset({"mirror", "raw_dir", "cache_dir", "manifest"}),
        "output": frozenset({"figures_dir", "tables_dir", "notebooks_dir", "report"}),
        "corpus": frozenset(
            {
                "name",
                "files",
                "reader",
                "mapping",
                "outlet",
                "encoding",
                "date_format",
                "dayfirst",
                "timezone",
                "record_path",
            }
        ),
        "validation": frozenset({"corpora"}),
        "compare": frozenset(
            {
                "outlets",
                "fields",
                "period",
                "break_date",
                "events",
                "pairs",
                "term_file",
                "frame_files",
                "colors",
            }
        ),
    }
)
#: Path settings, their defaults (relative to the study folder) and environment overrides.
PATH_DEFAULTS = MappingProxyType(
    {
        "mirror": "../shared/corpora",
        "raw_dir": "data/raw",
        "cache_dir": "data/cache",
        "manifest": "data/manifest.yml",
        "figures_dir": "figures",
        "tables_dir": "figures/tables",
        "notebooks_dir": "notebooks",
        "report": "report.md",
    }
)
PATH_ENVIRONMENT = MappingProxyType(
    {
        "mirror": "ARABMEDIA_MIRROR",
        "raw_dir": "ARABMEDIA_RAW_DIR",
        "cache_dir": "ARABMEDIA_CACHE_DIR",
        "figures_dir": "ARABMEDIA_FIGURES_DIR",
        "tables_dir": "ARABMEDIA_TABLES_DIR",
    }
)
TEXT_FIELDS = ("title", "lead", "body")
#: The text fields as labels and export names say them.
FIELD_NAMES = MappingProxyType({"title": "titles", "lead": "leads", "body": "bodies"})


class StudyError(ValueError):
    """A study file that cannot be used; the message names the file, the key and the reason."""


@dataclass(frozen=True)
class CorpusConfig:
    """One ``[[corpus]]`` entry: a manifest corpus (no ``files``) or a researcher's files."""

    name: str
    files: tuple[str, ...] = ()
    reader: str = "generic"
    mapping: dict[str, str] | None = None
    outlet: str | None = None
    encoding: str = "utf-8"
    date_format: str | None = None
    dayfirst: bool = False
    timezone: str | None = None
    record_path: str | None = None

    @property
    def from_manifest(self) -> bool:
        return not self.files


@dataclass(frozen=True)
class CompareConfig:
    """The ``[compare]`` table: what is compared, over which dates, with which lexicons."""

    outlets: str | tuple[str, ...] = "all"
    fields: tuple[str, ...] = TEXT_FIELDS
    period: tuple[str, str] = ("", "")
    break_date: str = ""
    events: dict[str, str] = field(default_factory=dict)
    pairs: tuple[tuple[str, str], ...] = ()
    term_file: str = "gaza_war"
    frame_files: tuple[str, ...] = ("generic", "war")
    colors: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Settings:
    """A study, resolved: absolute paths, its corpora and what it compares."""

    root: Path
    mirror: Path
    raw_dir: Path
    cache_dir: Path
    manifest: Path
    figures_dir: Path
    tables_dir: Path
    notebooks_dir: Path
    report: Path
    title: str = ""
    corpora: tuple[CorpusConfig, ...] = ()
    validation: tuple[str, ...] = ()
    compare: CompareConfig = field(default_factory=CompareConfig)

    @property
    def corpus_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.corpora)

    def with_paths(self, **paths: str | os.PathLike) -> Settings:
        """A copy with some paths replaced (resolved against the study folder)."""
        return replace(self, **{k: (self.root / v).resolve() for k, v in paths.items()})

    def resolve(self, path: str | os.PathLike) -> Path:
        """``path`` relative to the study folder (absolute paths unchanged)."""
        return (self.root / Path(path).expanduser()).resolve()

    def lexicon(self, name: str) -> str:
        """A lexicon setting as the loaders take it: a bundled name (no suffix, no folder) as
        is, a file path resolved against the study folder."""
        path = Path(name)
        return name if not path.suffix and len(path.parts) == 1 else str(self.resolve(path))


def step_cache(settings: Settings):
    """The study's cache of analysis steps, ``<cache_dir>/steps``: an
    :class:`arabmedia.cache.StepCache` (``cached = step_cache(settings)``, then
    ``cached(analysis.count_frames)(articles, tokens, frames)``)."""
    from arabmedia.cache import StepCache

    return StepCache(settings.cache_dir / "steps")


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
    """Dotted names of the keys of ``raw`` that :data:`STUDY_KEYS` does not know."""
    unknown = [table for table in raw if table not in STUDY_KEYS]
    for table, keys in STUDY_KEYS.items():
        value = raw.get(table, [] if table == "corpus" else {})
        entries = value if table == "corpus" else [value]
        if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
            unknown.append(table)
            continue
        for number, entry in enumerate(entries):
            where = f"corpus[{number}]" if table == "corpus" else table
            unknown += [f"{where}.{key}" for key in entry if key not in keys]
    return unknown


class _Reader:
    """Typed access to one table of the study file; a wrong type is a StudyError naming it."""

    def __init__(self, path: Path, where: str, values: dict[str, Any]):
        self.path, self.where, self.values = path, where, values

    def fail(self, key: str, reason: str) -> StudyError:
        return StudyError(f"{self.path}: {self.where}.{key}: {reason}")

    def text(self, key: str, default: str | None = None) -> str | None:
        value = self.values.get(key, default)
        if value is not None and not isinstance(value, str):
            raise self.fail(key, f"expected a string, got {value!r}")
        return value

    def texts(self, key: str, default: tuple[str, ...]) -> tuple[str, ...]:
        value = self.values.get(key, default)
        if isinstance(value, str) or not all(isinstance(v, str) for v in value):
            raise self.fail(key, f"expected a list of strings, got {value!r}")
        return tuple(value)

    def table(self, key: str) -> dict[str, str]:
        value = self.values.get(key, {})
        if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
            raise self.fail(key, f"expected a table of strings, got {value!r}")
        return dict(value)

    def date(self, key: str, value: object) -> str:
        if value in ("", None):
            return ""
        if isinstance(value, date):
            return value.isoformat()
        try:
            return date.fromisoformat(str(value)).isoformat()
        except ValueError:
            raise self.fail(key, f"not a date (YYYY-MM-DD): {value!r}") from None


def _corpus(path: Path, number: int, values: dict[str, Any]) -> CorpusConfig:
    entry = _Reader(path, f"corpus[{number}]", values)
    name = entry.text("name")
    if not name:
        raise entry.fail("name", "every [[corpus]] needs a name")
    files = entry.texts("files", ())
    dayfirst = values.get("dayfirst", False)
    if not isinstance(dayfirst, bool):
        raise entry.fail("dayfirst", f"expected true or false, got {dayfirst!r}")
    if not files and set(values) - {"name", "outlet"}:
        extra = sorted(set(values) - {"name", "outlet"})
        raise entry.fail(
            extra[0], "only `name` and `outlet` apply to a manifest corpus (no `files`)"
        )
    return CorpusConfig(
        name=name,
        files=files,
        reader=entry.text("reader", "generic"),
        mapping=entry.table("mapping") if "mapping" in values else None,
        outlet=entry.text("outlet"),
        encoding=entry.text("encoding", "utf-8"),
        date_format=entry.text("date_format"),
        dayfirst=dayfirst,
        timezone=entry.text("timezone"),
        record_path=entry.text("record_path"),
    )


def _compare(path: Path, values: dict[str, Any]) -> CompareConfig:
    table = _Reader(path, "compare", values)
    outlets = values.get("outlets", "all")
    if outlets != "all":
        outlets = table.texts("outlets", ())
        if len(outlets) < 1 or len(set(outlets)) != len(outlets):
            raise table.fail("outlets", f'"all" or a list of distinct outlets, got {outlets!r}')
    fields = table.texts("fields", TEXT_FIELDS)
    if not fields or set(fields) - set(TEXT_FIELDS):
        raise table.fail("fields", f"a list drawn from {list(TEXT_FIELDS)}, got {list(fields)}")
    period = values.get("period", ["", ""])
    if not isinstance(period, list) or len(period) != 2:
        raise table.fail("period", f'expected [start, end] (either may be ""), got {period!r}')
    period = (table.date("period", period[0]), table.date("period", period[1]))
    if period[0] and period[1] and period[0] > period[1]:
        raise table.fail("period", f"start {period[0]} is after end {period[1]}")
    events = {
        name: table.date(f"events.{name}", day) for name, day in values.get("events", {}).items()
    }
    pairs = values.get("pairs", [])
    if not all(isinstance(p, list) and len(p) == 2 and p[0] != p[1] for p in pairs):
        raise table.fail("pairs", f"expected a list of [outlet, other outlet], got {pairs!r}")
    return CompareConfig(
        outlets=outlets,
        fields=fields,
        period=period,
        break_date=table.date("break_date", values.get("break_date")),
        events=events,
        pairs=tuple((str(a), str(b)) for a, b in pairs),
        term_file=table.text("term_file", "gaza_war"),
        frame_files=table.texts("frame_files", ("generic", "war")),
        colors=table.table("colors"),
    )


def load_settings(root: str | os.PathLike | None = None) -> Settings:
    """Read the study under ``root`` (default: :func:`find_root`) and the environment.

    Raises :class:`StudyError` naming the file and key for an unknown key, a wrong type,
    a bad date or two corpora with one name.
    """
    root = Path(root).resolve() if root else find_root()
    path = root / SETTINGS_FILE
    try:
        raw = tomllib.loads(path.read_text("utf-8")) if path.exists() else {}
    except tomllib.TOMLDecodeError as error:
        raise StudyError(f"{path}: not valid TOML: {error}") from error
    unknown = _unknown_keys(raw)
    if unknown:
        raise StudyError(
            f"{path}: unknown setting(s) {', '.join(unknown)}; see the template that "
            "`arabmedia new DIR` writes for every key"
        )
    flat = {**raw.get("data", {}), **raw.get("output", {})}
    paths = {
        key: (root / os.environ.get(PATH_ENVIRONMENT.get(key, ""), flat.get(key, default)))
        .expanduser()
        .resolve()
        for key, default in PATH_DEFAULTS.items()
    }
    corpora = tuple(_corpus(path, n, values) for n, values in enumerate(raw.get("corpus", [])))
    names = [c.name for c in corpora]
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise StudyError(f"{path}: corpus name(s) used twice: {repeated}")
    validation = _Reader(path, "validation", raw.get("validation", {}))
    return Settings(
        root=root,
        title=_Reader(path, "study", raw.get("study", {})).text("title", "") or root.name,
        corpora=corpora,
        validation=validation.texts("corpora", ()),
        compare=_compare(path, raw.get("compare", {})),
        **paths,
    )
