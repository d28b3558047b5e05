"""Decoding real image files: edits and orientations match, broken files give a plain reason."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from dupeview.core.decode import DecodeFailure, ImageFacts, analyse
from dupeview.core.fingerprint import ALGORITHMS
from tests.images import jpeg_bytes, photo, save, with_orientation


def phash(facts: ImageFacts | DecodeFailure, column: int = 0) -> int:
    assert isinstance(facts, ImageFacts), facts
    return int(np.frombuffer(facts.hashes, "<u8").reshape(len(ALGORITHMS), 8)[0, column])


def distance(a: ImageFacts | DecodeFailure, b: ImageFacts | DecodeFailure) -> int:
    return bin(phash(a) ^ phash(b)).count("1")


@pytest.fixture
def original(tmp_path: Path) -> Path:
    return save(photo(1, (640, 480)), tmp_path / "original.jpg", quality=95)


def test_facts_of_a_jpeg(original: Path) -> None:
    facts = analyse(str(original))
    assert isinstance(facts, ImageFacts)
    assert (facts.width, facts.height, facts.format) == (640, 480, "JPEG")
    assert facts.size == original.stat().st_size and len(facts.digest) == 16


@pytest.mark.parametrize("edit", ["resize", "reencode", "png", "webp", "gray", "bmp", "tiff", "gif"])
def test_edits_stay_close(original: Path, tmp_path: Path, edit: str) -> None:
    img = Image.open(original)
    target = tmp_path / f"copy.{edit}"
    if edit == "resize":
        save(img.resize((320, 240)), target, "JPEG", quality=80)
    elif edit == "reencode":
        save(img, target, "JPEG", quality=60)
    elif edit == "gray":
        save(img.convert("L"), target, "JPEG")
    elif edit == "gif":
        save(img.convert("P"), target, "GIF")
    else:
        save(img, target, {"png": "PNG", "webp": "WEBP", "bmp": "BMP", "tiff": "TIFF"}[edit])
    assert distance(analyse(str(original)), analyse(str(target))) <= 6


@pytest.mark.parametrize("orientation", range(1, 9))
def test_exif_orientation_is_applied(tmp_path: Path, orientation: int) -> None:
    img = photo(2, (400, 300))
    plain = save(img, tmp_path / "plain.jpg", quality=92)
    turned = with_orientation(img, orientation, tmp_path / f"o{orientation}.jpg")
    a, b = analyse(str(plain)), analyse(str(turned))
    assert distance(a, b) <= 4
    assert isinstance(b, ImageFacts) and (b.width, b.height) == (400, 300)


@pytest.mark.parametrize("value", [0, 9, 65535])
def test_invalid_orientation_is_ignored(tmp_path: Path, value: int) -> None:
    exif = Image.Exif()
    exif[0x0112] = value
    path = tmp_path / "odd.jpg"
    path.write_bytes(jpeg_bytes(photo(3), exif=exif.tobytes()))
    assert isinstance(analyse(str(path)), ImageFacts)


def test_rotated_pixels_match_only_their_variant(original: Path, tmp_path: Path) -> None:
    rotated = save(Image.open(original).transpose(Image.Transpose.ROTATE_90), tmp_path / "r.jpg", quality=95)
    a, b = analyse(str(original)), analyse(str(rotated))
    assert distance(a, b) > 12
    assert bin(phash(a, 5) ^ phash(b, 0)).count("1") <= 4  # column 5 is "rot90"


def test_date_taken_and_camera(tmp_path: Path) -> None:
    exif = Image.Exif()
    exif[0x010F] = "Canon"
    exif[0x0110] = "Canon EOS 5D"
    exif.get_ifd(0x8769)[0x9003] = "2019:07:04 12:30:05"
    path = tmp_path / "cam.jpg"
    path.write_bytes(jpeg_bytes(photo(4), exif=exif.tobytes()))
    facts = analyse(str(path))
    assert isinstance(facts, ImageFacts)
    assert facts.taken == "2019-07-04T12:30:05" and facts.camera == "Canon EOS 5D"


def test_wrong_extension_is_decoded_by_content(original: Path, tmp_path: Path) -> None:
    liar = tmp_path / "actually_jpeg.png"
    liar.write_bytes(original.read_bytes())
    facts = analyse(str(liar))
    assert isinstance(facts, ImageFacts) and facts.format == "JPEG"


def _png_header_only(width: int, height: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")


@pytest.mark.parametrize("name,content,reason", [
    ("empty.jpg", b"", "empty file"),
    ("random.jpg", bytes(np.random.default_rng(0).integers(0, 256, 5000, dtype=np.uint8)), "not an image"),
    ("text.png", b"hello, I am not a picture\n" * 20, "not an image"),
    ("bomb.png", _png_header_only(30000, 30000), "too large"),
])
def test_bad_files_give_plain_reasons(tmp_path: Path, name: str, content: bytes, reason: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    result = analyse(str(path))
    assert isinstance(result, DecodeFailure) and reason in result.reason


@pytest.mark.parametrize("fmt", ["JPEG", "PNG"])
def test_truncated_file(tmp_path: Path, fmt: str) -> None:
    buf = io.BytesIO()
    photo(5, (600, 400)).save(buf, fmt)
    path = tmp_path / f"cut.{fmt.lower()}"
    path.write_bytes(buf.getvalue()[: len(buf.getvalue()) // 2])
    result = analyse(str(path))
    assert isinstance(result, DecodeFailure)
    assert "truncated" in result.reason or "damaged" in result.reason


def test_missing_file(tmp_path: Path) -> None:
    result = analyse(str(tmp_path / "gone.jpg"))
    assert isinstance(result, DecodeFailure) and "disappeared" in result.reason


def test_sixteen_bit_png_is_not_washed_out(tmp_path: Path) -> None:
    img8 = photo(6).convert("L")
    arr16 = np.asarray(img8, dtype=np.uint16) * 257
    path16 = tmp_path / "deep.png"
    Image.fromarray(arr16).save(path16)
    path8 = save(img8, tmp_path / "plain.png")
    assert distance(analyse(str(path16)), analyse(str(path8))) <= 2


def test_cmyk_and_transparent_palette(tmp_path: Path) -> None:
    img = photo(7)
    cmyk = save(img.convert("CMYK"), tmp_path / "cmyk.jpg", "JPEG", quality=95)
    rgb = save(img, tmp_path / "rgb.jpg", "JPEG", quality=95)
    assert distance(analyse(str(cmyk)), analyse(str(rgb))) <= 6
    pal = img.convert("P")
    pal.info["transparency"] = 0
    assert isinstance(analyse(str(save(pal, tmp_path / "pal.png"))), ImageFacts)


def test_animated_gif_uses_first_frame(tmp_path: Path) -> None:
    first, second = photo(8), photo(9)
    path = tmp_path / "anim.gif"
    first.save(path, save_all=True, append_images=[second], duration=100, loop=0)
    still = save(first, tmp_path / "first.gif")
    assert distance(analyse(str(path)), analyse(str(still))) <= 2
