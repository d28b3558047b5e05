"""The keep rules, best first, reorderable by drag or buttons: they pick the copy Auto-mark keeps."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QHBoxLayout, QLabel, QListWidget, QPushButton, QVBoxLayout, QWidget

from dupeview.core.keeper import RULE_LABELS, RULES
from dupeview.gui.i18n import N_, tr
from dupeview.resources import set_icons

RULE_ROLE = Qt.ItemDataRole.UserRole + 1
# The rules' names as the app shows them (core/keeper.py's RULE_LABELS are the engine's, in English, for the CLI).
LABELS = {
    "raw": N_("Prefer RAW originals"),
    "camera": N_("Camera data (make, model, date taken)"),
    "colour": N_("Colour over greyscale"),
    "full_frame": N_("Full frame (no bars, borders or caption)"),
    "sharpest": N_("Sharpest"),
    "quality": N_("Highest JPEG quality"),
    "not_upscaled": N_("Not upscaled (detail fits the resolution)"),
    "resolution": N_("Highest resolution"),
    "size": N_("Largest file"),
    "oldest": N_("Oldest date taken"),
    "folder": N_("In a preferred folder"),
    "format": N_("Preferred format"),
    "path": N_("Shortest path"),
}
RULE_TIPS = {
    "raw": N_("Keep the camera's RAW file (DNG, CR2, NEF, …) over its JPEG and other copies"),
    "camera": N_("Keep the copy that still has the camera's data: make, model and the date taken"),
    "colour": N_("Keep a colour picture over a greyscale copy of it"),
    "full_frame": N_("Keep the whole picture over a copy with bars, borders or a caption added"),
    "sharpest": N_("Keep the sharpest copy: the others may be scaled up or blurred"),
    "quality": N_("Keep the copy saved with the highest JPEG quality (lossless formats count as best)"),
    "not_upscaled": N_("Keep a copy whose detail fits its pixel count over one that was enlarged from a smaller picture"),
    "resolution": N_("Keep the copy with the most pixels"),
    "size": N_("Keep the largest file (usually the least compressed)"),
    "oldest": N_("Keep the copy taken (or saved) first: the original"),
    "folder": N_("Keep copies in preferred folders"),
    "format": N_("Prefer camera formats (HEIF, JPEG) over conversions"),
    "path": N_("Keep the copy with the shortest path"),
}


def rule_label(name: str) -> str:
    """The rule's name in the user's language."""
    return tr(LABELS[name]) if name in LABELS else RULE_LABELS.get(name, name)


class KeepRules(QWidget):
    changed = Signal(tuple)   # the rule names, best first

    def __init__(self, rules: Sequence[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        title = QLabel(tr("<b>Keep rules</b> — which copy is best, first rule first"), self)
        title.setWordWrap(True)
        layout.addWidget(title)
        self.list = QListWidget(self)
        self.list.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.list.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.list.setToolTip(tr("Drag to reorder. Auto-mark keeps the best copy by these rules and marks the rest."))
        self.list.setAccessibleName(tr("Keep rules"))
        for name in list(dict.fromkeys(rules)) + [r for r in RULES if r not in rules]:
            self.list.addItem(rule_label(name))
            item = self.list.item(self.list.count() - 1)
            item.setData(RULE_ROLE, name)
            item.setToolTip(rule_label(name) + ("\n" + tr(RULE_TIPS[name]) if name in RULE_TIPS else ""))
        self.list.setFixedHeight(self.list.sizeHintForRow(0) * self.list.count() + 2 * self.list.frameWidth() + 4)
        self.list.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # A name wider than the sidebar is cut with "…" (its tip has the whole rule), never scrolled sideways: a
        # horizontal scroll bar would hide the last rule under it.
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setTextElideMode(Qt.TextElideMode.ElideRight)
        layout.addWidget(self.list)
        row = QHBoxLayout()
        self.up = QPushButton(tr("Move up"), self)
        self.down = QPushButton(tr("Move down"), self)
        self.up.setToolTip(tr("Make the selected rule more important"))
        self.down.setToolTip(tr("Make the selected rule less important"))
        set_icons((self.up, "go-up"), (self.down, "go-down"))
        row.addWidget(self.up)
        row.addWidget(self.down)
        layout.addLayout(row)
        self.up.clicked.connect(lambda: self.move_rule(-1))
        self.down.clicked.connect(lambda: self.move_rule(1))
        self.list.model().rowsMoved.connect(lambda *_: self.changed.emit(self.rules()))

    def rules(self) -> tuple[str, ...]:
        return tuple(str(self.list.item(i).data(RULE_ROLE)) for i in range(self.list.count()))

    def move_rule(self, step: int) -> None:
        row = self.list.currentRow()
        target = row + step
        if row < 0 or not 0 <= target < self.list.count():
            return
        item = self.list.takeItem(row)
        self.list.insertItem(target, item)
        self.list.setCurrentRow(target)
        self.changed.emit(self.rules())
