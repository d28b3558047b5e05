"""An algorithm's fingerprints read from the cache when first asked for, not at every scan.

A warm rescan reads from the folder packs only the algorithms its settings compare by (the
default: pHash, 64 MB at 1M files instead of 256 MB for all four). Choosing another algorithm
later reads that one's codes, for exactly the library's files: a folder pack whose names and
(size, mtime_ns, ctime_ns) still match answers in one slice, a file row whose key matches
answers one file, and a file the cache no longer holds as it was is decoded again (in a process
of its own, as a scan would). Nothing is taken from the cache for a file that changed.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from dupeview.core.cache import CachedValue, FingerprintCache, NotACacheError
from dupeview.core.decode import ImageFacts
from dupeview.core.fingerprint import ALGORITHMS, N_TRANSFORMS
from dupeview.core.packs import N_INTS
from dupeview.core.record_table import RecordTable


@dataclass(frozen=True)
class CacheCodes:
    """A Library's CodeLoader: the cache file a scan used, and how to decode a file it cannot answer."""

    cache_path: str
    decode: Callable[[str], CachedValue]

    def __call__(self, table: RecordTable, algorithm: str) -> NDArray[np.uint64]:
        a = ALGORITHMS.index(algorithm)
        n = len(table)
        out = np.zeros((n, N_TRANSFORMS), np.uint64)
        done = np.zeros(n, bool)
        keys = np.stack([np.asarray(c, np.int64) for c in (table.size, table.mtime_ns, table.ctime_ns)], axis=1) \
            if n else np.zeros((0, 3), np.int64)
        paths = table.paths
        try:
            with FingerprintCache.reader(self.cache_path) as cache:
                for folder, start, stop in folder_runs(paths):
                    got = cache.pack_codes(folder, algorithm)
                    if got is not None:
                        _from_pack(folder, got, paths, keys, start, stop, out, done)
                rest = np.flatnonzero(~done).tolist()
                if rest:
                    slot = {paths[k]: k for k in rest}
                    for path, key, value in cache.rows_for(slot):
                        k = slot[path]
                        if isinstance(value, ImageFacts) and key == tuple(keys[k].tolist()):
                            out[k] = _codes_of(value, a)
                            done[k] = True
        except (sqlite3.Error, OSError, NotACacheError):
            pass  # an unreadable cache answers nothing: the files are decoded again below
        for k in np.flatnonzero(~done).tolist():
            value = self.decode(paths[k])
            if isinstance(value, ImageFacts):
                out[k] = _codes_of(value, a)  # the file as it is now; the next scan refreshes its record
        return out


def _codes_of(value: ImageFacts, a: int) -> NDArray[np.uint64]:
    codes: NDArray[np.uint64] = np.frombuffer(value.hashes, "<u8").reshape(len(ALGORITHMS), N_TRANSFORMS)[a]
    return codes


def _from_pack(folder: str, got: tuple[str, bytes, bytes], paths: list[str], keys: NDArray[np.int64],
               start: int, stop: int, out: NDArray[np.uint64], done: NDArray[np.bool_]) -> None:
    joined, ints_blob, codes_blob = got
    names = joined.split("\0") if joined or len(ints_blob) else []
    ints = np.frombuffer(ints_blob, "<i8")
    codes = np.frombuffer(codes_blob, "<u8")
    if ints.size != len(names) * N_INTS or codes.size != len(names) * N_TRANSFORMS:
        return  # a pack that does not add up answers nothing
    ints, codes = ints.reshape(-1, N_INTS), codes.reshape(-1, N_TRANSFORMS)
    prefix = os.path.join(folder, "")
    if stop - start == len(names) and "\0".join(paths[start:stop]) == prefix + joined.replace("\0", "\0" + prefix):
        same = np.all(ints[:, :3] == keys[start:stop], axis=1)
        out[start:stop][same] = codes[same]
        done[start:stop] |= same
        return
    where = {name: j for j, name in enumerate(names)}
    cut = len(prefix)
    for k in range(start, stop):
        j = where.get(paths[k][cut:])
        if j is not None and np.array_equal(ints[j, :3], keys[k]):
            out[k] = codes[j]
            done[k] = True


def folder_runs(paths: list[str]) -> list[tuple[str, int, int]]:
    """(folder, start, stop) of each run of consecutive paths in one folder."""
    runs: list[tuple[str, int, int]] = []
    start = 0
    folder = ""
    for k, path in enumerate(paths):
        here = path[:path.rfind(os.sep)] or os.sep if os.sep in path else ""
        if k == 0:
            folder = here
        elif here != folder:
            runs.append((folder, start, k))
            folder, start = here, k
    if paths:
        runs.append((folder, start, len(paths)))
    return runs
