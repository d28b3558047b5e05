"""The selected group's members side by side as cards, in as many columns as fit; keyboard moves between them."""

from __future__ import annotations

import time

from PySide6.QtCore import QPoint, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QResizeEvent
from PySide6.QtWidgets import QApplication, QFrame, QGridLayout, QScrollArea, QWidget

from dupeview.core.grouping import Group, Member
from dupeview.core.keeper import KeepPolicy
from dupeview.core.marks import Marks
from dupeview.core.records import ImageRecord, Library
from dupeview.gui.accessible import install_roles
from dupeview.gui.card_facts import CardText, folder_text, group_texts
from dupeview.gui.card_style import card_style
from dupeview.gui.card_widget import SIZE_STEP, MemberCard, thumb_box
from dupeview.gui.thumbnails import ThumbnailLoader

__all__ = ["GroupView", "MemberCard", "card_style", "folder_text"]   # (older imports of these from here keep working)

MEMBER_CHANNEL = "group-members"
PREFETCH_CHANNEL = "next-groups"   # the cards' pictures of the groups after the one shown
MIN_CARD = 230
MAX_CARD = 560
# Cards are shown for this long at once (at least FIRST_CARDS); the rest follow in later turns of the event loop, as
# long each, so the window never stalls. A new card costs 12-25 ms on the GUI thread, a reused or spare one about
# 2 ms, and Qt lays out and paints each shown card after it in the same turn (3-4 ms): at 8 ms a turn of the first
# group after a scan took 25-40 ms, at 4 ms 15-25 ms (benchmarks/latency.py).
FIRST_CARDS = 1
FIRST_BUDGET = 0.004
BATCH_BUDGET = 0.004
POOL_SPARE = 32      # hidden cards kept for the next group beyond the ones shown; more are deleted
# While the decoders work the GUI thread waits: spare cards are made then (ResultsPage starts and stops it), one at a
# time this far apart, so the first group after the scan binds them instead of making one card per turn of the loop.
WARM_CARDS = 32
WARM_PAUSE_MS = 30
MIN_THUMB = 120      # the picture's least height, however low the window
THUMB_SHARE = 0.45   # and its most: this share of the view's height


class GroupView(QScrollArea):
    """Cards for each member of one group, laid out in as many columns as fit."""

    mark_toggled = Signal(object, bool)     # Member, wanted state
    current_changed = Signal(object)        # Member
    compare_requested = Signal(object, object)  # Member, Member
    menu_requested = Signal(object, QPoint)

    def __init__(self, loader: ThumbnailLoader, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        install_roles()   # a card is a "list item" to a screen reader
        self.roots: tuple[str, ...] = ()   # the searched folders: cards name them ("Backup 2019 › 2019/07")
        self.policy = KeepPolicy()         # the keep rules: the kept copy's card says which of them chose it
        self._loader = loader
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self._inner, self._grid = self._new_page()
        self.setWidget(self._inner)
        self._cards: list[MemberCard] = []   # the group's cards shown so far, in order: the pool's first ones
        self._pool: list[MemberCard] = []    # every card made, shown or spare
        self._library: Library | None = None
        self._group: Group | None = None
        self._current = 0
        self._columns = 0
        self._width = 0
        self._thumb = 0
        self._generation = 0
        self._todo: list[Member] = []
        self._texts: dict[int, CardText] = {}
        self._marks = Marks()
        self._warm_target = 0
        self._warm_timer = QTimer(self)   # the view's own: it dies with the view (a window closed mid-scan)
        self._warm_timer.setSingleShot(True)
        self._warm_timer.setInterval(WARM_PAUSE_MS)
        self._warm_timer.timeout.connect(self._warm_one)
        loader.loaded.connect(self._on_loaded)
        loader.failed.connect(self._on_failed)
        # Not a tab stop of its own: Tab goes straight to the cards (a click on the free space still focuses it).
        self.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.setAccessibleName(self.tr("Copies in this group"))
        self.setAccessibleDescription(self.tr("One card per copy. Tab or the arrow keys move between them; Space marks "
                                              "the selected copy; the menu key opens its actions"))

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
    def columns(self) -> int:
        return self._columns

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
        if self._has_card_focus():
            # The focused card is about to show another copy, or to be hidden (and Qt would hand the focus to
            # the next card, selecting it): keep the focus here, as when the cards were made anew.
            self.setFocus()
        self._loader.drop_pending(MEMBER_CHANNEL)
        self._generation += 1
        self._library, self._group = library, group
        self._marks = marks
        self._todo = []
        if library is None or group is None:
            self._show_count(0)
            self._cards = []
            self._columns = self._width = 0
            return
        # Words and facts for every card at once: records and measured facts only, no file is read.
        self._texts = group_texts(library, group, self.policy, self.roots)
        self._current = 0
        if current_path is not None:
            for pos, m in enumerate(group.members):
                if library.records[m.index].path == current_path:
                    self._current = pos
        self._todo = list(group.members)
        self._cards = []
        columns, self._width = self._grid_shape(len(group.members))
        self._thumb = self._thumb_height()
        if columns != self._columns:
            self._columns = columns
            self._place(self._pool)
        # The cards of the last group are reused for this one (updated in place: no widget made or deleted,
        # no relayout when the sizes stay); those not updated in this turn are hidden until they are.
        self._build(FIRST_BUDGET)
        self._show_count(len(self._cards), len(group.members))
        self.verticalScrollBar().setValue(0)

    def _show_count(self, n: int, needed: int = 0) -> None:
        """Hide the pooled cards from position n on; spares beyond the `needed` and POOL_SPARE are deleted."""
        for card in self._pool[n:]:
            if not card.isHidden():
                card.hide()
        keep = max(n, needed, POOL_SPARE)
        extra = self._pool[keep:]
        if extra:
            del self._pool[keep:]
            for card in extra:
                self._grid.removeWidget(card)
                card.deleteLater()

    def _build(self, budget: float) -> None:
        """Show the next cards for about `budget` seconds (at least one); the rest in the next turns of the loop."""
        if self._library is None or self._group is None:
            return
        until = time.perf_counter() + budget
        while self._todo and (not self._cards or time.perf_counter() < until or
                              len(self._cards) < FIRST_CARDS):
            m = self._todo.pop(0)
            pos = len(self._cards)
            record = self._library.records[m.index]
            if pos < len(self._pool):
                card = self._pool[pos]
                card.bind(record, self._group, m, self._texts[m.index])
            else:
                card = self._new_card(record, m)
            self._cards.append(card)
            card.set_width(self._width, self._thumb)
            card.set_state(card.record.path in self._marks, pos == self._current)
            if card.isHidden():
                card.show()
            self._request_thumbnail(card)
        if self._todo:
            generation = self._generation
            QTimer.singleShot(0, lambda: self._build(BATCH_BUDGET) if generation == self._generation else None)

    def _new_card(self, record: ImageRecord, m: Member) -> MemberCard:
        assert self._group is not None
        card = MemberCard(record, self._group, m, self._texts[m.index], self._inner)
        self._add_to_pool(card)
        return card

    def warm_pool(self, count: int = WARM_CARDS) -> None:
        """Make spare cards, up to `count` in all, one per WARM_PAUSE_MS while the event loop is free."""
        self._warm_target = count
        if len(self._pool) < count and not self._warm_timer.isActive():
            self._warm_timer.start()

    def stop_warming(self) -> None:
        self._warm_timer.stop()

    @property
    def warming(self) -> bool:
        return self._warm_timer.isActive()

    def _warm_one(self) -> None:
        # A group's cards being shown come first: that build makes what it still needs itself.
        if len(self._pool) >= self._warm_target or self._todo:
            return
        card = MemberCard(None, None, None, None, self._inner)
        card.hide()   # explicitly: a child never hidden is shown with the page (the results page after the scan)
        self._add_to_pool(card)
        self._warm_timer.start()

    def _add_to_pool(self, card: MemberCard) -> None:
        card.clicked.connect(self._on_card_clicked)
        card.double_clicked.connect(self._on_double_clicked)
        card.mark_toggled.connect(self.mark_toggled)
        card.menu_requested.connect(self.menu_requested)
        # Tab goes from the group list into the cards, in their order, each card then its check box
        # (a card made later would otherwise come last in the window's focus chain).
        QWidget.setTabOrder(self._pool[-1].check if self._pool else self, card)
        QWidget.setTabOrder(card, card.check)
        pos = len(self._pool)
        self._pool.append(card)
        columns = max(1, self._columns)   # (none yet before the first group: set_group places them again)
        self._grid.addWidget(card, pos // columns, pos % columns, Qt.AlignmentFlag.AlignTop)

    def _place(self, cards: list[MemberCard]) -> None:
        """Put these cards (positions 0..) in the grid at the current column count."""
        for card in cards:
            self._grid.removeWidget(card)
        for pos, card in enumerate(cards):
            self._grid.addWidget(card, pos // self._columns, pos % self._columns, Qt.AlignmentFlag.AlignTop)

    @property
    def complete(self) -> bool:
        """Every card of the group is built."""
        return not self._todo

    def refresh_marks(self, marks: Marks) -> None:
        # By library index when the marks are of this library (after every regroup): a path lookup
        # builds an index of every group member's path (40,000 at 20,000 groups) on the GUI thread.
        same = marks.library is self._library
        for pos, card in enumerate(self._cards):
            marked = marks.is_marked(card.member.index) if same else card.record.path in marks
            card.set_state(marked, pos == self._current)

    def set_current(self, pos: int, marks: Marks) -> None:
        if not self._cards:
            return
        self._current = max(0, min(pos, len(self._cards) - 1))
        self.refresh_marks(marks)
        card = self._cards[self._current]
        self.ensureWidgetVisible(card)
        if self._has_card_focus() or self.hasFocus():
            card.setFocus(Qt.FocusReason.OtherFocusReason)   # the keyboard follows the selected copy
        self.current_changed.emit(self.current_member)

    def move_current(self, step: int, marks: Marks) -> None:
        self.set_current(self._current + step, marks)

    def _has_card_focus(self) -> bool:
        focus = QApplication.focusWidget()
        return focus is not None and focus is not self and self.isAncestorOf(focus)

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
        thumb = self._thumb_height()
        if not force and (columns, width, thumb) == (self._columns, self._width, self._thumb):
            return
        moved = columns != self._columns
        self._columns, self._width, self._thumb = columns, width, thumb
        for card in self._cards:
            card.set_width(width, thumb)
        if moved:
            self._place(self._pool)
        self._loader.drop_pending(MEMBER_CHANNEL)
        for card in self._cards:
            self._request_thumbnail(card)

    def _thumb_height(self) -> int:
        # In one wide column on a low window the 4:3 picture alone would fill the view: keep the
        # facts under it in sight.
        return max(MIN_THUMB, int(self.viewport().height() * THUMB_SHARE))

    def _fit(self, box: QSize) -> tuple[int, int]:
        """The box in device pixels: what a card's picture is decoded to (no rescale when it is shown)."""
        device = box * self.devicePixelRatioF()   # as MemberCard.set_pixmap measures it
        return device.width(), device.height()

    def _size_for(self, box: QSize) -> int:
        need = max(box.width(), box.height()) * self.devicePixelRatioF()
        return max(SIZE_STEP, int(-(-need // SIZE_STEP)) * SIZE_STEP)

    def prefetch(self, library: Library, groups: list[Group]) -> None:
        """Decode, after everything asked for on screen, the pictures these groups' cards will ask for: the
        next step then finds them in the cache instead of decoding them while the user waits."""
        self._loader.drop_pending(PREFETCH_CHANNEL)
        thumb = self._thumb_height()
        for g in groups:
            box = thumb_box(self._grid_shape(len(g.members))[1], thumb)
            size, fit = self._size_for(box), self._fit(box)
            for m in g.members:
                self._loader.request(library.path(m.index), size, PREFETCH_CHANNEL, background=True, fit=fit)

    def _request_thumbnail(self, card: MemberCard) -> None:
        box = card.thumb_size()
        size = self._size_for(box)
        pm = self._loader.request(card.record.path, size, MEMBER_CHANNEL, fit=self._fit(box))
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
        changed = self.current_member is not member
        for pos, card in enumerate(self._cards):
            if card.member is member:
                self._current = pos
                card.set_state(card.marked, True)
            else:
                card.set_state(card.marked, False)
        if changed or not self._cards:
            self.current_changed.emit(member)

    def _on_double_clicked(self, member: Member) -> None:
        if self._group is None:
            return
        other = self._group.keeper if member is not self._group.keeper else \
            (self._group.members[1] if len(self._group.members) > 1 else None)
        if other is not None:
            self.compare_requested.emit(other, member)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Left/Right are the window's commands ("next copy"); Up/Down move a row of cards, Home/End to the ends.
        key = Qt.Key(event.key())
        if key in (Qt.Key.Key_Left, Qt.Key.Key_Right):
            event.ignore()
            return
        rows = {Qt.Key.Key_Up: -max(1, self._columns), Qt.Key.Key_Down: max(1, self._columns)}
        if self._cards and event.modifiers() == Qt.KeyboardModifier.NoModifier:
            if key in rows:
                if 0 <= self._current + rows[key] < len(self._cards):
                    self.move_current(rows[key], self._marks)
                event.accept()
                return
            if key in (Qt.Key.Key_Home, Qt.Key.Key_End):
                self.set_current(0 if key == Qt.Key.Key_Home else len(self._cards) - 1, self._marks)
                event.accept()
                return
        super().keyPressEvent(event)
