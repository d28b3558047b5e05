"""Real test images made with Pillow: photos-like textures, their edits, rotations and broken copies."""

from __future__ import annotations

import io
import math
import struct
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


def straightened(img: Image.Image, degrees: float) -> Image.Image:
    """Turned and cropped to the largest same-shape rectangle without corners, as a photo editor straightens."""
    w, h = img.size
    a = math.radians(abs(degrees))
    k = min(w / (w * math.cos(a) + h * math.sin(a)), h / (w * math.sin(a) + h * math.cos(a)))
    turned = img.rotate(degrees, resample=Image.Resampling.BICUBIC)
    cw, ch = w * k, h * k
    return turned.crop((round((w - cw) / 2), round((h - ch) / 2), round((w + cw) / 2), round((h + ch) / 2)))


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


# -- camera RAW (DNG) -------------------------------------------------------------------------

def _srgb_to_linear(a: np.ndarray) -> np.ndarray:
    return np.where(a <= 0.04045, a / 12.92, ((a + 0.055) / 1.055) ** 2.4)


def bayer_mosaic(img: Image.Image, bits: int = 12) -> np.ndarray:
    """The RGGB sensor readout of a picture: one linear-light colour sample per pixel, as a camera has."""
    lin = _srgb_to_linear(np.asarray(img.convert("RGB"), dtype=np.float64) / 255.0)
    mosaic = np.empty(lin.shape[:2], dtype=np.float64)
    mosaic[0::2, 0::2] = lin[0::2, 0::2, 0]
    mosaic[0::2, 1::2] = lin[0::2, 1::2, 1]
    mosaic[1::2, 0::2] = lin[1::2, 0::2, 1]
    mosaic[1::2, 1::2] = lin[1::2, 1::2, 2]
    return np.asarray((mosaic * ((1 << bits) - 1)).round(), dtype=np.uint16)


# XYZ (D65) to linear sRGB: the colour matrix of a "camera" whose sensor sees in linear sRGB.
_XYZ_TO_SRGB = ((3.2406, -1.5372, -0.4986), (-0.9689, 1.8758, 0.0415), (0.0557, -0.2040, 1.0570))


def dng_bytes(img: Image.Image, *, orientation: int = 1, make: str = "Testcam", model: str = "Testcam X1",
              date: str | None = "2021:06:05 14:30:00", preview: bytes | None = None,
              preview_size: tuple[int, int] | None = None) -> bytes:
    """A DNG (written with pidng) whose Bayer data LibRaw renders back to `img`.

    `preview`: JPEG bytes stored as an embedded preview (a second IFD), as cameras and
    converters do (`preview_size` when its header cannot tell). Orientation, make, model and
    date go into the DNG's own tags.
    """
    from pidng.core import RAW2DNG, DNGTags, Tag
    from pidng.defs import CalibrationIlluminant, CFAPattern, DNGVersion, PhotometricInterpretation

    if img.width % 2 or img.height % 2:
        raise ValueError("a Bayer mosaic needs even sides")
    mosaic = bayer_mosaic(img)
    h, w = mosaic.shape
    t = DNGTags()
    t.set(Tag.ImageWidth, w)
    t.set(Tag.ImageLength, h)
    t.set(Tag.TileWidth, w)
    t.set(Tag.TileLength, h)
    t.set(Tag.Orientation, orientation)
    t.set(Tag.PhotometricInterpretation, PhotometricInterpretation.Color_Filter_Array)
    t.set(Tag.SamplesPerPixel, 1)
    t.set(Tag.BitsPerSample, 12)
    t.set(Tag.CFARepeatPatternDim, [2, 2])
    t.set(Tag.CFAPattern, CFAPattern.RGGB)
    t.set(Tag.BlackLevel, 0)
    t.set(Tag.WhiteLevel, 4095)
    t.set(Tag.ColorMatrix1, [[round(v * 10000), 10000] for row in _XYZ_TO_SRGB for v in row])
    t.set(Tag.CalibrationIlluminant1, CalibrationIlluminant.D65)
    t.set(Tag.AsShotNeutral, [[1, 1], [1, 1], [1, 1]])
    t.set(Tag.Make, make)
    t.set(Tag.Model, model)
    if date is not None:
        t.set(Tag.DateTime, date)
    t.set(Tag.DNGVersion, DNGVersion.V1_4)
    t.set(Tag.DNGBackwardVersion, DNGVersion.V1_2)
    writer = RAW2DNG()
    writer.options(t, path="", compress=False)
    data = bytes(writer.convert(mosaic))
    if preview is None:
        return data
    if preview_size is None:
        with Image.open(io.BytesIO(preview)) as im:
            preview_size = im.size
    return _with_preview(data, preview, preview_size)


def _with_preview(dng: bytes, jpeg: bytes, size: tuple[int, int]) -> bytes:
    """The DNG with a JPEG preview appended and chained as IFD1 (NewSubfileType 1: a reduced image)."""
    w, h = size
    buf = bytearray(dng)
    (ifd0,) = struct.unpack_from("<I", buf, 4)
    (count,) = struct.unpack_from("<H", buf, ifd0)
    next_pointer = ifd0 + 2 + 12 * count
    buf += b"\0" * (-len(buf) % 4)
    jpeg_at = len(buf)
    buf += jpeg + b"\0" * (-len(jpeg) % 4)
    entries = [(254, 4, 1), (256, 4, w), (257, 4, h), (258, 3, 8), (259, 3, 7), (262, 3, 6),
               (273, 4, jpeg_at), (277, 3, 3), (278, 4, h), (279, 4, len(jpeg))]
    ifd1 = len(buf)
    buf += struct.pack("<H", len(entries))
    for tag, kind, value in entries:
        buf += struct.pack("<HHI", tag, kind, 1) + (struct.pack("<HH", value, 0) if kind == 3 else struct.pack("<I", value))
    buf += struct.pack("<I", 0)
    struct.pack_into("<I", buf, next_pointer, ifd1)
    return bytes(buf)


def jxl_bytes(img: Image.Image, **kw: object) -> bytes:
    """A JPEG XL file written with pillow-jxl-plugin."""
    import pillow_jxl  # noqa: F401 - registers the JXL writer

    buf = io.BytesIO()
    img.save(buf, "JXL", **kw)
    return buf.getvalue()


# -- files that are not photos: the first bytes of each, enough for any content sniffer -------------

def fake_video(kind: str) -> bytes:
    """The start of a video file of this container (mp4, mov, avi, mkv), padded with zeros."""
    heads = {
        "mp4": b"\x00\x00\x00\x20ftypisom\x00\x00\x02\x00isomiso2avc1mp41",
        "mov": b"\x00\x00\x00\x14ftypqt  \x00\x00\x00\x00qt  ",
        "avi": b"RIFF\x00\x10\x00\x00AVI LIST\x00\x01\x00\x00hdrlavih",
        "mkv": b"\x1aE\xdf\xa3\x9fB\x86\x81\x01B\xf7\x81\x01B\xf2\x81\x04B\xf3\x81\x08B\x82\x84webm",
    }
    return heads[kind] + b"\x00" * 4000


def fake_psd(width: int = 64, height: int = 48) -> bytes:
    """A Photoshop document header (8BPS, version 1, RGB, 8 bit) and empty sections."""
    return b"8BPS" + struct.pack(">H6xHIIHH", 1, 3, height, width, 8, 3) + b"\x00" * 4000


def corrupt_jpeg(jpeg: bytes) -> bytes:
    """The JPEG with its headers intact and its compressed data garbled and cut short (no end marker)."""
    start = jpeg.index(b"\xff\xda") + 16
    return jpeg[:start] + bytes(b ^ 0x5A for b in jpeg[start:len(jpeg) // 2])


def raw_data_past_the_end(dng: bytes) -> bytes:
    """The DNG with its Bayer data said to start 2000 bytes before the end: a reader runs out of file."""
    buf = bytearray(dng)
    (ifd0,) = struct.unpack_from("<I", buf, 4)
    (count,) = struct.unpack_from("<H", buf, ifd0)
    for k in range(count):
        at = ifd0 + 2 + 12 * k
        if struct.unpack_from("<H", buf, at)[0] == 324:  # TileOffsets
            struct.pack_into("<I", buf, at + 8, len(buf) - 2000)
            return bytes(buf)
    raise ValueError("no TileOffsets in this DNG")
