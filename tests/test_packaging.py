"""Packaging: the PyInstaller spec, the desktop entry, AppStream metadata, install-desktop.sh, the wheel,
and (on Linux, with Xvfb, xdotool, ImageMagick and PyInstaller) the bundle's smoke test."""

from __future__ import annotations

import configparser
import importlib.util
import os
import shutil
import stat
import subprocess
import sys
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path
from types import SimpleNamespace

import pytest

import dupeview
from dupeview import APP_ID, APP_NAME, __version__

ROOT = Path(__file__).resolve().parents[1]
PACKAGING = ROOT / "packaging"
DESKTOP = PACKAGING / "linux" / f"{APP_ID}.desktop"
METAINFO = PACKAGING / "linux" / f"{APP_ID}.metainfo.xml"
SCRIPTS = [PACKAGING / n for n in ("build.sh", "install-desktop.sh", "smoke.sh")]
LINUX = sys.platform.startswith("linux")


# -- the spec ---------------------------------------------------------------------------------------
class _Recorder:
    calls: list[tuple[str, tuple, dict]] = []

    def __init__(self, *args: object, **kwargs: object) -> None:
        _Recorder.calls.append((type(self).__name__, args, kwargs))
        self.args, self.kwargs = args, kwargs


def run_spec(tmp_path: Path) -> dict:
    """Execute the spec with stand-ins for PyInstaller's classes: what it asks for, without building."""
    _Recorder.calls = []
    kinds = {n: type(n, (_Recorder,), {}) for n in ("PYZ", "EXE", "COLLECT", "BUNDLE")}

    class Analysis(_Recorder):
        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, **kwargs)
            self.scripts, self.pure, self.binaries = [], [], []
            self.datas = list(kwargs.get("datas", []))

    dist = tmp_path / "dist"
    (dist / APP_NAME).mkdir(parents=True)
    namespace = {"SPECPATH": str(PACKAGING), "workpath": str(tmp_path / "work"), "DISTPATH": str(dist),
                 "Analysis": Analysis, **kinds, "__file__": str(PACKAGING / "dupeview.spec")}
    exec(compile((PACKAGING / "dupeview.spec").read_text(encoding="utf-8"), "dupeview.spec", "exec"), namespace)
    namespace["_calls"] = list(_Recorder.calls)
    namespace["_dist"] = dist
    return namespace


def _call(ns: dict, kind: str) -> SimpleNamespace:
    calls = [c for c in ns["_calls"] if c[0] == kind]
    assert calls, f"the spec made no {kind}"
    return SimpleNamespace(args=calls[0][1], kwargs=calls[0][2])


def test_spec_builds_a_windowed_one_folder_app_named_from_the_package(tmp_path: Path) -> None:
    ns = run_spec(tmp_path)
    assert (ns["APP_NAME"], ns["APP_ID"], ns["VERSION"]) == (dupeview.APP_NAME, dupeview.APP_ID, dupeview.__version__)
    exe = _call(ns, "EXE")
    assert exe.kwargs["name"] == APP_NAME
    assert exe.kwargs["console"] is False
    assert exe.kwargs["exclude_binaries"] is True          # one-folder
    assert exe.kwargs["upx"] is False
    coll = _call(ns, "COLLECT")
    assert coll.kwargs["name"] == APP_NAME
    analysis = _call(ns, "Analysis")
    assert analysis.args[0] == [str(PACKAGING / "launcher.py")]
    datas = {dest for _, dest in analysis.kwargs["datas"]}
    assert {"dupeview/resources/icons", "dupeview/resources/app", "dupeview/resources/i18n"} <= datas
    excludes = set(analysis.kwargs["excludes"])
    assert {"tkinter", "PySide6.QtNetwork", "PySide6.QtQml", "PySide6.QtQuick", "scipy", "pywt"} <= excludes
    for needed in ("unittest", "numpy.f2py", "PySide6.QtSvg", "PySide6.QtDBus"):
        assert needed not in excludes, f"{needed} is imported at run time"
    if LINUX:
        script = ns["_dist"] / APP_NAME / "install-desktop.sh"
        assert script.is_file() and script.stat().st_mode & stat.S_IXUSR


def test_spec_trims_qt_translations_and_plugins_the_app_does_not_use(tmp_path: Path) -> None:
    keep = run_spec(tmp_path)["keep"]
    qt = "PySide6/Qt/"

    def kept(dest: str) -> bool:
        return keep((dest, "/src/" + dest, "BINARY"))
    assert kept(qt + "translations/qtbase_de.qm")          # Qt's own dialogs and buttons, translated
    assert not kept(qt + "translations/assistant_de.qm") and not kept(qt + "translations/qtdeclarative_de.qm")
    assert kept(qt + "plugins/platforms/libqxcb.so")
    assert kept(qt + "plugins/platforms/libqwayland.so")
    assert not kept(qt + "plugins/platforms/libqeglfs.so")
    assert not kept(qt + "plugins/platformthemes/libqgtk3.so")
    assert kept(qt + "plugins/platformthemes/libqxdgdesktopportal.so")
    assert kept(qt + "plugins/imageformats/libqjpeg.so")
    assert not kept(qt + "plugins/imageformats/libqpdf.so")
    assert not kept(qt + "plugins/sqldrivers/libqsqlite.so")
    assert not kept(qt + "plugins/some-new-kind/libx.so")
    assert kept("PySide6/Qt/lib/libQt6Gui.so.6")
    assert not kept("libQt6Pdf.so.6") and not kept("libQt6Quick.so.6") and not kept("libQt6Network.so.6")
    assert kept("dupeview/resources/icons/trash.svg")


def test_launcher_runs_the_package_main() -> None:
    text = (PACKAGING / "launcher.py").read_text(encoding="utf-8")
    assert "from dupeview.__main__ import main" in text and "sys.exit(main())" in text


# -- desktop entry and AppStream ------------------------------------------------------------------
def _desktop_entry(path: Path) -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    parser.read(path, encoding="utf-8")
    return parser["Desktop Entry"]


def test_desktop_entry() -> None:
    entry = _desktop_entry(DESKTOP)
    assert entry["Type"] == "Application"
    assert entry["Name"] == APP_NAME
    assert entry["Icon"] == APP_ID
    assert entry["Exec"].split()[0] == APP_NAME and entry["Exec"].endswith("%F")
    assert entry["Terminal"] == "false"
    assert entry["StartupWMClass"] == APP_NAME       # Qt's WM_CLASS for the `dupeview` executable
    assert "Graphics;" in entry["Categories"]


def test_metainfo() -> None:
    root = ET.parse(METAINFO).getroot()
    assert root.tag == "component" and root.get("type") == "desktop-application"
    assert root.findtext("id") == APP_ID
    assert root.findtext("launchable") == f"{APP_ID}.desktop"
    assert root.findtext("name") == APP_NAME
    assert root.findtext("provides/binary") == APP_NAME
    releases = root.findall("releases/release")
    assert releases and releases[0].get("version") == __version__, \
        "add a <release> for the new version to the metainfo (newest first)"
    assert releases[0].findtext("description/p"), "say what the release brings"
    assert root.findtext("url[@type='homepage']", "").startswith("https://")
    assert root.findtext("developer_name")
    assert root.find("content_rating[@type='oars-1.1']") is not None
    # every screenshot URL names a file of this repository (raw.githubusercontent.com/<owner>/<repo>/main/<path>)
    images = [i.text or "" for i in root.findall("screenshots/screenshot/image")]
    assert images
    for url in images:
        local = ROOT / url.split("/main/", 1)[1]
        assert local.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", url


def test_metadata_licence_urls_and_scripts() -> None:
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["license"] == "MIT" and "MIT License" in (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert not [c for c in project["classifiers"] if c.startswith("License ::")], "SPDX expression only (PEP 639)"
    assert {"Homepage", "Source", "Issues"} <= set(project["urls"]) and project["authors"]
    assert project["gui-scripts"]["dupeview-gui"] == "dupeview.__main__:gui_main"
    assert {f"Programming Language :: Python :: 3.{n}" for n in (11, 12, 13)} <= set(project["classifiers"])
    pyside = [d for d in project["dependencies"] if d.startswith("PySide6")]
    assert sorted(pyside) == ["PySide6-Essentials>=6.11,<6.12; python_version < '3.12'",
                              "PySide6-Essentials>=6.11; python_version >= '3.12'"]


@pytest.mark.skipif(shutil.which("desktop-file-validate") is None, reason="desktop-file-utils not installed")
def test_desktop_entry_validates() -> None:
    subprocess.run(["desktop-file-validate", str(DESKTOP)], check=True)


@pytest.mark.skipif(shutil.which("appstreamcli") is None, reason="appstream not installed")
def test_metainfo_validates_strictly() -> None:
    done = subprocess.run(["appstreamcli", "validate", "--strict", "--no-net", "--explain", str(METAINFO)],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr


# -- install-desktop.sh ---------------------------------------------------------------------------
def _install(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["bash", str(PACKAGING / "install-desktop.sh"), *args], capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, check=False)


def _fake_launcher(folder: Path, name: str = APP_NAME) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text("#!/bin/sh\nexit 0\n")
    path.chmod(0o755)
    return path


@pytest.mark.skipif(not LINUX, reason="XDG desktop integration is for Linux")
def test_install_desktop_writes_entry_icons_and_metainfo_then_uninstalls(tmp_path: Path) -> None:
    launcher = _fake_launcher(tmp_path / "my apps" / 'odd "$name"', "dupeview")
    data = tmp_path / "share"
    done = _install("--exec", str(launcher), "--data-dir", str(data))
    assert done.returncode == 0, done.stderr
    desktop = data / "applications" / f"{APP_ID}.desktop"
    entry = _desktop_entry(desktop)
    assert entry["TryExec"] == str(launcher)
    # Desktop Entry quoting: in double quotes, " ` $ \ escaped by a backslash, then backslashes doubled.
    quoted = str(launcher).replace("\\", "\\\\").replace('"', '\\"').replace("$", "\\$").replace("\\", "\\\\")
    assert entry["Exec"] == f'"{quoted}" %F'
    for size in (16, 24, 32, 48, 64, 128, 256, 512):
        png = data / "icons" / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png"
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert (data / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg").is_file()
    assert (data / "metainfo" / f"{APP_ID}.metainfo.xml").is_file()
    if shutil.which("desktop-file-validate"):
        subprocess.run(["desktop-file-validate", str(desktop)], check=True)

    done = _install("--uninstall", "--data-dir", str(data))
    assert done.returncode == 0, done.stderr
    assert not desktop.exists()
    assert not list((data / "icons").rglob(f"{APP_ID}.*"))


@pytest.mark.skipif(not LINUX, reason="XDG desktop integration is for Linux")
def test_install_desktop_points_at_the_pip_installed_launcher_on_path(tmp_path: Path) -> None:
    # Installing the package puts a `dupeview` script on PATH; by default the entry runs that one.
    launcher = _fake_launcher(tmp_path / "venv" / "bin")
    env = {"PATH": f"{launcher.parent}{os.pathsep}{os.environ['PATH']}", "XDG_DATA_HOME": str(tmp_path / "xdg")}
    done = _install(env=env)
    assert done.returncode == 0, done.stderr
    entry = _desktop_entry(tmp_path / "xdg" / "applications" / f"{APP_ID}.desktop")
    assert entry["Exec"] == f"{launcher} %F"


@pytest.mark.skipif(not LINUX, reason="XDG desktop integration is for Linux")
def test_install_desktop_refuses_a_missing_launcher(tmp_path: Path) -> None:
    done = _install("--exec", str(tmp_path / "nope"), "--data-dir", str(tmp_path / "share"))
    assert done.returncode != 0 and "not an executable" in done.stderr
    assert not (tmp_path / "share" / "applications").exists()


# -- scripts and the wheel ------------------------------------------------------------------------------
@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.name)
def test_shell_scripts_parse_and_are_executable(script: Path) -> None:
    subprocess.run(["bash", "-n", str(script)], check=True)
    assert script.stat().st_mode & stat.S_IXUSR, f"chmod +x {script.relative_to(ROOT)}"
    if shutil.which("shellcheck"):
        subprocess.run(["shellcheck", str(script)], check=True)


def test_pip_install_ships_the_icons_and_the_launcher(tmp_path: Path) -> None:
    """What installing a clean checkout puts in place: the package with its icons and the `dupeview` script."""
    pytest.importorskip("setuptools")
    src = tmp_path / "src"
    src.mkdir()
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy2(ROOT / name, src / name)
    shutil.copytree(ROOT / "dupeview", src / "dupeview", ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    out = tmp_path / "wheel"
    done = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                           "-w", str(out), str(src)], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    wheel = next(out.glob("dupeview-*.whl"))
    with zipfile.ZipFile(wheel) as z:
        names = set(z.namelist())
        entry_points = next(z.read(n).decode() for n in names if n.endswith("entry_points.txt"))
    from dupeview import resources

    for icon in resources.icon_names():
        assert f"dupeview/resources/icons/{icon}.svg" in names
    for size in resources.APP_ICON_SIZES:
        assert f"dupeview/resources/app/dupeview-{size}.png" in names
    assert "dupeview/resources/app/dupeview.svg" in names
    assert "dupeview = dupeview.__main__:main" in entry_points


def test_sdist_ships_the_whole_test_suite_and_no_build_litter(tmp_path: Path) -> None:
    """The source archive builds and tests dupeview: every test module with its conftest and helpers."""
    setuptools = pytest.importorskip("setuptools")
    if int(setuptools.__version__.split(".")[0]) < 77:
        pytest.skip(f"setuptools {setuptools.__version__} < 77 cannot read the SPDX licence")
    src = tmp_path / "src"
    tracked = subprocess.run(["git", "-C", str(ROOT), "ls-files", "-z"], capture_output=True, check=False)
    if tracked.returncode != 0:
        pytest.skip("needs a git checkout")
    for name in tracked.stdout.decode().split("\0"):
        if name and (ROOT / name).is_file():
            (src / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, src / name)
    for extra in ("MANIFEST.in", "LICENSE", "pyproject.toml"):  # as in the working tree, committed or not
        shutil.copy2(ROOT / extra, src / extra)
    (src / "dupeview" / "__pycache__").mkdir(exist_ok=True)
    (src / "dupeview" / "__pycache__" / "x.cpython-311.pyc").write_bytes(b"")
    done = subprocess.run([sys.executable, "-c", "import sys; from setuptools import build_meta as b; "
                           "print(b.build_sdist(sys.argv[1]))", str(tmp_path / "out")],
                          cwd=src, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    import tarfile
    with tarfile.open(tmp_path / "out" / done.stdout.split()[-1]) as tar:
        names = {n.split("/", 1)[1] for n in tar.getnames() if "/" in n}
    tests = {n for n in names if n.startswith("tests/")}
    expected = {str(p.relative_to(ROOT)) for p in (ROOT / "tests").rglob("*.py")} & \
        {n for n in tracked.stdout.decode().split("\0")}
    assert expected <= tests, sorted(expected - tests)
    assert {"tests/conftest.py", "tests/images.py", "LICENSE", "install.sh", "packaging/dupeview.1"} <= names
    assert not [n for n in names if "__pycache__" in n or n.endswith(".pyc")]


# -- the bundle -------------------------------------------------------------------------------------
def _can_smoke() -> str | None:
    """Why the bundle smoke test cannot run here, or None. It installs nothing (./install.sh --test does)."""
    if not LINUX:
        return "the bundle smoke test runs on Linux"
    if os.environ.get("DUPEVIEW_SKIP_BUNDLE"):
        return "DUPEVIEW_SKIP_BUNDLE is set"
    tools = {"Xvfb": "xvfb", "xdotool": "xdotool", "xwininfo": "x11-utils", "xprop": "x11-utils", "import": "imagemagick",
             "pgrep": "procps"}
    missing = sorted({pkg for tool, pkg in tools.items() if shutil.which(tool) is None})
    if missing:
        return f"needs {', '.join(missing)} (./install.sh --test installs them)"
    if importlib.util.find_spec("PyInstaller") is None:
        return f"needs PyInstaller in {sys.executable} (the `packaging` extra of pyproject.toml)"
    return None


@pytest.mark.skipif(_can_smoke() is not None, reason=str(_can_smoke()))
def test_bundle_smoke(tmp_path: Path) -> None:
    """packaging/smoke.sh: build the bundle (in tmp_path), scan with its CLI (worker processes from the frozen
    executable), start the app under Xvfb, scan, screenshot, quit with Ctrl+Q, time the launches.
    About 70 s here (a third of it the PyInstaller build); DUPEVIEW_SKIP_BUNDLE=1 skips it."""
    env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}
    env["SMOKE_MAX_START"] = "10"      # a loose bound on a busy machine: smoke.sh reports the real times
    env["PYTHON"] = sys.executable
    done = subprocess.run(["bash", str(PACKAGING / "smoke.sh"), "--runs", "3", "--out", str(tmp_path / "smoke"),
                           "--dist", str(tmp_path / "dist")],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=900, check=False)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-4000:]
    assert "smoke passed" in done.stdout
