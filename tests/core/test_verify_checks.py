"""The fine check's harder cases: straightened copies found, chance matches of one view and of rotations rejected."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
from PIL import Image

from dupeview.core import verify, views
from dupeview.core.cache import FingerprintCache
from dupeview.core.decode import ImageFacts, analyse
from dupeview.core.grouping import GroupOptions, Matcher, MatchOptions, code_reader
from dupeview.core.scanner import Library, ScanSettings, scan
from tests.images import photo, save, straightened


def scan_dir(root: Path) -> Library:
    with FingerprintCache(None) as cache:
        return scan(ScanSettings((str(root),), workers=0), cache)


def grouped(library: Library, rotations: bool = False) -> list[set[str]]:
    groups = Matcher(library, MatchOptions("phash", rotations)).groups(GroupOptions(threshold=8))
    return [{os.path.basename(library.records[m.index].path) for m in g.members} for g in groups]


def test_straightened_copies_group_with_their_original(tmp_path: Path) -> None:
    lib = tmp_path / "lib"
    angles = (1.5, -2.5, 4.0, -5.0)
    for k, angle in enumerate(angles):
        img = photo(40 + k, (480, 320))
        save(img, lib / f"o{k}.jpg", quality=92)
        save(straightened(img, angle), lib / f"o{k}-straight.jpg", quality=90)
    save(photo(60, (480, 320)), lib / "other.jpg", quality=90)
    library = scan_dir(lib)
    groups = grouped(library)
    for k in range(len(angles)):
        assert {f"o{k}.jpg", f"o{k}-straight.jpg"} in groups, (angles[k], groups)
    assert not any("other.jpg" in g for g in groups)


def test_the_straightened_view_is_cut_from_the_thumbnail_in_the_image_s_own_proportions() -> None:
    img = photo(3, (480, 320)).convert("L")
    t64 = np.asarray(img.resize((64, 64), Image.Resampling.HAMMING), dtype=np.float64)
    assert np.array_equal(views.straightened_thumb(t64, 480, 320, 0.0), t64)
    turned = views.straightened_thumb(t64, 480, 320, 3.0)
    expected = np.asarray(straightened(img, 3.0).resize((64, 64), Image.Resampling.HAMMING), dtype=np.float64)
    assert np.abs(turned - expected).mean() < 6  # grey levels: the same picture, resampled once more


def layout_of(c70_fine_apart: int) -> verify.Layout:
    """Two files whose 70 % centres have the same 64-bit pHash and 256-bit hashes this many bits apart;
    every other view is far apart."""
    rng = np.random.default_rng(1)
    n_views = len(views.FINE_VIEWS)
    h64 = rng.integers(0, 2**63, size=(2, n_views), dtype=np.int64).astype(np.uint64)
    h256 = rng.integers(0, 2**63, size=(2, n_views, views.FINE_WORDS), dtype=np.int64).astype(np.uint64)
    c70 = views.FINE_VIEWS.index("c70")
    h64[1, c70] = h64[0, c70]
    h256[1, c70] = h256[0, c70]
    for bit in range(c70_fine_apart):
        h256[1, c70, bit // 64] ^= np.uint64(1 << (bit % 64))
    return verify.Layout(h64, h256, np.zeros(2, dtype=bool))


def test_a_centre_match_alone_needs_near_identical_centres() -> None:
    """The sticker case: the centres are the same pixels. Distinct smooth pictures whose centres line up
    in 64 bits were 42-60 of 256 apart: the 7 false groups among 100k distinct generated files."""
    a, b = np.array([0]), np.array([1])
    assert verify.confirmed_distance(layout_of(4), a, b, 8).tolist() == [0]
    assert verify.confirmed_distance(layout_of(verify.CENTRE_FINE + 1), a, b, 8).tolist() == [64]
    assert verify.CENTRE_FINE < 42 < verify.PHOTO_FINE


def fine_whole(img: Image.Image, tmp_path: Path, name: str) -> np.ndarray:
    facts = analyse(str(save(img, tmp_path / name, quality=92)))
    assert isinstance(facts, ImageFacts)
    words = np.frombuffer(facts.views, dtype="<u8").astype(np.uint64)
    return words[len(views.VIEWS):len(views.VIEWS) + views.FINE_WORDS][None, :]


def test_rotated_copies_are_confirmed_on_the_turned_fine_hash(tmp_path: Path) -> None:
    img = photo(7, (400, 300))
    base = fine_whole(img, tmp_path, "a.jpg")
    turned = [fine_whole(img.transpose(t), tmp_path, f"t{k}.jpg") for k, t in enumerate(Image.Transpose)]
    unrelated = fine_whole(photo(8, (400, 300)), tmp_path, "u.jpg")
    for other in turned:
        assert int(verify.rotated_fine(base, other)[0]) <= verify.ROTATED_FINE  # any of the 8 orientations
    assert int(verify.rotated_fine(base, unrelated)[0]) > verify.PHOTO_FINE


def test_rotation_matching_groups_turned_copies_and_nothing_else(tmp_path: Path) -> None:
    lib = tmp_path / "lib"
    img = photo(9, (400, 300))
    save(img, lib / "a.jpg", quality=92)
    save(img.transpose(Image.Transpose.ROTATE_90), lib / "a-90.jpg", quality=90)
    save(img.transpose(Image.Transpose.FLIP_LEFT_RIGHT), lib / "a-mirror.jpg", quality=90)
    for k in range(4):
        save(photo(20 + k, (400, 300)), lib / f"other{k}.jpg", quality=90)
    library = scan_dir(lib)
    assert grouped(library, rotations=True) == [{"a.jpg", "a-90.jpg", "a-mirror.jpg"}]
    assert grouped(library) == []


def test_pairs_are_confirmed_a_block_at_a_time_to_the_same_distances(tmp_path: Path, monkeypatch) -> None:
    """Confirming in blocks (to bound memory at a million files) gives what one block of every pair gives."""
    lib = tmp_path / "lib"
    for k in range(4):
        img = photo(70 + k, (320, 240))
        save(img, lib / f"p{k}.jpg", quality=92)
        save(straightened(img, 2.0 + k), lib / f"p{k}-straight.jpg", quality=88)
        save(img.crop((12, 8, 308, 232)), lib / f"p{k}-crop.jpg", quality=90)
        save(img.convert("L"), lib / f"p{k}-grey.jpg", quality=90)
    library = scan_dir(lib)
    codes = library.codes("phash")
    lay = verify.layout(codes[:, 0], library.views, library.flatness, code_reader(library, "dhash"))
    assert lay is not None
    n = len(library)
    a, b = (x.astype(np.int64).ravel() for x in np.triu_indices(n, 1))
    whole = verify.confirmed_distance(lay, a, b, 8)
    assert (whole < 64).sum() >= 4 * 3   # the copies of each picture confirm one another…
    assert (whole == 64).sum() > (whole < 64).sum()   # …and pictures of different photos do not
    for block in (1, 5, 7):
        monkeypatch.setattr(verify, "CONFIRM_BLOCK", block)
        assert verify.confirmed_distance(lay, a, b, 8).tolist() == whole.tolist()
