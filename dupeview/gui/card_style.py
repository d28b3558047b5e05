"""The cards' style sheet from the palette: current copy outlined, marked copies red, differences from the kept copy."""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette

MARKED_COLOR = QColor("#d64541")
KEPT_COLOR = QColor("#2f9e55")


def differs_color(palette: QPalette) -> QColor:
    """The colour of a fact that differs from the kept copy's: amber, readable on the theme's base colour."""
    dark = palette.color(QPalette.ColorRole.Base).lightness() < 128
    return QColor("#f0a443") if dark else QColor("#a8570a")


def kept_color(palette: QPalette) -> QColor:
    dark = palette.color(QPalette.ColorRole.Base).lightness() < 128
    return QColor("#5cc77f") if dark else KEPT_COLOR


def card_style(palette: QPalette) -> str:
    """Style sheet for cards: current copy outlined, marked copies in red."""
    highlight = palette.color(QPalette.ColorRole.Highlight).name()
    base = palette.color(QPalette.ColorRole.Base).name()
    mid = palette.color(QPalette.ColorRole.Mid).name()
    muted = palette.color(QPalette.ColorRole.PlaceholderText).name()
    text = palette.color(QPalette.ColorRole.Text).name()
    differs = differs_color(palette).name()
    kept = kept_color(palette).name()
    return f"""
    QFrame#memberCard {{ background: {base}; border: 2px solid {mid}; border-radius: 8px; }}
    QFrame#memberCard[current="true"] {{ border: 2px solid {highlight}; }}
    QFrame#memberCard[marked="true"] {{ border: 2px solid {MARKED_COLOR.name()}; background: {_tint(base, MARKED_COLOR)}; }}
    QFrame#memberCard[marked="true"][current="true"] {{ border: 3px solid {MARKED_COLOR.name()}; }}
    QFrame#memberCard:focus {{ border: 3px solid {highlight}; }}
    QLabel#badge {{ background: {base}; color: {text}; border: 1px solid {mid}; border-radius: 6px;
                    padding: 1px 6px; font-size: 11px; }}
    QLabel#factName {{ color: {muted}; }}
    QLabel#factValue[differs="true"] {{ color: {differs}; font-weight: bold; }}
    QLabel#fileName {{ font-weight: bold; }}
    QLabel#location[differs="true"] {{ color: {differs}; }}
    QLabel#cardSummary[kept="true"] {{ color: {kept}; font-weight: bold; }}
    QLabel#thumb {{ color: {muted}; }}
    """


def _tint(base: str, tint: QColor) -> str:
    b = QColor(base)
    mix = 0.12
    r = int(b.red() * (1 - mix) + tint.red() * mix)
    g = int(b.green() * (1 - mix) + tint.green() * mix)
    bl = int(b.blue() * (1 - mix) + tint.blue() * mix)
    return QColor(r, g, bl).name()
