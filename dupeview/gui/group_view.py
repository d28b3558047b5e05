"""The selected group's members side by side: large thumbnails, facts with the better value highlighted, marks."""

from __future__ import annotations

import os
import time
from collections.abc import Sequence

from PySide6.QtCore import QPoint, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QContextMenuEvent, QKeyEvent, QMouseEvent, QPalette, QPixmap, QResizeEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from dupeview.core.grouping import Group, Member
from dupeview.core.keeper import date_taken
from dupeview.core.locations import SEPARATOR, locate
from dupeview.core.marks import Marks
from dupeview.core.records import ImageRecord, Library
from dupeview.core.report import display_path, human_bytes
from dupeview.gui.thumbnails import ThumbnailLoader

MEMBER_CHANNEL = "group-members"
MIN_CARD = 230
MAX_CARD = 560
SIZE_STEP = 32       # thumbnails are decoded at the card's size, rounded up to this: no big rescale on the GUI thread
FIRST_BATCH = 2      # cards built at once; the rest follow a few per event-loop turn, so the window never stalls
BATCH = 2
BEST_COLOR = QColor("#2f9e55")
MARKED_COLOR = QColor("#d64541")


def _facts(record: ImageRecord, roots: Sequence[str] = ()) -> dict[str, str]:
    taken = record.taken.replace("T", " ")[:16] if record.taken else \
        time.strftime("%Y-%m-%d %H:%M", time.localtime(record.mtime_ns / 1e9)) + "*"
    return {
        "Resolution": f"{record.width} × {record.height}",
        "File size": human_bytes(record.size),
        "Format": record.format or "?",
        "Date taken": taken,
        "Folder": folder_text(record.path, roots),
    }


def folder_text(path: str, roots: Sequence[str]) -> str:
    """"Backup 2019 › 2019/07": the searched folder's name, then the folder inside it (shown whole at the root)."""
    loc = locate(path, roots)
    root, inside = display_path(loc.root)[0], display_path(os.path.dirname(loc.inside))[0]
    if not root:
        return inside
    return f"{root}{SEPARATOR}{inside}" if inside else root


def best_facts(library: Library, group: Group) -> dict[int, set[str]]:
    """For each member index, the facts on which it is the best copy (when the copies differ)."""
    records = [library.records[m.index] for m in group.members]
    out: dict[int, set[str]] = {m.index: set() for m in group.members}
    criteria = {
        "Resolution": lambda r: r.pixels,
        "File size": lambda r: r.size,
        "Date taken": lambda r: _negated_date(date_taken(r)),
    }
    for fact, key in criteria.items():
        values = [key(r) for r in records]
        if len(set(values)) < 2:
            continue
        best = max(values)
        for m, v in zip(group.members, values, strict=False):
            if v == best:
                out[m.index].add(fact)
    return out


def _negated_date(iso: str) -> tuple[int, ...]:
    # Older is better: compare digits negated.
    return tuple(-ord(c) for c in iso)


class MemberCard(QFrame):
    """One copy: thumbnail, badges, facts, and its trash mark."""

    clicked = Signal(object)            # Member
    double_clicked = Signal(object)
    mark_toggled = Signal(object, bool)
    menu_requested = Signal(object, QPoint)

    def __init__(self, library: Library, group: Group, member: Member, best: set[str],
                 parent: QWidget | None = None, roots: Sequence[str] = ()) -> None:
        super().__init__(parent)
        self.member = member
        self.record = library.records[member.index]
        self.setObjectName("memberCard")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        shown, _ = display_path(self.record.path)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.setSpacing(4)

        self.thumb = QLabel(self)
        self.thumb.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.thumb.setObjectName("thumb")
        self.thumb.setToolTip(f"{shown}\nDouble-click to compare with the best copy")
        layout.addWidget(self.thumb, 0, Qt.AlignmentFlag.AlignHCenter)

        top = QHBoxLayout()
        self.check = QCheckBox("Trash", self)
        self.check.setToolTip("Mark this copy to be moved to the trash (Space)")
        self.check.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.check.clicked.connect(lambda on: self.mark_toggled.emit(self.member, bool(on)))
        top.addWidget(self.check)
        top.addStretch(1)
        badges = []
        if member is group.keeper:
            badges.append(("Best copy", "The copy the keep rules would keep"))
        if member.reference:
            badges.append(("Reference", "In a reference folder: protected, never marked or trashed"))
            self.check.setEnabled(False)
            self.check.setToolTip("Reference files are protected and never trashed")
        if member.identical and member is not group.keeper:
            badges.append(("Identical", "Byte-for-byte the same file as the best copy"))
        if member.hardlink:
            badges.append(("Hard link", "Shares its data with another copy: trashing it frees no space"))
        for text, tip in badges:
            b = QLabel(text, self)
            b.setObjectName("badge")
            b.setToolTip(tip)
            top.addWidget(b)
        self.menu_button = QToolButton(self)
        self.menu_button.setText("⋯")
        self.menu_button.setAutoRaise(True)
        self.menu_button.setToolTip("More actions for this copy")
        self.menu_button.clicked.connect(
            lambda: self.menu_requested.emit(self.member, self.menu_button.mapToGlobal(QPoint(0, self.menu_button.height()))))
        top.addWidget(self.menu_button)
        layout.addLayout(top)

        self.name = QLabel(self)
        self.name.setObjectName("fileName")
        self.name.setToolTip(shown)
        self._name_text = os.path.basename(shown)
        layout.addWidget(self.name)

        grid = QGridLayout()
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(1)
        facts = _facts(self.record, roots)
        self._root_part = ""
        distance = "—  (best copy)" if member is group.keeper else \
            ("0 (identical bytes)" if member.identical else str(member.distance))
        facts["Distance"] = distance
        self._value_labels: list[tuple[QLabel, str, Qt.TextElideMode]] = []
        for row, (name, value) in enumerate(facts.items()):
            key = QLabel(name, self)
            key.setObjectName("factName")
            val = QLabel(self)
            val.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
            if name in best:
                val.setText(f"★ {value}")
                val.setStyleSheet(f"color: {BEST_COLOR.name()}; font-weight: bold;")
                val.setToolTip({"Resolution": "Highest resolution in this group",
                                "File size": "Largest file in this group",
                                "Date taken": "Oldest in this group"}[name])
            else:
                val.setText(value)
                if name == "Folder":
                    val.setToolTip(os.path.dirname(shown))
                if name == "Resolution":
                    val.setToolTip(f"{self.record.pixels / 1e6:.1f} megapixels")
            if name == "Date taken" and not self.record.taken:
                val.setToolTip("No date in the file: this is when it was last modified")
            if name == "Distance":
                val.setToolTip("Fingerprint distance to the best copy: 0 looks the same, 12 is loosely similar")
            mode = Qt.TextElideMode.ElideLeft if name == "Folder" else Qt.TextElideMode.ElideRight
            if name == "Folder":
                self._root_part = value.split(SEPARATOR)[0] + SEPARATOR if SEPARATOR in value else ""
            self._value_labels.append((val, val.text(), mode))
            grid.addWidget(key, row, 0, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(val, row, 1)
        grid.setColumnStretch(1, 1)
        layout.addLayout(grid)
        self._marked = False
        self._current = False

    def set_width(self, width: int) -> None:
        self.setFixedWidth(width)
        inner = width - 18
        self.thumb.setFixedSize(inner, int(inner * 0.75))
        fm = self.name.fontMetrics()
        self.name.setText(fm.elidedText(self._name_text, Qt.TextElideMode.ElideMiddle, inner))
        for label, text, mode in self._value_labels:
            fm = label.fontMetrics()
            root = self._root_part if mode == Qt.TextElideMode.ElideLeft and text.startswith(self._root_part) else ""
            # The searched folder's name is never elided: only the path inside it gives way.
            rest = fm.elidedText(text[len(root):], mode, max(20, inner - 82 - fm.horizontalAdvance(root)))
            label.setText(root + rest)
        self.adjustSize()
        self.setFixedHeight(self.sizeHint().height())

    def thumb_size(self) -> QSize:
        return self.thumb.size()

    def set_pixmap(self, pm: QPixmap | None, error: str | None = None) -> None:
        if pm is None or pm.isNull():
            self.thumb.setPixmap(QPixmap())
            self.thumb.setText(error or "Loading…")
            return
        ratio = self.devicePixelRatioF()
        box = self.thumb.size() * ratio
        fits = pm.width() <= box.width() and pm.height() <= box.height()
        if fits and (pm.width() >= box.width() - SIZE_STEP or pm.height() >= box.height() - SIZE_STEP):
            scaled = QPixmap(pm)   # decoded at this size already: no rescale on the GUI thread
        else:
            # A placeholder blown up (cheap), or a portrait picture brought down to the box.
            mode = Qt.TransformationMode.FastTransformation if fits else Qt.TransformationMode.SmoothTransformation
            scaled = pm.scaled(box, Qt.AspectRatioMode.KeepAspectRatio, mode)
        scaled.setDevicePixelRatio(ratio)
        self.thumb.setPixmap(scaled)

    def set_state(self, marked: bool, current: bool) -> None:
        if (marked, current) == (self._marked, self._current):
            return
        self._marked, self._current = marked, current
        self.check.setChecked(marked)
        self.setProperty("marked", marked)
        self.setProperty("current", current)
        self.style().unpolish(self)
        self.style().polish(self)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self.clicked.emit(self.member)
        super().mousePressEvent(event)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self.double_clicked.emit(self.member)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        self.clicked.emit(self.member)
        self.menu_requested.emit(self.member, event.globalPos())


class GroupView(QScrollArea):
    """Cards for each member of one group, laid out in as many columns as fit."""

    mark_toggled = Signal(object, bool)     # Member, wanted state
    current_changed = Signal(object)        # Member
    compare_requested = Signal(object, object)  # Member, Member
    menu_requested = Signal(object, QPoint)

    def __init__(self, loader: ThumbnailLoader, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.roots: tuple[str, ...] = ()   # the searched folders: cards name them ("Backup 2019 › 2019/07")
        self._loader = loader
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self._inner, self._grid = self._new_page()
        self.setWidget(self._inner)
        self._cards: list[MemberCard] = []
        self._library: Library | None = None
        self._group: Group | None = None
        self._current = 0
        self._columns = 0
        self._width = 0
        self._generation = 0
        self._todo: list[Member] = []
        self._best: dict[int, set[str]] = {}
        self._marks = Marks()
        loader.loaded.connect(self._on_loaded)
        loader.failed.connect(self._on_failed)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName("Copies in this group")

    @staticmethod
    def _new_page() -> tuple[QWidget, QGridLayout]:
        inner = QWidget()
        inner.setObjectName("groupViewInner")
        grid = QGridLayout(inner)
        grid.setContentsMargins(12, 12, 12, 12)
        grid.setSpacing(12)
        grid.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignHCenter)
        return inner, grid

    # -- contents ------------------------------------------------------------------
    @property
    def group(self) -> Group | None:
        return self._group

    @property
    def cards(self) -> list[MemberCard]:
        return self._cards

    @property
    def current_member(self) -> Member | None:
        if self._group is None or not self._group.members:
            return None
        return self._group.members[min(self._current, len(self._group.members) - 1)]

    def set_group(self, library: Library | None, group: Group | None, marks: Marks,
                  current_path: str | None = None) -> None:
        if group is not None and library is self._library and group == self._group and self._cards:
            # Regrouping gave the same group again: keep the cards, just follow the new objects.
            self._group = group
            for card, m in zip(self._cards, group.members, strict=False):
                card.member = m
            self.refresh_marks(marks)
            return
        self._loader.drop_pending(MEMBER_CHANNEL)
        self._generation += 1
        if self._cards:
            # Swap in a fresh page and drop the old one whole: un-parenting 27 cards one by
            # one re-lays the grid 27 times (a visible stall when stepping through groups).
            old = self.takeWidget()
            self._inner, self._grid = self._new_page()
            self.setWidget(self._inner)
            if old is not None:
                old.hide()
                old.deleteLater()
        self._cards = []
        self._library, self._group = library, group
        self._marks = marks
        self._columns = 0
        self._width = 0
        self._todo = []
        if library is None or group is None:
            return
        self._best = best_facts(library, group)
        self._current = 0
        if current_path is not None:
            for pos, m in enumerate(group.members):
                if library.records[m.index].path == current_path:
                    self._current = pos
        self._todo = list(group.members)
        self._columns, self._width = self._grid_shape(len(group.members))
        self._build(FIRST_BATCH)
        self.verticalScrollBar().setValue(0)

    def _build(self, count: int) -> None:
        """Build the next few cards; schedule the rest for the next turn of the event loop."""
        if self._library is None or self._group is None:
            return
        for _ in range(min(count, len(self._todo))):
            m = self._todo.pop(0)
            pos = len(self._cards)
            card = MemberCard(self._library, self._group, m, self._best[m.index], self._inner, self.roots)
            card.clicked.connect(self._on_card_clicked)
            card.double_clicked.connect(self._on_double_clicked)
            card.mark_toggled.connect(self.mark_toggled)
            card.menu_requested.connect(self.menu_requested)
            self._cards.append(card)
            card.set_width(self._width)
            self._grid.addWidget(card, pos // self._columns, pos % self._columns)
            card.set_state(card.record.path in self._marks, pos == self._current)
            card.show()
            self._request_thumbnail(card)
        if self._todo:
            generation = self._generation
            QTimer.singleShot(0, lambda: self._build(BATCH) if generation == self._generation else None)

    @property
    def complete(self) -> bool:
        """Every card of the group is built."""
        return not self._todo

    def refresh_marks(self, marks: Marks) -> None:
        for pos, card in enumerate(self._cards):
            card.set_state(card.record.path in marks, pos == self._current)

    def set_current(self, pos: int, marks: Marks) -> None:
        if not self._cards:
            return
        self._current = max(0, min(pos, len(self._cards) - 1))
        self.refresh_marks(marks)
        self.ensureWidgetVisible(self._cards[self._current])
        self.current_changed.emit(self.current_member)

    def move_current(self, step: int, marks: Marks) -> None:
        self.set_current(self._current + step, marks)

    # -- layout ----------------------------------------------------------------------
    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._relayout()

    def _grid_shape(self, n: int) -> tuple[int, int]:
        avail = max(MIN_CARD, self.viewport().width() - 24 - 2)
        spacing = self._grid.horizontalSpacing()
        columns = max(1, min(n, (avail + spacing) // (MIN_CARD + spacing)))
        width = min(MAX_CARD, (avail - spacing * (columns - 1)) // columns)
        return columns, width

    def _relayout(self, force: bool = False) -> None:
        if not self._cards:
            return
        n = len(self._cards) + len(self._todo)
        columns, width = self._grid_shape(n)
        if not force and columns == self._columns and width == self._width:
            return
        self._columns, self._width = columns, width
        for card in self._cards:
            self._grid.removeWidget(card)
        for pos, card in enumerate(self._cards):
            card.set_width(width)
            self._grid.addWidget(card, pos // columns, pos % columns)
        self._loader.drop_pending(MEMBER_CHANNEL)
        for card in self._cards:
            self._request_thumbnail(card)

    def _size_for(self, box: QSize) -> int:
        need = max(box.width(), box.height()) * self.devicePixelRatioF()
        return max(SIZE_STEP, int(-(-need // SIZE_STEP)) * SIZE_STEP)

    def _request_thumbnail(self, card: MemberCard) -> None:
        size = self._size_for(card.thumb_size())
        pm = self._loader.request(card.record.path, size, MEMBER_CHANNEL)
        if pm is None:
            # Show a smaller one already decoded (the list's) while the right one loads.
            pm = self._loader.largest(card.record.path)
        card.set_pixmap(pm, self._loader.error(card.record.path, size))

    def _on_loaded(self, path: str, size: int) -> None:
        for card in self._cards:
            if card.record.path == path and size == self._size_for(card.thumb_size()):
                card.set_pixmap(self._loader.pixmap(path, size))

    def _on_failed(self, path: str, size: int, reason: str) -> None:
        for card in self._cards:
            if card.record.path == path:
                card.set_pixmap(None, reason)

    # -- interaction ---------------------------------------------------------------
    def _on_card_clicked(self, member: Member) -> None:
        for pos, card in enumerate(self._cards):
            if card.member is member:
                self._current = pos
                card.set_state(card._marked, True)
            else:
                card.set_state(card._marked, False)
        self.current_changed.emit(member)

    def _on_double_clicked(self, member: Member) -> None:
        if self._group is None:
            return
        other = self._group.keeper if member is not self._group.keeper else \
            (self._group.members[1] if len(self._group.members) > 1 else None)
        if other is not None:
            self.compare_requested.emit(other, member)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Left/Right are handled by the window's actions; keep the scroll area from eating them.
        if event.key() in (Qt.Key.Key_Left, Qt.Key.Key_Right):
            event.ignore()
            return
        super().keyPressEvent(event)


def card_style(palette: QPalette) -> str:
    """Style sheet for cards: current copy outlined, marked copies in red."""
    highlight = palette.color(QPalette.ColorRole.Highlight).name()
    base = palette.color(QPalette.ColorRole.Base).name()
    mid = palette.color(QPalette.ColorRole.Mid).name()
    muted = palette.color(QPalette.ColorRole.PlaceholderText).name()
    return f"""
    QFrame#memberCard {{ background: {base}; border: 2px solid {mid}; border-radius: 8px; }}
    QFrame#memberCard[current="true"] {{ border: 2px solid {highlight}; }}
    QFrame#memberCard[marked="true"] {{ border: 2px solid {MARKED_COLOR.name()}; background: {_tint(base, MARKED_COLOR)}; }}
    QFrame#memberCard[marked="true"][current="true"] {{ border: 3px solid {MARKED_COLOR.name()}; }}
    QLabel#badge {{ border: 1px solid {mid}; border-radius: 6px; padding: 0px 5px; font-size: 11px; }}
    QLabel#factName {{ color: {muted}; }}
    QLabel#fileName {{ font-weight: bold; }}
    QLabel#thumb {{ color: {muted}; }}
    """


def _tint(base: str, tint: QColor) -> str:
    b = QColor(base)
    mix = 0.12
    r = int(b.red() * (1 - mix) + tint.red() * mix)
    g = int(b.green() * (1 - mix) + tint.green() * mix)
    bl = int(b.blue() * (1 - mix) + tint.blue() * mix)
    return QColor(r, g, bl).name()
