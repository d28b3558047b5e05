"""Two copies of a group large: side by side, split or as a difference; one zoom and pan, flip, mark and keep."""

from __future__ import annotations

import contextlib
import html
import os

from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence, QPixmap, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from dupeview.core.grouping import Group, Member
from dupeview.core.records import ImageRecord
from dupeview.core.report import display_path
from dupeview.core.session import GroupsChanged, Session
from dupeview.gui.card_facts import folder_text, pair_similarity
from dupeview.gui.card_style import differs_color
from dupeview.gui.compare_bar import MODES, GroupBar
from dupeview.gui.compare_diff import diff_pixmap
from dupeview.gui.compare_pane import ZOOM_STEP, ImagePane
from dupeview.gui.i18n import bytes_text
from dupeview.gui.thumbnails import FULL_SIZE, ThumbnailLoader
from dupeview.resources import set_icons

COMPARE_CHANNEL = "compare"


class CompareDialog(QDialog):
    """Compare two members; Space (held) or the Flip button swaps them in place."""

    def __init__(self, loader: ThumbnailLoader, session: Session, group: Group, a: Member, b: Member,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Compare copies"))
        self.setModal(False)
        self._loader = loader
        self._session = session
        self._group = group
        self._sides = [a, b]
        self._records: list[ImageRecord] = [session.record(a), session.record(b)]
        # The members' library: the session's changes after an action (rows renumbered) or a closed window.
        self._library = session.library
        self._mode = 0
        self._split = 0.5
        self._diff: QPixmap | None = None
        self._flipped = False
        self._fit = True
        self._syncing = False
        self.panes = [ImagePane(self), ImagePane(self)]
        self._captions = [QLabel(self), QLabel(self)]

        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.fit_button = QPushButton(self.tr("Fit"), self)
        self.actual_button = QPushButton(self.tr("1:1"), self)
        self.zoom_in = QPushButton(self.tr("Zoom in"), self)
        self.zoom_out = QPushButton(self.tr("Zoom out"), self)
        self.flip_button = QPushButton(self.tr("Hold to flip"), self)
        for w, name, tip in (
                (self.fit_button, self.tr("Fit"), self.tr("Fit both images to the window (F)")),
                (self.actual_button, self.tr("Real size"), self.tr("Show the left image at its real pixels (1)")),
                (self.zoom_in, self.tr("Zoom in"), self.tr("Zoom in (+ or the mouse wheel)")),
                (self.zoom_out, self.tr("Zoom out"), self.tr("Zoom out (-)")),
                (self.flip_button, self.tr("Hold to flip"),
                 self.tr("Press and hold (or hold Space) to swap the two images in place"))):
            w.setToolTip(tip)
            w.setAccessibleName(name)
            w.setAccessibleDescription(tip)
        set_icons((self.fit_button, "zoom-fit"), (self.actual_button, "zoom-actual"), (self.zoom_in, "zoom-in"),
                  (self.zoom_out, "zoom-out"), (self.flip_button, "flip"))
        for w in (self.fit_button, self.actual_button, self.zoom_in, self.zoom_out):
            w.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            bar.addWidget(w)
        bar.addStretch(1)
        self.flip_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        bar.addWidget(self.flip_button)
        layout.addLayout(bar)
        layout.addWidget(self._build_group_bar())
        heads, panes = QHBoxLayout(), QHBoxLayout()   # captions on one row, so one pane alone keeps its caption on top
        self.mark_buttons: list[QPushButton] = []
        self.keep_buttons: list[QPushButton] = []
        for side, (pane, caption) in enumerate(zip(self.panes, self._captions, strict=True)):
            caption.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            caption.setWordWrap(True)
            row = QHBoxLayout()
            row.addWidget(caption, 1)
            mark, keep = QPushButton(self.tr("Mark"), self), QPushButton(self.tr("Keep this one"), self)
            mark.setCheckable(True)
            mark.setToolTip(self.tr("Mark this copy for the next action on the marked files (M for the right one)"))
            keep.setToolTip(self.tr("Keep this copy and mark every other copy of the group (K for the right one)"))
            set_icons((mark, "mark"), (keep, "keep"))
            for w, name in ((mark, self.tr("Mark the {side} copy")), (keep, self.tr("Keep the {side} copy"))):
                w.setFocusPolicy(Qt.FocusPolicy.NoFocus)
                w.setAccessibleName(name.format(side=self.tr("left") if side == 0 else self.tr("right")))
                w.setAccessibleDescription(w.toolTip())
                row.addWidget(w)
            pane.setAccessibleName(self.tr("Left picture") if side == 0 else self.tr("Right picture"))
            pane.setAccessibleDescription(self.tr("Drag to pan, wheel to zoom; both pictures move together"))
            caption.setAccessibleName(self.tr("Left copy's facts") if side == 0 else self.tr("Right copy's facts"))
            mark.clicked.connect(lambda on, k=side: self.mark_side(k, on))
            keep.clicked.connect(lambda _=False, k=side: self.keep_side(k))
            self.mark_buttons.append(mark)
            self.keep_buttons.append(keep)
            heads.addLayout(row, 1)
            panes.addWidget(pane, 1)
        layout.addLayout(heads)
        layout.addLayout(panes, 1)
        self._panes_layout = panes
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        hint = QLabel(self.tr("Drag to pan both · wheel to zoom both · hold Space to flip · F fit · 1 real size · "
                              "← → other copies · M mark · K keep · V view"), self)
        hint.setEnabled(False)
        layout.addWidget(hint)

        self.fit_button.clicked.connect(self.fit)
        self.actual_button.clicked.connect(self.actual_size)
        self.zoom_in.clicked.connect(lambda: self.zoom(ZOOM_STEP))
        self.zoom_out.clicked.connect(lambda: self.zoom(1 / ZOOM_STEP))
        self.flip_button.pressed.connect(lambda: self.set_flipped(True))
        self.flip_button.released.connect(lambda: self.set_flipped(False))
        for key, slot in (("F", self.fit), ("1", self.actual_size), ("+", lambda: self.zoom(ZOOM_STEP)),
                          ("=", lambda: self.zoom(ZOOM_STEP)), ("-", lambda: self.zoom(1 / ZOOM_STEP)),
                          ("Right", lambda: self.step(1)), ("Left", lambda: self.step(-1)),
                          ("M", lambda: self.mark_side(1, not self.mark_buttons[1].isChecked())),
                          ("K", lambda: self.keep_side(1)), ("V", lambda: self.set_mode((self._mode + 1) % len(MODES)))):
            QShortcut(QKeySequence(key), self, slot)
        for pane in self.panes:
            pane.zoomed.connect(self._on_wheel)
            pane.resized.connect(self._refit)
            pane.horizontalScrollBar().valueChanged.connect(self._sync_scroll)
            pane.verticalScrollBar().valueChanged.connect(self._sync_scroll)
        loader.loaded.connect(self._on_loaded)
        session.events.marks_changed.connect(self._on_marks_changed)
        session.events.groups_changed.connect(self._on_groups_changed)
        self._fill_choices()
        self._fit_screen(1200, 760)
        # The dialog itself holds the keyboard focus: Space flips here and never reaches the main window.
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setFocus()
        self._show()
        for r in self._records:
            loader.request(r.path, FULL_SIZE, COMPARE_CHANNEL)

    # -- showing -------------------------------------------------------------------
    def _fit_screen(self, width: int, height: int) -> None:
        """This size, or the screen's free area less a margin when that is smaller (a 1024x700 laptop)."""
        screen = (self.parentWidget() or self).screen()
        free = screen.availableGeometry() if screen is not None else None
        if free is not None and free.width() > 0:
            width, height = min(width, free.width() - 40), min(height, free.height() - 60)
        self.resize(width, height)

    @classmethod
    def show_pair(cls, loader: ThumbnailLoader, session: Session, group: Group, a: Member, b: Member,
                  parent: QWidget) -> CompareDialog:
        """Show a compare window on two members of a group that deletes itself when closed."""
        dialog = cls(loader, session, group, a, b, parent)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        return dialog

    def _best_pixmap(self, path: str) -> QPixmap | None:
        return self._loader.largest(path)

    def _caption(self, record: ImageRecord, other: ImageRecord, side: int) -> str:
        """Name, facts (those that differ from the other side's highlighted), where it lives; the right side
        also says how similar it is to the left."""
        shown, _ = display_path(record.path)
        color = differs_color(self.palette()).name()
        parts = []
        for value, differs in ((f"{record.width} × {record.height}", (record.width, record.height) !=
                                (other.width, other.height)),
                               (bytes_text(record.size), record.size != other.size),
                               (record.format or "?", record.format != other.format)):
            text = html.escape(value)
            parts.append(f"<span style='color:{color}; font-weight:bold'>{text}</span>" if differs else text)
        folder = html.escape(folder_text(record.path, self._session.options.roots))
        similar = ""
        if side == 1:
            right, left = (self._sides[::-1] if self._flipped else self._sides)[::-1]
            score = pair_similarity(self._library, left.index, right.index)
            similar = " · " + html.escape(self.tr("{score} % similar to the left").format(score=score))
        return (f"<b>{html.escape(os.path.basename(shown))}</b> — {', '.join(parts)}"
                f"<br><small>{folder}{similar}</small>")

    def _show(self) -> None:
        order = self._records[::-1] if self._flipped else self._records
        ref = self._records[0]
        single = self._mode != 0
        self.panes[1].setVisible(not single)
        self._panes_layout.setStretch(1, 0 if single else 1)
        first = self._diff if self._mode == 2 else self._best_pixmap(order[0].path)
        self.panes[0].show_pixmap(first, ref.width, ref.height)
        self.panes[1].show_pixmap(self._best_pixmap(order[1].path), ref.width, ref.height)
        self.panes[0].overlay.set_visible(self._mode == 1)
        if self._mode == 1:
            self.panes[0].overlay.show(self._best_pixmap(order[1].path), ref.width, ref.height, self._split)
        for side, (caption, record) in enumerate(zip(self._captions, order, strict=True)):
            caption.setText(self._caption(record, order[1 - side], side))
            caption.setToolTip(display_path(record.path)[0])
            caption.setAccessibleDescription(caption.toolTip())
        self._refresh_marks()
        if self._fit:
            self.fit()

    def _on_loaded(self, path: str, size: int) -> None:
        if self._session.library is not self._library:
            return   # the window closed, or an action renumbered the files: these members are of another library
        if size == FULL_SIZE and path in (r.path for r in self._records):
            if self._mode == 2:
                self._update_diff()
            self._show()

    def set_flipped(self, flipped: bool) -> None:
        if flipped != self._flipped:
            self._flipped = flipped
            self.flip_button.setDown(flipped)
            # Keep the zoom and the scroll position: only the pictures change.
            fit, self._fit = self._fit, False
            self._show()
            self._fit = fit

    @property
    def flipped(self) -> bool:
        return self._flipped

    # -- the group: which two, marks, the view ------------------------------------------
    def _build_group_bar(self) -> GroupBar:
        bar = GroupBar(self)
        self.choices, self.prev_button, self.next_button = bar.choices, bar.prev_button, bar.next_button
        self.mode_box, self.slider, self.diff_label = bar.mode_box, bar.slider, bar.diff_label
        for side, combo in enumerate(self.choices):
            combo.activated.connect(lambda k, sd=side: self.choose(sd, k))
        self.prev_button.clicked.connect(lambda: self.step(-1))
        self.next_button.clicked.connect(lambda: self.step(1))
        self.mode_box.currentIndexChanged.connect(self.set_mode)
        self.slider.valueChanged.connect(self.set_split)
        return bar

    def _fill_choices(self) -> None:
        for combo in self.choices:
            combo.clear()
            for m in self._group.members:
                shown = display_path(self._session.path(m))[0]
                combo.addItem(f"{os.path.basename(shown)} — {os.path.basename(os.path.dirname(shown))}")
                combo.setItemData(combo.count() - 1, shown, Qt.ItemDataRole.ToolTipRole)
        self._select_choices()

    def _select_choices(self) -> None:
        for combo, m in zip(self.choices, self._sides, strict=True):
            combo.setCurrentIndex(self._group.members.index(m))
        several = len(self._group.members) > 2
        self.prev_button.setEnabled(several)
        self.next_button.setEnabled(several)

    @property
    def pair(self) -> tuple[Member, Member]:
        return self._sides[0], self._sides[1]

    def set_pair(self, a: Member, b: Member) -> None:
        """Compare these two members of the group."""
        self._sides = [a, b]
        self._records = [self._session.record(a), self._session.record(b)]
        self._library = self._session.library
        self._diff = None
        self._select_choices()
        for r in self._records:
            self._loader.request(r.path, FULL_SIZE, COMPARE_CHANNEL)
        if self._mode == 2:
            self._update_diff()
        self._fit = True
        self._show()

    def choose(self, side: int, k: int) -> None:
        sides = list(self._sides)
        chosen = self._group.members[k]
        if chosen is sides[1 - side]:   # the same copy on both sides says nothing: swap them instead
            sides[1 - side] = sides[side]
        sides[side] = chosen
        self.set_pair(sides[0], sides[1])

    def step(self, step: int) -> None:
        """The right side shows the next (or previous) copy of the group, skipping the left one."""
        members = self._group.members
        if len(members) < 3:
            return
        k = members.index(self._sides[1])
        while True:
            k = (k + step) % len(members)
            if members[k] is not self._sides[0]:
                break
        self.set_pair(self._sides[0], members[k])

    def mark_side(self, side: int, on: bool) -> None:
        member = self._sides[::-1][side] if self._flipped else self._sides[side]
        why = self._session.mark(member, on)
        self.status.setText(self.tr("Not marked: {why}.").format(why=why) if why else "")
        self._refresh_marks()

    def keep_side(self, side: int) -> None:
        member = self._sides[::-1][side] if self._flipped else self._sides[side]
        self._session.keep_only(member)
        self.status.setText(self.tr("Kept {name}; the other copies of the group are marked.").format(
            name=os.path.basename(self._session.path(member))))

    def _refresh_marks(self) -> None:
        order = self._sides[::-1] if self._flipped else self._sides
        for button, m in zip(self.mark_buttons, order, strict=True):
            marked = self._session.marks.is_marked(m.index)
            button.setChecked(marked)
            button.setText(self.tr("Marked") if marked else self.tr("Mark"))
            button.setEnabled(marked or self._session.marks.refusal(m) is None)

    def _on_marks_changed(self, _row: int | None) -> None:
        self._refresh_marks()

    def _on_groups_changed(self, change: GroupsChanged) -> None:
        """The groups were rebuilt (an action, an undo, a regroup): follow this pair, or close if it is gone."""
        row = self._session.row_of(self._records[0].path)
        group = change.groups[row] if row is not None else None
        by_path = {self._session.path(m): m for m in group.members} if group is not None else {}
        a, b = (by_path.get(r.path) for r in self._records)
        if group is None or a is None or b is None:
            self.close()
            return
        self._group = group
        self._fill_choices()
        self.set_pair(a, b)

    def set_mode(self, mode: int) -> None:
        """0 side by side, 1 split, 2 difference."""
        if mode == self._mode:
            return
        self._mode = mode
        self.mode_box.setCurrentIndex(mode)   # (a no-op when the box called)
        self.slider.setVisible(mode == 1)
        self.flip_button.setEnabled(mode == 0)
        if mode == 2:
            self._update_diff()
        else:
            self.diff_label.clear()
        self._fit = True
        self._show()

    @property
    def mode(self) -> int:
        return self._mode

    def set_split(self, value: int) -> None:
        self._split = value / 100
        if self._mode == 1:
            ref = self._records[0]
            self.panes[0].overlay.show(self._best_pixmap(self._records[1].path), ref.width, ref.height, self._split)

    def _update_diff(self) -> None:
        a, b = (self._best_pixmap(r.path) for r in self._records)
        if a is None or b is None or a.isNull() or b.isNull():
            self._diff = None
            self.diff_label.setText(self.tr("Loading…"))
            return
        ref = self._records[0]
        self._diff, d = diff_pixmap(a, b, ref.width, ref.height)
        self.diff_label.setText(self.tr("{changed:.1%} of the picture differs · mean difference {mean:.1%}").format(
            changed=d.changed, mean=d.mean))

    # -- zoom and pan -------------------------------------------------------------
    def fit(self) -> None:
        self._fit = True
        for pane in self.panes:
            pane.fitInView(pane.sceneRect(), Qt.AspectRatioMode.KeepAspectRatio)

    def _refit(self) -> None:
        if self._fit:
            self.fit()

    def actual_size(self) -> None:
        self._fit = False
        scale = 1.0 / self.devicePixelRatioF()
        for pane in self.panes:
            pane.resetTransform()
            pane.scale(scale, scale)

    def zoom(self, factor: float, anchor: QPointF | None = None) -> None:
        self._fit = False
        for pane in self.panes:
            pane.scale(factor, factor)
            if anchor is not None:
                pane.centerOn(anchor)
        self._sync_scroll()

    def scale(self) -> float:
        return self.panes[0].transform().m11()

    def _on_wheel(self, factor: float, point: QPointF) -> None:
        source = self.sender()
        self._fit = False
        self._syncing = True
        try:
            for pane in self.panes:
                pane.scale(factor, factor)
        finally:
            self._syncing = False
        if isinstance(source, ImagePane):
            self._copy_scroll(source)

    def _sync_scroll(self, *_: object) -> None:
        source = self.sender()
        if self._syncing:
            return
        if isinstance(source, ImagePane):
            self._copy_scroll(source)
            return
        for pane in self.panes:
            if source in (pane.horizontalScrollBar(), pane.verticalScrollBar()):
                self._copy_scroll(pane)
                return

    def _copy_scroll(self, source: ImagePane) -> None:
        self._syncing = True
        try:
            for pane in self.panes:
                if pane is not source:
                    pane.horizontalScrollBar().setValue(source.horizontalScrollBar().value())
                    pane.verticalScrollBar().setValue(source.verticalScrollBar().value())
        finally:
            self._syncing = False

    def resizeEvent(self, event: object) -> None:
        super().resizeEvent(event)  # type: ignore[arg-type]
        if self._fit:
            self.fit()

    def showEvent(self, event: object) -> None:
        super().showEvent(event)  # type: ignore[arg-type]
        self.setFocus()

    def event(self, event: QEvent) -> bool:
        # Claim Space before any window shortcut (the main window's "toggle mark") can take it.
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent) \
                and event.key() == Qt.Key.Key_Space:
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Space:
            if not event.isAutoRepeat():
                self.set_flipped(True)
            event.accept()
            return
        super().keyPressEvent(event)

    def keyReleaseEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Space:
            if not event.isAutoRepeat():
                self.set_flipped(False)
            event.accept()
            return
        super().keyReleaseEvent(event)

    def done(self, result: int) -> None:
        self._loader.drop_pending(COMPARE_CHANNEL)
        with contextlib.suppress(RuntimeError, TypeError):
            self._loader.loaded.disconnect(self._on_loaded)
        with contextlib.suppress(ValueError):   # done twice (closed, then deleted)
            self._session.events.marks_changed.disconnect(self._on_marks_changed)
            self._session.events.groups_changed.disconnect(self._on_groups_changed)
        super().done(result)
