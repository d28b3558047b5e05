"""Start the desktop app: QApplication, palette, log file, and an excepthook that shows a dialog, not a traceback."""

from __future__ import annotations

import logging
import logging.handlers
import os
import signal
import sys
import threading
import traceback
from collections.abc import Sequence
from types import TracebackType

from PySide6.QtCore import QObject, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QWidget

from dupeview import APP_ID, APP_NAME, __version__, paths
from dupeview.resources import app_icon

log = logging.getLogger("dupeview")
LOG_FILE = "dupeview.log"


def setup_logging() -> str | None:
    """Log warnings and errors (with tracebacks) to a rotating file under paths.log_dir()."""
    try:
        folder = paths.log_dir()
        folder.mkdir(parents=True, exist_ok=True)
        path = str(folder / LOG_FILE)
        handler = logging.handlers.RotatingFileHandler(path, maxBytes=1_000_000, backupCount=3, encoding="utf-8")
    except OSError:
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s [%(threadName)s] %(message)s"))
    handler.setLevel(logging.INFO)
    root = logging.getLogger()
    root.addHandler(handler)
    if root.level > logging.INFO or root.level == logging.NOTSET:
        root.setLevel(logging.INFO)
    return path


class ErrorReporter(QObject):
    """Turns any uncaught exception, on any thread, into a log entry and a dialog on the GUI thread."""

    reported = Signal(str, str)

    def __init__(self, log_file: str | None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.log_file = log_file
        self._showing = False
        self.reported.connect(self._show)

    def install(self) -> None:
        sys.excepthook = self.excepthook
        threading.excepthook = lambda args: self.excepthook(args.exc_type, args.exc_value, args.exc_traceback)

    def excepthook(self, etype: type[BaseException], value: BaseException | None,
                   tb: TracebackType | None) -> None:
        if issubclass(etype, KeyboardInterrupt):
            QApplication.quit()
            return
        details = "".join(traceback.format_exception(etype, value, tb))
        log.error("unexpected error\n%s", details)
        message = f"{etype.__name__}: {value}" if str(value) else etype.__name__
        self.reported.emit(message, details)  # queued when raised on another thread

    @Slot(str, str)
    def _show(self, message: str, details: str) -> None:
        if self._showing:
            return  # one dialog at a time; the rest are in the log
        from dupeview.gui.dialogs import ErrorDialog

        self._showing = True
        try:
            ErrorDialog(message, details, self.log_file, _active_window()).exec()
        finally:
            self._showing = False


def _active_window() -> QWidget | None:
    return QApplication.activeWindow()


def dark_palette() -> QPalette:
    p = QPalette()
    window, base, text = QColor(37, 37, 40), QColor(28, 28, 30), QColor(230, 230, 230)
    disabled = QColor(128, 128, 128)
    roles = {
        QPalette.ColorRole.Window: window, QPalette.ColorRole.WindowText: text,
        QPalette.ColorRole.Base: base, QPalette.ColorRole.AlternateBase: QColor(45, 45, 48),
        QPalette.ColorRole.ToolTipBase: QColor(50, 50, 54), QPalette.ColorRole.ToolTipText: text,
        QPalette.ColorRole.PlaceholderText: QColor(150, 150, 150),
        QPalette.ColorRole.Text: text, QPalette.ColorRole.Button: QColor(50, 50, 54),
        QPalette.ColorRole.ButtonText: text, QPalette.ColorRole.BrightText: QColor(255, 90, 90),
        QPalette.ColorRole.Link: QColor(90, 160, 240), QPalette.ColorRole.Highlight: QColor(52, 120, 200),
        QPalette.ColorRole.HighlightedText: QColor(255, 255, 255),
        QPalette.ColorRole.Light: QColor(70, 70, 74), QPalette.ColorRole.Midlight: QColor(60, 60, 64),
        QPalette.ColorRole.Mid: QColor(70, 70, 76), QPalette.ColorRole.Dark: QColor(20, 20, 22),
        QPalette.ColorRole.Shadow: QColor(0, 0, 0),
    }
    for role, color in roles.items():
        p.setColor(role, color)
    for role in (QPalette.ColorRole.Text, QPalette.ColorRole.WindowText, QPalette.ColorRole.ButtonText):
        p.setColor(QPalette.ColorGroup.Disabled, role, disabled)
    return p


def light_palette() -> QPalette:
    p = QApplication.style().standardPalette()
    p.setColor(QPalette.ColorRole.Highlight, QColor(38, 110, 200))
    p.setColor(QPalette.ColorRole.Mid, QColor(200, 200, 205))
    return p


def system_prefers_dark() -> bool:
    hints = QGuiApplication.styleHints()
    return hints.colorScheme() == Qt.ColorScheme.Dark


def apply_theme(app: QApplication, theme: str = "system") -> None:
    """Fusion style with a light or dark palette: looks the same everywhere, readable both ways."""
    app.setStyle("Fusion")
    dark = theme == "dark" or (theme == "system" and system_prefers_dark())
    palette = dark_palette() if dark else light_palette()
    app.setPalette(palette)
    if dark:
        # Fusion outlines check boxes with the window colour darkened: on a dark window the
        # box vanishes. A light "window" for check boxes (and the views that draw them) only.
        checks = QPalette(palette)
        checks.setColor(QPalette.ColorRole.Window, QColor(150, 150, 156))
        for cls in ("QCheckBox", "QTreeWidget", "QTreeView", "QListView"):
            app.setPalette(checks, cls)
    app.setStyleSheet(
        "QPushButton#primary { font-weight: bold; }"
        "QPushButton#danger:enabled { color: #c0392b; font-weight: bold; }"
        "QToolTip { padding: 4px; }")


def split_arguments(argv: Sequence[str]) -> tuple[list[str], list[str]]:
    """(folders to preload, arguments that are not folders)."""
    folders, other = [], []
    for arg in argv:
        if arg.startswith("-"):
            other.append(arg)
            continue
        path = os.path.abspath(os.path.expanduser(arg))
        if os.path.isfile(path):
            path = os.path.dirname(path)
        (folders if os.path.isdir(path) else other).append(path if os.path.isdir(path) else arg)
    return folders, other


def create_application(argv: Sequence[str] = ()) -> QApplication:
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    QGuiApplication.setHighDpiScaleFactorRoundingPolicy(Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
    app = QApplication([sys.argv[0] if sys.argv else APP_NAME, *argv])
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName("dupeview")
    app.setApplicationVersion(__version__)
    app.setDesktopFileName(APP_ID)
    app.setWindowIcon(app_icon())
    return app


def run_app(argv: Sequence[str] | None = None) -> int:
    """The desktop app; argv are folders to preload (e.g. `dupeview ~/Pictures`)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    log_file = setup_logging()
    folders, other = split_arguments(argv)
    app = create_application()
    reporter = ErrorReporter(log_file, app)
    reporter.install()
    from dupeview.gui.main_window import MainWindow

    window = MainWindow(folders=folders)
    apply_theme(app, window.settings.theme)
    window.apply_palette()
    window.show()
    unknown = [a for a in other if not a.startswith("-")]
    if unknown:
        window.message.show_message("Not a folder, skipped: " + ", ".join(unknown[:3]), "warning")
    interrupted = quit_on_sigint(window)
    log.info("dupeview %s started", __version__)
    code = app.exec()
    window.shutdown()
    return 130 if interrupted else int(code)


def quit_on_sigint(window: QWidget) -> list[bool]:
    """Ctrl+C in the terminal closes the window as the Quit action does (settings saved, threads stopped).

    Python runs signal handlers only between bytecodes, never while Qt's event loop waits in C++: a timer
    hands control back to the interpreter a few times a second. Returns a flag list, [True] once interrupted.
    """
    interrupted: list[bool] = []

    def on_sigint(_signum: int, _frame: object) -> None:
        interrupted.append(True)
        window.close()
        QApplication.quit()

    signal.signal(signal.SIGINT, on_sigint)
    wake = QTimer(window)
    wake.timeout.connect(lambda: None)
    wake.start(200)
    return interrupted
