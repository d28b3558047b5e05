"""Groups as flat arrays, with a Group object made only for the groups that are read."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import overload

import numpy as np
from numpy.typing import NDArray


@dataclass(frozen=True, slots=True)
class Member:
    index: int          # into Library.records
    distance: int       # fingerprint distance to the group's keeper
    identical: bool     # same bytes as the keeper
    reference: bool     # in a reference folder: never suggested for removal
    hardlink: bool      # shares its inode with another member: removing it frees nothing
    suggested: bool     # suggested for removal by the keep rules


@dataclass(frozen=True, slots=True)
class Group:
    members: tuple[Member, ...]  # the keeper first, then by distance and path
    reclaimable: int             # bytes freed by removing the suggested members

    @property
    def keeper(self) -> Member:
        return self.members[0]


class GroupList(Sequence[Group]):
    """Groups as flat arrays; a Group object is made when one is read (the GUI reads few)."""

    def __init__(self, offsets: NDArray[np.int64], reclaimable: NDArray[np.int64], index: NDArray[np.int64],
                 distance: NDArray[np.uint8], identical: NDArray[np.bool_], reference: NDArray[np.bool_],
                 hardlink: NDArray[np.bool_], suggested: NDArray[np.bool_]) -> None:
        self._offsets = offsets
        self.reclaimable = reclaimable
        self._columns = (index, distance, identical, reference, hardlink, suggested)
        self._made: dict[int, Group] = {}
        self._position: NDArray[np.int64] | None = None

    @classmethod
    def empty(cls) -> GroupList:
        z = np.zeros(0, dtype=np.int64)
        b = np.zeros(0, dtype=bool)
        return cls(np.zeros(1, dtype=np.int64), z, z, z.astype(np.uint8), b, b, b, b)

    @classmethod
    def from_groups(cls, groups: Sequence[Group]) -> GroupList:
        """The flat form of Group objects (tests, and groups made outside a Matcher)."""
        members = [m for g in groups for m in g.members]
        offsets = np.r_[0, np.cumsum([len(g.members) for g in groups], dtype=np.int64)].astype(np.int64)

        def flags(name: str) -> NDArray[np.bool_]:
            return np.array([getattr(m, name) for m in members], dtype=np.bool_)

        return cls(offsets, np.array([g.reclaimable for g in groups], dtype=np.int64),
                   np.array([m.index for m in members], dtype=np.int64),
                   np.array([m.distance for m in members], dtype=np.uint8),
                   flags("identical"), flags("reference"), flags("hardlink"), flags("suggested"))

    def __len__(self) -> int:
        return len(self._offsets) - 1

    @overload
    def __getitem__(self, k: int) -> Group: ...
    @overload
    def __getitem__(self, k: slice) -> list[Group]: ...

    def __getitem__(self, k: int | slice) -> Group | list[Group]:
        if isinstance(k, slice):
            return [self[x] for x in range(*k.indices(len(self)))]
        if k < 0:
            k += len(self)
        if not 0 <= k < len(self):
            raise IndexError(k)
        group = self._made.get(k)
        if group is None:
            lo, hi = int(self._offsets[k]), int(self._offsets[k + 1])
            cols = [c[lo:hi].tolist() for c in self._columns]
            members = tuple(Member(*row) for row in zip(*cols, strict=False))
            group = self._made[k] = Group(members, int(self.reclaimable[k]))
        return group

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Sequence):
            return list(self) == list(other)
        return NotImplemented

    # -- the arrays, for code that works on every member at once (marks, summaries) ----
    @property
    def offsets(self) -> NDArray[np.int64]:
        """Group k's members are rows offsets[k]:offsets[k + 1] of the member arrays."""
        return self._offsets

    @property
    def indices(self) -> NDArray[np.int64]:
        """Per member: its index into Library.records."""
        return self._columns[0]

    @property
    def reference(self) -> NDArray[np.bool_]:
        return self._columns[3]

    @property
    def suggested(self) -> NDArray[np.bool_]:
        return self._columns[5]

    distance = property(lambda self: self._columns[1], doc="Per member: its distance to the group's keeper.")
    hardlink = property(lambda self: self._columns[4], doc="Per member: shares its inode with another member.")

    @functools.cached_property
    def sizes(self) -> NDArray[np.int64]:
        """Members per group."""
        return np.diff(self._offsets)

    @functools.cached_property
    def group_ids(self) -> NDArray[np.int64]:
        """Per member: the position of its group."""
        return np.repeat(np.arange(len(self), dtype=np.int64), self.sizes)

    def bounds(self, k: int) -> tuple[int, int]:
        """The member rows of group k."""
        return int(self._offsets[k]), int(self._offsets[k + 1])

    def built(self) -> int:
        """How many Group objects have been made so far (the laziness is the point: tests check it)."""
        return len(self._made)

    def member_count(self) -> int:
        return int(self._offsets[-1])

    def total_reclaimable(self) -> int:
        return int(self.reclaimable.sum())

    def group_of(self, index: int) -> int | None:
        """The position of the group holding file `index` (into Library.records), if any."""
        if self._position is None:
            members = self._columns[0]
            size = int(members.max()) + 1 if len(members) else 0
            self._position = np.full(size, -1, dtype=np.int64)
            self._position[members] = np.repeat(np.arange(len(self)), np.diff(self._offsets))
        if 0 <= index < len(self._position) and self._position[index] >= 0:
            return int(self._position[index])
        return None

    def suggested_count(self) -> int:
        return int(self._columns[5].sum())
