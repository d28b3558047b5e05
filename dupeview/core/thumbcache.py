"""The desktop's shared thumbnail cache (freedesktop.org thumbnail spec 0.9): read a valid one, save new ones.

A thumbnail lives at $XDG_CACHE_HOME/thumbnails/<flavour>/<md5 of the file's URI>.png and is valid for the file
while its PNG text keys Thumb::URI and Thumb::MTime match. File managers and image viewers share them, so a folder
one of them has shown opens at once in dupeview, and the other way round.
"""

from __future__ import annotations

import hashlib
import io
import os
import urllib.parse
from pathlib import Path

from PIL import Image, PngImagePlugin

from dupeview import __version__, paths
from dupeview.core import safeio

# flavour -> largest edge in pixels (spec: normal 128, large 256, x-large 512, xx-large 1024)
FLAVOURS: tuple[tuple[str, int], ...] = (("normal", 128), ("large", 256), ("x-large", 512), ("xx-large", 1024))


def file_uri(path: str) -> str:
    """The file:// URI of an absolute path, escaped as GLib's g_filename_to_uri does (what GNOME hashes)."""
    raw = os.fsencode(os.path.abspath(path))
    return "file://" + urllib.parse.quote(raw, safe="!$&'()*+,/:=@~")


def flavour_for(size: int) -> tuple[str, int] | None:
    """The smallest flavour at least `size` pixels on its long edge, or None (too big for the cache)."""
    return next((f for f in FLAVOURS if f[1] >= size), None) if size > 0 else None


def _location(uri: str, flavour: str) -> Path:
    return paths.thumbnail_dirs()[0] / flavour / (hashlib.md5(uri.encode("ascii")).hexdigest() + ".png")


def in_thumbnail_cache(path: str) -> bool:
    """Is this file itself inside a thumbnail cache? (The spec: never make thumbnails of thumbnails.)"""
    real = os.path.realpath(path)
    return any(real.startswith(os.path.realpath(d) + os.sep) for d in paths.thumbnail_dirs())


def lookup(path: str, size: int) -> Image.Image | None:
    """A valid shared thumbnail of at least `size` pixels (or of the whole picture if it is smaller), else None."""
    wanted = flavour_for(size)
    if wanted is None or in_thumbnail_cache(path):
        return None
    try:
        mtime = int(os.stat(path).st_mtime)
    except OSError:
        return None
    uri = file_uri(path)
    for name, edge in FLAVOURS:
        if edge < wanted[1]:
            continue
        try:
            with Image.open(_location(uri, name)) as im:
                text = getattr(im, "text", {})
                if text.get("Thumb::URI") != uri or text.get("Thumb::MTime") != str(mtime):
                    continue  # a stale thumbnail (the file changed) or an md5 collision
                im.load()
                return im.copy()
        except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
            continue  # missing, unreadable or damaged: as if absent
    return None


def save(path: str, image: Image.Image, flavour: tuple[str, int]) -> Path | None:
    """Save `image` (the picture as shown, at least the flavour's edge unless the picture is smaller) as the shared
    thumbnail of `path`: scaled to the flavour, PNG with the spec's keys, written to a temporary file in the
    same folder and renamed (readers never see half a file), 0600 in a 0700 folder. None when it can't be."""
    name, edge = flavour
    if in_thumbnail_cache(path) or image.mode in ("I", "F") or image.mode.startswith("I;"):
        return None  # no thumbnails of thumbnails; 16-bit and float pictures are shown, not shared
    try:
        st = os.stat(path)
        uri = file_uri(path)
        target = _location(uri, name)
        target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        thumb = image.copy()
        thumb.thumbnail((edge, edge), Image.Resampling.BILINEAR)
        if thumb.mode not in ("RGB", "RGBA"):
            thumb = thumb.convert("RGBA" if "A" in thumb.getbands() else "RGB")
        info = PngImagePlugin.PngInfo()
        info.add_text("Thumb::URI", uri)
        info.add_text("Thumb::MTime", str(int(st.st_mtime)))
        info.add_text("Thumb::Size", str(st.st_size))
        info.add_text("Software", f"dupeview {__version__}")
        png = io.BytesIO()
        # zlib's fastest level: a third of the time of the default (which holds the GIL in 64 KB slices beside the
        # window's thread) for about a tenth more bytes
        thumb.save(png, "PNG", pnginfo=info, compress_level=1)
        # 0600, as the spec asks; no fsync: a lost thumbnail is simply made again.
        safeio.write_atomically(target, png.getvalue(), sync=False)
        return target
    except OSError:
        return None  # a read-only or full cache folder: thumbnails are only a speed-up

