#!/usr/bin/env python3
"""The translation pipeline: source strings -> .ts catalogues -> compiled .qm files, with Qt's own tools.

Usage: python3 packaging/translations.py            update dupeview/resources/i18n/dupeview_<lang>.ts from the
                                                     GUI's tr() calls (pyside6-lupdate), then compile each to .qm
                                                     (pyside6-lrelease)
       python3 packaging/translations.py --check    exit 1 if a catalogue misses a string of the code, has an
                                                     unfinished translation, or its .qm is not the compiled .ts
Translate by editing the .ts (Qt Linguist: `pyside6-linguist dupeview/resources/i18n/dupeview_de.ts`, or any
text editor), then run this again. A new language: add it to LANGUAGES. Both tools ship with PySide6-Essentials.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
I18N = ROOT / "dupeview" / "resources" / "i18n"
LANGUAGES = ("de",)


def tool(name: str) -> str:
    """PySide6's own lupdate/lrelease binary (next to the package), else pyside6-<name> on PATH."""
    import PySide6

    found = Path(PySide6.__file__).parent / name
    if found.is_file() and os.access(found, os.X_OK):
        return str(found)
    on_path = shutil.which(f"pyside6-{name}")
    if on_path is None:
        raise SystemExit(f"translations.py: {name} not found (it ships with PySide6-Essentials)")
    return on_path


def sources() -> list[str]:
    return sorted(str(p.relative_to(ROOT)) for p in (ROOT / "dupeview" / "gui").rglob("*.py"))


def lupdate(ts: Path) -> None:
    subprocess.run([tool("lupdate"), *sources(), "-ts", str(ts), "-no-obsolete", "-locations", "none", "-silent",
                    "-tr-function-alias", "QT_TR_NOOP+=N_"],
                   cwd=ROOT, check=True)


def lrelease(ts: Path, qm: Path) -> None:
    subprocess.run([tool("lrelease"), "-silent", str(ts), "-qm", str(qm)], cwd=ROOT, check=True)


def problems(ts: Path) -> list[str]:
    """Messages without a finished translation."""
    out = []
    for context in ET.parse(ts).getroot().iter("context"):
        for message in context.iter("message"):
            translation = message.find("translation")
            if translation is None or translation.get("type") in ("unfinished", "vanished", "obsolete") \
                    or not (translation.text or "").strip():
                out.append(f"{context.findtext('name')}: {message.findtext('source')!r}")
    return out


def check() -> int:
    failures = []
    with tempfile.TemporaryDirectory() as tmp:
        for lang in LANGUAGES:
            ts, qm = I18N / f"dupeview_{lang}.ts", I18N / f"dupeview_{lang}.qm"
            fresh = Path(tmp) / ts.name
            shutil.copy2(ts, fresh)
            lupdate(fresh)                    # what the code asks for now, merged into a copy of the catalogue
            failures += [f"{ts.name}: not translated: {p}" for p in problems(fresh)]
            built = Path(tmp) / qm.name
            lrelease(ts, built)
            if not qm.is_file() or qm.read_bytes() != built.read_bytes():
                failures.append(f"{qm.name} is not the compiled {ts.name}")
    for f in failures:
        print(f, file=sys.stderr)
    if failures:
        print("run python3 packaging/translations.py (after translating in the .ts)", file=sys.stderr)
    return 1 if failures else 0


def main() -> int:
    if sys.argv[1:] == ["--check"]:
        return check()
    if sys.argv[1:]:
        print(__doc__, file=sys.stderr)
        return 2
    I18N.mkdir(parents=True, exist_ok=True)
    for lang in LANGUAGES:
        ts, qm = I18N / f"dupeview_{lang}.ts", I18N / f"dupeview_{lang}.qm"
        lupdate(ts)
        lrelease(ts, qm)
        left = problems(ts)
        print(f"{ts.relative_to(ROOT)}: {len(left)} string(s) to translate" if left else f"{qm.relative_to(ROOT)}: complete")
    return 0


if __name__ == "__main__":
    sys.exit(main())
