"""Scanning with the real process pool: results, progress, cancel and resume."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from dupeview.core.cache import FingerprintCache
from dupeview.core.progress import Cancelled, CancelToken, Progress
from dupeview.core.scanner import ScanSettings, scan
from tests.images import photo, save


def library_dir(root: Path, count: int) -> Path:
    for k in range(count):
        save(photo(k, (96, 64)), root / f"{k:03d}.jpg")
    (root / "broken.jpg").write_bytes(b"\xff\xd8\xff\xe0 not really")
    return root


def test_pool_scan_matches_in_process_scan(tmp_path: Path) -> None:
    root = library_dir(tmp_path / "lib", 12)
    events: list[Progress] = []
    with FingerprintCache(None) as cache:
        pooled = scan(ScanSettings((str(root),), workers=2, batch_size=3), cache, events.append)
    with FingerprintCache(None) as cache:
        local = scan(ScanSettings((str(root),), workers=0), cache)
    assert [r.path for r in pooled.records] == [r.path for r in local.records]
    assert (pooled.hashes == local.hashes).all()
    assert [s.path for s in pooled.skipped] == [str(root / "broken.jpg")]
    hashing = [e for e in events if e.phase == "hash"]
    assert hashing[-1].done == hashing[-1].total == 13
    assert hashing[-1].bytes_done == hashing[-1].bytes_total > 0


def test_cancel_keeps_work_and_rescan_resumes(tmp_path: Path) -> None:
    root = library_dir(tmp_path / "lib", 40)
    db = tmp_path / "c.sqlite3"
    token = CancelToken()
    seen = threading.Event()

    def progress(p: Progress) -> None:
        if p.phase == "hash" and p.done >= 1:
            token.cancel()
            seen.set()

    with FingerprintCache(db) as cache:
        with pytest.raises(Cancelled):
            scan(ScanSettings((str(root),), workers=1, batch_size=1), cache, progress, token)
        kept = len(cache)
    assert seen.is_set() and 1 <= kept < 41
    with FingerprintCache(db) as cache:
        resumed = scan(ScanSettings((str(root),), workers=1), cache)
    assert resumed.reused == kept and resumed.hashed == 41 - kept
    assert len(resumed.records) == 40


def test_a_decoder_crash_is_pinned_on_its_file_and_the_scan_goes_on(tmp_path: Path) -> None:
    from tests import crashers

    root = library_dir(tmp_path / "lib", 30)
    (root / "015_bomb.jpg").write_bytes(crashers.MAGIC + b"\0" * 100)
    with FingerprintCache(None) as cache:
        library = scan(ScanSettings((str(root),), workers=2, batch_size=4, worker_setup=crashers.install), cache)
    assert len(library.records) == 30
    reasons = {Path(s.path).name: s.reason for s in library.skipped}
    assert reasons == {"015_bomb.jpg": "the image decoder crashed on this file",
                       "broken.jpg": reasons["broken.jpg"]}
