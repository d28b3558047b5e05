"""All similar pairs of a library's codes with Milvus range searches, exact whatever the index holds."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import numpy as np
from numpy.typing import NDArray

from dupeview.core import pairs
from dupeview.core.milvus_rows import DIM, vectors

log = logging.getLogger(__name__)

RangeSearch = Callable[[list[bytes], int, int], Any]
"""(probe vectors, max distance, results per probe) -> one Milvus search answer (hits per probe)."""

# Probes per search request: big enough to amortise a round trip, small enough that one request
# against a million rows stays a few seconds (cancellation, retries).
VECTORS_PER_REQUEST = 4096
# Results asked for per probe: near-duplicate clusters are small. A probe that fills it is
# answered exactly in memory instead.
PAIR_LIMIT = 64


def similar_pairs(range_search: RangeSearch | None, codes: NDArray[np.uint64], max_distance: int,
                  variants: NDArray[np.uint64] | None = None, should_stop: Callable[[], bool] | None = None) -> pairs.Pairs:
    """All pairs of codes within max_distance, exactly, with candidates from Milvus range searches.

    range_search(vectors, max_distance, limit) answers one request of probes (None: Milvus holds
    nothing to search). Hits are matched to the codes by value, every candidate's distance is
    recomputed from the codes (and variants), and codes Milvus does not hold (or probes whose
    result filled the limit) are searched in memory instead.
    """
    codes = np.ascontiguousarray(np.asarray(codes).astype(np.uint64, copy=False))
    max_distance = max(0, min(int(max_distance), DIM))
    n = codes.shape[0]
    if variants is not None:
        variants = np.ascontiguousarray(np.asarray(variants).astype(np.uint64, copy=False))
        if variants.ndim != 2 or variants.shape[0] != n:
            raise ValueError(f"variants must be (N, K) for {n} codes, got {variants.shape}")
        if variants.shape[1] == 0:
            variants = None
    if n < 2:
        return _pairs(np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.uint8), n)
    probes = codes[:, None] if variants is None else np.hstack([codes[:, None], variants])
    rows, row_of = np.unique(probes, axis=0, return_inverse=True)  # one search per distinct probe row
    row_of = row_of.reshape(-1)
    values, value_of = np.unique(codes, return_inverse=True)
    value_of = value_of.reshape(-1)
    k = rows.shape[1]

    cand_row: list[int] = []
    cand_value: list[int] = []
    held = np.zeros(len(rows), dtype=bool)      # Milvus holds the row's own code
    overflow = np.zeros(len(rows), dtype=bool)  # a probe of the row filled the limit
    if range_search is not None:
        per_request = max(1, VECTORS_PER_REQUEST // k)
        for start in range(0, len(rows), per_request):
            if should_stop is not None and should_stop():
                raise pairs.SearchCancelled()
            block = rows[start:start + per_request]
            answer = range_search(vectors(block.reshape(-1)), max_distance, PAIR_LIMIT)
            for v, hits in enumerate(answer):
                row = start + v // k
                if len(hits) >= PAIR_LIMIT:
                    overflow[row] = True
                if v % k == 0 and len(hits) and hits.distances[0] == 0:
                    held[row] = True  # hits at distance 0 all carry the row's own code
                for hit in hits:
                    cand_row.append(row)
                    cand_value.append(hit["entity"]["code"])
    # Hits -> (row, index into values); codes Milvus holds but not given here are dropped.
    hit_codes = np.array(cand_value, dtype=np.int64).view(np.uint64)
    where = np.searchsorted(values, hit_codes)
    where = np.minimum(where, len(values) - 1)
    known = values[where] == hit_codes
    cand_row_a = np.array(cand_row, dtype=np.int64)[known]
    cand_val_a = where[known].astype(np.int64)
    cand_row_a, cand_val_a = cand_row_a[~overflow[cand_row_a]], cand_val_a[~overflow[cand_row_a]]

    positions_of_row = _groups(row_of, len(rows))
    positions_of_value = _groups(value_of, len(values))
    i, j = _expand(cand_row_a, cand_val_a, positions_of_row, positions_of_value)

    # Exact, in memory: probes that overflowed, and codes Milvus does not hold (nothing else
    # would find a pair of two of those).
    local_rows = np.flatnonzero(overflow | ~held)
    if len(local_rows):
        if should_stop is not None and should_stop():
            raise pairs.SearchCancelled()
        li, lj = _local_pairs(codes, variants, probes, row_of, overflow, held, max_distance)
        i, j = np.concatenate([i, li]), np.concatenate([j, lj])
        log.info("pair search: %d of %d distinct probes answered in memory (%d not held by Milvus)",
                 len(local_rows), len(rows), int((~held).sum()))

    keep = i != j
    i, j = i[keep], j[keep]
    a, b = np.minimum(i, j), np.maximum(i, j)
    d = _distance(codes, variants, a, b)
    within = d <= max_distance
    return _pairs(a[within], b[within], d[within], n)

def _local_pairs(codes: NDArray[np.uint64], variants: NDArray[np.uint64] | None, probes: NDArray[np.uint64],
                 row_of: NDArray[np.intp], overflow: NDArray[np.bool_], held: NDArray[np.bool_],
                 max_distance: int) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    n = len(codes)
    out_i: list[NDArray[np.int64]] = [np.zeros(0, np.int64)]
    out_j: list[NDArray[np.int64]] = [np.zeros(0, np.int64)]
    # 1. Probes that filled the limit: all their matches among the codes.
    over = np.flatnonzero(overflow[row_of])
    # 2. Codes Milvus does not hold: every probe against them (both directions of a pair).
    missing = np.flatnonzero(~held[row_of])
    if len(missing) * n * probes.shape[1] > 4 * 10**9:
        # Most codes are not in Milvus: the in-memory multi-index search is the cheaper way.
        found = pairs.similar_pairs(codes, max_distance, variants=variants)
        return found.i.astype(np.int64), found.j.astype(np.int64)
    if len(over):
        hits = np.array(pairs.query(codes, probes[over], max_distance), dtype=np.int64).reshape(-1, 3)
        out_i.append(over[hits[:, 0]])
        out_j.append(hits[:, 1])
    if len(missing):
        hits = np.array(pairs.query(codes[missing], probes, max_distance), dtype=np.int64).reshape(-1, 3)
        out_i.append(hits[:, 0])
        out_j.append(missing[hits[:, 1]])
    return np.concatenate(out_i).astype(np.int64), np.concatenate(out_j).astype(np.int64)


def _groups(labels: NDArray[np.intp], count: int) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """(order, starts): the positions with label x are order[starts[x]:starts[x + 1]]."""
    order = np.argsort(labels, kind="stable").astype(np.int64)
    starts = np.zeros(count + 1, dtype=np.int64)
    np.cumsum(np.bincount(labels, minlength=count), out=starts[1:])
    return order, starts


def _expand(a: NDArray[np.int64], b: NDArray[np.int64], groups_a: tuple[NDArray[np.int64], NDArray[np.int64]],
            groups_b: tuple[NDArray[np.int64], NDArray[np.int64]]) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Every (position of group a[t], position of group b[t]) for every t."""
    order_a, starts_a = groups_a
    order_b, starts_b = groups_b
    size_a = starts_a[a + 1] - starts_a[a]
    size_b = starts_b[b + 1] - starts_b[b]
    count = size_a * size_b
    total = int(count.sum())
    if total == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    t = np.repeat(np.arange(len(a)), count)
    offset = np.arange(total) - np.repeat(np.cumsum(count) - count, count)
    return order_a[starts_a[a][t] + offset // size_b[t]], order_b[starts_b[b][t] + offset % size_b[t]]


def _distance(codes: NDArray[np.uint64], variants: NDArray[np.uint64] | None, a: NDArray[np.int64],
              b: NDArray[np.int64]) -> NDArray[np.uint8]:
    """pairs.similar_pairs' distance: min over the codes and each side's variants against the other."""
    d: NDArray[np.uint8] = np.bitwise_count(codes[a] ^ codes[b]).astype(np.uint8)
    if variants is not None and len(a):
        d = np.minimum(d, np.bitwise_count(variants[a] ^ codes[b][:, None]).min(axis=1))
        d = np.minimum(d, np.bitwise_count(variants[b] ^ codes[a][:, None]).min(axis=1))
    return d.astype(np.uint8)


def _pairs(i: NDArray[np.int64], j: NDArray[np.int64], d: NDArray[np.uint8], n: int) -> pairs.Pairs:
    """Unique (i < j) pairs sorted by (distance, i, j), typed like pairs.similar_pairs' result."""
    if len(i):
        # Distances are exact per pair, so duplicates agree: keep one of each.
        order = np.lexsort((j, i))
        i, j, d = i[order], j[order], d[order]
        single = np.r_[True, (i[1:] != i[:-1]) | (j[1:] != j[:-1])]
        i, j, d = i[single], j[single], d[single]
        order = np.lexsort((j, i, d))
        i, j, d = i[order], j[order], d[order]
    kind = np.int32 if n < 2**31 else np.int64
    return pairs.Pairs(i=i.astype(kind), j=j.astype(kind), distance=d.astype(np.uint8))

