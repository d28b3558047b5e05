"""Thumbnails decoded at display size on a private thread pool, kept in an LRU, stale requests dropped."""

from __future__ import annotations

import functools
import logging
import sys
from collections import OrderedDict
from collections.abc import Callable, Hashable

import numpy as np
from PIL import Image
from PySide6.QtCore import QObject, QThreadPool, Signal, Slot
from PySide6.QtGui import QImage, QPixmap

from dupeview.core import thread_priority, thumbcache, viewing
from dupeview.gui.i18n import tr

log = logging.getLogger(__name__)

FULL_SIZE = 0  # a request for this size decodes the whole image (compare view at 1:1)
# The thumbnail cache holds at most this many bytes of pixels (least recently shown dropped first):
# about 300 cards at 400 px, or a dozen full-size pictures for the compare view.
# benchmarks/thumbnail_memory.py measures the app's RSS stepping through 300 groups.
DEFAULT_CAPACITY = 96 * 1024 * 1024
# Beyond this edge even a "full size" request is scaled down: a screen cannot show more.
FULL_SIZE_LIMIT = 8192


def load_image(path: str, size: int) -> QImage:
    """A QImage of one file no larger than size x size (size 0: full), EXIF orientation applied.

    Sizes up to 1024 come from the desktop's shared thumbnail cache when it has a valid one; otherwise the file
    is decoded at the cache's flavour size and the thumbnail saved there for the next time (and for the file
    manager). Runs on any thread: only Pillow and QImage, never QPixmap.
    """
    image, share = decode_image(path, size)
    share()
    return image


def decode_image(path: str, size: int, fit: tuple[int, int] | None = None) -> tuple[QImage, Callable[[], object]]:
    """load_image in two steps: the picture now, and what saves it to the shared cache (nothing if it came from
    there), for the loader to run after the picture is on its way to the screen. `fit`: also scaled down into
    this box (a card's picture), here on the pool's thread rather than on the GUI thread."""
    flavour = thumbcache.flavour_for(size)
    shared = thumbcache.lookup(path, size) if flavour is not None else None
    share: Callable[[], object] = _nothing
    if shared is not None:
        out = shared
    else:
        # Any format the scan compares (camera RAW, JPEG XL, …), JPEGs draft-decoded near the size.
        out = viewing.open_image(path, flavour[1] if flavour is not None else (size or FULL_SIZE_LIMIT))
        if flavour is not None:
            share = functools.partial(thumbcache.save, path, out, flavour)
    w, h = fit if fit is not None and size else (size, size)
    if size and (out.width > w or out.height > h):
        if share is not _nothing:
            out = out.copy()   # the picture to share stays whole: thumbnail() scales in place
        out.thumbnail((min(w, size), min(h, size)), Image.Resampling.BILINEAR, reducing_gap=2.0)
    return _to_qimage(out), share


def _nothing() -> None:
    return None


def _to_qimage(im: Image.Image) -> QImage:
    """The picture in the format a QPixmap is made of on the raster paint engine (32-bit, alpha premultiplied):
    converted here, on the pool's thread, QPixmap.fromImage on the GUI thread then copies nothing."""
    if im.mode in ("I", "I;16", "I;16B", "I;16L", "I;16N", "F"):
        a = np.asarray(im, dtype=np.float64)
        hi = float(a.max()) if a.size else 1.0
        im = Image.fromarray((a * (255.0 / (hi or 1.0))).clip(0, 255).astype(np.uint8), "L")
    has_alpha = im.mode in ("RGBA", "LA", "PA") or (im.mode == "P" and "transparency" in im.info)
    if has_alpha:
        im = im.convert("RGBA")
        data = im.tobytes()
        return QImage(data, im.width, im.height, im.width * 4, QImage.Format.Format_RGBA8888).convertToFormat(
            QImage.Format.Format_ARGB32_Premultiplied)
    im = im.convert("RGB")
    # QImage's RGB32 is the word 0xffRRGGBB: B, G, R, X in memory on a little-endian machine
    data = im.tobytes("raw", "BGRX" if sys.byteorder == "little" else "XRGB")
    return QImage(data, im.width, im.height, im.width * 4, QImage.Format.Format_RGB32).copy()


class _Relay(QObject):
    """Carries results from pool threads to the GUI thread (queued connection)."""

    done = Signal(str, int, int, QImage, str)  # path, size, generation, image, error


class ThumbnailLoader(QObject):
    """Asks for a pixmap; gets it now from the LRU or later through `loaded`."""

    loaded = Signal(str, int)          # path, size: pixmap(path, size) is now available
    failed = Signal(str, int, str)     # path, size, reason

    def __init__(self, parent: QObject | None = None, *, capacity: int = DEFAULT_CAPACITY, threads: int = 2) -> None:
        super().__init__(parent)
        self._pool = QThreadPool()
        self._pool.setMaxThreadCount(threads)
        self._relay = _Relay()
        self._relay.done.connect(self._on_done)
        self._cache: OrderedDict[tuple[str, int], QPixmap] = OrderedDict()
        # The sizes cached per file: largest() looks at one file's entries, not the whole cache (thousands).
        self._sizes: dict[str, set[int]] = {}
        self._capacity = capacity  # bytes of pixels
        self._bytes = 0
        self._pending: dict[tuple[str, int], Hashable] = {}
        self._running: set[tuple[str, int]] = set()   # started on the pool: they land, whoever dropped them
        self._generations: dict[Hashable, int] = {}
        self._errors: dict[tuple[str, int], str] = {}
        self._priority = 0
        self._closed = False

    def pixmap(self, path: str, size: int) -> QPixmap | None:
        key = (path, size)
        pm = self._cache.get(key)
        if pm is not None:
            self._cache.move_to_end(key)
        return pm

    def largest(self, path: str) -> QPixmap | None:
        """The biggest pixmap of this file in the cache, of any size (a placeholder while the right one loads)."""
        best: QPixmap | None = None
        for size in self._sizes.get(path, ()):
            pm = self._cache[(path, size)]
            if best is None or size == FULL_SIZE or pm.width() > best.width():
                best = pm
                if size == FULL_SIZE:
                    break
        return best

    def error(self, path: str, size: int) -> str | None:
        return self._errors.get((path, size))

    def request(self, path: str, size: int, channel: Hashable = "default", background: bool = False,
                fit: tuple[int, int] | None = None) -> QPixmap | None:
        """The pixmap if cached; else None, and `loaded` follows. Newest requests run first; `background` ones
        (prefetching what the user may look at next) after every other. `fit`: the box the picture is shown in
        (within size x size), for the decode to scale it to."""
        pm = self.pixmap(path, size)
        if pm is not None or self._closed:
            return pm
        key = (path, size)
        if key in self._errors:
            return None
        if key in self._pending:
            return None
        self._pending[key] = channel
        generation = self._generations.get(channel, 0)
        self._priority += 1
        relay = self._relay
        generations, running = self._generations, self._running

        def work() -> None:
            # The pool's threads yield the CPU to the GUI thread: cards keep arriving, the window keeps moving.
            thread_priority.lower_this_thread()
            # A request made stale by drop_pending() is skipped without decoding.
            if generations.get(channel, 0) != generation:
                relay.done.emit(path, size, generation, QImage(), "stale")
                return
            running.add(key)
            share: Callable[[], object] = _nothing
            try:
                image, share = decode_image(path, size, fit)
                error = "" if not image.isNull() else tr("the image could not be decoded")
            except Exception as exc:  # noqa: BLE001 - any decoder failure becomes a message
                image, error = QImage(), _reason(exc)
            relay.done.emit(path, size, generation, image, error)
            try:   # the picture is on its way: saving it for the next time (and the file manager) can wait
                share()
            except Exception:   # a thumbnail that cannot be shared is made again next time
                log.debug("could not share the thumbnail of %s", path, exc_info=True)

        self._pool.start(work, 0 if background else min(self._priority, 2**30))
        return None

    def drop_pending(self, channel: Hashable = "default") -> None:
        """Requests of this channel not yet started are skipped (the selection moved on)."""
        self._generations[channel] = self._generations.get(channel, 0) + 1
        # One already decoding stays pending: asked for again, it is waited for, not decoded twice.
        for key in [k for k, c in self._pending.items() if c == channel and k not in self._running]:
            del self._pending[key]

    def forget(self, paths: set[str]) -> None:
        for key in [k for k in self._cache if k[0] in paths]:
            self._drop(key)
        for key in [k for k in self._errors if k[0] in paths]:
            del self._errors[key]

    def clear(self) -> None:
        self._cache.clear()
        self._sizes.clear()
        self._errors.clear()
        self._bytes = 0

    def shutdown(self) -> None:
        self._closed = True
        for channel in list(self._generations) + ["default"]:
            self.drop_pending(channel)
        self._pool.clear()
        self._pool.waitForDone()

    @Slot(str, int, int, QImage, str)
    def _on_done(self, path: str, size: int, generation: int, image: QImage, error: str) -> None:
        key = (path, size)
        if error == "stale":
            return
        # A request dropped while it was already decoding still lands: the work is done.
        self._pending.pop(key, None)
        self._running.discard(key)
        if error:
            self._errors[key] = error
            self.failed.emit(path, size, error)
            return
        pm = QPixmap.fromImage(image)
        if key in self._cache:
            self._drop(key)
        self._cache[key] = pm
        self._sizes.setdefault(path, set()).add(size)
        self._bytes += _cost(pm)
        while self._bytes > self._capacity and len(self._cache) > 1:
            self._drop(next(iter(self._cache)))
        self.loaded.emit(path, size)

    def _drop(self, key: tuple[str, int]) -> None:
        self._bytes -= _cost(self._cache.pop(key))
        sizes = self._sizes[key[0]]
        sizes.discard(key[1])
        if not sizes:
            del self._sizes[key[0]]


def _reason(exc: Exception) -> str:
    if isinstance(exc, FileNotFoundError):
        return tr("the file is gone")
    if isinstance(exc, PermissionError):
        return tr("no permission to read the file")
    if isinstance(exc, Image.DecompressionBombError):
        return tr("the image is too large to show")
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return tr("cannot show this image ({why})").format(why=exc) if str(exc) else tr("cannot show this image")


def _cost(pm: QPixmap) -> int:
    return pm.width() * pm.height() * 4
