"""The results page: the filter bar, the list of groups, the selected group's copies, and the summary bar with its buttons."""

from __future__ import annotations

import time

from PySide6.QtCore import QCoreApplication, QItemSelectionModel, QModelIndex, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence, QResizeEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListView,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from dupeview.core.grouping import Group, GroupList, Member
from dupeview.core.progress import Progress
from dupeview.core.records import Library
from dupeview.core.session import Session
from dupeview.gui.group_model import LIST_CHANNEL, GroupDelegate, GroupListView, GroupModel
from dupeview.gui.group_view import GroupView
from dupeview.gui.i18n import bytes_text, number
from dupeview.gui.results_bar import ResultsBar
from dupeview.gui.search_progress import SearchProgress
from dupeview.gui.thumbnails import ThumbnailLoader

LIST_MIN, LIST_WIDE = 200, 300   # the group list's width: at least, and when there is room
CARDS_TWO_COLUMNS = 520           # what the cards need for two columns (gui/group_view.py's MIN_CARD and margins)
CARDS_ONE_COLUMN = 260            # and for one
PREFETCH_GROUPS = 2               # the cards' pictures of this many groups after the one shown are decoded ahead
HELD_KEY_S = 0.1                  # group steps closer than this are a key held down (repeats come every 20-40 ms)


def tr(text: str) -> str:
    return QCoreApplication.translate("", text)   # no context: where lupdate files a bare tr() (gui/i18n.py)


class ResultsPage(QWidget):
    """Renders the Session's groups and marks; keeps the selected group (and copy) across regroups."""

    def __init__(self, session: Session, loader: ThumbnailLoader, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self._loader = loader
        self._selecting = False                                   # select_row() is moving the list
        self._last_step = 0.0                                     # monotonic time of the last step by key
        self._deferred: tuple[int, str | None] | None = None      # a step's row (and copy) shown in the next turn
        self._show_timer = QTimer(self)
        self._show_timer.setSingleShot(True)
        self._show_timer.setInterval(0)
        self._show_timer.timeout.connect(self._show_deferred)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        self.bar = ResultsBar(self)
        outer.addWidget(self.bar)
        self.searching = SearchProgress(self)   # a looser slider's search further: shown while it runs
        session.events.widening.connect(self.searching.show_widening)
        session.events.scan_progressed.connect(self._on_scan_progressed)
        self.searching.stop_requested.connect(session.stop_search)
        outer.addWidget(self.searching)
        # The list, cards and buttons: the results' one-key shortcuts (Space, Return, N, arrows) work in here,
        # not in the bar, where Space ticks a box and Return applies the filter.
        self.body = QWidget(self)
        outer.addWidget(self.body, 1)
        layout = QVBoxLayout(self.body)
        layout.setContentsMargins(0, 0, 0, 0)
        find = QAction(tr("Filter groups"), self)
        find.setShortcut(QKeySequence.StandardKey.Find)
        find.triggered.connect(self.focus_filter)
        self.addAction(find)
        self.bar.filter.escaped.connect(self._focus_list)
        self.bar.filter.returnPressed.connect(self._filter_entered)
        self.stack = QStackedWidget(self)
        self.split = split = QSplitter(Qt.Orientation.Horizontal, self)
        self._list_dragged = False   # once the user moves the divider, the list keeps the width they chose
        split.splitterMoved.connect(lambda *_: setattr(self, "_list_dragged", True))
        self.group_list = GroupListView(split)
        self.group_model = GroupModel(loader, session.marks, self)
        self.group_list.setModel(self.group_model)
        self.group_list.setItemDelegate(GroupDelegate(self.group_list))
        self.group_list.setSelectionMode(QListView.SelectionMode.SingleSelection)
        self.group_list.setVerticalScrollMode(QListView.ScrollMode.ScrollPerPixel)
        self.group_list.setMinimumWidth(LIST_MIN)
        self.group_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.group_list.setAccessibleName(tr("Groups of copies"))
        self.group_list.setAccessibleDescription(tr("Each group of copies found; the one chosen is shown on the right"))
        self.group_view = GroupView(loader, split)
        split.addWidget(self.group_list)
        split.addWidget(self.group_view)
        split.setStretchFactor(0, 0)
        split.setStretchFactor(1, 1)
        split.setSizes([LIST_WIDE, 900])
        split.setCollapsible(1, False)   # the cards never vanish behind the list
        self.group_view.setMinimumWidth(CARDS_ONE_COLUMN)
        self.stack.addWidget(split)
        self.no_groups = QLabel(self)
        self.no_groups.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.no_groups.setWordWrap(True)
        self.stack.addWidget(self.no_groups)
        layout.addWidget(self.stack, 1)

        bottom = QHBoxLayout()
        bottom.setContentsMargins(4, 6, 4, 6)
        self.summary = QLabel(self)
        self.summary.setObjectName("summary")
        # It wraps rather than widening the window: with the buttons beside it, it decides the minimum width.
        self.summary.setWordWrap(True)
        self.summary.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.summary.setMinimumWidth(160)
        bottom.addWidget(self.summary, 1)
        self.auto_button = QPushButton(tr("Auto-mark"), self)
        self.auto_button.setToolTip(tr("In every group, keep the best copy by the keep rules and mark the rest"))
        self.clear_button = QPushButton(tr("Clear marks"), self)
        self.clear_button.setToolTip(tr("Unmark every file"))
        self.trash_button = QPushButton(tr("Trash marked…"), self)
        self.trash_button.setObjectName("danger")
        self.trash_button.setToolTip(tr("Move the marked files to the trash, after you confirm (Delete)"))
        self.more_button = QToolButton(self)   # the other actions on the marked files: its menu is the command table's
        self.more_button.setText(tr("Other actions"))
        self.more_button.setAccessibleName(tr("Other actions on the marked files"))
        self.more_button.setToolTip(tr("Move, copy or replace the marked files with links, after you confirm"))
        self.more_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        for b in (self.auto_button, self.clear_button, self.more_button, self.trash_button):
            b.setMinimumHeight(30)
            bottom.addWidget(b)
        layout.addLayout(bottom)
        self.group_list.selectionModel().currentChanged.connect(self._on_row_changed)

    # -- what is selected -------------------------------------------------------------
    def current_group(self) -> Group | None:
        self._show_deferred()   # a step held back for the next turn: what is selected is that group
        return self.group_view.group

    def has_group(self) -> bool:
        """A group is selected (its cards may still wait for the next turn: asking costs nothing)."""
        return self._deferred is not None or self.group_view.group is not None

    def current_member(self) -> Member | None:
        self._show_deferred()
        return self.group_view.current_member

    def current_row(self) -> int:
        idx = self.group_list.currentIndex()
        return idx.row() if idx.isValid() else -1

    def select_member(self, member: Member) -> None:
        g = self.current_group()
        if g is not None and member in g.members:
            self.group_view.set_current(g.members.index(member), self.session.marks)

    def focus_filter(self) -> None:
        self.bar.filter.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.bar.filter.selectAll()

    def _focus_list(self) -> None:
        self.group_list.setFocus()

    def _filter_entered(self) -> None:
        self.bar.flush()
        self.group_list.setFocus()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if not self._list_dragged:
            # A narrow window gives the cards the room for two columns; a wide one gives the list its width.
            # The page's new width: the splitter inside it is only resized after this event.
            total = event.size().width() - self.split.handleWidth()
            list_width = max(LIST_MIN, min(LIST_WIDE, total - CARDS_TWO_COLUMNS))
            self.split.setSizes([list_width, max(0, total - list_width)])

    def select_position(self, position: int) -> None:
        """Select the group at this position of the Session's GroupList, if the filter shows it."""
        row = self.group_model.row_of_position(position)
        if row is not None:
            self.select_row(row)

    def step(self, step: int) -> None:
        n = self.group_model.rowCount()
        if n:
            self.select_row(max(0, min(n - 1, self.current_row() + step)), coalesce=True)

    def select_row(self, row: int, member_path: str | None = None, coalesce: bool = False, later: bool = False) -> None:
        idx = self.group_model.index(row)
        self._selecting = True
        try:
            self.group_list.selectionModel().setCurrentIndex(idx, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        finally:
            self._selecting = False
        self.group_list.scrollTo(idx)
        # Shown here, not from currentChanged: setCurrentIndex to the same row emits nothing after a reset.
        self._show_soon(row, member_path, coalesce, later)

    def _on_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid() and not self._selecting:   # moved in the list itself: its keys, a click
            self._show_soon(current.row(), None, coalesce=True)

    def _show_soon(self, row: int, member_path: str | None, coalesce: bool, later: bool = False) -> None:
        """Show the row's group now; or, for a key held down (a step within HELD_KEY_S of the last one's end), in
        the next turn of the event loop, so that steps that backed up meanwhile show their last group only."""
        if later or (coalesce and time.monotonic() - self._last_step < HELD_KEY_S):
            self._deferred = (row, member_path)
            self._show_timer.start()
        else:
            self._deferred = None
            self._show_row(row, member_path)
        if coalesce:
            self._last_step = time.monotonic()

    def _show_deferred(self) -> None:
        if self._deferred is not None:
            row, member_path = self._deferred
            self._deferred = None
            if row == self.current_row():
                self._show_row(row, member_path)

    def _on_scan_progressed(self, p: Progress) -> None:
        # Spare cards for the first group are made while the decoders work: the GUI thread and the GIL are free then.
        # Not in the rest of a scan: the worker thread's Python there (a warm rescan) made each card's stall twice as long.
        if p.phase == "hash" and p.done < p.total:
            self.group_view.warm_pool()
        else:
            self.group_view.stop_warming()

    def _show_row(self, row: int, member_path: str | None = None) -> None:
        g = self.group_model.group(row)
        if g is self.group_view.group and g is not None:
            return
        self.group_view.roots = self.session.options.roots
        self.group_view.policy = self.session.options.policy
        self.group_view.set_group(self.session.library, g, self.session.marks, member_path)
        ahead = (self.group_model.group(r) for r in range(row + 1, min(row + 1 + PREFETCH_GROUPS, self.group_model.rowCount())))
        self.group_view.prefetch(self.session.library, [a for a in ahead if a is not None])

    # -- rendering the Session ----------------------------------------------------------
    def show_groups(self, keep_selection: bool, later: bool = False) -> None:
        """The Session's groups are new: show them, on the same group and copy when they are still there.
        `later`: the group's cards in the next turn of the event loop (after a scan, the window switches pages
        in this one: the two together made one 50 ms stall)."""
        s = self.session
        old_library = self.group_model.library
        g, m = self.current_group(), self.current_member()
        remembered = old_library.path(g.keeper.index) if keep_selection and g is not None else None
        member_path = old_library.path(m.index) \
            if keep_selection and m is not None and m.index < len(old_library) else None
        old_row = self.current_row()
        self._loader.drop_pending(LIST_CHANNEL)
        self.group_model.roots = s.options.roots
        self.group_model.set_groups(s.library, s.shown)
        if remembered and old_library is s.library and g is not None:
            # The same library (a slider move, a sort): its row by index, no index of the members' paths.
            row = self.group_model.row_of_index(g.keeper.index)
        else:
            row = self.group_model.row_of(remembered) if remembered else None
        if row is None and remembered and old_row >= 0:
            row = min(old_row, len(s.shown) - 1)   # the group went ("not duplicates", trashed): show the next one
        if len(s.shown):
            self.stack.setCurrentIndex(0)
            self.select_row(row if row is not None and row >= 0 else 0, member_path, later=later)
        else:
            self.group_view.set_group(None, None, s.marks)
            self.stack.setCurrentIndex(1)
            if len(s.groups):
                self.no_groups.setText("<h2>" + tr("No group matches") + "</h2><p>" + tr(
                    "{n} groups are hidden by the filter or by Hide unremovable. Clear the filter (Esc) or untick "
                    "Hide unremovable to see them.").format(n=number(len(s.groups))) + "</p>")
                self.update_summary()
                return
            if s.options.scope != "all":
                where = tr("No two images in different searched folders are copies of each other.") \
                    if s.options.scope == "across" else tr("No two images in the same searched folder are copies of "
                                                           "each other.")
                self.no_groups.setText("<h2>" + tr("No duplicates found") + "</h2><p>" + where + "</p><p>" + tr(
                    "Choose <i>Compare everything</i> above to see copies wherever they are.") + "</p>")
                self.update_summary()
                return
            after = tr(" (after the pairs you marked as not duplicates)") if s.dismissed else ""
            self.no_groups.setText(
                "<h2>" + tr("No duplicates found") + "</h2><p>"
                + tr("No two images are within distance {t} of each other").format(t=s.options.threshold) + after
                + ".</p><p>" + tr("Move the similarity slider towards <i>Loose</i> to find less similar copies.") + "</p>")
        self.update_summary()

    def shutdown(self) -> None:
        """Show nothing and hold no library (the window closed)."""
        self._deferred = None
        self.group_view.set_group(None, None, self.session.marks)
        self.group_model.set_groups(Library(), GroupList.empty())

    def refresh_marks(self, position: int | None) -> None:
        """Marks changed in the group at this GroupList position (None: anywhere)."""
        self.group_view.refresh_marks(self.session.marks)
        self.group_model.marks_changed(None if position is None else [position])
        self.update_summary()

    def update_summary(self) -> None:
        groups, shown, marks = self.session.groups, self.session.shown, self.session.marks
        marked = len(marks)
        possible = groups.total_reclaimable()
        n = len(groups)
        if shown.filtered and shown.groups is groups:
            count = tr("<b>{shown}</b> of {n} groups shown").format(shown=number(len(shown)), n=number(n))
        else:
            count = tr("<b>1</b> group") if n == 1 else tr("<b>{n}</b> groups").format(n=number(n))
        text = count + " · " + tr("<b>{marked}</b> of {files} files marked · <b>{size}</b> to reclaim").format(
            marked=number(marked), files=number(groups.member_count()),
            size=bytes_text(marks.total_bytes() if marked else 0))
        if not marked and possible:
            text += " <span style='color:gray'>" + tr("(Auto-mark: {size})").format(size=bytes_text(possible)) + "</span>"
        self.summary.setText(text)
