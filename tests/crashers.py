"""A Pillow plugin that kills its process, installed in scan workers to prove a crash is survived."""

from __future__ import annotations

import io
import os
import types

from PIL import Image, ImageFile

MAGIC = b"CRASH!"


class _CrashingImageFile(ImageFile.ImageFile):
    format = "CRASH"

    def _open(self) -> None:
        os._exit(70)  # what a segfaulting decoder looks like from the pool's side


def install() -> None:
    Image.register_open(_CrashingImageFile.format, _CrashingImageFile, lambda head: head.startswith(MAGIC))


RAW_MAGIC = b"II*\x00CRASH!"


class _CrashingRawPy:
    """LibRaw as rawpy.RawPy, except that it kills its process on a file starting with RAW_MAGIC."""

    def __init__(self) -> None:
        import rawpy

        self._real = rawpy.RawPy()

    def __enter__(self) -> _CrashingRawPy:
        return self

    def __exit__(self, *exc: object) -> None:
        self._real.close()

    def open_buffer(self, buffer: object) -> None:
        data = buffer.read()  # type: ignore[attr-defined]
        if data.startswith(RAW_MAGIC):
            os._exit(70)  # a LibRaw segfault, as the pool sees it
        self._real.open_buffer(io.BytesIO(data))

    def __getattr__(self, name: str) -> object:
        return getattr(self._real, name)


def install_raw() -> None:
    """In a scan worker: RAW files go through _CrashingRawPy (real LibRaw for every other file)."""
    import rawpy

    from dupeview.core import raw

    crashing = types.SimpleNamespace(**{k: getattr(rawpy, k) for k in dir(rawpy) if not k.startswith("__")})
    crashing.RawPy = _CrashingRawPy
    raw._rawpy = lambda: crashing  # type: ignore[assignment]
