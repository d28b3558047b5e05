"""Paths found to be one file (a folder mounted twice): remembered, so they are never copies again."""

from __future__ import annotations

import json
import logging
import os
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Final

from dupeview import paths
from dupeview.core import safeio

_logger = logging.getLogger(__name__)

STORE_NAME: Final = "aliases.json"
_MAX_BYTES: Final = 16 * 1024 * 1024
_lock = threading.Lock()


def _store(path: str | os.PathLike[str] | None) -> Path:
    return Path(path) if path is not None else paths.data_dir() / STORE_NAME


def _norm(path: str) -> str:
    return os.path.abspath(path)


def known(store: str | os.PathLike[str] | None = None) -> frozenset[tuple[str, str]]:
    """Every remembered pair (a, b), a < b as bytes; a damaged store reads as empty (with a warning)."""
    where = _store(store)
    try:
        with open(where, "rb") as fh:
            data = fh.read(_MAX_BYTES + 1)
    except FileNotFoundError:
        return frozenset()
    except OSError as exc:
        _logger.warning("cannot read %s: %s", where, exc)
        return frozenset()
    try:
        if len(data) > _MAX_BYTES:
            raise ValueError("too large")
        rows = json.loads(data)
        pairs = {(os.fsdecode(bytes.fromhex(a)), os.fsdecode(bytes.fromhex(b))) for a, b in rows["pairs"]}
    except (ValueError, KeyError, TypeError, RecursionError) as exc:
        _logger.warning("ignoring the damaged alias store %s: %s", where, exc)
        return frozenset()
    return frozenset(pairs)


def remember(a: str, b: str, store: str | os.PathLike[str] | None = None) -> None:
    """Add the pair (written whole to a new file, then renamed: a crash leaves the old store)."""
    x, y = sorted((_norm(a), _norm(b)), key=os.fsencode)
    if x == y:
        return
    where = _store(store)
    with _lock:
        pairs = set(known(where))
        if (x, y) in pairs:
            return
        pairs.add((x, y))
        rows = sorted([os.fsencode(p).hex(), os.fsencode(q).hex()] for p, q in pairs)
        where.parent.mkdir(parents=True, exist_ok=True)
        safeio.write_atomically(where, json.dumps({"pairs": rows}).encode("ascii"))


def canonical(files: Iterable[str], store: str | os.PathLike[str] | None = None) -> dict[str, str]:
    """path -> one representative path, for the given paths that have a remembered alias among them
    (transitively). Grouping treats paths with one representative like hard links of one file."""
    wanted = {_norm(p): p for p in files}
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.get(x, x) != x:
            x = parent[x]
        return x

    for a, b in known(store):
        if a in wanted and b in wanted:
            ra, rb = find(a), find(b)
            if ra != rb:
                lo, hi = sorted((ra, rb), key=os.fsencode)
                parent[hi] = lo
                parent.setdefault(lo, lo)
    return {wanted[x]: wanted[find(x)] for x in parent}
