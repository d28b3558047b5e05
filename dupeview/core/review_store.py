"""Reviews in SQLite: the current one under the data dir (saved by diff, off the GUI thread) and review files.

One schema serves both: the store is a review file that is kept open and updated in place
(WAL, one transaction per save); File → Save review… writes the same schema to a new file
(rollback journal, so it is one self-contained file) and renames it into place.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import sqlite3
import threading
import time
from collections.abc import Callable
from pathlib import Path
from types import MappingProxyType
from typing import Any, Final

import numpy as np
from numpy.typing import NDArray

from dupeview import paths
from dupeview.core import free_memory
from dupeview.core.discovery import Skipped
from dupeview.core.fingerprint import ALGORITHMS, N_TRANSFORMS
from dupeview.core.records import empty_hashes
from dupeview.core.review import ReviewFolder, ReviewState, ScanSnapshot
from dupeview.core.review_columns import decode_records, encode_records, read_parts
from dupeview.core.views import N_WORDS as N_VIEW_WORDS

log = logging.getLogger(__name__)

STORE_NAME: Final = "review.sqlite3"
FILE_SUFFIX: Final = ".dupeview-review"
MAGIC: Final = "dupeview-review"
APPLICATION_ID: Final = 0x44565256          # "DVRV" in the SQLite header: `file` and we can tell it apart
SCHEMA_VERSION: Final = 1
_SQLITE_HEADER: Final = b"SQLite format 3\x00"
_CHUNK_ROWS: Final = 65536                  # fingerprints stored in blobs of this many files (16 MB)
_BIG_SCAN: Final = 100_000                  # after writing a scan this big, the freed heap goes back to the system

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS records (name TEXT PRIMARY KEY, kind TEXT NOT NULL, data BLOB NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS fingerprints (part INTEGER PRIMARY KEY, data BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS views (part INTEGER PRIMARY KEY, data BLOB NOT NULL, flatness BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS skipped (k INTEGER PRIMARY KEY, path BLOB NOT NULL, reason TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS warnings (k INTEGER PRIMARY KEY, text TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS marks (path BLOB PRIMARY KEY) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS absent (path BLOB PRIMARY KEY) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS dismissals (a BLOB NOT NULL, b BLOB NOT NULL, PRIMARY KEY (a, b)) WITHOUT ROWID;
"""


class ReviewFileError(Exception):
    """A review file that can't be used; str() is the one plain sentence to show."""


def store_path() -> Path:
    return paths.data_dir() / STORE_NAME


# -- writing -----------------------------------------------------------------
def _enc(path: str) -> bytes:
    return os.fsencode(path)


def _dec(blob: object) -> str:
    if not isinstance(blob, bytes):
        raise TypeError("a path is not stored as bytes")
    return os.fsdecode(blob)


def _meta(state: ReviewState, generation: int) -> list[tuple[str, str]]:
    scan = state.scan
    values: dict[str, Any] = {
        "magic": MAGIC, "schema": SCHEMA_VERSION, "review_version": state.version,
        "saved_at": time.time(), "machine": state.machine, "generation": generation,
        "folders": [[f.path, f.reference] for f in state.folders],
        "options": dict(state.options), "selected": state.selected,
        "scan_token": scan.token if scan is not None else None,
        "records": len(scan) if scan is not None else None,
        "algorithms": list(ALGORITHMS) if scan is None else _algorithms_of(scan),
        "transforms": N_TRANSFORMS if scan is None else int(scan.hashes.shape[2]),
        "view_words": N_VIEW_WORDS, "views": bool(scan is not None and scan.has_views),
        # algorithms whose fingerprints are zeros here: read from the fingerprint cache when asked for
        "pending": sorted(scan.pending) if scan is not None else [],
    }
    # ensure_ascii: a path that is not UTF-8 (surrogate escapes) round-trips through JSON.
    return [(k, json.dumps(v, ensure_ascii=True)) for k, v in values.items()]


def _algorithms_of(scan: ScanSnapshot) -> list[str]:
    """The algorithms whose fingerprints are written: the loaded ones (a pending one's plane is zeros)."""
    if scan.hashes.shape[1] != len(ALGORITHMS):
        raise ValueError("fingerprints don't match this version's algorithms")
    return [a for a in ALGORITHMS if a not in scan.pending]


def _write_scan(conn: sqlite3.Connection, scan: ScanSnapshot | None) -> None:
    for table in ("records", "fingerprints", "views", "skipped", "warnings"):
        conn.execute(f"DELETE FROM {table}")
    if scan is None:
        return
    # One column encoded at a time (a generator): at a million files all of them at once were 140 MB more.
    conn.executemany("INSERT INTO records VALUES (?, ?, ?)", encode_records(scan.records))
    # The loaded algorithms' planes only: the app holds one or two of four, and at a million files the zeros of
    # the others were 192 MB written at every scan.
    planes = [ALGORITHMS.index(a) for a in _algorithms_of(scan)]
    for part, start in enumerate(range(0, len(scan), _CHUNK_ROWS)):
        chunk = np.ascontiguousarray(scan.hashes[start:start + _CHUNK_ROWS][:, planes, :], dtype="<u8")
        conn.execute("INSERT INTO fingerprints VALUES (?, ?)", (part, chunk.tobytes()))
    if scan.has_views:
        views, flat = scan.views.astype("<u8", copy=False), scan.flatness.astype("<f8", copy=False)
        for part, start in enumerate(range(0, len(scan), _CHUNK_ROWS)):
            conn.execute("INSERT INTO views VALUES (?, ?, ?)", (part, views[start:start + _CHUNK_ROWS].tobytes(),
                                                                 flat[start:start + _CHUNK_ROWS].tobytes()))
    conn.executemany("INSERT INTO skipped VALUES (?,?,?)",
                     ((k, _enc(s.path), s.reason) for k, s in enumerate(scan.skipped)))
    conn.executemany("INSERT INTO warnings VALUES (?,?)", enumerate(scan.warnings))


def _write_set(conn: sqlite3.Connection, table: str, columns: str, new: frozenset[Any],
               old: frozenset[Any] | None, encode: Callable[[Any], tuple[bytes, ...]]) -> None:
    marks = ",".join("?" for _ in columns.split(","))
    where = " AND ".join(f"{c} = ?" for c in columns.split(","))
    if old is None:
        conn.execute(f"DELETE FROM {table}")
        old = frozenset()
    conn.executemany(f"DELETE FROM {table} WHERE {where}", (encode(x) for x in old - new))
    conn.executemany(f"INSERT OR IGNORE INTO {table} ({columns}) VALUES ({marks})", (encode(x) for x in new - old))


def _mark_row(path: str) -> tuple[bytes, ...]:
    return (_enc(path),)


def _pair_row(pair: tuple[str, str]) -> tuple[bytes, ...]:
    return (_enc(pair[0]), _enc(pair[1]))


def _same_scan(state: ReviewState, saved: ReviewState | None) -> bool:
    return saved is not None and (saved.scan.token if saved.scan else None) == (state.scan.token if state.scan else None)


def _write(conn: sqlite3.Connection, state: ReviewState, saved: ReviewState | None, generation: int) -> None:
    """Everything of `state`, writing only what differs from `saved` (None: what is in the file is unknown)."""
    conn.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", _meta(state, generation))
    if not _same_scan(state, saved):
        _write_scan(conn, state.scan)
    _write_set(conn, "marks", "path", state.marks, saved.marks if saved else None, _mark_row)
    _write_set(conn, "absent", "path", state.absent, saved.absent if saved else None, _mark_row)
    _write_set(conn, "dismissals", "a,b", state.dismissals, saved.dismissals if saved else None, _pair_row)


# -- reading -----------------------------------------------------------------
def _read(conn: sqlite3.Connection) -> ReviewState:
    """The review in an open file; raises ValueError/TypeError/KeyError/DatabaseError when it is not sound."""
    meta = {k: json.loads(v) for k, v in conn.execute("SELECT key, value FROM meta")}
    if meta.get("magic") != MAGIC:
        raise KeyError("magic")
    folders = tuple(ReviewFolder(str(p), bool(ref)) for p, ref in meta["folders"])
    options = meta["options"]
    if not isinstance(options, dict):
        raise TypeError("options")
    selected = meta["selected"]
    if selected is not None and not isinstance(selected, str):
        raise TypeError("selected")
    scan = _read_scan(conn, meta)
    marks = frozenset(_dec(p) for (p,) in conn.execute("SELECT path FROM marks"))
    absent = frozenset(_dec(p) for (p,) in conn.execute("SELECT path FROM absent"))
    dismissals = frozenset((_dec(a), _dec(b)) for a, b in conn.execute("SELECT a, b FROM dismissals"))
    return ReviewState(folders=folders, options=MappingProxyType(options), scan=scan, marks=marks,
                       dismissals=dismissals, absent=absent, selected=selected, version=int(meta["review_version"]),
                       machine=str(meta["machine"]))


def _read_scan(conn: sqlite3.Connection, meta: dict[str, Any]) -> ScanSnapshot | None:
    token = meta["scan_token"]
    if token is None:
        return None
    n = int(meta["records"])
    saved_algorithms, transforms = list(meta["algorithms"]), int(meta["transforms"])
    pending = frozenset(str(a) for a in meta.get("pending", ()) if a in ALGORITHMS)
    # An algorithm not saved must be one the review never loaded (read from the cache when asked for).
    missing = [a for a in ALGORITHMS if a not in saved_algorithms and a not in pending]
    if missing or any(a not in ALGORITHMS for a in saved_algorithms) or transforms != N_TRANSFORMS:
        raise ReviewFileError("This review was saved by another version of dupeview, with other fingerprints; "
                              "scan the folders again.")
    columns = {str(name): (str(kind), bytes(data)) for name, kind, data in conn.execute("SELECT * FROM records")}
    records = decode_records(columns, n)
    if len(records) != n:
        raise ValueError(f"{len(records)} records where {n} were saved")
    saved = read_parts(conn, "SELECT data FROM fingerprints ORDER BY part", n * len(saved_algorithms) * transforms,
                        "fingerprints are incomplete").reshape(n, len(saved_algorithms), transforms)
    if saved_algorithms == list(ALGORITHMS):
        hashes = saved
    else:   # the planes in this version's order; an unsaved (pending) one stays zeros
        hashes = empty_hashes(n)
        for k, a in enumerate(saved_algorithms):
            hashes[:, ALGORITHMS.index(a), :] = saved[:, k, :]
        del saved
    hashes.setflags(write=False)
    skipped = tuple(Skipped(_dec(p), str(r)) for p, r in conn.execute("SELECT path, reason FROM skipped ORDER BY k"))
    warnings = tuple(str(t) for (t,) in conn.execute("SELECT text FROM warnings ORDER BY k"))
    views, flatness = _read_views(conn, meta, n)
    return ScanSnapshot(records, hashes, skipped, warnings, views, flatness, pending, token=str(token))


def _read_views(conn: sqlite3.Connection, meta: dict[str, Any], n: int) -> tuple[NDArray[np.uint64], NDArray[np.float64]]:
    """The layout views, or none when the review has none or another version made them (pairs are then
    matched on the whole image only, as for a scan without views)."""
    none = np.zeros((0, N_VIEW_WORDS), np.uint64), np.zeros(0, np.float64)
    if not meta.get("views") or meta.get("view_words") != N_VIEW_WORDS:
        return none
    views = read_parts(conn, "SELECT data FROM views ORDER BY part", n * N_VIEW_WORDS,
                        "layout views are incomplete").reshape(n, N_VIEW_WORDS)
    flatness = read_parts(conn, "SELECT flatness FROM views ORDER BY part", n, "layout views are incomplete",
                           "<f8").astype(np.float64, copy=False)
    views.setflags(write=False)
    flatness.setflags(write=False)
    return views, flatness


def _check_header(path: Path) -> None:
    with open(path, "rb") as f:
        head = f.read(100)
    if len(head) < 100 or not head.startswith(_SQLITE_HEADER):
        raise ReviewFileError(f"“{path.name}” is not a dupeview review.")
    if int.from_bytes(head[68:72], "big") != APPLICATION_ID:
        raise ReviewFileError(f"“{path.name}” is not a dupeview review.")


def read_review_file(path: str | os.PathLike[str]) -> ReviewState:
    """The review saved in a file; raises ReviewFileError (one plain sentence) for anything else.

    Reads everything before returning, so a refusal leaves nothing half-loaded.
    """
    p = Path(path)
    damaged = ReviewFileError(f"“{p.name}” is damaged or incomplete and can't be opened.")
    try:
        _check_header(p)
    except OSError as exc:
        raise ReviewFileError(f"“{p.name}” can't be read: {exc.strerror or exc}.") from exc
    try:
        # Read-only and immutable: opening never writes a journal next to the user's file.
        conn = sqlite3.connect(f"{p.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
    except sqlite3.Error as exc:
        raise damaged from exc
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise ReviewFileError(f"“{p.name}” was saved by a newer dupeview; update dupeview to open it.")
        row = conn.execute("PRAGMA quick_check(1)").fetchone()
        if row is None or row[0] != "ok":
            raise damaged
        return _read(conn)
    except ReviewFileError:
        raise
    except (sqlite3.Error, ValueError, TypeError, KeyError, IndexError, OverflowError) as exc:
        raise damaged from exc
    finally:
        conn.close()


def write_review_file(path: str | os.PathLike[str], state: ReviewState) -> None:
    """Save a review as one file, atomically: the old file stays whole until the new one is complete."""
    target = Path(path)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    with contextlib.suppress(FileNotFoundError):
        tmp.unlink()
    try:
        conn = sqlite3.connect(tmp, isolation_level=None)
        try:
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            conn.executescript(_SCHEMA)
            conn.execute("BEGIN")
            _write(conn, state, None, 0)
            conn.execute("COMMIT")
        finally:
            conn.close()
        with open(tmp, "rb+") as f:
            os.fsync(f.fileno())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


# -- the store ----------------------------------------------------------------
class ReviewStore:
    """The current review, kept across runs. Thread-safe; meant to be used from one worker thread.

    Each save is one transaction and writes only what changed since the last save by this
    store; a `generation` counter in the file tells when another process wrote in between,
    and then everything is written.
    """

    def __init__(self, path: str | os.PathLike[str] | None = None) -> None:
        self.path = Path(path) if path is not None else store_path()
        self.warnings: list[str] = []
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = None
        self._closed = False
        self._saved: ReviewState | None = None
        self._generation = -1

    def _open(self) -> sqlite3.Connection:
        if self._conn is not None:
            return self._conn
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            conn = self._connect()
        except sqlite3.DatabaseError as exc:
            self._move_aside(f"the saved review was damaged ({exc})")
            conn = self._connect()
        self._conn = conn
        return conn

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, timeout=10.0, isolation_level=None, check_same_thread=False)
        try:
            if conn.execute("PRAGMA journal_mode = WAL").fetchone()[0].lower() != "wal":
                log.info("review store: WAL unavailable, using a rollback journal")
            conn.execute("PRAGMA synchronous = NORMAL")
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            app = conn.execute("PRAGMA application_id").fetchone()[0]
            if version > SCHEMA_VERSION or (version and app != APPLICATION_ID):
                raise sqlite3.DatabaseError(f"schema {version} of application {app:#x}")
            row = conn.execute("PRAGMA quick_check(1)").fetchone()
            if row is None or row[0] != "ok":
                raise sqlite3.DatabaseError(row[0] if row else "quick_check failed")
            conn.executescript(_SCHEMA)
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        except BaseException:
            conn.close()
            raise
        return conn

    def _move_aside(self, why: str) -> None:
        """Keep a bad store for inspection and start afresh; the user's files are untouched by this."""
        if self._conn is not None:
            self._conn.close()
            self._conn = None
        stamp = time.strftime("%Y%m%d-%H%M%S")
        aside = self.path.with_name(f"{self.path.name}.bad-{stamp}")
        for suffix in ("", "-wal", "-shm"):
            with contextlib.suppress(FileNotFoundError):
                os.replace(f"{self.path}{suffix}", f"{aside}{suffix}")
        self._saved, self._generation = None, -1
        message = f"{why}; it was kept as {aside.name} and the review starts empty"
        log.warning("review store: %s", message)
        self.warnings.append(message)

    def load(self) -> ReviewState | None:
        """The last saved review, or None (nothing saved yet, or it could not be read: see warnings).

        None too once closed: a load queued behind the window's shutdown must not open the file again (nothing
        would close it)."""
        with self._lock:
            if self._closed:
                return None
            try:
                conn = self._open()
                if conn.execute("SELECT 1 FROM meta WHERE key = 'magic'").fetchone() is None:
                    return None
                state = _read(conn)
                self._generation = int(json.loads(
                    conn.execute("SELECT value FROM meta WHERE key = 'generation'").fetchone()[0]))
            except ReviewFileError as exc:
                self._move_aside(str(exc))
                return None
            except (sqlite3.DatabaseError, ValueError, TypeError, KeyError, IndexError) as exc:
                self._move_aside(f"the saved review could not be read ({exc})")
                return None
            self._saved = state
            return state

    def save(self, state: ReviewState) -> None:
        """Write the review in one transaction (only what changed). Raises sqlite3.Error/OSError on failure."""
        with self._lock:
            conn = self._open()
            try:
                conn.execute("BEGIN IMMEDIATE")
                row = conn.execute("SELECT value FROM meta WHERE key = 'generation'").fetchone()
                current = int(json.loads(row[0])) if row else -1
                saved = self._saved if current == self._generation else None
                wrote_scan = not _same_scan(state, saved)
                _write(conn, state, saved, current + 1)
                conn.execute("COMMIT")
            except BaseException:
                with contextlib.suppress(sqlite3.Error):
                    conn.execute("ROLLBACK")
                self._saved, self._generation = None, -1
                raise
            self._saved, self._generation = state, current + 1
        if wrote_scan and state.scan is not None and len(state.scan) >= _BIG_SCAN:
            free_memory.give_back()

    def clear(self) -> None:
        """Forget the saved review (a new, empty one begins)."""
        with self._lock:
            conn = self._open()
            conn.execute("BEGIN IMMEDIATE")
            for table in ("meta", "records", "fingerprints", "views", "skipped", "warnings", "marks", "absent", "dismissals"):
                conn.execute(f"DELETE FROM {table}")
            conn.execute("COMMIT")
            self._saved, self._generation = None, -1

    def close(self) -> None:
        with self._lock:
            self._closed = True
            self._saved = None   # its scan holds the library's records (a million files' worth)
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    def __enter__(self) -> ReviewStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class ReviewSaver:
    """Saves the latest submitted review on its own thread; states submitted while it writes are coalesced.

    `on_error(message)` is called on the saver's thread when a save fails (the next submit
    tries again with a full write).
    """

    def __init__(self, store: ReviewStore, on_error: Callable[[str], None] | None = None) -> None:
        self.store = store
        self._on_error = on_error
        self._cond = threading.Condition()
        self._pending: ReviewState | None = None
        self._busy = False
        self._closed = False
        self.saves = 0
        self._thread = threading.Thread(target=self._run, name="review-saver", daemon=True)
        self._thread.start()

    def submit(self, state: ReviewState) -> None:
        with self._cond:
            if self._closed:
                raise RuntimeError("the review saver is closed")
            self._pending = state
            self._cond.notify_all()

    def flush(self, timeout: float | None = None) -> bool:
        """Wait until everything submitted is on disk; False if that took longer than timeout."""
        with self._cond:
            return self._cond.wait_for(lambda: self._pending is None and not self._busy, timeout)

    def close(self, timeout: float | None = None) -> None:
        self.flush(timeout)
        with self._cond:
            self._closed = True
            self._cond.notify_all()
        self._thread.join(timeout)
        self.store.close()

    def _run(self) -> None:
        while True:
            with self._cond:
                self._cond.wait_for(lambda: self._pending is not None or self._closed)
                if self._pending is None:
                    return
                state, self._pending, self._busy = self._pending, None, True
            try:
                self.store.save(state)
                self.saves += 1
            except (sqlite3.Error, OSError, ValueError) as exc:
                log.warning("review not saved: %s", exc)
                if self._on_error is not None:
                    self._on_error(f"The review could not be saved: {exc}")
            finally:
                with self._cond:
                    self._busy = False
                    self._cond.notify_all()

