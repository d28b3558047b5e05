"""Where a cold scan's memory is: the scan run in this process on an empty cache, RSS by phase, and
tracemalloc's largest allocations alive near the end of the decode phase (where its peak is).

    python benchmarks/cold_memory.py /work/scale-data/100k --top 12
    python benchmarks/cold_memory.py $(ls -d /work/scale-data/1m/0[0-2]??) --no-tracemalloc   # 300k

As the CLI scans (pHash compared, the default settings), then the pair search and grouping. The cache
is a new file in a temporary folder. tracemalloc counts numpy's allocations at their full size, also
pages not touched yet (np.zeros), and slows the scan's own Python work a little; RSS is measured with
it on, so for figures use --no-tracemalloc (or `scale.py run --cold --trace`, the whole CLI).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import threading
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def rss_mb() -> float:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("dirs", nargs="+")
    parser.add_argument("--top", type=int, default=12)
    parser.add_argument("--at", type=float, default=0.95, help="snapshot when this fraction is decoded")
    parser.add_argument("--no-tracemalloc", action="store_true")
    args = parser.parse_args()

    from dupeview.core import pair_memo
    from dupeview.core.cache import FingerprintCache
    from dupeview.core.grouping import DEFAULT_MAX_DISTANCE, DEFAULT_THRESHOLD, FLAT_CONTRAST, GroupOptions, Matcher, MatchOptions
    from dupeview.core.progress import Progress
    from dupeview.core.report import to_json
    from dupeview.core.scanner import ScanSettings, scan

    phase = ["start"]
    peaks: dict[str, float] = {}
    stop = threading.Event()

    def sample() -> None:
        while not stop.is_set():
            peaks[phase[0]] = max(peaks.get(phase[0], 0.0), rss_mb())
            stop.wait(0.1)

    snap: list[tracemalloc.Snapshot] = []

    def progress(p: Progress) -> None:
        phase[0] = "decode" if p.phase == "hash" and p.total else phase[0] if p.phase == "hash" else p.phase
        if p.phase == "hash" and p.total and p.done >= args.at * p.total and not snap and tracemalloc.is_tracing():
            snap.append(tracemalloc.take_snapshot())
            print(f"snapshot at {p.done}/{p.total} decoded, RSS {rss_mb():.0f} MB", flush=True)

    if not args.no_tracemalloc:
        tracemalloc.start(3)
    threading.Thread(target=sample, daemon=True).start()
    roots = tuple(os.path.abspath(d) for d in args.dirs)
    with tempfile.TemporaryDirectory() as tmp:
        cache = FingerprintCache(os.path.join(tmp, "cold.sqlite3"))
        t, c = time.perf_counter(), time.process_time()
        library = scan(ScanSettings(roots, algorithms=("phash",)), cache, progress)
        phase[0] = "after scan"
        n = len(library)
        print(f"scan: {n} files, {time.perf_counter() - t:.1f} s, {time.process_time() - c:.1f} s CPU here, "
              f"RSS {rss_mb():.0f} MB", flush=True)
        if snap:
            tracemalloc.stop()
            stats = snap[0].statistics("traceback")
            total = sum(s.size for s in stats)
            print(f"tracemalloc at the decode snapshot: {total / 2**20:.0f} MB in all ({total / max(n, 1):.0f} B/file); top:")
            for s in stats[:args.top]:
                frame = s.traceback[-1]
                first = s.traceback[0]
                print(f"  {s.size / 2**20:8.1f} MB {s.size / max(n, 1):6.0f} B/file {s.count:>9} blocks  "
                      f"{os.path.relpath(frame.filename)}:{frame.lineno}  ({os.path.basename(first.filename)}:{first.lineno})")
        phase[0] = "pairs+groups"
        matcher = Matcher(library, MatchOptions("phash", False, DEFAULT_MAX_DISTANCE, FLAT_CONTRAST),
                          search_distance=DEFAULT_THRESHOLD, memo=pair_memo.beside(cache.path, roots))
        groups = matcher.groups(GroupOptions(threshold=DEFAULT_THRESHOLD))
        phase[0] = "json"
        to_json({}, library, groups, 0.0)
        time.sleep(0.3)
        stop.set()
        cache.close()
    print(f"{len(groups)} groups; RSS peak by phase (MB, B/file): " +
          ", ".join(f"{k} {v:.0f} ({v * 2**20 / max(n, 1):.0f})" for k, v in peaks.items()) +
          "; load {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))


if __name__ == "__main__":
    main()
