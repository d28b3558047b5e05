"""The second check of whole-image matches: chance matches among a million distinct patterns rejected, copies kept."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
from PIL import Image, ImageEnhance, ImageOps

from dupeview.core import verify
from dupeview.core.cache import FingerprintCache
from dupeview.core.decode import ImageFacts, analyse
from dupeview.core.fingerprint import ALGORITHMS, N_TRANSFORMS
from dupeview.core.grouping import GroupOptions, Matcher, MatchOptions, code_reader
from dupeview.core.scanner import Library, ScanSettings, scan
from tests.images import photo, save, straightened

# The 22 false groups a warm scan of /work/scale-data/1m gave before this check (file numbers of
# benchmarks/scale.py generate): pHash 6-8 apart, 52-60 of 256 apart in the fine check.
CHANCE_PAIRS = ((117759, 255151), (557732, 493574), (281383, 728358), (936521, 13445), (50355, 361564),
                (416596, 222495), (515330, 884170), (629233, 416379), (544897, 666861), (977446, 780984),
                (937494, 437153), (134238, 356162), (813850, 527711), (190253, 176480), (707181, 535568),
                (584492, 62482), (141273, 300106), (394574, 238097), (22274, 847597), (238219, 973176),
                (755055, 617460), (436026, 311243))


def generated(k: int) -> Image.Image:
    """File number k of benchmarks/scale.py generate: its own random 8x8 pattern, smoothed to 64x64, tinted."""
    rng = np.random.default_rng(k)
    pattern = Image.fromarray(rng.integers(0, 256, size=(8, 8), dtype=np.uint8), "L").resize((64, 64), Image.BICUBIC)
    tint = rng.integers(60, 256, size=3)
    return Image.fromarray((np.asarray(pattern, dtype=np.float32)[:, :, None] * tint / 255).astype(np.uint8), "RGB")


def scan_dir(root: Path, cache_path: str | None = None, algorithms: tuple[str, ...] = ALGORITHMS) -> Library:
    with FingerprintCache(cache_path) as cache:
        return scan(ScanSettings((str(root),), workers=0, algorithms=algorithms), cache)


def grouped(library: Library, rotations: bool = False) -> list[set[str]]:
    groups = Matcher(library, MatchOptions("phash", rotations)).groups(GroupOptions(threshold=8))
    return [{os.path.basename(library.records[m.index].path) for m in g.members} for g in groups]


def pairs_of(library: Library, names: list[tuple[str, str]]) -> tuple[np.ndarray, np.ndarray]:
    row = {os.path.basename(p): k for k, p in enumerate(library.table.paths)}
    return (np.array([row[a] for a, _ in names], np.int64), np.array([row[b] for _, b in names], np.int64))


def test_chance_matches_among_a_million_distinct_patterns_are_rejected(tmp_path: Path) -> None:
    lib = tmp_path / "lib"
    for a, b in CHANCE_PAIRS:
        for k in (a, b):
            save(generated(k), lib / f"img_{k:07d}.jpg", quality=85)
    library = scan_dir(lib)
    lay = verify.layout(library.codes("phash")[:, 0], library.views, library.flatness, code_reader(library, "dhash"))
    assert lay is not None
    a, b = pairs_of(library, [(f"img_{x:07d}.jpg", f"img_{y:07d}.jpg") for x, y in CHANCE_PAIRS])
    # Without the second check (no dHash to read) every pair passes the fine check, as it did at 1M.
    assert (verify.confirmed_distance(lay._replace(dhash=None), a, b, 8) <= 8).all()
    # With it, none does: their whole images' gradients disagree (30-49 of 128 bits).
    assert (verify.confirmed_distance(lay, a, b, 8) == 64).all()
    assert (verify.dhash_distance(lay, a, b) >= 30).all()
    assert grouped(library) == []
    assert grouped(library, rotations=True) == []


def crop(img: Image.Image, share: float) -> Image.Image:
    w, h = img.size
    return img.crop((round(w * share), round(h * share), round(w * (1 - share)), round(h * (1 - share))))


EDITS = {
    "greyscale": lambda im: im.convert("L"),
    "colour": lambda im: ImageEnhance.Contrast(ImageEnhance.Color(im).enhance(1.6)).enhance(1.2),
    "gamma2": lambda im: im.point(lambda v: round(255 * (v / 255) ** 2.0)),
    "equalised": ImageOps.equalize,
    "crop3": lambda im: crop(im, 0.03),
    "crop8": lambda im: crop(im, 0.08),
    "turn1": lambda im: straightened(im, 1.0),
    "turn-3": lambda im: straightened(im, -3.0),
    "shrunk": lambda im: ImageOps.contain(im, (96, 96)),
}


def test_copies_matched_on_whole_images_pass_the_second_check_and_still_group(tmp_path: Path) -> None:
    lib = tmp_path / "lib"
    seeds = (31, 32, 33)
    for seed in seeds:
        img = photo(seed, (480, 320))
        save(img, lib / f"p{seed}.jpg", quality=92)
        for name, edit in EDITS.items():
            save(edit(img), lib / f"p{seed}-{name}.jpg", quality=88)
    library = scan_dir(lib)
    groups = grouped(library)
    for seed in seeds:
        members = {f"p{seed}.jpg", *(f"p{seed}-{name}.jpg" for name in EDITS)}
        assert members in groups, (seed, groups)
    lay = verify.layout(library.codes("phash")[:, 0], library.views, library.flatness, code_reader(library, "dhash"))
    assert lay is not None
    names = [(f"p{s}.jpg", f"p{s}-{e}.jpg") for s in seeds for e in ("greyscale", "colour", "gamma2", "equalised", "shrunk")]
    a, b = pairs_of(library, names)
    # These are whole-image matches, so the second check is what they pass (not a crop view).
    assert (verify.confirmed_distance(lay, a, b, 8) <= 8).all()
    assert (verify.dhash_distance(lay, a, b) <= 24).all()


def test_the_second_check_applies_to_whole_image_matches_only() -> None:
    """Two files whose whole images line up in pHash (fine 40 apart) but whose dHash disagree: rejected;
    the same fine distance on a crop view (file 0's 90 % centre against file 1's whole) is not its business."""
    rng = np.random.default_rng(5)
    n_views = len(verify.FINE_VIEWS)
    h64 = rng.integers(0, 2**63, size=(2, n_views), dtype=np.int64).astype(np.uint64)
    h256 = rng.integers(0, 2**63, size=(2, n_views, 4), dtype=np.int64).astype(np.uint64)
    h64[1, 0], h256[1, 0] = h64[0, 0], h256[0, 0]
    h256[1, 0, 0] ^= np.uint64(2**40 - 1)  # 40 bits apart
    dhash = np.zeros((2, N_TRANSFORMS), np.uint64)
    dhash[1] = np.uint64(2**64 - 1)  # every gradient reversed: 128 of 128 apart

    def read(rows: np.ndarray) -> np.ndarray:
        return dhash[rows]

    a, b = np.array([0]), np.array([1])
    whole = verify.Layout(h64, h256, np.zeros(2, bool), read)
    assert verify.confirmed_distance(whole._replace(dhash=None), a, b, 8).tolist() == [0]
    assert verify.confirmed_distance(whole, a, b, 8).tolist() == [64]
    dhash[1] = dhash[0]
    assert verify.confirmed_distance(whole, a, b, 8).tolist() == [0]
    dhash[1] = np.uint64(2**64 - 1)
    c90 = verify.FINE_VIEWS.index("c90")
    h64c = rng.integers(0, 2**63, size=(2, n_views), dtype=np.int64).astype(np.uint64)
    h256c = rng.integers(0, 2**63, size=(2, n_views, 4), dtype=np.int64).astype(np.uint64)
    h64c[0, c90], h256c[0, c90] = h64c[1, 0], h256c[1, 0]  # file 0's centre is file 1's whole image
    h256c[0, c90, 0] ^= np.uint64(2**40 - 1)
    cropped = verify.Layout(h64c, h256c, np.zeros(2, bool), read)
    assert verify.confirmed_distance(cropped, a, b, 8).tolist() == [0]


def dhash_codes(img: Image.Image, path: Path) -> np.ndarray:
    facts = analyse(str(save(img, path, quality=92)))
    assert isinstance(facts, ImageFacts)
    return np.frombuffer(facts.hashes, "<u8").reshape(len(ALGORITHMS), N_TRANSFORMS)[ALGORITHMS.index("dhash")]


def test_the_turned_dhash_distance_finds_the_copy_in_any_orientation(tmp_path: Path) -> None:
    img = photo(12, (400, 300))
    codes = [dhash_codes(img, tmp_path / "a.jpg")]
    codes += [dhash_codes(img.transpose(t), tmp_path / f"t{k}.jpg") for k, t in enumerate(Image.Transpose)]
    codes.append(dhash_codes(photo(13, (400, 300)), tmp_path / "u.jpg"))
    table = np.stack(codes).astype(np.uint64)
    lay = verify.Layout(np.zeros((len(table), 7), np.uint64), np.zeros((len(table), 7, 4), np.uint64),
                        np.zeros(len(table), bool), lambda rows: table[rows])
    turned = np.arange(1, len(table) - 1)
    original = np.zeros(len(turned), np.int64)
    assert (verify.rotated_dhash_distance(lay, turned, original) <= 12).all()
    assert (verify.dhash_distance(lay, turned, original) > 24).any()  # as shown, the turned ones differ
    assert int(verify.rotated_dhash_distance(lay, np.array([len(table) - 1]), np.array([0]))[0]) > 24


def test_dhash_is_read_from_the_cache_for_just_the_rows_asked(tmp_path: Path) -> None:
    lib = tmp_path / "lib"
    for k in range(6):
        save(photo(50 + k, (64, 48)), lib / f"f{k}.jpg", quality=90)
    cache = str(tmp_path / "cache.sqlite3")
    everything = scan_dir(lib, cache)
    light = scan_dir(lib, cache, algorithms=("phash",))
    assert "dhash" in light.pending
    rows = np.array([4, 1], np.int64)
    got = code_reader(light, "dhash")(rows)
    assert np.array_equal(got, everything.codes("dhash")[rows])
    assert "dhash" in light.pending  # the library did not load a million files' codes for two
