"""Confirming a move, copy or link replacement: what will happen, with files and bytes per folder."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication, QDate, QDateTime, QLocale, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from dupeview.core.action_plan import FolderLine
from dupeview.core.report import display_path
from dupeview.core.session_types import Plan
from dupeview.gui.i18n import bytes_text, number

MAX_LINES = 500   # folders listed; the rest are summed in one line


def tr(text: str) -> str:
    return QCoreApplication.translate("", text)   # no context: where lupdate files a bare tr() (gui/i18n.py)


def files(n: int) -> str:
    return (tr("{n} file") if n == 1 else tr("{n} files")).format(n=number(n))


def wording(plan: Plan, other_disk: int) -> tuple[str, str, str, str]:
    """Window title, headline, what happens in plain words, and the button's label."""
    n, size = files(len(plan.paths)), bytes_text(plan.total_bytes)
    dest = display_path(plan.dest)[0] if plan.dest else ""
    if plan.kind == "move":
        return (tr("Move files?"), tr("Move {files} ({size}) into {dest}?").format(files=n, size=size, dest=dest),
                tr("Each file keeps its path inside the searched folder it was found in. A name that is taken "
                   "already gets a number, so nothing there is replaced. Edit → Undo puts them back."), tr("Move"))
    if plan.kind == "copy":
        return (tr("Copy files?"), tr("Copy {files} ({size}) into {dest}?").format(files=n, size=size, dest=dest),
                tr("The originals stay where they are. Each copy keeps its path inside the searched folder it "
                   "was found in; a name that is taken already gets a number. Edit → Undo removes the copies."),
                tr("Copy"))
    if plan.kind == "hardlink":
        text = tr("Each file goes to the trash and a hard link to the kept copy of its group takes its place: "
                  "its folder looks the same and its space is freed. A file on another filesystem than its kept "
                  "copy cannot be linked: it is refused, file by file, and stays as it is. Edit → Undo puts the "
                  "files back from the trash.")
        if other_disk:
            text += " " + tr("As scanned, {files} are on another filesystem than their kept copy.").format(
                files=files(other_disk))
        return (tr("Replace with hard links?"),
                tr("Replace {files} ({size}) with hard links to the kept copies?").format(files=n, size=size), text,
                tr("Replace with hard links"))
    return (tr("Replace with symbolic links?"),
            tr("Replace {files} ({size}) with symbolic links to the kept copies?").format(files=n, size=size),
            tr("Each file goes to the trash and a symbolic link to the kept copy of its group takes its place. "
               "If a kept copy is moved or deleted later, its links stop working. Edit → Undo puts the files back "
               "from the trash."), tr("Replace with symbolic links"))



def when_text(iso: str, today: QDate | None = None) -> str:
    """A time from the action log (ISO 8601 with its offset) as a person reads it: in local time, without
    seconds or offset, "Today" or "Yesterday" when it was. Anything unreadable is shown as it is."""
    moment = QDateTime.fromString(iso, Qt.DateFormat.ISODate)
    if not iso or not moment.isValid():
        return iso
    local = moment.toLocalTime()
    locale, day = QLocale(), local.date()
    today = today or QDate.currentDate()
    clock = locale.toString(local.time(), QLocale.FormatType.ShortFormat)
    if day == today:
        return tr("Today, {time}").format(time=clock)
    if day == today.addDays(-1):
        return tr("Yesterday, {time}").format(time=clock)
    fmt = "d MMM" if day.year() == today.year() else "d MMM yyyy"
    return f"{locale.toString(day, fmt)}, {clock}"

class ConfirmActionDialog(QDialog):
    """Says exactly what a move, copy or link replacement will do, per folder; Cancel is the default."""

    def __init__(self, plan: Plan, lines: Sequence[FolderLine], note: str = "", other_disk: int = 0,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        title, head, text, ok = wording(plan, other_disk)
        self.setWindowTitle(title)
        layout = QVBoxLayout(self)
        self.headline = QLabel(f"<b>{head}</b>", self)
        self.headline.setTextFormat(Qt.TextFormat.RichText)
        self.headline.setWordWrap(True)
        layout.addWidget(self.headline)
        self.explanation = QLabel(text, self)
        self.explanation.setWordWrap(True)
        layout.addWidget(self.explanation)
        where = tr("Into these folders:") if plan.dest else tr("In these folders:")
        layout.addWidget(QLabel(where, self))
        self.folders = folder_table(lines, self)
        self.folders.setAccessibleName(tr("Files and sizes per folder"))
        layout.addWidget(self.folders, 1)
        if note:
            extra = QLabel(note, self)
            extra.setWordWrap(True)
            layout.addWidget(extra)
        buttons = QDialogButtonBox(self)
        self.cancel_button = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = buttons.addButton(ok, QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok_button.setAccessibleName(ok)
        self.cancel_button.setDefault(True)
        self.cancel_button.setFocus()
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        rows = self.folders.sizeHintForRow(0) * (self.folders.topLevelItemCount() + 2) if lines else 0
        self.folders.setMinimumHeight(min(max(rows, 80), 320))
        if rows < 320:
            self.folders.setMaximumHeight(max(rows, 80))   # a few folders: no wall of empty table
        self.resize(720, self.sizeHint().height())


def folder_table(lines: Sequence[FolderLine], parent: QWidget) -> QTreeWidget:
    tree = QTreeWidget(parent)
    tree.setHeaderLabels([tr("Folder"), tr("Files"), tr("Size")])
    tree.setRootIsDecorated(False)
    tree.setUniformRowHeights(True)
    shown = list(lines[:MAX_LINES])
    rest = lines[MAX_LINES:]
    items = []
    for line in shown:
        folder = display_path(line.folder)[0]
        item = QTreeWidgetItem([folder, number(line.files), bytes_text(line.bytes)])
        item.setToolTip(0, folder)
        items.append(item)
    if rest:
        items.append(QTreeWidgetItem([tr("… and {n} more folders").format(n=number(len(rest))),
                                      number(sum(x.files for x in rest)), bytes_text(sum(x.bytes for x in rest))]))
    for item in items:
        for col in (1, 2):
            item.setTextAlignment(col, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    tree.addTopLevelItems(items)
    header = tree.header()
    header.setStretchLastSection(False)
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    for col in (1, 2):
        header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
    return tree
