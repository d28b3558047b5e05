"""Which of a fingerprint's 64 bits make up each bucket key of the pair search: a balanced bit order.

The multi-index search cuts the 64 bits into four 16-bit chunks and compares each code with the
codes in nearby buckets of one chunk. Its cost is the number of those comparisons, so it grows
with how crowded the buckets are. Hashes of smooth pictures have correlated bits: the 70 % centre
views of 1M generated pictures crowded their buckets 3-14x over uniform codes, chunk by chunk,
so their search made 4.2 billion comparisons where balanced keys need 1.8. The Hamming distance
does not change when the same permutation moves the bits of every code, so the search may use
any bit order, exactly: this module picks one in which each chunk's bits vary independently of
each other as far as a sample shows, and puts the least crowded chunk where the search looks
widest (the plan's first chunk gets the largest radius).
"""

from __future__ import annotations

from typing import Final

import numpy as np
from numpy.typing import NDArray

from dupeview.core.pairs_table import CHUNK_BITS

_CHUNKS: Final = 64 // CHUNK_BITS
# Rows sampled from each side to measure how crowded a key would be (two independent samples, so
# the estimate has no self-pair bias): 16k rows keep it at ~30 ms, a few % of a million-row search.
SAMPLE_ROWS: Final = 1 << 13
# Reorder only when the estimated comparisons drop by at least this factor: for nearly uniform
# codes (the whole images, 1.0-1.1x over uniform) the copy and the permutation would cost more.
MIN_GAIN: Final = 1.1
# ... and only for searches of at least this many comparisons at uniform keys (about a second):
# choosing an order costs ~0.1 s. At 100k files no search is that big; at 1M every one is.
MIN_COMPARISONS: Final = 5e8


def crowding(left_keys: NDArray[np.int64], right_keys: NDArray[np.int64], keys: int) -> float:
    """How much more often a left and a right key coincide than for uniform keys (1.0: uniform)."""
    # Sum over right rows of the left rows with the same key: sum_k left(k) * right(k).
    left = np.bincount(left_keys, minlength=keys)
    return float(left[right_keys].sum()) * keys / (len(left_keys) * len(right_keys))


def _bits(codes: NDArray[np.uint64]) -> NDArray[np.int64]:
    """(n,) codes -> (n, 64) bits, column k = bit k (1 << k)."""
    raw = np.ascontiguousarray(codes).view(np.uint8).reshape(-1, 8)
    return np.unpackbits(raw, axis=1, bitorder="little").astype(np.int64)


def _sample(codes: NDArray[np.uint64], rng: np.random.Generator) -> NDArray[np.int64]:
    return _bits(codes[rng.integers(0, len(codes), min(SAMPLE_ROWS, len(codes)))])


def _chunk_crowding(left: NDArray[np.int64], right: NDArray[np.int64], chunks: list[list[int]],
                    key_bits: int) -> list[float]:
    """Crowding of each chunk's key: its first key_bits bits (the search keys on a chunk's low bits)."""
    out = []
    for chunk in chunks:
        weights = np.int64(1) << np.arange(key_bits, dtype=np.int64)
        out.append(crowding(left[:, chunk[:key_bits]] @ weights, right[:, chunk[:key_bits]] @ weights, 1 << key_bits))
    return out


def balanced_order(left: NDArray[np.uint64], right: NDArray[np.uint64], volumes: list[int], key_bits: int,
                   seed: int = 0) -> NDArray[np.int64] | None:
    """The source bit for each of the 64 positions (positions 16c.. are chunk c), or None to keep the bits as they are.

    volumes: the neighbour cells the search looks up in each chunk (its plan, chunk 0 first; a chunk
    with none is not searched). The estimated comparisons are the sum of volume x crowding.
    Greedy: the most balanced bits first, each into the chunk whose key it crowds least; then
    the chunks sorted from least to most crowded, so the widest look goes to the emptiest buckets.
    """
    if len(left) < 2 or len(right) < 2:
        return None
    rng = np.random.default_rng(seed)
    sl, sr = _sample(left, rng), _sample(right, rng)
    # The greedy fits its sample (on uniform codes it "finds" 10 % fewer collisions there than
    # anywhere else): before and after are measured on a second, independent sample.
    tl, tr = _sample(left, rng), _sample(right, rng)
    as_is = [list(range(c * CHUNK_BITS, (c + 1) * CHUNK_BITS)) for c in range(_CHUNKS)]
    before = sum(v * c for v, c in zip(volumes, _chunk_crowding(tl, tr, as_is, key_bits), strict=False))

    balance = np.abs(sl.mean(axis=0) - 0.5) + np.abs(sr.mean(axis=0) - 0.5)
    chunks: list[list[int]] = [[] for _ in range(_CHUNKS)]
    keys_l = [np.zeros(len(sl), np.int64) for _ in range(_CHUNKS)]
    keys_r = [np.zeros(len(sr), np.int64) for _ in range(_CHUNKS)]
    for bit in np.argsort(balance, kind="stable").tolist():
        best, where = np.inf, -1
        for c in range(_CHUNKS):
            size = len(chunks[c])
            if size == CHUNK_BITS:
                continue
            if size >= key_bits:  # past the key: any chunk with room will do, the key is already decided
                where = c if where < 0 else where
                continue
            trial = crowding(keys_l[c] | (sl[:, bit] << size), keys_r[c] | (sr[:, bit] << size), 2 << size)
            if trial < best:
                best, where = trial, c
        size = len(chunks[where])
        if size < key_bits:
            keys_l[where] |= sl[:, bit] << size
            keys_r[where] |= sr[:, bit] << size
        chunks[where].append(bit)
    crowd = _chunk_crowding(tl, tr, chunks, key_bits)
    ranked = sorted(range(_CHUNKS), key=lambda c: crowd[c])
    after = sum(v * crowd[c] for v, c in zip(volumes, ranked, strict=False))
    if after * MIN_GAIN > before:
        return None
    return np.array([bit for c in ranked for bit in chunks[c]], dtype=np.int64)


def permuted(codes: NDArray[np.uint64], order: NDArray[np.int64]) -> NDArray[np.uint64]:
    """Each code with bit order[t] moved to position t (a table per byte: 8 look-ups a code)."""
    target = np.empty(64, dtype=np.int64)
    target[order] = np.arange(64)
    values = np.arange(256, dtype=np.uint64)
    out = np.zeros(len(codes), dtype=np.uint64)
    raw = np.ascontiguousarray(codes).view(np.uint8).reshape(-1, 8)
    for byte in range(8):
        lookup = np.zeros(256, dtype=np.uint64)
        for bit in range(8):
            lookup |= ((values >> np.uint64(bit)) & np.uint64(1)) << np.uint64(target[8 * byte + bit])
        out |= lookup[raw[:, byte]]
    return out


def reordered(left: NDArray[np.uint64], right: NDArray[np.uint64], symmetric: bool, volumes: list[int],
              key_bits: int) -> tuple[NDArray[np.uint64], NDArray[np.uint64]]:
    """Both sides in the balanced bit order (the same permutation, so every distance is the same), or as they are."""
    comparisons = len(left) * len(right) / (2 if symmetric else 1) * sum(volumes) / (1 << key_bits)
    if comparisons < MIN_COMPARISONS:  # a search of a second or less: choosing an order costs more than it saves
        return left, right
    order = balanced_order(left, right, volumes, key_bits)
    if order is None:
        return left, right
    moved = permuted(left, order)
    return moved, moved if symmetric else permuted(right, order)
