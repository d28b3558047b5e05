"""No decoder outlives a broken pool: a worker started while its pool breaks would hang interpreter exit."""

from __future__ import annotations

import contextlib
import functools
import multiprocessing.forkserver
import os
import signal
import sys
import time
from pathlib import Path

import pytest

from dupeview.core.cache import FingerprintCache
from dupeview.core.scanner import ScanSettings, scan
from tests.images import photo, save


def _second_worker_dies(marker: str) -> None:
    """Worker setup: the pool's second decoder dies at start (as a segfaulting decoder would), once the
    first is idle, waiting for work with the call queue's read lock held; the others run."""
    if _claim(marker + ".1"):
        return
    if Path(marker + ".2").exists():
        _claim(marker + ".3")  # the late third worker got this far: past unpickling the pool's locks
        return
    first = int(Path(marker + ".1").read_text() or 0)
    for _ in range(6000):
        with contextlib.suppress(OSError):
            if "pipe_read" in Path(f"/proc/{first}/wchan").read_text():
                break
        time.sleep(0.01)
    _claim(marker + ".2", die=True)


def _claim(path: str, die: bool = False) -> bool:
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL)
    except FileExistsError:
        return False
    os.write(fd, str(os.getpid()).encode())
    os.close(fd)
    if die:
        os._exit(70)
    return True


class _ThirdWorkerStartsLate:
    """The setup as the pool pickles it for each new worker. The third worker's start (on the thread that
    submits) waits until the second worker has died and the pool has had time to break, while the first
    idles holding the call queue's read lock: the ordering that, under load, lets a worker join a pool
    after the pool terminated the workers it knew (the first among them, lock and all), so nothing ever
    stops the late one, and the pool's manager thread (joined at interpreter exit) waits for it forever."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker
        self.pickled = 0

    def __call__(self) -> None:
        _second_worker_dies(str(self.marker))

    def __reduce__(self) -> tuple[object, tuple[object, ...]]:
        self.pickled += 1
        if self.pickled == 3:
            died = Path(f"{self.marker}.2")
            for _ in range(6000):  # bounded: a test that goes wrong fails, it does not hang
                if died.exists() and died.read_text() and not Path(f"/proc/{died.read_text()}").exists():
                    break  # dead and reaped by the forkserver: the pool sees it gone
                time.sleep(0.01)
            time.sleep(0.5)  # the pool's manager thread marks it broken and terminates the workers it knows
        return functools.partial, (_second_worker_dies, str(self.marker))


def _forkserver_children() -> set[int]:
    pid = multiprocessing.forkserver._forkserver._forkserver_pid  # type: ignore[attr-defined]
    if pid is None:
        return set()
    children: set[int] = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        with open(task / "children") as fh:
            children.update(int(c) for c in fh.read().split())
    return children


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the forkserver and /proc are Linux's")
def test_a_worker_started_while_its_pool_breaks_is_stopped_with_the_pool(tmp_path: Path) -> None:
    root = tmp_path / "lib"
    for k in range(12):
        save(photo(k, (96, 64)), root / f"{k:03d}.jpg")
    setup = _ThirdWorkerStartsLate(tmp_path / "first-worker")
    before = _forkserver_children()
    waited = False

    def progress(_event: object) -> None:
        # The scan goes on (and frees the broken pool's locks) only once the late worker holds them.
        nonlocal waited
        if setup.pickled >= 3 and not waited:
            waited = True
            for _ in range(6000):
                if Path(f"{setup.marker}.3").exists():
                    break
                time.sleep(0.01)

    left: set[int] = set()
    try:
        with FingerprintCache(None) as cache:
            library = scan(ScanSettings((str(root),), workers=3, batch_size=2, worker_setup=setup), cache, progress)
        assert len(library.records) == 12 and not library.skipped  # the lost batch is decoded again
        assert setup.pickled >= 3
        # Every decoder of the scan exits (the pools' manager threads join them, at the latest at exit).
        for _ in range(600):
            left = _forkserver_children() - before
            if not left:
                break
            time.sleep(0.05)
        assert not left, f"decoder processes {sorted(left)} outlived the scan: interpreter exit would hang"
    finally:
        for pid in left:  # so that a failure does not hang the test run's own exit
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
