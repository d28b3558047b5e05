"""Reviews: the store survives a restart, review files round-trip, bad files are refused, changed files are found."""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path

import numpy as np
import pytest

from dupeview.core.cache import FingerprintCache
from dupeview.core.grouping import GroupOptions, Matcher
from dupeview.core.record_table import RecordTable
from dupeview.core.records import ImageRecord, Library
from dupeview.core.review import (
    CHANGED,
    REPLACED,
    VANISHED,
    ReviewFolder,
    ReviewState,
    ScanSnapshot,
    check_files,
    scan_snapshot,
    without_files,
)
from dupeview.core.review_columns import encode_records
from dupeview.core.review_store import (
    ReviewFileError,
    ReviewSaver,
    ReviewStore,
    read_review_file,
    write_review_file,
)
from dupeview.core.scanner import ScanSettings, scan
from tests.images import photo, save


def make_photos(root: Path) -> Path:
    """Three pairs of copies (one pair across two folders) and two singles."""
    for k in range(3):
        img = photo(10 + k, (320, 240))
        save(img, root / "Pictures" / f"img{k}.jpg", quality=92)
        save(img.resize((160, 120)), root / "Backup 2019" / f"img{k}_small.jpg", quality=85)
    save(photo(20), root / "Pictures" / "single.png")
    save(photo(21), root / "Backup 2019" / "other.jpg")
    return root


def scan_roots(*roots: Path) -> Library:
    with FingerprintCache(None) as cache:
        return scan(ScanSettings(tuple(str(r) for r in roots), workers=0), cache)


def _load(db: Path) -> ReviewState | None:
    with ReviewStore(db) as store:   # closed at once: a connection left to the collector warns on Python 3.13
        return store.load()

@pytest.fixture
def reviewed(tmp_path: Path) -> tuple[Library, ReviewState]:
    root = make_photos(tmp_path / "photos")
    library = scan_roots(root / "Pictures", root / "Backup 2019")
    assert library.has_views()
    groups = Matcher(library).groups(GroupOptions())
    assert len(groups) == 3
    marks = frozenset(library.records[m.index].path for g in groups for m in g.members if m.suggested)
    a, b = (library.records[m.index].path for m in groups[0].members[:2])
    state = ReviewState(folders=(ReviewFolder(str(root / "Pictures")), ReviewFolder(str(root / "Backup 2019"), True)),
                        options={"threshold": 8, "algorithm": "phash", "scope": "all"},
                        scan=scan_snapshot(library), marks=marks, dismissals=frozenset({(b, a)}),
                        absent=frozenset({library.records[groups[2].members[-1].index].path}),
                        selected=library.records[groups[1].keeper.index].path)
    return library, state


def assert_same_review(got: ReviewState, want: ReviewState) -> None:
    assert got.folders == want.folders
    assert dict(got.options) == dict(want.options)
    assert got.marks == want.marks and got.dismissals == want.dismissals and got.selected == want.selected
    assert got.absent == want.absent
    assert got.scan is not None and want.scan is not None
    assert got.scan.token == want.scan.token
    assert got.scan.records == want.scan.records
    assert np.array_equal(got.scan.hashes, want.scan.hashes)
    assert got.scan.has_views == want.scan.has_views
    assert np.array_equal(got.scan.views, want.scan.views) and np.array_equal(got.scan.flatness, want.scan.flatness)
    assert got.scan.skipped == want.scan.skipped and got.scan.warnings == want.scan.warnings


def test_store_survives_a_restart_and_groups_come_back_without_a_rescan(tmp_path: Path, reviewed) -> None:
    library, state = reviewed
    db = tmp_path / "data" / "review.sqlite3"
    with ReviewStore(db) as store:
        assert store.load() is None
        store.save(state)
    with ReviewStore(db) as again:   # a new run
        back = again.load()
    assert back is not None
    assert_same_review(back, state)
    assert back.dismissals == frozenset({tuple(sorted(next(iter(state.dismissals))))})
    before = Matcher(library).groups(GroupOptions())
    after = Matcher(back.scan.to_library()).groups(GroupOptions())
    assert list(before) == list(after)


def test_store_saves_changes_of_marks_and_dismissals(tmp_path: Path, reviewed) -> None:
    _, state = reviewed
    db = tmp_path / "review.sqlite3"
    store = ReviewStore(db)
    store.save(state)
    dropped = sorted(state.marks)[0]
    extra = sorted(p.path for p in state.scan.records if p.path not in state.marks)[0]
    changed = ReviewState(folders=state.folders, options={**state.options, "threshold": 6}, scan=state.scan,
                          marks=(state.marks - {dropped}) | {extra}, dismissals=frozenset(), selected=None)
    store.save(changed)
    store.close()
    back = _load(db)
    assert back is not None
    assert back.marks == changed.marks and back.dismissals == frozenset() and back.selected is None
    assert back.options["threshold"] == 6
    assert back.scan is not None and back.scan.records == state.scan.records


def test_a_write_by_another_process_in_between_is_not_overwritten_by_a_diff(tmp_path: Path, reviewed) -> None:
    _, state = reviewed
    db = tmp_path / "review.sqlite3"
    first, second = ReviewStore(db), ReviewStore(db)
    first.save(state)
    only = frozenset(sorted(state.marks)[:1])
    second.save(ReviewState(scan=state.scan, marks=only))
    # `first` remembers having written state.marks; a diff from that would leave `only` behind.
    first.save(ReviewState(scan=state.scan, marks=state.marks - only))
    first.close()
    second.close()
    back = _load(db)
    assert back is not None and back.marks == state.marks - only


def test_a_damaged_store_is_moved_aside_and_the_app_starts_empty(tmp_path: Path, reviewed) -> None:
    _, state = reviewed
    db = tmp_path / "review.sqlite3"
    with ReviewStore(db) as store:
        store.save(state)
    data = bytearray(db.read_bytes())
    data[4096:8192] = os.urandom(4096)
    db.write_bytes(bytes(data))
    store = ReviewStore(db)
    assert store.load() is None
    assert store.warnings and "kept as" in store.warnings[0]
    assert any(p.name.startswith("review.sqlite3.bad-") for p in tmp_path.iterdir())
    store.save(state)   # and the fresh store works
    store.close()
    back = _load(db)
    assert back is not None and back.marks == state.marks


def test_saver_writes_the_last_state_off_the_calling_thread(tmp_path: Path, reviewed) -> None:
    _, state = reviewed
    db = tmp_path / "review.sqlite3"
    errors: list[str] = []
    saver = ReviewSaver(ReviewStore(db), on_error=errors.append)
    paths = sorted(r.path for r in state.scan.records)
    for k in range(len(paths)):
        saver.submit(ReviewState(scan=state.scan, marks=frozenset(paths[:k]), selected=paths[k]))
    assert saver.flush(60)
    saver.close()
    assert errors == [] and 1 <= saver.saves <= len(paths)
    back = _load(db)
    assert back is not None and back.marks == frozenset(paths[:-1]) and back.selected == paths[-1]


def test_review_file_round_trip_is_one_self_contained_file(tmp_path: Path, reviewed) -> None:
    _, state = reviewed
    out = tmp_path / "saved" / "my review.dupeview-review"
    out.parent.mkdir()
    write_review_file(out, state)
    assert sorted(p.name for p in out.parent.iterdir()) == [out.name]
    assert_same_review(read_review_file(out), state)
    assert sorted(p.name for p in out.parent.iterdir()) == [out.name]   # reading leaves no journal behind
    # Saving again over it replaces it whole.
    write_review_file(out, ReviewState(scan=state.scan, marks=frozenset()))
    assert read_review_file(out).marks == frozenset()


def test_paths_that_are_not_utf8_round_trip(tmp_path: Path) -> None:
    folder = tmp_path / "photos"
    name = os.fsdecode(b"caf\xe9.jpg")
    save(photo(3), folder / name)
    shutil.copy(folder / name, folder / "copy.jpg")
    library = scan_roots(folder)
    state = ReviewState(folders=(ReviewFolder(str(folder)),), scan=scan_snapshot(library),
                        marks=frozenset({str(folder / name)}), selected=str(folder / name))
    out = tmp_path / "r.dupeview-review"
    write_review_file(out, state)
    back = read_review_file(out)
    assert back.marks == state.marks and back.selected == state.selected
    assert check_files(back.scan.records).problems == {}


def refused(path: Path) -> str:
    before = sorted(p.name for p in path.parent.iterdir())
    content = path.read_bytes() if path.exists() else None
    with pytest.raises(ReviewFileError) as info:
        read_review_file(path)
    # Nothing else changes: the file and its folder are as they were.
    assert sorted(p.name for p in path.parent.iterdir()) == before
    assert (path.read_bytes() if path.exists() else None) == content
    message = str(info.value)
    assert message.count(".") >= 1 and "\n" not in message and "Traceback" not in message
    return message


def test_damaged_truncated_and_foreign_files_are_refused_with_one_plain_message(tmp_path: Path, reviewed) -> None:
    _, state = reviewed
    good = tmp_path / "good.dupeview-review"
    write_review_file(good, state)
    data = good.read_bytes()
    assert len(data) > 16384

    truncated = tmp_path / "bad" / "truncated.dupeview-review"
    truncated.parent.mkdir()
    truncated.write_bytes(data[: len(data) // 2])
    assert "damaged or incomplete" in refused(truncated)

    damaged = tmp_path / "bad" / "damaged.dupeview-review"
    scrambled = bytearray(data)
    scrambled[8192:12288] = bytes(4096)
    damaged.write_bytes(bytes(scrambled))
    assert "damaged or incomplete" in refused(damaged)

    picture = save(photo(1), tmp_path / "bad" / "holiday.dupeview-review", fmt="PNG")
    assert "not a dupeview review" in refused(picture)

    text = tmp_path / "bad" / "notes.dupeview-review"
    text.write_text("groups: 3\n")
    assert "not a dupeview review" in refused(text)

    empty = tmp_path / "bad" / "empty.dupeview-review"
    empty.write_bytes(b"")
    assert "not a dupeview review" in refused(empty)

    other_db = tmp_path / "bad" / "other.sqlite3"
    conn = sqlite3.connect(other_db)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    assert "not a dupeview review" in refused(other_db)

    # Our fingerprint cache is SQLite too, but not a review.
    cache_file = tmp_path / "bad" / "fingerprints.sqlite3"
    FingerprintCache(cache_file).close()
    assert "not a dupeview review" in refused(cache_file)

    assert "can't be read" in refused(tmp_path / "bad" / "missing.dupeview-review")


def test_a_review_from_a_newer_dupeview_is_refused(tmp_path: Path, reviewed) -> None:
    _, state = reviewed
    out = tmp_path / "newer.dupeview-review"
    write_review_file(out, state)
    conn = sqlite3.connect(out)
    conn.execute("PRAGMA user_version = 99")
    conn.commit()
    conn.close()
    assert "newer dupeview" in refused(out)


def test_a_review_with_inconsistent_content_is_refused(tmp_path: Path, reviewed) -> None:
    _, state = reviewed
    out = tmp_path / "edited.dupeview-review"
    write_review_file(out, state)
    conn = sqlite3.connect(out)
    # Sound SQLite files whose content no longer adds up.
    conn.execute("UPDATE records SET data = substr(data, 9) WHERE name = 'size'")
    conn.commit()
    conn.close()
    assert "damaged or incomplete" in refused(out)
    write_review_file(out, state)
    conn = sqlite3.connect(out)
    conn.execute("UPDATE records SET data = CAST('[1, 2]' AS BLOB) WHERE name = 'camera'")
    conn.commit()
    conn.close()
    assert "damaged or incomplete" in refused(out)
    write_review_file(out, state)
    conn = sqlite3.connect(out)
    conn.execute("DELETE FROM fingerprints")
    conn.commit()
    conn.close()
    assert "damaged or incomplete" in refused(out)


def test_records_round_trip_with_values_past_int64_and_odd_text(tmp_path: Path) -> None:
    # The column codec rebuilds records by field position: a change of ImageRecord must show here.
    assert ImageRecord._fields == ("path", "size", "mtime_ns", "ctime_ns", "dev", "ino", "digest", "width",
                                   "height", "format", "taken", "camera", "contrast")
    records = (ImageRecord("/a/ünï\ncode.jpg", 1, -5, 2**62, 2**64 - 1, -(2**63), b"", 3, 4, "JPEG", None, "Ca\u00e9", 0.5),
               ImageRecord(os.fsdecode(b"/b/\xff.png"), 2**40, 0, 0, 0, 2**63, b"\x00" * 16, 1, 1, "PNG", "2019", None, 1e9))
    state = ReviewState(scan=ScanSnapshot(records, np.arange(2 * 4 * 8, dtype=np.uint64).reshape(2, 4, 8)))
    out = tmp_path / "odd.dupeview-review"
    write_review_file(out, state)
    back = read_review_file(out)
    assert back.scan is not None and back.scan.records == records
    assert np.array_equal(back.scan.hashes, state.scan.hashes)
    # Records as columns (what a scan gives) are written from the columns: the same bytes, the same records back.
    # (A column holds int64 or uint64: not -2**63 beside 2**63.)
    rows = (records[0]._replace(ino=7), records[1])
    table = RecordTable.from_records(rows)
    assert table.dev.dtype == table.ino.dtype == np.uint64
    assert list(encode_records(table)) == list(encode_records(list(rows)))
    write_review_file(out, ReviewState(scan=ScanSnapshot(table, state.scan.hashes)))
    assert read_review_file(out).scan.records == rows


def test_changed_replaced_and_vanished_files_are_reported_and_never_actionable(tmp_path: Path, reviewed) -> None:
    _, state = reviewed
    records = {os.path.basename(r.path): r for r in state.scan.records}
    changed, vanished, replaced = records["img0.jpg"].path, records["img1_small.jpg"].path, records["img2.jpg"].path
    with open(changed, "ab") as f:
        f.write(b"\0")
    os.remove(vanished)
    st = os.stat(replaced)
    # Same bytes, size and mtime, but another file (made while the old one exists, so another inode).
    twin = Path(replaced + ".new")
    twin.write_bytes(Path(replaced).read_bytes())
    os.utime(twin, ns=(st.st_atime_ns, st.st_mtime_ns))
    os.replace(twin, replaced)
    check = check_files(state.scan.records)
    assert dict(check.problems) == {changed: CHANGED, vanished: VANISHED, replaced: REPLACED}
    assert check.vanished == (vanished,) and set(check.changed) == {changed, replaced}
    assert not check.none_exist
    assert check.actionable(state.marks) == state.marks - {changed, vanished, replaced}
    unchanged = [r for r in state.scan.records if r.path not in check.problems]
    assert check_files(unchanged).problems == {}
    # The review without them: groups from what is left, no mark on a stale file.
    left = without_files(state, check.stale)
    assert left.scan is not None and [r.path for r in left.scan.records] == [r.path for r in unchanged]
    assert left.marks == state.marks - check.stale and check_files(left.scan.records).problems == {}
    assert left.scan.has_views and len(left.scan.views) == len(left.scan.hashes) == len(unchanged)
    regrouped = Matcher(left.scan.to_library()).groups(GroupOptions())
    assert all(changed not in {left.scan.records[m.index].path for m in g.members} for g in regrouped)
    assert without_files(state, ()) is state


def test_a_review_from_another_machine_refuses_every_file_whose_path_does_not_exist(tmp_path: Path, reviewed) -> None:
    _, state = reviewed
    out = tmp_path / "from-the-nas.dupeview-review"
    write_review_file(out, state)
    # The other machine: the same review file, but the photos are not at those paths here.
    shutil.move(tmp_path / "photos", tmp_path / "elsewhere")
    back = read_review_file(out)
    check = check_files(back.scan.records)
    assert check.none_exist and set(check.vanished) == {r.path for r in back.scan.records}
    assert check.actionable(back.marks) == frozenset()
    assert back.machine == state.machine


def test_a_load_after_close_opens_nothing(tmp_path: Path, reviewed) -> None:
    """The window's restore job may run after its shutdown closed the store: it gets nothing and leaves no
    connection behind (nothing would close it)."""
    _, state = reviewed
    db = tmp_path / "review.sqlite3"
    with ReviewStore(db) as store:
        store.save(state)
    assert store.load() is None and store._conn is None
    back = _load(db)
    assert back is not None and back.marks == state.marks   # the saved review is untouched
