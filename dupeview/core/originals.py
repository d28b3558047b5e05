"""Facts that tell an original from its copies, measured in the one decode: colour, sharpness, JPEG quality, full frame, not upscaled.

Stored as FACT_WORDS uint64 at the end of each file's views blob (core/views.py), so they
travel with the layout fingerprints through the cache, library operations and reviews.
"""

from __future__ import annotations

import functools
from typing import Final, NamedTuple

import numpy as np
from numpy.typing import NDArray
from PIL import Image

FACT_WORDS: Final = 2
SOURCE_KEY: Final = "dupeview.source"  # gray.info[...] = (colour, jpeg quality), set by core/decode.py
_GREY_MODES: Final = frozenset({"1", "L", "LA", "La", "I", "I;16", "I;16L", "I;16B", "I;16N", "F"})
# IJG's standard luminance quantisation table (quality 50), in zigzag order as Pillow reports it.
_IJG_LUMA: Final = np.array([
    16, 11, 12, 14, 12, 10, 16, 14, 13, 14, 18, 17, 16, 19, 24, 40, 26, 24, 22, 22, 24, 49, 35, 37,
    29, 40, 58, 51, 61, 60, 57, 51, 56, 55, 64, 72, 92, 78, 64, 68, 87, 69, 55, 56, 80, 109, 81, 87,
    95, 98, 103, 104, 103, 62, 77, 113, 121, 112, 100, 120, 92, 101, 103, 99], dtype=np.float64)
LOSSLESS: Final = 100  # the quality a file that is not a JPEG counts as
DETAIL_KEY: Final = "dupeview.detail"  # gray.info[...] = detail() of the decoded pixels, set by core/decode.py
# detail() below this: the decoded pixels lack the finest detail a picture of that size has, as an
# enlarged copy does. Measured on ../shared/corpus photos as PNG: originals 0.63-1.35 (one soft
# brick texture 0.48), their bicubic enlargements x2 and x3 0.32-0.56, x1.5 0.40-0.80; but 18 %
# of all corpus files decoded at full size (soft, noisy or small ones) measure below it too.
UPSCALED_DETAIL: Final = 0.58
_DETAIL_CROP: Final = 256


class Facts(NamedTuple):
    """Per file, as arrays over a library (or scalars for one file)."""

    colour: NDArray[np.bool_]
    full_frame: NDArray[np.bool_]   # no uniform bars, borders or frame were trimmed
    quality: NDArray[np.int64]      # estimated JPEG quality 1..100; LOSSLESS for other formats
    sharpness: NDArray[np.float64]  # mean absolute Laplacian / grey-level spread of the decoded thumbnail
    upscaled: NDArray[np.bool_]     # detail() measured and below UPSCALED_DETAIL: an enlarged copy


def source_facts(img: Image.Image) -> tuple[bool, int]:
    """(colour, JPEG quality) of an opened, not yet decoded image: from its mode and quantisation tables."""
    colour = img.mode not in _GREY_MODES
    if img.mode == "P":
        palette = img.getpalette() or []
        rgb = np.array(palette[: len(palette) // 3 * 3], dtype=np.int16).reshape(-1, 3)
        colour = bool(len(rgb) and (np.ptp(rgb, axis=1) > 8).any())
    tables = getattr(img, "quantization", None)
    if img.format != "JPEG" or not tables or 0 not in tables:
        return colour, LOSSLESS
    return colour, jpeg_quality(tuple(tables[0]))


@functools.lru_cache(maxsize=1024)  # a library's JPEGs share a few tables: the numpy work once per table
def jpeg_quality(luma_table: tuple[int, ...]) -> int:
    """The IJG quality (1..100) a JPEG's luminance quantisation table was scaled from."""
    luma = np.array(luma_table, dtype=np.float64)[:64]
    scale = 100.0 * float(np.mean(luma / _IJG_LUMA[: len(luma)]))  # IJG: table = base * scale / 100
    quality = (200.0 - scale) / 2.0 if scale <= 100.0 else 5000.0 / scale
    return int(np.clip(round(quality), 1, 100))


def sharpness(gray: Image.Image) -> float:
    """How much fine detail the decoded image has, independent of its contrast (blurred copies score lower)."""
    return sharpness_of(np.asarray(gray, dtype=np.uint8))


def sharpness_of(a: NDArray[np.uint8]) -> float:
    """sharpness of a mode-'L' image's (h, w) pixels."""
    g = a.astype(np.int16)
    if g.shape[0] < 3 or g.shape[1] < 3:
        return 0.0
    # In int16 (|lap| <= 1020): exact, so the mean is the float64 one to the last bit (a sum of integers
    # below 2**53 does not depend on its order), at a quarter of the memory traffic.
    lap = 4 * g[1:-1, 1:-1] - g[:-2, 1:-1] - g[2:, 1:-1] - g[1:-1, :-2] - g[1:-1, 2:]
    return float(np.abs(lap).mean(dtype=np.float64) / (a.astype(np.float64).std() + 1.0))


def abs_laplacian_sums(a: NDArray[np.int32] | NDArray[np.int16]) -> NDArray[np.int64]:
    """_abs_laplacian_sum of each image of an (n, h, w) stack."""
    lap = 4 * a[:, 1:-1, 1:-1] - a[:, :-2, 1:-1] - a[:, 2:, 1:-1] - a[:, 1:-1, :-2] - a[:, 1:-1, 2:]
    return np.asarray(np.abs(lap).sum(axis=(1, 2), dtype=np.int64))


def detail(gray: Image.Image) -> float:
    """Pixel-level detail of the decoded image (before any reduction) against its detail at twice the scale.

    Pictures have detail at every scale, so the two are alike (about 0.6-1.4); an enlarged copy
    has none finer than its source's pixels, so its own pixels show little (below 0.58). Measured
    on a central crop of at most 256x256, only on pixels decoded at full size: a
    JPEG over 127 pixels is decoded at 1/2-1/8 scale (draft), which smooths any picture, so its
    enlargements are not seen. 0.0 when the image is too small to tell.

    Defined in float64 as mean |Laplacian| of the crop over that of its 2x2 block means; computed in
    integers, which gives those float64 means to the last bit: their sums are exact (integers and
    quarters), so each mean is one rounded division either way (tests/core/test_facts_exact.py).
    """
    return detail_of(np.frombuffer(gray.tobytes(), dtype=np.uint8).reshape(gray.height, gray.width))


def detail_crop(a: NDArray[np.uint8]) -> NDArray[np.uint8]:
    """The central crop of at most _DETAIL_CROP x _DETAIL_CROP pixels that detail() measures."""
    h, w = a.shape
    cw, ch = min(w, _DETAIL_CROP), min(h, _DETAIL_CROP)
    return a[(h - ch) // 2:(h - ch) // 2 + ch, (w - cw) // 2:(w - cw) // 2 + cw]


def detail_of(a: NDArray[np.uint8]) -> float:
    """detail() of a mode-'L' image's (h, w) pixels."""
    return details(detail_crop(a)[None])[0]


def details(crops: NDArray[np.uint8], fine: NDArray[np.int64] | None = None) -> list[float]:
    """detail() of each of an (n, h, w) stack of same-sized detail_crop()s; fine: their abs_laplacian_sums, if known."""
    n, h, w = crops.shape
    ch, cw = h // 2 * 2, w // 2 * 2
    if ch < 16 or cw < 16:
        return [0.0] * n
    c = crops.astype(np.int16)  # |Laplacian| <= 4 * 1020 of the block sums: int16 holds every value exactly
    q = c[:, :ch:2, :cw:2] + c[:, 1:ch:2, :cw:2] + c[:, :ch:2, 1:cw:2] + c[:, 1:ch:2, 1:cw:2]  # 4x the 2x2 means
    coarse = abs_laplacian_sums(q)
    fine = abs_laplacian_sums(c) if fine is None else fine
    out = []
    for k in range(n):
        mean_coarse = float(coarse[k]) / 4 / ((ch // 2 - 2) * (cw // 2 - 2))
        out.append(float(fine[k]) / ((h - 2) * (w - 2)) / mean_coarse if mean_coarse > 0 else 0.0)
    return out


def pack(colour: bool, full_frame: bool, quality: int, sharp: float, detail_ratio: float = 0.0) -> NDArray[np.uint64]:
    """Bits 0 colour, 1 full frame, 2-8 JPEG quality, 16-31 detail x 1000 + 1 (0: not measured); then the sharpness."""
    words: NDArray[np.uint64] = pack_many([(colour, full_frame, quality, sharp, detail_ratio)])[0]
    return words


def pack_many(facts: list[tuple[bool, bool, int, float, float]]) -> NDArray[np.uint64]:
    """pack() of each (colour, full frame, quality, sharpness, detail): (n, FACT_WORDS)."""
    out = np.empty((len(facts), FACT_WORDS), dtype=np.uint64)
    out[:, 0] = [int(colour) | int(full_frame) << 1 | (int(quality) & 0x7F) << 2
                 | (0 if detail <= 0 else min(0xFFFF, round(detail * 1000) + 1)) << 16
                 for colour, full_frame, quality, _sharp, detail in facts]
    out[:, 1] = np.array([f[3] for f in facts], dtype=np.float64).view(np.uint64)
    return out


def unpack(words: NDArray[np.uint64]) -> Facts:
    """(N, FACT_WORDS) words -> Facts arrays (all zero words: grey, framed, quality 0, sharpness 0)."""
    flags = words[:, 0].astype(np.int64)
    measured = flags >> 16 & 0xFFFF
    return Facts(colour=(flags & 1).astype(bool), full_frame=(flags >> 1 & 1).astype(bool),
                 quality=flags >> 2 & 0x7F, sharpness=np.ascontiguousarray(words[:, 1]).view(np.float64),
                 upscaled=(measured > 0) & ((measured - 1) / 1000 < UPSCALED_DETAIL))
