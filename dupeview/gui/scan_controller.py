"""The one owner of the scan thread: scans, rebuilds the matcher and regroups off the GUI thread."""

from __future__ import annotations

import logging
import os
import time
from dataclasses import dataclass

from PySide6.QtCore import QObject, QThread, Signal, Slot

from dupeview import paths
from dupeview.core.cache import FingerprintCache
from dupeview.core.grouping import GroupList, GroupOptions, Matcher, MatchOptions
from dupeview.core.pairs import SearchCancelled
from dupeview.core.progress import Cancelled, CancelToken, Progress
from dupeview.core.records import Library
from dupeview.core.scanner import ScanSettings, scan
from dupeview.gui.throttle import Throttle

log = logging.getLogger(__name__)

PROGRESS_INTERVAL_MS = 100


@dataclass(frozen=True)
class ScanRequest:
    settings: ScanSettings
    match: MatchOptions
    group: GroupOptions


@dataclass(frozen=True)
class ScanResult:
    """A library, its matcher and the groups for the options asked for."""

    library: Library
    matcher: Matcher
    options: GroupOptions
    groups: GroupList
    seconds: float


@dataclass(frozen=True)
class Regrouped:
    matcher: Matcher
    options: GroupOptions
    groups: GroupList
    serial: int


class _Worker(QObject):
    """Lives on the scan thread; every slot runs there."""

    progressed = Signal(object)
    scanned = Signal(object)
    matched = Signal(object)
    regrouped = Signal(object)
    failed = Signal(str)
    regroup_failed = Signal(str)
    cancelled = Signal(int)

    def __init__(self, cache_path: str) -> None:
        super().__init__()
        self._cache_path = cache_path
        self._hashed = 0

    def _report(self, progress: Progress) -> None:
        if progress.phase == "hash":
            self._hashed = progress.done
        self.progressed.emit(progress)

    @Slot(object, object)
    def scan(self, request: ScanRequest, cancel: CancelToken) -> None:
        start = time.monotonic()
        self._hashed = 0
        try:
            with FingerprintCache(self._cache_path) as cache:
                library = scan(request.settings, cache, self._report, cancel)
            self.progressed.emit(Progress("match", 0, 0, message="Comparing fingerprints…"))
            matcher = Matcher(library, request.match, cancel)
            groups = matcher.groups(request.group)
        except (Cancelled, SearchCancelled):
            self.cancelled.emit(self._hashed)
        except Exception as exc:  # noqa: BLE001 - reported to the user, never a traceback
            log.exception("scan failed")
            self.failed.emit(f"The scan stopped because of an unexpected error: {exc}")
        else:
            self.scanned.emit(ScanResult(library, matcher, request.group, groups, time.monotonic() - start))

    @Slot(object, object, object)
    def rebuild(self, library: Library, match: MatchOptions, group: GroupOptions) -> None:
        start = time.monotonic()
        try:
            matcher = Matcher(library, match)
            groups = matcher.groups(group)
        except Exception as exc:  # noqa: BLE001
            log.exception("matching failed")
            self.failed.emit(f"Comparing the images failed because of an unexpected error: {exc}")
        else:
            self.matched.emit(ScanResult(library, matcher, group, groups, time.monotonic() - start))

    @Slot(object, object, int)
    def regroup(self, matcher: Matcher, options: GroupOptions, serial: int) -> None:
        try:
            groups = matcher.groups(options)
        except Exception as exc:  # noqa: BLE001
            log.exception("grouping failed")
            self.regroup_failed.emit(f"Grouping the images failed because of an unexpected error: {exc}")
            groups = GroupList.empty()
        self.regrouped.emit(Regrouped(matcher, options, groups, serial))


class ScanController(QObject):
    """Starts, cancels and reports scans; signals are named for what happened."""

    started = Signal()
    progressed = Signal(object)     # Progress, at most every PROGRESS_INTERVAL_MS
    finished = Signal(object)       # ScanResult of a scan
    matched = Signal(object)        # ScanResult of a rebuilt matcher (algorithm change, files removed)
    regrouped = Signal(object)      # Regrouped: the newest regroup only
    failed = Signal(str)
    cancelled = Signal(int)         # files fingerprinted (and kept in the cache) before the stop

    _scan_requested = Signal(object, object)
    _rebuild_requested = Signal(object, object, object)
    _regroup_requested = Signal(object, object, int)

    def __init__(self, cache_path: str | os.PathLike[str] | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._thread = QThread()
        self._thread.setObjectName("dupeview-scan")
        self._worker = _Worker(str(cache_path if cache_path is not None else paths.cache_db()))
        self._worker.moveToThread(self._thread)
        self._scan_requested.connect(self._worker.scan)
        self._rebuild_requested.connect(self._worker.rebuild)
        self._regroup_requested.connect(self._worker.regroup)
        self._throttle = Throttle(PROGRESS_INTERVAL_MS, self.progressed.emit, self)
        self._worker.progressed.connect(self._throttle.push)
        self._worker.scanned.connect(self._on_scanned)
        self._worker.matched.connect(self._on_matched)
        self._worker.regrouped.connect(self._on_regrouped)
        self._worker.failed.connect(self._on_failed)
        self._worker.cancelled.connect(self._on_cancelled)
        self._worker.regroup_failed.connect(self.failed)
        self._cancel: CancelToken | None = None
        self._jobs = 0
        self._serial = 0
        self._regroup_in_flight = False
        self._regroup_next: tuple[Matcher, GroupOptions, int] | None = None
        self._thread.start()

    # -- requests ---------------------------------------------------------------
    @property
    def scanning(self) -> bool:
        return self._cancel is not None

    @property
    def busy(self) -> bool:
        """A scan or a matcher rebuild is under way."""
        return self._jobs > 0

    def scan(self, request: ScanRequest) -> bool:
        """Start a scan; False (and nothing happens) if one is already running."""
        if self._cancel is not None:
            return False
        self._cancel = CancelToken()
        self._jobs += 1
        self.started.emit()
        self._scan_requested.emit(request, self._cancel)
        return True

    def cancel(self) -> None:
        if self._cancel is not None:
            self._cancel.cancel()

    def rebuild(self, library: Library, match: MatchOptions, group: GroupOptions) -> None:
        """Recompute the similar pairs of a library already scanned (no file is read)."""
        self._jobs += 1
        self._rebuild_requested.emit(library, match, group)

    def regroup(self, matcher: Matcher, options: GroupOptions) -> int:
        """Regroup from stored pairs; only the newest of several quick requests is delivered."""
        self._serial += 1
        if self._regroup_in_flight:
            self._regroup_next = (matcher, options, self._serial)
        else:
            self._regroup_in_flight = True
            self._regroup_requested.emit(matcher, options, self._serial)
        return self._serial

    def shutdown(self) -> None:
        """Stop any scan and the thread; call before the application quits."""
        self.cancel()
        self._throttle.discard()
        self._thread.quit()
        self._thread.wait()

    # -- results (GUI thread) -----------------------------------------------------
    def _scan_done(self) -> None:
        self._cancel = None
        self._jobs = max(0, self._jobs - 1)
        self._throttle.discard()

    @Slot(object)
    def _on_scanned(self, result: ScanResult) -> None:
        self._scan_done()
        self.finished.emit(result)

    @Slot(object)
    def _on_matched(self, result: ScanResult) -> None:
        self._jobs = max(0, self._jobs - 1)
        self.matched.emit(result)

    @Slot(object)
    def _on_regrouped(self, result: Regrouped) -> None:
        self._regroup_in_flight = False
        if self._regroup_next is not None:
            matcher, options, serial = self._regroup_next
            self._regroup_next = None
            self._regroup_in_flight = True
            self._regroup_requested.emit(matcher, options, serial)
            return  # a newer request is on its way: this result is already stale
        if result.serial == self._serial:
            self.regrouped.emit(result)

    @Slot(str)
    def _on_failed(self, message: str) -> None:
        if self._cancel is not None:
            self._scan_done()
        else:
            self._jobs = max(0, self._jobs - 1)
        self.failed.emit(message)

    @Slot(int)
    def _on_cancelled(self, hashed: int) -> None:
        self._scan_done()
        self.cancelled.emit(hashed)
