"""Accessible names and descriptions: what a screen reader says for a control (read back through QAccessible)."""

from __future__ import annotations

from PySide6.QtWidgets import QDialogButtonBox, QWidget

from dupeview.gui.i18n import N_, tr

Standard = QDialogButtonBox.StandardButton
# What a dialog's standard buttons do, for those whose own text says too little to a screen reader.
BUTTON_DESCRIPTIONS = {
    Standard.Ok: N_("Use what is set in this dialog and close it"),
    Standard.Cancel: N_("Close this dialog and change nothing"),
    Standard.Close: N_("Close this window"),
    Standard.Yes: N_("Go ahead"),
    Standard.No: N_("Do not go ahead"),
}


def describe(widget: QWidget, name: str | None, description: str) -> None:
    """Set the accessible name (None: the widget's own text stays its name) and description, both translated."""
    if name is not None:
        widget.setAccessibleName(name)
    widget.setAccessibleDescription(description)


def describe_buttons(box: QDialogButtonBox) -> None:
    """A description for each standard button of `box` that has none yet."""
    for button in box.buttons():
        what = BUTTON_DESCRIPTIONS.get(box.standardButton(button))
        if what and not button.accessibleDescription():
            button.setAccessibleDescription(tr(what))
