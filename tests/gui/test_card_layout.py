"""A card in a longer language and to a screen reader: a keeper reason that wraps pushes the facts down instead of
under them, the names column is as wide as its longest name (values are elided, never cut), and a card is a list
item."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import combinations

import pytest
from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QApplication, QLabel

from dupeview.gui.i18n import install_translators
from tests.gui.conftest import settled, waiting


@pytest.fixture
def german(qapp: QApplication) -> Iterator[None]:
    loaded = install_translators(qapp, QLocale(QLocale.Language.German, QLocale.Country.Germany))
    yield
    for translator in loaded:
        qapp.removeTranslator(translator)


@pytest.mark.parametrize("width", [1400, 1024])
def test_the_cards_text_never_overlaps_or_is_cut(qtbot, german, window_factory, photos, width) -> None:
    w = window_factory([photos.root])
    w.show()
    w.resize(width, 760)
    with waiting(qtbot, w.session.events.scanned):
        w.start_scan()
    settled(qtbot, w)
    view = w.results.group_view
    wrapped = 0
    for row in range(min(3, len(w.session.groups))):   # the first group's cards, then the same cards reused
        w.results.select_row(row)
        qtbot.waitUntil(lambda: view.complete and {c.member.index for c in view.cards}
                        == {m.index for m in w.current_group().members}, timeout=20_000)
        wrapped += _checked(view)
    assert wrapped, [c.summary.text() for c in view.cards]   # the check above saw a wrapped reason


def _checked(view) -> int:
    """Checks every card of the view; how many had a wrapped summary."""
    wrapped = 0
    for card in view.cards:
        labels = [card.check, card.name, card.location, card.summary, *card.findChildren(QLabel, "factName"),
                  *card.values.values()]
        boxes = [lab.geometry() for lab in dict.fromkeys(labels) if lab.isVisible()]   # (the folder is a value too)
        for a, b in combinations(boxes, 2):   # nothing drawn over anything else
            assert not a.intersects(b), (card.text.name, a, b)
        assert card.height() >= max(r.bottom() for r in boxes)
        summary = card.summary
        if summary.fontMetrics().horizontalAdvance(summary.text()) > summary.width():
            wrapped += 1
            assert summary.height() >= 2 * summary.fontMetrics().lineSpacing()
        for value in card.values.values():   # elided to fit ("…"), never wider than its room
            assert value.fontMetrics().horizontalAdvance(value.text()) <= value.width() + 1, value.text()
    return wrapped


def test_a_card_is_a_list_item_to_a_screen_reader(qtbot, scanned) -> None:
    from PySide6.QtGui import QAccessible

    view = scanned.results.group_view
    qtbot.waitUntil(lambda: view.complete and len(view.cards) > 1, timeout=20_000)
    for card in view.cards:
        face = QAccessible.queryAccessibleInterface(card)
        assert face.role() == QAccessible.Role.ListItem          # not Qt's "Border" for a QFrame
        assert face.text(QAccessible.Text.Name).startswith(card.text.name)
        assert face.state().focusable
    check = QAccessible.queryAccessibleInterface(view.cards[0].check)
    assert check.role() == QAccessible.Role.CheckBox             # the factory leaves other widgets alone
