"""The settings dialog: what a scan looks at (exclusions, sizes, hidden files, links) and how files are removed."""

from __future__ import annotations

import dataclasses
import os

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QCheckBox, QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QGroupBox,
                               QHBoxLayout, QLabel, QListWidget, QMessageBox, QPlainTextEdit, QPushButton,
                               QSpinBox, QVBoxLayout, QWidget)

from dupeview.core.discovery import DEFAULT_EXCLUDED_DIRS
from dupeview.resources import set_icons
from dupeview.settings import Settings


class SettingsDialog(QDialog):
    """Edits a copy of the settings; `result_settings()` after Accepted."""

    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Settings")
        self._settings = settings
        layout = QVBoxLayout(self)

        scan_box = QGroupBox("Scanning", self)
        form = QFormLayout(scan_box)
        self.patterns = QPlainTextEdit(self)
        self.patterns.setPlaceholderText("One pattern per line, e.g.  *.gif  or  */exports/*")
        self.patterns.setPlainText("\n".join(settings.exclude_patterns))
        self.patterns.setToolTip("Files and folders whose name or path matches one of these patterns are skipped")
        self.patterns.setFixedHeight(80)
        form.addRow("Skip names matching:", self.patterns)

        dirs = QWidget(self)
        dl = QVBoxLayout(dirs)
        dl.setContentsMargins(0, 0, 0, 0)
        self.dirs = QListWidget(self)
        self.dirs.addItems(settings.exclude_dirs)
        self.dirs.setFixedHeight(80)
        row = QHBoxLayout()
        add = QPushButton("Add…", self)
        remove = QPushButton("Remove", self)
        set_icons((add, "add-folder"), (remove, "remove"))
        row.addWidget(add)
        row.addWidget(remove)
        row.addStretch(1)
        dl.addWidget(self.dirs)
        dl.addLayout(row)
        add.clicked.connect(self._add_dir)
        remove.clicked.connect(lambda: [self.dirs.takeItem(self.dirs.row(i)) for i in self.dirs.selectedItems()])
        form.addRow("Skip these folders:", dirs)

        self.min_size = QSpinBox(self)
        self.min_size.setRange(0, 1_000_000)
        self.min_size.setSuffix(" KB")
        self.min_size.setValue(settings.min_size // 1000)
        self.min_size.setToolTip("Ignore images smaller than this (icons, thumbnails)")
        form.addRow("Ignore files smaller than:", self.min_size)
        self.hidden = QCheckBox("Include hidden files and folders", self)
        self.hidden.setChecked(settings.include_hidden)
        form.addRow(self.hidden)
        self.links = QCheckBox("Follow symbolic links", self)
        self.links.setChecked(settings.follow_symlinks)
        form.addRow(self.links)
        self.default_excludes = QCheckBox("Skip trash, version-control and thumbnail folders", self)
        self.default_excludes.setChecked(settings.default_excludes)
        self.default_excludes.setToolTip(", ".join(DEFAULT_EXCLUDED_DIRS))
        form.addRow(self.default_excludes)
        layout.addWidget(scan_box)

        remove_box = QGroupBox("Removing files", self)
        rl = QVBoxLayout(remove_box)
        self.permanent = QCheckBox("Delete permanently instead of moving to the trash", self)
        self.permanent.setChecked(settings.permanent_delete)
        self.permanent.setToolTip("Off by default. Permanently deleted files cannot be restored, not even with Undo.")
        self.permanent.clicked.connect(self._confirm_permanent)
        rl.addWidget(self.permanent)
        note = QLabel("Files are normally moved to the system trash, where they can be restored.", self)
        note.setWordWrap(True)
        note.setEnabled(False)
        rl.addWidget(note)
        layout.addWidget(remove_box)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _add_dir(self) -> None:
        path = QFileDialog.getExistingDirectory(self, "Skip a folder", os.path.expanduser("~"))
        if path and not self.dirs.findItems(path, Qt.MatchFlag.MatchExactly):
            self.dirs.addItem(path)

    def _confirm_permanent(self, on: bool) -> None:
        if not on:
            return
        answer = QMessageBox.warning(
            self, "Delete permanently?",
            "With this setting, “Trash marked” deletes files for good: they do not go to the trash "
            "and cannot be restored.\n\nTurn on permanent deletion?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Cancel)
        if answer != QMessageBox.StandardButton.Yes:
            self.permanent.setChecked(False)

    def result_settings(self) -> Settings:
        patterns = [p.strip() for p in self.patterns.toPlainText().splitlines() if p.strip()]
        dirs = [self.dirs.item(i).text() for i in range(self.dirs.count())]
        return dataclasses.replace(
            self._settings, exclude_patterns=patterns, exclude_dirs=dirs, min_size=self.min_size.value() * 1000,
            include_hidden=self.hidden.isChecked(), follow_symlinks=self.links.isChecked(),
            default_excludes=self.default_excludes.isChecked(), permanent_delete=self.permanent.isChecked())
