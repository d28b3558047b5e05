"""Issue 12's smaller items: Undo only when there is something to undo, Open/Reveal say what is missing,
the time left keeps moving, a readable notice in the dark theme, action-log times in local time."""

from __future__ import annotations

import os
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, QLocale, QTime
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication

from dupeview.core.progress import Progress
from dupeview.gui.action_dialogs import when_text
from dupeview.gui.dialogs import ActionLogDialog, ConfirmTrashDialog
from dupeview.gui.pages import ScanningPage, message_colors
from dupeview.gui.theme import apply_theme
from tests.gui.conftest import settled, waiting
from tests.gui.dialogs import when_dialog_opens


def _confirm(dialog) -> None:
    assert isinstance(dialog, ConfirmTrashDialog)
    dialog.ok_button.click()


def _trash_marked(qtbot, w) -> None:
    w.auto_mark()
    when_dialog_opens(_confirm)
    with waiting(qtbot, w.session.events.acted, timeout=20_000):
        w.trash_marked()
    settled(qtbot, w)


def test_undo_is_enabled_exactly_when_the_log_has_something_to_undo(qtbot, scanned, window_factory, photos,
                                                                     trash_dir):
    w = scanned
    assert not w.act["undo"].isEnabled()            # nothing done yet
    _trash_marked(qtbot, w)
    assert w.act["undo"].isEnabled()
    w.close()
    # The next start (folders given: no review restored, no scan) reads the log off the GUI thread;
    # Undo is enabled when that read says there is something to undo, without any other event.
    again = window_factory([photos.root])
    qtbot.waitUntil(lambda: again.session.can_undo, timeout=20_000)
    settled(qtbot, again)
    assert again.act["undo"].isEnabled()
    # Undo there puts back files this window never scanned (no regroup follows): Undo is disabled after it.
    with waiting(qtbot, again.session.events.undone, timeout=20_000) as undone:
        again.undo_trash()
    settled(qtbot, again)
    assert undone[0].restored and undone[0].unknown == undone[0].restored
    assert not again.session.can_undo and not again.act["undo"].isEnabled()


def _bin_with(tmp_path: Path, script: str | None) -> str:
    """A PATH folder holding only an xdg-open that exits as given (None: no xdg-open at all)."""
    folder = tmp_path / ("bin-none" if script is None else "bin-xdg")
    folder.mkdir(exist_ok=True)
    if script is not None:
        exe = folder / "xdg-open"
        exe.write_text("#!/bin/sh\n" + script + "\n")
        exe.chmod(exe.stat().st_mode | stat.S_IXUSR)
    return str(folder)


@pytest.mark.skipif(not os.path.exists("/bin/sh"), reason="needs /bin/sh for the stand-in xdg-open")
def test_open_and_reveal_say_what_is_missing(qtbot, scanned, tmp_path, monkeypatch):
    w = scanned
    monkeypatch.delenv("DBUS_SESSION_BUS_ADDRESS", raising=False)   # no file manager service either
    monkeypatch.setenv("PATH", _bin_with(tmp_path, None))
    name = os.path.basename(w.session.path(w.results.current_member()))
    w.act["open"].trigger()
    assert w.message.isVisible()
    text = w.message.label.text()
    assert name in text and "xdg-open" in text and "not installed" in text
    w.message.hide()
    # xdg-open is there but the desktop has no program for images: it exits 4 (xdg-utils' "action failed").
    monkeypatch.setenv("PATH", _bin_with(tmp_path, "exit 4"))
    w.act["open"].trigger()
    qtbot.waitUntil(lambda: w.message.isVisible() and not w.opener.busy(), timeout=10_000)
    assert "no program set up" in w.message.label.text()
    w.message.hide()
    w.act["reveal"].trigger()
    qtbot.waitUntil(lambda: w.message.isVisible() and not w.opener.busy(), timeout=10_000)
    text = w.message.label.text()
    assert text.startswith("No file manager could show " + name)
    assert os.path.dirname(w.session.path(w.results.current_member())) in text
    # When xdg-open works, nothing is said.
    w.message.hide()
    monkeypatch.setenv("PATH", _bin_with(tmp_path, "exit 0"))
    w.act["open"].trigger()
    qtbot.waitUntil(lambda: not w.opener.busy(), timeout=10_000)
    assert not w.message.isVisible()


def test_the_time_left_does_not_stand_still_while_one_file_decodes(qtbot):
    page = ScanningPage()
    qtbot.addWidget(page)
    page.show()
    page.reset()
    # 10 of 20 files in 1.5 s: about 1.5 s left. Then no report comes (one huge file is decoding).
    page.show_progress(Progress("hash", 10, 20, elapsed=1.5))
    assert "left" in page.text.text() and "estimating" not in page.text.text()
    qtbot.waitUntil(lambda: "estimating the time left" in page.text.text(), timeout=10_000)
    assert page.text.text().startswith("10 of 20 files")
    page.show_progress(Progress("hash", 19, 20, elapsed=30.0))
    assert "about 2 s left" in page.text.text()


def _lightness(name: str) -> int:
    return QColor(name).lightness()


def test_the_notice_is_readable_in_the_dark_theme(qtbot, window_factory):
    w = window_factory()
    w.show()
    app = QApplication.instance()
    try:
        apply_theme(app, "dark")
        w.apply_palette()
        w.message.show_message("Scan cancelled.", "info")
        for kind in ("info", "warning", "error", "success"):
            text, bg, border = message_colors(kind, app.palette())
            assert _lightness(bg) < 90 and _lightness(text) > 190      # light text on a dark tint, not pale
            assert abs(_lightness(border) - _lightness(bg)) > 40          # the outline shows
        assert message_colors("info", app.palette())[1] in w.message.styleSheet()
        apply_theme(app, "light")
        w.apply_palette()     # a theme change restyles the notice on screen
        text, bg, _ = message_colors("info", app.palette())
        assert bg in w.message.styleSheet() and _lightness(bg) > 200 and _lightness(text) < 60
    finally:
        apply_theme(app, "light")


def test_action_log_times_are_local_and_readable(qtbot):
    now = datetime.now().astimezone()
    today = QDate(now.year, now.month, now.day)
    # Written in UTC (by an older version, or another machine): shown in local time, without seconds.
    utc = now.astimezone(UTC).isoformat(timespec="seconds")
    clock = QLocale().toString(QTime(now.hour, now.minute), QLocale.FormatType.ShortFormat)
    assert when_text(utc, today) == f"Today, {clock}"
    assert when_text((now - timedelta(days=1)).isoformat(timespec="seconds"), today).startswith("Yesterday, ")
    old = when_text("2019-07-04T18:30:00+00:00", today)
    assert "2019" in old and "T" not in old and "+00:00" not in old
    assert when_text("not a time", today) == "not a time"
    dialog = ActionLogDialog([{"batch": "b1", "seq": 0, "time": now.isoformat(timespec="seconds"), "action": "trash",
                               "path": "/x/a.jpg", "ok": True}], False)
    qtbot.addWidget(dialog)
    shown = dialog.tree.topLevelItem(0).text(0)
    assert shown.startswith("Today, ") and "+" not in shown and "T" not in shown.split(", ")[1]
