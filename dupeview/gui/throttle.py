"""Rate-limit a stream of values into at most one delivery per interval, always ending on the latest."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QTimer


class Throttle(QObject):
    """Leading and trailing edge: the first value goes out at once, then the newest one per interval."""

    def __init__(self, interval_ms: int, deliver: Callable[[Any], None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._interval = interval_ms
        self._deliver = deliver
        self._pending: tuple[Any] | None = None
        self._last = float("-inf")
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.flush)

    def push(self, value: Any) -> None:
        self._pending = (value,)
        wait = self._interval - (time.monotonic() - self._last) * 1000.0
        if wait <= 0 and not self._timer.isActive():
            self.flush()
        elif not self._timer.isActive():
            self._timer.start(max(1, int(wait)))

    def flush(self) -> None:
        """Deliver the pending value now, if there is one."""
        self._timer.stop()
        if self._pending is None:
            return
        (value,) = self._pending
        self._pending = None
        self._last = time.monotonic()
        self._deliver(value)

    def discard(self) -> None:
        self._timer.stop()
        self._pending = None

    @property
    def pending(self) -> bool:
        return self._pending is not None
