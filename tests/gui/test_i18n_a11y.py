"""Translation (the .ts -> .qm pipeline, German chosen by the locale, Qt's own strings too) and accessibility
(a name and a description on every control, read back through QAccessible) for the translated modules."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QLocale
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QDialogButtonBox,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QSlider,
    QWidget,
)

from dupeview.gui.i18n import install_translators
from dupeview.gui.settings_dialog import SettingsDialog
from dupeview.gui.similarity import SimilarityControl
from dupeview.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
CONTROLS = (QAbstractButton, QAbstractSpinBox, QComboBox, QLineEdit, QListWidget, QPlainTextEdit, QSlider)


@pytest.fixture
def german(qapp: QApplication) -> Iterator[list]:
    loaded = install_translators(qapp, QLocale(QLocale.Language.German, QLocale.Country.Germany))
    yield loaded
    for translator in loaded:
        qapp.removeTranslator(translator)


def test_catalogues_are_complete_and_compiled() -> None:
    """Every string the GUI marks for translation is in the German catalogue, translated, and the .qm is current."""
    import PySide6

    if not (Path(PySide6.__file__).parent / "lupdate").exists() and shutil.which("pyside6-lupdate") is None:
        pytest.skip("needs pyside6-lupdate (ships with PySide6-Essentials)")
    done = subprocess.run([sys.executable, str(ROOT / "packaging" / "translations.py"), "--check"],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr


def test_german_locale_translates_dupeview_and_qt(qtbot, german: list) -> None:
    assert len(german) == 2, "qtbase_de.qm and dupeview_de.qm"
    dialog = SettingsDialog(Settings())
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == "Einstellungen"
    assert dialog.permanent.text() == "Endgültig löschen statt in den Papierkorb zu verschieben"
    cancel = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Cancel)
    assert cancel.text().replace("&", "") == "Abbrechen"          # Qt's own string, from qtbase_de.qm
    control = SimilarityControl(8, "phash", False)
    qtbot.addWidget(control)
    assert control.value_label.text() == "Ähnlich"
    assert control.algorithm.currentText() == "Wahrnehmung (pHash)"


def test_english_is_the_default_without_a_catalogue(qtbot) -> None:
    assert QCoreApplication.translate("SettingsDialog", "Settings") == "Settings"
    dialog = SettingsDialog(Settings())
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == "Settings"


def _controls(root: QWidget) -> list[QWidget]:
    found = [w for w in root.findChildren(QWidget) if isinstance(w, CONTROLS)]
    # the spin box's and combo box's inner editors are parts of their control, not controls of their own
    return [w for w in found if not isinstance(w.parent(), (QAbstractSpinBox, QComboBox))
            and not isinstance(w.parent(), QDialogButtonBox)]


@pytest.mark.parametrize("make", [lambda: SettingsDialog(Settings()), lambda: SimilarityControl(8, "phash", False)],
                         ids=["settings", "similarity"])
def test_every_control_has_an_accessible_name_and_description(qtbot, make) -> None:
    widget = make()
    qtbot.addWidget(widget)
    controls = _controls(widget)
    assert len(controls) >= 3
    for control in controls:
        face = QAccessible.queryAccessibleInterface(control)
        assert face is not None
        name = face.text(QAccessible.Text.Name)
        description = face.text(QAccessible.Text.Description)
        assert name.strip(), f"{type(control).__name__} {control.objectName()!r} has no accessible name"
        assert description.strip(), f"{type(control).__name__} {name!r} has no accessible description"
