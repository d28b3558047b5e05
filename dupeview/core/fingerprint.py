"""Perceptual fingerprints (imagehash's pHash, dHash, aHash, wHash) of one image in its 8 orientations."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np
from numpy.typing import NDArray
from PIL import Image

ALGORITHMS: Final = ("phash", "dhash", "ahash", "whash")
# The 8 symmetries of a square: index 0 is the image as shown; the rest are what the
# image would hash to if it had been rotated or mirrored. Order matters: it is stored.
TRANSFORMS: Final = ("identity", "mirror", "flip", "rot180", "transpose", "rot90", "rot270", "transverse")
N_TRANSFORMS: Final = len(TRANSFORMS)

_RESAMPLE = Image.Resampling.HAMMING  # 3x cheaper than LANCZOS, as accurate on the corpus (benchmarks/accuracy.py); BOX lost precision
THUMB: Final = 64
# Rows 0..7 of the unnormalised DCT-II matrix scipy.fftpack.dct uses: 2*cos(pi*k*(2n+1)/2N).
_N = 32
_DCT8: Final = 2.0 * np.cos(np.pi * np.arange(8)[:, None] * (2 * np.arange(_N)[None, :] + 1) / (2 * _N))


def _area_matrix(out: int, src: int = THUMB) -> NDArray[np.float64]:
    """(out, src) weights that average src samples into out cells, sharing the straddling ones."""
    edges = np.linspace(0.0, src, out + 1)
    lo, hi = edges[:-1, None], edges[1:, None]
    x = np.arange(src)[None, :]
    overlap = np.clip(np.minimum(hi, x + 1) - np.maximum(lo, x), 0.0, None)
    weights: NDArray[np.float64] = overlap / overlap.sum(axis=1, keepdims=True)
    return weights


_ROWS8, _ROWS9, _ROWS32 = _area_matrix(8), _area_matrix(9), _area_matrix(32)


def _median64(x: NDArray[np.float64]) -> NDArray[np.float64]:
    """Median of each row of (8, 64): what np.median gives, at a third of its overhead."""
    s = np.sort(x.reshape(N_TRANSFORMS, 64), axis=1)
    return (s[:, 31] + s[:, 32]) / 2


def _dihedral(x: NDArray[np.float64]) -> NDArray[np.float64]:
    """The 8 orientations of a square array, stacked in TRANSFORMS order."""
    t = x.T
    return np.stack([x, x[:, ::-1], x[::-1, :], x[::-1, ::-1], t, t[::-1, :], t[:, ::-1], t[::-1, ::-1]])


def _pack(bits: NDArray[np.bool_]) -> NDArray[np.uint64]:
    """(8, 8, 8) booleans -> 8 uint64, first bit most significant, as imagehash's hex strings read."""
    packed = np.packbits(bits.reshape(N_TRANSFORMS, 64), axis=1)
    return packed.view(">u8").reshape(N_TRANSFORMS).astype(np.uint64)


@dataclass(frozen=True)
class Thumbs:
    """The small grey images each hash is computed from, as imagehash would see them (uint8 values)."""

    t64: NDArray[np.float64]   # 64x64 thumbnail: wHash (image_scale=64)
    p32: NDArray[np.float64]   # 32x32: pHash
    a8: NDArray[np.float64]    # 8x8: aHash
    wide: NDArray[np.float64]  # 8 rows x 9 columns: dHash
    tall: NDArray[np.float64]  # 9 rows x 8 columns: dHash of the axis-swapping orientations


def thumbs(gray: Image.Image) -> Thumbs:
    """One box resample to 64x64, then area averages by matrix products: five Pillow resizes cost 5x more."""
    t64 = np.asarray(gray.resize((THUMB, THUMB), _RESAMPLE), dtype=np.float64)
    # Matrix products, not reshape-and-mean: the same averages at a fifth of the cost.
    return Thumbs(
        t64=t64,
        p32=np.rint(_ROWS32 @ t64 @ _ROWS32.T),
        a8=np.rint(_ROWS8 @ t64 @ _ROWS8.T),
        wide=np.rint(_ROWS8 @ t64 @ _ROWS9.T),
        tall=np.rint(_ROWS9 @ t64 @ _ROWS8.T),
    )


def compute(gray: Image.Image, th: Thumbs | None = None) -> tuple[NDArray[np.uint64], float]:
    """Fingerprints of a mode-'L' image: a (4, 8) uint64 array (ALGORITHMS x TRANSFORMS) and its contrast.

    Column 0 of each algorithm equals imagehash's own function (phash, dhash, average_hash,
    whash with image_scale=64) applied to the matching thumbnail of `thumbs()`; the other
    columns are the same hash of the image rotated or mirrored, derived from the same
    thumbnails without re-decoding. Contrast is the standard deviation of the grey levels:
    nearly flat images have hashes made of noise and must not be matched on them.
    """
    th = th or thumbs(gray)
    out = np.empty((len(ALGORITHMS), N_TRANSFORMS), dtype=np.uint64)

    low = _DCT8 @ _dihedral(th.p32) @ _DCT8.T  # (8, 8, 8): low frequencies of each orientation
    out[0] = _pack(low > _median64(low)[:, None, None])

    # dHash compares neighbours along rows of a 9-wide, 8-tall image; for orientations that
    # swap the axes the matching resample of the original is 8 wide and 9 tall.
    wide, tall = th.wide, th.tall.T
    rows = np.stack([wide, wide[:, ::-1], wide[::-1, :], wide[::-1, ::-1],
                     tall, tall[::-1, :], tall[:, ::-1], tall[::-1, ::-1]])
    out[1] = _pack(rows[:, :, 1:] > rows[:, :, :-1])

    a = _dihedral(th.a8)
    out[2] = _pack(a > a.mean(axis=(1, 2))[:, None, None])

    # wHash (haar, image_scale 64, max-LL removed) reduces to: mean of each 8x8 block of
    # the 64x64 thumbnail, compared with the median block; the global-mean removal and
    # the haar scaling are monotonic and cancel out in that comparison.
    w = _dihedral(_ROWS8 @ th.t64 @ _ROWS8.T)
    out[3] = _pack(w > _median64(w)[:, None, None])

    return out, float(th.t64.std())


def to_hex(value: int) -> str:
    return f"{int(value):016x}"
