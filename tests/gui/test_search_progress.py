"""A looser slider's search further, on a real window: a notice with Stop while it runs (a minute at a million
files), Stop puts the slider back to the loosest step searched, and a quick search shows no notice at all."""

from __future__ import annotations

import threading

from PySide6.QtCore import Qt

from dupeview.core import session_match
from dupeview.core.jobs import Job
from dupeview.gui import similarity
from tests.gui.conftest import scanned_at, settled


def _scanned_strict(qtbot, window_factory, photos, monkeypatch):
    monkeypatch.setattr(session_match, "UPFRONT_FILES", 0)   # as for a library of a million files
    w = window_factory([photos.root])
    scanned_at(qtbot, w, 0)
    assert w.session.matcher.searched == 0
    return w


def _hold_the_worker(w) -> threading.Event:
    """A job that keeps the worker busy until the event is set: the next search waits behind it, as a long one runs."""
    release = threading.Event()
    w.runner(Job("hold", lambda _r, _c: release.wait(20), lambda _: None, lambda _e: None))
    return release


def test_a_long_search_further_shows_a_notice_and_stop_puts_the_slider_back(qtbot, window_factory, photos,
                                                                              monkeypatch):
    w = _scanned_strict(qtbot, window_factory, photos, monkeypatch)
    notice = w.results.searching
    release = _hold_the_worker(w)
    try:
        w.similarity.slider.setValue(w.similarity.slider.maximum())   # the loosest step: a search to 12
        assert notice.running and not notice.isVisible()               # not at once: a quick one shows nothing
        qtbot.waitUntil(notice.isVisible, timeout=5_000)
        assert "Looking for less similar copies" in notice.label.text()
        assert w.session.matcher.searched == 0   # the window shows the groups it had meanwhile
        qtbot.mouseClick(notice.stop_button, Qt.MouseButton.LeftButton)
    finally:
        release.set()
    settled(qtbot, w)
    assert not notice.isVisible() and not notice.running
    assert w.similarity.threshold == 0 and w.similarity.slider.value() == similarity.step_of(0)
    assert w.session.options.threshold == 0 and w.session.matcher.searched == 0
    assert w.session.row_of(str(photos.edited)) is None   # still the strict groups


def test_a_quick_search_further_ends_without_a_notice(qtbot, window_factory, photos, monkeypatch):
    w = _scanned_strict(qtbot, window_factory, photos, monkeypatch)
    seen = []
    w.session.events.widening.connect(seen.append)
    w.similarity.slider.setValue(w.similarity.slider.maximum())
    settled(qtbot, w)
    assert [x.running for x in seen] == [True, False] and not seen[1].stopped
    assert not w.results.searching.isVisible() and w.session.matcher.searched == 12
    assert w.session.row_of(str(photos.edited)) is not None
