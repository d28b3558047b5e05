"""The warm path as arrays: folder packs in the cache, discovery as columns, records as a RecordTable."""

from __future__ import annotations

import os
import sqlite3
from contextlib import closing
from pathlib import Path

import numpy as np
import pytest

from dupeview.core.assemble import Assembly
from dupeview.core.cache import SCHEMA_VERSION, FingerprintCache
from dupeview.core.discovery import DiscoveryOptions, discover
from dupeview.core.record_table import ImageRecord, RecordTable
from dupeview.core.records import Library
from dupeview.core.scanner import ScanSettings, load_library, scan
from tests.images import photo, save


def _scan(root: Path, db: Path | None) -> Library:
    with FingerprintCache(db) as cache:
        return scan(ScanSettings((str(root),), workers=0), cache)


def _library_of(tmp_path: Path) -> Path:
    lib = tmp_path / "lib"
    for k in range(4):
        save(photo(k, (64, 48)), lib / "one" / f"{k}.jpg")
    for k in range(4, 7):
        save(photo(k, (80, 60)), lib / "two" / "deeper" / f"{k}.png")
    (lib / "two" / "broken.jpg").write_bytes(b"\xff\xd8\xff not a picture")
    return lib


def _packs(db: Path) -> dict[str, int]:
    with closing(sqlite3.connect(db)) as conn, conn:
        return {os.fsdecode(f): n for f, n in conn.execute("SELECT folder, n FROM packs")}


def _same(a: Library, b: Library) -> None:
    assert list(a.records) == list(b.records)
    assert a.hashes.shape == b.hashes.shape and (a.hashes == b.hashes).all()
    assert (a.views == b.views).all() and (a.flatness == b.flatness).all()
    assert a.skipped == b.skipped


def test_a_warm_rescan_is_answered_by_folder_packs_exactly_as_by_rows(tmp_path: Path) -> None:
    lib = _library_of(tmp_path)
    db = tmp_path / "c.sqlite3"
    uncached = _scan(lib, None)
    first = _scan(lib, db)
    assert first.hashed == 8
    # Every folder with files got its pack, failures included (the broken file is in "two").
    assert _packs(db) == {str(lib / "one"): 4, str(lib / "two"): 1, str(lib / "two" / "deeper"): 3}
    with FingerprintCache(db) as cache:
        slots = Assembly(discover([str(lib)], DiscoveryOptions()))
        slots.fill_from_packs(cache)
        assert len(slots.unanswered()) == 0 and not slots.dirty
    second = _scan(lib, db)
    assert (second.hashed, second.reused) == (0, 8)
    _same(second, uncached)
    _same(second, first)
    assert [s.path for s in second.skipped] == [str(lib / "two" / "broken.jpg")]


def test_a_changed_file_is_decoded_again_and_its_folder_packed_anew(tmp_path: Path) -> None:
    lib = _library_of(tmp_path)
    db = tmp_path / "c.sqlite3"
    _scan(lib, db)
    changed = lib / "one" / "2.jpg"
    save(photo(99, (64, 48)), changed)
    os.utime(changed, ns=(1, 2))
    (lib / "one" / "0.jpg").unlink()
    save(photo(50, (64, 48)), lib / "one" / "new.jpg")
    again = _scan(lib, db)
    assert again.hashed == 2  # the changed and the new file; 1.jpg and 3.jpg from the old pack
    _same(again, _scan(lib, None))
    assert _packs(db)[str(lib / "one")] == 4
    assert _scan(lib, db).hashed == 0


def test_any_write_to_a_folders_rows_drops_its_pack(tmp_path: Path) -> None:
    lib = _library_of(tmp_path)
    db = tmp_path / "c.sqlite3"
    first = _scan(lib, db)
    with FingerprintCache(db) as cache:
        cache.forget([str(lib / "one" / "1.jpg")])
    assert str(lib / "one") not in _packs(db)
    with FingerprintCache(db) as cache:
        value = cache.load([str(lib / "two" / "deeper" / "4.png")])[str(lib / "two" / "deeper" / "4.png")][1]
        cache.store([(str(lib / "two" / "deeper" / "4.png"), value)])
    assert set(_packs(db)) == {str(lib / "two")}
    again = _scan(lib, db)
    assert again.hashed == 1  # only the forgotten file; the rest from the rows
    assert list(again.records) == list(first.records)


def test_a_pack_that_does_not_add_up_is_not_used(tmp_path: Path) -> None:
    lib = _library_of(tmp_path)
    db = tmp_path / "c.sqlite3"
    first = _scan(lib, db)
    with closing(sqlite3.connect(db)) as conn, conn:
        conn.execute("UPDATE packs SET phash = x'00', views = x'0102' WHERE folder = ?", (os.fsencode(str(lib / "one")),))
    again = _scan(lib, db)
    assert again.hashed == 0
    _same(again, first)
    assert _packs(db)[str(lib / "one")] == 4  # written again from the rows


def test_a_schema_2_cache_keeps_its_fingerprints(tmp_path: Path) -> None:
    lib = _library_of(tmp_path)
    db = tmp_path / "c.sqlite3"
    first = _scan(lib, db)
    with closing(sqlite3.connect(db)) as conn, conn:  # the file as dupeview wrote it before folder packs
        conn.execute("DROP TABLE packs")
        conn.execute("PRAGMA user_version = 2")
    again = _scan(lib, db)
    assert (again.hashed, again.reused) == (0, 8)
    _same(again, first)
    with closing(sqlite3.connect(db)) as conn, conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 4
    assert len(_packs(db)) == 3


def test_a_cache_of_a_newer_dupeview_is_still_moved_aside(tmp_path: Path) -> None:
    lib = _library_of(tmp_path)
    db = tmp_path / "c.sqlite3"
    _scan(lib, db)
    with closing(sqlite3.connect(db)) as conn, conn:
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with FingerprintCache(db) as cache:
        assert any("newer dupeview" in w for w in cache.warnings)
    assert any(p.name.startswith("c.sqlite3.newer-") for p in tmp_path.iterdir())


def test_query_library_from_the_cache_still_has_unique_negative_inodes(tmp_path: Path) -> None:
    lib = _library_of(tmp_path)
    db = tmp_path / "c.sqlite3"
    _scan(lib, db)
    with FingerprintCache(db) as cache:
        got = load_library(cache)
    assert len(got) == 7 and sorted(r.ino for r in got.records) == list(range(-7, 0))


def _record(k: int, ino: int) -> ImageRecord:
    return ImageRecord(f"/x/{k}.jpg", 10 + k, k, k, 2**64 - 1, ino, bytes([k]) * 16, 4, 3, "JPEG", None, "cam", 1.5)


def test_record_table_is_a_sequence_of_records_with_exact_big_inodes() -> None:
    rows = [_record(k, ino) for k, ino in enumerate([5, 2**63 + 7, 2**64 - 2])]
    table = RecordTable.from_records(rows)
    assert table == rows and list(table) == rows and table[1] == rows[1] and table[-1] == rows[2]
    assert table[0:2] == rows[:2]
    assert table.take([2, 0]) == [rows[2], rows[0]]
    small = RecordTable.from_records([_record(9, 1)._replace(dev=3)])
    assert small + rows == [*small, *rows]
    assert (table + small)[3] == small[0]
    with pytest.raises(IndexError):
        table[3]
    odd = RecordTable.from_records([rows[0]._replace(digest=b"\x01")]).concat(table)
    assert odd.digest_at(0) == b"\x01" and odd.digest_at(1) == rows[0].digest


def test_library_made_from_a_list_gets_columns() -> None:
    rows = [_record(k, k + 1) for k in range(3)]
    library = Library(records=rows, hashes=np.zeros((3, 4, 8), np.uint64))
    assert isinstance(library.records, RecordTable)
    assert library.table.paths == [r.path for r in rows] and library.table.contrast.tolist() == [1.5] * 3
    assert library.rows([2]).records == [rows[2]]


def test_discovery_columns_match_the_files_and_a_file_root_is_listed_once(tmp_path: Path) -> None:
    lib = _library_of(tmp_path)
    found = discover([str(lib / "one" / "1.jpg"), str(lib)], DiscoveryOptions())
    paths = [f.path for f in found.files]
    assert paths.count(str(lib / "one" / "1.jpg")) == 1 and len(paths) == 8
    for f in found.files:
        st = os.stat(f.path)
        assert (f.size, f.mtime_ns, f.ctime_ns, f.dev, f.ino) == (st.st_size, st.st_mtime_ns, st.st_ctime_ns,
                                                                  st.st_dev, st.st_ino)
    # Each listed folder's files are one run, in name order.
    for folder, start, stop in found.runs:
        assert all(os.path.dirname(p) == folder for p in found.paths[start:stop])
        assert found.names[start:stop] == sorted(found.names[start:stop])
