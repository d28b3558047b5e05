"""The bar over the results: filter by path, sort, scope, hiding groups with nothing removable; all remembered."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import Qt

from dupeview.gui.group_model import MARKED_ROLE
from dupeview.settings import Folder, SettingsStore
from tests.gui.conftest import settled, waiting
from tests.images import photo, save


def _rows(w) -> list:
    m = w.results.group_model
    return [m.group(r) for r in range(m.rowCount())]


def _paths(w, group) -> list[str]:
    return [w.session.path(m) for m in group.members]


def _view_applied(qtbot, w, text: str) -> None:
    """Type into the filter as a user does; wait until the Session has shown the filtered groups."""
    with waiting(qtbot, w.session.events.groups_changed) as seen:
        qtbot.keyClicks(w.results.bar.filter, text)
    assert seen[-1].cause == "view"
    settled(qtbot, w)


def test_the_path_filter_shows_only_groups_with_a_matching_copy(qtbot, scanned, photos):
    w = scanned
    assert len(_rows(w)) == 3
    _view_applied(qtbot, w, "IMG_1_")           # any case; only group 1 has a file named img_1_…
    rows = _rows(w)
    assert len(rows) == 1 and all("img_1" in os.path.basename(p) for p in _paths(w, rows[0]))
    assert "1</b> of 3 groups shown" in w.results.summary.text()
    assert w.current_group() is rows[0]
    # Esc clears the filter: every group is back.
    with waiting(qtbot, w.session.events.groups_changed):
        qtbot.keyClick(w.results.bar.filter, Qt.Key.Key_Escape)
    settled(qtbot, w)
    assert len(_rows(w)) == 3 and "of 3 groups shown" not in w.results.summary.text()


def test_a_filter_matching_nothing_says_so_and_how_to_get_the_groups_back(qtbot, scanned):
    w = scanned
    _view_applied(qtbot, w, "no such path anywhere")
    assert w.results.group_model.rowCount() == 0
    assert w.results.stack.currentIndex() == 1
    assert "hidden by the filter" in w.results.no_groups.text()
    assert w.current_group() is None


def test_sorts_reorder_the_list_and_marks_follow_their_groups(qtbot, window_factory, tmp_path):
    root = tmp_path / "lib"
    # Group sizes 2, 4 and 3, with the biggest files in the 2-copy group: "space to reclaim" and "copies" differ.
    for k, (n, size) in enumerate(((2, (640, 480)), (4, (96, 72)), (3, (160, 120)))):
        img = photo(50 + k, size)
        for c in range(n):
            save(img, root / f"z{2 - k}" / f"g{k}_{c}.png")
    w = window_factory([root])
    w.show()
    with waiting(qtbot, w.session.events.scanned):
        w.start_scan()
    settled(qtbot, w)
    assert [len(g.members) for g in _rows(w)] == [2, 3, 4]     # most space to reclaim first
    w.session.mark(_rows(w)[2].members[1], True)                # one mark in the 4-copy group
    bar = w.results.bar
    with waiting(qtbot, w.session.events.groups_changed):
        bar.sort.setCurrentIndex(bar.sort.findData("copies"))
    settled(qtbot, w)
    rows = _rows(w)
    assert [len(g.members) for g in rows] == [4, 3, 2]
    m = w.results.group_model
    assert [m.data(m.index(r), MARKED_ROLE) for r in range(3)] == [1, 0, 0]
    with waiting(qtbot, w.session.events.groups_changed):
        bar.sort.setCurrentIndex(bar.sort.findData("folder"))   # by the kept copy's path: z0 < z1 < z2
    settled(qtbot, w)
    assert [os.path.basename(os.path.dirname(w.session.path(g.keeper))) for g in _rows(w)] == ["z0", "z1", "z2"]


def _two_libraries(tmp_path: Path) -> tuple[Path, Path]:
    """Pictures and a backup: one pair of copies inside Pictures, one pair across both."""
    lib, backup = tmp_path / "Pictures", tmp_path / "Backup"
    a, b = photo(61), photo(62)
    save(a, lib / "a.jpg", quality=95)
    save(a, lib / "edits" / "a.png")
    save(b, lib / "b.jpg", quality=95)
    save(b, backup / "b.png")
    return lib, backup


def _stems(w) -> list[list[str]]:
    return sorted(sorted(os.path.basename(p) for p in _paths(w, g)) for g in _rows(w))


def test_scope_and_hiding_are_applied_and_remembered(qtbot, window_factory, tmp_path):
    lib, backup = _two_libraries(tmp_path)
    w = window_factory([lib, backup])
    w.show()
    with waiting(qtbot, w.session.events.scanned):
        w.start_scan()
    settled(qtbot, w)
    assert _stems(w) == [["a.jpg", "a.png"], ["b.jpg", "b.png"]]
    bar = w.results.bar
    with waiting(qtbot, w.session.events.groups_changed):
        bar.hide_unremovable.click()       # nothing here is unremovable: both groups stay
    settled(qtbot, w)
    assert _stems(w) == [["a.jpg", "a.png"], ["b.jpg", "b.png"]]
    with waiting(qtbot, w.session.events.groups_changed) as seen:
        bar.scope.setCurrentIndex(bar.scope.findData("across"))   # a backup against the library
    settled(qtbot, w)
    assert seen[0].cause == "regroup" and _stems(w) == [["b.jpg", "b.png"]]
    with waiting(qtbot, w.session.events.groups_changed):
        bar.scope.setCurrentIndex(bar.scope.findData("within"))
    settled(qtbot, w)
    assert _stems(w) == [["a.jpg", "a.png"]]
    with waiting(qtbot, w.session.events.groups_changed):
        bar.sort.setCurrentIndex(bar.sort.findData("similarity"))
    settled(qtbot, w)
    w.close()
    saved = SettingsStore(tmp_path / "config" / "settings.json").load()
    assert (saved.scope, saved.group_sort, saved.hide_unremovable) == ("within", "similarity", True)
    # The next start shows them again and the Session uses them.
    again = window_factory([])
    assert again.results.bar.scope.currentData() == "within"
    assert again.results.bar.sort.currentData() == "similarity" and again.results.bar.hide_unremovable.isChecked()
    assert again.session.options.scope == "within" and again.session.view.hide_unremovable
    assert again.session.view.sort == "similarity"


def test_hiding_groups_of_only_reference_files_and_hard_links(qtbot, window_factory, tmp_path):
    lib, backup = _two_libraries(tmp_path)
    store = SettingsStore(tmp_path / "config" / "settings.json")
    s = store.load()
    s.folders = [Folder(str(lib)), Folder(str(backup), reference=True)]
    store.save(s)
    w = window_factory([])
    w.show()
    save(photo(64), backup / "d.png")
    save(photo(64), backup / "old" / "d.png")       # both copies in the reference folder
    save(photo(63), backup / "c.png")                # kept in the reference folder, and two names of one
    save(photo(63), lib / "links" / "c.png")         # file in the library: removing one frees nothing
    os.link(lib / "links" / "c.png", lib / "links" / "c_link.png")
    with waiting(qtbot, w.session.events.scanned):
        w.start_scan()
    settled(qtbot, w)
    assert _stems(w) == [["a.jpg", "a.png"], ["b.jpg", "b.png"], ["c.png", "c.png", "c_link.png"], ["d.png", "d.png"]]
    with waiting(qtbot, w.session.events.groups_changed):
        w.results.bar.hide_unremovable.setChecked(True)
    settled(qtbot, w)
    assert _stems(w) == [["a.jpg", "a.png"], ["b.jpg", "b.png"]]


def test_the_bar_is_reachable_by_keyboard_and_named(qtbot, scanned):
    w = scanned
    bar = w.results.bar
    w.results.group_list.setFocus()
    qtbot.keyClick(w.results.group_list, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: bar.filter.hasFocus())
    for control in (bar.filter, bar.sort, bar.scope, bar.hide_unremovable):
        assert control.accessibleName() and control.accessibleDescription() and control.toolTip()
        assert control.focusPolicy() & Qt.FocusPolicy.TabFocus
    assert bar.sort_label.buddy() is bar.sort
    # Tab goes from the filter through the bar's controls to the list.
    order, widget = [], bar.filter
    for _ in range(4):
        widget = widget.nextInFocusChain()
        while not widget.focusPolicy() & Qt.FocusPolicy.TabFocus or not widget.isVisible():
            widget = widget.nextInFocusChain()
        order.append(widget)
    assert order == [bar.sort, bar.scope, bar.hide_unremovable, w.results.group_list]
    # Enter in the filter applies it at once and goes back to the list.
    qtbot.keyClicks(bar.filter, "img_2")
    with waiting(qtbot, w.session.events.groups_changed):
        qtbot.keyClick(bar.filter, Qt.Key.Key_Return)
    settled(qtbot, w)
    assert len(_rows(w)) == 1 and w.results.group_list.hasFocus()


def test_keys_in_the_bar_are_the_bars_not_the_results_shortcuts(qtbot, scanned):
    w = scanned
    bar = w.results.bar
    bar.hide_unremovable.setFocus()
    with waiting(qtbot, w.session.events.groups_changed):
        qtbot.keyClick(bar.hide_unremovable, Qt.Key.Key_Space)    # ticks the box; marks nothing
    settled(qtbot, w)
    assert bar.hide_unremovable.isChecked() and len(w.session.marks) == 0
    qtbot.keyClicks(bar.filter, "kp n")    # K, P, Space and N are shortcuts on the list, letters here
    assert bar.filter.text() == "kp n" and len(w.session.marks) == 0 and w.results.current_row() == 0


def test_an_empty_scope_says_why_and_how_to_see_the_copies(qtbot, scanned):
    w = scanned     # one searched folder: nothing is "across folders"
    bar = w.results.bar
    with waiting(qtbot, w.session.events.groups_changed):
        bar.scope.setCurrentIndex(bar.scope.findData("across"))
    settled(qtbot, w)
    assert w.results.group_model.rowCount() == 0 and w.results.stack.currentIndex() == 1
    text = w.results.no_groups.text()
    assert "different searched folders" in text and "Compare everything" in text and "distance" not in text
