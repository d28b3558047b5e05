"""The list of groups as a virtualised item model (10k groups cost nothing until shown), and its delegate."""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, QPersistentModelIndex, QRect, QSize, Qt, QTimer
from PySide6.QtGui import QFont, QFontMetrics, QPainter, QPalette, QPixmap, QWheelEvent
from PySide6.QtWidgets import QAbstractItemView, QListView, QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from dupeview.core.grouping import Group, GroupList
from dupeview.core.locations import SEPARATOR
from dupeview.core.marks import Marks
from dupeview.core.records import Library
from dupeview.core.report import display_path
from dupeview.core.result_view import GroupView as ShownGroups
from dupeview.gui.group_view import folder_text
from dupeview.gui.i18n import bytes_text, tr
from dupeview.gui.thumbnails import ThumbnailLoader

GROUP_ROLE = Qt.ItemDataRole.UserRole + 1
MARKED_ROLE = Qt.ItemDataRole.UserRole + 2
SUBTITLE_ROLE = Qt.ItemDataRole.UserRole + 3
LIST_THUMB = 112          # pixels decoded for the list's thumbnails (drawn at half: sharp on HiDPI)
LIST_CHANNEL = "group-list"

AnyIndex = QModelIndex | QPersistentModelIndex


class GroupModel(QAbstractListModel):
    """One row per shown group: the Session's groups filtered and sorted (core/result_view.py)."""

    def __init__(self, loader: ThumbnailLoader, marks: Marks, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._loader = loader
        self._marks = marks
        self._library = Library()
        self._groups = ShownGroups(GroupList.empty())
        self._rows = 0                     # len(self._groups), kept: Qt asks for it twice per row on every layout
        self.roots: tuple[str, ...] = ()   # the searched folders, for "Pictures › 2019/07 › IMG_0001.jpg"
        self._path_index: tuple[GroupList, Library, dict[str, int]] | None = None   # the groups' members, by path
        loader.loaded.connect(self._on_thumbnail)

    # -- contents ---------------------------------------------------------------
    def set_groups(self, library: Library, groups: ShownGroups | GroupList) -> None:
        self.beginResetModel()
        self._library = library
        # A lazy GroupList behind it: copying it would build every Group object.
        self._groups = groups if isinstance(groups, ShownGroups) else ShownGroups(groups)
        self._rows = len(self._groups)
        self._path_index = None
        self.endResetModel()

    @property
    def library(self) -> Library:
        return self._library

    @property
    def groups(self) -> ShownGroups:
        return self._groups

    def group(self, row: int) -> Group | None:
        return self._groups[row] if 0 <= row < len(self._groups) else None

    def path(self, index: int) -> str:
        return self._library.records[index].path

    def row_of(self, path: str) -> int | None:
        """The row of the group holding this file, if shown (an index built on first use)."""
        index = self._index_of_path().get(path)
        return self.row_of_index(index) if index is not None else None

    def row_of_index(self, index: int) -> int | None:
        """The row of the group holding this file of the model's library, if shown."""
        position = self._groups.groups.group_of(index)
        return self._groups.row_of(position) if position is not None else None

    def row_of_position(self, position: int) -> int | None:
        """The row showing the group at this position of the Session's GroupList, if shown."""
        return self._groups.row_of(position)

    def _index_of_path(self) -> dict[str, int]:
        # The members of the groups only: at a million files an index of every path took a second and 100 MB.
        groups = self._groups.groups
        if self._path_index is None or self._path_index[0] is not groups or self._path_index[1] is not self._library:
            paths = self._library.table.paths
            self._path_index = (groups, self._library, {paths[k]: k for k in groups.indices.tolist()})
        return self._path_index[2]

    def marks_changed(self, positions: list[int] | None = None) -> None:
        """Tell views the marked counts changed (of some groups, by GroupList position, or all)."""
        if not self._groups:
            return
        if positions is None:
            self.dataChanged.emit(self.index(0), self.index(len(self._groups) - 1), [MARKED_ROLE])
            return
        for position in positions:
            row = self._groups.row_of(position)
            if row is not None:
                self.dataChanged.emit(self.index(row), self.index(row), [MARKED_ROLE])

    # -- QAbstractListModel -----------------------------------------------------
    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 - the signature Qt calls
        return 0 if parent.isValid() else self._rows

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._groups) or index.column() != 0:
            return None
        g = self._groups[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return tr("{n} copies · {size}").format(n=len(g.members), size=bytes_text(g.reclaimable))
        if role == SUBTITLE_ROLE:
            path = self.path(g.keeper.index)
            # "Pictures › 2019/07 › IMG_0001.jpg": elided in the middle, the root and the name stay.
            return f"{folder_text(path, self.roots)}{SEPARATOR}{display_path(os.path.basename(path))[0]}"
        if role == Qt.ItemDataRole.ToolTipRole:
            lines = [display_path(self.path(m.index))[0] for m in g.members[:12]]
            more = "\n" + tr("… and {n} more").format(n=len(g.members) - 12) if len(g.members) > 12 else ""
            return "\n".join(lines) + more
        if role == Qt.ItemDataRole.DecorationRole:
            return self._loader.request(self.path(g.keeper.index), LIST_THUMB, LIST_CHANNEL)
        if role == GROUP_ROLE:
            return g
        if role == MARKED_ROLE:
            return self._marks.marked_in(self._groups.position(index.row()))
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return tr("Group {k}: {n} copies, {size} to reclaim").format(k=index.row() + 1, n=len(g.members),
                                                                         size=bytes_text(g.reclaimable))
        return None

    def _on_thumbnail(self, path: str, size: int) -> None:
        if size != LIST_THUMB:
            return
        row = self.row_of(path)
        if row is not None and self.path(self._groups[row].keeper.index) == path:
            idx = self.index(row)
            self.dataChanged.emit(idx, idx, [Qt.ItemDataRole.DecorationRole])


class GroupListView(QListView):
    """The list of groups, built for 20,000 rows and more.

    - Rows are all one size, so a changed row (its marks, its thumbnail) is repainted, never re-laid
      out: QListView re-lays every row on any dataChanged (40,000 model calls at 20,000 groups).
    - New groups (a scan, a slider move) are laid out in batches between events, not in one pass that
      stalls the window (80 ms and more at 20,000 rows); a scrollTo() asked before the batches reach its
      row is repeated until the row is in view. A batch is small: the first one runs at once, inside
      the selection after a reset, and Qt asks the model for every row (2,000 rows: 11 ms; 500: 2 ms).
    """

    SCROLL_PATIENCE_S = 3.0   # a batched layout of 100k rows takes about this long on a slow machine

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setUniformItemSizes(True)
        self.setLayoutMode(QListView.LayoutMode.Batched)
        self.setBatchSize(500)
        self._scroll_to: tuple[QPersistentModelIndex, QAbstractItemView.ScrollHint, float] | None = None
        self._retry = QTimer(self)
        self._retry.setInterval(0)
        self._retry.timeout.connect(self._scroll_again)

    def dataChanged(self, top_left: AnyIndex, bottom_right: AnyIndex, roles: Sequence[int] = ()) -> None:
        # QAbstractItemView's own handler repaints the changed rows (and tells accessibility); QListView's
        # adds the full layout pass, which uniform rows never need.
        QAbstractItemView.dataChanged(self, top_left, bottom_right, roles)

    def scrollTo(self, index: AnyIndex, hint: QAbstractItemView.ScrollHint = QAbstractItemView.ScrollHint.EnsureVisible) -> None:
        self._scroll_to = (QPersistentModelIndex(index), hint, time.monotonic() + self.SCROLL_PATIENCE_S)
        self._scroll_again()

    def _scroll_again(self) -> None:
        if self._scroll_to is None:
            self._retry.stop()
            return
        target, hint, until = self._scroll_to
        if not target.isValid() or time.monotonic() > until:
            self._scroll_to = None
            self._retry.stop()
            return
        index = self.model().index(target.row(), target.column())
        super().scrollTo(index, hint)
        if self.viewport().rect().intersects(self.visualRect(index)):
            self._scroll_to = None
            self._retry.stop()
        elif not self._retry.isActive():
            self._retry.start()   # the batches have not reached that row yet: again after the next one

    def wheelEvent(self, event: QWheelEvent) -> None:
        self._scroll_to = None   # the user scrolls: stop bringing the selected row back
        super().wheelEvent(event)


class GroupDelegate(QStyledItemDelegate):
    """Thumbnail of the keeper, a title line, the keeper's name and folder, and a marked badge."""

    THUMB = 56
    PAD = 6

    def sizeHint(self, option: QStyleOptionViewItem, index: AnyIndex) -> QSize:
        # No width of its own: a row is as wide as the list (its texts elide), never wider than a narrow list.
        return QSize(0, self.THUMB + 2 * self.PAD)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        painter.save()
        style = option.widget.style() if option.widget else None
        # Only the row's panel (selection, hover, focus) is the style's to draw: no initStyleOption, which
        # asks the model for eight roles (and wraps the thumbnail in an icon) only for them to be dropped.
        opt = QStyleOptionViewItem(option)
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, option.widget)
        rect: QRect = option.rect
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        pal: QPalette = option.palette
        text_role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        thumb_rect = QRect(rect.left() + self.PAD, rect.top() + self.PAD, self.THUMB, self.THUMB)
        pm = index.data(Qt.ItemDataRole.DecorationRole)
        if isinstance(pm, QPixmap) and not pm.isNull():
            scaled = pm.size().scaled(thumb_rect.size(), Qt.AspectRatioMode.KeepAspectRatio)
            target = QRect(0, 0, scaled.width(), scaled.height())
            target.moveCenter(thumb_rect.center())
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
            painter.drawPixmap(target, pm)
        else:
            painter.fillRect(thumb_rect, pal.color(QPalette.ColorRole.AlternateBase))
        x = thumb_rect.right() + self.PAD + 4
        width = rect.right() - x - self.PAD
        marked = int(index.data(MARKED_ROLE) or 0)
        badge = tr("{n} marked").format(n=marked) if marked else ""
        font = QFont(option.font)
        bold = QFont(font)
        bold.setBold(True)
        fm_bold = QFontMetrics(bold)
        fm = QFontMetrics(font)
        if badge:
            bw = fm.horizontalAdvance(badge) + 12
            # Bottom right, under the two text lines: the title keeps its full width.
            bh = fm.height() + 2
            brect = QRect(rect.right() - self.PAD - bw, rect.bottom() - self.PAD - bh + 1, bw, bh)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(pal.color(QPalette.ColorRole.Highlight) if not selected else pal.color(QPalette.ColorRole.Base))
            painter.drawRoundedRect(brect, 4, 4)
            painter.setPen(pal.color(QPalette.ColorRole.Base) if not selected else pal.color(QPalette.ColorRole.Text))
            painter.setFont(font)
            painter.drawText(brect, Qt.AlignmentFlag.AlignCenter, badge)
        title_width = width
        painter.setPen(pal.color(text_role))
        painter.setFont(bold)
        title = fm_bold.elidedText(str(index.data(Qt.ItemDataRole.DisplayRole) or ""), Qt.TextElideMode.ElideRight, title_width)
        painter.drawText(QRect(x, rect.top() + self.PAD, title_width, fm_bold.height()),
                         Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, title)
        painter.setFont(font)
        sub = fm.elidedText(str(index.data(SUBTITLE_ROLE) or ""), Qt.TextElideMode.ElideMiddle, width)
        color = pal.color(text_role)
        if not selected:
            color = pal.color(QPalette.ColorRole.PlaceholderText)
        painter.setPen(color)
        painter.drawText(QRect(x, rect.top() + self.PAD + fm_bold.height() + 4, width, fm.height()),
                         Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, sub)
        painter.restore()

