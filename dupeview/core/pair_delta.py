"""The similar pairs that touch some files (those new since the last search), found exactly as the whole search finds them.

With the remembered edges among the other files (core/pair_memo.py) they make the whole
search's result: a pair's edge depends only on its two files. Each search here has the new
files on one side, so its cost grows with their number, not with the library's square.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import NDArray

from dupeview.core import pairs as pair_search
from dupeview.core import verify
from dupeview.core.pairs_kernel import _min_per_pair

Edges = tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.uint8]]


def _others(a: NDArray[np.int64], b: NDArray[np.int64], d: NDArray[np.uint8]) -> Edges:
    keep = a != b
    return a[keep], b[keep], d[keep]


def _whole(codes: NDArray[np.uint64], new: NDArray[np.int64], max_distance: int, rotations: bool,
           stop: Callable[[], bool] | None) -> Edges:
    """(i < j, distance) as pairs.similar_pairs(codes[:, 0], variants=codes[:, 1:]) gives them, for pairs with a new row."""
    base = np.ascontiguousarray(codes[:, 0])
    p, q, d = pair_search.probe_pairs(base[new], base, max_distance, should_stop=stop)
    parts = [_others(new[p].astype(np.int64), q.astype(np.int64), d)]
    if rotations and codes.shape[1] > 1:
        k = codes.shape[1] - 1
        variants = np.ascontiguousarray(codes[:, 1:])
        rows, q, d = pair_search.probe_pairs(variants[new].reshape(-1), base, max_distance, should_stop=stop)
        parts.append(_others(new[rows // k].astype(np.int64), q.astype(np.int64), d))
        rows, q, d = pair_search.probe_pairs(variants.reshape(-1), base[new], max_distance, should_stop=stop)
        parts.append(_others((rows // k).astype(np.int64), new[q].astype(np.int64), d))
    a, b, dist = (np.concatenate(column) for column in zip(*parts, strict=True))
    i, j, dist = _min_per_pair(np.minimum(a, b), np.maximum(a, b), dist)
    return i, j, dist


def _layout(h: NDArray[np.uint64], new: NDArray[np.int64], is_new: NDArray[np.bool_], reach: int,
            stop: Callable[[], bool] | None) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """verify.candidates' pairs that have a new row (positions into h's rows)."""
    whole = np.ascontiguousarray(h[:, 0])
    views = h[:, list(verify._CROSS)]
    owner, column = np.nonzero(views != whole[:, None])
    probes = views[owner, column]
    mine = is_new[owner]
    p, c, _ = pair_search.probe_pairs(probes[mine], whole, reach, should_stop=stop)
    pairs_a, pairs_b = [owner[mine][p]], [c]
    p, c, _ = pair_search.probe_pairs(probes, whole[new], reach, should_stop=stop)
    pairs_a.append(owner[p])
    pairs_b.append(new[c])
    centre = np.ascontiguousarray(h[:, verify._C70])
    p, c, _ = pair_search.probe_pairs(centre[new], centre, reach, should_stop=stop)
    pairs_a.append(new[p])
    pairs_b.append(c)
    trimmed = np.flatnonzero(h[:, verify._TRIM] != whole)
    trimmed_new = trimmed[is_new[trimmed]]
    trims = np.ascontiguousarray(h[trimmed, verify._TRIM])
    p, c, _ = pair_search.probe_pairs(np.ascontiguousarray(h[trimmed_new, verify._TRIM]), trims, reach, should_stop=stop)
    pairs_a.append(trimmed_new[p])
    pairs_b.append(trimmed[c])
    a = np.concatenate(pairs_a).astype(np.int64)
    b = np.concatenate(pairs_b).astype(np.int64)
    other = a != b
    return a[other], b[other]


def edges_touching(codes: NDArray[np.uint64], textured: NDArray[np.int64], layout: verify.Layout | None,
                   is_new: NDArray[np.bool_], max_distance: int, rotations: bool,
                   stop: Callable[[], bool] | None = None) -> Edges:
    """The edges grouping.Matcher's search gives (library indices i < j, sorted by (i, j)) that have a
    row with is_new set. codes: (N, K) the library's; textured: the rows searched at all."""
    new = np.flatnonzero(is_new[textured]).astype(np.int64)  # positions into textured
    if len(new) == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.uint8)
    c = codes[textured]
    wi, wj, wd = _whole(c, new, max_distance, rotations, stop)
    i, j = textured[wi].astype(np.int64), textured[wj].astype(np.int64)
    if layout is None:
        order = np.lexsort((j, i))
        return i[order], j[order], wd[order]
    reach = min(max_distance, verify.LAYOUT_MAX_DISTANCE)
    found = _layout(layout.h64[textured], new, is_new[textured], reach, stop)
    return verify.edges(layout, textured, i, j, wd, max_distance, stop, found=found)
