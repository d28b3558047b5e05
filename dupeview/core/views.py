"""Layout-robust fingerprints from the one decode: pHashes of derived views (cropped and straightened) and finer 256-bit hashes.

A centre crop, a 5 % border crop, a caption bar, an app's screenshot frame, letterbox
bars, a corner sticker or straightening by a few degrees move a photo's 64-bit pHash 10-30
bits; one of these views of the copy or of the original lines up with the other image again
(benchmarks/accuracy.py --generated). The 256-bit hashes of the same views are what
core/verify.py confirms with.
"""

from __future__ import annotations

import functools
import math
from typing import Final

import numpy as np
from numpy.typing import NDArray
from PIL import Image

from dupeview.core import fingerprint, originals

# Stored order; core/verify.py pairs them up by these indices.
VIEWS: Final = ("square", "trim", "c90", "c70", "rot+", "rot-")
FINE_VIEWS: Final = ("full", *VIEWS)
FINE_WORDS: Final = 4  # 256 bits
FINE_END: Final = len(VIEWS) + len(FINE_VIEWS) * FINE_WORDS
# Then core/originals.py's facts (colour, full frame, JPEG quality, sharpness).
N_WORDS: Final = FINE_END + originals.FACT_WORDS
VIEW_BYTES: Final = N_WORDS * 8

_RESAMPLE = Image.Resampling.HAMMING
# Rows 0..15 of the unnormalised DCT-II of 64 samples: the 16x16 lowest frequencies.
_DCT16: Final = 2.0 * np.cos(np.pi * np.arange(16)[:, None] * (2 * np.arange(64)[None, :] + 1) / 128)
# A bar is rows whose pixels are nearly one grey (95 % within +-10 levels), with text lines
# of at most a tenth of the image between them; a trim that would leave under a quarter is no trim.
_UNIFORM_TOL: Final = 10
_UNIFORM_SHARE: Final = 0.95
_GAP_SHARE: Final = 0.10
_KEEP_AT_LEAST: Final = 0.25
# Straightened copies: a photo turned by 1-5 degrees either way and cropped to the largest
# rectangle without corners. The original turned by +-3 degrees and cropped the same way is
# within 2 degrees of any of them, which keeps the pHash within 8 bits (benchmarks/accuracy.py
# --generated: 32 of 32 on four seeds, against 18 of 32 for the plain views).
_STRAIGHTEN_DEGREES: Final = 3.0
# Page-like: this share of pixels within +-4 grey levels of the commonest one (a flat background).
_FLAT_BAND: Final = 4
# Up to this many rows the bar finder goes row by row (fewer numpy calls); above, over the runs at once.
_ROW_BY_ROW: Final = 256


def _uniform(a: NDArray[np.uint8]) -> NDArray[np.bool_]:
    """Rows whose pixels are all nearly one grey (a row's median costs 10x more than its min and max)."""
    return np.asarray(a.max(axis=1) - a.min(axis=1) <= 2 * _UNIFORM_TOL)


def _edge_run(uniform: NDArray[np.bool_], gap: int) -> int:
    """How many leading rows are a bar: uniform rows, with non-uniform stretches of at most `gap` between.

    That is where the first stretch of non-uniform rows longer than `gap`, or reaching the end, begins
    (all rows when there is none). A photo's first row is rarely uniform, so row by row that is found
    after gap + 1 rows, in a few microseconds; a long page of mostly uniform rows goes over the runs at once.
    """
    n = len(uniform)
    if n > _ROW_BY_ROW:
        return _edge_run_runs(uniform, gap)
    rows = uniform.tolist()
    k = 0
    while k < n:
        if rows[k]:
            k += 1
            continue
        end = k
        while end < n and not rows[end] and end - k <= gap:
            end += 1
        if end - k > gap or end == n:
            return k
        k = end
    return n


def _edge_run_runs(uniform: NDArray[np.bool_], gap: int) -> int:
    """_edge_run over the runs at once (numpy), not row by row."""
    n = len(uniform)
    edges = np.flatnonzero(np.diff(np.concatenate(([False], ~np.asarray(uniform, dtype=bool), [False])).view(np.int8)))
    starts, ends = edges[0::2], edges[1::2]
    breaking = np.flatnonzero((ends - starts > gap) | (ends == n))
    return int(starts[breaking[0]]) if breaking.size else n


def trim_box(gray: Image.Image) -> tuple[int, int, int, int]:
    """The box left after removing uniform borders and bars (captions, letterboxes, app frames)."""
    return _trim(np.asarray(gray, dtype=np.uint8))   # max - min of a row never goes below 0: no wider type needed


def _trim(a: NDArray[np.uint8], rows: NDArray[np.bool_] | None = None,
          columns: NDArray[np.bool_] | None = None) -> tuple[int, int, int, int]:
    """trim_box of a mode-'L' image's (h, w) pixels; rows and columns: _uniform of them, if already known
    (columns of all rows: used only when no rows are trimmed)."""
    h, w = a.shape
    rows = _uniform(a) if rows is None else rows
    top = _edge_run(rows, max(1, round(h * _GAP_SHARE)))
    bottom = _edge_run(rows[::-1], max(1, round(h * _GAP_SHARE)))
    if h - top - bottom < h * _KEEP_AT_LEAST:
        return 0, 0, w, h
    if columns is None or top or bottom:
        columns = _uniform(a[top:h - bottom].T)
    left = _edge_run(columns, max(1, round(w * _GAP_SHARE)))
    right = _edge_run(columns[::-1], max(1, round(w * _GAP_SHARE)))
    if w - left - right < w * _KEEP_AT_LEAST:
        left = right = 0
    return left, top, w - right, h - bottom


def derived(gray: Image.Image) -> list[Image.Image]:
    """The cropped VIEWS of a mode-'L' image (square, trim, c90, c70), in order."""
    return [gray.crop(box) for box in _boxes(gray)]


def _boxes(gray: Image.Image) -> list[tuple[int, int, int, int]]:
    """The crop boxes of the VIEWS cut from the image (square, trim, c90, c70)."""
    return boxes_of(np.asarray(gray, dtype=np.uint8))


def boxes_of(a: NDArray[np.uint8], rows: NDArray[np.bool_] | None = None,
             columns: NDArray[np.bool_] | None = None) -> list[tuple[int, int, int, int]]:
    """_boxes of a mode-'L' image's (h, w) pixels (rows, columns: as _trim takes them)."""
    h, w = a.shape
    s = min(w, h)
    out = [((w - s) // 2, (h - s) // 2, (w - s) // 2 + s, (h - s) // 2 + s), _trim(a, rows, columns)]
    for share in (0.9, 0.7):
        dx, dy = round(w * (1 - share) / 2), round(h * (1 - share) / 2)
        out.append((dx, dy, w - dx, h - dy))
    return out


def straightened_thumb(t64: NDArray[np.float64], width: int, height: int, degrees: float) -> NDArray[np.float64]:
    """The 64x64 thumbnail of the image turned by `degrees` and cropped to its largest uncornered same-shape rectangle.

    Sampled from the whole image's 64x64 thumbnail (already reduced, so no aliasing) by one
    affine map: the turn is about the centre in the image's own proportions, not the square
    thumbnail's. About 15 microseconds.
    """
    src = Image.fromarray(np.asarray(t64, dtype=np.uint8), "L")
    out = src.transform((fingerprint.THUMB, fingerprint.THUMB), Image.Transform.AFFINE,
                        straighten_coeffs(width, height, degrees), Image.Resampling.BILINEAR)
    return np.asarray(out, dtype=np.float64)


@functools.lru_cache(maxsize=4096)  # a library has few image sizes: the trigonometry once per size
def straighten_coeffs(width: int, height: int, degrees: float) -> tuple[float, float, float, float, float, float]:
    """The affine map (Pillow's AFFINE data) of straightened_thumb."""
    a = math.radians(abs(degrees))
    k = min(width / (width * math.cos(a) + height * math.sin(a)), height / (width * math.sin(a) + height * math.cos(a)))
    c, s = k * math.cos(math.radians(degrees)), k * math.sin(math.radians(degrees))
    aspect = width / max(1, height)
    ax, bx, dy, ey = c, -s / aspect, s * aspect, c
    half = fingerprint.THUMB / 2
    return ax, bx, half - half * (ax + bx), dy, ey, half - half * (dy + ey)


def _above_median(x: NDArray[np.float64]) -> NDArray[np.bool_]:
    """(k, m) values -> bits set where above their row's median (an even m, as np.median gives)."""
    m = x.shape[1]
    s = np.sort(x, axis=1)
    return np.asarray(x > ((s[:, m // 2 - 1] + s[:, m // 2]) / 2)[:, None])


def _words(bits: NDArray[np.bool_]) -> NDArray[np.uint64]:
    """(k, 64*w) bits -> (k, w) uint64, first bit most significant (as core/fingerprint.py packs)."""
    return np.packbits(bits, axis=1).view(">u8").astype(np.uint64)


def flatness(gray: Image.Image) -> float:
    """Share of pixels within a few grey levels of the commonest: high for text on a flat page."""
    hist = np.array(gray.histogram()[:256], dtype=np.int64)   # Pillow counts in C, without a copy of the pixels
    band = np.convolve(hist, np.ones(2 * _FLAT_BAND + 1), "same")
    return float(band.max() / max(1, hist.sum()))


def compute(gray: Image.Image, full64: NDArray[np.float64]) -> tuple[NDArray[np.uint64], float]:
    """(N_WORDS,) uint64: the VIEWS' 64-bit pHashes, then 256-bit pHashes of FINE_VIEWS; and the flatness.

    full64: the 64x64 thumbnail of the whole image core/fingerprint.py already made. The 64-bit
    pHash of a view is computed as core/fingerprint.py computes the whole image's, so they compare.
    """
    size = (fingerprint.THUMB, fingerprint.THUMB)
    boxes = _boxes(gray)
    w, h = gray.size
    # resize(box=...) reads the box straight from the image: no cropped copy is made.
    cut = [np.asarray(gray.resize(size, _RESAMPLE, box=box), dtype=np.float64) for box in boxes]
    turned = [straightened_thumb(full64, w, h, sign * _STRAIGHTEN_DEGREES) for sign in (1, -1)]
    thumbs = np.stack([full64, *cut, *turned])
    p32 = np.rint(fingerprint._ROWS32 @ thumbs[1:] @ fingerprint._ROWS32.T)
    low8 = (fingerprint._DCT8 @ p32 @ fingerprint._DCT8.T).reshape(len(VIEWS), 64)
    low16 = (_DCT16 @ thumbs @ _DCT16.T).reshape(len(FINE_VIEWS), 256)
    colour, quality = gray.info.get(originals.SOURCE_KEY, (False, originals.LOSSLESS))
    facts = originals.pack(colour, boxes[1] == (0, 0, w, h), quality, originals.sharpness(gray),
                           gray.info.get(originals.DETAIL_KEY, 0.0))
    out = np.concatenate([_words(_above_median(low8)).ravel(), _words(_above_median(low16)).ravel(), facts])
    return out, flatness(gray)
