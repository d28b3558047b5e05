"""Every removal is a small transaction: the file and its kept copy re-verified (identity and digest as
scanned) just before, the kept copy checked just after, the file put back when both names were one file."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from dupeview.core import actions
from dupeview.core.actions import ActionLog, Removal, aliases, trash, undo_last
from dupeview.core.cache import FingerprintCache
from dupeview.core.grouping import GroupOptions, Matcher
from dupeview.core.scanner import ImageRecord, Library, ScanSettings, scan
from tests.images import jpeg_bytes, photo

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="freedesktop trash layout")


def scan_records(*roots: Path) -> dict[str, ImageRecord]:
    library = scan_library(*roots)
    return {r.path: r for r in library.records}


def scan_library(*roots: Path) -> Library:
    with FingerprintCache(None) as cache:
        return scan(ScanSettings(tuple(str(r) for r in roots), workers=0), cache)


def pair(root: Path, seed: int, name: str = "IMG.jpg") -> tuple[Path, Path]:
    """A picture under root/kept and its byte-identical copy under root/photos."""
    data = jpeg_bytes(photo(seed, (96, 72)))
    kept, copy = root / "kept" / name, root / "photos" / name
    for p in (kept, copy):
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(data)
    return kept, copy


def keep_mtime(path: Path, data: bytes) -> None:
    """Rewrite a file with other bytes of the same size and put its mtime back (as rsync -t would)."""
    st = path.stat()
    assert len(data) == st.st_size
    path.write_bytes(data)
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))


def same_size_other_bytes(path: Path) -> bytes:
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    return bytes(data)


@pytest.fixture
def log(tmp_path: Path) -> ActionLog:
    return ActionLog(tmp_path / "log" / "actions.jsonl")


def test_a_rewrite_with_the_same_size_and_mtime_is_refused(tmp_path: Path, log: ActionLog) -> None:
    kept, copy = pair(tmp_path, 1)
    records = scan_records(tmp_path)
    rewritten = same_size_other_bytes(copy)
    keep_mtime(copy, rewritten)

    [outcome] = trash([Removal.of(records[str(copy)])], groups=[[records[str(kept)], records[str(copy)]]], log=log)
    assert (outcome.ok, outcome.reason) == (False, actions.CHANGED)
    assert copy.read_bytes() == rewritten
    [outcome] = trash([Removal.of(records[str(copy)])], groups=[[records[str(kept)], records[str(copy)]]],
                      permanent=True)
    assert (outcome.ok, outcome.reason) == (False, actions.CHANGED)
    assert copy.read_bytes() == rewritten


def test_a_kept_copy_overwritten_since_the_scan_stops_the_removal(tmp_path: Path, log: ActionLog) -> None:
    kept, copy = pair(tmp_path, 2)
    records = scan_records(tmp_path)
    other = same_size_other_bytes(kept)
    keep_mtime(kept, other)  # the keeper now holds another picture: the copy is its last instance

    [outcome] = trash([Removal.of(records[str(copy)])], groups=[[records[str(kept)], records[str(copy)]]], log=log)
    assert (outcome.ok, outcome.reason) == (False, actions.KEPT_CHANGED)
    assert copy.exists() and kept.read_bytes() == other


def test_a_kept_copy_deleted_while_the_batch_runs_is_noticed(tmp_path: Path, log: ActionLog) -> None:
    k1, c1 = pair(tmp_path, 3, "one.jpg")
    k2, c2 = pair(tmp_path, 4, "two.jpg")
    records = scan_records(tmp_path)
    groups = [[records[str(k1)], records[str(c1)]], [records[str(k2)], records[str(c2)]]]

    def delete_second_keeper(report: object) -> None:
        if k2.exists():  # another program removes it once the batch has started
            k2.unlink()

    outcomes = trash([Removal.of(records[str(c1)]), Removal.of(records[str(c2)])], groups=groups, log=log,
                     progress=delete_second_keeper)
    assert [(o.ok, o.reason) for o in outcomes] == [(True, ""), (False, actions.KEPT_GONE)]
    assert c2.exists()


def test_full_facts_are_logged_and_a_clean_removal_undoes_byte_identical(tmp_path: Path, log: ActionLog) -> None:
    kept, copy = pair(tmp_path, 5)
    data = copy.read_bytes()
    records = scan_records(tmp_path)
    [outcome] = trash([Removal.of(records[str(copy)])], groups=[[records[str(kept)], records[str(copy)]]], log=log)
    assert outcome.ok
    [entry] = log.entries()
    assert entry["digest"] == records[str(copy)].digest and entry["keepers"] == [(str(kept), records[str(kept)].digest)]
    assert [o.ok for o in undo_last(log)] == [True]
    assert copy.read_bytes() == data


# --- one file under two names: real mounts ---------------------------------------------------------

def _mount(args: list[str], where: Path, request: pytest.FixtureRequest) -> None:
    if os.geteuid() != 0:
        pytest.skip("mounting needs root")
    done = subprocess.run(["mount", *args, str(where)], check=False, capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount ({' '.join(args)}): {done.stderr.strip() or done.returncode}")

    def unmount() -> None:
        if subprocess.run(["umount", str(where)], check=False, capture_output=True).returncode != 0:
            subprocess.run(["umount", "-l", str(where)], check=False, capture_output=True)
    request.addfinalizer(unmount)


def overlay(tmp_path: Path, request: pytest.FixtureRequest, xino: str) -> tuple[Path, Path]:
    """A tmpfs folder (lower) that is also seen through an overlay mount (merged): one file, two paths."""
    lower, upper, work, merged = (tmp_path / n for n in ("lower", "upper", "work", "merged"))
    for p in (lower, upper, work, merged):
        p.mkdir()
    _mount(["-t", "tmpfs", "-o", "size=16m", "tmpfs"], lower, request)
    (lower / "IMG.jpg").write_bytes(jpeg_bytes(photo(7, (96, 72))))
    _mount(["-t", "overlay", "-o", f"lowerdir={lower},upperdir={upper},workdir={work},xino={xino}", "overlay"],
           merged, request)
    return lower / "IMG.jpg", merged / "IMG.jpg"


def test_bind_mount_twin_is_never_removed(tmp_path: Path, request: pytest.FixtureRequest, log: ActionLog) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "IMG.jpg").write_bytes(jpeg_bytes(photo(8, (96, 72))))
    _mount(["--bind", str(tmp_path / "a")], tmp_path / "b", request)
    one, two = str(tmp_path / "a" / "IMG.jpg"), str(tmp_path / "b" / "IMG.jpg")
    records = scan_records(tmp_path / "a")
    records[two] = records[one]._replace(path=two)  # discovery folds one inode; a second scan would not
    [outcome] = trash([Removal.of(records[two])], groups=[[records[one], records[two]]], log=log)
    assert (outcome.ok, outcome.reason) == (False, actions.KEPT_SAME_FILE)
    assert Path(one).exists()


@pytest.mark.parametrize("permanent", [False, True], ids=["trash", "delete"])
def test_overlay_twin_is_refused_and_never_offered_again(tmp_path: Path, request: pytest.FixtureRequest,
                                                         log: ActionLog, permanent: bool) -> None:
    lower_file, merged_file = overlay(tmp_path, request, "off")
    data = lower_file.read_bytes()
    library = scan_library(tmp_path / "lower", tmp_path / "merged")
    records = {r.path: r for r in library.records}
    lo, me = records[str(lower_file)], records[str(merged_file)]
    assert (lo.dev, lo.ino) != (me.dev, me.ino)  # not hard links: today's check sees two files

    groups_before = Matcher(library).groups(GroupOptions())
    assert [len(g.members) for g in groups_before] == [2]

    [outcome] = trash([Removal.of(lo)], groups=[[me, lo]], log=log, permanent=permanent)
    assert (outcome.ok, outcome.reason) == (False, actions.KEPT_SAME_FILE)
    assert lower_file.read_bytes() == data and merged_file.read_bytes() == data
    assert (str(lower_file), str(merged_file)) in aliases.known() or \
        (str(merged_file), str(lower_file)) in aliases.known()
    # Grouping now treats the two names like hard links of one file: no group is offered.
    assert len(Matcher(library).groups(GroupOptions())) == 0


@pytest.mark.parametrize("permanent", [False, True], ids=["trash", "delete"])
def test_an_alias_no_check_can_see_beforehand_is_put_back_at_once(tmp_path: Path, request: pytest.FixtureRequest,
                                                                  log: ActionLog, permanent: bool) -> None:
    lower_file, merged_file = overlay(tmp_path, request, "on")  # xino: even the inode numbers differ
    data = lower_file.read_bytes()
    records = scan_records(tmp_path / "lower", tmp_path / "merged")
    lo, me = records[str(lower_file)], records[str(merged_file)]
    assert lo.ino != me.ino

    [outcome] = trash([Removal.of(lo)], groups=[[me, lo]], log=log, permanent=permanent)
    assert (outcome.ok, outcome.reason) == (False, actions.ALIAS_PUT_BACK)
    assert lower_file.read_bytes() == data
    assert not [n for n in os.listdir(tmp_path / "lower") if n.startswith(".dupeview-")]
    if not permanent:
        trash_files = tmp_path / "lower" / f".Trash-{os.getuid()}" / "files"
        assert not trash_files.exists() or os.listdir(trash_files) == []
    assert log.last_undoable() is None
    # Remembered: after a new scan (putting it back moved its ctime), the next attempt is refused up front.
    records = scan_records(tmp_path / "lower", tmp_path / "merged")
    lo, me = records[str(lower_file)], records[str(merged_file)]
    [again] = trash([Removal.of(lo)], groups=[[me, lo]], log=log, permanent=permanent)
    assert (again.ok, again.reason) == (False, actions.KEPT_SAME_FILE)
