"""Move, copy and link actions through the Session: real files, the real trash, the real log, undo byte-identical."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from dupeview.core import action_plan
from tests.core.test_session import group_paths, make_session
from tests.images import make_photos

actions = pytest.importorskip("dupeview.core.actions")


def sha(path: str | Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


@pytest.fixture
def photos(tmp_path: Path):
    return make_photos(tmp_path / "photos")


@pytest.fixture
def marked(tmp_path: Path, photos):
    s = make_session(tmp_path, [photos.root])
    assert s.scan()
    s.auto_mark()
    return s


def acted(s, kind: str, dest: str | None = None):
    seen = []
    s.events.acted.connect(seen.append)
    plan = s.plan(kind, dest)
    assert plan.paths
    assert s.apply(plan)
    return plan, seen[-1]


def undone(s):
    seen = []
    s.events.undone.connect(seen.append)
    assert s.undo()
    return seen[-1]


def test_move_keeps_the_path_under_its_root_drops_the_files_from_the_groups_and_undoes(tmp_path, photos, marked):
    s = marked
    hashes = {str(p): sha(p) for p in photos.all_files}
    before = group_paths(s)
    dest = tmp_path / "moved"
    plan, outcome = acted(s, "move", str(dest))
    assert outcome.done == set(plan.paths) and outcome.done
    for p in plan.paths:
        rel = os.path.relpath(p, photos.root)
        assert not os.path.exists(p)
        assert outcome.dests[p] == str(dest / rel)
        assert sha(dest / rel) == hashes[p]
    assert outcome.freed == plan.total_bytes > 0 and outcome.undoable
    assert not any(set(plan.paths) & g for g in group_paths(s))
    back = undone(s)
    assert back.restored == set(plan.paths)
    for p, h in hashes.items():
        assert sha(p) == h
    assert sorted(map(sorted, group_paths(s))) == sorted(map(sorted, before))
    assert not any(f.is_file() for f in dest.rglob("*"))


def test_move_renames_on_a_conflict_and_never_replaces(tmp_path, photos, marked):
    s = marked
    plan = s.plan("move", str(tmp_path / "moved"))
    first = plan.paths[0]
    taken = tmp_path / "moved" / os.path.relpath(first, photos.root)
    taken.parent.mkdir(parents=True)
    taken.write_bytes(b"already here")
    _, outcome = acted(s, "move", str(tmp_path / "moved"))
    assert taken.read_bytes() == b"already here"
    stem, ext = os.path.splitext(str(taken))
    assert outcome.dests[first] == f"{stem} (1){ext}"


def test_copy_leaves_every_file_and_group_and_may_take_a_whole_group(tmp_path, photos, marked):
    s = marked
    g = s.groups[0]
    for m in g.members:
        s.marks._on[m.index] = True   # a copy needs no survivor: every copy of a group may be copied
    before, marks = group_paths(s), set(s.marks.paths)
    plan, outcome = acted(s, "copy", str(tmp_path / "copies"))
    assert {s.path(m) for m in g.members} <= set(plan.paths) and not plan.refused
    assert outcome.done == set(plan.paths) and outcome.freed == 0
    for p in plan.paths:
        assert os.path.exists(p) and sha(outcome.dests[p]) == sha(p)
    assert group_paths(s) == before and set(s.marks.paths) == marks
    undone(s)
    assert not any(f.is_file() for f in (tmp_path / "copies").rglob("*"))
    assert all(os.path.exists(p) for p in plan.paths)


@pytest.mark.parametrize("kind", ["hardlink", "symlink"])
def test_links_replace_the_marked_files_with_the_kept_copy_and_undo_byte_identical(photos, marked, kind, trash_dir):
    s = marked
    hashes = {str(p): sha(p) for p in photos.all_files}
    keepers = {s.path(g.members[0]) for g in s.groups}
    inode_of = {str(p): os.stat(p).st_ino for p in photos.all_files}
    plan, outcome = acted(s, kind)
    assert outcome.done == set(plan.paths), outcome.failed
    for p in plan.paths:
        keeper = next(s_ for s_ in keepers if s_ in next(g for g in plan.groups if p in g))
        if kind == "hardlink":
            assert os.stat(p).st_ino == inode_of[keeper] and not os.path.islink(p)
        else:
            assert os.readlink(p) == os.path.abspath(keeper)
    assert not any(set(plan.paths) & g for g in group_paths(s))   # nothing left to reclaim from them
    back = undone(s)
    assert back.restored == set(plan.paths), back.failed
    for p, h in hashes.items():
        assert sha(p) == h and not os.path.islink(p)
        assert os.stat(p).st_ino != inode_of[next(iter(keepers))] or p in keepers


def test_a_refused_file_stays_in_its_group_with_the_reason(tmp_path, photos, marked):
    s = marked
    g = s.groups[0]
    keeper = s.path(g.members[0])
    victims = [s.path(m) for m in g.members if s.marks.is_marked(m.index)]
    with open(keeper, "ab") as f:      # the kept copy changes after the scan: linking to it is refused
        f.write(b"\0")
    gone = next(p for p in s.plan("hardlink").paths if p not in victims)
    os.remove(gone)                    # and one file vanished since the scan
    plan, outcome = acted(s, "hardlink")
    reasons = dict(outcome.failed)
    assert {reasons[v] for v in victims} == {actions.KEPT_CHANGED}
    assert reasons[gone] == actions.GONE
    left = set().union(*group_paths(s))
    assert set(victims) <= left and gone not in left
    assert all(not os.path.islink(v) for v in victims)


def test_the_confirmation_summary_counts_files_and_bytes_per_destination_folder(tmp_path, photos, marked):
    s = marked
    plan = s.plan("move", str(tmp_path / "moved"))
    lines = action_plan.by_folder(plan)
    assert sum(x.files for x in lines) == len(plan.paths)
    assert sum(x.bytes for x in lines) == plan.total_bytes
    want = {os.path.dirname(str(tmp_path / "moved" / os.path.relpath(p, photos.root))) for p in plan.paths}
    assert {x.folder for x in lines} == want
    assert [x.bytes for x in lines] == sorted((x.bytes for x in lines), reverse=True)
    # As scanned, every file is on the kept copy's filesystem: no hard link is expected to be refused.
    assert action_plan.other_filesystem(s.plan("hardlink"), s.library) == []


def test_a_move_or_copy_needs_a_folder_and_a_link_takes_none(marked):
    with pytest.raises(ValueError):
        marked.plan("move")
    with pytest.raises(ValueError):
        marked.plan("hardlink", "/somewhere")
