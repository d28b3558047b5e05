#!/usr/bin/env bash
# Build the one-folder app bundle dist/dupeview/ with PyInstaller (runs on a machine without Python).
#
# Usage: packaging/build.sh [--clean] [--dist DIR] [--work DIR]
#   --dist DIR   where the bundle goes (default dist/, so dist/dupeview/)
#   --work DIR   PyInstaller's work files (default build/pyinstaller/); both defaults are git-ignored
#   PYTHON=python3.12 packaging/build.sh   to pick the interpreter (default: .venv/bin/python when
#                                           ./install.sh made it, else python3)
#
# Installs nothing: it needs PyInstaller and the app's dependencies in that interpreter
# (./install.sh && .venv/bin/python -m pip install -e '.[packaging]'), says so when they are missing,
# checks the icon PNGs are current, then runs packaging/dupeview.spec.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

default_python=python3
[ -x .venv/bin/python ] && default_python=.venv/bin/python
PYTHON=${PYTHON:-$default_python}
clean=()
dist=dist
work=build/pyinstaller
while [ $# -gt 0 ]; do
  case "$1" in
    --clean) clean=(--clean); shift ;;
    --dist) dist="${2:?}"; shift 2 ;;
    --work) work="${2:?}"; shift 2 ;;
    *) echo "build.sh: unknown argument: $1" >&2; exit 2 ;;
  esac
done

if ! "$PYTHON" -c 'import PyInstaller, dupeview.resources, PIL, imagehash, send2trash, platformdirs, numpy, pillow_heif, rawpy, pillow_jxl, PySide6.QtWidgets' 2>/dev/null; then
  echo "build.sh: $PYTHON lacks PyInstaller or the app's dependencies; install them first, e.g." >&2
  echo "  ./install.sh && .venv/bin/python -m pip install -e '.[packaging]'" >&2
  exit 1
fi

"$PYTHON" resources/render_icons.py --check

echo "== PyInstaller $("$PYTHON" -m PyInstaller --version)"
start=$(date +%s)
"$PYTHON" -m PyInstaller --noconfirm --log-level WARN "${clean[@]}" \
  --distpath "$dist" --workpath "$work" packaging/dupeview.spec

app=$dist/dupeview/dupeview
[ -x "$app" ] || [ -x "$app.exe" ] || { echo "build.sh: no executable in $dist/dupeview/" >&2; exit 1; }
echo "== built $dist/dupeview/ in $(( $(date +%s) - start )) s: $(du -sh "$dist/dupeview" | cut -f1)"
