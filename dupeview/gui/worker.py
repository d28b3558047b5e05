"""The one worker thread of the app: runs the Session's Jobs in order, reports back on the GUI thread."""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal, Slot

from dupeview.core.jobs import Job
from dupeview.core.pairs import SearchCancelled
from dupeview.core.progress import Cancelled, Progress
from dupeview.gui.throttle import Throttle

log = logging.getLogger(__name__)

PROGRESS_INTERVAL_MS = 250   # a few updates a second: each repaints the bar and its texts on the GUI thread


class _Worker(QObject):
    """Lives on the worker thread; run() executes there."""

    progressed = Signal(object, object)   # Job, Progress
    finished = Signal(object, object)     # Job, result
    failed = Signal(object, object)       # Job, exception

    @Slot(object)
    def run(self, job: Job[Any]) -> None:
        try:
            result = job.run(lambda p: self.progressed.emit(job, p), job.cancel)
        except Exception as exc:
            if job.cancel.cancelled and isinstance(exc, (Cancelled, SearchCancelled)):
                log.debug("%s job stopped: %s", job.kind, exc)   # asked to stop (a window closing): no error
            else:
                log.exception("%s job failed", job.kind)
            self.failed.emit(job, exc)
        else:
            self.finished.emit(job, result)


class JobRunner(QObject):
    """Call it with a Job (it is the Session's runner). Progress is rate-limited; the last one always arrives."""

    _submitted = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._thread = QThread()
        self._thread.setObjectName("dupeview-worker")
        self._worker = _Worker()
        self._worker.moveToThread(self._thread)
        self._submitted.connect(self._worker.run)
        self._worker.progressed.connect(self._on_progressed)
        self._worker.finished.connect(self._on_finished)
        self._worker.failed.connect(self._on_failed)
        self._throttle = Throttle(PROGRESS_INTERVAL_MS, self._deliver, self)
        self._open: set[Job[Any]] = set()
        self._stopped = False
        self._thread.start()

    def __call__(self, job: Job[Any]) -> None:
        if self._stopped:
            return
        self._open.add(job)
        self._submitted.emit(job)

    @property
    def idle(self) -> bool:
        return not self._open

    def shutdown(self) -> None:
        """Cancel what can be cancelled, let the current job end, stop the thread; safe to call twice."""
        self._stopped = True
        for job in list(self._open):
            job.cancel.cancel()
        self._throttle.discard()
        self._thread.quit()
        self._thread.wait()

    @staticmethod
    def _deliver(value: tuple[Job[Any], Progress]) -> None:
        job, progress = value
        job.report(progress)

    @Slot(object, object)
    def _on_progressed(self, job: Job[Any], progress: Progress) -> None:
        if not self._stopped:
            self._throttle.push((job, progress))

    def _settle(self, job: Job[Any]) -> bool:
        """Deliver the job's last progress before its outcome; False once shut down."""
        self._open.discard(job)
        if self._stopped:
            return False
        self._throttle.flush()
        return True

    @Slot(object, object)
    def _on_finished(self, job: Job[Any], result: object) -> None:
        if self._settle(job):
            job.finished(result)

    @Slot(object, object)
    def _on_failed(self, job: Job[Any], exc: BaseException) -> None:
        if self._settle(job):
            job.failed(exc)
