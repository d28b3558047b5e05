"""Accessibility: every control a user can reach with the keyboard has an accessible name and an accessible
description, read back the way a screen reader reads them, through QAccessible: on the folders page, the sidebar,
the scanning page, the settings dialog, the keep rules, the decisions dialog and the other dialogs."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QAbstractScrollArea, QAbstractSpinBox, QComboBox, QScrollBar, QWidget

from dupeview.gui.decisions_dialog import DecisionsDialog
from dupeview.gui.dialogs import ActionLogDialog, ConfirmTrashDialog, ErrorDialog, FailuresDialog
from dupeview.gui.folders import FolderPanel
from dupeview.gui.keep_rules import KeepRules
from dupeview.gui.settings_dialog import SettingsDialog
from dupeview.settings import Settings
from tests.gui.conftest import waiting


def controls(root: QWidget, skip: tuple[QWidget, ...] = ()) -> list[QWidget]:
    """The widgets of `root` that take keyboard focus and are shown: what Tab reaches (parts of a control aside)."""
    found = []
    for w in [root, *root.findChildren(QWidget)]:
        if w.focusPolicy() == Qt.FocusPolicy.NoFocus or not w.isVisibleTo(root) or w.isWindow() and w is not root:
            continue
        if isinstance(w, QScrollBar) or any(w is s or s.isAncestorOf(w) for s in skip):
            continue
        parent = w.parentWidget()
        # a spin box's or combo box's line edit, a scroll area's viewport: parts of their control
        if isinstance(parent, (QAbstractSpinBox, QComboBox)) or (isinstance(parent, QAbstractScrollArea)
                                                                 and w is parent.viewport()):
            continue
        if w is root and root.isWindow() and not isinstance(root, QAbstractScrollArea):
            continue   # a dialog or window itself is named by its title
        found.append(w)
    return found


def unnamed(root: QWidget, skip: tuple[QWidget, ...] = ()) -> list[str]:
    """The controls missing an accessible name or description, as QAccessible reports them."""
    missing = []
    for w in controls(root, skip):
        face = QAccessible.queryAccessibleInterface(w)
        name = face.text(QAccessible.Text.Name) if face else ""
        description = face.text(QAccessible.Text.Description) if face else ""
        if not name.strip() or not description.strip():
            missing.append(f"{type(w).__name__} {w.objectName() or name!r}: "
                           f"{'no name' if not name.strip() else ''} {'no description' if not description.strip() else ''}")
    return missing


def _settings() -> QWidget:
    return SettingsDialog(Settings(exclude_dirs=["/tmp/x"], preferred_folders=["/tmp/y"]))


def _confirm() -> QWidget:
    return ConfirmTrashDialog(["/a/b.jpg", "/a/c.jpg"], 2048, permanent=True)


def _log() -> QWidget:
    entries = [{"time": "2026-12-01 12:00", "action": "trash", "files": [{"path": "/a/b.jpg", "ok": True}]}]
    return ActionLogDialog(entries, can_undo=True)


def _folders() -> QWidget:
    panel = FolderPanel()
    panel.add_folders(["/tmp"])
    return panel


DIALOGS: dict[str, Callable[[], QWidget]] = {
    "settings": _settings,
    "keep-rules": lambda: KeepRules(("raw", "size")),
    "folders": _folders,
    "confirm-trash": _confirm,
    "action-log": _log,
    "error": lambda: ErrorDialog("ValueError: x", "Traceback …", "/tmp/dupeview.log"),
    "failures": lambda: FailuresDialog("Some files were not moved", "2 files", [("/a/b.jpg", "gone")]),
}


@pytest.mark.parametrize("make", list(DIALOGS.values()), ids=list(DIALOGS))
def test_every_control_of_the_dialog_has_an_accessible_name_and_description(qtbot, make) -> None:
    widget = make()
    qtbot.addWidget(widget)
    widget.show()
    assert controls(widget), "found no control at all: the walk is broken"
    missing = unnamed(widget)
    assert not missing, "\n".join(missing)


def test_the_walk_reports_a_control_without_a_name() -> None:
    from PySide6.QtWidgets import QPushButton, QVBoxLayout

    root = QWidget()
    QVBoxLayout(root).addWidget(QPushButton("", root))
    root.show()
    assert len(unnamed(root)) == 1
    root.deleteLater()


def test_the_decisions_dialog(qtbot, window_factory, photos) -> None:
    w = window_factory([photos.root])
    with waiting(qtbot, w.session.events.scanned, timeout=60_000):
        w.start_scan()
    dialog = DecisionsDialog(w.session, w.runner, w)
    qtbot.addWidget(dialog)
    dialog.show()
    missing = unnamed(dialog)
    assert not missing, "\n".join(missing)


def test_the_main_window_folders_page_sidebar_and_scanning_page(qtbot, window_factory, photos) -> None:
    w = window_factory([photos.root])
    w.show()
    missing = unnamed(w)                                          # folders page, sidebar, keep rules, slider
    assert not missing, "\n".join(missing)
    with waiting(qtbot, w.session.events.scanned, timeout=60_000):
        w.start_scan()
        missing = unnamed(w.scanning)                             # the progress page
        assert not missing, "\n".join(missing)


def test_the_whole_window_with_results_and_the_compare_window(qtbot, window_factory, photos) -> None:
    from tests.gui.conftest import settled

    w = window_factory([photos.root])
    w.show()
    with waiting(qtbot, w.session.events.scanned, timeout=60_000):
        w.start_scan()
    settled(qtbot, w)
    qtbot.waitUntil(lambda: w.results.group_view.complete, timeout=10_000)
    w.auto_mark()
    missing = unnamed(w)                                          # group list, cards, toolbar, summary, sidebar
    assert not missing, "\n".join(missing)
    from tests.gui.test_compare import open_compare

    group = w.session.groups[0]
    dialog = open_compare(qtbot, w, group.members[0], group.members[1])
    missing = unnamed(dialog)                                     # both panes, the bar, mark and keep
    assert not missing, "\n".join(missing)
