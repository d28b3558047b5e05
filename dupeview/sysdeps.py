"""What the system must provide for Qt on Linux (libraries, a display, test tools), and what is missing.

No Qt import here: this runs before Qt is loaded (so a missing library is a plain message, not a traceback or
an abort), and as a script from ./install.sh before any virtual environment exists:
`python3 dupeview/sysdeps.py app|test` prints the Debian/Ubuntu packages to install, one line.
"""

from __future__ import annotations

import ctypes
import importlib.util
import os
import re
import shutil
import sys

# Library (soname) -> Debian/Ubuntu package. The first six are loaded by QtGui/QtWidgets on any platform
# plugin; the rest by Qt's X11 plugin (libqxcb.so; Qt >= 6.5 refuses to start without xcb-cursor).
QT_LIBRARIES: dict[str, str] = {
    "libglib-2.0.so.0": "libglib2.0-0",
    "libGL.so.1": "libgl1",
    "libEGL.so.1": "libegl1",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libfontconfig.so.1": "libfontconfig1",
    "libdbus-1.so.3": "libdbus-1-3",
}
XCB_LIBRARIES: dict[str, str] = {
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-util.so.1": "libxcb-util1",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libX11-xcb.so.1": "libx11-xcb1",
}
# Programs the test suite uses when present (tests that need a missing one skip, saying which):
# the bundle smoke test (Xvfb, xdotool, xwininfo/xprop, pgrep, ImageMagick) and the desktop-file validators.
TEST_TOOLS: dict[str, str] = {
    "Xvfb": "xvfb",
    "xauth": "xauth",
    "xdotool": "xdotool",
    "xwininfo": "x11-utils",
    "pgrep": "procps",
    "import": "imagemagick",
    "desktop-file-validate": "desktop-file-utils",
    "appstreamcli": "appstream",
}
EXIT_CANNOT_START = 1


def _loads(soname: str) -> bool:
    try:
        ctypes.CDLL(soname)
    except OSError:
        return False
    return True


def missing_libraries(x11: bool = True) -> list[str]:
    """The sonames Qt needs (with its X11 plugin when x11) that the dynamic loader cannot find."""
    if not sys.platform.startswith("linux"):
        return []
    wanted = {**QT_LIBRARIES, **(XCB_LIBRARIES if x11 else {})}
    return [soname for soname in wanted if not _loads(soname)]


def packages_for(sonames: list[str]) -> list[str]:
    table = {**QT_LIBRARIES, **XCB_LIBRARIES}
    return list(dict.fromkeys(table[s] for s in sonames if s in table))


def install_hint(sonames: list[str]) -> str:
    """Plain words: which libraries are missing and the command that installs them."""
    packages = packages_for(sonames)
    unknown = [s for s in sonames if s not in {**QT_LIBRARIES, **XCB_LIBRARIES}]
    lines = [f"Qt needs system libraries that are missing: {', '.join(sonames)}."]
    if packages:
        lines.append(f"On Debian or Ubuntu install them with:  sudo apt-get install {' '.join(packages)}")
    if unknown or packages:
        lines.append("On other systems install the packages that provide these files.")
    return "\n".join(lines)


def _platform() -> str:
    """The Qt platform plugin Qt will pick: QT_QPA_PLATFORM's first entry, else wayland or xcb by session."""
    chosen = os.environ.get("QT_QPA_PLATFORM", "").split(";")[0].split(":")[0].strip()
    if chosen:
        return chosen
    if os.environ.get("WAYLAND_DISPLAY") and os.environ.get("XDG_SESSION_TYPE") == "wayland":
        return "wayland"
    return "xcb"


def _x_display_problem() -> str | None:
    """Why Qt's X11 plugin could not connect to $DISPLAY (Qt would abort), or None: the same xcb_connect Qt does."""
    display = os.environ.get("DISPLAY", "")
    try:
        xcb = ctypes.CDLL("libxcb.so.1")
    except OSError:
        return None  # reported as a missing library
    xcb.xcb_connect.restype = ctypes.c_void_p
    xcb.xcb_connect.argtypes = [ctypes.c_char_p, ctypes.POINTER(ctypes.c_int)]
    xcb.xcb_connection_has_error.argtypes = [ctypes.c_void_p]
    xcb.xcb_disconnect.argtypes = [ctypes.c_void_p]
    screen = ctypes.c_int(0)
    conn = xcb.xcb_connect(display.encode() or None, ctypes.byref(screen))
    try:
        if conn and xcb.xcb_connection_has_error(conn) == 0:
            return None
    finally:
        if conn:
            xcb.xcb_disconnect(conn)
    return f"cannot connect to the X display {display!r} (is the X server running, and may this user use it?)."


NO_DISPLAY = ("there is no display to show the app on (DISPLAY and WAYLAND_DISPLAY are not set).\n"
              "Run it from a desktop session, or over SSH with `ssh -X`; the command line needs no display: "
              "dupeview scan FOLDER (see dupeview --help).")


def gui_start_problem() -> str | None:
    """Why the desktop app cannot start here, in plain words for the terminal, or None when Qt should start."""
    if importlib.util.find_spec("PySide6") is None:
        return "PySide6 is not installed in this Python (pip install PySide6-Essentials)."
    if not sys.platform.startswith("linux"):
        return None
    platform = _platform()
    missing = missing_libraries(x11=platform == "xcb")
    if missing:
        return install_hint(missing)
    if platform == "xcb":
        if not os.environ.get("DISPLAY"):
            return NO_DISPLAY
        return _x_display_problem()
    return None


def import_failure_hint(exc: ImportError) -> str:
    """A plain message for an ImportError raised while loading PySide6 (a shared library the checks missed)."""
    found = re.search(r"(lib[\w.+-]+\.so[\w.]*)", str(exc))
    if found:
        return install_hint([found.group(1)])
    return f"Qt could not be loaded: {exc}"


def _missing_for_install(what: str) -> list[str]:
    packages = packages_for(missing_libraries(x11=True))
    if importlib.util.find_spec("ensurepip") is None:  # Debian's python3 without python3-venv: no `python3 -m venv`
        packages.insert(0, "python3-venv")
    if what == "test":
        packages += [pkg for tool, pkg in TEST_TOOLS.items() if shutil.which(tool) is None]
    return list(dict.fromkeys(packages))


if __name__ == "__main__":  # used by ./install.sh: the Debian/Ubuntu packages still missing, on one line
    if len(sys.argv) != 2 or sys.argv[1] not in ("app", "test"):
        sys.exit("usage: python3 dupeview/sysdeps.py app|test")
    print(" ".join(_missing_for_install(sys.argv[1])))
