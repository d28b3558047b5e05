"""RAW + JPEG from the camera: one shot saved twice, side by side in one folder (IMG_0001.CR2 + IMG_0001.JPG)."""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Final

import numpy as np
from numpy.typing import NDArray

from dupeview.core.formats import RAW_FORMATS
from dupeview.core.records import ImageRecord

# What cameras write beside their RAW files; an export with the same name (a .jxl, a .tif) is not a companion.
COMPANION_FORMATS: Final = frozenset({"JPEG", "HEIF"})


def _shot(path: str) -> tuple[str, str]:
    folder, name = os.path.split(path)
    stem = name.rsplit(".", 1)[0] if "." in name else name
    return os.path.normcase(folder), stem.casefold()


def partners(records: Sequence[ImageRecord], formats: Sequence[str] | None = None) -> NDArray[np.int64]:
    """For each camera JPEG/HEIF: the index of the RAW beside it with the same name stem, else -1.

    formats: the records' formats as a column, if at hand: a library without RAW files is then
    answered without a loop over its records."""
    if formats is not None and RAW_FORMATS.isdisjoint(set(formats)):
        return np.full(len(records), -1, dtype=np.int64)
    raws: dict[tuple[str, str], int] = {}
    for k, r in enumerate(records):
        if r.format in RAW_FORMATS:
            raws.setdefault(_shot(r.path), k)
    partner = np.full(len(records), -1, dtype=np.int64)
    if raws:
        for k, r in enumerate(records):
            if r.format in COMPANION_FORMATS:
                partner[k] = raws.get(_shot(r.path), -1)
    return partner


def without_companions(partner: NDArray[np.int64], i: NDArray[np.int64],
                       j: NDArray[np.int64]) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """The similarity edges (i, j) without the camera companions: a JPEG/HEIF similar to its RAW beside it.

    The companion leaves every group (the user keeps both on purpose); its RAW stays, so
    other copies of the shot still group with the RAW.
    """
    with_partner = (partner[i] == j) | (partner[j] == i)
    if not with_partner.any():
        return i, j
    companions = np.unique(np.concatenate([i[partner[i] == j], j[partner[j] == i]]))
    keep = ~(np.isin(i, companions) | np.isin(j, companions))
    return i[keep], j[keep]
