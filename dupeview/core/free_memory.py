"""Hand freed heap memory back to the system after a big step (a million-file scan, a review written), where the C library allows it."""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import sys
from collections.abc import Callable


@functools.cache
def _trim() -> Callable[[int], int] | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        trim: Callable[[int], int] = libc.malloc_trim   # glibc only: musl has none
    except (OSError, AttributeError):
        return None
    return trim


def give_back() -> bool:
    """Return the heap's free pages to the system (glibc's malloc_trim); False where there is no such call.

    Why: glibc raises its mmap threshold after large frees, so the buffers of a big step (a 60 MB column of
    paths, a pair search's tables) come from the heap afterwards and stay resident once freed: at a million
    files about 80-120 MB after writing the review. ctypes lets go of the GIL during the call."""
    trim = _trim()
    if trim is None:
        return False
    trim(0)
    return True
