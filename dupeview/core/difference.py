"""Where two pictures differ, at preview size: an amplified per-pixel difference image and its mean."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

GAIN = 4.0   # small differences (re-encoding, resizing) are a few levels: amplified, so an eye can see them


@dataclass(frozen=True)
class Difference:
    image: NDArray[np.uint8]   # H x W x 3: black where the pictures agree, bright where they differ
    mean: float                # mean absolute difference, 0 (same) to 1 (opposite everywhere)
    changed: float             # share of pixels that differ by more than 1/16 in any channel


def difference(a: NDArray[np.uint8], b: NDArray[np.uint8]) -> Difference:
    """Both H x W x 3 arrays of the same shape (the caller scales both to one preview size)."""
    if a.shape != b.shape or a.ndim != 3 or a.shape[2] != 3:
        raise ValueError(f"cannot compare pictures of shapes {a.shape} and {b.shape}")
    d = np.abs(a.astype(np.int16) - b.astype(np.int16))
    shown = np.clip(d.astype(np.float32) * GAIN, 0, 255).astype(np.uint8)
    if d.size == 0:
        return Difference(shown, 0.0, 0.0)
    return Difference(shown, float(d.mean()) / 255.0, float((d.max(axis=2) > 16).mean()))
