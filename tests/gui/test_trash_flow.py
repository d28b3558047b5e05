"""Marking, trashing into the test HOME's trash, undo, and the rules that keep one copy of everything."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from dupeview.gui.dialogs import ConfirmTrashDialog, FailuresDialog
from dupeview.gui.marks import LAST_COPY_REFUSAL, REFERENCE_REFUSAL
from dupeview.settings import Folder
from tests.gui.conftest import digest
from tests.gui.dialogs import when_dialog_opens

actions = pytest.importorskip("dupeview.core.actions", reason="dupeview.core.actions is not written yet")


def trash_files(trash_dir: str) -> list[str]:
    folder = os.path.join(trash_dir, "files")
    return sorted(os.listdir(folder)) if os.path.isdir(folder) else []


def paths_in_view(w) -> set[str]:
    return {w.library.records[m.index].path for g in w.group_model.groups for m in g.members}


def confirm(dialog) -> None:
    assert isinstance(dialog, ConfirmTrashDialog)
    dialog.ok_button.click()


def test_auto_mark_then_trash_moves_files_to_the_trash_and_updates_the_view(qtbot, scanned, photos, trash_dir):
    w = scanned
    before_trash = set(trash_files(trash_dir))
    w.auto_mark()
    marked = set(w.marks.paths)
    # Every group keeps exactly its best copy.
    assert len(marked) == sum(len(g.members) - 1 for g in w.group_model.groups)
    assert all(w.library.records[g.keeper.index].path not in marked for g in w.group_model.groups)
    assert "marked" in w.summary.text()
    seen = when_dialog_opens(confirm)
    progress = []
    w.trash_controller.progressed.connect(lambda p: progress.append((p, w.statusBar().currentMessage())))
    with qtbot.waitSignal(w.trash_controller.trashed, timeout=20_000) as trashed, qtbot.waitSignal(w.controller.matched, timeout=20_000):
        w.trash_marked()
    assert isinstance(seen[0], ConfirmTrashDialog)
    # Progress reaches the status bar while the worker moves the files.
    assert progress and progress[-1][0].done == progress[-1][0].total == len(marked)
    assert f"{len(marked)} of {len(marked)} files" in progress[-1][1]
    outcomes = trashed.args[0]
    assert {o.path for o in outcomes if o.ok} == marked
    for p in marked:
        assert not os.path.exists(p)
    added = set(trash_files(trash_dir)) - before_trash
    assert len(added) == len(marked)
    # The view no longer shows the trashed files; nothing is left to group.
    assert not (paths_in_view(w) & marked)
    assert w.group_model.rowCount() == 0
    assert len(w.marks) == 0
    assert "Moved" in w.message.label.text()
    # The cache forgot them.
    from dupeview.core.cache import FingerprintCache
    with FingerprintCache(w.cache_path) as cache:
        assert not set(cache.load(marked))


def test_undo_restores_the_files_byte_identical(qtbot, scanned, photos, trash_dir):
    w = scanned
    hashes = {str(p): digest(p) for p in photos.all_files}
    w.auto_mark()
    marked = set(w.marks.paths)
    when_dialog_opens(confirm)
    with qtbot.waitSignal(w.controller.matched, timeout=20_000):
        w.trash_marked()
    assert w.act_undo.isEnabled()
    with qtbot.waitSignal(w.trash_controller.restored, timeout=20_000) as restored, qtbot.waitSignal(w.controller.matched, timeout=20_000):
        w.undo_trash()
    assert {o.path for o in restored.args[0] if o.ok} == marked
    for p, h in hashes.items():
        assert digest(Path(p)) == h
    # Back in the view, in their groups again, unmarked.
    assert marked <= paths_in_view(w)
    assert w.group_model.rowCount() == 3
    assert len(w.marks) == 0


def test_the_last_copy_of_a_group_can_never_be_marked(scanned):
    w = scanned
    g = w.current_group()
    refusals = [w.marks.set(w.library, g, m, True) for m in g.members]
    assert refusals[:-1] == [None] * (len(g.members) - 1)
    assert refusals[-1] == LAST_COPY_REFUSAL
    assert w.library.records[g.members[-1].index].path not in w.marks


def test_trash_never_removes_every_copy_even_if_all_are_marked(qtbot, scanned, photos):
    w = scanned
    g = w.current_group()
    everyone = [w.library.records[m.index].path for m in g.members]
    # Marks that break the rule (as a buggy caller might leave them): the trash step refuses them.
    w.marks._marked.update(everyone)
    w._refresh_marks()
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
    marked = set(w.marks.paths)
    seen = when_dialog_opens(lambda d: d.cancel_button.click())
    w.trash_marked()
    assert isinstance(seen[0], ConfirmTrashDialog)
    assert not w.trash_controller.busy
    for p in marked:
        assert os.path.exists(p)
    assert set(w.marks.paths) == marked


def test_the_confirmation_says_count_size_and_paths(qtbot, scanned):
    w = scanned
    w.auto_mark()
    n = len(w.marks)

    def check(dialog) -> None:
        text = " ".join(lbl.text() for lbl in dialog.findChildren(type(w.summary)))
        assert f"Move {n} files" in text
        assert "KB" in text
        sample = dialog.findChild(__import__("PySide6.QtWidgets", fromlist=["QPlainTextEdit"]).QPlainTextEdit)
        assert sorted(w.marks.paths)[0] in sample.toPlainText()
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
    with qtbot.waitSignal(w.controller.finished, timeout=30_000):
        w.start_scan()
    w.auto_mark()
    for g in w.group_model.groups:
        keeper = w.library.records[g.keeper.index].path
        assert "/backup/" in keeper            # a reference copy is always the keeper
        ref = next(m for m in g.members if m.reference)
        assert w.marks.set(w.library, g, ref, True) == REFERENCE_REFUSAL
    assert not any("/backup/" in p for p in w.marks.paths)


def test_failures_are_listed_in_plain_words(qtbot, scanned):
    w = scanned
    w.auto_mark()
    marked = sorted(w.marks.paths)
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
    with qtbot.waitSignal(w.trash_controller.trashed, timeout=20_000) as trashed:
        w.trash_marked()
    qtbot.waitUntil(lambda: len(dialogs) >= 2, timeout=10_000)
    failures = dialogs[1]
    assert isinstance(failures, FailuresDialog)
    rows = [failures.tree.topLevelItem(i) for i in range(failures.tree.topLevelItemCount())]
    assert [r.text(0) for r in rows] == [gone]
    assert rows[0].text(1) and "Traceback" not in rows[0].text(1)
    assert [o.path for o in trashed.args[0] if not o.ok] == [gone]


def test_keyboard_marks_and_moves(qtbot, scanned):
    w = scanned
    w.group_list.setFocus()
    g0 = w.current_group()
    first = w.library.records[w.group_view.current_member.index].path
    QTest.keyClick(w.group_list, Qt.Key.Key_Space)
    assert first in w.marks
    QTest.keyClick(w.group_list, Qt.Key.Key_Space)
    assert first not in w.marks
    QTest.keyClick(w.group_list, Qt.Key.Key_Right)
    second = w.group_view.current_member
    assert w.library.records[second.index].path != first
    QTest.keyClick(w.group_list, Qt.Key.Key_K)  # keep this one, mark the rest
    assert w.library.records[second.index].path not in w.marks
    assert w.marks.marked_in(w.library, g0) == len(g0.members) - 1
    QTest.keyClick(w.group_list, Qt.Key.Key_N)
    assert w.current_row() == 1 and w.current_group() is not g0
    QTest.keyClick(w.group_list, Qt.Key.Key_P)
    assert w.current_row() == 0


def test_not_duplicates_are_never_shown_again(qtbot, scanned, window_factory, photos):
    w = scanned
    n = w.group_model.rowCount()
    dismissed = {w.library.records[m.index].path for m in w.current_group().members}
    with qtbot.waitSignal(w.controller.regrouped, timeout=10_000):
        w.dismiss_group()
    assert w.group_model.rowCount() == n - 1
    assert not (paths_in_view(w) & dismissed)
    # Remembered: a new window on the same cache does not show them either, at any threshold.
    w2 = window_factory([photos.root])
    w2.show()
    with qtbot.waitSignal(w2.controller.finished, timeout=30_000):
        w2.start_scan()
    assert w2.group_model.rowCount() == n - 1
    with qtbot.waitSignal(w2.controller.regrouped, timeout=10_000):
        w2.similarity.slider.setValue(12)
    assert not (paths_in_view(w2) & dismissed)


def test_not_a_duplicate_takes_one_member_out(qtbot, scanned):
    w = scanned
    g = w.current_group()
    member = g.members[-1]
    path = w.library.records[member.index].path
    with qtbot.waitSignal(w.controller.regrouped, timeout=10_000):
        w.dismiss_member(member)
    assert path not in paths_in_view(w)
    assert w.group_model.rowCount() == 3


def test_the_action_log_lists_the_trash_batch(qtbot, scanned):
    w = scanned
    w.auto_mark()
    n = len(w.marks)
    when_dialog_opens(confirm)
    with qtbot.waitSignal(w.controller.matched, timeout=20_000):
        w.trash_marked()
    seen = []

    def look(dialog) -> None:
        seen.append((dialog.tree.topLevelItem(0).text(1), dialog.tree.topLevelItem(0).childCount(),
                     dialog.undo_button.isEnabled()))
        dialog.reject()

    when_dialog_opens(look)
    w.show_action_log()
    assert isinstance(seen[0], tuple)
    action, files, undo = seen[0]
    assert action == "trash" and files == n and undo
