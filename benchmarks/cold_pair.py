"""The timed half of `speed.py cold`: dupeview's cold scan and the decode limit, alternating, in one fresh process.

Run by speed.py as `python -c "import cold_pair; cold_pair.main()" SPEC` with SPEC a JSON object, and
prints one JSON line of results. It is a module imported by name, not a script, for a fair start-up: a
pool's workers re-run a `__main__` script (multiprocessing's main-module fix-up), which would make both
methods pay for the benchmark's imports in every worker, where the CLI's workers re-run a three-line
entry script. So this module imports only the standard library at the top, and the decode limit's task
is a function here (its workers import this module, nothing more).
"""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import json
import os
import sys
import tempfile
import time
from typing import Any


def _set_nice(nice: int) -> None:
    with contextlib.suppress(AttributeError, OSError):
        os.nice(nice)


def _cpu_logs(pid: int) -> str:
    """Where the workers of the scanning process `pid` log their CPU (a worker's environment is the
    forkserver's, so the folder is found from the parent's pid, not passed in a variable)."""
    return os.path.join(tempfile.gettempdir(), f"dupeview-bench-cpu-{pid}")


def count_cpu() -> None:
    """A scan's worker_setup: the CPU seconds of each batch in decode.analyse_many (what the decoders' task
    runs), appended to a file per worker (a line per batch, so nothing is lost when the pool ends its workers)."""
    import multiprocessing

    from dupeview.core import decode

    parent = multiprocessing.parent_process()
    folder = _cpu_logs(parent.pid) if parent is not None and parent.pid is not None else ""
    if not os.path.isdir(folder):
        return
    analyse_many = decode.analyse_many
    log = open(os.path.join(folder, f"{os.getpid()}.cpu"), "a", buffering=1)  # noqa: SIM115 - open for the worker's life

    def timed(paths: list[str], *args: Any) -> Any:
        cpu = time.process_time()
        try:
            return analyse_many(paths, *args)
        finally:
            log.write(f"{time.process_time() - cpu:.6f}\n")

    decode.analyse_many = timed  # type: ignore[assignment]


def draft_decode(paths: list[str]) -> tuple[int, float]:
    """The decode limit's task: Pillow draft-decoding each file as the scan does (grey, to about 64x64),
    nothing else. Returns (files decoded, CPU seconds of this task)."""
    from PIL import Image

    from dupeview.core.decode import DRAFT_SIZE

    cpu = time.process_time()
    done = 0
    for p in paths:
        try:
            with Image.open(p) as img:
                if img.format == "JPEG":
                    img.draft("L", DRAFT_SIZE)
                img.load()
            done += 1
        except Exception:  # noqa: BLE001 - the baseline skips what it cannot read, like the scan
            pass
    return done, time.process_time() - cpu


def limit_batches(paths: list[str], sizes: list[int], workers: int, most: int = 16) -> list[list[str]]:
    """An ideal schedule: largest files first, in batches that shrink to one file at the end, so no
    core idles while another still has a queue (guided self-scheduling)."""
    order = sorted(range(len(paths)), key=lambda k: -sizes[k])
    batches, start = [], 0
    while start < len(order):
        left = len(order) - start
        size = max(1, min(most, left // (2 * workers)))
        batches.append([paths[k] for k in order[start:start + size]])
        start += size
    return batches


def decode_limit(paths: list[str], sizes: list[int], workers: int, nice: int) -> dict[str, float]:
    """Draft-decode every file on `workers` processes of the scan's own start method (forkserver,
    decoder preloaded), at the scan's niceness, on an ideal schedule."""
    from dupeview.core.scanner import _mp_context

    start = time.perf_counter()
    with cf.ProcessPoolExecutor(workers, mp_context=_mp_context(), initializer=_set_nice, initargs=(nice,)) as pool:
        results = list(pool.map(draft_decode, limit_batches(paths, sizes, workers)))
    wall = time.perf_counter() - start
    return {"wall": wall, "files": sum(r[0] for r in results), "worker_cpu": sum(r[1] for r in results)}


def dupeview_cold(root: str, workers: int, nice: int, batch: int | None = None) -> dict[str, float]:
    """A cold scan (empty cache) and grouping at the defaults (or with `batch` files per decoder task), as
    `dupeview scan` does them."""
    import dataclasses

    from dupeview.core.cache import FingerprintCache
    from dupeview.core.grouping import GroupOptions, Matcher
    from dupeview.core.scanner import ScanSettings, scan

    settings = ScanSettings((root,), workers=workers, worker_setup=count_cpu)
    if batch is not None:
        settings = dataclasses.replace(settings, batch_size=batch)
    if any(f.name == "niceness" for f in dataclasses.fields(ScanSettings)):
        settings = dataclasses.replace(settings, niceness=nice)  # type: ignore[call-arg]
    import shutil

    logs = _cpu_logs(os.getpid())
    shutil.rmtree(logs, ignore_errors=True)
    os.mkdir(logs)
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        with FingerprintCache(os.path.join(tmp, "c.sqlite3")) as cache:
            library = scan(settings, cache)
        scanned = time.perf_counter()
        Matcher(library).groups(GroupOptions())
        done = time.perf_counter()
    cpu = 0.0
    for name in os.listdir(logs):
        with open(os.path.join(logs, name)) as fh:
            cpu += sum(float(line) for line in fh if line.strip())
    shutil.rmtree(logs, ignore_errors=True)
    return {"wall": done - start, "scan": scanned - start, "files": library.hashed, "worker_cpu": cpu}


def naive(paths: list[str]) -> dict[str, float]:
    """The seeds' approach: one process, full decode, imagehash.phash."""
    import imagehash
    from PIL import Image

    start = time.perf_counter()
    for p in paths:
        try:
            with Image.open(p) as img:
                imagehash.phash(img)
        except Exception:  # noqa: BLE001 - a file the naive loop cannot read is skipped, as the app would
            pass
    return {"wall": time.perf_counter() - start, "files": len(paths)}


def main() -> None:
    spec: dict[str, Any] = json.loads(sys.argv[1])
    root, paths, sizes = spec["root"], spec["paths"], spec["sizes"]
    workers, nice, repeat = spec["workers"], spec["nice"], spec["repeat"]
    for p in paths:  # every method sees a warm page cache
        with open(p, "rb") as fh:
            while fh.read(1 << 20):
                pass
    # Untimed: start the shared forkserver (and time that start on its own), warm both code paths.
    start = time.perf_counter()
    decode_limit(paths[:2], sizes[:2], 1, nice)
    forkserver_start = time.perf_counter() - start
    dupeview_cold(spec["warmup_root"], workers, nice)
    methods = {"dupeview": lambda: dupeview_cold(root, workers, nice, spec.get("batch")),
               "decode limit": lambda: decode_limit(paths, sizes, workers, nice)}
    if spec["naive"]:
        methods["naive"] = lambda: naive(paths)
    runs: dict[str, list[dict[str, float]]] = {name: [] for name in methods}
    names = list(methods)
    for r in range(repeat):
        # Alternate who goes first, so neither always runs right after the other's burst.
        for name in (names if r % 2 == 0 else names[::-1]):
            load = os.getloadavg()[0]
            result = methods[name]()
            result["load"] = load
            runs[name].append(result)
    print(json.dumps({"runs": runs, "forkserver_start": forkserver_start}))


if __name__ == "__main__":
    main()
