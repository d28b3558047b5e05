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
from dupeview.gui.card_facts import CardText

SIZE_STEP = 32       # thumbnails are decoded at the card's size, rounded up to this: no big rescale on the GUI thread
KEY_WIDTH = 82       # room for the facts' names


def _tip(value: str, tip: str) -> str:
    """A value's tooltip: the value whole (the card may elide it), then what it means or the kept copy's."""
    return f"{value}\n{tip}" if tip else value


class MemberCard(QFrame):
    """One copy: thumbnail, badges, facts, and its mark. Takes the keyboard focus; its check box too."""

    clicked = Signal(object)            # Member (also when it gets the focus)
    double_clicked = Signal(object)
    mark_toggled = Signal(object, bool)
    menu_requested = Signal(object, QPoint)

    def __init__(self, record: ImageRecord, group: Group, member: Member, text: CardText,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.member = member
        self.record = record
        self.text = text
        self.setObjectName("memberCard")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.setSpacing(4)

        self.thumb = QLabel(self)
        self.thumb.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.thumb.setObjectName("thumb")
        self.thumb.setToolTip(self.tr("{path}\nDouble-click to compare with the best copy").format(path=text.path))
        layout.addWidget(self.thumb, 0, Qt.AlignmentFlag.AlignHCenter)

        top = QHBoxLayout()
        self.check = QCheckBox(self.tr("Mark"), self)
        self.check.setToolTip(self.tr("Mark this copy for the action on the marked files: Trash marked… or "
                                      "Other actions (Space)"))
        self.check.setAccessibleName(self.tr("Mark {name}").format(name=text.name))
        self.check.setAccessibleDescription(self.check.toolTip())
        self.check.clicked.connect(lambda on: self.mark_toggled.emit(self.member, bool(on)))
        self.check.installEventFilter(self)
        top.addWidget(self.check)
        top.addStretch(1)
        # Badges sit on the picture's top left corner, as in a photo library: the row under it
        # keeps room for the check box however many there are.
        chips = QVBoxLayout(self.thumb)   # one under the other: three never squeeze each other
        chips.setContentsMargins(6, 6, 6, 6)
        chips.setSpacing(3)
        self.badges: list[QLabel] = []
        for label, tip in self._badges(group, member):
            b = QLabel(label, self.thumb)
            b.setObjectName("badge")
            b.setToolTip(tip)
            b.setAccessibleName(label)
            b.setAccessibleDescription(tip)
            self.badges.append(b)
            b.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
            chips.addWidget(b, 0, Qt.AlignmentFlag.AlignLeft)
        chips.addStretch(1)
        if member.reference:
            self.check.setEnabled(False)
            self.check.setToolTip(self.tr("Reference files are protected and never marked"))
            self.check.setAccessibleDescription(self.check.toolTip())
        self.menu_button = QToolButton(self)
        self.menu_button.setText("⋯")
        self.menu_button.setAutoRaise(True)
        self.menu_button.setToolTip(self.tr("More actions for this copy (menu key)"))
        self.menu_button.setAccessibleName(self.tr("More actions for {name}").format(name=text.name))
        self.menu_button.setAccessibleDescription(self.tr("Mark, keep, compare, open or reveal this copy"))
        # One tab stop per card and one for its check box; the card's menu is on the menu key.
        self.menu_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.menu_button.clicked.connect(lambda: self._menu_at(self.menu_button.mapToGlobal(
            QPoint(0, self.menu_button.height()))))
        top.addWidget(self.menu_button)
        layout.addLayout(top)

        self.name = QLabel(self)
        self.name.setObjectName("fileName")
        self.name.setToolTip(text.path)
        layout.addWidget(self.name)
        self.values: dict[str, QLabel] = {}
        folder = next(f for f in text.facts if f.key == "folder")
        # Where it lives gets the card's whole width, under its name: "Backup 2019 › 2019/07".
        self.location = QLabel(folder.value, self)
        self.location.setObjectName("location")
        self.location.setProperty("differs", folder.differs)
        self.location.setToolTip(_tip(folder.value, folder.tip))
        self.location.setAccessibleName(self.tr("Folder"))
        self.values["folder"] = self.location
        layout.addWidget(self.location)
        self.summary = QLabel(text.summary, self)
        self.summary.setObjectName("cardSummary")
        self.summary.setWordWrap(True)
        self.summary.setToolTip(text.summary_tip)
        self.summary.setProperty("kept", text.similarity is None)
        layout.addWidget(self.summary)

        grid = QGridLayout()
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(1)
        for row, fact in enumerate(f for f in text.facts if f.key != "folder"):
            key = QLabel(fact.label, self)
            key.setObjectName("factName")
            val = QLabel(fact.value, self)
            val.setObjectName("factValue")
            val.setProperty("differs", fact.differs)
            val.setToolTip(_tip(fact.value, fact.tip))
            key.setToolTip(val.toolTip())
            self.values[fact.key] = val
            grid.addWidget(key, row, 0, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(val, row, 1)
        grid.setColumnStretch(1, 1)
        layout.addLayout(grid)
        self._marked = False
        self._current = False
        self._describe()

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
        self.setFixedWidth(width)
        inner = width - 18
        self.thumb.setFixedSize(inner, min(int(inner * 0.75), thumb_height or inner))
        fm = self.name.fontMetrics()
        self.name.setText(fm.elidedText(self.text.name, Qt.TextElideMode.ElideMiddle, inner))
        for fact in self.text.facts:
            label = self.values[fact.key]
            fm = label.fontMetrics()
            if fact.key == "folder":
                # The searched folder's name is never elided: only the path inside it gives way.
                root = self.text.root if fact.value.startswith(self.text.root) else ""
                rest = fm.elidedText(fact.value[len(root):], Qt.TextElideMode.ElideLeft,
                                     max(24, inner - fm.horizontalAdvance(root)))
                label.setText(root + rest)
            else:
                label.setText(fm.elidedText(fact.value, Qt.TextElideMode.ElideRight, max(20, inner - KEY_WIDTH)))
        self.adjustSize()
        self.setFixedHeight(self.sizeHint().height())

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
