"""Real test images made with Pillow: photos-like textures, their edits, rotations and broken copies."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from PIL import Image


def photo(seed: int, size: tuple[int, int] = (320, 240)) -> Image.Image:
    """A smooth random picture with structure at several scales, like a photo and unlike noise."""
    rng = np.random.default_rng(seed)
    w, h = size
    img = np.zeros((h, w, 3))
    for scale in (4, 8, 16):
        small = rng.random((scale, scale * w // h + 1, 3))
        layer = Image.fromarray((small * 255).astype(np.uint8)).resize((w, h), Image.Resampling.BICUBIC)
        img += np.asarray(layer, dtype=np.float64) / (scale / 4)
    img = 255 * (img - img.min()) / (np.ptp(img) + 1e-9)
    return Image.fromarray(img.astype(np.uint8), "RGB")


def save(img: Image.Image, path: Path, fmt: str | None = None, **kw: object) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    img.save(path, format=fmt, **kw)
    return path


def jpeg_bytes(img: Image.Image, quality: int = 90, exif: bytes | None = None) -> bytes:
    buf = io.BytesIO()
    if exif is not None:
        img.save(buf, "JPEG", quality=quality, exif=exif)
    else:
        img.save(buf, "JPEG", quality=quality)
    return buf.getvalue()


def with_orientation(img: Image.Image, orientation: int, path: Path) -> Path:
    """Store pixels so that, once EXIF orientation is applied, they show `img` again."""
    inverse = {2: Image.Transpose.FLIP_LEFT_RIGHT, 3: Image.Transpose.ROTATE_180,
               4: Image.Transpose.FLIP_TOP_BOTTOM, 5: Image.Transpose.TRANSPOSE,
               6: Image.Transpose.ROTATE_90, 7: Image.Transpose.TRANSVERSE, 8: Image.Transpose.ROTATE_270}
    stored = img.transpose(inverse[orientation]) if orientation in inverse else img
    exif = Image.Exif()
    exif[0x0112] = orientation
    path.parent.mkdir(parents=True, exist_ok=True)
    stored.save(path, "JPEG", quality=92, exif=exif.tobytes())
    return path


SIZE = (128, 96)


@dataclass
class PhotoSet:
    """Pictures with copies (a PNG copy, a half-size JPEG), one slightly rotated edit, one unrelated picture."""

    root: Path
    groups: list[list[Path]] = field(default_factory=list)
    singles: list[Path] = field(default_factory=list)
    edited: Path | None = None

    @property
    def all_files(self) -> list[Path]:
        return [p for g in self.groups for p in g] + self.singles + ([self.edited] if self.edited else [])


def make_photos(root: Path, n_groups: int = 3, seed: int = 0) -> PhotoSet:
    out = PhotoSet(root)
    for k in range(n_groups):
        img = photo(seed + k, SIZE)
        original = save(img, root / "camera" / f"img_{k}.jpg", quality=95)
        copy = save(img, root / "backup" / f"img_{k}_copy.png")
        small = save(img.resize((SIZE[0] // 2, SIZE[1] // 2)), root / "web" / f"img_{k}_small.jpg", quality=80)
        out.groups.append([original, copy, small])
    # Turned by 3 degrees: similar (about distance 8 for seed 0) but not identical.
    out.edited = save(photo(seed, SIZE).rotate(3, resample=Image.Resampling.BICUBIC), root / "edits" / "img_0_rot3.jpg",
                      quality=70)
    out.singles.append(save(photo(seed + 1000, SIZE), root / "camera" / "other.jpg", quality=90))
    return out
