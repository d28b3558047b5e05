"""The compare view names both copies' facts with what differs highlighted and how similar they are, and every
control in it, in the cards and in the similarity control has an accessible name and description (read through
QAccessible)."""

from __future__ import annotations

from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QAbstractButton, QComboBox, QGraphicsView, QSlider, QWidget

from dupeview.gui.card_facts import similarities_to
from dupeview.gui.similarity import SimilarityControl
from tests.gui.test_compare import open_compare

CONTROLS = (QAbstractButton, QComboBox, QSlider, QGraphicsView)


def unnamed(root: QWidget) -> list[str]:
    """Controls under `root` (itself included) without an accessible name or description, and why."""
    out = []
    for w in [root, *root.findChildren(QWidget)]:
        if not isinstance(w, CONTROLS) or isinstance(w.parent(), QComboBox) or not w.isVisibleTo(root.window()):
            continue
        face = QAccessible.queryAccessibleInterface(w)
        name, description = face.text(QAccessible.Text.Name), face.text(QAccessible.Text.Description)
        if not name.strip() or not description.strip():
            out.append(f"{type(w).__name__} {name!r} {description!r}")
    return out


def test_the_compare_view_says_what_differs_and_how_similar(qtbot, scanned):
    w = scanned
    g = w.current_group()
    small = next(m for m in g.members if w.session.path(m).endswith("img_0_small.jpg"))
    dialog = open_compare(qtbot, w, g.keeper, small)
    left, right = (c.text() for c in dialog._captions)
    score = similarities_to(w.session.library, g.keeper.index, [small.index])[0]
    assert f"{score} % similar to the left" in right and "similar to the left" not in left
    # Resolution and size differ (highlighted on both sides); the format does not.
    assert left.count("font-weight:bold") == right.count("font-weight:bold") == 2
    assert "photos › camera" in left and "photos › web" in right
    dialog.close()


def test_every_control_of_the_compare_view_is_named_and_described(qtbot, scanned):
    w = scanned
    g = w.current_group()
    dialog = open_compare(qtbot, w, g.keeper, g.members[1])
    assert unnamed(dialog) == []
    assert len([c for c in dialog.findChildren(QWidget) if isinstance(c, CONTROLS)]) >= 12
    face = QAccessible.queryAccessibleInterface(dialog.panes[1])
    assert face.text(QAccessible.Text.Name) == "Right picture"
    dialog.close()


def test_every_control_of_the_cards_and_the_slider_is_named_and_described(qtbot, scanned):
    w = scanned
    view = w.results.group_view
    qtbot.waitUntil(lambda: view.complete, timeout=10_000)
    assert unnamed(view) == []
    control = SimilarityControl(8, "phash", False)
    qtbot.addWidget(control)
    assert unnamed(control) == []


def test_the_compare_window_fits_the_screen(qtbot, scanned):
    w = scanned
    g = w.current_group()
    dialog = open_compare(qtbot, w, g.keeper, g.members[1])
    free = dialog.screen().availableGeometry()
    assert dialog.width() <= free.width() and dialog.height() <= free.height(), (dialog.size(), free)
    dialog.close()
