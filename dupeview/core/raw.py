"""Camera RAW files through LibRaw: the embedded JPEG preview when there is a big one, else a half-size render."""

from __future__ import annotations

import contextlib
import datetime
import functools
import io
import os
import struct
import threading
import warnings
from collections.abc import Callable, Iterator
from types import ModuleType
from typing import Any, Final, NamedTuple

from PIL import Image

# An embedded preview smaller than this (long edge, pixels) is a thumbnail, not the photo:
# the RAW is rendered instead. 256 px is four times what the fingerprints look at.
PREVIEW_MIN_EDGE: Final = 256
# A preview whose shape differs more than this from the sensor's is letterboxed or cropped.
ASPECT_TOLERANCE: Final = 0.03
# LibRaw's flip codes as EXIF orientations (LibRaw itself writes "12435867"[flip]).
_FLIP_TO_ORIENTATION: Final = {0: 1, 1: 2, 2: 4, 3: 3, 4: 5, 5: 8, 6: 6, 7: 7}
# Dates in the metadata of a digital RAW before this are a zero timestamp, not a date.
_FIRST_PLAUSIBLE: Final = "1975"

ExifReader = Callable[[Image.Image], tuple[int, "str | None", "str | None"]]


class RawError(Exception):
    """A RAW file that cannot be read; str(exc) is the reason in plain words."""


class RawPicture(NamedTuple):
    image: Image.Image  # the preview or the half-size render, as stored (before orientation), loaded
    width: int          # the whole RAW picture's size as stored (before orientation)
    height: int
    orientation: int    # EXIF orientation, from LibRaw's reading of the RAW's metadata
    taken: str | None
    camera: str | None
    source: str         # "preview" or "render"


@functools.cache
def _rawpy() -> ModuleType:
    """rawpy, imported on the first RAW file: ~70 ms that a scan without RAW files never pays.

    LibRaw's OpenMP threads are held to one (unless the user set OMP_NUM_THREADS): a scan
    already runs one decoder process per core, and threads on top of that only fight over
    the same cores. OpenMP reads the variable when LibRaw first loads it: at this import.
    """
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    import rawpy

    return rawpy


def available() -> bool:
    try:
        _rawpy()
    except ImportError:
        return False
    return True


_quiet_lock = threading.Lock()
_quiet_depth = 0
_saved_stderr = -1


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    """LibRaw prints data errors ("Unexpected end of file") on stderr itself: hide them, the reason is reported.

    fd 2 goes to /dev/null while any thread is inside LibRaw (a count, so threads can overlap);
    other output to stderr in that moment is lost too, a price for a clean CLI.
    """
    global _quiet_depth, _saved_stderr
    with _quiet_lock:
        if _quiet_depth == 0:
            try:
                saved, null = os.dup(2), os.open(os.devnull, os.O_WRONLY)
            except OSError:
                saved = null = -1
            if saved >= 0:
                os.dup2(null, 2)
                os.close(null)
            _saved_stderr = saved
        _quiet_depth += 1
    try:
        yield
    finally:
        with _quiet_lock:
            _quiet_depth -= 1
            if _quiet_depth == 0 and _saved_stderr >= 0:
                os.dup2(_saved_stderr, 2)
                os.close(_saved_stderr)
                _saved_stderr = -1


class _Buffer:
    """What LibRaw's open_buffer reads from: the file's bytes as they are, without a copy."""

    def __init__(self, data: bytes) -> None:
        self._data = data

    def read(self) -> bytes:
        return self._data


def open_raw(data: bytes, mode: str, size: tuple[int, int], read_exif: ExifReader,
             max_pixels: int) -> RawPicture:
    """Decode a RAW file's bytes to about `size` (a JPEG preview draft-decoded there) in `mode`.

    read_exif turns an image's EXIF into (orientation, taken, camera). Raises RawError.
    """
    try:
        rawpy = _rawpy()
    except ImportError as exc:
        raise RawError("camera RAW support (rawpy) is not installed") from exc
    try:
        with _quiet(), rawpy.RawPy() as raw:
            raw.open_buffer(_Buffer(data))
            sizes = raw.sizes
            width, height = int(sizes.width), int(sizes.height)
            if width <= 0 or height <= 0:
                raise RawError("damaged camera RAW (no picture in it)")
            if width * height > max_pixels:
                raise RawError(f"image too large to decode safely (over {max_pixels // 1_000_000} megapixels)")
            orientation = _FLIP_TO_ORIENTATION.get(int(sizes.flip), 1)
            preview = _preview(raw, rawpy, width, height, mode, size)
            if preview is not None:
                image, source, stamp = preview, "preview", None
            else:
                rgb = raw.postprocess(half_size=True, use_camera_wb=True, output_bps=8, user_flip=0)
                image, source = Image.fromarray(rgb, "RGB"), "render"
                stamp = _timestamp(raw)
                if mode == "L":
                    image = image.convert("L")
    except rawpy.LibRawError as exc:
        raise RawError(explain(exc)) from exc
    taken, camera = _facts(data, image if source == "preview" else None, read_exif)
    return RawPicture(image, width, height, orientation, taken or stamp, camera, source)


def _preview(raw: Any, rawpy: ModuleType, width: int, height: int, mode: str, size: tuple[int, int]) -> Image.Image | None:
    """The embedded preview, decoded, if it is big enough and of the sensor's shape; else None."""
    try:
        thumb = raw.extract_thumb()
    except rawpy.LibRawError:
        return None  # none, or unreadable: the RAW data itself may well be fine
    try:
        image: Image.Image
        if thumb.format == rawpy.ThumbFormat.JPEG:
            image = Image.open(io.BytesIO(thumb.data))
            if image.format != "JPEG":
                return None
        else:
            image = Image.fromarray(thumb.data)
        pw, ph = image.size
        want = min(max(size), max(width, height))
        if max(pw, ph) < min(PREVIEW_MIN_EDGE, max(width, height)) or max(pw, ph) < want // 2 \
                or abs(pw / ph - width / height) > ASPECT_TOLERANCE * width / height:
            return None
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            image.draft(mode, size)
            image.load()  # here, so that a damaged preview falls back to rendering the RAW
        return image if image.mode == mode else image.convert(mode)
    except Exception:  # noqa: BLE001 - Pillow raises anything on a damaged preview: render instead
        return None


def _timestamp(raw: Any) -> str | None:
    try:
        stamp = raw.other.timestamp
    except Exception:  # noqa: BLE001 - LibRaw's metadata is a nicety
        return None
    if not isinstance(stamp, datetime.datetime):
        return None
    text = stamp.strftime("%Y-%m-%dT%H:%M:%S")
    return text if text >= _FIRST_PLAUSIBLE else None


def _facts(data: bytes, preview: Image.Image | None, read_exif: ExifReader) -> tuple[str | None, str | None]:
    """Date taken and camera: the RAW's own metadata first, then the preview's EXIF."""
    taken: str | None = None
    camera: str | None = None
    for source in (_container_exif(data), preview):
        if source is None:
            continue
        _orientation, t, c = read_exif(source)
        if t is not None and t < _FIRST_PLAUSIBLE:
            t = None  # LibRaw writes a zero timestamp into previews that have no EXIF of their own
        taken, camera = taken or t, camera or c
        if taken and camera:
            break
    return taken, camera


def _container_exif(data: bytes) -> Image.Image | None:
    """An empty image carrying the RAW's TIFF metadata as its EXIF (for the one EXIF reader)."""
    head = data[:4]
    tiff: bytes | None = None
    if head in (b"II*\x00", b"MM\x00*"):  # DNG, CR2, NEF, ARW, PEF, SRW, 3FR, ERF, ...
        tiff = data
    elif head in (b"IIRO", b"IIRS", b"IIU\x00"):  # Olympus ORF, Panasonic RW2: TIFF with a private magic
        tiff = b"II*\x00" + data[4:]
    elif head == b"MMOR":
        tiff = b"MM\x00*" + data[4:]
    elif data[4:12] == b"ftypcrx ":  # Canon CR3: IFD0 in a CMT1 box
        tiff = _cr3_ifd0(data)
    if tiff is None:
        return None
    holder = Image.new("L", (1, 1))
    holder.info["exif"] = tiff
    return holder


def _cr3_ifd0(data: bytes) -> bytes | None:
    at = data.find(b"CMT1", 0, 1 << 20)
    if at < 4:
        return None
    (box,) = struct.unpack(">I", data[at - 4:at])
    return data[at + 4:at - 4 + box] if box > 8 else None


def explain(exc: BaseException) -> str:
    """A plain-words reason for a RAW file LibRaw could not read."""
    rawpy = _rawpy()
    detail = exc.args[0] if exc.args else ""
    if isinstance(detail, bytes):
        detail = detail.decode("utf-8", "replace")
    detail = str(detail).strip()
    if isinstance(exc, rawpy.LibRawFileUnsupportedError):
        return "unknown camera RAW: LibRaw cannot read it"
    if isinstance(exc, (rawpy.LibRawTooBigError, rawpy.LibRawUnsufficientMemoryError, rawpy.LibRawMemPoolOverflowError)):
        return "RAW image too large to decode safely"
    if isinstance(exc, (rawpy.LibRawDataError, rawpy.LibRawIOError)):
        return "damaged or truncated camera RAW (LibRaw could not read its picture data)"
    return f"damaged camera RAW (LibRaw: {detail[:100]})" if detail else "damaged camera RAW"
