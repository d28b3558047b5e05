"""Marking, trashing into the test HOME's trash, undo, and the rules that keep one copy of everything."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from dupeview.core.marks import LAST_COPY_REFUSAL, REFERENCE_REFUSAL
from dupeview.gui.dialogs import ConfirmTrashDialog, FailuresDialog
from dupeview.settings import Folder
from tests.gui.conftest import digest, settled, waiting
from tests.gui.dialogs import when_dialog_opens

actions = pytest.importorskip("dupeview.core.actions", reason="dupeview.core.actions is not written yet")


def trash_files(trash_dir: str) -> list[str]:
    folder = os.path.join(trash_dir, "files")
    return sorted(os.listdir(folder)) if os.path.isdir(folder) else []


def paths_in_view(w) -> set[str]:
    return {w.session.path(m) for g in w.session.groups for m in g.members}


def confirm(dialog) -> None:
    assert isinstance(dialog, ConfirmTrashDialog)
    dialog.ok_button.click()


def test_auto_mark_then_trash_moves_files_to_the_trash_and_updates_the_view(qtbot, scanned, photos, trash_dir):
    w = scanned
    before_trash = set(trash_files(trash_dir))
    w.auto_mark()
    marked = set(w.session.marks.paths)
    # Every group keeps exactly its best copy.
    assert len(marked) == sum(len(g.members) - 1 for g in w.session.groups)
    assert all(w.session.path(g.keeper) not in marked for g in w.session.groups)
    assert "marked" in w.results.summary.text()
    seen = when_dialog_opens(confirm)
    progress = []
    w.session.events.action_progressed.connect(lambda p: progress.append((p, w.statusBar().currentMessage())))
    with waiting(qtbot, w.session.events.acted, timeout=20_000) as acted:
        w.trash_marked()
    settled(qtbot, w)
    assert isinstance(seen[0], ConfirmTrashDialog)
    # Progress reaches the status bar while the worker moves the files.
    assert progress and progress[-1][0].done == progress[-1][0].total == len(marked)
    assert f"{len(marked)} of {len(marked)} files" in progress[-1][1]
    assert acted[0].done == marked
    for p in marked:
        assert not os.path.exists(p)
    added = set(trash_files(trash_dir)) - before_trash
    assert len(added) == len(marked)
    # The view no longer shows the trashed files; nothing is left to group.
    assert not (paths_in_view(w) & marked)
    assert w.results.group_model.rowCount() == 0
    assert len(w.session.marks) == 0
    assert "Moved" in w.message.label.text()
    # The cache forgot them.
    from dupeview.core.cache import FingerprintCache
    with FingerprintCache(w.cache_path) as cache:
        assert not set(cache.load(marked))


def test_undo_restores_the_files_byte_identical(qtbot, scanned, photos, trash_dir):
    w = scanned
    hashes = {str(p): digest(p) for p in photos.all_files}
    w.auto_mark()
    marked = set(w.session.marks.paths)
    when_dialog_opens(confirm)
    with waiting(qtbot, w.session.events.acted, timeout=20_000):
        w.trash_marked()
    settled(qtbot, w)
    assert w.act["undo"].isEnabled()
    with waiting(qtbot, w.session.events.undone, timeout=20_000) as undone:
        w.undo_trash()
    settled(qtbot, w)
    assert undone[0].restored == marked
    for p, h in hashes.items():
        assert digest(Path(p)) == h
    # Back in the view, in their groups again, unmarked.
    assert marked <= paths_in_view(w)
    assert w.results.group_model.rowCount() == 3
    assert len(w.session.marks) == 0


def test_the_last_copy_of_a_group_can_never_be_marked(scanned):
    w = scanned
    g = w.current_group()
    refusals = [w.session.mark(m, True) for m in g.members]
    assert refusals[:-1] == [None] * (len(g.members) - 1)
    assert refusals[-1] == LAST_COPY_REFUSAL
    assert w.session.path(g.members[-1]) not in w.session.marks


def test_trash_never_removes_every_copy_even_if_all_are_marked(qtbot, scanned, photos):
    w = scanned
    g = w.current_group()
    everyone = [w.session.path(m) for m in g.members]
    # Marks that break the rule (as a buggy caller might leave them): the trash step refuses them.
    for m in g.members:
        w.session.marks._on[m.index] = True
    w.results.refresh_marks(None)
    seen = when_dialog_opens(lambda d: d.reject())
    w.trash_marked()   # returns at once: nothing left to ask about
    seen.stop()
    assert seen == []
    assert "every copy of their group" in w.message.label.text()
    for p in everyone:
        assert os.path.exists(p)


def test_cancel_in_the_confirmation_changes_nothing(qtbot, scanned, photos):
    w = scanned
    w.auto_mark()
    marked = set(w.session.marks.paths)
    seen = when_dialog_opens(lambda d: d.cancel_button.click())
    w.trash_marked()
    assert isinstance(seen[0], ConfirmTrashDialog)
    assert not w.session.busy
    for p in marked:
        assert os.path.exists(p)
    assert set(w.session.marks.paths) == marked


def test_the_confirmation_says_count_size_and_paths(qtbot, scanned):
    w = scanned
    w.auto_mark()
    n = len(w.session.marks)

    def check(dialog) -> None:
        text = " ".join(lbl.text() for lbl in dialog.findChildren(type(w.results.summary)))
        assert f"Move {n} files" in text
        assert "KB" in text
        sample = dialog.findChild(__import__("PySide6.QtWidgets", fromlist=["QPlainTextEdit"]).QPlainTextEdit)
        assert sorted(w.session.marks.paths)[0] in sample.toPlainText()
        dialog.cancel_button.click()

    seen = when_dialog_opens(check)
    w.trash_marked()
    assert seen


def test_reference_files_are_never_marked(qtbot, window_factory, photos):
    w = window_factory()
    w.folders.add_folders([str(photos.root / "camera"), str(photos.root / "backup"), str(photos.root / "web"),
                           str(photos.root / "edits")])
    item = w.folders.list.topLevelItem(1)  # backup: make it a reference folder
    item.setCheckState(1, Qt.CheckState.Checked)
    assert w.settings.folders[1] == Folder(str(photos.root / "backup"), True)
    w.show()
    with waiting(qtbot, w.session.events.scanned):
        w.start_scan()
    settled(qtbot, w)
    w.auto_mark()
    for g in w.session.groups:
        keeper = w.session.path(g.keeper)
        assert "/backup/" in keeper            # a reference copy is always the keeper
        ref = next(m for m in g.members if m.reference)
        assert w.session.mark(ref, True) == REFERENCE_REFUSAL
    assert not any("/backup/" in p for p in w.session.marks.paths)


def test_failures_are_listed_in_plain_words(qtbot, scanned):
    w = scanned
    w.auto_mark()
    marked = sorted(w.session.marks.paths)
    gone = marked[0]
    os.unlink(gone)  # removed behind the app's back after the scan
    dialogs = []

    def answer(dialog) -> None:
        dialogs.append(dialog)
        if isinstance(dialog, ConfirmTrashDialog):
            dialog.ok_button.click()
            when_dialog_opens(answer)
        else:
            dialog.accept()

    when_dialog_opens(answer)
    with waiting(qtbot, w.session.events.acted, timeout=20_000) as acted:
        w.trash_marked()
    qtbot.waitUntil(lambda: len(dialogs) >= 2, timeout=10_000)
    failures = dialogs[1]
    assert isinstance(failures, FailuresDialog)
    rows = [failures.tree.topLevelItem(i) for i in range(failures.tree.topLevelItemCount())]
    assert [r.text(0) for r in rows] == [gone]
    assert rows[0].text(1) and "Traceback" not in rows[0].text(1)
    assert [p for p, _ in acted[0].failed] == [gone]


def test_keyboard_marks_and_moves(qtbot, scanned):
    w = scanned
    s, keys = w.session, w.results.group_list
    keys.setFocus()
    g0 = w.current_group()
    first = s.path(w.results.current_member())
    QTest.keyClick(keys, Qt.Key.Key_Space)
    assert first in s.marks
    QTest.keyClick(keys, Qt.Key.Key_Space)
    assert first not in s.marks
    QTest.keyClick(keys, Qt.Key.Key_Right)
    second = w.results.current_member()
    assert s.path(second) != first
    QTest.keyClick(keys, Qt.Key.Key_K)  # keep this one, mark the rest
    assert s.path(second) not in s.marks
    assert s.marks.marked_in(0) == len(g0.members) - 1
    QTest.keyClick(keys, Qt.Key.Key_N)
    assert w.results.current_row() == 1 and w.current_group() is not g0
    QTest.keyClick(keys, Qt.Key.Key_P)
    assert w.results.current_row() == 0


def test_not_duplicates_are_never_shown_again(qtbot, scanned, window_factory, photos):
    w = scanned
    n = w.results.group_model.rowCount()
    dismissed = {w.session.path(m) for m in w.current_group().members}
    with waiting(qtbot, w.session.events.groups_changed, timeout=10_000):
        w.dismiss_group()
    settled(qtbot, w)
    assert w.results.group_model.rowCount() == n - 1
    assert not (paths_in_view(w) & dismissed)
    # Remembered: a new window on the same files does not show them either, at any threshold.
    w2 = window_factory([photos.root])
    w2.show()
    with waiting(qtbot, w2.session.events.scanned):
        w2.start_scan()
    settled(qtbot, w2)
    assert w2.results.group_model.rowCount() == n - 1
    with waiting(qtbot, w2.session.events.groups_changed, timeout=10_000):
        w2.similarity.set_threshold(12)
    assert not (paths_in_view(w2) & dismissed)


def test_not_a_duplicate_takes_one_member_out(qtbot, scanned):
    w = scanned
    g = w.current_group()
    member = g.members[-1]
    path = w.session.path(member)
    with waiting(qtbot, w.session.events.groups_changed, timeout=10_000):
        w.dismiss_member(member)
    assert path not in paths_in_view(w)
    assert w.results.group_model.rowCount() == 3


def test_the_action_log_lists_the_trash_batch(qtbot, scanned):
    w = scanned
    w.auto_mark()
    n = len(w.session.marks)
    when_dialog_opens(confirm)
    with waiting(qtbot, w.session.events.acted, timeout=20_000):
        w.trash_marked()
    settled(qtbot, w)
    seen = []

    def look(dialog) -> None:
        seen.append((dialog.tree.topLevelItem(0).text(1), dialog.tree.topLevelItem(0).childCount(),
                     dialog.undo_button.isEnabled()))
        dialog.reject()

    when_dialog_opens(look)
    w.act["log"].trigger()   # the log is read off the GUI thread; the dialog opens when it is in
    qtbot.waitUntil(lambda: bool(seen), timeout=10_000)
    assert isinstance(seen[0], tuple)
    action, files, undo = seen[0]
    assert action == "Moved to the trash" and files == n and undo   # the log's "trash", in words
