"""Small dialogs: confirm trash, per-file failures, skipped files, the action log, unexpected errors."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from dupeview.core import coverage
from dupeview.core.records import Library
from dupeview.core.report import display_path, not_compared
from dupeview.gui.accessible import describe, describe_buttons
from dupeview.gui.action_dialogs import when_text
from dupeview.gui.coverage_words import left_out_text, not_compared_message
from dupeview.gui.coverage_words import reason as reason_words
from dupeview.gui.i18n import N_, bytes_text, number, tr
from dupeview.resources import set_icons

SAMPLE = 8


# What the action log's entries did, as the Action column says it.
ACTION_NAMES = {"trash": N_("Moved to the trash"), "delete": N_("Deleted permanently"), "undo": N_("Put back"),
                "move": N_("Moved"), "copy": N_("Copied"), "hardlink": N_("Replaced by a hard link"),
                "symlink": N_("Replaced by a symbolic link")}


def files(n: int) -> str:
    """'1 file' / '3 files', in the user's language."""
    return tr("1 file") if n == 1 else tr("{n} files").format(n=number(n))


class ConfirmTrashDialog(QDialog):
    """Says how many files, how many bytes and which ones; permanent deletion needs a tick as well."""

    def __init__(self, paths: Sequence[str], total_bytes: int, permanent: bool,
                 skipped_note: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        n = len(paths)
        self.permanent = permanent
        self.setWindowTitle(tr("Delete permanently?") if permanent else tr("Move to trash?"))
        layout = QVBoxLayout(self)
        if permanent:
            head = tr("<b>Permanently delete {files} ({size})?</b>")
            sub = tr("They will not go to the trash. <b>This cannot be undone.</b>")
        else:
            head = tr("<b>Move {files} ({size}) to the trash?</b>")
            sub = tr("You can put them back with Edit → Undo, or from the system trash.")
        head = head.format(files=files(n), size=bytes_text(total_bytes))
        title = QLabel(head, self)
        title.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(title)
        note = QLabel(sub, self)
        note.setWordWrap(True)
        layout.addWidget(note)
        sample = QPlainTextEdit(self)
        sample.setReadOnly(True)
        lines = [display_path(p)[0] for p in paths[:SAMPLE]]
        if n > SAMPLE:
            lines.append(tr("… and {n} more").format(n=number(n - SAMPLE)))
        sample.setPlainText("\n".join(lines))
        sample.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        describe(sample, tr("Files to remove"), tr("The first of the files this will remove, one per line"))
        sample.setMaximumHeight(sample.fontMetrics().lineSpacing() * (min(len(lines), SAMPLE + 1) + 1) + 12)
        layout.addWidget(sample)
        if skipped_note:
            extra = QLabel(skipped_note, self)
            extra.setWordWrap(True)
            layout.addWidget(extra)
        self.buttons = QDialogButtonBox(self)
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        label = tr("Delete permanently") if permanent else tr("Move to Trash")
        self.ok_button = self.buttons.addButton(label, QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button.setDefault(True)
        describe_buttons(self.buttons)
        describe(self.ok_button, None, tr("Delete the files for good: they cannot be restored") if permanent
                 else tr("Move the files to the trash; Edit → Undo puts them back"))
        self.cancel_button.setFocus()
        self.understood: QCheckBox | None = None
        if permanent:
            self.understood = QCheckBox(tr("I understand these files cannot be restored"), self)
            self.ok_button.setEnabled(False)
            describe(self.understood, None, tr("Tick to enable the button that deletes the files"))
            self.understood.toggled.connect(self.ok_button.setEnabled)
            self.ok_button.setStyleSheet("QPushButton:enabled { color: white; background: #c0392b; }")
            layout.addWidget(self.understood)
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.setMinimumWidth(520)


class FailuresDialog(QDialog):
    """Files that could not be moved, each with the reason in plain words."""

    def __init__(self, title: str, intro: str, rows: Sequence[tuple[str, str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        layout = QVBoxLayout(self)
        label = QLabel(intro, self)
        label.setWordWrap(True)
        layout.addWidget(label)
        self.tree = _path_reason_tree(rows, self)
        layout.addWidget(self.tree, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        copy = buttons.addButton(tr("Copy list"), QDialogButtonBox.ButtonRole.ActionRole)
        describe(copy, None, tr("Copy the files and reasons to the clipboard, one file per line"))
        describe_buttons(buttons)
        copy.clicked.connect(lambda: QGuiApplication.clipboard().setText(
            "\n".join(f"{display_path(p)[0]}\t{r}" for p, r in rows)))
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)
        layout.addWidget(buttons)
        self.resize(760, 420)


def _path_reason_tree(rows: Sequence[tuple[str, str]], parent: QWidget) -> QTreeWidget:
    tree = QTreeWidget(parent)
    tree.setColumnCount(2)
    tree.setHeaderLabels([tr("File"), tr("Reason")])
    describe(tree, tr("Files and reasons"), tr("Each file, and why"))
    tree.setRootIsDecorated(False)
    tree.setUniformRowHeights(True)
    tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
    tree.setColumnWidth(0, 440)
    items = []
    for path, reason in rows:
        shown, _ = display_path(path)
        item = QTreeWidgetItem([shown, reason])
        item.setToolTip(0, shown)
        item.setToolTip(1, reason)
        items.append(item)
    tree.addTopLevelItems(items)
    return tree


class SkippedDialog(FailuresDialog):
    def __init__(self, rows: Sequence[tuple[str, str]], parent: QWidget | None = None, intro: str = "") -> None:
        super().__init__(tr("Files not compared"),
                         intro or tr("{files} could not be compared. Nothing was changed on them.").format(files=files(len(rows))),
                         rows, parent)


def not_compared_dialog(library: Library, parent: QWidget | None = None) -> SkippedDialog | None:
    """The list of every file a scan did not compare (videos, PSDs, unreadable files, …), or None if none."""
    entries = not_compared(library)
    left_out = left_out_text(library.left_out)
    if not entries and not left_out:
        return None
    intro = tr("{what}. Nothing was changed on them.").format(what=not_compared_message(library)) if entries \
        else tr("Every file found was compared.")
    intro += f"\n{left_out}." if left_out else ""
    return SkippedDialog([(n.path, reason_words(n.reason)) for n in coverage.by_kind(entries)], parent, intro)


def _entry_summary(entry: dict[str, Any]) -> tuple[str, str, str, list[dict[str, Any]]]:
    when = when_text(str(entry.get("time") or entry.get("when") or entry.get("timestamp") or ""))
    action = str(entry.get("action") or entry.get("kind") or "")
    files = entry.get("files") or entry.get("outcomes") or entry.get("items") or []
    files = [f for f in files if isinstance(f, dict)] if isinstance(files, list) else []
    ok = sum(1 for f in files if f.get("ok", True))
    failed = len(files) - ok
    result = tr("{n} done").format(n=ok) + (tr(", {n} failed").format(n=failed) if failed else "")
    return when, action, result, files


def batches(entries: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The log's per-file entries gathered into one entry per batch (entries already per batch pass through)."""
    out: list[dict[str, Any]] = []
    by_batch: dict[str, dict[str, Any]] = {}
    for e in entries:
        batch = e.get("batch")
        if not isinstance(batch, str) or "path" not in e:
            out.append(e)
            continue
        if batch not in by_batch:
            by_batch[batch] = {"time": e.get("time"), "action": e.get("action"), "files": []}
            out.append(by_batch[batch])
        by_batch[batch]["files"].append(e)
    return out


class ActionLogDialog(QDialog):
    """Every trash, delete and undo so far, newest first, with what happened to each file."""

    def __init__(self, entries: Sequence[dict[str, Any]], can_undo: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Action log"))
        layout = QVBoxLayout(self)
        self.tree = QTreeWidget(self)
        self.tree.setColumnCount(3)
        self.tree.setHeaderLabels([tr("When / file"), tr("Action"), tr("Result")])
        describe(self.tree, tr("Action log"), tr("Every action, newest first; open one to see its files"))
        self.tree.setColumnWidth(0, 420)
        entries = batches(entries)
        for entry in reversed(entries):
            when, action, result, files = _entry_summary(entry)
            top = QTreeWidgetItem([when, tr(ACTION_NAMES[action]) if action in ACTION_NAMES else action, result])
            for f in files:
                shown = display_path(str(f.get("path", "")))[0]
                state = tr("done") if f.get("ok", True) else (f.get("reason") or tr("failed"))
                child = QTreeWidgetItem([shown, "", str(state)])
                child.setToolTip(0, shown)
                if f.get("trash_path"):
                    child.setToolTip(2, tr("in the trash as {path}").format(path=f["trash_path"]))
                top.addChild(child)
            if not files:
                top.setToolTip(0, json.dumps(entry, ensure_ascii=False)[:2000])
            self.tree.addTopLevelItem(top)
        if not entries:
            self.tree.addTopLevelItem(QTreeWidgetItem([tr("Nothing has been trashed yet."), "", ""]))
        layout.addWidget(self.tree, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.undo_button = QPushButton(tr("Undo last trash"), self)
        self.undo_button.setEnabled(can_undo)
        set_icons((self.undo_button, "undo"))
        self.undo_button.setToolTip(tr("Put the files of the last trash action back where they were"))
        buttons.addButton(self.undo_button, QDialogButtonBox.ButtonRole.ActionRole)
        describe_buttons(buttons)
        self.undo_button.clicked.connect(lambda: self.done(2))
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(800, 460)


class ErrorDialog(QDialog):
    """An unexpected error, said plainly, with the details one click away and the log file named."""

    def __init__(self, message: str, details: str, log_file: str | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Something went wrong"))
        layout = QVBoxLayout(self)
        text = QLabel(tr("<b>dupeview hit an unexpected problem.</b><br>{message}<br><br>No file was changed by "
                         "this error. You can keep working; if it happens again, please report it with the log "
                         "file.").format(message=_escape(message))
                      + (tr("<br><br>Log: <code>{path}</code>").format(path=_escape(log_file)) if log_file else ""), self)
        text.setWordWrap(True)
        text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        describe(text, None, tr("What went wrong; the text can be selected and copied"))
        layout.addWidget(text)
        self.details = QPlainTextEdit(details, self)
        self.details.setReadOnly(True)
        self.details.setVisible(False)
        describe(self.details, tr("Details"), tr("The technical details of the error, for a report"))
        layout.addWidget(self.details, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        toggle = buttons.addButton(tr("Details"), QDialogButtonBox.ButtonRole.ActionRole)
        toggle.clicked.connect(self._toggle_details)
        describe(toggle, None, tr("Show or hide the technical details"))
        describe_buttons(buttons)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.setMinimumWidth(480)

    def _toggle_details(self) -> None:
        self.details.setVisible(not self.details.isVisible())
        self.adjustSize()


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def show_shortcuts(parent: QWidget, rows: Sequence[tuple[str, str]]) -> None:
    text = "<table>" + "".join(f"<tr><td><b>{k}</b>&nbsp;&nbsp;</td><td>{t}</td></tr>" for t, k in rows) + \
        "</table><p>" + tr("In the compare window: hold Space to flip, F to fit, 1 for real size, wheel to zoom.") + "</p>"
    QMessageBox.information(parent, tr("Keyboard shortcuts"), text)


def show_about(parent: QWidget) -> None:
    from dupeview import __version__

    QMessageBox.about(parent, tr("About dupeview"),
                      f"<b>dupeview {__version__}</b><p>" + tr("Find duplicate and near-duplicate photos, compare them "
                                                                "side by side, and send the extra copies to the trash.") + "</p>")
