"""The `dupeview` entry point in real subprocesses: usage errors, --version, and a plain message when Qt can't start."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from dupeview import __version__, sysdeps

ROOT = Path(__file__).resolve().parents[1]


def _no_qt_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY")}
    return {**env, "PYTHONPATH": str(ROOT), **extra}


def run_clean(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "dupeview", *args], capture_output=True, text=True, env=env,
                          timeout=60, check=False)


@pytest.mark.parametrize("arg", ["-V", "--versoin", "help", "Scan", "--json", "-x"])
def test_unknown_first_argument_is_a_usage_error_not_the_app(arg: str, tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "dupeview", arg], capture_output=True, text=True, cwd=tmp_path,
                          env=_no_qt_env(), timeout=60, check=False)
    assert done.returncode == 2, done.stderr
    assert done.stdout == ""
    assert "unknown" in done.stderr and repr(arg) in done.stderr
    assert "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) <= 2


def test_version() -> None:
    done = run_clean("--version", env=_no_qt_env())
    assert (done.returncode, done.stdout.strip()) == (0, f"dupeview {__version__}")


def test_no_display_is_one_plain_message_and_exit_1(tmp_path: Path) -> None:
    # Over SSH without -X: no DISPLAY, no WAYLAND_DISPLAY, no QT_QPA_PLATFORM. Qt would abort (exit 134).
    done = run_clean(str(tmp_path), env=_no_qt_env(DISPLAY=""))
    assert done.returncode == sysdeps.EXIT_CANNOT_START, done.stderr
    assert done.stderr.startswith("dupeview: the app cannot start: there is no display")
    assert "ssh -X" in done.stderr and "dupeview scan" in done.stderr
    assert "Traceback" not in done.stderr and "core dumped" not in done.stderr


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="X11 is for Linux")
def test_unreachable_x_display_is_a_plain_message(tmp_path: Path) -> None:
    done = run_clean(env=_no_qt_env(DISPLAY=":64999"))
    assert done.returncode == sysdeps.EXIT_CANNOT_START, done.stderr
    assert "cannot connect to the X display ':64999'" in done.stderr
    assert "Traceback" not in done.stderr


def test_folder_arguments_must_exist(tmp_path: Path) -> None:
    done = run_clean(str(tmp_path / "nope"), env=_no_qt_env(QT_QPA_PLATFORM="offscreen"))
    assert done.returncode == 2 and "nope" in done.stderr


def test_missing_library_message_names_the_package_and_the_command() -> None:
    text = sysdeps.install_hint(["libxcb-cursor.so.0", "libglib-2.0.so.0"])
    assert "libxcb-cursor.so.0, libglib-2.0.so.0" in text
    assert re.search(r"sudo apt(-get)? install libxcb-cursor0 libglib2\.0-0$", text, re.MULTILINE), text
    # The ImportError PySide6 raises when libglib is missing, as seen on a bare Debian 12:
    exc = ImportError("libglib-2.0.so.0: cannot open shared object file: No such file or directory")
    hint = sysdeps.import_failure_hint(exc)
    assert re.search(r"sudo apt(-get)? install libglib2\.0-0$", hint, re.MULTILINE), hint


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the library check is for Linux")
def test_every_library_in_the_table_is_one_qt_really_links() -> None:
    # The table must not drift from Qt: each X11 entry is a direct or indirect dependency of the xcb plugin here.
    import importlib.util

    ldd = shutil.which("ldd")
    spec = importlib.util.find_spec("PySide6")
    if ldd is None or spec is None or spec.origin is None:
        pytest.skip("needs ldd and PySide6")
    plugin = Path(spec.origin).parent / "Qt" / "plugins" / "platforms" / "libqxcb.so"
    linked = subprocess.run([ldd, str(plugin)], capture_output=True, text=True, check=True).stdout
    for soname in {**sysdeps.QT_LIBRARIES, **sysdeps.XCB_LIBRARIES}:
        assert soname in linked, f"{soname} is not linked by {plugin.name}: drop it from sysdeps"
    assert sysdeps.missing_libraries() == []      # this machine runs the Qt tests, so it has them all


def test_install_script_lists_what_is_missing_on_one_line() -> None:
    done = subprocess.run([sys.executable, str(ROOT / "dupeview" / "sysdeps.py"), "app"], capture_output=True,
                          text=True, check=True)
    assert len(done.stdout.splitlines()) <= 1
    bad = subprocess.run([sys.executable, str(ROOT / "dupeview" / "sysdeps.py"), "nope"], capture_output=True,
                         text=True, check=False)
    assert bad.returncode != 0 and "usage" in bad.stderr


@pytest.mark.skipif(shutil.which("Xvfb") is None, reason="needs Xvfb (./install.sh --test installs it)")
def test_ctrl_c_quits_the_app_cleanly(tmp_path: Path) -> None:
    """A real app on a real X server; SIGINT (Ctrl+C in its terminal) closes it: exit 130, no traceback."""
    display = None
    for n in range(140, 200):
        if not os.path.exists(f"/tmp/.X11-unix/X{n}") and not os.path.exists(f"/tmp/.X{n}-lock"):
            display = f":{n}"
            break
    if display is None:
        pytest.skip("no free X display number")
    xvfb = subprocess.Popen(["Xvfb", display, "-screen", "0", "800x600x24", "-nolisten", "tcp"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            if os.path.exists(f"/tmp/.X11-unix/X{display[1:]}"):
                break
            time.sleep(0.05)
        home = tmp_path / "home"
        app = subprocess.Popen([sys.executable, "-m", "dupeview", str(tmp_path)], text=True,
                               env=_no_qt_env(DISPLAY=display, DUPEVIEW_HOME=str(home)),
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        # wait until the app logged that it started (its event loop is about to run)
        deadline = time.monotonic() + 60
        started = False
        while time.monotonic() < deadline and app.poll() is None:
            if any("started" in p.read_text(errors="replace") for p in home.rglob("dupeview.log")):
                started = True
                break
            time.sleep(0.1)
        assert started, app.communicate(timeout=10)
        time.sleep(0.5)
        app.send_signal(signal.SIGINT)
        _out, err = app.communicate(timeout=30)
        assert app.returncode == 130, err
        assert "Traceback" not in err and "KeyboardInterrupt" not in err
    finally:
        xvfb.terminate()
        xvfb.wait(timeout=10)
