"""Moves files to the trash (or undoes it) on a worker thread, logs it, and drops them from the cache."""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence

from PySide6.QtCore import QObject, QThread, Signal, Slot

from dupeview import paths
from dupeview.core import actions
from dupeview.core.actions import ActionLog, Outcome, Removal
from dupeview.core.cache import FingerprintCache

log = logging.getLogger(__name__)


class _Worker(QObject):
    progressed = Signal(object)
    trashed = Signal(object)
    restored = Signal(object)
    failed = Signal(str)

    def __init__(self, cache_path: str, log_path: str | None) -> None:
        super().__init__()
        self._cache_path = cache_path
        self._log_path = log_path

    def _forget(self, outcomes: list[Outcome]) -> None:
        gone = [o.path for o in outcomes if o.ok]
        if not gone:
            return
        try:
            with FingerprintCache(self._cache_path) as cache:
                cache.forget(gone)
        except Exception:  # noqa: BLE001 - a stale cache entry is harmless: it is re-checked on the next scan
            log.exception("could not drop trashed files from the cache")

    @Slot(object, object, bool)
    def trash(self, removals: list[Removal], groups: list[list[str]], permanent: bool) -> None:
        try:
            outcomes = actions.trash(removals, groups=groups, permanent=permanent,
                                     log=ActionLog(self._log_path), progress=self.progressed.emit)
        except Exception as exc:  # noqa: BLE001
            log.exception("trash failed")
            self.failed.emit(f"Moving the files to the trash failed: {exc}")
            return
        self._forget(outcomes)
        self.trashed.emit(list(outcomes))

    @Slot()
    def recover(self) -> None:
        try:
            actions.recover(ActionLog(self._log_path))
        except Exception:  # noqa: BLE001 - recovery is best effort; the log keeps the intents
            log.exception("could not recover the action log")

    @Slot()
    def undo(self) -> None:
        try:
            outcomes = actions.undo_last(ActionLog(self._log_path))
        except Exception as exc:  # noqa: BLE001
            log.exception("undo failed")
            self.failed.emit(f"Restoring the files failed: {exc}")
            return
        self.restored.emit(list(outcomes))


class TrashController(QObject):
    """One trash or undo at a time; results come back as `trashed` / `restored` lists of Outcome."""

    progressed = Signal(object)
    trashed = Signal(object)
    restored = Signal(object)
    failed = Signal(str)

    _trash_requested = Signal(object, object, bool)
    _undo_requested = Signal()

    def __init__(self, cache_path: str | os.PathLike[str] | None = None, log_path: str | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.log_path = log_path
        self._thread = QThread()
        self._thread.setObjectName("dupeview-trash")
        self._worker = _Worker(str(cache_path if cache_path is not None else paths.cache_db()), log_path)
        self._worker.moveToThread(self._thread)
        self._trash_requested.connect(self._worker.trash)
        self._undo_requested.connect(self._worker.undo)
        self._worker.progressed.connect(self.progressed)
        self._worker.trashed.connect(self._on_trashed)
        self._worker.restored.connect(self._on_restored)
        self._worker.failed.connect(self._on_failed)
        # An interrupted batch (the app was killed) is finished or rolled back before anything else runs.
        self._thread.started.connect(self._worker.recover)
        self._busy = False
        self._thread.start()

    @property
    def busy(self) -> bool:
        return self._busy

    def action_log(self) -> ActionLog:
        return ActionLog(self.log_path)

    def undo_available(self) -> bool:
        if self._busy or not actions.can_undo():
            return False
        try:
            return self.action_log().last_undoable() is not None
        except Exception:  # noqa: BLE001 - an unreadable log means nothing to undo
            log.exception("cannot read the action log")
            return False

    def trash(self, removals: Sequence[Removal], groups: Sequence[Sequence[str]], permanent: bool) -> bool:
        if self._busy:
            return False
        self._busy = True
        self._trash_requested.emit(list(removals), [list(g) for g in groups], permanent)
        return True

    def undo(self) -> bool:
        if self._busy:
            return False
        self._busy = True
        self._undo_requested.emit()
        return True

    def shutdown(self) -> None:
        self._thread.quit()
        self._thread.wait()

    @Slot(object)
    def _on_trashed(self, outcomes: list[Outcome]) -> None:
        self._busy = False
        self.trashed.emit(outcomes)

    @Slot(object)
    def _on_restored(self, outcomes: list[Outcome]) -> None:
        self._busy = False
        self.restored.emit(outcomes)

    @Slot(str)
    def _on_failed(self, message: str) -> None:
        self._busy = False
        self.failed.emit(message)


def refusals(groups: Sequence[Sequence[str]], marked: Sequence[str]) -> dict[str, str]:
    return actions.refusals(groups, marked)


def removal(record: object, size: int | None = None, mtime_ns: int | None = None) -> Removal:
    """From a scan's record (all its facts, so the file is re-verified by digest), or path, size, mtime."""
    if isinstance(record, str):
        return Removal(record, size or 0, mtime_ns or 0)
    return Removal.of(record)  # type: ignore[arg-type]
