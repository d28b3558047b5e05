#!/bin/sh
# Install dupeview from this checkout into a virtual environment, .venv/ (PEP 668: Debian 12, Ubuntu 23.04+
# and others refuse `pip install` into the system Python), after the system libraries Qt needs.
#
# Usage: ./install.sh          the app:  then .venv/bin/dupeview
#        ./install.sh --test   editable, with the test, milvus and packaging extras and the tools the test suite
#                              uses (Xvfb, xdotool, ImageMagick, desktop-file-utils, appstream): then
#                              .venv/bin/python -m pytest
# Env:   PYTHON=python3.12 ./install.sh   picks the interpreter for the venv (3.11 or newer; default python3).
#
# Only what is missing is installed: `sudo apt-get install` runs (and asks for a password) only when a library
# is missing; on a desktop that has them nothing is installed system-wide. On systems without apt-get it names
# what is missing and stops.
set -eu
cd "$(dirname "$0")"

what=app
case "${1:-}" in
  "") ;;
  --test) what=test ;;
  -h|--help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
  *) echo "install.sh: unknown argument: $1 (see ./install.sh --help)" >&2; exit 2 ;;
esac
PYTHON=${PYTHON:-python3}
command -v "$PYTHON" >/dev/null 2>&1 || { echo "install.sh: $PYTHON not found; dupeview needs Python 3.11 or newer" >&2; exit 1; }
"$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
  || { echo "install.sh: dupeview needs Python 3.11 or newer; $PYTHON is $("$PYTHON" -V 2>&1)" >&2; exit 1; }

missing=$("$PYTHON" dupeview/sysdeps.py "$what")
if [ -n "$missing" ]; then
  if command -v apt-get >/dev/null 2>&1; then
    sudo=""
    [ "$(id -u)" = 0 ] || sudo=sudo
    echo "install.sh: installing system packages: $missing"
    # shellcheck disable=SC2086  # one word per package
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing \
      || { $sudo apt-get update -q && $sudo env DEBIAN_FRONTEND=noninteractive \
             apt-get install -y -q --no-install-recommends $missing; }
  elif [ "$what" = app ]; then
    echo "install.sh: missing (Debian/Ubuntu package names): $missing" >&2
    echo "install.sh: install the packages that provide them with your system's package manager, then run me again" >&2
    exit 1
  else
    echo "install.sh: not installed (tests that need them will skip): $missing" >&2
  fi
fi

[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
if [ "$what" = test ]; then
  .venv/bin/python -m pip install --disable-pip-version-check -q -e '.[test,milvus,packaging]'
  echo "install.sh: ready: .venv/bin/python -m pytest"
else
  # ImageHash without the scipy and PyWavelets it declares (about 150 MB that only its phash/whash import, which
  # dupeview never calls: see packaging/runtime_requirements.py); every other requirement as pyproject.toml has it.
  .venv/bin/python packaging/runtime_requirements.py > .venv/dupeview-requirements.txt
  .venv/bin/python -m pip install --disable-pip-version-check -q -r .venv/dupeview-requirements.txt
  .venv/bin/python packaging/runtime_requirements.py --no-deps > .venv/dupeview-no-deps.txt
  .venv/bin/python -m pip install --disable-pip-version-check -q --no-deps -r .venv/dupeview-no-deps.txt .
  echo "install.sh: installed; start it with .venv/bin/dupeview (menu entry: packaging/install-desktop.sh)"
fi
