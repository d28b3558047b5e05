"""Records as columns: one array (or list) per field instead of one tuple per file, built in bulk.

A warm rescan of a million files used to make a million ImageRecord tuples (about 400 bytes
each with their ints and digest); a RecordTable holds the same facts in about 230 bytes a file
(the path string is most of it) and makes an ImageRecord only when one is asked for. It is a
read-only Sequence[ImageRecord], so code that indexes or iterates records works unchanged;
code that needs one field of every file reads the column (`paths`, `size`, `contrast`, ...).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any, NamedTuple, overload

import numpy as np
from numpy.typing import NDArray

from dupeview.core.decode import ImageFacts

_INT_FIELDS = ("size", "mtime_ns", "ctime_ns", "dev", "ino")


class ImageRecord(NamedTuple):
    """One fingerprinted file and the facts a user picks the copy to keep by."""

    path: str
    size: int
    mtime_ns: int
    ctime_ns: int
    dev: int
    ino: int
    digest: bytes
    width: int
    height: int
    format: str
    taken: str | None
    camera: str | None
    contrast: float

    @property
    def pixels(self) -> int:
        return self.width * self.height


class RecordTable(Sequence[ImageRecord]):
    """The records of a library as columns (see the module docstring). Never changed in place."""

    __slots__ = ("paths", "size", "mtime_ns", "ctime_ns", "dev", "ino", "digest", "width", "height",
                 "format", "taken", "camera", "contrast")

    def __init__(self, paths: list[str], ints: Mapping[str, IntColumn], digest: NDArray[np.uint8] | list[bytes],
                 width: NDArray[np.int64], height: NDArray[np.int64], format: list[str],
                 taken: list[str | None], camera: list[str | None], contrast: NDArray[np.float64]) -> None:
        self.paths = paths
        self.size, self.mtime_ns, self.ctime_ns, self.dev, self.ino = (ints[f] for f in _INT_FIELDS)
        # (N, 16) bytes when every digest has one length (always, from a scan), else a list.
        self.digest = digest
        self.width, self.height = width, height
        self.format, self.taken, self.camera = format, taken, camera
        self.contrast = contrast

    # -- building --------------------------------------------------------------
    @classmethod
    def from_records(cls, records: Iterable[ImageRecord]) -> RecordTable:
        rows = list(records)
        cols: list[tuple[Any, ...]] = list(zip(*rows, strict=True)) if rows else [()] * 13
        ints = {f: int_column(cols[1 + k]) for k, f in enumerate(_INT_FIELDS)}
        return cls(list(cols[0]), ints, digests(list(cols[6])), np.array(cols[7], dtype=np.int64),
                   np.array(cols[8], dtype=np.int64), list(cols[9]), list(cols[10]), list(cols[11]),
                   np.array(cols[12], dtype=np.float64))

    def take(self, rows: Sequence[int] | NDArray[np.int64]) -> RecordTable:
        """The records at these rows, in that order."""
        idx = np.asarray(rows, dtype=np.int64)
        order = idx.tolist()
        digest = self.digest[idx] if isinstance(self.digest, np.ndarray) else [self.digest[k] for k in order]
        return RecordTable([self.paths[k] for k in order], {f: getattr(self, f)[idx] for f in _INT_FIELDS},
                           digest, self.width[idx], self.height[idx], [self.format[k] for k in order],
                           [self.taken[k] for k in order], [self.camera[k] for k in order], self.contrast[idx])

    def concat(self, other: RecordTable) -> RecordTable:
        if isinstance(self.digest, np.ndarray) and isinstance(other.digest, np.ndarray) and \
                self.digest.shape[1:] == other.digest.shape[1:]:
            digest: NDArray[np.uint8] | list[bytes] = np.concatenate([self.digest, other.digest])
        else:
            digest = self.digest_list() + other.digest_list()
        return RecordTable(self.paths + other.paths,
                           {f: _joined(getattr(self, f), getattr(other, f)) for f in _INT_FIELDS},
                           digest, np.concatenate([self.width, other.width]), np.concatenate([self.height, other.height]),
                           self.format + other.format, self.taken + other.taken, self.camera + other.camera,
                           np.concatenate([self.contrast, other.contrast]))

    # -- reading ---------------------------------------------------------------
    def digest_at(self, k: int) -> bytes:
        d = self.digest[k]
        return d.tobytes() if isinstance(d, np.ndarray) else d

    def digest_list(self) -> list[bytes]:
        if isinstance(self.digest, np.ndarray):
            return [row.tobytes() for row in self.digest]
        return list(self.digest)

    def __len__(self) -> int:
        return len(self.paths)

    @overload
    def __getitem__(self, k: int) -> ImageRecord: ...
    @overload
    def __getitem__(self, k: slice) -> list[ImageRecord]: ...

    def __getitem__(self, k: int | slice) -> ImageRecord | list[ImageRecord]:
        if isinstance(k, slice):
            return [self[j] for j in range(*k.indices(len(self)))]
        if k < 0:
            k += len(self)
        if not 0 <= k < len(self):
            raise IndexError("record index out of range")
        return ImageRecord(self.paths[k], int(self.size[k]), int(self.mtime_ns[k]), int(self.ctime_ns[k]),
                          int(self.dev[k]), int(self.ino[k]), self.digest_at(k), int(self.width[k]),
                          int(self.height[k]), self.format[k], self.taken[k], self.camera[k], float(self.contrast[k]))

    def __iter__(self) -> Iterator[ImageRecord]:
        # Whole columns to Python at once, then one tuple per file: no per-item numpy indexing.
        digest = self.digest_list()
        return itertools.starmap(ImageRecord, zip(self.paths, self.size.tolist(), self.mtime_ns.tolist(),
                                                 self.ctime_ns.tolist(), self.dev.tolist(), self.ino.tolist(), digest,
                                                 self.width.tolist(), self.height.tolist(), self.format, self.taken,
                                                 self.camera, self.contrast.tolist(), strict=True))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence) or isinstance(other, str | bytes):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))

    __hash__ = None  # type: ignore[assignment]  # compared by value, like the list it replaces

    def __add__(self, other: Sequence[ImageRecord]) -> RecordTable:
        return self.concat(other if isinstance(other, RecordTable) else RecordTable.from_records(other))

    def __repr__(self) -> str:
        return f"RecordTable({len(self)} records)"

    def nbytes(self) -> int:
        """Memory held by the columns (the path strings counted at their size), for docs/scale.md."""
        import sys
        arrays = [getattr(self, f) for f in _INT_FIELDS] + [self.width, self.height, self.contrast]
        total = int(sum(a.nbytes for a in arrays))
        total += self.digest.nbytes if isinstance(self.digest, np.ndarray) else sum(sys.getsizeof(d) for d in self.digest)
        total += sum(sys.getsizeof(p) for p in self.paths) + 8 * (len(self.paths) * 4)
        return total


IntColumn = NDArray[np.int64] | NDArray[np.uint64]


def int_column(values: Sequence[int]) -> IntColumn:
    """int64, or uint64 for numbers past 2**63 (st_ino on overlayfs, st_dev); exact either way."""
    try:
        return np.array(values, dtype=np.int64)
    except OverflowError:
        return np.array(values, dtype=np.uint64)


def narrow(a: IntColumn) -> IntColumn:
    """uint64 numbers as int64 when they all fit (the usual case): one dtype for concatenation."""
    if a.dtype == np.uint64 and (a.size == 0 or int(a.max()) < 2**63):
        return a.astype(np.int64)
    return a


def _joined(a: IntColumn, b: IntColumn) -> IntColumn:
    if a.dtype == b.dtype:
        return np.concatenate([a, b])
    # int64 with negatives beside uint64 past 2**63 has no common exact dtype of numpy's: Python ints.
    return int_column(a.tolist() + b.tolist()) if a.size or b.size else np.zeros(0, np.int64)


def digests(values: list[bytes]) -> NDArray[np.uint8] | list[bytes]:
    """Digests as one (N, L) byte array when they all have one length (16 from every scan), else the list."""
    if not values:
        return np.zeros((0, 16), np.uint8)
    width = len(values[0])
    if width and all(len(v) == width for v in values):
        return np.frombuffer(b"".join(values), np.uint8).reshape(len(values), width).copy()
    return list(values)


def from_facts(paths: list[str], dev: NDArray[np.int64], ino: NDArray[np.int64],
               facts: Sequence[ImageFacts]) -> RecordTable:
    """A table from decoded facts (the files hashed in this scan), in the order given."""
    ints = {"size": np.array([f.size for f in facts], np.int64), "mtime_ns": np.array([f.mtime_ns for f in facts], np.int64),
            "ctime_ns": np.array([f.ctime_ns for f in facts], np.int64), "dev": dev, "ino": ino}
    return RecordTable(paths, ints, digests([f.digest for f in facts]),
                       np.array([f.width for f in facts], np.int64), np.array([f.height for f in facts], np.int64),
                       [f.format for f in facts], [f.taken for f in facts], [f.camera for f in facts],
                       np.array([f.contrast for f in facts], np.float64))


def identical_rows(digests: NDArray[np.uint8]) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Byte-identical files from (N, 16) digests: for each file whose digest an earlier one has, the
    pair (first file with it, this file), ordered by first file then file (as a dict walk gives)."""
    n = len(digests)
    if n < 2:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    words = np.ascontiguousarray(digests).view("<u8")   # (N, 2)
    order = np.lexsort((np.arange(n), words[:, 1], words[:, 0]))
    w = words[order]
    same = np.all(w[1:] == w[:-1], axis=1)
    if not same.any():
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    run = np.cumsum(np.concatenate([[True], ~same])) - 1          # run number of each sorted row
    first = order[np.flatnonzero(np.concatenate([[True], ~same]))]  # each run's smallest index
    later = np.flatnonzero(np.concatenate([[False], same]))
    a, b = first[run[later]], order[later]
    pick = np.lexsort((b, a))
    return a[pick].astype(np.int64), b[pick].astype(np.int64)
