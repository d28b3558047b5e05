"""imagehash as the interchange format: `dupeview hash` prints what imagehash prints, `query --hashes` reads lists that
imagehash made, and the conversions are exact both ways."""

from __future__ import annotations

import json

import imagehash
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image

from dupeview.core import interchange
from dupeview.core.fingerprint import thumbs
from tests.images import photo
from tests.test_cli import run


@given(st.integers(min_value=0, max_value=2**64 - 1))
def test_imagehash_objects_and_hex_round_trip_exactly(code: int) -> None:
    h = interchange.to_imagehash(code)
    assert isinstance(h, imagehash.ImageHash)
    assert str(h) == f"{code:016x}" == interchange.to_hex(code)
    assert interchange.to_code(imagehash.hex_to_hash(str(h))) == code
    assert interchange.parse_hex(str(h)) == code
    # Hamming distance is the same in both worlds
    other = interchange.to_imagehash(code ^ 0b1011)
    assert h - other == 3


@pytest.mark.parametrize("bad", ["", "xyz", "0" * 15, "0" * 17, "g" * 16, "0" * 64])
def test_parse_hex_refuses_what_is_not_a_64_bit_hash(bad: str) -> None:
    with pytest.raises(ValueError):
        interchange.parse_hex(bad)


def _gray_png(tmp_path, seed: int, name: str):  # a grey PNG decodes to exactly these pixels: nothing in between
    gray = photo(seed, (220, 160)).convert("L")
    path = tmp_path / name
    gray.save(path)
    return gray, path


def test_hash_command_prints_what_imagehash_prints(tmp_path) -> None:
    gray, path = _gray_png(tmp_path, 3, "a.png")
    th = thumbs(gray)

    def img(a: np.ndarray) -> Image.Image:
        return Image.fromarray(a.astype(np.uint8))
    expected = {"phash": imagehash.phash(img(th.p32)), "dhash": imagehash.dhash(img(th.wide)),
                "ahash": imagehash.average_hash(img(th.a8)), "whash": imagehash.whash(img(th.t64), image_scale=64)}
    done = run("hash", str(path), *(x for a in expected for x in ("--algorithm", a)))
    assert done.returncode == 0, done.stderr
    hexes, _, shown = done.stdout.rstrip("\n").partition("  ")
    assert hexes.split() == [str(h) for h in expected.values()]     # bit-identical, every algorithm
    assert shown == str(path)
    doc = json.loads(run("hash", str(path), "--format", "json").stdout)
    assert doc["images"] == [{"path": str(path), "phash": str(expected["phash"])}]


def test_query_against_a_list_made_by_imagehash(tmp_path) -> None:
    """The shared-blocklist case: hashes computed elsewhere with imagehash on the full images."""
    original, _ = _gray_png(tmp_path, 7, "original.png")
    stranger, _ = _gray_png(tmp_path, 8, "stranger.png")
    blocklist = tmp_path / "blocklist.txt"
    blocklist.write_text(f"# made with imagehash {imagehash.__version__}\n\n"
                         f"{imagehash.phash(stranger)} someone else\n{imagehash.phash(original)} banned-001\n")
    upload = tmp_path / "upload.jpg"
    Image.open(tmp_path / "original.png").resize((160, 116)).convert("RGB").save(upload, quality=80)
    fresh = tmp_path / "fresh.jpg"
    photo(99, (200, 150)).save(fresh, quality=90)

    found = run("query", str(upload), "--hashes", str(blocklist), "--format", "json")
    assert found.returncode == 0, found.stderr
    [result] = json.loads(found.stdout)["results"]
    assert [(m["label"], m["line"]) for m in result["matches"]] == [("banned-001", 4)]
    assert result["matches"][0]["hash"] == str(imagehash.phash(original))
    assert result["matches"][0]["distance"] <= 8
    text = run("query", str(upload), "--hashes", str(blocklist))
    assert "banned-001" in text.stdout
    none = run("query", str(fresh), "--hashes", str(blocklist))
    assert none.returncode == 1 and "0 match" in none.stdout


def test_hash_output_is_a_list_query_reads_back(tmp_path) -> None:
    _, a = _gray_png(tmp_path, 1, "a.png")
    _, b = _gray_png(tmp_path, 2, "b.png")
    (tmp_path / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\nnope")
    made = run("hash", str(a), str(b), str(tmp_path / "broken.png"))
    assert made.returncode == 1 and "broken.png: cannot read" in made.stderr   # 1: one image unreadable
    listed = tmp_path / "list.txt"
    listed.write_text(made.stdout)
    back = json.loads(run("query", str(b), "--hashes", str(listed), "--format", "json", "--threshold", "0").stdout)
    assert [(m["label"], m["distance"]) for m in back["results"][0]["matches"]] == [(str(b), 0)]


def test_a_malformed_list_is_a_usage_error_naming_the_line(tmp_path) -> None:
    _, a = _gray_png(tmp_path, 1, "a.png")
    listed = tmp_path / "list.txt"
    listed.write_text("ffffffffffffffff ok\nnot-a-hash\n")
    done = run("query", str(a), "--hashes", str(listed))
    assert done.returncode == 2 and "line 2" in done.stderr and len(done.stderr.splitlines()) == 1
