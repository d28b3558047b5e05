"""The notice while pairs are searched further than before (a looser slider: at a million files a minute): what runs,
for how long so far, and a Stop button. The window stays usable meanwhile; a slider move that needs another
search stops this one."""

from __future__ import annotations

import time

from PySide6.QtCore import QCoreApplication, QTimer, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

from dupeview.core.session_types import Widening
from dupeview.gui.i18n import number

SHOW_AFTER_MS = 400   # a search from remembered pairs ends sooner: no notice flashes for it
TICK_MS = 500         # the seconds shown are updated this often


def tr(text: str) -> str:
    return QCoreApplication.translate("", text)   # no context: where lupdate files a bare tr() (gui/i18n.py)


class SearchProgress(QFrame):
    """Hidden until a search further has run SHOW_AFTER_MS; stop_requested when the user clicks Stop."""

    stop_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("searchProgress")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        self.bar = QProgressBar(self)
        self.bar.setRange(0, 0)   # busy: the search does not know how much of it is left
        self.bar.setTextVisible(False)
        self.bar.setMaximumWidth(160)
        self.bar.setAccessibleName(tr("Looking for less similar copies"))
        self.label = QLabel(self)
        self.stop_button = QPushButton(tr("Stop"), self)
        self.stop_button.setToolTip(tr("Stop looking and set the slider back to the loosest step already searched"))
        self.stop_button.clicked.connect(self.stop_requested.emit)
        layout.addWidget(self.bar)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.stop_button)
        self._running: Widening | None = None
        self._started = 0.0
        self._show = QTimer(self)
        self._show.setSingleShot(True)
        self._show.setInterval(SHOW_AFTER_MS)
        self._show.timeout.connect(self._appear)
        self._tick = QTimer(self)
        self._tick.setInterval(TICK_MS)
        self._tick.timeout.connect(self._update)
        self.hide()

    @property
    def running(self) -> bool:
        return self._running is not None

    def show_widening(self, widening: Widening) -> None:
        """The Session's widening event: a search started (shown soon) or ended (hidden)."""
        if widening.running:
            self._running, self._started = widening, time.monotonic()
            self._update()
            self._show.start()
            return
        self._running = None
        self._show.stop()
        self._tick.stop()
        self.hide()

    def _appear(self) -> None:
        if self._running is not None:
            self._update()
            self.show()
            self._tick.start()

    def _update(self) -> None:
        w = self._running
        if w is None:
            return
        seconds = int(time.monotonic() - self._started)
        self.label.setText(tr("Looking for less similar copies among {n} images… {s} s").format(
            n=number(w.files), s=seconds))
