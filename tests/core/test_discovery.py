"""Discovery: which files are found, which are skipped and why, and that walks always end."""

from __future__ import annotations

import os
from pathlib import Path

from dupeview.core.discovery import DiscoveryOptions, discover
from tests.images import photo, save


def tree(tmp_path: Path) -> Path:
    img = photo(1, (64, 48))
    for rel in ("a.jpg", "sub/b.png", "sub/deeper/c.webp", ".hidden/d.jpg", ".e.jpg", ".git/f.jpg",
                ".Trash-1000/g.jpg", "thumbs/.thumbnails/h.jpg", "notes/readme.jpg.txt"):
        save(img, tmp_path / rel, "JPEG" if rel.endswith((".jpg", ".txt")) else None)
    (tmp_path / "doc.txt").write_text("not an image")
    (tmp_path / "raw.nef").write_bytes(b"II*\x00" + b"\0" * 100)
    return tmp_path


def rel(found_files: list, root: Path) -> list[str]:
    return sorted(os.path.relpath(f.path, root) for f in found_files)


def test_default_walk(tmp_path: Path) -> None:
    root = tree(tmp_path)
    found = discover([str(root)])
    # readme.jpg.txt holds JPEG bytes: found by content despite its extension; raw.nef is a camera RAW.
    assert rel(found.files, root) == ["a.jpg", "notes/readme.jpg.txt", "raw.nef", "sub/b.png", "sub/deeper/c.webp"]
    assert [(os.path.relpath(n.path, root), n.kind) for n in found.not_compared] == [("doc.txt", "other")]
    # Hidden entries are counted, not walked: .e.jpg, and the folders .git, .hidden, .Trash-1000, .thumbnails.
    assert dict(found.left_out) == {"hidden_files": 1, "hidden_folders": 4}


def test_hidden_and_default_excludes_opt_in(tmp_path: Path) -> None:
    root = tree(tmp_path)
    found = discover([str(root)], DiscoveryOptions(include_hidden=True, default_excludes=False))
    assert {".hidden/d.jpg", ".e.jpg", ".git/f.jpg", ".Trash-1000/g.jpg", "thumbs/.thumbnails/h.jpg"} <= set(rel(found.files, root))


def test_exclusions(tmp_path: Path) -> None:
    root = tree(tmp_path)
    found = discover([str(root)], DiscoveryOptions(exclude_dirs=(str(root / "sub" / "deeper"),), exclude_patterns=("*.png",)))
    assert rel(found.files, root) == ["a.jpg", "notes/readme.jpg.txt", "raw.nef"]
    assert found.left_out["excluded_files"] == 1 and found.left_out["excluded_folders"] == 1


def test_min_size(tmp_path: Path) -> None:
    root = tree(tmp_path)
    big = save(photo(2, (800, 600)), root / "big.jpg", quality=95)
    found = discover([str(root)], DiscoveryOptions(min_size=big.stat().st_size))
    assert rel(found.files, root) == ["big.jpg"]


def test_symlinks_not_followed_by_default_and_loops_end(tmp_path: Path) -> None:
    root = tree(tmp_path)
    os.symlink(root / "a.jpg", root / "link.jpg")
    os.symlink(root, root / "sub" / "loop")
    os.symlink(root / "nowhere.jpg", root / "broken.jpg")
    found = discover([str(root)])
    assert "link.jpg" not in rel(found.files, root)
    reasons = {os.path.relpath(s.path, root): s.reason for s in found.skipped}
    assert "not followed" in reasons["link.jpg"] and "not followed" in reasons["broken.jpg"]

    followed = discover([str(root)], DiscoveryOptions(follow_symlinks=True))
    assert "link.jpg" in rel(followed.files, root)
    assert len(followed.files) == len(set(f.path for f in followed.files))
    assert any("broken" in s.reason for s in followed.skipped)


def test_fifo_and_unreadable_folder(tmp_path: Path) -> None:
    root = tree(tmp_path)
    os.mkfifo(root / "pipe.jpg")
    found = discover([str(root)])
    assert any(s.path.endswith("pipe.jpg") and "not a regular file" in s.reason for s in found.skipped)


def test_nested_roots_list_each_file_once(tmp_path: Path) -> None:
    root = tree(tmp_path)
    found = discover([str(root), str(root / "sub")])
    paths = [f.path for f in found.files]
    assert len(paths) == len(set(paths)) == 5


def test_missing_root_is_reported(tmp_path: Path) -> None:
    found = discover([str(tmp_path / "nope")])
    assert found.files == [] and "does not exist" in found.skipped[0].reason


def test_hard_links_share_an_inode(tmp_path: Path) -> None:
    root = tree(tmp_path)
    os.link(root / "a.jpg", root / "a_link.jpg")
    found = {os.path.basename(f.path): f for f in discover([str(root)]).files}
    assert (found["a.jpg"].dev, found["a.jpg"].ino) == (found["a_link.jpg"].dev, found["a_link.jpg"].ino)


def test_non_utf8_name(tmp_path: Path) -> None:
    name = os.fsdecode(b"caf\xe9.jpg")
    save(photo(3, (64, 48)), tmp_path / name, "JPEG")
    assert [os.path.basename(f.path) for f in discover([str(tmp_path)]).files] == [name]


def test_the_patterns_as_one_expression_match_as_fnmatch_does() -> None:
    import fnmatch
    import itertools

    from dupeview.core.discovery import DEFAULT_EXCLUDED_DIRS, _any_of, _matches

    patterns = [*DEFAULT_EXCLUDED_DIRS, "[!a]*", "a|b", "(x)", "[", "x]", "*?.jpg", "$RECYCLE.BIN", "*/raw/*", "c\\d",
                "[a-c]?", ".*", "*"]
    names = ["a", "b", "a|b", "(x)", "[", "x]", "x.jpg", ".jpg", "$RECYCLE.BIN", "RECYCLE", ".Trash-1000", "c\\d",
             "ab", "bz", ".git", "node_modules", "lost+found", "@eaDir", "é", "a\nb"]
    for k in (1, 2, 3):
        for chosen in itertools.combinations(patterns, k):
            expression = _any_of(tuple(chosen))
            assert expression is not None
            for name in names:
                path = f"/photos/raw/{name}"
                want = any(fnmatch.fnmatch(name, p) or fnmatch.fnmatch(path, p) for p in chosen)
                assert _matches(expression, name, path) == want, (chosen, name)
    assert _any_of(()) is None
