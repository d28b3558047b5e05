"""Exact all-pairs Hamming-distance search over 64-bit fingerprints by multi-index hashing."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache, partial

import numpy as np

from dupeview.core.pairs_bits import reordered
from dupeview.core.pairs_kernel import (
    Matches,
    SearchCancelled,
    _as_uint64,
    _check_distance,
    _concat,
    _concat_ranges,
    _dense_hits,
    _min_per_pair,
    _no_matches,
    _ordered,
    _Runner,
    _Scratch,
    _worker_count,
    drain_unit,
    query,
)
from dupeview.core.pairs_table import CHUNK_BITS, Table, table

__all__ = ["MAX_SUPPORTED_DISTANCE", "Pairs", "SearchCancelled", "probe_pairs", "query", "similar_pairs"]

MAX_SUPPORTED_DISTANCE = 64
"""Every distance 0..64 is answered exactly. The indexed search is built for d <= ~12; where a
tiled brute force is cheaper (few codes, or d beyond ~16-30 depending on N) that is used instead."""

# Multi-index hashing: the 64 bits are cut into four 16-bit chunks. 16 bits makes a chunk value a
# direct index into a 65536-entry bucket table (no hashing) and keeps the flip-mask balls small.
_CHUNK_BITS = CHUNK_BITS
_CHUNKS = 64 // _CHUNK_BITS

# A work unit (slab) covers about this many candidate comparisons: big enough that per-unit Python
# overhead is small, small enough that cancellation is prompt.
_SLAB_CANDIDATES = 1 << 21
# ... and gathers at most this many right-side members, so its index and code arrays stay around
# 1 MiB and in cache.
_SLAB_MEMBERS = 1 << 17
# ... and looks up at most this many (bucket, flip mask) neighbour cells at once.
_NEIGHBOUR_CELLS = 1 << 18
# Below this many pairs brute force beats the set-up cost of the bucket tables.
_BRUTE_FORCE_PAIRS = 1 << 21
# What one neighbour-cell lookup (it is done twice) and one table row cost, in dense comparisons
# (measured roughly: brute force does about 1 comparison per ns).
_LOOKUP_COST = 12.0
_TABLE_ROW_COST = 30.0
# An asymmetric search takes its left side (the probes) at most this many rows at a time; its
# bucket table is ~6 bytes a row (int32 order, uint16 keys while it is built). Bigger blocks are
# faster: the right side's members are gathered once per left bucket, so 1M-row blocks instead
# of one 5M-row block of layout probes cost 50 % more CPU.
_LEFT_BLOCK = 1 << 23


@dataclass(frozen=True)
class Pairs:
    """Similar pairs, each unordered pair once, i < j, sorted by (distance, i, j)."""

    i: np.ndarray  # int32 (int64 if N >= 2**31), indices into codes
    j: np.ndarray
    distance: np.ndarray  # uint8

    def __len__(self) -> int:
        return int(self.distance.shape[0])

    def up_to(self, threshold: int) -> int:
        """Number of leading pairs with distance <= threshold (np.searchsorted on distance)."""
        if threshold < 0:
            return 0
        # Clamp so the Python int always fits the uint8 array (NumPy 2 refuses to wrap it).
        return int(np.searchsorted(self.distance, min(threshold, 255), side="right"))


def similar_pairs(
    codes: np.ndarray,
    max_distance: int,
    *,
    variants: np.ndarray | None = None,
    should_stop: Callable[[], bool] | None = None,
    workers: int | None = None,
) -> Pairs:
    """codes: (N,) uint64. All pairs (i, j), i < j, with distance <= max_distance.

    distance(i, j) = popcount(codes[i] ^ codes[j]) when variants is None.
    variants: optional (N, K) uint64: extra fingerprints of item i (its rotated/mirrored versions).
    Then distance(i, j) = min(popcount(codes[i]^codes[j]), min_k popcount(variants[i,k]^codes[j]),
    min_k popcount(variants[j,k]^codes[i])).
    should_stop is polled between work units; when it returns True, SearchCancelled is raised.
    workers: threads to use (default: the usable CPU count); NumPy releases the GIL in the hot loops.
    """
    codes = _as_uint64(codes, "codes", ndim=1)
    max_distance = _check_distance(max_distance)
    n = codes.shape[0]
    if variants is not None:
        variants = _as_uint64(variants, "variants", ndim=2)
        if variants.shape[0] != n:
            raise ValueError(f"variants has {variants.shape[0]} rows for {n} codes")
        if variants.shape[1] == 0:
            variants = None
    runner = _Runner(_worker_count(workers), should_stop)

    i, j, distance = _ordered(*_search(codes, codes, True, max_distance, runner))
    if variants is not None:
        # Each variant row is a probe owned by its item; only probe -> base code pairs matter.
        k = variants.shape[1]
        rows, j2, d2 = _search(variants.reshape(-1), codes, False, max_distance, runner)
        owner = rows // k
        not_self = owner != j2
        i2, j2, d2 = _ordered(owner[not_self], j2[not_self], d2[not_self])
        i, j, distance = _min_per_pair(
            np.concatenate([i, i2]), np.concatenate([j, j2]), np.concatenate([distance, d2])
        )
    return _sorted_pairs(i, j, distance, n)


def probe_pairs(
    probes: np.ndarray,
    codes: np.ndarray,
    max_distance: int,
    *,
    should_stop: Callable[[], bool] | None = None,
    workers: int | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every (probe row, code row, distance) with popcount(probes[p] ^ codes[c]) <= max_distance, unordered.

    One asymmetric search: the codes' bucket tables are built once per chunk for all probes, so
    many kinds of probe (a file's layout views) cost one search, not one each.
    """
    probes = _as_uint64(probes, "probes", ndim=1)
    codes = _as_uint64(codes, "codes", ndim=1)
    runner = _Runner(_worker_count(workers), should_stop)
    return _search(probes, codes, False, _check_distance(max_distance), runner)


# --------------------------------------------------------------------------- planning


@cache
def _flip_masks(radius: int, bits: int = _CHUNK_BITS) -> np.ndarray:
    """All `bits`-bit key values with at most `radius` bits set: the XOR offsets to a key's neighbours."""
    values = np.arange(1 << bits, dtype=np.intp)
    masks = values[np.bitwise_count(values) <= radius]
    masks.flags.writeable = False
    return masks


@cache
def _plan(max_distance: int) -> tuple[tuple[int, int], ...]:
    """(chunk, radius) probes that together catch every pair within max_distance.

    Generalised pigeonhole: if chunk c differs in more than r_c bits for every probed c, the codes
    differ in at least sum(r_c + 1) bits. So sum(r_c + 1) > max_distance guarantees that some
    probed chunk is within its radius. Spreading the d + 1 "units" evenly minimises the summed
    ball volumes (they grow convexly); a chunk that gets no unit is not probed at all.
    For d = 10 that is radii (2, 2, 2, 1): 3 * 137 + 17 masks instead of 4 * 137.
    """
    units = max_distance + 1
    plan = []
    for chunk in range(_CHUNKS):
        radius = units // _CHUNKS + (chunk < units % _CHUNKS) - 1
        if radius >= 0:
            plan.append((chunk, min(radius, _CHUNK_BITS)))
    return tuple(plan)


# Bucket keys are this many of a chunk's 16 bits at least. Fewer key bits than 16: bigger
# buckets, fewer neighbour cells to look up, more candidates; a pair within a chunk's radius is
# within it on any subset of the chunk's bits, so the search stays exact.
_MIN_KEY_BITS = 10


def _hashed_cost(n_left: int, n_right: int, symmetric: bool, max_distance: int, bits: int) -> float:
    """Rough cost of the indexed search with `bits`-bit keys, in units of one dense comparison (about 1 ns)."""
    pairs = n_left * n_right / (2 if symmetric else 1)
    plan = _plan(max_distance)
    keys = 1 << bits
    volume = sum(_flip_masks(min(radius, bits), bits).size for _, radius in plan)
    occupied = keys * -np.expm1(-n_left / keys)  # expected non-empty left buckets
    return float(
        pairs * volume / keys * 4.0  # candidates: gathered, padded and compared (measured at 100k)
        + occupied * volume * _LOOKUP_COST
        + (n_left + n_right) * len(plan) * _TABLE_ROW_COST
    )


@cache
def _key_bits(n_left: int, n_right: int, symmetric: bool, max_distance: int) -> int:
    """The key width with the smallest estimated cost: 16 bits at a million codes, fewer at 100k,
    where the neighbour lookups of nearly empty buckets, not the comparisons, are the work."""
    return min(range(_MIN_KEY_BITS, _CHUNK_BITS + 1),
               key=lambda bits: _hashed_cost(n_left, n_right, symmetric, max_distance, bits))


# Chunk widths tried for a big search whose first chunk is searched widest (radius 2 of 1 at
# distance 8): a wider first key empties its buckets 4x at 18 bits for 35 more cells per bucket, the
# narrower last keys fill theirs 2x at only 16-17 cells. On the 1M real library's layout probes:
# 9.6 -> 7.2 billion comparisons at (18, 16, 15, 15), 7.0 at 19 bits for twice the look-ups.
_WIDTHS = ((16, 16, 16, 16), (17, 16, 16, 15), (18, 16, 15, 15))


def _keys(n_left: int, n_right: int, symmetric: bool, max_distance: int, bits: int, reordered: bool
          ) -> tuple[tuple[int, int], ...]:
    """(shift, key bits) of each chunk: the low `bits` of each 16-bit chunk, or with 16-bit keys and
    a first chunk searched wider than the others, the cheapest widths of _WIDTHS (whole chunks as keys).
    A reordered search keeps 16-bit chunks: its bit order was chosen for them (core/pairs_bits.py)."""
    plan = _plan(max_distance)
    if bits < _CHUNK_BITS or reordered or len(plan) < 2 or plan[0][1] == plan[-1][1]:
        return tuple((chunk * _CHUNK_BITS, bits) for chunk in range(_CHUNKS))
    pairs = n_left * n_right / (2 if symmetric else 1)

    def cost(widths: tuple[int, ...]) -> float:
        total = 0.0
        for (_, radius), width in zip(plan, widths, strict=False):
            volume, keys = _flip_masks(min(radius, width), width).size, 1 << width
            total += pairs * volume / keys * 4.0 + keys * -np.expm1(-n_left / keys) * volume * _LOOKUP_COST
        return total
    widths = min(_WIDTHS, key=cost)
    return tuple((sum(widths[:chunk]), width) for chunk, width in enumerate(widths))


def _prefer_brute_force(n_left: int, n_right: int, symmetric: bool, max_distance: int) -> bool:
    pairs = n_left * n_right / (2 if symmetric else 1)
    if pairs <= _BRUTE_FORCE_PAIRS:
        return True
    bits = _key_bits(n_left, n_right, symmetric, max_distance)
    return _hashed_cost(n_left, n_right, symmetric, max_distance, bits) >= pairs


# --------------------------------------------------------------------------- search driver


def _search(
    left: np.ndarray, right: np.ndarray, symmetric: bool, max_distance: int, runner: _Runner
) -> Matches:
    """Every (left row, right row) within max_distance, each once.

    symmetric: left is right, and each unordered pair is reported once (rows differ, in either order).
    """
    if left.size == 0 or right.size == 0:
        return _no_matches()
    scratch = _Scratch()  # dropped with the search, so no thread keeps its buffers afterwards
    if _prefer_brute_force(left.size, right.size, symmetric, max_distance):
        units = _brute_force_units(left, right, symmetric, max_distance, scratch)
    else:
        units = _hashed_units(left, right, symmetric, max_distance, scratch)
    return _concat(runner.run(units))


def _brute_force_units(
    left: np.ndarray, right: np.ndarray, symmetric: bool, max_distance: int, scratch: _Scratch
) -> Iterator[Callable[[], Matches]]:
    """Tiles of the full comparison matrix (upper triangle only when symmetric)."""
    columns = min(right.size, 1 << 14)
    rows = max(1, _SLAB_CANDIDATES // columns)
    for row in range(0, left.size, rows):
        first_column = row - row % columns if symmetric else 0
        for column in range(first_column, right.size, columns):
            tile = (slice(row, row + rows), slice(column, column + columns))
            yield partial(_brute_force_tile, left, right, *tile, symmetric, max_distance, scratch)


def _brute_force_tile(
    left: np.ndarray,
    right: np.ndarray,
    rows: slice,
    columns: slice,
    symmetric: bool,
    max_distance: int,
    scratch: _Scratch,
) -> Matches:
    _, r, c, distance = _dense_hits(left[None, rows], right[None, columns], max_distance, scratch)
    r += rows.start
    c += columns.start
    if symmetric:
        upper = r < c
        r, c, distance = r[upper], c[upper], distance[upper]
    return r, c, distance


# Bucket id one past the last key value (1 << key bits): an empty bucket that starts at N. Rows are
# padded with a range "from" it, i.e. with positions >= N, which are easy to drop from the hits.


@dataclass(frozen=True)
class _Pass:
    """Everything a worker needs to scan one chunk: bucket tables and what earlier passes covered."""

    left: Table
    right: Table
    masks: np.ndarray
    symmetric: bool
    max_distance: int
    earlier: tuple[tuple[int, int, int], ...]  # (shift, key bits, radius) of the passes before this one
    scratch: _Scratch
    bits: int  # this pass's key bits; the pad bucket is 1 << bits
    offset: int  # the left table's first row in the whole left side (asymmetric searches go by blocks)


@dataclass(frozen=True)
class _Slab:
    """Left buckets of equal size scanned together: rows first_row:last_row of each, against
    the concatenated members of each bucket's neighbour buckets (padded to a common width)."""

    buckets: np.ndarray
    widths: np.ndarray
    first_row: int
    last_row: int


def _hashed_units(
    left: np.ndarray, right: np.ndarray, symmetric: bool, max_distance: int, scratch: _Scratch
) -> Iterator[Callable[[], Matches]]:
    """One pass per planned chunk; each pass is cut into slabs. Built lazily, and only once the
    workers are done with the last pass (drain_unit), so one pass's bucket tables exist at a time."""
    plan = _plan(max_distance)
    block = left.size if symmetric else _LEFT_BLOCK
    bits = _key_bits(min(left.size, block), right.size, symmetric, max_distance)
    # Keys of balanced bits: correlated bits (smooth pictures' centre views) crowd the buckets.
    moved = reordered(left, right, symmetric, [_flip_masks(min(r, bits), bits).size for _, r in plan], bits)
    keys = _keys(min(left.size, block), right.size, symmetric, max_distance, bits, moved[0] is not left)
    left, right = moved
    for index, (chunk, radius) in enumerate(plan):
        if index:
            yield drain_unit
        shift, bits = keys[chunk]
        right_table = table(right, shift, bits)
        for offset in range(0, left.size, block):
            if offset:
                yield drain_unit
            scan = _Pass(
                left=right_table if symmetric else table(left[offset : offset + block], shift, bits, sort_codes=False),
                right=right_table,
                masks=_flip_masks(min(radius, bits), bits),
                symmetric=symmetric,
                max_distance=max_distance,
                earlier=tuple((*keys[c], r) for c, r in plan[:index]),
                scratch=scratch,
                bits=bits,
                offset=offset,
            )
            for slab in _slabs(scan):
                yield partial(_scan_slab, scan, slab)
            del scan  # the queued units keep it while they need it; the generator must not
        del right_table


def _neighbour_cells(scan: _Pass, buckets: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(buckets, masks + 1) grids of neighbour bucket ids and their right-side member counts.

    The last column is the (empty) pad bucket, for padding. Symmetric scans only look at
    neighbours >= the bucket itself, so each bucket pair is seen once (and within one bucket the
    pairs are filtered by sorted position). Scratch views: use, don't keep.
    """
    shape = (buckets.size, scan.masks.size + 1)
    neighbours = scan.scratch.get("neighbours", shape, np.intp)
    np.bitwise_xor(buckets[:, None], scan.masks[None, :], out=neighbours[:, :-1])
    neighbours[:, -1] = 1 << scan.bits
    counts = scan.scratch.get("counts", shape, np.intp)
    np.take(scan.right.counts, neighbours, out=counts, mode="wrap")  # ids are in range anyway
    if scan.symmetric:
        np.putmask(counts, neighbours < buckets[:, None], 0)
    return neighbours, counts


def _slabs(scan: _Pass) -> list[_Slab]:
    """Cut the non-empty left buckets into slabs of about _SLAB_CANDIDATES comparisons.

    Buckets are grouped by exact size (no padding on the left) and sorted by neighbour-list width
    inside a group, so padding the right side to the slab's widest list wastes little.
    """
    buckets = np.flatnonzero(scan.left.counts)
    widths = np.empty(buckets.size, dtype=np.intp)
    step = max(1, _NEIGHBOUR_CELLS // scan.masks.size)
    for start in range(0, buckets.size, step):
        _, counts = _neighbour_cells(scan, buckets[start : start + step])
        counts.sum(axis=1, out=widths[start : start + step])
    # A lone item whose only neighbour is itself can pair with nothing.
    useful = widths > (1 if scan.symmetric else 0)
    buckets, widths = buckets[useful], widths[useful]
    sizes = scan.left.counts[buckets]
    order = np.lexsort((widths, sizes))
    buckets, widths, sizes = buckets[order], widths[order], sizes[order]

    slabs: list[_Slab] = []
    group_starts = np.flatnonzero(np.diff(sizes, prepend=-1))
    group_ends = np.append(group_starts[1:], sizes.size)
    for first, last in zip(group_starts, group_ends[: group_starts.size], strict=True):
        group = _cut_group(buckets[first:last], widths[first:last], int(sizes[first]), scan.masks.size)
        slabs.extend(group)
    return slabs


def _cut_group(buckets: np.ndarray, widths: np.ndarray, size: int, masks: int) -> Iterator[_Slab]:
    """Greedy cut of same-size buckets (widths ascending) into slabs; a bucket too big for one
    slab (a heavy cluster, e.g. many identical codes) is split by its rows instead."""
    members = max(1, min(_SLAB_MEMBERS, _SLAB_CANDIDATES // size))
    most_buckets = max(1, _NEIGHBOUR_CELLS // masks)
    start = 0
    while start < buckets.size:
        width = int(widths[start])
        if size * width > _SLAB_CANDIDATES:
            rows = max(1, _SLAB_CANDIDATES // width)
            one = slice(start, start + 1)
            for row in range(0, size, rows):
                yield _Slab(buckets[one], widths[one], row, min(row + rows, size))
            start += 1
            continue
        end = min(buckets.size, start + max(1, min(most_buckets, members // width)))
        # Widths grow along the group; shrink until the padded slab fits (converges in a few steps).
        while end - start > 1 and (end - start) * int(widths[end - 1]) > members:
            end = start + max(1, members // int(widths[end - 1]))
        yield _Slab(buckets[start:end], widths[start:end], 0, size)
        start = end


def _scan_slab(scan: _Pass, slab: _Slab) -> Matches:
    """Dense comparison of a slab's left rows against their neighbour lists."""
    right_positions = _neighbour_positions(scan, slab)
    right_codes = scan.scratch.get("right_codes", right_positions.shape, np.uint64)
    # mode="wrap": the padding (positions >= N) reads real codes; those hits are dropped below.
    np.take(scan.right.codes, right_positions, out=right_codes, mode="wrap")
    left_positions = scan.left.starts[slab.buckets][:, None] + np.arange(slab.first_row, slab.last_row)
    left_codes = scan.left.codes_at(left_positions)

    bucket, row, column, distance = _dense_hits(left_codes, right_codes, scan.max_distance, scan.scratch)
    lp = left_positions[bucket, row]
    rp = right_positions[bucket, column]
    # Drop the padding; symmetric: neighbour buckets sort after the bucket itself, so lp < rp
    # keeps each pair once and drops self-matches.
    keep = rp < scan.right.codes.size
    if scan.symmetric:
        keep &= lp < rp
    lp, rp, distance = lp[keep], rp[keep], distance[keep]
    if scan.earlier and lp.size:
        first = _first_seen_here(scan.left.codes_at(lp) ^ scan.right.codes[rp], scan.earlier)
        lp, rp, distance = lp[first], rp[first], distance[first]
    left_rows = scan.left.order[lp] if not scan.offset else np.add(scan.left.order[lp], scan.offset, dtype=np.intp)
    return left_rows, scan.right.order[rp], distance


def _first_seen_here(xor: np.ndarray, earlier: tuple[tuple[int, int, int], ...]) -> np.ndarray:
    """Mask of pairs no earlier pass reported: a pair is kept by the first chunk whose key is within radius."""
    first = np.ones(xor.shape, dtype=bool)
    for shift, bits, radius in earlier:
        chunk_bits = np.bitwise_count((xor >> np.uint64(shift)) & np.uint64((1 << bits) - 1))
        first &= chunk_bits > radius
    return first


def _neighbour_positions(scan: _Pass, slab: _Slab) -> np.ndarray:
    """(buckets, widest) sorted right-side positions of each bucket's neighbour members.

    Each row is its neighbour buckets' ranges back to back, then a padding range from the
    pad bucket (positions N, N+1, ...) up to the common width, so the whole matrix is one
    concatenation of ranges. A scratch view: valid until the next call on this thread.
    """
    neighbours, counts = _neighbour_cells(scan, slab.buckets)
    widest = int(slab.widths.max())
    counts[:, -1] = widest - slab.widths
    cells = np.flatnonzero(counts)
    lengths = counts.ravel()[cells]
    starts = scan.right.starts[neighbours.ravel()[cells]]
    positions = scan.scratch.get("positions", (slab.buckets.size, widest), np.intp)
    _concat_ranges(starts, lengths, positions.reshape(-1))
    return positions


def _sorted_pairs(i: np.ndarray, j: np.ndarray, distance: np.ndarray, n: int) -> Pairs:
    index_type = np.int32 if n < 2**31 else np.int64
    bits = max(1, (n - 1).bit_length())
    if 7 + 2 * bits > 64:
        order = np.lexsort((j, i, distance))
        return Pairs(i=i[order].astype(index_type), j=j[order].astype(index_type), distance=distance[order])
    # Sort one packed uint64 key (distance | i | j) instead of a three-key lexsort. Built in place:
    # a clique of near-identical photos can make the result large.
    key = distance.astype(np.uint64)
    for index in (i, j):
        key <<= np.uint64(bits)
        np.bitwise_or(key, index, out=key, dtype=np.uint64, casting="unsafe")  # indices are >= 0
    key.sort()
    low = np.uint64((1 << bits) - 1)
    sorted_j = (key & low).astype(index_type)
    key >>= np.uint64(bits)
    sorted_i = (key & low).astype(index_type)
    key >>= np.uint64(bits)
    return Pairs(i=sorted_i, j=sorted_j, distance=key.astype(np.uint8))
