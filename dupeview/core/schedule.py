"""The order and batches in which the decoder pool gets the files to hash, so no core idles at the end."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final, TypeVar

import numpy as np
from numpy.typing import ArrayLike, NDArray

# A file this many times the median size (a RAW or TIFF among JPEGs) is sent first: decoded last, it
# would keep one core busy while the others idle.
OUTLIER: Final = 4

T = TypeVar("T")


def order(sizes: ArrayLike) -> NDArray[np.int64]:
    """Indexes of the files in the order to hash them: outliers by size (largest first), then the rest
    in their given (discovery, so folder) order, which keeps a disk's reads near each other."""
    arr = np.asarray(sizes, dtype=np.int64).ravel()
    if len(arr) < 2:
        return np.arange(len(arr), dtype=np.int64)
    big = arr >= OUTLIER * max(1, int(np.median(arr)))
    first = np.flatnonzero(big)
    first = first[np.argsort(-arr[first], kind="stable")]
    return np.concatenate([first, np.flatnonzero(~big)]).astype(np.int64)


def batches(items: Sequence[T], sizes: ArrayLike, workers: int, most: int) -> list[list[T]]:
    """items (already in order) cut into batches of at most `most` files that shrink towards the end
    (see `cuts`)."""
    items = items if isinstance(items, list) else list(items)  # slices of a list are new lists already
    if np.size(sizes) != len(items):
        raise ValueError("one size per item")
    return [items[start:stop] for start, stop in cuts(sizes, workers, most)]


def cuts(sizes: ArrayLike, workers: int, most: int) -> list[tuple[int, int]]:
    """(start, stop) of each batch of files of these sizes (already in order), at most `most` files
    each and shrinking towards the end (guided self-scheduling by bytes: each batch holds about
    1/(2·workers) of the bytes still left, never less than one file), so the last batches are single
    files and all workers finish together, while a large library still goes in batches of `most`
    (few round trips between processes). Bounds, not lists: a million files cost no list of names."""
    weights = np.maximum(1, np.asarray(sizes, dtype=np.int64).ravel())
    n = len(weights)
    most, workers = max(1, most), max(1, workers)
    if n == 0:
        return []
    cum = np.concatenate([[0], np.cumsum(weights)])  # cum[k]: bytes before item k
    total = int(cum[-1])
    # The bulk, where a full batch is within its share, in one vectorised step (a Python loop per batch
    # took seconds at a million files): the first start from which a full batch no longer fits.
    starts = np.arange(0, n, most)
    full = cum[np.minimum(starts + most, n)] - cum[starts]
    fits = full * 2 * workers <= total - cum[starts]
    bulk = int(starts[np.argmin(fits)]) if not fits.all() else n
    out = [(k, min(k + most, n)) for k in range(0, bulk, most)]
    k = bulk
    while k < n:
        share = (total - int(cum[k])) / (2 * workers)
        end = int(np.searchsorted(cum, cum[k] + share, side="right")) - 1  # items k..end-1 fit in the share
        end = max(k + 1, min(end, k + most, n))
        out.append((k, end))
        k = end
    return out
