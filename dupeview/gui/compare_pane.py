"""One side of the compare window: a picture in a view that zooms and pans in the left picture's coordinates."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QPainter, QPixmap, QResizeEvent, QWheelEvent
from PySide6.QtWidgets import QGraphicsPixmapItem, QGraphicsScene, QGraphicsView, QSizePolicy, QWidget

from dupeview.gui.compare_diff import SplitOverlay

ZOOM_STEP = 1.25


class ImagePane(QGraphicsView):
    """One side: a pixmap item scaled so both sides share scene coordinates (the left image's pixels)."""

    zoomed = Signal(float, QPointF)   # factor, scene point under the cursor
    resized = Signal()                # its viewport has its real size now (first shown, or the window resized)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setScene(QGraphicsScene(self))
        self.item = QGraphicsPixmapItem()
        self.item.setTransformationMode(Qt.TransformationMode.SmoothTransformation)
        self.scene().addItem(self.item)
        self.overlay = SplitOverlay(self.scene())
        self.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setResizeAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.setFrameShape(QGraphicsView.Shape.NoFrame)
        self.setBackgroundBrush(self.palette().window())
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)

    def show_pixmap(self, pm: QPixmap | None, scene_width: float, scene_height: float) -> None:
        if pm is None or pm.isNull():
            self.item.setPixmap(QPixmap())
            return
        self.item.setPixmap(pm)
        self.item.setScale(scene_width / pm.width())
        self.scene().setSceneRect(QRectF(0, 0, scene_width, scene_height))

    def resizeEvent(self, event: QResizeEvent) -> None:
        # The dialog lays its panes out only when shown: a fit done before that (pictures already
        # cached, e.g. on reopening the same pair) used the default 100x30 viewport. Refit here.
        super().resizeEvent(event)
        self.resized.emit()

    def wheelEvent(self, event: QWheelEvent) -> None:
        factor = ZOOM_STEP if event.angleDelta().y() > 0 else 1 / ZOOM_STEP
        self.zoomed.emit(factor, self.mapToScene(event.position().toPoint()))
        event.accept()
