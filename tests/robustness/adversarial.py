"""One folder of hostile inputs, built with Pillow and raw bytes, next to a few real duplicate groups.

`build(root)` writes everything and returns the manifest: what each input is and what a scan must
make of it. `mutate_once` is a scan `worker_setup` that deletes and replaces files after discovery
has listed them and before any of them is hashed, the way another program would.
"""

from __future__ import annotations

import contextlib
import io
import os
import struct
import time
import unicodedata
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pillow_heif
from PIL import Image

from tests.images import corrupt_jpeg, dng_bytes, fake_psd, fake_video, jpeg_bytes, photo, raw_data_past_the_end, save

OK = "ok"            # a readable image (odd, but valid): it must be fingerprinted
SKIP = "skip"        # must be listed in `skipped`, with a reason containing one of `words`
NOT_COMPARED = "not compared"  # not a picture: listed in `not_compared` with the kind in `words[0]`
WALKED = "walked"    # a folder: walked, and never reported itself


@dataclass(frozen=True)
class Input:
    rel: str                      # path relative to the root (str; may hold surrogate escapes)
    expect: str                   # OK, SKIP or WALKED
    words: tuple[str, ...] = ()   # for SKIP: the reason mentions one of these
    follow_words: tuple[str, ...] | None = None  # for SKIP, when links are followed (None: same)
    adversarial: bool = True      # False: one of the plain photos that make the real groups


@dataclass
class Built:
    root: Path
    inputs: list[Input]
    vanishing: str                # deleted by mutate_once after discovery
    replaced: str                 # replaced by mutate_once after discovery
    replacement: bytes            # its new content
    swapped: str = ""             # replaced by a FIFO (no writer) by mutate_once after discovery

    def good(self) -> list[str]:
        """Relative paths of every file that must be fingerprinted (after the mutation)."""
        return [i.rel for i in self.inputs if i.expect == OK]

    def adversarial(self) -> list[Input]:
        return [i for i in self.inputs if i.adversarial]


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_header_only(width: int, height: int) -> bytes:
    """A 100-byte PNG that declares width x height grey pixels: a decompression bomb's calling card."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", ihdr)
            + _png_chunk(b"IDAT", zlib.compress(b"\0" * 64)) + _png_chunk(b"IEND", b""))


def jpeg_header_only(width: int, height: int) -> bytes:
    """SOI + a baseline SOF0 declaring width x height, then garbage: libjpeg would allocate for it."""
    sof = struct.pack(">BHHB", 8, height, width, 1) + b"\x01\x11\x00"
    return b"\xff\xd8" + b"\xff\xc0" + struct.pack(">H", len(sof) + 2) + sof + b"\xff\xda\x00\x08\x01\x01\x00\x00\x3f\x00" + b"\0" * 64


def gif_header_only(width: int, height: int) -> bytes:
    screen = struct.pack("<HHBBB", width, height, 0, 0, 0)
    image = b"\x2c" + struct.pack("<HHHHB", 0, 0, width, height, 0)
    return b"GIF89a" + screen + image + b"\x02\x02\x44\x01\x00\x3b"


def _app1(payload: bytes) -> bytes:
    return b"\xff\xe1" + struct.pack(">H", len(payload) + 2) + payload


def with_raw_exif(jpeg: bytes, tiff: bytes) -> bytes:
    """A JPEG with an APP1 'Exif' segment holding exactly these (possibly malformed) TIFF bytes."""
    assert jpeg[:2] == b"\xff\xd8"
    return jpeg[:2] + _app1(b"Exif\x00\x00" + tiff) + jpeg[2:]


def _ifd(entries: list[tuple[int, int, int, bytes]], next_offset: int = 0) -> bytes:
    out = struct.pack("<H", len(entries))
    for tag, typ, count, value in entries:
        out += struct.pack("<HHI", tag, typ, count) + value.ljust(4, b"\0")[:4]
    return out + struct.pack("<I", next_offset)


def malformed_exif_variants() -> dict[str, bytes]:
    head = b"II*\x00"
    return {
        # IFD0 offset far beyond the end of the segment
        "exif_bad_offset.jpg": head + struct.pack("<I", 0xFFFFFF00),
        # IFD0 claims 65535 entries, holds one
        "exif_bad_count.jpg": head + struct.pack("<I", 8) + struct.pack("<H", 0xFFFF) + b"\x12\x01\x03\x00\x01\x00\x00\x00\x06\x00\x00\x00",
        # the Exif sub-IFD pointer and the next-IFD pointer both lead back to IFD0: a loop
        "exif_loop.jpg": head + struct.pack("<I", 8) + _ifd([(0x8769, 4, 1, struct.pack("<I", 8)),
                                                             (0x0112, 3, 1, struct.pack("<H", 6))], next_offset=8),
        # an orientation tag of the wrong type (ASCII) with an absurd count
        "exif_bad_type.jpg": head + struct.pack("<I", 8) + _ifd([(0x0112, 2, 0x7FFFFFFF, b"abcd")]),
        # not TIFF at all after the Exif marker
        "exif_garbage.jpg": b"\x00\x01garbage that is not a tiff header" * 3,
    }


def _random(seed: int, n: int) -> bytes:
    return np.random.default_rng(seed).integers(0, 256, n, dtype=np.uint8).tobytes()


def _encoded(img: Image.Image, fmt: str, **kw: object) -> bytes:
    buf = io.BytesIO()
    img.save(buf, fmt, **kw)
    return buf.getvalue()


SIZE = (96, 72)
pillow_heif.register_heif_opener()   # to write the HEIC sample (dupeview reads it the same way)


def build(root: Path) -> Built:
    root.mkdir(parents=True, exist_ok=True)
    inputs: list[Input] = []

    def put(rel: str, data: bytes, expect: str, *words: str, adversarial: bool = True,
            follow_words: tuple[str, ...] | None = None) -> None:
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        inputs.append(Input(rel, expect, tuple(words), follow_words, adversarial))

    a, b, c, d, e = (photo(seed, SIZE) for seed in (101, 102, 103, 104, 105))

    # -- plain photos: the real duplicate groups ------------------------------------------
    put("photos/a.jpg", jpeg_bytes(a, 95), OK, adversarial=False)
    put("photos/a_copy.jpg", jpeg_bytes(a, 95), OK, adversarial=False)                # byte copy
    put("photos/a_small.jpg", jpeg_bytes(a.resize((64, 48)), 80), OK, adversarial=False)
    put("photos/b.png", _encoded(b, "PNG"), OK, adversarial=False)
    put("photos/b.webp", _encoded(b, "WEBP", quality=90), OK, adversarial=False)
    put("photos/c.jpg", jpeg_bytes(c), OK, adversarial=False)
    put("photos/d.jpg", jpeg_bytes(d), OK, adversarial=False)

    # -- not images, or not whole ones ------------------------------------------------------
    put("bad/empty.jpg", b"", SKIP, "empty")
    put("bad/empty.png", b"", SKIP, "empty")
    full_jpeg, full_png = jpeg_bytes(photo(106, (320, 240))), _encoded(photo(107, (320, 240)), "PNG")
    put("bad/truncated.jpg", full_jpeg[: len(full_jpeg) // 2], SKIP, "truncated", "damaged")
    put("bad/truncated.png", full_png[: len(full_png) // 2], SKIP, "truncated", "damaged")
    put("bad/header_only.jpg", full_jpeg[:200], SKIP, "truncated", "damaged")
    put("bad/random.jpg", _random(1, 5000), SKIP, "not an image", "damaged")
    put("bad/random.png", _random(2, 5000), SKIP, "not an image", "damaged")
    put("bad/random.gif", _random(3, 3000), SKIP, "not an image", "damaged")
    put("bad/random.heic", _random(4, 3000), SKIP, "not an image", "damaged")
    put("bad/text.webp", b"I am a text file, honestly.\n" * 30, SKIP, "not an image", "damaged")
    put("bad/png_magic_then_junk.png", b"\x89PNG\r\n\x1a\n" + _random(5, 2000), SKIP, "damaged", "not an image")
    put("bad/jpeg_magic_then_junk.jpg", b"\xff\xd8\xff\xe0" + _random(6, 2000), SKIP, "damaged", "truncated", "not an image")
    heif = _encoded(photo(108, SIZE), "HEIF")
    put("bad/truncated.heic", heif[: len(heif) // 2], SKIP, "damaged", "truncated", "not an image")
    avif = _encoded(photo(109, SIZE), "AVIF")
    put("bad/truncated.avif", avif[: len(avif) // 2], SKIP, "damaged", "truncated", "not an image")
    tiff = bytearray(_encoded(photo(110, SIZE), "TIFF"))
    tiff[4:8] = struct.pack("<I", 0x7FFFFFF0) if tiff[:2] == b"II" else struct.pack(">I", 0x7FFFFFF0)
    put("bad/broken_ifd.tif", bytes(tiff), SKIP, "damaged", "truncated", "not an image")
    png_bad_crc = bytearray(_encoded(photo(111, SIZE), "PNG"))
    png_bad_crc[29] ^= 0xFF  # the IHDR CRC
    put("bad/bad_crc.png", bytes(png_bad_crc), SKIP, "damaged", "not an image")

    # -- camera RAW (LibRaw): damaged, unknown, a corrupt preview ------------------------------
    dng = dng_bytes(photo(128, SIZE))
    put("raw/truncated.dng", dng[: len(dng) // 2], SKIP, "damaged or truncated")
    put("raw/header_only.nef", dng[:300], SKIP, "damaged or truncated")
    put("raw/random.cr2", _random(7, 20000), SKIP, "cannot read")
    put("raw/plain_tiff.arw", _encoded(photo(129, SIZE), "TIFF"), SKIP, "cannot read")   # TIFF, but no RAW in it
    put("raw/text.raf", b"FUJIFILMCCD-RAW and then nothing\n" * 20, SKIP, "cannot read", "damaged")
    put("raw/data_past_the_end.dng", raw_data_past_the_end(dng), SKIP, "damaged or truncated")
    preview_bad = corrupt_jpeg(jpeg_bytes(photo(130, SIZE), 90))
    put("raw/corrupt_preview_and_data.dng",
        raw_data_past_the_end(dng_bytes(photo(130, SIZE), preview=preview_bad, preview_size=SIZE)), SKIP, "damaged or truncated")
    put("raw/corrupt_preview.dng", dng_bytes(c, preview=preview_bad, preview_size=SIZE), OK)   # rendered instead: joins c.jpg
    put("raw/empty.dng", b"", SKIP, "empty")

    # -- not pictures: listed by kind, never skipped silently ------------------------------------
    put("other/clip.mp4", fake_video("mp4"), NOT_COMPARED, "video")
    put("other/clip_without_extension", fake_video("mkv"), NOT_COMPARED, "video")
    put("other/poster.psd", fake_psd(), NOT_COMPARED, "psd")
    put("other/readme.txt", b"notes\n", NOT_COMPARED, "other")
    put("other/IMG_0001.xmp", b"<x:xmpmeta/>", NOT_COMPARED, "sidecar")

    # -- decompression bombs ----------------------------------------------------------------
    put("bombs/bomb_30k.png", png_header_only(30000, 30000), SKIP, "too large")
    put("bombs/bomb_20k.png", png_header_only(20000, 20000), SKIP, "too large")
    put("bombs/bomb_65k.jpg", jpeg_header_only(65000, 65000), SKIP, "too large")
    put("bombs/bomb_64k.gif", gif_header_only(65535, 65535), SKIP, "too large")

    # -- valid but odd: must be fingerprinted ------------------------------------------------
    put("odd/png_named.jpg", _encoded(c, "PNG"), OK)                 # joins c.jpg
    put("odd/jpeg_named.png", jpeg_bytes(d, 90), OK)                  # joins d.jpg
    exif = Image.Exif()
    exif[0x010E] = "".join(chr(32 + (k * 7919) % 95) for k in range(60_000))   # 60 KB of junk text
    exif[0x0112] = 1
    put("odd/huge_exif.jpg", jpeg_bytes(a, 90, exif=exif.tobytes()), OK)      # joins a.jpg
    for name, tiff_bytes in malformed_exif_variants().items():
        put(f"odd/{name}", with_raw_exif(jpeg_bytes(e, 90), tiff_bytes), OK)  # same pixels: groups by orientation read
    for value in (0, 9):
        ex = Image.Exif()
        ex[0x0112] = value
        put(f"odd/orientation_{value}.jpg", jpeg_bytes(b, 92, exif=ex.tobytes()), OK)  # join b.png
    frames = [photo(112, SIZE), photo(113, SIZE)]
    anim = io.BytesIO()
    frames[0].save(anim, "GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)
    put("odd/animated.gif", anim.getvalue(), OK)
    put("odd/deep16.png", _encoded(Image.fromarray(np.asarray(photo(114, SIZE).convert("L"), dtype=np.uint16) * 257), "PNG"), OK)
    put("odd/cmyk.jpg", _encoded(photo(115, SIZE).convert("CMYK"), "JPEG", quality=95), OK)
    pal = photo(116, SIZE).convert("P")
    pal.info["transparency"] = 0
    put("odd/palette_alpha.png", _encoded(pal, "PNG", transparency=0), OK)
    put("odd/one_pixel.png", _encoded(Image.new("RGB", (1, 1), (200, 10, 10)), "PNG"), OK)
    put("odd/very_wide.png", _encoded(Image.new("L", (20000, 1), 90), "PNG"), OK)

    # -- names ---------------------------------------------------------------------------------
    put(os.fsdecode(b"names/\xff\xfe.jpg"), jpeg_bytes(photo(117, SIZE)), OK)
    put(os.fsdecode(b"names/caf\xe9 latin1.jpg"), jpeg_bytes(photo(118, SIZE)), OK)
    long_name = "L" * (250 - len(".jpg")) + ".jpg"
    assert len(os.fsencode(long_name)) == 250
    put(f"names/{long_name}", jpeg_bytes(photo(119, SIZE)), OK)
    put("names/\U0001f4f7\U0001f431 emoji.jpg", jpeg_bytes(photo(120, SIZE)), OK)
    put("names/\u0635\u0648\u0631\u0629 rtl \u202egpj.exe.jpg", jpeg_bytes(photo(121, SIZE)), OK)
    nfc, nfd = unicodedata.normalize("NFC", "caf\u00e9.jpg"), unicodedata.normalize("NFD", "caf\u00e9.jpg")
    assert nfc != nfd
    twin = jpeg_bytes(photo(122, SIZE))
    put(f"names/{nfc}", twin, OK)             # two distinct files that look the same: a group
    put(f"names/{nfd}", twin, OK)
    put("names/new\nline.jpg", jpeg_bytes(photo(123, SIZE)), OK)
    put("names/-dash and space .jpg", jpeg_bytes(photo(124, SIZE)), OK)

    # -- not regular files -------------------------------------------------------------------
    save(photo(125, SIZE), root / "folder.jpg" / "inside.jpg", "JPEG")
    inputs.append(Input("folder.jpg", WALKED))
    inputs.append(Input("folder.jpg/inside.jpg", OK))
    (root / "special").mkdir()
    os.mkfifo(root / "special" / "fifo.jpg")
    inputs.append(Input("special/fifo.jpg", SKIP, ("not a regular file",)))
    links = root / "links"
    links.mkdir()
    os.symlink(root / "links" / "nowhere.jpg", links / "broken.jpg")
    inputs.append(Input("links/broken.jpg", SKIP, ("symbolic link",), ("broken symbolic link",)))
    os.symlink("..", links / "parent.jpg")           # a folder link to its own parent: a loop
    inputs.append(Input("links/parent.jpg", SKIP, ("symbolic link",), ()))  # followed: a folder, loop-checked
    os.symlink("self.jpg", links / "self.jpg")        # a file link to itself
    inputs.append(Input("links/self.jpg", SKIP, ("symbolic link",), ("symbolic link cannot be followed",)))
    os.symlink("loop_b.jpg", links / "loop_a.jpg")    # two links pointing at each other
    os.symlink("loop_a.jpg", links / "loop_b.jpg")
    inputs.append(Input("links/loop_a.jpg", SKIP, ("symbolic link",), ("symbolic link cannot be followed",)))
    inputs.append(Input("links/loop_b.jpg", SKIP, ("symbolic link",), ("symbolic link cannot be followed",)))

    # -- changed under the scan's feet (by mutate_once) -----------------------------------------
    put("moving/vanishing.jpg", jpeg_bytes(photo(126, SIZE)), SKIP, "disappeared")
    put("moving/replaced.jpg", jpeg_bytes(photo(127, SIZE)), OK)
    # A named pipe put in its place: reading it would block for ever (the open itself, with no writer).
    put("moving/swapped_for_fifo.jpg", jpeg_bytes(photo(128, SIZE)), SKIP, "not a regular file")
    return Built(root, inputs, "moving/vanishing.jpg", "moving/replaced.jpg",
                 jpeg_bytes(a, 85),                  # becomes a re-encode of a.jpg: joins its group
                 "moving/swapped_for_fifo.jpg")


def mutate_once(claim: str, delete: tuple[str, ...], replace: tuple[tuple[str, bytes], ...],
                fifos: tuple[str, ...] = ()) -> None:
    """Scan worker_setup: the first worker to start deletes and replaces files; the others wait.

    Runs after discovery has listed the files and before any worker hashes one: what another
    program deleting or saving over a file in the middle of a scan does.
    """
    try:
        fd = os.open(claim, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
    except FileExistsError:
        deadline = time.monotonic() + 30
        while not os.path.exists(claim + ".done") and time.monotonic() < deadline:
            time.sleep(0.01)
        return
    os.close(fd)
    for path in delete:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path)
    for path, data in replace:
        tmp = f"{path}.{os.getpid()}.tmp"
        with open(tmp, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)        # a new inode under the old name, like an editor's save
    for path in fifos:
        os.unlink(path)
        os.mkfifo(path)
    with open(claim + ".done", "wb"):
        pass

