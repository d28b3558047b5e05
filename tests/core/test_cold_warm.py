"""A cold scan (decoded in worker processes) and warm rescans of its cache give the same library and groups."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps

from dupeview.core.cache import FingerprintCache
from dupeview.core.grouping import GroupOptions, Matcher, MatchOptions
from dupeview.core.record_table import RecordTable
from dupeview.core.records import Library
from dupeview.core.scanner import ScanSettings, scan
from tests.images import photo, save


def _library(root: Path) -> None:
    """Originals with layout copies (framed, cropped, a band below) and pixel copies (smaller, greyscale)."""
    for k in range(5):
        im = photo(40 + k, (320, 240))
        save(im, root / "a" / f"{k}.jpg", quality=92)
        save(ImageOps.expand(im, border=(24, 40, 24, 16), fill=(30, 30, 34)), root / "b" / f"{k}-framed.jpg", quality=88)
        save(im.crop((30, 20, 290, 220)), root / "b" / f"{k}-crop.jpg")
        band = Image.new("RGB", (320, 290), (245, 245, 245))
        band.paste(im, (0, 0))
        save(band, root / "b" / f"{k}-band.png")
        save(im.resize((160, 120)), root / "c" / f"{k}-small.jpg", quality=70)
        save(ImageOps.grayscale(im), root / "c" / f"{k}-grey.jpg")


def _scan(root: Path, db: Path, workers: int | None) -> Library:
    with FingerprintCache(db) as cache:
        return scan(ScanSettings((str(root),), workers=workers, batch_size=4), cache)


def _columns(library: Library) -> dict[str, object]:
    table = library.table
    columns: dict[str, object] = {name: getattr(table, name) for name in RecordTable.__slots__}
    columns.update(hashes=library.hashes, views=library.views, flatness=library.flatness,
                   skipped=library.skipped)
    return columns


def _groups(library: Library) -> dict[int, list[list[tuple[str, int]]]]:
    """Every threshold's groups as shown: members in order, with their distance, and the keeper first."""
    matcher = Matcher(library, MatchOptions("phash", False, 16))
    return {t: [[(library.path(m.index), m.distance) for m in g.members] for g in matcher.groups(GroupOptions(threshold=t))]
            for t in range(0, 17)}


def _assert_same(a: Library, b: Library) -> None:
    ca, cb = _columns(a), _columns(b)
    for name, x in ca.items():
        y = cb[name]
        if isinstance(x, np.ndarray):
            assert isinstance(y, np.ndarray) and x.dtype == y.dtype and x.shape == y.shape, name
            assert np.array_equal(x, y), name
        else:
            assert x == y, name
    assert _groups(a) == _groups(b)


def test_cold_and_warm_scans_give_identical_columns_and_groups(tmp_path: Path) -> None:
    root = tmp_path / "lib"
    _library(root)
    db = tmp_path / "c.sqlite3"
    cold = _scan(root, db, workers=2)
    assert (cold.hashed, len(cold), cold.skipped) == (30, 30, [])
    groups = _groups(cold)[8]
    assert len(groups) >= 3 and any(len(g) > 2 for g in groups)  # layout and pixel copies found, not a trivial set
    warm = _scan(root, db, workers=2)
    assert (warm.hashed, warm.reused) == (0, 30)
    _assert_same(cold, warm)  # from the folder packs

    # From the per-file rows (packs gone), and from decodes in this process.
    with closing(sqlite3.connect(db)) as conn, conn:
        conn.execute("DELETE FROM packs")
    rows = _scan(root, db, workers=2)
    assert (rows.hashed, rows.reused) == (0, 30)
    _assert_same(cold, rows)
    _assert_same(cold, _scan(root, tmp_path / "inproc.sqlite3", workers=0))
