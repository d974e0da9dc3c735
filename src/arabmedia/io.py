"""Atomic file writes: a reader sees the old file or the new one, never half of one.

Every file the project writes (corpora copies, caches, tables, figures) goes
through :func:`atomic_path`: data is written to a temporary file in the same
folder, flushed to disk, then renamed over the target.  A crash part-way
leaves at most a stray ``.tmp-*`` file, which the next write ignores.

Folders written whole (an article store, a collapsed partition set) are built in a
:func:`temporary_folder` beside their target; one left by a killed process (out of memory,
SIGKILL: no exception handler runs) is removed by the next writer of that target on the
same machine (:func:`remove_abandoned`).
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import socket
import tempfile
from collections.abc import Iterator
from pathlib import Path


@contextlib.contextmanager
def atomic_path(target: str | os.PathLike) -> Iterator[Path]:
    """Yield a temporary path; on success move it onto ``target``, on error delete it."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".tmp-{target.name}.", dir=target.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)  # mkstemp creates 0600; give the file ordinary permissions
    try:
        yield tmp
        with open(tmp, "rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def atomic_write_bytes(target: str | os.PathLike, data: bytes) -> Path:
    """Write ``data`` to ``target`` atomically and return the target path."""
    with atomic_path(target) as tmp:
        tmp.write_bytes(data)
    return Path(target)


def atomic_write_text(target: str | os.PathLike, text: str) -> Path:
    """Write UTF-8 ``text`` (with ``\\n`` line ends) to ``target`` atomically."""
    return atomic_write_bytes(target, text.encode("utf-8"))


def _owner_tag() -> str:
    """This machine and process, as they appear in a temporary folder's name."""
    host = re.sub(r"[^A-Za-z0-9_-]", "_", socket.gethostname()) or "host"
    return f"{host}-{os.getpid()}"


def temporary_folder(target: str | os.PathLike, kind: str = "tmp") -> Path:
    """A new empty folder ``.{kind}-{target name}.{host}-{pid}.*`` beside ``target``: the
    name says which process owns it, so :func:`remove_abandoned` can tell one left behind."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    prefix = f".{kind}-{target.name}.{_owner_tag()}."
    return Path(tempfile.mkdtemp(prefix=prefix, dir=target.parent))


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's live process
    return True


def remove_abandoned(target: str | os.PathLike) -> list[Path]:
    """Remove the :func:`temporary_folder` folders of ``target`` whose process, on this
    machine, no longer runs; return them.  Folders of live processes (a writer at work) and
    of other machines (a shared file system: their processes cannot be checked from here)
    are left alone."""
    target = Path(target)
    if not target.parent.is_dir():
        return []
    host = _owner_tag().rsplit("-", 1)[0]
    pattern = re.compile(rf"^\.(?:tmp|old)-{re.escape(target.name)}\.{re.escape(host)}-(\d+)\.")
    removed = []
    for path in sorted(target.parent.iterdir()):
        match = pattern.match(path.name)
        if match and path.is_dir() and not _process_alive(int(match.group(1))):
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path)
    return removed
