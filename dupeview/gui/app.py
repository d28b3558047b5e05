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
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QWidget

from dupeview import APP_ID, APP_NAME, __version__, paths
from dupeview.gui.theme import apply_theme, dark_palette, light_palette
from dupeview.resources import app_icon

# The theme lives in gui/theme.py; these names stay importable from here for older callers.
__all__ = ["ErrorReporter", "apply_theme", "create_application", "dark_palette", "light_palette", "run_app",
           "setup_logging", "split_arguments"]

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


def split_arguments(argv: Sequence[str]) -> tuple[list[str], list[str]]:
    """(folders to preload, arguments that are not folders)."""
    folders: list[str] = []
    other: list[str] = []
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
    from dupeview.gui.i18n import install_translators, tr

    install_translators(app)
    reporter = ErrorReporter(log_file, app)
    reporter.install()
    from dupeview.gui.main_window import MainWindow

    window = MainWindow(folders=folders)
    apply_theme(app, window.settings.theme)
    window.apply_palette()
    window.show()
    unknown = [a for a in other if not a.startswith("-")]
    if unknown:
        window.message.show_message(tr("Not a folder, skipped: {names}").format(names=", ".join(unknown[:3])), "warning")
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
