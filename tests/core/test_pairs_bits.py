"""Tests for the pair search's balanced bit order (dupeview.core.pairs_bits): exact, and it pays where it is used."""

from __future__ import annotations

import numpy as np
import pytest

from dupeview.core import pairs, pairs_bits
from dupeview.core.pairs_table import CHUNK_BITS
from tests.core.test_pairs import correlated, distance_matrix, flips, probe_reference, random_codes


def _crowding_of(codes: np.ndarray, chunk: int) -> float:
    """How crowded one chunk's 16-bit buckets are over all the codes (1.0: uniform)."""
    keys = ((codes >> np.uint64(chunk * CHUNK_BITS)) & np.uint64(0xFFFF)).astype(np.int64)
    counts = np.bincount(keys, minlength=1 << 16).astype(np.float64)
    return float((counts**2).sum()) * (1 << 16) / len(codes) ** 2


def test_a_permutation_keeps_every_distance() -> None:
    rng = np.random.default_rng(3)
    codes = random_codes(rng, 400)
    order = rng.permutation(64)
    moved = pairs_bits.permuted(codes, order)
    np.testing.assert_array_equal(distance_matrix(moved), distance_matrix(codes))
    # Bit order[t] went to position t, nothing else moved.
    for target, source in enumerate(order[:8].tolist()):
        np.testing.assert_array_equal((moved >> np.uint64(target)) & np.uint64(1), (codes >> np.uint64(source)) & np.uint64(1))
    assert not np.array_equal(moved, codes)


def test_correlated_bits_are_spread_so_the_widest_chunk_is_least_crowded() -> None:
    codes = correlated(np.random.default_rng(5), 60_000)
    order = pairs_bits.balanced_order(codes, codes, [137, 17, 17, 17], 16)
    assert order is not None
    assert sorted(order.tolist()) == list(range(64))
    moved = pairs_bits.permuted(codes, order)
    before = [_crowding_of(codes, c) for c in range(4)]
    after = [_crowding_of(moved, c) for c in range(4)]
    # Measured on all the codes, not the sample: the chunk searched widest (137 cells) is far
    # emptier than any chunk was, and the summed cost is lower.
    assert after[0] < 0.5 * min(before)
    cost = [137, 17, 17, 17]
    assert sum(v * c for v, c in zip(cost, after, strict=True)) < 0.5 * sum(v * c for v, c in zip(cost, before, strict=True))


def test_uniform_codes_keep_their_bit_order() -> None:
    codes = random_codes(np.random.default_rng(9), 50_000)
    assert pairs_bits.balanced_order(codes, codes, [137, 17, 17, 17], 16) is None


def test_small_searches_are_not_reordered() -> None:
    codes = correlated(np.random.default_rng(2), 5_000)
    left, right = pairs_bits.reordered(codes, codes, True, [137, 17, 17, 17], 16)
    assert left is codes and right is codes


@pytest.mark.parametrize("max_distance", [0, 3, 8, 12])
def test_a_reordered_search_finds_every_pair_brute_force_finds(max_distance: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """The default gate and gain, only the size threshold lowered: a reorder chosen on its own
    merits. A permutation applied to one side only, or a bit lost, would miss or invent pairs."""
    monkeypatch.setattr(pairs_bits, "MIN_COMPARISONS", 0)
    monkeypatch.setattr(pairs, "_prefer_brute_force", lambda *args: False)
    chosen: list[bool] = []
    balanced = pairs_bits.balanced_order
    monkeypatch.setattr(pairs_bits, "balanced_order", lambda *a, **k: chosen.append((o := balanced(*a, **k)) is not None) or o)
    rng = np.random.default_rng(max_distance)
    codes = correlated(rng, 2500)
    matrix = distance_matrix(codes)
    found = pairs.similar_pairs(codes, max_distance, workers=2)
    i, j = np.nonzero(np.triu(matrix <= max_distance, k=1))
    assert set(zip(found.i.tolist(), found.j.tolist(), found.distance.tolist(), strict=True)) == \
        set(zip(i.tolist(), j.tolist(), matrix[i, j].tolist(), strict=True))
    # Probes (layout views) against codes: a second bit-correlated set, some near the codes.
    probes = correlated(rng, 2500)
    probes[:800] = codes[:800] ^ flips(rng, rng.integers(0, 10, size=800))
    p, c, d = pairs.probe_pairs(probes, codes, max_distance, workers=2)
    assert set(zip(p.tolist(), c.tolist(), d.tolist(), strict=True)) == probe_reference(probes, codes, max_distance)
    assert chosen and all(chosen), "the correlated sets were searched in a balanced order"
