"""Perceptual fingerprints (imagehash's pHash, dHash, aHash, wHash) of one image in its 8 orientations."""

from __future__ import annotations

from typing import Final

import numpy as np
from numpy.typing import NDArray
from PIL import Image

ALGORITHMS: Final = ("phash", "dhash", "ahash", "whash")
# The 8 symmetries of a square: index 0 is the image as shown; the rest are what the
# image would hash to if it had been rotated or mirrored. Order matters: it is stored.
TRANSFORMS: Final = ("identity", "mirror", "flip", "rot180", "transpose", "rot90", "rot270", "transverse")
N_TRANSFORMS: Final = len(TRANSFORMS)
HASH_BYTES: Final = len(ALGORITHMS) * N_TRANSFORMS * 8

_RESAMPLE = Image.Resampling.LANCZOS  # imagehash's ANTIALIAS
# Rows 0..7 of the unnormalised DCT-II matrix scipy.fftpack.dct uses: 2*cos(pi*k*(2n+1)/2N).
_N = 32
_DCT8: Final = 2.0 * np.cos(np.pi * np.arange(8)[:, None] * (2 * np.arange(_N)[None, :] + 1) / (2 * _N))


def _dihedral(x: NDArray[np.float64]) -> NDArray[np.float64]:
    """The 8 orientations of a square array, stacked in TRANSFORMS order."""
    t = x.T
    return np.stack([x, x[:, ::-1], x[::-1, :], x[::-1, ::-1], t, t[::-1, :], t[:, ::-1], t[::-1, ::-1]])


def _pack(bits: NDArray[np.bool_]) -> NDArray[np.uint64]:
    """(8, 8, 8) booleans -> 8 uint64, first bit most significant, as imagehash's hex strings read."""
    packed = np.packbits(bits.reshape(N_TRANSFORMS, 64), axis=1)
    return packed.view(">u8").reshape(N_TRANSFORMS).astype(np.uint64)


def _small(gray: Image.Image, size: tuple[int, int]) -> NDArray[np.float64]:
    return np.asarray(gray.resize(size, _RESAMPLE), dtype=np.float64)


def compute(gray: Image.Image) -> tuple[NDArray[np.uint64], float]:
    """Fingerprints of a mode-'L' image: a (4, 8) uint64 array (ALGORITHMS x TRANSFORMS) and its contrast.

    Row 0 of each algorithm equals imagehash's own function on the same image (phash,
    dhash, average_hash, whash with image_scale=64); the others are the same hash of the
    image rotated or mirrored, derived from the same small resamples without re-decoding.
    Contrast is the standard deviation of the 32x32 grey levels: nearly flat images have
    hashes made of noise and must not be matched on them.
    """
    out = np.empty((len(ALGORITHMS), N_TRANSFORMS), dtype=np.uint64)

    p = _small(gray, (_N, _N))
    variants = _dihedral(p)
    low = _DCT8 @ variants @ _DCT8.T  # (8, 8, 8): low frequencies of each orientation
    med = np.median(low.reshape(N_TRANSFORMS, 64), axis=1)
    out[0] = _pack(low > med[:, None, None])

    # dHash compares neighbours along rows of a 9x8 resample; for orientations that swap
    # the axes the matching resample of the original is 8 wide and 9 tall.
    wide = _small(gray, (9, 8))
    tall = _small(gray, (8, 9))
    rows = [wide, wide[:, ::-1], wide[::-1, :], wide[::-1, ::-1],
            tall.T, tall.T[::-1, :], tall.T[:, ::-1], tall.T[::-1, ::-1]]
    out[1] = _pack(np.stack([r[:, 1:] > r[:, :-1] for r in rows]))

    a = _dihedral(_small(gray, (8, 8)))
    out[2] = _pack(a > a.mean(axis=(1, 2))[:, None, None])

    # wHash (haar, image_scale 64, max-LL removed) reduces to: mean of each 8x8 block of
    # the 64x64 resample, compared with the median block; the global-mean removal and
    # the haar scaling are monotonic and cancel out in that comparison.
    blocks = _small(gray, (64, 64)).reshape(8, 8, 8, 8).mean(axis=(1, 3))
    w = _dihedral(blocks)
    out[3] = _pack(w > np.median(w.reshape(N_TRANSFORMS, 64), axis=1)[:, None, None])

    return out, float(p.std())


def to_hex(value: int) -> str:
    return f"{int(value):016x}"
