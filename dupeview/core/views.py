"""Layout-robust fingerprints from the one decode: pHashes of derived views (square, trimmed, central) and finer 256-bit hashes.

A centre crop, a 5 % border crop, a caption bar, an app's screenshot frame, letterbox
bars or a corner sticker move a photo's 64-bit pHash 10-30 bits; one of these views of the
copy or of the original lines up with the other image again (benchmarks/accuracy.py
--generated). The 256-bit hashes of the same views are what core/verify.py confirms with.
"""

from __future__ import annotations

from typing import Final

import numpy as np
from numpy.typing import NDArray
from PIL import Image

from dupeview.core import fingerprint

# Stored order; core/verify.py pairs them up by these indices.
VIEWS: Final = ("square", "trim", "c90", "c70")
FINE_VIEWS: Final = ("full", *VIEWS)
FINE_WORDS: Final = 4  # 256 bits
N_WORDS: Final = len(VIEWS) + len(FINE_VIEWS) * FINE_WORDS
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
# Page-like: this share of pixels within +-4 grey levels of the commonest one (a flat background).
_FLAT_BAND: Final = 4


def _edge_run(a: NDArray[np.int16], gap: int) -> int:
    """How many leading rows of `a` are a bar: uniform rows, with non-uniform stretches of at most `gap` between."""
    med = np.median(a, axis=1, keepdims=True)
    uniform = (np.abs(a - med) <= _UNIFORM_TOL).mean(axis=1) >= _UNIFORM_SHARE
    n = len(uniform)
    cut = k = 0
    while k < n:
        if uniform[k]:
            k += 1
            cut = k
            continue
        stretch = k
        while stretch < n and not uniform[stretch]:
            stretch += 1
        if stretch - k > gap or stretch == n:
            break
        k = stretch
    return cut


def trim_box(gray: Image.Image) -> tuple[int, int, int, int]:
    """The box left after removing uniform borders and bars (captions, letterboxes, app frames)."""
    a = np.asarray(gray, dtype=np.int16)
    h, w = a.shape
    top = _edge_run(a, max(1, round(h * _GAP_SHARE)))
    bottom = _edge_run(a[::-1], max(1, round(h * _GAP_SHARE)))
    if h - top - bottom < h * _KEEP_AT_LEAST:
        return 0, 0, w, h
    inner = a[top:h - bottom]
    left = _edge_run(inner.T, max(1, round(w * _GAP_SHARE)))
    right = _edge_run(inner.T[::-1], max(1, round(w * _GAP_SHARE)))
    if w - left - right < w * _KEEP_AT_LEAST:
        left = right = 0
    return left, top, w - right, h - bottom


def derived(gray: Image.Image) -> list[Image.Image]:
    """The VIEWS of a mode-'L' image, in order."""
    w, h = gray.size
    s = min(w, h)
    out = [gray.crop(((w - s) // 2, (h - s) // 2, (w - s) // 2 + s, (h - s) // 2 + s)), gray.crop(trim_box(gray))]
    for share in (0.9, 0.7):
        dx, dy = round(w * (1 - share) / 2), round(h * (1 - share) / 2)
        out.append(gray.crop((dx, dy, w - dx, h - dy)))
    return out


def _bits_to_words(bits: NDArray[np.bool_]) -> NDArray[np.uint64]:
    return np.packbits(bits.ravel()).view(">u8").astype(np.uint64)


def _phash64(t64: NDArray[np.float64]) -> np.uint64:
    """The pHash core/fingerprint.py computes, from the same 64x64 thumbnail: views and full images compare alike."""
    p32 = np.rint(fingerprint._ROWS32 @ t64 @ fingerprint._ROWS32.T)
    low = fingerprint._DCT8 @ p32 @ fingerprint._DCT8.T
    return np.uint64(_bits_to_words(low > np.median(low))[0])


def _phash256(t64: NDArray[np.float64]) -> NDArray[np.uint64]:
    """A 256-bit pHash: the 16x16 lowest DCT frequencies of the 64x64 thumbnail against their median."""
    low = _DCT16 @ t64 @ _DCT16.T
    return _bits_to_words(low > np.median(low))


def _thumb(view: Image.Image) -> NDArray[np.float64]:
    return np.asarray(view.resize((fingerprint.THUMB, fingerprint.THUMB), _RESAMPLE), dtype=np.float64)


def flatness(gray: Image.Image) -> float:
    """Share of pixels within a few grey levels of the commonest: high for text on a flat page."""
    hist = np.bincount(np.asarray(gray, dtype=np.uint8).ravel(), minlength=256)
    band = np.convolve(hist, np.ones(2 * _FLAT_BAND + 1), "same")
    return float(band.max() / max(1, hist.sum()))


def compute(gray: Image.Image, full64: NDArray[np.float64]) -> tuple[NDArray[np.uint64], float]:
    """(N_WORDS,) uint64: the VIEWS' 64-bit pHashes, then 256-bit pHashes of FINE_VIEWS; and the flatness.

    full64: the 64x64 thumbnail of the whole image core/fingerprint.py already made.
    """
    thumbs = [_thumb(v) for v in derived(gray)]
    out = np.empty(N_WORDS, dtype=np.uint64)
    out[:len(VIEWS)] = [_phash64(t) for t in thumbs]
    for k, t in enumerate([full64, *thumbs]):
        start = len(VIEWS) + k * FINE_WORDS
        out[start:start + FINE_WORDS] = _phash256(t)
    return out, flatness(gray)
