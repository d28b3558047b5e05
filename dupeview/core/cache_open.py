"""Opening a cache file: the switch to WAL, the quick check (in a thread of its own), the recovery lock."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager


def quick_check(conn: sqlite3.Connection) -> None:
    """sqlite3.DatabaseError unless PRAGMA quick_check says the file is sound."""
    row = conn.execute("PRAGMA quick_check(1)").fetchone()
    if row is None or row[0] != "ok":
        raise sqlite3.DatabaseError(row[0] if row else "quick_check failed")


def enable_wal(conn: sqlite3.Connection) -> None:
    """Switch to WAL. SQLite answers "database is locked" at once, without waiting, when another
    process is creating the same new file; retry for a few seconds like busy_timeout would."""
    deadline = time.monotonic() + 10.0
    while True:
        try:
            conn.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if getattr(exc, "sqlite_errorcode", 0) & 0xFF != sqlite3.SQLITE_BUSY or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


@contextmanager
def recovery_lock(folder: str) -> Iterator[None]:
    """An advisory lock between processes on the cache's folder (POSIX); elsewhere, none."""
    try:
        import fcntl
        fd: int | None = os.open(folder, os.O_RDONLY)
    except (ImportError, OSError):
        fd = None
    try:
        if fd is not None:
            with contextlib.suppress(OSError):  # a file system without locks: recover unlocked, as before
                fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        if fd is not None:
            os.close(fd)  # releases the lock


def identity(path: str) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_dev, st.st_ino)


def is_damage(exc: sqlite3.DatabaseError) -> bool:
    """Corrupt, or not a database at all; not an error of the medium (read-only, full, I/O, locked)."""
    code = getattr(exc, "sqlite_errorcode", None)
    return code is None or code & 0xFF in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB)


class Check:
    """PRAGMA quick_check of one cache file in a thread of its own, on a connection of its own."""

    def __init__(self, path: str) -> None:
        self._failure: BaseException | None = None
        self._thread = threading.Thread(target=self._run, args=(path,), name="cache-check", daemon=True)
        self._thread.start()

    def _run(self, path: str) -> None:
        try:
            conn = sqlite3.connect(path, timeout=30.0)
            try:
                quick_check(conn)
            finally:
                conn.close()
        except (sqlite3.Error, OSError) as exc:
            self._failure = exc

    def result(self) -> BaseException | None:
        """None when the file passed; else the error, as the check in the open would have raised it."""
        self._thread.join()
        return self._failure
