"""The main window: builds the sidebar, pages and commands, and wires them to the Session it renders."""

from __future__ import annotations

import dataclasses
import logging
import os
from collections.abc import Callable, Iterable

from PySide6.QtCore import QByteArray, QPoint
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QMainWindow

from dupeview import paths
from dupeview.core.grouping import Group, Member
from dupeview.core.report import display_path
from dupeview.core.session import ActionOutcome, GroupsChanged, Scanned, Session
from dupeview.gui import action_flow, commands, desktop, engine_words, i18n, view_settings
from dupeview.gui.compare import CompareDialog
from dupeview.gui.coverage_words import coverage_message
from dupeview.gui.dialogs import not_compared_dialog, show_about, show_shortcuts
from dupeview.gui.folders import dropped_folders
from dupeview.gui.group_view import card_style
from dupeview.gui.options import review_options
from dupeview.gui.pages import (
    PAGE_EMPTY,
    PAGE_RESULTS,
    PAGE_SCANNING,
    Content,
    EmptyPage,
    ScanningPage,
    Sidebar,
    cancelled_text,
    flat_button,
    scanned_text,
    side_by_side,
)
from dupeview.gui.results import ResultsPage
from dupeview.gui.review_flow import ReviewKeeper
from dupeview.gui.settings_dialog import SettingsDialog
from dupeview.gui.settings_saver import SettingsSaver
from dupeview.gui.theme import apply_theme
from dupeview.gui.thumbnails import ThumbnailLoader
from dupeview.gui.worker import JobRunner
from dupeview.resources import set_icons
from dupeview.settings import Settings, SettingsStore

log = logging.getLogger(__name__)
SCAN_FIELDS = ("exclude_patterns", "exclude_dirs", "min_size", "include_hidden", "follow_symlinks", "default_excludes")


def decisions_beside(cache_path: str | None) -> str:
    """Next to the cache a test or portable install chose (../data); else the user's data folder."""
    if cache_path is None:
        return str(paths.decisions_db())
    return os.path.join(os.path.dirname(os.path.dirname(cache_path)), "data", "decisions.sqlite3")


class MainWindow(QMainWindow):
    """Renders one Session: its folders, progress, groups and marks; every decision is the Session's."""

    def __init__(self, *, settings_store: SettingsStore | None = None, cache_path: str | None = None,
                 workers: int | None = None, action_log_path: str | None = None, decisions_path: str | None = None,
                 folders: Iterable[str] = ()) -> None:
        super().__init__()
        self.setWindowTitle("dupeview")   # the app's name alone: Qt adds it to any other title
        self.store = settings_store or SettingsStore()
        self.settings: Settings = self.store.load()
        self.saver = SettingsSaver(self.store, parent=self)
        self.workers = workers
        self.cache_path = str(cache_path if cache_path is not None else paths.cache_db())
        self.runner = JobRunner(self)
        self.session = Session(cache_path=self.cache_path, decisions_path=decisions_path or decisions_beside(cache_path),
                               action_log_path=action_log_path,
                               options=review_options(self.settings, workers), runner=self.runner)
        self.loader = ThumbnailLoader(self)
        self.opener = desktop.Desktop(self)   # open in viewer, reveal: says what is missing when it can't
        self.compare_dialog: CompareDialog | None = None
        self._shut = False
        self._build()
        self._connect()
        self.sidebar.folders.set_folders(self.saver.session_folders(self.settings.folders, folders))
        self._restore_geometry()
        self.empty.show_folders(len(self.settings.folders))
        self.update_actions()
        if self.store.problem:
            self.message.show_message(self.tr("Settings were reset: {why}").format(why=self.store.problem), "warning")
        self.session.start()
        self.review = ReviewKeeper(self, restore=not folders)   # the last review, unless folders were given

    # -- building -------------------------------------------------------------------
    def _build(self) -> None:
        self.setAcceptDrops(True)
        self.sidebar = Sidebar(self.settings, self)
        self.folders, self.similarity, self.keep_rules = self.sidebar.folders, self.sidebar.similarity, self.sidebar.keep_rules
        self.scan_button = self.sidebar.scan_button
        self.empty = EmptyPage(self)
        self.scanning = ScanningPage(self)
        self.results = ResultsPage(self.session, self.loader, self)
        content = Content((self.empty, self.scanning, self.results), self)
        self.message, self.pages = content.message, content.pages
        self.splitter = side_by_side(self.sidebar, content, self)
        self.setCentralWidget(self.splitter)
        self.skipped_button = flat_button(self.tr("Files that were not compared, and why"), self)
        self.statusBar().addPermanentWidget(self.skipped_button)
        self.act = commands.build(self, self.results.body, self._slots())
        commands.build_menus(self.menuBar(), self.act)
        action_flow.fill_more_menu(self.results.more_button, self.act)
        self.theme_actions = commands.build_theme_menu(self.menuBar(), self.settings.theme, self.set_theme)
        commands.fill(self.menuBar().addMenu(commands.tr(commands.HELP_MENU[0])), self.act, commands.HELP_MENU[1])
        r = self.results
        set_icons((self.scan_button, "scan"), (self.empty.add_button, "add-folder"), (self.empty.scan_button, "scan"),
                  (self.scanning.cancel_button, "cancel"), (r.auto_button, "auto-mark"), (r.clear_button, "clear-marks"),
                  (r.trash_button, "trash"))
        self.apply_palette()

    def _slots(self) -> dict[str, Callable[[], object]]:
        s, r = self.session, self.results
        return {
            "add": self.folders.choose_folder, "scan": self.start_scan, "cancel": s.cancel_scan,
            "skipped": self.show_skipped, "settings": self.show_settings, "quit": self.close,
            "undo": self.undo_trash, "auto": self.auto_mark, "clear": s.clear_marks, "trash": self.trash_marked,
            "log": s.read_action_log, "next": lambda: self.step_group(1), "prev": lambda: self.step_group(-1),
            "right": lambda: r.group_view.move_current(1, s.marks), "left": lambda: r.group_view.move_current(-1, s.marks),
            "toggle": lambda: self._with_member(self._toggle), "keep": lambda: self._with_member(s.keep_only),
            "compare": self.compare_current, "open": lambda: self._with_path(self.opener.open_file),
            "reveal": lambda: self._with_path(self.opener.reveal), "copy": lambda: self._with_path(desktop.copy_path),
            "dismiss_group": self.dismiss_group, "dismiss_member": lambda: self._with_member(self.dismiss_member),
            "shortcuts": lambda: show_shortcuts(self, commands.shortcut_rows(self.act)), "about": lambda: show_about(self),
            **action_flow.slots(self, self),
        }

    def _connect(self) -> None:
        s, e, r = self.session, self.session.events, self.results
        self.folders.changed.connect(self._on_folders_changed)
        self.scan_button.clicked.connect(self.start_scan)
        self.empty.add_button.clicked.connect(self.folders.choose_folder)
        self.empty.scan_button.clicked.connect(self.start_scan)
        self.empty.dropped.connect(self.folders.add_folders)
        self.scanning.cancel_button.clicked.connect(s.cancel_scan)
        self.similarity.threshold_changed.connect(lambda t: self._change(threshold=t))
        self.similarity.matching_changed.connect(lambda a, rot: self._change(algorithm=a, rotations=rot))
        self.keep_rules.changed.connect(lambda rules: self._change(keep_rules=list(rules)))
        r.group_view.mark_toggled.connect(self._on_mark_toggled)
        r.group_view.compare_requested.connect(self.compare)
        r.group_view.menu_requested.connect(self._member_menu)
        r.auto_button.clicked.connect(self.auto_mark)
        r.clear_button.clicked.connect(s.clear_marks)
        r.trash_button.clicked.connect(self.trash_marked)
        self.skipped_button.clicked.connect(self.show_skipped)
        self.opener.failed.connect(lambda text: self.message.show_message(text, "warning"))
        self.saver.failed.connect(lambda why: self.statusBar().showMessage(
            self.tr("Settings could not be saved: {why}").format(why=why), 8000))
        e.scan_started.connect(lambda _: self._on_scan_started())
        e.scan_progressed.connect(self.scanning.show_progress)
        e.scanned.connect(self._on_scanned)
        e.scan_cancelled.connect(self._on_cancelled)
        e.failed.connect(lambda message: self._on_failed(engine_words.failure(message)))
        e.groups_changed.connect(self._on_groups_changed)
        e.marks_changed.connect(r.refresh_marks)
        e.marks_changed.connect(lambda _: self.update_actions())
        e.action_progressed.connect(lambda p: action_flow.show_progress(self, p))
        e.acted.connect(self._on_acted)
        e.undone.connect(lambda o: action_flow.show_undone(self, self, o))
        e.action_log_read.connect(lambda entries: action_flow.show_action_log(self, self, entries))
        e.busy_changed.connect(lambda _: self.update_actions())
        e.undo_changed.connect(lambda _: self.update_actions())
        e.widening_stopped.connect(self.similarity.set_threshold)   # back to the loosest step searched
        view_settings.connect(self, r.bar, self._change)

    # -- settings and folders ----------------------------------------------------------
    def _restore_geometry(self) -> None:
        if self.settings.window_geometry:
            self.restoreGeometry(QByteArray.fromBase64(self.settings.window_geometry.encode("ascii")))
        else:   # the first start: the preferred size, within the screen (a 1024x700 laptop) less a title bar
            free = self.screen().availableGeometry()
            self.resize(min(1280, free.width()), min(820, free.height() - 32))
        if self.settings.window_state:
            self.splitter.restoreState(QByteArray.fromBase64(self.settings.window_state.encode("ascii")))

    def save_settings(self) -> None:
        self.saver.request(self.settings)

    def _change(self, **fields: object) -> None:
        """Some settings changed: save them (later, off this thread) and tell the Session."""
        self.settings = dataclasses.replace(self.settings, **fields)  # type: ignore[arg-type]
        self.apply_settings()

    def apply_settings(self, announce_rescan: bool = False) -> None:
        self.save_settings()
        needs_scan = self.session.set_options(review_options(self.settings, self.workers))
        if needs_scan and announce_rescan:
            self.message.show_message(self.tr("Scan options changed: scan again to apply them."), "info",
                                      (self.tr("Scan now"), self.start_scan))
        self.update_actions()

    def _on_folders_changed(self) -> None:
        before = self.session.options.roots
        self.settings.folders = self.folders.folders()
        self.empty.show_folders(len(self.settings.folders))
        self.apply_settings()
        if self.session.has_results and any(f not in before for f in self.settings.roots):
            self.statusBar().showMessage(self.tr("Scan again to include the new folders."), 8000)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if dropped_folders(event):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        folders = dropped_folders(event)
        if folders:
            event.acceptProposedAction()
            self.folders.add_folders(folders)

    # -- scanning --------------------------------------------------------------------------
    def start_scan(self) -> None:
        if self.session.scanning:
            return
        self.message.hide()   # an old notice ("Scan cancelled…") is not about this scan
        if not self.settings.folders:
            self.message.show_message(self.tr("Add at least one folder to search first."), "info")
            return
        missing = [display_path(f.path)[0] for f in self.settings.folders if not os.path.isdir(f.path)]
        if missing:
            self.message.show_message(self.tr("These folders do not exist (any more) and will be skipped: ")
                                      + ", ".join(missing[:3]) + ("…" if len(missing) > 3 else ""), "warning")
        self.session.scan()

    def _on_scan_started(self) -> None:
        self.scanning.reset()
        self.pages.setCurrentIndex(PAGE_SCANNING)
        self.update_actions()

    def _on_scanned(self, result: Scanned) -> None:
        self.loader.clear()  # files may have changed since they were last shown
        self.pages.setCurrentIndex(PAGE_RESULTS)
        lib = result.library
        self.statusBar().showMessage(scanned_text(result), 15000)
        text = coverage_message(lib)   # "312 videos and 4 other files were not compared"
        self.skipped_button.setText(text)
        self.skipped_button.setVisible(bool(text))
        for w in lib.warnings:
            self.message.show_message(w, "warning")
        if len(self.session.groups):
            self.results.group_list.setFocus()

    def _on_cancelled(self, hashed: int) -> None:
        self._back_from_scan()
        self.message.show_message(cancelled_text(hashed), "info", (self.tr("Scan again"), self.start_scan))

    def _on_failed(self, message: str) -> None:
        if self.pages.currentIndex() == PAGE_SCANNING and not self.session.scanning:
            self._back_from_scan()
        self.statusBar().clearMessage()
        self.message.show_message(message, "error")

    def _back_from_scan(self) -> None:
        self.pages.setCurrentIndex(PAGE_RESULTS if self.session.has_results else PAGE_EMPTY)
        self.update_actions()

    def _on_groups_changed(self, change: GroupsChanged) -> None:
        if change.cause == "restore":
            self.pages.setCurrentIndex(PAGE_RESULTS)
        self.results.show_groups(keep_selection=change.cause != "scan", later=change.cause == "scan")
        self.update_actions()

    def _on_acted(self, outcome: ActionOutcome) -> None:
        self.loader.forget(set(outcome.done))
        action_flow.show_acted(self, self, outcome)

    # -- marks and members ----------------------------------------------------------------------
    def current_group(self) -> Group | None:
        return self.results.current_group()

    def step_group(self, step: int) -> None:
        self.results.step(step)
        self.update_actions()

    def _with_member(self, fn: Callable[[Member], object]) -> None:
        m = self.results.current_member()
        if m is not None:
            fn(m)

    def _with_path(self, fn: Callable[[str], object]) -> None:
        self._with_member(lambda m: fn(self.session.path(m)))

    def _on_mark_toggled(self, member: Member, on: bool) -> None:
        reason = self.session.mark(member, on)
        if reason:
            self.statusBar().showMessage(self.tr("Not marked: {why}.").format(why=reason), 6000)
            self.results.refresh_marks(None)   # the check box was clicked: put it back

    def _toggle(self, member: Member) -> None:
        self._on_mark_toggled(member, not self.session.marks.is_marked(member.index))

    def auto_mark(self) -> None:
        n = self.session.auto_mark()
        self.statusBar().showMessage(self.tr("Marked {n} copies: the best copy of each group is kept.").format(
            n=i18n.number(n)), 6000)

    def compare_current(self) -> None:
        g, m = self.current_group(), self.results.current_member()
        if g is not None and m is not None and len(g.members) > 1:
            self.compare(g.keeper if m is not g.keeper else g.members[1], m)

    def compare(self, a: Member, b: Member) -> None:
        g = self.current_group()
        if g is not None and a in g.members and b in g.members:
            if self.compare_dialog is not None:
                self.compare_dialog.close()
            self.compare_dialog = CompareDialog.show_pair(self.loader, self.session, g, a, b, self)
            self.compare_dialog.destroyed.connect(lambda *_: setattr(self, "compare_dialog", None))

    def _member_menu(self, member: Member, pos: QPoint) -> None:
        g = self.current_group()
        if g is None:
            return
        self.results.select_member(member)
        labels, enabled = commands.member_wording(self.session.marks, g, member)
        commands.show_member_menu(self, self.act, labels, enabled, pos)

    # -- not duplicates and actions ---------------------------------------------------------------
    def dismiss_group(self) -> None:
        g = self.current_group()
        if g is not None:
            n = self.session.dismiss_group(g)
            self.statusBar().showMessage(self.tr("The {n} pictures of this group will not be shown as duplicates "
                                                 "again.").format(n=n), 6000)

    def dismiss_member(self, member: Member) -> None:
        g = self.current_group()
        if g is not None:
            path = self.session.dismiss_member(g, member)
            self.statusBar().showMessage(self.tr("{name} will not be shown with these pictures again.").format(
                name=os.path.basename(path)), 6000)

    def trash_marked(self) -> None:
        action_flow.confirm_and_apply(self, self)

    def undo_trash(self) -> None:
        action_flow.undo(self)

    # -- dialogs ------------------------------------------------------------------------------
    def show_skipped(self) -> None:
        dialog = not_compared_dialog(self.session.library, self)
        if dialog is not None:
            dialog.exec()
        else:
            self.statusBar().showMessage(self.tr("Every file was compared."), 4000)

    def show_settings(self) -> None:
        dialog = SettingsDialog(self.settings, self)
        if dialog.exec() == SettingsDialog.DialogCode.Accepted:
            before, self.settings = self.settings, dialog.result_settings()
            self.apply_settings(announce_rescan=any(getattr(before, f) != getattr(self.settings, f) for f in SCAN_FIELDS))

    def set_theme(self, theme: str) -> None:
        self.settings.theme = theme
        self.save_settings()
        self.theme_actions[theme].setChecked(True)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            apply_theme(app, theme)
        self.apply_palette()

    def apply_palette(self) -> None:
        """Re-derive the style sheets that use palette colours (after a theme change)."""
        self.setStyleSheet(card_style(QApplication.palette()))
        self.message.restyle()

    # -- state ------------------------------------------------------------------------------
    def update_actions(self) -> None:
        s, r = self.session, self.results
        idle, marked, can_scan = not s.busy, len(s.marks) > 0, bool(self.settings.folders)
        commands.enable(self.act, s, has_group=self.results.has_group(), can_scan=can_scan)
        for w, on in ((self.scan_button, can_scan), (self.empty.scan_button, can_scan), (r.trash_button, marked),
                      (r.more_button, marked), (r.auto_button, len(s.groups) > 0), (r.clear_button, marked)):
            w.setEnabled(idle and on)
        for part in (self.similarity, self.keep_rules, self.folders):
            part.setEnabled(not s.scanning)
        self.scan_button.setText(self.tr("Scan again") if s.has_results else self.tr("Scan for duplicates"))
        permanent = self.settings.permanent_delete
        r.trash_button.setText(self.tr("Delete marked…") if permanent else self.tr("Trash marked…"))
        self.act["trash"].setText(self.tr("&Delete marked permanently…") if permanent else self.tr("&Trash marked…"))

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._shut:   # a second close (a test's teardown) finds the settings saver stopped
            self.settings.window_geometry = bytes(self.saveGeometry().toBase64().data()).decode("ascii")
            self.settings.window_state = bytes(self.splitter.saveState().toBase64().data()).decode("ascii")
            self.save_settings()
            self.shutdown()
        super().closeEvent(event)

    def shutdown(self) -> None:
        """Stop this window's threads, save the settings, let go of the library (its connections outlive it); twice is safe."""
        if self._shut:
            return
        self._shut = True
        for part in (self.review, self.runner, self.loader, self.saver, self.results, self.session):
            part.shutdown()
