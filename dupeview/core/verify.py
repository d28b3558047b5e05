"""Candidate pairs from the layout views, and the finer checks that confirm a copy and reject a look-alike.

Candidates: a file's square, trimmed and 90 % central views against the other's whole image
(crops, captions, frames, letterboxes), and the 70 % central views against each other (corner
stickers). Every candidate pair, old or new, is then confirmed on 256-bit pHashes of the
same views: pages of one template with different words are 0-8 bits apart in the 64-bit
pHash but over 38 of 256 apart; their copies stay under 30 (benchmarks/accuracy.py
--generated). Page-like images (text on a flat background) get that strict limit; photos a
looser one, as straightened photos move the fine hash more.

A match of the whole images (both views whole-like) has a second, independent check: the
whole images' dHash, along rows and along columns (the cached dHash of the image and of its
transpose, 128 bits), read from the cache for just the files that need it. The 256-bit distance
plus the dHash one must stay within JOINT_FINE (76). Among 1M distinct generated pictures, 22 pairs
passed the fine check alone by chance (pHash 6-8, fine 52-60 of 256, different hues and patterns to
the eye); their joint distances are 90-107, those of every pair with whole images 8 or fewer
bits apart in pHash 90 and more. True copies that pass only this way measured up to 63 (5,800
edited corpus photos: tone, colour and hue changes, equalised, recompressed, shrunk, turned by 1
degree, cropped by 3 %; the generated sets and the corpus up to 33). dHash compares neighbouring
pixels, so it follows grey-level curves (gamma, contrast, colour) that move aHash and wHash, and
for unrelated smooth pictures it is nearly independent of pHash's DCT signs. Crop, caption, frame,
sticker and straightened views are not whole images: their matches keep the fine check alone.
A copy found only turned or mirrored (rotation matching on) is checked on rotated_fine plus
the dHash distance in the best orientation (ROTATED_JOINT).

Cost: one pair is 13 view combinations x (1 + 4) popcounts of uint64, done for all pairs at
once in numpy: about a microsecond per pair (benchmarks/accuracy.py prints it). The joint check
runs on the pairs that passed (22 of 695k candidates at 1M): 2 popcounts a pair, plus one
cache read of a folder's dHash pack for each folder they are in.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final, NamedTuple

import numpy as np
from numpy.typing import NDArray

from dupeview.core import pairs as pair_search
from dupeview.core.fingerprint import TRANSFORMS
from dupeview.core.views import FINE_END, FINE_VIEWS, FINE_WORDS, N_WORDS, VIEWS

# (view of one file, view of the other), by FINE_VIEWS index: 0 is the whole image.
_CROSS: Final = tuple(FINE_VIEWS.index(v) for v in ("square", "trim", "c90", "rot+", "rot-"))
# Views compared with the same view of the other file: the 70 % centre (corner stickers) and the
# trimmed view (a caption added to a photo whose own edge rows are uniform, e.g. a clear sky).
_C70: Final = FINE_VIEWS.index("c70")
_TRIM: Final = FINE_VIEWS.index("trim")
COMBOS: Final = ((0, 0), *((v, 0) for v in _CROSS), *((0, v) for v in _CROSS), (_C70, _C70), (_TRIM, _TRIM))
# Limits on the 256-bit distance (of 256), chosen with benchmarks/accuracy.py --generated.
STRICT_FINE: Final = 28   # page-like: other pages measured 32 and more apart (seeds 11, 23, 37), page copies <= 28
PHOTO_FINE: Final = 60    # photos: straightened 1-5 degrees measured up to 58, unrelated photos 66 and more
# The 70 % centres of a photo and of its stickered copy are the same pixels (0-4 of 256 apart on
# four seeds); distinct smooth pictures whose centres happen to line up measured 42-60 (the 7
# false groups among 100k generated distinct files), so this view pair gets a limit of its own.
CENTRE_FINE: Final = 24
# A copy found only turned or mirrored (rotation matching on), checked on the turned whole-image
# hash (rotated_fine): rotated copies in ../shared/corpus measured 0-18, the one chance rotated
# match left among 100k distinct generated files 56 (there were 112 such false groups unchecked).
ROTATED_FINE: Final = 36
# A view within this many of 256 bits of its own whole image is that whole image (a thin uniform
# edge trimmed): other views measured 24 and more from theirs, trims of real bars far more.
WHOLE_LIKE: Final = 16
# The second, independent check of a match of whole images (both views whole-like): the 256-bit
# pHash distance plus the 128-bit dHash distance (gradients along rows and, from the cache's dHash
# of the transpose, along columns) must stay within JOINT_FINE. dHash is read from the cache for
# the few files that need it. True copies matched only this way measured up to 63 (3 % crop 54+9,
# hue turned 60 degrees 52+10, turned 180 degrees 34+23; equalised, gamma, straightened by 1 degree,
# shrunk, recompressed and the corpus's edits less); the chance matches among 1M distinct generated
# pictures that reach the fine check on whole images 90 and more (the 22 false groups: 90-107).
JOINT_FINE: Final = 76
# The same for a copy found only turned or mirrored: rotated_fine plus the dHash distance in the
# best of the 8 orientations. Rotated copies in ../shared/corpus measured 0-24 (rotated_fine <= 18),
# the chance rotated matches among 1M distinct generated pictures 78 and more (rotated_fine 42 and more).
ROTATED_JOINT: Final = 52
_COMBO_FINE: Final = np.array([CENTRE_FINE if combo == (_C70, _C70) else PHOTO_FINE for combo in COMBOS], np.uint16)
PAGE_FLATNESS: Final = 0.4  # views.flatness at or above this: page-like (pages 0.56-0.93, photos mostly < 0.3)
# Layout candidates are searched up to the default threshold only: they cost a few times the
# whole-image search per distance (benchmarks/speed.py pairs).
LAYOUT_MAX_DISTANCE: Final = 8

# Everything above that decides an edge, for core/pair_memo.py: remembered edges of other rules are not reused.
RULES: Final = repr((COMBOS, STRICT_FINE, PHOTO_FINE, CENTRE_FINE, ROTATED_FINE, PAGE_FLATNESS, LAYOUT_MAX_DISTANCE,
                     "dhash", WHOLE_LIKE, JOINT_FINE, ROTATED_JOINT))

# Candidate pairs confirmed at once (their views gathered: ~500 B a pair).
CONFIRM_BLOCK: Final = 1 << 16

# rows (library indices) -> their (k, 8) dHash codes (core/fingerprint.py TRANSFORMS), read when needed.
DhashReader = Callable[[NDArray[np.int64]], NDArray[np.uint64]]


class Layout(NamedTuple):
    """The per-file arrays the checks read, cut from a Library once."""

    h64: NDArray[np.uint64]    # (N, V): 64-bit pHash of each FINE_VIEWS view (0 = the stored pHash)
    h256: NDArray[np.uint64]   # (N, V, 4): 256-bit pHashes of the same views
    page: NDArray[np.bool_]    # (N,): page-like
    # The dHash codes of some rows, for the second check of whole-image matches (None: no second check).
    # A reader, not an array: a scan holds only pHash, and the check needs the codes of a few files.
    dhash: DhashReader | None = None


def subset(lay: Layout, keep: NDArray[np.int64]) -> Layout:
    """The layout of the library's rows `keep` (renumbered 0..len(keep)-1)."""
    read = lay.dhash
    return Layout(lay.h64[keep], lay.h256[keep], lay.page[keep],
                  (lambda rows: read(keep[rows])) if read is not None else None)


def layout(phash: NDArray[np.uint64], view_words: NDArray[np.uint64], flatness: NDArray[np.float64],
           dhash: DhashReader | None = None) -> Layout | None:
    """phash: (N,) the identity pHashes; view_words: Library.views. None when the views are missing."""
    n = len(phash)
    if view_words.shape != (n, N_WORDS) or len(flatness) != n:
        return None
    h64 = np.concatenate([phash[:, None], view_words[:, :len(VIEWS)]], axis=1)
    h256 = view_words[:, len(VIEWS):FINE_END].reshape(n, len(FINE_VIEWS), FINE_WORDS)
    return Layout(np.ascontiguousarray(h64), h256, flatness >= PAGE_FLATNESS, dhash)


def candidates(lay: Layout, rows: NDArray[np.int64], max_distance: int,
               should_stop: Callable[[], bool] | None = None) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Pairs (into `rows`' positions) whose views line up within max_distance bits (at most LAYOUT_MAX_DISTANCE).

    The whole images against each other are the caller's search. Here: every file's cross views
    as probes against the whole images in one search, then the 70 % centres against each other,
    and the trimmed views of trimmed files against each other. A view equal to its own whole
    image (the trim of an untrimmed photo, 83 % of the corpus; the square of a square one) can
    only find what the whole-image search found, so it is no probe.
    """
    max_distance = min(max_distance, LAYOUT_MAX_DISTANCE)
    # Column by column, never the (N, V) views of `rows` at once: at a million files a copy of
    # them, all probes together and their bucket tables were ~250 MB on top of the library.
    # All views are still one search: the whole images' members are gathered once per bucket of
    # probes, so five searches of a view each cost 50 % more.
    whole = lay.h64[rows, 0]
    # Filled in place (a list of parts and its concatenation would hold both at once).
    probes = np.empty(len(_CROSS) * len(rows), dtype=np.uint64)
    owner = np.empty(probes.size, dtype=np.int32)
    filled = 0
    for view in _CROSS:
        column = lay.h64[rows, view]
        differs = np.flatnonzero(column != whole)
        probes[filled : filled + differs.size] = column[differs]
        owner[filled : filled + differs.size] = differs
        filled += differs.size
        del column, differs
    p, c, _ = pair_search.probe_pairs(probes[:filled], whole, max_distance, should_stop=should_stop)
    del probes
    pi, pj = owner[p].astype(np.int64), c
    other = pi != pj
    pi, pj = pi[other], pj[other]
    centre = pair_search.similar_pairs(lay.h64[rows, _C70], max_distance, should_stop=should_stop)
    trim = lay.h64[rows, _TRIM]
    trimmed = np.flatnonzero(trim != whole)
    trims = pair_search.similar_pairs(trim[trimmed], max_distance, should_stop=should_stop)
    return (np.concatenate([pi, centre.i, trimmed[trims.i]]).astype(np.int64),
            np.concatenate([pj, centre.j, trimmed[trims.j]]).astype(np.int64))


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


def confirmed_distance(lay: Layout, a: NDArray[np.int64], b: NDArray[np.int64], max_distance: int) -> NDArray[np.uint8]:
    """Per pair, the smallest 64-bit distance over the view combinations that pass their fine check (64: none).

    A combination passes when its views are within max_distance in 64 bits and within the
    combination's limit in 256 bits, the strict limit when either file is page-like. When both
    views are whole-like (the whole images, give or take a thin trim), it must also pass the joint
    check with the whole images' dHash (JOINT_FINE), when the layout can read dHash codes.
    """
    best = np.full(len(a), 64, dtype=np.uint8)
    passed = np.zeros((len(a), len(COMBOS)), dtype=bool)
    # A block of pairs at a time: the views of all 685k candidates among 1M distinct files
    # gathered at once were 2 x 190 MB on top of the library, the peak of the whole scan.
    for start in range(0, len(a), CONFIRM_BLOCK):
        pa, pb = a[start : start + CONFIRM_BLOCK], b[start : start + CONFIRM_BLOCK]
        ha, hb = lay.h64[pa], lay.h64[pb]
        fa, fb = lay.h256[pa], lay.h256[pb]
        page = lay.page[pa] | lay.page[pb]
        for k, (x, y) in enumerate(COMBOS):
            coarse = np.bitwise_count(ha[:, x] ^ hb[:, y])
            fine = np.bitwise_count(fa[:, x] ^ fb[:, y]).sum(axis=1, dtype=np.uint16)
            passed[start : start + len(pa), k] = (coarse <= max_distance) & (fine <= np.where(page, STRICT_FINE, _COMBO_FINE[k]))
        del ha, hb, fa, fb
    # The few pairs that passed (22 of 695k candidates among 1M distinct files): which of their
    # combinations compare whole images, and those the joint check with dHash.
    rows = np.flatnonzero(passed.any(axis=1))
    sa, sb, passed = a[rows], b[rows], passed[rows]
    ha, hb, fa, fb = lay.h64[sa], lay.h64[sb], lay.h256[sa], lay.h256[sb]
    like_a, like_b = _whole_like(fa), _whole_like(fb)
    whole = np.stack([like_a[:, x] & like_b[:, y] for x, y in COMBOS], axis=1)
    if lay.dhash is None:  # nothing to check with: the fine check alone decides, as before the second check
        whole[:] = False
    gradients = np.zeros(len(rows), dtype=np.uint16)
    need = np.flatnonzero((passed & whole).any(axis=1))
    if len(need):
        gradients[need] = dhash_distance(lay, sa[need], sb[need])
    found = np.full(len(rows), 64, dtype=np.uint8)
    for k, (x, y) in enumerate(COMBOS):
        coarse = np.bitwise_count(ha[:, x] ^ hb[:, y])
        fine = np.bitwise_count(fa[:, x] ^ fb[:, y]).sum(axis=1, dtype=np.uint16)
        ok = passed[:, k] & (~whole[:, k] | (fine + gradients <= JOINT_FINE))
        np.minimum(found, np.where(ok, coarse, 64).astype(np.uint8), out=found)
    best[rows] = found
    return best


def _whole_like(fine: NDArray[np.uint64]) -> NDArray[np.bool_]:
    """(M, V, 4) 256-bit hashes of the FINE_VIEWS -> (M, V): the view is within WHOLE_LIKE bits of the whole image."""
    return np.asarray(np.bitwise_count(fine ^ fine[:, :1]).sum(axis=2) <= WHOLE_LIKE)


def _dhash_rows(lay: Layout, a: NDArray[np.int64], b: NDArray[np.int64]) -> tuple[NDArray[np.uint64], NDArray[np.uint64]]:
    """The dHash codes (M, 8) of both files of each pair, read once per file."""
    assert lay.dhash is not None
    rows, back = np.unique(np.concatenate([a, b]), return_inverse=True)
    codes = lay.dhash(rows)
    return codes[back[:len(a)]], codes[back[len(a):]]


def dhash_distance(lay: Layout, a: NDArray[np.int64], b: NDArray[np.int64]) -> NDArray[np.uint16]:
    """Per pair, 0-128: the whole images' dHash distance along rows plus along columns (the transpose's dHash)."""
    da, db = _dhash_rows(lay, a, b)
    out: NDArray[np.uint16] = np.bitwise_count(da[:, 0] ^ db[:, 0]).astype(np.uint16)
    out += np.bitwise_count(da[:, _TRANSPOSE] ^ db[:, _TRANSPOSE])
    return out


def rotated_dhash_distance(lay: Layout, a: NDArray[np.int64], b: NDArray[np.int64]) -> NDArray[np.uint16]:
    """dhash_distance of a turned or mirrored (best of the 8 orientations) against b as shown."""
    da, db = _dhash_rows(lay, a, b)
    best = np.full(len(a), 128, dtype=np.uint16)
    for t, tt in enumerate(_THEN_TRANSPOSED):
        d = np.bitwise_count(da[:, t] ^ db[:, 0]).astype(np.uint16) + np.bitwise_count(da[:, tt] ^ db[:, _TRANSPOSE])
        np.minimum(best, d, out=best)
    return best


def _orientations(x: NDArray[np.int64]) -> list[NDArray[np.int64]]:
    """The 8 orientations of a square array in core/fingerprint.py's TRANSFORMS order."""
    t = x.T
    return [x, x[:, ::-1], x[::-1, :], x[::-1, ::-1], t, t[::-1, :], t[:, ::-1], t[::-1, ::-1]]


_TRANSPOSE: Final = TRANSFORMS.index("transpose")
# Index of "orientation t, then transposed" for each t: the dHash along the columns of the turned image.
_PROBE = np.arange(9, dtype=np.int64).reshape(3, 3)
_THEN_TRANSPOSED: Final = tuple(next(j for j, o in enumerate(_orientations(_PROBE)) if np.array_equal(o, view.T))
                                for view in _orientations(_PROBE))


def confirmed(lay: Layout, a: NDArray[np.int64], b: NDArray[np.int64], fine: NDArray[np.uint16]) -> NDArray[np.bool_]:
    """Which pairs pass the fine check: the strict limit when either file is page-like."""
    limit = np.where(lay.page[a] | lay.page[b], STRICT_FINE, PHOTO_FINE)
    return fine <= limit


def edges(lay: Layout, textured: NDArray[np.int64], i: NDArray[np.int64], j: NDArray[np.int64], d: NDArray[np.uint8],
          max_distance: int, should_stop: Callable[[], bool] | None = None, *,
          found: tuple[NDArray[np.int64], NDArray[np.int64]] | None = None) -> tuple[
              NDArray[np.int64], NDArray[np.int64], NDArray[np.uint8]]:
    """The whole-image edges (i, j, d: library indices, d as searched, rotations included) plus the
    layout candidates among `textured`, all confirmed by the fine check; d becomes the best view distance.

    found: the layout candidates if already searched (to at least min(max_distance, LAYOUT_MAX_DISTANCE))."""
    ci, cj = found if found is not None else candidates(lay, textured, max_distance, should_stop)
    a = np.concatenate([i, textured[ci]])
    b = np.concatenate([j, textured[cj]])
    searched = np.concatenate([d, np.full(len(ci), 64, np.uint8)])
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    # One row per pair; the search's rows come first, so a pair found both ways keeps the
    # whole-image (perhaps rotated) distance the search measured.
    _, first = np.unique(lo * (int(hi.max(initial=0)) + 1) + hi, return_index=True)
    lo, hi, best_searched = lo[first], hi[first], searched[first]
    by_view = confirmed_distance(lay, lo, hi, max_distance)
    # Found only in a rotated or mirrored orientation (rotation matching on): the fine hashes
    # are of the image as shown, so the other file's is turned the same way first (rotated_fine).
    identity = np.bitwise_count(lay.h64[lo, 0] ^ lay.h64[hi, 0])
    rotated = np.flatnonzero((best_searched < identity) & (best_searched < by_view) & (best_searched <= max_distance))
    turned = np.zeros(len(lo), dtype=bool)
    if len(rotated):
        fine = rotated_fine(lay.h256[lo[rotated], 0], lay.h256[hi[rotated], 0])
        limit = np.where(lay.page[lo[rotated]] | lay.page[hi[rotated]], STRICT_FINE, ROTATED_FINE)
        ok = fine <= limit
        if lay.dhash is not None and ok.any():
            # The second check, in the best orientation: hi's image turned against lo's as shown.
            sure = np.flatnonzero(ok)
            ok[sure] = fine[sure] + rotated_dhash_distance(lay, hi[rotated[sure]], lo[rotated[sure]]) <= ROTATED_JOINT
        turned[rotated] = ok
    keep = (by_view <= max_distance) | turned
    dist = np.where(turned, np.minimum(best_searched, by_view), by_view).astype(np.uint8)
    return lo[keep], hi[keep], dist[keep]


def _fine_bits(words: NDArray[np.uint64]) -> NDArray[np.bool_]:
    """(M, 4) 256-bit hashes -> (M, 16, 16) bits: row = vertical frequency, column = horizontal."""
    raw = np.ascontiguousarray(words.astype(">u8")).view(np.uint8)
    return np.unpackbits(raw, axis=1).astype(bool).reshape(-1, 16, 16)


def _fine_words(bits: NDArray[np.bool_]) -> NDArray[np.uint64]:
    return np.packbits(bits.reshape(len(bits), 256), axis=1).view(">u8").astype(np.uint64)


# A DCT coefficient of odd horizontal (vertical) frequency changes sign when the image is
# mirrored (flipped); transposing swaps the two frequencies. Sign changes flip a 256-bit hash's
# bit (the median it is set against sits near zero), so the hash of any of the 8 orientations
# follows from the stored one, up to the few bits nearest the median.
_ODD = np.arange(16) % 2 == 1
_ODD_H = np.broadcast_to(_ODD[None, :], (16, 16))
_ODD_V = np.broadcast_to(_ODD[:, None], (16, 16))


def rotated_fine(a: NDArray[np.uint64], b: NDArray[np.uint64]) -> NDArray[np.uint16]:
    """(M, 4) whole-image 256-bit hashes -> per pair the smallest distance of a to b in any of the 8 orientations."""
    bits = _fine_bits(b)
    best = np.full(len(a), 256, dtype=np.uint16)
    for swap in (False, True):
        base = bits.transpose(0, 2, 1) if swap else bits
        for flip in (np.zeros((16, 16), bool), _ODD_H, _ODD_V, _ODD_H ^ _ODD_V):
            words = _fine_words(base ^ flip)
            np.minimum(best, np.bitwise_count(a ^ words).sum(axis=1, dtype=np.uint16), out=best)
    return best


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
