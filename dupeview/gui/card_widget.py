"""One copy of a group as a card: thumbnail, badges, its mark, and its facts against the kept copy's."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPoint, QSize, Qt, Signal
from PySide6.QtGui import QContextMenuEvent, QFocusEvent, QMouseEvent, QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from dupeview.core.grouping import Group, Member
from dupeview.core.records import ImageRecord
from dupeview.gui.card_facts import ROWS, CardText

SIZE_STEP = 32       # thumbnails are decoded at the card's size, rounded up to this: no big rescale on the GUI thread
MARGIN = 8           # inside the card's border
MAX_BORDER = 3       # card_style: 2 px, 3 px when focused or current and marked
KEY_GAP = 8          # between a fact's name and its value (the grid's spacing)


def _set_text(label: QLabel, text: str) -> None:
    if label.text() != text:   # an unchanged text costs no new size hint
        label.setText(text)


def _set_flag(widget: QWidget, name: str, on: bool) -> None:
    """A style-sheet property; a reused label is restyled only when it changes."""
    if widget.property(name) is on:
        return
    widget.setProperty(name, on)
    if widget.isVisible() or widget.testAttribute(Qt.WidgetAttribute.WA_WState_Polished):
        widget.style().unpolish(widget)
        widget.style().polish(widget)


def _tip(value: str, tip: str) -> str:
    """A value's tooltip: the value whole (the card may elide it), then what it means or the kept copy's."""
    return f"{value}\n{tip}" if tip else value


_KEY_WIDTHS: dict[tuple[tuple[str, ...], str], int] = {}   # (fact names, font) -> the widest name's width


def thumb_box(width: int, thumb_height: int | None) -> QSize:
    """The picture's box in a card of this width: 4:3, at most `thumb_height` high."""
    inner = width - 2 * (MARGIN + MAX_BORDER)
    return QSize(inner, min(int(inner * 0.75), thumb_height or inner))


class MemberCard(QFrame):
    """One copy: thumbnail, badges, facts, and its mark. Takes the keyboard focus; its check box too."""

    clicked = Signal(object)            # Member (also when it gets the focus)
    double_clicked = Signal(object)
    mark_toggled = Signal(object, bool)
    menu_requested = Signal(object, QPoint)

    member: Member
    record: ImageRecord
    text: CardText

    def __init__(self, record: ImageRecord | None, group: Group | None, member: Member | None,
                 text: CardText | None, parent: QWidget | None = None) -> None:
        """A card showing this member; a spare one (made ahead, GroupView.warm_pool) when they are None."""
        super().__init__(parent)
        self.setObjectName("memberCard")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(MARGIN, MARGIN, MARGIN, MARGIN)
        layout.setSpacing(4)

        self.thumb = QLabel(self)
        self.thumb.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.thumb.setObjectName("thumb")
        layout.addWidget(self.thumb, 0, Qt.AlignmentFlag.AlignHCenter)

        top = QHBoxLayout()
        self.check = QCheckBox(self.tr("Mark"), self)
        self.check.clicked.connect(lambda on: self.mark_toggled.emit(self.member, bool(on)))
        self.check.installEventFilter(self)
        top.addWidget(self.check)
        top.addStretch(1)
        # Badges sit on the picture's top left corner, as in a photo library: the row under it
        # keeps room for the check box however many there are.
        self._chips = QVBoxLayout(self.thumb)   # one under the other: three never squeeze each other
        self._chips.setContentsMargins(6, 6, 6, 6)
        self._chips.setSpacing(3)
        self._chips.addStretch(1)
        self._badge_pool: list[QLabel] = []     # made once, shown as needed: a card is reused for the next group
        self.badges: list[QLabel] = []          # the ones shown, in order
        self.menu_button = QToolButton(self)
        self.menu_button.setText("⋯")
        self.menu_button.setAutoRaise(True)
        self.menu_button.setToolTip(self.tr("More actions for this copy (menu key)"))
        self.menu_button.setAccessibleDescription(self.tr("Mark, keep, compare, open or reveal this copy"))
        # One tab stop per card and one for its check box; the card's menu is on the menu key.
        self.menu_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.menu_button.clicked.connect(lambda: self._menu_at(self.menu_button.mapToGlobal(
            QPoint(0, self.menu_button.height()))))
        top.addWidget(self.menu_button)
        layout.addLayout(top)

        self.name = QLabel(self)
        self.name.setObjectName("fileName")
        layout.addWidget(self.name)
        self.values: dict[str, QLabel] = {}
        self._names: dict[str, QLabel] = {}
        # Where it lives gets the card's whole width, under its name: "Backup 2019 › 2019/07".
        self.location = QLabel(self)
        self.location.setObjectName("location")
        self.location.setAccessibleName(self.tr("Folder"))
        self.values["folder"] = self.location
        layout.addWidget(self.location)
        self.summary = QLabel(self)
        self.summary.setObjectName("cardSummary")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)

        self._grid = QGridLayout()
        self._grid.setHorizontalSpacing(KEY_GAP)
        self._grid.setVerticalSpacing(1)
        self._grid.setColumnStretch(1, 1)
        layout.addLayout(self._grid)
        self._marked = False
        self._current = False
        self._width: tuple[int, int | None] | None = None   # what set_width last laid out
        if record is None or group is None or member is None or text is None:
            # Every card has the same fact rows: a spare one gets them now, and its texts when it is bound.
            self._make_rows([key for key, _label in ROWS if key != "folder"])
            self.ensurePolished()   # the style sheet's work for the card and its labels, done before it is needed
        else:
            self.bind(record, group, member, text)

    def bind(self, record: ImageRecord, group: Group, member: Member, text: CardText) -> None:
        """Show this copy: the card of another group's copy is reused (texts, badges and names updated in place),
        which costs a fraction of building one."""
        self.member = member
        self.record = record
        self.text = text
        self.thumb.setToolTip(self.tr("{path}\nDouble-click to compare with the best copy").format(path=text.path))
        self.check.setAccessibleName(self.tr("Mark {name}").format(name=text.name))
        self.check.setEnabled(not member.reference)
        self.check.setToolTip(self.tr("Reference files are protected and never marked") if member.reference else
                              self.tr("Mark this copy for the action on the marked files: Trash marked… or "
                                      "Other actions (Space)"))
        self.check.setAccessibleDescription(self.check.toolTip())
        self._set_badges(self._badges(group, member))
        self.menu_button.setAccessibleName(self.tr("More actions for {name}").format(name=text.name))
        self.name.setToolTip(text.path)
        folder = next(f for f in text.facts if f.key == "folder")
        _set_flag(self.location, "differs", folder.differs)
        self.location.setToolTip(_tip(folder.value, folder.tip))
        self.summary.setText(text.summary)
        self.summary.setToolTip(text.summary_tip)
        _set_flag(self.summary, "kept", text.similarity is None)
        rows = [f for f in text.facts if f.key != "folder"]
        if [f.key for f in rows] != [k for k in self.values if k != "folder"]:
            self._make_rows([f.key for f in rows])
        for fact in rows:
            key, val = self._names[fact.key], self.values[fact.key]
            key.setText(fact.label)
            _set_flag(val, "differs", fact.differs)
            val.setToolTip(_tip(fact.value, fact.tip))
            key.setToolTip(val.toolTip())
        if self._width is not None:
            self._lay_out(*self._width)
        else:   # not laid out yet: the texts whole (set_width elides them)
            self.name.setText(text.name)
            for fact in text.facts:
                self.values[fact.key].setText(fact.value)
        self._describe()

    def _make_rows(self, keys: list[str]) -> None:
        """The facts table's labels, one row per fact (made once: every card has the same rows)."""
        for k in [k for k in self.values if k != "folder"]:
            for label in (self._names.pop(k), self.values.pop(k)):
                self._grid.removeWidget(label)
                label.deleteLater()
        for row, fact_key in enumerate(keys):
            key = QLabel(self)
            key.setObjectName("factName")
            val = QLabel(self)
            val.setObjectName("factValue")
            self._names[fact_key], self.values[fact_key] = key, val
            self._grid.addWidget(key, row, 0, Qt.AlignmentFlag.AlignTop)
            self._grid.addWidget(val, row, 1)

    def _set_badges(self, badges: list[tuple[str, str]]) -> None:
        while len(self._badge_pool) < len(badges):
            b = QLabel(self.thumb)
            b.setObjectName("badge")
            b.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
            self._chips.insertWidget(len(self._badge_pool), b, 0, Qt.AlignmentFlag.AlignLeft)
            self._badge_pool.append(b)
        for b, (label, tip) in zip(self._badge_pool, badges, strict=False):
            b.setText(label)
            b.setToolTip(tip)
            b.setAccessibleName(label)
            b.setAccessibleDescription(tip)
        for pos, b in enumerate(self._badge_pool):
            b.setVisible(pos < len(badges))
        self.badges = self._badge_pool[:len(badges)]

    def _badges(self, group: Group, member: Member) -> list[tuple[str, str]]:
        badges = []
        if member is group.keeper:
            badges.append((self.tr("Best copy"), self.tr("The copy the keep rules would keep")))
        if member.reference:
            badges.append((self.tr("Reference"), self.tr("In a reference folder: protected, never marked or removed")))
        if member.identical and member is not group.keeper:
            badges.append((self.tr("Identical"), self.tr("Byte-for-byte the same file as the best copy")))
        if member.hardlink:
            badges.append((self.tr("Hard link"), self.tr("Shares its data with another copy: removing it frees no space")))
        return badges

    def _describe(self) -> None:
        """The card's accessible name and description: what a screen reader says on reaching it."""
        t = self.text
        state = self.tr("marked") if self._marked else self.tr("not marked")
        badges = ", ".join(b.text() for b in self.badges)
        self.setAccessibleName(", ".join(p for p in (t.name, badges, state) if p))
        differing = [f.label for f in t.facts if f.differs]
        facts = "; ".join(f"{f.label}: {f.value}" for f in t.facts)
        diff = self.tr("Differs from the best copy in: {facts}.").format(facts=", ".join(differing)) if differing else ""
        self.setAccessibleDescription(" ".join(p for p in (t.summary + ".", diff, facts) if p))

    # -- size and picture ------------------------------------------------------------
    def set_width(self, width: int, thumb_height: int | None = None) -> None:
        """Lay the card out at this width; the picture 4:3, or at most `thumb_height` high."""
        if self._width == (width, thumb_height):
            return
        self._width = (width, thumb_height)
        self.setFixedWidth(width)
        # The room inside the margins and the thickest border the style sheet gives a card (3 px, focused):
        # what fits then fits in every state.
        self.thumb.setFixedSize(thumb_box(width, thumb_height))
        self._lay_out(width, thumb_height)

    def _lay_out(self, width: int, thumb_height: int | None) -> None:
        """The texts elided to the width, and the card as high as they need."""
        inner = width - 2 * (MARGIN + MAX_BORDER)
        fm = self.name.fontMetrics()
        _set_text(self.name, fm.elidedText(self.text.name, Qt.TextElideMode.ElideMiddle, inner))
        # The names' column is as wide as its longest name in this language ("Aufnahmedatum" is wider than
        # "Date taken"); the values get the rest.
        key_width = self._key_width() + KEY_GAP
        for fact in self.text.facts:
            label = self.values[fact.key]
            label.ensurePolished()   # a differing value is bold by the style sheet: measure it as drawn
            fm = label.fontMetrics()
            if fact.key == "folder":
                # The searched folder's name is never elided: only the path inside it gives way.
                root = self.text.root if fact.value.startswith(self.text.root) else ""
                rest = fm.elidedText(fact.value[len(root):], Qt.TextElideMode.ElideLeft,
                                     max(24, inner - fm.horizontalAdvance(root)))
                _set_text(label, root + rest)
            else:
                _set_text(label, fm.elidedText(fact.value, Qt.TextElideMode.ElideRight, max(20, inner - key_width)))
        # The summary wraps (a long keeper reason in German): the height at this width, not the unwrapped hint.
        layout = self.layout()
        self.setFixedHeight(layout.totalHeightForWidth(width) if layout is not None and layout.hasHeightForWidth()
                            else self.sizeHint().height())

    def _key_width(self) -> int:
        """The widest fact name as drawn: the same for every card in a language and font, so measured once."""
        labels = tuple(w.text() for w in self._names.values())
        key = (labels, self.font().key())
        width = _KEY_WIDTHS.get(key)
        if width is None:
            width = max((w.sizeHint().width() for w in self._names.values()), default=0)
            if all(w.testAttribute(Qt.WidgetAttribute.WA_WState_Polished) for w in self._names.values()):
                _KEY_WIDTHS[key] = width   # as the style sheet draws them: kept (not before it applies)
        return width

    def thumb_size(self) -> QSize:
        return self.thumb.size()

    def set_pixmap(self, pm: QPixmap | None, error: str | None = None) -> None:
        if pm is None or pm.isNull():
            self.thumb.setPixmap(QPixmap())
            self.thumb.setText(error or self.tr("Loading…"))
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

    # -- state and input ---------------------------------------------------------------
    @property
    def marked(self) -> bool:
        return self._marked

    def set_state(self, marked: bool, current: bool) -> None:
        if (marked, current) == (self._marked, self._current):
            return
        changed = marked != self._marked
        self._marked, self._current = marked, current
        self.check.setChecked(marked)
        self.setProperty("marked", marked)
        self.setProperty("current", current)
        self.style().unpolish(self)
        self.style().polish(self)
        if changed:
            self._describe()

    def _menu_at(self, pos: QPoint) -> None:
        self.clicked.emit(self.member)
        self.menu_requested.emit(self.member, pos)

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self.clicked.emit(self.member)   # the focused card is the selected copy: Space, K, C act on it

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self.clicked.emit(self.member)
        super().mousePressEvent(event)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self.double_clicked.emit(self.member)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        # The menu key and Shift+F10 come here too (reason Keyboard): open the menu under the card's top.
        pos = event.globalPos() if event.reason() == QContextMenuEvent.Reason.Mouse \
            else self.mapToGlobal(QPoint(self.width() // 2, self.thumb.height() // 2))
        self._menu_at(pos)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.check and event.type() == QEvent.Type.FocusIn:
            self.clicked.emit(self.member)   # its check box focused: this is the selected copy
        return False
