"""Scope of a comparison: every pair, only pairs across the searched folders, or only pairs inside one."""

from __future__ import annotations

import os
import weakref
from collections.abc import Sequence
from typing import Final

import numpy as np
from numpy.typing import NDArray

from dupeview.core.records import Library

SCOPES: Final = {
    "all": "Compare everything",
    "across": "Only across folders",     # a backup against the library
    "within": "Only within each folder", # bursts, edits next to their original
}


_last: tuple[weakref.ref[Library], tuple[str, ...], NDArray[np.int64]] | None = None


def root_of(library: Library, roots: Sequence[str]) -> NDArray[np.int64]:
    """For each record, the position of the deepest root holding it (-1: under none).

    Kept for the last library and roots: every regroup (a slider step) asks again.
    """
    global _last
    key = tuple(roots)
    if _last is not None and _last[0]() is library and _last[1] == key:
        return _last[2]
    out = _root_of(library, key)
    _last = (weakref.ref(library), key, out)
    return out


def _root_of(library: Library, roots: Sequence[str]) -> NDArray[np.int64]:
    prefixes = [(k, os.path.join(os.path.normpath(r), "")) for k, r in enumerate(roots)]
    prefixes.sort(key=lambda kp: -len(kp[1]))
    out = np.full(len(library.records), -1, dtype=np.int64)
    for n, rec in enumerate(library.records):
        for k, prefix in prefixes:
            if rec.path.startswith(prefix):
                out[n] = k
                break
    return out


def scope_mask(i: NDArray[np.int64], j: NDArray[np.int64], roots: NDArray[np.int64], scope: str) -> NDArray[np.bool_]:
    """Which pairs (i, j) a scope keeps: pairs across two folders, pairs inside one, or all."""
    if scope == "all":
        return np.ones(len(i), dtype=np.bool_)
    same: NDArray[np.bool_] = np.asarray(roots[i] == roots[j], dtype=np.bool_)
    if scope == "across":
        return ~same
    if scope == "within":
        return same
    raise ValueError(f"unknown scope {scope!r}; choose from {', '.join(SCOPES)}")


def scoped(i: NDArray[np.int64], j: NDArray[np.int64], library: Library, scope: str,
           roots: Sequence[str]) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """The pairs (i, j) a scope keeps (all of them for "all")."""
    if scope == "all":
        return i, j
    keep = scope_mask(i, j, root_of(library, roots), scope)
    return i[keep], j[keep]
