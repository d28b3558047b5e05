#!/usr/bin/env bash
# Build the one-folder app bundle dist/dupeview/ with PyInstaller (runs on a machine without Python).
#
# Usage: packaging/build.sh [--clean]
#   PYTHON=python3.11 packaging/build.sh   to pick the interpreter (default: python3)
#
# Installs PyInstaller (the `packaging` extra) and the app's dependencies into that interpreter
# when they are missing, checks the icon PNGs are current, then runs packaging/dupeview.spec.
# Artefacts: build/pyinstaller/ (work files) and dist/dupeview/ (the bundle); both are git-ignored.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

PYTHON=${PYTHON:-python3}
clean=()
for arg in "$@"; do
  case "$arg" in
    --clean) clean=(--clean) ;;
    *) echo "build.sh: unknown argument: $arg" >&2; exit 2 ;;
  esac
done

if ! "$PYTHON" -c 'import PyInstaller, dupeview.resources, PIL, imagehash, send2trash, platformdirs, numpy, scipy, pillow_heif' 2>/dev/null; then
  echo "== installing dupeview[packaging] into $("$PYTHON" -c 'import sys; print(sys.prefix)')"
  "$PYTHON" -m pip install -q -e '.[packaging]'
fi

"$PYTHON" resources/render_icons.py --check

echo "== PyInstaller $("$PYTHON" -m PyInstaller --version)"
start=$(date +%s)
"$PYTHON" -m PyInstaller --noconfirm --log-level WARN "${clean[@]}" \
  --distpath dist --workpath build/pyinstaller packaging/dupeview.spec

app=dist/dupeview/dupeview
[ -x "$app" ] || [ -x "$app.exe" ] || { echo "build.sh: no executable in dist/dupeview/" >&2; exit 1; }
echo "== built dist/dupeview/ in $(( $(date +%s) - start )) s: $(du -sh dist/dupeview | cut -f1)"
