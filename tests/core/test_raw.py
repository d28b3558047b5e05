"""Camera RAW through LibRaw, on DNG files written with pidng from generated photos' Bayer mosaics."""

from __future__ import annotations

import io
from pathlib import Path

import imagehash
import numpy as np
import pytest
from PIL import Image

from dupeview.core import decode, raw, viewing
from dupeview.core.decode import DecodeFailure, ImageFacts
from dupeview.core.fingerprint import ALGORITHMS
from tests.images import corrupt_jpeg, dng_bytes, jpeg_bytes, photo, raw_data_past_the_end

pytest.importorskip("rawpy", reason="camera RAW support needs rawpy")
pytest.importorskip("pidng", reason="the RAW tests write DNG files with pidng (test extra)")

SIZE = (320, 240)


def phash(facts: ImageFacts | DecodeFailure) -> int:
    assert isinstance(facts, ImageFacts), facts
    return int(np.frombuffer(facts.hashes, "<u8").reshape(len(ALGORITHMS), -1)[ALGORITHMS.index("phash"), 0])


def distance(a: ImageFacts | DecodeFailure, b: ImageFacts | DecodeFailure) -> int:
    return int(np.bitwise_count(np.uint64(phash(a)) ^ np.uint64(phash(b))))


def write(path: Path, data: bytes) -> str:
    path.write_bytes(data)
    return str(path)


def open_dng(data: bytes, mode: str = "RGB", size: tuple[int, int] = (4096, 4096)) -> raw.RawPicture:
    return raw.open_raw(data, mode, size, decode._read_exif, decode.MAX_PIXELS)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_libraw_renders_a_pidng_mosaic_back_to_the_photo(seed: int) -> None:
    img = photo(seed, SIZE)
    pic = open_dng(dng_bytes(img))
    assert pic.source == "render" and pic.image.size == (SIZE[0] // 2, SIZE[1] // 2)  # half-size demosaic
    assert (pic.width, pic.height) == SIZE
    # The same picture: pHash (imagehash) within one bit pair, pixels within a few grey levels.
    assert imagehash.phash(pic.image) - imagehash.phash(img) <= 2
    small = np.asarray(img.resize(pic.image.size, Image.Resampling.BOX), dtype=np.float64)
    assert np.abs(np.asarray(pic.image, dtype=np.float64) - small).mean() < 12


def test_a_dng_fingerprints_like_the_photo_it_was_made_from(tmp_path: Path) -> None:
    img = photo(4, SIZE)
    dng = decode.analyse(write(tmp_path / "IMG_0001.DNG", dng_bytes(img)))
    png = decode.analyse(str(_save(img, tmp_path / "orig.png")))
    jpg = decode.analyse(write(tmp_path / "IMG_0001.JPG", jpeg_bytes(img, 92)))
    assert isinstance(dng, ImageFacts) and dng.format == "DNG" and (dng.width, dng.height) == SIZE
    assert distance(dng, png) <= 2 and distance(dng, jpg) <= 4
    other = decode.analyse(write(tmp_path / "other.dng", dng_bytes(photo(5, SIZE))))
    assert distance(dng, other) > 12   # and it is not similar to everything


def _save(img: Image.Image, path: Path) -> Path:
    img.save(path)
    return path


def test_metadata_comes_from_the_raw(tmp_path: Path) -> None:
    img = photo(6, SIZE)
    facts = decode.analyse(write(tmp_path / "a.dng", dng_bytes(img, make="Nikon", model="Nikon Z 6", date="2020:02:29 08:15:00")))
    assert isinstance(facts, ImageFacts)
    assert facts.camera == "Nikon Z 6" and facts.taken == "2020-02-29T08:15:00"
    undated = decode.analyse(write(tmp_path / "b.dng", dng_bytes(img, date=None)))
    assert isinstance(undated, ImageFacts) and undated.taken is None  # never LibRaw's zero timestamp (1970)
    assert undated.camera == "Testcam X1"


def test_orientation_from_the_raw_turns_the_picture(tmp_path: Path) -> None:
    img = photo(7, SIZE)
    upright = decode.analyse(write(tmp_path / "up.dng", dng_bytes(img)))
    # Stored turned, with orientation 6 (rotate 90 clockwise to show): the same picture once shown.
    turned = decode.analyse(write(tmp_path / "turned.dng", dng_bytes(img.transpose(Image.Transpose.ROTATE_90), orientation=6)))
    assert isinstance(turned, ImageFacts) and (turned.width, turned.height) == SIZE
    assert distance(turned, upright) <= 2
    shown = viewing.open_image(str(tmp_path / "turned.dng"), 1000)
    assert shown.size == (SIZE[0] // 2, SIZE[1] // 2)


def test_the_embedded_preview_is_the_fast_path(tmp_path: Path) -> None:
    img = photo(8, SIZE)
    camera_jpeg = jpeg_bytes(img, 90)
    data = dng_bytes(img, preview=camera_jpeg)
    pic = open_dng(data)
    assert pic.source == "preview" and pic.image.size == SIZE
    dng = decode.analyse(write(tmp_path / "IMG_0002.DNG", data))
    jpg = decode.analyse(write(tmp_path / "IMG_0002.JPG", camera_jpeg))
    assert isinstance(dng, ImageFacts) and dng.format == "DNG" and dng.camera == "Testcam X1"
    assert dng.hashes == jpg.hashes  # type: ignore[union-attr]  # decoded exactly as the camera's JPEG


def test_a_small_or_misshapen_preview_is_not_used(tmp_path: Path) -> None:
    img = photo(9, (640, 480))
    thumb = open_dng(dng_bytes(img, preview=jpeg_bytes(img.resize((160, 120)))))
    assert thumb.source == "render"  # a 160 px thumbnail is not the photo
    letterbox = open_dng(dng_bytes(img, preview=jpeg_bytes(img.resize((640, 360)))))
    assert letterbox.source == "render"  # not the sensor's shape
    # For a small thumbnail in the GUI, a big enough preview is used at reduced size.
    small = open_dng(dng_bytes(img, preview=jpeg_bytes(img)), "RGB", (128, 128))
    assert small.source == "preview" and max(small.image.size) < 640


def test_a_corrupt_preview_falls_back_to_the_raw_data(tmp_path: Path) -> None:
    img = photo(10, SIZE)
    broken = corrupt_jpeg(jpeg_bytes(img, 90))
    facts = decode.analyse(write(tmp_path / "corrupt_preview.dng", dng_bytes(img, preview=broken, preview_size=SIZE)))
    reference = decode.analyse(write(tmp_path / "plain.dng", dng_bytes(img)))
    assert isinstance(facts, ImageFacts) and isinstance(reference, ImageFacts)
    assert facts.hashes == reference.hashes  # the half-size render, as if there were no preview


@pytest.mark.parametrize(("name", "make", "words"), [
    ("truncated.dng", lambda d: d[: len(d) // 2], "damaged or truncated"),
    ("header_only.nef", lambda d: d[:300], "damaged or truncated"),
    ("random.cr2", lambda d: np.random.default_rng(1).integers(0, 256, 20000, dtype=np.uint8).tobytes(), "cannot read"),
    ("tiff_not_raw.arw", lambda d: _tiff(), "cannot read"),
    ("text.orf", lambda d: b"just some words, not a raw file\n" * 100, "cannot read"),
])
def test_bad_raw_files_are_failures_with_a_plain_reason(tmp_path: Path, name: str, make, words: str) -> None:
    data = dng_bytes(photo(11, SIZE))
    result = decode.analyse(write(tmp_path / name, make(data)))
    assert isinstance(result, DecodeFailure), result
    assert words in result.reason and "RAW" in result.reason


def test_damaged_raw_data_with_a_corrupt_preview_is_a_failure(tmp_path: Path) -> None:
    img = photo(12, SIZE)
    data = raw_data_past_the_end(dng_bytes(img, preview=corrupt_jpeg(jpeg_bytes(img, 90)), preview_size=SIZE))
    result = decode.analyse(write(tmp_path / "both_bad.dng", data))
    assert isinstance(result, DecodeFailure) and "damaged or truncated camera RAW" in result.reason
    # With a good preview, the same damaged RAW data is never read: the preview is the picture.
    fine = decode.analyse(write(tmp_path / "preview_ok.dng", raw_data_past_the_end(dng_bytes(img, preview=jpeg_bytes(img, 90)))))
    assert isinstance(fine, ImageFacts)


def _tiff() -> bytes:
    buf = io.BytesIO()
    photo(13, (64, 48)).save(buf, "TIFF")
    return buf.getvalue()


def test_raw_too_large_is_refused_before_decoding() -> None:
    with pytest.raises(raw.RawError, match="too large"):
        raw.open_raw(dng_bytes(photo(14, SIZE)), "L", (64, 64), decode._read_exif, max_pixels=1000)


def test_a_libraw_crash_costs_one_file(tmp_path: Path) -> None:
    from dupeview.core.cache import FingerprintCache
    from dupeview.core.scanner import CRASH_REASON, ScanSettings, scan
    from tests import crashers

    for k in range(6):
        (tmp_path / f"IMG_{k:04d}.DNG").write_bytes(dng_bytes(photo(40 + k, (96, 72))))
    (tmp_path / "IMG_0099.DNG").write_bytes(crashers.RAW_MAGIC + b"\0" * 200)
    with FingerprintCache(None) as cache:
        library = scan(ScanSettings((str(tmp_path),), workers=2, batch_size=2, worker_setup=crashers.install_raw), cache)
    assert len(library) == 6
    assert [(Path(s.path).name, s.reason) for s in library.skipped] == [("IMG_0099.DNG", CRASH_REASON)]
