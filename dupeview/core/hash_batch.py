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

from dupeview.core import affine_batch, fingerprint, originals, views
from dupeview.core.fingerprint import _DCT8, _ROWS8, _ROWS9, N_TRANSFORMS

_SIZE: Final = (fingerprint.THUMB, fingerprint.THUMB)
_N_CUT: Final = 4  # square, trim, c90, c70: the VIEWS cut from the image
_N_VIEWS: Final = len(views.VIEWS)
_AFFINE: Final = Image.Transform.AFFINE
_BILINEAR: Final = Image.Resampling.BILINEAR
# Image sizes met in this process: their straightened views are batched even when alone in a batch.
_seen_sizes: set[tuple[int, int]] = set()
_SEEN_MAX: Final = 4096


class Thumbnails(NamedTuple):
    """What one image contributes to a batch: its 64x64 thumbnails (uint8) and its per-image facts."""

    t64: NDArray[np.uint8]     # (64, 64): the whole image
    views: NDArray[np.uint8]   # (6, 64, 64): VIEWS in order (the cut ones, then the straightened ones)
    facts: NDArray[np.uint64]  # (originals.FACT_WORDS,)
    flatness: float
    whole: tuple[bool, ...] = (False,) * _N_VIEWS  # which VIEWS are the whole image (t64 itself)


class Hashes(NamedTuple):
    """A batch's results, one row per image."""

    hashes: NDArray[np.uint64]  # (n, len(ALGORITHMS), N_TRANSFORMS), as fingerprint.compute
    contrast: list[float]
    views: NDArray[np.uint64]   # (n, views.N_WORDS), as views.compute
    flatness: list[float]


def _pixels(img: Image.Image) -> NDArray[np.uint8]:
    """The pixels of a mode-'L' image as a (h, w) array: one copy out of Pillow, without np.asarray's detour."""
    w, h = img.size
    return np.frombuffer(img.tobytes(), dtype=np.uint8).reshape(h, w)


def thumbnails(gray: Image.Image) -> Thumbnails:
    """One image's part of a batch: the Pillow resamples of core/fingerprint.py and core/views.py, and its facts."""
    return thumbnails_many([gray])[0]


def thumbnails_many(grays: list[Image.Image]) -> list[Thumbnails]:
    """thumbnails() of each image. The per-image numpy work (bars, sharpness, flatness, detail) runs once for
    all images of one size: on small files each numpy call's overhead, not its arithmetic, is the cost."""
    pixels = [_pixels(g) for g in grays]
    facts = _facts_many(grays, pixels)
    by_size: dict[tuple[int, int], list[int]] = {}
    for k, g in enumerate(grays):
        by_size.setdefault(g.size, []).append(k)
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
    out = [_resampled(g, a, *f, turn=g.size not in plans) for g, a, f in zip(grays, pixels, facts, strict=True)]
    for size, found in plans.items():
        which = by_size[size]
        turned = affine_batch.apply(np.stack([out[k].t64 for k in which]), found)
        for j, k in enumerate(which):
            out[k].views[_N_CUT:] = turned[j]
    return out


def _turns(w: int, h: int) -> tuple[affine_batch.Coeffs, ...]:
    """The affine maps of the straightened VIEWS of a w x h image, applied to its 64x64 thumbnail."""
    return tuple(views.straighten_coeffs(w, h, d) for d in (views._STRAIGHTEN_DEGREES, -views._STRAIGHTEN_DEGREES))


def _facts_many(grays: list[Image.Image], pixels: list[NDArray[np.uint8]]) -> list[tuple[
        list[tuple[int, int, int, int]], float, float, float]]:
    """(view boxes, sharpness, flatness, detail) of each image, computed over stacks of same-sized images."""
    out: list[tuple[list[tuple[int, int, int, int]], float, float, float]] = [([], 0.0, 0.0, 0.0)] * len(grays)
    detail = _details_many(grays, pixels)
    for same in _by_shape(pixels):
        a = np.stack([pixels[k] for k in same])
        n, h, w = a.shape
        rows = a.max(axis=2) - a.min(axis=2) <= 2 * views._UNIFORM_TOL   # views._uniform, all at once
        columns = a.max(axis=1) - a.min(axis=1) <= 2 * views._UNIFORM_TOL
        sharp = originals.abs_laplacian_sums(a.astype(np.int16)) if h >= 3 and w >= 3 else None
        flat = _flatness_many(a)
        spread = _spreads(a) if sharp is not None else []
        for j, k in enumerate(same):
            boxes = views.boxes_of(pixels[k], rows[j], columns[j])
            sharpness = 0.0 if sharp is None else float(sharp[j]) / ((h - 2) * (w - 2)) / (spread[j] + 1.0)
            out[k] = (boxes, sharpness, flat[j], detail[k])
    return out


def _spreads(a: NDArray[np.uint8]) -> list[float]:
    """np.std of each image of an (n, h, w) stack in float64 (originals.sharpness_of's spread). For a pixel count
    that is a power of two up to 4096 (64x64 thumbnails and tiles) all at once, by _contrast's argument: every
    sum is exact, so the order of the additions cannot change the value. Other sizes one by one, as defined."""
    m = a.shape[1] * a.shape[2]
    if m & (m - 1) == 0 and m <= 4096:
        return _contrast(a.astype(np.float64))
    return [float(x.astype(np.float64).std()) for x in a]


def _details_many(grays: list[Image.Image], pixels: list[NDArray[np.uint8]]) -> list[float]:
    """The detail fact of each image: as core/decode.py measured it, or measured here, over stacks of crops of one
    size, when it left the pixels to measure (an Image under DETAIL_KEY: the decoded pixels before turning)."""
    out = [0.0] * len(grays)
    crops: list[NDArray[np.uint8]] = []
    pending: list[int] = []
    for k, gray in enumerate(grays):
        value = gray.info.get(originals.DETAIL_KEY, 0.0)
        if isinstance(value, Image.Image):
            crops.append(originals.detail_crop(pixels[k] if value is gray else _pixels(value)))
            pending.append(k)
        else:
            out[k] = float(value)
    for same in _by_shape(crops):
        for j, value in zip(same, originals.details(np.stack([crops[j] for j in same])), strict=True):
            out[pending[j]] = value
    return out


def _by_shape(pixels: list[NDArray[np.uint8]]) -> list[list[int]]:
    groups: dict[tuple[int, ...], list[int]] = {}
    for k, a in enumerate(pixels):
        groups.setdefault(a.shape, []).append(k)
    return list(groups.values())


def _flatness_many(a: NDArray[np.uint8]) -> list[float]:
    """views.flatness of each image of an (n, h, w) stack: one histogram call, the band sums as differences.

    The counts and their band sums are integers, exact in float64 as np.convolve makes them, so the share
    is the same division either way."""
    n = a.shape[0]
    hist = np.bincount((a.reshape(n, -1) + (np.arange(n, dtype=np.int64) * 256)[:, None]).ravel(),
                       minlength=256 * n).reshape(n, 256)
    band = 2 * views._FLAT_BAND
    cum = np.zeros((n, 256 + band + 1), dtype=np.int64)
    np.cumsum(hist, axis=1, out=cum[:, views._FLAT_BAND + 1:views._FLAT_BAND + 257])
    cum[:, views._FLAT_BAND + 257:] = cum[:, views._FLAT_BAND + 256:views._FLAT_BAND + 257]
    widest = (cum[:, band + 1:] - cum[:, :-band - 1]).max(axis=1)   # sum of hist[i - 4 .. i + 4]
    total = hist.sum(axis=1)
    return [float(widest[j]) / max(1, int(total[j])) for j in range(n)]


def _resampled(gray: Image.Image, a: NDArray[np.uint8], boxes: list[tuple[int, int, int, int]],
               sharpness: float, flat: float, detail: float, turn: bool = True) -> Thumbnails:
    """The Pillow resamples of one image (its 64x64 thumbnail, the VIEWS), with its facts packed; turn False:
    the straightened views are left for the caller."""
    w, h = gray.size
    full = (0, 0, w, h)
    small = gray if gray.size == _SIZE else gray.resize(_SIZE, fingerprint._RESAMPLE)  # a same-size resize copies
    t64 = a if small is gray else _pixels(small)
    out = np.empty((len(views.VIEWS), *_SIZE), dtype=np.uint8)
    for k, box in enumerate(boxes):
        # resize(box=...) reads the box straight from the image: no cropped copy. The whole image is the
        # 64x64 thumbnail already made.
        out[k] = t64 if box == full else _pixels(gray.resize(_SIZE, views._RESAMPLE, box=box))
    for k, coeffs in enumerate(_turns(w, h) if turn else ()):
        out[_N_CUT + k] = _pixels(small.transform(_SIZE, _AFFINE, coeffs, _BILINEAR))
    colour, quality = gray.info.get(originals.SOURCE_KEY, (False, originals.LOSSLESS))
    facts = originals.pack(colour, boxes[1] == full, quality, sharpness, detail)
    return Thumbnails(t64, out, facts, flat, tuple(box == full for box in boxes) + (False,) * (len(views.VIEWS) - _N_CUT))


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


def _contrast(t64: NDArray[np.float64]) -> list[float]:
    """float(t.std()) of each (64, 64) thumbnail of integers 0..255, all at once: the same value to the last bit.

    The mean is a multiple of 2**-12 and each squared deviation a multiple of 2**-24 below 2**16, so
    their sum (below 2**28) is exact in float64 whatever the order of the additions. The same holds for
    any image of 2**k <= 4096 pixels (the mean a multiple of 2**-k, the sum below 2**(16 + k))."""
    m = t64.shape[1] * t64.shape[2]
    mean = t64.sum(axis=(1, 2)) / m
    dev = t64 - mean[:, None, None]
    return [float(v) for v in np.sqrt((dev * dev).sum(axis=(1, 2)) / m)]


def _words(x: NDArray[np.float64], m: int) -> NDArray[np.uint64]:
    """views._words(views._above_median(...)) of each run of m values: (n, k, ...) -> (n, k * m // 64)."""
    n = x.shape[0]
    rows = x.reshape(-1, m)
    bits = rows > _median_rows(rows, m)[:, None]
    return np.packbits(bits, axis=1).view(">u8").astype(np.uint64).reshape(n, -1)


def compute(items: list[Thumbnails]) -> Hashes:
    """fingerprint.compute and views.compute of every image of a batch, in one pass over the stack.

    A view that is the whole image (the trim of a picture without bars, the square of a square one) has the
    whole image's pixels, so its DCTs are not computed again: they are the same products of the same values
    (one BLAS call per slice, of one shape, either way), copied."""
    n = len(items)
    if n == 0:
        return Hashes(np.empty((0, len(fingerprint.ALGORITHMS), N_TRANSFORMS), np.uint64), [],
                      np.empty((0, views.N_WORDS), np.uint64), [])
    slots = 1 + len(views.VIEWS)
    pixels = np.empty((n, slots, *_SIZE), dtype=np.uint8)
    whole = np.zeros((n, slots), dtype=bool)
    for k, item in enumerate(items):
        pixels[k, 0] = item.t64
        pixels[k, 1:] = item.views
        whole[k, 1:] = item.whole
    flat = pixels.reshape(n * slots, *_SIZE)
    own = np.flatnonzero(~whole.ravel())          # slices with pixels of their own: every t64, most views
    copied = np.flatnonzero(whole.ravel())
    stack = flat[own].astype(np.float64)          # (m, 64, 64)
    t64 = np.ascontiguousarray(stack[own % slots == 0])
    hashes, low0 = _fingerprints(t64)
    contrast = _contrast(t64)
    view_own = own[own % slots != 0]
    sums = flat[view_own].astype(np.uint16)  # 2x2 block sums in integers: the same quarters as _half, fewer bytes
    sums = sums[..., 0::2, :] + sums[..., 1::2, :]
    p32 = np.rint((sums[..., 0::2] + sums[..., 1::2]) / 4)
    low8 = np.empty((n * slots, 8, 8))
    low8[view_own] = _DCT8 @ p32 @ _DCT8.T        # one BLAS call per slice, as before
    low8[copied] = low0[copied // slots]          # a whole-image view: the whole image's low frequencies
    low16 = np.empty((n * slots, 16, 16))
    low16[own] = views._DCT16 @ stack @ views._DCT16.T
    low16[copied] = low16[copied // slots * slots]
    out = np.concatenate([_words(low8.reshape(n, slots, 8, 8)[:, 1:], 64), _words(low16.reshape(n, slots, 16, 16), 256),
                          np.stack([item.facts for item in items])], axis=1)
    return Hashes(hashes, contrast, out, [item.flatness for item in items])
