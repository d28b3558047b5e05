"""Formats: JPEG XL and other Pillow plugins by content, and every file that is not compared, by kind."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from PIL import Image, ImageFile

from dupeview.core import coverage, decode, formats, viewing
from dupeview.core.decode import ImageFacts
from dupeview.core.discovery import DiscoveryOptions, discover
from tests.images import fake_psd, fake_video, jpeg_bytes, jxl_bytes, photo, save

pytest.importorskip("pillow_jxl", reason="JPEG XL needs pillow-jxl-plugin")


def rel(entries: list, root: Path) -> list[tuple[str, str]]:
    return sorted((os.path.relpath(e.path, root), e.kind) for e in entries)


def test_jpeg_xl_is_read_by_extension_and_by_content(tmp_path: Path) -> None:
    img = photo(1, (160, 120))
    data = jxl_bytes(img, quality=90)
    assert formats.sniff(data[:formats.SNIFF_BYTES]) == "JXL"
    (tmp_path / "a.jxl").write_bytes(data)
    (tmp_path / "no_extension").write_bytes(data)
    found = discover([str(tmp_path)])
    assert sorted(os.path.basename(f.path) for f in found.files) == ["a.jxl", "no_extension"]
    facts = decode.analyse(str(tmp_path / "a.jxl"))
    jpeg = decode.analyse(str(save(img, tmp_path / "a.jpg", quality=92)))
    assert isinstance(facts, ImageFacts) and facts.format == "JXL" and (facts.width, facts.height) == (160, 120)
    assert isinstance(jpeg, ImageFacts)
    assert viewing.open_image(str(tmp_path / "no_extension"), 80).size == (80, 60)


def test_a_lossless_jxl_fingerprints_like_its_png(tmp_path: Path) -> None:
    img = photo(2, (128, 96))
    a = decode.analyse(str(save(img, tmp_path / "a.png")))
    (tmp_path / "a.jxl").write_bytes(jxl_bytes(img, lossless=True))
    b = decode.analyse(str(tmp_path / "a.jxl"))
    assert isinstance(a, ImageFacts) and isinstance(b, ImageFacts) and a.hashes == b.hashes


def test_pillow_plugins_are_found_by_content(tmp_path: Path) -> None:
    img = photo(3, (64, 48))
    for fmt, name in (("PPM", "portable_anymap"), ("QOI", "quite_ok"), ("JPEG2000", "jp2_data")):
        buf = io.BytesIO()
        img.save(buf, fmt)
        (tmp_path / name).write_bytes(buf.getvalue())
    found = discover([str(tmp_path)])
    assert sorted(os.path.basename(f.path) for f in found.files) == ["jp2_data", "portable_anymap", "quite_ok"]
    assert found.not_compared == []
    assert all(isinstance(decode.analyse(f.path), ImageFacts) for f in found.files)


class _TinyImageFile(ImageFile.ImageFile):
    """A made-up format: 'TINY' + width + height (one byte each) + grey pixels."""

    format = "TINY"
    format_description = "test plugin"

    def _open(self) -> None:
        head = self.fp.read(6)
        self._size = (head[4], head[5])
        self._mode = "L"
        self.tile = [ImageFile._Tile("raw", (0, 0) + self.size, 6, ("L", 0, 1))]


def test_a_plugin_registered_later_is_sniffed_too(tmp_path: Path) -> None:
    img = photo(4, (40, 30)).convert("L")
    (tmp_path / "picture.tiny").write_bytes(b"TINY" + bytes([40, 30]) + img.tobytes())
    assert discover([str(tmp_path)]).files == []
    Image.register_open("TINY", _TinyImageFile, lambda prefix: prefix[:4] == b"TINY")
    try:
        found = discover([str(tmp_path)])
        assert [os.path.basename(f.path) for f in found.files] == ["picture.tiny"]
        facts = decode.analyse(found.files[0].path)
        assert isinstance(facts, ImageFacts) and facts.format == "TINY"
    finally:
        Image.OPEN.pop("TINY", None)
        Image.ID.remove("TINY")


def test_every_file_not_compared_is_listed_by_kind(tmp_path: Path) -> None:
    img = photo(5, (64, 48))
    save(img, tmp_path / "photo.jpg")
    for kind in ("mp4", "mov", "avi", "mkv"):
        (tmp_path / f"clip.{kind}").write_bytes(fake_video(kind))
    (tmp_path / "renamed_video.dat").write_bytes(fake_video("mp4"))    # known by its content
    (tmp_path / "no_name_video").write_bytes(fake_video("mkv"))
    (tmp_path / "poster.psd").write_bytes(fake_psd())
    (tmp_path / "psd_without_extension").write_bytes(fake_psd())
    (tmp_path / "photo.xmp").write_text("<x:xmpmeta/>")
    (tmp_path / "notes.txt").write_text("a note")
    (tmp_path / "empty").write_bytes(b"")
    (tmp_path / ".hidden.jpg").write_bytes(jpeg_bytes(img))
    (tmp_path / ".git").mkdir()
    (tmp_path / "skip_me.jpg").write_bytes(jpeg_bytes(img))
    os.symlink(tmp_path / "notes.txt", tmp_path / "link_to_notes")
    found = discover([str(tmp_path)], DiscoveryOptions(exclude_patterns=("skip_*",)))
    assert [os.path.basename(f.path) for f in found.files] == ["photo.jpg"]
    assert rel(found.not_compared, tmp_path) == [
        ("clip.avi", "video"), ("clip.mkv", "video"), ("clip.mov", "video"), ("clip.mp4", "video"),
        ("empty", "other"), ("no_name_video", "video"), ("notes.txt", "other"), ("photo.xmp", "sidecar"),
        ("poster.psd", "psd"), ("psd_without_extension", "psd"), ("renamed_video.dat", "video")]
    assert all(n.reason for n in found.not_compared)
    assert dict(found.left_out) == {"hidden_files": 1, "hidden_folders": 1, "excluded_files": 1, "links_not_followed": 1}


def test_the_words_for_what_was_not_compared() -> None:
    entries = ([coverage.of_kind(f"/v{k}.mp4", formats.VIDEO) for k in range(312)]
               + [coverage.of_kind(f"/o{k}", formats.OTHER) for k in range(4)])
    assert coverage.not_compared_text(coverage.counts(entries)) == "312 videos and 4 other files were not compared"
    mixed = coverage.everything([coverage.of_kind("/a.psd", formats.PSD), coverage.of_kind("/b.txt", formats.OTHER),
                                 coverage.of_kind("/c.mov", formats.VIDEO)],
                                [decode_skip("/d.dng", "damaged or truncated camera RAW")])
    assert coverage.counts(mixed) == {"video": 1, "psd": 1, "unreadable": 1, "other": 1}
    assert coverage.not_compared_text(coverage.counts(mixed)) == \
        "1 video, 1 Photoshop file, 1 unreadable file and 1 other file were not compared"
    assert coverage.not_compared_text({"video": 1}) == "1 video was not compared"
    assert coverage.not_compared_text({}) == ""
    assert coverage.left_out_text({"hidden_files": 12, "excluded_folders": 1}) == \
        "Left out by the settings: 12 hidden files and 1 excluded folder"
    assert coverage.left_out_text({}) == ""


def decode_skip(path: str, reason: str):
    from dupeview.core.discovery import Skipped
    return Skipped(path, reason)


@pytest.mark.parametrize(("head", "kind"), [
    (b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom", formats.VIDEO),
    (b"\x00\x00\x00\x14ftypqt  \x00\x00\x00\x00qt  ", formats.VIDEO),
    (b"\x00\x00\x00\x08wide\x00\x00\x10\x00mdat", formats.VIDEO),
    (b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic", formats.IMAGE),
    (b"\x00\x00\x00\x18ftypcrx \x00\x00\x00\x01crx isom", formats.RAW),
    (b"\x00\x00\x00\x18ftypM4A \x00\x00\x00\x00M4A mp42", formats.OTHER),
    (b"8BPS\x00\x01", formats.PSD),
    (b"\xff\x0a\xfa\x7f", formats.IMAGE),
    (b"%PDF-1.7\n", formats.OTHER),
])
def test_kind_by_content(head: bytes, kind: str) -> None:
    assert formats.kind_by_content(head.ljust(64, b"\0")) == kind


def test_the_list_reads_by_kind() -> None:
    entries = [coverage.of_kind("/b.txt", formats.OTHER), coverage.of_kind("/z.mp4", formats.VIDEO),
               coverage.of_kind("/a.psd", formats.PSD), coverage.of_kind("/a.mov", formats.VIDEO)]
    assert [e.path for e in coverage.by_kind(entries)] == ["/a.mov", "/z.mp4", "/a.psd", "/b.txt"]
