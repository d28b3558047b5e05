"""A scan's Library built as arrays: folder packs copied in slices, cached rows and fresh decodes one by one.

One slot per discovered file, allocated once; a folder whose pack still matches (same names,
same size/mtime/ctime) is copied in a handful of slice assignments, so a warm rescan costs a few
array copies per folder instead of Python objects per file. A folder that changed is answered
by its files' rows. Only the algorithms asked for are held, whatever answers a file (a pack, a
row or a decode): the fingerprints are stored algorithm by algorithm, so the others' memory is
never touched (zero pages) until they are loaded when first used (core/lazy_codes.py). A changed
or new folder's pack needs every algorithm: those codes wait in a buffer of that folder only
until its last file is answered and its pack is taken (`take_complete`, `new_packs`), so a cold
scan decoding folder after folder holds a few folders' worth of them, not the library's.
Memory per file: docs/scale.md.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from typing import Final, TypeVar, cast

import numpy as np
from numpy.typing import NDArray

from dupeview.core import packs
from dupeview.core.cache import CachedValue, FingerprintCache
from dupeview.core.decode import DecodeFailure
from dupeview.core.discovery import Discovery, Skipped
from dupeview.core.fingerprint import ALGORITHMS, N_TRANSFORMS
from dupeview.core.record_table import RecordTable, narrow
from dupeview.core.records import CodeLoader, Library
from dupeview.core.safeio import DIGEST_BYTES
from dupeview.core.views import N_WORDS as N_VIEW_WORDS
from dupeview.core.views import VIEW_BYTES

_EMPTY: Final = 0
_OK: Final = 1
_FAILED: Final = 2


class Assembly:
    """The slots of one scan's files (discovery order) and what fills them."""

    def __init__(self, found: Discovery, algorithms: Sequence[str] = ALGORITHMS) -> None:
        n = len(found)
        self.found = found
        # Read from the packs; the other algorithms' codes come only with rows and decodes.
        self.algorithms = tuple(a for a in ALGORITHMS if a in algorithms)
        self.from_packs = 0
        self._held = [ALGORITHMS.index(a) for a in self.algorithms]
        self.ints = np.zeros((n, packs.N_INTS), np.int64)      # size, mtime_ns, ctime_ns, width, height
        self.floats = np.zeros((n, packs.N_FLOATS), np.float64)  # contrast, flatness
        self.digests = np.zeros((n, DIGEST_BYTES), np.uint8)
        # Algorithm by algorithm: (algorithms, n, transforms). np.zeros maps zero pages, so the planes
        # of the algorithms not held (never written) cost no memory.
        self.codes = np.zeros((len(ALGORITHMS), n, N_TRANSFORMS), np.uint64)
        self.views = np.zeros((n, N_VIEW_WORDS), np.uint64)
        self.format: list[str | None] = [None] * n
        self.taken: list[str | None] = [None] * n
        self.camera: list[str | None] = [None] * n
        self.state = np.zeros(n, np.int8)
        self.failed: dict[int, str] = {}
        self.odd_digests: dict[int, bytes] = {}  # digests not DIGEST_BYTES long (hand-made caches)
        self.uncached = np.zeros(n, bool)         # answers not written to the cache (crashes, time-outs)
        self.dirty: list[tuple[str, int, int]] = []  # folder runs whose pack is missing or out of date
        # Per dirty run (by its index in `dirty`): slots not answered yet, every algorithm's codes of
        # those answered (only while some algorithm is not held), and whether its pack was taken.
        self._run_starts = np.zeros(0, np.int64)
        self._run_ids = np.zeros(0, np.int64)
        self._left = np.zeros(0, np.int64)
        self._staged: dict[int, NDArray[np.uint64]] = {}
        self._complete: list[int] = []
        self._packed: set[int] = set()

    def keys(self) -> NDArray[np.int64]:
        """(n, 3) size, mtime_ns, ctime_ns of every discovered file."""
        f = self.found
        return np.stack([np.frombuffer(a, np.int64) if len(a) else np.zeros(0, np.int64)
                         for a in (f.size, f.mtime_ns, f.ctime_ns)], axis=1)

    # -- filling -----------------------------------------------------------------
    def fill_from_packs(self, cache: FingerprintCache) -> None:
        """Every file whose folder pack still holds it with the same keys; the other folders are dirty."""
        runs = self.found.runs
        if not runs:
            return
        keys = self.keys()
        by_folder = {run[0]: run for run in runs}
        seen: set[str] = set()
        for folder, pack in cache.load_packs([root for root, _ in self.found.walked], by_folder, self.algorithms):
            seen.add(folder)
            run = by_folder[folder]
            if self._whole(run, pack, keys):
                self.from_packs += len(pack)
            else:
                self.dirty.append(run)  # a folder that changed: its files' rows answer
        self.dirty.extend(run for run in runs if run[0] not in seen)
        self._index_dirty()

    def _index_dirty(self) -> None:
        by_start = sorted(range(len(self.dirty)), key=lambda d: self.dirty[d][1])
        self._run_starts = np.array([self.dirty[d][1] for d in by_start], np.int64)
        self._run_ids = np.array(by_start, np.int64)
        self._left = np.array([stop - start for _, start, stop in self.dirty], np.int64)
        for d in np.flatnonzero(self._left == 0).tolist():
            self._complete.append(d)

    def _whole(self, run: tuple[str, int, int], pack: packs.Pack, keys: NDArray[np.int64]) -> bool:
        folder, start, stop = run
        if len(pack) != stop - start or not np.array_equal(pack.ints[:, :3], keys[start:stop]):
            return False
        # The names compared as one string each side, not a list of names per folder.
        prefix = os.path.join(folder, "")
        if "\0".join(self.found.paths[start:stop]) != prefix + pack.joined.replace("\0", "\0" + prefix):
            return False
        self.ints[start:stop] = pack.ints
        self.floats[start:stop] = pack.floats
        self.digests[start:stop] = pack.digests
        for a, name in enumerate(ALGORITHMS):
            if name in pack.codes:
                self.codes[a, start:stop] = pack.codes[name]
        self.views[start:stop] = pack.views
        self.format[start:stop] = pack.format
        self.taken[start:stop] = pack.taken
        self.camera[start:stop] = pack.camera
        self.state[start:stop] = _OK
        for row, reason in pack.failed.items():
            self.state[start + row] = _FAILED
            self.failed[start + row] = reason
        return True

    def put(self, k: int, value: CachedValue, cached: bool = True) -> None:
        """One file's answer: a cached row or a fresh decode."""
        self.uncached[k] = not cached
        first = self.state[k] == _EMPTY
        if isinstance(value, DecodeFailure):
            self.ints[k, :3] = (value.size, value.mtime_ns, value.ctime_ns)
            self.state[k] = _FAILED
            self.failed[k] = value.reason
            if first:
                self._answered(k, None)
            return
        self.ints[k] = (value.size, value.mtime_ns, value.ctime_ns, value.width, value.height)
        self.floats[k] = (value.contrast, value.flatness or 0.0)
        if len(value.digest) == DIGEST_BYTES:
            self.digests[k] = np.frombuffer(value.digest, np.uint8)
        else:
            self.odd_digests[k] = value.digest
        codes = np.frombuffer(value.hashes, "<u8").reshape(len(ALGORITHMS), N_TRANSFORMS)
        for a in self._held:
            self.codes[a, k] = codes[a]
        if value.views and len(value.views) == VIEW_BYTES:
            self.views[k] = np.frombuffer(value.views, "<u8")
        self.format[k], self.taken[k], self.camera[k] = value.format, value.taken, value.camera
        self.state[k] = _OK
        if first:
            self._answered(k, codes)

    def _answered(self, k: int, codes: NDArray[np.uint64] | None) -> None:
        """Count slot k's first answer against its dirty run; keep its codes for that run's pack."""
        at = int(np.searchsorted(self._run_starts, k, side="right")) - 1
        if at < 0:
            return
        d = int(self._run_ids[at])
        _, start, stop = self.dirty[d]
        if not start <= k < stop:
            return
        if codes is not None and len(self._held) < len(ALGORITHMS):
            staged = self._staged.get(d)
            if staged is None:
                staged = self._staged[d] = np.zeros((stop - start, len(ALGORITHMS), N_TRANSFORMS), np.uint64)
            staged[k - start] = codes
        self._left[d] -= 1
        if self._left[d] == 0:
            self._complete.append(d)

    def take_complete(self) -> list[int]:
        """The dirty runs whose every file has been answered since the last call (for `new_packs`)."""
        done, self._complete = self._complete, []
        return done

    def unanswered(self) -> NDArray[np.int64]:
        return np.flatnonzero(self.state == _EMPTY)

    # -- results -----------------------------------------------------------------
    def new_packs(self, runs: Iterable[int] | None = None) -> Iterator[tuple[str, packs.Pack]]:
        """Packs for these dirty runs (indexes in `dirty`; default: every one not taken yet) of folders
        listed once, from what is now in their slots. A run's pack is taken once; its buffer goes with it."""
        count = Counter(run[0] for run in self.found.runs)
        for d in (range(len(self.dirty)) if runs is None else runs):
            if d in self._packed:
                continue
            self._packed.add(d)
            staged = self._staged.pop(d, None)
            folder, start, stop = self.dirty[d]
            if count[folder] != 1 or any(start <= k < stop for k in self.odd_digests):
                continue
            rows = np.arange(start, stop)
            rows = rows[(self.state[start:stop] != _EMPTY) & ~self.uncached[start:stop]]
            if not len(rows):
                continue
            local = {int(k) - start: j for j, k in enumerate(rows.tolist())}
            failed = {local[k - start]: why for k, why in self.failed.items() if start <= k < stop and k - start in local}
            order = rows.tolist()
            cut = len(os.path.join(folder, ""))
            if len(self._held) == len(ALGORITHMS):
                codes = {name: self.codes[a][rows] for a, name in enumerate(ALGORITHMS)}
            else:  # the run's buffer: every algorithm (none if every file of it failed)
                if staged is None:
                    staged = np.zeros((stop - start, len(ALGORITHMS), N_TRANSFORMS), np.uint64)
                codes = {name: staged[rows - start, a] for a, name in enumerate(ALGORITHMS)}
            yield folder, packs.Pack("\0".join([self.found.paths[k][cut:] for k in order]), self.ints[rows],
                                     self.floats[rows], self.digests[rows], codes, self.views[rows],
                                     [self.format[k] or "" for k in order], [self.taken[k] for k in order],
                                     [self.camera[k] for k in order], failed)

    def library(self, loader: CodeLoader | None = None) -> Library:
        """The Library of the files fingerprinted (failures become skipped entries), in discovery order.
        With algorithms not read from the packs, the loader reads them when first asked for."""
        found = self.found
        ok = self.state == _OK
        skipped = list(found.skipped) + [Skipped(found.paths[k], self.failed[k]) for k in sorted(self.failed)]
        keep = np.flatnonzero(ok)
        whole = len(keep) == len(ok)
        ints, floats, digests = _rows(self.ints, keep, whole), _rows(self.floats, keep, whole), _rows(self.digests, keep, whole)
        views = _rows(self.views, keep, whole)
        # With a loader, the algorithms not asked for (never held) are left to it: the cache holds them.
        pending = frozenset(ALGORITHMS) - frozenset(self.algorithms) if loader is not None else frozenset()
        if len(self.algorithms) < len(ALGORITHMS) and loader is None and bool(ok.any()):
            raise ValueError("algorithms left unread and nothing to read them from later")
        codes = self.codes
        if not whole:
            for a, name in enumerate(ALGORITHMS):
                if name not in pending:  # a pending algorithm is loaded whole, for every row, when asked for
                    _compact(codes[a], keep)
            codes = codes[:, :len(keep)]
        order = keep.tolist()

        def pick(col: list[str | None]) -> list[str | None]:
            return col if whole else [col[k] for k in order]

        dev = np.frombuffer(found.dev, np.uint64) if len(found.dev) else np.zeros(0, np.uint64)
        ino = np.frombuffer(found.ino, np.uint64) if len(found.ino) else np.zeros(0, np.uint64)
        digest: NDArray[np.uint8] | list[bytes] = digests
        if self.odd_digests:
            digest = [self.odd_digests.get(k, digests[j].tobytes()) for j, k in enumerate(order)]
        formats = cast(list[str], pick(self.format))  # every row kept is fingerprinted: it has a format
        table = RecordTable(pick_paths(found.paths, order, whole),
                            {"size": ints[:, 0], "mtime_ns": ints[:, 1], "ctime_ns": ints[:, 2],
                             "dev": narrow(dev[keep]), "ino": narrow(ino[keep])},
                            digest, ints[:, 3], ints[:, 4], formats, pick(self.taken), pick(self.camera), floats[:, 0])
        return Library(records=table, hashes=codes.transpose(1, 0, 2), skipped=skipped, views=views,
                       flatness=floats[:, 1], pending=pending, loader=loader if pending else None)


def pick_paths(paths: list[str], order: list[int], whole: bool) -> list[str]:
    return paths if whole else [paths[k] for k in order]


_A = TypeVar("_A", bound=np.generic)


def _rows(a: NDArray[_A], keep: NDArray[np.int64], whole: bool) -> NDArray[_A]:
    return a if whole else _compact(a, keep)


def _compact(a: NDArray[_A], keep: NDArray[np.int64]) -> NDArray[_A]:
    """a[keep] in place, a slab at a time: a million fingerprints are not copied whole to drop a few."""
    m = len(keep)
    step = 65536
    for s in range(0, m, step):
        chunk = keep[s:s + step]
        a[s:s + len(chunk)] = a[chunk]  # keep[j] >= j: a slab never reads what an earlier one wrote
    return a[:m]
