"""A memo searched further answers a shorter search: its edges cut at the shorter distance are exactly
what that search finds, and a cut that could differ (layout views past their reach) searches instead."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import ImageEnhance, ImageFilter

from dupeview.core import pair_memo, verify
from dupeview.core.cache import FingerprintCache
from dupeview.core.grouping import Matcher, MatchOptions
from dupeview.core.pair_memo import PairMemo
from dupeview.core.records import Library
from dupeview.core.scanner import ScanSettings, scan
from tests.images import photo, save, straightened


@pytest.fixture(scope="module")
def graded(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Library]:
    """Photos with edits of graded strength (turned, cropped, toned, blurred): edges at many distances."""
    root = tmp_path_factory.mktemp("graded") / "lib"
    for k in range(5):
        img = photo(100 + k, (320, 240))
        save(img, root / f"p{k}.jpg", quality=92)
        for deg in (2, 4, 6):
            save(straightened(img, deg), root / "turned" / f"p{k}-{deg}.jpg", quality=85)
        for c in (12, 24, 40):
            save(img.crop((c, c // 2, 320 - c, 240 - c // 2)), root / "crops" / f"p{k}-{c}.jpg", quality=85)
        for f in (0.6, 1.6):
            save(ImageEnhance.Contrast(img).enhance(f), root / "tone" / f"p{k}-{f}.jpg", quality=80)
        save(img.filter(ImageFilter.GaussianBlur(3)), root / "blur" / f"p{k}.jpg", quality=80)
    db = root.parent / "cache.sqlite3"
    with FingerprintCache(db) as cache:
        return db, scan(ScanSettings((str(root),), workers=0), cache)


def edges(m: Matcher) -> list[tuple[int, int, int]]:
    return sorted(zip(m.i.tolist(), m.j.tolist(), m.distance.tolist(), strict=True))


@pytest.mark.parametrize("algorithm", ["phash", "dhash"])
def test_a_memo_searched_to_12_cut_shorter_is_exactly_the_shorter_search(graded: tuple[Path, Library], algorithm: str,
                                                                          tmp_path: Path) -> None:
    _, library = graded
    memo_at = tmp_path / "memo"   # a memo folder of this test's own
    far = Matcher(library, MatchOptions(algorithm, False, 12), memo=PairMemo(memo_at, "lib"))
    assert far.pairs_from == "search"
    # Without layout views (dHash) every cut is exact; with them (pHash) up to their reach.
    reach = 12 if algorithm == "dhash" else verify.LAYOUT_MAX_DISTANCE
    if algorithm == "dhash":
        assert far.distance.max() > 8   # so the cut has edges to drop
    for t in range(reach + 1):
        memo = PairMemo(memo_at, "lib")
        got = Matcher(library, MatchOptions(algorithm, False, 12), search_distance=t, memo=memo)
        fresh = Matcher(library, MatchOptions(algorithm, False, 12), search_distance=t)
        assert got.pairs_from == "memo" and memo.answered_by is not None and memo.answered_by.name.endswith("-d12.npz")
        assert edges(got) == edges(fresh), t
        assert got.searched == t
    # Answered by the further memo, nothing new is written.
    assert sorted(p.name[-8:] for p in memo_at.glob("pairs-*.npz")) == ["-d12.npz"]


def test_past_the_layout_reach_a_further_memo_is_not_cut(graded: tuple[Path, Library], tmp_path: Path) -> None:
    _, library = graded
    Matcher(library, MatchOptions("phash", False, 12), memo=PairMemo(tmp_path, "lib"))
    memo = PairMemo(tmp_path, "lib")
    past = Matcher(library, MatchOptions("phash", False, 12), search_distance=verify.LAYOUT_MAX_DISTANCE + 2, memo=memo)
    assert past.pairs_from == "search" and memo.answered_by is None
    assert edges(past) == edges(Matcher(library, MatchOptions("phash", False, 12),
                                        search_distance=verify.LAYOUT_MAX_DISTANCE + 2))
    # That search is remembered at its own distance, beside the further one.
    assert sorted(p.name[-8:] for p in tmp_path.glob("pairs-*.npz")) == ["-d10.npz", "-d12.npz"]
    again = PairMemo(tmp_path, "lib")
    assert Matcher(library, MatchOptions("phash", False, 12), search_distance=10, memo=again).pairs_from == "memo"
    assert again.answered_by is not None and again.answered_by.name.endswith("-d10.npz")


def _keys(n: int) -> np.ndarray:
    return np.stack([np.arange(1, n + 1, dtype=np.uint64), np.arange(101, 101 + n, dtype=np.uint64)], axis=1)


def test_the_cut_keeps_the_edges_within_the_distance_and_the_nearest_memo_answers(tmp_path: Path) -> None:
    keys = _keys(5)
    i, j = np.array([0, 0, 1, 2], np.int64), np.array([1, 2, 3, 4], np.int64)
    d = np.array([2, 6, 10, 12], np.uint8)
    memo = PairMemo(tmp_path, "lib")
    memo.remember("s", keys, i, j, d, distance=12)
    cut = memo.recall("s", keys, 6, exact_cut=64)
    assert cut is not None
    (ci, cj, cd), seen = cut
    assert list(zip(ci.tolist(), cj.tolist(), cd.tolist(), strict=True)) == [(0, 1, 2), (0, 2, 6)] and seen.all()
    assert memo.recall("s", keys, 6) is None                  # no promise that a cut is exact: not answered
    assert memo.recall("s", keys, 14, exact_cut=64) is None   # a memo never answers a search further
    assert memo.recall("s", keys) is None                     # nor one without a distance
    memo.remember("s", keys, i[:2], j[:2], d[:2], distance=8)
    near = memo.recall("s", keys, 6, exact_cut=64)
    assert near is not None and memo.answered_by is not None and memo.answered_by.name.endswith("-d8.npz")
    assert near[0][2].tolist() == [2, 6]
    exact = memo.recall("s", keys, 12, exact_cut=64)
    assert exact is not None and exact[0][2].tolist() == [2, 6, 10, 12]


def test_another_library_s_further_memo_is_borrowed_cut(tmp_path: Path) -> None:
    keys = _keys(3)
    PairMemo(tmp_path, "/a").remember("s", keys, np.array([0, 0], np.int64), np.array([1, 2], np.int64),
                                      np.array([4, 10], np.uint8), distance=12)
    mine = PairMemo(tmp_path, "/a/sub")
    found = mine.recall("s", keys, 8, exact_cut=8)
    assert found is not None and found[0][2].tolist() == [4] and not mine.own("s")
    assert mine.answered_by is not None and pair_memo._library_in(mine.answered_by) == ["/a"]
