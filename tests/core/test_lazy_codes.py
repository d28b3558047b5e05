"""Algorithms read when asked for: a warm rescan reads only the compared algorithm's codes from the packs,
and the others come later, for exactly the scanned files, as an eager scan would have given them."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import numpy as np
import pytest

from dupeview.core import decode
from dupeview.core.cache import SCHEMA_VERSION, FingerprintCache
from dupeview.core.fingerprint import ALGORITHMS
from dupeview.core.grouping import DEFAULT_THRESHOLDS, GroupOptions, Matcher, MatchOptions
from dupeview.core.lazy_codes import folder_runs
from dupeview.core.records import Library, only_paths, without_paths
from dupeview.core.scanner import ScanSettings, scan
from tests.images import make_photos, photo, save


def _scan(root: Path, db: Path | None, algorithms: tuple[str, ...] = ALGORITHMS) -> Library:
    with FingerprintCache(db) as cache:
        return scan(ScanSettings((str(root),), workers=0, algorithms=algorithms), cache)


def _groups(library: Library, algorithm: str) -> list[list[str]]:
    groups = Matcher(library, MatchOptions(algorithm)).groups(GroupOptions(threshold=DEFAULT_THRESHOLDS[algorithm]))
    return [[library.path(m.index) for m in g.members] for g in groups]


@pytest.fixture
def warm(tmp_path: Path) -> tuple[Path, Path]:
    root = tmp_path / "lib"
    make_photos(root, n_groups=3)
    db = tmp_path / "c.sqlite3"
    first = _scan(root, db)  # cold: every file decoded, every folder packed
    assert first.hashed == len(first) and not first.pending
    return root, db


def test_a_warm_rescan_reads_one_algorithm_and_the_others_match_an_eager_scan(warm: tuple[Path, Path]) -> None:
    root, db = warm
    eager = _scan(root, db)
    lazy = _scan(root, db, ("phash",))
    assert (lazy.hashed, lazy.reused) == (0, len(eager))
    assert lazy.pending == frozenset(ALGORITHMS) - {"phash"}
    # Nothing of the unread algorithms is in memory yet: their columns are all zeros.
    assert not lazy._hashes[:, 1:, :].any() and lazy._hashes[:, 0, :].any()
    assert (lazy.codes("phash") == eager.codes("phash")).all()
    for algorithm in ALGORITHMS:
        assert _groups(lazy, algorithm) == _groups(eager, algorithm), algorithm
        assert algorithm not in lazy.pending
        assert (lazy.codes(algorithm) == eager.codes(algorithm)).all()
    assert not lazy.pending and (lazy.hashes == eager.hashes).all()


def test_reading_hashes_loads_every_pending_algorithm(warm: tuple[Path, Path]) -> None:
    root, db = warm
    eager = _scan(root, db)
    lazy = _scan(root, db, ("dhash", "phash"))
    assert lazy.pending == {"ahash", "whash"}
    assert (lazy.hashes == eager.hashes).all() and not lazy.pending


def test_libraries_made_from_a_lazy_one_stay_lazy_and_load_right(warm: tuple[Path, Path]) -> None:
    root, db = warm
    eager = _scan(root, db)
    lazy = _scan(root, db, ("phash",))
    rows = [5, 0, 3]
    sub = lazy.rows(rows)
    assert sub.pending == lazy.pending and lazy.pending  # nothing loaded by taking rows
    assert (sub.codes("whash") == eager.codes("whash")[rows]).all()
    assert "whash" in lazy.pending  # the sub-library loaded its own
    gone = {lazy.path(1), lazy.path(4)}
    fewer = without_paths(lazy, gone)
    kept = only_paths(lazy, gone)
    assert (fewer.codes("ahash") == eager.rows([k for k in range(len(eager)) if eager.path(k) not in gone]).codes("ahash")).all()
    from dupeview.core.records import with_records
    back = with_records(fewer, kept, gone)
    order = [eager.table.paths.index(p) for p in back.table.paths]
    assert (back.hashes == eager.hashes[order]).all()


def test_a_file_changed_since_the_scan_is_never_given_the_caches_codes(warm: tuple[Path, Path], tmp_path: Path) -> None:
    root, db = warm
    lazy = _scan(root, db, ("phash",))
    eager_before = _scan(root, db)
    changed = root / "camera" / "other.jpg"
    save(photo(4242, (320, 240)), changed)
    os.utime(changed, ns=(10**18, 10**18))
    _scan(root, db)  # the cache now holds the new file (a new pack for its folder)...
    save(photo(4343, (320, 240)), changed)  # ...and the file changes once more
    os.utime(changed, ns=(2 * 10**18, 2 * 10**18))
    k = lazy.table.paths.index(str(changed))
    codes = lazy.codes("dhash")
    now = decode.analyse(str(changed))
    assert isinstance(now, decode.ImageFacts)
    expected = np.frombuffer(now.hashes, "<u8").reshape(len(ALGORITHMS), -1)[ALGORITHMS.index("dhash")]
    # The library's record is of the first file, the cache's entry of the second: decoded as it is now.
    assert (codes[k] == expected).all()
    others = [j for j in range(len(lazy)) if j != k]
    assert (codes[others] == eager_before.codes("dhash")[others]).all()


def test_a_pack_dropped_or_a_cache_gone_is_answered_by_rows_then_by_decoding(warm: tuple[Path, Path]) -> None:
    root, db = warm
    eager = _scan(root, db)
    lazy = _scan(root, db, ("phash",))
    with sqlite3.connect(db) as conn:
        conn.execute("DELETE FROM packs WHERE folder = ?", (os.fsencode(str(root / "camera")),))
    conn.close()
    assert (lazy.codes("ahash") == eager.codes("ahash")).all()  # rows answer the camera folder
    again = _scan(root, db, ("phash",))
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(f"{db}{suffix}"):
            os.unlink(f"{db}{suffix}")
    assert (again.codes("whash") == eager.codes("whash")).all()  # no cache at all: every file decoded


def test_a_cache_in_memory_reads_every_algorithm(tmp_path: Path) -> None:
    root = tmp_path / "lib"
    make_photos(root, n_groups=2)
    library = _scan(root, None, ("phash",))
    assert not library.pending and library.loader is None and library._hashes[:, 3, :].any()


def test_schema_3_packs_are_dropped_and_the_rows_answer(warm: tuple[Path, Path]) -> None:
    root, db = warm
    eager = _scan(root, db)
    with sqlite3.connect(db) as conn:  # the packs as schema 3 wrote them: all algorithms in one blob
        conn.execute("DROP TABLE packs")
        conn.execute("CREATE TABLE packs (folder BLOB PRIMARY KEY, pipeline INTEGER NOT NULL, n INTEGER NOT NULL, "
                     "names BLOB NOT NULL, ints BLOB NOT NULL, floats BLOB NOT NULL, digests BLOB NOT NULL, "
                     "hashes BLOB NOT NULL, views BLOB NOT NULL, text TEXT NOT NULL) WITHOUT ROWID")
        conn.execute("INSERT INTO packs VALUES (?, 8, 1, x'61', x'00', x'00', x'00', x'00', x'00', '{}')",
                     (os.fsencode(str(root / "camera")),))
        conn.execute("PRAGMA user_version = 3")
    conn.close()
    again = _scan(root, db, ("phash",))
    assert (again.hashed, again.reused) == (0, len(eager))  # all from rows
    assert again.pending and (again.hashes == eager.hashes).all()
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 4
        assert "phash" in {row[1] for row in conn.execute("PRAGMA table_info(packs)")}
        assert conn.execute("SELECT count(*) FROM packs").fetchone()[0] == 4
    conn.close()
    third = _scan(root, db, ("phash",))
    assert third.pending and (third.hashes == eager.hashes).all()


def test_a_cold_scan_keeps_only_the_asked_algorithms_in_memory(tmp_path: Path) -> None:
    root = tmp_path / "lib"
    make_photos(root, n_groups=3)
    eager = _scan(root, None)
    cold = _scan(root, tmp_path / "c.sqlite3", ("dhash", "phash"))
    assert cold.hashed == len(cold) == len(eager)
    assert cold.pending == {"ahash", "whash"}
    assert not cold._hashes[:, 2:, :].any()  # decoded, written to the cache, and let go
    assert _groups(cold, "whash") == _groups(eager, "whash")
    assert (cold.hashes == eager.hashes).all()


def test_folder_runs() -> None:
    paths = ["/a/1.jpg", "/a/2.jpg", "/a/b/3.jpg", "/a/4.jpg", "/5.jpg"]
    assert folder_runs(paths) == [("/a", 0, 2), ("/a/b", 2, 3), ("/a", 3, 4), ("/", 4, 5)]
    assert folder_runs([]) == []
