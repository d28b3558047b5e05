"""The Milvus index side by side with the local one: insert rate, cold start, query latency and
all-pairs grouping, on synthetic fingerprints (10 % planted near copies, 1-6 bits).

    python benchmarks/milvus.py --sizes 10000,100000,1000000            # Milvus Lite in a temp dir
    python benchmarks/milvus.py --sizes 1000000 --uri http://host:19530  # a Milvus server
    python benchmarks/milvus.py --sizes 1000000 --milvus-pairs-max 100000  # estimate big all-pairs
    python benchmarks/milvus.py --sizes 10000,100000 --server  # also a Milvus server process on 127.0.0.1

Local = the default index: LocalIndex on a SQLite cache file, searched in memory (pairs.query for
one probe, pairs.similar_pairs for all pairs). Milvus = MilvusIndex (BIN_FLAT, HAMMING): range
search per probe, and its pair search (one range search per code, recheck in memory) for Matcher.
--server also starts Milvus Lite's server binary on a free 127.0.0.1 port (the gRPC protocol
of a Milvus standalone server; its data and logs in the temp dir) and reports it beside the
embedded Milvus Lite. All-pairs in Milvus costs about N^2 comparisons (BIN_FLAT is brute force); above
--milvus-pairs-max it is measured on a sample of probes and extrapolated (marked "est.").
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from dupeview.core.cache import FingerprintCache
from dupeview.core.decode import ImageFacts
from dupeview.core.fingerprint import ALGORITHMS, N_TRANSFORMS
from dupeview.core.grouping import GroupOptions, Matcher, MatchOptions
from dupeview.core.index import LocalIndex
from dupeview.core.scanner import ImageRecord, Library

BATCH = 5000


def make_hashes(n: int, seed: int) -> np.ndarray:
    """(n, 4, 8) random fingerprints; the last 10 % are near copies (1-6 bits) of earlier ones."""
    rng = np.random.default_rng(seed)
    h = rng.integers(0, 2**64, size=(n, len(ALGORITHMS), N_TRANSFORMS), dtype=np.uint64)
    planted = n // 10
    if planted:
        source = rng.integers(0, n - planted, size=planted)
        flips = np.zeros(planted, dtype=np.uint64)
        bits = rng.integers(1, 7, size=planted)
        for b in range(6):
            flips |= np.where(bits > b, np.uint64(1) << rng.integers(0, 64, size=planted).astype(np.uint64), np.uint64(0))
        h[n - planted:, 0, 0] = h[source, 0, 0] ^ flips
    return h


def make_items(h: np.ndarray) -> list[tuple[str, ImageFacts]]:
    raw = h.astype("<u8").reshape(len(h), -1)
    return [(f"/bench/{k // 1000:04d}/{k:08d}.jpg",
             ImageFacts(100_000 + k, 1_600_000_000_000_000_000 + k, 1_600_000_000_000_000_000 + k,
                        k.to_bytes(16, "little"), 4000, 3000, "JPEG", None, None, 40.0, raw[k].tobytes()))
            for k in range(len(h))]


def make_library(items: list[tuple[str, ImageFacts]], h: np.ndarray) -> Library:
    records = [ImageRecord(p, f.size, f.mtime_ns, f.ctime_ns, 1, k + 1, f.digest, f.width, f.height, f.format,
                           None, None, f.contrast) for k, (p, f) in enumerate(items)]
    return Library(records=records, hashes=h)


def percentiles(seconds: list[float]) -> tuple[float, float]:
    ms = np.array(seconds) * 1000
    return float(np.percentile(ms, 50)), float(np.percentile(ms, 99))


def add_all(index: object, items: list[tuple[str, ImageFacts]]) -> float:
    start = time.perf_counter()
    for s in range(0, len(items), BATCH):
        index.add(items[s:s + BATCH])  # type: ignore[attr-defined]
    return len(items) / (time.perf_counter() - start)


def time_queries(index: object, probes: np.ndarray, threshold: int) -> tuple[float, float, float]:
    index.search(probes[:1], threshold)  # type: ignore[attr-defined]  # warm
    times, hits = [], 0
    for p in probes:
        start = time.perf_counter()
        [found] = index.search(p[None], threshold)  # type: ignore[attr-defined]
        times.append(time.perf_counter() - start)
        hits += len(found)
    return (*percentiles(times), hits / len(probes))


def group_time(library: Library, max_distance: int, search_pairs: object = None) -> tuple[float, int, int]:
    start = time.perf_counter()
    matcher = Matcher(library, MatchOptions("phash", False, max_distance), search_pairs=search_pairs)  # type: ignore[arg-type]
    groups = matcher.groups(GroupOptions(threshold=max_distance))
    return time.perf_counter() - start, len(matcher.distance), len(groups)


def bench_local(items: list[tuple[str, ImageFacts]], library: Library, probes: np.ndarray, args: argparse.Namespace,
                folder: str) -> dict[str, object]:
    path = os.path.join(folder, f"local-{len(items)}.sqlite3")
    with LocalIndex(FingerprintCache(path), source="bench") as index:
        rate = add_all(index, items)
    start = time.perf_counter()
    with LocalIndex(FingerprintCache(path), source="bench") as index:
        index.search(probes[:1], args.threshold)
        cold = time.perf_counter() - start
        p50, p99, hits = time_queries(index, probes, args.threshold)
    seconds, edges, groups = group_time(library, args.threshold)
    return {"insert_per_s": rate, "cold_start_s": cold, "query_p50_ms": p50, "query_p99_ms": p99,
            "hits_per_query": hits, "all_pairs_s": seconds, "all_pairs_estimated": False, "edges": edges,
            "groups": groups}


def bench_milvus(items: list[tuple[str, ImageFacts]], library: Library, probes: np.ndarray,
                 args: argparse.Namespace, folder: str, uri: str | None = None) -> dict[str, object]:
    from dupeview.core.milvus_index import MilvusIndex
    n = len(items)
    uri = uri or args.uri or os.path.join(folder, "bench.db")
    prefix = f"bench{n}"
    with MilvusIndex(uri, source="bench", algorithms=("phash",), prefix=prefix) as index:
        index.drop()
        rate = add_all(index, items)
    start = time.perf_counter()
    with MilvusIndex(uri, source="bench", algorithms=("phash",), prefix=prefix) as index:
        index.search(probes[:1], args.threshold)
        cold = time.perf_counter() - start
        p50, p99, hits = time_queries(index, probes, args.threshold)
        search_pairs = index.pair_search("phash")
        if n <= args.milvus_pairs_max:
            seconds, edges, groups = group_time(library, args.threshold, search_pairs)
            estimated = False
        else:
            # Time the pair search for a sample of probes (all held by Milvus) and scale: the
            # cost is one range search per code over all N rows.
            sample = library.hashes[: args.milvus_pairs_max, 0, 0]
            start = time.perf_counter()
            search_pairs(sample, args.threshold)
            seconds = (time.perf_counter() - start) * n / len(sample)
            edges = groups = -1
            estimated = True
        if not args.keep:
            index.drop()
    return {"insert_per_s": rate, "cold_start_s": cold, "query_p50_ms": p50, "query_p99_ms": p99,
            "hits_per_query": hits, "all_pairs_s": seconds, "all_pairs_estimated": estimated, "edges": edges,
            "groups": groups}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10000,100000,1000000", help="comma-separated fingerprint counts")
    parser.add_argument("--uri", help="Milvus server or .db file (default: Milvus Lite in a temp dir)")
    parser.add_argument("--threshold", type=int, default=10, help="query threshold and all-pairs max distance")
    parser.add_argument("--queries", type=int, default=300, help="single-probe queries timed per size")
    parser.add_argument("--milvus-pairs-max", type=int, default=1_000_000,
                        help="largest N whose Milvus all-pairs is run in full (above: sampled, extrapolated)")
    parser.add_argument("--skip-milvus", action="store_true")
    parser.add_argument("--server", action="store_true",
                        help="also run against a Milvus Lite server process on 127.0.0.1 (beside the embedded one)")
    parser.add_argument("--keep", action="store_true", help="keep the Milvus collections afterwards")
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()

    results: dict[str, dict[str, object]] = {}
    with tempfile.TemporaryDirectory(prefix="dupeview-milvus-bench-") as folder:
        os.environ.setdefault("GLOG_log_dir", folder)  # Milvus Lite's logs: with its data, not in /tmp
        server = None
        if args.server:
            from tests.milvus_server import MilvusServer
            server = MilvusServer(Path(folder) / "server")
            server.start()
        try:
            run_sizes(args, folder, results, server.uri if server is not None else None)
        finally:
            if server is not None:
                server.stop()

    print(f"\nthreshold {args.threshold}; peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB; "
          f"{os.cpu_count()} cores; load average {os.getloadavg()[0]:.2f}")
    print(f"{'index':<22}{'insert/s':>10}{'cold start s':>14}{'query p50 ms':>14}{'p99 ms':>9}{'all-pairs s':>14}{'edges':>9}")
    for name, r in results.items():
        est = " est." if r["all_pairs_estimated"] else ""
        print(f"{name:<22}{r['insert_per_s']:>10.0f}{r['cold_start_s']:>14.2f}{r['query_p50_ms']:>14.2f}"
              f"{r['query_p99_ms']:>9.2f}{r['all_pairs_s']:>14.1f}{est:<5}{r['edges']:>6}")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))


def run_sizes(args: argparse.Namespace, folder: str, results: dict[str, dict[str, object]], server: str | None) -> None:
    for n in (int(s) for s in args.sizes.split(",")):
        hashes = make_hashes(n, seed=n)
        items = make_items(hashes)
        library = make_library(items, hashes)
        rng = np.random.default_rng(1)
        # Half the probes are near copies of stored codes, half random.
        picks = rng.integers(0, n, size=args.queries)
        probes = hashes[picks, 0, 0] ^ np.uint64(0b1011)
        probes[::2] = rng.integers(0, 2**64, size=len(probes[::2]), dtype=np.uint64)
        results[f"local {n}"] = bench_local(items, library, probes, args, folder)
        print(f"local  {n}: {results[f'local {n}']}", flush=True)
        if not args.skip_milvus:
            name = "milvus lite" if args.uri is None else "milvus"
            results[f"{name} {n}"] = bench_milvus(items, library, probes, args, folder)
            print(f"{name} {n}: {results[f'{name} {n}']}", flush=True)
        if server is not None:
            results[f"milvus server {n}"] = bench_milvus(items, library, probes, args, folder, server)
            print(f"milvus server {n}: {results[f'milvus server {n}']}", flush=True)


if __name__ == "__main__":
    main()
