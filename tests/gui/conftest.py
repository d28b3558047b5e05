"""Fixtures for the GUI tests: photo folders made with Pillow, and a main window on isolated files."""

from __future__ import annotations

import contextlib
import hashlib
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.images import PhotoSet, make_photos

# The offscreen platform plugin (tests run without a display) cannot pass size hints to a
# window system it does not have, and says so. That is the plugin's limit, not the app's:
# every other Qt warning still fails a test.
OFFSCREEN_NOISE = r"This plugin does not support propagateSizeHints\(\)"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/gui/" in item.nodeid.replace(os.sep, "/"):
            item.add_marker(pytest.mark.qt_log_ignore(OFFSCREEN_NOISE))


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


@contextlib.contextmanager
def waiting(qtbot, event, timeout: int = 30_000) -> Iterator[list]:
    """Wait, after the block, until a Session event has been emitted; yields the values it carried."""
    seen: list = []
    event.connect(seen.append)
    try:
        yield seen
        qtbot.waitUntil(lambda: bool(seen), timeout=timeout)
    finally:
        event.disconnect(seen.append)


def settled(qtbot, w, timeout: int = 30_000) -> None:
    """Wait until the window's Session has no job left (regroups included), and what it left for the next turn
    of the event loop (the cards of the first group after a scan) is done."""
    qtbot.waitUntil(lambda: w.runner.idle, timeout=timeout)
    qtbot.wait(1)


def scanned_at(qtbot, w, threshold: int) -> None:
    """Show the window, set the slider to `threshold`, then scan its folders and wait for all that follows."""
    w.show()
    w.similarity.set_threshold(threshold)
    settled(qtbot, w)
    with waiting(qtbot, w.session.events.scanned):
        w.start_scan()
    settled(qtbot, w)


@pytest.fixture
def scanned(qtbot, window_factory, photos):
    """A window that has scanned `photos` (in-process decode: fast and deterministic)."""
    w = window_factory([photos.root])
    w.show()
    with waiting(qtbot, w.session.events.scanned):
        w.start_scan()
    settled(qtbot, w)
    return w
