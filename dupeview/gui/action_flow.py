"""Acting on the marked files from the window: confirm the Session's plan, run it, and say what happened."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from typing import Protocol

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QMenu, QStatusBar, QToolButton, QWidget

from dupeview.core import action_plan
from dupeview.core.progress import Progress
from dupeview.core.report import display_path
from dupeview.core.session import ActionOutcome, Session, UndoOutcome
from dupeview.gui import commands
from dupeview.gui.action_dialogs import ConfirmActionDialog
from dupeview.gui.dialogs import ActionLogDialog, ConfirmTrashDialog, FailuresDialog
from dupeview.gui.i18n import bytes_text, number
from dupeview.gui.pages import MessageBar


def tr(text: str) -> str:
    return QCoreApplication.translate("", text)   # no context: where lupdate files a bare tr() (gui/i18n.py)


def files(n: int) -> str:
    return tr("{n} file{s}").format(n=number(n), s="s" if n != 1 else "")


class Host(Protocol):
    """What the flow needs of the window."""

    session: Session
    message: MessageBar

    def statusBar(self) -> QStatusBar: ...


def slots(host: Host, parent: QWidget) -> dict[str, Callable[[], object]]:
    """The command table's slots for the actions besides trash."""
    return {"move": lambda: choose_and_apply(host, parent, "move"),
            "copy_to": lambda: choose_and_apply(host, parent, "copy"),
            "hardlink": lambda: confirm_and_apply(host, parent, "hardlink"),
            "symlink": lambda: confirm_and_apply(host, parent, "symlink")}


def fill_more_menu(button: QToolButton, actions: Mapping[str, QAction]) -> None:
    """The results page's "Other actions" button: the same commands as Edit's."""
    menu = QMenu(button)
    commands.fill(menu, actions, ("move", "copy_to", None, "hardlink", "symlink"))
    button.setMenu(menu)


def choose_and_apply(host: Host, parent: QWidget, kind: str) -> None:
    """Ask for the folder to move or copy the marked files into, then confirm as for any action."""
    if host.session.busy or not len(host.session.marks):
        confirm_and_apply(host, parent, kind, "")
        return
    title = tr("Move the marked files into") if kind == "move" else tr("Copy the marked files into")
    dest = QFileDialog.getExistingDirectory(parent, title)
    if dest:
        confirm_and_apply(host, parent, kind, dest)


def confirm_and_apply(host: Host, parent: QWidget, kind: str = "trash", dest: str | None = None) -> None:
    """Ask about exactly what the plan would do; on yes, hand it to the Session."""
    s = host.session
    if s.busy:
        return
    if kind in action_plan.NEEDS_FOLDER and not dest:
        if not len(s.marks):
            host.statusBar().showMessage(tr("Nothing is marked. Mark copies with Space, K or Auto-mark."), 6000)
        return
    plan = s.plan(kind, dest)
    if not plan.paths and not plan.refused:
        host.statusBar().showMessage(tr("Nothing is marked. Mark copies with Space, K or Auto-mark."), 6000)
        return
    note = tr("{n} marked file(s) are left out: they are every copy of their group, and one copy is always kept.").format(
        n=len(plan.refused)) if plan.refused else ""
    if not plan.paths:
        host.message.show_message(note, "warning")
        return
    if plan.kind in ("trash", "delete"):
        dialog: ConfirmTrashDialog | ConfirmActionDialog = ConfirmTrashDialog(
            plan.paths, plan.total_bytes, plan.permanent, note, parent)
    else:
        other = len(action_plan.other_filesystem(plan, s.library)) if plan.kind == "hardlink" else 0
        dialog = ConfirmActionDialog(plan, action_plan.by_folder(plan), note, other, parent)
    if dialog.exec() != ConfirmTrashDialog.DialogCode.Accepted:
        return
    if s.apply(plan):
        host.statusBar().showMessage(tr("{verb}: {n} files…").format(verb=verb(plan.kind), n=number(len(plan.paths))))


def verb(kind: str) -> str:
    return {"trash": tr("Moving to the trash"), "delete": tr("Deleting"), "move": tr("Moving"),
            "copy": tr("Copying"), "hardlink": tr("Replacing with hard links"),
            "symlink": tr("Replacing with symbolic links")}.get(kind, tr("Working"))


def show_progress(host: Host, p: Progress) -> None:
    kind = p.phase if p.phase != "trash" or not host.session.options.permanent else "delete"
    host.statusBar().showMessage(tr("{verb}: {done} of {total} files…").format(verb=verb(kind), done=number(p.done),
                                                                                total=number(p.total)))


def done_text(o: ActionOutcome) -> str:
    n, size = files(len(o.done)), bytes_text(o.freed)
    dests = sorted(o.dests.values())
    where = display_path(_common_folder(dests))[0] if dests else ""
    return {"delete": tr("Deleted {files} ({size})."), "trash": tr("Moved {files} ({size}) to the trash."),
            "move": tr("Moved {files} ({size}) into {where}."), "copy": tr("Copied {files} into {where}."),
            "hardlink": tr("Replaced {files} with hard links: {size} freed."),
            "symlink": tr("Replaced {files} with symbolic links: {size} freed.")}[o.kind].format(
        files=n, size=size, where=where)


def _common_folder(paths: list[str]) -> str:
    return os.path.commonpath([os.path.dirname(p) for p in paths])


def show_acted(host: Host, parent: QWidget, o: ActionOutcome) -> None:
    host.statusBar().clearMessage()
    if o.done:
        host.message.show_message(done_text(o), "success", (tr("Undo"), lambda: undo(host)) if o.undoable else None)
    if o.failed:
        title, how = {"delete": (tr("Some files were not deleted"), tr("deleted")),
                      "trash": (tr("Some files were not moved"), tr("moved to the trash")),
                      "move": (tr("Some files were not moved"), tr("moved")),
                      "copy": (tr("Some files were not copied"), tr("copied")),
                      "hardlink": (tr("Some files were not replaced"), tr("replaced with hard links")),
                      "symlink": (tr("Some files were not replaced"), tr("replaced with symbolic links"))}[o.kind]
        FailuresDialog(title, tr("{files} could not be {how}. They are unchanged.").format(files=files(len(o.failed)),
                                                                                            how=how),
                       o.failed, parent).exec()


def undo(host: Host) -> None:
    if host.session.undo():
        host.statusBar().showMessage(tr("Putting the files back…"))
    else:
        host.statusBar().showMessage(tr("There is nothing to undo."), 5000)


def show_undone(host: Host, parent: QWidget, o: UndoOutcome) -> None:
    host.statusBar().clearMessage()
    if o.restored:
        tail = tr(" Scan again to see them in the groups.") if o.unknown else ""
        host.message.show_message(tr("Put back {files} as they were.").format(files=files(len(o.restored))) + tail,
                                  "success")
    elif not o.failed:
        host.message.show_message(tr("There was nothing to restore."), "info")
    if o.failed:
        FailuresDialog(tr("Some files were not restored"),
                       tr("{n} file(s) could not be put back.").format(n=len(o.failed)), o.failed, parent).exec()


def show_action_log(host: Host, parent: QWidget, entries: list[dict[str, object]]) -> None:
    dialog = ActionLogDialog(entries, host.session.can_undo and not host.session.busy, parent)
    if dialog.exec() == 2:
        undo(host)
