"""Small things a user hit: the window's title, an old notice during a new scan."""

from __future__ import annotations

from tests.gui.conftest import settled, waiting


def test_the_title_names_the_app_once(qtbot, window_factory):
    w = window_factory([])
    w.show()
    # Qt appends the application's display name to a title that does not end with it.
    assert w.windowTitle() == "dupeview"


def test_an_old_notice_goes_when_a_new_scan_starts(qtbot, window_factory, photos):
    w = window_factory([photos.root])
    w.show()
    w.message.show_message("Scan cancelled after 3 files. Scan again", "info")
    assert w.message.isVisible()
    with waiting(qtbot, w.session.events.scanned):
        w.start_scan()
    settled(qtbot, w)
    assert not w.message.isVisible()
