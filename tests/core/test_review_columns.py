"""A review's records and fingerprints as written by the store: whole columns at once give the bytes a record at a time
gives, and only the algorithms the review loaded are written (the others are zeros, read from the cache)."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import numpy as np

from dupeview.core.fingerprint import ALGORITHMS, N_TRANSFORMS
from dupeview.core.record_table import RecordTable
from dupeview.core.records import ImageRecord, empty_hashes
from dupeview.core.review import ReviewFolder, ReviewState, ScanSnapshot
from dupeview.core.review_columns import decode_records, encode_records
from dupeview.core.review_store import ReviewStore, read_review_file, write_review_file


def _records() -> list[ImageRecord]:
    odd = os.fsdecode(b"/photos/caf\xe9.jpg")   # not UTF-8: a surrogate escape in the str
    return [
        ImageRecord("/photos/a.jpg", 10, 1, 2, 3, 4, bytes(range(16)), 64, 48, "JPEG", None, None, 0.5),
        ImageRecord(odd, 11, 5, 6, 7, 2**63 + 9, bytes(range(1, 17)), 32, 24, "PNG", "2020:01:01", "Cam", 0.25),
        ImageRecord("/photos/ü/b.jpg", 2**40, -1, 2**62, 0, 1, bytes(16), 1, 1, "JPEG", "x", None, 1.0),
    ]


def test_columns_of_a_table_are_the_bytes_of_its_records_one_by_one() -> None:
    records = _records()
    table = RecordTable.from_records(records)
    assert table.ino.dtype == np.uint64   # an inode past 2**63: the column's JSON fallback
    columns = list(encode_records(table))
    assert columns == list(encode_records(list(records)))
    assert list(decode_records({name: (kind, data) for name, kind, data in columns}, len(records))) == records


def test_the_store_writes_the_loaded_algorithms_only_and_reads_the_rest_as_pending(tmp_path: Path) -> None:
    records = _records()
    n = len(records)
    hashes = empty_hashes(n)
    rng = np.random.default_rng(3)
    loaded = ("phash", "dhash")
    for a in loaded:
        hashes[:, ALGORITHMS.index(a), :] = rng.integers(0, 2**63, size=(n, N_TRANSFORMS), dtype=np.uint64)
    pending = frozenset(ALGORITHMS) - set(loaded)
    scan = ScanSnapshot(RecordTable.from_records(records), hashes, pending=pending)
    state = ReviewState(folders=(ReviewFolder("/photos"),), options={"threshold": 8}, scan=scan)
    file = tmp_path / "one.dupeview-review"
    write_review_file(file, state)
    with ReviewStore(tmp_path / "store.sqlite3") as store:
        store.save(state)
        back_store = store.load()
    for path in (file, tmp_path / "store.sqlite3"):
        with sqlite3.connect(path) as conn:
            blob = b"".join(d for (d,) in conn.execute("SELECT data FROM fingerprints ORDER BY part"))
        conn.close()
        assert len(blob) == n * len(loaded) * N_TRANSFORMS * 8   # no plane of zeros for the pending algorithms
    for back in (read_review_file(file), back_store):
        assert back is not None and back.scan is not None
        assert back.scan.pending == pending and list(back.scan.records) == records
        assert (back.scan.hashes == hashes).all()


def test_a_review_reads_back_as_columns_and_its_files_are_checked_a_part_at_a_time(tmp_path: Path) -> None:
    from dupeview.core import review
    from dupeview.core.review import check_files

    photos = tmp_path / "photos"
    photos.mkdir()
    records = []
    for k in range(7):
        p = photos / f"f{k}.jpg"
        p.write_bytes(bytes([k]) * (k + 1))
        st = p.stat()
        records.append(ImageRecord(str(p), st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_dev, st.st_ino,
                                   bytes([k]) * 16, 8, 8, "JPEG", None, None, 0.5))
    table = RecordTable.from_records(records)
    state = ReviewState(folders=(ReviewFolder(str(photos)),), scan=ScanSnapshot(table, empty_hashes(len(records)) + 1))
    file = tmp_path / "r.dupeview-review"
    write_review_file(file, state)
    back = read_review_file(file)
    assert back.scan is not None
    # Columns, not a record object per file (a million of them peaked at 1.75 GB when a review was restored).
    assert isinstance(back.scan.records, RecordTable) and back.scan.records == records
    assert isinstance(back.scan.to_library().records, RecordTable)
    (photos / "f3.jpg").unlink()
    (photos / "f5.jpg").write_bytes(b"changed")
    whole = check_files(records)
    parts = list(review._in_parts(back.scan.records, part=3))
    assert parts == records
    assert check_files(back.scan.records).problems == whole.problems and set(whole.problems) == {
        str(photos / "f3.jpg"), str(photos / "f5.jpg")}
    smaller = review.without_files(back, whole.stale)
    assert smaller.scan is not None and isinstance(smaller.scan.records, RecordTable)
    assert [r.path for r in smaller.scan.records] == [r.path for r in records if r.path not in whole.problems]


def test_a_review_with_fingerprints_cut_short_is_refused_as_damaged(tmp_path: Path) -> None:
    import pytest

    from dupeview.core.review_store import ReviewFileError

    records = _records()
    state = ReviewState(scan=ScanSnapshot(RecordTable.from_records(records), empty_hashes(len(records)) + 3))
    file = tmp_path / "cut.dupeview-review"
    write_review_file(file, state)
    with sqlite3.connect(file) as conn:
        conn.execute("UPDATE fingerprints SET data = substr(data, 1, 64)")
    conn.close()
    with pytest.raises(ReviewFileError, match="damaged"):
        read_review_file(file)


def _many(n: int = 3000) -> list[ImageRecord]:
    """Records as a library has them: long shared folder names, close sizes and times, one device."""
    return [ImageRecord(f"/home/someone/Pictures/2019/{k // 500:03d}/IMG_{k:05d}.jpg", 2_000_000 + 37 * k,
                        1_560_000_000_000_000_000 + 1_000_003 * k, 1_560_000_000_000_000_000 + 7 * k, 2049,
                        1_000_000 + k, bytes((k * 7 + j) % 256 for j in range(16)), 4032, 3024, "JPEG",
                        "2019:06:08 12:00:00" if k % 3 else None, "Cam X" if k % 2 else None, (k % 97) / 97)
            for k in range(n)]


def test_record_columns_are_stored_deflated_and_read_back_identical(tmp_path: Path) -> None:
    records = _many()
    hashes = empty_hashes(len(records)) + np.arange(len(records), dtype=np.uint64)[:, None, None]
    state = ReviewState(folders=(ReviewFolder("/home/someone/Pictures"),),
                        scan=ScanSnapshot(RecordTable.from_records(records), hashes))
    file = tmp_path / "r.dupeview-review"
    write_review_file(file, state)
    with sqlite3.connect(file) as conn:
        stored = {name: (kind, len(data)) for name, kind, data in conn.execute("SELECT name, kind, data FROM records")}
    conn.close()
    plain = {name: (kind, len(data)) for name, kind, data in _plain(records)}
    assert stored["path"][0] == "paths+zlib" and stored["size"][0] == "i8+zlib" and stored["dev"][0] == "i8+zlib"
    assert sum(n for _, n in stored.values()) < 0.4 * sum(n for _, n in plain.values())
    back = read_review_file(file)
    assert back.scan is not None and list(back.scan.records) == records
    assert np.array_equal(back.scan.hashes, hashes)


def _plain(records: list[ImageRecord]) -> list[tuple[str, str, bytes]]:
    from dupeview.core import review_columns
    return list(review_columns._columns(RecordTable.from_records(records)))


def test_a_review_of_unpacked_columns_still_reads(tmp_path: Path) -> None:
    records = _many(200)
    columns = {name: (kind, data) for name, kind, data in _plain(records)}
    assert not any(kind.endswith("+zlib") for kind, _ in columns.values())
    assert list(decode_records(columns, len(records))) == records


def test_a_damaged_or_oversized_deflated_column_is_refused(tmp_path: Path) -> None:
    import zlib

    import pytest

    from dupeview.core import review_columns
    from dupeview.core.review_store import ReviewFileError

    records = _many(200)
    columns = {name: (kind, data) for name, kind, data in encode_records(RecordTable.from_records(records))}
    kind, data = columns["path"]
    with pytest.raises(ValueError, match="damaged"):
        decode_records({**columns, "path": (kind, bytes(2) + data[2:])}, len(records))   # no zlib header
    with pytest.raises(ValueError, match="cut short"):
        decode_records({**columns, "path": (kind, data[: len(data) // 2])}, len(records))
    bomb = zlib.compress(bytes(review_columns.UNPACKED_PER_RECORD * 300), 9)   # far past 200 records' worth
    with pytest.raises(ValueError, match="longer than"):
        decode_records({**columns, "path": ("paths+zlib", bomb)}, len(records))
    # In a review file: one plain sentence.
    state = ReviewState(scan=ScanSnapshot(RecordTable.from_records(records), empty_hashes(len(records))))
    file = tmp_path / "bad.dupeview-review"
    write_review_file(file, state)
    with sqlite3.connect(file) as conn:
        conn.execute("UPDATE records SET data = ? WHERE name = 'path'", (bomb,))
    conn.close()
    with pytest.raises(ReviewFileError, match="damaged"):
        read_review_file(file)
