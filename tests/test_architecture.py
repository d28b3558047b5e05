"""The engine never imports Qt: it must run in the CLI, in worker processes and in tests alone."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
QT_MODULES = ("PySide6", "shiboken6", "PyQt5", "PyQt6")


def test_core_modules_do_not_import_qt_at_runtime() -> None:
    # Nor scipy: the app bundle leaves it out (grouping has its own union-find).
    code = (
        "import sys, pkgutil, importlib, dupeview.core as core\n"
        "for m in pkgutil.iter_modules(core.__path__): importlib.import_module('dupeview.core.' + m.name)\n"
        "import dupeview.cli\n"
        f"print(sorted(n for n in sys.modules if n.split('.')[0] in {QT_MODULES + ('scipy',)!r}))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == "[]"


def test_core_sources_have_no_qt_import() -> None:
    for path in (ROOT / "dupeview" / "core").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            assert not any(n.split(".")[0] in QT_MODULES for n in names), f"{path} imports Qt"


def test_every_module_has_a_docstring() -> None:
    for path in (ROOT / "dupeview").rglob("*.py"):
        assert ast.get_docstring(ast.parse(path.read_text())), f"{path} has no module docstring"
