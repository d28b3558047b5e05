"""EXIF facts of files with nothing for Image.getexif() to read are known without asking it, and are what it gives."""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest
from PIL import Image, PngImagePlugin

from dupeview.core import decode
from tests.images import photo


def _jpeg(**kw: object) -> bytes:
    buf = io.BytesIO()
    photo(1, (40, 30)).save(buf, "JPEG", **kw)
    return buf.getvalue()


def _exif(orientation: int, camera: str) -> bytes:
    exif = Image.Exif()
    exif[0x0112], exif[0x0110], exif[0x0132] = orientation, camera, "2021:05:06 07:08:09"
    return exif.tobytes()


def _png(text: dict[str, str] | None = None, exif: bytes | None = None) -> bytes:
    buf = io.BytesIO()
    info = PngImagePlugin.PngInfo()
    for k, v in (text or {}).items():
        info.add_text(k, v)
    photo(2, (40, 30)).save(buf, "PNG", pnginfo=info, **({"exif": exif} if exif else {}))
    return buf.getvalue()


def _tiff() -> bytes:
    buf = io.BytesIO()
    photo(3, (40, 30)).save(buf, "TIFF", exif=_exif(8, "Tiff Cam"))
    return buf.getvalue()


XMP = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF><rdf:Description tiff:Orientation="6"/></rdf:RDF></x:xmpmeta>'
FILES: dict[str, Callable[[], bytes]] = {
    "plain jpeg": _jpeg,
    "jpeg with exif": lambda: _jpeg(exif=_exif(6, "Cam One")),
    "jpeg with xmp only": lambda: _jpeg(xmp=XMP),
    "plain png": _png,
    "png with exif": lambda: _png(exif=_exif(3, "Cam Two")),
    "png with a raw exif profile": lambda: _png({"Raw profile type exif": "\nexif\n  0\n" + _exif(6, "C").hex()}),
    "tiff with tags": _tiff,
    "gif": lambda: _save(photo(4, (40, 30)).convert("P"), "GIF"),
}


def _save(img: Image.Image, fmt: str) -> bytes:
    buf = io.BytesIO()
    img.save(buf, fmt)
    return buf.getvalue()


@pytest.mark.parametrize("name", sorted(FILES))
def test_exif_facts_are_what_image_getexif_gives(name: str) -> None:
    data = FILES[name]()
    fast = decode._read_exif(Image.open(io.BytesIO(data)))
    full = Image.open(io.BytesIO(data))
    full.info.setdefault("xmp", b"")  # an empty XMP block: getexif() is asked, and finds what the file has
    assert fast == decode._read_exif(full)


def test_the_files_hold_what_they_say() -> None:
    assert decode._read_exif(Image.open(io.BytesIO(FILES["jpeg with exif"]())))[::2] == (6, "Cam One")
    assert decode._read_exif(Image.open(io.BytesIO(FILES["jpeg with xmp only"]())))[0] == 6
    assert decode._read_exif(Image.open(io.BytesIO(FILES["png with exif"]())))[::2] == (3, "Cam Two")
    assert decode._read_exif(Image.open(io.BytesIO(FILES["tiff with tags"]())))[::2] == (8, "Tiff Cam")
    assert decode._read_exif(Image.open(io.BytesIO(FILES["plain jpeg"]()))) == (1, None, None)
