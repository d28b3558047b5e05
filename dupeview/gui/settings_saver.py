"""Settings written on a debounce by a background thread: a slider drag never writes (or fsyncs) on the GUI thread."""

from __future__ import annotations

import concurrent.futures as cf
import copy
import logging
import os
from collections.abc import Iterable

from PySide6.QtCore import QObject, QTimer, Signal

from dupeview.settings import Folder, Settings, SettingsStore

log = logging.getLogger(__name__)

DEBOUNCE_MS = 700


class SettingsSaver(QObject):
    """request() after every change; the newest settings are saved once the changes pause, and at flush()."""

    failed = Signal(str)   # why the settings could not be saved (emitted from the writer thread, queued)

    def __init__(self, store: SettingsStore, debounce_ms: int = DEBOUNCE_MS, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self._pending: Settings | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(debounce_ms)
        self._timer.timeout.connect(self._write)
        # One writer thread: saves happen in the order asked, never two at once.
        self._writer = cf.ThreadPoolExecutor(max_workers=1, thread_name_prefix="dupeview-settings")
        self._last: cf.Future[None] | None = None
        self.remembered_folders: list[Folder] | None = None   # saved in place of the session's, when set
        self._closed = False

    def session_folders(self, remembered: list[Folder], given: Iterable[str]) -> list[Folder]:
        """The folders this session searches: those given on the command line (`dupeview DIR...`), else the
        remembered ones. Given folders are for this session only: from then on every save keeps the remembered
        list, whatever the session's list becomes."""
        given = list(dict.fromkeys(os.path.abspath(p) for p in given))
        if not given:
            return remembered
        self.remembered_folders = copy.deepcopy(remembered)
        return [Folder(p) for p in given]

    def request(self, settings: Settings) -> None:
        self._pending = copy.deepcopy(settings)   # a snapshot: the window goes on changing its own copy
        if self.remembered_folders is not None:
            self._pending.folders = copy.deepcopy(self.remembered_folders)
        if self._closed:   # a close after shutdown() (the window's geometry): its thread is gone, so write now
            self._write()
            return
        self._timer.start()

    @property
    def pending(self) -> bool:
        return self._pending is not None

    def _write(self) -> None:
        if self._pending is None:
            return
        snapshot, self._pending = self._pending, None
        if self._closed:
            self._save(snapshot)
            return
        self._last = self._writer.submit(self._save, snapshot)

    def _save(self, settings: Settings) -> None:
        try:
            self.store.save(settings)
        except OSError as exc:
            log.warning("cannot save settings: %s", exc)
            self.failed.emit(str(exc.strerror or exc))

    def flush(self) -> None:
        """Save what is pending now and wait for every write (at quit)."""
        self._timer.stop()
        self._write()
        if self._last is not None:
            self._last.result()

    def shutdown(self) -> None:
        self.flush()
        self._closed = True
        self._writer.shutdown(wait=True)
