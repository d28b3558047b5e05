"""Discovery says how far it got on a long walk (a NAS share, a million files), and nothing on a quick one."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from dupeview.core import discovery
from dupeview.core.cache import FingerprintCache
from dupeview.core.discovery import discover
from dupeview.core.progress import Progress
from dupeview.core.scanner import ScanSettings, scan
from tests.images import photo, save


def library(root: Path, folders: int = 4, per_folder: int = 3) -> Path:
    img = photo(3, (32, 24))
    for f in range(folders):
        for k in range(per_folder):
            save(img, root / f"f{f}" / f"{k}.jpg", "JPEG")
    return root


def test_a_long_walk_reports_the_images_found_so_far_and_the_folder_being_listed(tmp_path: Path,
                                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    root = library(tmp_path / "lib")
    # As if every folder took longer than REPORT_EVERY to list: each one is reported before it is listed.
    monkeypatch.setattr(discovery, "REPORT_EVERY", 0.0)
    reports: list[Progress] = []
    found = discover([str(root)], progress=reports.append)
    assert len(found.files) == 12
    assert all(p.phase == "discover" and p.total == 0 and p.elapsed > 0 for p in reports)
    # The root, then its four folders in walk order, each with the images listed before it.
    assert [os.path.relpath(p.message, root) for p in reports] == [".", "f0", "f1", "f2", "f3"]
    assert [p.done for p in reports] == [0, 0, 3, 6, 9]


def test_a_quick_walk_says_nothing(tmp_path: Path) -> None:
    root = library(tmp_path / "lib")
    reports: list[Progress] = []
    discover([str(root)], progress=reports.append)
    assert reports == []   # done well within REPORT_EVERY (0.5 s)


def test_a_scan_passes_the_walks_reports_on(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = library(tmp_path / "lib", folders=2)
    monkeypatch.setattr(discovery, "REPORT_EVERY", 0.0)
    reports: list[Progress] = []
    with FingerprintCache(str(tmp_path / "cache.sqlite3")) as cache:
        result = scan(ScanSettings(roots=(str(root),), workers=0), cache, progress=reports.append)
    assert len(result) == 6
    walking = [p for p in reports if p.phase == "discover" and p.elapsed > 0]
    assert [os.path.relpath(p.message, root) for p in walking] == [".", "f0", "f1"]
    assert [p.done for p in walking] == [0, 0, 3]
