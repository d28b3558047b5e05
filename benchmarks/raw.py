"""Files per second for camera RAW files: the embedded-preview fast path against the half-size render.

    python benchmarks/raw.py [--n 12] [--size 4000x3000] [--repeat 3] [--dir /tmp/dupeview-raw-bench]

Writes --n DNG files of --size pixels (pidng, 12-bit Bayer data from generated photos) twice:
once with a full-size JPEG preview embedded (what cameras write) and once without (LibRaw must
demosaic). Then, for each set, a cold scan (empty cache, all cores, as `dupeview scan` does)
and one process calling decode.analyse per file, with its CPU time per file (which the machine's
load does not change). Each figure is the median of --repeat runs with the spread (min..max).
Files are read once first so the page cache is warm. The load average is printed: the
machine may be shared.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from dupeview.core import decode, raw
from dupeview.core.cache import FingerprintCache
from dupeview.core.scanner import ScanSettings, default_workers, scan
from tests.images import dng_bytes, jpeg_bytes, photo


def make(folder: Path, n: int, size: tuple[int, int], preview: bool) -> list[str]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for k in range(n):
        path = folder / f"IMG_{k:04d}.DNG"
        if not path.exists():
            img = photo(1000 + k, size)
            path.write_bytes(dng_bytes(img, preview=jpeg_bytes(img, 90) if preview else None))
        paths.append(str(path))
    return paths


def warm(paths: list[str]) -> None:
    for p in paths:
        with open(p, "rb") as fh:
            while fh.read(1 << 22):
                pass


def one_process(paths: list[str]) -> tuple[float, float]:
    """Wall seconds and CPU seconds (this process, all its threads) to analyse every file."""
    start, cpu = time.perf_counter(), time.process_time()
    for p in paths:
        facts = decode.analyse(p)
        if isinstance(facts, decode.DecodeFailure):
            raise SystemExit(f"{p}: {facts.reason}")
    return time.perf_counter() - start, time.process_time() - cpu


def cold_scan(folder: Path, n: int) -> float:
    start = time.perf_counter()
    with FingerprintCache(None) as cache:
        library = scan(ScanSettings((str(folder),)), cache)
    if len(library) != n:
        raise SystemExit(f"{folder}: {len(library)} of {n} fingerprinted; skipped: {library.skipped[:3]}")
    return time.perf_counter() - start


def report(label: str, n: int, seconds: list[float]) -> None:
    med = statistics.median(seconds)
    print(f"  {label:<34} {n / med:7.1f} files/s  ({n / max(seconds):.1f}..{n / min(seconds):.1f}; median {med:.2f} s)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=12)
    parser.add_argument("--size", default="4000x3000")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--dir", type=Path, default=Path("/tmp/dupeview-raw-bench"))
    args = parser.parse_args()
    w, h = (int(v) for v in args.size.lower().split("x"))
    if not raw.available():
        raise SystemExit("rawpy is not installed")
    sets = {
        "with full-size JPEG preview": args.dir / f"{w}x{h}-preview",
        "without preview (half-size render)": args.dir / f"{w}x{h}-render",
    }
    print(f"generating {args.n} DNGs of {w}x{h} per set in {args.dir} (kept for the next run)…", flush=True)
    paths = {label: make(folder, args.n, (w, h), "preview" in folder.name) for label, folder in sets.items()}
    size_mb = sum(os.path.getsize(p) for p in paths["with full-size JPEG preview"]) / args.n / 1e6
    print(f"{args.n} files per set, {size_mb:.0f} MB each; {default_workers()} workers; "
          f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    for label, folder in sets.items():
        warm(paths[label])
        scans = [cold_scan(folder, args.n) for _ in range(args.repeat)]
        singles = [one_process(paths[label]) for _ in range(args.repeat)]
        print(label)
        report("cold scan, all cores", args.n, scans)
        report("one process (decode.analyse)", args.n, [wall for wall, _cpu in singles])
        cpu_ms = statistics.median(cpu for _wall, cpu in singles) / args.n * 1000
        print(f"  {'CPU per file (one process)':<34} {cpu_ms:7.0f} ms  (what a file costs whatever the load)")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
