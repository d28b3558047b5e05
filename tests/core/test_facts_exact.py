"""The per-file facts computed the fast way equal, to the last bit, their plain float64 definitions: sharpness
(in int16) and flatness (from Pillow's histogram) are stored in the cache, so a faster form must not move them."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from dupeview.core import originals, views
from tests.images import photo


def reference_sharpness(gray: Image.Image) -> float:
    a = np.asarray(gray, dtype=np.float64)
    if a.shape[0] < 3 or a.shape[1] < 3:
        return 0.0
    lap = 4 * a[1:-1, 1:-1] - a[:-2, 1:-1] - a[2:, 1:-1] - a[1:-1, :-2] - a[1:-1, 2:]
    return float(np.abs(lap).mean() / (a.std() + 1.0))


def reference_flatness(gray: Image.Image) -> float:
    hist = np.bincount(np.asarray(gray, dtype=np.uint8).ravel(), minlength=256)
    band = np.convolve(hist, np.ones(2 * views._FLAT_BAND + 1), "same")
    return float(band.max() / max(1, hist.sum()))


def _laplacian(a: np.ndarray) -> float:
    if a.shape[0] < 3 or a.shape[1] < 3:
        return 0.0
    return float(np.abs(4 * a[1:-1, 1:-1] - a[:-2, 1:-1] - a[2:, 1:-1] - a[1:-1, :-2] - a[1:-1, 2:]).mean())


def reference_detail(gray: Image.Image) -> float:
    """originals.detail as first written, in float64."""
    w, h = gray.size
    cw, ch = min(w, 256), min(h, 256)
    a = np.asarray(gray.crop(((w - cw) // 2, (h - ch) // 2, (w - cw) // 2 + cw, (h - ch) // 2 + ch)), dtype=np.float64)
    ch, cw = ch // 2 * 2, cw // 2 * 2
    if ch < 16 or cw < 16:
        return 0.0
    coarse = _laplacian(a[:ch, :cw].reshape(ch // 2, 2, cw // 2, 2).mean(axis=(1, 3)))
    return _laplacian(a) / coarse if coarse > 0 else 0.0


def _images() -> list[Image.Image]:
    rng = np.random.default_rng(7)
    noise = [Image.fromarray(rng.integers(0, 256, tuple(rng.integers(1, 400, 2)), dtype=np.uint8)) for _ in range(40)]
    extremes = [Image.new("L", (w, h), c) for w in (1, 2, 3, 17, 640) for h in (1, 3, 16, 33, 480) for c in (0, 255)]
    checker = Image.fromarray((np.indices((300, 500)).sum(axis=0) % 2 * 255).astype(np.uint8))   # |lap| = 1020
    photos = [photo(k, (w, h)).convert("L") for k, (w, h) in enumerate([(640, 480), (481, 321), (97, 1203), (4000, 3)])]
    return noise + extremes + [checker] + photos


@pytest.mark.parametrize("gray", _images(), ids=lambda g: f"{g.size[0]}x{g.size[1]}")
def test_fast_facts_equal_their_definitions(gray: Image.Image) -> None:
    assert originals.sharpness(gray) == reference_sharpness(gray)
    assert views.flatness(gray) == reference_flatness(gray)
    assert originals.detail(gray) == reference_detail(gray)


def reference_edge_run(uniform: np.ndarray, gap: int) -> int:
    """views._edge_run as first written: row by row."""
    n, cut, k = len(uniform), 0, 0
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


def test_the_bar_finder_equals_its_row_by_row_definition() -> None:
    rng = np.random.default_rng(11)
    for _ in range(20_000):
        uniform = rng.random(int(rng.integers(0, 40))) < rng.random()
        gap = int(rng.integers(1, 6))
        expected = reference_edge_run(uniform, gap)
        assert views._edge_run(uniform, gap) == expected, (uniform.astype(int), gap)
        assert views._edge_run_runs(uniform, gap) == expected, (uniform.astype(int), gap)  # the long-page path
