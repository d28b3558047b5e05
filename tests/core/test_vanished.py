"""Cache pruning with real folders and a real cache file: files gone from a walked root are
forgotten at the end of a scan; files merely out of reach (missing root, empty mount point,
another root, excluded, cancelled scan) keep their fingerprints."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from dupeview.core.cache import FingerprintCache
from dupeview.core.discovery import DiscoveryOptions
from dupeview.core.progress import Cancelled, CancelToken, Progress
from dupeview.core.scanner import ScanSettings, scan
from tests.images import photo, save


def make(root: Path, names: list[str], seed: int = 0) -> list[str]:
    for k, name in enumerate(names):
        save(photo(seed + k, (64, 48)), root / name)
    return [str(root / n) for n in names]


def cached(db: Path) -> set[str]:
    with FingerprintCache(db) as cache:
        return {p for p, _ in cache.entries()}


def rescan(db: Path, *roots: Path, options: DiscoveryOptions | None = None, cancel: CancelToken | None = None,
           progress: object = None) -> list[str]:
    with FingerprintCache(db) as cache:
        library = scan(ScanSettings(tuple(str(r) for r in roots), options or DiscoveryOptions(), workers=0), cache, progress, cancel)  # type: ignore[arg-type]
        return library.vanished


def test_deleted_and_renamed_files_are_forgotten(tmp_path: Path) -> None:
    lib, db = tmp_path / "lib", tmp_path / "c.sqlite3"
    paths = make(lib, ["a.jpg", "b.jpg", "sub/c.jpg", "sub/deep/d.jpg", "old/e.jpg"])
    rescan(db, lib)
    assert cached(db) == set(paths)

    os.unlink(paths[0])
    os.rename(paths[1], lib / "b2.jpg")
    shutil.rmtree(lib / "old")  # a whole folder deleted: its parent still holds files
    assert sorted(rescan(db, lib)) == sorted([paths[0], paths[1], paths[4]])
    assert cached(db) == {str(lib / "b2.jpg"), paths[2], paths[3]}

    # Renames back and forth: the cache stays the size of the library.
    for k in range(5):
        os.rename(lib / ("b2.jpg" if k % 2 == 0 else "b3.jpg"), lib / ("b3.jpg" if k % 2 == 0 else "b2.jpg"))
        rescan(db, lib)
    assert len(cached(db)) == 3
    assert rescan(db, lib) == []


def test_a_missing_root_keeps_its_fingerprints(tmp_path: Path) -> None:
    drive, db = tmp_path / "media" / "Backup", tmp_path / "c.sqlite3"
    paths = make(drive, ["x.jpg", "y/z.jpg"])
    rescan(db, drive)
    os.rename(drive, tmp_path / "unplugged")  # the drive is gone, its mount point with it
    assert rescan(db, drive) == [] and cached(db) == set(paths)


def test_an_empty_mount_point_keeps_its_fingerprints(tmp_path: Path) -> None:
    lib, db = tmp_path / "lib", tmp_path / "c.sqlite3"
    inside = make(lib, ["keep.jpg", "drive/p.jpg", "drive/q/r.jpg"])
    root_only = make(tmp_path / "mnt", ["m.jpg"], seed=10)
    rescan(db, lib, tmp_path / "mnt")
    # Unmounted: the mount point stays as an empty folder, inside a root or as a root.
    shutil.rmtree(lib / "drive")
    (lib / "drive").mkdir()
    os.unlink(root_only[0])
    assert rescan(db, lib, tmp_path / "mnt") == []
    assert cached(db) == {*inside, *root_only}


def test_other_roots_excluded_and_hidden_files_keep_their_entries(tmp_path: Path) -> None:
    a, b, db = tmp_path / "a", tmp_path / "b", tmp_path / "c.sqlite3"
    in_a = make(a, ["1.jpg", "skip-me.jpg", ".hidden.jpg"])
    in_b = make(b, ["2.jpg", "3.jpg"], seed=5)
    rescan(db, a, b, options=DiscoveryOptions(include_hidden=True))
    os.unlink(in_b[0])
    # Only a is scanned, with an exclusion and hidden files off: nothing of b is checked, and a's
    # unlisted files are still on disk.
    assert rescan(db, a, options=DiscoveryOptions(exclude_patterns=("skip-*",))) == []
    assert cached(db) == {*in_a, *in_b}
    assert rescan(db, b) == [in_b[0]]


def test_a_cancelled_scan_forgets_nothing(tmp_path: Path) -> None:
    lib, db = tmp_path / "lib", tmp_path / "c.sqlite3"
    paths = make(lib, ["a.jpg", "b.jpg"])
    rescan(db, lib)
    os.unlink(paths[0])
    make(lib, ["new1.jpg", "new2.jpg"], seed=20)  # something to hash, so the scan can be stopped midway
    token = CancelToken()

    def progress(p: Progress) -> None:
        if p.phase == "hash" and p.done >= 1:
            token.cancel()

    with pytest.raises(Cancelled):
        rescan(db, lib, cancel=token, progress=progress)
    assert paths[0] in cached(db)
    assert rescan(db, lib) == [paths[0]]


def test_a_warm_rescan_counts_beside_discovery_and_a_scan_that_writes_counts_again(tmp_path: Path) -> None:
    from dupeview.core.vanished import EarlyCounts

    lib, db = tmp_path / "lib", tmp_path / "c.sqlite3"
    a, b, keep = make(lib, ["a.jpg", "sub/b.jpg", "sub/keep.jpg"])  # (an emptied folder is never pruned)
    rescan(db, lib)
    with FingerprintCache(db) as cache:
        assert EarlyCounts(cache, [str(lib)]).get(str(lib)) == 3  # the thread's own read-only count
        assert EarlyCounts(cache, [str(lib / "sub")]).get(str(lib / "sub")) == 2
    with FingerprintCache(None) as memory:
        assert EarlyCounts(memory, [str(lib)]).get(str(lib)) is None
    os.unlink(b)
    assert rescan(db, lib) == [b]  # nothing to hash: the early count (3 for 2 files listed) tells
    # One gone and one new: counted before the new one was stored, 3 entries for 3 files would hide the
    # gone one; the scan that wrote an entry counts again.
    make(lib, ["sub/b.jpg"])
    rescan(db, lib)
    (c,) = make(lib, ["c.jpg"], seed=7)
    os.unlink(b)
    assert rescan(db, lib) == [b]
    assert cached(db) == {a, keep, c}
