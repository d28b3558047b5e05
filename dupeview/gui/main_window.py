"""The main window: folders and options on the left, groups and their copies on the right, all wired up."""

from __future__ import annotations

import itertools
import logging
import os
from collections.abc import Iterable

from PySide6.QtCore import QByteArray, QItemSelectionModel, QModelIndex, QPoint, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QDragEnterEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListView,
    QMainWindow,
    QMenu,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from dupeview import paths
from dupeview.core.cache import FingerprintCache
from dupeview.core.discovery import DiscoveryOptions
from dupeview.core.grouping import (
    DEFAULT_MAX_DISTANCE,
    FLAT_CONTRAST,
    Group,
    GroupList,
    GroupOptions,
    Matcher,
    MatchOptions,
    Member,
)
from dupeview.core.keeper import KeepPolicy
from dupeview.core.progress import Progress
from dupeview.core.records import Library, merge, only_paths, with_records, without_paths
from dupeview.core.report import coverage_message, display_path, human_bytes
from dupeview.core.scanner import ScanSettings
from dupeview.gui import desktop
from dupeview.gui.compare import CompareDialog
from dupeview.gui.dialogs import ActionLogDialog, ConfirmTrashDialog, FailuresDialog, not_compared_dialog
from dupeview.gui.folders import FolderPanel, dropped_folders, take_folder_drop
from dupeview.gui.group_model import LIST_CHANNEL, GroupDelegate, GroupModel
from dupeview.gui.group_view import GroupView, card_style
from dupeview.gui.keep_rules import KeepRules
from dupeview.gui.marks import Marks
from dupeview.gui.scan_controller import Regrouped, ScanController, ScanRequest, ScanResult
from dupeview.gui.settings_dialog import SettingsDialog
from dupeview.gui.similarity import SimilarityControl
from dupeview.gui.thumbnails import ThumbnailLoader
from dupeview.resources import icon, set_icons
from dupeview.settings import Settings, SettingsStore

log = logging.getLogger(__name__)

PAGE_EMPTY, PAGE_SCANNING, PAGE_RESULTS = 0, 1, 2
ALL_PAIRS_LIMIT = 60   # "not duplicates" on a bigger group stores only the pairs that are actual matches


def _trash_api() -> object | None:
    """The trash controller module, or None while dupeview.core.actions is not installed."""
    try:
        from dupeview.gui import trash_controller
    except ModuleNotFoundError as exc:
        if exc.name == "dupeview.core.actions":
            return None
        raise
    return trash_controller


def human_duration(seconds: float) -> str:
    if seconds < 60:
        return f"{max(1, round(seconds))} s"
    if seconds < 3600:
        return f"{round(seconds / 60)} min"
    return f"{seconds / 3600:.1f} h"


class MessageBar(QFrame):
    """A dismissible one-line notice above the content (scan cancelled, settings reset, files trashed)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("messageBar")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 6, 6)
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.label, 1)
        self.action_button = QPushButton(self)
        self.action_button.hide()
        layout.addWidget(self.action_button)
        close = QToolButton(self)
        close.setText("✕")
        close.setAutoRaise(True)
        close.setToolTip("Dismiss")
        close.clicked.connect(self.hide)
        layout.addWidget(close)
        self._action: object = None
        self.action_button.clicked.connect(self._run_action)
        self.hide()

    def show_message(self, text: str, kind: str = "info", action: tuple[str, object] | None = None) -> None:
        colors = {"info": ("#1f6fb2", "#e8f1fb"), "warning": ("#a86b00", "#fff4de"), "error": ("#b3261e", "#fdeceb"),
                  "success": ("#2f7d46", "#e6f4ea")}
        fg, bg = colors.get(kind, colors["info"])
        self.setStyleSheet(f"QFrame#messageBar {{ background: {bg}; border: 1px solid {fg}; border-radius: 6px; }}"
                           f"QFrame#messageBar QLabel {{ color: #202020; }}")
        self.label.setText(text)
        if action is not None:
            self.action_button.setText(action[0])
            self._action = action[1]
            self.action_button.show()
        else:
            self._action = None
            self.action_button.hide()
        self.show()

    def _run_action(self) -> None:
        if callable(self._action):
            self._action()
        self.hide()


class DropPage(QWidget):
    """A page that takes folders dropped on it."""

    dropped = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAcceptDrops(True)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802
        if dropped_folders(event):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802
        take_folder_drop(event, self.dropped)


class MainWindow(QMainWindow):
    """Owns the controllers and the state: library, matcher, groups, marks, dismissed pairs."""

    def __init__(self, *, settings_store: SettingsStore | None = None, cache_path: str | None = None,
                 workers: int | None = None, action_log_path: str | None = None,
                 folders: Iterable[str] = ()) -> None:
        super().__init__()
        self.setWindowTitle("dupeview — duplicate photos")
        self.store = settings_store or SettingsStore()
        self.settings: Settings = self.store.load()
        self.cache_path = str(cache_path if cache_path is not None else paths.cache_db())
        self.workers = workers
        self.library = Library()
        self.matcher: Matcher | None = None
        self.marks = Marks()
        self.dismissed: set[tuple[str, str]] = set()
        self._aside = Library()          # records of trashed files, for Undo
        self._last_progress: Progress | None = None
        self._scan_roots: tuple[str, ...] = ()
        self._compare: CompareDialog | None = None
        self._cache: FingerprintCache | None = None

        self.loader = ThumbnailLoader(self)
        self.controller = ScanController(self.cache_path, self)
        trash_api = _trash_api()
        self.trash_controller = trash_api.TrashController(self.cache_path, action_log_path, self) \
            if trash_api is not None else None
        self._trash_api = trash_api

        self._build_ui()
        self._build_actions()
        self._connect()
        self._load_dismissed()
        self.folders.set_folders(self.settings.folders)
        if folders:
            self.folders.add_folders(list(folders))
        self._restore_geometry()
        self._update_empty_page()
        self._update_actions()
        if self.store.problem:
            self.message.show_message(f"Settings were reset: {self.store.problem}", "warning")

    # -- building -------------------------------------------------------------------
    def _build_ui(self) -> None:
        self.setAcceptDrops(True)
        side = QWidget(self)
        side.setObjectName("sidebar")
        sl = QVBoxLayout(side)
        sl.setContentsMargins(10, 10, 10, 10)
        sl.setSpacing(10)
        title = QLabel("<b>Folders to search</b>", side)
        sl.addWidget(title)
        self.folders = FolderPanel(side)
        self.folders.setMinimumHeight(140)
        sl.addWidget(self.folders, 1)
        self.scan_button = QPushButton("Scan for duplicates", side)
        self.scan_button.setObjectName("primary")
        self.scan_button.setToolTip("Look for duplicate and similar photos in the folders above (F5)")
        self.scan_button.setMinimumHeight(34)
        sl.addWidget(self.scan_button)
        sl.addWidget(_line(side))
        self.similarity = SimilarityControl(self.settings.threshold, self.settings.algorithm,
                                            self.settings.rotations, side)
        sl.addWidget(self.similarity)
        sl.addWidget(_line(side))
        self.keep_rules = KeepRules(self.settings.keep_rules, side)
        sl.addWidget(self.keep_rules)
        side_scroll = QScrollArea(self)
        side_scroll.setWidget(side)
        side_scroll.setWidgetResizable(True)
        side_scroll.setFrameShape(QFrame.Shape.NoFrame)
        side.setMinimumWidth(280)
        side_scroll.setMinimumWidth(300)
        side_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

        self.pages = QStackedWidget(self)
        self.pages.addWidget(self._build_empty_page())
        self.pages.addWidget(self._build_scanning_page())
        self.pages.addWidget(self._build_results_page())

        right = QWidget(self)
        rl = QVBoxLayout(right)
        rl.setContentsMargins(8, 8, 8, 0)
        self.message = MessageBar(right)
        rl.addWidget(self.message)
        rl.addWidget(self.pages, 1)

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(side_scroll)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([320, 1000])
        self.setCentralWidget(self.splitter)

        self.skipped_button = QPushButton(self)
        self.skipped_button.setFlat(True)
        self.skipped_button.setToolTip("Files that were not compared, and why")
        self.skipped_button.hide()
        self.statusBar().addPermanentWidget(self.skipped_button)
        self.resize(1280, 820)
        self.setStyleSheet(card_style(QApplication.palette()))

    def _build_empty_page(self) -> QWidget:
        page = DropPage(self)
        page.dropped.connect(self._add_folders)
        layout = QVBoxLayout(page)
        layout.addStretch(2)
        self.empty_title = QLabel(page)
        self.empty_title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        font = self.empty_title.font()
        font.setPointSizeF(font.pointSizeF() * 1.8)
        font.setBold(True)
        self.empty_title.setFont(font)
        layout.addWidget(self.empty_title)
        self.empty_text = QLabel(page)
        self.empty_text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_text.setWordWrap(True)
        layout.addWidget(self.empty_text)
        row = QHBoxLayout()
        row.addStretch(1)
        self.empty_add = QPushButton("Add folder…", page)
        self.empty_add.setMinimumHeight(36)
        self.empty_scan = QPushButton("Scan for duplicates", page)
        self.empty_scan.setMinimumHeight(36)
        self.empty_scan.setObjectName("primary")
        row.addWidget(self.empty_add)
        row.addWidget(self.empty_scan)
        row.addStretch(1)
        layout.addSpacing(12)
        layout.addLayout(row)
        layout.addStretch(3)
        return page

    def _build_scanning_page(self) -> QWidget:
        page = QWidget(self)
        layout = QVBoxLayout(page)
        layout.addStretch(2)
        self.scan_title = QLabel("Scanning…", page)
        font = self.scan_title.font()
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        self.scan_title.setFont(font)
        self.scan_title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.scan_title)
        self.progress_bar = QProgressBar(page)
        self.progress_bar.setMinimumWidth(420)
        self.progress_bar.setMaximumWidth(640)
        self.progress_bar.setTextVisible(True)
        bar_row = QHBoxLayout()
        bar_row.addStretch(1)
        bar_row.addWidget(self.progress_bar, 3)
        bar_row.addStretch(1)
        layout.addLayout(bar_row)
        self.progress_text = QLabel(page)
        self.progress_text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.progress_text)
        self.progress_file = QLabel(page)
        self.progress_file.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.progress_file.setEnabled(False)
        self.progress_file.setMinimumWidth(100)
        self.progress_file.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        layout.addWidget(self.progress_file)
        row = QHBoxLayout()
        row.addStretch(1)
        self.cancel_button = QPushButton("Cancel", page)
        self.cancel_button.setToolTip("Stop the scan. Files already read are remembered for next time (Esc)")
        self.cancel_button.setMinimumWidth(120)
        row.addWidget(self.cancel_button)
        row.addStretch(1)
        layout.addSpacing(8)
        layout.addLayout(row)
        layout.addStretch(3)
        return page

    def _build_results_page(self) -> QWidget:
        page = QWidget(self)
        self.results_page = page
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        self.results_stack = QStackedWidget(page)
        split = QSplitter(Qt.Orientation.Horizontal, page)
        self.results_splitter = split
        self.group_list = QListView(split)
        self.group_model = GroupModel(self.loader, self.marks, self)
        self.group_list.setModel(self.group_model)
        self.group_list.setItemDelegate(GroupDelegate(self.group_list))
        self.group_list.setUniformItemSizes(True)
        self.group_list.setSelectionMode(QListView.SelectionMode.SingleSelection)
        self.group_list.setVerticalScrollMode(QListView.ScrollMode.ScrollPerPixel)
        self.group_list.setMinimumWidth(240)
        self.group_list.setAccessibleName("Groups of copies")
        self.group_list.setToolTip("")
        self.group_view = GroupView(self.loader, split)
        split.addWidget(self.group_list)
        split.addWidget(self.group_view)
        split.setStretchFactor(0, 0)
        split.setStretchFactor(1, 1)
        split.setSizes([300, 900])
        self.results_stack.addWidget(split)
        self.no_groups = QLabel(page)
        self.no_groups.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.no_groups.setWordWrap(True)
        self.results_stack.addWidget(self.no_groups)
        layout.addWidget(self.results_stack, 1)

        bottom = QHBoxLayout()
        bottom.setContentsMargins(4, 6, 4, 6)
        self.summary = QLabel(page)
        self.summary.setObjectName("summary")
        bottom.addWidget(self.summary, 1)
        self.auto_button = QPushButton("Auto-mark", page)
        self.auto_button.setToolTip("In every group, keep the best copy by the keep rules and mark the rest")
        self.clear_button = QPushButton("Clear marks", page)
        self.clear_button.setToolTip("Unmark every file")
        self.trash_button = QPushButton("Trash marked…", page)
        self.trash_button.setObjectName("danger")
        self.trash_button.setToolTip("Move the marked files to the trash, after you confirm (Delete)")
        for b in (self.auto_button, self.clear_button, self.trash_button):
            b.setMinimumHeight(30)
            bottom.addWidget(b)
        layout.addLayout(bottom)
        return page

    def _build_actions(self) -> None:
        def act(text: str, slot: object, shortcut: str | QKeySequence.StandardKey | list | None = None,
                tip: str = "", scope: QWidget | None = None) -> QAction:
            a = QAction(text, self)
            if shortcut is not None:
                if isinstance(shortcut, list):
                    a.setShortcuts([QKeySequence(s) for s in shortcut])
                else:
                    a.setShortcut(QKeySequence(shortcut))
            if tip:
                a.setToolTip(tip)
                a.setStatusTip(tip)
            a.triggered.connect(slot)
            if scope is not None:
                a.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
                scope.addAction(a)
            else:
                self.addAction(a)
            return a

        rp = self.results_page
        self.act_add = act("&Add folder…", self.folders.choose_folder, QKeySequence.StandardKey.Open, "Add a folder to search")
        self.act_scan = act("&Scan", self.start_scan, "F5", "Scan the folders for duplicates")
        self.act_cancel = act("&Cancel scan", self.controller.cancel, "Esc", "Stop the scan")
        self.act_skipped = act("Files &not compared…", self.show_skipped, None, "Videos, other files and unreadable images")
        self.act_settings = act("Se&ttings…", self.show_settings, QKeySequence.StandardKey.Preferences, "Scan options")
        self.act_quit = act("&Quit", self.close, QKeySequence.StandardKey.Quit)
        self.act_undo = act("&Undo last trash", self.undo_trash, QKeySequence.StandardKey.Undo,
                            "Put the files of the last trash action back")
        self.act_auto = act("&Auto-mark", self.auto_mark, "Ctrl+M", "Keep the best copy in every group, mark the rest")
        self.act_clear = act("&Clear marks", self.clear_marks, "Ctrl+Shift+M", "Unmark every file")
        self.act_trash = act("&Trash marked…", self.trash_marked, [QKeySequence.StandardKey.Delete, "Ctrl+Backspace"],
                             "Move the marked files to the trash")
        self.act_log = act("Action &log…", self.show_action_log, None, "Every trash and undo so far")
        self.act_next = act("&Next group", lambda: self.step_group(1), ["Ctrl+Down", "N", "PgDown"], "Show the next group", rp)
        self.act_prev = act("&Previous group", lambda: self.step_group(-1), ["Ctrl+Up", "P", "PgUp"], "Show the previous group", rp)
        self.act_right = act("Next copy", lambda: self.group_view.move_current(1, self.marks), ["Right", "L"], "", rp)
        self.act_left = act("Previous copy", lambda: self.group_view.move_current(-1, self.marks), ["Left", "H"], "", rp)
        self.act_toggle = act("&Toggle mark", self.toggle_current, "Space", "Mark or unmark the selected copy", rp)
        self.act_keep = act("&Keep this one, mark the rest", self.keep_current, "K",
                            "Keep the selected copy and mark every other copy in the group", rp)
        self.act_compare = act("&Compare with best copy", self.compare_current, "C",
                               "Compare the selected copy with the best copy, large", rp)
        self.act_open = act("&Open in viewer", lambda: self._with_current(desktop.open_file), ["Return", "Enter"],
                            "Open the selected copy in the system's image viewer", rp)
        self.act_reveal = act("&Reveal in file manager", lambda: self._with_current(desktop.reveal), "Ctrl+Shift+R",
                              "Show the selected copy in the file manager", rp)
        self.act_copy = act("Copy &path", lambda: self._with_current(desktop.copy_path), QKeySequence.StandardKey.Copy,
                            "Copy the selected copy's path", rp)
        self.act_dismiss_group = act("&Not duplicates (whole group)", self.dismiss_group, "D",
                                     "These pictures are not copies of each other: never show this group again", rp)
        self.act_dismiss_member = act("Not a duplicate (this &copy)", self.dismiss_current, "Shift+D",
                                      "This copy is a different picture: take it out of the group for good", rp)
        self.act_shortcuts = act("&Keyboard shortcuts", self.show_shortcuts, "F1")
        self.act_about = act("&About dupeview", self.show_about)
        set_icons((self.act_add, "add-folder"), (self.act_scan, "scan"), (self.act_cancel, "cancel"),
                  (self.act_skipped, "skipped"), (self.act_settings, "settings"), (self.act_quit, "quit"),
                  (self.act_undo, "undo"), (self.act_auto, "auto-mark"), (self.act_clear, "clear-marks"),
                  (self.act_trash, "trash"), (self.act_log, "log"), (self.act_next, "go-down"), (self.act_prev, "go-up"),
                  (self.act_left, "go-left"), (self.act_right, "go-right"),
                  (self.act_toggle, "mark"), (self.act_keep, "keep"), (self.act_compare, "compare"),
                  (self.act_open, "open"), (self.act_reveal, "reveal"), (self.act_copy, "copy"),
                  (self.act_dismiss_group, "not-duplicates"), (self.act_dismiss_member, "not-duplicate"),
                  (self.act_shortcuts, "shortcuts"), (self.act_about, "about"),
                  (self.scan_button, "scan"), (self.empty_add, "add-folder"), (self.empty_scan, "scan"),
                  (self.cancel_button, "cancel"), (self.auto_button, "auto-mark"), (self.clear_button, "clear-marks"),
                  (self.trash_button, "trash"))

        menu = self.menuBar()
        m = menu.addMenu("&File")
        for a in (self.act_add, self.act_scan, self.act_cancel, None, self.act_skipped, self.act_settings, None, self.act_quit):
            m.addSeparator() if a is None else m.addAction(a)
        m = menu.addMenu("&Edit")
        for a in (self.act_undo, None, self.act_toggle, self.act_keep, self.act_auto, self.act_clear, None,
                  self.act_trash, None, self.act_log):
            m.addSeparator() if a is None else m.addAction(a)
        m = menu.addMenu("&Group")
        for a in (self.act_next, self.act_prev, self.act_left, self.act_right, None, self.act_compare, self.act_open,
                  self.act_reveal, self.act_copy, None, self.act_dismiss_group, self.act_dismiss_member):
            m.addSeparator() if a is None else m.addAction(a)
        m = menu.addMenu("&View")
        theme_menu = m.addMenu("&Appearance")
        self.theme_actions: dict[str, QAction] = {}
        for name, label in (("system", "Follow the system"), ("light", "Light"), ("dark", "Dark")):
            a = theme_menu.addAction(label)
            a.setCheckable(True)
            a.setChecked(self.settings.theme == name)
            a.triggered.connect(lambda _=False, n=name: self.set_theme(n))
            self.theme_actions[name] = a
        m = menu.addMenu("&Help")
        m.addAction(self.act_shortcuts)
        m.addAction(self.act_about)

    def _connect(self) -> None:
        self.folders.changed.connect(self._on_folders_changed)
        self.scan_button.clicked.connect(self.start_scan)
        self.empty_add.clicked.connect(self.folders.choose_folder)
        self.empty_scan.clicked.connect(self.start_scan)
        self.cancel_button.clicked.connect(self.controller.cancel)
        self.similarity.threshold_changed.connect(self._on_threshold)
        self.similarity.matching_changed.connect(self._on_matching)
        self.keep_rules.changed.connect(self._on_rules)
        self.controller.started.connect(self._on_scan_started)
        self.controller.progressed.connect(self._on_progress)
        self.controller.finished.connect(self._on_scanned)
        self.controller.matched.connect(self._on_matched)
        self.controller.regrouped.connect(self._on_regrouped)
        self.controller.failed.connect(self._on_failed)
        self.controller.cancelled.connect(self._on_cancelled)
        self.group_list.selectionModel().currentChanged.connect(self._on_group_selected)
        self.group_view.mark_toggled.connect(self._on_mark_toggled)
        self.group_view.compare_requested.connect(self.compare)
        self.group_view.menu_requested.connect(self._member_menu)
        self.auto_button.clicked.connect(self.auto_mark)
        self.clear_button.clicked.connect(self.clear_marks)
        self.trash_button.clicked.connect(self.trash_marked)
        self.skipped_button.clicked.connect(self.show_skipped)
        if self.trash_controller is not None:
            self.trash_controller.trashed.connect(self._on_trashed)
            self.trash_controller.restored.connect(self._on_restored)
            self.trash_controller.failed.connect(self._on_trash_failed)
            self.trash_controller.progressed.connect(self._on_trash_progressed)

    # -- settings and folders ----------------------------------------------------------
    def _restore_geometry(self) -> None:
        if self.settings.window_geometry:
            self.restoreGeometry(QByteArray.fromBase64(self.settings.window_geometry.encode("ascii")))
        if self.settings.window_state:
            self.splitter.restoreState(QByteArray.fromBase64(self.settings.window_state.encode("ascii")))

    def save_settings(self) -> None:
        try:
            self.store.save(self.settings)
        except OSError as exc:
            log.warning("cannot save settings: %s", exc)
            self.statusBar().showMessage(f"Settings could not be saved: {exc.strerror or exc}", 8000)

    def _add_folders(self, folders: list[str]) -> None:
        self.folders.add_folders(folders)

    def _on_folders_changed(self) -> None:
        self.settings.folders = self.folders.folders()
        self.save_settings()
        self._update_empty_page()
        self._update_actions()
        if self.matcher is not None:
            new = [f for f in self.settings.roots if f not in self._scan_roots]
            if new:
                self.statusBar().showMessage("Scan again to include the new folders.", 8000)
            self.request_regroup()  # reference folders may have changed

    def _update_empty_page(self) -> None:
        n = len(self.settings.folders)
        if n == 0:
            self.empty_title.setText("Add the folders to search")
            self.empty_text.setText("Choose the folders with your photos — or drop them here.\n"
                                    "Tick Reference for folders whose files must never be touched.")
            self.empty_scan.hide()
        else:
            self.empty_title.setText(f"Ready to search {n} folder{'s' if n != 1 else ''}")
            self.empty_text.setText("Scan to find duplicate and similar photos. Nothing is changed on disk "
                                    "until you confirm.")
            self.empty_scan.show()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802
        if dropped_folders(event):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802
        folders = dropped_folders(event)
        if folders:
            event.acceptProposedAction()
            self._add_folders(folders)

    # -- options -------------------------------------------------------------------------
    def match_options(self) -> MatchOptions:
        return MatchOptions(self.settings.algorithm, self.settings.rotations, DEFAULT_MAX_DISTANCE, FLAT_CONTRAST)

    def group_options(self) -> GroupOptions:
        s = self.settings
        policy = KeepPolicy(rules=tuple(s.keep_rules), preferred_folders=tuple(s.preferred_folders),
                            formats=tuple(f.upper() for f in s.preferred_formats))
        return GroupOptions(threshold=s.threshold, policy=policy, reference_folders=s.reference_folders,
                            only_with_reference=s.only_with_reference, not_duplicates=frozenset(self.dismissed),
                            hide_raw_pairs=s.hide_raw_pairs)

    def scan_request(self) -> ScanRequest:
        s = self.settings
        options = DiscoveryOptions(exclude_dirs=tuple(s.exclude_dirs), exclude_patterns=tuple(s.exclude_patterns),
                                   min_size=s.min_size, include_hidden=s.include_hidden,
                                   follow_symlinks=s.follow_symlinks, default_excludes=s.default_excludes)
        return ScanRequest(ScanSettings(s.roots, options, self.workers), self.match_options(), self.group_options())

    def _on_threshold(self, value: int) -> None:
        self.settings.threshold = value
        self.save_settings()
        self.request_regroup()

    def _on_matching(self, algorithm: str, rotations: bool) -> None:
        self.settings.algorithm, self.settings.rotations = algorithm, rotations
        self.save_settings()
        if self.matcher is not None and not self.controller.scanning:
            self.statusBar().showMessage("Comparing the images again…")
            self.controller.rebuild(self.library, self.match_options(), self.group_options())

    def _on_rules(self, rules: tuple[str, ...]) -> None:
        self.settings.keep_rules = list(rules)
        self.save_settings()
        self.request_regroup()

    def request_regroup(self) -> None:
        if self.matcher is not None and not self.controller.scanning:
            self.controller.regroup(self.matcher, self.group_options())

    # -- scanning --------------------------------------------------------------------------
    def start_scan(self) -> None:
        if self.controller.scanning:
            return
        if not self.settings.folders:
            self.message.show_message("Add at least one folder to search first.", "info")
            return
        missing = [f.path for f in self.settings.folders if not os.path.isdir(f.path)]
        if missing:
            self.message.show_message(
                "These folders do not exist (any more) and will be skipped: "
                + ", ".join(display_path(m)[0] for m in missing[:3]) + ("…" if len(missing) > 3 else ""), "warning")
        self._scan_roots = self.settings.roots
        self.controller.scan(self.scan_request())

    def _on_scan_started(self) -> None:
        self._last_progress = None
        self.scan_title.setText("Looking for images…")
        self.progress_bar.setRange(0, 0)
        self.progress_text.setText("")
        self.progress_file.setText("")
        self.pages.setCurrentIndex(PAGE_SCANNING)
        self.cancel_button.setEnabled(True)
        self.cancel_button.setFocus()
        self._update_actions()

    def _on_progress(self, p: Progress) -> None:
        self._last_progress = p
        if p.phase == "discover":
            self.scan_title.setText("Looking for images…")
            self.progress_bar.setRange(0, 0)
            return
        if p.phase == "match":
            self.scan_title.setText("Comparing fingerprints…")
            self.progress_bar.setRange(0, 0)
            self.progress_text.setText("")
            self.progress_file.setText("")
            return
        self.scan_title.setText("Reading images…")
        if p.total <= 0:
            self.progress_bar.setRange(0, 1)
            self.progress_bar.setValue(1)
            self.progress_text.setText("All images are known from earlier scans.")
            return
        self.progress_bar.setRange(0, p.total)
        self.progress_bar.setValue(p.done)
        parts = [f"{p.done:,} of {p.total:,} files"]
        if p.rate > 0:
            parts.append(f"{p.rate:,.0f} files/s")
        if p.eta is not None and p.done < p.total:
            parts.append(f"about {human_duration(p.eta)} left")
        self.progress_text.setText(" · ".join(parts))
        if p.message:
            shown = display_path(p.message)[0]
            fm = self.progress_file.fontMetrics()
            self.progress_file.setText(fm.elidedText(shown, Qt.TextElideMode.ElideMiddle, max(200, self.pages.width() - 80)))

    def _on_scanned(self, result: ScanResult) -> None:
        self.library = result.library
        self.matcher = result.matcher
        self._aside = Library()
        self.marks.clear()
        self.loader.clear()  # files may have changed since they were last shown
        self._apply_groups(result.groups, keep_selection=False)
        self.pages.setCurrentIndex(PAGE_RESULTS)
        lib = result.library
        n = len(result.groups)
        extra = f"{lib.hashed:,} read, {lib.reused:,} known from before"
        self.statusBar().showMessage(
            f"Scanned {len(lib):,} images ({extra}) in {human_duration(result.seconds)}: "
            f"{n:,} group{'s' if n != 1 else ''} of copies.", 15000)
        self._update_skipped()
        for w in lib.warnings:
            self.message.show_message(w, "warning")
        self._update_actions()
        if self.group_model.rowCount() > 0:
            self.group_list.setFocus()

    def _on_cancelled(self, hashed: int) -> None:
        self._back_from_scan()
        saved = (f"The {hashed:,} image{'s' if hashed != 1 else ''} read so far "
                 "are remembered: the next scan will not read them again.") if hashed else ""
        self.message.show_message(f"Scan cancelled. {saved}", "info", ("Scan again", self.start_scan))

    def _on_failed(self, message: str) -> None:
        if self.pages.currentIndex() == PAGE_SCANNING and not self.controller.scanning:
            self._back_from_scan()
        self.statusBar().clearMessage()
        self.message.show_message(message, "error")
        self._update_actions()

    def _back_from_scan(self) -> None:
        self.pages.setCurrentIndex(PAGE_RESULTS if self.matcher is not None else PAGE_EMPTY)
        self._update_actions()

    def _update_skipped(self) -> None:
        text = coverage_message(self.library)  # "312 videos and 4 other files were not compared"
        self.skipped_button.setText(text)
        self.skipped_button.setVisible(bool(text))

    # -- groups ---------------------------------------------------------------------------
    def _on_matched(self, result: ScanResult) -> None:
        if self.controller.scanning:
            return
        self.library = result.library
        self.matcher = result.matcher
        self.statusBar().clearMessage()
        if result.options == self.group_options():
            self._apply_groups(result.groups)
        else:
            self.request_regroup()

    def _on_regrouped(self, result: Regrouped) -> None:
        if result.matcher is not self.matcher:
            return  # grouped with a matcher since replaced
        self._apply_groups(result.groups)

    def _apply_groups(self, groups: GroupList, keep_selection: bool = True) -> None:
        remembered = self._current_path() if keep_selection else None
        member = self.group_view.current_member
        member_path = self.library.records[member.index].path \
            if keep_selection and member is not None and member.index < len(self.library.records) else None
        self.loader.drop_pending(LIST_CHANNEL)
        self.marks.prune(self.library, groups)
        self.group_model.set_groups(self.library, groups)
        row = self.group_model.row_of(remembered) if remembered else None
        if groups:
            self.results_stack.setCurrentIndex(0)
            self._select_row(row if row is not None else 0, member_path)
        else:
            self.group_view.set_group(None, None, self.marks)
            self.results_stack.setCurrentIndex(1)
            t = self.settings.threshold
            self.no_groups.setText(
                "<h2>No duplicates found</h2>"
                f"<p>No two images are within distance {t} of each other"
                + (" (after the pairs you marked as not duplicates)" if self.dismissed else "")
                + ".</p><p>Move the similarity slider towards <i>Loose</i> to find less similar copies.</p>")
        self._update_summary()
        self._update_actions()

    def _current_path(self) -> str | None:
        g = self.current_group()
        return self.library.records[g.keeper.index].path if g is not None else None

    def _select_row(self, row: int, member_path: str | None = None) -> None:
        idx = self.group_model.index(row)
        self._pending_member = member_path
        self.group_list.selectionModel().setCurrentIndex(
            idx, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        self.group_list.scrollTo(idx)
        # setCurrentIndex to the same row emits nothing after a reset: show the group anyway.
        self._show_group(row, member_path)

    def current_group(self) -> Group | None:
        return self.group_view.group

    def current_row(self) -> int:
        idx = self.group_list.currentIndex()
        return idx.row() if idx.isValid() else -1

    def _on_group_selected(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            self._show_group(current.row(), getattr(self, "_pending_member", None))
            self._pending_member = None

    def _show_group(self, row: int, member_path: str | None = None) -> None:
        g = self.group_model.group(row)
        if g is self.group_view.group and g is not None:
            return
        self.group_view.set_group(self.library, g, self.marks, member_path)
        self._update_actions()

    def step_group(self, step: int) -> None:
        n = self.group_model.rowCount()
        if n == 0:
            return
        row = max(0, min(n - 1, self.current_row() + step))
        self._select_row(row)

    # -- marks ------------------------------------------------------------------------------
    def _refresh_marks(self, rows: list[int] | None = None) -> None:
        self.group_view.refresh_marks(self.marks)
        self.group_model.marks_changed(rows)
        self._update_summary()
        self._update_actions()

    def _on_mark_toggled(self, member: Member, on: bool) -> None:
        g = self.current_group()
        if g is None:
            return
        reason = self.marks.set(self.library, g, member, on)
        if reason:
            self.statusBar().showMessage(f"Not marked: {reason}.", 6000)
        self._refresh_marks([self.current_row()])

    def toggle_current(self) -> None:
        g, m = self.current_group(), self.group_view.current_member
        if g is None or m is None:
            return
        path = self.library.records[m.index].path
        self._on_mark_toggled(m, path not in self.marks)

    def keep_current(self) -> None:
        g, m = self.current_group(), self.group_view.current_member
        if g is None or m is None:
            return
        self.marks.keep_only(self.library, g, m)
        self._refresh_marks([self.current_row()])

    def auto_mark(self) -> None:
        self.marks.auto_mark(self.library, self.group_model.groups)
        self._refresh_marks()
        self.statusBar().showMessage(f"Marked {len(self.marks):,} copies: the best copy of each group is kept.", 6000)

    def clear_marks(self) -> None:
        self.marks.clear()
        self._refresh_marks()

    def _update_summary(self) -> None:
        groups = self.group_model.groups
        # The GroupList answers from its arrays; summing over Group objects would build them all.
        n_files = groups.member_count()
        marked = len(self.marks)
        size = self.marks.total_bytes(self.library, groups) if marked else 0
        possible = groups.total_reclaimable()
        self.summary.setText(
            f"<b>{len(groups):,}</b> group{'s' if len(groups) != 1 else ''} · "
            f"<b>{marked:,}</b> of {n_files:,} files marked · <b>{human_bytes(size)}</b> to reclaim"
            + (f" <span style='color:gray'>(Auto-mark: {human_bytes(possible)})</span>" if not marked and possible else ""))

    # -- members ------------------------------------------------------------------------------
    def _with_current(self, fn: object) -> None:
        m = self.group_view.current_member
        if m is not None and callable(fn):
            fn(self.library.records[m.index].path)

    def compare_current(self) -> None:
        g, m = self.current_group(), self.group_view.current_member
        if g is None or m is None or len(g.members) < 2:
            return
        other = g.keeper if m is not g.keeper else g.members[1]
        self.compare(other, m)

    def compare(self, a: Member, b: Member) -> None:
        if self._compare is not None:
            self._compare.close()
        dialog = CompareDialog(self.loader, self.library.records[a.index], self.library.records[b.index], self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.destroyed.connect(lambda *_: setattr(self, "_compare", None))
        self._compare = dialog
        dialog.show()

    def _member_menu(self, member: Member, pos: QPoint) -> None:
        g = self.current_group()
        if g is None:
            return
        path = self.library.records[member.index].path
        menu = QMenu(self)
        marked = path in self.marks
        a = menu.addAction(icon("mark"), "Unmark" if marked else "Mark for trash")
        a.setEnabled(marked or self.marks.refusal(self.library, g, member) is None)
        a.triggered.connect(lambda: self._on_mark_toggled(member, not marked))
        menu.addAction(icon("keep"), "Keep this one, mark the rest").triggered.connect(
            lambda: (self.marks.keep_only(self.library, g, member), self._refresh_marks([self.current_row()])))
        if len(g.members) > 1:
            other = g.keeper if member is not g.keeper else g.members[1]
            label = "Compare with best copy" if member is not g.keeper else "Compare with next copy"
            menu.addAction(icon("compare"), label).triggered.connect(lambda: self.compare(other, member))
        menu.addSeparator()
        menu.addAction(icon("open"), "Open in viewer").triggered.connect(lambda: desktop.open_file(path))
        menu.addAction(icon("reveal"), "Reveal in file manager").triggered.connect(lambda: desktop.reveal(path))
        menu.addAction(icon("copy"), "Copy path").triggered.connect(lambda: desktop.copy_path(path))
        menu.addSeparator()
        menu.addAction(icon("not-duplicate"), "Not a duplicate (take out of this group)").triggered.connect(
            lambda: self.dismiss_member(member))
        menu.addAction(icon("not-duplicates"), "Not duplicates (whole group)").triggered.connect(self.dismiss_group)
        menu.exec(pos)

    # -- not duplicates -----------------------------------------------------------------------
    def _open_cache(self) -> FingerprintCache:
        if self._cache is None:
            self._cache = FingerprintCache(self.cache_path)
        return self._cache

    def _load_dismissed(self) -> None:
        try:
            self.dismissed = set(self._open_cache().not_duplicates())
        except Exception:  # noqa: BLE001 - the cache recovers itself; no dismissals is a safe fallback
            log.exception("cannot read not-duplicate pairs")
            self.dismissed = set()

    def _dismiss(self, pairs: set[tuple[str, str]], what: str) -> None:
        if not pairs:
            return
        try:
            self._open_cache().add_not_duplicates(pairs)
        except Exception as exc:  # noqa: BLE001
            log.exception("cannot store not-duplicate pairs")
            self.message.show_message(f"Could not remember this choice: {exc}", "error")
        self.dismissed |= pairs
        self.statusBar().showMessage(what, 6000)
        self.request_regroup()

    def dismiss_group(self) -> None:
        g = self.current_group()
        if g is None or self.matcher is None:
            return
        paths_ = [self.library.records[m.index].path for m in g.members]
        if len(paths_) <= ALL_PAIRS_LIMIT:
            pairs = set(itertools.combinations(paths_, 2))
        else:
            members = {m.index for m in g.members}
            pairs = {(self.library.records[int(i)].path, self.library.records[int(j)].path)
                     for i, j in zip(self.matcher.i, self.matcher.j, strict=False) if int(i) in members and int(j) in members}
        self._dismiss(pairs, f"The {len(paths_)} pictures of this group will not be shown as duplicates again.")

    def dismiss_member(self, member: Member) -> None:
        g = self.current_group()
        if g is None:
            return
        path = self.library.records[member.index].path
        pairs = {(path, self.library.records[m.index].path) for m in g.members if m is not member}
        self._dismiss(pairs, f"{os.path.basename(path)} will not be shown with these pictures again.")

    def dismiss_current(self) -> None:
        m = self.group_view.current_member
        if m is not None:
            self.dismiss_member(m)

    # -- trash -------------------------------------------------------------------------------
    def group_paths(self) -> list[list[str]]:
        return [[self.library.records[m.index].path for m in g.members] for g in self.group_model.groups]

    def trash_marked(self) -> None:
        if self.trash_controller is None or self._trash_api is None:
            self.message.show_message("Moving files to the trash is not available in this build.", "error")
            return
        if self.trash_controller.busy or self.controller.busy:
            return
        groups = self.group_paths()
        in_groups = {p for g in groups for p in g}
        marked = [p for p in sorted(self.marks.paths) if p in in_groups]
        if not marked:
            self.statusBar().showMessage("Nothing is marked. Mark copies with Space, K or Auto-mark.", 6000)
            return
        refused = self._trash_api.refusals(groups, marked)
        note = ""
        if refused:
            marked = [p for p in marked if p not in refused]
            note = (f"{len(refused)} marked file(s) are left out: they are every copy of their group, "
                    "and one copy is always kept.")
        if not marked:
            self.message.show_message(note, "warning")
            return
        by_path = {r.path: r for r in self.library.records}
        total = sum(by_path[p].size for p in marked)
        dialog = ConfirmTrashDialog(marked, total, self.settings.permanent_delete, note, self)
        if dialog.exec() != ConfirmTrashDialog.DialogCode.Accepted:
            return
        removals = [self._trash_api.removal(by_path[p]) for p in marked]
        self._trash_permanent = self.settings.permanent_delete
        # Records, not paths: each file and its kept copy are re-verified by identity and digest.
        records = [[self.library.records[m.index] for m in g.members] for g in self.group_model.groups]
        self.trash_controller.trash(removals, records, self.settings.permanent_delete)
        verb = "Deleting" if self.settings.permanent_delete else "Moving"
        self.statusBar().showMessage(f"{verb} {len(removals):,} files…")
        self._update_actions()

    def _on_trash_progressed(self, p: Progress) -> None:
        verb = "Deleting" if getattr(self, "_trash_permanent", False) else "Moving to the trash"
        self.statusBar().showMessage(f"{verb}: {p.done:,} of {p.total:,} files…")

    def _on_trashed(self, outcomes: list) -> None:
        done = {o.path for o in outcomes if o.ok}
        failed = [(o.path, o.reason or "unknown reason") for o in outcomes if not o.ok]
        permanent = getattr(self, "_trash_permanent", False)
        if done:
            freed = sum(r.size for r in self.library.records if r.path in done)
            if not permanent:
                self._aside = merge(self._aside, only_paths(self.library, done))
            self.library = without_paths(self.library, done)
            self.marks.discard(done)
            self.loader.forget(done)
            self.controller.rebuild(self.library, self.match_options(), self.group_options())
            verb = "Deleted" if permanent else "Moved"
            where = "" if permanent else " to the trash"
            self.message.show_message(
                f"{verb} {len(done):,} file{'s' if len(done) != 1 else ''} ({human_bytes(freed)}){where}.",
                "success", None if permanent or not self._undo_possible() else ("Undo", self.undo_trash))
        self.statusBar().clearMessage()
        self._update_actions()
        if failed:
            FailuresDialog("Some files were not moved",
                           f"{len(failed)} file{'s' if len(failed) != 1 else ''} could not be "
                           f"{'deleted' if permanent else 'moved to the trash'}. They are unchanged.",
                           failed, self).exec()

    def _undo_possible(self) -> bool:
        return self.trash_controller is not None and self.trash_controller.undo_available()

    def undo_trash(self) -> None:
        if self.trash_controller is None or not self._undo_possible():
            self.statusBar().showMessage("There is nothing to undo.", 5000)
            return
        self.trash_controller.undo()
        self.statusBar().showMessage("Restoring files from the trash…")
        self._update_actions()

    def _on_restored(self, outcomes: list) -> None:
        back = {o.path for o in outcomes if o.ok}
        failed = [(o.path, o.reason or "unknown reason") for o in outcomes if not o.ok]
        self.statusBar().clearMessage()
        if back:
            known = {r.path for r in self._aside.records}
            self.library = with_records(self.library, self._aside, back)
            self._aside = without_paths(self._aside, back)
            self.controller.rebuild(self.library, self.match_options(), self.group_options())
            unknown = back - known
            tail = " Scan again to see them in the groups." if unknown else ""
            self.message.show_message(f"Restored {len(back):,} file{'s' if len(back) != 1 else ''} "
                                      f"from the trash.{tail}", "success")
        elif not failed:
            self.message.show_message("There was nothing to restore.", "info")
        self._update_actions()
        if failed:
            FailuresDialog("Some files were not restored",
                           f"{len(failed)} file(s) could not be put back.", failed, self).exec()

    def _on_trash_failed(self, message: str) -> None:
        self.statusBar().clearMessage()
        self.message.show_message(message, "error")
        self._update_actions()

    # -- dialogs ------------------------------------------------------------------------------
    def show_skipped(self) -> None:
        dialog = not_compared_dialog(self.library, self)
        if dialog is None:
            self.statusBar().showMessage("Every file was compared.", 4000)
            return
        dialog.exec()

    def show_settings(self) -> None:
        dialog = SettingsDialog(self.settings, self)
        if dialog.exec() == SettingsDialog.DialogCode.Accepted:
            before = self.settings
            self.settings = dialog.result_settings()
            self.save_settings()
            scan_fields = ("exclude_patterns", "exclude_dirs", "min_size", "include_hidden", "follow_symlinks",
                           "default_excludes")
            if self.matcher is not None and any(getattr(before, f) != getattr(self.settings, f) for f in scan_fields):
                self.message.show_message("Scan options changed: scan again to apply them.", "info",
                                          ("Scan now", self.start_scan))
            group_fields = ("preferred_folders", "preferred_formats", "only_with_reference", "hide_raw_pairs")
            if self.matcher is not None and any(getattr(before, f) != getattr(self.settings, f) for f in group_fields):
                self.request_regroup()  # keepers and the shown groups follow at once, no rescan

    def show_action_log(self) -> None:
        if self.trash_controller is None:
            self.message.show_message("The action log is not available in this build.", "error")
            return
        try:
            entries = self.trash_controller.action_log().entries()
        except Exception as exc:  # noqa: BLE001
            log.exception("cannot read the action log")
            self.message.show_message(f"The action log could not be read: {exc}", "error")
            return
        dialog = ActionLogDialog(entries, self._undo_possible(), self)
        if dialog.exec() == 2:
            self.undo_trash()

    def show_shortcuts(self) -> None:
        rows = [(a.text().replace("&", ""), a.shortcut().toString(QKeySequence.SequenceFormat.NativeText))
                for a in (self.act_next, self.act_prev, self.act_left, self.act_right, self.act_toggle, self.act_keep,
                          self.act_auto, self.act_trash, self.act_undo, self.act_compare, self.act_open,
                          self.act_reveal, self.act_copy, self.act_dismiss_group, self.act_dismiss_member,
                          self.act_scan, self.act_cancel)]
        text = "<table>" + "".join(f"<tr><td><b>{k}</b>&nbsp;&nbsp;</td><td>{t}</td></tr>" for t, k in rows) + \
            "</table><p>In the compare window: hold Space to flip, F to fit, 1 for real size, wheel to zoom.</p>"
        QMessageBox.information(self, "Keyboard shortcuts", text)

    def show_about(self) -> None:
        from dupeview import __version__
        QMessageBox.about(self, "About dupeview",
                          f"<b>dupeview {__version__}</b><p>Find duplicate and near-duplicate photos, "
                          "compare them side by side, and send the extra copies to the trash.</p>")

    def set_theme(self, theme: str) -> None:
        from dupeview.gui.app import apply_theme

        self.settings.theme = theme
        self.save_settings()
        for name, a in self.theme_actions.items():
            a.setChecked(name == theme)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            apply_theme(app, theme)
        self.apply_palette()

    def apply_palette(self) -> None:
        """Re-derive the style sheets that use palette colours (after a theme change)."""
        self.setStyleSheet(card_style(QApplication.palette()))

    # -- state ------------------------------------------------------------------------------
    def _update_actions(self) -> None:
        scanning = self.controller.scanning
        trashing = self.trash_controller is not None and self.trash_controller.busy
        has_groups = self.group_model.rowCount() > 0
        has_group = self.current_group() is not None
        idle = not scanning and not trashing
        self.scan_button.setEnabled(idle and bool(self.settings.folders))
        self.empty_scan.setEnabled(idle and bool(self.settings.folders))
        self.act_scan.setEnabled(idle and bool(self.settings.folders))
        self.act_cancel.setEnabled(scanning)
        self.scan_button.setText("Scan again" if self.matcher is not None else "Scan for duplicates")
        for a in (self.act_next, self.act_prev, self.act_auto, self.act_clear):
            a.setEnabled(has_groups and idle)
        for a in (self.act_toggle, self.act_keep, self.act_compare, self.act_open, self.act_reveal, self.act_copy,
                  self.act_dismiss_group, self.act_dismiss_member, self.act_left, self.act_right):
            a.setEnabled(has_group and idle)
        can_trash = idle and len(self.marks) > 0 and self.trash_controller is not None
        self.act_trash.setEnabled(can_trash)
        self.trash_button.setEnabled(can_trash)
        self.auto_button.setEnabled(has_groups and idle)
        self.clear_button.setEnabled(len(self.marks) > 0 and idle)
        self.act_undo.setEnabled(idle and self.trash_controller is not None)
        self.act_log.setEnabled(self.trash_controller is not None)
        self.act_skipped.setEnabled(bool(coverage_message(self.library)))
        self.similarity.setEnabled(not scanning)
        self.keep_rules.setEnabled(not scanning)
        self.folders.setEnabled(not scanning)
        if self.settings.permanent_delete:
            self.trash_button.setText("Delete marked…")
            self.act_trash.setText("&Delete marked permanently…")
        else:
            self.trash_button.setText("Trash marked…")
            self.act_trash.setText("&Trash marked…")

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        self.settings.window_geometry = bytes(self.saveGeometry().toBase64().data()).decode("ascii")
        self.settings.window_state = bytes(self.splitter.saveState().toBase64().data()).decode("ascii")
        self.save_settings()
        self.shutdown()
        super().closeEvent(event)

    def shutdown(self) -> None:
        """Stop every thread this window owns; safe to call twice."""
        if getattr(self, "_shut", False):
            return
        self._shut = True
        self.controller.shutdown()
        if self.trash_controller is not None:
            self.trash_controller.shutdown()
        self.loader.shutdown()
        if self._cache is not None:
            self._cache.close()
            self._cache = None


def _line(parent: QWidget) -> QFrame:
    line = QFrame(parent)
    line.setFrameShape(QFrame.Shape.HLine)
    line.setFrameShadow(QFrame.Shadow.Sunken)
    return line
