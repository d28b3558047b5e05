"""The user's "not duplicates" decisions, in their own small database under the data folder (never the cache).

The fingerprint cache is disposable: it is moved aside when damaged or when its schema
changes. Decisions are the user's work, so they live apart; the ones an older version
kept in the cache are copied over once, when this store is first created.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
import time
from collections.abc import Iterable
from pathlib import Path

log = logging.getLogger(__name__)

SCHEMA_VERSION = 1
_SCHEMA = """
CREATE TABLE IF NOT EXISTS not_duplicates (
    a BLOB NOT NULL,
    b BLOB NOT NULL,
    decided REAL NOT NULL,
    PRIMARY KEY (a, b)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS migrations (name TEXT PRIMARY KEY, done REAL NOT NULL);
"""
BUSY_TIMEOUT_S = 5.0

Pair = tuple[str, str]


def ordered(a: str, b: str) -> Pair:
    """One spelling per pair, whichever way round it was decided (the order core/review.py stores)."""
    return (a, b) if a <= b else (b, a)


class DecisionStore:
    """Pairs of files the user said are not copies of each other. Open, read or add, close; one thread at a time."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self._conn: sqlite3.Connection | None = None

    def _open(self) -> sqlite3.Connection:
        if self._conn is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S)
            try:
                with conn:
                    conn.executescript(_SCHEMA)
                    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            except BaseException:
                conn.close()   # a locked or damaged file: the caller reports it; never leave the handle open
                raise
            self._conn = conn
        return self._conn

    def pairs(self) -> set[Pair]:
        rows = self._open().execute("SELECT a, b FROM not_duplicates")
        return {(os.fsdecode(a), os.fsdecode(b)) for a, b in rows}

    def add(self, pairs: Iterable[Pair]) -> None:
        now = time.time()
        rows = [(os.fsencode(a), os.fsencode(b), now) for a, b in (ordered(*p) for p in pairs)]
        conn = self._open()
        with conn:
            conn.executemany("INSERT OR IGNORE INTO not_duplicates (a, b, decided) VALUES (?, ?, ?)", rows)

    def remove(self, pairs: Iterable[Pair]) -> None:
        rows = [(os.fsencode(a), os.fsencode(b)) for a, b in (ordered(*p) for p in pairs)]
        conn = self._open()
        with conn:
            conn.executemany("DELETE FROM not_duplicates WHERE a = ? AND b = ?", rows)

    def migrate_from_cache(self, cache_path: str | os.PathLike[str]) -> int:
        """Copy the decisions an older version kept in the fingerprint cache, once; returns how many."""
        conn = self._open()
        if conn.execute("SELECT 1 FROM migrations WHERE name = 'cache'").fetchone():
            return 0
        found = _cache_pairs(Path(cache_path))
        self.add(found)
        with conn:
            conn.execute("INSERT OR IGNORE INTO migrations (name, done) VALUES ('cache', ?)", (time.time(),))
        if found:
            log.info("copied %d not-duplicate decisions from %s", len(found), cache_path)
        return len(found)

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def __enter__(self) -> DecisionStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _cache_pairs(cache_path: Path) -> set[Pair]:
    """The pairs in an old cache's not_duplicates table, read-only; none if there is no such cache or table."""
    if not cache_path.is_file():
        return set()
    try:
        conn = sqlite3.connect(f"{cache_path.as_uri()}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_S)
    except sqlite3.Error:
        return set()
    try:
        rows = conn.execute("SELECT a, b FROM not_duplicates").fetchall()
    except sqlite3.Error as exc:   # no such table, or a damaged cache: nothing to bring over
        log.info("no decisions to copy from %s: %s", cache_path, exc)
        return set()
    finally:
        with contextlib.suppress(sqlite3.Error):
            conn.close()
    return {(os.fsdecode(a), os.fsdecode(b)) for a, b in rows}


def load(path: str | os.PathLike[str], cache_path: str | os.PathLike[str] | None = None) -> frozenset[Pair]:
    """Every decision, after the one-time copy from an old cache; for a worker thread at start-up."""
    with DecisionStore(path) as store:
        if cache_path is not None:
            store.migrate_from_cache(cache_path)
        return frozenset(store.pairs())
