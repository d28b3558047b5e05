"""Several processes open one cache file at the same instant (a barrier releases them) and write to it.

The same worker processes run every trial, each trial on a cache file of its own, so a trial costs
milliseconds and many of them fit in a test.
"""

from __future__ import annotations

import logging
import multiprocessing
import traceback
from pathlib import Path
from typing import Any

from dupeview.core.cache import MEMORY, FingerprintCache
from dupeview.core.decode import DecodeFailure
from tests.cachefiles import damaged_cache


def _worker(dbs: list[str], barrier: Any, results: Any, k: int, rows: int) -> None:
    logging.disable(logging.WARNING)  # the warnings are collected from cache.warnings instead
    for t, db in enumerate(dbs):
        try:
            barrier.wait(timeout=60)
            with FingerprintCache(db) as cache:
                for start in range(0, rows, 10):
                    cache.store([(f"/proc{k}/{i}.jpg", DecodeFailure("empty file (0 bytes)", 0, k, i))
                                 for i in range(start, min(rows, start + 10))])
                results.put((t, k, cache.path != MEMORY, list(cache.warnings), None))
        except BaseException:  # noqa: BLE001 - reported to the parent, which fails the test
            results.put((t, k, False, [], traceback.format_exc(limit=3)))


def run(folder: Path, trials: int, procs: int, rows: int, damaged: bool) -> list[str]:
    """What went wrong in each trial (an empty list when nothing did)."""
    ctx = multiprocessing.get_context("forkserver")
    dbs = []
    for t in range(trials):
        (folder / f"t{t}").mkdir()
        db = folder / f"t{t}" / "c.sqlite3"
        if damaged:
            damaged_cache(db)
        dbs.append(str(db))
    barrier, results = ctx.Barrier(procs), ctx.Queue()
    workers = [ctx.Process(target=_worker, args=(dbs, barrier, results, k, rows)) for k in range(procs)]
    for w in workers:
        w.start()
    try:
        got = [results.get(timeout=120) for _ in range(trials * procs)]
    finally:
        for w in workers:
            w.join(timeout=30)
            if w.is_alive():
                w.kill()
    failures = []
    for t, db in enumerate(dbs):
        mine = [g for g in got if g[0] == t]
        problems = [f"process {k}: {err}" for _, k, _, _, err in mine if err]
        problems += [f"process {k} fell back to memory: {ws}" for _, k, on_disk, ws, err in mine if not on_disk and not err]
        warnings = [w for *_, ws, _ in mine for w in ws]
        trial = Path(db).parent
        asides = sorted(p.name for p in trial.iterdir() if ".corrupt-" in p.name and not p.name.endswith(("-wal", "-shm")))
        if damaged:
            if len(asides) != 1 or len(warnings) != 1 or "moved aside" not in warnings[0]:
                problems.append(f"expected one move aside and one warning, got {asides} and {warnings}")
        elif warnings or asides:
            problems.append(f"warnings {warnings}, moved aside {asides}")
        with FingerprintCache(db) as cache:
            if len(cache) != procs * rows:
                problems.append(f"{len(cache)} entries in the cache instead of {procs * rows}")
        if problems:
            failures.append(f"trial {t}: " + "; ".join(problems))
    return failures
