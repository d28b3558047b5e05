"""Remembered pairs: a rescan of the same files gets exactly the edges a new search gives, and anything new or changed is searched again."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

from dupeview.core import pair_memo
from dupeview.core.cache import FingerprintCache
from dupeview.core.grouping import GroupOptions, Matcher, MatchOptions
from dupeview.core.pair_memo import PairMemo, _triangle
from dupeview.core.records import Library
from dupeview.core.scanner import ScanSettings, scan
from tests.images import photo, save


def random_keys(rng: np.random.Generator, classes: int) -> np.ndarray:
    return rng.integers(0, 2**63, size=(classes, 2), dtype=np.int64).astype(np.uint64)


def class_edges(rng: np.random.Generator, row_class: np.ndarray, classes: int) -> tuple[np.ndarray, ...]:
    """Edges as a search gives them: a distance per class pair, every row pair of those classes an edge."""
    dist = rng.integers(0, 9, size=(classes, classes)).astype(np.uint8)
    dist = np.minimum(dist, dist.T)
    np.fill_diagonal(dist, 0)  # copies of one content are alike
    linked = rng.random((classes, classes)) < 0.3
    linked |= linked.T
    n = len(row_class)
    i, j = np.triu_indices(n, 1)
    keep = linked[row_class[i], row_class[j]]
    i, j = i[keep], j[keep]
    return i.astype(np.int64), j.astype(np.int64), dist[row_class[i], row_class[j]]


@pytest.mark.parametrize("seed", range(6))
def test_recall_gives_the_remembered_edges_for_any_part_of_the_rows_in_any_order(tmp_path: Path, seed: int) -> None:
    rng = np.random.default_rng(seed)
    classes = 12
    keys = random_keys(rng, classes)
    row_class = rng.integers(0, classes, size=40)  # identical files: several rows of one content
    i, j, d = class_edges(rng, row_class, classes)
    memo = PairMemo(tmp_path / "memo")
    memo.remember("s", keys[row_class], i, j, d)

    whole = memo.recall("s", keys[row_class])
    assert whole is not None and whole[1].all() and _same(whole[0], (i, j, d))
    rows = rng.permutation(40)[: int(rng.integers(1, 40))]  # a part, renumbered
    got = memo.recall("s", keys[row_class[rows]])
    assert got is not None and got[1].all()
    assert _same(got[0], class_edges_of(rows, i, j, d))
    # New contents among them: the known rows keep their edges, the new ones are marked unseen.
    mixed = np.concatenate([keys[row_class[rows]], random_keys(rng, 3)])
    got = memo.recall("s", mixed[::-1])
    assert got is not None and got[1].tolist() == [False] * 3 + [True] * len(rows)
    assert _same(got[0], class_edges_of(np.r_[[-1, -2, -3], rows[::-1]], i, j, d))


def class_edges_of(rows: np.ndarray, i: np.ndarray, j: np.ndarray, d: np.ndarray) -> tuple[np.ndarray, ...]:
    """The edges among `rows`, renumbered to their positions, sorted by (i, j)."""
    position = {int(r): k for k, r in enumerate(rows)}
    found = sorted((min(position[a], position[b]), max(position[a], position[b]), int(x))
                   for a, b, x in zip(i.tolist(), j.tolist(), d.tolist(), strict=True)
                   if a in position and b in position)
    cols = list(zip(*found, strict=True)) if found else [(), (), ()]
    return np.array(cols[0], np.int64), np.array(cols[1], np.int64), np.array(cols[2], np.uint8)


def _same(got: tuple[np.ndarray, ...] | None, want: tuple[np.ndarray, ...]) -> bool:
    return got is not None and all(np.array_equal(g, w) for g, w in zip(got, want, strict=True))


def test_other_settings_or_changed_fingerprints_are_not_answered(tmp_path: Path) -> None:
    rng = np.random.default_rng(3)
    keys = random_keys(rng, 5)
    memo = PairMemo(tmp_path)
    memo.remember("a", keys, np.array([0, 1], np.int64), np.array([2, 3], np.int64), np.array([4, 6], np.uint8))
    got = memo.recall("a", keys[[3, 1]])
    assert got is not None and _same(got[0], (np.array([0]), np.array([1]), np.array([6], np.uint8)))
    assert memo.recall("b", keys) is None
    changed = keys.copy()
    changed[2, 1] ^= np.uint64(1)  # same digest, other fingerprints: not the same content
    got = memo.recall("a", changed)
    assert got is not None and got[1].tolist() == [True, True, False, True, True]
    assert _same(got[0], (np.array([1]), np.array([3]), np.array([6], np.uint8)))


def test_a_damaged_memo_is_ignored(tmp_path: Path) -> None:
    memo = PairMemo(tmp_path)
    keys = random_keys(np.random.default_rng(1), 3)
    memo.remember("a", keys, np.array([0], np.int64), np.array([1], np.int64), np.array([2], np.uint8))
    (file,) = tmp_path.glob("pairs-*.npz")
    assert memo.recall("a", keys) is not None
    file.write_bytes(file.read_bytes()[:100])
    assert memo.recall("a", keys) is None
    file.write_bytes(b"not a memo")
    assert memo.recall("a", keys) is None


@pytest.mark.parametrize("m", [2, 3, 7, 50])
def test_triangle_enumerates_the_pairs_of_one_class(m: int) -> None:
    k = np.arange(m * (m - 1) // 2, dtype=np.int64)
    x, y = _triangle(k, np.full(len(k), m, np.int64))
    assert list(zip(x.tolist(), y.tolist(), strict=True)) == [(a, b) for a in range(m) for b in range(a + 1, m)]


def scan_dir(root: Path, db: Path) -> Library:
    with FingerprintCache(db) as cache:
        return scan(ScanSettings((str(root),), workers=0), cache)


def edges(matcher: Matcher) -> list[tuple[str, str, int]]:
    paths = matcher.library.table.paths
    return [(paths[a], paths[b], d) for a, b, d in zip(matcher.i.tolist(), matcher.j.tolist(),
                                                     matcher.distance.tolist(), strict=True)]


@pytest.mark.parametrize("rotations", [False, True])
def test_a_rescan_reuses_the_pairs_and_matches_a_new_search(tmp_path: Path, rotations: bool) -> None:
    lib = tmp_path / "lib"
    for k in range(5):
        img = photo(70 + k, (320, 240))
        save(img, lib / f"p{k}.jpg", quality=92)
        save(img.crop((20, 10, 300, 230)), lib / f"p{k}-crop.jpg", quality=85)  # a layout candidate
        if rotations:
            save(img.rotate(90, expand=True), lib / f"p{k}-turned.jpg", quality=90)
    save(photo(90, (320, 240)), lib / "same-bytes-a.jpg", quality=90)
    (lib / "same-bytes-b.jpg").write_bytes((lib / "same-bytes-a.jpg").read_bytes())
    db = tmp_path / "cache.sqlite3"
    memo = pair_memo.beside(db)
    options = MatchOptions("phash", rotations, 8)
    first = Matcher(scan_dir(lib, db), options, memo=memo)
    assert list((tmp_path / "cache.sqlite3.pairs").glob("pairs-*.npz"))
    fresh = Matcher(scan_dir(lib, db), options)
    again = Matcher(scan_dir(lib, db), options, memo=memo)
    # Answered from the memo: no layout search ran (it leaves its candidates behind).
    assert again._layout_found is None and fresh._layout_found is not None
    assert edges(again) == edges(fresh) == edges(first)
    assert len(again.groups(GroupOptions(threshold=8))) >= 5
    assert again.groups(GroupOptions(threshold=8)) == fresh.groups(GroupOptions(threshold=8))

    # A changed file is searched again (alone): its new edges are found, its old ones gone.
    os.unlink(lib / "p0-crop.jpg")
    save(photo(70, (320, 240)).crop((0, 0, 200, 200)), lib / "p0-crop.jpg", quality=60)
    changed = Matcher(scan_dir(lib, db), options, memo=memo)
    assert edges(changed) == edges(Matcher(scan_dir(lib, db), options))
    # A part of the library (a folder removed) reuses the memo.
    os.unlink(lib / "p1.jpg")
    part = Matcher(scan_dir(lib, db), options, memo=memo)
    assert part._layout_found is None
    assert edges(part) == edges(Matcher(scan_dir(lib, db), options))


def test_no_memo_for_an_in_memory_cache() -> None:
    assert pair_memo.beside(None) is None
    assert pair_memo.beside(":memory:") is None


def synthetic(rng: np.random.Generator, n: int, rotations: bool) -> Library:
    """Random fingerprints and views with planted near copies in every view kind, some flat files
    and some byte-identical ones (same digest, same fingerprints)."""
    from dupeview.core.record_table import ImageRecord
    from dupeview.core.views import N_WORDS, VIEWS

    def flips(shape: tuple[int, ...], bits: int) -> np.ndarray:
        out = np.zeros(shape, np.uint64)
        for _ in range(bits):
            out ^= np.uint64(1) << rng.integers(0, 64, shape).astype(np.uint64)
        return out

    hashes = rng.integers(0, 2**63, size=(n, 4, 8), dtype=np.int64).astype(np.uint64)
    views = rng.integers(0, 2**63, size=(n, N_WORDS), dtype=np.int64).astype(np.uint64)
    src, dst = rng.integers(0, n, n // 3), rng.integers(0, n, n // 3)
    kind = rng.integers(0, 4, n // 3)
    for k, (s, t) in enumerate(zip(src.tolist(), dst.tolist(), strict=True)):
        if kind[k] == 0:  # a near copy of the whole image
            hashes[t, 0, 0] = hashes[s, 0, 0] ^ flips((), int(rng.integers(0, 9)))
            views[t, len(VIEWS):] = views[s, len(VIEWS):]
        elif kind[k] == 1:  # one file's view lines up with the other's whole image
            views[t, int(rng.integers(0, len(VIEWS)))] = hashes[s, 0, 0] ^ flips((), int(rng.integers(0, 7)))
        elif kind[k] == 2:  # a rotated copy
            hashes[t, 0, 0] = hashes[s, 0, int(rng.integers(1, 8))] ^ flips((), int(rng.integers(0, 5)))
        else:  # the same 70 % centre
            views[t, VIEWS.index("c70")] = views[s, VIEWS.index("c70")]
    untrimmed = rng.random(n) < 0.5
    views[untrimmed, VIEWS.index("trim")] = hashes[untrimmed, 0, 0]
    digests = [rng.bytes(16) for _ in range(n)]
    contrast = np.where(rng.random(n) < 0.1, 1.0, 50.0)
    flatness = np.where(rng.random(n) < 0.2, 0.8, 0.1)
    for t in rng.integers(1, n, n // 10).tolist():  # byte-identical copies of the file before
        hashes[t], views[t], digests[t] = hashes[t - 1], views[t - 1], digests[t - 1]
        contrast[t], flatness[t] = contrast[t - 1], flatness[t - 1]
    records = [ImageRecord(f"/lib/{k:05d}.jpg", 1000 + k, 0, 0, 1, k + 1, digests[k], 100, 100, "JPEG",
                           None, None, float(contrast[k])) for k in range(n)]
    return Library(records=records, hashes=hashes, views=views, flatness=flatness)


@pytest.mark.parametrize(("seed", "rotations"), [(1, False), (2, True), (3, False), (4, True)])
def test_new_files_are_searched_alone_and_the_result_is_the_whole_search_s(tmp_path: Path, seed: int,
                                                                            rotations: bool) -> None:
    rng = np.random.default_rng(seed)
    library = synthetic(rng, 900, rotations)
    options = MatchOptions("phash", rotations, 8)
    memo = PairMemo(tmp_path)
    n = len(library)
    old = np.sort(rng.permutation(n)[: int(n * 0.85)])
    Matcher(library.rows(old.tolist()), options, memo=memo)  # remembered: 85 % of the files
    fresh = Matcher(library, options)
    again = Matcher(library, options, memo=memo)  # the other 15 % are searched alone
    assert again._layout_found is None
    assert len(fresh.distance) > 100
    assert np.array_equal(again.i, fresh.i) and np.array_equal(again.j, fresh.j)
    assert np.array_equal(again.distance, fresh.distance)
    # ... and remembered with them: now nothing is new.
    third = Matcher(library, options, memo=memo)
    assert np.array_equal(third.i, fresh.i) and np.array_equal(third.distance, fresh.distance)
