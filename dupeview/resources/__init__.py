"""Icons shipped as package data (SVG + the app icon's PNGs), loaded with importlib.resources.

Action icons are SVGs drawn with ``currentColor``; a palette-aware icon engine renders them on
demand, at the size and device pixel ratio asked for, with ``currentColor`` replaced by the current
application palette's text colour (disabled and selected colours for those modes). So they stay
legible in the light and the dark theme, follow a theme switch without being rebuilt, and cost
nothing at startup until first painted. A few icons use a fixed mid-tone accent (the green check,
the red bin) that reads on both backgrounds.

The app icon is a full-colour SVG with PNG renders at the sizes desktops use (made by
``resources/render_icons.py``). See ``resources/README.md`` for how to add an icon.
"""

from __future__ import annotations

import logging
import re
from functools import cache
from importlib import resources as _resources

from PySide6.QtCore import QByteArray, QRect, QRectF, QSize
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QIconEngine, QImage, QPainter, QPalette, QPixmap
from PySide6.QtSvg import QSvgRenderer

log = logging.getLogger(__name__)

APP_ICON = "dupeview"                                 # app/dupeview.svg, app/dupeview-<size>.png
APP_ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)  # the hicolor sizes desktops look up
SMALL_APP_ICON_SIZES = (16, 24)                       # rendered from app/dupeview-small.svg (bolder)
CURRENT_COLOR = "currentColor"
SOFTEN = 0.15          # icons are the text colour moved this far towards the background: less heavy than text
_HEX_COLOR = re.compile(r"#[0-9a-fA-F]{6}\b|#[0-9a-fA-F]{3}\b")

_missing: set[str] = set()


def _root():
    return _resources.files(__name__)


def icon_names() -> list[str]:
    """Every action icon shipped (file names under icons/ without .svg)."""
    return sorted(p.name[:-4] for p in _root().joinpath("icons").iterdir() if p.name.endswith(".svg"))


def has_icon(name: str) -> bool:
    return _root().joinpath("icons", f"{name}.svg").is_file()


def icon_svg(name: str) -> str:
    """The SVG source of an action icon; FileNotFoundError when there is none of that name."""
    return _root().joinpath("icons", f"{name}.svg").read_text(encoding="utf-8")


def app_icon_svg(size: int = 256) -> bytes:
    """The app icon's SVG source; the simplified one for the small sizes."""
    name = f"{APP_ICON}-small.svg" if size in SMALL_APP_ICON_SIZES else f"{APP_ICON}.svg"
    return _root().joinpath("app", name).read_bytes()


def app_icon_png(size: int) -> bytes:
    return _root().joinpath("app", f"{APP_ICON}-{size}.png").read_bytes()


def missing_icons() -> set[str]:
    """Names asked for with icon() that have no file (tests check this stays empty)."""
    return set(_missing)


def recolor(svg: str, color: QColor | str, accents: bool = True) -> bytes:
    """The SVG with currentColor replaced by a concrete colour (QtSvg does not resolve it).

    accents=False paints the fixed accent colours in that colour too (a disabled icon is all grey).
    """
    name = color.name() if isinstance(color, QColor) else color
    if not accents:
        svg = _HEX_COLOR.sub(name, svg)
    return svg.replace(CURRENT_COLOR, name).encode("utf-8")


def _mix(a: QColor, b: QColor, t: float) -> QColor:
    return QColor(round(a.red() + (b.red() - a.red()) * t), round(a.green() + (b.green() - a.green()) * t),
                  round(a.blue() + (b.blue() - a.blue()) * t))


def icon_color(palette: QPalette, mode: QIcon.Mode = QIcon.Mode.Normal) -> QColor:
    """The colour currentColor stands for, in this palette and icon mode."""
    if mode == QIcon.Mode.Disabled:
        return palette.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.ButtonText)
    if mode == QIcon.Mode.Selected:
        return palette.color(QPalette.ColorGroup.Active, QPalette.ColorRole.HighlightedText)
    return _mix(palette.color(QPalette.ColorGroup.Active, QPalette.ColorRole.ButtonText),
                palette.color(QPalette.ColorGroup.Active, QPalette.ColorRole.Button), SOFTEN)


def render_svg(data: bytes, size: int | QSize) -> QImage:
    """An SVG rendered to a transparent ARGB image of the given size (no QApplication needed)."""
    qsize = size if isinstance(size, QSize) else QSize(size, size)
    image = QImage(qsize, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(0)
    renderer = QSvgRenderer(QByteArray(data))
    if not renderer.isValid():
        raise ValueError("invalid SVG")
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter, QRectF(0, 0, qsize.width(), qsize.height()))
    painter.end()
    return image


def render_icon(name: str, size: int, palette: QPalette | None = None,
                mode: QIcon.Mode = QIcon.Mode.Normal) -> QImage:
    """An action icon as it is painted in this palette and mode (for tests and the contact sheet)."""
    palette = palette if palette is not None else QGuiApplication.palette()
    return _render(icon_svg(name), QSize(size, size), palette, mode)


def _render(svg: str, size: QSize, palette: QPalette, mode: QIcon.Mode) -> QImage:
    return render_svg(recolor(svg, icon_color(palette, mode), accents=mode != QIcon.Mode.Disabled), size)


class SvgIconEngine(QIconEngine):
    """Renders one recolourable SVG at any size, reading the application palette when painting."""

    def __init__(self, name: str, svg: str) -> None:
        super().__init__()
        self._name = name
        self._svg = svg
        self._cache: dict[tuple[int, int, int, str, int], QPixmap] = {}

    def _image(self, size: QSize, mode: QIcon.Mode, scale: float) -> QPixmap:
        palette = QGuiApplication.palette()
        color = icon_color(palette, mode)
        px = QSize(max(1, round(size.width() * scale)), max(1, round(size.height() * scale)))
        key = (px.width(), px.height(), int(mode.value), color.name(QColor.NameFormat.HexArgb), round(scale * 100))
        pm = self._cache.get(key)
        if pm is None:
            if len(self._cache) > 64:
                self._cache.clear()
            pm = QPixmap.fromImage(_render(self._svg, px, palette, mode))
            pm.setDevicePixelRatio(scale)
            self._cache[key] = pm
        return QPixmap(pm)

    def paint(self, painter: QPainter, rect: QRect, mode: QIcon.Mode, state: QIcon.State) -> None:
        scale = painter.device().devicePixelRatioF() if painter.device() is not None else 1.0
        painter.drawPixmap(rect, self._image(rect.size(), mode, scale))

    def pixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QPixmap:
        return self._image(size, mode, 1.0)

    def scaledPixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State, scale: float) -> QPixmap:
        return self._image(size, mode, scale)

    def actualSize(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QSize:
        side = min(size.width(), size.height())
        return QSize(side, side)

    def clone(self) -> QIconEngine:
        return SvgIconEngine(self._name, self._svg)

    def key(self) -> str:
        return "dupeview-svg"

    def iconName(self) -> str:
        return self._name


@cache
def icon(name: str) -> QIcon:
    """The action icon `name` (see icon_names()); an empty icon, logged, if there is no such file."""
    try:
        svg = icon_svg(name)
    except (FileNotFoundError, OSError):
        _missing.add(name)
        log.warning("no icon named %r", name)
        return QIcon()
    return QIcon(SvgIconEngine(name, svg))


@cache
def app_icon() -> QIcon:
    """The window icon: the PNG renders at their exact sizes, the SVG for any other size."""
    result = QIcon()
    for size in APP_ICON_SIZES:
        pm = QPixmap()
        try:
            if pm.loadFromData(app_icon_png(size), "PNG"):
                result.addPixmap(pm)
        except (FileNotFoundError, OSError):
            log.warning("app icon PNG %d missing", size)
    if result.isNull():
        result.addPixmap(QPixmap.fromImage(render_svg(app_icon_svg(256), 256)))
    return result


def set_icons(*pairs: tuple[object, str]) -> None:
    """setIcon(icon(name)) for each (widget or action, name) pair."""
    for target, name in pairs:
        target.setIcon(icon(name))  # type: ignore[attr-defined]
