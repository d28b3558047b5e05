"""The fingerprint cache: one SQLite file, versioned, WAL, recovered rather than trusted when damaged."""

from __future__ import annotations

import logging
import os
import sqlite3
import threading
import time
from collections.abc import Collection, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Final

from dupeview.core import packs
from dupeview.core.cache_open import Check, enable_wal, identity, is_damage, quick_check, recovery_lock
from dupeview.core.decode import PIPELINE_VERSION, DecodeFailure, ImageFacts
from dupeview.core.fingerprint import ALGORITHMS

log = logging.getLogger(__name__)

# 3: the packs table (core/packs.py), derived from the files table; a schema-2 file gains it empty.
# 4: packs with a column per algorithm; the packs of schema 3 are dropped (the rows answer, and are packed again).
SCHEMA_VERSION: Final = 4
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
        self._path = MEMORY if path is None or str(path) == MEMORY else str(path)
        self._warnings: list[str] = []
        self._check_lock = threading.Lock()
        self._checking: Check | None = None
        self._seen: tuple[int, int] | None = None
        self._connection = self._open()

    # The file's quick check (a read of every page: 1.5 s of CPU for a 1.3 GB cache of 1M files) runs
    # in a thread from the open on, beside whatever the caller does first (a scan's discovery); the
    # first use of the database, of `path` or of `warnings` waits for it, and a damaged file is then
    # moved aside exactly as if the check had run in the open.
    @property
    def path(self) -> str:
        self._ready()
        return self._path

    @property
    def location(self) -> str:
        """The path as opened, without waiting for the check (which may yet move the file aside, or use memory)."""
        return self._path

    @property
    def warnings(self) -> list[str]:
        self._ready()
        return self._warnings

    @property
    def _conn(self) -> sqlite3.Connection:
        self._ready()
        return self._connection

    def _ready(self) -> None:
        with self._check_lock:
            checking, self._checking = self._checking, None
            if checking is None:
                return
            failure = checking.result()
            if failure is None:
                return
            self._connection.close()
            if isinstance(failure, sqlite3.DatabaseError) and is_damage(failure):
                self._connection = self._recover(f"the cache file is damaged ({failure})", "corrupt", self._seen)
            else:  # read-only, locked or unreachable: the file may well be fine; never moved aside
                self._connection = self._fallback(f"cannot use the cache at {self._path} ({failure})")

    @classmethod
    def reader(cls, path: str) -> FingerprintCache:
        """The cache file opened read-only, as it is: no check, no recovery, nothing created or written
        (for reading a few more columns after a scan; sqlite3.Error when it cannot be read)."""
        self = cls.__new__(cls)
        self._path, self._warnings, self._check_lock, self._checking, self._seen = path, [], threading.Lock(), None, None
        identify(path)
        if not os.path.isfile(path):
            raise sqlite3.OperationalError(f"no cache file at {path}")
        self._connection = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True, timeout=30.0,
                                           check_same_thread=False)
        return self

    # -- opening and recovery -------------------------------------------------
    def _open(self) -> sqlite3.Connection:
        if self._path == MEMORY:
            return self._connect(MEMORY)
        seen = None
        identify(self._path)  # raises NotACacheError for anything that is not ours: never touched
        try:
            Path(self._path).parent.mkdir(parents=True, exist_ok=True)
            seen = self._seen = identity(self._path)
            conn = self._connect(self._path)
            self._checking = Check(self._path)  # see _ready
            return conn
        except _NewerSchema as exc:
            return self._recover(f"the cache was written by a newer dupeview (schema {exc.version})", "newer", seen)
        except sqlite3.DatabaseError as exc:
            if not is_damage(exc):
                # Read-only, full, locked or unreachable: the file may well be fine. Never move it aside.
                return self._fallback(f"cannot use the cache at {self._path} ({exc})")
            return self._recover(f"the cache file is damaged ({exc})", "corrupt", seen)
        except OSError as exc:
            return self._fallback(f"cannot create the cache at {self._path}: {exc.strerror or exc}")

    def _connect(self, target: str) -> sqlite3.Connection:
        # isolation_level=None: we issue BEGIN/COMMIT ourselves, one per batch.
        conn = sqlite3.connect(target, timeout=30.0, isolation_level=None, check_same_thread=False)
        try:
            return self._prepare(conn, target)
        except BaseException:
            conn.close()   # a damaged or newer file: the caller recovers with a connection of its own
            raise

    @staticmethod
    def _prepare(conn: sqlite3.Connection, target: str) -> sqlite3.Connection:
        conn.execute("PRAGMA busy_timeout = 30000")
        if target != MEMORY:
            # The id goes in before WAL is on: in rollback mode it lands in the file's header at once, so
            # a new cache never shows another process an SQLite header without it.
            if conn.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
                conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            enable_wal(conn)
            conn.execute("PRAGMA synchronous = NORMAL")
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise _NewerSchema(version)
        if 0 < version < SCHEMA_VERSION:
            conn.execute("DROP TABLE IF EXISTS packs")  # derived from the rows, in an older layout
        conn.executescript(_SCHEMA)
        _add_columns(conn)
        if version < SCHEMA_VERSION:
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        return conn

    @staticmethod
    def _check(conn: sqlite3.Connection) -> None:
        quick_check(conn)

    def _recover(self, why: str, tag: str, seen: tuple[int, int] | None = None) -> sqlite3.Connection:
        # One recovery at a time: two dupeview processes that both found the file damaged must
        # not each move the other's fresh cache aside.
        with recovery_lock(os.path.dirname(os.path.abspath(self._path))):
            if seen is not None and identity(self._path) != seen:
                # Another process has already moved that file aside and started anew: share its cache.
                try:
                    conn = self._connect(self._path)
                    try:
                        self._check(conn)
                    except BaseException:
                        conn.close()   # never left open for the collector
                        raise
                    return conn
                except (OSError, sqlite3.Error, _NewerSchema) as exc:
                    return self._fallback(f"{why}; the cache started in its place cannot be used either ({exc})")
            aside = f"{self._path}.{tag}-{time.strftime('%Y%m%d-%H%M%S')}"
            try:
                for suffix in ("-wal", "-shm", ""):  # the database last: a newcomer then starts clean
                    if os.path.exists(self._path + suffix):
                        os.replace(self._path + suffix, aside + suffix)
                conn = self._connect(self._path)
            except (OSError, sqlite3.Error) as exc:
                return self._fallback(f"{why}; it could not be replaced ({exc}); working without a cache")
        self._warn(f"{why}; it was moved aside to {aside} and a new cache was started")
        return conn

    def _fallback(self, why: str) -> sqlite3.Connection:
        self._warn(f"{why}; fingerprints will not be kept after this run")
        self._path = MEMORY
        return self._connect(MEMORY)

    def _warn(self, message: str) -> None:
        log.warning("%s", message)
        self._warnings.append(message)

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

    def load_packs(self, roots: Iterable[str], wanted: Collection[str],
                   algorithms: Sequence[str] = ALGORITHMS) -> Iterator[tuple[str, packs.Pack]]:
        """The packs (core/packs.py) of the wanted folders, all inside these roots, as they are read,
        with the codes of these algorithms only.

        Read as a range of keys per root: one sequential pass over the packs is 3-4x cheaper than a
        look-up per folder (each pack is a chain of overflow pages)."""
        done: set[str] = set()
        for root in roots:
            low, high = _range_of(root)
            cursor = self._conn.execute(f"SELECT {packs.columns(algorithms)} FROM packs WHERE pipeline = ? AND "
                                        "(folder = ? OR (folder >= ? AND folder < ?))",
                                        (PIPELINE_VERSION, os.fsencode(root), low, high))
            while rows := cursor.fetchmany(16):
                for row in rows:
                    folder = os.fsdecode(row[0])
                    if folder in done or folder not in wanted:
                        continue
                    done.add(folder)
                    try:
                        yield packs.decode(row, algorithms)
                    except (ValueError, KeyError, TypeError, AttributeError):
                        continue  # a pack that does not add up is not used: the rows answer instead

    def pack_codes(self, folder: str, algorithm: str) -> tuple[str, Any, Any] | None:
        """One folder's pack as (names joined by NUL, (n, 5) ints blob, the algorithm's codes blob), or None."""
        if algorithm not in packs.CODE_COLUMNS:
            raise ValueError(f"unknown algorithm {algorithm!r}")
        row = self._conn.execute(f"SELECT n, names, ints, {algorithm} FROM packs WHERE folder = ? AND pipeline = ?",
                                 (os.fsencode(folder), PIPELINE_VERSION)).fetchone()
        if row is None:
            return None
        return (bytes(row[1]).decode(packs.FS_ENCODING, packs.FS_ERRORS) if row[0] else ""), row[2], row[3]

    def store_packs(self, items: Iterable[tuple[str, packs.Pack]]) -> None:
        """Write folder packs; a failure only costs the next scan its speed, so it is logged, not raised."""
        marks = ", ".join("?" * len(packs.ALL_COLUMNS.split(", ")))
        try:
            with self._transaction():
                for folder, pack in items:
                    self._conn.execute(f"INSERT OR REPLACE INTO packs ({packs.ALL_COLUMNS}) VALUES ({marks})",
                                       packs.encode(folder, PIPELINE_VERSION, pack))
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

    def holds_any(self, roots: Iterable[str]) -> bool:
        """Whether any row is one of these paths or inside one (a range look-up on the key per root): a
        first scan skips the look-up of every file's row, whose names and dicts would outlive it as heap."""
        for root in map(os.path.abspath, roots):  # as discovery names the files
            low, high = _range_of(root)
            if self._conn.execute("SELECT 1 FROM files WHERE path = ? OR (path >= ? AND path < ?) LIMIT 1",
                                  (os.fsencode(root), low, high)).fetchone() is not None:
                return True
        return False

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
            if self._path != MEMORY:
                self._warn(f"cannot write to the cache ({exc})")
                self._connection.close()
                self._path = MEMORY
                self._connection = self._connect(MEMORY)
                with self._transaction():
                    self._conn.executemany(f"INSERT OR REPLACE INTO files ({_COLUMNS}) VALUES ({_MARKS})", rows)
            else:
                raise

    def forget(self, paths: Iterable[str]) -> None:
        keys = [os.fsencode(p) for p in paths]
        with self._transaction():
            self._conn.executemany("DELETE FROM files WHERE path = ?", [(k,) for k in keys])
            self._drop_packs_naming(keys)

    def _drop_packs_naming(self, keys: Iterable[bytes]) -> None:
        """The packs that list one of these files go with their rows; a pack that does not (written by
        this scan, which no longer saw the file) still says only what the rows do, and is kept."""
        by_folder: dict[bytes, set[bytes]] = {}
        for k in keys:
            folder, name = os.path.split(k)
            by_folder.setdefault(folder, set()).add(name)
        drop = []
        for folder, names in by_folder.items():
            for (joined,) in self._conn.execute("SELECT names FROM packs WHERE folder = ?", (folder,)):
                if not names.isdisjoint(bytes(joined).split(b"\0")):
                    drop.append((folder,))
                    break
        self._conn.executemany("DELETE FROM packs WHERE folder = ?", drop)

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
        self._conn.close()  # after the check (a damaged file found by it is moved aside all the same)

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
