"""The review lasts: quit and start again without folders, and the groups, marks and selected group are back
without a rescan; changed files are left out; review files and exports from the File menu; bad files refused."""

from __future__ import annotations

import csv
import json
import os
from urllib.parse import unquote

import pytest

from dupeview.core.locations import SEPARATOR
from dupeview.gui.dialogs import ConfirmTrashDialog
from tests.gui.conftest import settled, waiting
from tests.gui.dialogs import when_dialog_opens


def trashed_originals(trash_dir: str) -> set[str]:
    """The original paths of what is in the trash, from its .trashinfo files: names in files/ get a
    " 1" suffix when an earlier test trashed a file of the same name."""
    folder = os.path.join(trash_dir, "info")
    found = set()
    for name in os.listdir(folder) if os.path.isdir(folder) else ():
        with open(os.path.join(folder, name), encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("Path="):
                    found.add(os.path.normpath(unquote(line[5:].strip())))
    return found


def group_paths(w) -> list[set[str]]:
    return [{w.session.path(m) for m in g.members} for g in w.session.groups]


def scan_and_mark(qtbot, window_factory, photos):
    w = window_factory([photos.root])
    with waiting(qtbot, w.session.events.scanned):
        w.start_scan()
    settled(qtbot, w)
    w.auto_mark()
    w.results.select_row(1)
    return w


def restarted(qtbot, window_factory):
    """A new window on the same files, started with no folders on its command line, as after a restart."""
    w = window_factory([])
    scans: list[object] = []
    w.session.events.scan_started.connect(scans.append)
    qtbot.waitUntil(lambda: w.session.has_results, timeout=30_000)
    settled(qtbot, w)
    assert scans == []     # groups from the saved review, not from a scan
    return w


def test_quit_and_start_again_the_review_is_back_without_a_rescan(qtbot, window_factory, photos):
    first = scan_and_mark(qtbot, window_factory, photos)
    groups, marks = group_paths(first), first.session.marks.paths
    selected = first.review.selected_path()
    assert marks and selected is not None and first.results.current_row() == 1
    first.shutdown()      # quitting asks nothing and loses nothing
    os.remove(first.cache_path)   # not even the fingerprint cache is needed
    again = restarted(qtbot, window_factory)
    assert group_paths(again) == groups
    assert again.session.marks.paths == marks
    assert again.review.selected_path() == selected and again.results.current_row() == 1
    assert "marked" in again.results.summary.text()


def test_files_changed_since_the_review_are_left_out_and_never_marked(qtbot, window_factory, photos):
    first = scan_and_mark(qtbot, window_factory, photos)
    marks = sorted(first.session.marks.paths)
    changed, vanished = marks[0], marks[1]
    first.shutdown()
    with open(changed, "ab") as f:
        f.write(b"\0\0")
    os.remove(vanished)
    again = restarted(qtbot, window_factory)
    assert again.session.marks.paths == frozenset(marks) - {changed, vanished}
    shown = {p for g in group_paths(again) for p in g}
    assert changed not in shown and vanished not in shown
    assert "2 files changed" in again.message.label.text()


def test_with_folders_on_the_command_line_the_old_review_is_not_restored(qtbot, window_factory, photos, tmp_path):
    first = scan_and_mark(qtbot, window_factory, photos)
    first.shutdown()
    other = tmp_path / "other"
    other.mkdir()
    w = window_factory([other])
    qtbot.wait(300)
    settled(qtbot, w)
    assert not w.session.has_results


def test_restored_marks_are_exactly_what_the_trash_gets(qtbot, window_factory, photos, trash_dir):
    pytest.importorskip("dupeview.core.actions")
    first = scan_and_mark(qtbot, window_factory, photos)
    marks = set(first.session.marks.paths)
    first.shutdown()
    again = restarted(qtbot, window_factory)
    before = trashed_originals(trash_dir)
    when_dialog_opens(lambda d: isinstance(d, ConfirmTrashDialog) and d.ok_button.click())
    with waiting(qtbot, again.session.events.acted, timeout=30_000) as acted:
        again.trash_marked()
    settled(qtbot, again)
    assert acted[0].done == marks
    assert trashed_originals(trash_dir) - before == {os.path.normpath(p) for p in marks}
    assert all(not os.path.exists(p) for p in marks)


def test_save_review_then_open_it_in_a_fresh_window(qtbot, window_factory, photos, tmp_path):
    first = scan_and_mark(qtbot, window_factory, photos)
    out = tmp_path / "saved.dupeview-review"
    first.review.save_review_to(str(out))
    qtbot.waitUntil(out.exists, timeout=30_000)
    settled(qtbot, first)
    groups, marks = group_paths(first), first.session.marks.paths
    first.review.store.clear()
    first.shutdown()
    os.remove(tmp_path / "data" / "review.sqlite3")
    w = window_factory([])
    settled(qtbot, w)
    assert not w.session.has_results
    with waiting(qtbot, w.session.events.groups_changed):
        w.review.open_review(str(out))
    settled(qtbot, w)
    assert group_paths(w) == groups and w.session.marks.paths == marks
    assert [f.path for f in w.folders.folders()] == [str(photos.root)]


@pytest.mark.parametrize("content", [b"", b"not a review at all\n", b"SQLite format 3\x00" + b"\x07" * 4000])
def test_a_damaged_or_foreign_review_file_is_refused_and_nothing_changes(qtbot, window_factory, photos, tmp_path,
                                                                         content):
    w = scan_and_mark(qtbot, window_factory, photos)
    groups, marks = group_paths(w), w.session.marks.paths
    bad = tmp_path / "bad.dupeview-review"
    bad.write_bytes(content)
    w.review.open_review(str(bad))
    qtbot.waitUntil(lambda: "bad.dupeview-review" in w.message.label.text(), timeout=30_000)
    settled(qtbot, w)
    assert "\n" not in w.message.label.text()
    assert group_paths(w) == groups and w.session.marks.paths == marks


def test_exports_from_the_window(qtbot, window_factory, photos, tmp_path):
    w = scan_and_mark(qtbot, window_factory, photos)
    marks = w.session.marks.paths
    for kind in ("csv", "json", "html"):
        w.review.export(kind, str(tmp_path / f"review.{kind}"))
    qtbot.waitUntil(lambda: all((tmp_path / f"review.{k}").exists() for k in ("csv", "json", "html")), timeout=30_000)
    settled(qtbot, w)
    with open(tmp_path / "review.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert {r["path"] for r in rows if r["marked"] == "True"} == marks
    doc = json.loads((tmp_path / "review.json").read_text(encoding="utf-8"))
    assert doc["summary"]["marked"] == len(marks)
    page = (tmp_path / "review.html").read_text(encoding="utf-8")
    assert page.count("data:image/jpeg;base64,") == sum(len(g) for g in group_paths(w))


def test_file_menu_has_the_review_commands(qtbot, window_factory):
    w = window_factory([])
    texts = [a.text().replace("&", "") for a in w.menuBar().actions()[0].menu().actions()]
    for wanted in ("Open review…", "Save review as…", "Export as CSV…", "Export as JSON…", "Export as HTML page…"):
        assert wanted in texts


def test_not_duplicates_on_a_group_moves_to_the_next_group(qtbot, window_factory, photos):
    w = scan_and_mark(qtbot, window_factory, photos)
    assert len(w.session.groups) >= 3
    w.results.select_row(1)
    following = {w.session.path(m) for m in w.session.groups[2].members}
    with waiting(qtbot, w.session.events.groups_changed):
        w.dismiss_group()
    settled(qtbot, w)
    assert w.results.current_row() == 1
    assert {w.session.path(m) for m in w.results.current_group().members} == following


def test_decisions_dialog_lists_every_not_duplicates_choice_and_forgets_them(qtbot, window_factory, photos):
    from dupeview.gui.decisions_dialog import DecisionsDialog

    w = scan_and_mark(qtbot, window_factory, photos)
    n_groups = len(w.session.groups)
    w.results.select_row(0)
    with waiting(qtbot, w.session.events.groups_changed):
        w.dismiss_group()
    settled(qtbot, w)
    assert len(w.session.groups) == n_groups - 1 and w.session.dismissed
    dialog = DecisionsDialog(w.session, w.runner, w)
    qtbot.addWidget(dialog)
    assert dialog.tree.topLevelItemCount() == len(w.session.dismissed)
    assert SEPARATOR in dialog.tree.topLevelItem(0).text(0)
    assert not dialog.forget_button.isEnabled()
    dialog.tree.selectAll()
    with waiting(qtbot, w.session.events.groups_changed):
        dialog.forget_button.click()
    settled(qtbot, w)
    assert dialog.tree.topLevelItemCount() == 0 and not w.session.dismissed
    assert len(w.session.groups) == n_groups
    # Forgotten for good: the decisions store no longer has them.
    from dupeview.core.decisions import DecisionStore
    with DecisionStore(w.session.decisions_path) as store:
        assert store.pairs() == set()
    assert "Not duplicates…" in [a.text().replace("&", "") for a in w.menuBar().actions()[1].menu().actions()]
