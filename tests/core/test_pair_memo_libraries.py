"""Remembered pairs per library: libraries scanned in turn with one cache keep their own memos, a library
sharing files with another reuses what it can, and every answer is exactly what a full search gives."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import numpy as np
import pytest

from dupeview.core import pair_memo
from dupeview.core.cache import FingerprintCache
from dupeview.core.grouping import GroupOptions, Matcher, MatchOptions
from dupeview.core.pair_memo import PairMemo
from dupeview.core.records import Library
from dupeview.core.scanner import ScanSettings, scan
from tests.images import photo, save

OPTIONS = MatchOptions("phash", False, 8)


def make_library(root: Path, seed: int, n: int = 5) -> Path:
    """n photos, each with a cropped copy (a layout pair) and a re-encoded one (a near pair)."""
    for k in range(n):
        img = photo(seed + k, (320, 240))
        save(img, root / f"p{k}.jpg", quality=92)
        save(img.crop((20, 10, 300, 230)), root / "crops" / f"p{k}-crop.jpg", quality=85)
        save(img.resize((160, 120)), root / "small" / f"p{k}-small.jpg", quality=70)
    return root


def scan_dir(root: Path, db: Path) -> Library:
    with FingerprintCache(db) as cache:
        return scan(ScanSettings((str(root),), workers=0), cache)


def rescan(root: Path, db: Path) -> tuple[Matcher, Matcher]:
    """A scan's matcher with the remembered pairs of its library, and one from a full search."""
    library = scan_dir(root, db)
    return Matcher(library, OPTIONS, memo=pair_memo.beside(db, [str(root)])), Matcher(library, OPTIONS)


def edges(matcher: Matcher) -> list[tuple[str, str, int]]:
    paths = matcher.library.table.paths
    return [(paths[a], paths[b], d) for a, b, d in zip(matcher.i.tolist(), matcher.j.tolist(),
                                                     matcher.distance.tolist(), strict=True)]


def same_result(got: Matcher, fresh: Matcher) -> bool:
    return edges(got) == edges(fresh) and got.groups(GroupOptions(threshold=8)) == fresh.groups(GroupOptions(threshold=8))


def memo_files(db: Path) -> list[Path]:
    return sorted(Path(f"{db}.pairs").glob("pairs-*.npz"))


def test_two_libraries_in_turn_with_one_cache_keep_their_own_pairs(tmp_path: Path) -> None:
    a, b = make_library(tmp_path / "a", 10), make_library(tmp_path / "b", 40)
    db = tmp_path / "cache.sqlite3"
    first_a, fresh = rescan(a, db)
    assert first_a.pairs_from == "search" and same_result(first_a, fresh)
    first_b, fresh = rescan(b, db)
    assert first_b.pairs_from == "search" and same_result(first_b, fresh)  # a's memo knows none of b's files
    assert len(memo_files(db)) == 2
    for _ in range(2):  # in turn, again and again: neither pays the search
        for root in (a, b):
            again, fresh = rescan(root, db)
            assert again.pairs_from == "memo", root
            assert again._layout_found is None  # no layout search ran either
            assert len(fresh.distance) >= 10 and same_result(again, fresh)


def test_a_library_sharing_files_with_another_reuses_them_and_searches_only_its_own(tmp_path: Path) -> None:
    a = make_library(tmp_path / "a", 10)
    db = tmp_path / "cache.sqlite3"
    rescan(a, db)
    # c: a copy of every file of a (other paths, same bytes) plus a new smaller copy of one of them and an unrelated file.
    c = tmp_path / "c"
    shutil.copytree(a, c / "from-a")
    save(photo(10, (320, 240)).resize((200, 150)), c / "new-copy.jpg", quality=60)
    save(photo(99, (320, 240)), c / "unrelated.jpg", quality=90)
    got, fresh = rescan(c, db)
    assert got.pairs_from == "memo+new"  # a's memo answered the shared files, only the two new ones were searched
    assert same_result(got, fresh)
    new_copy = str(c / "new-copy.jpg")
    assert any(new_copy in (p, q) for p, q, _ in edges(got))  # the new file's pairs with shared ones are there
    assert len(memo_files(db)) == 2  # c has its own memo now, a keeps its
    for root in (c, a):
        again, fresh = rescan(root, db)
        assert again.pairs_from == "memo" and same_result(again, fresh)


def test_a_folder_of_a_scanned_library_needs_no_search(tmp_path: Path) -> None:
    a = make_library(tmp_path / "a", 10)
    db = tmp_path / "cache.sqlite3"
    rescan(a, db)
    for part in (a / "crops", a):  # a's files and part of them: answered from a's memo
        got, fresh = rescan(part, db)
        assert got.pairs_from == "memo" and same_result(got, fresh)
    assert len(memo_files(db)) == 2  # the folder keeps a memo of its own


def test_another_library_s_memo_of_other_settings_is_never_used(tmp_path: Path) -> None:
    a = make_library(tmp_path / "a", 10)
    db = tmp_path / "cache.sqlite3"
    library = scan_dir(a, db)
    Matcher(library, MatchOptions("phash", True, 8), memo=pair_memo.beside(db, [str(a)]))
    sub = scan_dir(a / "crops", db)
    got = Matcher(sub, OPTIONS, memo=pair_memo.beside(db, [str(a / "crops")]))
    assert got.pairs_from == "search" and edges(got) == edges(Matcher(sub, OPTIONS))
    # The memo file of those settings under this library's name, but written for others, is not read either.
    memo = pair_memo.beside(db, [str(a)])
    assert memo is not None
    keys = np.arange(8, dtype=np.uint64).reshape(4, 2)
    memo.remember("rotations=True", keys, np.array([0]), np.array([1]), np.array([2], np.uint8))
    os.replace(memo._file("rotations=True"), memo._file("rotations=False"))
    assert memo.recall("rotations=False", keys) is None


def test_the_roots_name_the_library_in_any_order(tmp_path: Path) -> None:
    x, y = str(tmp_path / "x"), str(tmp_path / "y")
    assert pair_memo.library_of([x, y]) == pair_memo.library_of([y, x + "/", x])
    assert pair_memo.library_of([x]) != pair_memo.library_of([x, y])


def _remember(memo: PairMemo, rows: int = 4) -> Path:
    keys = np.random.default_rng(len(memo.library)).integers(0, 2**63, size=(rows, 2)).astype(np.uint64)
    memo.remember("s", keys, np.array([0]), np.array([1]), np.array([2], np.uint8))
    return memo._file("s")


def test_only_the_most_recently_used_memos_are_kept(tmp_path: Path) -> None:
    files = []
    for k in range(pair_memo.KEEP_FILES):
        path = _remember(PairMemo(tmp_path, "lib" + "x" * k))
        os.utime(path, ns=(k * 10**9, k * 10**9))  # written one after another, long ago
        files.append(path)
    # The oldest library's memo is used now: it is kept, the next oldest ones go as new ones come.
    first = PairMemo(tmp_path, "lib")
    keys = np.random.default_rng(3).integers(0, 2**63, size=(4, 2)).astype(np.uint64)
    found = first.recall("s", keys)
    assert found is not None and found[1].all() and first.own("s")
    newer = [_remember(PairMemo(tmp_path, f"new{k}")) for k in range(3)]
    kept = set(tmp_path.glob("pairs-*.npz"))
    assert len(kept) == pair_memo.KEEP_FILES
    assert kept == {files[0], *files[4:], *newer}


def test_the_memos_total_size_is_capped_but_the_newest_is_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    small = _remember(PairMemo(tmp_path, "small"))
    os.utime(small, ns=(10**9, 10**9))
    monkeypatch.setattr(pair_memo, "KEEP_BYTES", small.stat().st_size * 3)
    big = _remember(PairMemo(tmp_path, "big"), rows=1000)  # alone over the cap
    assert set(tmp_path.glob("pairs-*.npz")) == {big}


def test_without_its_own_memo_a_library_takes_the_one_that_shares_its_roots(tmp_path: Path) -> None:
    a, b = make_library(tmp_path / "a", 10), make_library(tmp_path / "b", 40)
    db = tmp_path / "cache.sqlite3"
    rescan(a, db)
    rescan(b, db)  # the newest memo now is b's, which shares no file with what comes next
    extra = tmp_path / "extra"
    save(photo(10, (320, 240)).resize((200, 150)), extra / "copy.jpg", quality=60)
    roots = [str(a), str(extra)]
    with FingerprintCache(db) as cache:
        library = scan(ScanSettings(tuple(roots), workers=0), cache)
    memo = pair_memo.beside(db, roots)
    got = Matcher(library, OPTIONS, memo=memo)
    assert got.pairs_from == "memo+new"  # a's memo (root a in common), not the newest (b's): one file searched
    assert memo is not None and memo.answered_by is not None
    assert pair_memo._library_in(memo.answered_by) == [str(a)]
    assert edges(got) == edges(Matcher(library, OPTIONS))



def test_a_damaged_memo_of_another_library_is_passed_over(tmp_path: Path) -> None:
    a = make_library(tmp_path / "a", 10)
    db = tmp_path / "cache.sqlite3"
    rescan(a, db)
    (memo,) = memo_files(db)
    assert pair_memo._library_in(memo) == [str(a)]
    memo.write_bytes(memo.read_bytes()[:200])
    assert pair_memo._library_in(memo) == []
    got, fresh = rescan(a / "crops", db)  # no memo of its own; the only other one is unreadable
    assert got.pairs_from == "search" and same_result(got, fresh)
