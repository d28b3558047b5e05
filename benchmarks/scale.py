"""dupeview at scale: generated libraries of tiny distinct JPEGs (1,000 per folder), whole CLI process.

    python benchmarks/scale.py generate /work/scale-data/100k --n 100000     # once; both cores
    python benchmarks/scale.py run /work/scale-data/100k --cold               # cold scan (empty cache)
    python benchmarks/scale.py run /work/scale-data/100k --runs 3             # warm rescans
    python benchmarks/scale.py run /work/scale-data/100k --runs 3 --rotations
    python benchmarks/scale.py run /work/scale-data/100k --runs 3 --no-memo   # every run searches all pairs
    python benchmarks/scale.py phases /work/scale-data/100k                   # where a warm rescan goes
    python benchmarks/scale.py synth /work/scale-data/1m-synth --n 1000000    # warm path only, see below
    python benchmarks/scale.py compare DIR --tree-a /work/main --cache-a A.sqlite3 --cache-b B.sqlite3
    python benchmarks/scale.py run /work/scale-data/100k --cold --trace       # RSS over time, by phase
    python benchmarks/scale.py run /work/scale-data/1m --cold --page-cache evict   # or read: see page_cache()
    python benchmarks/scale.py run $(ls -d /work/scale-data/1m/0[0-2]??) --cache C --cold --trace  # 300k
    python benchmarks/scale.py coldphases /work/scale-data/100k --top 12      # tracemalloc at the decode peak

`run` times `python -m dupeview scan DIR --format json` as a user runs it (interpreter start,
imports, discovery, cache, pairs, grouping, JSON) and reports wall time, the child's peak RSS and
the false groups: every file is distinct by construction (its own random 8x8 pattern, smoothed to
64x64, random tint), so every group found is a false one. The cache is DIR.sqlite3 next to the
library. `phases` runs the same steps in this process, one at a time, with their wall times.
`run --trace` samples the child's RSS and CPU four times a second and splits them by phase: before
the decoders start (discovery, cache), while they run (the decode phase) and after (pairs, groups,
JSON), with each phase's peak in bytes per file. `coldphases` runs a cold scan in this process with
tracemalloc on and prints the largest allocations alive near the end of the decode phase.

`synth` builds a library for the warm path alone, cheaply at a million files: tiny files that
are not images at all, and a cache whose entries are written from each file's stat with random
fingerprints and views. A rescan finds every entry valid and decodes nothing, so it measures
discovery, cache load, assembly, pairs and grouping exactly as for real photos; its false groups
are those of random 64-bit codes, not of images (use `generate` for those).
Noisy on a shared machine: the load average is printed with every figure.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PER_FOLDER = 1000


def _folder(args: tuple[str, int, int]) -> int:
    import numpy as np
    from PIL import Image

    root, start, stop = args
    folder = Path(root) / f"{start // PER_FOLDER:04d}"
    folder.mkdir(parents=True, exist_ok=True)
    made = 0
    for k in range(start, stop):
        path = folder / f"img_{k:07d}.jpg"
        if path.exists():
            continue
        rng = np.random.default_rng(k)
        pattern = Image.fromarray(rng.integers(0, 256, size=(8, 8), dtype=np.uint8), "L").resize((64, 64), Image.BICUBIC)
        tint = rng.integers(60, 256, size=3)
        rgb = (np.asarray(pattern, dtype=np.float32)[:, :, None] * tint / 255).astype(np.uint8)
        Image.fromarray(rgb, "RGB").save(path, quality=85)
        made += 1
    return made


def generate(root: str, n: int, workers: int) -> None:
    start = time.perf_counter()
    tasks = [(root, s, min(s + PER_FOLDER, n)) for s in range(0, n, PER_FOLDER)]
    made = 0
    with multiprocessing.get_context("spawn").Pool(workers) as pool:
        for k, count in enumerate(pool.imap_unordered(_folder, tasks)):
            made += count
            if k % 50 == 0:
                print(f"\r{k + 1}/{len(tasks)} folders", end="", file=sys.stderr, flush=True)
    print(f"\n{made} files written ({n - made} already there) in {time.perf_counter() - start:.0f} s")


def synth(root: str, n: int, cache_path: str | None = None) -> None:
    import numpy as np

    from dupeview.core.cache import FingerprintCache
    from dupeview.core.decode import ImageFacts
    from dupeview.core.fingerprint import ALGORITHMS, N_TRANSFORMS
    from dupeview.core.views import N_WORDS

    start = time.perf_counter()
    cache = FingerprintCache(cache_path or root.rstrip("/") + ".sqlite3")
    rng = np.random.default_rng(n)
    for s in range(0, n, PER_FOLDER):
        folder = Path(root) / f"{s // PER_FOLDER:04d}"
        folder.mkdir(parents=True, exist_ok=True)
        rows = []
        hashes = rng.integers(0, 2**64, size=(PER_FOLDER, len(ALGORITHMS) * N_TRANSFORMS), dtype=np.uint64)
        views = rng.integers(0, 2**64, size=(PER_FOLDER, N_WORDS), dtype=np.uint64)
        for k in range(s, min(s + PER_FOLDER, n)):
            path = folder / f"img_{k:07d}.jpg"
            if not path.exists():
                path.write_bytes(b"\xff\xd8\xff" + k.to_bytes(8, "little"))
            st = path.stat()
            rows.append((str(path), ImageFacts(st.st_size, st.st_mtime_ns, st.st_ctime_ns, rng.bytes(16), 64, 64, "JPEG",
                                               None, None, 40.0, hashes[k - s].astype("<u8").tobytes(),
                                               views[k - s].astype("<u8").tobytes(), 0.0)))
        cache.store(rows)
        if s % 50_000 == 0:
            print(f"\r{s + PER_FOLDER}/{n}", end="", file=sys.stderr, flush=True)
    cache.close()
    print(f"\n{n} files and cache entries in {time.perf_counter() - start:.0f} s")


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load {one:.2f} {five:.2f} {fifteen:.2f}"


def scan_once(root: str | list[str], cache: str, rotations: bool, threshold: int | None,
              algorithm: str = "phash", bytecode: bool = True, tree: str | None = None,
              trace: bool = False, keep_json: str | None = None) -> dict[str, float | int]:
    roots = [root] if isinstance(root, str) else root
    cmd = [sys.executable, "-m", "dupeview", "scan", *roots, "--cache", cache, "--format", "json", "--quiet"]
    if rotations:
        cmd.append("--rotations")
    if algorithm != "phash":
        cmd += ["--algorithm", algorithm]
    if threshold is not None:
        cmd += ["--threshold", str(threshold)]
    env = {**os.environ, "PYTHONPATH": tree or str(ROOT)}
    if bytecode:
        # As an installed dupeview runs: with its modules' bytecode (pip writes it at install). Without
        # it (PYTHONDONTWRITEBYTECODE=1, as some shells here set) every run compiles all of dupeview
        # first, ~0.1 s of CPU. The bytecode goes to a folder in /tmp, never into the source tree.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = os.path.join(tempfile.gettempdir(), "dupeview-scale-pyc")
    with tempfile.TemporaryFile() as out_file, tempfile.TemporaryFile() as err_file:
        start = time.perf_counter()
        # cwd too: `python -m` puts the current folder before PYTHONPATH, so it must be the tree measured.
        child = subprocess.Popen(cmd, stdout=out_file, stderr=err_file, env=env, cwd=tree or str(ROOT))
        sampler = Sampler(child.pid) if trace else None
        _, status, usage = os.wait4(child.pid, 0)  # the child's own peak RSS, not the max of all children
        if sampler is not None:
            sampler.stop()
        seconds = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)
        out_file.seek(0)
        err_file.seek(0)
        out, err = out_file.read(), err_file.read()
    peak = usage.ru_maxrss
    cpu = usage.ru_utime + usage.ru_stime
    if child.returncode != 0:
        raise SystemExit(f"scan failed ({child.returncode}): {err.decode(errors='replace')[-2000:]}")
    if keep_json:
        Path(keep_json).write_bytes(out)
    doc = json.loads(out)
    summary = doc["summary"]
    if sampler is not None:
        sampler.report(summary["images"], peak / 1024)
    return {"seconds": seconds, "cpu_seconds": cpu, "peak_rss_mb": peak / 1024, "images": summary["images"], "hashed": summary["hashed"],
            "groups": summary["groups"], "files_in_groups": sum(len(g["members"]) for g in doc["groups"])}


class Sampler:
    """The child's RSS and CPU every 0.25 s, and whether decoder processes run (its grandchildren: the
    forkserver's workers), which splits the scan into before, during and after the decode phase."""

    def __init__(self, pid: int) -> None:
        import threading
        self.pid = pid
        self.samples: list[tuple[float, float, float, int]] = []  # seconds, RSS MB, CPU s, processes below
        self._stop = threading.Event()
        self._start = time.perf_counter()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _below(self, pid: int) -> int:
        try:
            kids = [int(x) for t in os.listdir(f"/proc/{pid}/task")
                    for x in Path(f"/proc/{pid}/task/{t}/children").read_text().split()]
        except OSError:
            return 0
        return len(kids) + sum(self._below(k) for k in kids)

    def _run(self) -> None:
        tick = os.sysconf("SC_CLK_TCK")
        while not self._stop.is_set():
            try:
                status = Path(f"/proc/{self.pid}/status").read_text()
                fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                return
            rss = next((int(line.split()[1]) / 1024 for line in status.splitlines() if line.startswith("VmRSS")), 0.0)
            if rss:  # 0 once the child is a zombie
                self.samples.append((time.perf_counter() - self._start, rss, (int(fields[11]) + int(fields[12])) / tick,
                                     self._below(self.pid)))
            self._stop.wait(0.25)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()

    def report(self, files: int, peak_mb: float) -> None:
        s = self.samples
        if not s:
            return
        # The forkserver and the resource tracker stay to the end; the decoders are gone before the pair search.
        base = s[-1][3]
        decoding = [k for k, x in enumerate(s) if x[3] > base]
        a, b = (decoding[0], decoding[-1] + 1) if decoding else (len(s), len(s))
        per = max(files, 1)
        for name, start, part in (("before decoding", 0, s[:a]), ("decoding", a, s[a:b]), ("after decoding", b, s[b:])):
            if not part:
                continue
            top = max(part, key=lambda x: x[1])
            cpu = part[-1][2] - (s[start - 1][2] if start else 0.0)  # from the end of the phase before
            print(f"  {name:<16} {part[0][0]:7.1f}-{part[-1][0]:7.1f} s: peak RSS {top[1]:6.0f} MB "
                  f"({top[1] * 2**20 / per:5.0f} B/file) at {top[0]:.1f} s, CPU {cpu:6.1f} s", flush=True)
        step = max(1, len(s) // 12)
        print("  RSS over time (s: MB): " + ", ".join(f"{x[0]:.0f}: {x[1]:.0f}" for x in s[::step]) +
              f"; peak {peak_mb:.0f} MB ({peak_mb * 2**20 / per:.0f} B/file)", flush=True)


def page_cache(dirs: list[str], how: str) -> str:
    """Put the library's files in a known page-cache state before a run: "evict" asks the kernel to drop their
    pages (posix_fadvise DONTNEED: this machine's other files stay), "read" reads them all. A cold run of files
    the kernel still holds skips the disk: 1M tiny files (4 GB of pages) are mostly not held after other work,
    100k (0.4 GB) mostly are, which made most of the 10-15 % by which 1M looked slower per file."""
    files = 0
    for d in dirs:
        for folder, _subdirs, names in os.walk(d):
            for name in names:
                fd = os.open(os.path.join(folder, name), os.O_RDONLY)
                try:
                    if how == "evict":
                        os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
                    else:
                        while os.read(fd, 1 << 20):
                            pass
                finally:
                    os.close(fd)
                files += 1
    return f"page cache: {how} ({files:,} files)"


def run(args: argparse.Namespace) -> None:
    dirs = [os.path.abspath(d) for d in args.dir]
    root: str | list[str] = dirs[0] if len(dirs) == 1 else dirs
    if len(dirs) > 1 and not args.cache:
        raise SystemExit("several folders: say which cache (--cache)")
    cache = args.cache or dirs[0].rstrip("/") + ".sqlite3"
    rows = []
    for k in range(args.runs):
        if args.cold:
            for suffix in ("", "-wal", "-shm"):
                if os.path.exists(cache + suffix):
                    os.unlink(cache + suffix)
        if args.cold or args.no_memo:
            shutil.rmtree(cache + ".pairs", ignore_errors=True)  # the remembered pairs (core/pair_memo.py)
        if args.page_cache != "as-is":
            print(page_cache(dirs, args.page_cache), flush=True)
        before = load()
        r = scan_once(root, cache, args.rotations, args.threshold, args.algorithm, not args.no_bytecode,
                      trace=args.trace, keep_json=args.keep_json)
        rows.append(r)
        kind = ("cold" if args.cold else "warm") + (", no memo" if args.no_memo else "")
        print(f"{kind}{' --rotations' if args.rotations else ''} run {k + 1}: {r['seconds']:.2f} s "
              f"({r['cpu_seconds']:.2f} s CPU), "
              f"peak RSS {r['peak_rss_mb']:.0f} MB, {r['images']} images, {r['hashed']} decoded, "
              f"{r['groups']} false groups ({r['files_in_groups']} files); {before} -> {load()}", flush=True)
    if len(rows) > 1:
        times = [r["seconds"] for r in rows]
        cpu = [r["cpu_seconds"] for r in rows]
        print(f"median {statistics.median(times):.2f} s (min {min(times):.2f}, max {max(times):.2f}), "
              f"median CPU {statistics.median(cpu):.2f} s")


def compare(args: argparse.Namespace) -> None:
    """Whole-CLI warm rescans of two source trees, alternating (A, B, A, B, ...), each on its own cache
    copy: on a shared machine the load drifts, and alternating spreads it over both alike."""
    root = os.path.abspath(args.dir)
    trees = [("A", os.path.abspath(args.tree_a), args.cache_a), ("B", os.path.abspath(args.tree_b), args.cache_b)]
    got: dict[str, list[dict[str, float | int]]] = {"A": [], "B": []}
    for k in range(args.runs):
        for name, tree, cache in trees:
            r = scan_once(root, cache, args.rotations, args.threshold, args.algorithm, True, tree)
            got[name].append(r)
            print(f"{name} ({tree}) run {k + 1}: {r['seconds']:.2f} s ({r['cpu_seconds']:.2f} s CPU), peak RSS "
                  f"{r['peak_rss_mb']:.0f} MB, {r['hashed']} decoded, {r['groups']} groups; {load()}", flush=True)
    for name, tree, _ in trees:
        rows = got[name]
        print(f"{name} ({tree}): median {statistics.median(r['seconds'] for r in rows):.2f} s, median CPU "
              f"{statistics.median(r['cpu_seconds'] for r in rows):.2f} s, peak RSS {max(r['peak_rss_mb'] for r in rows):.0f} MB")


def rss_mb() -> float:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def phases(args: argparse.Namespace) -> None:
    """The warm rescan's steps in this process, as `scanner.scan` and the CLI run them."""
    t0, c0 = time.perf_counter(), time.process_time()
    from dupeview.core.assemble import Assembly
    from dupeview.core.cache import FingerprintCache
    from dupeview.core.discovery import DiscoveryOptions, discover
    from dupeview.core.grouping import DEFAULT_THRESHOLD, GroupOptions, Matcher, MatchOptions
    from dupeview.core.vanished import vanished
    marks = [("imports", time.perf_counter() - t0, time.process_time() - c0, rss_mb())]
    cpu = [time.process_time()]

    def mark(name: str, start: float) -> float:
        # CPU time beside wall time: on a machine shared with other work it is the steadier figure.
        now, now_cpu = time.perf_counter(), time.process_time()
        marks.append((name, now - start, now_cpu - cpu[0], rss_mb()))
        cpu[0] = now_cpu
        return now

    root = os.path.abspath(args.dir)
    cache = FingerprintCache(args.cache or root.rstrip("/") + ".sqlite3")
    t = time.perf_counter()
    cpu[0] = time.process_time()
    found = discover([root], DiscoveryOptions())
    t = mark(f"discovery ({len(found)} files, {len(found.runs)} folders)", t)
    # As the CLI scans: only the compared algorithm (and pHash) read from the packs.
    slots = Assembly(found, tuple(dict.fromkeys((args.algorithm, "phash"))))
    slots.fill_from_packs(cache)
    rest = slots.unanswered().tolist()
    t = mark(f"cache: check wait + packs ({len(found) - len(rest)} answered)", t)
    misses = 0
    if rest:
        keys = slots.keys()
        slot_of = {found.paths[k]: k for k in rest}
        for path, key, value in cache.rows_for(slot_of):
            if key == tuple(keys[slot_of[path]].tolist()):
                slots.put(slot_of[path], value)
        del slot_of
        misses = len(slots.unanswered())
    t = mark(f"cache: rows of the rest ({misses} to decode)", t)
    gone = vanished(cache, found)
    t = mark(f"vanished check ({len(gone)} gone)", t)
    if slots.dirty:
        cache.store_packs(slots.new_packs())
    t = mark(f"packs written ({len(slots.dirty)} folders)", t)
    from dupeview.core.lazy_codes import CacheCodes
    from dupeview.core.scanner import analyse_safely
    library = slots.library(CacheCodes(cache.path, analyse_safely))
    del slots, found
    t = mark("library (record columns)", t)
    threshold = args.threshold if args.threshold is not None else DEFAULT_THRESHOLD
    if args.skip_pairs:  # the steps before the pair search only (core/pairs.py has its own benchmark)
        _print_marks(marks)
        return
    matcher = Matcher(library, MatchOptions(args.algorithm, args.rotations, args.max_distance or threshold))
    t = mark(f"pair search to {args.max_distance or threshold} ({len(matcher.distance)} edges)", t)
    groups = matcher.groups(GroupOptions(threshold=threshold))
    t = mark(f"grouping ({len(groups)} groups)", t)
    from dupeview.core.report import to_json
    text = to_json({}, library, groups, 0.0)
    mark(f"JSON report ({len(text) // 1024} KB)", t)
    _print_marks(marks)


def _print_marks(marks: list[tuple[str, float, float, float]]) -> None:
    total = sum(m[1] for m in marks)
    total_cpu = sum(m[2] for m in marks)
    print(f"{'phase':<48}{'wall s':>8}{'CPU s':>8}{'RSS MB':>8}")
    for name, seconds, cpu_seconds, rss in marks:
        print(f"{name:<48}{seconds:>8.3f}{cpu_seconds:>8.3f}{rss:>8.0f}")
    print(f"{'total (in process)':<48}{total:>8.3f}{total_cpu:>8.3f}    {load()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    g = sub.add_parser("generate")
    g.add_argument("dir")
    g.add_argument("--n", type=int, default=100_000)
    g.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    y = sub.add_parser("synth")
    y.add_argument("dir")
    y.add_argument("--n", type=int, default=1_000_000)
    y.add_argument("--cache", help="where to write the cache (default: DIR.sqlite3)")
    for name in ("run", "phases"):
        p = sub.add_parser(name)
        p.add_argument("dir", nargs="+" if name == "run" else None)
        p.add_argument("--cache")
        p.add_argument("--rotations", action="store_true")
        p.add_argument("--threshold", type=int)
        p.add_argument("--algorithm", default="phash")
        if name == "run":
            p.add_argument("--runs", type=int, default=1)
            p.add_argument("--cold", action="store_true", help="delete the cache before each run")
            p.add_argument("--no-memo", action="store_true",
                           help="delete the remembered pairs (CACHE.pairs) before each run: every run searches all pairs")
            p.add_argument("--trace", action="store_true", help="RSS over time, split by phase (see above)")
            p.add_argument("--page-cache", choices=("as-is", "evict", "read"), default="as-is",
                           help="before each run: drop the library's files from the page cache, or read them all "
                                "(compare cold runs of two sizes in the same state)")
            p.add_argument("--keep-json", help="write the scan's JSON output here (to compare two versions)")
            p.add_argument("--no-bytecode", action="store_true",
                           help="compile dupeview's modules in every run (PYTHONDONTWRITEBYTECODE=1) instead of using their bytecode")
        else:
            p.add_argument("--max-distance", type=int, help="pair search distance (default: the threshold)")
            p.add_argument("--skip-pairs", action="store_true", help="stop before the pair search")
    c = sub.add_parser("compare", help="warm rescans of two source trees, alternating")
    c.add_argument("dir")
    c.add_argument("--tree-a", required=True, help="source tree A (e.g. a checkout of main)")
    c.add_argument("--cache-a", required=True, help="A's own copy of the cache (schemas differ between versions)")
    c.add_argument("--tree-b", default=str(ROOT))
    c.add_argument("--cache-b", required=True)
    c.add_argument("--runs", type=int, default=3)
    c.add_argument("--rotations", action="store_true")
    c.add_argument("--threshold", type=int)
    c.add_argument("--algorithm", default="phash")
    args = parser.parse_args()
    if args.command == "generate":
        generate(os.path.abspath(args.dir), args.n, args.workers)
    elif args.command == "synth":
        synth(os.path.abspath(args.dir), args.n, args.cache)
    elif args.command == "run":
        run(args)
    elif args.command == "compare":
        compare(args)
    else:
        phases(args)


if __name__ == "__main__":
    main()
