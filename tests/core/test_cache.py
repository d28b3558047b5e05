"""The SQLite fingerprint cache: keyed on exact file facts, recovered when damaged, safe to share."""

from __future__ import annotations

import os
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from dupeview.core.cache import APPLICATION_ID, SCHEMA_VERSION, FingerprintCache, NotACacheError
from dupeview.core.decode import DecodeFailure, ImageFacts, analyse
from dupeview.core.scanner import ScanSettings, scan
from tests.cachefiles import damaged_cache
from tests.images import jpeg_bytes, photo, save


def facts_for(path: Path) -> ImageFacts:
    value = analyse(str(path))
    assert isinstance(value, ImageFacts)
    return value


def test_round_trip(tmp_path: Path) -> None:
    img = save(photo(1, (64, 48)), tmp_path / "a.jpg")
    db = tmp_path / "c.sqlite3"
    facts = facts_for(img)
    weird = os.fsdecode(b"/x/caf\xe9.jpg")
    with FingerprintCache(db) as cache:
        cache.store([(str(img), facts), (weird, DecodeFailure("empty file (0 bytes)", 0, 1, 2))])
    with FingerprintCache(db) as cache:
        loaded = cache.load([str(img), weird, "/not/there.jpg"])
        assert loaded[str(img)][1] == facts
        assert loaded[weird][1] == DecodeFailure("empty file (0 bytes)", 0, 1, 2)
        assert "/not/there.jpg" not in loaded
        with closing(sqlite3.connect(db)) as conn:
            assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
            assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def _scan(root: Path, db: Path):
    with FingerprintCache(db) as cache:
        return scan(ScanSettings((str(root),), workers=0), cache)


def test_rescan_of_unchanged_files_decodes_nothing(tmp_path: Path) -> None:
    for k in range(5):
        save(photo(k, (64, 48)), tmp_path / "lib" / f"{k}.jpg")
    db = tmp_path / "c.sqlite3"
    first = _scan(tmp_path / "lib", db)
    second = _scan(tmp_path / "lib", db)
    assert (first.hashed, first.reused) == (5, 0)
    assert (second.hashed, second.reused) == (0, 5)
    assert (second.hashes == first.hashes).all()


def test_touch_rename_and_same_size_replace_invalidate(tmp_path: Path) -> None:
    lib = tmp_path / "lib"
    a = save(photo(1, (64, 48)), lib / "a.png")
    b = save(photo(2, (64, 48)), lib / "b.png")
    c = save(photo(3, (64, 48)), lib / "c.png")
    db = tmp_path / "c.sqlite3"
    _scan(lib, db)

    os.utime(a, ns=(a.stat().st_atime_ns, a.stat().st_mtime_ns + 1_000_000))   # touched
    b.rename(lib / "b2.png")                                                  # renamed
    # Replaced by other pixels of the very same size and mtime: only ctime tells.
    other = save(photo(4, (64, 48)), tmp_path / "other.png")
    before = c.stat()
    data = other.read_bytes()
    if len(data) != before.st_size:
        data = data[: before.st_size].ljust(before.st_size, b"\0")
    c.write_bytes(data)
    os.utime(c, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert c.stat().st_size == before.st_size and c.stat().st_mtime_ns == before.st_mtime_ns

    again = _scan(lib, db)
    assert again.hashed == 3 and again.reused == 0


def test_damaged_cache_is_moved_aside(tmp_path: Path) -> None:
    db = tmp_path / "c.sqlite3"
    damaged = damaged_cache(db)
    with FingerprintCache(db) as cache:
        assert cache.warnings and "damaged" in cache.warnings[0]
        assert len(cache) == 0
    [aside] = [p for p in tmp_path.iterdir() if p.name.startswith("c.sqlite3.corrupt-") and not p.name.endswith(("-wal", "-shm"))]
    assert aside.read_bytes() == damaged


@pytest.mark.parametrize("kind", ["jpeg", "text", "other-sqlite", "other-sqlite-v1", "other-app-id", "folder"])
def test_a_file_that_is_not_a_dupeview_cache_is_refused_untouched(tmp_path: Path, kind: str) -> None:
    target = tmp_path / "photo.jpg"
    if kind == "jpeg":
        target.write_bytes(jpeg_bytes(photo(1, (64, 48))))
    elif kind == "text":
        target.write_text("my notes\n" * 50)
    elif kind == "folder":
        target.mkdir()
    else:
        conn = sqlite3.connect(target)
        conn.execute("CREATE TABLE contacts (name TEXT, phone TEXT)")
        conn.execute("INSERT INTO contacts VALUES ('Ann', '555')")
        if kind == "other-sqlite-v1":
            conn.execute("PRAGMA user_version = 1")
        if kind == "other-app-id":
            conn.execute("PRAGMA application_id = 1234")
        conn.commit()
        conn.close()
    before = {p.name: (p.read_bytes() if p.is_file() else None) for p in tmp_path.iterdir()}
    with pytest.raises(NotACacheError, match="is not a dupeview fingerprint database"):
        FingerprintCache(target)
    after = {p.name: (p.read_bytes() if p.is_file() else None) for p in tmp_path.iterdir()}
    assert after == before  # byte for byte, and no -wal/-shm or aside file made


def test_a_cache_made_before_the_application_id_gets_it(tmp_path: Path) -> None:
    db = tmp_path / "c.sqlite3"
    with FingerprintCache(db) as cache:
        cache.store([("/x/a.jpg", DecodeFailure("test", 1, 2, 3))])
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA application_id = 0")  # as every cache written before this change
    conn.commit()
    conn.close()
    with FingerprintCache(db) as cache:
        assert cache.warnings == [] and len(cache) == 1
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    conn.close()


def test_newer_schema_is_moved_aside(tmp_path: Path) -> None:
    db = tmp_path / "c.sqlite3"
    conn = sqlite3.connect(db)
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")  # a newer dupeview's cache
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    conn.execute("CREATE TABLE future (x)")
    conn.commit()
    conn.close()
    with FingerprintCache(db) as cache:
        assert "newer" in cache.warnings[0]
    assert any(p.name.startswith("c.sqlite3.newer-") for p in tmp_path.iterdir())


def test_unwritable_location_runs_uncached(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("a file where the cache folder should be")
    with FingerprintCache(blocker / "c.sqlite3") as cache:
        assert cache.warnings and "not be kept" in cache.warnings[0]
        cache.store([("/x.jpg", DecodeFailure("empty file (0 bytes)", 0, 1, 2))])
        assert len(cache) == 1


def test_not_duplicates_are_remembered(tmp_path: Path) -> None:
    db = tmp_path / "c.sqlite3"
    with FingerprintCache(db) as cache:
        cache.add_not_duplicates([("/b.jpg", "/a.jpg")])
    with FingerprintCache(db) as cache:
        assert cache.not_duplicates() == {("/a.jpg", "/b.jpg")}
