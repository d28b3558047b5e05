"""A batch's facts (core/facts_batch.py) are the one-image definitions' values: trim boxes decided for a stack at
once around the edge of the bar finder's gap, and detail measured with the sharpness sums of the same pixels."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from dupeview.core import facts_batch, originals, views


def _with_uniform(base: np.ndarray, rows: tuple[int, ...] = (), columns: tuple[int, ...] = ()) -> np.ndarray:
    a = base.copy()
    for r in rows:
        a[r, :] = 77
    for c in columns:
        a[:, c] = 200
    return a


@pytest.mark.parametrize("w, h", [(64, 64), (64, 48), (48, 64), (300, 40), (9, 200), (3, 3), (2, 5)])
def test_trim_boxes_of_a_stack_are_those_of_each_image(w: int, h: int) -> None:
    rng = np.random.default_rng(w * h)
    gh, gw = max(1, round(h * views._GAP_SHARE)), max(1, round(w * views._GAP_SHARE))
    base = rng.integers(0, 256, (h, w), dtype=np.uint8)
    picks = {0, gh - 1, gh, gh + 1, h - 1, h - 1 - gh, h - gh, h - 2 - gh}
    cols = {0, gw - 1, gw, gw + 1, w - 1, w - 1 - gw, w - gw, w - 2 - gw}
    arrays = [base, rng.integers(0, 256, (h, w), dtype=np.uint8)]
    arrays += [_with_uniform(base, rows=(r,)) for r in sorted(picks) if 0 <= r < h]
    arrays += [_with_uniform(base, columns=(c,)) for c in sorted(cols) if 0 <= c < w]
    arrays += [_with_uniform(base, rows=tuple(range(min(h, gh + 2))))]                     # a top bar
    arrays += [_with_uniform(base, rows=(0, 2), columns=(w - 1,)), np.full((h, w), 9, np.uint8)]
    grays = [Image.fromarray(a) for a in arrays]
    groups = facts_batch.by_size(grays)
    stacked = facts_batch.stacks(grays, groups)
    found = facts_batch.facts_many(grays, groups, stacked)
    for a, facts in zip(arrays, found, strict=True):
        assert facts.boxes == views.boxes_of(a)
        assert facts.sharpness == originals.sharpness_of(a)
        assert facts.flatness == views.flatness(Image.fromarray(a))


@pytest.mark.parametrize("w, h", [(64, 64), (100, 75), (256, 256), (300, 200), (17, 40)])
def test_detail_of_a_stack_is_that_of_each_image(w: int, h: int) -> None:
    """Left to be measured (the decoded pixels under DETAIL_KEY): crops that are the whole image share its sums."""
    rng = np.random.default_rng(h)
    arrays = [rng.integers(0, 256, (h, w), dtype=np.uint8) for _ in range(3)]
    smooth = np.asarray(Image.fromarray(arrays[0]).resize((max(1, w // 4), max(1, h // 4))).resize((w, h)))
    arrays.append(np.ascontiguousarray(smooth))
    grays = [Image.fromarray(a) for a in arrays]
    for g in grays:
        g.info[originals.DETAIL_KEY] = g
    other = Image.fromarray(arrays[1])
    turned = other.transpose(Image.Transpose.ROTATE_90)  # an EXIF-turned file: measured on the pixels before turning
    turned.info[originals.DETAIL_KEY] = other
    grays.append(turned)
    groups = facts_batch.by_size(grays)
    found = facts_batch.facts_many(grays, groups, facts_batch.stacks(grays, groups))
    assert [f.detail for f in found] == [originals.detail_of(a) for a in arrays] + [originals.detail_of(arrays[1])]
