#!/usr/bin/env bash
# Install (or remove) dupeview's menu entry, icons and AppStream metadata in the user's XDG dirs:
#   ~/.local/share/applications/io.github.dupeview.Dupeview.desktop
#   ~/.local/share/icons/hicolor/<N>x<N>/apps/io.github.dupeview.Dupeview.png  (+ scalable/apps/….svg)
#   ~/.local/share/metainfo/io.github.dupeview.Dupeview.metainfo.xml
#
# Usage: install-desktop.sh [--exec PATH] [--data-dir DIR] [--uninstall]
#   --exec PATH     the launcher the menu entry starts. Default: the bundle's executable when this
#                   script sits in a PyInstaller bundle (dist/dupeview/), else `dupeview` on PATH
#                   (what `pip install .` installs), else ../dist/dupeview/dupeview.
#   --data-dir DIR  instead of ${XDG_DATA_HOME:-~/.local/share}
#   --uninstall     remove what an install put there
#
# Works from a source checkout (packaging/install-desktop.sh) and from a bundle (dist/dupeview/install-desktop.sh).
set -euo pipefail

APP_ID=io.github.dupeview.Dupeview
SIZES="16 24 32 48 64 128 256 512"
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
exec_path=""
data_dir="${XDG_DATA_HOME:-$HOME/.local/share}"
uninstall=0

while [ $# -gt 0 ]; do
  case "$1" in
    --exec) exec_path="${2:?--exec needs a path}"; shift 2 ;;
    --exec=*) exec_path="${1#*=}"; shift ;;
    --data-dir) data_dir="${2:?--data-dir needs a folder}"; shift 2 ;;
    --data-dir=*) data_dir="${1#*=}"; shift ;;
    --uninstall) uninstall=1; shift ;;
    -h|--help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "install-desktop.sh: unknown argument: $1 (try --help)" >&2; exit 2 ;;
  esac
done

apps_dir="$data_dir/applications"
icons_dir="$data_dir/icons/hicolor"
meta_dir="$data_dir/metainfo"

refresh_caches() {
  if command -v update-desktop-database >/dev/null 2>&1; then update-desktop-database -q "$apps_dir" 2>/dev/null || true; fi
  if command -v gtk-update-icon-cache >/dev/null 2>&1 && [ -f "$icons_dir/index.theme" ]; then
    gtk-update-icon-cache -q -t -f "$icons_dir" 2>/dev/null || true
  fi
  touch "$icons_dir" 2>/dev/null || true   # desktops watch the folder's mtime
}

if [ "$uninstall" = 1 ]; then
  rm -f "$apps_dir/$APP_ID.desktop" "$meta_dir/$APP_ID.metainfo.xml" "$icons_dir/scalable/apps/$APP_ID.svg"
  for s in $SIZES; do rm -f "$icons_dir/${s}x${s}/apps/$APP_ID.png"; done
  refresh_caches
  echo "Removed the dupeview menu entry and icons from $data_dir"
  exit 0
fi

# Where the icons and templates are: inside a bundle, or in a source checkout.
if [ -x "$here/dupeview" ] && [ -d "$here/_internal" ]; then
  art="$here/_internal/dupeview/resources/app"
  templates="$here/_internal/desktop"
  default_exec="$here/dupeview"
else
  art="$here/../dupeview/resources/app"
  templates="$here/linux"
  default_exec=""
  if command -v dupeview >/dev/null 2>&1; then
    default_exec=$(command -v dupeview)
    # A pyenv shim depends on the shell's pyenv setup: point the menu at the real script instead.
    case "$default_exec" in
      */shims/dupeview) default_exec=$(pyenv which dupeview 2>/dev/null || echo "$default_exec") ;;
    esac
  elif [ -x "$here/../dist/dupeview/dupeview" ]; then
    default_exec="$here/../dist/dupeview/dupeview"
  fi
fi
if [ -z "$exec_path" ]; then
  exec_path="$default_exec"
fi
if [ -z "$exec_path" ]; then
  echo "install-desktop.sh: no dupeview launcher found: pip install . (or build the bundle), or pass --exec PATH" >&2
  exit 1
fi
case "$exec_path" in
  /*) ;;
  */*) exec_path="$(cd "$(dirname "$exec_path")" && pwd)/$(basename "$exec_path")" ;;
  *) exec_path=$(command -v "$exec_path" || true) ;;
esac
if [ -z "$exec_path" ] || [ ! -x "$exec_path" ]; then
  echo "install-desktop.sh: not an executable: ${exec_path:-?}" >&2
  exit 1
fi
for f in "$art/dupeview.svg" "$templates/$APP_ID.desktop" "$templates/$APP_ID.metainfo.xml"; do
  [ -f "$f" ] || { echo "install-desktop.sh: missing $f" >&2; exit 1; }
done

# Desktop Entry quoting: an argument with special characters goes in double quotes, with " ` $ \
# backslash-escaped; then every backslash is doubled (the string escape rule applies first); % is %%.
desktop_quote() {
  local s="$1"
  if [[ "$s" =~ ^[A-Za-z0-9_./+-]+$ ]]; then
    printf '%s' "$s"
    return
  fi
  s=${s//\\/\\\\}; s=${s//\"/\\\"}; s=${s//\`/\\\`}; s=${s//\$/\\\$}
  s=${s//\\/\\\\}
  s=${s//%/%%}
  printf '"%s"' "$s"
}
string_escape() {
  local s="$1"
  printf '%s' "${s//\\/\\\\}"
}

mkdir -p "$apps_dir" "$meta_dir" "$icons_dir/scalable/apps"
for s in $SIZES; do
  mkdir -p "$icons_dir/${s}x${s}/apps"
  install -m 644 "$art/dupeview-$s.png" "$icons_dir/${s}x${s}/apps/$APP_ID.png"
done
install -m 644 "$art/dupeview.svg" "$icons_dir/scalable/apps/$APP_ID.svg"
install -m 644 "$templates/$APP_ID.metainfo.xml" "$meta_dir/$APP_ID.metainfo.xml"

exec_value="$(desktop_quote "$exec_path") %F"
tryexec_value="$(string_escape "$exec_path")"
tmp="$apps_dir/.$APP_ID.desktop.tmp"
while IFS= read -r line || [ -n "$line" ]; do
  case "$line" in
    Exec=*) printf 'Exec=%s\n' "$exec_value" ;;
    TryExec=*) printf 'TryExec=%s\n' "$tryexec_value" ;;
    "# install-desktop.sh rewrites"*) ;;
    *) printf '%s\n' "$line" ;;
  esac
done < "$templates/$APP_ID.desktop" > "$tmp"
chmod 644 "$tmp"
mv -f "$tmp" "$apps_dir/$APP_ID.desktop"
refresh_caches

echo "Installed the dupeview menu entry: $apps_dir/$APP_ID.desktop"
echo "  Exec=$exec_value"
echo "  icons in $icons_dir/{16x16..512x512,scalable}/apps/"
