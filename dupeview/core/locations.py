"""Where a copy lives, said the way a user names it: the searched folder's name, then the path inside it."""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import NamedTuple

SEPARATOR = " › "


class Location(NamedTuple):
    root: str        # the searched folder's short name ("Backup 2019"); "" when outside every folder
    inside: str      # the path below it ("2019/07/IMG_0001.jpg"), or the whole path

    def __str__(self) -> str:
        return f"{self.root}{SEPARATOR}{self.inside}" if self.root else self.inside


def root_names(roots: Sequence[str]) -> dict[str, str]:
    """A short, distinct name per folder: its last part, with parents added while two names are the same."""
    parts = {r: os.path.normpath(r).split(os.sep) for r in roots}
    depth = dict.fromkeys(roots, 1)
    while True:
        names = {r: os.sep.join(p[-depth[r]:]) or os.sep for r, p in parts.items()}
        clashes = {r for r in roots if sum(1 for n in names.values() if n == names[r]) > 1
                   and depth[r] < len(parts[r])}
        if not clashes:
            return names
        for r in clashes:
            depth[r] += 1


def locate(path: str, roots: Sequence[str], names: dict[str, str] | None = None) -> Location:
    """The deepest root holding `path` (roots may nest), and the path relative to it."""
    names = names if names is not None else root_names(roots)
    best, best_prefix = "", ""
    for r in roots:
        base = os.path.normpath(r)
        prefix = base if base.endswith(os.sep) else base + os.sep
        if path.startswith(prefix) and len(prefix) > len(best_prefix):
            best, best_prefix = r, prefix
    if not best:
        return Location("", path)
    return Location(names.get(best, os.path.basename(best)), path[len(best_prefix):])
