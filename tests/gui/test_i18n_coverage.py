"""Translation coverage: every user-visible string literal in dupeview/gui goes through a translation function, and
the whole app in German (main window, menus, pages, results, dialogs) shows no English text the catalogue has a
German form for: a string looked up under another context than the one lupdate filed it under would show that."""

from __future__ import annotations

import ast
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QAbstractButton, QApplication, QGroupBox, QLabel, QMenu, QTreeWidget, QWidget

from dupeview.gui.i18n import install_translators
from tests.gui.conftest import settled, waiting

ROOT = Path(__file__).resolve().parents[2]
GUI = ROOT / "dupeview" / "gui"
CATALOGUE = ROOT / "dupeview" / "resources" / "i18n" / "dupeview_de.ts"
TRANSLATORS = {"tr", "translate", "N_", "QT_TR_NOOP", "QT_TRANSLATE_NOOP"}
# Qt calls whose string arguments a user reads.
SHOWN = {"setText", "setToolTip", "setStatusTip", "setWhatsThis", "setWindowTitle", "setPlaceholderText",
         "setAccessibleName", "setAccessibleDescription", "setHeaderLabels", "setTitle", "setLabelText",
         "QLabel", "QPushButton", "QCheckBox", "QRadioButton", "QGroupBox", "QAction", "QToolButton", "addAction",
         "addMenu", "addButton", "addItem", "addItems", "addRow", "addTab", "show_message", "showMessage",
         "information", "warning", "critical", "question", "about", "getExistingDirectory", "getSaveFileName",
         "getOpenFileName", "QTreeWidgetItem", "QListWidgetItem"}
# Literal texts that are the same in every language.
NOT_WORDS = re.compile(r"^[\s\d\W]*$|^dupeview$|^[A-Z]{2,5}$|^%[a-z]$")


def _called(node: ast.Call) -> str:
    f = node.func
    return f.attr if isinstance(f, ast.Attribute) else f.id if isinstance(f, ast.Name) else ""


def untranslated_literals(source: str) -> Iterator[tuple[int, str]]:
    """(line, text) of string literals (and f-strings) handed straight to a call that shows them."""
    tree = ast.parse(source)
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    for node in ast.walk(tree):
        if not isinstance(node, (ast.Constant, ast.JoinedStr)) or isinstance(parents.get(node), ast.JoinedStr):
            continue
        if isinstance(node, ast.Constant) and not isinstance(node.value, str):
            continue
        text = node.value if isinstance(node, ast.Constant) else ast.unparse(node)
        words = node.value if isinstance(node, ast.Constant) else \
            " ".join(v.value for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str))
        words = re.sub(r"<[^>]*>|\bdupeview\b", " ", words)   # markup and the app's name are no words to translate
        if NOT_WORDS.match(words) or not re.search(r"[A-Za-z]{2}", words) or re.fullmatch(r"[a-z_]+", words):
            continue   # (a lowercase word alone is a key: show_message(text, "warning"))
        # walk up through containers and operators to the call that receives it
        up, via = parents.get(node), node
        while isinstance(up, (ast.List, ast.Tuple, ast.BinOp, ast.IfExp, ast.keyword, ast.Starred)):
            up, via = parents.get(up), up
        if not isinstance(up, ast.Call) or _called(up) not in SHOWN or via is up.func:
            continue
        if isinstance(up.func, ast.Attribute) and isinstance(up.func.value, ast.Name) \
                and up.func.value.id in ("log", "logger", "logging"):
            continue   # log.warning(...): the log file is in English
        if any(isinstance(a, ast.Call) and _called(a) in TRANSLATORS for a in ast.walk(up) if a is not up):
            translated = {id(n) for a in ast.walk(up) if isinstance(a, ast.Call) and _called(a) in TRANSLATORS
                          for n in ast.walk(a)}
            if id(node) in translated:
                continue
        yield node.lineno, text


NOT_YET: set[str] = set()   # (group_view.py and compare.py are marked since their split into card_*.py)


def test_every_shown_literal_in_the_gui_is_marked_for_translation() -> None:
    found = [f"{path.name}:{line}: {text!r}" for path in sorted(GUI.glob("*.py")) if path.name not in NOT_YET
             for line, text in untranslated_literals(path.read_text(encoding="utf-8"))]
    assert not found, "shown without tr():\n" + "\n".join(found)


def test_the_static_check_finds_an_untranslated_label() -> None:
    bad = 'QLabel("Hello there", self)\nb.setToolTip(f"{n} files")\nQLabel(tr("Fine"), self)\nx.setObjectName("a b")\n'
    assert [line for line, _ in untranslated_literals(bad)] == [1, 2]


def _catalogue() -> dict[str, str]:
    """English source -> German, for the strings whose German differs."""
    out = {}
    for message in ET.parse(CATALOGUE).getroot().iter("message"):
        source, german = message.findtext("source") or "", message.findtext("translation") or ""
        if german and german != source:
            out[source] = german
    return out


def _shown_texts(root: QWidget, skip: tuple[QWidget, ...] = ()) -> Iterator[tuple[str, str]]:
    for w in [root, *root.findChildren(QWidget)]:
        if any(w is s or s.isAncestorOf(w) for s in skip):
            continue
        kind = type(w).__name__
        for text in (w.toolTip(), w.accessibleName(), w.accessibleDescription(), w.windowTitle() if w.isWindow() else ""):
            yield kind, text
        if isinstance(w, (QLabel, QAbstractButton)):
            yield kind, w.text()
        if isinstance(w, QGroupBox):
            yield kind, w.title()
        if isinstance(w, QMenu):
            yield kind, w.title()
        if isinstance(w, QTreeWidget):
            header = w.headerItem()
            yield from ((kind, header.text(c)) for c in range(header.columnCount()))
    for a in root.findChildren(QAction):
        yield "QAction", a.text()
        yield "QAction", a.toolTip()


def english_left(root: QWidget, catalogue: dict[str, str], skip: tuple[QWidget, ...] = ()) -> list[str]:
    """Texts shown in English although the catalogue has them in German (or start with such a text)."""
    plain = {re.sub(r"&(?!&)", "", s): s for s in catalogue if len(s) > 3}
    left = set()
    for kind, text in _shown_texts(root, skip):
        bare = re.sub(r"&(?!&)", "", text or "")
        if bare in plain or text in catalogue:
            left.add(f"{kind}: {text!r}")
    return sorted(left)


@pytest.fixture
def german(qapp: QApplication) -> Iterator[None]:
    loaded = install_translators(qapp, QLocale(QLocale.Language.German, QLocale.Country.Germany))
    assert len(loaded) == 2
    yield
    for translator in loaded:
        qapp.removeTranslator(translator)


def test_the_app_in_german_shows_no_english_the_catalogue_translates(qtbot, german, window_factory, photos) -> None:
    catalogue = _catalogue()
    w = window_factory([])
    assert english_left(w, catalogue) == []                       # the folders page, menus, toolbar, sidebar
    w.folders.add_folders([str(photos.root)])
    with waiting(qtbot, w.session.events.scanned, timeout=60_000):
        w.start_scan()
        assert english_left(w, catalogue) == []                   # the scanning page
    settled(qtbot, w)
    qtbot.waitUntil(lambda: w.results.group_view.complete, timeout=10_000)
    assert w.session.groups
    # the results: groups list, toolbar, summary, the cards
    assert english_left(w, catalogue) == []


def test_the_walk_sees_english_when_the_catalogue_is_not_loaded(qtbot, window_factory) -> None:
    """Without the German catalogue, the same walk finds the English texts: the check above can fail."""
    w = window_factory([])
    left = english_left(w, _catalogue())
    assert any("Add folder" in t for t in left) and len(left) > 20


@pytest.mark.parametrize("counts", [{"video": 1}, {"video": 312, "other": 4}, {"psd": 2, "unreadable": 1, "sidecar": 1},
                                    {"unreadable": 1_234}, {}])
def test_the_apps_coverage_words_say_what_the_engine_says_in_english(qapp, counts) -> None:
    from dupeview.core import coverage
    from dupeview.gui import coverage_words

    assert coverage_words.not_compared_text(counts) == coverage.not_compared_text(counts)
    left = {coverage.HIDDEN_FILES: 12, coverage.EXCLUDED_FOLDERS: 1, coverage.LINKS: 3}
    assert coverage_words.left_out_text(left) == coverage.left_out_text(left)
    for kind, text in coverage.REASONS.items():
        assert coverage_words.reason(text) == text, kind


def test_the_apps_coverage_words_in_german(german) -> None:
    from dupeview.core import coverage
    from dupeview.gui import coverage_words

    assert coverage_words.not_compared_text({"video": 312, "other": 4}) == "312 Videos und 4 andere Dateien wurden nicht verglichen"
    assert coverage_words.not_compared_text({"video": 1}) == "1 Video wurde nicht verglichen"
    assert coverage_words.reason(coverage.REASONS[coverage.VIDEO]) == "Video: Nur Fotos werden verglichen"


def test_every_keep_rule_has_a_name_and_a_tip_for_the_app() -> None:
    from dupeview.core.keeper import RULES
    from dupeview.gui.keep_rules import LABELS, RULE_TIPS

    assert set(RULES) <= set(LABELS) and set(RULES) <= set(RULE_TIPS)
