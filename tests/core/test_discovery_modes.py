"""Discovery lists a folder through a descriptor where it can (each lstat an fstatat of a bare name) and by
path elsewhere: both give the same files, stats, order, runs and reasons."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from dupeview.core import discovery
from dupeview.core.discovery import DiscoveryOptions, discover
from tests.images import jpeg_bytes, photo, save


def _tree(root: Path) -> None:
    for k in range(3):
        save(photo(k, (40, 30)), root / "a" / f"{k}.jpg")
    save(photo(5, (40, 30)), root / "a" / "b" / "deep.png")
    (root / "a" / "noext").write_bytes(jpeg_bytes(photo(6, (40, 30))))   # a picture told by its content
    (root / "a" / "notes.txt").write_text("hello")
    (root / "a" / "clip.mp4").write_bytes(b"\x00\x00\x00\x18ftypmp42")
    (root / "a" / ".hidden.jpg").write_bytes(jpeg_bytes(photo(7, (40, 30))))
    (root / "a" / "tiny.jpg").write_bytes(b"\xff\xd8\xff")
    os.symlink(root / "a" / "0.jpg", root / "a" / "link.jpg")
    os.symlink(root / "nowhere.jpg", root / "a" / "broken.jpg")
    os.symlink(root / "a" / "b", root / "a" / "loop")
    (root / ".Trash-1000").mkdir()
    save(photo(8, (40, 30)), root / ".Trash-1000" / "x.jpg")


def _facts(found: discovery.Discovery) -> tuple[object, ...]:
    return (found.paths, list(found.size), list(found.mtime_ns), list(found.ctime_ns), list(found.dev),
            list(found.ino), found.runs, sorted(found.left_out.items()), [(s.path, s.reason) for s in found.skipped],
            [(n.path, n.kind) for n in found.not_compared], found.walked, found.unread)


@pytest.mark.skipif(not discovery._BY_FD, reason="this system cannot list a folder through a descriptor")
@pytest.mark.parametrize("options", [DiscoveryOptions(), DiscoveryOptions(include_hidden=True, follow_symlinks=True),
                                     DiscoveryOptions(min_size=10), DiscoveryOptions(exclude_patterns=("*1.jpg",))],
                         ids=["default", "hidden+links", "min-size", "pattern"])
def test_by_descriptor_and_by_path_list_the_same(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                 options: DiscoveryOptions) -> None:
    _tree(tmp_path)
    by_fd = discover([str(tmp_path), str(tmp_path / "a" / "0.jpg")], options)
    monkeypatch.setattr(discovery, "_BY_FD", False)
    by_path = discover([str(tmp_path), str(tmp_path / "a" / "0.jpg")], options)
    assert _facts(by_fd) == _facts(by_path)
    assert str(tmp_path / "a" / "noext") in by_fd.paths and len(by_fd.paths) >= 5
    for path, size in zip(by_fd.paths, by_fd.size, strict=True):
        st = os.stat(path) if options.follow_symlinks else os.lstat(path)
        assert st.st_size == size  # full paths, not bare names


def _one_kind_folders(root: Path) -> None:
    """Folders whose names nearly all share one extension: what the quick test of a folder of photos
    must tell apart from the folders that need a look at each name."""
    jpeg = jpeg_bytes(photo(1, (40, 30)))
    shapes = {
        "plain": ["a.jpg", "b.jpg", "c.jpg"],
        "long": ["a.jpeg", "b.jpeg"],
        "cases": ["a.JPG", "b.Jpg", "c.jpg"],
        "hidden": ["a.jpg", ".b.jpg", "c.jpg"],
        "only-hidden": [".jpg"],
        "dots": ["x..jpg", "y.x.jpg", "z.jpg"],
        "not-pictures": ["a.txt", "b.txt"],
        "mixed": ["a.jpg", "b.png", "c.txt"],
        "short": ["a", "bc", ".j"],
        "four": ["jpeg", "xjpeg"],
    }
    for folder, names in shapes.items():
        for name in names:
            (root / folder).mkdir(parents=True, exist_ok=True)
            (root / folder / name).write_bytes(b"some text" if name.endswith(".txt") else jpeg)
    (root / "plain" / "sub.jpg").mkdir()  # a folder with a picture's name among the photos
    save(photo(2, (40, 30)), root / "plain" / "sub.jpg" / "inner.jpg")
    os.symlink(root / "plain" / "a.jpg", root / "long" / "link.jpeg")
    os.mkfifo(root / "cases" / "pipe.jpg")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
@pytest.mark.parametrize("options", [DiscoveryOptions(), DiscoveryOptions(include_hidden=True, follow_symlinks=True)],
                         ids=["default", "hidden+links"])
def test_a_folder_of_one_picture_kind_is_listed_as_name_by_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                 options: DiscoveryOptions) -> None:
    _one_kind_folders(tmp_path)
    quick = discover([str(tmp_path)], options)
    monkeypatch.setattr(discovery._Walker, "_all_pictures", lambda self, names: False)
    by_name = discover([str(tmp_path)], options)
    monkeypatch.setattr(discovery._Walker, "_quick", lambda self, entries, prefix: entries)
    general = discover([str(tmp_path)], options)
    assert _facts(quick) == _facts(by_name) == _facts(general)
    listed = {os.path.relpath(p, tmp_path) for p in quick.paths}
    assert {"plain/a.jpg", "long/b.jpeg", "cases/b.Jpg", "plain/sub.jpg/inner.jpg", "dots/x..jpg"} <= listed
    assert ("hidden/.b.jpg" in listed) == options.include_hidden
    assert "cases/pipe.jpg" not in listed and "not-pictures/a.txt" not in listed
