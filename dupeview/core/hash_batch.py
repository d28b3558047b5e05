"""Fingerprints and views of a batch of decoded images at once: per image only what Pillow must do, the math stacked.

core/fingerprint.py's compute() and core/views.py's compute() define the values for one image;
this computes exactly the same bits for many: each image's thumbnails are made one by one
(Pillow's resamples), then the DCTs, medians and bit packing run once over the whole stack.
On small files that per-file numpy and Pillow call overhead, not decoding, was most of a scan
(tests/core/test_hash_batch.py holds every value to the one-image definitions, bit for bit).
The matrix products are the ones of the one-image code, slice for slice (numpy's stacked matmul
makes the same BLAS call per slice), so the floating-point results are the same to the last bit.
"""

from __future__ import annotations

from typing import Final, NamedTuple

import numpy as np
from numpy.typing import NDArray
from PIL import Image

from dupeview.core import affine_batch, facts_batch, fingerprint, originals, views
from dupeview.core.fingerprint import _DCT8, _ROWS8, _ROWS9, N_TRANSFORMS

_SIZE: Final = (fingerprint.THUMB, fingerprint.THUMB)
_N_CUT: Final = 4  # square, trim, c90, c70: the VIEWS cut from the image
_N_VIEWS: Final = len(views.VIEWS)
_AFFINE: Final = Image.Transform.AFFINE
_BILINEAR: Final = Image.Resampling.BILINEAR
_RESAMPLE: Final = fingerprint._RESAMPLE  # the thumbnail's and the cut views' resample, one and the same
assert views._RESAMPLE == _RESAMPLE
# Image sizes met in this process: their straightened views are batched even when alone in a batch.
_seen_sizes: set[tuple[int, int]] = set()
_SEEN_MAX: Final = 4096
_CHUNK: Final = 16  # slices whose fine DCT runs at once: 16 x 32 KB of float64 pixels


class Hashes(NamedTuple):
    """A batch's results, one row per image."""

    hashes: NDArray[np.uint64]  # (n, len(ALGORITHMS), N_TRANSFORMS), as fingerprint.compute
    contrast: list[float]
    views: NDArray[np.uint64]   # (n, views.N_WORDS), as views.compute
    flatness: list[float]


class Sheet(NamedTuple):
    """A batch's thumbnails and per-image facts as arrays, what compute's math reads."""

    pixels: NDArray[np.uint8]   # (n, 1 + len(VIEWS), 64, 64): the whole image's thumbnail, then the VIEWS
    whole: NDArray[np.bool_]    # (n, 1 + len(VIEWS)): which slots are the whole image (a copy of slot 0)
    facts: NDArray[np.uint64]   # (n, originals.FACT_WORDS)
    flatness: list[float]
    contrast: list[float] | None = None  # each image's float(np.std) of slot 0, if known already


def sheet(grays: list[Image.Image]) -> Sheet:
    """The Pillow resamples of core/fingerprint.py and core/views.py of each image, and its facts, written into one
    batch array. The per-image numpy work (bars, sharpness, flatness, detail) runs once for all images of one
    size (core/facts_batch.py): on small files each numpy call's overhead, not its arithmetic, is the cost."""
    n = len(grays)
    by_size = facts_batch.by_size(grays)
    stacked = facts_batch.stacks(grays, by_size)
    facts = facts_batch.facts_many(grays, by_size, stacked)
    # The straightened views of images of one size go through one numpy pass for the lot (core/affine_batch.py),
    # when there are several, or the size was met before in this process; an image of a size of its own goes
    # through Pillow, so a library of all different sizes never pays for a size's check.
    plans: dict[tuple[int, int], affine_batch.Plan] = {}
    for (w, h), which in by_size.items():
        if affine_batch.EXACT and (len(which) > 1 or (w, h) in _seen_sizes):
            found = affine_batch.plan(*_SIZE, _SIZE, _turns(w, h))
            if found is not None:
                plans[w, h] = found
        if len(_seen_sizes) >= _SEEN_MAX:
            _seen_sizes.clear()
        _seen_sizes.add((w, h))
    out = np.empty((n, 1 + _N_VIEWS, *_SIZE), dtype=np.uint8)
    whole = np.zeros((n, 1 + _N_VIEWS), dtype=bool)
    for size, which in by_size.items():
        if size == _SIZE:
            out[which, 0] = stacked[size]
    smalls = _resized(grays, facts, plans, out)
    for k, gray in enumerate(grays):
        w, h = gray.size
        full = (0, 0, w, h)
        for slot, box in enumerate(facts[k].boxes):
            if box == full:  # the whole image: its thumbnail
                out[k, 1 + slot] = out[k, 0]
                whole[k, 1 + slot] = True
        if gray.size not in plans:
            small = smalls.get(k, gray)
            for i, coeffs in enumerate(_turns(w, h)):
                out[k, 1 + _N_CUT + i] = facts_batch.pixels(small.transform(_SIZE, _AFFINE, coeffs, _BILINEAR))
    for size, found in plans.items():
        which = by_size[size]
        out[which, 1 + _N_CUT:] = affine_batch.apply(out[which, 0], found)
    sources = [gray.info.get(originals.SOURCE_KEY, (False, originals.LOSSLESS)) for gray in grays]
    words = originals.pack_many([(colour, bool(whole[k, 2]), quality, facts[k].sharpness, facts[k].detail)
                                 for k, (colour, quality) in enumerate(sources)])
    # A 64x64 image is its own thumbnail: its spread is the thumbnail's contrast, the same computation.
    known = [f.spread for g, f in zip(grays, facts, strict=True) if g.size == _SIZE and f.spread is not None]
    return Sheet(out, whole, words, [f.flatness for f in facts], known if len(known) == n else None)


def _turns(w: int, h: int) -> tuple[affine_batch.Coeffs, ...]:
    """The affine maps of the straightened VIEWS of a w x h image, applied to its 64x64 thumbnail."""
    return tuple(views.straighten_coeffs(w, h, d) for d in (views._STRAIGHTEN_DEGREES, -views._STRAIGHTEN_DEGREES))


def _resized(grays: list[Image.Image], facts: list[facts_batch.Facts], plans: dict[tuple[int, int], affine_batch.Plan],
             out: NDArray[np.uint8]) -> dict[int, Image.Image]:
    """Pillow's resizes of each image into `out`: its 64x64 thumbnail (slot 0) unless it is 64x64, and the cut VIEWS
    that are not the whole image. Returns the thumbnails as images, of the sizes not in `plans` (for Pillow's own
    straightened views).

    Each resize is Pillow's own (ImagingCore.resize, what Image.resize calls), pasted into one image of the
    batch's thumbnails that is copied out once: on small files an Image object and a copy out per resize cost
    about as much as the resize."""
    # (image, slot, box) of every resize: slot 0 is the thumbnail of the whole image, 1 + k the k-th cut VIEW.
    jobs: list[tuple[int, int, tuple[int, int, int, int]]] = []
    for k, gray in enumerate(grays):
        w, h = gray.size
        full = (0, 0, w, h)
        if gray.size != _SIZE:
            jobs.append((k, 0, full))
        # resize(box=...) reads the box straight from the image: no cropped copy. The whole image is the
        # 64x64 thumbnail already made.
        jobs.extend((k, 1 + slot, box) for slot, box in enumerate(facts[k].boxes) if box != full)
    smalls: dict[int, Image.Image] = {}
    if not jobs:
        return smalls
    board = Image.new("L", (_SIZE[0], _SIZE[1] * len(jobs)))
    for j, (k, slot, box) in enumerate(jobs):
        core = grays[k].im.resize(_SIZE, _RESAMPLE, box)  # Image.resize's call, without its Image object
        board.im.paste(core, (0, _SIZE[1] * j, _SIZE[0], _SIZE[1] * (j + 1)))
        if slot == 0 and grays[k].size not in plans:
            smalls[k] = grays[k]._new(core)
    done = facts_batch.pixels(board).reshape(-1, *_SIZE)
    for j, (k, slot, _box) in enumerate(jobs):
        out[k, slot] = done[j]
    return smalls


def _dihedral(x: NDArray[np.float64]) -> NDArray[np.float64]:
    """fingerprint._dihedral of each square of an (n, s, s) stack: (n, 8, s, s)."""
    t = x.swapaxes(1, 2)
    return np.stack([x, x[:, :, ::-1], x[:, ::-1, :], x[:, ::-1, ::-1],
                     t, t[:, ::-1, :], t[:, :, ::-1], t[:, ::-1, ::-1]], axis=1)


def _median_rows(x: NDArray[np.float64], m: int) -> NDArray[np.float64]:
    """Median of each run of m values (m even), as np.median gives it: (..., m) -> (...)."""
    s = np.sort(x.reshape(-1, m), axis=1)
    return np.asarray((s[:, m // 2 - 1] + s[:, m // 2]) / 2)


def _pack(bits: NDArray[np.bool_]) -> NDArray[np.uint64]:
    """(n, 8, 8, 8) booleans -> (n, 8) uint64, first bit most significant (fingerprint._pack per image)."""
    n = bits.shape[0]
    packed = np.packbits(bits.reshape(n * N_TRANSFORMS, 64), axis=1)
    return packed.view(">u8").reshape(n, N_TRANSFORMS).astype(np.uint64)


def _half(x: NDArray[np.float64]) -> NDArray[np.float64]:
    """Means of 2x2 blocks of the last two axes: rint(_ROWS32 @ x @ _ROWS32.T) without its rounding.

    Exact, as that product is: the weights are halves and the values small integers, so every partial
    sum is exactly representable and the order of the additions cannot change the result."""
    rows = x[..., 0::2, :] + x[..., 1::2, :]
    return np.asarray((rows[..., 0::2] + rows[..., 1::2]) / 4)


def _fingerprints(t64: NDArray[np.float64]) -> tuple[NDArray[np.uint64], NDArray[np.float64]]:
    """fingerprint.compute's (4, 8) hashes of each 64x64 thumbnail of an (n, 64, 64) stack, and the 8x8 low
    frequencies of each thumbnail as shown (pHash's first orientation), which views share."""
    n = t64.shape[0]
    out = np.empty((n, len(fingerprint.ALGORITHMS), N_TRANSFORMS), dtype=np.uint64)
    means = _half(t64)
    low = _DCT8 @ _dihedral(np.rint(means)) @ _DCT8.T  # (n, 8, 8, 8): one BLAS call per slice, as compute()
    out[:, 0] = _pack(low > _median_rows(low, 64).reshape(n, N_TRANSFORMS, 1, 1))
    # dHash's 9-wide resample is not exact: the same two products as compute(), slice for slice.
    wide, tall = np.rint(_ROWS8 @ t64 @ _ROWS9.T), np.rint(_ROWS9 @ t64 @ _ROWS8.T).swapaxes(1, 2)
    rows = np.stack([wide, wide[:, :, ::-1], wide[:, ::-1, :], wide[:, ::-1, ::-1],
                     tall, tall[:, ::-1, :], tall[:, :, ::-1], tall[:, ::-1, ::-1]], axis=1)
    out[:, 1] = _pack(rows[..., 1:] > rows[..., :-1])
    blocks = _half(_half(means))  # 8x8 block means: _ROWS8 @ t64 @ _ROWS8.T, exactly (sixty-fourths of integers)
    a = _dihedral(np.rint(blocks))
    out[:, 2] = _pack(a > a.mean(axis=(2, 3))[:, :, None, None])
    w = _dihedral(blocks)
    out[:, 3] = _pack(w > _median_rows(w, 64).reshape(n, N_TRANSFORMS, 1, 1))
    return out, low[:, 0]


def _words(x: NDArray[np.float64], m: int) -> NDArray[np.uint64]:
    """views._words(views._above_median(...)) of each run of m values: (n, k, ...) -> (n, k * m // 64)."""
    n = x.shape[0]
    rows = x.reshape(-1, m)
    bits = rows > _median_rows(rows, m)[:, None]
    return np.packbits(bits, axis=1).view(">u8").astype(np.uint64).reshape(n, -1)


def _low16(flat: NDArray[np.uint8], which: NDArray[np.intp]) -> NDArray[np.float64]:
    """_DCT16 @ x @ _DCT16.T of the 64x64 slices `which` of `flat`, _CHUNK slices at a time in one buffer that
    stays in the CPU's cache (the same BLAS call per slice as over the whole stack: a batch of 64 images
    made a 10 MB stack, and the products ran at two thirds of this speed)."""
    out = np.empty((len(which), 16, 16))
    buffer = np.empty((min(_CHUNK, len(which)), *_SIZE))
    for start in range(0, len(which), _CHUNK):
        stop = min(len(which), start + _CHUNK)
        b = buffer[:stop - start]
        b[...] = flat[which[start:stop]]
        out[start:stop] = views._DCT16 @ b @ views._DCT16.T
    return out


def compute_many(grays: list[Image.Image]) -> Hashes:
    """fingerprint.compute and views.compute of every image of a batch: its thumbnails (sheet), then the math."""
    return _math(sheet(grays))


def _math(made: Sheet) -> Hashes:
    """fingerprint.compute and views.compute of every image of a batch, in one pass over the stack.

    A view that is the whole image (the trim of a picture without bars, the square of a square one) has the
    whole image's pixels, so its DCTs are not computed again: they are the same products of the same values
    (one BLAS call per slice, of one shape, either way), copied."""
    pixels, whole = made.pixels, made.whole
    n = len(pixels)
    if n == 0:
        return Hashes(np.empty((0, len(fingerprint.ALGORITHMS), N_TRANSFORMS), np.uint64), [],
                      np.empty((0, views.N_WORDS), np.uint64), [])
    slots = 1 + len(views.VIEWS)
    flat = pixels.reshape(n * slots, *_SIZE)
    own = np.flatnonzero(~whole.ravel())          # slices with pixels of their own: every t64, most views
    copied = np.flatnonzero(whole.ravel())
    t64 = flat[::slots].astype(np.float64)        # every image's own thumbnail (slot 0 is never a copy)
    hashes, low0 = _fingerprints(t64)
    contrast = facts_batch.stack_std(t64) if made.contrast is None else made.contrast
    view_own = own[own % slots != 0]
    sums = flat[view_own].astype(np.uint16)  # 2x2 block sums in integers: the same quarters as _half, fewer bytes
    sums = sums[..., 0::2, :] + sums[..., 1::2, :]
    p32 = np.rint((sums[..., 0::2] + sums[..., 1::2]) / 4)
    low8 = np.empty((n * slots, 8, 8))
    low8[view_own] = _DCT8 @ p32 @ _DCT8.T        # one BLAS call per slice, as before
    low8[copied] = low0[copied // slots]          # a whole-image view: the whole image's low frequencies
    low16 = np.empty((n * slots, 16, 16))
    low16[own] = _low16(flat, own)
    low16[copied] = low16[copied // slots * slots]
    out = np.concatenate([_words(low8.reshape(n, slots, 8, 8)[:, 1:], 64), _words(low16.reshape(n, slots, 16, 16), 256),
                          made.facts], axis=1)
    return Hashes(hashes, contrast, out, made.flatness)
