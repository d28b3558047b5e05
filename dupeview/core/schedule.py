"""The order and batches in which the decoder pool gets the files to hash, so no core idles at the end."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

import numpy as np

# A file this many times the median size (a RAW or TIFF among JPEGs) is sent first: decoded last, it
# would keep one core busy while the others idle.
OUTLIER: Final = 4


def order(sizes: Sequence[int]) -> list[int]:
    """Indexes of the files in the order to hash them: outliers by size (largest first), then the rest
    in their given (discovery, so folder) order, which keeps a disk's reads near each other."""
    n = len(sizes)
    if n < 2:
        return list(range(n))
    arr = np.asarray(sizes, dtype=np.int64)
    big = arr >= OUTLIER * max(1, int(np.median(arr)))
    first = np.flatnonzero(big)
    first = first[np.argsort(-arr[first], kind="stable")]
    return first.tolist() + np.flatnonzero(~big).tolist()


def batches(items: Sequence[str], sizes: Sequence[int], workers: int, most: int) -> list[list[str]]:
    """items (already in order) cut into batches of at most `most` files that shrink towards the end
    (guided self-scheduling by bytes: each batch holds about 1/(2·workers) of the bytes still left,
    never less than one file), so the last batches are single files and all workers finish together,
    while a large library still goes in batches of `most` (few round trips between processes)."""
    if len(items) != len(sizes):
        raise ValueError("one size per item")
    most, workers = max(1, most), max(1, workers)
    left = sum(max(1, s) for s in sizes)
    out: list[list[str]] = []
    k = 0
    while k < len(items):
        share = left / (2 * workers)
        batch: list[str] = []
        weight = 0
        while k < len(items) and len(batch) < most and (not batch or weight + max(1, sizes[k]) <= share):
            batch.append(items[k])
            weight += max(1, sizes[k])
            k += 1
        left -= weight
        out.append(batch)
    return out
