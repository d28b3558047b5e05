"""Read one image file safely and turn it into fingerprints plus the facts a user keeps copies by."""

from __future__ import annotations

import io
import os
import re
import warnings
from collections.abc import Callable
from typing import Final, NamedTuple

import numpy as np
from PIL import Image, ImageFile, UnidentifiedImageError

from dupeview.core import formats, hash_batch, originals, raw, safeio
from dupeview.core.formats import SNIFF_BYTES, sniff

try:  # HEIC/HEIF; AVIF is native in Pillow >= 11.2
    import pillow_heif

    pillow_heif.register_heif_opener()
except ImportError:  # pragma: no cover - a declared dependency, but never fatal
    pass

# Decompression bombs: refuse anything that claims more pixels than a very large photo.
MAX_PIXELS: Final = 300_000_000
MAX_FILE_BYTES: Final = 2 * 1024**3
# Memory: one decoder holds the decoded pixels once (formats without DCT scaling are decoded whole)
# plus small reduced copies. Above this many bytes of decoded pixels a file is refused, so a worker
# stays under about DECODE_BUDGET + 100 MB (benchmarks/decode_memory.py measures it at the pixel cap).
DECODE_BUDGET: Final = 1280 * 1024**2
# Above this many pixels an image is reduced in its own mode before it is turned grey (in strips for
# 16-bit and float images), so no full-size converted copy is ever made.
LARGE_PIXELS: Final = 48_000_000
_STRIP_ROWS: Final = 512
_BYTES_PER_PIXEL: Final = {"1": 1, "L": 1, "P": 1, "LA": 2, "PA": 2, "La": 2, "I;16": 2, "I;16L": 2, "I;16B": 2,
                           "I;16N": 2, "RGB": 4, "YCbCr": 4, "LAB": 4, "HSV": 4, "RGBA": 4, "RGBa": 4, "RGBX": 4,
                           "CMYK": 4, "I": 4, "F": 4}
Image.MAX_IMAGE_PIXELS = MAX_PIXELS
ImageFile.LOAD_TRUNCATED_IMAGES = False
# JPEGs are decoded by libjpeg straight to about this size (DCT scaling), grey only:
# the fingerprints need 64x64 at most, and decode is the whole cost of a scan.
DRAFT_SIZE: Final = (64, 64)
# Every other image is box-reduced by an integer factor to the same scale before the
# fingerprints' resamples: five LANCZOS resizes of a 12 MP image would cost more than
# its decode. JPEGs get the same treatment after draft, so all formats are alike.
REDUCE_TO: Final = 64
# A batch holds each file's reduced grey image (a few thousand pixels) until its math; one bigger than
# this (a strip too thin to be reduced) is finished at once, so a batch never holds much memory.
HOLD_PIXELS: Final = 1 << 20
# Bump when anything that changes stored fingerprints changes: the cache drops old ones.
PIPELINE_VERSION: Final = 8

_ORIENT_TRANSPOSE: Final = {
    2: Image.Transpose.FLIP_LEFT_RIGHT, 3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM, 5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270, 7: Image.Transpose.TRANSVERSE, 8: Image.Transpose.ROTATE_90,
}
_EXIF_SOURCES: Final = frozenset({"exif", "xmp", "XML:com.adobe.xmp", "Raw profile type exif"})
_EXIF_DATE = re.compile(r"^\s*(\d{4})[:\-](\d{2})[:\-](\d{2})[ T](\d{2}):(\d{2}):(\d{2})")


class ImageFacts(NamedTuple):
    """What one decode of a file yields; crosses process boundaries, so plain data only.

    Immutable records are NamedTuples here rather than frozen dataclasses: a warm rescan
    makes 100k of them, and a frozen dataclass's __init__ is five times slower.
    """

    size: int
    mtime_ns: int
    ctime_ns: int
    digest: bytes
    width: int
    height: int
    format: str
    taken: str | None
    camera: str | None
    contrast: float
    hashes: bytes  # fingerprint.ALGORITHMS x fingerprint.TRANSFORMS uint64, little-endian
    views: bytes = b""  # views.N_WORDS uint64, little-endian: derived views' pHashes and 256-bit hashes
    flatness: float = 0.0  # views.flatness: share of pixels on one grey level (pages, screenshots)


class DecodeFailure(NamedTuple):
    reason: str
    size: int = 0
    mtime_ns: int = 0
    ctime_ns: int = 0


def _parse_date(value: object) -> str | None:
    if isinstance(value, bytes):
        value = value.decode("ascii", "replace")
    if not isinstance(value, str):
        return None
    m = _EXIF_DATE.match(value)
    if not m:
        return None
    year, month, day, hour, minute, second = (int(g) for g in m.groups())
    if not (1826 <= year <= 2200 and 1 <= month <= 12 and 1 <= day <= 31 and hour < 24 and minute < 60 and second < 61):
        return None
    return f"{year:04d}-{month:02d}-{day:02d}T{hour:02d}:{minute:02d}:{second:02d}"


def _clean_text(value: object) -> str:
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    return str(value).replace("\x00", "").strip()[:80] if value is not None else ""


def _read_exif(img: Image.Image) -> tuple[int, str | None, str | None]:
    """Orientation, date taken, camera. Malformed EXIF is common: it never fails a file."""
    if not (_EXIF_SOURCES & img.info.keys()) and not hasattr(img, "tag_v2"):
        # Nothing Image.getexif() reads from (an EXIF block, XMP, PNG's raw profile, TIFF tags): its Exif would be
        # empty, so these are the facts; a tiny JPEG saves a third of its EXIF work.
        return 1, None, None
    try:
        exif = img.getexif()
        orientation = exif.get(0x0112, 1)
        try:
            sub = exif.get_ifd(0x8769)
        except Exception:  # noqa: BLE001 - a damaged EXIF sub-IFD is just missing facts
            sub = {}
        taken = _parse_date(sub.get(0x9003)) or _parse_date(exif.get(0x0132))
        make, model = _clean_text(exif.get(0x010F)), _clean_text(exif.get(0x0110))
    except Exception:  # noqa: BLE001 - Pillow's EXIF parser raises anything on hostile input: no facts then
        return 1, None, None
    if model.lower().startswith(make.lower()):
        make = ""
    camera = " ".join(p for p in (make, model) if p) or None
    return orientation if isinstance(orientation, int) else 1, taken, camera


def _to_gray(img: Image.Image) -> Image.Image:
    """A mode-'L' view of any decoded image, with transparency flattened onto white."""
    mode = img.mode
    if mode == "L":
        return img
    if mode in ("RGBA", "LA", "PA", "RGBa", "La") or (mode == "P" and "transparency" in img.info):
        rgba = img.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(white, rgba).convert("L")
    if mode.startswith("I") or mode == "F":
        # 16-bit and float images: Pillow's convert("L") clips them to white.
        arr = np.asarray(img, dtype=np.float64)
        if arr.ndim == 3:
            arr = arr.mean(axis=2)
        top = float(arr.max()) if arr.size else 0.0
        if mode == "F" and top <= 1.0:
            arr = arr * 255.0
        elif top > 255.0:
            arr = arr / 257.0
        return Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8), "L")
    return img.convert("L")


class TooBigToDecode(Exception):
    """Decoding this image would take more memory than one decoder may use."""


def decoded_bytes(mode: str, width: int, height: int) -> int:
    """About how many bytes the decoded pixels of an image take (Pillow pads 3-byte pixels to 4)."""
    return width * height * _BYTES_PER_PIXEL.get(mode, 4)


def _strip_gray(img: Image.Image) -> Image.Image:
    """A 16-bit or float image turned 8-bit grey strip by strip, exactly as _to_gray does it whole but
    without its full-size float copies (a 144 MP 16-bit PNG took 2.7 GB that way): one byte per pixel."""
    width, height = img.size
    top = 0.0
    for y in range(0, height, _STRIP_ROWS):
        strip = np.asarray(img.crop((0, y, width, min(height, y + _STRIP_ROWS))), dtype=np.float64)
        top = max(top, float(strip.max()) if strip.size else 0.0)
    out = np.empty((height, width), dtype=np.uint8)
    for y in range(0, height, _STRIP_ROWS):
        arr = np.asarray(img.crop((0, y, width, min(height, y + _STRIP_ROWS))), dtype=np.float64)
        if arr.ndim == 3:
            arr = arr.mean(axis=2)
        if img.mode == "F" and top <= 1.0:
            arr = arr * 255.0
        elif top > 255.0:
            arr = arr / 257.0
        out[y:y + _STRIP_ROWS] = np.clip(arr, 0, 255).astype(np.uint8)
    return Image.fromarray(out, "L")


def _gray_reduced(img: Image.Image, measure_detail: bool = False, defer_detail: bool = False) -> Image.Image:
    """Grey, box-reduced to about REDUCE_TO, with originals.detail() of the unreduced pixels if asked.

    defer_detail: when the image is not reduced, its info[DETAIL_KEY] is the image itself, for
    core/hash_batch.py to measure with the rest of a batch.

    A big image is turned grey strip by strip (the same pixels as whole, as every step but the
    16-bit scaling is per pixel), so no full-size converted copy exists."""
    if img.width * img.height > LARGE_PIXELS and img.mode != "L":
        if img.mode.startswith("I") or img.mode == "F":
            gray = _strip_gray(img)
        else:
            gray = Image.new("L", img.size)
            for y in range(0, img.height, _STRIP_ROWS):
                gray.paste(_to_gray(img.crop((0, y, img.width, min(img.height, y + _STRIP_ROWS)))), (0, y))
    else:
        gray = _to_gray(img)
    factor = min(gray.size) // REDUCE_TO
    reduced = gray.reduce(factor) if factor >= 2 else gray
    if measure_detail:  # before the reduction hides an enlargement
        reduced.info[originals.DETAIL_KEY] = gray if defer_detail and reduced is gray else originals.detail(gray)
    return reduced


def _decode(data: bytes, raw_format: str | None = None,
            defer_detail: bool = False) -> tuple[Image.Image, int, int, str, int, str | None, str | None]:
    with warnings.catch_warnings():
        # Pillow warns about every oddity it reads past (corrupt EXIF, …): that is noise on
        # the CLI's stderr, not news. Only the bomb warning matters, as an error.
        warnings.simplefilter("ignore")
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        if raw_format is not None:  # camera RAW: LibRaw, preview or half-size render (core/raw.py)
            pic = raw.open_raw(data, "L", DRAFT_SIZE, _read_exif, MAX_PIXELS)
            img, fmt, width, height = pic.image, raw_format, pic.width, pic.height
            orientation, taken, camera = pic.orientation, pic.taken, pic.camera
            source = (True, originals.LOSSLESS)  # a camera's raw data: the original itself
        else:
            if formats.is_jxl(data):
                formats.register_jxl()
            img = Image.open(io.BytesIO(data))
            fmt = img.format or "unknown"
            width, height = img.size
            if width * height > MAX_PIXELS:
                raise Image.DecompressionBombError(f"{width}x{height}")
            orientation, taken, camera = _read_exif(img)
            source = originals.source_facts(img)  # before draft("L") hides whether it was in colour
        if fmt == "JPEG":
            img.draft("L", DRAFT_SIZE)
        img.seek(0) if getattr(img, "n_frames", 1) > 1 else None
        need = decoded_bytes(img.mode, *img.size)
        if need > DECODE_BUDGET:
            raise TooBigToDecode(need)
        # Detail is measured only on pixels decoded at full size: a JPEG decoded at a reduced scale
        # (draft) comes out smoother than its pixels are, whatever they are.
        gray = _gray_reduced(img, raw_format is None and img.size == (width, height), defer_detail)
        gray.load()  # a JPEG decodes lazily: here, with this file's own errors, not in a batch's later steps
        gray.info[originals.SOURCE_KEY] = source
    method = _ORIENT_TRANSPOSE.get(orientation)
    if method is not None:
        gray = gray.transpose(method)
        if orientation >= 5:
            width, height = height, width
    return gray, width, height, fmt, orientation, taken, camera


def explain(exc: BaseException) -> str:
    """A plain-words reason for a file that could not be fingerprinted."""
    if isinstance(exc, raw.RawError):
        return str(exc)
    if isinstance(exc, FileNotFoundError):
        return "file disappeared during the scan"
    if isinstance(exc, PermissionError):
        return "permission denied"
    if isinstance(exc, IsADirectoryError):
        return "is a folder, not a file"
    if isinstance(exc, (Image.DecompressionBombError, Image.DecompressionBombWarning)):
        return f"image too large to decode safely (over {MAX_PIXELS // 1_000_000} megapixels)"
    if isinstance(exc, UnidentifiedImageError):
        return "not an image, or a format dupeview cannot read"
    if isinstance(exc, TooBigToDecode):
        need = exc.args[0] if exc.args and isinstance(exc.args[0], int) else 0
        return (f"image too large to decode within the memory budget (needs about {need / 1024**3:.1f} GiB "
                f"of pixels; the limit is {DECODE_BUDGET / 1024**3:.2f} GiB)")
    if isinstance(exc, safeio.NotRegularFile):
        return f"not a regular file ({safeio.kind(exc.mode)}); only files are read"
    if isinstance(exc, MemoryError):
        return "not enough memory to decode this image"
    text = str(exc).strip()
    if "truncated" in text.lower() or "end of file" in text.lower():  # Pillow; libheif
        return "image is truncated (incomplete file)"
    if isinstance(exc, OSError) and exc.strerror:
        return f"cannot read: {exc.strerror}"
    return f"damaged image ({text[:120]})" if text else f"damaged image ({type(exc).__name__})"


def _same(a: os.stat_result, b: os.stat_result) -> bool:
    return (a.st_size, a.st_mtime_ns, a.st_ino) == (b.st_size, b.st_mtime_ns, b.st_ino)


class _Decoded(NamedTuple):
    """One file read and decoded, its thumbnails made: what waits for the batch's math."""

    size: int
    mtime_ns: int
    ctime_ns: int
    digest: bytes
    width: int
    height: int
    format: str
    taken: str | None
    camera: str | None
    gray: Image.Image  # as _decode gives it, detail deferred: the batch's thumbnails and math come after


def _prepare(path: str) -> _Decoded | DecodeFailure:
    """Read and decode one file. Never raises for a bad file: returns why."""
    try:
        # Opened without blocking and checked after opening: a FIFO, device or socket (even one put in
        # place of the file after discovery, or behind a followed link) is refused, never read.
        data, before = safeio.read_regular(path, MAX_FILE_BYTES)
        if before.st_size > MAX_FILE_BYTES:
            return DecodeFailure("file too large (over 2 GiB)", before.st_size, before.st_mtime_ns, before.st_ctime_ns)
        after = os.stat(path)
    except Exception as exc:  # noqa: BLE001 - any failure is a reason, not a crash
        return DecodeFailure(explain(exc))
    size, mtime, ctime = before.st_size, before.st_mtime_ns, before.st_ctime_ns
    if not _same(before, after) or len(data) != size:
        return DecodeFailure("file changed while it was being read", size, mtime, ctime)
    if size == 0:
        return DecodeFailure("empty file (0 bytes)", size, mtime, ctime)
    try:
        gray, width, height, fmt, _orientation, taken, camera = _decode(
            data, formats.raw_format(path) if formats.is_raw(path) else None, defer_detail=True)
    except Exception as exc:  # noqa: BLE001 - Pillow plugins raise anything on bad input
        announced = sniff(data[:SNIFF_BYTES])
        if isinstance(exc, UnidentifiedImageError) and announced:
            return DecodeFailure(f"damaged {announced} image (cannot be decoded)", size, mtime, ctime)
        return DecodeFailure(explain(exc), size, mtime, ctime)
    return _Decoded(size, mtime, ctime, safeio.content_digest(data), width, height, fmt, taken, camera, gray)


def _facts(d: _Decoded, done: hash_batch.Hashes, k: int) -> ImageFacts:
    return ImageFacts(size=d.size, mtime_ns=d.mtime_ns, ctime_ns=d.ctime_ns, digest=d.digest,
                      width=d.width, height=d.height, format=d.format, taken=d.taken, camera=d.camera,
                      contrast=done.contrast[k], hashes=done.hashes[k].astype("<u8").tobytes(),
                      views=done.views[k].astype("<u8").tobytes(), flatness=done.flatness[k])


def analyse(path: str) -> ImageFacts | DecodeFailure:
    """Read, decode and fingerprint one file. Never raises for a bad file: returns why."""
    return analyse_many([path])[0]


def analyse_many(paths: list[str], starting: Callable[[int], None] | None = None) -> list[ImageFacts | DecodeFailure]:
    """A batch for one worker task: each file read and decoded in turn (`starting(k)` called before the k-th),
    then the thumbnails and fingerprints' math for all of them at once (core/hash_batch.py): the same values
    as one by one."""
    prepared: list[ImageFacts | DecodeFailure | _Decoded] = []
    for k, path in enumerate(paths):
        if starting is not None:
            starting(k)
        item = _prepare(path)
        if isinstance(item, _Decoded) and item.gray.width * item.gray.height > HOLD_PIXELS:
            prepared.append(_alone(item))  # a long strip is not reduced: finished at once, not held for the batch
        else:
            prepared.append(item)
    decoded = [item for item in prepared if isinstance(item, _Decoded)]
    try:
        done = hash_batch.compute_many([d.gray for d in decoded])
        facts: list[ImageFacts | DecodeFailure] = [_facts(d, done, j) for j, d in enumerate(decoded)]
    except Exception:  # noqa: BLE001 - (memory) one file at a time then, so one failure costs only its file
        facts = [_alone(d) for d in decoded]
    found = iter(facts)
    return [next(found) if isinstance(item, _Decoded) else item for item in prepared]


def _alone(d: _Decoded) -> ImageFacts | DecodeFailure:
    try:
        return _facts(d, hash_batch.compute_many([d.gray]), 0)
    except Exception as exc:  # noqa: BLE001 - a reason, not a crash
        return DecodeFailure(explain(exc), d.size, d.mtime_ns, d.ctime_ns)
