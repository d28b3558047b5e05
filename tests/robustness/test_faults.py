"""Faults from outside the files: decoders that die, and a CLI scan killed with SIGKILL midway."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import time
from contextlib import closing
from pathlib import Path

from dupeview.core.cache import FingerprintCache
from dupeview.core.scanner import CRASH_REASON, ScanSettings, scan
from tests import crashers
from tests.images import photo, save
from tests.robustness.helpers import (
    cli_args,
    cli_env,
    json_groups,
    kill_each,
    library_groups,
    scan_json,
    session_members,
)


def test_several_crashing_files_in_different_batches(tmp_path: Path) -> None:
    """Four files that kill their decoder process, spread over the batches: every other file is hashed."""
    root = tmp_path / "lib"
    for k in range(36):
        save(photo(k, (64, 48)), root / f"{k:03d}.jpg")
    save(photo(0, (64, 48)).resize((48, 36)), root / "000_small.jpg")       # one real group
    bombs = [f"{k:03d}_crash.jpg" for k in (2, 11, 20, 33)]                   # batch size 4: four batches
    for name in bombs:
        (root / name).write_bytes(crashers.MAGIC + b"\0" * 100)
    with FingerprintCache(None) as cache:
        library = scan(ScanSettings((str(root),), workers=2, batch_size=4, worker_setup=crashers.install), cache)
    with FingerprintCache(None) as cache:
        plain = scan(ScanSettings((str(root),), workers=0), cache)           # no crashing plugin here

    assert {Path(s.path).name: s.reason for s in library.skipped} == dict.fromkeys(bombs, CRASH_REASON)
    assert [r.path for r in library.records] == [r.path for r in plain.records]
    assert len(library.records) == 37
    assert (library.hashes == plain.hashes).all()
    assert library_groups(library, root) == library_groups(plain, root)
    assert len(library_groups(library, root)) == 1


def _rows(db: Path) -> int:
    """Committed rows, read without writing anything (WAL readers never block the scan)."""
    if not db.exists():
        return 0
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1.0)
        try:
            return int(conn.execute("SELECT count(*) FROM files").fetchone()[0])
        finally:
            conn.close()
    except sqlite3.Error:
        return 0  # not created far enough yet


def test_kill_9_midway_then_rescan_reuses_the_work(tmp_path: Path) -> None:
    root = tmp_path / "lib"
    n = 1500
    for k in range(n):
        save(photo(k, (48, 36)), root / f"{k // 100:02d}" / f"{k:04d}.jpg", quality=85)
    for k in range(0, n, 100):                                                # 15 real groups
        save(photo(k, (48, 36)).resize((40, 30)), root / f"{k // 100:02d}" / f"{k:04d}_small.jpg")
    total = n + 15
    db = tmp_path / "cache.sqlite3"

    args = cli_args("scan", str(root), "--cache", str(db), "--workers", "2", "--quiet", "--format", "json")
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=cli_env(),
                            start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while proc.poll() is None and _rows(db) < 300 and time.monotonic() < deadline:
            time.sleep(0.003)
        assert proc.poll() is None, "the scan finished before it could be killed: make the library larger"
        os.kill(proc.pid, signal.SIGKILL)
        assert proc.wait(timeout=10) == -signal.SIGKILL
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        if proc.stderr is not None:
            proc.stderr.close()
    committed = _rows(db)
    assert 300 <= committed < total

    # Its decoder processes (and the pool's helpers) do not outlive it.
    deadline = time.monotonic() + 10
    while session_members(proc.pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    left = session_members(proc.pid)
    kill_each(left)
    assert left == [], "processes of the killed scan are still running"

    _, resumed = scan_json(root, "--cache", str(db))
    _, fresh = scan_json(root, "--cache", str(tmp_path / "fresh.sqlite3"))
    reused = resumed["summary"]["from_cache"]
    print(f"\nkill -9: {committed} fingerprints committed before the kill, {reused} reused by the rescan "
          f"({100 * reused / committed:.0f}%), {resumed['summary']['hashed']} hashed")
    assert reused >= 0.9 * committed
    assert resumed["summary"]["images"] == fresh["summary"]["images"] == total
    assert resumed["summary"]["skipped"] == 0 and resumed["warnings"] == []
    assert json_groups(resumed, root) == json_groups(fresh, root)
    assert len(fresh["groups"]) == 15
    with closing(sqlite3.connect(db)) as conn, conn:
        assert conn.execute("SELECT count(*) FROM files").fetchone()[0] == total
