"""The per-image facts of a batch of decoded grey images (view boxes, sharpness, flatness, detail), over stacks of same-sized images.

Each fact is the one-image definition's value to the last bit (core/views.py, core/originals.py): the
integer sums are exact whatever their order, and a float is made by the same division as one by one.
On small files each numpy call's overhead, not its arithmetic, is the cost, so a batch of one size
makes each call once.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numpy.typing import NDArray
from PIL import Image

from dupeview.core import originals, views

Box = tuple[int, int, int, int]


class Facts(NamedTuple):
    """One image's facts before its thumbnails are made."""

    boxes: list[Box]  # the crop boxes of the cut VIEWS (square, trim, c90, c70)
    sharpness: float
    flatness: float
    detail: float
    spread: float | None = None  # the grey-level spread in the sharpness (np.std of the pixels), when measured


def pixels(img: Image.Image) -> NDArray[np.uint8]:
    """The pixels of a mode-'L' image as a (h, w) array: one copy out of Pillow, without np.asarray's detour."""
    w, h = img.size
    return np.frombuffer(img.tobytes(), dtype=np.uint8).reshape(h, w)


def by_size(grays: list[Image.Image]) -> dict[tuple[int, int], list[int]]:
    groups: dict[tuple[int, int], list[int]] = {}
    for k, g in enumerate(grays):
        groups.setdefault(g.size, []).append(k)
    return groups


def stacks(grays: list[Image.Image], groups: dict[tuple[int, int], list[int]]) -> dict[tuple[int, int], NDArray[np.uint8]]:
    """The pixels of each size's images as one (m, h, w) array: pasted into one image and copied out of Pillow
    once (a copy out per image costs more than the paste)."""
    out = {}
    for (w, h), which in groups.items():
        sheet = Image.new("L", (w, h * len(which)))
        for j, k in enumerate(which):
            sheet.im.paste(grays[k].im, (0, h * j, w, h * (j + 1)))
        out[w, h] = pixels(sheet).reshape(len(which), h, w)
    return out


def facts_many(grays: list[Image.Image], groups: dict[tuple[int, int], list[int]],
               stacked: dict[tuple[int, int], NDArray[np.uint8]]) -> list[Facts]:
    """Facts of each image, computed over the stacks of same-sized images."""
    out: list[Facts] = [Facts([], 0.0, 0.0, 0.0)] * len(grays)
    detail, whole = _details_many(grays, groups, stacked)
    for size, which in groups.items():
        a = stacked[size]
        n, h, w = a.shape
        rows = a.max(axis=2) - a.min(axis=2) <= 2 * views._UNIFORM_TOL   # views._uniform, all at once
        columns = a.max(axis=1) - a.min(axis=1) <= 2 * views._UNIFORM_TOL
        sharp = originals.abs_laplacian_sums(a.astype(np.int16)) if h >= 3 and w >= 3 else None
        flat = flatness_many(a)
        spread = spreads(a) if sharp is not None else []
        measured = [j for j, k in enumerate(which) if k in whole]
        if measured and sharp is not None:  # detail crops that are these whole images: their fine sums are the sharpness ones
            for j, value in zip(measured, originals.details(a[measured], sharp[measured]), strict=True):
                detail[which[j]] = value
        fixed = views.boxes_of(a[0], np.zeros(h, bool), np.zeros(w, bool))  # square, c90, c70: by size alone
        plain = _untrimmed(rows, columns)
        for j, k in enumerate(which):
            boxes = [fixed[0], fixed[1], fixed[2], fixed[3]] if plain[j] else views.boxes_of(a[j], rows[j], columns[j])
            sharpness = 0.0 if sharp is None else float(sharp[j]) / ((h - 2) * (w - 2)) / (spread[j] + 1.0)
            out[k] = Facts(boxes, sharpness, flat[j], detail[k], spread[j] if spread else None)
    return out


def _untrimmed(rows: NDArray[np.bool_], columns: NDArray[np.bool_]) -> NDArray[np.bool_]:
    """Which images' trim box is surely the whole image (views._trim), decided for the stack at once.

    views._edge_run gives 0 when the first gap + 1 rows are none of them uniform (the first run of non-uniform
    rows is longer than the gap, or reaches the end): no top bar. So an image with no uniform row among its
    first and last gap + 1 rows, and no uniform column among its first and last gap + 1 columns, keeps
    (0, 0, w, h), as a photo does; any other image is trimmed one by one, as defined."""
    h, w = rows.shape[1], columns.shape[1]
    gh, gw = max(1, round(h * views._GAP_SHARE)) + 1, max(1, round(w * views._GAP_SHARE)) + 1
    edges = np.concatenate([rows[:, :gh], rows[:, -gh:], columns[:, :gw], columns[:, -gw:]], axis=1)
    return np.asarray(~edges.any(axis=1))


def spreads(a: NDArray[np.uint8]) -> list[float]:
    """np.std of each image of an (n, h, w) stack in float64 (originals.sharpness_of's spread). For a pixel count
    that is a power of two up to 4096 (64x64 thumbnails and tiles) all at once, by stack_std's argument: every
    sum is exact, so the order of the additions cannot change the value. Other sizes one by one, as defined."""
    m = a.shape[1] * a.shape[2]
    if m & (m - 1) == 0 and m <= 4096:
        return stack_std(a.astype(np.float64))
    return [float(x.astype(np.float64).std()) for x in a]


def stack_std(t64: NDArray[np.float64]) -> list[float]:
    """float(t.std()) of each (h, w) image of integers 0..255 of a stack, h * w = 2**k <= 4096, all at once: the
    same value to the last bit.

    For 64x64, the mean is a multiple of 2**-12 and each squared deviation a multiple of 2**-24 below 2**16, so
    their sum (below 2**28) is exact in float64 whatever the order of the additions. The same holds for
    any image of 2**k <= 4096 pixels (the mean a multiple of 2**-k, the sum below 2**(16 + k))."""
    m = t64.shape[1] * t64.shape[2]
    mean = t64.sum(axis=(1, 2)) / m
    dev = t64 - mean[:, None, None]
    return [float(v) for v in np.sqrt((dev * dev).sum(axis=(1, 2)) / m)]


def _details_many(grays: list[Image.Image], groups: dict[tuple[int, int], list[int]],
                  stacked: dict[tuple[int, int], NDArray[np.uint8]]) -> tuple[list[float], set[int]]:
    """The detail fact of each image: as core/decode.py measured it, or measured here, over stacks of crops of one
    size, when it left the pixels to measure (an Image under DETAIL_KEY: the decoded pixels before turning).
    Crops that are a whole image of the batch are left to facts_many, which measures them with that image's
    own sums (their keys are returned)."""
    out = [0.0] * len(grays)
    where = {k: (size, j) for size, which in groups.items() for j, k in enumerate(which)}
    crops: list[NDArray[np.uint8]] = []
    pending: list[int] = []
    whole: set[int] = set()
    for k, gray in enumerate(grays):
        value = gray.info.get(originals.DETAIL_KEY, 0.0)
        if not isinstance(value, Image.Image):
            out[k] = float(value)
            continue
        size, j = where[k]
        own = stacked[size][j] if value is gray else pixels(value)
        crop = originals.detail_crop(own)
        if value is gray and crop.shape == own.shape:
            whole.add(k)
        else:
            crops.append(crop)
            pending.append(k)
    for same in _by_shape(crops):
        for j, value in zip(same, originals.details(np.stack([crops[j] for j in same])), strict=True):
            out[pending[j]] = value
    return out, whole


def _by_shape(arrays: list[NDArray[np.uint8]]) -> list[list[int]]:
    groups: dict[tuple[int, ...], list[int]] = {}
    for k, a in enumerate(arrays):
        groups.setdefault(a.shape, []).append(k)
    return list(groups.values())


def flatness_many(a: NDArray[np.uint8]) -> list[float]:
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
