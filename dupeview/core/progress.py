"""Progress and cancel protocol between the engine and whoever drives it (CLI, GUI, tests)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass


class Cancelled(Exception):
    """Raised inside the engine when the caller asked it to stop."""


@dataclass(frozen=True, slots=True)
class Progress:
    """One progress report; immutable so it can cross threads safely."""

    phase: str  # "discover", "hash", "pairs", "group"
    done: int
    total: int
    bytes_done: int = 0
    bytes_total: int = 0
    elapsed: float = 0.0
    message: str = ""

    @property
    def fraction(self) -> float:
        return self.done / self.total if self.total else 0.0

    @property
    def rate(self) -> float:
        """Items per second so far in this phase."""
        return self.done / self.elapsed if self.elapsed > 0 else 0.0

    @property
    def eta(self) -> float | None:
        """Seconds left in this phase, estimated from bytes when known (big files dominate)."""
        if self.done <= 0 or self.elapsed <= 0 or self.total <= 0:
            return None
        if self.bytes_total > 0 and self.bytes_done > 0:
            left = max(self.bytes_total - self.bytes_done, 0)
            return self.elapsed * left / self.bytes_done
        return self.elapsed * max(self.total - self.done, 0) / self.done


ProgressCallback = Callable[[Progress], None]


class CancelToken:
    """A thread-safe flag the caller sets and the engine polls between files."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def check(self) -> None:
        if self._event.is_set():
            raise Cancelled()


class Reporter:
    """Rate-limits progress reports so a fast phase cannot flood the GUI's event queue."""

    def __init__(self, callback: ProgressCallback | None, phase: str, total: int,
                 bytes_total: int = 0, interval: float = 0.1) -> None:
        self._callback = callback
        self._phase = phase
        self._total = total
        self._bytes_total = bytes_total
        self._interval = interval
        self._start = time.monotonic()
        self._last = float("-inf")
        self.done = 0
        self.bytes_done = 0

    def advance(self, count: int = 1, nbytes: int = 0, message: str = "") -> None:
        self.done += count
        self.bytes_done += nbytes
        now = time.monotonic()
        if now - self._last >= self._interval:
            self._last = now
            self._emit(now, message)

    def finish(self, message: str = "") -> None:
        self._emit(time.monotonic(), message)

    def _emit(self, now: float, message: str) -> None:
        if self._callback is not None:
            self._callback(Progress(self._phase, self.done, self._total, self.bytes_done,
                                    self._bytes_total, now - self._start, message))
