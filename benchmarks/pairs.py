"""Benchmark of dupeview.core.pairs.similar_pairs on random fingerprints with planted near-duplicates."""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from dupeview.core import pairs_bits
from dupeview.core.pairs import similar_pairs

PLANTED_FRACTION = 0.10
"""Share of items that are near-copies (1-6 flipped bits) of another item."""
VARIANT_COUNT = 7
"""Variants per item with --variants: the 3 rotations and 4 mirrored orientations of a photo."""
CHECK_ROWS = 200
"""Rows whose pairs are checked against brute force (half of them planted copies)."""


def correlated_codes(n: int, seed: int) -> np.ndarray:
    """Codes whose bits copy each other in fours (8 % noise) and one constant bit, like the pHashes of the
    70 % centres of smooth pictures: the bucket keys as they are crowd 3-14x (core/pairs_bits.py)."""
    rng = np.random.default_rng(seed)
    codes = np.zeros(n, dtype=np.uint64)
    for start in range(0, n, 1 << 18):  # by pieces: (n, 64) bits at once would be 512 MB at 1M
        m = min(n - start, 1 << 18)
        bits = np.repeat(rng.integers(0, 2, size=(m, 16)).astype(np.uint64), 4, axis=1)
        bits ^= (rng.random((m, 64)) < 0.08).astype(np.uint64)
        bits[:, 63] = 1
        codes[start : start + m] = (bits << np.arange(64, dtype=np.uint64)).sum(axis=1, dtype=np.uint64)
    planted = int(n * PLANTED_FRACTION)
    if planted:
        codes[n - planted :] = codes[rng.integers(0, n - planted, size=planted)] ^ _random_flips(rng, planted)
    return codes


def make_codes(n: int, seed: int, variants: bool) -> tuple[np.ndarray, np.ndarray | None]:
    """Uniform random codes; the last ~10 % are copies of earlier items with 1-6 bits flipped.

    With variants, each item also gets VARIANT_COUNT random variant codes, and a third of the planted
    copies are near-copies of one of their source's variants instead (a rotated duplicate).
    """
    rng = np.random.default_rng(seed)
    codes = rng.integers(0, 2**64, size=n, dtype=np.uint64)
    variant_codes = rng.integers(0, 2**64, size=(n, VARIANT_COUNT), dtype=np.uint64) if variants else None
    planted = int(n * PLANTED_FRACTION)
    if planted == 0:
        return codes, variant_codes
    copies = np.arange(n - planted, n)
    sources = rng.integers(0, n - planted, size=planted)
    originals = codes[sources]
    if variant_codes is not None:
        rotated = rng.random(planted) < 1 / 3
        which = rng.integers(0, VARIANT_COUNT, size=planted)
        originals = np.where(rotated, variant_codes[sources, which], originals)
    codes[copies] = originals ^ _random_flips(rng, planted)
    return codes, variant_codes


def _random_flips(rng: np.random.Generator, count: int) -> np.ndarray:
    """`count` masks with 1..6 distinct bits set."""
    flips = np.zeros(count, dtype=np.uint64)
    bit_counts = rng.integers(1, 7, size=count)
    for column in range(6):
        bits = rng.integers(0, 64, size=count).astype(np.uint64)
        flips |= np.where(bit_counts > column, np.uint64(1) << bits, np.uint64(0))
    # A bit drawn twice cancels or repeats; redraw those rows until the count is exact.
    short = np.bitwise_count(flips) != bit_counts
    if short.any():
        flips[short] = _random_flips(rng, int(short.sum()))
    return flips


def brute_force_rows(
    codes: np.ndarray, variants: np.ndarray | None, rows: np.ndarray, max_distance: int
) -> set[tuple[int, int, int]]:
    """All pairs (i, j, distance), i < j, with i or j in `rows`, by brute force."""
    found = set()
    for row in rows.tolist():
        distance = np.bitwise_count(codes ^ codes[row]).astype(np.int16)
        if variants is not None:
            for column in range(variants.shape[1]):
                np.minimum(distance, np.bitwise_count(variants[:, column] ^ codes[row]), out=distance)
                np.minimum(distance, np.bitwise_count(codes ^ variants[row, column]), out=distance)
        distance[row] = 99
        for other in np.flatnonzero(distance <= max_distance).tolist():
            found.add((min(row, other), max(row, other), int(distance[other])))
    return found


def _peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def run(
    n: int, max_distance: int, seed: int = 0, variants: bool = False, workers: int | None = None,
    correlated: bool = False, keep_bit_order: bool = False,
) -> dict[str, float | int | bool]:
    """Time one similar_pairs call and sanity-check it against brute force on a row sample."""
    codes, variant_codes = make_codes(n, seed, variants)
    if correlated:
        codes = correlated_codes(n, seed)
    if keep_bit_order:  # the search as before core/pairs_bits.py: keys on the bits as they are
        pairs_bits.MIN_COMPARISONS = float("inf")
    rss_before = _peak_rss_mib()
    start, cpu_start = time.perf_counter(), time.process_time()
    pairs = similar_pairs(codes, max_distance, variants=variant_codes, workers=workers)
    seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu_start
    rss_after = _peak_rss_mib()

    rng = np.random.default_rng(seed + 1)
    planted_start = n - int(n * PLANTED_FRACTION)
    sample = np.unique(
        np.concatenate(
            [
                rng.integers(0, n, size=min(n, CHECK_ROWS // 2)),
                rng.integers(planted_start, n, size=min(n - planted_start, CHECK_ROWS // 2)),
            ]
        )
    )
    start = time.perf_counter()
    expected = brute_force_rows(codes, variant_codes, sample, max_distance)
    # Each checked row costs what it would in an all-pairs brute force, which does n / 2 rows.
    brute_force_estimate = (time.perf_counter() - start) / max(sample.size, 1) * n / 2
    touching = np.isin(pairs.i, sample) | np.isin(pairs.j, sample)
    got = set(
        zip(
            pairs.i[touching].tolist(),
            pairs.j[touching].tolist(),
            pairs.distance[touching].tolist(),
            strict=True,
        )
    )
    return {
        "n": n,
        "max_distance": max_distance,
        "variants": VARIANT_COUNT if variants else 0,
        "seconds": seconds,
        "cpu_seconds": cpu_seconds,
        "pairs": len(pairs),
        "peak_rss_mib": rss_after,
        "peak_rss_before_search_mib": rss_before,
        "checked_rows": int(sample.size),
        "checked_pairs": len(expected),
        "matches_brute_force": got == expected,
        "brute_force_estimate_seconds": brute_force_estimate,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--max-distance", type=int, default=10)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--variants", action="store_true", help=f"{VARIANT_COUNT} variants per item")
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--correlated", action="store_true", help="bit-correlated codes (crowded buckets)")
    parser.add_argument("--keep-bit-order", action="store_true", help="never reorder the bits (to compare)")
    args = parser.parse_args()
    result = run(args.n, args.max_distance, args.seed, args.variants, workers=args.workers,
                 correlated=args.correlated, keep_bit_order=args.keep_bit_order)
    width = max(len(key) for key in result)
    for key, value in result.items():
        shown = f"{value:.3f}" if isinstance(value, float) else str(value)
        print(f"{key:<{width}}  {shown}")
    if not result["matches_brute_force"]:
        sys.exit("MISMATCH against brute force")


if __name__ == "__main__":
    main()
