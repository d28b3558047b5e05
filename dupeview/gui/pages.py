"""The window's parts that are not the results: the notice bar, the first-launch page, the scanning page, the sidebar."""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QDragEnterEvent, QDropEvent, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from dupeview.core.progress import Progress
from dupeview.core.report import display_path
from dupeview.core.session import Scanned
from dupeview.gui.accessible import describe
from dupeview.gui.folders import FolderPanel, dropped_folders, take_folder_drop
from dupeview.gui.i18n import decimal, number
from dupeview.gui.keep_rules import KeepRules
from dupeview.gui.similarity import SimilarityControl
from dupeview.gui.theme import is_dark
from dupeview.settings import Settings

PAGE_EMPTY, PAGE_SCANNING, PAGE_RESULTS = 0, 1, 2
SIDEBAR_WIDTH = 270
MESSAGE_COLORS = {"info": ("#1f6fb2", "#e8f1fb"), "warning": ("#a86b00", "#fff4de"), "error": ("#b3261e", "#fdeceb"),
                  "success": ("#2f7d46", "#e6f4ea")}   # (accent, pale background) on a light window


def message_colors(kind: str, palette: QPalette) -> tuple[str, str, str]:
    """(text, background, border) of a notice: pale with dark text on a light window, a dark tint of the
    accent with the palette's light text on a dark one (a pale bar glares there and its × vanished)."""
    accent, pale = MESSAGE_COLORS.get(kind, MESSAGE_COLORS["info"])
    if not is_dark(palette):
        return "#202020", pale, accent
    window, tint = palette.color(QPalette.ColorRole.Window), QColor(accent)
    w, t = (window.redF(), window.greenF(), window.blueF()), (tint.redF(), tint.greenF(), tint.blueF())
    mixed = QColor.fromRgbF(*(a * 0.7 + b * 0.3 for a, b in zip(w, t, strict=True)))
    return palette.color(QPalette.ColorRole.WindowText).name(), mixed.name(), tint.lighter(150).name()


def tr(text: str) -> str:
    return QCoreApplication.translate("", text)   # no context: where lupdate files a bare tr() (gui/i18n.py)


def human_duration(seconds: float) -> str:
    if seconds < 60:
        return f"{max(1, round(seconds))} s"
    if seconds < 3600:
        return f"{round(seconds / 60)} min"
    return f"{decimal(seconds / 3600, 1)} h"


def plural(n: int) -> str:
    return "s" if n != 1 else ""


def scanned_text(result: Scanned) -> str:
    lib, n = result.library, result.groups
    return tr("Scanned {images} images ({read} read, {known} known from before) in {time}: {n} group{s} of copies.").format(
        images=number(len(lib)), read=number(lib.hashed), known=number(lib.reused), time=human_duration(result.seconds),
        n=number(n), s=plural(n))


def cancelled_text(hashed: int) -> str:
    saved = tr("The {n} image{s} read so far are remembered: the next scan will not read them again.").format(
        n=number(hashed), s=plural(hashed)) if hashed else ""
    return tr("Scan cancelled. ") + saved


def big_label(text: str, scale: float, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    font = label.font()
    font.setPointSizeF(font.pointSizeF() * scale)
    font.setBold(True)
    label.setFont(font)
    return label


def centred(*widgets: QWidget) -> QHBoxLayout:
    row = QHBoxLayout()
    row.addStretch(1)
    for w in widgets:
        row.addWidget(w)
    row.addStretch(1)
    return row


def separator(parent: QWidget) -> QFrame:
    line = QFrame(parent)
    line.setFrameShape(QFrame.Shape.HLine)
    line.setFrameShadow(QFrame.Shadow.Sunken)
    return line


class MessageBar(QFrame):
    """A dismissible one-line notice above the content (scan cancelled, settings reset, files trashed)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("messageBar")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 6, 6)
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.label, 1)
        self.action_button = QPushButton(self)
        self.action_button.hide()
        layout.addWidget(self.action_button)
        self.close_button = close = QToolButton(self)
        close.setText("✕")
        close.setAutoRaise(True)
        close.setToolTip(tr("Dismiss"))
        close.setAccessibleName(tr("Dismiss this notice"))
        close.clicked.connect(self.hide)
        layout.addWidget(close)
        self._kind = "info"
        self._action: Callable[[], object] | None = None
        self.action_button.clicked.connect(self._run_action)
        self.hide()

    def show_message(self, text: str, kind: str = "info", action: tuple[str, Callable[[], object]] | None = None) -> None:
        self._kind = kind
        self.restyle()
        self.label.setText(text)
        self._action = action[1] if action is not None else None
        if action is not None:
            self.action_button.setText(action[0])
        self.action_button.setVisible(action is not None)
        self.show()

    def restyle(self) -> None:
        """Colours for the notice's kind in the app's palette (called again after a theme change)."""
        text, bg, border = message_colors(self._kind, QApplication.palette())
        self.setStyleSheet(f"QFrame#messageBar {{ background: {bg}; border: 1px solid {border}; border-radius: 6px; }}"
                           f"QFrame#messageBar QLabel, QFrame#messageBar QToolButton {{ color: {text}; }}"
                           f"QFrame#messageBar QToolButton {{ font-weight: bold; }}")

    def _run_action(self) -> None:
        if self._action is not None:
            self._action()
        self.hide()


class Content(QWidget):
    """The notice bar over the stack of pages."""

    def __init__(self, pages: tuple[QWidget, ...], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 0)
        self.message = MessageBar(self)
        self.pages = QStackedWidget(self)
        for page in pages:
            self.pages.addWidget(page)
        layout.addWidget(self.message)
        layout.addWidget(self.pages, 1)


def side_by_side(left: QWidget, right: QWidget, parent: QWidget) -> QSplitter:
    """The sidebar at its own width, the content taking the rest."""
    splitter = QSplitter(Qt.Orientation.Horizontal, parent)
    splitter.addWidget(left)
    splitter.addWidget(right)
    splitter.setStretchFactor(0, 0)
    splitter.setStretchFactor(1, 1)
    splitter.setSizes([SIDEBAR_WIDTH, 1000])
    return splitter


def flat_button(tip: str, parent: QWidget) -> QPushButton:
    button = QPushButton(parent)
    button.setFlat(True)
    button.setToolTip(tip)
    button.hide()
    return button


class EmptyPage(QWidget):
    """What to do first: add folders (by button or drop), then scan."""

    dropped = Signal(object)   # list of folder paths

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAcceptDrops(True)
        layout = QVBoxLayout(self)
        layout.addStretch(2)
        self.title = big_label("", 1.8, self)
        layout.addWidget(self.title)
        self.text = QLabel(self)
        self.text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.text.setWordWrap(True)
        layout.addWidget(self.text)
        self.add_button = QPushButton(tr("Add folder…"), self)
        self.scan_button = QPushButton(tr("Scan for duplicates"), self)
        self.scan_button.setObjectName("primary")
        self.add_button.setToolTip(tr("Choose a folder to search (or drop folders here)"))
        self.scan_button.setToolTip(tr("Look for duplicate and similar photos in the folders to search (F5)"))
        for b in (self.add_button, self.scan_button):
            b.setMinimumHeight(36)
        layout.addSpacing(12)
        layout.addLayout(centred(self.add_button, self.scan_button))
        layout.addStretch(3)

    def show_folders(self, n: int) -> None:
        if n == 0:
            self.title.setText(tr("Add the folders to search"))
            self.text.setText(tr("Choose the folders with your photos — or drop them here.\n"
                                 "Tick Reference for folders whose files must never be touched."))
        else:
            self.title.setText(tr("Ready to search {n} folder{s}").format(n=n, s="s" if n != 1 else ""))
            self.text.setText(tr("Scan to find duplicate and similar photos. Nothing is changed on disk "
                                 "until you confirm."))
        self.scan_button.setVisible(n > 0)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if dropped_folders(event):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        take_folder_drop(event, self.dropped)


class ScanningPage(QWidget):
    """Progress of a scan: the phase, a bar, rate and time left, the file being read, and Cancel."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.addStretch(2)
        self.title = big_label(tr("Scanning…"), 1.5, self)
        layout.addWidget(self.title)
        self.bar = QProgressBar(self)
        self.bar.setMinimumWidth(420)
        self.bar.setMaximumWidth(640)
        self.bar.setTextVisible(True)
        layout.addLayout(centred(self.bar))
        self.text = QLabel(self)
        self.text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.text)
        self.file = QLabel(self)
        self.file.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.file.setEnabled(False)
        self.file.setMinimumWidth(100)
        self.file.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        layout.addWidget(self.file)
        self.cancel_button = QPushButton(tr("Cancel"), self)
        self.cancel_button.setToolTip(tr("Stop the scan. Files already read are remembered for next time (Esc)"))
        self.cancel_button.setMinimumWidth(120)
        layout.addSpacing(8)
        layout.addLayout(centred(self.cancel_button))
        layout.addStretch(3)
        # Progress comes when a file is done: one heavy file can take a minute. The time left counts down
        # between reports instead of standing still, and says "estimating" once the estimate ran out.
        self._last: Progress | None = None
        self._received = 0.0
        self._tick = QTimer(self)
        self._tick.setInterval(1000)
        self._tick.timeout.connect(self._render)

    def reset(self) -> None:
        self._last = None
        self._tick.start()
        self._phase(tr("Looking for images…"))
        self.cancel_button.setEnabled(True)
        self.cancel_button.setFocus()

    def _phase(self, title: str) -> None:
        self._last = None
        self.title.setText(title)
        self.bar.setRange(0, 0)
        self.text.setText("")
        self.file.setText("")

    def show_progress(self, p: Progress) -> None:
        if p.phase == "discover" and p.elapsed > 0:
            self._walking(p)
            return
        if p.phase in ("discover", "match"):
            self._phase(tr("Looking for images…") if p.phase == "discover" else tr("Comparing fingerprints…"))
            return
        self.title.setText(tr("Reading images…"))
        if p.total <= 0:
            self.bar.setRange(0, 1)
            self.bar.setValue(1)
            self.text.setText(tr("All images are known from earlier scans."))
            return
        self.bar.setRange(0, p.total)
        self.bar.setValue(p.done)
        self._last, self._received = p, time.monotonic()
        self._render()
        if p.message:
            fm = self.file.fontMetrics()
            self.file.setText(fm.elidedText(display_path(p.message)[0], Qt.TextElideMode.ElideMiddle,
                                            max(200, self.width() - 80)))


    def _walking(self, p: Progress) -> None:
        """A long walk of the folders (a NAS share, a million files): how many images so far, and where."""
        self._phase(tr("Looking for images…"))
        self.text.setText(tr("1 image found so far") if p.done == 1 else
                          tr("{n} images found so far").format(n=number(p.done)))
        fm = self.file.fontMetrics()
        self.file.setText(fm.elidedText(display_path(p.message)[0], Qt.TextElideMode.ElideMiddle, max(200, self.width() - 80)))

    def _render(self) -> None:
        p = self._last
        if p is None or not self.isVisible():
            if not self.isVisible():
                self._tick.stop()
            return
        since = time.monotonic() - self._received
        elapsed = p.elapsed + since
        parts = [tr("{done} of {total} files").format(done=number(p.done), total=number(p.total))]
        if p.done and elapsed > 0:
            parts.append(tr("{rate} files/s").format(rate=decimal(p.done / elapsed, 1) if p.done / elapsed < 10
                                                       else number(round(p.done / elapsed))))
        if p.done < p.total:
            left = None if p.eta is None else p.eta - since
            parts.append(tr("about {time} left").format(time=human_duration(left)) if left is not None and left >= 1
                         else tr("estimating the time left…"))
        self.text.setText(" · ".join(parts))


class Sidebar(QScrollArea):
    """Folders to search, the scan button, the similarity control and the keep rules."""

    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        side = QWidget(self)
        side.setObjectName("sidebar")
        layout = QVBoxLayout(side)
        layout.setContentsMargins(10, 10, 10, 10)
        layout.setSpacing(10)
        layout.addWidget(QLabel("<b>" + tr("Folders to search") + "</b>", side))
        self.folders = FolderPanel(side)
        self.folders.setMinimumHeight(140)
        layout.addWidget(self.folders, 1)
        self.scan_button = QPushButton(tr("Scan for duplicates"), side)
        self.scan_button.setObjectName("primary")
        self.scan_button.setToolTip(tr("Look for duplicate and similar photos in the folders above (F5)"))
        self.scan_button.setMinimumHeight(34)
        layout.addWidget(self.scan_button)
        layout.addWidget(separator(side))
        self.similarity = SimilarityControl(settings.threshold, settings.algorithm, settings.rotations, side)
        layout.addWidget(self.similarity)
        layout.addWidget(separator(side))
        self.keep_rules = KeepRules(settings.keep_rules, side)
        layout.addWidget(self.keep_rules)
        self.setWidget(side)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        # Narrow enough that a 1024-pixel window leaves the cards two columns (tests/gui/test_layout.py).
        side.setMinimumWidth(SIDEBAR_WIDTH - 10)
        self.setMinimumWidth(SIDEBAR_WIDTH)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        describe(self, tr("Folders and options"), tr("The folders to search, the scan button, the similarity and the keep rules"))
