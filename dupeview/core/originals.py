"""Facts that tell an original from its copies, measured in the one decode: colour, sharpness, JPEG quality, full frame.

Stored as FACT_WORDS uint64 at the end of each file's views blob (core/views.py), so they
travel with the layout fingerprints through the cache, library operations and reviews.
"""

from __future__ import annotations

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


class Facts(NamedTuple):
    """Per file, as arrays over a library (or scalars for one file)."""

    colour: NDArray[np.bool_]
    full_frame: NDArray[np.bool_]   # no uniform bars, borders or frame were trimmed
    quality: NDArray[np.int64]      # estimated JPEG quality 1..100; LOSSLESS for other formats
    sharpness: NDArray[np.float64]  # mean absolute Laplacian / grey-level spread of the decoded thumbnail


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
    luma = np.array(tables[0], dtype=np.float64)[:64]
    scale = 100.0 * float(np.mean(luma / _IJG_LUMA[: len(luma)]))  # IJG: table = base * scale / 100
    quality = (200.0 - scale) / 2.0 if scale <= 100.0 else 5000.0 / scale
    return colour, int(np.clip(round(quality), 1, 100))


def sharpness(gray: Image.Image) -> float:
    """How much fine detail the decoded image has, independent of its contrast (blurred copies score lower)."""
    a = np.asarray(gray, dtype=np.float64)
    if a.shape[0] < 3 or a.shape[1] < 3:
        return 0.0
    lap = 4 * a[1:-1, 1:-1] - a[:-2, 1:-1] - a[2:, 1:-1] - a[1:-1, :-2] - a[1:-1, 2:]
    return float(np.abs(lap).mean() / (a.std() + 1.0))


def pack(colour: bool, full_frame: bool, quality: int, sharp: float) -> NDArray[np.uint64]:
    flags = int(colour) | int(full_frame) << 1 | (int(quality) & 0x7F) << 2
    return np.array([flags, np.float64(sharp).view(np.uint64)], dtype=np.uint64)


def unpack(words: NDArray[np.uint64]) -> Facts:
    """(N, FACT_WORDS) words -> Facts arrays (all zero words: grey, framed, quality 0, sharpness 0)."""
    flags = words[:, 0].astype(np.int64)
    return Facts(colour=(flags & 1).astype(bool), full_frame=(flags >> 1 & 1).astype(bool),
                 quality=flags >> 2 & 0x7F, sharpness=np.ascontiguousarray(words[:, 1]).view(np.float64))
