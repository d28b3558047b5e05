"""Speed of dupeview's scan, rescan, pair search and regrouping, measured side by side with baselines.

    python benchmarks/speed.py cold ../shared/corpus [--repeat 3]
    python benchmarks/speed.py photos [--n 100]          (generated 12 MP camera JPEGs)
    python benchmarks/speed.py rescan [--n 100000] [--dir /tmp/dupeview-100k]
    python benchmarks/speed.py pairs [--n 100000 --n 1000000]
    python benchmarks/speed.py regroup [--n 100000]
    python benchmarks/speed.py all ../shared/corpus

`cold` compares, in one run and alternating, (a) dupeview's cold scan (empty cache, all
cores), (b) the naive approach (one process: open, full decode, imagehash.phash) and
(c) the decode limit (Pillow draft-decoding every file on all cores, no hashing, no
cache). Each figure is the median of --repeat runs, with the spread (min..max) as the
noise. Files are read once first so every method sees a warm page cache.
"""

from __future__ import annotations

import argparse
import concurrent.futures as cf
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np
from PIL import Image

from dupeview.core.cache import FingerprintCache
from dupeview.core.decode import DRAFT_SIZE
from dupeview.core.discovery import discover
from dupeview.core.grouping import GroupOptions, Matcher, MatchOptions
from dupeview.core.scanner import ImageRecord, Library, ScanSettings, _mp_context, default_workers, scan
from dupeview.core.views import FINE_WORDS, VIEWS
from dupeview.core.views import N_WORDS as N_VIEW_WORDS


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# -- baselines --------------------------------------------------------------------------

def _draft_decode(paths: list[str]) -> int:
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
    return done


def decode_limit(paths: list[str], workers: int, batch: int = 16) -> float:
    """Seconds to draft-decode every file on all cores (spawned pool, like the scan)."""
    start = time.perf_counter()
    # The scan's own pool settings: pool start-up belongs to any multi-core method.
    with cf.ProcessPoolExecutor(workers, mp_context=_mp_context()) as pool:
        list(pool.map(_draft_decode, [paths[i:i + batch] for i in range(0, len(paths), batch)]))
    return time.perf_counter() - start


def naive(paths: list[str]) -> float:
    """Seconds for the seeds' approach: one process, full decode, imagehash.phash."""
    import imagehash

    start = time.perf_counter()
    for p in paths:
        try:
            with Image.open(p) as img:
                imagehash.phash(img)
        except Exception:  # noqa: BLE001 - a file the naive loop cannot read is skipped, as the app would
            pass
    return time.perf_counter() - start


def dupeview_cold(root: str, workers: int) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        with FingerprintCache(os.path.join(tmp, "c.sqlite3")) as cache:
            library = scan(ScanSettings((root,), workers=workers), cache)
        Matcher(library).groups(GroupOptions())
        return time.perf_counter() - start


def cold(root: str, repeat: int) -> None:
    paths = [f.path for f in discover([root]).files]
    for p in paths:  # warm the page cache for every method alike
        Path(p).read_bytes()
    workers = default_workers()
    runs: dict[str, list[float]] = {"dupeview": [], "decode limit": [], "naive": []}
    for _ in range(repeat):
        runs["dupeview"].append(dupeview_cold(root, workers))
        runs["decode limit"].append(decode_limit(paths, workers))
        runs["naive"].append(naive(paths))
    n = len(paths)
    print(f"cold scan of {root}: {n} files, {workers} workers, median of {repeat} (min..max)")
    med = {k: statistics.median(v) for k, v in runs.items()}
    for name, values in runs.items():
        print(f"  {name:<13} {med[name]:7.2f} s  ({min(values):.2f}..{max(values):.2f})  {n / med[name]:7.1f} images/s")
    print(f"  dupeview / decode limit (images/s): {med['decode limit'] / med['dupeview']:.2f}x   target >= 0.8x")
    print(f"  dupeview / naive (images/s):        {med['naive'] / med['dupeview']:.2f}x   target >= 3x")


def make_photos(folder: Path, n: int) -> Path:
    """n camera-sized (12 MP) JPEGs with photo-like detail and sensor noise, made once."""
    sys.path.insert(0, str(ROOT))
    from tests.images import photo

    marker = folder / f".complete-{n}"
    if not marker.exists():
        folder.mkdir(parents=True, exist_ok=True)
        start = time.perf_counter()
        for k in range(n):
            base = photo(k, (800, 600)).resize((4000, 3000), Image.Resampling.BICUBIC)
            noise = Image.effect_noise((4000, 3000), 40).convert("RGB")
            Image.blend(base, noise, 0.12).save(folder / f"IMG_{k:04d}.jpg", quality=90)
        marker.write_text("ok")
        print(f"  generated {n} 12 MP photos in {time.perf_counter() - start:.0f} s")
    return folder


# -- warm rescan of a large generated library ---------------------------------------------

def make_images(folder: Path, n: int) -> None:
    """n small distinct JPEGs, 100 per folder, made once and reused.

    8x8 random colours upscaled: as far apart in pHash as distinct photos (4x4 gave
    pHashes so alike that 0.1% of all pairs fell within 12 bits).
    """
    marker = folder / f".complete-v2-{n}"
    if marker.exists():
        return
    rng = np.random.default_rng(0)
    start = time.perf_counter()
    for k in range(n):
        sub = folder / f"{k // 100:04d}"
        if k % 100 == 0:
            sub.mkdir(parents=True, exist_ok=True)
        pixels = rng.integers(0, 256, (8, 8, 3), dtype=np.uint8)
        Image.fromarray(pixels).resize((64, 48), Image.Resampling.BICUBIC).save(sub / f"{k:06d}.jpg", quality=85)
    marker.write_text("ok")
    print(f"  generated {n} images in {time.perf_counter() - start:.1f} s")


_CHILD = """
import json, resource, sys, time
sys.path.insert(0, {root!r})
from dupeview.core.cache import FingerprintCache
from dupeview.core.grouping import GroupOptions, Matcher
from dupeview.core.scanner import ScanSettings, scan
t0 = time.perf_counter()
with FingerprintCache({db!r}) as cache:
    library = scan(ScanSettings(({folder!r},)), cache)
t1 = time.perf_counter()
groups = Matcher(library).groups(GroupOptions())
t2 = time.perf_counter()
print(json.dumps({{"scan": t1 - t0, "group": t2 - t1, "images": len(library), "hashed": library.hashed,
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "workers_rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}}))
"""


def _child_scan(folder: Path, db: Path) -> dict[str, float]:
    import json

    code = _CHILD.format(root=str(ROOT), db=str(db), folder=str(folder))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def rescan(n: int, folder: Path, repeat: int) -> None:
    print(f"rescan of {n} unchanged generated images ({folder})")
    make_images(folder, n)
    db = folder.parent / f"{folder.name}-v2.sqlite3"
    if not db.exists():
        first = _child_scan(folder, db)
        print(f"  cold scan to fill the cache: {first['scan']:.1f} s ({first['images'] / first['scan']:.0f} images/s), "
              f"peak RSS {first['rss_mb']:.0f} MB (+ workers {first['workers_rss_mb']:.0f} MB each)")
    runs = [_child_scan(folder, db) for _ in range(repeat)]
    scans = [r["scan"] for r in runs]
    groups = [r["group"] for r in runs]
    assert all(r["hashed"] == 0 for r in runs), "a warm rescan decoded files"
    print(f"  warm rescan (discover + validate cache + load fingerprints): median {statistics.median(scans):.2f} s "
          f"({min(scans):.2f}..{max(scans):.2f}), decoded 0 files   target <= 3 s")
    print(f"  + similar pairs and groups: median {statistics.median(groups):.2f} s ({min(groups):.2f}..{max(groups):.2f})")
    print(f"  peak RSS of the scanning process: {max(r['rss_mb'] for r in runs):.0f} MB   target <= 400 MB")


# -- pair search and regrouping on synthetic fingerprints -----------------------------------

def synthetic_library(n: int, seed: int = 0) -> Library:
    """n random fingerprints and layout views, a tenth of them near copies (1-6 bit flips) of others.

    As in real libraries, most files have nothing to trim: their trimmed view is the whole image
    (83 % of ../shared/corpus), so it is no probe of its own (core/verify.py).
    """
    rng = np.random.default_rng(seed)

    def words(*shape: int) -> np.ndarray:
        top = rng.integers(0, 2, shape).astype(np.uint64) << np.uint64(63)
        return rng.integers(0, 2**63, shape, dtype=np.int64).astype(np.uint64) ^ top

    codes = words(n)
    views = words(n, N_VIEW_WORDS)
    k = n // 10
    src, dst = rng.integers(0, n, k), rng.integers(0, n, k)
    views[dst] = views[src]
    for _ in range(3):
        codes[dst] = codes[src] ^ (np.uint64(1) << rng.integers(0, 64, k).astype(np.uint64))
        views[dst] ^= np.uint64(1) << rng.integers(0, 64, (k, 1)).astype(np.uint64)
    untrimmed = rng.random(n) < 0.83
    trim = VIEWS.index("trim")
    views[untrimmed, trim] = codes[untrimmed]
    fine = len(VIEWS) + FINE_WORDS * (1 + trim)
    views[untrimmed, fine:fine + FINE_WORDS] = views[untrimmed, len(VIEWS):len(VIEWS) + FINE_WORDS]
    hashes = np.repeat(codes[:, None, None], 4, axis=1).repeat(8, axis=2)
    records = [ImageRecord(f"/synthetic/{i:07d}.jpg", 1000 + i % 977, 0, 0, 1, i + 1, i.to_bytes(8, "big"),
                           100, 100, "JPEG", None, None, 50.0) for i in range(n)]
    return Library(records=records, hashes=hashes, views=views, flatness=np.full(n, 0.1))


def regroup(n: int) -> None:
    library = synthetic_library(n)
    start = time.perf_counter()
    matcher = Matcher(library, MatchOptions(max_distance=12))
    built = time.perf_counter() - start
    print(f"regroup at {n} synthetic fingerprints: pairs up to 12 bits in {built:.2f} s ({len(matcher.distance)} edges)")
    for threshold in (4, 6, 8, 10, 12, 8):
        times = []
        for _ in range(5):
            t = time.perf_counter()
            groups = matcher.groups(GroupOptions(threshold=threshold))
            times.append(time.perf_counter() - t)
        print(f"  threshold {threshold:>2}: {len(groups):>6} groups in {1000 * statistics.median(times):6.1f} ms "
              f"({1000 * min(times):.1f}..{1000 * max(times):.1f})   target <= 50 ms")


def pairs(sizes: list[int]) -> None:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import pairs as pair_bench  # benchmarks/pairs.py

    for n in sizes:
        result = pair_bench.run(n, 10)
        print(f"similar pairs of {n} fingerprints (max distance 10): {result}")
        layout_pairs(n)


def layout_pairs(n: int) -> None:
    """What a scan at the defaults does after loading: whole-image pairs and layout candidates to
    threshold 8, all confirmed on the fine hashes (core/verify.py), then extended to 12 as a slider would."""
    library = synthetic_library(n)
    one, five, _ = os.getloadavg()
    start = time.perf_counter()
    matcher = Matcher(library, MatchOptions(max_distance=12), search_distance=8)
    first = time.perf_counter() - start
    start = time.perf_counter()
    matcher.extend(12)
    further = time.perf_counter() - start
    print(f"similar pairs of {n} fingerprints with layout views: {first:.2f} s to distance 8 "
          f"({matcher.edge_count(8)} edges), + {further:.2f} s to extend to 12   target <= "
          f"{'2' if n <= 100_000 else '60'} s   (load {one:.1f} {five:.1f})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("what", choices=("cold", "photos", "rescan", "pairs", "regroup", "all"))
    parser.add_argument("folder", nargs="?")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--n", type=int, action="append")
    parser.add_argument("--dir", type=Path, default=Path(tempfile.gettempdir()) / "dupeview-bench-images")
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} cores, python {sys.version.split()[0]}, numpy {np.__version__}")
    if args.what in ("cold", "all"):
        if not args.folder:
            parser.error("cold needs a folder")
        cold(args.folder, args.repeat)
    if args.what in ("photos", "all"):
        cold(str(make_photos(args.dir / "photos", (args.n or [100])[0] if args.what == "photos" else 100)), args.repeat)
    if args.what in ("rescan", "all"):
        for n in args.n or [100_000]:
            rescan(n, args.dir / str(n), args.repeat)
    if args.what in ("pairs", "all"):
        pairs(args.n or [100_000, 1_000_000])
    if args.what in ("regroup", "all"):
        for n in args.n or [100_000]:
            regroup(n)
    print(f"peak RSS of this benchmark process: {peak_rss_mb():.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
