"""Similar pairs computed once, then groups at any threshold in a cheap pass, each with a keeper."""

from __future__ import annotations

import os
from collections import defaultdict
from dataclasses import dataclass
from typing import Final

import numpy as np
import scipy.sparse
from numpy.typing import NDArray
from scipy.sparse.csgraph import connected_components

from dupeview.core import pairs as pair_search
from dupeview.core.fingerprint import ALGORITHMS
from dupeview.core.keeper import KeepPolicy, sort_key, under
from dupeview.core.progress import CancelToken
from dupeview.core.scanner import Library

# Perceptual hashes of nearly flat images (black frames, blank pages, clear sky) are
# noise around a mean: two unrelated flat images collide. Below this grey-level standard
# deviation an image is matched only by identical bytes. Chosen with benchmarks/accuracy.py.
FLAT_CONTRAST: Final = 4.0
DEFAULT_MAX_DISTANCE: Final = 12
# Per algorithm, from the range with precision and recall both 1.0 on the shared corpus
# (benchmarks/accuracy.py): phash 4..11 (8 leaves room both ways), dhash only 4; ahash and
# whash have no clean range (best: 2-3, with a few false pairs), hence phash by default.
DEFAULT_THRESHOLDS: Final = {"phash": 8, "dhash": 4, "ahash": 3, "whash": 2}
DEFAULT_ALGORITHM: Final = "phash"
DEFAULT_THRESHOLD: Final = DEFAULT_THRESHOLDS[DEFAULT_ALGORITHM]


@dataclass(frozen=True)
class MatchOptions:
    algorithm: str = "phash"
    rotations: bool = False
    max_distance: int = DEFAULT_MAX_DISTANCE
    min_contrast: float = FLAT_CONTRAST

    def __post_init__(self) -> None:
        if self.algorithm not in ALGORITHMS:
            raise ValueError(f"unknown algorithm {self.algorithm!r}; choose from {', '.join(ALGORITHMS)}")
        if not 0 <= self.max_distance <= 64:
            raise ValueError("max_distance must be between 0 and 64")


@dataclass(frozen=True)
class GroupOptions:
    threshold: int = DEFAULT_THRESHOLD
    policy: KeepPolicy = KeepPolicy()
    reference_folders: tuple[str, ...] = ()
    only_with_reference: bool = False
    not_duplicates: frozenset[tuple[str, str]] = frozenset()


@dataclass(frozen=True, slots=True)
class Member:
    index: int          # into Library.records
    distance: int       # fingerprint distance to the group's keeper
    identical: bool     # same bytes as the keeper
    reference: bool     # in a reference folder: never suggested for removal
    hardlink: bool      # shares its inode with another member: removing it frees nothing
    suggested: bool     # suggested for removal by the keep rules


@dataclass(frozen=True, slots=True)
class Group:
    members: tuple[Member, ...]  # the keeper first, then by distance and path
    reclaimable: int             # bytes freed by removing the suggested members

    @property
    def keeper(self) -> Member:
        return self.members[0]


class Matcher:
    """The similarity edges of one library for one algorithm; regroups in milliseconds."""

    def __init__(self, library: Library, options: MatchOptions = MatchOptions(),
                 cancel: CancelToken | None = None) -> None:
        self.library = library
        self.options = options
        codes = library.codes(options.algorithm)
        self._codes = codes
        self._rotations = options.rotations
        n = len(library)
        textured = np.flatnonzero(np.array([r.contrast >= options.min_contrast for r in library.records], dtype=bool)) \
            if n else np.zeros(0, dtype=np.int64)
        should_stop = (lambda: cancel.cancelled) if cancel is not None else None
        found = pair_search.similar_pairs(
            np.ascontiguousarray(codes[textured, 0]), options.max_distance,
            variants=np.ascontiguousarray(codes[textured, 1:]) if options.rotations else None,
            should_stop=should_stop)
        i = textured[found.i].astype(np.int64)
        j = textured[found.j].astype(np.int64)
        d = found.distance.astype(np.uint8)
        di, dj = self._identical_edges()
        # Byte-identical copies are always an edge at distance 0, flat or not.
        self.i = np.concatenate([di, i])
        self.j = np.concatenate([dj, j])
        self.distance = np.concatenate([np.zeros(len(di), np.uint8), d])
        order = np.argsort(self.distance, kind="stable")
        self.i, self.j, self.distance = self.i[order], self.j[order], self.distance[order]
        self._index = {r.path: k for k, r in enumerate(library.records)}

    def _identical_edges(self) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
        by_digest: dict[bytes, list[int]] = defaultdict(list)
        for k, r in enumerate(self.library.records):
            by_digest[r.digest].append(k)
        a: list[int] = []
        b: list[int] = []
        for members in by_digest.values():
            for other in members[1:]:
                a.append(members[0])
                b.append(other)
        return np.array(a, dtype=np.int64), np.array(b, dtype=np.int64)

    def distance_between(self, a: int, b: int) -> int:
        ca, cb = self._codes[a], self._codes[b]
        if self._rotations:
            return int(min(np.bitwise_count(ca ^ cb[0]).min(), np.bitwise_count(cb ^ ca[0]).min()))
        return int(np.bitwise_count(ca[0] ^ cb[0]))

    def edge_count(self, threshold: int) -> int:
        return int(np.searchsorted(self.distance, threshold, side="right"))

    def groups(self, options: GroupOptions = GroupOptions()) -> list[Group]:
        """Connected components of the edges within the threshold, each with a keeper."""
        if options.threshold > self.options.max_distance:
            raise ValueError(f"threshold {options.threshold} is above the searched maximum {self.options.max_distance}")
        n = len(self.library)
        k = self.edge_count(options.threshold)
        i, j = self.i[:k], self.j[:k]
        if options.not_duplicates and k:
            i, j = self._without_dismissed(i, j, options.not_duplicates)
        if n == 0 or len(i) == 0:
            return []
        graph = scipy.sparse.coo_matrix((np.ones(len(i), dtype=np.int8), (i, j)), shape=(n, n))
        _, labels = connected_components(graph, directed=False)
        nodes = np.unique(np.concatenate([i, j]))
        node_labels = labels[nodes]
        order = np.argsort(node_labels, kind="stable")
        nodes, node_labels = nodes[order], node_labels[order]
        cuts = np.flatnonzero(np.diff(node_labels)) + 1
        out = []
        key = sort_key(options.policy)
        for component in np.split(nodes, cuts):
            group = self._make_group([int(x) for x in component], key, options)
            if group is not None:
                out.append(group)
        out.sort(key=lambda g: (-g.reclaimable, os.fsencode(self.library.records[g.keeper.index].path)))
        return out

    def _without_dismissed(self, i: NDArray[np.int64], j: NDArray[np.int64],
                           dismissed: frozenset[tuple[str, str]]) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
        n = len(self.library)
        pairs = [(self._index[a], self._index[b]) for a, b in dismissed if a in self._index and b in self._index]
        if not pairs:
            return i, j
        d = np.array(pairs, dtype=np.int64)
        dismissed_keys = np.minimum(d[:, 0], d[:, 1]) * n + np.maximum(d[:, 0], d[:, 1])
        keys = np.minimum(i, j) * n + np.maximum(i, j)
        keep = ~np.isin(keys, dismissed_keys)
        return i[keep], j[keep]

    def _make_group(self, indices: list[int], key: object, options: GroupOptions) -> Group | None:
        records = self.library.records
        inodes = defaultdict(list)
        for x in indices:
            inodes[(records[x].dev, records[x].ino)].append(x)
        if len(inodes) < 2:
            return None  # every path leads to the same file: nothing to reclaim
        linked = {x for xs in inodes.values() if len(xs) > 1 for x in xs}
        reference = {x for x in indices if any(under(records[x].path, f) for f in options.reference_folders)}
        if options.only_with_reference and not reference:
            return None
        # A reference copy is always the keeper when there is one.
        keeper = min(indices, key=lambda x: (x not in reference, key(records[x])))  # type: ignore[operator]
        members = []
        for x in indices:
            identical = records[x].digest == records[keeper].digest
            distance = 0 if identical else self.distance_between(keeper, x)
            protected = x == keeper or x in reference or x in linked
            members.append(Member(x, distance, identical, x in reference, x in linked, not protected))
        members.sort(key=lambda m: (m.index != keeper, m.distance, os.fsencode(records[m.index].path)))
        reclaimable = sum(records[m.index].size for m in members if m.suggested)
        return Group(tuple(members), reclaimable)
