"""Which groups the results list shows, in what order: a path filter, a sort, hiding what can't be removed.

All of it works on the GroupList's flat arrays, so 100k groups are filtered or sorted in
milliseconds without building a Group object each.
"""

from __future__ import annotations

import os
import weakref
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final, overload

import numpy as np
from numpy.typing import NDArray

from dupeview.core.grouping import Group, GroupList
from dupeview.core.records import Library

SORTS: Final = {
    "reclaimable": "Space to reclaim",
    "copies": "Number of copies",
    "similarity": "Most similar first",
    "folder": "Folder",
}


@dataclass(frozen=True)
class ViewOptions:
    text: str = ""                 # shown: groups with a member whose path holds this (any case)
    sort: str = "reclaimable"
    hide_unremovable: bool = False  # groups where every copy is in a reference folder or a hard link

    def __post_init__(self) -> None:
        if self.sort not in SORTS:
            raise ValueError(f"unknown sort {self.sort!r}; choose from {', '.join(SORTS)}")


class _Folded:
    """Casefolded paths of one library's group members, made as groups ask (a filter is typed one key at a time).

    Only members: at a million files every path folded was 140 MB and 1.4 s of the worker's time, for the
    few thousand files a filter can match. The library is held weakly: a closed window's is freed."""

    def __init__(self, library: Library) -> None:
        self.library = weakref.ref(library)
        self.folded: dict[int, str] = {}

    def of(self, library: Library, index: NDArray[np.int64]) -> list[str]:
        paths, folded = library.table.paths, self.folded
        rows = index.tolist()
        for k in rows:
            if k not in folded:
                folded[k] = paths[k].casefold()
        return [folded[k] for k in rows]


_folded: list[_Folded] = []


def _folded_paths(library: Library, index: NDArray[np.int64]) -> list[str]:
    """The casefolded paths of these library rows."""
    if not _folded or _folded[0].library() is not library:
        _folded[:] = [_Folded(library)]   # one library at a time is shown
    return _folded[0].of(library, index)


def view_order(library: Library, groups: GroupList, options: ViewOptions) -> NDArray[np.int64]:
    """Positions in `groups` to show, in the order to show them."""
    offsets, index = groups.offsets, groups.indices
    n = len(groups)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    starts = offsets[:-1]
    keep = np.ones(n, dtype=np.bool_)
    if options.hide_unremovable:
        removable = ~groups.reference & ~groups.hardlink
        keep &= np.logical_or.reduceat(removable, starts)
    text = options.text.strip().casefold()
    if text:
        folded = _folded_paths(library, index)
        hit = np.fromiter((text in p for p in folded), dtype=np.bool_, count=len(index))
        keep &= np.logical_or.reduceat(hit, starts)
    shown = np.flatnonzero(keep)
    if options.sort == "reclaimable":
        key: NDArray[np.generic] = -groups.reclaimable[shown]
    elif options.sort == "copies":
        key = -groups.sizes[shown]
    elif options.sort == "similarity":
        key = np.maximum.reduceat(groups.distance.astype(np.int64), starts)[shown]
    else:  # folder: by the kept copy's path
        keepers = index[starts[shown]]
        key = np.array([os.fsencode(library.records[k].path) for k in keepers.tolist()], dtype=object)
    # A stable sort: ties keep the grouping's own order (space to reclaim, then paths).
    order = np.argsort(key, kind="stable")
    result: NDArray[np.int64] = shown[order].astype(np.int64)
    return result


class GroupView(Sequence[Group]):
    """The groups as shown: a filtered, sorted window onto a GroupList (row k is groups[order[k]])."""

    def __init__(self, groups: GroupList, order: NDArray[np.int64] | None = None,
                 options: ViewOptions | None = None) -> None:
        self.groups = groups
        self.order = np.arange(len(groups), dtype=np.int64) if order is None else order
        self.options = options or ViewOptions()   # what made this order
        self._row: NDArray[np.int64] | None = None

    @classmethod
    def of(cls, library: Library, groups: GroupList, options: ViewOptions) -> GroupView:
        """The groups filtered and sorted by the options (array work: run it off the GUI thread at 100k)."""
        return cls(groups, view_order(library, groups, options), options)

    @property
    def filtered(self) -> bool:
        """Some groups are hidden by the filter (not only reordered)."""
        return len(self.order) != len(self.groups)

    def reclaimable(self) -> int:
        """Bytes the shown groups would free."""
        return int(self.groups.reclaimable[self.order].sum())

    def member_count(self) -> int:
        return int(self.groups.sizes[self.order].sum())

    def __len__(self) -> int:
        return len(self.order)

    @overload
    def __getitem__(self, k: int) -> Group: ...
    @overload
    def __getitem__(self, k: slice) -> list[Group]: ...

    def __getitem__(self, k: int | slice) -> Group | list[Group]:
        if isinstance(k, slice):
            return [self[x] for x in range(*k.indices(len(self)))]
        return self.groups[int(self.order[k])]

    def position(self, row: int) -> int:
        """The group's position in the GroupList behind this row."""
        return int(self.order[row])

    def row_of(self, position: int) -> int | None:
        """The row showing the group at this GroupList position, if it is shown."""
        if self._row is None:
            self._row = np.full(len(self.groups), -1, dtype=np.int64)
            self._row[self.order] = np.arange(len(self.order))
        if 0 <= position < len(self._row) and self._row[position] >= 0:
            return int(self._row[position])
        return None
