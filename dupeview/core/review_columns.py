"""Image records as a few column blobs: 100k records are written and read back in a fraction of row-by-row time."""

from __future__ import annotations

import json
import os
import sqlite3
import sys
import zlib
from collections.abc import Iterator, Sequence
from typing import Any, Final, cast

import numpy as np
from numpy.typing import NDArray

from dupeview.core.record_table import IntColumn, RecordTable, int_column
from dupeview.core.records import ImageRecord

# Column kinds: little-endian int64 (or JSON when a value does not fit, e.g. an inode past 2**63),
# float64, NUL-separated paths (a path can't hold NUL), lengths + concatenated bytes, JSON text.
INTS: Final = ("size", "mtime_ns", "ctime_ns", "dev", "ino", "width", "height")
TEXTS: Final = ("format", "taken", "camera")
OPTIONAL_TEXTS: Final = ("taken", "camera")

Column = tuple[str, str, bytes]   # name, kind, data


def _ints(name: str, values: list[int] | np.ndarray[Any, Any]) -> Column:
    if isinstance(values, np.ndarray):
        # A column as it is: no Python int per file. uint64 past int64 (some inode numbers) goes as JSON.
        if values.dtype.kind != "u" or len(values) == 0 or int(values.max()) < 2**63:
            return name, "i8", values.astype("<i8").tobytes()
        values = values.tolist()
    try:
        return name, "i8", np.array(values, dtype="<i8").tobytes()
    except OverflowError:
        return name, "json", json.dumps(values).encode()


def _field(records: Sequence[ImageRecord], name: str) -> list[Any] | np.ndarray[Any, Any]:
    """One field of every record; a RecordTable's column as it is, without making a record per file."""
    if isinstance(records, RecordTable):
        column = getattr(records, "paths" if name == "path" else name)
        return column if isinstance(column, (np.ndarray, list)) else list(column)
    return [getattr(r, name) for r in records]


def _digests(records: Sequence[ImageRecord]) -> bytes:
    """The digests' lengths (int64 each), then their bytes one after another."""
    if isinstance(records, RecordTable) and isinstance(records.digest, np.ndarray):
        table = np.ascontiguousarray(records.digest)   # (N, length): every digest one length
        return np.full(len(table), table.shape[1], dtype="<i8").tobytes() + table.tobytes()
    digests = records.digest_list() if isinstance(records, RecordTable) else [r.digest for r in records]
    return np.array([len(d) for d in digests], dtype="<i8").tobytes() + b"".join(digests)


# Columns of at least this many bytes are stored deflated (zlib level 1, about 10 ms per 100k files and column)
# when that saves a tenth: paths, sizes, times, devices, inodes, sizes and texts of 1M generated files went from
# 141 to 34 bytes a file. The fingerprints and views are random bits: they stay as they are.
PACK_FROM: Final = 4096
PACKED: Final = "+zlib"
# A deflated column may not unpack past this many bytes a record (a longest path is 4 KiB), so a damaged or
# hostile review file cannot make the reader allocate without bound.
UNPACKED_PER_RECORD: Final = 8192


def _packed(column: Column) -> Column:
    name, kind, data = column
    if len(data) >= PACK_FROM:
        small = zlib.compress(data, 1)
        if len(small) <= 0.9 * len(data):
            return name, kind + PACKED, small
    return column


def _unpacked(kind: str, data: bytes, n: int) -> tuple[str, bytes]:
    if not kind.endswith(PACKED):
        return kind, data
    inflate = zlib.decompressobj()
    try:
        out = inflate.decompress(data, UNPACKED_PER_RECORD * n + PACK_FROM)
    except zlib.error as exc:
        raise ValueError(f"a deflated column is damaged: {exc}") from exc
    if inflate.unconsumed_tail or not inflate.eof:
        raise ValueError("a deflated column is longer than its records allow, or cut short")
    return kind[: -len(PACKED)], out


def encode_records(records: Sequence[ImageRecord]) -> Iterator[Column]:
    """The columns, one at a time (deflated where that pays): the caller writes each before the next is made."""
    return map(_packed, _columns(records))


def _columns(records: Sequence[ImageRecord]) -> Iterator[Column]:
    # Runs on the review's saving thread, holding the GIL beside the window: whole columns in one C call
    # each (at a million files a per-path encode and a Python int per value took 1.6 s and 140 MB).
    # Encoding the joined text is encoding each path and joining (UTF-8 and its escapes work per character).
    yield "path", "paths", os.fsencode("\0".join(_field(records, "path")))
    for name in INTS:
        yield _ints(name, _field(records, name))
    yield "digest", "bytes", _digests(records)
    for name in TEXTS:
        yield name, "json", json.dumps(_field(records, name), ensure_ascii=True).encode()
    yield "contrast", "f8", np.asarray(_field(records, "contrast"), dtype="<f8").tobytes()


def _decode_ints(kind: str, data: bytes, n: int) -> IntColumn | list[int]:
    """A column of integers as an array (int64, or uint64 for values past 2**63 as the scan keeps them); a list
    when neither holds them all (-2**63 beside 2**63: records written one by one can have that)."""
    if kind == "i8":
        if len(data) != 8 * n:
            raise ValueError("an integer column has the wrong length")
        return np.frombuffer(data, dtype="<i8").astype(np.int64)
    if kind == "json":
        loaded = json.loads(data)
        if not isinstance(loaded, list) or len(loaded) != n or not all(type(v) is int for v in loaded):
            raise ValueError("an integer column is not a list of integers")
        try:
            return int_column(loaded)
        except OverflowError:
            return loaded
    raise ValueError(f"unknown column kind {kind!r}")


def _decode_digests(data: bytes, n: int) -> NDArray[np.uint8] | list[bytes]:
    if len(data) < 8 * n:
        raise ValueError("digest column")
    lengths = np.frombuffer(data[: 8 * n], dtype="<i8")
    if (lengths < 0).any() or int(lengths.sum()) != len(data) - 8 * n:
        raise ValueError("the digest column does not add up")
    if n and (lengths == lengths[0]).all() and lengths[0] > 0:   # every digest one length: an (N, length) array
        return np.frombuffer(data, dtype=np.uint8, offset=8 * n).reshape(n, int(lengths[0])).copy()
    ends = (8 * n + np.cumsum(lengths)).tolist()
    starts = [8 * n, *ends[:-1]]
    return [data[a:b] for a, b in zip(starts, ends, strict=True)]


def _decode_texts(data: bytes, n: int, optional: bool) -> list[str | None]:
    loaded = json.loads(data)
    allowed: tuple[type, ...] = (str, type(None)) if optional else (str,)
    if not isinstance(loaded, list) or len(loaded) != n or not all(isinstance(v, allowed) for v in loaded):
        raise ValueError("not a list of text")
    # One object per distinct text ("JPEG" a million times is one string, as a scan holds it).
    shared: dict[str, str] = {}
    return [v if v is None else shared.setdefault(v, v) for v in loaded]


def decode_records(columns: dict[str, tuple[str, bytes]], n: int) -> RecordTable | tuple[ImageRecord, ...]:
    """The records back, as columns (no record object per file: a million of them were 1 GB at the peak);
    ValueError/KeyError when a column is missing, short or of the wrong type."""
    if n == 0:
        return RecordTable.from_records(())
    columns = {name: _unpacked(kind, data, n) for name, (kind, data) in columns.items()}
    kind, data = columns["path"]
    if kind != "paths":
        raise ValueError("paths column")
    # One decode of the whole column, then a split: not a bytes object per path on the way.
    paths = data.decode(sys.getfilesystemencoding(), sys.getfilesystemencodeerrors()).split("\0")
    if len(paths) != n:
        raise ValueError("the paths column has the wrong length")
    ints = {name: _decode_ints(*columns[name], n) for name in INTS}
    kind, data = columns["digest"]
    if kind != "bytes":
        raise ValueError("digest column")
    digest = _decode_digests(data, n)
    texts: dict[str, list[str | None]] = {}
    for name in TEXTS:
        kind, data = columns[name]
        if kind != "json":
            raise ValueError(f"the {name} column is not a list of text")
        try:
            texts[name] = _decode_texts(data, n, name in OPTIONAL_TEXTS)
        except ValueError as exc:
            raise ValueError(f"the {name} column is not a list of text") from exc
    kind, data = columns["contrast"]
    if kind != "f8" or len(data) != 8 * n:
        raise ValueError("contrast column")
    contrast = np.frombuffer(data, dtype="<f8").astype(np.float64)
    if any(isinstance(v, list) for v in ints.values()):   # no column type holds these: records, one by one
        lists = {k: v if isinstance(v, list) else v.tolist() for k, v in ints.items()}
        digests = [row.tobytes() for row in digest] if isinstance(digest, np.ndarray) else digest
        return tuple(map(ImageRecord._make, zip(
            paths, lists["size"], lists["mtime_ns"], lists["ctime_ns"], lists["dev"], lists["ino"], digests,
            lists["width"], lists["height"], texts["format"], texts["taken"], texts["camera"], contrast.tolist(),
            strict=True)))
    formats = cast(list[str], texts["format"])
    arrays = cast(dict[str, IntColumn], ints)
    width, height = (np.asarray(arrays[f], dtype=np.int64) for f in ("width", "height"))
    return RecordTable(paths, {f: arrays[f] for f in ("size", "mtime_ns", "ctime_ns", "dev", "ino")}, digest,
                       width, height, formats, texts["taken"], texts["camera"], contrast)


def read_parts(conn: sqlite3.Connection, query: str, count: int, incomplete: str, dtype: str = "<u8") -> NDArray[Any]:
    """The blobs of a query, one after another, as `count` values: each part copied into place as it is read
    (joining them first held the views of a million files three times over, 860 MB)."""
    out = np.empty(count, dtype=np.float64 if dtype == "<f8" else np.uint64)
    filled = 0
    for (data,) in conn.execute(query):
        part = np.frombuffer(data, dtype=dtype)
        if filled + len(part) > count:
            raise ValueError(incomplete)
        out[filled:filled + len(part)] = part
        filled += len(part)
    if filled != count:
        raise ValueError(incomplete)
    return out
