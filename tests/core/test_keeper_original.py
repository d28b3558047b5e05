"""Best copy = the original: measured facts (camera data, colour, full frame, JPEG quality) pick it, and say why."""

from __future__ import annotations

import os
from pathlib import Path

from PIL import Image, ImageDraw

from dupeview.core import keeper, originals
from dupeview.core.cache import FingerprintCache
from dupeview.core.grouping import GroupOptions, Matcher
from dupeview.core.keeper import RULES, KeepPolicy, reason
from dupeview.core.records import Library
from dupeview.core.scanner import ScanSettings, scan
from tests.images import photo, save


def scan_dir(root: Path) -> Library:
    with FingerprintCache(None) as cache:
        return scan(ScanSettings((str(root),), workers=0), cache)


def keeper_and_reason(root: Path, policy: KeepPolicy | None = None) -> tuple[str, str]:
    policy = policy or KeepPolicy()
    library = scan_dir(root)
    [group] = Matcher(library).groups(GroupOptions(policy=policy))
    keeper = group.keeper.index
    why = reason(policy, library, keeper, [m.index for m in group.members[1:]])
    return os.path.basename(library.records[keeper].path), why


def camera_exif() -> bytes:
    exif = Image.Exif()
    exif[0x010F], exif[0x0110], exif[0x0132] = "Canon", "Canon EOS 5D", "2021:06:01 10:00:00"
    return exif.tobytes()


def test_the_camera_jpeg_beats_its_larger_png_conversion_and_greyscale_copy(tmp_path: Path) -> None:
    img = photo(21, (400, 300))
    save(img, tmp_path / "z-original.jpg", quality=92)
    save(img, tmp_path / "a-converted.png")          # larger file, same pixels, first by path
    save(img.convert("L"), tmp_path / "a-grey.jpg", quality=98)
    kept, why = keeper_and_reason(tmp_path)
    assert kept == "z-original.jpg"
    assert why.startswith("Original: ") and "colour" in why


def test_camera_data_wins_over_a_stripped_copy(tmp_path: Path) -> None:
    img = photo(22, (400, 300))
    save(img, tmp_path / "z-camera.jpg", quality=90, exif=camera_exif())
    save(img, tmp_path / "a-shared.jpg", quality=95)  # higher quality and larger, but no camera data
    kept, why = keeper_and_reason(tmp_path)
    assert kept == "z-camera.jpg" and why.startswith("Original: camera data")


def test_full_frame_and_jpeg_quality(tmp_path: Path) -> None:
    img = photo(23, (400, 300))
    save(img, tmp_path / "z-original.jpg", quality=95)
    save(img, tmp_path / "a-q40.jpg", quality=40)
    captioned = Image.new("RGB", (400, 380), "white")
    captioned.paste(img, (0, 0))
    ImageDraw.Draw(captioned).text((20, 320), "look at this", fill="black")
    save(captioned, tmp_path / "a-caption.jpg", quality=95)  # more pixels, but a bar was added
    kept, why = keeper_and_reason(tmp_path)
    assert kept == "z-original.jpg"
    assert why.startswith("Original: full frame, higher JPEG quality")


def test_the_user_order_still_decides(tmp_path: Path) -> None:
    img = photo(24, (400, 300))
    save(img, tmp_path / "z-colour.jpg", quality=90)
    save(img.convert("L"), tmp_path / "a-grey.jpg", quality=90)
    assert keeper_and_reason(tmp_path)[0] == "z-colour.jpg"
    kept, why = keeper_and_reason(tmp_path, KeepPolicy(rules=("path", *RULES[:-1])))
    assert kept == "a-grey.jpg" and why == "Kept: shortest path"


def textured(seed: int, size: tuple[int, int]) -> Image.Image:
    """A photo-like picture with detail down to single pixels, as a camera's has."""
    grain = Image.effect_noise(size, 48).convert("RGB")
    return Image.blend(photo(seed, size), grain, 0.2)


def test_an_enlarged_copy_is_measured_and_loses_when_the_rule_comes_first(tmp_path: Path) -> None:
    img = textured(31, (160, 120))  # small enough to be decoded whole, so its own pixels are measured
    save(img, tmp_path / "z-original.jpg", quality=92)
    save(img.resize((480, 360), Image.Resampling.BICUBIC), tmp_path / "a-enlarged.png")
    library = scan_dir(tmp_path)
    facts = keeper.library_facts(library)
    assert facts is not None
    by_name = {os.path.basename(r.path): k for k, r in enumerate(library.records)}
    assert facts.upscaled.tolist() == [k == by_name["a-enlarged.png"] for k in range(len(library))]
    # Moved before resolution, the rule picks the original; in the default order resolution decides.
    first = KeepPolicy(rules=("not_upscaled", *(r for r in RULES if r != "not_upscaled")))
    kept, why = keeper_and_reason(tmp_path, first)
    assert kept == "z-original.jpg" and why.startswith("Original: not upscaled")
    assert keeper_and_reason(tmp_path)[0] == "a-enlarged.png"


def test_detail_is_alike_for_a_picture_and_its_reduction_but_not_its_enlargement() -> None:
    img = textured(32, (512, 384)).convert("L")
    assert originals.detail(img) > originals.UPSCALED_DETAIL
    assert originals.detail(img.resize((256, 192), Image.Resampling.LANCZOS)) > originals.UPSCALED_DETAIL
    for factor in (2, 3):
        enlarged = img.resize((512 * factor, 384 * factor), Image.Resampling.BICUBIC)
        assert originals.detail(enlarged) < originals.UPSCALED_DETAIL
    assert originals.detail(img.crop((0, 0, 10, 10))) == 0.0  # too small to tell: not measured
