"""Folder packs: every cached entry of one folder as a few column blobs, read back as numpy arrays.

A warm rescan used to read one SQLite row per file and make a tuple of 16 Python objects out
of it (~5 µs a file, most of the 1M rescan). A pack holds the same entries of one folder,
files in name order, as one row of blobs: reading a folder of 1,000 files is one row and a
handful of `np.frombuffer` calls. The per-file rows stay the truth: every write to a folder's
rows drops its pack (core/cache.py), and a scan writes the packs of the folders it had to read
row by row. A pack is only ever used for a file whose (size, mtime_ns, ctime_ns) still match.
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

TABLE: Final = """
CREATE TABLE IF NOT EXISTS packs (
    folder    BLOB PRIMARY KEY,  -- os.fsencode(folder), as the paths of the files table
    pipeline  INTEGER NOT NULL,
    n         INTEGER NOT NULL,
    names     BLOB NOT NULL,     -- os.fsencode(name) of each file, joined by NUL, in name order
    ints      BLOB NOT NULL,     -- (n, 5) int64: size, mtime_ns, ctime_ns, width, height
    floats    BLOB NOT NULL,     -- (n, 2) float64: contrast, flatness
    digests   BLOB NOT NULL,     -- (n, 16) bytes
    hashes    BLOB NOT NULL,     -- (n, algorithms x transforms) uint64, little-endian
    views     BLOB NOT NULL,     -- (n, views.N_WORDS) uint64, little-endian
    text      TEXT NOT NULL      -- JSON: format, taken, camera lists; failed: {row: reason}
) WITHOUT ROWID;
"""
_FS_ENCODING: Final = sys.getfilesystemencoding()
_FS_ERRORS: Final = sys.getfilesystemencodeerrors()
COLUMNS: Final = "folder, pipeline, n, names, ints, floats, digests, hashes, views, text"


@dataclass(frozen=True)
class Pack:
    """One folder's cached entries as arrays (rows in name order). Failed rows have zero facts."""

    names: list[str]
    ints: NDArray[np.int64]       # (n, 5)
    floats: NDArray[np.float64]   # (n, 2)
    digests: NDArray[np.uint8]    # (n, 16)
    hashes: NDArray[np.uint64]    # (n, HASH_WORDS)
    views: NDArray[np.uint64]     # (n, N_VIEW_WORDS)
    format: list[str]
    taken: list[str | None]
    camera: list[str | None]
    failed: dict[int, str]        # row -> why it could not be fingerprinted

    def __len__(self) -> int:
        return len(self.names)


def _words(blob: bytes, n: int, width: int, dtype: str) -> NDArray[Any]:
    a = np.frombuffer(blob, dtype=dtype)
    if a.size != n * width:
        raise ValueError("pack column of the wrong length")
    return a.reshape(n, width)


def decode(row: Sequence[Any]) -> tuple[str, Pack]:
    """(folder, pack) from one row of the packs table; ValueError when it does not add up."""
    folder = os.fsdecode(row[0])
    n = int(row[2])
    # One decode of the whole blob (os.fsdecode's own rule), not one call per name.
    names = bytes(row[3]).decode(_FS_ENCODING, _FS_ERRORS).split("\0") if n else []
    text = json.loads(row[9])
    pack = Pack(names, _words(row[4], n, N_INTS, "<i8").astype(np.int64, copy=False),
                _words(row[5], n, N_FLOATS, "<f8").astype(np.float64, copy=False),
                _words(row[6], n, DIGEST_BYTES, "u1"), _words(row[7], n, HASH_WORDS, "<u8").astype(np.uint64, copy=False),
                _words(row[8], n, N_VIEW_WORDS, "<u8").astype(np.uint64, copy=False),
                list(text["format"]), list(text["taken"]), list(text["camera"]),
                {int(k): str(v) for k, v in text["failed"].items()})
    if not (len(names) == len(pack.format) == len(pack.taken) == len(pack.camera) == n):
        raise ValueError("pack columns of different lengths")
    return folder, pack


def encode(folder: str, pipeline: int, pack: Pack) -> tuple[Any, ...]:
    """The packs-table row of one folder's entries."""
    text = json.dumps({"format": pack.format, "taken": pack.taken, "camera": pack.camera,
                       "failed": {str(k): v for k, v in pack.failed.items()}})
    return (os.fsencode(folder), pipeline, len(pack), b"\0".join(os.fsencode(n) for n in pack.names),
            pack.ints.astype("<i8").tobytes(), pack.floats.astype("<f8").tobytes(),
            np.ascontiguousarray(pack.digests, dtype=np.uint8).tobytes(), pack.hashes.astype("<u8").tobytes(),
            pack.views.astype("<u8").tobytes(), text)
