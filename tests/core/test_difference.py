"""The difference image of the compare view: zero for the same picture, bright where an edit is."""

from __future__ import annotations

import numpy as np
import pytest

from dupeview.core.difference import difference


def test_the_same_picture_has_no_difference_and_an_edit_shows_where_it_is():
    rng = np.random.default_rng(0)
    a = rng.integers(0, 256, (60, 80, 3), dtype=np.uint8)
    same = difference(a, a.copy())
    assert same.mean == 0.0 and same.changed == 0.0 and not same.image.any()
    b = a.copy()
    b[10:20, 30:40] = 255 - b[10:20, 30:40]
    d = difference(a, b)
    assert d.changed == pytest.approx(100 / (60 * 80), abs=0.01)
    assert d.image[10:20, 30:40].mean() > 100 and not d.image[30:, :].any()
    small = difference(a, np.clip(a.astype(np.int16) + 3, 0, 255).astype(np.uint8))
    assert 0 < small.mean < 0.02 and small.changed == 0.0 and small.image.max() >= 12   # amplified to be seen


def test_pictures_of_different_shapes_are_refused():
    with pytest.raises(ValueError):
        difference(np.zeros((4, 4, 3), np.uint8), np.zeros((4, 5, 3), np.uint8))
