"""The one table of user commands: text, icon, shortcuts, tip, where they apply; it builds the menus and context menu."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QPoint, Qt
from PySide6.QtGui import QAction, QActionGroup, QIcon, QKeySequence
from PySide6.QtWidgets import QMenu, QMenuBar, QWidget

from dupeview.core.grouping import Group, Member
from dupeview.core.marks import Marks
from dupeview.core.report import coverage_message
from dupeview.core.session import Session
from dupeview.gui.i18n import N_
from dupeview.resources import icon as load_icon  # icon names are checked where Command(...) gives them

Key = str | QKeySequence.StandardKey


def tr(text: str) -> str:
    return QCoreApplication.translate("", text)   # no context: where lupdate files a bare tr() (gui/i18n.py)


@dataclass(frozen=True)
class Command:
    name: str
    text: str
    icon: str | None = None
    keys: tuple[Key, ...] = ()
    tip: str = ""
    on_results: bool = False   # its shortcut works only while the results page has the focus


COMMANDS: tuple[Command, ...] = (
    Command("add", N_("&Add folder…"), "add-folder", (QKeySequence.StandardKey.Open,), N_("Add a folder to search")),
    Command("scan", N_("&Scan"), "scan", ("F5",), N_("Scan the folders for duplicates")),
    Command("cancel", N_("&Cancel scan"), "cancel", ("Esc",), N_("Stop the scan")),
    Command("skipped", N_("Files &not compared…"), "skipped", (), N_("Videos, other files and unreadable images")),
    Command("settings", N_("Se&ttings…"), "settings", (QKeySequence.StandardKey.Preferences,), N_("Scan options")),
    Command("quit", N_("&Quit"), "quit", (QKeySequence.StandardKey.Quit,)),
    Command("undo", N_("&Undo last action"), "undo", (QKeySequence.StandardKey.Undo,),
            N_("Put the files of the last trash, move, copy or link action back")),
    Command("auto", N_("&Auto-mark"), "auto-mark", ("Ctrl+M",), N_("Keep the best copy in every group, mark the rest")),
    Command("clear", N_("&Clear marks"), "clear-marks", ("Ctrl+Shift+M",), N_("Unmark every file")),
    Command("trash", N_("&Trash marked…"), "trash", (QKeySequence.StandardKey.Delete, "Ctrl+Backspace"),
            N_("Move the marked files to the trash")),
    Command("move", N_("&Move marked to a folder…"), "move-to-folder", (),
            N_("Move the marked files into a folder, keeping their paths inside the searched folders")),
    Command("copy_to", N_("Cop&y marked to a folder…"), "copy-to-folder", (),
            N_("Copy the marked files into a folder, keeping their paths inside the searched folders")),
    Command("hardlink", N_("Replace marked with &hard links…"), "link", (),
            N_("Replace each marked file by a hard link to its group's kept copy (same filesystem only)")),
    Command("symlink", N_("Replace marked with s&ymbolic links…"), "link", (),
            N_("Replace each marked file by a symbolic link to its group's kept copy")),
    Command("log", N_("Action &log…"), "log", (), N_("Every trash and undo so far")),
    Command("next", N_("&Next group"), "go-down", ("Ctrl+Down", "N", "PgDown"), N_("Show the next group"), True),
    Command("prev", N_("&Previous group"), "go-up", ("Ctrl+Up", "P", "PgUp"), N_("Show the previous group"), True),
    Command("right", N_("Next copy"), "go-right", ("Right", "L"), "", True),
    Command("left", N_("Previous copy"), "go-left", ("Left", "H"), "", True),
    Command("toggle", N_("&Toggle mark"), "mark", ("Space",), N_("Mark or unmark the selected copy"), True),
    Command("keep", N_("&Keep this one, mark the rest"), "keep", ("K",),
            N_("Keep the selected copy and mark every other copy in the group"), True),
    Command("compare", N_("&Compare with best copy"), "compare", ("C",), N_("Compare the selected copy with the best copy, large"),
            True),
    Command("open", N_("&Open in viewer"), "open", ("Return", "Enter"), N_("Open the selected copy in the system's image viewer"),
            True),
    Command("reveal", N_("&Reveal in file manager"), "reveal", ("Ctrl+Shift+R",), N_("Show the selected copy in the file manager"),
            True),
    Command("copy", N_("Copy &path"), "copy", (QKeySequence.StandardKey.Copy,), N_("Copy the selected copy's path"), True),
    Command("dismiss_group", N_("&Not duplicates (whole group)"), "not-duplicates", ("D",),
            N_("These pictures are not copies of each other: never show this group again"), True),
    Command("dismiss_member", N_("Not a duplicate (this &copy)"), "not-duplicate", ("Shift+D",),
            N_("This copy is a different picture: take it out of the group for good"), True),
    Command("shortcuts", N_("&Keyboard shortcuts"), "shortcuts", ("F1",)),
    Command("about", N_("&About dupeview"), "about"),
)

# An entry is a command, None (a separator) or (title, commands): a submenu.
MenuEntry = str | None | tuple[str, tuple[str, ...]]
OTHER_ACTIONS = ("move", "copy_to", "hardlink", "symlink")   # acting on the marked files, besides trash
LINKS_MENU = (N_("Replace with &links"), ("hardlink", "symlink"))
MENUS: tuple[tuple[str, tuple[MenuEntry, ...]], ...] = (
    (N_("&File"), ("add", "scan", "cancel", None, "skipped", "settings", None, "quit")),
    (N_("&Edit"), ("undo", None, "toggle", "keep", "auto", "clear", None, "trash", "move", "copy_to", LINKS_MENU, None,
               "log")),
    (N_("&Group"), ("next", "prev", "left", "right", None, "compare", "open", "reveal", "copy", None,
                "dismiss_group", "dismiss_member")),
)
HELP_MENU = (N_("&Help"), ("shortcuts", "about"))
MEMBER_MENU: tuple[str | None, ...] = ("toggle", "keep", "compare", None, "open", "reveal", "copy", None,
                                       "dismiss_member", "dismiss_group")
SHORTCUT_LIST = ("next", "prev", "left", "right", "toggle", "keep", "auto", "trash", "undo", "compare", "open",
                 "reveal", "copy", "dismiss_group", "dismiss_member", "scan", "cancel")
# Groups of commands enabled together (see MainWindow.update_actions).
ON_RESULTS = ("next", "prev", "auto", "clear")
ON_GROUP = ("toggle", "keep", "compare", "open", "reveal", "copy", "dismiss_group", "dismiss_member", "left", "right")


def build(window: QWidget, results: QWidget, slots: Mapping[str, Callable[[], object]]) -> dict[str, QAction]:
    """A QAction per command, its slot connected, its shortcut scoped to the window or the results page."""
    made: dict[str, QAction] = {}
    for c in COMMANDS:
        a = QAction(load_icon(c.icon) if c.icon else QIcon(), tr(c.text), window)
        if c.keys:
            a.setShortcuts([QKeySequence(k) for k in c.keys])
        if c.tip:
            a.setToolTip(tr(c.tip))
            a.setStatusTip(tr(c.tip))
        a.triggered.connect(slots[c.name])
        if c.on_results:
            a.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            results.addAction(a)
        else:
            window.addAction(a)
        made[c.name] = a
    return made


def enable(act: Mapping[str, QAction], session: Session, *, has_group: bool, can_scan: bool) -> None:
    """Enable each command for what the Session is doing now."""
    idle = not session.busy
    act["scan"].setEnabled(idle and can_scan)
    act["cancel"].setEnabled(session.scanning)
    for name in ON_RESULTS:
        act[name].setEnabled(idle and len(session.groups) > 0)
    for name in ON_GROUP:
        act[name].setEnabled(idle and has_group)
    for name in ("trash", *OTHER_ACTIONS):
        act[name].setEnabled(idle and len(session.marks) > 0)
    act["undo"].setEnabled(idle and session.can_undo)
    act["skipped"].setEnabled(bool(coverage_message(session.library)))


def fill(menu: QMenu, actions: Mapping[str, QAction], names: Sequence[MenuEntry]) -> None:
    for name in names:
        if name is None:
            menu.addSeparator()
        elif isinstance(name, tuple):
            fill(menu.addMenu(tr(name[0])), actions, name[1])
        else:
            menu.addAction(actions[name])


def build_menus(bar: QMenuBar, actions: Mapping[str, QAction]) -> None:
    for title, names in MENUS:
        fill(bar.addMenu(tr(title)), actions, names)


def member_menu(parent: QWidget, actions: Mapping[str, QAction], labels: Mapping[str, str],
                enabled: Mapping[str, bool]) -> QMenu:
    """The context menu of a copy: the same commands as the menus, worded for that copy."""
    menu = QMenu(parent)
    for name in MEMBER_MENU:
        if name is None:
            menu.addSeparator()
            continue
        if labels.get(name) == "":
            continue   # not offered for this copy
        source = actions[name]
        a = menu.addAction(source.icon(), labels.get(name) or source.text().replace("&", ""))
        a.setEnabled(enabled.get(name, True))
        a.triggered.connect(source.trigger)
    return menu


def member_wording(marks: Marks, group: Group, member: Member) -> tuple[dict[str, str], dict[str, bool]]:
    """The context menu's words for this copy (an empty label leaves the entry out), and what is enabled."""
    marked = marks.is_marked(member.index)
    compare = "" if len(group.members) < 2 else \
        tr("Compare with best copy") if member is not group.keeper else tr("Compare with next copy")
    labels = {"toggle": tr("Unmark") if marked else tr("Mark for trash"), "compare": compare,
              "dismiss_member": tr("Not a duplicate (take out of this group)")}
    return labels, {"toggle": marked or marks.refusal(member) is None}


def show_member_menu(parent: QWidget, actions: Mapping[str, QAction], labels: Mapping[str, str],
                     enabled: Mapping[str, bool], pos: QPoint) -> None:
    member_menu(parent, actions, labels, enabled).exec(pos)


def shortcut_rows(actions: Mapping[str, QAction]) -> list[tuple[str, str]]:
    return [(actions[n].text().replace("&", ""), actions[n].shortcut().toString(QKeySequence.SequenceFormat.NativeText))
            for n in SHORTCUT_LIST]


THEME_LABELS = {"system": N_("Follow the system"), "light": N_("Light"), "dark": N_("Dark")}


def build_theme_menu(bar: QMenuBar, current: str, choose: Callable[[str], None]) -> dict[str, QAction]:
    """View → Appearance: one checkable entry per theme, exactly one checked."""
    menu = bar.addMenu(tr("&View")).addMenu(tr("&Appearance"))
    group = QActionGroup(menu)
    made: dict[str, QAction] = {}
    for name, label in THEME_LABELS.items():
        a = menu.addAction(tr(label))
        a.setCheckable(True)
        a.setChecked(current == name)
        a.triggered.connect(lambda _=False, n=name: choose(n))
        group.addAction(a)
        made[name] = a
    return made
