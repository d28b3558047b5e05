"""Lower the calling thread's scheduling priority, so background threads yield the CPU to the GUI thread."""

from __future__ import annotations

import os
import threading
from typing import Final

# As much as the decoder processes (core/workers.WORKER_NICENESS): a card's picture is background work
# next to keeping the window responsive, and on a par with hashing.
BACKGROUND_NICENESS: Final = 10

_lowered = threading.local()


def lower_this_thread(by: int = BACKGROUND_NICENESS) -> bool:
    """Raise this thread's nice value by `by`, once per thread; True if it is (now or already) lowered.

    On Linux the nice value belongs to each thread (setpriority on the thread's id), so the GUI thread of the
    same process keeps its own. Elsewhere, or where it is refused, nothing changes: priority is a courtesy.
    """
    done: bool | None = getattr(_lowered, "done", None)
    if done is None:
        done = _lower(by)
        _lowered.done = done
    return done


def _lower(by: int) -> bool:
    if not hasattr(os, "setpriority") or os.uname().sysname != "Linux":
        return False
    tid = threading.get_native_id()
    try:
        os.setpriority(os.PRIO_PROCESS, tid, min(19, os.getpriority(os.PRIO_PROCESS, tid) + by))
    except OSError:
        return False
    return True
