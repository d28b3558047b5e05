"""Cost of keeping a review: snapshot on the GUI thread, saves by the store's worker, load at launch, file checks.

    python benchmarks/review.py [--n 100000] [--marks 30000] [--files 20000]

Synthetic records (paths of realistic length) and fingerprints; --files real empty files
are created in a temporary folder to time check_files (one lstat each).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np

from dupeview.core.records import ImageRecord, Library
from dupeview.core.review import ReviewFolder, ReviewState, check_files, scan_snapshot
from dupeview.core.review_store import ReviewStore, read_review_file, write_review_file


def library(n: int, root: str = "/home/someone/Pictures/Backup 2019") -> Library:
    rng = np.random.default_rng(0)
    hashes = rng.integers(0, 2**63, (n, 4, 8), dtype=np.int64).astype(np.uint64)
    records = [ImageRecord(f"{root}/{2000 + i % 25}/{i % 12 + 1:02d}/IMG_{i:07d}.jpg", 2_000_000 + i, 1_600_000_000_000_000_000 + i,
                           1_600_000_000_000_000_000 + i, 2049, i + 1, i.to_bytes(16, "big"), 4032, 3024, "JPEG",
                           "2019-07-04T12:30:05", "Apple iPhone X", 50.0) for i in range(n)]
    return Library(records=records, hashes=hashes)


def library_copy(lib: Library) -> Library:
    """A new Library object over the same data (as after a trash): its snapshot is made afresh."""
    copies.append(Library(records=list(lib.records), hashes=lib.hashes))
    return copies[-1]


copies: list[Library] = []


def timed(fn: Callable[[], object], repeat: int = 5) -> tuple[float, float, float]:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times) * 1000, min(times) * 1000, max(times) * 1000


def show(label: str, figures: tuple[float, float, float]) -> None:
    med, lo, hi = figures
    print(f"  {label:<58} median {med:8.1f} ms ({lo:.1f}..{hi:.1f})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--marks", type=int, default=30_000)
    parser.add_argument("--files", type=int, default=20_000)
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}, python {sys.version.split()[0]}")
    lib = library(args.n)
    paths = [r.path for r in lib.records]
    marks = frozenset(paths[: args.marks])
    dismissals = frozenset((paths[i], paths[i + 1]) for i in range(0, 2000, 2))
    folders = (ReviewFolder("/home/someone/Pictures"), ReviewFolder("/home/someone/Pictures/Backup 2019", True))
    print(f"review of {args.n} files, {len(marks)} marks, {len(dismissals)} dismissals")

    print("on the GUI thread (what a Session does per change):")
    show("scan_snapshot(library), first call of a new Library", timed(lambda: scan_snapshot(library_copy(lib)), 3))
    show("scan_snapshot(library), later calls (cached)", timed(lambda: scan_snapshot(lib)))
    snap = scan_snapshot(lib)
    show("ReviewState(...) with the marks as a frozenset", timed(
        lambda: ReviewState(folders=folders, options={"threshold": 8}, scan=snap, marks=marks, dismissals=dismissals)))

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "review.sqlite3"
        store = ReviewStore(db)
        state = ReviewState(folders=folders, options={"threshold": 8}, scan=snap, marks=marks, dismissals=dismissals,
                            selected=paths[5])
        print("on the store's worker thread:")
        show("first save (records, fingerprints, marks)", timed(lambda: (store.clear(), store.save(state)), 3))
        print(f"  store size {db.stat().st_size / 1e6:.1f} MB (+ WAL {os.path.getsize(str(db) + '-wal') / 1e6:.1f} MB)")
        flip = [state]

        def one_mark() -> None:
            s = flip[0]
            p = paths[args.marks + 1]
            flip[0] = ReviewState(folders=folders, options={"threshold": 8}, scan=snap,
                                  marks=s.marks ^ {p}, dismissals=dismissals, selected=paths[5])
            store.save(flip[0])
        show("save after one mark changed", timed(one_mark, 9))
        show("save after the selection changed", timed(lambda: store.save(ReviewState(
            folders=folders, options={"threshold": 8}, scan=snap, marks=flip[0].marks, dismissals=dismissals,
            selected=paths[7])), 9))
        fewer = frozenset(paths[: args.marks // 2])
        toggle = [fewer, marks]

        def auto_mark() -> None:
            toggle.reverse()
            store.save(ReviewState(folders=folders, scan=snap, marks=toggle[0], dismissals=dismissals))
        show(f"save after {args.marks // 2} marks changed (auto-mark, clear)", timed(auto_mark, 4))
        store.close()
        show("load at launch (new store, read everything)", timed(lambda: ReviewStore(db).load(), 3))
        out = Path(tmp) / "saved.dupeview-review"
        show("write_review_file (Save review…)", timed(lambda: write_review_file(out, state), 3))
        print(f"  review file size {out.stat().st_size / 1e6:.1f} MB")
        show("read_review_file (Open review…)", timed(lambda: read_review_file(out), 3))

        if args.files:
            folder = Path(tmp) / "files"
            folder.mkdir()
            real = []
            for i in range(args.files):
                p = folder / f"IMG_{i:07d}.jpg"
                p.write_bytes(b"x")
                st = p.stat()
                real.append(ImageRecord(str(p), st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_dev, st.st_ino,
                                        b"", 1, 1, "JPEG", None, None, 50.0))
            figures = timed(lambda: check_files(real), 3)
            show(f"check_files on {args.files} real files (warm)", figures)
            print(f"  -> about {figures[0] * args.n / args.files / 1000:.2f} s for {args.n} files")
    print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB, "
          f"load average {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
