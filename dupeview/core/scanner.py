"""Scan: discover files, reuse cached fingerprints, hash the rest on every core, and build the library."""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import functools
import itertools
import logging
import multiprocessing
import os
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Final

import numpy as np
from numpy.typing import ArrayLike, NDArray

from dupeview.core import decode, schedule
from dupeview.core import workers as bounds
from dupeview.core.assemble import Assembly
from dupeview.core.cache import MEMORY, CachedValue, FingerprintCache
from dupeview.core.decode import DecodeFailure, ImageFacts
from dupeview.core.discovery import Discovery, DiscoveryOptions, discover
from dupeview.core.fingerprint import ALGORITHMS
from dupeview.core.lazy_codes import CacheCodes
from dupeview.core.progress import CancelToken, Progress, ProgressCallback, Reporter

# Re-exported: the record types used to live here, and callers still import them from here.
from dupeview.core.records import ImageRecord as ImageRecord
from dupeview.core.records import Library as Library
from dupeview.core.vanished import EarlyCounts, prune

log = logging.getLogger(__name__)

CRASH_REASON = "the image decoder crashed on this file"
WORKER_NICENESS = bounds.WORKER_NICENESS
BATCH: Final = 16
SMALL_FILE_BATCH: Final = 64
SMALL_FILE_BYTES: Final = 64 * 1024


@dataclass(frozen=True)
class ScanSettings:
    roots: tuple[str, ...]
    discovery: DiscoveryOptions = DiscoveryOptions()
    workers: int | None = None   # None: every core; 0: in this process (tests, naive benchmark)
    batch_size: int | None = None  # files per decoder task; None: BATCH, or SMALL_FILE_BATCH for small files
    # Runs once in each worker process before it decodes anything (e.g. to register an
    # extra Pillow plugin). Must be a picklable module-level function.
    worker_setup: Callable[[], None] | None = None
    # A file with no answer for this long is reported "timed out while reading" and its worker replaced.
    file_timeout: float = bounds.FILE_TIMEOUT
    # Of the decoder processes (see WORKER_NICENESS); a benchmark sets its baseline's and this alike.
    niceness: int = WORKER_NICENESS
    # The fingerprint algorithms read from the cache's folder packs; the others are read when first
    # asked for (Library.codes, core/lazy_codes.py). Every algorithm is read for a cache in memory.
    algorithms: tuple[str, ...] = ALGORITHMS


def default_workers() -> int:
    """One per core, within the cap (twice the cores, and what free memory allows)."""
    return bounds.capped(None)[0]


def scan(settings: ScanSettings, cache: FingerprintCache,
         progress: ProgressCallback | None = None, cancel: CancelToken | None = None) -> Library:
    """Fingerprint every image under the roots. Raises Cancelled after saving what was hashed."""
    cancel = cancel or CancelToken()
    if progress is not None:
        progress(Progress("discover", 0, 0, message="Looking for images…"))
    early = EarlyCounts(cache, settings.roots)  # for a fully warm scan's vanished check, beside discovery
    found: Discovery = discover(list(settings.roots), settings.discovery, cancel, progress)
    cache_file = cache.path
    slots = Assembly(found, settings.algorithms if cache_file != MEMORY else ALGORITHMS)
    slots.fill_from_packs(cache)  # warm rescan: whole folders at a time
    rest = slots.unanswered()
    if len(rest):
        if bounds.capped(settings.workers)[0] > 0:
            _start_forkserver()  # files to hash, likely: its start overlaps the cache look-ups, not after them
        if cache.holds_any(settings.roots):
            keys = slots.keys()
            slot_of = {found.paths[k]: k for k in rest.tolist()}
            for path, key, value in cache.rows_for(slot_of):  # the files of changed or new folders, one by one
                k = slot_of[path]
                if key == tuple(keys[k].tolist()):
                    slots.put(k, value)
            del slot_of, keys
            rest = slots.unanswered()
    misses = rest  # slots, as an array: at a million files no list or dict of them is held while decoding
    del rest
    reused = len(found) - len(misses)

    sizes = np.frombuffer(found.size, np.int64) if len(found.size) else np.zeros(0, np.int64)
    reporter = Reporter(progress, "hash", len(misses), int(sizes[misses].sum()))
    reporter.finish()
    pending: list[tuple[str, CachedValue]] = []
    last_flush = time.monotonic()
    ordered = misses[schedule.order(sizes[misses])]  # outliers first, then folder by folder

    def flush() -> None:
        # Rows first, then the packs of the folders now answered whole: writing a row drops its folder's pack.
        cache.store(pending)
        pending.clear()
        if cache.path != MEMORY:
            cache.store_packs(slots.new_packs(slots.take_complete()))

    try:
        for k, value in _hash_all(found.paths, ordered, settings, cancel, sizes[ordered]):
            # A crash may come from outside the file (the OOM killer, a signal), and a stalled share
            # may answer later: neither is cached, so the next scan tries that file again.
            keep = not (isinstance(value, DecodeFailure) and (value.reason == CRASH_REASON or bounds.is_timeout(value.reason)))
            slots.put(k, value, cached=keep)
            path = found.paths[k]
            if keep:
                pending.append((path, value))
            reporter.advance(1, value.size, path)
            # Commit often: a cancelled or killed scan keeps what it has hashed (and the packs of the
            # folders it finished), and the codes a pack needs are let go once it is written.
            if len(pending) >= 256 or time.monotonic() - last_flush > 1.0:
                flush()
                last_flush = time.monotonic()
    finally:
        flush()
    reporter.finish()
    # Only here: a cancelled scan never forgets anything. The early counts hold when nothing was written.
    gone = prune(cache, found, cancel, early if not len(misses) else None)
    if cache.path != MEMORY and slots.dirty:
        cache.store_packs(slots.new_packs())  # the rest (e.g. folders of files whose cached rows answered)

    # The cache file answers the algorithms not read, unless it could not be written (then in memory).
    # A cache that could not be written after some point (then in memory) still answers what it had: the
    # loader decodes the rest again when another algorithm is asked for.
    library = slots.library(CacheCodes(cache_file, analyse_safely) if cache_file != MEMORY else None)
    library.vanished = gone
    library.fully_seen = found.fully_seen()
    library.reused = reused
    library.hashed = len(misses)
    library.not_compared = found.not_compared
    library.left_out = dict(found.left_out)
    library.warnings = list(cache.warnings)
    lowered = bounds.capped(settings.workers)[1]
    if lowered and len(misses):
        library.warnings.append(lowered)
    return library


def load_library(cache: FingerprintCache) -> Library:
    """The fingerprinted files recorded in a cache, without touching the disk (for queries).

    Inodes are unknown here, so each record gets a unique negative one: no two are ever
    taken for hard links of each other.
    """
    found = Discovery()
    values: list[CachedValue] = []
    for path, value in cache.entries():
        found.paths.append(path)
        for column, number in zip((found.size, found.mtime_ns, found.ctime_ns, found.dev, found.ino),
                                  (value.size, value.mtime_ns, value.ctime_ns, 0, 0), strict=True):
            column.append(number)
        values.append(value)
    slots = Assembly(found)
    for k, value in enumerate(values):
        slots.put(k, value)
    library = slots.library()
    library.table.ino = -np.arange(1, len(library) + 1, dtype=np.int64)
    library.skipped = []  # old failures in a cache are not this query's business
    library.reused = len(library)
    return library


def _hash_all(paths: Sequence[str], order: NDArray[np.int64], settings: ScanSettings, cancel: CancelToken,
              sizes: ArrayLike | None = None) -> Iterator[tuple[int, CachedValue]]:
    """(k, answer) for each paths[k], k in `order` (hashed in about that order)."""
    if not len(order):
        return
    workers = bounds.capped(settings.workers)[0]
    if workers == 0:
        for k in order.tolist():
            cancel.check()
            yield k, decode.analyse(paths[k])
        return
    yield from _hash_slots(paths, order, workers, batch_size(settings.batch_size, sizes), cancel,
                           settings.worker_setup, settings.file_timeout, sizes=sizes, niceness=settings.niceness)


def batch_size(asked: int | None, sizes: ArrayLike | None) -> int:
    """Files per decoder task: as asked, else BATCH, or SMALL_FILE_BATCH when most files to hash are small.

    A task's fixed costs (its round trip between processes, the batch math's numpy calls) are about a tenth
    of the work of BATCH tiny files, and nothing of BATCH photos (benchmarks/speed.py cold --batch)."""
    if asked is not None:
        return asked
    if sizes is not None and np.size(sizes) and float(np.median(np.asarray(sizes))) <= SMALL_FILE_BYTES:
        return SMALL_FILE_BATCH
    return BATCH


@functools.cache
def _mp_context() -> multiprocessing.context.BaseContext:
    """Never plain fork: the GUI scans from a thread, and forking a threaded process can deadlock.

    On Linux a forkserver (started fresh, with the decoder preloaded) forks workers in
    ~20 ms after its first start instead of ~300 ms for spawn; frozen builds, macOS and
    Windows use spawn.
    """
    if sys.platform.startswith("linux") and not getattr(sys, "frozen", False):
        ctx = multiprocessing.get_context("forkserver")
        # What a worker runs is imported once, in the server, not in each worker (core/decoder_preload.py).
        ctx.set_forkserver_preload(["dupeview.core.decoder_preload"])
        return ctx
    return multiprocessing.get_context("spawn")


def _start_forkserver() -> None:
    """Start the forkserver now if it is not running (it does not wait for the server's imports)."""
    if _mp_context().get_start_method() == "forkserver":
        import multiprocessing.forkserver

        with contextlib.suppress(OSError, ValueError):  # the pool starts it (and reports trouble) later
            multiprocessing.forkserver.ensure_running()


def _new_pool(workers: int, setup: Callable[[], None] | None,
              watch: bounds.Watch | None = None, niceness: int = WORKER_NICENESS) -> cf.ProcessPoolExecutor:
    return cf.ProcessPoolExecutor(max_workers=workers, mp_context=_mp_context(), initializer=bounds.worker_init,
                                  initargs=(setup, watch.arrays() if watch is not None else None, niceness))


_Future = cf.Future[list[ImageFacts | DecodeFailure]]
_Slots = NDArray[np.int64]


def _hash_in_pool(paths: list[str], workers: int, batch_size: int, cancel: CancelToken,
                  setup: Callable[[], None] | None, limit: float = bounds.FILE_TIMEOUT, *,
                  sizes: ArrayLike | None = None,
                  niceness: int = WORKER_NICENESS) -> Iterator[tuple[str, CachedValue]]:
    """(path, answer) for every path, hashed in the pool in this order."""
    for k, value in _hash_slots(paths, np.arange(len(paths), dtype=np.int64), workers, batch_size, cancel, setup,
                                limit, sizes=sizes, niceness=niceness):
        yield paths[k], value


def _hash_slots(paths: Sequence[str], order: _Slots, workers: int, batch_size: int, cancel: CancelToken,
                setup: Callable[[], None] | None, limit: float = bounds.FILE_TIMEOUT, *,
                sizes: ArrayLike | None = None,
                niceness: int = WORKER_NICENESS) -> Iterator[tuple[int, CachedValue]]:
    # Batches of up to batch_size amortise the round trips; they shrink to single files at the end, so
    # no worker idles while another still works through a batch (core/schedule.py). A batch is a slice
    # of `order` (slots, not names): at a million files the plan holds no Python object per file.
    cuts = schedule.cuts(sizes if sizes is not None else np.ones(len(order), np.int64),
                         min(workers, len(order)), batch_size)
    queue: list[_Slots] = [order[start:stop] for start, stop in reversed(cuts)]
    del cuts
    suspects: list[int] = []
    workers = min(workers, len(queue))
    tasks = itertools.count()

    def start() -> tuple[cf.ProcessPoolExecutor, bounds.Watch]:
        # Each pool gets fresh slots: a worker of a pool killed before cannot write into them.
        watch = bounds.Watch(_mp_context(), workers)
        return _new_pool(workers, setup, watch, niceness), watch

    pool, watch = start()
    inflight: dict[_Future, tuple[int, _Slots]] = {}
    completed = False
    try:
        while queue or inflight:
            cancel.check()
            refused = False
            while queue and len(inflight) < workers * 3:
                batch = queue.pop()
                task = next(tasks)
                try:
                    inflight[pool.submit(bounds.analyse_task, task, [paths[k] for k in batch.tolist()])] = (task, batch)
                except BrokenProcessPool:
                    # A worker died since the last wait: this batch never started, so it waits for the new pool.
                    queue.append(batch)
                    refused = True
                    break
            done, _ = cf.wait(inflight, timeout=0.1, return_when=cf.FIRST_COMPLETED)
            broken = refused
            for future in done:
                _, batch = inflight.pop(future)
                try:
                    values = future.result()
                except BrokenProcessPool:
                    suspects.extend(batch.tolist())
                    broken = True
                    continue
                yield from zip(batch.tolist(), values, strict=False)
            stalled = dict(watch.stalled(limit)) if not broken else {}
            if stalled:
                # A read that never returns (a stalled share, a FUSE file): that file is skipped, its
                # worker killed with the pool, and every other file in flight is queued again.
                for _task, batch in inflight.values():
                    index = stalled.get(_task)
                    if index is not None and index < len(batch):
                        log.warning("reading %r timed out after %g s", paths[int(batch[index])], limit)
                        yield int(batch[index]), DecodeFailure(bounds.timeout_reason(limit))
                        rest = np.delete(batch, index)
                    else:
                        rest = batch
                    if len(rest):
                        queue.append(rest)
                inflight.clear()
                bounds.kill(pool)
                pool, watch = start()
                continue
            if broken:
                # A worker died (a decoder crash): every batch in flight is lost with it.
                # Re-run those files one at a time to find the culprit; carry on with the rest.
                for _task, batch in inflight.values():
                    suspects.extend(batch.tolist())
                inflight.clear()
                # Killed, not just shut down: a worker the pool started (in a submit) while another died is
                # not among those the broken pool terminates, and may wait for ever on a lock the dead one
                # held; the pool's manager thread then waits for it, and so does interpreter exit.
                bounds.kill(pool)
                for k in suspects:
                    cancel.check()
                    yield k, _isolate(paths[k], setup, limit)
                suspects.clear()
                pool, watch = start()
        completed = True
    finally:
        # After the last result, wait for the workers to exit: the pool starts a worker per submit, and
        # one still starting when the pool's queues are freed dies unpickling their semaphores (a traceback
        # on stderr, seen under load). A cancel or an error kills the work in flight: no decoder of a pool
        # given up on may outlive it (see the crash branch above).
        if completed:
            pool.shutdown(wait=True, cancel_futures=True)
        else:
            bounds.kill(pool)


def _isolate(path: str, setup: Callable[[], None] | None, limit: float = bounds.FILE_TIMEOUT) -> CachedValue:
    """Hash one suspect file in a pool of its own, so a crash (or a stall) is pinned on that file."""
    value = bounds.analyse_bounded(path, lambda n: _new_pool(n, setup), limit)
    if value is None:
        log.warning("decoder crashed on %r", path)
        return _crash_failure(path)
    return value


def analyse_safely(path: str, limit: float = bounds.FILE_TIMEOUT) -> CachedValue:
    """One file, decoded in a process of its own within the time limit (for `dupeview query`). The pool
    is kept for the next call: a query of many images pays for one process start, not one each."""
    global _query_pool
    with _query_lock:
        if _query_pool is None:
            _query_pool = _new_pool(1, None)
        pool = _query_pool
        try:
            return pool.submit(decode.analyse, path).result(timeout=limit)
        except cf.TimeoutError:
            log.warning("decoding %r timed out after %g s", path, limit)
            bounds.kill(pool)
            _query_pool = None
            return DecodeFailure(bounds.timeout_reason(limit))
        except BrokenProcessPool:
            bounds.kill(pool)
            _query_pool = None
            log.warning("decoder crashed on %r", path)
            return _crash_failure(path)


_query_pool: cf.ProcessPoolExecutor | None = None
_query_lock = threading.Lock()


def _crash_failure(path: str) -> DecodeFailure:
    try:
        st = os.stat(path)
    except OSError:
        return DecodeFailure(CRASH_REASON)
    return DecodeFailure(CRASH_REASON, st.st_size, st.st_mtime_ns, st.st_ctime_ns)
