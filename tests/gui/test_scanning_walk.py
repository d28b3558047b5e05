"""The scanning page during a long walk of the folders: images found so far and the folder being listed."""

from __future__ import annotations

from pathlib import Path

import pytest

from dupeview.core import discovery
from dupeview.core.discovery import discover
from dupeview.core.progress import Progress
from dupeview.gui.pages import ScanningPage
from tests.images import photo, save


def test_a_long_walk_shows_how_many_images_were_found_and_where(qtbot, tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    img = photo(5, (32, 24))
    for k in range(1001):
        save(img, tmp_path / "lib" / ("a" if k < 1000 else "b") / f"{k}.jpg", "JPEG")
    monkeypatch.setattr(discovery, "REPORT_EVERY", 0.0)
    reports: list[Progress] = []
    discover([str(tmp_path / "lib")], progress=reports.append)
    page = ScanningPage()
    qtbot.addWidget(page)
    page.resize(700, 400)
    page.show()
    page.reset()
    assert page.title.text() == "Looking for images…" and page.text.text() == ""
    page.show_progress(reports[-1])   # about to list folder b, 1,000 images found in a
    assert page.title.text() == "Looking for images…"
    assert page.text.text() == "1,000 images found so far"
    assert page.file.text().endswith("b") and "lib" in page.file.text()
    page.show_progress(Progress("discover", 1, 0, elapsed=1.0, message=str(tmp_path)))
    assert page.text.text() == "1 image found so far"
    # Reading starts: the walk's lines give way to the files' progress.
    page.show_progress(Progress("hash", 3, 1001, elapsed=0.5))
    assert page.title.text() == "Reading images…" and page.text.text().startswith("3 of 1,001 files")
