"""Hand a file to the desktop: open in the system viewer, reveal in the file manager, copy its path; say so when it can't."""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QObject, QProcess, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QGuiApplication

log = logging.getLogger(__name__)
FREEDESKTOP = sys.platform not in ("darwin", "win32")


def tr(text: str) -> str:
    return QCoreApplication.translate("", text)   # no context: where lupdate files a bare tr() (gui/i18n.py)


def _xdg_open_reason(code: int) -> str:
    """xdg-open's exit codes (xdg-utils documents them) in words."""
    return {3: tr("a program it needs is not installed"),
            4: tr("the desktop has no program set up for this kind of file")}.get(
        code, tr("xdg-open failed (exit code {code})").format(code=code))


class Desktop(QObject):
    """Opens and reveals files without blocking; `failed` says in one sentence what did not work and why."""

    failed = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._running: set[QProcess] = set()

    def open_file(self, path: str) -> None:
        name = os.path.basename(path)

        def fail(why: str) -> None:
            self.failed.emit(tr("{name} could not be opened in an image viewer: {why}. Copy its path (Ctrl+C) to "
                                "open it with another program.").format(name=name, why=why))
        if FREEDESKTOP:
            self._xdg_open(path, fail)
        elif not QDesktopServices.openUrl(QUrl.fromLocalFile(path)):
            fail(tr("the system found no program for it"))

    def reveal(self, path: str) -> None:
        """Show the file selected in the file manager where the platform allows, else open its folder."""
        folder = os.path.dirname(path)

        def fail(why: str) -> None:
            self.failed.emit(tr("No file manager could show {name}: {why}. It is in {folder}.").format(
                name=os.path.basename(path), why=why, folder=folder))
        try:
            if sys.platform == "darwin":
                subprocess.Popen(["open", "-R", path])
                return
            if sys.platform == "win32":
                subprocess.Popen(["explorer", "/select,", os.path.normpath(path)])
                return
            if _reveal_freedesktop(path):
                return
        except OSError as exc:
            log.exception("reveal failed")
            fail(str(exc))
            return
        if FREEDESKTOP:
            self._xdg_open(folder, fail)
        elif not QDesktopServices.openUrl(QUrl.fromLocalFile(folder)):
            fail(tr("the system found no program for folders"))

    def _xdg_open(self, target: str, fail: Callable[[str], None]) -> None:
        """Run xdg-open and watch how it ends: Qt's own call reports success as soon as xdg-open starts."""
        program = shutil.which("xdg-open")
        if program is None:
            fail(tr("xdg-open, which finds the desktop's program for a file, is not installed (package xdg-utils)"))
            return
        proc = QProcess(self)
        proc.setProgram(program)
        proc.setArguments([target])
        self._running.add(proc)

        def finished(code: int, status: QProcess.ExitStatus) -> None:
            self._running.discard(proc)
            proc.deleteLater()
            if status != QProcess.ExitStatus.NormalExit:
                fail(tr("xdg-open stopped unexpectedly"))
            elif code != 0:
                fail(_xdg_open_reason(code))

        def error(err: QProcess.ProcessError) -> None:
            if err == QProcess.ProcessError.FailedToStart:
                self._running.discard(proc)
                proc.deleteLater()
                fail(tr("xdg-open could not be started"))
        proc.finished.connect(finished)
        proc.errorOccurred.connect(error)
        proc.start()

    def busy(self) -> bool:
        """An opener is still running (tests wait for it)."""
        return bool(self._running)


def _reveal_freedesktop(path: str) -> bool:
    try:
        from PySide6.QtDBus import QDBusConnection, QDBusInterface
    except ImportError:
        return False
    bus = QDBusConnection.sessionBus()
    if not bus.isConnected():
        return False
    iface = QDBusInterface("org.freedesktop.FileManager1", "/org/freedesktop/FileManager1",
                           "org.freedesktop.FileManager1", bus)
    if not iface.isValid():
        return False
    reply = iface.call("ShowItems", [QUrl.fromLocalFile(path).toString()], "")
    return not reply.errorName()


def copy_path(path: str) -> None:
    QGuiApplication.clipboard().setText(path)
