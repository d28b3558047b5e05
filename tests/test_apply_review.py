"""`dupeview apply` on a review saved by the app: it acts on the review's marks, with the same checks and undo."""

from __future__ import annotations

import dataclasses
import os
import sqlite3
import sys
from pathlib import Path

import pytest

from dupeview.core.review_store import write_review_file
from dupeview.core.session import ReviewOptions, Session
from tests.test_apply_cli import library
from tests.test_cli import run

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="freedesktop trash layout")


@pytest.fixture
def home(tmp_path: Path) -> dict[str, str]:
    """A HOME, trash and dupeview folder of this test's own (the trash is checked exactly)."""
    h = tmp_path / "home"
    h.mkdir()
    return {"HOME": str(h), "XDG_DATA_HOME": str(h / ".local" / "share"), "DUPEVIEW_HOME": str(tmp_path / "dv")}


def saved_review(root: Path, tmp_path: Path, mark: str = "Pictures") -> tuple[Path, list[Path]]:
    """Scan root's two folders as the app does, mark the copy in `mark` of every group (the opposite of
    what auto-mark would choose when the names tie), and save the review as File → Save review… does."""
    s = Session(cache_path=str(tmp_path / "app" / "cache.sqlite3"), decisions_path=str(tmp_path / "app" / "d.sqlite3"),
                action_log_path=str(tmp_path / "app" / "actions.jsonl"),
                options=ReviewOptions(roots=(str(root / "Backup"), str(root / "Pictures")), workers=0))
    s.start()
    assert s.scan() and len(s.groups) == 3
    marked = []
    for g in s.groups:
        [member] = [m for m in g.members if f"{os.sep}{mark}{os.sep}" in s.path(m)]
        assert s.mark(member, True) is None
        marked.append(Path(s.path(member)))
    state = s.snapshot()
    assert state is not None and state.marks == {str(p) for p in marked}
    review = tmp_path / "photos.dupeview-review"
    write_review_file(review, state)
    return review, marked


def trashed_names(home_env: dict[str, str]) -> list[str]:
    info = Path(home_env["XDG_DATA_HOME"]) / "Trash" / "info"
    return sorted(p.name for p in info.iterdir()) if info.exists() else []


def test_apply_trashes_exactly_the_reviews_marks_and_undo_puts_them_back(tmp_path: Path, home: dict[str, str]) -> None:
    copies = library(tmp_path / "lib")
    originals = {p: p.read_bytes() for p in (tmp_path / "lib" / "Pictures").iterdir()}
    review, marked = saved_review(tmp_path / "lib", tmp_path, mark="Pictures")
    dry = run("apply", "--trash", "--dry-run", str(review), env=home)
    assert dry.returncode == 0, dry.stderr
    assert sorted(line.split(": ", 1)[1] for line in dry.stdout.splitlines() if line.startswith("would trash: ")) == \
        sorted(str(p) for p in marked)
    assert all(p.exists() for p in marked) and trashed_names(home) == []

    done = run("apply", "--trash", str(review), env=home)
    assert done.returncode == 0, done.stdout + done.stderr
    assert not any(p.exists() for p in marked)                       # the marks, not the scan's suggestions
    assert all(p.read_bytes() == b for p, b in copies.items())        # the Backup copies were not marked
    assert trashed_names(home) == sorted(p.name + ".trashinfo" for p in marked)
    back = run("undo", env=home)
    assert back.returncode == 0, back.stdout
    assert all(p.read_bytes() == b for p, b in originals.items())


def test_files_changed_or_gone_since_the_review_are_refused_and_kept(tmp_path: Path, home: dict[str, str]) -> None:
    library(tmp_path / "lib")
    review, marked = saved_review(tmp_path / "lib", tmp_path)
    changed, gone, fine = sorted(marked)
    changed.write_bytes(changed.read_bytes() + b"edited after the review")
    gone.rename(gone.with_name("renamed.jpg"))
    done = run("apply", "--trash", str(review), env=home)
    assert done.returncode == 1, done.stderr
    assert f"refused: {changed}: changed since the review" in done.stdout
    assert f"refused: {gone}: no longer exists" in done.stdout
    assert f"trashed: {fine}" in done.stdout and not fine.exists()
    assert changed.read_bytes().endswith(b"edited after the review") and gone.with_name("renamed.jpg").exists()
    assert trashed_names(home) == [fine.name + ".trashinfo"]


def test_a_review_from_another_machine_is_refused_per_file(tmp_path: Path, home: dict[str, str]) -> None:
    library(tmp_path / "lib")
    review, marked = saved_review(tmp_path / "lib", tmp_path)
    from dupeview.core.review_store import read_review_file

    # Saved on the NAS: its paths are the NAS's, none of which exist here.
    state = read_review_file(review)
    elsewhere = tmp_path / "lib-on-the-nas"
    (tmp_path / "lib").rename(elsewhere)
    write_review_file(review, dataclasses.replace(state, machine="nas.local"))
    done = run("apply", "--move", str(tmp_path / "dupes"), str(review), env=home)
    assert done.returncode == 1
    assert done.stdout.count("refused: ") == 3 and done.stdout.count(": no longer exists") == 3
    assert "saved on nas.local" in done.stderr and "0 files moved" in done.stdout
    assert not (tmp_path / "dupes").exists() and trashed_names(home) == []
    assert all((elsewhere / p.relative_to(tmp_path / "lib")).exists() for p in marked)


def _truncated(review: Path, out: Path) -> Path:
    out.write_bytes(review.read_bytes()[: review.stat().st_size // 2])
    return out


def _foreign_db(_review: Path, out: Path) -> Path:
    conn = sqlite3.connect(out)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    return out


def _garbled(review: Path, out: Path) -> Path:
    data = bytearray(review.read_bytes())
    for k in range(4096, min(len(data), 12288)):
        data[k] ^= 0x5A
    out.write_bytes(bytes(data))
    return out


@pytest.mark.parametrize("spoil", [_truncated, _foreign_db, _garbled], ids=["truncated", "foreign-sqlite", "garbled"])
def test_a_damaged_or_foreign_review_is_refused_in_one_line(tmp_path: Path, home: dict[str, str], spoil) -> None:
    copies = library(tmp_path / "lib")
    review, marked = saved_review(tmp_path / "lib", tmp_path)
    bad = spoil(review, tmp_path / "bad.dupeview-review")
    done = run("apply", "--trash", str(bad), env=home)
    assert done.returncode == 2 and done.stdout == "", done.stdout
    assert done.stderr.count("\n") == 1 and "bad.dupeview-review" in done.stderr
    assert all(p.exists() for p in marked) and all(p.read_bytes() == b for p, b in copies.items())
    assert trashed_names(home) == []


def test_apply_groups_the_review_from_the_app_s_remembered_pairs(tmp_path: Path, home: dict[str, str]) -> None:
    library(tmp_path / "lib")
    review, marked = saved_review(tmp_path / "lib", tmp_path)
    [memo] = (tmp_path / "app" / "cache.sqlite3.pairs").glob("pairs-*.npz")
    os.utime(memo, ns=(10**9, 10**9))
    dry = run("apply", "--trash", "--dry-run", str(review), env={**home, "DUPEVIEW_CACHE": str(tmp_path / "app" / "cache.sqlite3")})
    assert dry.returncode == 0, dry.stderr
    assert sorted(line.split(": ", 1)[1] for line in dry.stdout.splitlines() if line.startswith("would trash: ")) == \
        sorted(str(p) for p in marked)
    assert memo.stat().st_mtime_ns > 10**9  # read (a memo that answers is marked as used)
