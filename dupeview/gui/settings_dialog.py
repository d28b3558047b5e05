"""The settings dialog: what a scan looks at (exclusions, sizes, hidden files, links) and how files are removed."""

from __future__ import annotations

import dataclasses
import os

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from dupeview.core.discovery import DEFAULT_EXCLUDED_DIRS
from dupeview.core.keeper import DEFAULT_FORMATS
from dupeview.gui.accessible import describe_buttons
from dupeview.resources import set_icons
from dupeview.settings import Settings


class SettingsDialog(QDialog):
    """Edits a copy of the settings; `result_settings()` after Accepted."""

    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Settings"))
        self._settings = settings
        layout = QVBoxLayout(self)

        scan_box = QGroupBox(self.tr("Scanning"), self)
        form = QFormLayout(scan_box)
        self.patterns = QPlainTextEdit(self)
        self.patterns.setPlaceholderText(self.tr("One pattern per line, e.g.  *.gif  or  */exports/*"))
        self.patterns.setPlainText("\n".join(settings.exclude_patterns))
        self.patterns.setToolTip(self.tr("Files and folders whose name or path matches one of these patterns are skipped"))
        self.patterns.setFixedHeight(80)
        form.addRow(self.tr("Skip names matching:"), self.patterns)

        self.dirs, dirs = self._folder_list(settings.exclude_dirs, self.tr("Skip a folder"), 80)
        form.addRow(self.tr("Skip these folders:"), dirs)

        self.min_size = QSpinBox(self)
        self.min_size.setRange(0, 1_000_000)
        self.min_size.setSuffix(self.tr(" KB"))
        self.min_size.setValue(settings.min_size // 1000)
        self.min_size.setToolTip(self.tr("Ignore images smaller than this (icons, thumbnails)"))
        form.addRow(self.tr("Ignore files smaller than:"), self.min_size)
        self.hidden = QCheckBox(self.tr("Include hidden files and folders"), self)
        self.hidden.setChecked(settings.include_hidden)
        form.addRow(self.hidden)
        self.links = QCheckBox(self.tr("Follow symbolic links"), self)
        self.links.setChecked(settings.follow_symlinks)
        form.addRow(self.links)
        self.default_excludes = QCheckBox(self.tr("Skip trash, version-control and thumbnail folders"), self)
        self.default_excludes.setChecked(settings.default_excludes)
        self.default_excludes.setToolTip(", ".join(DEFAULT_EXCLUDED_DIRS))
        form.addRow(self.default_excludes)
        layout.addWidget(scan_box)

        keep_box = QGroupBox(self.tr("Choosing the copy to keep"), self)
        kf = QFormLayout(keep_box)
        self.preferred, prefer = self._folder_list(settings.preferred_folders, self.tr("Prefer copies in a folder"), 70)
        self.preferred.setToolTip(self.tr("For the keep rule “In a preferred folder”: copies here are kept first (top = best)"))
        kf.addRow(self.tr("Preferred folders:"), prefer)
        self.formats = QLineEdit(", ".join(settings.preferred_formats), self)
        self.formats.setToolTip(self.tr("For the keep rule “Preferred format”: formats in order, best first"))
        kf.addRow(self.tr("Preferred formats:"), self.formats)
        self.only_reference = QCheckBox(self.tr("Show only groups with a copy in a reference folder"), self)
        self.only_reference.setChecked(settings.only_with_reference)
        self.only_reference.setToolTip(self.tr("Useful to clean a backup against protected originals"))
        kf.addRow(self.only_reference)
        self.hide_raw_pairs = QCheckBox(self.tr("Do not group a camera's RAW with the JPEG beside it"), self)
        self.hide_raw_pairs.setChecked(settings.hide_raw_pairs)
        self.hide_raw_pairs.setToolTip(self.tr("IMG_0001.CR2 and IMG_0001.JPG in one folder are one shot kept twice on purpose"))
        kf.addRow(self.hide_raw_pairs)
        layout.addWidget(keep_box)

        remove_box = QGroupBox(self.tr("Removing files"), self)
        rl = QVBoxLayout(remove_box)
        self.permanent = QCheckBox(self.tr("Delete permanently instead of moving to the trash"), self)
        self.permanent.setChecked(settings.permanent_delete)
        self.permanent.setToolTip(self.tr("Off by default. Permanently deleted files cannot be restored, not even with Undo."))
        self.permanent.clicked.connect(self._confirm_permanent)
        rl.addWidget(self.permanent)
        note = QLabel(self.tr("Files are normally moved to the system trash, where they can be restored."), self)
        note.setWordWrap(True)
        note.setEnabled(False)
        rl.addWidget(note)
        layout.addWidget(remove_box)

        for widget, name, description in (
                (self.patterns, self.tr("Skip names matching"), self.patterns.toolTip()),
                (self.dirs, self.tr("Skip these folders"), self.tr("Folders that are never searched")),
                (self.min_size, self.tr("Ignore files smaller than"), self.min_size.toolTip()),
                (self.hidden, self.hidden.text(), self.tr("Also search files and folders whose names start with a dot")),
                (self.links, self.links.text(), self.tr("Follow links to files and folders (loops are detected)")),
                (self.default_excludes, self.default_excludes.text(), self.default_excludes.toolTip()),
                (self.preferred, self.tr("Preferred folders"), self.preferred.toolTip()),
                (self.formats, self.tr("Preferred formats"), self.formats.toolTip()),
                (self.only_reference, self.only_reference.text(), self.only_reference.toolTip()),
                (self.permanent, self.permanent.text(), self.permanent.toolTip())):
            widget.setAccessibleName(name)
            widget.setAccessibleDescription(description)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        describe_buttons(buttons)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _folder_list(self, folders: list[str], title: str, height: int) -> tuple[QListWidget, QWidget]:
        """A list of folders with Add… (the folder dialog) and Remove buttons under it."""
        box = QWidget(self)
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        items = QListWidget(self)
        items.addItems(folders)
        items.setFixedHeight(height)
        row = QHBoxLayout()
        add = QPushButton(self.tr("Add…"), self)
        remove = QPushButton(self.tr("Remove"), self)
        set_icons((add, "add-folder"), (remove, "remove"))
        add.setAccessibleName(title)
        add.setAccessibleDescription(self.tr("Choose a folder to add to the list above"))
        remove.setAccessibleName(self.tr("Remove the selected folders"))
        remove.setAccessibleDescription(self.tr("Take the selected folders out of the list above"))
        row.addWidget(add)
        row.addWidget(remove)
        row.addStretch(1)
        layout.addWidget(items)
        layout.addLayout(row)
        add.clicked.connect(lambda: self._add_folder_to(items, title))
        remove.clicked.connect(lambda: [items.takeItem(items.row(i)) for i in items.selectedItems()])
        return items, box

    def _add_folder_to(self, target: QListWidget, title: str) -> None:
        path = QFileDialog.getExistingDirectory(self, title, os.path.expanduser("~"))
        if path and not target.findItems(path, Qt.MatchFlag.MatchExactly):
            target.addItem(path)

    def _confirm_permanent(self, on: bool) -> None:
        if not on:
            return
        answer = QMessageBox.warning(
            self, self.tr("Delete permanently?"),
            self.tr("With this setting, “Trash marked” deletes files for good: they do not go to the trash and cannot be restored.\n\nTurn on permanent deletion?"),  # noqa: E501 - one literal: lupdate reads it whole
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Cancel)
        if answer != QMessageBox.StandardButton.Yes:
            self.permanent.setChecked(False)

    def result_settings(self) -> Settings:
        patterns = [p.strip() for p in self.patterns.toPlainText().splitlines() if p.strip()]
        dirs = [self.dirs.item(i).text() for i in range(self.dirs.count())]
        preferred = [self.preferred.item(i).text() for i in range(self.preferred.count())]
        formats = [f.strip().upper() for f in self.formats.text().replace(";", ",").split(",") if f.strip()]
        return dataclasses.replace(
            self._settings, exclude_patterns=patterns, exclude_dirs=dirs, min_size=self.min_size.value() * 1000,
            preferred_folders=preferred, preferred_formats=formats or list(DEFAULT_FORMATS),
            only_with_reference=self.only_reference.isChecked(), hide_raw_pairs=self.hide_raw_pairs.isChecked(),
            include_hidden=self.hidden.isChecked(), follow_symlinks=self.links.isChecked(),
            default_excludes=self.default_excludes.isChecked(), permanent_delete=self.permanent.isChecked())
