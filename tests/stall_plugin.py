"""A Pillow plugin whose read never returns (it waits on a FIFO no one writes to): a stalled network
share or FUSE file, as a decoder sees one. Installed in scan workers through ScanSettings.worker_setup."""

from __future__ import annotations

from PIL import Image, ImageFile

MAGIC = b"STALL!"


class _StallingImageFile(ImageFile.ImageFile):
    format = "STALL"

    def _open(self) -> None:
        assert self.fp is not None
        fifo = self.fp.read(4096)[len(MAGIC):].split(b"\n")[0].decode()
        with open(fifo, "rb") as fh:  # blocks in open() with no writer, in read() with a silent one
            fh.read(1)
        raise SyntaxError("unreachable: the FIFO never answers")


def install() -> None:
    Image.register_open(_StallingImageFile.format, _StallingImageFile, lambda head: head.startswith(MAGIC))


def stalled_file(path: str, fifo: str) -> None:
    """A .jpg-named file that makes the plugin wait on `fifo` forever."""
    with open(path, "wb") as fh:
        fh.write(MAGIC + fifo.encode() + b"\n")
