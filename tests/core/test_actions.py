"""Keep/Trash file actions on real files and the real (test-HOME) trash: nothing is lost by accident."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote_from_bytes

import pytest

from dupeview.core import actions
from dupeview.core.actions import ActionLog, Outcome, Removal, can_undo, refusals, trash, undo_last
from dupeview.core.progress import CancelToken, Progress
from tests.images import jpeg_bytes, photo

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="freedesktop trash layout")
pytestmark = linux_only


def removal(path: Path | str) -> Removal:
    st = os.stat(path)
    return Removal(os.fspath(path), st.st_size, st.st_mtime_ns)


def make_dupes(root: Path, contents: dict[str, bytes]) -> tuple[list[Path], list[list[str]]]:
    """Each name under root/photos, with a kept twin under root/kept; returns (to remove, groups)."""
    (root / "photos").mkdir(parents=True, exist_ok=True)
    (root / "kept").mkdir(parents=True, exist_ok=True)
    doomed, groups = [], []
    for name, data in contents.items():
        a, b = root / "photos" / name, root / "kept" / name
        a.write_bytes(data)
        b.write_bytes(data)
        doomed.append(a)
        groups.append([str(b), str(a)])
    return doomed, groups


def info_path_of(outcome: Outcome) -> Path:
    assert outcome.info_path is not None, outcome
    return Path(outcome.info_path)


def trash_path_of(outcome: Outcome) -> Path:
    assert outcome.trash_path is not None, outcome
    return Path(outcome.trash_path)


@pytest.fixture
def action_log(tmp_path: Path) -> ActionLog:
    return ActionLog(tmp_path / "log" / "actions.jsonl")


@pytest.fixture
def photos(tmp_path: Path) -> dict[str, bytes]:
    return {f"IMG_{i:04d}.jpg": jpeg_bytes(photo(i, (64, 48))) for i in range(3)}


def mount_tmpfs(where: Path, request: pytest.FixtureRequest) -> Path:
    """Mount a small tmpfs at `where` (a second filesystem) or skip the test, saying why."""
    where.mkdir(parents=True, exist_ok=True)
    if shutil.which("mount") is None:
        pytest.skip("no mount command here, so no second filesystem to test on")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=16m,mode=0755", "tmpfs", str(where)],
                          check=False, capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip() or done.returncode}")

    def unmount() -> None:
        if subprocess.run(["umount", str(where)], check=False, capture_output=True).returncode != 0:
            subprocess.run(["umount", "-l", str(where)], check=False, capture_output=True)
    request.addfinalizer(unmount)
    return where


@pytest.fixture
def tmpfs(tmp_path: Path, request: pytest.FixtureRequest) -> Path:
    return mount_tmpfs(tmp_path / "mnt", request)


# --- trash and undo --------------------------------------------------------------------------------

def test_trash_moves_files_into_the_trash_and_logs_them(tmp_path: Path, trash_dir: str,
                                                         photos: dict[str, bytes],
                                                         action_log: ActionLog) -> None:
    doomed, groups = make_dupes(tmp_path, photos)
    outcomes = trash([removal(p) for p in doomed], groups=groups, log=action_log)

    assert [o.path for o in outcomes] == [str(p) for p in doomed]
    assert all(o.ok and o.reason == "" for o in outcomes), outcomes
    for path, outcome in zip(doomed, outcomes, strict=False):
        assert not path.exists()
        in_trash = trash_path_of(outcome)
        assert in_trash.parent == Path(trash_dir) / "files"
        assert in_trash.read_bytes() == photos[path.name]
        info = info_path_of(outcome)
        assert info == Path(trash_dir) / "info" / (in_trash.name + ".trashinfo")
        assert f"Path={quote_from_bytes(os.fsencode(path))}".encode() in info.read_bytes()
        assert (tmp_path / "kept" / path.name).read_bytes() == photos[path.name]

    entries = action_log.entries()
    assert [(e["action"], e["path"], e["trash_path"], e["info_path"], e["ok"]) for e in entries] == [
        ("trash", str(p), o.trash_path, o.info_path, True) for p, o in zip(doomed, outcomes, strict=False)]
    assert len({e["batch"] for e in entries}) == 1


def test_undo_restores_byte_identical_and_only_once(tmp_path: Path, photos: dict[str, bytes],
                                                    action_log: ActionLog) -> None:
    doomed, groups = make_dupes(tmp_path, photos)
    mtimes = {p: p.stat().st_mtime_ns for p in doomed}
    outcomes = trash([removal(p) for p in doomed], groups=groups, log=action_log)
    assert can_undo()

    restored = undo_last(action_log)
    assert [(o.path, o.ok) for o in restored] == [(str(p), True) for p in doomed]
    for path, before in zip(doomed, outcomes, strict=False):
        assert path.read_bytes() == photos[path.name]
        assert path.stat().st_mtime_ns == mtimes[path]
        assert not trash_path_of(before).exists()
        assert not info_path_of(before).exists()

    assert action_log.last_undoable() is None
    assert undo_last(action_log) == []
    assert [e["action"] for e in action_log.entries()] == ["trash"] * 3 + ["restore"] * 3


def test_undo_takes_the_newest_batch_first(tmp_path: Path, photos: dict[str, bytes],
                                           action_log: ActionLog) -> None:
    doomed, groups = make_dupes(tmp_path, photos)
    trash([removal(doomed[0])], groups=groups, log=action_log)
    trash([removal(p) for p in doomed[1:]], groups=groups, log=action_log)

    assert [o.path for o in undo_last(action_log)] == [str(p) for p in doomed[1:]]
    assert not doomed[0].exists()
    assert [o.path for o in undo_last(action_log)] == [str(doomed[0])]
    assert all(p.read_bytes() == photos[p.name] for p in doomed)
    assert undo_last(action_log) == []


def test_round_trip_of_a_thousand_files(tmp_path: Path, action_log: ActionLog) -> None:
    contents = {f"f{i:04d}.jpg": os.urandom(64 + i % 97) for i in range(1000)}
    doomed, groups = make_dupes(tmp_path, contents)
    removals = [removal(p) for p in doomed]
    reports: list[Progress] = []

    outcomes = trash(removals, groups=groups, log=action_log, progress=reports.append)
    assert all(o.ok and o.trash_path for o in outcomes), [o for o in outcomes if not o.ok][:3]
    assert not any(p.exists() for p in doomed)
    assert len({o.trash_path for o in outcomes}) == 1000
    assert reports[-1].phase == "trash" and reports[-1].done == reports[-1].total == 1000
    assert reports[-1].bytes_done == sum(r.size for r in removals)

    restored = undo_last(action_log)
    assert all(o.ok for o in restored), [o for o in restored if not o.ok][:3]
    for path in doomed:
        assert path.read_bytes() == contents[path.name]
    assert not any(Path(o.trash_path).exists() or Path(o.info_path).exists()  # type: ignore[arg-type]
                   for o in outcomes)


# --- refusals --------------------------------------------------------------------------------------

def test_a_group_whose_every_member_is_marked_is_refused(tmp_path: Path, photos: dict[str, bytes],
                                                         action_log: ActionLog) -> None:
    doomed, groups = make_dupes(tmp_path, photos)
    whole_group = [str(tmp_path / "kept" / doomed[0].name), str(doomed[0])]
    marked = whole_group + [str(doomed[1])]

    assert refusals(groups, marked) == {p: actions.LAST_COPY for p in whole_group}
    outcomes = trash([removal(p) for p in marked], groups=groups, log=action_log)

    assert [(o.ok, o.reason) for o in outcomes] == [(False, "the last copy of its group is never removed")] * 2 \
        + [(True, "")]
    assert all(Path(p).read_bytes() == photos[doomed[0].name] for p in whole_group)
    assert not doomed[1].exists()


def test_refusals_on_names_only() -> None:
    groups = [["/a/1.jpg", "/b/1.jpg", "/c/1.jpg"], ["/a/2.jpg", "/b/2.jpg"]]
    assert refusals(groups, ["/a/1.jpg", "/b/1.jpg"]) == {}
    assert refusals(groups, ["/a/1.jpg", "/b/1.jpg", "/c/1.jpg", "/a/2.jpg"]) == {
        "/a/1.jpg": actions.LAST_COPY, "/b/1.jpg": actions.LAST_COPY, "/c/1.jpg": actions.LAST_COPY}
    assert refusals(groups, ["/a/./2.jpg", "/b/2.jpg"]) == {
        "/a/./2.jpg": actions.LAST_COPY, "/b/2.jpg": actions.LAST_COPY}
    assert refusals(groups, ["/elsewhere.jpg"]) == {"/elsewhere.jpg": actions.NO_GROUP}
    assert refusals([], []) == {}


def test_a_file_whose_kept_copy_is_gone_or_is_itself_is_refused(tmp_path: Path,
                                                                 photos: dict[str, bytes]) -> None:
    doomed, groups = make_dupes(tmp_path, photos)
    (tmp_path / "kept" / doomed[0].name).unlink()
    kept_link = tmp_path / "kept" / doomed[1].name
    kept_link.unlink()
    os.link(doomed[1], kept_link)  # the "other copy" is the same file under a second name
    loose = tmp_path / "loose.jpg"
    loose.write_bytes(b"only copy")

    outcomes = trash([removal(p) for p in doomed] + [removal(loose)], groups=groups)
    assert [(o.ok, o.reason) for o in outcomes] == [
        (False, actions.KEPT_GONE), (False, actions.KEPT_SAME_FILE), (True, ""), (False, actions.NO_GROUP)]
    assert doomed[0].exists() and doomed[1].exists() and loose.exists() and not doomed[2].exists()


def test_files_changed_since_the_scan_are_refused_untouched(tmp_path: Path, photos: dict[str, bytes]) -> None:
    doomed, groups = make_dupes(tmp_path, photos)
    removals = [removal(p) for p in doomed]
    with open(doomed[0], "ab") as fh:
        fh.write(b"edited")
    st = doomed[1].stat()
    os.utime(doomed[1], ns=(st.st_atime_ns, st.st_mtime_ns + 1_000))
    doomed[2].unlink()

    outcomes = trash(removals, groups=groups)
    assert [(o.ok, o.reason) for o in outcomes] == [
        (False, "changed since the scan"), (False, "changed since the scan"), (False, "gone since the scan")]
    assert doomed[0].read_bytes() == photos[doomed[0].name] + b"edited"
    assert doomed[1].read_bytes() == photos[doomed[1].name]


def test_only_regular_files_are_removed(tmp_path: Path) -> None:
    folder, link, kept = tmp_path / "folder.jpg", tmp_path / "link.jpg", tmp_path / "kept.jpg"
    folder.mkdir()
    kept.write_bytes(b"x")
    link.symlink_to(kept)
    groups = [[str(kept), str(folder), str(link)]]
    removals = [Removal(str(folder), 0, folder.stat().st_mtime_ns), removal(link)]
    outcomes = trash(removals, groups=groups, permanent=True)
    assert [(o.ok, o.reason) for o in outcomes] == [(False, actions.NOT_REGULAR)] * 2
    assert folder.is_dir() and link.is_symlink() and kept.read_bytes() == b"x"


def test_the_same_file_twice_in_one_batch(tmp_path: Path, photos: dict[str, bytes]) -> None:
    doomed, groups = make_dupes(tmp_path, photos)
    outcomes = trash([removal(doomed[0]), removal(doomed[0])], groups=groups)
    assert [(o.ok, o.reason) for o in outcomes] == [(True, ""), (False, actions.DUPLICATE)]


# --- trash versus delete ---------------------------------------------------------------------------

def test_trash_never_deletes(tmp_path: Path, photos: dict[str, bytes], action_log: ActionLog) -> None:
    doomed, groups = make_dupes(tmp_path, photos)
    outcomes = trash([removal(p) for p in doomed], groups=groups, log=action_log)
    assert [trash_path_of(o).read_bytes() for o in outcomes] == [photos[p.name] for p in doomed]


def test_permanent_deletes_and_cannot_be_undone(tmp_path: Path, trash_dir: str, photos: dict[str, bytes],
                                                action_log: ActionLog) -> None:
    doomed, groups = make_dupes(tmp_path, photos)
    info_before = set(os.listdir(Path(trash_dir) / "info")) if (Path(trash_dir) / "info").exists() else set()
    outcomes = trash([removal(p) for p in doomed], groups=groups, permanent=True, log=action_log)

    assert [(o.ok, o.trash_path, o.info_path) for o in outcomes] == [(True, None, None)] * 3
    assert not any(p.exists() for p in doomed)
    info_after = set(os.listdir(Path(trash_dir) / "info")) if (Path(trash_dir) / "info").exists() else set()
    assert info_after == info_before
    assert {e["action"] for e in action_log.entries()} == {"delete"}
    assert action_log.last_undoable() is None and undo_last(action_log) == []


# --- undo safety -----------------------------------------------------------------------------------

def test_undo_never_overwrites(tmp_path: Path, photos: dict[str, bytes], action_log: ActionLog) -> None:
    doomed, groups = make_dupes(tmp_path, photos)
    outcomes = trash([removal(p) for p in doomed], groups=groups, log=action_log)
    doomed[1].write_bytes(b"a new file made since")

    restored = undo_last(action_log)
    assert [(o.ok, o.reason) for o in restored] == [(True, ""), (False, actions.OCCUPIED), (True, "")]
    assert doomed[1].read_bytes() == b"a new file made since"
    assert trash_path_of(outcomes[1]).read_bytes() == photos[doomed[1].name]
    assert info_path_of(outcomes[1]).exists()
    assert doomed[0].read_bytes() == photos[doomed[0].name]
    assert undo_last(action_log) == []  # recorded as undone: the blocked file stays in the trash


def test_same_path_trashed_twice_is_found_through_its_trashinfo(tmp_path: Path,
                                                                action_log: ActionLog) -> None:
    doomed, groups = make_dupes(tmp_path, {"same.jpg": b"first"})
    first = trash([removal(doomed[0])], groups=groups, log=action_log)[0]
    doomed[0].write_bytes(b"second")
    second = trash([removal(doomed[0])], groups=groups, log=action_log)[0]

    assert first.ok and second.ok and first.trash_path != second.trash_path
    assert trash_path_of(first).read_bytes() == b"first"
    assert trash_path_of(second).read_bytes() == b"second"
    assert undo_last(action_log)[0].ok and doomed[0].read_bytes() == b"second"
    assert [o.reason for o in undo_last(action_log)] == [actions.OCCUPIED]
    assert trash_path_of(first).read_bytes() == b"first"


def test_undo_after_the_trash_was_emptied_moves_nothing(tmp_path: Path, action_log: ActionLog) -> None:
    doomed, groups = make_dupes(tmp_path, {"pic.jpg": b"mine"})
    mine = trash([removal(doomed[0])], groups=groups, log=action_log)[0]
    trash_path_of(mine).unlink()  # the user empties the trash...
    info_path_of(mine).unlink()
    other, other_groups = make_dupes(tmp_path / "other", {"pic.jpg": b"someone else's"})
    theirs = trash([removal(other[0])], groups=other_groups)[0]  # ...and trashes another pic.jpg
    assert theirs.trash_path == mine.trash_path

    assert [(o.ok, o.reason) for o in undo_last(action_log)] == [(False, actions.NOT_IN_TRASH)]
    assert not doomed[0].exists()
    assert trash_path_of(theirs).read_bytes() == b"someone else's"


def test_non_utf8_name_round_trip(tmp_path: Path, action_log: ActionLog) -> None:
    folder = os.fsencode(tmp_path)
    name = os.fsdecode(b"caf\xe9.jpg")
    (tmp_path / "kept").mkdir()
    path = os.path.join(os.fsdecode(folder), name)
    kept = os.path.join(os.fsdecode(folder), "kept", name)
    for p in (path, kept):
        with open(p, "wb") as fh:
            fh.write(b"\xff\xd8 non-utf8 \xe9")

    outcome = trash([removal(path)], groups=[[kept, path]], log=action_log)[0]
    assert outcome.ok and not os.path.lexists(path)
    assert os.fsencode(trash_path_of(outcome).name) == b"caf\xe9.jpg"
    assert b"caf%E9.jpg" in info_path_of(outcome).read_bytes()
    assert action_log.path.read_bytes().decode("ascii")  # the log itself stays plain text
    assert action_log.entries()[0]["path"] == path

    restored = undo_last(action_log)
    assert restored[0].ok
    with open(path, "rb") as fh:
        assert fh.read() == b"\xff\xd8 non-utf8 \xe9"


# --- the log ---------------------------------------------------------------------------------------

def test_a_damaged_log_line_is_skipped(tmp_path: Path, action_log: ActionLog) -> None:
    first = action_log.record("delete", [Outcome("/x/a.jpg", True)])
    with open(action_log.path, "ab") as fh:
        fh.write(b'{"batch": "torn", "action": "tra')  # a crash mid-write: no newline
    second = action_log.record("delete", [Outcome("/x/b.jpg", False, "permission denied")])
    with open(action_log.path, "ab") as fh:
        fh.write(b"[1, 2]\n\xff\xfe garbage\n" + json.dumps({"batch": "x", "action": "trash"}).encode() + b"\n")

    entries = action_log.entries()
    assert [(e["batch"], e["path"], e["ok"], e["reason"]) for e in entries] == [
        (first, "/x/a.jpg", True, ""), (second, "/x/b.jpg", False, "permission denied")]
    assert action_log.last_undoable() is None


def test_log_defaults_to_the_data_dir_and_checks_the_action(tmp_path: Path) -> None:
    from dupeview import paths
    assert ActionLog().path.parent == paths.data_dir()
    with pytest.raises(ValueError):
        ActionLog(tmp_path / "l.jsonl").record("shred", [])
    assert ActionLog(tmp_path / "missing.jsonl").entries() == []


# --- cancel and progress ---------------------------------------------------------------------------

def test_cancel_refuses_the_files_not_yet_reached(tmp_path: Path, photos: dict[str, bytes],
                                                  action_log: ActionLog) -> None:
    doomed, groups = make_dupes(tmp_path, photos)
    token = CancelToken()

    def cancel_at_once(report: Progress) -> None:
        token.cancel()  # arrives while the first file is being handled

    outcomes = trash([removal(p) for p in doomed], groups=groups, log=action_log,
                     progress=cancel_at_once, cancel=token)
    assert [(o.ok, o.reason) for o in outcomes] == [(True, ""), (False, "cancelled"), (False, "cancelled")]
    assert not doomed[0].exists() and doomed[1].exists() and doomed[2].exists()

    outcomes = trash([removal(p) for p in doomed[1:]], groups=groups, cancel=token)
    assert [o.reason for o in outcomes] == ["cancelled"] * 2
    assert doomed[1].exists() and doomed[2].exists()


# --- other filesystems and failures ----------------------------------------------------------------

def test_trash_on_a_second_filesystem_uses_its_own_trash(tmpfs: Path, tmp_path: Path,
                                                         action_log: ActionLog) -> None:
    doomed, groups = make_dupes(tmpfs, {"a.jpg": b"on tmpfs", "b.jpg": b"also on tmpfs"})
    outcome = trash([removal(doomed[0])], groups=groups, log=action_log)[0]
    assert outcome.ok, outcome
    assert trash_path_of(outcome) == tmpfs / f".Trash-{os.getuid()}" / "files" / "a.jpg"
    assert trash_path_of(outcome).read_bytes() == b"on tmpfs"

    # A sticky, shared .Trash comes first when the volume has one.
    (tmpfs / ".Trash").mkdir()
    os.chmod(tmpfs / ".Trash", 0o1777)
    outcome = trash([removal(doomed[1])], groups=groups, log=action_log)[0]
    assert outcome.ok, outcome
    assert trash_path_of(outcome) == tmpfs / ".Trash" / str(os.getuid()) / "files" / "b.jpg"

    assert undo_last(action_log)[0].ok and doomed[1].read_bytes() == b"also on tmpfs"
    assert undo_last(action_log)[0].ok and doomed[0].read_bytes() == b"on tmpfs"


def test_a_trash_that_cannot_be_made_fails_per_file_leaving_it_in_place(tmpfs: Path) -> None:
    doomed, groups = make_dupes(tmpfs, {"a.jpg": b"stays"})
    (tmpfs / f".Trash-{os.getuid()}").write_bytes(b"a file where the trash folder should be")
    outcome = trash([removal(doomed[0])], groups=groups)[0]
    assert not outcome.ok
    assert outcome.reason.startswith("could not move it to the trash: ") and ".Trash-" in outcome.reason
    assert doomed[0].read_bytes() == b"stays"


def test_a_read_only_disk_is_named_as_such(tmpfs: Path) -> None:
    doomed, groups = make_dupes(tmpfs, {"a.jpg": b"stays"})
    removals = [removal(doomed[0])]
    done = subprocess.run(["mount", "-o", "remount,ro", str(tmpfs)], check=False, capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot remount read-only: {done.stderr.strip()}")
    for permanent in (False, True):
        outcome = trash(removals, groups=groups, permanent=permanent)[0]
        assert (outcome.ok, outcome.reason) == (False, "its disk is read-only")
    assert doomed[0].read_bytes() == b"stays"


def test_permission_denied_is_plain(tmp_path: Path, photos: dict[str, bytes]) -> None:
    doomed, groups = make_dupes(tmp_path, photos)
    folder = str(doomed[0].parent)
    if os.geteuid() != 0:
        os.chmod(folder, 0o555)
    elif subprocess.run(["chattr", "+i", folder], check=False, capture_output=True).returncode != 0:
        pytest.skip("running as root on a disk without chattr +i: nothing can be denied")
    try:
        outcomes = trash([removal(p) for p in doomed], groups=groups)
        outcomes += trash([removal(doomed[0])], groups=groups, permanent=True)
    finally:
        if os.geteuid() == 0:
            subprocess.run(["chattr", "-i", folder], check=True)
        else:
            os.chmod(folder, 0o755)
    assert [(o.ok, o.reason) for o in outcomes] == [(False, "permission denied")] * 4
    assert all(p.read_bytes() == photos[p.name] for p in doomed)


def test_undo_moves_back_across_filesystems(tmp_path: Path, request: pytest.FixtureRequest,
                                            photos: dict[str, bytes], action_log: ActionLog) -> None:
    doomed, groups = make_dupes(tmp_path, photos)
    mode = stat.S_IMODE(os.stat(doomed[0]).st_mode)
    mtimes = [p.stat().st_mtime_ns for p in doomed]
    outcomes = trash([removal(p) for p in doomed], groups=groups, log=action_log)
    assert all(o.ok for o in outcomes)
    # The folder the photos came from is now another filesystem than the trash.
    mount_tmpfs(doomed[0].parent, request)

    restored = undo_last(action_log)
    assert all(o.ok for o in restored), restored
    for path, before, mtime in zip(doomed, outcomes, mtimes, strict=False):
        assert path.read_bytes() == photos[path.name]
        assert path.stat().st_mtime_ns == mtime and stat.S_IMODE(path.stat().st_mode) == mode
        assert not trash_path_of(before).exists() and not info_path_of(before).exists()

