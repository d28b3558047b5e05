"""The fingerprint cache: one SQLite file, versioned, WAL, recovered rather than trusted when damaged."""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
import time
from collections.abc import Collection, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Final

from dupeview.core import packs
from dupeview.core.decode import PIPELINE_VERSION, DecodeFailure, ImageFacts

log = logging.getLogger(__name__)

# 3: the packs table (core/packs.py), derived from the files table; a schema-2 file gains it empty.
SCHEMA_VERSION: Final = 3
# Columns added since schema 1: old files get them added (their rows are of an older pipeline anyway).
_ADDED_COLUMNS: Final = (("views", "BLOB"), ("flatness", "REAL"))
MEMORY: Final = ":memory:"
# PRAGMA application_id of every dupeview cache ("DPVW"): a file without it is never opened as one.
APPLICATION_ID: Final = 0x44505657
_SQLITE_MAGIC: Final = b"SQLite format 3\x00"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS files (
    path      BLOB PRIMARY KEY,   -- os.fsencode(path): survives names that are not UTF-8
    size      INTEGER NOT NULL,
    mtime_ns  INTEGER NOT NULL,
    ctime_ns  INTEGER NOT NULL,
    error     TEXT,               -- NULL when fingerprinted; else why it could not be
    digest    BLOB,
    width     INTEGER,
    height    INTEGER,
    format    TEXT,
    taken     TEXT,
    camera    TEXT,
    contrast  REAL,
    hashes    BLOB,
    pipeline  INTEGER NOT NULL,
    views     BLOB,               -- core/views.py: derived views' fingerprints (schema 2)
    flatness  REAL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS not_duplicates (
    a BLOB NOT NULL,
    b BLOB NOT NULL,               -- a < b
    PRIMARY KEY (a, b)
) WITHOUT ROWID;
""" + packs.TABLE


# A cached entry is only used for a file with exactly these facts: (size, mtime_ns, ctime_ns).
CacheKey = tuple[int, int, int]


CachedValue = ImageFacts | DecodeFailure


class NotACacheError(Exception):
    """The path holds a file that is not a dupeview cache (a photo, a text file, another program's
    database): it is refused and left byte-for-byte untouched."""

    def __init__(self, path: str, what: str) -> None:
        super().__init__(f"{path} is not a dupeview fingerprint database ({what}); it was left untouched")
        self.path = path


def identify(path: str) -> None:
    """Raise NotACacheError unless path is missing, empty, or an SQLite file that is dupeview's: our
    application_id, or (written before the id existed) no id, a known user_version and our tables.
    Reads only the header and, for an old cache, the schema, read-only: nothing is ever written to a
    file that is not ours."""
    try:
        with open(path, "rb") as fh:
            header = fh.read(100)
    except FileNotFoundError:
        return
    except IsADirectoryError:
        raise NotACacheError(path, "a folder") from None
    except OSError:
        return  # unreadable: opening reports why, and nothing is moved aside for that
    if not header:
        return
    if not header.startswith(_SQLITE_MAGIC):
        raise NotACacheError(path, "not an SQLite database")
    if len(header) < 72:
        return  # an SQLite header cut short: a damaged file of ours is as likely as anything
    app_id = int.from_bytes(header[68:72], "big")
    user_version = int.from_bytes(header[60:64], "big")
    if app_id == APPLICATION_ID:
        return
    if app_id != 0:
        raise NotACacheError(path, f"an SQLite database of another program, application id {app_id:#x}")
    if not 1 <= user_version <= SCHEMA_VERSION:
        raise NotACacheError(path, "an SQLite database of another program")
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            columns = {row[1] for row in conn.execute("PRAGMA table_info(files)")}
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        return  # damaged in its schema: a damaged cache of ours (id 0 but our user_version)
    if "files" not in tables or not set(_SCHEMA1_COLUMNS) <= columns:
        raise NotACacheError(path, "an SQLite database of another program")


class FingerprintCache:
    """A disciplined wrapper over one SQLite file (schema in user_version, WAL, batched writes)."""

    def __init__(self, path: str | os.PathLike[str] | None) -> None:
        self.path = MEMORY if path is None or str(path) == MEMORY else str(path)
        self.warnings: list[str] = []
        self._conn = self._open()

    # -- opening and recovery -------------------------------------------------
    def _open(self) -> sqlite3.Connection:
        if self.path == MEMORY:
            return self._connect(MEMORY)
        seen = None
        identify(self.path)  # raises NotACacheError for anything that is not ours: never touched
        try:
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
            seen = _identity(self.path)
            conn = self._connect(self.path)
            self._check(conn)
            return conn
        except _NewerSchema as exc:
            return self._recover(f"the cache was written by a newer dupeview (schema {exc.version})", "newer", seen)
        except sqlite3.DatabaseError as exc:
            if not _is_damage(exc):
                # Read-only, full, locked or unreachable: the file may well be fine. Never move it aside.
                return self._fallback(f"cannot use the cache at {self.path} ({exc})")
            return self._recover(f"the cache file is damaged ({exc})", "corrupt", seen)
        except OSError as exc:
            return self._fallback(f"cannot create the cache at {self.path}: {exc.strerror or exc}")

    def _connect(self, target: str) -> sqlite3.Connection:
        # isolation_level=None: we issue BEGIN/COMMIT ourselves, one per batch.
        conn = sqlite3.connect(target, timeout=30.0, isolation_level=None, check_same_thread=False)
        conn.execute("PRAGMA busy_timeout = 30000")
        if target != MEMORY:
            # The id goes in before WAL is on: in rollback mode it lands in the file's header at once, so
            # a new cache never shows another process an SQLite header without it.
            if conn.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
                conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            _enable_wal(conn)
            conn.execute("PRAGMA synchronous = NORMAL")
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            conn.close()
            raise _NewerSchema(version)
        conn.executescript(_SCHEMA)
        _add_columns(conn)
        if version < SCHEMA_VERSION:
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        return conn

    @staticmethod
    def _check(conn: sqlite3.Connection) -> None:
        row = conn.execute("PRAGMA quick_check(1)").fetchone()
        if row is None or row[0] != "ok":
            raise sqlite3.DatabaseError(row[0] if row else "quick_check failed")

    def _recover(self, why: str, tag: str, seen: tuple[int, int] | None = None) -> sqlite3.Connection:
        # One recovery at a time: two dupeview processes that both found the file damaged must
        # not each move the other's fresh cache aside.
        with _recovery_lock(os.path.dirname(os.path.abspath(self.path))):
            if seen is not None and _identity(self.path) != seen:
                # Another process has already moved that file aside and started anew: share its cache.
                try:
                    conn = self._connect(self.path)
                    self._check(conn)
                    return conn
                except (OSError, sqlite3.Error, _NewerSchema) as exc:
                    return self._fallback(f"{why}; the cache started in its place cannot be used either ({exc})")
            aside = f"{self.path}.{tag}-{time.strftime('%Y%m%d-%H%M%S')}"
            try:
                for suffix in ("-wal", "-shm", ""):  # the database last: a newcomer then starts clean
                    if os.path.exists(self.path + suffix):
                        os.replace(self.path + suffix, aside + suffix)
                conn = self._connect(self.path)
            except (OSError, sqlite3.Error) as exc:
                return self._fallback(f"{why}; it could not be replaced ({exc}); working without a cache")
        self._warn(f"{why}; it was moved aside to {aside} and a new cache was started")
        return conn

    def _fallback(self, why: str) -> sqlite3.Connection:
        self._warn(f"{why}; fingerprints will not be kept after this run")
        self.path = MEMORY
        return self._connect(MEMORY)

    def _warn(self, message: str) -> None:
        log.warning("%s", message)
        self.warnings.append(message)

    # -- reading --------------------------------------------------------------
    def load(self, paths: Iterable[str]) -> dict[str, tuple[CacheKey, CachedValue]]:
        """Cached entries for these paths (all that exist, valid or not: the caller compares keys)."""
        return {path: (key, value) for path, key, value in self.rows_for(paths)}

    def rows_for(self, paths: Iterable[str]) -> Iterator[tuple[str, CacheKey, CachedValue]]:
        """The cached entries of these paths as they are read (path, key, value): a caller that uses
        each at once holds no dict of a million entries (the first scan after a migration)."""
        wanted = {os.fsencode(p): p for p in paths}
        if not wanted:
            return
        rows = self._select_all() if len(wanted) > 2000 else self._select_some(list(wanted))
        for row in rows:
            path = wanted.get(row[0])
            if path is not None:
                yield path, row[1:4], _to_value(row)  # hot path: plain tuples

    def _select_all(self) -> Iterator[tuple[Any, ...]]:
        # One sequential pass is far cheaper than 100k point look-ups.
        return self._conn.execute(f"SELECT {_COLUMNS} FROM files WHERE pipeline = ?", (PIPELINE_VERSION,))

    def _select_some(self, keys: list[bytes]) -> Iterator[tuple[Any, ...]]:
        for start in range(0, len(keys), 500):
            chunk = keys[start:start + 500]
            marks = ",".join("?" * len(chunk))
            yield from self._conn.execute(
                f"SELECT {_COLUMNS} FROM files WHERE pipeline = ? AND path IN ({marks})",
                (PIPELINE_VERSION, *chunk))

    def load_packs(self, roots: Iterable[str], wanted: Collection[str]) -> Iterator[tuple[str, packs.Pack]]:
        """The packs (core/packs.py) of the wanted folders, all inside these roots, as they are read.

        Read as a range of keys per root: one sequential pass over the packs is 3-4x cheaper than a
        look-up per folder (each pack is a chain of overflow pages)."""
        done: set[str] = set()
        for root in roots:
            low, high = _range_of(root)
            cursor = self._conn.execute(f"SELECT {packs.COLUMNS} FROM packs WHERE pipeline = ? AND "
                                        "(folder = ? OR (folder >= ? AND folder < ?))",
                                        (PIPELINE_VERSION, os.fsencode(root), low, high))
            while rows := cursor.fetchmany(16):
                for row in rows:
                    folder = os.fsdecode(row[0])
                    if folder in done or folder not in wanted:
                        continue
                    done.add(folder)
                    try:
                        yield packs.decode(row)
                    except (ValueError, KeyError, TypeError, AttributeError):
                        continue  # a pack that does not add up is not used: the rows answer instead

    def store_packs(self, items: Iterable[tuple[str, packs.Pack]]) -> None:
        """Write folder packs; a failure only costs the next scan its speed, so it is logged, not raised."""
        try:
            with self._transaction():
                for folder, pack in items:
                    self._conn.execute(f"INSERT OR REPLACE INTO packs ({packs.COLUMNS}) VALUES "
                                       f"({', '.join('?' * 10)})", packs.encode(folder, PIPELINE_VERSION, pack))
        except sqlite3.Error as exc:
            log.warning("cannot write folder packs to the cache (%s)", exc)

    def entries(self) -> Iterator[tuple[str, CachedValue]]:
        """Every current entry, in path order: a library read straight from a cache file."""
        for row in self._conn.execute(f"SELECT {_COLUMNS} FROM files WHERE pipeline = ? ORDER BY path", (PIPELINE_VERSION,)):
            yield os.fsdecode(row[0]), _to_value(row)

    def paths_under(self, folder: str) -> list[str]:
        """Every cached path inside this folder (at any depth), whatever its pipeline."""
        rows = self._conn.execute("SELECT path FROM files WHERE path >= ? AND path < ?", _range_of(folder))
        return [os.fsdecode(row[0]) for row in rows]

    def count_under(self, folder: str) -> int:
        """How many cached paths are inside this folder (a range count on the key: no rows read out)."""
        return int(self._conn.execute("SELECT count(*) FROM files WHERE path >= ? AND path < ?",
                                      _range_of(folder)).fetchone()[0])

    def __len__(self) -> int:
        return int(self._conn.execute("SELECT count(*) FROM files").fetchone()[0])

    # -- writing --------------------------------------------------------------
    def store(self, items: Iterable[tuple[str, CachedValue]]) -> None:
        """Write one batch in one transaction; a failure to write never loses the scan's results."""
        rows = [_to_row(path, value) for path, value in items]
        if not rows:
            return
        try:
            with self._transaction():
                self._conn.executemany(f"INSERT OR REPLACE INTO files ({_COLUMNS}) VALUES ({_MARKS})", rows)
                self._drop_packs(row[0] for row in rows)
        except sqlite3.OperationalError as exc:
            # Disk full, read-only medium, lock held too long: keep scanning uncached.
            if self.path != MEMORY:
                self._warn(f"cannot write to the cache ({exc})")
                self._conn.close()
                self.path = MEMORY
                self._conn = self._connect(MEMORY)
                with self._transaction():
                    self._conn.executemany(f"INSERT OR REPLACE INTO files ({_COLUMNS}) VALUES ({_MARKS})", rows)
            else:
                raise

    def forget(self, paths: Iterable[str]) -> None:
        keys = [os.fsencode(p) for p in paths]
        with self._transaction():
            self._conn.executemany("DELETE FROM files WHERE path = ?", [(k,) for k in keys])
            self._drop_packs(keys)

    def _drop_packs(self, keys: Iterable[bytes]) -> None:
        """A folder's pack goes with any change to its rows (inside the same transaction): a pack never
        says something the rows do not."""
        folders = {os.path.dirname(k) for k in keys}
        self._conn.executemany("DELETE FROM packs WHERE folder = ?", [(f,) for f in folders])

    # -- "not duplicates" -----------------------------------------------------
    def add_not_duplicates(self, pairs: Iterable[tuple[str, str]]) -> None:
        rows = [tuple(sorted((os.fsencode(a), os.fsencode(b)))) for a, b in pairs if a != b]
        with self._transaction():
            self._conn.executemany("INSERT OR IGNORE INTO not_duplicates (a, b) VALUES (?, ?)", rows)

    def not_duplicates(self) -> set[tuple[str, str]]:
        return {(os.fsdecode(a), os.fsdecode(b)) for a, b in self._conn.execute("SELECT a, b FROM not_duplicates")}

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        self._conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self._conn.execute("ROLLBACK")
            raise
        self._conn.execute("COMMIT")

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> FingerprintCache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _add_columns(conn: sqlite3.Connection) -> None:
    have = {row[1] for row in conn.execute("PRAGMA table_info(files)")}
    for name, kind in _ADDED_COLUMNS:
        if name not in have:
            conn.execute(f"ALTER TABLE files ADD COLUMN {name} {kind}")


def _range_of(folder: str) -> tuple[bytes, bytes]:
    """Paths are BLOBs compared bytewise: everything inside a folder is from "folder/" up to,
    not including, "folder0" ('/' + 1)."""
    prefix = os.fsencode(os.path.join(folder, ""))
    return prefix, prefix[:-1] + bytes([prefix[-1] + 1])


def _enable_wal(conn: sqlite3.Connection) -> None:
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
def _recovery_lock(folder: str) -> Iterator[None]:
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


def _identity(path: str) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_dev, st.st_ino)


def _is_damage(exc: sqlite3.DatabaseError) -> bool:
    """Corrupt, or not a database at all; not an error of the medium (read-only, full, I/O, locked)."""
    code = getattr(exc, "sqlite_errorcode", None)
    return code is None or code & 0xFF in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB)


class _NewerSchema(Exception):
    def __init__(self, version: int) -> None:
        super().__init__(version)
        self.version = version


# Columns every dupeview cache has had since schema 1: how a cache written before application_id is known.
_SCHEMA1_COLUMNS = ("path", "size", "mtime_ns", "ctime_ns", "error", "digest", "hashes", "pipeline")
_COLUMN_NAMES = ("path", "size", "mtime_ns", "ctime_ns", "error", "digest", "width", "height",
                 "format", "taken", "camera", "contrast", "hashes", "pipeline", "views", "flatness")
_COLUMNS = ", ".join(_COLUMN_NAMES)
_MARKS = ", ".join("?" * len(_COLUMN_NAMES))


def _to_row(path: str, value: CachedValue) -> tuple[Any, ...]:
    key = os.fsencode(path)
    if isinstance(value, DecodeFailure):
        return (key, value.size, value.mtime_ns, value.ctime_ns, value.reason,
                None, None, None, None, None, None, None, None, PIPELINE_VERSION, None, None)
    return (key, value.size, value.mtime_ns, value.ctime_ns, None, value.digest, value.width,
            value.height, value.format, value.taken, value.camera, value.contrast, value.hashes,
            PIPELINE_VERSION, value.views, value.flatness)


def _to_value(row: tuple[Any, ...]) -> CachedValue:
    if row[4] is not None:
        return DecodeFailure(row[4], row[1], row[2], row[3])
    return ImageFacts._make(row[1:4] + row[5:13] + row[14:16])
