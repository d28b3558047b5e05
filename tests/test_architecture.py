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


def _imports(path: Path) -> set[str]:
    """The dupeview modules a source file imports, anywhere in it (a function-level import counts too)."""
    package = ".".join(path.relative_to(ROOT).with_suffix("").parts)
    if package.endswith(".__init__"):
        package = package[: -len(".__init__")]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: -node.level] if path.name != "__init__.py" else \
                    package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parts, base]) if base else ".".join(parts)
            found.add(base)
            found.update(f"{base}.{a.name}" for a in node.names)
    return {n for n in found if n.split(".")[0] == "dupeview"}


def test_no_import_cycle_inside_the_package() -> None:
    modules = {".".join(p.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__"): p
               for p in (ROOT / "dupeview").rglob("*.py")}
    graph = {name: {m for m in _imports(path) if m in modules and m != name} for name, path in modules.items()}
    # A package's __init__ is imported with any of its modules: not an edge of its own.
    graph = {n: {m for m in deps if not n.startswith(m + ".")} for n, deps in graph.items()}
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycle = stack[stack.index(nxt):] + [nxt]
                raise AssertionError("import cycle: " + " -> ".join(cycle))
            if nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name)


def test_no_module_is_over_500_lines() -> None:
    long = {str(p.relative_to(ROOT)): n for p in (ROOT / "dupeview").rglob("*.py")
            if (n := len(p.read_text().splitlines())) > 500}
    assert not long, f"split these modules: {long}"


def test_the_main_window_only_builds_and_wires() -> None:
    assert len((ROOT / "dupeview" / "gui" / "main_window.py").read_text().splitlines()) <= 400
