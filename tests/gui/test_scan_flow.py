"""The core flow on real files: first launch, a real scan, the group model, regrouping, cancel, skipped files."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent

from dupeview.core.cache import FingerprintCache
from dupeview.gui.pages import PAGE_EMPTY, PAGE_RESULTS, PAGE_SCANNING
from tests.gui.conftest import make_photos, settled, waiting
from tests.images import photo, save


def group_paths(w) -> list[set[str]]:
    return [{w.session.path(m) for m in g.members} for g in w.session.groups]


def test_first_launch_says_what_to_do(window_factory):
    w = window_factory()
    w.show()
    assert w.pages.currentIndex() == PAGE_EMPTY
    assert w.empty.title.text() == "Add the folders to search"
    assert not w.scan_button.isEnabled()
    assert not w.act["trash"].isEnabled()


def test_folders_dropped_are_remembered(qtbot, window_factory, tmp_path: Path):
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    w = window_factory([])
    w.folders.add_folders([str(a)])
    assert [f.path for f in w.settings.folders] == [str(a)]
    assert "Ready to search 1 folder" in w.empty.title.text()
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(b)), QUrl.fromLocalFile(str(a))])
    page = w.pages.widget(PAGE_EMPTY)
    event = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.NoButton,
                       Qt.KeyboardModifier.NoModifier)
    page.dropEvent(event)
    assert [f.path for f in w.settings.folders] == [str(a), str(b)]
    # Saved (off the GUI thread, once the changes pause): a new window sees the same folders.
    qtbot.waitUntil(lambda: [f.path for f in w.store.load().folders] == [str(a), str(b)], timeout=10_000)


def test_folders_given_on_the_command_line_are_for_this_session_only(qtbot, window_factory, tmp_path: Path):
    a, b, c = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    for folder in (a, b, c):
        folder.mkdir()
    first = window_factory([])
    first.folders.add_folders([str(a)])
    first.shutdown()                                    # a is remembered
    w = window_factory([b, b])                          # `dupeview b b`: just b, this session
    assert [f.path for f in w.settings.folders] == [str(b)]
    assert [f.path for f in w.folders.folders()] == [str(b)]
    assert "Ready to search 1 folder" in w.empty.title.text()
    w.folders.add_folders([str(c)])                     # edits in such a session are this session's too
    w._change(threshold=6)                              # while other settings are saved as always
    qtbot.waitUntil(lambda: w.store.load().threshold == 6, timeout=10_000)
    assert [f.path for f in w.store.load().folders] == [str(a)]
    w.shutdown()
    assert [f.path for f in w.store.load().folders] == [str(a)]
    again = window_factory([])                          # the next plain start has the remembered folders
    assert [f.path for f in again.folders.folders()] == [str(a)]


def expected_groups(photos) -> list[list[str]]:
    groups = [sorted(str(p) for p in g) for g in photos.groups]
    groups[0] = sorted(groups[0] + [str(photos.edited)])
    return sorted(groups)


def test_real_scan_with_worker_processes_finds_the_groups(qtbot, window_factory, photos):
    w = window_factory([photos.root], workers=2)
    w.show()
    with waiting(qtbot, w.session.events.scanned, timeout=60_000):
        w.start_scan()
        assert w.pages.currentIndex() == PAGE_SCANNING
    assert w.pages.currentIndex() == PAGE_RESULTS
    assert sorted(map(sorted, group_paths(w))) == expected_groups(photos)
    assert "3</b> groups" in w.results.summary.text()
    # The keeper (shown first) is the best copy by the default rules: full resolution, not the edit.
    for g in w.session.groups:
        keeper = w.session.record(g.keeper)
        assert keeper.width == 128 and "rot3" not in keeper.path
    # The first group is shown as cards, side by side (built a few per event-loop turn).
    view = w.results.group_view
    qtbot.waitUntil(lambda: view.complete, timeout=5_000)
    assert len(view.cards) == len(w.session.groups[0].members)


def test_group_model_passes_the_model_tester(qtmodeltester, scanned):
    qtmodeltester.check(scanned.results.group_model, force_py=True)


def test_moving_the_slider_regroups_without_rescanning(qtbot, scanned, photos):
    w = scanned
    index = {r.path: k for k, r in enumerate(w.session.library.records)}
    edit, original = index[str(photos.edited)], index[str(photos.groups[0][0])]
    assert 0 < w.session.matcher.distance_between(edit, original) <= 8   # precondition of this test data
    assert sorted(map(sorted, group_paths(w))) == expected_groups(photos)
    scans = []
    w.session.events.scan_started.connect(lambda _: scans.append(1))
    with waiting(qtbot, w.session.events.groups_changed, timeout=10_000):
        w.similarity.slider.setValue(0)
    assert w.similarity.value_label.text() == "Identical"
    # Identical pictures only: the turned copy leaves its group.
    assert sorted(map(sorted, group_paths(w))) == sorted(sorted(str(p) for p in g) for g in photos.groups)
    with waiting(qtbot, w.session.events.groups_changed, timeout=10_000):
        w.similarity.slider.setValue(4)   # the fifth named step
    assert w.similarity.value_label.text() == "Similar"
    assert sorted(map(sorted, group_paths(w))) == expected_groups(photos)
    assert scans == []
    qtbot.waitUntil(lambda: w.store.load().threshold == 8, timeout=10_000)


def test_quick_slider_moves_deliver_only_the_last(qtbot, scanned):
    w = scanned
    seen = []
    w.session.events.groups_changed.connect(lambda _: seen.append(w.session.options.threshold))
    for v in (0, 1, 2, 3, 4, 5):
        w.similarity.slider.setValue(v)
    settled(qtbot, w)
    assert seen[-1] == 10   # the sixth step, "Loose"
    assert len(seen) < 6
    assert w.session.groups == w.session.matcher.groups(w.session.group_options())


def test_changing_the_algorithm_recompares_without_reading_files(qtbot, scanned):
    w = scanned
    with waiting(qtbot, w.session.events.groups_changed, timeout=10_000):
        w.similarity.algorithm.setCurrentIndex(w.similarity.algorithm.findData("dhash"))
    assert w.session.matcher.options.algorithm == "dhash"
    assert w.results.group_model.rowCount() >= 3
    with waiting(qtbot, w.session.events.groups_changed, timeout=10_000):
        w.similarity.rotations.setChecked(True)
    assert w.session.matcher.options.rotations


def test_cancel_mid_scan_keeps_what_was_read(qtbot, window_factory, tmp_path: Path):
    root = tmp_path / "many"
    img = photo(7, (64, 48))
    total = 300
    for k in range(total):
        save(img.rotate(k * 1.2), root / f"{k:03d}.png")
    w = window_factory([root])
    w.show()

    def cancel_once_reading(_job, p):
        if p.phase == "hash" and p.done > 0:
            w.session.cancel_scan()

    # Connected directly, so it runs on the worker thread as the engine reports: the cancel lands
    # mid-scan however fast this machine is. The window only sees the (throttled) Session event.
    w.runner._worker.progressed.connect(cancel_once_reading, Qt.ConnectionType.DirectConnection)
    with waiting(qtbot, w.session.events.scan_cancelled) as cancelled:
        w.start_scan()
    hashed = cancelled[0]
    assert 0 < hashed < total
    assert w.pages.currentIndex() == PAGE_EMPTY
    assert "Scan cancelled" in w.message.label.text()
    assert w.message.isVisible()
    with FingerprintCache(w.cache_path) as cache:
        kept = len(cache)
    assert hashed <= kept < total
    assert w.scan_button.isEnabled()


def test_unreadable_files_are_listed_with_reasons(qtbot, window_factory, photos):
    broken = photos.root / "camera" / "broken.jpg"
    broken.write_bytes(b"\xff\xd8\xff\xe0 not really a jpeg")
    w = window_factory([photos.root])
    w.show()
    with waiting(qtbot, w.session.events.scanned):
        w.start_scan()
    assert w.skipped_button.isVisible()
    assert w.skipped_button.text() == "1 unreadable file was not compared"
    skipped = {s.path: s.reason for s in w.session.library.skipped}
    assert str(broken) in skipped and skipped[str(broken)]


def test_no_duplicates_says_so(qtbot, window_factory, tmp_path: Path):
    root = tmp_path / "distinct"
    for k in range(3):
        save(photo(100 + k, (96, 72)), root / f"{k}.jpg")
    w = window_factory([root])
    w.show()
    with waiting(qtbot, w.session.events.scanned):
        w.start_scan()
    assert w.results.group_model.rowCount() == 0
    assert "No duplicates found" in w.results.no_groups.text()


def test_a_second_scan_reuses_the_cache(qtbot, scanned):
    w = scanned
    with waiting(qtbot, w.session.events.scanned) as scans:
        w.start_scan()
    assert scans[0].library.hashed == 0
    assert scans[0].library.reused == len(w.session.library)


def test_ten_thousand_groups_model_is_cheap(qtbot, window_factory):
    """The model is virtual: 10k groups cost nothing until rows are painted (counted in Group objects built)."""
    import numpy as np

    from dupeview.core.records import ImageRecord, Library
    from dupeview.core.review import ReviewState, scan_snapshot

    n = 10_000
    # Flat pictures (contrast 0) match only on identical bytes: the digest pairs them up, two by two.
    records = [ImageRecord(f"/x/{k}.jpg", 1000 + k, 0, 0, 1, k, (k // 2).to_bytes(8, "little"), 10, 10, "JPEG", None,
                           None, 0.0) for k in range(2 * n)]
    lib = Library(records=records, hashes=np.zeros((2 * n, 4, 8), np.uint64))
    w = window_factory()
    w.show()
    with waiting(qtbot, w.session.events.groups_changed):
        w.session.restore(ReviewState(options=w.session.options.to_dict(), scan=scan_snapshot(lib)))
    groups = w.session.groups
    assert w.results.group_model.rowCount() == len(groups) == n
    last = f"/x/{2 * n - 1}.jpg"
    assert w.results.group_model.row_of(last) == w.session.row_of(last) is not None
    w.step_group(1)
    assert w.results.current_row() == 1
    assert w.current_group() is groups[1]
    assert "10,000</b> groups" in w.results.summary.text() and "of 20,000 files" in w.results.summary.text()
    # Only the rows on screen were read: a few dozen Group objects at most, never all 10k.
    assert 0 < groups.built() < 100


def test_make_photos_builds_three_groups(tmp_path: Path):
    s = make_photos(tmp_path)
    assert len(s.groups) == 3
    assert all(len(g) == 3 for g in s.groups)
    assert len(s.all_files) == 3 * 3 + 1 + 1   # the groups, one unrelated picture, one edit


def test_keep_options_from_the_settings_dialog_regroup_at_once(qtbot, scanned, photos):
    from dupeview.gui.settings_dialog import SettingsDialog

    w = scanned
    keepers = {os.path.basename(w.session.path(g.keeper)) for g in w.session.groups}
    assert not any("small" in k for k in keepers)  # by default the full-resolution copy is kept

    dialog = SettingsDialog(w.settings)
    qtbot.addWidget(dialog)
    dialog.preferred.addItem(str(photos.root / "web"))
    dialog.formats.setText("png, jpeg")
    chosen = dialog.result_settings()
    assert chosen.preferred_folders == [str(photos.root / "web")] and chosen.preferred_formats == ["PNG", "JPEG"]

    w.settings = dataclasses.replace(chosen, keep_rules=["folder", *[r for r in chosen.keep_rules if r != "folder"]])
    with waiting(qtbot, w.session.events.groups_changed, timeout=10_000):
        w.apply_settings()
    keepers = {os.path.basename(w.session.path(g.keeper)) for g in w.session.groups}
    assert keepers == {f"img_{k}_small.jpg" for k in range(3)}

    w.settings = dataclasses.replace(w.settings, only_with_reference=True)  # no folder is a reference
    with waiting(qtbot, w.session.events.groups_changed, timeout=10_000):
        w.apply_settings()
    assert w.results.group_model.rowCount() == 0
