"""Settings are written on a debounce by a background thread: a slider drag never writes the file on the GUI thread."""

from __future__ import annotations

import threading
from pathlib import Path

from dupeview.settings import Settings, SettingsStore


class WatchedStore(SettingsStore):
    """The real store (a real file), remembering which thread wrote each time."""

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self.writers: list[threading.Thread] = []

    def save(self, settings: Settings) -> None:
        self.writers.append(threading.current_thread())
        super().save(settings)


def test_a_slider_move_does_not_write_the_settings_file(qtbot, tmp_path: Path):
    from dupeview.gui.main_window import MainWindow

    store = WatchedStore(tmp_path / "config" / "settings.json")
    w = MainWindow(settings_store=store, cache_path=str(tmp_path / "cache" / "c.sqlite3"),
                   action_log_path=str(tmp_path / "data" / "actions.jsonl"), workers=0)
    qtbot.addWidget(w)
    try:
        w.show()
        for stop in (5, 6, 3, 1):   # stops of the named steps; the last is "Near-identical", distance 2
            w.similarity.slider.setValue(stop)
            # Nothing on disk yet: the move only asked for a save.
            assert not store.path.exists() and store.writers == []
        qtbot.waitUntil(lambda: store.path.exists(), timeout=10_000)
        assert SettingsStore(store.path).load().threshold == 2
        # One write for the whole drag, and not by the GUI thread.
        assert len(store.writers) == 1
        assert store.writers[0] is not threading.main_thread()
    finally:
        w.shutdown()


def test_settings_pending_at_quit_are_written(qtbot, tmp_path: Path):
    from dupeview.gui.main_window import MainWindow

    store = SettingsStore(tmp_path / "settings.json")
    w = MainWindow(settings_store=store, cache_path=str(tmp_path / "cache" / "c.sqlite3"),
                   action_log_path=str(tmp_path / "data" / "actions.jsonl"), workers=0)
    qtbot.addWidget(w)
    w.similarity.set_threshold(5)   # an odd threshold (a review's, the CLI's) is kept as it is
    w.close()   # before the debounce has fired
    assert SettingsStore(store.path).load().threshold == 5


def test_a_change_after_shutdown_is_written_at_once_not_scheduled(qtbot, tmp_path) -> None:
    """The window's close saves its geometry after shutdown() stopped the writer thread: written there and then."""
    from dupeview.gui.settings_saver import SettingsSaver
    from dupeview.settings import Settings, SettingsStore

    store = SettingsStore(tmp_path / "settings.json")
    saver = SettingsSaver(store, debounce_ms=10)
    saver.shutdown()
    saver.request(Settings(threshold=5))
    assert not saver.pending and store.load().threshold == 5
    qtbot.wait(50)    # no timer left to fire into the stopped thread
