"""The app with camera RAW, JPEG XL and files it does not compare: thumbnails, the keeper, the 'not compared' list."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QLabel

from dupeview.gui.dialogs import SkippedDialog
from dupeview.gui.thumbnails import FULL_SIZE, load_image
from tests.gui.conftest import waiting
from tests.gui.dialogs import when_dialog_opens
from tests.images import dng_bytes, fake_psd, fake_video, jpeg_bytes, jxl_bytes, photo

pytest.importorskip("rawpy", reason="camera RAW support needs rawpy")
pytest.importorskip("pidng", reason="the RAW tests write DNG files with pidng (test extra)")
pytest.importorskip("pillow_jxl", reason="JPEG XL needs pillow-jxl-plugin")

SIZE = (320, 240)


@pytest.fixture
def card(tmp_path: Path) -> Path:
    root = tmp_path / "card"
    root.mkdir()
    img = photo(51, SIZE)
    (root / "IMG_0001.JPG").write_bytes(jpeg_bytes(img, 92))
    (root / "IMG_0001.DNG").write_bytes(dng_bytes(img))
    (root / "IMG_0001.jxl").write_bytes(jxl_bytes(img, quality=90))
    for k in range(3):
        (root / f"MVI_000{k}.MOV").write_bytes(fake_video("mov"))
    (root / "poster.psd").write_bytes(fake_psd())
    (root / "notes.txt").write_text("shot list")
    return root


def test_thumbnails_of_raw_and_jxl(card: Path) -> None:
    for name in ("IMG_0001.DNG", "IMG_0001.jxl"):
        q = load_image(str(card / name), 64)
        assert (q.width(), q.height()) == (64, 48), name
        full = load_image(str(card / name), FULL_SIZE)
        assert not full.isNull() and full.width() >= SIZE[0] // 2, name


def test_the_raw_is_kept_and_what_was_not_compared_is_said_and_listed(qtbot, window_factory, card: Path) -> None:
    w = window_factory([card])
    w.show()
    with waiting(qtbot, w.session.events.scanned, timeout=60_000):
        w.start_scan()
    assert len(w.session.groups) == 1
    group = w.session.groups[0]
    assert Path(w.session.path(group.keeper)).name == "IMG_0001.DNG"
    assert w.skipped_button.isVisible()
    assert w.skipped_button.text() == "3 videos, 1 Photoshop file and 1 other file were not compared"
    seen: list[list[str]] = []

    def read_and_close(dialog) -> None:
        assert isinstance(dialog, SkippedDialog)
        tree = dialog.tree
        seen.append([Path(tree.topLevelItem(k).text(0)).name for k in range(tree.topLevelItemCount())])
        dialog.reject()

    watcher = when_dialog_opens(read_and_close)
    w.skipped_button.click()
    qtbot.waitUntil(lambda: bool(watcher), timeout=5000)
    assert sorted(seen[0]) == ["MVI_0000.MOV", "MVI_0001.MOV", "MVI_0002.MOV", "notes.txt", "poster.psd"]


def test_hidden_and_excluded_files_are_counted_when_all_else_was_compared(qtbot, window_factory, tmp_path: Path) -> None:
    root = tmp_path / "tidy"
    root.mkdir()
    (root / "a.jpg").write_bytes(jpeg_bytes(photo(61, SIZE)))
    (root / ".DS_Store").write_bytes(b"\0\0\0\1Bud1")
    (root / ".thumbnails").mkdir()
    w = window_factory([root])
    w.show()
    with waiting(qtbot, w.session.events.scanned, timeout=60_000):
        w.start_scan()
    assert w.skipped_button.isVisible()
    assert w.skipped_button.text() == "Left out by the settings: 1 hidden file and 1 hidden folder"
    intros: list[str] = []

    def read_and_close(dialog) -> None:
        intros.append(dialog.findChildren(QLabel)[0].text())
        dialog.reject()

    watcher = when_dialog_opens(read_and_close)
    w.skipped_button.click()
    qtbot.waitUntil(lambda: bool(watcher), timeout=5000)
    assert intros == ["Every file found was compared.\nLeft out by the settings: 1 hidden file and 1 hidden folder."]
