"""Shared by the robustness tests: the CLI as a subprocess, folder snapshots, group signatures, mounts."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import signal
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from dupeview.core.grouping import GroupOptions, Matcher
from dupeview.core.report import display_path
from dupeview.core.scanner import Library

ROOT = Path(__file__).resolve().parents[2]
CLI_TIMEOUT = 120

# -- the CLI --------------------------------------------------------------------------------------


def cli_env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT)}


def cli_args(*args: str) -> list[str]:
    return [sys.executable, "-m", "dupeview", *args]


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cli_args(*args), capture_output=True, text=True, env=cli_env(),
                          timeout=CLI_TIMEOUT, errors="replace")


def scan_json(folder: Path | str, *args: str) -> tuple[subprocess.CompletedProcess[str], dict[str, Any]]:
    """`dupeview scan FOLDER --format json --workers 2 --quiet ARGS`: must exit 0 with JSON and a clean stderr."""
    result = run_cli("scan", str(folder), "--format", "json", "--workers", "2", "--quiet", *args)
    assert result.returncode == 0, f"exit {result.returncode}: {result.stderr[-2000:]}"
    assert_clean_stderr(result.stderr)
    return result, json.loads(result.stdout)


def assert_clean_stderr(stderr: str) -> None:
    # Nothing at all is printed to stderr when it is not a terminal (no progress bar), so any
    # text there is a leak: a traceback, a Python warning, a worker's dying words.
    assert "Traceback" not in stderr, stderr[-3000:]
    assert stderr.strip() == "", stderr[-3000:]


# -- plain reasons ----------------------------------------------------------------------------------

_TECHNICAL = re.compile(r"Traceback|\b\w*(Error|Exception|Warning)\b|\bErrno\b|<[^>]*>|object at 0x|\w+\(['\"]")


def plain_reason_problem(reason: str) -> str | None:
    """Why a skip reason is not a short plain sentence, or None when it is."""
    if not reason or not reason.strip():
        return "empty"
    if "\n" in reason:
        return "several lines"
    if len(reason) > 100:
        return f"{len(reason)} characters long"
    if _TECHNICAL.search(reason):
        return f"technical text {_TECHNICAL.search(reason).group(0)!r}"  # type: ignore[union-attr]
    return None


# -- snapshots: nothing lost -------------------------------------------------------------------------


def snapshot(root: Path) -> dict[str, str]:
    """Every entry under root (links not followed) -> what it is: a file's sha256, a link's target."""
    out: dict[str, str] = {}
    for folder, dirs, files in os.walk(root):
        for name in dirs + files:
            path = os.path.join(folder, name)
            rel = os.path.relpath(path, root)
            st = os.lstat(path)
            if stat.S_ISLNK(st.st_mode):
                out[rel] = "link:" + os.readlink(path)
            elif stat.S_ISREG(st.st_mode):
                with open(path, "rb") as fh:
                    out[rel] = "file:" + hashlib.sha256(fh.read()).hexdigest()
            elif stat.S_ISDIR(st.st_mode):
                out[rel] = "dir"
            else:
                out[rel] = f"special:{stat.S_IFMT(st.st_mode):o}"
    return out


def lost(before: dict[str, str], after: dict[str, str], changed_on_purpose: set[str] = frozenset()) -> list[str]:
    """Entries that vanished or changed, other than those the test itself changed."""
    return sorted(k for k, v in before.items() if k not in changed_on_purpose and after.get(k) != v)


# -- groups, independent of where the folder is --------------------------------------------------------

Signature = set[tuple[str, frozenset[str]]]   # {(keeper, members)} by path relative to the scanned root


def library_groups(library: Library, root: Path | str) -> Signature:
    groups = Matcher(library).groups(GroupOptions())
    rel = [os.path.relpath(r.path, root) for r in library.records]
    return {(rel[g.keeper.index], frozenset(rel[m.index] for m in g.members)) for g in groups}


def json_groups(doc: dict[str, Any], root: Path | str) -> Signature:
    prefix = display_path(os.path.abspath(root))[0] + os.sep

    def rel(p: str) -> str:
        assert p.startswith(prefix), p
        return p[len(prefix):]

    out = set()
    for g in doc["groups"]:
        keeper = [m["path"] for m in g["members"] if m["keeper"]]
        assert len(keeper) == 1
        out.add((rel(keeper[0]), frozenset(rel(m["path"]) for m in g["members"])))
    return out


def shown(rel: str) -> str:
    """A relative path as the JSON report prints it (\\xNN for bytes that are not UTF-8)."""
    return display_path(rel)[0]


# -- mounts and attributes (we run as root) --------------------------------------------------------------


def _sh(*cmd: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(list(cmd), capture_output=True, text=True, timeout=30)


@contextlib.contextmanager
def tmpfs(target: Path, size: str) -> Iterator[Path]:
    """A tiny tmpfs mounted at target; unmounted afterwards whatever happens."""
    target.mkdir(parents=True, exist_ok=True)
    result = _sh("mount", "-t", "tmpfs", "-o", f"size={size},mode=0755", "tmpfs", str(target))
    if result.returncode != 0:
        raise OSError(f"cannot mount a tmpfs: {result.stderr.strip()}")
    try:
        yield target
    finally:
        _umount(target)


@contextlib.contextmanager
def read_only_view(source: Path, target: Path) -> Iterator[Path]:
    """source, seen read-only at target through a bind mount remounted ro."""
    target.mkdir(parents=True, exist_ok=True)
    result = _sh("mount", "--bind", str(source), str(target))
    if result.returncode != 0:
        raise OSError(f"cannot bind-mount: {result.stderr.strip()}")
    try:
        result = _sh("mount", "-o", "remount,bind,ro", str(target))
        if result.returncode != 0:
            raise OSError(f"cannot remount read-only: {result.stderr.strip()}")
        yield target
    finally:
        _umount(target)


def _umount(target: Path) -> None:
    for _ in range(50):
        if _sh("umount", str(target)).returncode == 0:
            return
        time.sleep(0.1)  # a child that still has a file open there: give it a moment
    _sh("umount", "-l", str(target))


@contextlib.contextmanager
def immutable(*paths: Path) -> Iterator[None]:
    """chattr +i: not even root may write, rename or delete; cleared afterwards."""
    done: list[Path] = []
    try:
        for p in paths:
            result = _sh("chattr", "+i", str(p))
            if result.returncode != 0:
                raise OSError(f"chattr +i failed: {result.stderr.strip()}")
            done.append(p)
        yield
    finally:
        for p in done:
            _sh("chattr", "-i", str(p))


def fill(folder: Path, name: str = "filler") -> Path:
    """Write zeros into folder until its file system is full."""
    path = folder / name
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND)
    try:
        for block in (65536, 4096, 512, 1):
            with contextlib.suppress(OSError):
                while True:
                    os.write(fd, b"\0" * block)
    finally:
        os.close(fd)
    return path


# -- processes ------------------------------------------------------------------------------------------


def session_members(sid: int) -> list[int]:
    """Live (not zombie) processes in session sid: the CLI started with start_new_session and its children."""
    out = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[3]) == sid and fields[0] != "Z":
            out.append(int(entry))
    return out


def kill_each(pids: list[int]) -> None:
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


def copy_tree(files: list[str], source: Path, target: Path) -> Path:
    for rel in files:
        dst = target / rel
        dst.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source / rel, dst)
    return target
