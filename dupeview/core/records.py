"""The record of one fingerprinted file, the library of a scan, and the operations that derive one library from another."""

from __future__ import annotations

import threading
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, overload

import numpy as np
from numpy.typing import NDArray

from dupeview.core.coverage import NotCompared
from dupeview.core.discovery import FullySeen, Skipped
from dupeview.core.fingerprint import ALGORITHMS, N_TRANSFORMS
from dupeview.core.record_table import ImageRecord as ImageRecord
from dupeview.core.record_table import RecordTable
from dupeview.core.views import N_WORDS as N_VIEW_WORDS


def empty_hashes(n: int = 0) -> NDArray[np.uint64]:
    """An (n, algorithms, transforms) fingerprint array of zeros, stored algorithm by algorithm (an
    algorithm whose codes are never written costs no memory: np.zeros maps zero pages)."""
    return np.zeros((len(ALGORITHMS), n, N_TRANSFORMS), np.uint64).transpose(1, 0, 2)


class CodeLoader(Protocol):
    """Reads one algorithm's (N, transforms) codes for these records (core/lazy_codes.py)."""

    def __call__(self, table: RecordTable, algorithm: str) -> NDArray[np.uint64]: ...


class _Hashes:
    """Library.hashes: every algorithm's codes, the pending ones loaded first. Code that wants one
    algorithm calls Library.codes, which loads only that one."""

    @overload
    def __get__(self, obj: None, owner: Any = None) -> None: ...
    @overload
    def __get__(self, obj: Library, owner: Any = None) -> NDArray[np.uint64]: ...

    def __get__(self, obj: Library | None, owner: Any = None) -> NDArray[np.uint64] | None:
        if obj is None:
            return None  # the dataclass default: an empty array (see __set__)
        if obj.pending:
            obj.load(*obj.pending)
        return obj._hashes

    def __set__(self, obj: Library, value: NDArray[np.uint64] | None) -> None:
        obj._hashes = empty_hashes() if value is None else value


@dataclass
class Library:
    """Everything a scan produced: records, their fingerprints as one array, and what was skipped."""

    # A RecordTable (columns) whatever is passed in: lists of ImageRecord are converted once.
    records: Sequence[ImageRecord] = field(default_factory=list)
    # (N, algorithms, transforms). The columns of `pending` algorithms are not filled yet: reading
    # `hashes` fills them (via `loader`); `codes(algorithm)` fills only that algorithm's.
    hashes: _Hashes = _Hashes()
    skipped: list[Skipped] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    not_compared: list[NotCompared] = field(default_factory=list)  # videos, PSDs, other files (not `skipped`)
    left_out: dict[str, int] = field(default_factory=dict)        # hidden, excluded, ... -> count (coverage)
    hashed: int = 0      # files decoded in this scan
    reused: int = 0      # files answered from the cache
    # core/views.py: per file, the derived views' pHashes and 256-bit hashes, and its flatness.
    # Empty (shape 0) when not known: matching then works on the whole image only.
    views: NDArray[np.uint64] = field(default_factory=lambda: np.zeros((0, N_VIEW_WORDS), np.uint64))
    flatness: NDArray[np.float64] = field(default_factory=lambda: np.zeros(0, np.float64))

    vanished: list[str] = field(default_factory=list)  # cache entries this scan forgot: files gone from disk
    fully_seen: FullySeen = FullySeen()  # where this scan saw every file (see discovery.FullySeen)
    pending: frozenset[str] = frozenset()  # algorithms whose codes `loader` reads when first asked for
    loader: CodeLoader | None = field(default=None, repr=False, compare=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False, compare=False)
    _hashes: NDArray[np.uint64] = field(init=False, repr=False, compare=False)  # set through `hashes`

    def __post_init__(self) -> None:
        if not isinstance(self.records, RecordTable):
            self.records = RecordTable.from_records(self.records)
        if self.pending and self.loader is None:
            raise ValueError("algorithms left to load but nothing to load them from")

    def load(self, *algorithms: str) -> None:
        """Fill the codes of these algorithms if they are pending (one thread at a time)."""
        with self._lock:
            for algorithm in algorithms:
                if algorithm not in self.pending:
                    continue
                assert self.loader is not None
                codes = self.loader(self.table, algorithm)
                self._hashes[:, ALGORITHMS.index(algorithm), :] = codes
                self.pending = self.pending - {algorithm}  # after the codes are in: readers see them whole

    @property
    def table(self) -> RecordTable:
        """The records as columns (paths, size, contrast, ...): one field of every file without a loop."""
        assert isinstance(self.records, RecordTable)
        return self.records

    def has_views(self) -> bool:
        return len(self.views) == len(self.records) == len(self.flatness)

    def __len__(self) -> int:
        return len(self.records)

    def codes(self, algorithm: str) -> NDArray[np.uint64]:
        """(N, 8) fingerprints of one algorithm: column 0 as shown, 1..7 rotated/mirrored."""
        if algorithm in self.pending:
            self.load(algorithm)
        codes: NDArray[np.uint64] = self._hashes[:, ALGORITHMS.index(algorithm), :]
        return codes

    def loaded_hashes(self) -> tuple[NDArray[np.uint64], frozenset[str]]:
        """`hashes` as they are, loading nothing: the array, and the algorithms whose planes are not filled yet
        (the review snapshot on the GUI thread must not read the cache for algorithms nobody asked for)."""
        with self._lock:
            return self._hashes, self.pending

    def hash_rows(self, rows: Sequence[int] | NDArray[np.int64]) -> NDArray[np.uint64]:
        """hashes[rows], without loading pending algorithms (their columns stay unfilled: see `pending`)."""
        return _hash_rows(self, rows)

    def path(self, index: int) -> str:
        return self.table.paths[index]

    def rows(self, indices: Sequence[int]) -> Library:
        """The records (and fingerprints) at these rows, in that order; skipped files and counts kept."""
        rows = list(indices)
        return _with_views(Library(records=self.table.take(rows), hashes=_hash_rows(self, rows),
                       skipped=list(self.skipped), warnings=list(self.warnings),
                       not_compared=list(self.not_compared), left_out=dict(self.left_out),
                       hashed=self.hashed, reused=self.reused, **_lazy(self)), _view_rows(self, rows))


def _lazy(*libraries: Library) -> dict[str, Any]:
    """The pending algorithms of the libraries a new one is made from, and a loader for them: a loader
    reads by path and (size, mtime, ctime), so any of theirs answers for the records of all."""
    pending = frozenset().union(*(lib.pending for lib in libraries))
    loader = next((lib.loader for lib in libraries if lib.loader is not None), None)
    return {"pending": pending, "loader": loader} if pending else {}


def _hash_rows(library: Library, rows: Sequence[int] | NDArray[np.int64]) -> NDArray[np.uint64]:
    """The library's hashes at these rows, algorithm by algorithm: pending ones are left as zeros."""
    idx = np.asarray(rows, dtype=np.int64)
    out = empty_hashes(len(idx))
    for a, name in enumerate(ALGORITHMS):
        if name not in library.pending:
            out[:, a, :] = library._hashes[idx, a, :]
    return out


def _hash_concat(a: Library, b: Library, rows: list[int]) -> NDArray[np.uint64]:
    """a's hashes, then b's at these rows; an algorithm pending in either is left as zeros (pending in both)."""
    out = empty_hashes(len(a) + len(rows))
    idx = np.asarray(rows, dtype=np.int64)
    for k, name in enumerate(ALGORITHMS):
        if name not in a.pending and name not in b.pending:
            out[:len(a), k, :] = a._hashes[:, k, :]
            out[len(a):, k, :] = b._hashes[idx, k, :]
    return out


_Views = tuple[NDArray[np.uint64], NDArray[np.float64]]


def _with_views(library: Library, views: _Views) -> Library:
    library.views, library.flatness = views
    return library


def _no_views() -> _Views:
    return np.zeros((0, N_VIEW_WORDS), np.uint64), np.zeros(0, np.float64)


def _view_rows(library: Library, rows: list[int]) -> _Views:
    """The views and flatness at these rows, if the library has them."""
    if not library.has_views():
        return _no_views()
    return library.views[rows], library.flatness[rows]


def _view_concat(a: Library, b: Library, rows: list[int]) -> _Views:
    """a's views and flatness, then b's at these rows, if both have them."""
    if not (a.has_views() and b.has_views()):
        return _no_views()
    return np.concatenate([a.views, b.views[rows]]), np.concatenate([a.flatness, b.flatness[rows]])


def without_paths(library: Library, paths: Collection[str]) -> Library:
    """The library minus some files (they were trashed): same records otherwise, no re-decode."""
    return library.rows([k for k, p in enumerate(library.table.paths) if p not in paths])


def with_records(library: Library, removed: Library, paths: Collection[str]) -> Library:
    """The library plus the records of `removed` whose path is in `paths` (restored from the trash)."""
    present = set(library.table.paths)
    rows = [k for k, p in enumerate(removed.table.paths) if p in paths and p not in present]
    if not rows:
        return library
    return _with_views(Library(records=library.table.concat(removed.table.take(rows)),
                   hashes=_hash_concat(library, removed, rows),
                   skipped=list(library.skipped), warnings=list(library.warnings),
                   not_compared=list(library.not_compared), left_out=dict(library.left_out),
                   hashed=library.hashed, reused=library.reused, **_lazy(library, removed)),
                       _view_concat(library, removed, rows))


def only_paths(library: Library, paths: Collection[str]) -> Library:
    """The records (and fingerprints) of just these files: kept aside so an undo can put them back."""
    rows = [k for k, p in enumerate(library.table.paths) if p in paths]
    return _with_views(Library(records=library.table.take(rows), hashes=_hash_rows(library, rows), **_lazy(library)),
                       _view_rows(library, rows))


def merge(a: Library, b: Library) -> Library:
    """The records of `a`, then those of `b` whose path `a` does not have."""
    present = set(a.table.paths)
    rows = [k for k, p in enumerate(b.table.paths) if p not in present]
    return _with_views(Library(records=a.table.concat(b.table.take(rows)),
                   hashes=_hash_concat(a, b, rows), **_lazy(a, b)), _view_concat(a, b, rows))
