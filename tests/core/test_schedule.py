"""The decoder pool's work plan: outliers first, batches that shrink to single files at the end; the
workers' niceness, and a worker that starts with everything it needs already loaded."""

from __future__ import annotations

import os
import sys

import numpy as np

from dupeview.core import schedule
from dupeview.core.scanner import _new_pool


def test_outliers_go_first_and_the_rest_keeps_its_order() -> None:
    sizes = [100, 120, 5000, 90, 110, 900, 100]
    order = schedule.order(sizes).tolist()
    assert order[:2] == [2, 5]  # 50x and 9x the median, largest first
    assert order[2:] == [0, 1, 3, 4, 6]
    assert schedule.order([7]).tolist() == [0] and schedule.order([]).tolist() == []
    assert schedule.order([0, 0, 0]).tolist() == [0, 1, 2]  # empty files: no division by a zero median


def test_batches_cover_everything_once_in_order_and_shrink_to_one() -> None:
    items = [f"f{k}" for k in range(40)]
    out = schedule.batches(items, [1000] * 40, workers=2, most=16)
    assert [p for b in out for p in b] == items
    lengths = [len(b) for b in out]
    assert lengths[0] == 10  # a quarter of the bytes left for 2 workers
    assert lengths == sorted(lengths, reverse=True) and lengths[-1] == 1
    assert all(length <= 16 for length in lengths)


def test_a_large_library_goes_in_full_batches_until_its_end() -> None:
    n = 10_000
    out = schedule.batches([str(k) for k in range(n)], [500] * n, workers=2, most=16)
    assert sum(map(len, out)) == n
    full = sum(1 for b in out if len(b) == 16)
    assert full * 16 > 0.95 * n  # few round trips for the bulk
    assert len(out[-1]) == 1


def test_the_fast_bulk_cut_is_the_guided_rule_file_by_file() -> None:
    # The vectorised bulk and the per-batch tail must give what the rule gives applied one file at a time.
    rng = np.random.default_rng(3)
    for n, most, workers in ((1, 16, 2), (40, 16, 2), (1000, 16, 2), (5000, 16, 4), (777, 5, 3), (300, 1, 2)):
        sizes = rng.integers(0, 50_000, n).tolist()
        sizes[n // 2] = 3_000_000  # an outlier in the middle
        items = list(range(n))
        assert schedule.batches(items, sizes, workers, most) == _guided_one_by_one(items, sizes, workers, most)


def _guided_one_by_one(items: list[int], sizes: list[int], workers: int, most: int) -> list[list[int]]:
    left, out, k = sum(max(1, s) for s in sizes), [], 0
    while k < len(items):
        share, batch, weight = left / (2 * workers), [], 0
        while k < len(items) and len(batch) < most and (not batch or weight + max(1, sizes[k]) <= share):
            batch.append(items[k])
            weight += max(1, sizes[k])
            k += 1
        left -= weight
        out.append(batch)
    return out


def test_a_big_file_gets_a_batch_of_its_own() -> None:
    out = schedule.batches(["raw", "a", "b", "c", "d"], [10_000, 10, 10, 10, 10], workers=2, most=16)
    assert out[0] == ["raw"]
    assert [p for b in out for p in b] == ["raw", "a", "b", "c", "d"]


def test_decoders_run_at_the_niceness_asked_for() -> None:
    base = os.nice(0)
    for niceness in (0, 5):
        pool = _new_pool(1, None, niceness=niceness)
        try:
            assert pool.submit(os.nice, 0).result(timeout=60) == min(19, base + niceness)
        finally:
            pool.shutdown()


def test_a_decoder_starts_with_what_it_runs_loaded_and_not_the_scanner() -> None:
    # A worker forked from the forkserver must find what it runs preloaded there: importing the scanner
    # (cache, discovery, assembly) cost each worker ~50 ms of CPU before its first file.
    pool = _new_pool(1, None)
    try:
        loaded = pool.submit(eval, "sorted(__import__('sys').modules)").result(timeout=60)
        plugins = pool.submit(eval, "__import__('PIL.Image').Image._initialized").result(timeout=60)
    finally:
        pool.shutdown()
    assert "dupeview.core.workers" in loaded
    if sys.platform.startswith("linux"):  # forkserver; a spawned worker (macOS, Windows) imports it all anyway
        assert "dupeview.core.scanner" not in loaded
        assert plugins == 2  # every Pillow plugin loaded before the first file (Image.init in the forkserver)
