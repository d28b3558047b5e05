"""Atomic writes: the mode asked for, the old file kept when a write fails, no temporary file left behind."""

from __future__ import annotations

import os
import resource
import signal
import stat
from pathlib import Path

import pytest

from dupeview.core import safeio


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_private_files_are_the_users_alone(tmp_path: Path) -> None:
    target = tmp_path / "settings.json"
    safeio.write_atomically(target, b"{}")
    assert target.read_bytes() == b"{}" and _mode(target) == 0o600


def test_shared_files_follow_the_umask(tmp_path: Path) -> None:
    target = tmp_path / "export.csv"
    old = os.umask(0o027)
    try:
        safeio.write_atomically(target, b"a,b\n", private=False)
    finally:
        os.umask(old)
    assert _mode(target) == 0o640


def test_a_failed_write_keeps_the_old_file_and_leaves_no_temporary(tmp_path: Path) -> None:
    # A real failing write: the file-size limit makes the kernel refuse it (EFBIG), as a full disk would.
    target = tmp_path / "aliases.json"
    target.write_bytes(b"old")
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    previous = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (16, hard))
    try:
        with pytest.raises(OSError):
            safeio.write_atomically(target, b"new" * 100)
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
        signal.signal(signal.SIGXFSZ, previous)
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["aliases.json"]
