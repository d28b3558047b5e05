"""A Pillow plugin that kills its process, installed in scan workers to prove a crash is survived."""

from __future__ import annotations

import os

from PIL import Image, ImageFile

MAGIC = b"CRASH!"


class _CrashingImageFile(ImageFile.ImageFile):
    format = "CRASH"

    def _open(self) -> None:
        os._exit(70)  # what a segfaulting decoder looks like from the pool's side


def install() -> None:
    Image.register_open(_CrashingImageFile.format, _CrashingImageFile, lambda head: head.startswith(MAGIC))
