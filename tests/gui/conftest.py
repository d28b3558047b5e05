"""Fixtures for the GUI tests: photo folders made with Pillow, and a main window on isolated files."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from PIL import Image

from tests.images import photo, save

SIZE = (128, 96)
# The offscreen platform plugin (tests run without a display) cannot pass size hints to a
# window system it does not have, and says so. That is the plugin's limit, not the app's:
# every other Qt warning still fails a test.
OFFSCREEN_NOISE = r"This plugin does not support propagateSizeHints\(\)"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/gui/" in item.nodeid.replace(os.sep, "/"):
            item.add_marker(pytest.mark.qt_log_ignore(OFFSCREEN_NOISE))


@dataclass
class PhotoSet:
    """Pictures with copies (a PNG copy, a half-size JPEG), one slightly rotated edit, one unrelated picture."""

    root: Path
    groups: list[list[Path]] = field(default_factory=list)
    singles: list[Path] = field(default_factory=list)
    edited: Path | None = None

    @property
    def all_files(self) -> list[Path]:
        return [p for g in self.groups for p in g] + self.singles + ([self.edited] if self.edited else [])


def make_photos(root: Path, n_groups: int = 3, seed: int = 0) -> PhotoSet:
    out = PhotoSet(root)
    for k in range(n_groups):
        img = photo(seed + k, SIZE)
        original = save(img, root / "camera" / f"img_{k}.jpg", quality=95)
        copy = save(img, root / "backup" / f"img_{k}_copy.png")
        small = save(img.resize((SIZE[0] // 2, SIZE[1] // 2)), root / "web" / f"img_{k}_small.jpg", quality=80)
        out.groups.append([original, copy, small])
    # Turned by 3 degrees: similar (about distance 8 for seed 0) but not identical.
    out.edited = save(photo(seed, SIZE).rotate(3, resample=Image.Resampling.BICUBIC), root / "edits" / "img_0_rot3.jpg",
                      quality=70)
    out.singles.append(save(photo(seed + 1000, SIZE), root / "camera" / "other.jpg", quality=90))
    return out


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(autouse=True)
def _stop_dialog_watchers() -> Iterator[None]:
    yield
    from tests.gui.dialogs import stop_all

    stop_all()


@pytest.fixture
def photos(tmp_path: Path) -> PhotoSet:
    return make_photos(tmp_path / "photos")


@pytest.fixture
def window_factory(qtbot, tmp_path: Path) -> Iterator:
    """Builds main windows on this test's own settings, cache and action log; shuts them down after."""
    from dupeview.gui.main_window import MainWindow
    from dupeview.settings import SettingsStore

    made = []

    def make(folders: list[Path] = (), workers: int | None = 0, **kw: object) -> MainWindow:
        w = MainWindow(settings_store=SettingsStore(tmp_path / "config" / "settings.json"),
                       cache_path=str(tmp_path / "cache" / "fingerprints.sqlite3"),
                       action_log_path=str(tmp_path / "data" / "actions.jsonl"),
                       workers=workers, folders=[str(f) for f in folders], **kw)
        qtbot.addWidget(w)
        made.append(w)
        return w

    yield make
    for w in made:
        w.shutdown()


@pytest.fixture
def scanned(qtbot, window_factory, photos):
    """A window that has scanned `photos` (in-process decode: fast and deterministic)."""
    w = window_factory([photos.root])
    w.show()
    with qtbot.waitSignal(w.controller.finished, timeout=30_000):
        w.start_scan()
    return w
