"""Fingerprints equal imagehash's and their rotated variants equal the hashes of rotated images."""

from __future__ import annotations

import imagehash
import numpy as np
import pytest
from PIL import Image

from dupeview.core.fingerprint import ALGORITHMS, TRANSFORMS, compute, thumbs, to_hex
from tests.images import photo

PIL_TRANSPOSE = {
    "mirror": Image.Transpose.FLIP_LEFT_RIGHT, "flip": Image.Transpose.FLIP_TOP_BOTTOM,
    "rot180": Image.Transpose.ROTATE_180, "transpose": Image.Transpose.TRANSPOSE,
    "rot90": Image.Transpose.ROTATE_90, "rot270": Image.Transpose.ROTATE_270,
    "transverse": Image.Transpose.TRANSVERSE,
}


@pytest.mark.parametrize("seed", range(6))
def test_identity_row_is_imagehash(seed: int) -> None:
    gray = photo(seed, (200 + 17 * seed, 150)).convert("L")
    hashes, _ = compute(gray)
    th = thumbs(gray)

    def img(a: np.ndarray) -> Image.Image:
        return Image.fromarray(a.astype(np.uint8))
    # imagehash, given each thumbnail, resizes it to the size it already has: a no-op.
    expected = [imagehash.phash(img(th.p32)), imagehash.dhash(img(th.wide)), imagehash.average_hash(img(th.a8)),
                imagehash.whash(img(th.t64), image_scale=64)]
    assert [to_hex(hashes[k, 0]) for k in range(len(ALGORITHMS))] == [str(e) for e in expected]


@pytest.mark.parametrize("seed", range(6))
def test_close_to_imagehash_on_the_full_image(seed: int) -> None:
    gray = photo(seed, (400, 300)).convert("L")
    hashes, _ = compute(gray)
    full = [imagehash.phash(gray), imagehash.dhash(gray), imagehash.average_hash(gray), imagehash.whash(gray, image_scale=64)]
    for k, limit in enumerate((4, 12, 6, 6)):
        assert bin(int(hashes[k, 0]) ^ int(str(full[k]), 16)).count("1") <= limit, ALGORITHMS[k]


@pytest.mark.parametrize("name", sorted(PIL_TRANSPOSE))
def test_variants_match_transformed_image(name: str) -> None:
    gray = photo(11, (240, 240)).convert("L")
    hashes, _ = compute(gray)
    turned, _ = compute(gray.transpose(PIL_TRANSPOSE[name]))
    column = TRANSFORMS.index(name)
    for k in range(len(ALGORITHMS)):
        assert int(np.bitwise_count(turned[k, 0] ^ hashes[k, column])) <= 2, ALGORITHMS[k]
        # ...and the rotated image is far from the original as shown, or rotation matching would be pointless.
    assert int(np.bitwise_count(turned[0, 0] ^ hashes[0, 0])) > 12


def test_contrast_separates_flat_from_textured() -> None:
    flat = Image.new("L", (100, 100), 20)
    noisy_flat = Image.fromarray(np.random.default_rng(0).integers(18, 23, (100, 100), dtype=np.uint8))
    _, c_flat = compute(flat)
    _, c_noisy = compute(noisy_flat)
    _, c_photo = compute(photo(3).convert("L"))
    assert c_flat < 1 and c_noisy < 4 and c_photo > 20
