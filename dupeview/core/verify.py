"""Candidate pairs from the layout views, and the finer check that confirms a copy and rejects a look-alike.

Candidates: a file's square, trimmed and 90 % central views against the other's whole image
(crops, captions, frames, letterboxes), and the 70 % central views against each other (corner
stickers). Every candidate pair, old or new, is then confirmed on 256-bit pHashes of the
same views: pages of one template with different words are 0-8 bits apart in the 64-bit
pHash but over 38 of 256 apart; their copies stay under 30 (benchmarks/accuracy.py
--generated). Page-like images (text on a flat background) get that strict limit; photos a
looser one, as straightened photos move the fine hash more.

Cost: one pair is 8 view combinations x (1 + 4) popcounts of uint64, done for all pairs at
once in numpy: about a microsecond per pair (benchmarks/accuracy.py prints it).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final, NamedTuple

import numpy as np
from numpy.typing import NDArray

from dupeview.core import pairs as pair_search
from dupeview.core.views import FINE_END, FINE_VIEWS, FINE_WORDS, N_WORDS, VIEWS

# (view of one file, view of the other), by FINE_VIEWS index: 0 is the whole image.
_CROSS: Final = tuple(FINE_VIEWS.index(v) for v in ("square", "trim", "c90"))
# Views compared with the same view of the other file: the 70 % centre (corner stickers) and the
# trimmed view (a caption added to a photo whose own edge rows are uniform, e.g. a clear sky).
_SELF: Final = tuple(FINE_VIEWS.index(v) for v in ("c70", "trim"))
COMBOS: Final = ((0, 0), *((v, 0) for v in _CROSS), *((0, v) for v in _CROSS), *((v, v) for v in _SELF))
# Limits on the 256-bit distance (of 256), chosen with benchmarks/accuracy.py --generated.
STRICT_FINE: Final = 28   # page-like: other pages measured 32 and more apart (seeds 11, 23, 37), page copies <= 28
PHOTO_FINE: Final = 60    # photos: straightened 1-5 degrees measured up to 58, unrelated photos 66 and more
PAGE_FLATNESS: Final = 0.4  # views.flatness at or above this: page-like (pages 0.56-0.93, photos mostly < 0.3)
# Layout candidates are searched up to the default threshold only: the search costs about
# 4x the whole-image one per distance, and 12 bits would cost 3x more again (benchmarks/speed.py regroup).
LAYOUT_MAX_DISTANCE: Final = 8


class Layout(NamedTuple):
    """The per-file arrays the checks read, cut from a Library once."""

    h64: NDArray[np.uint64]    # (N, 5): 64-bit pHash of each FINE_VIEWS view (0 = the stored pHash)
    h256: NDArray[np.uint64]   # (N, 5, 4): 256-bit pHashes of the same views
    page: NDArray[np.bool_]    # (N,): page-like


def layout(phash: NDArray[np.uint64], view_words: NDArray[np.uint64], flatness: NDArray[np.float64]) -> Layout | None:
    """phash: (N,) the identity pHashes; view_words: Library.views. None when the views are missing."""
    n = len(phash)
    if view_words.shape != (n, N_WORDS) or len(flatness) != n:
        return None
    h64 = np.concatenate([phash[:, None], view_words[:, :len(VIEWS)]], axis=1)
    h256 = view_words[:, len(VIEWS):FINE_END].reshape(n, len(FINE_VIEWS), FINE_WORDS)
    return Layout(np.ascontiguousarray(h64), h256, flatness >= PAGE_FLATNESS)


def candidates(lay: Layout, rows: NDArray[np.int64], max_distance: int,
               should_stop: Callable[[], bool] | None = None) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Pairs (into `rows`' positions) whose views line up within max_distance bits (at most LAYOUT_MAX_DISTANCE)."""
    max_distance = min(max_distance, LAYOUT_MAX_DISTANCE)
    h = lay.h64[rows]
    cross = pair_search.similar_pairs(np.ascontiguousarray(h[:, 0]), max_distance,
                                      variants=np.ascontiguousarray(h[:, list(_CROSS)]), should_stop=should_stop)
    own = [pair_search.similar_pairs(np.ascontiguousarray(h[:, v]), max_distance, should_stop=should_stop) for v in _SELF]
    return (np.concatenate([cross.i, *(p.i for p in own)]).astype(np.int64),
            np.concatenate([cross.j, *(p.j for p in own)]).astype(np.int64))


def distances(lay: Layout, a: NDArray[np.int64], b: NDArray[np.int64]) -> tuple[NDArray[np.uint8], NDArray[np.uint16]]:
    """Per pair: the smallest 64-bit distance over the view combinations, and the smallest 256-bit one."""
    coarse = np.full(len(a), 64, dtype=np.uint8)
    fine = np.full(len(a), 256, dtype=np.uint16)
    ha, hb = lay.h64[a], lay.h64[b]
    fa, fb = lay.h256[a], lay.h256[b]
    for x, y in COMBOS:
        np.minimum(coarse, np.bitwise_count(ha[:, x] ^ hb[:, y]), out=coarse)
        np.minimum(fine, np.bitwise_count(fa[:, x] ^ fb[:, y]).sum(axis=1, dtype=np.uint16), out=fine)
    return coarse, fine


def confirmed(lay: Layout, a: NDArray[np.int64], b: NDArray[np.int64], fine: NDArray[np.uint16]) -> NDArray[np.bool_]:
    """Which pairs pass the fine check: the strict limit when either file is page-like."""
    limit = np.where(lay.page[a] | lay.page[b], STRICT_FINE, PHOTO_FINE)
    return fine <= limit


def edges(lay: Layout, textured: NDArray[np.int64], i: NDArray[np.int64], j: NDArray[np.int64], d: NDArray[np.uint8],
          max_distance: int, should_stop: Callable[[], bool] | None = None) -> tuple[
              NDArray[np.int64], NDArray[np.int64], NDArray[np.uint8]]:
    """The whole-image edges (i, j, d: library indices, d as searched, rotations included) plus the
    layout candidates among `textured`, all confirmed by the fine check; d becomes the best view distance."""
    ci, cj = candidates(lay, textured, max_distance, should_stop)
    a = np.concatenate([i, textured[ci]])
    b = np.concatenate([j, textured[cj]])
    searched = np.concatenate([d, np.full(len(ci), 64, np.uint8)])
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    # One row per pair; the search's rows come first, so a pair found both ways keeps the
    # whole-image (perhaps rotated) distance the search measured.
    _, first = np.unique(lo * (int(hi.max(initial=0)) + 1) + hi, return_index=True)
    lo, hi, best_searched = lo[first], hi[first], searched[first]
    coarse, fine = distances(lay, lo, hi)
    by_view = (coarse <= max_distance) & confirmed(lay, lo, hi, fine)
    # Found only in a rotated orientation (rotation matching on): the fine hashes are of the
    # image as shown, so they cannot confirm it; accepted as before, except for page-like images.
    rotated = (best_searched < coarse) & (best_searched <= max_distance) & ~(lay.page[lo] | lay.page[hi])
    keep = by_view | rotated
    dist = np.where(by_view, np.minimum(coarse, best_searched), best_searched).astype(np.uint8)
    return lo[keep], hi[keep], dist[keep]


# One similarity measure: 0-100 % from the 256-bit distance of the best-aligned views (128 of
# 256 bits apart is what unrelated pictures measure: 0 %). Any integer is possible, unlike the
# 64-bit pHash distance, which is always even.
# Named steps for a similarity slider, by the 64-bit distance they group at (only even ones
# change anything), with the share of matching pHash bits each means.
STEPS: Final = (("Identical", 0), ("Near-identical", 2), ("Very close", 4), ("Close", 6), ("Similar", 8),
                ("Loose", 10), ("Very loose", 12))


def step_percent(distance: int) -> int:
    """What a 64-bit pHash distance means as a similarity (32 bits apart: unrelated, 0 %)."""
    return max(0, round(100 * (1 - distance / 32)))


def similarity(lay: Layout | None, phash: NDArray[np.uint64], a: NDArray[np.int64], b: NDArray[np.int64]) -> NDArray[np.uint8]:
    """Per pair, 0-100: from the fine hashes when known, else from the 64-bit pHash (phash: (N,) identity codes)."""
    if lay is None:
        d = np.bitwise_count(phash[a] ^ phash[b]).astype(np.float64)
        return np.asarray(np.clip(np.rint(100 * (1 - d / 32)), 0, 100), dtype=np.uint8)
    fine = distances(lay, a, b)[1].astype(np.float64)
    return np.asarray(np.clip(np.rint(100 * (1 - fine / 128)), 0, 100), dtype=np.uint8)
