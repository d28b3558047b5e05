"""Layout views and the fine check: crops, captions and frames group with their original; same-template pages do not."""

from __future__ import annotations

import os
import random
import sqlite3
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from dupeview.core import records, verify, views
from dupeview.core.cache import FingerprintCache
from dupeview.core.decode import ImageFacts, analyse
from dupeview.core.grouping import GroupOptions, Matcher, MatchOptions
from dupeview.core.scanner import Library, ScanSettings, scan
from tests.images import photo, save

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
WORDS = [
    "invoice", "total", "amount", "paid", "balance", "due", "meeting", "agenda", "results", "revenue", "growth",
    "team", "project", "budget",
]


def scan_dir(root: Path) -> Library:
    with FingerprintCache(None) as cache:
        return scan(ScanSettings((str(root),), workers=0), cache)


def grouped(library: Library, threshold: int = 8) -> list[set[str]]:
    groups = Matcher(library, MatchOptions("phash")).groups(GroupOptions(threshold=threshold))
    return [{os.path.basename(library.records[m.index].path) for m in g.members} for g in groups]


def font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    return ImageFont.truetype(FONT, size) if os.path.exists(FONT) else ImageFont.load_default(size)


def page(words_seed: int) -> Image.Image:
    """One document template; only the words change with the seed."""
    rng = random.Random(words_seed)
    im = Image.new("RGB", (850, 1100), "white")
    d = ImageDraw.Draw(im)
    d.rectangle((60, 50, 790, 54), fill=(40, 40, 120))
    d.text((60, 70), " ".join(rng.choice(WORDS) for _ in range(4)).title(), fill="black", font=font(34))
    y = 150
    for _ in range(4):
        for _ in range(6):
            d.text((60, y), " ".join(rng.choice(WORDS) for _ in range(9)), fill=(30, 30, 30), font=font(18))
            y += 28
        y += 26
    return im


def with_caption(img: Image.Image) -> Image.Image:
    w, h = img.size
    out = Image.new("RGB", (w, h + h // 4), "white")
    out.paste(img, (0, 0))
    ImageDraw.Draw(out).text((w // 20, h + h // 16), "when the weekend finally arrives", fill="black", font=font(h // 14))
    return out


def test_trim_box_removes_a_caption_bar_and_letterbox_bars() -> None:
    img = photo(3, (320, 240))
    box = views.trim_box(with_caption(img).convert("L"))
    assert box[0] == 0 and box[1] == 0 and box[2] == 320 and abs(box[3] - 240) <= 2
    boxed = Image.new("RGB", (320, 400), "black")
    boxed.paste(img, (0, 80))
    left, top, right, bottom = views.trim_box(boxed.convert("L"))
    assert (left, right) == (0, 320) and abs(top - 80) <= 1 and abs(bottom - 320) <= 1
    assert views.trim_box(img.convert("L")) == (0, 0, 320, 240)  # a photo keeps its edges


def test_views_are_stored_and_read_back(tmp_path: Path) -> None:
    path = save(photo(1, (200, 150)), tmp_path / "a.jpg")
    facts = analyse(str(path))
    assert isinstance(facts, ImageFacts)
    assert len(facts.views) == views.VIEW_BYTES and 0.0 < facts.flatness < 1.0
    db = tmp_path / "c.sqlite3"
    with FingerprintCache(db) as cache:
        cache.store([(str(path), facts)])
    with FingerprintCache(db) as cache:
        assert cache.load([str(path)])[str(path)][1] == facts


def test_a_schema_1_cache_gets_the_new_columns(tmp_path: Path) -> None:
    db = tmp_path / "old.sqlite3"
    conn = sqlite3.connect(db)
    conn.executescript("""CREATE TABLE files (path BLOB PRIMARY KEY, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL,
        ctime_ns INTEGER NOT NULL, error TEXT, digest BLOB, width INTEGER, height INTEGER, format TEXT, taken TEXT,
        camera TEXT, contrast REAL, hashes BLOB, pipeline INTEGER NOT NULL) WITHOUT ROWID;
        INSERT INTO files VALUES (x'2f78', 1, 2, 3, NULL, x'00', 1, 1, 'JPEG', NULL, NULL, 9.0, x'00', 5);
        PRAGMA user_version = 1;""")
    conn.close()
    path = save(photo(2, (120, 90)), tmp_path / "b.jpg")
    facts = analyse(str(path))
    assert isinstance(facts, ImageFacts)
    with FingerprintCache(db) as cache:
        assert cache.warnings == []
        cache.store([(str(path), facts)])
        assert cache.load([str(path), "/x"]) == {str(path): ((facts.size, facts.mtime_ns, facts.ctime_ns), facts)}


def test_layout_copies_group_with_their_original(tmp_path: Path) -> None:
    lib = tmp_path / "lib"
    originals = {k: photo(10 + k, (480, 320)) for k in range(5)}
    for k, img in originals.items():
        save(img, lib / f"o{k}.jpg", quality=92)
    w, h = 480, 320
    save(originals[0].crop(((w - h) // 2, 0, (w + h) // 2, h)), lib / "o0-square.jpg", quality=90)
    save(with_caption(originals[1]), lib / "o1-caption.jpg", quality=90)
    save(originals[2].crop((24, 16, w - 24, h - 16)), lib / "o2-border.jpg", quality=90)
    boxed = Image.new("RGB", (w, 480), "black")
    boxed.paste(originals[3], (0, 80))
    save(boxed, lib / "o3-letterbox.jpg", quality=90)
    groups = grouped(scan_dir(lib))
    for k, kind in enumerate(("square", "caption", "border", "letterbox")):
        assert {f"o{k}.jpg", f"o{k}-{kind}.jpg"} in groups, (kind, groups)
    assert not any("o4.jpg" in g for g in groups)


def test_pages_of_one_template_are_not_grouped_but_their_copies_are(tmp_path: Path) -> None:
    if not os.path.exists(FONT):
        pytest.skip("DejaVu fonts are not installed: the pages would be drawn in Pillow's bitmap font")
    lib = tmp_path / "pages"
    for k in range(4):
        save(page(k), lib / f"page{k}.png")
    copy = page(0).resize((640, 828), Image.Resampling.LANCZOS)
    save(copy, lib / "page0-copy.jpg", quality=70)
    library = scan_dir(lib)
    # Without the fine check these pages are within the default threshold of each other.
    codes = library.codes("phash")[:, 0]
    assert min(int(np.bitwise_count(codes[a] ^ codes[b])) for a in range(1, 5) for b in range(a + 1, 5)) <= 8
    assert grouped(library) == [{"page0.png", "page0-copy.jpg"}]


def test_a_library_without_views_still_groups_as_before(tmp_path: Path) -> None:
    lib = tmp_path / "lib"
    img = photo(5, (320, 240))
    save(img, lib / "a.jpg", quality=95)
    save(img.resize((160, 120)), lib / "b.jpg", quality=80)
    full = scan_dir(lib)
    bare = Library(records=full.records, hashes=full.hashes)  # e.g. made by code that knows no views
    assert grouped(bare) == grouped(full) == [{"a.jpg", "b.jpg"}]


def test_library_operations_keep_the_views(tmp_path: Path) -> None:
    lib = tmp_path / "lib"
    img = photo(6, (480, 320))
    save(img, lib / "a.jpg", quality=92)
    save(img.crop((80, 0, 400, 320)), lib / "a-square.jpg", quality=90)
    save(photo(7, (480, 320)), lib / "gone.jpg", quality=90)
    full = scan_dir(lib)
    gone = {str(lib / "gone.jpg")}
    left = records.without_paths(full, gone)
    aside = records.only_paths(full, gone)
    back = records.with_records(left, aside, gone)
    for library in (left, aside, back, records.merge(left, aside)):
        assert library.has_views() and len(library.views) == len(library)
    assert grouped(left) == grouped(back) == [{"a.jpg", "a-square.jpg"}]


def test_similarity_is_a_percent_with_odd_steps_and_in_the_json(tmp_path: Path) -> None:
    import json

    from dupeview.core.report import group_dicts
    lib = tmp_path / "lib"
    img = photo(8, (480, 320))
    save(img, lib / "a.jpg", quality=95)
    save(img.resize((240, 160)), lib / "b.jpg", quality=60)
    save(img.crop((80, 0, 400, 320)), lib / "c.jpg", quality=90)
    library = scan_dir(lib)
    groups = Matcher(library, MatchOptions("phash")).groups(GroupOptions())
    [members] = [g["members"] for g in json.loads(json.dumps(group_dicts(library, groups)))]
    scores = [m["similarity"] for m in members]
    assert scores[0] == 100 and all(50 <= s < 100 for s in scores[1:]) and "distance" in members[0]
    lay = verify.layout(library.codes("phash")[:, 0], library.views, library.flatness)
    assert lay is not None and verify.step_percent(8) == 75 and verify.step_percent(40) == 0
    # The fine scale has odd steps (the 64-bit pHash distance is always even).
    every = verify.similarity(lay, library.codes("phash")[:, 0], np.array([0, 0, 1]), np.array([1, 2, 2]))
    assert len(set(every.tolist()) | {int(s) for s in scores}) >= 3
