"""The compare view's difference and split views: pictures scaled to one preview size, compared in numpy."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QImage, QPen, QPixmap
from PySide6.QtWidgets import QGraphicsLineItem, QGraphicsPixmapItem, QGraphicsRectItem, QGraphicsScene

from dupeview.core.difference import Difference, difference

PREVIEW = 1024   # the long side the difference is computed at: fast on the GUI thread, enough to see where


def preview_size(width: int, height: int) -> QSize:
    scale = min(1.0, PREVIEW / max(width, height, 1))
    return QSize(max(1, round(width * scale)), max(1, round(height * scale)))


def to_array(pm: QPixmap, size: QSize) -> np.ndarray:
    image = pm.toImage().scaled(size, Qt.AspectRatioMode.IgnoreAspectRatio,
                                Qt.TransformationMode.SmoothTransformation).convertToFormat(QImage.Format.Format_RGB888)
    rows = np.frombuffer(image.constBits(), dtype=np.uint8).reshape(image.height(), image.bytesPerLine())
    return rows[:, : image.width() * 3].reshape(image.height(), image.width(), 3).copy()


def diff_pixmap(a: QPixmap, b: QPixmap, width: int, height: int) -> tuple[QPixmap, Difference]:
    """Both pictures at the left one's proportions, preview size; the difference as a pixmap and its numbers."""
    size = preview_size(width, height)
    d = difference(to_array(a, size), to_array(b, size))
    h, w = d.image.shape[:2]
    image = QImage(d.image.tobytes(), w, h, 3 * w, QImage.Format.Format_RGB888).copy()
    return QPixmap.fromImage(image), d


class SplitOverlay:
    """The second picture over the first, shown right of a movable split line (scene coordinates)."""

    def __init__(self, scene: QGraphicsScene) -> None:
        self.clip = QGraphicsRectItem()
        self.clip.setPen(QPen(Qt.PenStyle.NoPen))
        self.clip.setFlag(QGraphicsRectItem.GraphicsItemFlag.ItemClipsChildrenToShape)
        self.item = QGraphicsPixmapItem(self.clip)
        self.item.setTransformationMode(Qt.TransformationMode.SmoothTransformation)
        self.line = QGraphicsLineItem()
        pen = QPen(QColor(255, 255, 255, 220), 2)
        pen.setCosmetic(True)
        self.line.setPen(pen)
        scene.addItem(self.clip)
        scene.addItem(self.line)
        self.set_visible(False)

    def show(self, pm: QPixmap | None, width: float, height: float, fraction: float) -> None:
        if pm is None or pm.isNull():
            self.item.setPixmap(QPixmap())
        else:
            self.item.setPixmap(pm)
            self.item.setScale(width / pm.width())
        x = width * fraction
        self.clip.setRect(QRectF(x, 0, width - x, height))
        self.line.setLine(x, 0, x, height)

    def set_visible(self, on: bool) -> None:
        self.clip.setVisible(on)
        self.line.setVisible(on)
