"""A cold scan that holds only the compared algorithm: each folder's pack (every algorithm) is written as
soon as its last file is decoded, the codes of the other algorithms are let go with it, and the library
it gives equals a warm rescan's of the same cache and an uncached scan's holding every algorithm."""

from __future__ import annotations

import os
import sqlite3
import time
from contextlib import closing
from pathlib import Path

import numpy as np
import pytest

from dupeview.core import decode
from dupeview.core.assemble import Assembly
from dupeview.core.cache import FingerprintCache
from dupeview.core.discovery import DiscoveryOptions, discover
from dupeview.core.fingerprint import ALGORITHMS
from dupeview.core.progress import Cancelled, CancelToken, Progress, ProgressCallback
from dupeview.core.records import Library
from dupeview.core.scanner import ScanSettings, scan
from tests.images import photo, save

ASKED = ("phash",)


def _library(root: Path) -> Path:
    for k in range(5):
        save(photo(k, (64, 48)), root / "a" / f"{k}.jpg")
        save(photo(10 + k, (72, 54)), root / "b" / f"{k}.jpg")  # sizes alike: no outlier goes first
    save(photo(1, (64, 48)).resize((48, 36)), root / "b" / "copy-of-a1.jpg")  # a real duplicate
    (root / "b" / "broken.jpg").write_bytes(b"\xff\xd8\xff not a picture")
    for k in range(3):
        save(photo(20 + k, (50, 50)), root / "c" / "deeper" / f"{k}.jpg")
    return root


def _scan(root: Path, db: Path | None, workers: int = 0, algorithms: tuple[str, ...] = ASKED,
          cancel: CancelToken | None = None, progress: ProgressCallback | None = None) -> Library:
    with FingerprintCache(db) as cache:
        return scan(ScanSettings((str(root),), workers=workers, batch_size=2, algorithms=algorithms), cache,
                    progress, cancel)


def _assert_same(a: Library, b: Library) -> None:
    assert list(a.records) == list(b.records)
    for name in ALGORITHMS:  # the pending ones read from the cache, as the app reads them
        assert np.array_equal(a.codes(name), b.codes(name)), name
    assert np.array_equal(a.views, b.views) and np.array_equal(a.flatness, b.flatness)
    assert a.skipped == b.skipped


def _pack_codes(db: Path) -> dict[str, dict[str, np.ndarray]]:
    with closing(sqlite3.connect(db)) as conn, conn:
        rows = conn.execute(f"SELECT folder, names, {', '.join(ALGORITHMS)} FROM packs").fetchall()
    out = {}
    for folder, names, *blobs in rows:
        out[os.fsdecode(folder)] = {"names": bytes(names).split(b"\0"),
                                   **{a: np.frombuffer(b, "<u8").reshape(-1, 8) for a, b in zip(ALGORITHMS, blobs, strict=True)}}
    return out


@pytest.mark.parametrize("workers", [0, 2])
def test_a_cold_scan_of_one_algorithm_equals_a_warm_rescan_and_packs_every_algorithm(tmp_path: Path, workers: int) -> None:
    root = _library(tmp_path / "lib")
    full = _scan(root, None, algorithms=ALGORITHMS)  # no cache: every algorithm held in memory
    db = tmp_path / "c.sqlite3"
    cold = _scan(root, db, workers=workers)
    assert (cold.hashed, cold.reused, len(cold)) == (15, 0, 14) and cold.pending == frozenset(ALGORITHMS) - {"phash"}
    assert [s.path for s in cold.skipped] == [str(root / "b" / "broken.jpg")]
    # Every folder's pack holds every algorithm's codes, as decoded (the broken file: its row, no codes).
    got = _pack_codes(db)
    assert set(got) == {str(root / d) for d in ("a", "b", os.path.join("c", "deeper"))}
    index = {p: k for k, p in enumerate(full.table.paths)}
    for folder, pack in got.items():
        rows = [index[os.path.join(folder, os.fsdecode(n))] for n in pack["names"] if os.fsdecode(n) != "broken.jpg"]
        ok = [k for k, n in enumerate(pack["names"]) if os.fsdecode(n) != "broken.jpg"]
        for a in ALGORITHMS:
            assert np.array_equal(pack[a][ok], full.codes(a)[rows]), (folder, a)
    warm = _scan(root, db, workers=workers)
    assert (warm.hashed, warm.reused) == (0, 15)
    _assert_same(cold, warm)
    _assert_same(cold, full)


def test_the_assembly_writes_no_codes_of_algorithms_it_does_not_hold_and_lets_a_folders_go_with_its_pack(
        tmp_path: Path) -> None:
    root = _library(tmp_path / "lib")
    found = discover([str(root)], DiscoveryOptions())
    with FingerprintCache(tmp_path / "c.sqlite3") as cache:
        slots = Assembly(found, ASKED)
        slots.fill_from_packs(cache)  # an empty cache: every folder is dirty
    folders = [run[0] for run in slots.dirty]
    a = folders.index(str(root / "a"))
    _, start, stop = slots.dirty[a]
    values = {k: decode.analyse(found.paths[k]) for k in range(start, stop)}
    for k in range(start, stop - 1):
        slots.put(k, values[k])
    assert slots.take_complete() == []  # one file of "a" still unanswered
    slots.put(stop - 1, values[stop - 1])
    assert slots.take_complete() == [a]
    [(folder, pack)] = list(slots.new_packs([a]))
    assert folder == str(root / "a") and slots._staged == {}  # the folder's other codes went with its pack
    for name in ALGORITHMS:
        want = np.stack([np.frombuffer(values[k].hashes, "<u8").reshape(len(ALGORITHMS), 8)[ALGORITHMS.index(name)]
                         for k in range(start, stop)])
        assert np.array_equal(pack.codes[name], want), name
    held = ALGORITHMS.index("phash")
    for p in range(len(ALGORITHMS)):
        assert bool(slots.codes[p].any()) == (p == held)  # only pHash's plane was ever written
    assert list(slots.new_packs([a])) == []  # taken once


class _Stop:
    """Cancels the scan once `after` files have been decoded (every report gets through: see the sleep)."""

    def __init__(self, token: CancelToken, after: int) -> None:
        self.token, self.after = token, after

    def __call__(self, p: Progress) -> None:
        if p.phase == "hash" and p.done >= self.after:
            self.token.cancel()
        time.sleep(0.11)  # longer than the reporter's interval: the next file reports too


def test_a_cancelled_cold_scan_keeps_its_decodes_and_the_packs_of_the_folders_it_finished(tmp_path: Path) -> None:
    root = _library(tmp_path / "lib")
    db = tmp_path / "c.sqlite3"
    token = CancelToken()
    # Discovery order: a (5 files), b (7), c/deeper (3); cancelled in b after a is whole.
    with pytest.raises(Cancelled):
        _scan(root, db, cancel=token, progress=_Stop(token, 7))
    with closing(sqlite3.connect(db)) as conn, conn:
        rows = conn.execute("SELECT count(*) FROM files").fetchone()[0]
    assert rows == 7
    got = _pack_codes(db)
    assert list(got) == [str(root / "a")] and len(got[str(root / "a")]["names"]) == 5
    again = _scan(root, db)
    assert (again.hashed, again.reused) == (8, 7)  # the rest of b and c; a from its pack, two of b from rows
    _assert_same(again, _scan(root, tmp_path / "fresh.sqlite3"))
    assert set(_pack_codes(db)) == {str(root / d) for d in ("a", "b", os.path.join("c", "deeper"))}


def test_a_vanished_file_does_not_cost_its_folder_the_pack_this_scan_wrote(tmp_path: Path) -> None:
    root = _library(tmp_path / "lib")
    db = tmp_path / "c.sqlite3"
    _scan(root, db)
    (root / "a" / "0.jpg").unlink()
    save(photo(77, (64, 48)), root / "a" / "new.jpg")
    again = _scan(root, db)
    assert again.vanished == [str(root / "a" / "0.jpg")] and again.hashed == 1
    assert [os.fsdecode(n) for n in _pack_codes(db)[str(root / "a")]["names"]] == ["1.jpg", "2.jpg", "3.jpg", "4.jpg", "new.jpg"]
    # A pack that does name a forgotten file goes with it.
    with FingerprintCache(db) as cache:
        cache.forget([str(root / "a" / "2.jpg"), str(root / "b" / "nothing-here.jpg")])
    assert set(_pack_codes(db)) == {str(root / "b"), str(root / "c" / "deeper")}
    third = _scan(root, db)
    assert (third.hashed, third.vanished) == (1, [])


def test_the_row_look_up_is_skipped_only_when_the_cache_holds_nothing_under_the_roots(tmp_path: Path) -> None:
    root = _library(tmp_path / "lib")
    db = tmp_path / "c.sqlite3"
    _scan(root, db)
    with FingerprintCache(db) as cache:
        assert cache.holds_any([str(root)]) and cache.holds_any([str(root / "a" / "0.jpg")])  # a file root
        assert cache.holds_any([str(tmp_path / "elsewhere"), os.path.relpath(root / "b")])
        assert not cache.holds_any([str(tmp_path / "lib2"), str(tmp_path / "li"), str(root / "a" / "0.jp")])
    # Rows without packs (a migrated cache): the look-up answers every file, nothing is decoded.
    with closing(sqlite3.connect(db)) as conn, conn:
        conn.execute("DELETE FROM packs")
    assert _scan(root, db).hashed == 0
