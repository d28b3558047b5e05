#!/usr/bin/env bash
# Smoke test of the app bundle: build dist/dupeview/, run a scan with the bundled CLI, start the app
# under Xvfb with a folder argument, wait for its window, scan, take screenshots, quit with Ctrl+Q,
# and time launch -> first visible window over several runs. Exits non-zero if any step fails.
#
# Usage: packaging/smoke.sh [--no-build] [--dist DIR] [--runs N] [--out DIR]
#   --no-build   use the existing DIR/dupeview/ (default: run packaging/build.sh --dist DIR first)
#   --dist DIR   where the bundle is built (default dist/; the test suite builds in its temp folder)
#   --runs N     timed launches after the first one (default 5)
#   --out DIR    screenshots and logs (default /tmp/dupeview-smoke)
# Env: SMOKE_FOLDER (default /work/shared/corpus when it exists, else a few generated images),
#      SMOKE_MAX_START (seconds; fail if the median launch is slower, default 5; the target is 1.5).
# Installs nothing: it needs Xvfb, xdotool, x11-utils and ImageMagick (./install.sh --test installs them on
# Debian/Ubuntu), and libgl1 libegl1 fontconfig-config that the bundle needs on a bare system.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$(pwd)
PATH=$PATH:/usr/sbin:/sbin   # ldconfig, for an ordinary user

build=1
runs=5
out=/tmp/dupeview-smoke
dist=$ROOT/dist
while [ $# -gt 0 ]; do
  case "$1" in
    --no-build) build=0; shift ;;
    --dist) dist=$(realpath -m "${2:?}"); shift 2 ;;
    --runs) runs="${2:?}"; shift 2 ;;
    --out) out="${2:?}"; shift 2 ;;
    *) echo "smoke.sh: unknown argument: $1" >&2; exit 2 ;;
  esac
done
max_start=${SMOKE_MAX_START:-5}
t0=$(date +%s)
step() { printf '\n== %s (%ss)\n' "$*" "$(( $(date +%s) - t0 ))"; }
fail() { echo "SMOKE FAILED: $*" >&2; exit 1; }
now() { date +%s%N; }
ms_since() { echo $(( ($(now) - $1) / 1000000 )); }

# -- tools -------------------------------------------------------------------------------------
step "tools"
missing=()
command -v Xvfb >/dev/null || missing+=(xvfb)
command -v xdotool >/dev/null || missing+=(xdotool)
command -v xwininfo >/dev/null || missing+=(x11-utils)
command -v pgrep >/dev/null || missing+=(procps)
{ command -v import >/dev/null && import -version 2>/dev/null | grep -q ImageMagick; } || missing+=(imagemagick)
ldconfig -p | grep -q 'libGL.so.1 ' || missing+=(libgl1)
ldconfig -p | grep -q 'libEGL.so.1 ' || missing+=(libegl1)
[ -d /etc/fonts ] || missing+=(fontconfig-config)
[ ${#missing[@]} -eq 0 ] || fail "missing: ${missing[*]} (on Debian/Ubuntu: sudo apt-get install ${missing[*]})"

# -- build -------------------------------------------------------------------------------------
if [ "$build" = 1 ]; then
  step "build"
  if [ "$dist" = "$ROOT/dist" ]; then packaging/build.sh; else packaging/build.sh --dist "$dist" --work "$dist/.work"; fi
fi
app="$dist/dupeview/dupeview"
[ -x "$app" ] || fail "no bundle at $app (run without --no-build)"
echo "bundle: $(du -sh "$dist/dupeview" | cut -f1)  ($app)"
internal="$dist/dupeview/_internal"
[ -f "$internal/dupeview/resources/i18n/dupeview_de.qm" ] || fail "dupeview's translations are not in the bundle"
[ -f "$internal/PySide6/Qt/translations/qtbase_de.qm" ] || fail "Qt's own translations are not in the bundle"

rm -rf "$out"
mkdir -p "$out"
work=$(mktemp -d "${TMPDIR:-/tmp}/dupeview-smoke-XXXXXX")
xvfb_pid=""
app_pid=""
cleanup() {
  if [ -n "$app_pid" ] && kill -0 "$app_pid" 2>/dev/null; then kill "$app_pid" 2>/dev/null || true; fi
  if [ -n "$xvfb_pid" ] && kill -0 "$xvfb_pid" 2>/dev/null; then kill "$xvfb_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

# An isolated home: no settings, cache or log of the user's, and a fresh first run.
export HOME="$work/home" XDG_CONFIG_HOME="$work/home/.config" XDG_CACHE_HOME="$work/home/.cache" \
  XDG_DATA_HOME="$work/home/.local/share" DUPEVIEW_HOME="$work/home/dupeview"
unset DUPEVIEW_CACHE QT_QPA_PLATFORM
mkdir -p "$HOME"

folder=${SMOKE_FOLDER:-}
if [ -z "$folder" ]; then
  if [ -d /work/shared/corpus ]; then
    folder=/work/shared/corpus
  else
    folder="$work/photos"     # a few duplicates made from the app icon renders
    mkdir -p "$folder/a" "$folder/b"
    for s in 128 256 512; do
      cp "$ROOT/dupeview/resources/app/dupeview-$s.png" "$folder/a/icon-$s.png"
      cp "$ROOT/dupeview/resources/app/dupeview-$s.png" "$folder/b/copy-of-icon-$s.png"
    done
  fi
fi
echo "folder: $folder"

# -- the CLI in the bundle: worker processes from the frozen executable ----------------------------
step "bundled CLI scan"
"$app" scan "$folder" --format json --no-cache --workers 2 -q > "$out/scan.json" 2> "$out/scan.err" \
  || { cat "$out/scan.err" >&2; fail "dupeview scan exited non-zero"; }
grep -q '"groups"' "$out/scan.json" || fail "dupeview scan printed no JSON report"
tr -d '\n' < "$out/scan.json" | grep -o '"summary": *{[^}]*}' | tr -s ' ' || true

# -- the app under Xvfb ----------------------------------------------------------------------------
step "Xvfb"
display=""
for n in $(seq 90 120); do
  if [ ! -e "/tmp/.X11-unix/X$n" ] && [ ! -e "/tmp/.X$n-lock" ]; then display=":$n"; break; fi
done
[ -n "$display" ] || fail "no free X display"
Xvfb "$display" -screen 0 1600x1000x24 -nolisten tcp -noreset > "$out/xvfb.log" 2>&1 &
xvfb_pid=$!
export DISPLAY="$display"
for _ in $(seq 100); do xwininfo -root >/dev/null 2>&1 && break; sleep 0.05; done
xwininfo -root >/dev/null 2>&1 || fail "Xvfb did not start (see $out/xvfb.log)"

# Start the app and wait for its first visible window: sets $app_pid, $wid and $launch_ms
# (launch -> window mapped, polled every ~25 ms). Not run in a subshell: it sets globals.
wid=""
launch_ms=0
launch() {
  local log="$1" start
  shift
  start=$(now)
  "$app" "$@" > "$log" 2>&1 &
  app_pid=$!
  wid=""
  while [ "$(ms_since "$start")" -lt 30000 ]; do
    wid=$(xdotool search --onlyvisible --name '^dupeview' 2>/dev/null | head -1 || true)
    [ -n "$wid" ] && break
    kill -0 "$app_pid" 2>/dev/null || { cat "$log" >&2; fail "the app exited before showing a window"; }
    sleep 0.02
  done
  launch_ms=$(ms_since "$start")
  [ -n "$wid" ] || { cat "$log" >&2; fail "no window within 30 s"; }
}

focus() { timeout 5 xdotool windowfocus --sync "$wid" 2>/dev/null || true; }

# Quit with Ctrl+Q like a user; the app must exit by itself with status 0.
quit_app() {
  focus
  xdotool key --clearmodifiers ctrl+q
  local i status=0
  for i in $(seq 100); do kill -0 "$app_pid" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$app_pid" 2>/dev/null && fail "the app did not quit within 10 s of Ctrl+Q"
  wait "$app_pid" || status=$?
  app_pid=""
  [ "$status" = 0 ] || fail "the app exited with status $status"
}

shot() {  # a screenshot of the app window, and a check that it is not blank
  timeout 30 import -window "$wid" "$out/$1" || fail "screenshot $1 failed"
  local sd
  sd=$(convert "$out/$1" -colorspace Gray -format '%[fx:standard_deviation]' info: 2>/dev/null || echo 0)
  awk -v sd="$sd" 'BEGIN { exit !(sd > 0.02) }' || fail "screenshot $1 is blank (sd $sd)"
  echo "screenshot: $out/$1"
}

step "launch with $folder"
launch "$out/app-first.log" "$folder"
first=$launch_ms
echo "first launch (fresh home): window after ${first} ms"
xwininfo -id "$wid" | grep -E 'Width|Height|Map State' | tr -s ' '
xprop -id "$wid" WM_CLASS
icon_sizes=$(xprop -id "$wid" _NET_WM_ICON 2>/dev/null | grep -o 'Icon ([0-9]* x [0-9]*)' | tr '\n' ' ' || true)
[ -n "$icon_sizes" ] || fail "the window has no icon (_NET_WM_ICON)"
echo "window icon: $icon_sizes"
sleep 1
shot window.png

step "scan in the app (F5)"
focus
xdotool key --clearmodifiers F5
workers_seen=0
for _ in $(seq 100); do   # the worker processes appear...
  if pgrep -P "$app_pid" -f multiprocessing-fork >/dev/null; then workers_seen=1; break; fi
  sleep 0.1
done
[ "$workers_seen" = 1 ] || fail "no worker process started after F5"
for _ in $(seq 900); do   # ...and go away when the scan is done
  pgrep -P "$app_pid" -f multiprocessing-fork >/dev/null || break
  sleep 0.1
done
pgrep -P "$app_pid" -f multiprocessing-fork >/dev/null && fail "the scan did not finish within 90 s"
sleep 3                   # thumbnails
kill -0 "$app_pid" || fail "the app died during the scan"
shot results.png
xdotool key --clearmodifiers alt+g   # the Group menu, with its icons
sleep 0.7
timeout 30 import -window root "$out/menu.png" || fail "screenshot menu.png failed"
echo "screenshot: $out/menu.png"
xdotool key Escape
sleep 0.3

step "dark theme (View > Appearance > Dark)"
xdotool key --clearmodifiers alt+v
sleep 0.4
xdotool key Return
sleep 0.4
xdotool key Down Down Return
sleep 1
shot results-dark.png
step "quit (Ctrl+Q)"
quit_app

step "launch -> first window, $runs runs"
times=()
for i in $(seq "$runs"); do
  launch "$out/app-run$i.log" "$folder"
  t=$launch_ms
  times+=("$t")
  echo "run $i: window after $t ms"
  sleep 0.5
  quit_app
done
median=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : int((a[NR/2] + a[NR/2+1]) / 2)}')
echo "first ${first} ms (fresh home); then ${times[*]} ms; median ${median} ms (target <= 1500)"
awk -v m="$median" -v max="$max_start" 'BEGIN { exit !(m <= max * 1000) }' \
  || fail "median launch ${median} ms is over ${max_start} s"

step "passed"
echo "smoke passed in $(( $(date +%s) - t0 )) s; screenshots in $out"
