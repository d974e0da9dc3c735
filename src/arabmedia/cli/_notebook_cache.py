"""Executed notebooks kept by the content of everything they read, so that ``arabmedia run``
executes only the notebooks whose inputs changed (as ``make`` or R's ``targets`` do).

A notebook's key is the sha256 of

1. its cells' sources and its metadata (not its outputs, which a run rewrites), and the
   papermill parameters;
2. :func:`arabmedia.cache.code_fingerprint`: every file of this package and the version of
   every installed distribution;
3. the study (:func:`study_inputs`): its settings file and resolved settings, every file
   its corpora and validation corpora are read from, every file under its ``data`` folder
   but the cache, and the study's lexicon files;
4. the outputs of the notebooks it needs (metadata ``arabmedia.needs``), byte for byte as
   they are on disk when it starts.

A notebook's outputs (:func:`notebook_outputs`) are the files in the figures and tables
folders named with its two-digit prefix and the study-relative paths its metadata lists
under ``arabmedia.writes``; after a notebook runs, a file it wrote anywhere else in those
folders or under ``data`` is an error (it could not be restored), so the cache can never
serve a partial result.  An entry (the executed notebook and a copy of each output) is
written to a temporary folder and renamed into place, so it is complete or absent.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import os
import shutil
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path

import nbformat

from arabmedia.config import SETTINGS_FILE, Settings

NOTEBOOK_CACHE_FORMAT = "notebooks-v1"
INDEX_FILE = "outputs.json"
EXECUTED_FILE = "executed.ipynb"


def _feed(digest, label: str, content: bytes) -> None:
    for part in (label.encode("utf-8"), content):
        digest.update(len(part).to_bytes(8, "little"))
        digest.update(part)


def _files_under(folder: Path) -> list[Path]:
    found = []
    for parent, _, names in os.walk(folder, followlinks=True):
        found.extend(Path(parent) / name for name in names)
    return found


def _study_relative(settings: Settings, path: Path) -> str:
    path = Path(path).absolute()
    try:
        return str(path.relative_to(settings.root))
    except ValueError:
        return str(path)


def declared_writes(path: Path) -> list[str]:
    """Study-relative paths a notebook writes besides its ``NN_*`` figures and tables, from
    its metadata ``{"arabmedia": {"writes": [...]}}``."""
    writes = nbformat.read(path, as_version=4).metadata.get("arabmedia", {}).get("writes", [])
    if not isinstance(writes, list) or not all(isinstance(w, str) for w in writes):
        raise ValueError(f"{path}: metadata arabmedia.writes must be a list of paths")
    return writes


def notebook_outputs(settings: Settings, prefix: str, writes: Iterable[str] = ()) -> list[Path]:
    """The files now on disk that belong to the notebook with name prefix ``prefix``
    (``"04"``): its ``NN_*`` files in the figures and tables folders and its ``writes``."""
    found = [
        p
        for folder in (settings.figures_dir, settings.tables_dir)
        if folder.is_dir()
        for p in folder.iterdir()
        if p.is_file() and p.name.startswith(f"{prefix}_")
    ]
    found += [settings.root / w for w in writes if (settings.root / w).is_file()]
    return sorted(set(found))


def study_inputs(settings: Settings) -> list[Path]:
    """Every file the series may read from the study (see the module doc), sorted."""
    from arabmedia.corpus import input_files

    files = set(input_files(settings))
    if settings.validation:
        files |= set(input_files(settings, list(settings.validation)))
    cache = settings.cache_dir.resolve()
    data = settings.root / "data"
    if data.is_dir():
        files |= {p for p in _files_under(data) if not p.resolve().is_relative_to(cache)}
    for name in (settings.compare.term_file, *settings.compare.frame_files):
        lexicon = Path(settings.lexicon(name))
        if lexicon.is_file():
            files.add(lexicon)
    config = settings.root / SETTINGS_FILE
    if config.is_file():
        files.add(config)
    return sorted(files)


#: A file's digest is taken from the memo only when it was last modified this long before it
#: was hashed (a write in the same moment as the hashing could otherwise go unseen).
SETTLED_SECONDS = 2.0


def file_sha256(path: Path, memo: dict) -> str:
    """sha256 of ``path``'s bytes, read again unless ``memo`` holds a digest taken when the
    file had its current size and modification time (as ``git`` and ``make`` trust a stat);
    ``memo`` (path -> [size, mtime_ns, digest]) is updated."""
    stat = path.stat()
    key = str(path.resolve())
    known = memo.get(key)
    if known and known[:2] == [stat.st_size, stat.st_mtime_ns]:
        return known[2]
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    memo.pop(key, None)
    if time.time_ns() - stat.st_mtime_ns > SETTLED_SECONDS * 1e9:
        memo[key] = [stat.st_size, stat.st_mtime_ns, digest]
    return digest


def study_digest(
    settings: Settings, exclude: Iterable[Path] = (), memo_file: Path | None = None
) -> str:
    """sha256 over the study's settings (but its cache folder) and :func:`study_inputs`
    (paths and byte digests), leaving out ``exclude`` (files the notebooks write).
    ``memo_file`` keeps the digests of unchanged files between runs (:func:`file_sha256`),
    so a corpus of many gigabytes is not read again on every run."""
    from arabmedia.io import atomic_write_text

    memo = {}
    if memo_file is not None and Path(memo_file).is_file():
        memo = json.loads(Path(memo_file).read_text("utf-8"))
    skip = {Path(p).resolve() for p in exclude}
    digest = hashlib.sha256(NOTEBOOK_CACHE_FORMAT.encode())
    _feed(digest, "settings", repr(dataclasses.replace(settings, cache_dir=Path())).encode())
    for path in study_inputs(settings):
        if path.resolve() not in skip:
            _feed(digest, _study_relative(settings, path), file_sha256(path, memo).encode())
    if memo_file is not None:
        atomic_write_text(memo_file, json.dumps(memo, sort_keys=True) + "\n")
    return digest.hexdigest()


def notebook_source_digest(path: Path) -> str:
    """sha256 of a notebook's cell types and sources and its metadata, not its outputs."""
    notebook = nbformat.read(path, as_version=4)
    metadata = {k: v for k, v in notebook.metadata.items() if k != "papermill"}
    cells = [(c.cell_type, c.source) for c in notebook.cells]
    text = json.dumps({"metadata": metadata, "cells": cells}, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class NotebookCache:
    """Executed notebooks of one study in ``folder``, by :meth:`key`."""

    def __init__(self, folder: str | Path, settings: Settings):
        self.folder = Path(folder)
        self.settings = settings

    def key(self, path: Path, parameters: dict | None, study: str, needed: Iterable[Path]) -> str:
        """The key of running ``path`` with ``parameters`` on a study whose
        :func:`study_digest` is ``study``, after notebooks whose outputs are ``needed``."""
        from arabmedia.cache import code_fingerprint

        digest = hashlib.sha256(NOTEBOOK_CACHE_FORMAT.encode())
        _feed(digest, "code", code_fingerprint().encode())
        _feed(digest, "study", study.encode())
        _feed(digest, "notebook", notebook_source_digest(path).encode())
        _feed(digest, "parameters", json.dumps(parameters or {}, sort_keys=True).encode())
        for output in sorted(needed):
            _feed(digest, _study_relative(self.settings, output), output.read_bytes())
        return digest.hexdigest()

    def entry(self, name: str, key: str) -> Path:
        return self.folder / name / key

    def restore(self, name: str, key: str, target: Path) -> list[Path] | None:
        """Write the stored run of notebook ``name`` to ``target`` and its outputs back to
        the study; return the outputs, or None when there is no entry for ``key``."""
        from arabmedia.io import atomic_path

        entry = self.entry(name, key)
        if not (entry / INDEX_FILE).is_file():
            return None
        outputs = json.loads((entry / INDEX_FILE).read_text("utf-8"))
        restored = []
        for number, relative in enumerate(outputs):
            destination = self.settings.root / relative
            with atomic_path(destination) as tmp:
                shutil.copyfile(entry / "files" / str(number), tmp)
            restored.append(destination)
        with atomic_path(target) as tmp:
            shutil.copyfile(entry / EXECUTED_FILE, tmp)
        return restored

    def store(self, name: str, key: str, executed: Path, outputs: Iterable[Path]) -> None:
        """Keep the executed notebook ``executed`` and a copy of each output under ``key``."""
        entry = self.entry(name, key)
        entry.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".tmp-{key[:12]}.", dir=entry.parent))
        try:
            (staging / "files").mkdir()
            relative = []
            for number, output in enumerate(sorted(outputs)):
                shutil.copyfile(output, staging / "files" / str(number))
                relative.append(_study_relative(self.settings, output))
            shutil.copyfile(executed, staging / EXECUTED_FILE)
            (staging / INDEX_FILE).write_text(json.dumps(relative, indent=1) + "\n", "utf-8")
            if entry.exists():
                shutil.rmtree(entry)
            os.replace(staging, entry)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise


def output_stamps(settings: Settings) -> dict[Path, tuple[int, int]]:
    """(mtime in ns, size) of every file a notebook may write: the files in the figures
    and tables folders and under ``data``, but the cache and raw folders."""
    skip = [settings.cache_dir.resolve(), settings.raw_dir.resolve()]
    files = [
        p
        for folder in (settings.figures_dir, settings.tables_dir)
        if folder.is_dir()
        for p in folder.iterdir()
        if p.is_file()
    ]
    data = settings.root / "data"
    if data.is_dir():
        files += [
            p for p in _files_under(data) if not any(p.resolve().is_relative_to(s) for s in skip)
        ]
    stamps = {}
    for path in files:
        with contextlib.suppress(FileNotFoundError):  # a temporary file renamed meanwhile
            stat = path.stat()
            stamps[path.resolve()] = (stat.st_mtime_ns, stat.st_size)
    return stamps


def written_since(before: dict[Path, tuple[int, int]], settings: Settings) -> set[Path]:
    """Files created or rewritten since :func:`output_stamps` gave ``before``."""
    after = output_stamps(settings)
    return {p for p, stamp in after.items() if before.get(p) != stamp}


def undeclared_writes(
    written: Iterable[Path], settings: Settings, prefixes: Iterable[str], writes: Iterable[Path]
) -> list[Path]:
    """Of the ``written`` files, those that belong to no notebook of the series: neither
    named ``NN_*`` (``NN`` one of ``prefixes``) in the figures or tables folder nor listed
    in ``writes``."""
    declared = {Path(p).resolve() for p in writes}
    named = tuple(f"{prefix}_" for prefix in prefixes)
    folders = {settings.figures_dir.resolve(), settings.tables_dir.resolve()}
    return sorted(
        p
        for p in written
        if p not in declared
        and not (p.parent in folders and p.name.startswith(named))
        and not p.name.startswith(".tmp-")
    )
