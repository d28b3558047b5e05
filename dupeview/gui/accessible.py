"""Accessible names and descriptions: what a screen reader says for a control (read back through QAccessible)."""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QAccessible, QAccessibleInterface
from PySide6.QtWidgets import QAccessibleWidget, QDialogButtonBox, QWidget

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


# Widgets whose Qt class says the wrong thing to a screen reader, and the role they play: a card is one item of
# the row of copies (a QFrame alone is announced as a "border").
ROLES = {"MemberCard": QAccessible.Role.ListItem}
_installed = False


def _interface(classname: str, obj: QObject) -> QAccessibleInterface | None:
    role = ROLES.get(classname)
    return QAccessibleWidget(obj, role) if role is not None and isinstance(obj, QWidget) else None


def install_roles() -> None:
    """Give the widgets in ROLES their role (once per process; Qt asks the factory when a reader is active)."""
    global _installed
    if not _installed:
        QAccessible.installFactory(_interface)
        _installed = True
