"""Background work as plain data: a Job says what to run off the owner's thread and what to do with the result.

The Session never starts a thread itself. Whoever drives it passes a runner: the GUI one
runs jobs on a worker thread and calls back on the GUI thread; `run_now` runs them in
place, for tests and the command line.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from dupeview.core.progress import CancelToken, Progress

log = logging.getLogger(__name__)

T = TypeVar("T")
Report = Callable[[Progress], None]


@dataclass(frozen=True, eq=False)
class Job(Generic[T]):
    """run() on a worker thread (it reads only what it was given); then finished() or failed() on the owner's."""

    kind: str                                           # "scan", "match", "regroup", "action", "undo", "load", ...
    run: Callable[[Report, CancelToken], T]
    finished: Callable[[T], None]
    failed: Callable[[BaseException], None]
    progressed: Callable[[Progress], None] | None = None
    cancel: CancelToken = field(default_factory=CancelToken)

    def report(self, progress: Progress) -> None:
        if self.progressed is not None:
            self.progressed(progress)


Runner = Callable[[Job[Any]], None]


def run_now(job: Job[Any]) -> None:
    """Run a job to the end on this thread (tests, the CLI): progress and the outcome arrive before it returns."""
    try:
        result = job.run(job.report, job.cancel)
    except Exception as exc:
        log.exception("%s job failed", job.kind)
        job.failed(exc)
        return
    job.finished(result)
