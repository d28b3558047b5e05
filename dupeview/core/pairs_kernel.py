"""The pair search's inner parts: the dense block kernel, its thread runner and the result helpers."""

from __future__ import annotations

import math
import os
import threading
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait

import numpy as np

Matches = tuple[np.ndarray, np.ndarray, np.ndarray]

_MAX_WORKERS = 8

# Dense comparisons run in blocks of this many (4 MiB of uint64 xor scratch per thread).
_BLOCK_CANDIDATES = 1 << 19


class SearchCancelled(Exception):
    """Raised by `similar_pairs` when its `should_stop` callback returned True."""


def _concat_ranges(starts: np.ndarray, lengths: np.ndarray, out: np.ndarray) -> np.ndarray:
    """Concatenation of arange(s, s + n) for each (s, n) into out, without a Python loop (n > 0)."""
    ends = np.cumsum(lengths)
    out.fill(1)
    out[0] = starts[0]
    # At each range boundary jump from the previous range's last value to the next start.
    out[ends[:-1]] = starts[1:] - (starts[:-1] + lengths[:-1] - 1)
    return np.cumsum(out, out=out)


# --------------------------------------------------------------------------- dense kernel


class _Scratch(threading.local):
    """Reusable per-thread buffers, by name.

    Fresh allocations of a MiB or so cost a page fault per 4 KiB on every use (the allocator hands
    them back to the kernel when freed), which here is slower than the comparisons themselves.
    """

    def __init__(self) -> None:
        self._buffers: dict[str, np.ndarray] = {}

    def get(self, name: str, shape: tuple[int, ...], dtype: type[np.generic]) -> np.ndarray:
        size = math.prod(shape)
        buffer = self._buffers.get(name)
        if buffer is None or buffer.size < size or buffer.dtype != dtype:
            buffer = np.empty(size, dtype=dtype)
            self._buffers[name] = buffer
        return buffer[:size].reshape(shape)


def _dense_hits(
    left: np.ndarray, right: np.ndarray, max_distance: int, scratch: _Scratch
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """All (b, r, c) with popcount(left[b, r] ^ right[b, c]) <= max_distance, plus the distances.

    left: (B, R), right: (B, C). Runs in blocks of about _BLOCK_CANDIDATES comparisons; hits are
    rare, so the cost is three streaming ufuncs per candidate.
    """
    found: list[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]] = []
    for bucket_slice, row_slice in _blocks(left.shape[0], left.shape[1], right.shape[1]):
        lb, rb = left[bucket_slice, row_slice], right[bucket_slice]
        shape = (lb.shape[0], lb.shape[1], rb.shape[1])
        xor = scratch.get("xor", shape, np.uint64)
        bits = scratch.get("bits", shape, np.uint8)
        hit = scratch.get("hit", shape, np.bool_)
        np.bitwise_xor(lb[:, :, None], rb[:, None, :], out=xor)
        np.bitwise_count(xor, out=bits)
        np.less_equal(bits, max_distance, out=hit)
        flat = np.flatnonzero(hit)
        if flat.size:
            b, r, c = np.unravel_index(flat, shape)
            found.append((b + bucket_slice.start, r + row_slice.start, c, bits.ravel()[flat]))
    if not found:
        b, r, c = (np.empty(0, dtype=np.intp) for _ in range(3))
        return b, r, c, np.empty(0, dtype=np.uint8)
    b, r, c, d = (np.concatenate(parts) for parts in zip(*found, strict=True))
    return b, r, c, d


def _blocks(buckets: int, rows: int, columns: int) -> Iterator[tuple[slice, slice]]:
    """(bucket slice, row slice) blocks of at most ~_BLOCK_CANDIDATES comparisons each."""
    per_bucket = rows * columns
    if per_bucket <= _BLOCK_CANDIDATES:
        step = max(1, _BLOCK_CANDIDATES // max(per_bucket, 1))
        for start in range(0, buckets, step):
            yield slice(start, min(start + step, buckets)), slice(0, rows)
        return
    row_step = max(1, _BLOCK_CANDIDATES // max(columns, 1))
    for bucket in range(buckets):
        for start in range(0, rows, row_step):
            yield slice(bucket, bucket + 1), slice(start, min(start + row_step, rows))


# --------------------------------------------------------------------------- threads


def drain_unit() -> Matches:
    """A unit that finds nothing: the runner waits for every unit before it, then goes on.

    Yielded before the next pass's bucket tables are built, so they never coexist with the last
    pass's (at a million files two passes' tables at once were ~60 MB more at the peak)."""
    return _no_matches()


class _Runner:
    """Runs work units on a thread pool, polling should_stop between them (on the calling thread)."""

    _POLL_SECONDS = 0.05

    def __init__(self, workers: int, should_stop: Callable[[], bool] | None) -> None:
        self.workers = workers
        self.should_stop = should_stop or (lambda: False)

    def _check(self) -> None:
        if self.should_stop():
            raise SearchCancelled("similar-pairs search cancelled")

    def run(self, units: Iterable[Callable[[], Matches]]) -> list[Matches]:
        self._check()
        if self.workers == 1:
            results = []
            for unit in units:
                results.append(unit())
                self._check()
            return results
        return self._run_pooled(iter(units))

    def _run_pooled(self, units: Iterator[Callable[[], Matches]]) -> list[Matches]:
        results: list[Matches] = []
        # A bounded window of queued units keeps memory flat and lets the unit generator (which
        # builds the next pass's tables) run while the workers are busy.
        window = 3 * self.workers
        with ThreadPoolExecutor(self.workers, thread_name_prefix="similar-pairs") as pool:
            pending: set[Future[Matches]] = set()
            try:
                while True:
                    drain = False
                    for unit in units:
                        if unit is drain_unit:
                            drain = True
                            break
                        pending.add(pool.submit(unit))
                        if len(pending) >= window:
                            break
                    else:
                        if not pending:
                            return results
                    # Draining: wait for all before pulling the next unit from the generator.
                    while pending:
                        done, pending = wait(pending, timeout=self._POLL_SECONDS, return_when=FIRST_COMPLETED)
                        results.extend(future.result() for future in done)
                        self._check()
                        if not drain:
                            break
            except BaseException:
                for future in pending:
                    future.cancel()
                raise


# --------------------------------------------------------------------------- assembling results


def _no_matches() -> Matches:
    return np.empty(0, dtype=np.intp), np.empty(0, dtype=np.intp), np.empty(0, dtype=np.uint8)


def _concat(parts: list[Matches]) -> Matches:
    if not parts:
        return _no_matches()
    left, right, distance = (np.concatenate(column) for column in zip(*parts, strict=True))
    return left, right, distance


def _ordered(a: np.ndarray, b: np.ndarray, distance: np.ndarray) -> Matches:
    return np.minimum(a, b), np.maximum(a, b), distance


def _min_per_pair(i: np.ndarray, j: np.ndarray, distance: np.ndarray) -> Matches:
    """Keep the smallest distance of each (i, j) that occurs several times."""
    order = np.lexsort((distance, j, i))
    i, j, distance = i[order], j[order], distance[order]
    first = np.ones(i.size, dtype=bool)
    first[1:] = (i[1:] != i[:-1]) | (j[1:] != j[:-1])
    return i[first], j[first], distance[first]


# A query compares this many (probe, code) pairs at once.
_QUERY_CANDIDATES = 1 << 21


def query(codes: np.ndarray, probes: np.ndarray, max_distance: int) -> list[tuple[int, int, int]]:
    """probes: (P,) or (P, K) uint64 (K variants per probe, min over them).

    Returns (probe_index, code_index, distance) sorted by (probe_index, distance, code_index).
    """
    codes = _as_uint64(codes, "codes", ndim=1)
    probes = _as_uint64(probes, "probes", ndim=None)
    if probes.ndim == 1:
        probes = probes[:, None]
    if probes.ndim != 2:
        raise ValueError(f"probes must be (P,) or (P, K), got shape {probes.shape}")
    max_distance = _check_distance(max_distance)
    n, (p, k) = codes.shape[0], probes.shape
    if n == 0 or p == 0 or k == 0:
        return []
    result: list[tuple[int, int, int]] = []
    step = max(1, _QUERY_CANDIDATES // n)
    for start in range(0, p, step):
        block = probes[start : start + step]
        best = np.bitwise_count(block[:, 0, None] ^ codes[None, :])
        for column in range(1, k):
            np.minimum(best, np.bitwise_count(block[:, column, None] ^ codes[None, :]), out=best)
        probe, code = np.nonzero(best <= max_distance)
        distance = best[probe, code]
        order = np.lexsort((code, distance, probe))
        result.extend(
            zip(
                (probe[order] + start).tolist(),
                code[order].tolist(),
                distance[order].tolist(),
                strict=True,
            )
        )
    return result


# --------------------------------------------------------------------------- argument handling


def _as_uint64(array: np.ndarray, name: str, *, ndim: int | None) -> np.ndarray:
    array = np.asarray(array)
    if array.dtype.kind not in "ui":
        raise TypeError(f"{name} must hold integers (uint64 fingerprints), got {array.dtype}")
    if ndim is not None and array.ndim != ndim:
        raise ValueError(f"{name} must be {ndim}-dimensional, got shape {array.shape}")
    # int64 -> uint64 keeps the bit pattern, which is all a fingerprint is.
    return np.ascontiguousarray(array.astype(np.uint64, copy=False))


def _check_distance(max_distance: int) -> int:
    if isinstance(max_distance, bool) or not isinstance(max_distance, int | np.integer):
        raise TypeError(f"max_distance must be an int, got {type(max_distance).__name__}")
    if max_distance < 0:
        raise ValueError(f"max_distance must be >= 0, got {max_distance}")
    return min(int(max_distance), 64)


def _worker_count(workers: int | None) -> int:
    if workers is not None:
        return max(1, int(workers))
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        usable = os.cpu_count() or 1
    return max(1, min(usable, _MAX_WORKERS))
