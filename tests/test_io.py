"""Atomic writes: all or nothing, ordinary permissions, no temporary files left."""

import os
import stat

import pytest

from arabmedia.io import atomic_path, atomic_write_text


def test_write_replaces_target_with_ordinary_permissions(tmp_path):
    target = tmp_path / "sub" / "table.csv"
    atomic_write_text(target, "old\n")
    atomic_write_text(target, "new\n")
    assert target.read_text("utf-8") == "new\n"
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~umask
    assert [p.name for p in target.parent.iterdir()] == ["table.csv"]


def test_failure_keeps_old_file_and_leaves_no_temporary(tmp_path):
    target = tmp_path / "figure.pdf"
    atomic_write_text(target, "complete")
    with pytest.raises(RuntimeError), atomic_path(target) as tmp:
        tmp.write_text("half")
        raise RuntimeError("killed part-way")
    assert target.read_text("utf-8") == "complete"
    assert [p.name for p in tmp_path.iterdir()] == ["figure.pdf"]
