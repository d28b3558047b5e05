"""Real test images made with Pillow: photos-like textures, their edits, rotations and broken copies."""

from __future__ import annotations

import io
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
