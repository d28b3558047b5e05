"""Similar pairs computed once, then groups at any threshold in a cheap pass, each with a keeper."""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Final

import numpy as np
from numpy.typing import NDArray

from dupeview.core import pair_delta, pair_memo, raw_pairs, verify
from dupeview.core import pairs as pair_search
from dupeview.core.actions import aliases
from dupeview.core.components import connected_components as connected_components
from dupeview.core.fingerprint import ALGORITHMS, N_TRANSFORMS
from dupeview.core.group_list import Group as Group
from dupeview.core.group_list import GroupList as GroupList
from dupeview.core.group_list import Member as Member
from dupeview.core.keeper import KeepPolicy, index_key, under
from dupeview.core.ordering import sorted_in_runs
from dupeview.core.pair_memo import PairMemo
from dupeview.core.progress import CancelToken
from dupeview.core.record_table import identical_rows
from dupeview.core.records import Library
from dupeview.core.scope import scoped

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
    hide_raw_pairs: bool = False   # a camera's RAW + JPEG side by side in one folder is not a duplicate
    scope: str = "all"              # core/scope.py: "all", "across" or "within" the searched folders
    roots: tuple[str, ...] = ()     # the searched folders, for the scope


def code_reader(library: Library, algorithm: str) -> verify.DhashReader:
    """Rows -> their (k, 8) codes of one algorithm: from memory when loaded, else read from the cache for
    just those rows (core/lazy_codes.py), so a check that needs a few files' codes does not load a million."""
    def read(rows: NDArray[np.int64]) -> NDArray[np.uint64]:
        # Not loaded into the library: a scan holds only what it compares by (a folder's pack is read
        # whole, so even many rows cost no more than loading every file's codes).
        if algorithm not in library.pending or library.loader is None:
            return np.asarray(library.codes(algorithm)[rows])
        order = np.argsort(rows, kind="stable")  # library order: a folder's files together, one pack read each
        out = np.empty((len(rows), N_TRANSFORMS), dtype=np.uint64)
        out[order] = library.loader(library.table.take(rows[order]), algorithm)
        return out
    return read


@dataclass(frozen=True)
class _Facts:
    nodes: NDArray[np.int64]       # files with at least one edge
    size: NDArray[np.int64]
    digest_id: NDArray[np.int64]
    inode_id: NDArray[np.int64]
    inode_count: int
    path_rank: NDArray[np.int64]   # order of the paths as bytes: the deterministic tie-break


class Matcher:
    """The similarity edges of one library for one algorithm; regroups in milliseconds."""

    def __init__(self, library: Library, options: MatchOptions = MatchOptions(),
                 cancel: CancelToken | None = None,
                 search_pairs: Callable[..., pair_search.Pairs] | None = None, *,
                 search_distance: int | None = None, memo: PairMemo | None = None) -> None:
        """search_pairs: a stand-in for pairs.similar_pairs (same signature), e.g. a shared index's.

        search_distance: how far to search pairs now (default: options.max_distance). The
        search grows on demand, up to options.max_distance, when groups() is asked for a
        larger threshold: at a million files distance 8 is 4x cheaper than 12 and has far fewer
        pairs to group.
        memo: where the last search's edges are kept (core/pair_memo.py); a library whose files
        were all in it is not searched again. Only for the built-in search."""
        self.library = library
        self.options = options
        codes = library.codes(options.algorithm)
        self._codes = codes
        self._rotations = options.rotations
        self._cancel = cancel
        self._search_pairs = search_pairs or pair_search.similar_pairs
        self._memo = memo if search_pairs is None else None
        distance = options.max_distance if search_distance is None else min(max(0, search_distance), options.max_distance)
        self._layout_found: tuple[int, tuple[NDArray[np.int64], NDArray[np.int64]]] | None = None
        self._search(distance)

    def _search(self, max_distance: int) -> None:
        """All edges up to max_distance (replacing any earlier, shorter search)."""
        library, options, codes, cancel = self.library, self.options, self._codes, self._cancel
        n = len(library)
        textured = np.flatnonzero(library.table.contrast >= options.min_contrast) if n else np.zeros(0, dtype=np.int64)
        should_stop = (lambda: cancel.cancelled) if cancel is not None else None
        # Layout views add candidates and every pair is confirmed on finer hashes (core/verify.py).
        if "_layout" not in self.__dict__:   # per library: a search further reuses it (56 MB at a million files)
            self._layout = verify.layout(codes[:, 0], library.views, library.flatness, code_reader(library, "dhash")) \
                if options.algorithm == "phash" and n else None
        recall = pair_memo.for_search(self._memo, library, (options.algorithm, options.rotations, options.min_contrast),
                                      codes, textured, self._layout, max_distance)
        if recall is None:
            edges = self._search_edges(max_distance, textured, should_stop)
        else:
            edges = recall.edges(lambda: self._search_edges(max_distance, textured, should_stop),
                                 lambda new: pair_delta.edges_touching(codes, textured, self._layout, new, max_distance,
                                                                      options.rotations, should_stop))
        self.searched = max_distance  # edges are complete up to this distance
        self.pairs_from = "search" if recall is None else recall.how  # or "memo", "memo+new" (core/pair_memo.py)
        i, j, d = edges
        if "_identical" not in self.__dict__:   # kept: a search further (a looser slider) finds the same copies
            self.__dict__["_identical"] = self._identical_edges()
        di, dj = self.__dict__["_identical"]
        # Byte-identical copies are always an edge at distance 0, flat or not.
        all_i = np.concatenate([di, i])
        all_j = np.concatenate([dj, j])
        distance = np.concatenate([np.zeros(len(di), np.uint8), d])
        order = np.argsort(distance, kind="stable")
        self._set_edges(all_i[order], all_j[order], distance[order])

    def _search_edges(self, max_distance: int, textured: NDArray[np.int64], should_stop: Callable[[], bool] | None
                      ) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.uint8]]:
        """The similarity edges (i < j, sorted by (i, j) when confirmed on layout views) up to max_distance."""
        codes, options = self._codes, self.options
        found = self._search_pairs(
            np.ascontiguousarray(codes[textured, 0]), max_distance,
            variants=np.ascontiguousarray(codes[textured, 1:]) if options.rotations else None,
            should_stop=should_stop)
        i = textured[found.i].astype(np.int64)
        j = textured[found.j].astype(np.int64)
        d = found.distance.astype(np.uint8)
        if self._layout is not None:
            # The layout candidates stop at LAYOUT_MAX_DISTANCE: a slider moved past it re-confirms
            # the ones found, it does not search them again.
            reach = min(max_distance, verify.LAYOUT_MAX_DISTANCE)
            if self._layout_found is None or self._layout_found[0] < reach:
                self._layout_found = (reach, verify.candidates(self._layout, textured, reach, should_stop))
            i, j, d = verify.edges(self._layout, textured, i, j, d, max_distance, should_stop, found=self._layout_found[1])
        return i, j, d

    def _set_edges(self, i: NDArray[np.int64], j: NDArray[np.int64], distance: NDArray[np.uint8]) -> None:
        """The edges, sorted by distance, and the per-library lookups built from them on demand."""
        self.i, self.j, self.distance = i, j, distance
        self.__dict__.pop("_index", None)
        # Per-file facts are computed for the files with an edge: new edges, new facts.
        self.__dict__.pop("_facts", None)
        self._reference_cache: dict[tuple[str, ...], NDArray[np.bool_]] = {}
        self._rank_cache: dict[tuple[KeepPolicy, tuple[str, ...]], NDArray[np.int64]] = {}

    def without(self, indices: Collection[int]) -> Matcher:
        """This matcher minus some files (trashed, say): their edges dropped, the rest renumbered.

        No pair is searched again. An undo takes the matcher from before and drops fewer files.
        """
        if not indices:
            return self
        n = len(self.library)
        drop = np.zeros(n, dtype=bool)
        drop[np.fromiter(indices, dtype=np.int64)] = True
        keep = np.flatnonzero(~drop)
        renumber = np.full(n, -1, dtype=np.int64)
        renumber[keep] = np.arange(len(keep), dtype=np.int64)
        kept_edge = ~drop[self.i] & ~drop[self.j]
        smaller = Matcher.__new__(Matcher)
        smaller.library = self.library.rows(keep.tolist())
        smaller.options = self.options
        smaller._codes = self._codes[keep]
        smaller._rotations = self._rotations
        smaller._cancel = None
        smaller._search_pairs = self._search_pairs
        smaller._memo = None  # its library is a part: the whole one's memo stays
        smaller.searched = self.searched  # a further search (extend) would search the smaller library
        smaller.pairs_from = self.pairs_from
        lay = self._layout
        smaller._layout = verify.subset(lay, keep) if lay is not None else None
        smaller._layout_found = None  # its rows are renumbered: a further search finds them again
        # A subsequence of edges sorted by distance is still sorted by distance.
        smaller._set_edges(renumber[self.i[kept_edge]], renumber[self.j[kept_edge]], self.distance[kept_edge])
        return smaller

    def extend(self, max_distance: int) -> None:
        """Search pairs up to max_distance (at most options.max_distance) if not done yet."""
        if max_distance > self.options.max_distance:
            raise ValueError(f"threshold {max_distance} is above the maximum {self.options.max_distance}")
        if max_distance > self.searched:
            self._search(max_distance)

    @functools.cached_property
    def _index(self) -> dict[str, int]:
        """Library index by path (dismissed pairs name their files by path)."""
        return dict(zip(self.library.table.paths, range(len(self.library)), strict=True))

    def _identical_edges(self) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
        """Each file with the same bytes as an earlier one, paired with the first of them."""
        records = self.library.records
        if not records:
            return np.zeros(0, np.int64), np.zeros(0, np.int64)
        table = self.library.table
        if isinstance(table.digest, np.ndarray) and table.digest.shape[1] == 16:
            # The digest column as is: no tuple per file (records.identical_rows), in the copies' order.
            first, copies = identical_rows(table.digest)
            order = np.argsort(copies, kind="stable")
            return first[order], copies[order]
        # Length first: NumPy's bytes type drops trailing NULs, which must not make two digests equal.
        digests = np.array([bytes([len(d) & 0xFF]) + d for d in table.digest_list()])
        _, first, inverse = np.unique(digests, return_index=True, return_inverse=True)
        head = first[inverse.ravel()]
        copies = np.flatnonzero(head != np.arange(len(records)))
        return head[copies].astype(np.int64), copies.astype(np.int64)

    def distance_between(self, a: int, b: int) -> int:
        return int(self._distances(np.array([a], np.int64), np.array([b], np.int64))[0])

    def _code_distances(self, a: NDArray[np.int64], b: NDArray[np.int64]) -> NDArray[np.uint8]:
        """Whole-image fingerprint distances (rotations included when on)."""
        ca, cb = self._codes[a], self._codes[b]
        if self._rotations:
            one = np.bitwise_count(ca ^ cb[:, :1]).min(axis=1)
            other = np.bitwise_count(cb ^ ca[:, :1]).min(axis=1)
            nearest: NDArray[np.uint8] = np.minimum(one, other).astype(np.uint8)
            return nearest
        plain: NDArray[np.uint8] = np.bitwise_count(ca[:, 0] ^ cb[:, 0]).astype(np.uint8)
        return plain

    def _distances(self, a: NDArray[np.int64], b: NDArray[np.int64]) -> NDArray[np.uint8]:
        """distance_between for many pairs at once: the best of the whole image and its layout views."""
        whole = self._code_distances(a, b)
        if self._layout is None:
            return whole
        return np.minimum(whole, verify.distances(self._layout, a, b)[0])

    def edge_count(self, threshold: int) -> int:
        if threshold <= self.options.max_distance:
            self.extend(threshold)
        return int(np.searchsorted(self.distance, threshold, side="right"))

    # -- per-file facts as arrays, computed once for the files that have any edge ----------
    @functools.cached_property
    def _facts(self) -> _Facts:
        records = self.library.records
        n = len(records)
        nodes = np.unique(np.concatenate([self.i, self.j])) if len(self.i) else np.zeros(0, np.int64)
        size = np.zeros(n, dtype=np.int64)
        digest_id = np.full(n, -1, dtype=np.int64)
        inode_id = np.full(n, -1, dtype=np.int64)
        digests: dict[bytes, int] = {}
        inodes: dict[tuple[int, int], int] = {}
        # Paths the file actions found to be one file (a folder mounted twice) count as hard links.
        alias = aliases.canonical([records[x].path for x in nodes.tolist()])
        node_of = {records[x].path: x for x in nodes.tolist()} if alias else {}
        for x in nodes.tolist():
            r = records[x]
            size[x] = r.size
            digest_id[x] = digests.setdefault(r.digest, len(digests))
            rep = records[node_of[alias[r.path]]] if r.path in alias else r
            inode_id[x] = inodes.setdefault((rep.dev, rep.ino), len(inodes))
        path_rank = np.zeros(n, dtype=np.int64)
        by_path = sorted(nodes.tolist(), key=lambda x: os.fsencode(records[x].path))
        path_rank[by_path] = np.arange(len(by_path))
        return _Facts(nodes, size, digest_id, inode_id, max(len(inodes), 1), path_rank)

    @functools.cached_property
    def _raw_partners(self) -> NDArray[np.int64]:
        return raw_pairs.partners(self.library.records, self.library.table.format)

    def _reference(self, folders: tuple[str, ...]) -> NDArray[np.bool_]:
        cached = self._reference_cache.get(folders)
        if cached is None:
            cached = np.zeros(len(self.library), dtype=bool)
            for x in self._facts.nodes.tolist():
                cached[x] = any(under(self.library.records[x].path, f) for f in folders)
            self._reference_cache[folders] = cached
        return cached

    def _keeper_rank(self, policy: KeepPolicy, folders: tuple[str, ...]) -> NDArray[np.int64]:
        """A strict order of the files by the keep rules (smaller is better), references first."""
        cached = self._rank_cache.get((policy, folders))
        if cached is None:
            key = index_key(policy, self.library)
            reference = self._reference(folders)
            records = self.library.records
            ordered = sorted_in_runs(self._facts.nodes.tolist(), lambda x: (not reference[x], key(x)))
            cached = np.zeros(len(records), dtype=np.int64)
            cached[ordered] = np.arange(len(ordered))
            self._rank_cache[(policy, folders)] = cached
        return cached

    def groups(self, options: GroupOptions = GroupOptions()) -> GroupList:
        """Connected components of the edges within the threshold, each with a keeper.

        Everything after the component labelling is array arithmetic, so a slider move
        regroups 100k files in milliseconds; Group objects are built only when read.
        """
        self.extend(options.threshold)
        n = len(self.library)
        k = self.edge_count(options.threshold)
        i, j = self.i[:k], self.j[:k]
        if options.not_duplicates and k:
            i, j = self._without_dismissed(i, j, options.not_duplicates)
        if options.hide_raw_pairs and len(i):
            i, j = raw_pairs.without_companions(self._raw_partners, i, j)
        i, j = scoped(i, j, self.library, options.scope, options.roots)
        if n == 0 or len(i) == 0:
            return GroupList.empty()
        facts = self._facts
        nodes = np.unique(np.concatenate([i, j]))
        # Label only the files that have an edge: the work follows the edges, not the library.
        lab = connected_components(len(nodes), np.searchsorted(nodes, i), np.searchsorted(nodes, j))
        reference = self._reference(options.reference_folders)
        rank = self._keeper_rank(options.policy, options.reference_folders)

        # Sort by component, best copy first: the head of each run is its keeper.
        order = np.lexsort((rank[nodes], lab))
        nodes, lab = nodes[order], lab[order]
        head = np.r_[True, lab[1:] != lab[:-1]]
        comp = np.cumsum(head) - 1
        keeper = nodes[head][comp]

        # Paths to one inode: never suggested; a component of one inode is no group at all.
        inode_key = comp * facts.inode_count + facts.inode_id[nodes]
        uniq, inverse, counts = np.unique(inode_key, return_inverse=True, return_counts=True)
        linked = counts[inverse] > 1
        inodes_per_comp = np.bincount(uniq // facts.inode_count, minlength=int(comp[-1]) + 1)
        keep_comp = inodes_per_comp >= 2
        is_ref = reference[nodes]
        if options.only_with_reference:
            keep_comp &= np.bincount(comp, weights=is_ref, minlength=len(keep_comp)) > 0

        is_keeper = nodes == keeper
        identical = facts.digest_id[nodes] == facts.digest_id[keeper]
        distance = np.where(identical, 0, self._distances(keeper, nodes)).astype(np.uint8)
        suggested = ~is_keeper & ~is_ref & ~linked
        reclaim = np.bincount(comp, weights=facts.size[nodes] * suggested, minlength=len(keep_comp)).astype(np.int64)

        # Groups by space to reclaim, then keeper path; members keeper first, then distance, path.
        wanted = keep_comp[comp]
        nodes, comp, keeper, is_keeper = nodes[wanted], comp[wanted], keeper[wanted], is_keeper[wanted]
        identical, distance, is_ref = identical[wanted], distance[wanted], is_ref[wanted]
        linked, suggested = linked[wanted], suggested[wanted]
        comp_keeper = np.zeros(len(keep_comp), dtype=np.int64)
        comp_keeper[comp] = keeper
        groups_kept = np.flatnonzero(keep_comp)
        group_order = groups_kept[np.lexsort((facts.path_rank[comp_keeper[groups_kept]], -reclaim[groups_kept]))]
        position = np.empty(len(keep_comp), dtype=np.int64)
        position[group_order] = np.arange(len(group_order))
        member_order = np.lexsort((facts.path_rank[nodes], distance, ~is_keeper, position[comp]))
        counts_per_group = np.bincount(position[comp], minlength=len(group_order))
        offsets = np.r_[0, np.cumsum(counts_per_group)]
        m = member_order
        return GroupList(offsets, reclaim[group_order], nodes[m], distance[m], identical[m], is_ref[m], linked[m], suggested[m])

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

