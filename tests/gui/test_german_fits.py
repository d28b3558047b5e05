"""In German (longer words than English), every button and check box of the main window shows its whole text:
a cut label ("… Kopien finde") is found here, on the real window at its first size and at 1024x700."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QAbstractButton, QApplication

from dupeview.gui.i18n import install_translators
from tests.gui.conftest import settled


@pytest.fixture
def german(qapp: QApplication) -> Iterator[None]:
    loaded = install_translators(qapp, QLocale(QLocale.Language.German, QLocale.Country.Germany))
    assert loaded
    yield
    for translator in loaded:
        qapp.removeTranslator(translator)


def cut_buttons(root) -> list[str]:
    return [f"{b.text()!r}: {b.width()} < {b.sizeHint().width()}" for b in root.findChildren(QAbstractButton)
            if b.isVisible() and b.text() and b.width() < b.sizeHint().width()]


@pytest.mark.parametrize("size", [(1400, 900), (1024, 700)])
def test_no_button_or_check_box_text_is_cut_in_german(qtbot, german, window_factory, size) -> None:
    w = window_factory([])
    w.show()
    w.resize(*size)
    settled(qtbot, w)
    assert cut_buttons(w) == []


def test_the_check_finds_a_cut_label(qtbot, window_factory) -> None:
    w = window_factory([])
    w.show()
    w.resize(1400, 900)
    settled(qtbot, w)
    box = next(b for b in w.findChildren(QAbstractButton) if b.isVisible() and b.text())
    box.setText(box.text() + " and a great many more words than fit here, surely")
    box.setMaximumWidth(box.sizeHint().width() - 40)
    assert cut_buttons(w)
