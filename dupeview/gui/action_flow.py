"""Acting on the marked files from the window: confirm the Session's plan, run it, and say what happened."""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QStatusBar, QWidget

from dupeview.core.progress import Progress
from dupeview.core.report import human_bytes
from dupeview.core.session import ActionOutcome, Session, UndoOutcome
from dupeview.gui.dialogs import ActionLogDialog, ConfirmTrashDialog, FailuresDialog
from dupeview.gui.pages import MessageBar


def tr(text: str) -> str:
    return QCoreApplication.translate("actions", text)


def files(n: int) -> str:
    return tr("{n} file{s}").format(n=f"{n:,}", s="s" if n != 1 else "")


class Host(Protocol):
    """What the flow needs of the window."""

    session: Session
    message: MessageBar

    def statusBar(self) -> QStatusBar: ...


def confirm_and_apply(host: Host, parent: QWidget) -> None:
    """Ask about exactly what the plan would do; on yes, hand it to the Session."""
    s = host.session
    if s.busy:
        return
    plan = s.plan()
    if not plan.paths and not plan.refused:
        host.statusBar().showMessage(tr("Nothing is marked. Mark copies with Space, K or Auto-mark."), 6000)
        return
    note = tr("{n} marked file(s) are left out: they are every copy of their group, and one copy is always kept.").format(
        n=len(plan.refused)) if plan.refused else ""
    if not plan.paths:
        host.message.show_message(note, "warning")
        return
    dialog = ConfirmTrashDialog(plan.paths, plan.total_bytes, plan.permanent, note, parent)
    if dialog.exec() != ConfirmTrashDialog.DialogCode.Accepted:
        return
    if s.apply(plan):
        verb = tr("Deleting") if plan.permanent else tr("Moving")
        host.statusBar().showMessage(tr("{verb} {n} files…").format(verb=verb, n=f"{len(plan.paths):,}"))


def show_progress(host: Host, p: Progress) -> None:
    verb = tr("Deleting") if host.session.options.permanent else tr("Moving to the trash")
    host.statusBar().showMessage(tr("{verb}: {done} of {total} files…").format(verb=verb, done=f"{p.done:,}",
                                                                                total=f"{p.total:,}"))


def show_acted(host: Host, parent: QWidget, o: ActionOutcome) -> None:
    host.statusBar().clearMessage()
    permanent = o.kind == "delete"
    if o.done:
        text = (tr("Deleted {files} ({size}).") if permanent else tr("Moved {files} ({size}) to the trash.")).format(
            files=files(len(o.done)), size=human_bytes(o.freed))
        host.message.show_message(text, "success", (tr("Undo"), lambda: undo(host)) if o.undoable else None)
    if o.failed:
        how = tr("deleted") if permanent else tr("moved to the trash")
        FailuresDialog(tr("Some files were not moved"),
                       tr("{files} could not be {how}. They are unchanged.").format(files=files(len(o.failed)), how=how),
                       o.failed, parent).exec()


def undo(host: Host) -> None:
    if host.session.undo():
        host.statusBar().showMessage(tr("Restoring files from the trash…"))
    else:
        host.statusBar().showMessage(tr("There is nothing to undo."), 5000)


def show_undone(host: Host, parent: QWidget, o: UndoOutcome) -> None:
    host.statusBar().clearMessage()
    if o.restored:
        tail = tr(" Scan again to see them in the groups.") if o.unknown else ""
        host.message.show_message(tr("Restored {files} from the trash.").format(files=files(len(o.restored))) + tail,
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
