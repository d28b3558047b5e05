"""Icons: every icon the GUI asks for exists and renders, legibly, in the light and the dark palette."""

from __future__ import annotations

import ast
import fnmatch
import importlib.util
import tomllib
from pathlib import Path

import pytest
from PySide6.QtCore import QSize
from PySide6.QtGui import QColor, QIcon, QImage, QPalette
from PySide6.QtWidgets import QApplication

from dupeview import resources
from dupeview.gui.app import dark_palette, light_palette

ROOT = Path(__file__).resolve().parents[1]
GUI = ROOT / "dupeview" / "gui"
PACKAGE = ROOT / "dupeview" / "resources"
MIN_CONTRAST = 3.0      # WCAG's minimum for graphical objects against their background

# The offscreen platform plugin cannot pass size hints to a window system it does not have.
pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")


def referenced_icons() -> dict[str, list[str]]:
    """icon name -> where, for each icon("name") and set_icons((widget, "name"), ...) in dupeview/gui."""
    found: dict[str, list[str]] = {}
    for path in sorted(GUI.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
            if name == "icon" and node.args:
                args = [node.args[0]]
            elif name == "Command":   # the command table (gui/commands.py): Command(name, text, icon, ...)
                args = node.args[2:3] + [k.value for k in node.keywords if k.arg == "icon"]
            elif name == "set_icons":
                args = [a.elts[1] for a in node.args if isinstance(a, ast.Tuple) and len(a.elts) == 2]
                assert len(args) == len(node.args), f"{path.name}:{node.lineno}: set_icons takes (widget, name) pairs"
            else:
                continue
            for arg in args:
                where = f"{path.name}:{node.lineno}"
                assert isinstance(arg, ast.Constant) and isinstance(arg.value, str), \
                    f"{where}: icon names are string literals, so this test can check them"
                found.setdefault(arg.value, []).append(where)
    return found


def _luminance(c: QColor) -> float:
    def lin(v: float) -> float:
        return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4
    return 0.2126 * lin(c.redF()) + 0.7152 * lin(c.greenF()) + 0.0722 * lin(c.blueF())


def _contrast(a: QColor, b: QColor) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def _ink(image: QImage) -> list[QColor]:
    """The icon's drawn pixels (mostly opaque), in straight (not premultiplied) colour."""
    img = image.convertToFormat(QImage.Format.Format_ARGB32)
    return [c for y in range(img.height()) for x in range(img.width())
            if (c := img.pixelColor(x, y)).alpha() >= 160]


PALETTES = {"light": light_palette, "dark": dark_palette}


def test_the_gui_uses_icons_and_each_one_exists() -> None:
    used = referenced_icons()
    assert len(used) >= 20, sorted(used)
    missing = {name: where for name, where in used.items() if not resources.has_icon(name)}
    assert not missing, f"icons the GUI asks for but resources/icons lacks: {missing}"


def test_every_shipped_icon_is_used() -> None:
    unused = set(resources.icon_names()) - set(referenced_icons())
    assert not unused, f"icons nothing uses (delete them, or use them): {sorted(unused)}"


@pytest.mark.parametrize("theme", sorted(PALETTES))
@pytest.mark.parametrize("name", sorted(referenced_icons()))
def test_icon_renders_legibly(qapp: QApplication, name: str, theme: str) -> None:
    palette = PALETTES[theme]()
    background = palette.color(QPalette.ColorRole.Window)
    for size in (16, 24, 48):
        image = resources.render_icon(name, size, palette)
        assert image.size() == QSize(size, size)
        ink = _ink(image)
        assert len(ink) >= size * size * 0.03, f"{name} at {size} px in {theme}: only {len(ink)} pixels drawn"
        contrasts = sorted(_contrast(c, background) for c in ink)
        median = contrasts[len(contrasts) // 2]
        assert median >= MIN_CONTRAST, f"{name} at {size} px is hard to see in {theme}: contrast {median:.2f}"
        disabled = _ink(resources.render_icon(name, size, palette, QIcon.Mode.Disabled))
        assert disabled, f"{name} disabled at {size} px in {theme} is empty"


def test_icons_follow_a_theme_switch_and_the_device_pixel_ratio(qapp: QApplication) -> None:
    before = qapp.palette()
    try:
        colours = {}
        for theme, make in PALETTES.items():
            qapp.setPalette(make())
            pm = resources.icon("scan").pixmap(QSize(24, 24), 2.0)
            assert pm.size() == QSize(48, 48) and pm.devicePixelRatio() == 2.0
            ink = _ink(pm.toImage())
            colours[theme] = sum(_luminance(c) for c in ink) / len(ink)
        assert colours["light"] < 0.2 < colours["dark"], colours   # dark ink on light, light ink on dark
    finally:
        qapp.setPalette(before)


def test_disabled_icons_are_grey(qapp: QApplication) -> None:
    # trash is drawn in a fixed red; disabled, it must not look clickable.
    for c in _ink(resources.render_icon("trash", 24, light_palette(), QIcon.Mode.Disabled)):
        assert max(c.red(), c.green(), c.blue()) - min(c.red(), c.green(), c.blue()) <= 8


def test_an_unknown_icon_is_empty_and_reported(qapp: QApplication) -> None:
    assert resources.icon("no-such-icon").isNull()
    assert "no-such-icon" in resources.missing_icons()


def test_main_window_actions_have_their_icons(qapp: QApplication, tmp_path: Path) -> None:
    from dupeview.gui.main_window import MainWindow
    from dupeview.settings import SettingsStore

    w = MainWindow(settings_store=SettingsStore(tmp_path / "settings.json"), cache_path=str(tmp_path / "c.sqlite3"),
                   action_log_path=str(tmp_path / "actions.jsonl"), workers=0)
    try:
        for name in ("add", "scan", "trash", "undo", "keep", "compare", "about"):
            assert not w.act[name].icon().isNull(), w.act[name].text()
        for button in (w.scan_button, w.results.trash_button, w.folders.add_button, w.keep_rules.up):
            assert not button.icon().isNull(), button.text()
        assert not {n for n in resources.missing_icons() if n != "no-such-icon"}
    finally:
        w.shutdown()
        w.deleteLater()


def test_app_icon_has_every_desktop_size(qapp: QApplication) -> None:
    icon = resources.app_icon()
    sizes = {s.width() for s in icon.availableSizes()}
    assert set(resources.APP_ICON_SIZES) <= sizes
    for size in resources.APP_ICON_SIZES:
        image = QImage.fromData(resources.app_icon_png(size), "PNG")
        assert image.size() == QSize(size, size)
        assert len(_ink(image)) >= size * size * 0.3, f"the {size} px app icon is mostly empty"


def test_app_icon_pngs_are_rendered_from_the_current_svg(qapp: QApplication) -> None:
    spec = importlib.util.spec_from_file_location("render_icons", ROOT / "resources" / "render_icons.py")
    assert spec is not None and spec.loader is not None
    render_icons = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(render_icons)
    assert render_icons.check_pngs() == [], "run: python resources/render_icons.py"


def test_package_data_ships_every_resource_file() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    globs = config["tool"]["setuptools"]["package-data"]["dupeview.resources"]
    files = [p.relative_to(PACKAGE).as_posix() for p in PACKAGE.rglob("*")
             if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".py"]
    assert files
    unshipped = [f for f in files if not any(fnmatch.fnmatch(f, g) and f.count("/") == g.count("/") for g in globs)]
    assert not unshipped, f"not in [tool.setuptools.package-data] of pyproject.toml: {unshipped}"


def test_icons_are_plain_svg_with_current_color() -> None:
    for name in resources.icon_names():
        svg = resources.icon_svg(name)
        assert svg.lstrip().startswith("<svg") and 'viewBox="0 0 24 24"' in svg, name
        assert resources.CURRENT_COLOR in svg or name in {"trash", "skipped"}, f"{name} does not follow the palette"
        assert "<text" not in svg, f"{name}: text depends on the fonts installed; draw it with paths"
