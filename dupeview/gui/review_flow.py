"""The review that lasts: restored at launch without a rescan, saved after every change off the GUI thread, and
File → Save review… / Open review… / Export (CSV, JSON, HTML)."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol, cast

from PySide6.QtCore import QCoreApplication, QObject, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QMenu, QMenuBar, QStatusBar, QWidget

from dupeview.core import export
from dupeview.core.jobs import Job, Report
from dupeview.core.progress import CancelToken
from dupeview.core.review import FileCheck, ReviewState, check_files, without_files
from dupeview.core.review_store import (
    FILE_SUFFIX,
    STORE_NAME,
    ReviewFileError,
    ReviewSaver,
    ReviewStore,
    read_review_file,
    write_review_file,
)
from dupeview.core.session import GroupsChanged, Session
from dupeview.gui.decisions_dialog import DecisionsDialog
from dupeview.gui.folders import FolderPanel
from dupeview.gui.i18n import number
from dupeview.gui.pages import MessageBar
from dupeview.gui.results import ResultsPage
from dupeview.gui.similarity import SimilarityControl
from dupeview.gui.worker import JobRunner
from dupeview.settings import Folder, Settings


class MainWindow(Protocol):
    """What the keeper uses of the main window (named here: the window imports this module)."""

    session: Session
    settings: Settings
    runner: JobRunner
    results: ResultsPage
    message: MessageBar
    folders: FolderPanel
    similarity: SimilarityControl
    act: dict[str, QAction]

    def statusBar(self) -> QStatusBar: ...
    def menuBar(self) -> QMenuBar: ...
    def start_scan(self) -> None: ...

log = logging.getLogger(__name__)

SAVE_DELAY_MS = 400   # changes in a burst (holding a key) make one save


def tr(text: str) -> str:
    return QCoreApplication.translate("", text)   # no context: where lupdate files a bare tr() (gui/i18n.py)


@dataclass(frozen=True)
class Opened:
    """A review read and checked on the worker: what to restore, and what changed since it was made."""

    state: ReviewState
    check: FileCheck
    source: str           # "store" or the file's name


def _open(read: Callable[[], ReviewState | None], source: str) -> Callable[[Report, CancelToken], Opened | None]:
    def run(_report: Report, cancel: CancelToken) -> Opened | None:
        state = read()
        if state is None or state.scan is None:
            return None
        check = check_files(state.scan.records, cancel)
        # Files that moved or changed since the review are left out (never acted on) until a rescan.
        return Opened(without_files(state, check.stale), check, source)
    return run


class ReviewKeeper(QObject):
    """Keeps one window's review in the store beside the decisions, and runs the review file commands."""

    def __init__(self, window: MainWindow, restore: bool = True) -> None:
        super().__init__(window)  # type: ignore[arg-type]  # the window is a QMainWindow
        self.window = window
        self.session = window.session
        store_path = os.path.join(os.path.dirname(self.session.decisions_path), STORE_NAME)
        self.store = ReviewStore(store_path)
        self.saver = ReviewSaver(self.store, on_error=self._save_failed)
        self._selected: str | None = None     # the group to show once a restored review is grouped
        self._restoring = False
        self._shut = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SAVE_DELAY_MS)
        self._timer.timeout.connect(self.save_now)
        e = self.session.events
        e.groups_changed.connect(self._on_groups_changed)
        for event in (e.marks_changed, e.acted, e.undone, e.decisions_loaded):
            event.connect(lambda _value: self.changed())
        window.results.group_list.selectionModel().currentChanged.connect(lambda *_: self.changed())
        self._add_menu(window)
        if restore:
            self._run(_open(self.store.load, "store"), tr("The saved review could not be read"))

    # -- menus ------------------------------------------------------------------------------
    def _add_menu(self, window: MainWindow) -> None:
        """Open, Save and Export in the File menu, before "Skipped files…"."""
        before = window.act["skipped"]
        menus = [a.menu() for a in window.menuBar().actions()]
        file_menu = next((m for m in menus if isinstance(m, QMenu) and before in m.actions()), None)
        self.actions: dict[str, QAction] = {}
        for name, text, slot in (("open", tr("&Open review…"), self.open_review),
                                 ("save", tr("Save &review as…"), self.save_review),
                                 ("csv", tr("Export as &CSV…"), lambda: self.export("csv")),
                                 ("json", tr("Export as &JSON…"), lambda: self.export("json")),
                                 ("html", tr("Export as &HTML page…"), lambda: self.export("html"))):
            act = QAction(text, self)
            act.triggered.connect(lambda _checked=False, run=slot: run())
            self.actions[name] = act
            if file_menu is not None:
                file_menu.insertAction(before, act)
                if name in ("save", "html"):
                    file_menu.insertSeparator(before)
        self.actions["open"].setShortcut("Ctrl+Shift+O")
        self.actions["save"].setShortcut("Ctrl+Shift+S")
        # Edit → Not duplicates…: every such choice, forgettable (after "Action log…").
        log = window.act["log"]
        edit_menu = next((m for m in menus if isinstance(m, QMenu) and log in m.actions()), None)
        self.actions["decisions"] = act = QAction(tr("&Not duplicates…"), self)
        act.setToolTip(tr("Every \"not duplicates\" choice, to review or forget"))
        act.triggered.connect(lambda _checked=False: self.show_decisions())
        if edit_menu is not None:
            edit_menu.addAction(act)

    def show_decisions(self) -> None:
        DecisionsDialog(self.session, self.window.runner, cast(QWidget, self.window)).exec()

    def _has_results(self) -> bool:
        if self.session.has_results:
            return True
        self.window.statusBar().showMessage(tr("There is no review yet: scan first."), 6000)
        return False

    # -- saving -----------------------------------------------------------------------------
    def changed(self) -> None:
        """Something in the review changed: save it soon (one save for a burst of changes)."""
        if not self._shut and not self._restoring:
            self._timer.start()

    def selected_path(self) -> str | None:
        g = self.window.results.current_group()
        return self.session.path(g.keeper) if g is not None else None

    def save_now(self) -> None:
        state = self.session.snapshot(self.selected_path())
        if state is not None and not self._shut:
            self.saver.submit(state)

    def _save_failed(self, message: str) -> None:
        # Called on the saver's thread: hop to the GUI thread.
        QTimer.singleShot(0, self, lambda: self.window.statusBar().showMessage(message, 10000))

    def shutdown(self) -> None:
        """Write what is pending, then stop the saver: quitting loses nothing. Safe to call twice."""
        if self._shut:
            return
        if self._timer.isActive():
            self._timer.stop()
            self.save_now()
        self._shut = True
        self.saver.close(timeout=30)

    # -- restoring --------------------------------------------------------------------------
    def _run(self, run: Callable[[Report, CancelToken], Opened | None], failure: str) -> None:
        def failed(exc: BaseException) -> None:
            text = str(exc) if isinstance(exc, ReviewFileError) else f"{failure}: {exc}"
            self.window.message.show_message(text, "error")
        self.window.runner(Job("review", run, self._opened, failed))

    def _opened(self, opened: Opened | None) -> None:
        if opened is None or self._shut:
            return
        if opened.source == "store" and (self.session.has_results or self.session.scanning):
            return   # the user started something new meanwhile
        check, state = opened.check, opened.state
        if check.none_exist:
            self.window.message.show_message(
                tr("None of the {n} files in this review exist on this computer, so nothing was opened.").format(
                    n=number(check.checked)), "warning")
            return
        if opened.source != "store":
            self._adopt(state)
        try:
            self.session.restore(state)
        except ValueError as exc:
            self.window.message.show_message(tr("The review could not be opened: {why}").format(why=exc), "error")
            return
        self._selected, self._restoring = state.selected, True
        if check.problems:
            self.window.message.show_message(
                tr("{n} files changed, moved or vanished since this review: they are left out and will not be "
                   "acted on. Scan again to see them as they are now.").format(n=number(len(check.problems))),
                "warning", (tr("Scan again"), self.window.start_scan))

    def _adopt(self, state: ReviewState) -> None:
        """An opened review brings its folders and similarity: the sidebar shows them (and the settings keep them)."""
        w = self.window
        w.settings.folders = [Folder(f.path, f.reference) for f in state.folders]
        w.folders.set_folders(w.settings.folders)
        threshold = state.options.get("threshold")
        if isinstance(threshold, int) and not isinstance(threshold, bool):
            w.similarity.set_threshold(threshold)

    def _on_groups_changed(self, change: GroupsChanged) -> None:
        if change.cause == "restore" and self._restoring:
            self._restoring = False
            row = self.session.row_of(self._selected) if self._selected else None
            if row is not None:
                self.window.results.select_position(row)
            self._selected = None
            self.save_now()   # the restored review, minus files that changed, is now the saved one
        else:
            self.changed()

    # -- review files and exports ----------------------------------------------------------------
    def _ask(self, save: bool, caption: str, name_filter: str, suffix: str) -> str | None:
        start = os.path.expanduser("~")
        if save:
            path, _ = QFileDialog.getSaveFileName(cast(QWidget, self.window), caption, os.path.join(start, "review" + suffix), name_filter)
            if path and not os.path.splitext(path)[1]:
                path += suffix
        else:
            path, _ = QFileDialog.getOpenFileName(cast(QWidget, self.window), caption, start, name_filter)
        return path or None

    def save_review(self) -> None:
        if not self._has_results():
            return
        path = self._ask(True, tr("Save review"), tr("dupeview reviews (*{suffix})").format(suffix=FILE_SUFFIX),
                         FILE_SUFFIX)
        if path:
            self.save_review_to(path)

    def save_review_to(self, path: str) -> None:
        state = self.session.snapshot(self.selected_path())
        if state is not None:
            self.write_in_background(path, lambda: write_review_file(path, state), tr("Review saved as {name}."))

    def open_review(self, path: str | None = None) -> None:
        path = path or self._ask(False, tr("Open review"),
                                 tr("dupeview reviews (*{suffix});;All files (*)").format(suffix=FILE_SUFFIX), "")
        if not path or self.session.busy:
            return
        self._run(_open(lambda: read_review_file(path), os.path.basename(path)), tr("The review could not be opened"))

    def export(self, kind: str, path: str | None = None) -> None:
        if not self._has_results():
            return
        captions = {"csv": (tr("Export as CSV"), tr("CSV files (*.csv)"), ".csv"),
                    "json": (tr("Export as JSON"), tr("JSON files (*.json)"), ".json"),
                    "html": (tr("Export as an HTML page"), tr("Web pages (*.html)"), ".html")}
        caption, name_filter, suffix = captions[kind]
        path = path or self._ask(True, caption, name_filter, suffix)
        if not path:
            return
        s = self.session
        library, groups, marks, roots = s.library, s.groups, s.marks.paths, s.options.roots
        settings: dict[str, Any] = {"algorithm": s.options.match.algorithm, "threshold": s.options.threshold,
                                    "rotations": s.options.match.rotations, "folders": list(roots)}

        def make() -> None:
            if kind == "csv":
                text = export.to_csv(library, groups, marks, roots)
            elif kind == "json":
                text = export.to_json(library, groups, marks, settings, roots)
            else:
                text = export.to_html(library, groups, marks, roots, title=tr("dupeview review"))
            export.write_text(path, text)
        self.write_in_background(path, make, tr("Exported to {name}."))

    def write_in_background(self, path: str, write: Callable[[], None], done_text: str) -> None:
        def run(_report: Report, _cancel: CancelToken) -> None:
            write()

        def finished(_result: None) -> None:
            self.window.statusBar().showMessage(done_text.format(name=os.path.basename(path)), 8000)

        def failed(exc: BaseException) -> None:
            why = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            self.window.message.show_message(tr("{name} could not be written: {why}").format(
                name=os.path.basename(path), why=why), "error")
        self.window.runner(Job("write", run, finished, failed))
