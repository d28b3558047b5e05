"""Speed of dupeview's scan, rescan, pair search and regrouping, measured side by side with baselines.

    python benchmarks/speed.py cold ../shared/corpus [--repeat 3]
    python benchmarks/speed.py photos [--n 100]          (generated 12 MP camera JPEGs)
    python benchmarks/speed.py rescan [--n 100000] [--dir /tmp/dupeview-100k]
    python benchmarks/speed.py pairs [--n 100000 --n 1000000]
    python benchmarks/speed.py regroup [--n 100000]
    python benchmarks/speed.py all ../shared/corpus

`cold` compares, alternating run by run in one fresh process (benchmarks/cold_pair.py), (a) dupeview's
cold scan and grouping (empty cache, all cores), (b) the decode limit (Pillow draft-decoding every
file, nothing else, on as many processes of the scan's own start method, largest files first in
batches that shrink to one file at the end) and (c) the naive approach (one process: open, full
decode, imagehash.phash). Both pools run at one niceness (--nice, default 0: the decoders' nice 10
would make a busy machine's other work, not dupeview, decide the figure) and start after the shared
forkserver is up; files are read first, so all methods see a warm page cache. Each figure is the
median of --repeat runs with the spread (min..max), and the load average. It also prints the
workers' CPU per file for both, which the load hardly changes: their ratio is the best any pool
could reach. `photos --n N` scans exactly N generated 12 MP JPEGs (hard links into one pool).
"""

from __future__ import annotations

import argparse
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

from dupeview.core.discovery import discover
from dupeview.core.grouping import GroupOptions, Matcher, MatchOptions
from dupeview.core.scanner import ImageRecord, Library, default_workers
from dupeview.core.views import FINE_WORDS, VIEWS
from dupeview.core.views import N_WORDS as N_VIEW_WORDS


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cold(root: str, repeat: int, nice: int = 0, with_naive: bool = True, batch: int | None = None) -> None:
    """dupeview's cold scan against the decode limit (and the naive loop), alternating, in one fresh
    process (benchmarks/cold_pair.py): same files, same number of worker processes, same start method
    and niceness, warm page cache, the forkserver started before any timed run."""
    import json

    found = discover([root])
    paths, sizes = [f.path for f in found.files], [f.size for f in found.files]
    workers = default_workers()
    with tempfile.TemporaryDirectory() as warm:
        for k, p in enumerate(paths[:2]):  # the untimed warm-up scan: two of the same files
            os.link(p, os.path.join(warm, f"w{k}{Path(p).suffix}"))
        spec = {"root": root, "paths": paths, "sizes": sizes, "workers": workers, "nice": nice, "repeat": repeat,
                "naive": with_naive, "warmup_root": warm, "batch": batch}
        code = f"import sys; sys.path[:0] = [{str(ROOT)!r}, {str(ROOT / 'benchmarks')!r}]; import cold_pair; cold_pair.main()"
        out = subprocess.run([sys.executable, "-c", code, json.dumps(spec)], capture_output=True, text=True, check=True)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    runs: dict[str, list[dict[str, float]]] = result["runs"]
    n = len(paths)
    mb = sum(sizes) / len(sizes) / 1e6 if sizes else 0.0
    print(f"cold scan of {root}: {n} files ({mb:.2f} MB each on average), {workers} workers at nice {nice} for both"
          + (f", {batch} files per decoder task" if batch else "") + ", "
          f"median of {repeat} alternating runs (min..max); forkserver start before them {result['forkserver_start']:.2f} s")
    med = {k: statistics.median(r["wall"] for r in v) for k, v in runs.items()}
    for name, values in runs.items():
        walls, loads = [r["wall"] for r in values], [r["load"] for r in values]
        print(f"  {name:<13} {med[name]:7.2f} s  ({min(walls):.2f}..{max(walls):.2f})  {n / med[name]:7.1f} images/s"
              f"   load {statistics.median(loads):.1f} ({min(loads):.1f}..{max(loads):.1f})")
    cpu = {k: statistics.median(r["worker_cpu"] for r in runs[k]) / max(1, n) for k in ("dupeview", "decode limit")}
    print(f"  worker CPU per file (decode.analyse_many / the draft decode alone): {1000 * cpu['dupeview']:.2f} ms / "
          f"{1000 * cpu['decode limit']:.2f} ms = {cpu['decode limit'] / cpu['dupeview']:.2f}x, the best a perfect pool could do")
    ratios = sorted(b["wall"] / a["wall"] for a, b in zip(runs["dupeview"], runs["decode limit"], strict=True))
    print(f"  dupeview / decode limit (images/s): {med['decode limit'] / med['dupeview']:.2f}x; run by run "
          f"median {statistics.median(ratios):.2f}x ({ratios[0]:.2f}..{ratios[-1]:.2f})   target >= 0.8x")
    if "naive" in med:
        print(f"  dupeview / naive (images/s):        {med['naive'] / med['dupeview']:.2f}x   target >= 3x")


def make_photos(folder: Path, n: int) -> Path:
    """A folder of exactly n camera-sized (12 MP) JPEGs: hard links to the first n of a pool of such
    photos (photo-like detail and sensor noise), generated once and shared by every n."""
    pool = make_photo_pool(folder, n)
    chosen = folder.parent / f"{folder.name}-{n}"
    chosen.mkdir(exist_ok=True)
    wanted = {f"IMG_{k:04d}.jpg" for k in range(n)}
    for old in chosen.iterdir():
        if old.name not in wanted:
            old.unlink()
    for name in sorted(wanted):
        if not (chosen / name).exists():
            os.link(pool / name, chosen / name)
    return chosen


def make_photo_pool(folder: Path, n: int) -> Path:
    """At least n camera-sized JPEGs IMG_0000.jpg… in folder, each made once (other files are left alone)."""
    sys.path.insert(0, str(ROOT))
    from tests.images import photo

    folder.mkdir(parents=True, exist_ok=True)
    missing = [k for k in range(n) if not (folder / f"IMG_{k:04d}.jpg").exists()]
    if missing:
        start = time.perf_counter()
        for k in missing:
            base = photo(k, (800, 600)).resize((4000, 3000), Image.Resampling.BICUBIC)
            noise = Image.effect_noise((4000, 3000), 40).convert("RGB")
            part = folder / f".IMG_{k:04d}.jpg.part"  # renamed when whole: an interrupted run leaves no half photo
            Image.blend(base, noise, 0.12).save(part, "JPEG", quality=90)
            part.rename(folder / f"IMG_{k:04d}.jpg")
        print(f"  generated {len(missing)} 12 MP photos in {time.perf_counter() - start:.0f} s")
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
    parser.add_argument("--nice", type=int, default=0,
                        help="niceness of both methods' decoders (default 0: the benchmark measures the work, "
                             "not the scheduler; the app's decoders run at 10 and yield to everything else)")
    parser.add_argument("--no-naive", action="store_true", help="cold/photos: leave out the one-process loop")
    parser.add_argument("--batch", type=int, help="cold/photos: files per decoder task (default: the scan's own)")
    parser.add_argument("--n", type=int, action="append")
    parser.add_argument("--dir", type=Path, default=Path(tempfile.gettempdir()) / "dupeview-bench-images")
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} cores, python {sys.version.split()[0]}, numpy {np.__version__}")
    if args.what in ("cold", "all"):
        if not args.folder:
            parser.error("cold needs a folder")
        cold(args.folder, args.repeat, args.nice, not args.no_naive, args.batch)
    if args.what in ("photos", "all"):
        n = (args.n or [100])[0] if args.what == "photos" else 100
        cold(str(make_photos(args.dir / "photos", n)), args.repeat, args.nice, not args.no_naive, args.batch)
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
