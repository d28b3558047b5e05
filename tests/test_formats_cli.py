"""Issue 14 end to end through the CLI: JPEG + DNG + JPEG XL of one photo group with the RAW kept, and every
file that is not compared (a video, a PSD, a broken RAW, ...) is named in the text and JSON outputs."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.images import dng_bytes, fake_psd, fake_video, jpeg_bytes, jxl_bytes, photo
from tests.robustness.helpers import run_cli, scan_json

pytest.importorskip("rawpy", reason="camera RAW support needs rawpy")
pytest.importorskip("pidng", reason="the RAW tests write DNG files with pidng (test extra)")
pytest.importorskip("pillow_jxl", reason="JPEG XL needs pillow-jxl-plugin")


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "card"
    root.mkdir()
    img = photo(31, (480, 360))
    camera_jpeg = jpeg_bytes(img, 92)
    (root / "IMG_0001.JPG").write_bytes(camera_jpeg)
    (root / "IMG_0001.DNG").write_bytes(dng_bytes(img, preview=camera_jpeg, make="Canon", model="Canon EOS R6"))
    (root / "IMG_0001.jxl").write_bytes(jxl_bytes(img, quality=90))
    (root / "MVI_0002.MP4").write_bytes(fake_video("mp4"))
    (root / "poster.psd").write_bytes(fake_psd())
    (root / "IMG_0003.CR2").write_bytes(b"II*\x00" + b"\x00" * 500)       # a RAW LibRaw cannot read
    (root / ".hidden.jpg").write_bytes(camera_jpeg)
    return root


def test_json_groups_the_three_with_the_raw_kept_and_names_what_was_not_compared(folder: Path) -> None:
    _, doc = scan_json(folder, "--no-cache")
    [group] = doc["groups"]
    members = {Path(m["path"]).name: m for m in group["members"]}
    assert set(members) == {"IMG_0001.JPG", "IMG_0001.DNG", "IMG_0001.jxl"}
    assert members["IMG_0001.DNG"]["keeper"] and members["IMG_0001.DNG"]["keep"]
    assert members["IMG_0001.DNG"]["format"] == "DNG" and members["IMG_0001.DNG"]["camera"] == "Canon EOS R6"
    assert not members["IMG_0001.JPG"]["keep"] and not members["IMG_0001.jxl"]["keep"]
    assert members["IMG_0001.jxl"]["format"] == "JXL"
    listed = {(Path(n["path"]).name, n["kind"]) for n in doc["not_compared"]}
    assert listed == {("MVI_0002.MP4", "video"), ("poster.psd", "psd"), ("IMG_0003.CR2", "unreadable")}
    assert all(n["reason"] for n in doc["not_compared"])
    assert doc["not_compared_counts"] == {"video": 1, "psd": 1, "unreadable": 1}
    assert doc["summary"]["not_compared"] == 3 and doc["summary"]["skipped"] == 1
    assert [Path(s["path"]).name for s in doc["skipped"]] == ["IMG_0003.CR2"]   # as before, for old readers
    assert doc["left_out"] == {"hidden_files": 1}


def test_text_names_each_file_not_compared(folder: Path) -> None:
    result = run_cli("scan", str(folder), "--no-cache", "--workers", "2", "--quiet")
    assert result.returncode == 0 and result.stderr == "", result.stderr
    out = result.stdout
    for name in ("MVI_0002.MP4: video", "poster.psd: Photoshop document", "IMG_0003.CR2: unknown camera RAW: LibRaw cannot read it"):
        assert name in out
    assert "1 video, 1 Photoshop file and 1 unreadable file were not compared" in out
    assert "Left out by the settings: 1 hidden file" in out
    keep_line = next(line for line in out.splitlines() if line.lstrip().startswith("keep "))
    assert keep_line.endswith("IMG_0001.DNG")


def test_hide_raw_pairs_flag(folder: Path) -> None:
    _, doc = scan_json(folder, "--no-cache", "--hide-raw-pairs")
    [group] = doc["groups"]   # the camera JPEG beside its RAW leaves; the exported JXL stays
    assert {Path(m["path"]).name for m in group["members"]} == {"IMG_0001.DNG", "IMG_0001.jxl"}
