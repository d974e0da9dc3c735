"""The data manifest (``data/manifest.yml``) and the acquisition of the files it lists.

A researcher elsewhere must analyse exactly the bytes we analysed.  The manifest lists,
per corpus, every file with its source repository, commit, path there, size and sha256.
:func:`acquire` places each file under ``settings.raw_dir`` by copying it from the local
mirror or downloading it from its public source; a file appears at its final path only
after its sha256 has been checked, and raw files are never overwritten or modified.
"""

from __future__ import annotations

import hashlib
import http.client
import os
import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import BinaryIO

import pandas as pd
import yaml
from tqdm import tqdm

from arabmedia.config import Settings
from arabmedia.io import atomic_path

KNOWN_READERS = (
    "seed_text",
    "almayadeen",
    "aljazeera",
    "fignews2024",
    "armpro",
    "generic",
    "stopwords",
)
FILE_ROLES = ("data", "reference")
UNKNOWN_REPOSITORY = "unknown"
RAW_URL_TEMPLATE = "https://raw.githubusercontent.com/{repository}/{commit}/{source_path}"
DOWNLOAD_TIMEOUT_SECONDS = 60.0
CHUNK_BYTES = 1 << 20
MANIFEST_VERSION = 1

_SHA256 = re.compile(r"[0-9a-f]{64}")
_COMMIT = re.compile(r"[0-9a-f]{40}")
_REPOSITORY = re.compile(r"[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+")
_CORPUS_NAME = re.compile(r"[a-z][a-z0-9_]*")
_TOP_FIELDS = {"manifest_version", "corpora"}
_CORPUS_FIELDS = {"name", "description", "outlets", "reader", "licence", "source", "files"}
_SOURCE_FIELDS = {"repository", "commit", "note"}
_FILE_FIELDS = {
    "path", "mirror_path", "source_path", "url", "repository", "commit",
    "licence", "note", "role", "sha256", "bytes",
}  # fmt: skip

ACQUIRE_COLUMNS = ["corpus", "path", "action", "sha256_ok", "bytes", "detail"]
VERIFY_COLUMNS = ["corpus", "path", "status", "bytes", "sha256", "detail"]
MIRROR_SUMS_COLUMNS = ["corpus", "path", "status", "in_mirror", "manifest_sha256", "sums_sha256"]


class ManifestError(ValueError):
    """The manifest is malformed; the message names the file, corpus, file entry and field."""


class AcquisitionError(RuntimeError):
    """At least one file could not be placed; ``report`` holds the per-file table."""

    def __init__(self, message: str, report: pd.DataFrame):
        super().__init__(message)
        self.report = report


@dataclass(frozen=True)
class FileSpec:
    """One file: where it goes under raw_dir, where it comes from, what it must hash to."""

    path: str
    sha256: str
    bytes: int
    repository: str
    commit: str | None = None
    source_path: str | None = None
    url: str | None = None
    mirror_path: str | None = None
    licence: str | None = None
    note: str | None = None
    role: str = "data"

    def local_path(self, raw_dir: Path) -> Path:
        """Where the file is placed under ``raw_dir``."""
        return Path(raw_dir).joinpath(*PurePosixPath(self.path).parts)

    def mirror_location(self, mirror: Path) -> Path:
        """Where the file is expected in the local mirror ('..' resolved lexically)."""
        relative = PurePosixPath(self.mirror_path or self.path)
        return Path(os.path.normpath(Path(mirror).joinpath(*relative.parts)))

    def download_url(self) -> str | None:
        """The public URL (explicit ``url``, else the raw GitHub URL); None if there is none."""
        if self.url:
            return self.url
        if self.repository == UNKNOWN_REPOSITORY or not (self.commit and self.source_path):
            return None
        return RAW_URL_TEMPLATE.format(
            repository=self.repository,
            commit=self.commit,
            source_path=urllib.parse.quote(self.source_path, safe="/"),
        )


@dataclass(frozen=True)
class CorpusSpec:
    """One corpus: its files plus what a reader needs to know about them."""

    name: str
    description: str
    outlets: tuple[str, ...]
    reader: str
    licence: str
    files: tuple[FileSpec, ...]


@dataclass(frozen=True)
class Manifest:
    """All corpora of a manifest file, in file order."""

    path: Path
    corpora: tuple[CorpusSpec, ...]

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(corpus.name for corpus in self.corpora)

    def corpus(self, name: str) -> CorpusSpec:
        """The corpus called ``name``; ManifestError listing the known names otherwise."""
        for corpus in self.corpora:
            if corpus.name == name:
                return corpus
        raise ManifestError(
            f"{self.path}: no corpus {name!r}; known corpora: {', '.join(self.names)}"
        )

    def select(self, names: Iterable[str] | None) -> list[CorpusSpec]:
        """The named corpora (all when ``names`` is None), each once, in the order given."""
        if names is None:
            return list(self.corpora)
        return [self.corpus(name) for name in dict.fromkeys(names)]


# --------------------------------------------------------------------------- loading


def load_manifest(
    path: str | os.PathLike, known_readers: Iterable[str] = KNOWN_READERS
) -> Manifest:
    """Read and validate a manifest YAML file; raise ManifestError naming what is wrong."""
    path = Path(path)
    try:
        raw = yaml.safe_load(path.read_text("utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise ManifestError(f"{path}: cannot read the manifest: {error}") from error
    if not isinstance(raw, dict):
        raise ManifestError(f"{path}: expected a mapping with 'manifest_version' and 'corpora'")
    _reject_unknown_fields(raw, _TOP_FIELDS, f"{path}")
    if raw.get("manifest_version") != MANIFEST_VERSION:
        raise ManifestError(
            f"{path}: field 'manifest_version' must be {MANIFEST_VERSION}, "
            f"got {raw.get('manifest_version')!r}"
        )
    entries = raw.get("corpora")
    if not isinstance(entries, list) or not entries:
        raise ManifestError(f"{path}: field 'corpora' must be a non-empty list")
    readers = tuple(known_readers)
    corpora, corpus_names, file_paths = [], set(), {}
    for index, entry in enumerate(entries):
        corpus = _parse_corpus(entry, f"{path}: corpus #{index + 1}", path, readers)
        if corpus.name in corpus_names:
            raise ManifestError(f"{path}: corpus {corpus.name!r}: duplicate corpus name")
        corpus_names.add(corpus.name)
        for spec in corpus.files:
            if spec.path in file_paths:
                raise ManifestError(
                    f"{path}: corpus {corpus.name!r}, file {spec.path!r}: duplicate path "
                    f"(also listed in corpus {file_paths[spec.path]!r})"
                )
            file_paths[spec.path] = corpus.name
        corpora.append(corpus)
    return Manifest(path=path, corpora=tuple(corpora))


def _reject_unknown_fields(entry: dict, allowed: set[str], where: str) -> None:
    unknown = sorted(set(entry) - allowed)
    if unknown:
        raise ManifestError(
            f"{where}: unknown field(s) {', '.join(map(repr, unknown))}; "
            f"allowed: {', '.join(sorted(allowed))}"
        )


def _text(entry: dict, field: str, where: str, *, required: bool = True) -> str | None:
    """A non-empty string field (or None when optional and absent)."""
    value = entry.get(field)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value.strip():
        problem = "missing" if value is None else f"expected a non-empty string, got {value!r}"
        raise ManifestError(f"{where}: field {field!r}: {problem}")
    return value


def _relative_path(value: str, field: str, where: str, *, allow_parent: bool) -> str:
    pure = PurePosixPath(value)
    parts = pure.parts
    if (
        pure.is_absolute()
        or "\\" in value
        or value != pure.as_posix()
        or (not allow_parent and ".." in parts)
    ):
        raise ManifestError(
            f"{where}: field {field!r}: {value!r} must be a relative POSIX path"
            + ("" if allow_parent else " without '..'")
        )
    return value


def _parse_source(entry: object, where: str) -> tuple[str, str | None, str | None]:
    if not isinstance(entry, dict):
        raise ManifestError(f"{where}: field 'source': expected a mapping, got {entry!r}")
    _reject_unknown_fields(entry, _SOURCE_FIELDS, f"{where}, source")
    return (
        _text(entry, "repository", f"{where}, source"),
        _text(entry, "commit", f"{where}, source", required=False),
        _text(entry, "note", f"{where}, source", required=False),
    )


def _check_origin(repository: str, commit: str | None, note: str | None, where: str) -> None:
    """A known repository needs a 40-hex commit; an unknown one needs a note saying why."""
    if repository == UNKNOWN_REPOSITORY:
        if commit is not None:
            raise ManifestError(f"{where}: field 'commit': given for an unknown repository")
        if note is None:
            raise ManifestError(
                f"{where}: field 'note': required when the repository is unknown (say why)"
            )
        return
    if not _REPOSITORY.fullmatch(repository):
        raise ManifestError(
            f"{where}: field 'repository': expected 'owner/name' or 'unknown', got {repository!r}"
        )
    if commit is None or not _COMMIT.fullmatch(commit):
        raise ManifestError(
            f"{where}: field 'commit': expected 40 lowercase hex digits, got {commit!r}"
        )


def _parse_corpus(entry: object, where: str, path: Path, readers: tuple[str, ...]) -> CorpusSpec:
    if not isinstance(entry, dict):
        raise ManifestError(f"{where}: expected a mapping, got {entry!r}")
    name = _text(entry, "name", where)
    if not _CORPUS_NAME.fullmatch(name):
        raise ManifestError(f"{where}: field 'name': {name!r} must match [a-z][a-z0-9_]*")
    where = f"{path}: corpus {name!r}"
    _reject_unknown_fields(entry, _CORPUS_FIELDS, where)
    reader = _text(entry, "reader", where)
    if reader not in readers:
        raise ManifestError(
            f"{where}: field 'reader': unknown reader {reader!r}; known: {', '.join(readers)}"
        )
    outlets = entry.get("outlets")
    if not isinstance(outlets, list) or not all(isinstance(o, str) and o for o in outlets):
        raise ManifestError(f"{where}: field 'outlets': expected a list of names, got {outlets!r}")
    repository, commit, note = _parse_source(entry.get("source"), where)
    files = entry.get("files")
    if not isinstance(files, list) or not files:
        raise ManifestError(f"{where}: field 'files': expected a non-empty list")
    specs = tuple(
        _parse_file(item, f"{where}, file #{index + 1}", (repository, commit, note))
        for index, item in enumerate(files)
    )
    return CorpusSpec(
        name=name,
        description=_text(entry, "description", where),
        outlets=tuple(outlets),
        reader=reader,
        licence=_text(entry, "licence", where),
        files=specs,
    )


def _parse_file(
    entry: object, where: str, defaults: tuple[str, str | None, str | None]
) -> FileSpec:
    if not isinstance(entry, dict):
        raise ManifestError(f"{where}: expected a mapping, got {entry!r}")
    path = _text(entry, "path", where)
    where = f"{where} ({path})"
    _relative_path(path, "path", where, allow_parent=False)
    _reject_unknown_fields(entry, _FILE_FIELDS, where)
    sha256 = entry.get("sha256")
    if not isinstance(sha256, str) or not _SHA256.fullmatch(sha256):
        raise ManifestError(
            f"{where}: field 'sha256': expected 64 lowercase hex digits, got {sha256!r}"
        )
    size = entry.get("bytes")
    if not isinstance(size, int) or isinstance(size, bool) or size < 0:
        raise ManifestError(
            f"{where}: field 'bytes': expected a non-negative integer, got {size!r}"
        )
    role = entry.get("role", "data")
    if role not in FILE_ROLES:
        raise ManifestError(f"{where}: field 'role': expected one of {FILE_ROLES}, got {role!r}")
    overrides_origin = "repository" in entry
    repository = _text(entry, "repository", where) if overrides_origin else defaults[0]
    commit = _text(entry, "commit", where, required=False) or (
        None if overrides_origin else defaults[1]
    )
    note = _text(entry, "note", where, required=False) or defaults[2]
    _check_origin(repository, commit, note, where)
    source_path = _text(entry, "source_path", where, required=False)
    url = _text(entry, "url", where, required=False)
    if repository != UNKNOWN_REPOSITORY and source_path is None:
        raise ManifestError(f"{where}: field 'source_path': missing (path in {repository})")
    if url is not None and urllib.parse.urlsplit(url).scheme not in ("http", "https"):
        raise ManifestError(f"{where}: field 'url': expected an http(s) URL, got {url!r}")
    mirror_path = _text(entry, "mirror_path", where, required=False)
    if mirror_path is not None:
        _relative_path(mirror_path, "mirror_path", where, allow_parent=True)
    return FileSpec(
        path=path,
        sha256=sha256,
        bytes=size,
        repository=repository,
        commit=commit,
        source_path=source_path,
        url=url,
        mirror_path=mirror_path,
        licence=_text(entry, "licence", where, required=False),
        note=note,
        role=role,
    )


# --------------------------------------------------------------------------- hashing


def sha256_file(path: Path, on_chunk: Callable[[int], object] | None = None) -> tuple[str, int]:
    """(sha256 hex digest, size in bytes) of a file, read in chunks (reported to on_chunk)."""
    digest, size = hashlib.sha256(), 0
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK_BYTES):
            digest.update(chunk)
            size += len(chunk)
            if on_chunk is not None:
                on_chunk(len(chunk))
    return digest.hexdigest(), size


class _Refused(Exception):
    """A transfer whose bytes do not match the manifest (temp file is discarded)."""


def _place_stream(
    source: BinaryIO,
    spec: FileSpec,
    target: Path,
    on_chunk: Callable[[int], object],
    announced_length: int | None = None,
) -> int:
    """Stream ``source`` into ``target`` via a temp file, hashing as it goes.

    The temp file is renamed onto ``target`` only if the byte count and sha256 match
    the manifest; otherwise _Refused is raised and the temp file deleted.
    """
    digest, received = hashlib.sha256(), 0
    with atomic_path(target) as tmp, open(tmp, "wb") as out:
        while chunk := source.read(CHUNK_BYTES):
            received += len(chunk)
            if received > spec.bytes:
                raise _Refused(f"received more than the expected {spec.bytes} bytes")
            digest.update(chunk)
            out.write(chunk)
            on_chunk(len(chunk))
        if announced_length is not None and received != announced_length:
            raise _Refused(
                f"transfer ended early: {received} of {announced_length} announced bytes"
            )
        actual = digest.hexdigest()
        if received != spec.bytes or actual != spec.sha256:
            raise _Refused(
                f"checksum mismatch: got {received} bytes with sha256 {actual}, "
                f"manifest expects {spec.bytes} bytes with sha256 {spec.sha256}"
            )
    os.chmod(target, 0o444)
    return received


# --------------------------------------------------------------------------- acquisition


def _copy_from_mirror(
    spec: FileSpec, source: Path, target: Path, on_chunk: Callable[[int], object]
) -> int:
    with open(source, "rb") as handle:
        return _place_stream(handle, spec, target, on_chunk)


def _download(
    spec: FileSpec, url: str, target: Path, on_chunk: Callable[[int], object], timeout: float
) -> int:
    request = urllib.request.Request(url, headers={"User-Agent": "arabmedia-acquire"})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        length = response.headers.get("Content-Length")
        return _place_stream(
            response, spec, target, on_chunk, int(length) if length and length.isdigit() else None
        )


def _download_failure(url: str, error: BaseException) -> str:
    if isinstance(error, urllib.error.HTTPError):
        error.close()
        return f"download failed: HTTP {error.code} {error.reason} from {url}"
    if isinstance(error, urllib.error.URLError):
        return f"download failed: cannot reach {url}: {error.reason}"
    if isinstance(error, _Refused):
        return f"download from {url} refused: {error}"
    return f"download from {url} failed: {type(error).__name__}: {error}"


def _acquire_file(
    corpus: str,
    spec: FileSpec,
    settings: Settings,
    download: bool,
    timeout: float,
    on_chunk: Callable[[int], object],
) -> dict:
    """Place one file and describe what happened as one report row."""
    target = spec.local_path(settings.raw_dir)
    row = {"corpus": corpus, "path": spec.path}
    if target.exists():
        actual, size = sha256_file(target, on_chunk)
        if actual == spec.sha256:
            return row | {"action": "present", "sha256_ok": True, "bytes": size, "detail": ""}
        return row | {
            "action": "failed",
            "sha256_ok": False,
            "bytes": size,
            "detail": (
                f"{target} exists with sha256 {actual} but the manifest expects {spec.sha256}; "
                "raw data is never overwritten: delete the file to acquire it again"
            ),
        }
    problems = []
    mirror_copy = spec.mirror_location(settings.mirror)
    if mirror_copy.is_file():
        try:
            size = _copy_from_mirror(spec, mirror_copy, target, on_chunk)
            detail = f"from {mirror_copy}"
            return row | {"action": "copied", "sha256_ok": True, "bytes": size, "detail": detail}
        except (_Refused, OSError) as error:
            problems.append(f"mirror copy {mirror_copy} not used: {error}")
    else:
        problems.append(f"not in the mirror ({mirror_copy})")
    url = spec.download_url()
    if not download:
        problems.append("downloads are disabled")
    elif url is None:
        problems.append(f"no public source to download from: {spec.note or 'none recorded'}")
    else:
        try:
            size = _download(spec, url, target, on_chunk, timeout)
            detail = f"from {url}"
            return (
                row
                | {"action": "downloaded", "sha256_ok": True, "bytes": size}
                | {"detail": detail}
            )
        except (_Refused, OSError, http.client.HTTPException, ValueError) as error:
            problems.append(_download_failure(url, error))
    return row | {"action": "failed", "sha256_ok": False, "bytes": 0, "detail": "; ".join(problems)}


def acquire(
    manifest: Manifest,
    names: Iterable[str] | None,
    settings: Settings,
    *,
    download: bool = True,
    progress: bool = True,
    timeout: float = DOWNLOAD_TIMEOUT_SECONDS,
) -> pd.DataFrame:
    """Place every file of the named corpora (all if None) under ``settings.raw_dir``.

    Per file: already there with the right sha256 -> "present" (left untouched); there with
    another sha256 -> "failed" (never overwritten); else copied from ``settings.mirror`` or,
    if absent there and ``download`` is true, downloaded from its public source.  Bytes are
    checked before the file appears at its final path; placed files are made read-only.

    Returns one row per file with columns: corpus, path (as in the manifest), action
    ("present" | "copied" | "downloaded" | "failed"), sha256_ok (bool), bytes (size of the
    placed or existing file, 0 if none), detail (source used or reason for failure).
    Raises AcquisitionError (with ``.report``) if any file failed, after trying them all.
    """
    try:
        corpora = manifest.select(names)
    except ManifestError as error:
        raise AcquisitionError(str(error), pd.DataFrame(columns=ACQUIRE_COLUMNS)) from error
    jobs = [(corpus.name, spec) for corpus in corpora for spec in corpus.files]
    total = sum(spec.bytes for _, spec in jobs)
    rows = []
    with tqdm(
        total=total, unit="B", unit_scale=True, unit_divisor=1024, disable=not progress
    ) as bar:
        for corpus, spec in jobs:
            bar.set_description(f"acquire {spec.path}")
            before = bar.n
            rows.append(_acquire_file(corpus, spec, settings, download, timeout, bar.update))
            bar.update(max(0, before + spec.bytes - bar.n))  # skipped or failed bytes
    report = pd.DataFrame(rows, columns=ACQUIRE_COLUMNS)
    failed = report[report["action"] == "failed"]
    if len(failed):
        lines = [f"  {row.path}: {row.detail}" for row in failed.itertuples()]
        raise AcquisitionError(
            f"{len(failed)} of {len(report)} files could not be acquired:\n" + "\n".join(lines),
            report,
        )
    return report


# --------------------------------------------------------------------------- checking


def verify(manifest: Manifest, names: Iterable[str] | None, settings: Settings) -> pd.DataFrame:
    """Hash every placed file of the named corpora (all if None) against the manifest.

    Returns one row per file with columns: corpus, path, status ("ok" | "missing" | "bad"),
    bytes (actual size, 0 if missing), sha256 (actual digest, "" if missing), detail.
    """
    rows = []
    for corpus in manifest.select(names):
        for spec in corpus.files:
            target = spec.local_path(settings.raw_dir)
            row = {"corpus": corpus.name, "path": spec.path}
            if not target.is_file():
                rows.append(
                    row | {"status": "missing", "bytes": 0, "sha256": "", "detail": f"no {target}"}
                )
                continue
            actual, size = sha256_file(target)
            good = actual == spec.sha256
            detail = "" if good else f"manifest expects sha256 {spec.sha256} ({spec.bytes} bytes)"
            rows.append(
                row
                | {"status": "ok" if good else "bad", "bytes": size, "sha256": actual}
                | {"detail": detail}
            )
    return pd.DataFrame(rows, columns=VERIFY_COLUMNS)


def read_sha256sums(path: Path) -> dict[str, str]:
    """Parse a ``sha256sum`` output file into {relative POSIX path: digest}."""
    sums = {}
    for number, line in enumerate(Path(path).read_text("utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        digest, _, name = line.partition(" ")
        name = name.lstrip(" *").removeprefix("./")
        if not _SHA256.fullmatch(digest) or not name:
            raise ManifestError(f"{path}: line {number}: expected '<sha256>  <path>', got {line!r}")
        sums[name] = digest
    return sums


def check_mirror_sums(manifest: Manifest, mirror: str | os.PathLike) -> pd.DataFrame:
    """Compare the manifest's sha256 values with the mirror's ``SHA256SUMS`` (no hashing).

    Returns one row per manifest file, then one per SHA256SUMS entry the manifest does not
    list (the SHA256SUMS file itself excluded), with columns: corpus ("" for unlisted),
    path (mirror-relative), status ("ok" | "mismatch" | "not_in_sums" | "not_in_manifest"),
    in_mirror (the file exists in the mirror), manifest_sha256, sums_sha256.
    """
    mirror = Path(mirror)
    sums = read_sha256sums(mirror / "SHA256SUMS")
    rows, listed = [], set()
    for corpus in manifest.corpora:
        for spec in corpus.files:
            key = spec.mirror_path or spec.path
            listed.add(key)
            expected = sums.get(key)
            status = (
                "not_in_sums"
                if expected is None
                else ("ok" if expected == spec.sha256 else "mismatch")
            )
            rows.append(
                {
                    "corpus": corpus.name,
                    "path": key,
                    "status": status,
                    "in_mirror": spec.mirror_location(mirror).is_file(),
                    "manifest_sha256": spec.sha256,
                    "sums_sha256": expected or "",
                }
            )
    for key in sorted(set(sums) - listed - {"SHA256SUMS"}):
        rows.append(
            {
                "corpus": "",
                "path": key,
                "status": "not_in_manifest",
                "in_mirror": (mirror / key).is_file(),
                "manifest_sha256": "",
                "sums_sha256": sums[key],
            }
        )
    return pd.DataFrame(rows, columns=MIRROR_SUMS_COLUMNS)
