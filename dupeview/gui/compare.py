"""Two copies large, side by side, with one zoom and pan for both, fit / 1:1, and hold-to-flip."""

from __future__ import annotations

import contextlib
import os

from PySide6.QtCore import QEvent, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QPainter, QPixmap, QResizeEvent, QShortcut, QWheelEvent
from PySide6.QtWidgets import (
    QDialog,
    QGraphicsPixmapItem,
    QGraphicsScene,
    QGraphicsView,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from dupeview.core.records import ImageRecord
from dupeview.core.report import display_path, human_bytes
from dupeview.gui.thumbnails import FULL_SIZE, ThumbnailLoader
from dupeview.resources import set_icons

COMPARE_CHANNEL = "compare"
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


class CompareDialog(QDialog):
    """Compare two members; Space (held) or the Flip button swaps them in place."""

    def __init__(self, loader: ThumbnailLoader, a: ImageRecord, b: ImageRecord,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Compare copies")
        self.setModal(False)
        self._loader = loader
        self._records = [a, b]
        self._flipped = False
        self._fit = True
        self._syncing = False
        self.panes = [ImagePane(self), ImagePane(self)]
        self._captions = [QLabel(self), QLabel(self)]

        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.fit_button = QPushButton("Fit", self)
        self.fit_button.setToolTip("Fit both images to the window (F)")
        self.actual_button = QPushButton("1:1", self)
        self.actual_button.setToolTip("Show the left image at its real pixels (1)")
        self.zoom_in = QPushButton("Zoom in", self)
        self.zoom_in.setToolTip("Zoom in (+ or the mouse wheel)")
        self.zoom_out = QPushButton("Zoom out", self)
        self.zoom_out.setToolTip("Zoom out (-)")
        self.flip_button = QPushButton("Hold to flip", self)
        self.flip_button.setToolTip("Press and hold (or hold Space) to swap the two images in place")
        set_icons((self.fit_button, "zoom-fit"), (self.actual_button, "zoom-actual"), (self.zoom_in, "zoom-in"),
                  (self.zoom_out, "zoom-out"), (self.flip_button, "flip"))
        for w in (self.fit_button, self.actual_button, self.zoom_in, self.zoom_out):
            w.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            bar.addWidget(w)
        bar.addStretch(1)
        self.flip_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        bar.addWidget(self.flip_button)
        layout.addLayout(bar)
        panes = QHBoxLayout()
        for pane, caption in zip(self.panes, self._captions, strict=False):
            col = QVBoxLayout()
            caption.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            caption.setWordWrap(True)
            col.addWidget(caption)
            col.addWidget(pane, 1)
            panes.addLayout(col, 1)
        layout.addLayout(panes, 1)
        hint = QLabel("Drag to pan both · wheel to zoom both · hold Space to flip · F fit · 1 real size", self)
        hint.setEnabled(False)
        layout.addWidget(hint)

        self.fit_button.clicked.connect(self.fit)
        self.actual_button.clicked.connect(self.actual_size)
        self.zoom_in.clicked.connect(lambda: self.zoom(ZOOM_STEP))
        self.zoom_out.clicked.connect(lambda: self.zoom(1 / ZOOM_STEP))
        self.flip_button.pressed.connect(lambda: self.set_flipped(True))
        self.flip_button.released.connect(lambda: self.set_flipped(False))
        for key, slot in (("F", self.fit), ("1", self.actual_size), ("+", lambda: self.zoom(ZOOM_STEP)),
                          ("=", lambda: self.zoom(ZOOM_STEP)), ("-", lambda: self.zoom(1 / ZOOM_STEP))):
            QShortcut(QKeySequence(key), self, slot)
        for pane in self.panes:
            pane.zoomed.connect(self._on_wheel)
            pane.resized.connect(self._refit)
            pane.horizontalScrollBar().valueChanged.connect(self._sync_scroll)
            pane.verticalScrollBar().valueChanged.connect(self._sync_scroll)
        loader.loaded.connect(self._on_loaded)
        self.resize(1200, 760)
        # The dialog itself holds the keyboard focus: Space flips here and never reaches the main window.
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setFocus()
        self._show()
        for r in self._records:
            loader.request(r.path, FULL_SIZE, COMPARE_CHANNEL)

    # -- showing -------------------------------------------------------------------
    @classmethod
    def show_pair(cls, loader: ThumbnailLoader, a: ImageRecord, b: ImageRecord, parent: QWidget) -> CompareDialog:
        """Show a compare window that deletes itself when closed."""
        dialog = cls(loader, a, b, parent)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        return dialog

    def _best_pixmap(self, path: str) -> QPixmap | None:
        return self._loader.largest(path)

    def _show(self) -> None:
        order = self._records[::-1] if self._flipped else self._records
        ref = self._records[0]
        for pane, caption, record in zip(self.panes, self._captions, order, strict=False):
            pane.show_pixmap(self._best_pixmap(record.path), ref.width, ref.height)
            shown, _ = display_path(record.path)
            caption.setText(f"<b>{os.path.basename(shown)}</b> — {record.width} × {record.height}, "
                            f"{human_bytes(record.size)}, {record.format}<br><small>{os.path.dirname(shown)}</small>")
            caption.setToolTip(shown)
        if self._fit:
            self.fit()

    def _on_loaded(self, path: str, size: int) -> None:
        if size == FULL_SIZE and path in (r.path for r in self._records):
            self._show()

    def set_flipped(self, flipped: bool) -> None:
        if flipped != self._flipped:
            self._flipped = flipped
            self.flip_button.setDown(flipped)
            # Keep the zoom and the scroll position: only the pixmaps change.
            order = self._records[::-1] if flipped else self._records
            ref = self._records[0]
            for pane, record in zip(self.panes, order, strict=False):
                pane.show_pixmap(self._best_pixmap(record.path), ref.width, ref.height)
            for caption, record in zip(self._captions, order, strict=False):
                shown, _ = display_path(record.path)
                caption.setText(f"<b>{os.path.basename(shown)}</b> — {record.width} × {record.height}, "
                                f"{human_bytes(record.size)}, {record.format}<br><small>{os.path.dirname(shown)}</small>")

    @property
    def flipped(self) -> bool:
        return self._flipped

    # -- zoom and pan -------------------------------------------------------------
    def fit(self) -> None:
        self._fit = True
        for pane in self.panes:
            pane.fitInView(pane.sceneRect(), Qt.AspectRatioMode.KeepAspectRatio)

    def _refit(self) -> None:
        if self._fit:
            self.fit()

    def actual_size(self) -> None:
        self._fit = False
        scale = 1.0 / self.devicePixelRatioF()
        for pane in self.panes:
            pane.resetTransform()
            pane.scale(scale, scale)

    def zoom(self, factor: float, anchor: QPointF | None = None) -> None:
        self._fit = False
        for pane in self.panes:
            pane.scale(factor, factor)
            if anchor is not None:
                pane.centerOn(anchor)
        self._sync_scroll()

    def scale(self) -> float:
        return self.panes[0].transform().m11()

    def _on_wheel(self, factor: float, point: QPointF) -> None:
        source = self.sender()
        self._fit = False
        self._syncing = True
        try:
            for pane in self.panes:
                pane.scale(factor, factor)
        finally:
            self._syncing = False
        if isinstance(source, ImagePane):
            self._copy_scroll(source)

    def _sync_scroll(self, *_: object) -> None:
        source = self.sender()
        if self._syncing:
            return
        if isinstance(source, ImagePane):
            self._copy_scroll(source)
            return
        for pane in self.panes:
            if source in (pane.horizontalScrollBar(), pane.verticalScrollBar()):
                self._copy_scroll(pane)
                return

    def _copy_scroll(self, source: ImagePane) -> None:
        self._syncing = True
        try:
            for pane in self.panes:
                if pane is not source:
                    pane.horizontalScrollBar().setValue(source.horizontalScrollBar().value())
                    pane.verticalScrollBar().setValue(source.verticalScrollBar().value())
        finally:
            self._syncing = False

    def resizeEvent(self, event: object) -> None:
        super().resizeEvent(event)  # type: ignore[arg-type]
        if self._fit:
            self.fit()

    def showEvent(self, event: object) -> None:
        super().showEvent(event)  # type: ignore[arg-type]
        self.setFocus()

    def event(self, event: QEvent) -> bool:
        # Claim Space before any window shortcut (the main window's "toggle mark") can take it.
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent) \
                and event.key() == Qt.Key.Key_Space:
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Space:
            if not event.isAutoRepeat():
                self.set_flipped(True)
            event.accept()
            return
        super().keyPressEvent(event)

    def keyReleaseEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Space:
            if not event.isAutoRepeat():
                self.set_flipped(False)
            event.accept()
            return
        super().keyReleaseEvent(event)

    def done(self, result: int) -> None:
        self._loader.drop_pending(COMPARE_CHANNEL)
        with contextlib.suppress(RuntimeError, TypeError):
            self._loader.loaded.disconnect(self._on_loaded)
        super().done(result)
