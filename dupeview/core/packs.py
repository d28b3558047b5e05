"""Folder packs: every cached entry of one folder as a few column blobs, read back as numpy arrays.

A warm rescan used to read one SQLite row per file and make a tuple of 16 Python objects out
of it (~5 µs a file, most of the 1M rescan). A pack holds the same entries of one folder,
files in name order, as one row of blobs: reading a folder of 1,000 files is one row and a
handful of `np.frombuffer` calls. The per-file rows stay the truth: every write to a folder's
rows drops its pack (core/cache.py), and a scan writes the packs of the folders it had to read
row by row. A pack is only ever used for a file whose (size, mtime_ns, ctime_ns) still match.

Each fingerprint algorithm has a column of its own, after everything else: a scan reads only
the algorithms its settings compare by (SQLite stops reading a row's overflow pages at the last
column asked for), and the others are read when first asked for (core/lazy_codes.py).
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final

import numpy as np
from numpy.typing import NDArray

from dupeview.core.fingerprint import ALGORITHMS, N_TRANSFORMS
from dupeview.core.safeio import DIGEST_BYTES
from dupeview.core.views import N_WORDS as N_VIEW_WORDS

HASH_WORDS: Final = len(ALGORITHMS) * N_TRANSFORMS
# ints columns: size, mtime_ns, ctime_ns, width, height (int64); floats: contrast, flatness.
N_INTS: Final = 5
N_FLOATS: Final = 2

# One column per algorithm, named after it: "phash" holds the (n, N_TRANSFORMS) pHashes.
CODE_COLUMNS: Final = tuple(ALGORITHMS)
TABLE: Final = """
CREATE TABLE IF NOT EXISTS packs (
    folder    BLOB PRIMARY KEY,  -- os.fsencode(folder), as the paths of the files table
    pipeline  INTEGER NOT NULL,
    n         INTEGER NOT NULL,
    names     BLOB NOT NULL,     -- os.fsencode(name) of each file, joined by NUL, in name order
    ints      BLOB NOT NULL,     -- (n, 5) int64: size, mtime_ns, ctime_ns, width, height
    floats    BLOB NOT NULL,     -- (n, 2) float64: contrast, flatness
    digests   BLOB NOT NULL,     -- (n, 16) bytes
    text      TEXT NOT NULL,     -- JSON: format, taken, camera lists; failed: {row: reason}
    views     BLOB NOT NULL,     -- (n, views.N_WORDS) uint64, little-endian
""" + ",\n".join(f"    {name} BLOB NOT NULL" for name in CODE_COLUMNS) + """  -- (n, transforms) uint64 each
) WITHOUT ROWID;
"""
FS_ENCODING: Final = sys.getfilesystemencoding()
FS_ERRORS: Final = sys.getfilesystemencodeerrors()
_FIXED: Final = ("folder", "pipeline", "n", "names", "ints", "floats", "digests", "text", "views")
ALL_COLUMNS: Final = ", ".join(_FIXED + CODE_COLUMNS)


def columns(algorithms: Sequence[str]) -> str:
    """The SELECT list of a pack read with these algorithms' codes (in ALGORITHMS order)."""
    return ", ".join(_FIXED + tuple(a for a in CODE_COLUMNS if a in algorithms))


@dataclass(frozen=True)
class Pack:
    """One folder's cached entries as arrays (rows in name order). Failed rows have zero facts.

    `joined` is the names joined by NUL: a whole folder is compared with discovery as one string,
    and the list of names is only made for a folder that changed."""

    joined: str
    ints: NDArray[np.int64]       # (n, 5)
    floats: NDArray[np.float64]   # (n, 2)
    digests: NDArray[np.uint8]    # (n, 16)
    codes: dict[str, NDArray[np.uint64]]  # algorithm -> (n, N_TRANSFORMS); only those read
    views: NDArray[np.uint64]     # (n, N_VIEW_WORDS)
    format: list[str]
    taken: list[str | None]
    camera: list[str | None]
    failed: dict[int, str]        # row -> why it could not be fingerprinted

    def __len__(self) -> int:
        return len(self.ints)

    @property
    def names(self) -> list[str]:
        return self.joined.split("\0") if len(self) else []


def _words(blob: bytes, n: int, width: int, dtype: str) -> NDArray[Any]:
    a = np.frombuffer(blob, dtype=dtype)
    if a.size != n * width:
        raise ValueError("pack column of the wrong length")
    return a.reshape(n, width)


def _interned(values: list[Any]) -> list[Any]:
    # "JPEG" a million times from JSON is a million strings (~50 MB at 1M files); interned, one. The
    # few distinct values are interned, then mapped over the folder in C.
    one = {v: sys.intern(v) if isinstance(v, str) else v for v in set(values)}
    return list(map(one.__getitem__, values))


def decode(row: Sequence[Any], algorithms: Sequence[str]) -> tuple[str, Pack]:
    """(folder, pack) from one row read with `columns(algorithms)`; ValueError when it does not add up."""
    folder = os.fsdecode(row[0])
    n = int(row[2])
    # One decode of the whole blob (os.fsdecode's own rule), not one call per name.
    joined = bytes(row[3]).decode(FS_ENCODING, FS_ERRORS) if n else ""
    text = json.loads(row[7])
    wanted = [a for a in CODE_COLUMNS if a in algorithms]
    codes = {a: _words(blob, n, N_TRANSFORMS, "<u8").astype(np.uint64, copy=False) for a, blob in zip(wanted, row[9:], strict=True)}
    pack = Pack(joined, _words(row[4], n, N_INTS, "<i8").astype(np.int64, copy=False),
                _words(row[5], n, N_FLOATS, "<f8").astype(np.float64, copy=False),
                _words(row[6], n, DIGEST_BYTES, "u1"), codes,
                _words(row[8], n, N_VIEW_WORDS, "<u8").astype(np.uint64, copy=False),
                _interned(list(text["format"])), list(text["taken"]), _interned(list(text["camera"])),
                {int(k): str(v) for k, v in text["failed"].items()})
    if n and joined.count("\0") != n - 1:
        raise ValueError("pack names of a different count")
    if not (len(pack.format) == len(pack.taken) == len(pack.camera) == n):
        raise ValueError("pack columns of different lengths")
    return folder, pack


def encode(folder: str, pipeline: int, pack: Pack) -> tuple[Any, ...]:
    """The packs-table row (ALL_COLUMNS) of one folder's entries; the pack must hold every algorithm's codes."""
    text = json.dumps({"format": pack.format, "taken": pack.taken, "camera": pack.camera,
                       "failed": {str(k): v for k, v in pack.failed.items()}})
    return (os.fsencode(folder), pipeline, len(pack), os.fsencode(pack.joined),
            pack.ints.astype("<i8").tobytes(), pack.floats.astype("<f8").tobytes(),
            np.ascontiguousarray(pack.digests, dtype=np.uint8).tobytes(), text, pack.views.astype("<u8").tobytes(),
            *(np.ascontiguousarray(pack.codes[a], dtype="<u8").tobytes() for a in CODE_COLUMNS))
