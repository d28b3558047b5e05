"""The compare window: any two copies of a group, stepping, marking from inside it, the difference view, reopening."""

from __future__ import annotations

from dupeview.gui.compare import CompareDialog
from tests.gui.conftest import settled


def drawn_width(pane) -> float:
    """How wide the picture is drawn in the pane's viewport, in pixels."""
    return pane.mapFromScene(pane.item.sceneBoundingRect()).boundingRect().width()


def open_compare(qtbot, w, a, b) -> CompareDialog:
    w.compare(a, b)
    dialog = w.compare_dialog
    assert isinstance(dialog, CompareDialog)
    qtbot.waitExposed(dialog)
    qtbot.waitUntil(lambda: all(not p.item.pixmap().isNull() for p in dialog.panes), timeout=10_000)
    return dialog


def fills_its_pane(pane) -> bool:
    shown = pane.mapFromScene(pane.sceneRect()).boundingRect()
    vp = pane.viewport()
    return (shown.width() >= vp.width() - 4 or shown.height() >= vp.height() - 4) and vp.width() > 200


def test_reopening_on_the_same_pair_fits_both_pictures_to_the_real_window(qtbot, scanned):
    w = scanned
    g = w.current_group()
    for _ in range(3):   # the first opening decodes; the next ones find the pictures cached
        dialog = open_compare(qtbot, w, g.keeper, g.members[1])
        qtbot.wait(50)   # let the layout settle, as a user's eye would
        for pane in dialog.panes:
            assert fills_its_pane(pane), (drawn_width(pane), pane.viewport().size())
        dialog.close()
        qtbot.waitUntil(lambda: w.compare_dialog is None, timeout=5000)
    settled(qtbot, w)
