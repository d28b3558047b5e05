"""What the per-file removal transaction costs: trash N camera-sized files through dupeview's checks
(identity + digest of the file and its kept copy before, the kept copy after, write-ahead log) against
a bare send2trash of the same number of files, warm (in the page cache) and cold (evicted).

    python benchmarks/removal.py --n 1000 --mb 6

Everything lives in a temporary folder (HOME and the trash included) that is removed at the end.
Report the load average with the figures: the machine is shared.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _evict(paths: list[Path]) -> None:
    """Drop these files from the page cache (POSIX_FADV_DONTNEED): a removal hours after the scan."""
    for p in paths:
        fd = os.open(p, os.O_RDONLY)
        try:
            os.fsync(fd)
            os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
        finally:
            os.close(fd)


def _make(folder: Path, n: int, size: int, seed: int) -> tuple[list[Path], list[Path]]:
    import numpy as np
    rng = np.random.default_rng(seed)
    doomed, kept = [], []
    (folder / "photos").mkdir(parents=True)
    (folder / "kept").mkdir()
    for i in range(n):
        data = rng.integers(0, 256, size, dtype=np.uint8).tobytes()
        a, b = folder / "photos" / f"IMG_{i:04d}.jpg", folder / "kept" / f"IMG_{i:04d}.jpg"
        a.write_bytes(data)
        b.write_bytes(data)
        doomed.append(a)
        kept.append(b)
    return doomed, kept


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=1000, help="files to trash (default 1000)")
    parser.add_argument("--mb", type=float, default=6.0, help="size of each file in MB (default 6: a 24 MP JPEG)")
    args = parser.parse_args()
    base = Path(tempfile.mkdtemp(prefix="dupeview-removal-bench-"))
    os.environ.update(HOME=str(base / "home"), XDG_DATA_HOME=str(base / "home" / ".local" / "share"),
                      DUPEVIEW_HOME=str(base / "dupeview"))
    (base / "home").mkdir()
    sys.path.insert(0, str(ROOT))
    from dupeview.core.actions import ActionLog, Facts, Removal, trash
    from dupeview.core.actions.operations import send2trash_function
    size = int(args.mb * 1024 * 1024)
    try:
        import hashlib
        sample = os.urandom(64 * 1024 * 1024)
        t0 = time.perf_counter()
        hashlib.sha256(sample).digest()
        sha = 64 / (time.perf_counter() - t0)
        print(f"{args.n} files of {args.mb:g} MB, each with a kept copy; load average {os.getloadavg()[0]:.2f}; "
              f"SHA-256 here now {sha:.0f} MB/s (each removal hashes the file once and its kept copy twice)")
        for cold in (False, True):
            label = "cold" if cold else "warm"
            folder = base / f"dupeview-{label}"
            doomed, kept = _make(folder, args.n, size, 1)
            t0 = time.perf_counter()
            # What a scan records: identity and digest (timed apart: the scan pays it, not the removal).
            removals = [Removal.of(Facts.observe(str(p))) for p in doomed]  # type: ignore[arg-type]
            groups = [[Facts.observe(str(k)), r] for k, r in zip(kept, removals, strict=True)]
            scan_s = time.perf_counter() - t0
            if cold:
                _evict(doomed + kept)
            t0 = time.perf_counter()
            outcomes = trash(removals, groups=groups, log=ActionLog(folder / "actions.jsonl"))  # type: ignore[arg-type]
            checked_s = time.perf_counter() - t0
            assert all(o.ok for o in outcomes), [o for o in outcomes if not o.ok][:3]

            bare_folder = base / f"bare-{label}"
            bare, _ = _make(bare_folder, args.n, size, 2)
            if cold:
                _evict(bare)
            send = send2trash_function()
            t0 = time.perf_counter()
            for p in bare:
                os.lstat(p)  # today's check: size and mtime
                send(str(p))
            bare_s = time.perf_counter() - t0
            per = (checked_s - bare_s) / args.n * 1000
            print(f"  {label}: checked trash {checked_s:.2f} s ({checked_s / args.n * 1000:.1f} ms/file), "
                  f"bare send2trash {bare_s:.2f} s ({bare_s / args.n * 1000:.1f} ms/file): "
                  f"+{per:.1f} ms/file, x{checked_s / max(bare_s, 1e-9):.1f}  (facts at scan: {scan_s:.2f} s)")
            shutil.rmtree(folder, ignore_errors=True)
            shutil.rmtree(bare_folder, ignore_errors=True)
            shutil.rmtree(base / "home" / ".local", ignore_errors=True)  # the trashed files
        print(f"load average after: {os.getloadavg()[0]:.2f}")
    finally:
        shutil.rmtree(base, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
