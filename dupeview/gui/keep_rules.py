"""The keep rules, best first, reorderable by drag or buttons: they pick the copy Auto-mark keeps."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QHBoxLayout, QLabel, QListWidget, QPushButton, QVBoxLayout, QWidget

from dupeview.core.keeper import RULE_LABELS, RULES
from dupeview.resources import set_icons

RULE_ROLE = Qt.ItemDataRole.UserRole + 1
RULE_TIPS = {
    "raw": "Keep the camera's RAW file (DNG, CR2, NEF, …) over its JPEG and other copies",
    "resolution": "Keep the copy with the most pixels",
    "size": "Keep the largest file (usually the least compressed)",
    "oldest": "Keep the copy taken (or saved) first: the original",
    "folder": "Keep copies in preferred folders",
    "format": "Prefer camera formats (HEIF, JPEG) over conversions",
    "path": "Keep the copy with the shortest path",
}


class KeepRules(QWidget):
    changed = Signal(tuple)   # the rule names, best first

    def __init__(self, rules: Sequence[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        title = QLabel("<b>Keep rules</b> — which copy is best, first rule first", self)
        title.setWordWrap(True)
        layout.addWidget(title)
        self.list = QListWidget(self)
        self.list.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.list.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.list.setToolTip("Drag to reorder. Auto-mark keeps the best copy by these rules and marks the rest.")
        for name in list(dict.fromkeys(rules)) + [r for r in RULES if r not in rules]:
            self.list.addItem(RULE_LABELS.get(name, name))
            item = self.list.item(self.list.count() - 1)
            item.setData(RULE_ROLE, name)
            item.setToolTip(RULE_TIPS.get(name, ""))
        self.list.setFixedHeight(self.list.sizeHintForRow(0) * self.list.count() + 2 * self.list.frameWidth() + 4)
        self.list.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        layout.addWidget(self.list)
        row = QHBoxLayout()
        self.up = QPushButton("Move up", self)
        self.down = QPushButton("Move down", self)
        self.up.setToolTip("Make the selected rule more important")
        self.down.setToolTip("Make the selected rule less important")
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
