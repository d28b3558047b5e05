#!/usr/bin/env python3
"""Render the app icon's PNGs from its SVG, check they are current, and draw a contact sheet.

    python resources/render_icons.py                 # (re)write dupeview/resources/app/dupeview-<size>.png
    python resources/render_icons.py --check         # exit 1 if a PNG is missing or out of date
    python resources/render_icons.py --sheet /tmp/icons.png   # every icon on light and dark backgrounds
    python resources/render_icons.py --platform-icons build/icons  # dupeview.ico and dupeview.icns

Uses QtSvg's QSvgRenderer offscreen (no display, no network) and Pillow for .ico/.icns.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QBuffer, QIODevice, QRect, Qt
from PySide6.QtGui import QFont, QIcon, QImage, QPainter
from PySide6.QtWidgets import QApplication

from dupeview import resources

APP_DIR = ROOT / "dupeview" / "resources" / "app"
# A PNG may differ from a fresh render by this much (mean absolute difference per channel, 0-255):
# rasterisation can vary a little between Qt versions, an edited SVG changes far more.
TOLERANCE = 2.0


def png_bytes(image: QImage) -> bytes:
    buf = QBuffer()
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    image.convertToFormat(QImage.Format.Format_ARGB32).save(buf, "PNG")
    return bytes(buf.data())


def render_app_icon(size: int) -> QImage:
    return resources.render_svg(resources.app_icon_svg(size), size)


def difference(a: QImage, b: QImage) -> float:
    """Mean absolute difference per channel (straight ARGB), 255 when the sizes differ."""
    if a.size() != b.size():
        return 255.0
    a = a.convertToFormat(QImage.Format.Format_RGBA8888)
    b = b.convertToFormat(QImage.Format.Format_RGBA8888)
    da, db = bytes(a.constBits()), bytes(b.constBits())
    return sum(abs(x - y) for x, y in zip(da, db, strict=False)) / max(1, len(da))


def write_pngs() -> None:
    for size in resources.APP_ICON_SIZES:
        path = APP_DIR / f"{resources.APP_ICON}-{size}.png"
        path.write_bytes(png_bytes(render_app_icon(size)))
        print(f"wrote {path.relative_to(ROOT)}")


def check_pngs() -> list[str]:
    problems = []
    for size in resources.APP_ICON_SIZES:
        path = APP_DIR / f"{resources.APP_ICON}-{size}.png"
        if not path.is_file():
            problems.append(f"{path.name}: missing")
            continue
        diff = difference(QImage(str(path)), render_app_icon(size))
        if diff > TOLERANCE:
            problems.append(f"{path.name}: differs from the SVG (mean difference {diff:.1f}); "
                            "run resources/render_icons.py")
    return problems


def platform_icons(outdir: Path) -> tuple[Path, Path]:
    """dupeview.ico (Windows) and dupeview.icns (macOS), made with Pillow from the PNG renders."""
    from PIL import Image

    outdir.mkdir(parents=True, exist_ok=True)
    images = {s: Image.open(io.BytesIO(resources.app_icon_png(s))).convert("RGBA") for s in resources.APP_ICON_SIZES}
    ico, icns = outdir / "dupeview.ico", outdir / "dupeview.icns"
    # .ico: 16-256 (Windows' largest); Pillow picks the closest source image for each size.
    images[256].save(ico, format="ICO", sizes=[(s, s) for s in (16, 24, 32, 48, 64, 128, 256)],
                     append_images=[images[s] for s in (16, 24, 32, 48, 64, 128)])
    # .icns: Pillow writes the PNG-based entries macOS uses (16-1024 incl. @2x) from the 512 render.
    images[512].save(icns, format="ICNS", append_images=[images[s] for s in (16, 32, 64, 128, 256)])
    return ico, icns


def contact_sheet(path: Path, sizes: tuple[int, ...] = (16, 24, 32, 48)) -> None:
    """Every action icon at several sizes, normal and disabled, on the light and the dark palette."""
    from dupeview.gui.app import dark_palette, light_palette

    app = QApplication.instance() or QApplication([])
    app.setStyle("Fusion")
    names = resources.icon_names()
    palettes = (("light", light_palette()), ("dark", dark_palette()))
    label_w, cell, row_h = 130, sum(sizes) + 12 * len(sizes) + 50, max(sizes) + 14
    app_sizes = (16, 24, 32, 48, 64, 128)
    half = max(label_w + cell, sum(app_sizes) + 12 * len(app_sizes) + 20)
    top = max(app_sizes) + 30
    image = QImage(2 * half, top + row_h * len(names), QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    font = QFont()
    font.setPixelSize(12)
    painter.setFont(font)
    for col, (_, palette) in enumerate(palettes):
        x0 = col * half
        painter.fillRect(QRect(x0, 0, half, image.height()), palette.color(palette.ColorRole.Window))
        x = x0 + 10
        for s in app_sizes:
            painter.drawImage(x, 10 + max(app_sizes) - s, render_app_icon(s))
            x += s + 12
        painter.setPen(palette.color(palette.ColorRole.WindowText))
        for row, name in enumerate(names):
            y = top + row * row_h
            painter.drawText(QRect(x0 + 8, y, label_w - 8, row_h), Qt.AlignmentFlag.AlignVCenter, name)
            x = x0 + label_w
            for s in sizes:
                painter.drawImage(x, y + (row_h - s) // 2, resources.render_icon(name, s, palette))
                x += s + 12
            painter.drawImage(x + 8, y + (row_h - 24) // 2,
                              resources.render_icon(name, 24, palette, QIcon.Mode.Disabled))
    painter.end()
    image.save(str(path))
    print(f"wrote {path}  (light | dark; sizes {sizes} then disabled at 24)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="only check the PNGs are present and current")
    parser.add_argument("--sheet", type=Path, help="write a contact sheet of every icon to this PNG")
    parser.add_argument("--platform-icons", type=Path, metavar="DIR", help="write dupeview.ico and dupeview.icns here")
    args = parser.parse_args(argv)
    from PySide6.QtGui import QGuiApplication

    if QGuiApplication.instance() is None and not args.sheet:
        _app = QGuiApplication([])
    if args.check:
        problems = check_pngs()
        for p in problems:
            print(p, file=sys.stderr)
        return 1 if problems else 0
    if args.sheet:
        contact_sheet(args.sheet)
        return 0
    if args.platform_icons:
        for p in platform_icons(args.platform_icons):
            print(f"wrote {p}")
        return 0
    write_pngs()
    return 0


if __name__ == "__main__":
    sys.exit(main())
