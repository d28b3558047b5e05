"""`dupeview apply` and `dupeview undo` end to end, as a user on a headless machine runs them."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

from tests.images import photo, save
from tests.test_cli import run

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="freedesktop trash layout")


@pytest.fixture
def home(tmp_path: Path) -> dict[str, str]:
    """A HOME, trash and dupeview folder of this test's own (the log and trash are checked exactly)."""
    h = tmp_path / "home"
    h.mkdir()
    return {"HOME": str(h), "XDG_DATA_HOME": str(h / ".local" / "share"), "DUPEVIEW_HOME": str(tmp_path / "dv")}


def library(root: Path, n: int = 3) -> dict[Path, bytes]:
    """n photos in root/Pictures, each with a byte copy in root/Backup; returns the copies' bytes."""
    out = {}
    for k in range(n):
        save(photo(k, (96, 72)), root / "Pictures" / f"IMG_{k}.jpg")
        copy = root / "Backup" / "2019" / f"IMG_{k}.jpg"
        copy.parent.mkdir(parents=True, exist_ok=True)
        copy.write_bytes((root / "Pictures" / f"IMG_{k}.jpg").read_bytes())
        out[copy] = copy.read_bytes()
    return out


def scan_result(root: Path, tmp_path: Path, env: dict[str, str]) -> Path:
    done = run("scan", str(root / "Backup"), str(root / "Pictures"), "--reference", str(root / "Pictures"),
               "--format", "json", "--no-cache", "--quiet", env=env)
    assert done.returncode == 0, done.stderr
    result = tmp_path / "result.json"
    result.write_text(done.stdout)
    doc = json.loads(done.stdout)
    assert all("digest" in m and "ctime_ns" in m for g in doc["groups"] for m in g["members"])
    return result


def test_dry_run_changes_nothing_and_says_what_would_happen(tmp_path: Path, home: dict[str, str]) -> None:
    copies = library(tmp_path / "lib")
    result = scan_result(tmp_path / "lib", tmp_path, home)
    done = run("apply", "--trash", "--dry-run", str(result), env=home)
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("would trash: ") == 3
    assert f"  {tmp_path / 'lib' / 'Backup' / '2019'}: 3 files," in done.stdout
    assert "3 files would be trashed" in done.stdout and "nothing was changed" in done.stdout
    assert all(p.read_bytes() == b for p, b in copies.items())
    assert not (Path(home["XDG_DATA_HOME"]) / "Trash").exists()


def test_trash_then_undo_byte_identical_and_changed_files_are_never_touched(tmp_path: Path,
                                                                           home: dict[str, str]) -> None:
    copies = library(tmp_path / "lib")
    result = scan_result(tmp_path / "lib", tmp_path, home)
    changed, moved = sorted(copies)[:2]
    st = changed.stat()
    data = bytearray(changed.read_bytes())
    data[200] ^= 0xFF
    changed.write_bytes(bytes(data))  # same size, same mtime: only the digest tells
    os.utime(changed, ns=(st.st_atime_ns, st.st_mtime_ns))
    moved.rename(moved.with_name("elsewhere.jpg"))

    done = run("apply", "--trash", str(result), env=home)
    assert done.returncode == 1, done.stderr  # some refused
    assert f"refused: {changed}: changed since the scan" in done.stdout
    assert f"refused: {moved}: gone since the scan" in done.stdout
    [trashed] = [p for p in copies if p not in (changed, moved)]
    assert f"trashed: {trashed}" in done.stdout and not trashed.exists()
    assert changed.read_bytes() == bytes(data)

    back = run("undo", env=home)
    assert back.returncode == 0 and f"restored: {trashed}" in back.stdout
    assert trashed.read_bytes() == copies[trashed]
    again = run("undo", env=home)
    assert (again.returncode, again.stdout.strip()) == (1, "nothing to undo")


@pytest.mark.parametrize("mode", ["move", "copy", "hardlink", "symlink"])
def test_move_copy_and_links_are_undone_byte_identical(tmp_path: Path, home: dict[str, str], mode: str) -> None:
    root = tmp_path / "lib"
    copies = library(root)
    result = scan_result(root, tmp_path, home)
    dest = tmp_path / "out"
    (dest / "Backup" / "2019").mkdir(parents=True)
    (dest / "Backup" / "2019" / "IMG_0.jpg").write_bytes(b"already here")  # a move or copy never replaces
    args = {"move": ["--move", str(dest)], "copy": ["--copy", str(dest)]}.get(mode, [f"--{mode}"])
    done = run("apply", *args, str(result), env=home)
    assert done.returncode == 0, done.stdout + done.stderr
    for copy, body in copies.items():
        kept = root / "Pictures" / copy.name
        if mode in ("move", "copy"):
            # Relative to the folder it was scanned under, so the two roots never collide.
            target = dest / "Backup" / "2019" / copy.name
            if copy.name == "IMG_0.jpg":
                target = target.with_name("IMG_0 (1).jpg")
            assert target.read_bytes() == body
            assert copy.exists() == (mode == "copy")
        elif mode == "hardlink":
            assert copy.stat().st_ino == kept.stat().st_ino and copy.read_bytes() == body
        else:
            assert copy.is_symlink() and os.readlink(copy) == str(kept)
    assert (dest / "Backup" / "2019" / "IMG_0.jpg").read_bytes() == b"already here"

    back = run("undo", env=home)
    assert back.returncode == 0, back.stdout
    for copy, body in copies.items():
        assert not copy.is_symlink() and copy.read_bytes() == body
        assert copy.stat().st_ino != (root / "Pictures" / copy.name).stat().st_ino
    assert sorted(p.name for p in (dest / "Backup" / "2019").iterdir()) == ["IMG_0.jpg"]


def test_hardlink_across_filesystems_is_refused_per_file(tmp_path: Path, home: dict[str, str],
                                                         request: pytest.FixtureRequest) -> None:
    from tests.core.test_actions import mount_tmpfs
    root = tmp_path / "lib"
    mount_tmpfs(root / "Backup", request)
    copies = library(root)
    result = scan_result(root, tmp_path, home)
    done = run("apply", "--hardlink", str(result), env=home)
    assert done.returncode == 1
    assert done.stdout.count("a hard link needs both files on one filesystem") == 3
    assert all(p.read_bytes() == b and not p.is_symlink() for p, b in copies.items())


@pytest.mark.parametrize("content", [b"", b"not json", b"[1, 2]", b'{"schema": 7, "groups": []}',
                                     b"[" * 100_000 + b"]" * 100_000],
                         ids=["empty", "text", "list", "other-schema", "deep-nesting"])
def test_a_bad_result_file_is_refused_in_one_line(tmp_path: Path, home: dict[str, str], content: bytes) -> None:
    bad = tmp_path / "r.json"
    bad.write_bytes(content)
    done = run("apply", "--trash", str(bad), env=home)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.count("\n") == 1 and "not a dupeview scan result" in done.stderr


def test_a_result_without_digests_is_never_acted_on(tmp_path: Path, home: dict[str, str]) -> None:
    copies = library(tmp_path / "lib")
    result = scan_result(tmp_path / "lib", tmp_path, home)
    doc = json.loads(result.read_text())
    for g in doc["groups"]:
        for m in g["members"]:
            del m["digest"]  # as written by an older dupeview
    result.write_text(json.dumps(doc))
    done = run("apply", "--trash", str(result), env=home)
    assert done.returncode == 1 and done.stdout.count("no content digest") == 3
    assert all(p.read_bytes() == b for p, b in copies.items())
