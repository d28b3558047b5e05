"""The decoders' reasons and the app's numbers in the user's language: every sentence the engine can give has a
translation, real broken files show German reasons in a German app, and counts and sizes use the locale's digits."""

from __future__ import annotations

import ast
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QApplication

from dupeview.core.decode import DecodeFailure, analyse
from dupeview.core.session_types import ACTION_VERBS
from dupeview.gui import coverage_words, engine_words
from dupeview.gui.i18n import bytes_text, decimal, install_translators, number, tr
from tests.images import photo, save

ROOT = Path(__file__).resolve().parents[2]
# Where the engine writes the reasons a file could not be read.
SOURCES = ("decode.py", "raw.py", "workers.py", "scanner.py", "viewing.py", "safeio.py")
REASON_CALLS = {"DecodeFailure", "RawError"}
REASON_FUNCTIONS = {"explain", "kind"}
REASON_NAMES = {"CRASH_REASON", "TIMEOUT_REASON"}


def _text(node: ast.expr) -> str | None:
    """A string literal as it reads, an f-string with each {…} part as 'X'; None for anything else."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value if isinstance(v, ast.Constant) else "X" for v in node.values)
    return None


def engine_reasons() -> Iterator[tuple[str, int, str]]:
    """(file, line, sentence) of each reason the engine's sources can produce."""
    for name in SOURCES:
        tree = ast.parse((ROOT / "dupeview" / "core" / name).read_text())
        found: list[tuple[int, ast.expr]] = []
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, (ast.Name, ast.Attribute)):
                called = node.func.id if isinstance(node.func, ast.Name) else node.func.attr
                if called in REASON_CALLS and node.args:
                    found.append((node.lineno, node.args[0]))
            elif isinstance(node, ast.FunctionDef) and node.name in REASON_FUNCTIONS:
                found += [(r.lineno, r.value) for r in ast.walk(node) if isinstance(r, ast.Return) and r.value]
            elif isinstance(node, ast.AnnAssign | ast.Assign):
                targets = [node.target] if isinstance(node, ast.AnnAssign) else node.targets
                if any(isinstance(t, ast.Name) and t.id in REASON_NAMES for t in targets) and node.value:
                    found.append((node.lineno, node.value))
        for line, value in found:
            options = [value.body, value.orelse] if isinstance(value, ast.IfExp) else [value]
            for option in options:
                text = _text(option)
                if text is not None:
                    yield name, line, text.replace("{limit:g}", "X")


@pytest.fixture
def german(qapp: QApplication) -> Iterator[None]:
    locale = QLocale(QLocale.Language.German, QLocale.Country.Germany)
    loaded = install_translators(qapp, locale)
    before = QLocale()
    QLocale.setDefault(locale)
    yield
    QLocale.setDefault(before)
    for translator in loaded:
        qapp.removeTranslator(translator)


def test_the_source_walk_finds_the_engines_reasons() -> None:
    """The walk below must see the sentences, or the next test would pass on nothing."""
    found = {text for _, _, text in engine_reasons()}
    assert "empty file (0 bytes)" in found and "damaged X image (cannot be decoded)" in found
    assert "a named pipe" in found and "timed out while reading (no answer within X s); skipped" in found
    assert len(found) >= 20


def test_every_reason_the_engine_gives_has_a_translation(german) -> None:
    def shown(text: str) -> str:
        return tr(engine_words.KINDS[text]) if text in engine_words.KINDS else engine_words.reason(text)

    untranslated = [f"{name}:{line}: {text!r}" for name, line, text in engine_reasons() if shown(text) == text]
    assert untranslated == []


def test_every_failed_job_message_has_a_translation(german) -> None:
    core = ROOT / "dupeview" / "core"
    trees = [ast.parse((core / name).read_text()) for name in ("session.py", "session_regroup.py")]
    sentences = []
    for node in (n for tree in trees for n in ast.walk(tree)):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "_job":
            text = _text(node.args[3])
            assert text is not None, ast.unparse(node.args[3])
            # f"{verb} failed", the verb from ACTION_VERBS
            sentences += [text.replace("X", verb) for verb in ACTION_VERBS.values()] if "X" in text else [text]
    assert len(sentences) >= 9 + len(ACTION_VERBS)
    for sentence in sentences:   # as Session sends it: f"{failure}: {exc}"
        message = f"{sentence}: database is locked"
        shown = engine_words.failure(message)
        assert shown != message and shown.endswith(": database is locked"), sentence


def test_reasons_stay_english_without_a_catalogue(qapp) -> None:
    for text in ("empty file (0 bytes)", "not a regular file (a named pipe); only files are read",
                 "damaged image (broken data stream when reading image file)"):
        assert coverage_words.reason(text) == text
    assert engine_words.reason("a reason nobody wrote") == "a reason nobody wrote"


def test_real_broken_files_get_german_reasons(german, tmp_path: Path) -> None:
    good = save(photo(1, (200, 150)), tmp_path / "good.jpg")
    empty = tmp_path / "empty.jpg"
    empty.write_bytes(b"")
    cut = tmp_path / "cut.jpg"
    cut.write_bytes(good.read_bytes()[:400])
    text = tmp_path / "notes.png"
    text.write_text("not a picture at all\n")
    pipe = tmp_path / "pipe.jpg"
    os.mkfifo(pipe)
    shown = {}
    for path in (empty, cut, text, pipe):
        result = analyse(str(path))
        assert isinstance(result, DecodeFailure), path
        shown[path.name] = coverage_words.reason(result.reason)
        assert shown[path.name] != result.reason, (path.name, result.reason)
    assert shown["empty.jpg"] == "leere Datei (0 Byte)"
    assert shown["pipe.jpg"] == "keine normale Datei (eine benannte Pipe); nur Dateien werden gelesen"


def test_counts_and_sizes_use_the_locales_digits(german) -> None:
    assert number(1234567) == "1.234.567"
    assert decimal(1.5) == "1,5"
    assert bytes_text(1_500_000) == "1,5 MB" and bytes_text(999) == "999 B"
    assert coverage_words.not_compared_text({"video": 1234}) == "1.234 Videos wurden nicht verglichen"


def test_the_c_locale_reads_as_english(qapp) -> None:
    before = QLocale()
    QLocale.setDefault(QLocale(QLocale.Language.C))
    try:
        assert number(1234567) == "1,234,567" and decimal(2.25, 2) == "2.25" and bytes_text(2_500_000_000) == "2.5 GB"
    finally:
        QLocale.setDefault(before)
