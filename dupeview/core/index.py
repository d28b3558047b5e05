"""Where fingerprints are kept and searched: a small interface and its default, local implementation.

The default everywhere (the app, `dupeview scan`, `dupeview query`) is the local SQLite cache
(`cache`) plus the in-memory searches of `pairs`. `LocalIndex` wraps exactly those. A shared
index on a server (`milvus_index.MilvusIndex`, the optional `dupeview[milvus]` extra) implements
the same operations, so several machines can keep their fingerprints in one place and search
them all. Nothing in this module imports a database client.

Every entry belongs to a *source* (a machine or library name) and a path; one source's entries
are synchronised from its cache with `sync`, which only writes new or changed files and removes
the ones that are gone, and never touches another source's entries.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import NamedTuple, Protocol, runtime_checkable

import numpy as np
from numpy.typing import NDArray

from dupeview.core import pairs
from dupeview.core.cache import CachedValue, CacheKey, FingerprintCache
from dupeview.core.decode import ImageFacts
from dupeview.core.fingerprint import ALGORITHMS
from dupeview.core.grouping import DEFAULT_ALGORITHM, FLAT_CONTRAST
from dupeview.core.records import ImageRecord, Library
from dupeview.core.scanner import load_library

__all__ = [
    "FingerprintIndex", "IndexUnavailable", "LocalIndex", "Match", "PairSearch", "SyncReport",
    "default_source", "facts_of", "library_items", "lookup", "probe_codes", "sync",
]

PairSearch = Callable[..., pairs.Pairs]
"""A search with the signature of `pairs.similar_pairs(codes, max_distance, *, variants=None,
should_stop=None)`: every pair of the given codes within max_distance, exactly. What
`grouping.Matcher(pair_search=...)` takes."""


class IndexUnavailable(Exception):
    """The index cannot be used: the extra is not installed, the server is unreachable, the
    collection is not a dupeview one, ... The message says which, in words for a user."""


class Match(NamedTuple):
    """One indexed file that answers one probe (query image)."""

    probe: int            # index of the probe in the search's input
    distance: int         # fingerprint distance (bits of 64), min over the probe's orientations; 0 when identical
    identical: bool       # same content digest (same bytes) as the probe
    source: str           # who indexed the file (machine or library name)
    record: ImageRecord   # its facts; dev is 0 and ino a unique negative number (no inode is known)


@runtime_checkable
class FingerprintIndex(Protocol):
    """The operations dupeview needs from a place that keeps fingerprints.

    Entries are written and removed for `source` only; searches see every source's entries.
    `algorithm` selects one of fingerprint.ALGORITHMS (the index keeps each one separately).
    """

    source: str

    def __len__(self) -> int:
        """Fingerprinted files held, all sources together (for the first algorithm kept)."""
        ...

    def synced(self) -> dict[str, CacheKey | None]:
        """This source's entries: path -> the (size, mtime_ns, ctime_ns) they were indexed with,
        None where an entry is out of date (older fingerprint pipeline, or algorithms disagree)."""
        ...

    def add(self, items: Iterable[tuple[str, ImageFacts]]) -> int:
        """Add or replace this source's entries for these files; returns how many were written."""
        ...

    def remove(self, paths: Iterable[str]) -> int:
        """Remove this source's entries for these paths; returns how many were asked for."""
        ...

    def search(self, probes: NDArray[np.uint64], threshold: int, *, algorithm: str = DEFAULT_ALGORITHM,
               min_contrast: float = FLAT_CONTRAST) -> list[list[Match]]:
        """Range search: for each probe (a (P,) array, or (P, K) with K orientations, the minimum
        taken over them), every entry within `threshold` bits (inclusive), nearest first.
        Entries of nearly flat images (contrast below min_contrast) are not matched by fingerprint."""
        ...

    def identical(self, digests: Sequence[bytes]) -> list[list[Match]]:
        """For each content digest, the entries with exactly those bytes (distance 0)."""
        ...

    def pair_search(self, algorithm: str = DEFAULT_ALGORITHM) -> PairSearch:
        """All similar pairs up to a maximum distance, as a `pairs.similar_pairs`-like callable."""
        ...

    def close(self) -> None:
        ...


def default_source() -> str:
    """The name a machine's entries are filed under unless told otherwise: its host name."""
    return socket.gethostname() or "localhost"


# --------------------------------------------------------------------------- helpers


def facts_of(library: Library, k: int) -> ImageFacts:
    """The cacheable facts of a library's k-th record (what an index stores about a file)."""
    r = library.records[k]
    return ImageFacts(r.size, r.mtime_ns, r.ctime_ns, r.digest, r.width, r.height, r.format, r.taken,
                      r.camera, r.contrast, library.hashes[k].astype("<u8").tobytes())


def library_items(library: Library) -> Iterator[tuple[str, ImageFacts]]:
    """(path, facts) for every fingerprinted file of a library: what `sync` takes."""
    for k, r in enumerate(library.records):
        yield r.path, facts_of(library, k)


def codes_of(facts: ImageFacts) -> NDArray[np.uint64]:
    """(algorithms, orientations) uint64 fingerprints of one decoded file."""
    return np.frombuffer(facts.hashes, dtype="<u8").astype(np.uint64).reshape(len(ALGORITHMS), -1)


def probe_codes(facts: ImageFacts, algorithm: str, rotations: bool) -> NDArray[np.uint64]:
    """The probe row a query image searches with: (8,) all orientations, or (1,) as shown."""
    row: NDArray[np.uint64] = codes_of(facts)[ALGORITHMS.index(algorithm)]
    return row if rotations else row[:1]


def record_of(path: str, facts: ImageFacts, ino: int) -> ImageRecord:
    return ImageRecord(path, facts.size, facts.mtime_ns, facts.ctime_ns, 0, ino, facts.digest, facts.width,
                       facts.height, facts.format, facts.taken, facts.camera, facts.contrast)


def as_probes(probes: NDArray[np.integer]) -> NDArray[np.uint64]:
    """(P,) or (P, K) fingerprints as a contiguous (P, K) uint64 array."""
    array = np.asarray(probes)
    if array.dtype.kind not in "ui":
        raise TypeError(f"probes must hold integer fingerprints, got {array.dtype}")
    array = array.astype(np.uint64, copy=False)
    if array.ndim == 1:
        array = array[:, None]
    if array.ndim != 2:
        raise ValueError(f"probes must be (P,) or (P, K), got shape {array.shape}")
    return np.ascontiguousarray(array)


def check_algorithm(algorithm: str) -> None:
    if algorithm not in ALGORITHMS:
        raise ValueError(f"unknown algorithm {algorithm!r}; choose from {', '.join(ALGORITHMS)}")


# --------------------------------------------------------------------------- sync and lookup


@dataclass
class SyncReport:
    added: int = 0       # files the index did not hold
    updated: int = 0     # files whose entry was out of date (changed file, older pipeline)
    removed: int = 0     # entries of files that are gone
    unchanged: int = 0

    def __str__(self) -> str:
        return f"{self.added} added, {self.updated} updated, {self.removed} removed, {self.unchanged} unchanged"


def sync(index: FingerprintIndex, entries: Iterable[tuple[str, CachedValue]], *,
         remove_missing: bool | Callable[[list[str]], list[str]] = True,
         batch_size: int = 5000, progress: Callable[[int, int], None] | None = None) -> SyncReport:
    """Bring this source's entries in the index up to date with `entries` (a cache's or a library's).

    Only files that are new or whose (size, mtime_ns, ctime_ns) changed are written. With
    remove_missing, this source's entries for paths not in `entries` (or that failed to decode)
    are removed; a callable instead picks which of those paths to remove (a scan of some folders
    removes only entries inside them). progress(done, total) is called after each written batch.
    Batches are written in order, so an interrupted sync resumes where it stopped: the next one
    finds the written entries up to date.
    """
    held = index.synced()
    report = SyncReport()
    wanted: list[tuple[str, ImageFacts]] = []
    seen: set[str] = set()
    for path, value in entries:
        if not isinstance(value, ImageFacts):
            continue  # a file that could not be decoded has no fingerprint: removed below if held
        seen.add(path)
        key = held.get(path, False)
        if key is False:
            report.added += 1
        elif key != (value.size, value.mtime_ns, value.ctime_ns):
            report.updated += 1
        else:
            report.unchanged += 1
            continue
        wanted.append((path, value))
    gone = [path for path in held if path not in seen] if remove_missing else []
    if callable(remove_missing):
        gone = remove_missing(gone)
    total = len(wanted) + len(gone)
    done = 0
    for start in range(0, len(wanted), batch_size):
        index.add(wanted[start:start + batch_size])
        done += len(wanted[start:start + batch_size])
        if progress is not None:
            progress(done, total)
    for start in range(0, len(gone), batch_size):
        index.remove(gone[start:start + batch_size])
        done += len(gone[start:start + batch_size])
        if progress is not None:
            progress(done, total)
    report.removed = len(gone)
    return report


def lookup(index: FingerprintIndex, facts: Sequence[ImageFacts], threshold: int, *,
           algorithm: str = DEFAULT_ALGORITHM, rotations: bool = False,
           min_contrast: float = FLAT_CONTRAST) -> list[list[Match]]:
    """What `dupeview query` reports for each image: identical files first (distance 0), then the
    entries within threshold, by distance, source and path. A nearly flat image (contrast below
    min_contrast) is matched by identical bytes only, as in a scan."""
    results: list[list[Match]] = [[] for _ in facts]
    for k, hits in enumerate(index.identical([f.digest for f in facts])):
        results[k].extend(Match(k, 0, True, h.source, h.record) for h in hits)
    textured = [k for k, f in enumerate(facts) if f.contrast >= min_contrast]
    if textured:
        probes = np.stack([probe_codes(facts[k], algorithm, rotations) for k in textured])
        for k, hits in zip(textured, index.search(probes, threshold, algorithm=algorithm, min_contrast=min_contrast),
                           strict=True):
            digest = facts[k].digest
            results[k].extend(Match(k, h.distance, False, h.source, h.record) for h in hits if h.record.digest != digest)
    for matches in results:
        matches.sort(key=lambda m: (m.distance, not m.identical, m.source, os.fsencode(m.record.path)))
    return results


# --------------------------------------------------------------------------- the local index


class LocalIndex:
    """The default index: one local fingerprint cache, searched in memory with `pairs`.

    `source` only labels the matches (a cache belongs to one machine). The cache's entries are
    loaded into memory on the first search and again after a change.
    """

    def __init__(self, cache: FingerprintCache, source: str | None = None) -> None:
        self.cache = cache
        self.source = source if source is not None else default_source()
        self._library: Library | None = None
        self._digests: dict[bytes, list[int]] | None = None
        self._searchable: dict[tuple[str, float], tuple[NDArray[np.int64], NDArray[np.uint64]]] = {}

    @property
    def library(self) -> Library:
        if self._library is None:
            self._library = load_library(self.cache)
            self._digests = None
            self._searchable = {}
        return self._library

    def __len__(self) -> int:
        return len(self.library)

    def synced(self) -> dict[str, CacheKey | None]:
        return {path: (v.size, v.mtime_ns, v.ctime_ns) for path, v in self.cache.entries()
                if isinstance(v, ImageFacts)}

    def add(self, items: Iterable[tuple[str, ImageFacts]]) -> int:
        rows = [(path, facts) for path, facts in items if isinstance(facts, ImageFacts)]
        self.cache.store(rows)
        self._library = None
        return len(rows)

    def remove(self, paths: Iterable[str]) -> int:
        paths = list(paths)
        self.cache.forget(paths)
        self._library = None
        return len(paths)

    def search(self, probes: NDArray[np.uint64], threshold: int, *, algorithm: str = DEFAULT_ALGORITHM,
               min_contrast: float = FLAT_CONTRAST) -> list[list[Match]]:
        check_algorithm(algorithm)
        probes = as_probes(probes)
        library = self.library
        results: list[list[Match]] = [[] for _ in range(len(probes))]
        if not len(library):
            return results
        searchable = self._searchable.get((algorithm, min_contrast))
        if searchable is None:
            contrast = np.fromiter((r.contrast for r in library.records), dtype=np.float64, count=len(library))
            textured = np.flatnonzero(contrast >= min_contrast)
            searchable = self._searchable[(algorithm, min_contrast)] = (
                textured, np.ascontiguousarray(library.codes(algorithm)[textured, 0]))
        textured, codes = searchable
        for p, k, d in pairs.query(codes, probes, threshold):
            results[p].append(self._match(p, int(textured[k]), d))
        for matches in results:
            matches.sort(key=lambda m: (m.distance, os.fsencode(m.record.path)))
        return results

    def identical(self, digests: Sequence[bytes]) -> list[list[Match]]:
        library = self.library
        if self._digests is None:
            self._digests = {}
            for k, r in enumerate(library.records):
                self._digests.setdefault(r.digest, []).append(k)
        return [[self._match(p, k, 0, True) for k in self._digests.get(d, [])] for p, d in enumerate(digests)]

    def _match(self, probe: int, k: int, distance: int, identical: bool = False) -> Match:
        return Match(probe, int(distance), identical, self.source, self.library.records[k])

    def pair_search(self, algorithm: str = DEFAULT_ALGORITHM) -> PairSearch:
        check_algorithm(algorithm)
        return pairs.similar_pairs

    def close(self) -> None:
        self.cache.close()

    def __enter__(self) -> LocalIndex:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
