"""The folders to search: add (dialog or drag and drop), remove, and mark as Reference."""

from __future__ import annotations

import os

from PySide6.QtCore import Qt, Signal, SignalInstance
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from dupeview.core.report import display_path
from dupeview.gui.i18n import N_, tr
from dupeview.resources import set_icons
from dupeview.settings import Folder

PATH_ROLE = Qt.ItemDataRole.UserRole + 1
REFERENCE_TIP = N_("Reference: files in this folder are protected. They are compared with the others "
                   "but never marked or moved to the trash.")


def take_folder_drop(event: QDropEvent, dropped: SignalInstance) -> None:
    """Accept a drop of folders and emit them; anything else is left for others."""
    folders = dropped_folders(event)
    if folders:
        event.acceptProposedAction()
        dropped.emit(folders)


def dropped_folders(event: QDropEvent | QDragEnterEvent) -> list[str]:
    """Local folders in a drag (files are taken as their folder)."""
    out: list[str] = []
    mime = event.mimeData()
    if not mime.hasUrls():
        return out
    for url in mime.urls():
        if not url.isLocalFile():
            continue
        path = url.toLocalFile()
        if os.path.isfile(path):
            path = os.path.dirname(path)
        if os.path.isdir(path):
            out.append(os.path.abspath(path))
    return out


class FolderList(QTreeWidget):
    """Each folder is a row; its Reference column is a check box. Accepts folders dropped from a file manager."""

    dropped = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setColumnCount(2)
        self.setHeaderLabels([tr("Folder"), tr("Reference")])
        self.headerItem().setToolTip(1, tr(REFERENCE_TIP))
        self.header().setStretchLastSection(False)
        self.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.header().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.setRootIsDecorated(False)
        self.setUniformRowHeights(True)
        self.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.setAcceptDrops(True)
        self.viewport().setAcceptDrops(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DropOnly)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setToolTip(tr("Folders to search. Tick Reference to protect a folder's files.\n"
                           "Drop folders here from your file manager."))
        self.setAccessibleName(tr("Folders to search"))

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if dropped_folders(event):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        take_folder_drop(event, self.dropped)


class FolderPanel(QWidget):
    """The list plus Add and Remove buttons; `changed` fires on any edit."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.list = FolderList(self)
        self.add_button = QPushButton(tr("Add folder…", "the sidebar's narrow button"), self)
        self.add_button.setToolTip(tr("Choose a folder to search (or drop folders on the list)"))
        self.remove_button = QPushButton(tr("Remove"), self)
        self.remove_button.setToolTip(tr("Stop searching the selected folders (no file is touched)"))
        self.remove_button.setEnabled(False)
        set_icons((self.add_button, "add-folder"), (self.remove_button, "remove"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.list, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        layout.addLayout(buttons)
        self.add_button.clicked.connect(self.choose_folder)
        self.remove_button.clicked.connect(self.remove_selected)
        self.list.dropped.connect(self.add_folders)
        self.list.itemChanged.connect(lambda _item, _col: self.changed.emit())
        self.list.itemSelectionChanged.connect(
            lambda: self.remove_button.setEnabled(bool(self.list.selectedItems())))

    def folders(self) -> list[Folder]:
        out = []
        for row in range(self.list.topLevelItemCount()):
            item = self.list.topLevelItem(row)
            if item is None:
                continue
            out.append(Folder(item.data(0, PATH_ROLE), item.checkState(1) == Qt.CheckState.Checked))
        return out

    def set_folders(self, folders: list[Folder]) -> None:
        self.list.blockSignals(True)
        self.list.clear()
        for f in folders:
            self._add_item(f.path, f.reference)
        self.list.blockSignals(False)
        self.changed.emit()

    def _add_item(self, path: str, reference: bool) -> None:
        shown, _ = display_path(path)
        item = QTreeWidgetItem([shown, ""])
        item.setData(0, PATH_ROLE, path)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(1, Qt.CheckState.Checked if reference else Qt.CheckState.Unchecked)
        item.setToolTip(0, shown)
        item.setToolTip(1, tr(REFERENCE_TIP))
        self.list.addTopLevelItem(item)

    def add_folders(self, paths: list[str], reference: bool = False) -> int:
        """Add folders not already listed (nor inside a listed one); returns how many were added."""
        present = {f.path for f in self.folders()}
        added = 0
        self.list.blockSignals(True)
        for p in paths:
            p = os.path.abspath(p)
            if p in present:
                continue
            present.add(p)
            self._add_item(p, reference)
            added += 1
        self.list.blockSignals(False)
        if added:
            self.changed.emit()
        return added

    def choose_folder(self) -> None:
        start = self.folders()[-1].path if self.list.topLevelItemCount() else os.path.expanduser("~")
        path = QFileDialog.getExistingDirectory(self, tr("Add a folder to search"), start)
        if path:
            self.add_folders([path])

    def remove_selected(self) -> None:
        rows = sorted((self.list.indexOfTopLevelItem(i) for i in self.list.selectedItems()), reverse=True)
        if not rows:
            return
        self.list.blockSignals(True)
        for row in rows:
            self.list.takeTopLevelItem(row)
        self.list.blockSignals(False)
        self.changed.emit()
