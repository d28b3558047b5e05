"""Which files are pictures dupeview compares, and what every other file is: by extension, else by content."""

from __future__ import annotations

import contextlib
import functools
from typing import Final

IMAGE_EXTENSIONS: Final = frozenset({
    ".jpg", ".jpeg", ".jpe", ".jfif", ".png", ".webp", ".gif", ".bmp", ".dib",
    ".tif", ".tiff", ".heic", ".heif", ".hif", ".avif", ".jxl",
    ".jp2", ".j2k", ".jpf", ".jpx", ".qoi", ".pnm", ".ppm", ".pgm", ".pbm",
})

# Camera RAW files, read through LibRaw (core/raw.py). Most are TIFF inside, so the
# extension, not the content, says a file is one: Pillow would read a thumbnail or garbage.
RAW_EXTENSIONS: Final = frozenset({
    ".cr2", ".cr3", ".crw", ".nef", ".nrw", ".arw", ".srf", ".sr2", ".dng", ".orf",
    ".rw2", ".raf", ".pef", ".srw", ".x3f", ".3fr", ".erf", ".kdc", ".mrw", ".raw",
    ".dcr", ".mef", ".mos", ".iiq", ".rwl", ".fff",
})
# The format name a RAW file's record carries, by extension: "DNG", "CR2", ...
RAW_FORMATS: Final = frozenset(ext[1:].upper() for ext in RAW_EXTENSIONS)

VIDEO_EXTENSIONS: Final = frozenset({
    ".mp4", ".m4v", ".mov", ".qt", ".avi", ".mkv", ".webm", ".wmv", ".asf", ".flv", ".f4v",
    ".mpg", ".mpeg", ".mpe", ".m2v", ".vob", ".mts", ".m2ts", ".ts", ".3gp", ".3g2", ".mxf",
    ".ogv", ".dv", ".insv", ".lrv", ".crm", ".braw", ".r3d",
})
PSD_EXTENSIONS: Final = frozenset({".psd", ".psb"})
# Files that describe a photo rather than hold one (edits, ratings, a video's thumbnail).
SIDECAR_EXTENSIONS: Final = frozenset({".xmp", ".thm", ".aae", ".pp3", ".dop", ".on1", ".cos", ".arp"})

# What a file under the roots is, as far as a scan is concerned.
IMAGE: Final = "image"
RAW: Final = "raw"
VIDEO: Final = "video"
PSD: Final = "psd"
SIDECAR: Final = "sidecar"
OTHER: Final = "other"

_HEIF_BRANDS: Final = frozenset({b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"hevm",
                                 b"hevs", b"mif1", b"msf1", b"avif", b"avis"})
_AUDIO_BRANDS: Final = frozenset({b"M4A ", b"M4B ", b"M4P "})
_JXL_CONTAINER: Final = b"\x00\x00\x00\x0cJXL \r\n\x87\n"
# Pillow plugins that recognise a file but cannot decode a picture from it here (stubs,
# external programs), or whose files are not compared on purpose (PSD: layered documents).
_NOT_PICTURES: Final = frozenset({"PSD", "MPEG", "BUFR", "GRIB", "HDF5", "EPS", "WMF", "IPTC"})

# Enough for every signature below and for the accept() tests of Pillow's plugins.
SNIFF_BYTES: Final = 64


def _ext(name: str) -> str:
    dot = name.rfind(".")
    return name[dot:].lower() if dot >= 0 else ""


def has_image_extension(name: str) -> bool:
    return _ext(name) in IMAGE_EXTENSIONS


def is_raw(name: str) -> bool:
    return _ext(name) in RAW_EXTENSIONS


def raw_format(name: str) -> str:
    """The format name of a RAW file's record: its extension in capitals."""
    return _ext(name)[1:].upper()


def kind_by_name(name: str) -> str | None:
    """The kind a file's extension announces, or None: its content must tell."""
    ext = _ext(name)
    if ext in IMAGE_EXTENSIONS:
        return IMAGE
    if ext in RAW_EXTENSIONS:
        return RAW
    if ext in VIDEO_EXTENSIONS:
        return VIDEO
    if ext in PSD_EXTENSIONS:
        return PSD
    if ext in SIDECAR_EXTENSIONS:
        return SIDECAR
    return None


def kind_by_content(head: bytes) -> str:
    """The kind the first SNIFF_BYTES of a file announce (OTHER when nothing matches)."""
    if head[:4] == b"8BPS":
        return PSD
    if _video(head):
        return VIDEO
    if head[4:12] == b"ftypcrx " or head.startswith(b"FUJIFILMCCD-RAW") or head[:4] in (b"IIRO", b"IIRS", b"MMOR", b"IIU\x00"):
        return RAW
    if sniff(head) is not None:
        return IMAGE
    return OTHER


def _video(head: bytes) -> bool:
    box = head[4:8]
    if box == b"ftyp":
        brand = head[8:12]
        return brand not in _HEIF_BRANDS and brand not in _AUDIO_BRANDS and brand != b"crx "
    if box in (b"moov", b"mdat", b"wide", b"free", b"skip", b"pnot"):  # QuickTime without ftyp
        return True
    return (head[:4] == b"RIFF" and head[8:12] == b"AVI ") or head[:4] == b"\x1aE\xdf\xa3" \
        or head[:4] in (b"\x00\x00\x01\xba", b"\x00\x00\x01\xb3") or head[:4] == b"FLV\x01" \
        or head[:8] == b"\x30\x26\xb2\x75\x8e\x66\xcf\x11"


def sniff(head: bytes) -> str | None:
    """The picture format the first bytes announce, or None."""
    if head.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "GIF"
    if head.startswith(b"BM") and len(head) >= 14:
        return "BMP"
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return "TIFF"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WEBP"
    if head[4:8] == b"ftyp" and head[8:12] in _HEIF_BRANDS:
        return "AVIF" if head[8:12] in (b"avif", b"avis") else "HEIF"
    if is_jxl(head):
        return "JXL"
    return plugin_format(head)


def is_jxl(head: bytes) -> bool:
    """A JPEG XL codestream or container."""
    return head[:2] == b"\xff\x0a" or head[:12] == _JXL_CONTAINER


def plugin_format(head: bytes) -> str | None:
    """The format of any registered Pillow plugin (built in or added since) that accepts these bytes."""
    from PIL import Image

    Image.init()
    for fmt, (_factory, accept) in list(Image.OPEN.items()):
        if accept is None or fmt in _NOT_PICTURES:
            continue  # a plugin without a signature test would claim every file
        try:
            ok = accept(head)
        except Exception:  # noqa: BLE001 - a third-party accept() failing means "not mine"
            continue
        if ok and not isinstance(ok, str):  # Pillow: a str is a reason for refusing
            return str(fmt)
    return None


@functools.cache
def register_jxl() -> bool:
    """Registers the JPEG XL plugin on first need (it costs ~30 ms to import); False if missing."""
    with contextlib.suppress(ImportError):
        import pillow_jxl  # noqa: F401 - registers the JXL opener with Pillow
        return True
    return False
