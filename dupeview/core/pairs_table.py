"""The pair search's bucket tables: one side's codes ordered by one 16-bit chunk of their bits."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

CHUNK_BITS = 16


@dataclass(frozen=True)
class Table:
    """One side's codes sorted by one chunk, so every chunk value is a contiguous bucket."""

    order: np.ndarray  # sorted position -> original row
    codes: np.ndarray  # codes[order] (the right side: its members are gathered many times), or
    #                    the unsorted codes themselves (a left side: each row is read once a pass)
    sorted: bool  # whether codes is in sorted order
    starts: np.ndarray  # bucket v is sorted positions starts[v] : starts[v] + counts[v]
    counts: np.ndarray  # both include the pad bucket (empty, starting at N)

    def codes_at(self, positions: np.ndarray) -> np.ndarray:
        codes: np.ndarray = self.codes[positions] if self.sorted else self.codes[self.order[positions]]
        return codes


# The bucket order is sorted this many rows at a time: np.argsort gives int64 positions, and
# for 7 million rotation probes at once those were 56 MB more than the int32 order they become.
_SORT_PIECE = 1 << 19


def bucket_order(keys: np.ndarray, buckets: int) -> tuple[np.ndarray, np.ndarray]:
    """(stable order of keys, counts per key value): np.argsort(keys, kind="stable") and
    np.bincount(keys, minlength=buckets), the order as int32 and sorted piece by piece."""
    n = keys.size
    if n <= _SORT_PIECE or n >= 2**31:
        order = np.argsort(keys, kind="stable")  # radix sort for uint16 keys: O(N)
        return (order.astype(np.int32) if n < 2**31 else order), np.bincount(keys, minlength=buckets)
    # np.bincount and np.argsort both make int64 arrays as long as their input: by pieces.
    counts = np.zeros(buckets, dtype=np.intp)
    for start in range(0, n, _SORT_PIECE):
        counts += np.bincount(keys[start : start + _SORT_PIECE], minlength=buckets)
    order = np.empty(n, dtype=np.int32)
    # Where each key's next row goes: its bucket's start, advanced by the pieces before.
    cursor = np.cumsum(counts) - counts
    for start in range(0, n, _SORT_PIECE):
        piece = keys[start : start + _SORT_PIECE]
        local = np.argsort(piece, kind="stable")
        sorted_keys = piece[local]
        piece_counts = np.bincount(piece, minlength=buckets)
        rank = np.arange(piece.size) - (np.cumsum(piece_counts) - piece_counts)[sorted_keys]
        order[cursor[sorted_keys] + rank] = local + start
        cursor += piece_counts
    return order, counts


def chunk_keys(codes: np.ndarray, shift: int, bits: int) -> np.ndarray:
    """The `bits` bits from bit `shift` up of every code, as uint16 (uint32 above 16 bits); worked out a piece at a
    time (whole at once, the shift and the mask were two uint64 temporaries: 80 MB for 5 million probes)."""
    keys = np.empty(codes.size, dtype=np.uint16 if bits <= CHUNK_BITS else np.uint32)
    by, mask = np.uint64(shift), np.uint64((1 << bits) - 1)
    for start in range(0, codes.size, _SORT_PIECE):
        piece = codes[start : start + _SORT_PIECE] >> by
        piece &= mask
        keys[start : start + _SORT_PIECE] = piece
    return keys


def table(codes: np.ndarray, shift: int, bits: int, *, sort_codes: bool = True) -> Table:
    keys = chunk_keys(codes, shift, bits)
    # + the empty pad bucket; int32 order where it fits: results are gathered from it.
    order, counts = bucket_order(keys, (1 << bits) + 1)
    del keys
    starts = np.cumsum(counts) - counts
    return Table(order=order, codes=codes[order] if sort_codes else codes, sorted=sort_codes,
                  starts=starts, counts=counts)
