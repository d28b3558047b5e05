"""The bar over the results: a path filter, the order of the groups, the scope of the comparison, hiding what can't go."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QLabel, QLineEdit, QSizePolicy, QWidget

from dupeview.core.result_view import SORTS, ViewOptions
from dupeview.core.scope import SCOPES
from dupeview.gui.i18n import N_

FILTER_PAUSE_MS = 180   # typing pauses this long before the groups are filtered (one job per pause, not per key)


def tr(text: str) -> str:
    return QCoreApplication.translate("", text)   # no context: where lupdate files a bare tr() (gui/i18n.py)


# The words shown for each key, marked for lupdate where they are written (gui/i18n.py) and shown with tr().
SORT_LABELS = {"reclaimable": N_("Space to reclaim"), "copies": N_("Number of copies"),
               "similarity": N_("Most similar first"), "folder": N_("Folder")}
SCOPE_LABELS = {"all": N_("Compare everything"), "across": N_("Only across folders"),
                "within": N_("Only within each folder")}
assert SORT_LABELS.keys() == SORTS.keys() and SCOPE_LABELS.keys() == SCOPES.keys()


class FilterEdit(QLineEdit):
    """The path filter; Esc clears it (a second Esc goes back to the list)."""

    escaped = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            if self.text():
                self.clear()
            else:
                self.escaped.emit()
            return
        super().keyPressEvent(event)


class ResultsBar(QWidget):
    """Emits view_changed (filter, sort, hide: no new grouping) and scope_changed (a regroup)."""

    view_changed = Signal(object)   # ViewOptions
    scope_changed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 6)
        self.filter = FilterEdit(self)
        self.filter.setPlaceholderText(tr("Filter by path…"))
        self.filter.setClearButtonEnabled(True)
        self.filter.setMinimumWidth(120)
        self.filter.setToolTip(tr("Show only groups with a copy whose path contains this text (Ctrl+F; Esc clears)"))
        self.filter.setAccessibleName(tr("Filter groups by path"))
        self.filter.setAccessibleDescription(tr("Only groups with a copy whose folder or file name contains this "
                                                "text are listed"))
        layout.addWidget(self.filter, 1)
        self.sort_label = QLabel(tr("&Sort:"), self)
        self.sort = QComboBox(self)
        for key, label in SORT_LABELS.items():
            self.sort.addItem(tr(label), key)
        self.sort_label.setBuddy(self.sort)
        self.sort.setToolTip(tr("The order of the groups in the list"))
        self.sort.setAccessibleName(tr("Sort groups by"))
        self.sort.setAccessibleDescription(tr("Space to reclaim, number of copies, most similar first, or folder"))
        layout.addWidget(self.sort_label)
        layout.addWidget(self.sort)
        self.scope = QComboBox(self)
        for key, label in SCOPE_LABELS.items():
            self.scope.addItem(tr(label), key)
        self.scope.setToolTip(tr("Which copies count: any two files; only a file against one in another searched "
                                 "folder (a backup against the library); or only files inside the same folder "
                                 "(bursts, edits)"))
        self.scope.setAccessibleName(tr("Which copies to compare"))
        self.scope.setAccessibleDescription(tr("Everything, only across the searched folders, or only within each "
                                               "searched folder"))
        layout.addWidget(self.scope)
        self.hide_unremovable = QCheckBox(tr("&Hide unremovable"), self)
        self.hide_unremovable.setToolTip(tr("Hide groups where every copy is in a reference folder or is a hard link "
                                            "of another: nothing can be removed from them"))
        self.hide_unremovable.setAccessibleName(tr("Hide groups with nothing to remove"))
        self.hide_unremovable.setAccessibleDescription(tr("Groups whose copies are all in reference folders or all "
                                                          "hard links are not listed"))
        layout.addWidget(self.hide_unremovable)
        for w in (self.sort, self.scope):
            w.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
            w.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self._pause = QTimer(self)
        self._pause.setSingleShot(True)
        self._pause.setInterval(FILTER_PAUSE_MS)
        self._pause.timeout.connect(self._emit_view)
        self.filter.textChanged.connect(lambda _t: self._pause.start())
        self.sort.currentIndexChanged.connect(lambda _i: self._emit_view())
        self.hide_unremovable.toggled.connect(lambda _on: self._emit_view())
        self.scope.currentIndexChanged.connect(lambda _i: self.scope_changed.emit(self.scope.currentData()))

    def restore(self, sort: str, scope: str, hide_unremovable: bool) -> None:
        """Show remembered choices without announcing them."""
        for w in (self.sort, self.scope, self.hide_unremovable):
            w.blockSignals(True)
        self.sort.setCurrentIndex(max(0, self.sort.findData(sort)))
        self.scope.setCurrentIndex(max(0, self.scope.findData(scope)))
        self.hide_unremovable.setChecked(hide_unremovable)
        for w in (self.sort, self.scope, self.hide_unremovable):
            w.blockSignals(False)

    def view(self) -> ViewOptions:
        return ViewOptions(text=self.filter.text(), sort=str(self.sort.currentData()),
                           hide_unremovable=self.hide_unremovable.isChecked())

    def _emit_view(self) -> None:
        self._pause.stop()
        self.view_changed.emit(self.view())

    def flush(self) -> None:
        """Apply a filter still waiting for the typing pause (Enter does this)."""
        if self._pause.isActive():
            self._emit_view()
