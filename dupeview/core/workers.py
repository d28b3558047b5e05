"""Decoder processes kept in bounds: how many (cores and free memory), and a time limit per file."""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import logging
import multiprocessing
import multiprocessing.connection
import os
import threading
import time
from collections.abc import Callable
from concurrent.futures.process import BrokenProcessPool  # preloaded here: not imported in each worker
from typing import Any, Final

from dupeview.core import decode, prefetch
from dupeview.core.decode import DecodeFailure, ImageFacts

log = logging.getLogger(__name__)

# A file whose read or decode gives no answer for this long (a stalled network share or FUSE file)
# is skipped and its worker replaced. A 300 MP PNG decodes in well under a minute here.
FILE_TIMEOUT: Final = 120.0
TIMEOUT_REASON: Final = "timed out while reading (no answer within {limit:g} s); skipped"
# What one decoder may use at most: the decode budget plus the interpreter, Pillow and the file's bytes.
MEMORY_PER_WORKER: Final = decode.DECODE_BUDGET + 512 * 1024**2


# Decoders fill every core; at a lower priority they yield at once to the app's GUI thread (and to
# whatever else the user is doing), so the window never stutters. On a busy machine that makes a scan
# slower than a baseline at priority 0: benchmarks run both at one niceness (ScanSettings.niceness).
WORKER_NICENESS: Final = 10


def timeout_reason(limit: float) -> str:
    return TIMEOUT_REASON.format(limit=limit)


def is_timeout(reason: str) -> bool:
    return reason.startswith("timed out while reading")


def available_memory() -> int | None:
    """Bytes of memory available to new processes (MemAvailable), or None where unknown."""
    try:
        with open("/proc/meminfo", "rb") as fh:
            for line in fh:
                if line.startswith(b"MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):
        return None


def worker_cap() -> int:
    """At most twice the cores, and no more decoders than free memory holds at MEMORY_PER_WORKER each."""
    cores = os.cpu_count() or 1
    cap = 2 * cores
    free = available_memory()
    if free is not None:
        cap = min(cap, free // MEMORY_PER_WORKER)
    return max(1, cap)


def capped(requested: int | None) -> tuple[int, str | None]:
    """(workers to start, a warning when the request was lowered). None: one per core, within the cap;
    0: decode in this process."""
    cap = worker_cap()
    if requested is None:
        return max(1, min(os.cpu_count() or 1, cap)), None
    if requested <= 0:
        return 0, None
    if requested > cap:
        return cap, (f"{requested} decoder processes asked for; using {cap} (at most twice the cores, "
                     "and what free memory allows)")
    return requested, None


# --- inside a worker -----------------------------------------------------------------------------------
# Everything a worker runs lives in this module and core/decode.py, which the forkserver preloads: a
# worker forked from it imports nothing (the scanner's own imports cost a worker ~50 ms of CPU each).

def worker_init(setup: Callable[[], None] | None, watch: tuple[Any, Any, Any, Any] | None = None,
                niceness: int = WORKER_NICENESS) -> None:
    """Start-up of each decoder process: its priority, an exit with its parent, its watch slot, setup."""
    with contextlib.suppress(AttributeError, OSError):  # Windows has no os.nice; some sandboxes forbid it
        os.nice(niceness)
    _exit_with_parent()
    init_watch(watch)
    if setup is not None:
        setup()


def _exit_with_parent() -> None:
    """A decoder whose app or CLI was killed (kill -9, a crash) exits instead of idling forever."""
    parent = multiprocessing.parent_process()
    if parent is None:
        return

    def watch() -> None:
        multiprocessing.connection.wait([parent.sentinel])
        os._exit(0)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


# Which file each worker is on, since when (shared with the parent).

_watch: tuple[Any, Any, Any] | None = None
_slot = -1


def init_watch(watch: tuple[Any, Any, Any, Any] | None) -> None:
    """Claim this worker's slot in the shared arrays (task id, file index, start time)."""
    global _watch, _slot
    if watch is None:
        return
    tasks, indexes, started, next_slot = watch
    with next_slot.get_lock():
        _slot = next_slot.value
        next_slot.value += 1
    if _slot < len(started):
        _watch = (tasks, indexes, started)


def analyse_task(task: int, paths: list[str]) -> list[ImageFacts | DecodeFailure]:
    """decode.analyse_many of the paths, telling the parent which file is being read and since when."""
    reads = prefetch.ahead(paths)  # network shares: the next files read while this one decodes

    def starting(k: int) -> None:
        if _watch is not None:
            tasks, indexes, started = _watch
            started[_slot] = 0.0
            tasks[_slot], indexes[_slot] = task, k
            started[_slot] = time.monotonic()  # system-wide clock: comparable with the parent's
        prefetch.wait(reads, k)  # inside the file's clock: a stalled read-ahead times out too

    # The batch's math after the last file runs on that file's clock: milliseconds, far below the limit.
    results = decode.analyse_many(paths, starting)
    if _watch is not None:
        _watch[2][_slot] = 0.0
    return results


class Watch:
    """The parent's view of what each worker of one pool is reading."""

    def __init__(self, ctx: Any, slots: int) -> None:
        self.slots = slots
        self.tasks = ctx.Array("q", slots, lock=False)
        self.indexes = ctx.Array("i", slots, lock=False)
        self.started = ctx.Array("d", slots, lock=False)
        self.next_slot = ctx.Value("i", 0)

    def arrays(self) -> tuple[Any, Any, Any, Any]:
        return self.tasks, self.indexes, self.started, self.next_slot

    def stalled(self, limit: float) -> list[tuple[int, int]]:
        """(task, file index) of every worker reading one file for longer than limit seconds."""
        now = time.monotonic()
        found = []
        for slot in range(self.slots):
            since = self.started[slot]
            if since > 0 and now - since > limit:
                task, index = self.tasks[slot], self.indexes[slot]
                if self.started[slot] == since:  # not moved on while we read the slot
                    found.append((int(task), int(index)))
        return found


def kill(pool: cf.ProcessPoolExecutor) -> None:
    """Stop a pool at once, its workers included: a worker stuck in a read never finishes by itself, and
    one started while the pool broke can wait for ever on a lock a dead worker held. Call it on the
    thread that submits: that thread starts the workers, so none is left out of the list read here."""
    procs = dict(getattr(pool, "_processes", None) or {})
    for proc in procs.values():
        with contextlib.suppress(OSError, AttributeError, ValueError):
            proc.kill()
    pool.shutdown(wait=False, cancel_futures=True)


def analyse_bounded(path: str, new_pool: Callable[[int], cf.ProcessPoolExecutor],
                    limit: float = FILE_TIMEOUT) -> ImageFacts | DecodeFailure | None:
    """One file in a pool of its own, given up after limit seconds (its worker killed). None when the
    decoder crashed (the caller names that)."""
    pool = new_pool(1)
    try:
        return pool.submit(decode.analyse, path).result(timeout=limit)
    except cf.TimeoutError:
        log.warning("decoding %r timed out after %g s", path, limit)
        kill(pool)
        return DecodeFailure(timeout_reason(limit))
    except BrokenProcessPool:
        kill(pool)  # its worker is gone; kill() also stops the pool's machinery at once
        return None
    finally:
        pool.shutdown(wait=False, cancel_futures=True)
