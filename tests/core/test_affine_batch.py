"""core/affine_batch.py gives Pillow's own pixels for its BILINEAR affine transform, bit for bit, for whole stacks."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from dupeview.core import affine_batch, views
from tests.images import photo

pytestmark = pytest.mark.skipif(not affine_batch.EXACT, reason="the numpy path is used on x86-64 only")


def pillow(stack: np.ndarray, size: tuple[int, int], maps: tuple[affine_batch.Coeffs, ...]) -> np.ndarray:
    return np.stack([np.stack([np.asarray(Image.fromarray(a, "L").transform(size, Image.Transform.AFFINE, c,
                                                                               Image.Resampling.BILINEAR))
                               for c in maps]) for a in stack])


def stacks(h: int, w: int) -> list[np.ndarray]:
    """Noise, black-and-white noise (big steps between neighbours), flat, ramps and photos of one size."""
    rng = np.random.default_rng(h * 1000 + w)
    photos = np.stack([np.asarray(photo(k, (w, h)).convert("L")) for k in range(3)])
    ramp = np.broadcast_to((np.arange(w) * 255 // max(1, w - 1)).astype(np.uint8), (h, w))
    return [rng.integers(0, 256, (5, h, w), dtype=np.uint8),
            np.where(rng.random((4, h, w)) < 0.5, 0, 255).astype(np.uint8),
            np.stack([np.full((h, w), v, np.uint8) for v in (0, 1, 128, 254, 255)]),
            np.stack([ramp, ramp.T[:h, :w] if h == w else ramp[::-1], ramp[:, ::-1]]),
            photos]


@pytest.mark.parametrize("w, h", [(64, 64), (64, 48), (48, 64), (4000, 3), (3, 97), (1, 1), (641, 480)])
def test_the_straightened_views_maps_give_pillows_pixels(w: int, h: int) -> None:
    maps = tuple(views.straighten_coeffs(w, h, d) for d in (3.0, -3.0, 7.5, -0.25))
    plan = affine_batch.plan(64, 64, (64, 64), maps)
    assert plan is not None
    for stack in stacks(64, 64):
        assert np.array_equal(affine_batch.apply(stack, plan), pillow(stack, (64, 64), maps))


@pytest.mark.parametrize("w, h, size", [(30, 50, (64, 64)), (50, 30, (20, 10)), (2, 2, (7, 5)), (97, 13, (64, 64))])
def test_other_sizes_and_maps_that_leave_the_image(w: int, h: int, size: tuple[int, int]) -> None:
    """Maps that read outside the image (filled with 0), shrink, enlarge, shear and shift by fractions."""
    maps: tuple[affine_batch.Coeffs, ...] = (
        (1.0, 0.0, 0.0, 0.0, 1.0, 0.0), (0.5, 0.0, 0.25, 0.0, 0.5, 0.75), (2.5, 0.3, -4.0, -0.2, 1.7, 3.3),
        (0.96, -0.28, 9.1, 0.28, 0.96, -7.3), (-1.0, 0.0, w - 0.5, 0.0, 1.0, 0.5), (1.1, 0.0, -0.5, 0.0, 0.9, h / 3))
    plan = affine_batch.plan(w, h, size, maps)
    assert plan is not None
    for stack in stacks(h, w):
        assert np.array_equal(affine_batch.apply(stack, plan), pillow(stack, size, maps))


def test_many_random_maps_on_noise() -> None:
    rng = np.random.default_rng(7)
    for _ in range(40):
        w, h = (int(v) for v in rng.integers(1, 120, 2))
        maps = tuple(tuple(float(v) for v in row) for row in rng.normal(0, 1.5, (2, 6)) + [1, 0, 0, 0, 1, 0])
        plan = affine_batch.plan(w, h, (64, 64), maps)  # type: ignore[arg-type]
        assert plan is not None
        stack = rng.integers(0, 256, (3, h, w), dtype=np.uint8)
        assert np.array_equal(affine_batch.apply(stack, plan), pillow(stack, (64, 64), maps))  # type: ignore[arg-type]
