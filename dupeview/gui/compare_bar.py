"""The compare window's group bar: which two copies, previous/next, the view (side by side, split, difference)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QSlider, QWidget

from dupeview.gui.i18n import N_
from dupeview.resources import set_icons

MODES = (N_("Side by side"), N_("Split"), N_("Difference"))


def tr(text: str) -> str:
    return QCoreApplication.translate("", text)   # no context: where lupdate files a bare tr() (gui/i18n.py)


class GroupBar(QWidget):
    """Only widgets: the compare dialog connects them."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        bar = QHBoxLayout(self)
        bar.setContentsMargins(0, 0, 0, 0)
        self.choices = [QComboBox(self), QComboBox(self)]
        for side, combo in enumerate(self.choices):
            combo.setAccessibleName(tr("Left copy") if side == 0 else tr("Right copy"))
            combo.setToolTip(tr("Which copy of the group to show on this side"))
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(12)   # the window fits a small screen (whole paths: the tooltips)
        self.prev_button = QPushButton(tr("Previous copy"), self)
        self.next_button = QPushButton(tr("Next copy"), self)
        self.prev_button.setToolTip(tr("Show the previous copy of the group on the right (←)"))
        self.next_button.setToolTip(tr("Show the next copy of the group on the right (→)"))
        set_icons((self.prev_button, "go-left"), (self.next_button, "go-right"))
        self.mode_box = QComboBox(self)
        self.mode_box.addItems([tr(m) for m in MODES])
        self.mode_box.setAccessibleName(tr("View"))
        self.mode_box.setToolTip(tr("Side by side, one picture over the other with a split line, or where they "
                                    "differ (V)"))
        self.slider = QSlider(Qt.Orientation.Horizontal, self)
        self.slider.setRange(0, 100)
        self.slider.setValue(50)
        self.slider.setAccessibleName(tr("Split position"))
        self.slider.setToolTip(tr("Left of the line: the left copy; right of it: the right copy"))
        self.slider.setVisible(False)
        self.diff_label = QLabel(self)
        against = QLabel(tr("against"), self)
        for w in (*self.choices, self.prev_button, self.next_button, self.mode_box, self.slider):
            w.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        for w, stretch in ((self.choices[0], 1), (against, 0), (self.choices[1], 1), (self.prev_button, 0),
                           (self.next_button, 0), (self.mode_box, 0), (self.slider, 1), (self.diff_label, 0)):
            bar.addWidget(w, stretch)
