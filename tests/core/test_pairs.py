"""Tests for dupeview.core.pairs against a brute-force reference."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dupeview.core import pairs, pairs_bits, pairs_kernel, pairs_table
from dupeview.core.pairs import MAX_SUPPORTED_DISTANCE, Pairs, SearchCancelled, query, similar_pairs

DISTANCES = range(13)


# --------------------------------------------------------------------------- reference and data


def distance_matrix(codes: np.ndarray, variants: np.ndarray | None = None) -> np.ndarray:
    """Full (N, N) distance matrix as defined by similar_pairs' docstring."""
    distance = np.bitwise_count(codes[:, None] ^ codes[None, :]).astype(np.int16)
    if variants is not None:
        for column in range(variants.shape[1]):
            # via[i, j] = popcount(variants[i, k] ^ codes[j]); its transpose is the j-side term.
            via = np.bitwise_count(variants[:, column, None] ^ codes[None, :])
            distance = np.minimum(distance, np.minimum(via, via.T))
    return distance


def reference(matrix: np.ndarray, max_distance: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    i, j = np.nonzero(np.triu(matrix <= max_distance, k=1))
    distance = matrix[i, j]
    order = np.lexsort((j, i, distance))
    return i[order], j[order], distance[order]


def assert_matches(result: Pairs, matrix: np.ndarray, max_distance: int) -> None:
    i, j, distance = reference(matrix, max_distance)
    np.testing.assert_array_equal(result.distance, distance, err_msg=f"max_distance={max_distance}")
    np.testing.assert_array_equal(result.i, i, err_msg=f"max_distance={max_distance}")
    np.testing.assert_array_equal(result.j, j, err_msg=f"max_distance={max_distance}")


def as_set(*columns: np.ndarray) -> set[tuple[int, ...]]:
    return set(zip(*(column.tolist() for column in columns), strict=True))


def random_codes(rng: np.random.Generator, n: int) -> np.ndarray:
    return rng.integers(0, 2**64, size=n, dtype=np.uint64)


def flips(rng: np.random.Generator, bit_counts: np.ndarray) -> np.ndarray:
    """One mask per entry with exactly that many distinct random bits set."""
    masks = np.zeros(bit_counts.size, dtype=np.uint64)
    for index, count in enumerate(bit_counts.tolist()):
        for bit in rng.permutation(64)[:count].tolist():
            masks[index] |= np.uint64(1 << bit)
    return masks


def planted(rng: np.random.Generator, n: int) -> np.ndarray:
    """Uniform codes, the second half near-copies (0..14 flipped bits) of the first half."""
    codes = random_codes(rng, n)
    copies = n // 2
    sources = rng.integers(0, max(n - copies, 1), size=copies)
    codes[n - copies :] = codes[sources] ^ flips(rng, rng.integers(0, 15, size=copies))
    return codes


def clustered(rng: np.random.Generator, n: int) -> np.ndarray:
    """A few tight clusters: many pairs at every distance and crowded buckets."""
    centres = random_codes(rng, 6)
    return centres[rng.integers(0, 6, size=n)] ^ flips(rng, rng.integers(0, 7, size=n))


def identical(rng: np.random.Generator, n: int) -> np.ndarray:
    return np.full(n, 0x0123_4567_89AB_CDEF, dtype=np.uint64)


def shared_low_half(rng: np.random.Generator, n: int) -> np.ndarray:
    """Low 32 bits shared: every item lands in one huge bucket in chunks 0 and 1."""
    return (random_codes(rng, n) & np.uint64(0xFFFF_FFFF_0000_0000)) | np.uint64(0x1234_5678)


def correlated(rng: np.random.Generator, n: int) -> np.ndarray:
    """Bits that copy each other (as in the hashes of smooth pictures' centres), a constant bit, and
    near-copies: crowded buckets in the bit order as it is, which the search reorders (core/pairs_bits.py)."""
    base = rng.integers(0, 2, size=(n, 16)).astype(np.uint64)
    bits = np.repeat(base, 4, axis=1) ^ (rng.random((n, 64)) < 0.08).astype(np.uint64)
    bits[:, 63] = 1
    codes = (bits << np.arange(64, dtype=np.uint64)).sum(axis=1, dtype=np.uint64)
    copies = n // 3
    codes[n - copies :] = codes[rng.integers(0, n - copies, size=copies)] ^ flips(rng, rng.integers(0, 11, size=copies))
    return codes


DATASETS: list[tuple[str, Callable[[np.random.Generator, int], np.ndarray], int]] = [
    ("uniform", lambda rng, n: random_codes(rng, n), 300),
    ("correlated", correlated, 1500),
    ("planted", planted, 300),
    ("planted", planted, 3000),
    ("clustered", clustered, 1500),
    ("identical", identical, 400),
    ("shared-low-half", shared_low_half, 1200),
]


@pytest.fixture(params=["brute-force", "hashed", "hashed-tiny-slabs", "hashed-reordered", "hashed-wide-keys"])
def strategy(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run a test through each search path; tiny slabs exercise the slab cutting and row splits;
    reordered: every hashed search in a balanced bit order (at these sizes it would keep the bits as they are)."""
    monkeypatch.setattr(pairs, "_prefer_brute_force", lambda *args: request.param == "brute-force")
    if request.param == "hashed-wide-keys":  # 16-bit keys, and chunks of 18, 16, 15, 15 bits where the plan allows
        monkeypatch.setattr(pairs, "_key_bits", lambda *args: 16)
        monkeypatch.setattr(pairs, "_WIDTHS", ((18, 16, 15, 15),))
    if request.param == "hashed-reordered":
        monkeypatch.setattr(pairs_bits, "MIN_COMPARISONS", 0)
        monkeypatch.setattr(pairs_bits, "MIN_GAIN", 0.0)
    if request.param == "hashed-tiny-slabs":
        monkeypatch.setattr(pairs, "_SLAB_CANDIDATES", 1 << 14)
        monkeypatch.setattr(pairs, "_SLAB_MEMBERS", 1 << 8)
        monkeypatch.setattr(pairs, "_NEIGHBOUR_CELLS", 1 << 10)
        monkeypatch.setattr(pairs_kernel, "_BLOCK_CANDIDATES", 1 << 11)
        # Probes a few dozen rows at a time, and bucket orders sorted by pieces of 64 rows.
        monkeypatch.setattr(pairs, "_LEFT_BLOCK", 97)
        monkeypatch.setattr(pairs_table, "_SORT_PIECE", 64)
    return str(request.param)


# --------------------------------------------------------------------------- similar_pairs


@pytest.mark.parametrize("n", [0, 1, 2])
def test_tiny_inputs(strategy: str, n: int) -> None:
    codes = np.array([5, 5 ^ 0b111][:n], dtype=np.uint64)
    matrix = distance_matrix(codes)
    for max_distance in DISTANCES:
        assert_matches(similar_pairs(codes, max_distance), matrix, max_distance)


@pytest.mark.parametrize(("kind", "make", "n"), DATASETS, ids=[f"{kind}-{n}" for kind, _, n in DATASETS])
def test_matches_brute_force(
    strategy: str, kind: str, make: Callable[[np.random.Generator, int], np.ndarray], n: int
) -> None:
    codes = make(np.random.default_rng(n), n)
    matrix = distance_matrix(codes)
    for max_distance in DISTANCES:
        assert_matches(similar_pairs(codes, max_distance, workers=2), matrix, max_distance)


def make_variants(rng: np.random.Generator, codes: np.ndarray, k: int) -> np.ndarray:
    """Variants that are random, near another item (a rotated duplicate), or near the item itself."""
    n = codes.size
    variants = random_codes(rng, n * k).reshape(n, k)
    if n == 0:
        return variants
    near_other = rng.random((n, k)) < 0.3
    noise = flips(rng, rng.integers(0, 13, size=n * k)).reshape(n, k)
    others = codes[rng.integers(0, n, size=(n, k))] ^ noise
    variants = np.where(near_other, others, variants)
    near_self = rng.random((n, k)) < 0.1
    return np.where(near_self, codes[:, None] ^ np.uint64(1), variants)


@pytest.mark.parametrize(("n", "k"), [(0, 2), (1, 1), (2, 3), (300, 1), (900, 3)])
def test_variants_match_brute_force(strategy: str, n: int, k: int) -> None:
    rng = np.random.default_rng(n + k)
    codes = planted(rng, n)
    variants = make_variants(rng, codes, k)
    matrix = distance_matrix(codes, variants)
    for max_distance in DISTANCES:
        assert_matches(similar_pairs(codes, max_distance, variants=variants), matrix, max_distance)


def probe_reference(probes: np.ndarray, codes: np.ndarray, max_distance: int) -> set[tuple[int, int, int]]:
    """probe_pairs by its definition: every (probe row, code row, distance) within max_distance."""
    distance = np.bitwise_count(probes[:, None] ^ codes[None, :])
    p, c = np.nonzero(distance <= max_distance)
    return as_set(p, c, distance[p, c])


@pytest.mark.parametrize(("kind", "make", "n"), DATASETS, ids=[f"{kind}-{n}" for kind, _, n in DATASETS])
def test_probe_pairs_match_brute_force(
    strategy: str, kind: str, make: Callable[[np.random.Generator, int], np.ndarray], n: int
) -> None:
    rng = np.random.default_rng(n + 1)
    codes = make(rng, n)
    # Three times as many probes as codes (the layout views): near copies of codes and others.
    probes = make_variants(rng, codes, 3).reshape(-1)
    for max_distance in (0, 2, 5, 8, 12):
        p, c, d = pairs.probe_pairs(probes, codes, max_distance, workers=2)
        assert len(p) == len(as_set(p, c)), "each (probe, code) once"
        assert as_set(p, c, d) == probe_reference(probes, codes, max_distance), f"max_distance={max_distance}"


@pytest.mark.parametrize("n", [0, 1, 63, 64, 65, 640, 1000])
def test_bucket_order_is_the_stable_argsort(n: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pairs_table, "_SORT_PIECE", 64)
    keys = np.random.default_rng(n).integers(0, 37, size=n).astype(np.uint16)
    order, counts = pairs_table.bucket_order(keys, 41)
    assert order.dtype == np.int32
    np.testing.assert_array_equal(order, np.argsort(keys, kind="stable"))
    np.testing.assert_array_equal(counts, np.bincount(keys, minlength=41))


def test_drain_waits_for_the_units_before_it() -> None:
    started: list[int] = []
    finished: list[int] = []
    lock = threading.Lock()

    def unit(k: int) -> pairs_kernel.Matches:
        with lock:
            started.append(k)
        threading.Event().wait(0.01 if k < 4 else 0)
        with lock:
            finished.append(k)
        return np.array([k]), np.array([k]), np.array([k], dtype=np.uint8)

    def units() -> Iterator[Callable[[], pairs_kernel.Matches]]:
        for k in range(4):
            yield lambda k=k: unit(k)
        yield pairs_kernel.drain_unit
        # Built only once every unit before the drain is done (as the next pass's tables are).
        assert sorted(finished) == [0, 1, 2, 3]
        for k in range(4, 8):
            yield lambda k=k: unit(k)

    results = pairs_kernel._Runner(3, None).run(units())
    assert sorted(int(r[0][0]) for r in results) == list(range(8))
    assert set(started[4:]) == {4, 5, 6, 7}


def test_variants_with_no_columns_are_ignored() -> None:
    codes = planted(np.random.default_rng(3), 200)
    with_empty = similar_pairs(codes, 8, variants=np.empty((200, 0), dtype=np.uint64))
    plain = similar_pairs(codes, 8)
    for name in ("i", "j", "distance"):
        np.testing.assert_array_equal(getattr(with_empty, name), getattr(plain, name))


@pytest.mark.parametrize("max_distance", [20, 40, 64, 100])
def test_large_distances_are_exact(max_distance: int) -> None:
    codes = planted(np.random.default_rng(max_distance), 250)
    matrix = distance_matrix(codes)
    assert_matches(similar_pairs(codes, max_distance), matrix, min(max_distance, 64))


def test_permutation_invariance(strategy: str) -> None:
    rng = np.random.default_rng(7)
    codes = np.concatenate([clustered(rng, 600), planted(rng, 600)])
    variants = make_variants(rng, codes, 2)
    permutation = rng.permutation(codes.size)
    for use_variants in (False, True):
        base = similar_pairs(codes, 10, variants=variants if use_variants else None)
        shuffled = similar_pairs(
            codes[permutation], 10, variants=variants[permutation] if use_variants else None
        )
        i, j = permutation[shuffled.i], permutation[shuffled.j]
        mapped = as_set(np.minimum(i, j), np.maximum(i, j), shuffled.distance)
        assert mapped == as_set(base.i, base.j, base.distance)
        assert len(mapped) == len(shuffled)


@pytest.mark.parametrize("workers", [1, 2, 3])
def test_workers_give_identical_results(workers: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pairs, "_SLAB_CANDIDATES", 1 << 14)
    codes = planted(np.random.default_rng(11), 20_000)
    expected = similar_pairs(codes, 10, workers=1)
    result = similar_pairs(codes, 10, workers=workers)
    for name in ("i", "j", "distance"):
        np.testing.assert_array_equal(getattr(result, name), getattr(expected, name))


def test_result_layout() -> None:
    codes = clustered(np.random.default_rng(5), 800)
    result = similar_pairs(codes, 9)
    assert len(result) > 1000
    assert result.i.dtype == np.int32 and result.j.dtype == np.int32
    assert result.distance.dtype == np.uint8
    assert np.all(result.i < result.j)
    key = np.stack([result.distance.astype(np.int64), result.i, result.j], axis=1)
    assert np.all(np.lexsort(key.T[::-1]) == np.arange(len(result)))  # sorted by (distance, i, j)
    assert len(as_set(result.i, result.j)) == len(result)  # each pair once
    assert np.all(np.bitwise_count(codes[result.i] ^ codes[result.j]) == result.distance)


def test_up_to() -> None:
    codes = clustered(np.random.default_rng(9), 500)
    result = similar_pairs(codes, 12)
    for threshold in range(-2, 300):
        assert result.up_to(threshold) == int(np.count_nonzero(result.distance <= threshold))
    empty = similar_pairs(codes[:0], 12)
    assert len(empty) == 0 and empty.up_to(5) == 0


def test_sorting_with_a_huge_index_space() -> None:
    # Indices too wide to pack into one sort key take the lexsort path and come back as int64.
    i = np.array([7, 1, 1, 3])
    j = np.array([9, 4, 2, 2**40])
    distance = np.array([2, 2, 2, 0], dtype=np.uint8)
    result = pairs._sorted_pairs(i, j, distance, 2**41)
    assert result.i.dtype == np.int64 and result.j.dtype == np.int64
    assert list(zip(result.distance.tolist(), result.i.tolist(), result.j.tolist(), strict=True)) == [
        (0, 3, 2**40),
        (2, 1, 2),
        (2, 1, 4),
        (2, 7, 9),
    ]


def test_accepts_signed_codes_by_bit_pattern() -> None:
    codes = planted(np.random.default_rng(4), 300)
    signed = similar_pairs(codes.view(np.int64), 10)
    unsigned = similar_pairs(codes, 10)
    np.testing.assert_array_equal(signed.i, unsigned.i)
    np.testing.assert_array_equal(signed.distance, unsigned.distance)


@pytest.mark.parametrize(
    ("codes", "max_distance", "variants", "error"),
    [
        (np.zeros((2, 2), dtype=np.uint64), 3, None, ValueError),
        (np.zeros(3, dtype=np.float64), 3, None, TypeError),
        (np.zeros(3, dtype=np.uint64), -1, None, ValueError),
        (np.zeros(3, dtype=np.uint64), 2.5, None, TypeError),
        (np.zeros(3, dtype=np.uint64), 3, np.zeros((2, 1), dtype=np.uint64), ValueError),
        (np.zeros(3, dtype=np.uint64), 3, np.zeros(3, dtype=np.uint64), ValueError),
    ],
)
def test_rejects_bad_arguments(
    codes: np.ndarray, max_distance: int, variants: np.ndarray | None, error: type[Exception]
) -> None:
    with pytest.raises(error):
        similar_pairs(codes, max_distance, variants=variants)


# --------------------------------------------------------------------------- plan


def test_supports_the_app_range() -> None:
    assert MAX_SUPPORTED_DISTANCE >= 12


@pytest.mark.parametrize("max_distance", range(MAX_SUPPORTED_DISTANCE + 1))
def test_plan_satisfies_pigeonhole(max_distance: int) -> None:
    plan = pairs._plan(max_distance)
    assert sum(radius + 1 for _, radius in plan) > max_distance
    assert len({chunk for chunk, _ in plan}) == len(plan)


def test_a_million_codes_key_a_wider_first_chunk() -> None:
    """At a million codes and distance 8 the first chunk (radius 2) is keyed on 18 bits, the rest on 16, 15, 15;
    at 100k, at distance 7 (all radii equal) and for a reordered search the chunks stay 16 bits each."""
    assert pairs._keys(3_000_000, 1_000_000, False, 8, 16, False) == ((0, 18), (18, 16), (34, 15), (49, 15))
    assert pairs._keys(1_000_000, 1_000_000, True, 8, 16, False) == ((0, 18), (18, 16), (34, 15), (49, 15))
    assert pairs._keys(1_000_000, 1_000_000, True, 8, 16, True) == ((0, 16), (16, 16), (32, 16), (48, 16))
    assert pairs._keys(1_000_000, 1_000_000, True, 7, 16, False) == ((0, 16), (16, 16), (32, 16), (48, 16))
    bits = pairs._key_bits(100_000, 100_000, True, 8)
    assert bits < 16
    assert pairs._keys(100_000, 100_000, True, 8, bits, False) == tuple((16 * c, bits) for c in range(4))


def test_default_distance_plan_is_cheap() -> None:
    # d = 10 needs radii (2, 2, 2, 1): 3 * 137 + 17 flip masks, not 4 * 137.
    assert sum(pairs._flip_masks(radius).size for _, radius in pairs._plan(10)) == 3 * 137 + 17


# --------------------------------------------------------------------------- query


def reference_query(codes: np.ndarray, probes: np.ndarray, max_distance: int) -> list[tuple[int, int, int]]:
    probes = probes[:, None] if probes.ndim == 1 else probes
    found = []
    for p in range(probes.shape[0]):
        for c in range(codes.size):
            distance = min(int(np.bitwise_count(probes[p, k] ^ codes[c])) for k in range(probes.shape[1]))
            if distance <= max_distance:
                found.append((p, c, distance))
    return sorted(found, key=lambda hit: (hit[0], hit[2], hit[1]))


@pytest.mark.parametrize("shape", [(7,), (7, 1), (7, 4)])
def test_query_matches_brute_force(shape: tuple[int, ...]) -> None:
    rng = np.random.default_rng(len(shape) * 10 + shape[-1])
    codes = clustered(rng, 150)
    count = int(np.prod(shape))
    noise = flips(rng, rng.integers(0, 8, size=count))
    probes = (codes[rng.integers(0, 150, size=count)] ^ noise).reshape(shape)
    for max_distance in (0, 4, 10):
        assert query(codes, probes, max_distance) == reference_query(codes, probes, max_distance)


def test_query_edge_cases() -> None:
    codes = np.array([0, 1, 3], dtype=np.uint64)
    assert query(codes, np.empty(0, dtype=np.uint64), 5) == []
    assert query(codes[:0], np.array([1], dtype=np.uint64), 5) == []
    assert query(codes, np.array([1], dtype=np.uint64), 0) == [(0, 1, 0)]
    assert query(codes, np.array([1], dtype=np.uint64), 1) == [(0, 1, 0), (0, 0, 1), (0, 2, 1)]
    hits = query(codes, np.array([1], dtype=np.uint64), 1)
    assert all(type(value) is int for hit in hits for value in hit)
    with pytest.raises(ValueError):
        query(codes, np.zeros((1, 1, 1), dtype=np.uint64), 3)


# --------------------------------------------------------------------------- cancellation


def stop_after(calls: int) -> Callable[[], bool]:
    count = iter(range(calls))
    return lambda: next(count, None) is None


@pytest.mark.parametrize("workers", [1, 2])
@pytest.mark.parametrize("calls", [1, 3, 20])
def test_cancellation(strategy: str, workers: int, calls: int, monkeypatch: pytest.MonkeyPatch) -> None:
    # Small work units, so that there are well over `calls` polls in every search path.
    monkeypatch.setattr(pairs, "_SLAB_CANDIDATES", 1 << 12)
    monkeypatch.setattr(pairs, "_SLAB_MEMBERS", 1 << 6)
    codes = planted(np.random.default_rng(1), 3000)
    with pytest.raises(SearchCancelled):
        similar_pairs(codes, 10, should_stop=stop_after(calls), workers=workers)
    assert not [t for t in threading.enumerate() if t.name.startswith("similar-pairs")]


def test_cancellation_during_variant_search() -> None:
    calls: list[int] = []

    def should_stop() -> bool:
        calls.append(1)
        return len(calls) > 2

    codes = planted(np.random.default_rng(2), 100)
    with pytest.raises(SearchCancelled):
        variants = make_variants(np.random.default_rng(2), codes, 2)
        similar_pairs(codes, 10, variants=variants, should_stop=should_stop)


def test_not_cancelled_when_should_stop_stays_false() -> None:
    codes = planted(np.random.default_rng(1), 2000)
    polls: list[int] = []

    def should_stop() -> bool:
        polls.append(1)
        return False

    result = similar_pairs(codes, 10, should_stop=should_stop)
    assert polls and len(result) == len(similar_pairs(codes, 10))


def test_search_cancelled_is_an_exception() -> None:
    assert issubclass(SearchCancelled, Exception)


# --------------------------------------------------------------------------- property test


def code_sets() -> st.SearchStrategy[tuple[np.ndarray, np.ndarray | None]]:
    """Small arrays drawn from a few base codes plus flips, so pairs exist at every distance."""

    @st.composite
    def build(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray | None]:
        bases = draw(st.lists(st.integers(0, 2**64 - 1), min_size=1, max_size=4))
        n = draw(st.integers(0, 60))
        rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
        codes = np.array(bases, dtype=np.uint64)[rng.integers(0, len(bases), size=n)]
        codes ^= flips(rng, rng.integers(0, draw(st.integers(0, 16)) + 1, size=n))
        k = draw(st.integers(0, 2))
        variants = make_variants(rng, codes, k) if k else None
        return codes, variants

    return build()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=code_sets(), max_distance=st.integers(0, 14), brute=st.booleans())
def test_property_matches_brute_force(
    data: tuple[np.ndarray, np.ndarray | None], max_distance: int, brute: bool
) -> None:
    codes, variants = data
    original = pairs._prefer_brute_force, pairs._SLAB_CANDIDATES, pairs_kernel._BLOCK_CANDIDATES
    pairs._prefer_brute_force = lambda *args: brute
    pairs._SLAB_CANDIDATES, pairs_kernel._BLOCK_CANDIDATES = 1 << 10, 1 << 8
    try:
        result = similar_pairs(codes, max_distance, variants=variants, workers=1)
    finally:
        pairs._prefer_brute_force, pairs._SLAB_CANDIDATES, pairs_kernel._BLOCK_CANDIDATES = original
    assert_matches(result, distance_matrix(codes, variants), max_distance)
