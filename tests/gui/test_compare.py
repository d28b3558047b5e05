"""The compare window: any two copies of a group, stepping, marking from inside it, the difference view, reopening."""

from __future__ import annotations

import os

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


def test_any_two_copies_next_and_previous_and_mark_and_keep_from_inside(qtbot, scanned):
    w = scanned
    g = next(g for g in w.session.groups if len(g.members) >= 3)
    w.results.select_row(w.session.row_of(w.session.path(g.keeper)))
    g = w.current_group()
    # The group's cards are made over a few turns of the event loop: all of them before asking what they show.
    qtbot.waitUntil(lambda: w.results.group_view.complete and len(w.results.group_view.cards) == len(g.members))
    dialog = open_compare(qtbot, w, g.keeper, g.members[1])
    seen = []
    for _ in range(len(g.members) - 1):   # every other copy once, then around again, never the left one
        dialog.step(1)
        seen.append(dialog.pair[1])
    assert seen == [*g.members[2:], g.members[1]] and dialog.pair[0] is g.keeper
    dialog.step(-1)
    assert dialog.pair == (g.keeper, g.members[-1])
    dialog.step(1)
    dialog.step(1)
    assert dialog.pair == (g.keeper, g.members[2])
    dialog.choose(0, 1)   # either side from the group
    assert dialog.pair == (g.members[1], g.members[2])
    assert w.session.path(g.members[1]) in dialog._captions[0].text() or \
        dialog._captions[0].toolTip() == w.session.path(g.members[1])
    # Mark from inside it: the Session holds the mark and the main window's card shows it.
    dialog.mark_buttons[1].click()
    right = g.members[2]
    assert w.session.marks.is_marked(right.index) and dialog.mark_buttons[1].isChecked()
    card = next(c for c in w.results.group_view.cards if c.member == right)
    assert card.check.isChecked()
    dialog.keep_side(0)
    kept = g.members[1]
    assert not w.session.marks.is_marked(kept.index)
    assert all(w.session.marks.is_marked(m.index) for m in g.members if m is not kept and not m.reference)
    assert dialog.mark_buttons[1].isChecked() and not dialog.mark_buttons[0].isChecked()
    assert {c.member.index for c in w.results.group_view.cards if c.check.isChecked()} == \
        {m.index for m in g.members if w.session.marks.is_marked(m.index)}
    dialog.close()


def test_split_and_difference_views(qtbot, scanned):
    w = scanned
    g = w.current_group()
    png = next(m for m in g.members if w.session.path(m).endswith("_copy.png"))
    jpg = next(m for m in g.members if w.session.path(m).endswith(os.sep + "camera" + os.sep + "img_0.jpg")
               or (w.session.path(m).endswith(".jpg") and os.sep + "camera" + os.sep in w.session.path(m)))
    dialog = open_compare(qtbot, w, jpg, png)
    dialog.set_mode(1)
    a = dialog.panes[0]
    assert not dialog.panes[1].isVisible() and a.overlay.clip.isVisible() and dialog.slider.isVisible()
    dialog.slider.setValue(25)
    assert abs(a.overlay.clip.rect().left() - 0.25 * a.sceneRect().width()) < 1
    dialog.set_mode(2)
    qtbot.waitUntil(lambda: dialog._diff is not None, timeout=10_000)
    image = a.item.pixmap().toImage()
    assert a.item.pixmap().cacheKey() == dialog._diff.cacheKey()
    # The same picture saved as PNG from a 95-quality JPEG: almost nothing differs.
    assert "of the picture differs" in dialog.diff_label.text()
    dark = sum(image.pixelColor(x, y).value() < 64 for x in range(0, image.width(), 17)
               for y in range(0, image.height(), 17))
    total = len(range(0, image.width(), 17)) * len(range(0, image.height(), 17))
    assert dark / total > 0.8
    dialog.set_mode(0)
    assert dialog.panes[1].isVisibleTo(dialog) and not a.overlay.clip.isVisible()
    dialog.close()
