"""Exports of a review: CSV and JSON rows follow the marks, the HTML page is self-contained with real thumbnails."""

from __future__ import annotations

import base64
import csv
import io
import json
import os
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from PIL import Image

from dupeview.core.export import THUMB_SIZE, thumbnail_jpeg, to_csv, to_html, to_json, write_text
from dupeview.core.grouping import GroupOptions, Matcher
from dupeview.core.locations import Location, locate, root_names
from tests.core.test_review import make_photos, scan_roots


@pytest.fixture
def review(tmp_path: Path):
    root = make_photos(tmp_path / "photos")
    roots = (str(root / "Pictures"), str(root / "Backup 2019"))
    library = scan_roots(*(Path(r) for r in roots))
    groups = Matcher(library).groups(GroupOptions())
    assert len(groups) == 3
    # The user's marks differ from the suggestions: in the first group the keeper is marked instead.
    marks = {library.records[m.index].path for g in groups[1:] for m in g.members if m.suggested}
    first = groups[0]
    marks.add(library.records[first.keeper.index].path)
    return library, groups, frozenset(marks), roots


def test_csv_rows_follow_the_marks_and_say_where_each_copy_lives(review) -> None:
    library, groups, marks, roots = review
    rows = list(csv.DictReader(io.StringIO(to_csv(library, groups, marks, roots))))
    assert len(rows) == sum(len(g.members) for g in groups)
    for row in rows:
        assert row["marked"] == str(row["path"] in marks)
        assert row["keep"] == str(row["path"] not in marks)
        name = "Backup 2019" if "/Backup 2019/" in row["path"] else "Pictures"
        assert row["location"] == f"{name} › {os.path.basename(row['path'])}"
    keeper_rows = [r for r in rows if r["group"] == "1" and r["keeper"] == "True"]
    assert keeper_rows[0]["marked"] == "True" and keeper_rows[0]["suggested"] == "False"


def test_json_keeps_the_scan_schema(review) -> None:
    library, groups, marks, roots = review
    doc = json.loads(to_json(library, groups, marks, {"algorithm": "phash", "threshold": 8}, roots))
    assert doc["schema"] == 1 and set(doc) >= {"settings", "summary", "groups", "skipped", "warnings"}
    assert doc["summary"]["groups"] == 3 and doc["summary"]["marked"] == len(marks)
    readme_fields = {"path", "keep", "keeper", "distance", "identical", "reference", "hardlink", "size", "width",
                     "height", "format", "taken", "camera", "modified"}
    members = [m for g in doc["groups"] for m in g["members"]]
    assert all(readme_fields <= set(m) for m in members)
    assert {m["path"] for m in members if not m["keep"]} == marks
    assert doc["summary"]["marked_bytes"] == sum(m["size"] for m in members if m["path"] in marks)


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.images: list[str] = []
        self.sections = 0
        self.rows = 0
        self.external: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "img":
            self.images.append(a["src"] or "")
        if tag == "section":
            self.sections += 1
        if tag == "td" and a.get("class") == "thumb":
            self.rows += 1
        for key in ("src", "href"):
            if a.get(key) and not (a[key] or "").startswith("data:"):
                self.external.append(a[key] or "")
        if tag in ("link", "script", "iframe"):
            self.external.append(tag)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_html_page_is_self_contained_with_a_real_thumbnail_per_copy(review, tmp_path: Path) -> None:
    library, groups, marks, roots = review
    broken = Path(library.records[groups[2].members[-1].index].path)
    broken.write_bytes(broken.read_bytes()[:200])   # truncated after the scan: the page says "no preview"
    page = to_html(library, groups, marks, roots, title="Pictures <and> backup")
    parser = _Page()
    parser.feed(page)
    assert parser.external == []
    assert parser.sections == 3 and parser.rows == sum(len(g.members) for g in groups)
    assert len(parser.images) == parser.rows - 1
    for src in parser.images:
        prefix = "data:image/jpeg;base64,"
        assert src.startswith(prefix)
        with Image.open(io.BytesIO(base64.b64decode(src[len(prefix):]))) as im:
            assert im.format == "JPEG" and max(im.size) <= THUMB_SIZE and min(im.size) > 0
    text = " ".join(parser.text)
    assert "Pictures <and> backup" in text          # escaped in the source, shown as typed
    assert "no preview" in text
    assert text.count("Remove") == len(marks)
    assert "Backup 2019" in text and "›" in text


def test_html_page_renders_in_headless_chromium(review, tmp_path: Path) -> None:
    browser = shutil.which("chromium-headless-shell") or shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None and os.path.exists("/usr/lib/chromium/chromium-headless-shell"):
        browser = "/usr/lib/chromium/chromium-headless-shell"
    if browser is None:
        pytest.skip("no headless Chromium on this machine")
    library, groups, marks, roots = review
    page = tmp_path / "review.html"
    write_text(page, to_html(library, groups, marks, roots))
    run = subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--dump-dom", page.as_uri()],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr[-2000:]
    dom = _Page()
    dom.feed(run.stdout)
    assert dom.sections == 3 and len(dom.images) == sum(len(g.members) for g in groups)


def test_thumbnail_of_something_that_is_not_an_image_is_none(tmp_path: Path) -> None:
    text = tmp_path / "notes.jpg"
    text.write_text("not a picture")
    assert thumbnail_jpeg(str(text)) is None
    assert thumbnail_jpeg(str(tmp_path / "missing.jpg")) is None


def test_write_text_replaces_whole_or_not_at_all(tmp_path: Path) -> None:
    out = tmp_path / "export.csv"
    write_text(out, "first\n")
    assert out.read_text() == "first\n"
    with pytest.raises(UnicodeEncodeError):
        write_text(out, "half" + "\udcff")       # can't be written as UTF-8
    assert out.read_text() == "first\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["export.csv"]
    mode = out.stat().st_mode & 0o777
    umask = os.umask(0)
    os.umask(umask)
    assert mode == 0o666 & ~umask


def test_locations_name_the_root_and_the_path_inside_it() -> None:
    roots = ["/home/me/Pictures", "/mnt/nas/Backup 2019", "/mnt/old/Pictures", "/home/me/Pictures/Phone"]
    names = root_names(roots)
    assert names["/mnt/nas/Backup 2019"] == "Backup 2019"
    assert names["/home/me/Pictures"] == "me/Pictures" and names["/mnt/old/Pictures"] == "old/Pictures"
    assert names["/home/me/Pictures/Phone"] == "Phone"
    assert locate("/mnt/nas/Backup 2019/2019/07/IMG_0001.jpg", roots) == Location("Backup 2019", "2019/07/IMG_0001.jpg")
    assert str(locate("/mnt/nas/Backup 2019/2019/07/IMG_0001.jpg", roots)) == "Backup 2019 › 2019/07/IMG_0001.jpg"
    assert locate("/home/me/Pictures/Phone/a.jpg", roots) == Location("Phone", "a.jpg")   # the deepest root
    assert locate("/home/me/Pictures2/a.jpg", roots) == Location("", "/home/me/Pictures2/a.jpg")
    assert root_names(["/"]) == {"/": "/"}
    assert locate("/etc/x.jpg", ["/"]) == Location("/", "etc/x.jpg")


def test_every_export_and_report_gives_each_members_similarity(review) -> None:
    from dupeview.core import report

    library, groups, marks, roots = review
    expected = {library.records[m.index].path: s for g in groups for m, s in zip(g.members, report.similarities(library, g),
                                                                                   strict=True)}
    assert any(s < 100 for s in expected.values()) and all(0 <= s <= 100 for s in expected.values())
    keepers = {library.records[g.keeper.index].path for g in groups}
    assert all(expected[p] == 100 for p in keepers)
    for text in (to_csv(library, groups, marks, roots), report.to_csv(library, groups)):
        rows = [r for r in csv.DictReader(io.StringIO(text)) if r["group"]]
        assert {r["path"]: int(r["similarity"]) for r in rows} == expected
    doc = json.loads(to_json(library, groups, marks, {}, roots))
    assert {m["path"]: m["similarity"] for g in doc["groups"] for m in g["members"]} == expected
    page = to_html(library, groups, marks, roots, thumbnails=False)
    assert "<th>Similarity</th>" in page and all(f">{s} %<" in page for s in expected.values())
    text = report.to_text(library, groups, 1.0)
    for path, s in expected.items():
        [line] = [line for line in text.splitlines() if line.endswith(path) or f"{path} [" in line]
        assert f" {s:>3}% " in line
