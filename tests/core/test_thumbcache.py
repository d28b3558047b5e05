"""The freedesktop shared thumbnail cache: the spec's names, valid thumbnails read, stale ones ignored, new ones
written atomically with the spec's keys and permissions; its files never searched for duplicates."""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path

import pytest
from PIL import Image

from dupeview import paths
from dupeview.core import thumbcache
from dupeview.core.discovery import DiscoveryOptions, discover
from tests.images import photo, save


@pytest.fixture(autouse=True)
def own_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A home of this test's own: its thumbnail cache and pictures are seen by no other test."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))


def test_uri_and_name_follow_the_spec() -> None:
    # The spec's own example: file:///home/jens/photos/me.png -> c6ee772d9e49320e97ec29a7eb5b1697.png
    assert thumbcache.file_uri("/home/jens/photos/me.png") == "file:///home/jens/photos/me.png"
    assert hashlib.md5(b"file:///home/jens/photos/me.png").hexdigest() == "c6ee772d9e49320e97ec29a7eb5b1697"
    # escaped as GLib's g_filename_to_uri escapes (what GNOME hashes): space, %, #, ?, non-ASCII; not ! ( ) ~ @
    assert thumbcache.file_uri("/p/a b%#?ü!()~@.jpg") == "file:///p/a%20b%25%23%3F%C3%BC!()~@.jpg"
    assert thumbcache.file_uri(os.fsdecode(b"/p/caf\xe9.jpg")) == "file:///p/caf%E9.jpg"
    assert thumbcache.flavour_for(100) == ("normal", 128) and thumbcache.flavour_for(300) == ("x-large", 512)
    assert thumbcache.flavour_for(2000) is None and thumbcache.flavour_for(0) is None


def test_save_then_lookup_and_stale_ones_are_ignored(tmp_path: Path) -> None:
    path = save(photo(1, (600, 400)), tmp_path / "photos" / "a.jpg")
    with Image.open(path) as im:
        target = thumbcache.save(str(path), im.convert("RGB"), ("large", 256))
    assert target is not None
    assert target == paths.thumbnail_dirs()[0] / "large" / (hashlib.md5(thumbcache.file_uri(str(path)).encode()).hexdigest() + ".png")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600 and stat.S_IMODE(target.parent.stat().st_mode) == 0o700
    assert not [p for p in target.parent.iterdir() if p.suffix == ".tmp"]
    with Image.open(target) as t:
        assert max(t.size) == 256 and t.text["Thumb::URI"] == thumbcache.file_uri(str(path))
        assert t.text["Thumb::MTime"] == str(int(path.stat().st_mtime)) and t.text["Thumb::Size"] == str(path.stat().st_size)
    found = thumbcache.lookup(str(path), 200)
    assert found is not None and max(found.size) == 256
    assert thumbcache.lookup(str(path), 400) is None            # only a 256 one: too small for 400
    os.utime(path, (1_000_000_000, 1_000_000_000))              # the file changed: its thumbnail is stale
    assert thumbcache.lookup(str(path), 200) is None


def test_a_damaged_thumbnail_reads_as_absent(tmp_path: Path) -> None:
    path = save(photo(2, (300, 200)), tmp_path / "photos" / "b.jpg")
    target = paths.thumbnail_dirs()[0] / "normal" / (hashlib.md5(thumbcache.file_uri(str(path)).encode()).hexdigest() + ".png")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(b"\x89PNG\r\n\x1a\ntruncated")
    assert thumbcache.lookup(str(path), 100) is None


def test_thumbnail_caches_are_never_searched_even_with_hidden_and_no_default_excludes(tmp_path: Path) -> None:
    home = Path.home()
    pic = save(photo(3, (300, 200)), home / "Pictures" / "p.jpg")
    with Image.open(pic) as im:
        made = thumbcache.save(str(pic), im.convert("RGB"), ("normal", 128))
    assert made is not None
    legacy = home / ".thumbnails" / "normal" / "x.png"
    legacy.parent.mkdir(parents=True, exist_ok=True)
    Image.open(made).save(legacy)
    options = DiscoveryOptions(include_hidden=True, default_excludes=False)
    found = {Path(f.path) for f in discover([str(home)], options).files}
    assert pic in found
    assert not [p for p in found if "thumbnails" in p.parts or ".thumbnails" in p.parts], found
    direct = discover([str(paths.thumbnail_dirs()[0])], options)
    assert direct.files == [] and "thumbnail cache" in direct.skipped[0].reason
    assert thumbcache.save(str(made), Image.new("RGB", (10, 10)), ("normal", 128)) is None  # no thumbnails of thumbnails
