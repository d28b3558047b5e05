"""Answer the next modal dialog the way a user would: by clicking its real buttons."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QWidget

_watchers: list[DialogWatcher] = []


class DialogWatcher(list):
    """Polls for the next visible modal dialog, runs `act` on it once, and records it in itself."""

    def __init__(self, act: Callable[[QWidget], None], tries: int) -> None:
        super().__init__()
        self._act = act
        self._left = tries
        self.active = True
        QTimer.singleShot(0, self._poll)

    def _poll(self) -> None:
        if not self.active:
            return
        dialog = QApplication.activeModalWidget()
        if dialog is None or not dialog.isVisible():
            self._left -= 1
            if self._left > 0:
                QTimer.singleShot(10, self._poll)
            return
        self.active = False
        self.append(dialog)
        self._act(dialog)

    def stop(self) -> None:
        self.active = False


def when_dialog_opens(act: Callable[[QWidget], None], tries: int = 1000) -> DialogWatcher:
    watcher = DialogWatcher(act, tries)
    _watchers.append(watcher)
    return watcher


def stop_all() -> None:
    """Called after each test: a watcher never outlives its test."""
    for w in _watchers:
        w.stop()
    _watchers.clear()
