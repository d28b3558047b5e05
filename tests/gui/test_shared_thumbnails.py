"""The app's thumbnails go through the desktop's shared thumbnail cache: read when valid, written when made."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from PIL import Image, PngImagePlugin

from dupeview.core import thumbcache
from dupeview.gui.thumbnails import load_image


@pytest.fixture(autouse=True)
def own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "cache" / "thumbnails"


def _shared(path: Path, colour: tuple[int, int, int], flavour: str = "normal", mtime: int | None = None) -> Path:
    uri = thumbcache.file_uri(str(path))
    target = thumbcache.paths.thumbnail_dirs()[0] / flavour / (hashlib.md5(uri.encode()).hexdigest() + ".png")
    target.parent.mkdir(parents=True, exist_ok=True)
    info = PngImagePlugin.PngInfo()
    info.add_text("Thumb::URI", uri)
    info.add_text("Thumb::MTime", str(mtime if mtime is not None else int(path.stat().st_mtime)))
    Image.new("RGB", (128, 96), colour).save(target, pnginfo=info)
    return target


def _colour(image) -> tuple[int, int, int]:  # the centre pixel of a QImage
    c = image.pixelColor(image.width() // 2, image.height() // 2)
    return c.red(), c.green(), c.blue()


def test_a_valid_shared_thumbnail_is_used_instead_of_decoding(tmp_path: Path) -> None:
    red = tmp_path / "red.png"
    Image.new("RGB", (800, 600), (255, 0, 0)).save(red)
    _shared(red, (0, 0, 255))                      # a file manager made this one: blue, so we can tell
    shown = load_image(str(red), 100)
    assert _colour(shown) == (0, 0, 255) and max(shown.width(), shown.height()) == 100


def test_a_stale_shared_thumbnail_is_not_used(tmp_path: Path) -> None:
    red = tmp_path / "red.png"
    Image.new("RGB", (800, 600), (255, 0, 0)).save(red)
    _shared(red, (0, 0, 255), mtime=1)             # made for an older version of the file
    assert _colour(load_image(str(red), 100)) == (255, 0, 0)


def test_what_dupeview_renders_is_written_for_others(tmp_path: Path, own_cache: Path) -> None:
    green = tmp_path / "green.jpg"
    Image.new("RGB", (1200, 900), (0, 200, 0)).save(green, quality=95)
    load_image(str(green), 300)                    # x-large (512) is the smallest flavour >= 300
    [written] = list((own_cache / "x-large").iterdir())
    with Image.open(written) as t:
        assert t.size == (512, 384) and t.text["Thumb::URI"] == thumbcache.file_uri(str(green))
    assert load_image(str(green), 0).width() == 1200   # full size never comes from the cache
