"""Compare view, thumbnails, throttle, error reporting, settings dialog, themes."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from dupeview.gui.app import ErrorReporter, apply_theme, split_arguments
from dupeview.gui.compare import CompareDialog
from dupeview.gui.dialogs import ErrorDialog
from dupeview.gui.settings_dialog import SettingsDialog
from dupeview.gui.throttle import Throttle
from dupeview.gui.thumbnails import FULL_SIZE, ThumbnailLoader, load_image
from dupeview.settings import Settings
from tests.gui.dialogs import when_dialog_opens
from tests.images import photo, save, with_orientation


def test_thumbnails_apply_exif_orientation_and_size(tmp_path: Path):
    img = photo(3, (200, 100))
    path = with_orientation(img, 6, tmp_path / "turned.jpg")   # stored 100x200, shown 200x100
    q = load_image(str(path), 64)
    assert (q.width(), q.height()) == (64, 32)
    full = load_image(str(path), FULL_SIZE)
    assert (full.width(), full.height()) == (200, 100)
    # The top-left corner of the shown picture is the original's top-left colour (orientation applied).
    expected = img.getpixel((2, 2))
    got = full.pixelColor(2, 2)
    assert abs(got.red() - expected[0]) < 40 and abs(got.green() - expected[1]) < 40


def test_loader_delivers_caches_and_reports_failures(qtbot, tmp_path: Path):
    good = save(photo(1, (120, 90)), tmp_path / "good.png")
    bad = tmp_path / "bad.jpg"
    bad.write_bytes(b"nope")
    loader = ThumbnailLoader()
    try:
        with qtbot.waitSignal(loader.loaded, timeout=10_000) as got:
            assert loader.request(str(good), 64) is None
        assert got.args == [str(good), 64]
        pm = loader.request(str(good), 64)
        assert pm is not None and max(pm.width(), pm.height()) == 64
        with qtbot.waitSignal(loader.failed, timeout=10_000) as failed:
            loader.request(str(bad), 64)
        assert failed.args[2] and "Traceback" not in failed.args[2]
    finally:
        loader.shutdown()


def test_loader_drops_stale_requests(qtbot, tmp_path: Path):
    files = [save(photo(k, (160, 120)), tmp_path / f"{k}.png") for k in range(12)]
    loader = ThumbnailLoader(threads=1)
    done = []
    loader.loaded.connect(lambda p, s: done.append(p))
    try:
        for f in files:
            loader.request(str(f), 64, "view")
        loader.drop_pending("view")            # the selection moved on
        last = save(photo(99, (160, 120)), tmp_path / "now.png")
        with qtbot.waitSignal(loader.loaded, timeout=10_000, check_params_cb=lambda p, s: p == str(last)):
            loader.request(str(last), 64, "view")
        # At most the one or two already decoding when dropped got through.
        assert len([p for p in done if p != str(last)]) <= 2
    finally:
        loader.shutdown()


def test_throttle_delivers_first_and_last(qtbot):
    got = []
    t = Throttle(50, got.append)
    for k in range(100):
        t.push(k)
    assert got == [0]
    qtbot.waitUntil(lambda: got[-1] == 99, timeout=2000)
    assert len(got) == 2


def test_compare_view_zooms_both_and_flips(qtbot, scanned):
    w = scanned
    g = w.current_group()
    w.compare(g.keeper, g.members[1])
    dialog = w.compare_dialog
    assert isinstance(dialog, CompareDialog)
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitActive(dialog)
    a, b = dialog.panes
    # Both images decode off the GUI thread: wait for them before comparing pixmaps.
    qtbot.waitUntil(lambda: not a.item.pixmap().isNull() and not b.item.pixmap().isNull(), timeout=10_000)
    dialog.actual_size()
    assert abs(dialog.scale() - 1 / dialog.devicePixelRatioF()) < 1e-6
    dialog.zoom(2.0)
    assert abs(a.transform().m11() - b.transform().m11()) < 1e-9
    a.horizontalScrollBar().setValue(a.horizontalScrollBar().maximum())
    assert b.horizontalScrollBar().value() == a.horizontalScrollBar().value()
    first = a.item.pixmap().cacheKey()
    marked = set(w.session.marks.paths)
    QTest.keyPress(dialog, Qt.Key.Key_Space)
    assert dialog.flipped
    assert a.item.pixmap().cacheKey() != first
    QTest.keyRelease(dialog, Qt.Key.Key_Space)
    assert not dialog.flipped
    assert set(w.session.marks.paths) == marked      # Space in the compare window never marks a file
    assert a.item.pixmap().cacheKey() == first
    dialog.fit()
    shown = a.mapFromScene(a.sceneRect()).boundingRect()
    assert shown.width() <= a.viewport().width() + 2 and shown.height() <= a.viewport().height() + 2
    assert shown.width() >= a.viewport().width() - 4 or shown.height() >= a.viewport().height() - 4
    dialog.close()


def test_errors_are_logged_and_shown_not_printed(qtbot, tmp_path: Path, caplog):
    reporter = ErrorReporter(str(tmp_path / "dupeview.log"))
    seen = when_dialog_opens(lambda d: d.reject())
    with caplog.at_level(logging.ERROR, logger="dupeview"):
        try:
            raise RuntimeError("disk on fire")
        except RuntimeError as exc:
            reporter.excepthook(type(exc), exc, exc.__traceback__)
    qtbot.waitUntil(lambda: bool(seen), timeout=5000)
    assert isinstance(seen[0], ErrorDialog)
    assert "disk on fire" in caplog.text and "Traceback" in caplog.text


def test_settings_dialog_edits_scan_options(qtbot):
    s = Settings(exclude_patterns=["*.gif"])
    d = SettingsDialog(s)
    qtbot.addWidget(d)
    d.patterns.setPlainText("*.gif\n  */exports/*  \n")
    d.min_size.setValue(20)
    d.hidden.setChecked(True)
    out = d.result_settings()
    assert out.exclude_patterns == ["*.gif", "*/exports/*"]
    assert out.min_size == 20_000 and out.include_hidden and not out.permanent_delete


def test_permanent_delete_needs_its_own_confirmation(qtbot):
    d = SettingsDialog(Settings())
    qtbot.addWidget(d)
    when_dialog_opens(lambda box: box.reject())
    d.permanent.click()
    assert not d.permanent.isChecked()


def test_arguments_preload_folders(tmp_path: Path):
    f = tmp_path / "pics"
    f.mkdir()
    folders, other = split_arguments([str(f), str(tmp_path / "missing"), "--flag"])
    assert folders == [str(f)]
    assert other == [str(tmp_path / "missing"), "--flag"]


def test_dark_and_light_palettes(qtbot, window_factory):
    w = window_factory()
    app = QApplication.instance()
    apply_theme(app, "dark")
    w.apply_palette()
    assert app.palette().color(app.palette().ColorRole.Window).lightness() < 80
    apply_theme(app, "light")
    assert app.palette().color(app.palette().ColorRole.Window).lightness() > 180
