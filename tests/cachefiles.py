"""Cache files for tests: a real dupeview cache with its pages damaged (header kept), and foreign files."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from dupeview.core.cache import FingerprintCache
from dupeview.core.decode import DecodeFailure


def damaged_cache(path: Path, rows: int = 50) -> bytes:
    """Make a real dupeview cache at path, then overwrite everything after its 100-byte header with
    garbage: still recognisably ours (SQLite header, our application_id), but unreadable. Returns its bytes."""
    with FingerprintCache(path) as cache:
        cache.store((f"/x/{k}.jpg", DecodeFailure("test", k, k, k)) for k in range(rows))
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.close()
    data = bytearray(path.read_bytes())
    garbage = (b"damaged page " * (len(data) // 13 + 1))[: len(data) - 100]
    data[100:] = garbage
    for suffix in ("-wal", "-shm"):
        if os.path.exists(str(path) + suffix):
            os.remove(str(path) + suffix)
    path.write_bytes(bytes(data))
    return bytes(data)
