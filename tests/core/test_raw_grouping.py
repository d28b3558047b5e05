"""RAW + JPEG + JPEG XL of one photo group with the RAW kept; camera pairs side by side can be hidden."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from dupeview.core.cache import FingerprintCache
from dupeview.core.grouping import GroupOptions, Matcher
from dupeview.core.keeper import RULES, KeepPolicy
from dupeview.core.scanner import Library, ScanSettings, scan
from tests.images import dng_bytes, fake_psd, fake_video, jpeg_bytes, jxl_bytes, photo

pytest.importorskip("rawpy", reason="camera RAW support needs rawpy")
pytest.importorskip("pidng", reason="the RAW tests write DNG files with pidng (test extra)")
pytest.importorskip("pillow_jxl", reason="JPEG XL needs pillow-jxl-plugin")

SIZE = (320, 240)


def scan_folder(root: Path) -> Library:
    with FingerprintCache(None) as cache:
        return scan(ScanSettings((str(root),), workers=0), cache)


def named(library: Library, groups, root: Path) -> list[list[str]]:
    """Each group's members as paths relative to root, the keeper first."""
    return [[os.path.relpath(library.records[m.index].path, root) for m in g.members] for g in groups]


def test_raw_is_the_first_keep_rule_by_default() -> None:
    assert RULES[0] == "raw" and KeepPolicy().rules[0] == "raw"


def test_one_photo_as_jpeg_dng_and_jxl_groups_with_the_raw_kept(tmp_path: Path) -> None:
    img = photo(21, SIZE)
    camera_jpeg = jpeg_bytes(img, 92)
    (tmp_path / "IMG_0001.JPG").write_bytes(camera_jpeg)
    (tmp_path / "IMG_0001.DNG").write_bytes(dng_bytes(img))             # no preview: the half-size render
    (tmp_path / "IMG_0001.jxl").write_bytes(jxl_bytes(img, quality=90))
    (tmp_path / "IMG_0002.dng").write_bytes(dng_bytes(photo(22, SIZE), preview=jpeg_bytes(photo(22, SIZE))))  # alone
    (tmp_path / "clip.mp4").write_bytes(fake_video("mp4"))
    (tmp_path / "poster.psd").write_bytes(fake_psd())
    library = scan_folder(tmp_path)
    groups = Matcher(library).groups(GroupOptions())
    assert named(library, groups, tmp_path) == [["IMG_0001.DNG", "IMG_0001.JPG", "IMG_0001.jxl"]]
    assert [m.suggested for m in groups[0].members] == [False, True, True]
    assert sorted((os.path.basename(n.path), n.kind) for n in library.not_compared) == [("clip.mp4", "video"), ("poster.psd", "psd")]


def test_the_raw_rule_beats_a_bigger_copy_until_it_is_moved_down(tmp_path: Path) -> None:
    img = photo(23, SIZE)
    (tmp_path / "IMG_0003.DNG").write_bytes(dng_bytes(img))
    (tmp_path / "IMG_0003_big.jpg").write_bytes(jpeg_bytes(img.resize((640, 480)), 95))   # more pixels, bigger file
    library = scan_folder(tmp_path)
    matcher = Matcher(library)
    assert named(library, matcher.groups(GroupOptions()), tmp_path)[0][0] == "IMG_0003.DNG"
    later = KeepPolicy(rules=("resolution", "raw", *(r for r in RULES if r not in ("resolution", "raw"))))
    assert named(library, matcher.groups(GroupOptions(policy=later)), tmp_path)[0][0] == "IMG_0003_big.jpg"
    # Without the raw rule, and without "camera" (the DNG has camera data, the copy has none).
    without = KeepPolicy(rules=tuple(r for r in RULES if r not in ("raw", "camera")))
    assert named(library, matcher.groups(GroupOptions(policy=without)), tmp_path)[0][0] == "IMG_0003_big.jpg"


def test_camera_pairs_side_by_side_can_be_hidden(tmp_path: Path) -> None:
    a, b, c = (photo(seed, SIZE) for seed in (24, 25, 26))
    shots = tmp_path / "shots"
    backup = tmp_path / "backup"
    shots.mkdir()
    backup.mkdir()
    # A pair alone: hidden.
    (shots / "IMG_0010.DNG").write_bytes(dng_bytes(a))
    (shots / "IMG_0010.JPG").write_bytes(jpeg_bytes(a, 92))
    # A pair with a backup copy of the JPEG: the RAW and the backup still group; the camera JPEG leaves.
    (shots / "IMG_0011.dng").write_bytes(dng_bytes(b))
    (shots / "img_0011.jpg").write_bytes(jpeg_bytes(b, 92))
    (backup / "IMG_0011.JPG").write_bytes(jpeg_bytes(b, 92))
    # Same names in two folders: not side by side, still a group.
    (shots / "IMG_0012.DNG").write_bytes(dng_bytes(c))
    (backup / "IMG_0012.JPG").write_bytes(jpeg_bytes(c, 92))
    # An export with the RAW's name is not the camera's companion.
    (shots / "IMG_0010.jxl").write_bytes(jxl_bytes(a, quality=90))
    library = scan_folder(tmp_path)
    matcher = Matcher(library)
    shown = sorted(named(library, matcher.groups(GroupOptions()), tmp_path))
    assert shown == [["shots/IMG_0010.DNG", "shots/IMG_0010.JPG", "shots/IMG_0010.jxl"],
                     ["shots/IMG_0011.dng", "backup/IMG_0011.JPG", "shots/img_0011.jpg"],
                     ["shots/IMG_0012.DNG", "backup/IMG_0012.JPG"]]
    hidden = sorted(named(library, matcher.groups(GroupOptions(hide_raw_pairs=True)), tmp_path))
    assert hidden == [["shots/IMG_0010.DNG", "shots/IMG_0010.jxl"],
                      ["shots/IMG_0011.dng", "backup/IMG_0011.JPG"],
                      ["shots/IMG_0012.DNG", "backup/IMG_0012.JPG"]]
    (shots / "IMG_0010.jxl").unlink()
    library = scan_folder(tmp_path)
    pairs_only = sorted(named(library, Matcher(library).groups(GroupOptions(hide_raw_pairs=True)), tmp_path))
    assert ["shots/IMG_0010.DNG", "shots/IMG_0010.JPG"] not in pairs_only and len(pairs_only) == 2
