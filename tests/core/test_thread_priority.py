"""A background thread lowers its own priority and nobody else's."""

from __future__ import annotations

import os
import sys
import threading

import pytest

from dupeview.core import thread_priority

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="per-thread nice values are Linux's")


def _nice(tid: int) -> int:
    return os.getpriority(os.PRIO_PROCESS, tid)


def test_a_thread_lowers_itself_once_and_the_calling_thread_keeps_its_priority() -> None:
    main_tid = threading.get_native_id()
    before = _nice(main_tid)
    seen: dict[str, object] = {}

    def background() -> None:
        tid = threading.get_native_id()
        start = _nice(tid)
        seen["first"] = thread_priority.lower_this_thread(5)
        seen["after_first"] = _nice(tid) - start
        seen["second"] = thread_priority.lower_this_thread(5)
        seen["after_second"] = _nice(tid) - start
        seen["start"] = start

    t = threading.Thread(target=background)
    t.start()
    t.join()
    assert seen["first"] is True and seen["second"] is True
    expected = min(19, int(seen["start"]) + 5) - int(seen["start"])   # type: ignore[call-overload]
    assert seen["after_first"] == expected
    assert seen["after_second"] == expected, "a second call lowers nothing more"
    assert _nice(main_tid) == before, "the nice value is the thread's, not the process's"
