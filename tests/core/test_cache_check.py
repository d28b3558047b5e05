"""The cache's quick check runs beside the caller's first work, and still keeps a damaged file out of use."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from dupeview.core.cache import FingerprintCache
from dupeview.core.decode import DecodeFailure
from dupeview.core.scanner import ScanSettings, scan
from tests.images import make_photos


def _damage_a_table_page(db: Path) -> bytes:
    """A cache of many rows whose schema still reads but one page of the files table is garbage."""
    with FingerprintCache(db) as cache:
        cache.store((f"/x/{k:05d}.jpg", DecodeFailure("test " * 20, k, k, k)) for k in range(3000))
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.execute("PRAGMA journal_mode = DELETE")
    page = conn.execute("PRAGMA page_size").fetchone()[0]
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.close()
    assert pages > 20
    data = bytearray(db.read_bytes())
    at = page * (pages // 2)
    data[at:at + page] = (b"damaged page " * (page // 13 + 1))[:page]
    db.write_bytes(bytes(data))
    return bytes(data)


def test_a_damaged_table_page_is_found_and_the_file_moved_aside(tmp_path: Path) -> None:
    db = tmp_path / "c.sqlite3"
    damaged = _damage_a_table_page(db)
    with FingerprintCache(db) as cache:
        assert cache.warnings and "damaged" in cache.warnings[0]
        assert len(cache) == 0
    [aside] = [p for p in tmp_path.iterdir() if p.name.startswith("c.sqlite3.corrupt-") and not p.name.endswith(("-wal", "-shm"))]
    # Kept for whoever wants to look: its pages as they were (opening it switched its header to WAL).
    assert aside.read_bytes()[100:] == damaged[100:]


def test_a_scan_on_a_damaged_cache_uses_a_new_one(tmp_path: Path) -> None:
    db = tmp_path / "c.sqlite3"
    _damage_a_table_page(db)
    root = tmp_path / "lib"
    make_photos(root, n_groups=2)
    with FingerprintCache(db) as cache:
        library = scan(ScanSettings((str(root),), workers=0, algorithms=("phash",)), cache)
        assert any("damaged" in w for w in library.warnings)
        assert library.hashed == len(library) > 0
    with FingerprintCache(db) as cache:  # the new cache holds this scan's entries
        assert len(cache) == len(library) and not cache.warnings
