"""Pillow's BILINEAR affine transform of 8-bit grey images, for a stack of same-sized images at once: Pillow's pixels.

The straightened views (core/views.py) are two such transforms of each 64x64 thumbnail. On small files
Pillow's per-call cost (its Image objects, the copies in and out) is half of it; here a batch's images
of one size go through one set of numpy operations (about half the time of two Pillow calls each).

It follows libImaging/Geometry.c step for step: affine_transform gives each output pixel's source
position in double (x + 0.5 and y + 0.5 mapped by the six coefficients), bilinear_filter8 tests it
against the image, takes its floor and fractions, reads the four neighbours (clamped at the edges, the
row below replaced by the row itself past the bottom) and interpolates three times in double, and the
result is truncated to 8 bits; outside the image the pixel is 0. The positions depend only on the
image size and the coefficients, so they are computed once; the interpolation is elementwise IEEE
double arithmetic in the same order as Pillow's, so the results are the same to the last bit
(tests/core/test_affine_batch.py holds them to Pillow on noise, photos and edge cases).

That needs Pillow's C to do plain double arithmetic: true of x86-64 builds for its baseline instruction
set (no fused multiply-add to contract the position's products into), which the wheels are. Elsewhere
(EXACT False) callers use Pillow itself. As a last guard, each size and map is checked once per process
against Pillow on a noise image before it is used.
"""

from __future__ import annotations

import functools
import platform
from typing import Final

import numpy as np
from numpy.typing import NDArray
from PIL import Image

EXACT: Final = platform.machine().lower() in ("x86_64", "amd64")
Coeffs = tuple[float, float, float, float, float, float]
# Images whose interpolation runs at once: (4 neighbours x 8,192 pixels) x 8 bytes each, 4 MB at most.
_CHUNK: Final = 16


class Plan:
    """Where each output pixel of one or more maps reads (four flat source indices) and with which fractions."""

    def __init__(self, width: int, height: int, size: tuple[int, int], maps: tuple[Coeffs, ...]) -> None:
        parts = [_positions(width, height, size, c) for c in maps]
        self.size, self.count, self.shape = size, len(maps), (height, width)
        # (4 * m,): p00s, p01s, p10s, p11s; in the smallest type that holds them (a plan is kept per image size).
        index = np.concatenate([p[0] for p in parts], axis=1).ravel()
        self.index: NDArray[np.uint16] | NDArray[np.intp] = (
            index.astype(np.uint16) if width * height <= 1 << 16 else index)
        self.dx = np.concatenate([p[1] for p in parts])
        self.dy = np.concatenate([p[2] for p in parts])
        self.inside = np.concatenate([p[3] for p in parts])
        self.outside = np.flatnonzero(~self.inside)  # where the output is the fill, 0


def _positions(width: int, height: int, size: tuple[int, int],
               coeffs: Coeffs) -> tuple[NDArray[np.intp], NDArray[np.float64], NDArray[np.float64], NDArray[np.bool_]]:
    """affine_transform and the head of bilinear_filter8 for every output pixel, row by row."""
    a0, a1, a2, a3, a4, a5 = coeffs
    ys, xs = np.mgrid[0:size[1], 0:size[0]]
    xin, yin = xs.ravel() + 0.5, ys.ravel() + 0.5
    xx = a0 * xin + a1 * yin + a2   # (a0 * xin + a1 * yin) + a2, as C evaluates it
    yy = a3 * xin + a4 * yin + a5
    inside = (xx >= 0.0) & (xx < width) & (yy >= 0.0) & (yy < height)
    xx, yy = xx - 0.5, yy - 0.5
    x, y = np.floor(xx), np.floor(yy)
    dx, dy = xx - x, yy - y
    xi, yi = x.astype(np.intp), y.astype(np.intp)
    x0, x1 = np.clip(xi, 0, width - 1), np.clip(xi + 1, 0, width - 1)
    row0 = np.clip(yi, 0, height - 1)
    # Past the last row Pillow takes v2 = v1; reading the same row twice gives exactly that.
    row1 = np.where((yi + 1 >= 0) & (yi + 1 < height), yi + 1, row0)
    index = np.stack([row0 * width + x0, row0 * width + x1, row1 * width + x0, row1 * width + x1])
    return index, dx, dy, inside


def apply(stack: NDArray[np.uint8], plan: Plan) -> NDArray[np.uint8]:
    """Each map of the plan applied to each (h, w) image of an (n, h, w) stack: (n, maps, size[1], size[0]).

    The arithmetic runs on _CHUNK images at a time, in place in one buffer that stays in the CPU's cache:
    over the whole batch at once its temporaries (16 MB for 64 thumbnails) made it twice as slow."""
    n = stack.shape[0]
    m = plan.dx.shape[0]
    g = np.take(stack.reshape(n, -1), plan.index, axis=1).reshape(n, 4, m)
    out = np.empty((n, m), dtype=np.uint8)
    buffer = np.empty((min(n, _CHUNK), 4, m))
    for start in range(0, n, _CHUNK):
        stop = min(n, start + _CHUNK)
        f = buffer[:stop - start]
        f[...] = g[start:stop]
        p00, p01, p10, p11 = f[:, 0], f[:, 1], f[:, 2], f[:, 3]
        p01 -= p00   # BILINEAR(v1, in[x0], in[x1], dx): in[x0] + (in[x1] - in[x0]) * dx, in place
        p01 *= plan.dx
        p01 += p00
        p11 -= p10
        p11 *= plan.dx
        p11 += p10
        p11 -= p01   # BILINEAR(v1, v1, v2, dy)
        p11 *= plan.dy
        p11 += p01
        # (UINT8)v: truncation, and v is never negative (a convex mix of 0..255, rounded monotonically).
        out[start:stop] = p11
    out[:, plan.outside] = 0  # outside the image: the fill
    return out.reshape(n, plan.count, plan.size[1], plan.size[0])


@functools.lru_cache(maxsize=64)  # a library has few image sizes; a plan of 2 maps to 64x64 takes about 200 KB
def plan(width: int, height: int, size: tuple[int, int], maps: tuple[Coeffs, ...]) -> Plan | None:
    """The plan of these maps on images of this size, or None where it is not known to give Pillow's pixels."""
    if not EXACT:
        return None
    found = Plan(width, height, size, maps)
    probe = np.random.default_rng(width * 7919 + height).integers(0, 256, (1, height, width), dtype=np.uint8)
    source = Image.fromarray(probe[0], "L")
    theirs = np.stack([np.asarray(source.transform(size, Image.Transform.AFFINE, c, Image.Resampling.BILINEAR))
                       for c in maps])
    return found if np.array_equal(theirs, apply(probe, found)[0]) else None
