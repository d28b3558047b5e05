"""The results page: the list of groups, the selected group's copies, and the summary bar with its buttons."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QItemSelectionModel, QModelIndex, Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListView,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from dupeview.core.grouping import Group, Member
from dupeview.core.report import human_bytes
from dupeview.core.session import Session
from dupeview.gui.group_model import LIST_CHANNEL, GroupDelegate, GroupListView, GroupModel
from dupeview.gui.group_view import GroupView
from dupeview.gui.thumbnails import ThumbnailLoader


def tr(text: str) -> str:
    return QCoreApplication.translate("", text)   # no context: where lupdate files a bare tr() (gui/i18n.py)


class ResultsPage(QWidget):
    """Renders the Session's groups and marks; keeps the selected group (and copy) across regroups."""

    def __init__(self, session: Session, loader: ThumbnailLoader, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self._loader = loader
        self._pending_member: str | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.stack = QStackedWidget(self)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        self.group_list = GroupListView(split)
        self.group_model = GroupModel(loader, session.marks, self)
        self.group_list.setModel(self.group_model)
        self.group_list.setItemDelegate(GroupDelegate(self.group_list))
        self.group_list.setSelectionMode(QListView.SelectionMode.SingleSelection)
        self.group_list.setVerticalScrollMode(QListView.ScrollMode.ScrollPerPixel)
        self.group_list.setMinimumWidth(240)
        self.group_list.setAccessibleName(tr("Groups of copies"))
        self.group_list.setAccessibleDescription(tr("Each group of copies found; the one chosen is shown on the right"))
        self.group_view = GroupView(loader, split)
        split.addWidget(self.group_list)
        split.addWidget(self.group_view)
        split.setStretchFactor(0, 0)
        split.setStretchFactor(1, 1)
        split.setSizes([300, 900])
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
        self.summary.setWordWrap(True)   # two lines rather than a wider window (long languages, narrow screens)
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
        return self.group_view.group

    def current_member(self) -> Member | None:
        return self.group_view.current_member

    def current_row(self) -> int:
        idx = self.group_list.currentIndex()
        return idx.row() if idx.isValid() else -1

    def select_member(self, member: Member) -> None:
        g = self.current_group()
        if g is not None and member in g.members:
            self.group_view.set_current(g.members.index(member), self.session.marks)

    def step(self, step: int) -> None:
        n = self.group_model.rowCount()
        if n:
            self.select_row(max(0, min(n - 1, self.current_row() + step)))

    def select_row(self, row: int, member_path: str | None = None) -> None:
        idx = self.group_model.index(row)
        self._pending_member = member_path
        self.group_list.selectionModel().setCurrentIndex(idx, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        self.group_list.scrollTo(idx)
        # setCurrentIndex to the same row emits nothing after a reset: show the group anyway.
        self._show_row(row, member_path)

    def _on_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            self._show_row(current.row(), self._pending_member)
            self._pending_member = None

    def _show_row(self, row: int, member_path: str | None = None) -> None:
        g = self.group_model.group(row)
        if g is self.group_view.group and g is not None:
            return
        self.group_view.roots = self.session.options.roots
        self.group_view.policy = self.session.options.policy
        self.group_view.set_group(self.session.library, g, self.session.marks, member_path)

    # -- rendering the Session ----------------------------------------------------------
    def show_groups(self, keep_selection: bool) -> None:
        """The Session's groups are new: show them, on the same group and copy when they are still there."""
        s = self.session
        old_library = self.group_model.library
        g, m = self.current_group(), self.current_member()
        remembered = old_library.path(g.keeper.index) if keep_selection and g is not None else None
        member_path = old_library.path(m.index) \
            if keep_selection and m is not None and m.index < len(old_library) else None
        old_row = self.current_row()
        self._loader.drop_pending(LIST_CHANNEL)
        self.group_model.roots = s.options.roots
        self.group_model.set_groups(s.library, s.groups)
        row = self.group_model.row_of(remembered) if remembered else None
        if row is None and remembered and old_row >= 0:
            row = min(old_row, len(s.groups) - 1)   # the group went ("not duplicates", trashed): show the next one
        if len(s.groups):
            self.stack.setCurrentIndex(0)
            self.select_row(row if row is not None and row >= 0 else 0, member_path)
        else:
            self.group_view.set_group(None, None, s.marks)
            self.stack.setCurrentIndex(1)
            after = tr(" (after the pairs you marked as not duplicates)") if s.dismissed else ""
            self.no_groups.setText(
                "<h2>" + tr("No duplicates found") + "</h2><p>"
                + tr("No two images are within distance {t} of each other").format(t=s.options.threshold) + after
                + ".</p><p>" + tr("Move the similarity slider towards <i>Loose</i> to find less similar copies.") + "</p>")
        self.update_summary()

    def refresh_marks(self, row: int | None) -> None:
        self.group_view.refresh_marks(self.session.marks)
        self.group_model.marks_changed(None if row is None else [row])
        self.update_summary()

    def update_summary(self) -> None:
        groups, marks = self.session.groups, self.session.marks
        marked = len(marks)
        possible = groups.total_reclaimable()
        n = len(groups)
        text = tr("<b>{n}</b> group{s} · <b>{marked}</b> of {files} files marked · <b>{size}</b> to reclaim").format(
            n=f"{n:,}", s="s" if n != 1 else "", marked=f"{marked:,}", files=f"{groups.member_count():,}",
            size=human_bytes(marks.total_bytes() if marked else 0))
        if not marked and possible:
            text += " <span style='color:gray'>" + tr("(Auto-mark: {size})").format(size=human_bytes(possible)) + "</span>"
        self.summary.setText(text)
