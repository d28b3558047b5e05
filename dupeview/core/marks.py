"""Which files the user marked for an action, and the rules marks obey, kept on the GroupList's arrays."""

from __future__ import annotations

from collections.abc import Collection

import numpy as np
import numpy.typing as npt

from dupeview.core.grouping import GroupList, Member
from dupeview.core.records import Library
from dupeview.core.session_match import rows_of

REFERENCE_REFUSAL = "it is in a reference folder: reference files are never marked"
LAST_COPY_REFUSAL = "it is the last unmarked copy in its group: one copy is always kept"


class Marks:
    """Marked files of one library, shown as groups. Every group keeps an unmarked copy; references are never marked.

    The state is one boolean per library record plus the bytes each group would free, so a
    key press touches one group and the summary is a sum: nothing walks every group.
    """

    def __init__(self) -> None:
        self._library = Library()
        self._groups = GroupList.empty()
        self._on = np.zeros(0, dtype=bool)
        # Marks on files a regroup left out of every group (a stricter slider, another scope): not shown and
        # never acted on, but back when a later regroup brings the file back. A quick look must not lose a review.
        self._parked = np.zeros(0, dtype=bool)
        self._group_bytes = np.zeros(0, dtype=np.int64)
        self._index: dict[str, int] | None = None   # path -> library index, of the group members only
        self._found: tuple[Library, frozenset[str], list[int]] | None = None   # found_in()
        self._size = np.zeros(0, dtype=np.int64)
        self._inode = np.zeros(0, dtype=np.int64)   # per group member: an id of its (dev, ino), one per real file
        self._one_file_each = True                  # no two members are one file (no hard links among them)

    # -- reading ------------------------------------------------------------------
    @property
    def library(self) -> Library:
        """The library these marks' indices are of."""
        return self._library

    def __contains__(self, path: object) -> bool:
        k = self._index_of().get(path) if isinstance(path, str) else None
        return k is not None and bool(self._on[k])

    def __len__(self) -> int:
        # Only group members are ever marked: their flags, not a million files' (asked at every key press).
        return int(self._on[self._groups.indices].sum()) if len(self._on) else 0

    @property
    def paths(self) -> frozenset[str]:
        records = self._library.records
        return frozenset(records[k].path for k in np.flatnonzero(self._on).tolist())

    @property
    def parked_paths(self) -> frozenset[str]:
        """Marked files that are in no group now (they are kept with a saved review)."""
        records = self._library.records
        return frozenset(records[k].path for k in np.flatnonzero(self._parked).tolist())

    def index_of(self, path: str) -> int | None:
        """The library index of a file, if it is in one of the groups (only they are marked)."""
        return self._index_of().get(path)

    def is_marked(self, index: int) -> bool:
        """Whether the record at this library index is marked."""
        return bool(self._on[index])

    def marked_in(self, row: int) -> int:
        lo, hi = self._groups.bounds(row)
        return int(self._on[self._groups.indices[lo:hi]].sum())

    def total_bytes(self) -> int:
        """Bytes freed by acting on the marked files (hard links of a kept file free nothing)."""
        return int(self._group_bytes.sum())

    def refusal(self, member: Member) -> str | None:
        """Why this member may not be marked now, or None if it may."""
        if member.reference:
            return REFERENCE_REFUSAL
        row = self._groups.group_of(member.index)
        if row is None or self._on[member.index]:
            return None
        lo, hi = self._groups.bounds(row)
        others = self._groups.indices[lo:hi]
        if int(self._on[others].sum()) == hi - lo - 1:
            return LAST_COPY_REFUSAL
        return None

    # -- changing -------------------------------------------------------------------
    def attach(self, library: Library, groups: GroupList) -> None:
        """New groups (a regroup) or a new library (a scan, trash or undo): marks follow by path.

        Marks on files in no group are dropped, and so is one in a group where every copy is
        marked (regrouping may have split a group): one copy is always kept.
        """
        if library is not self._library:
            held = self.paths | self.parked_paths
            found = self._found
            rows = found[2] if found is not None and found[0] is library and found[1] == held else None
            self.restore(library, held, rows)
        self._groups = groups
        self._index = None   # of the new groups' members, when first asked
        members = groups.indices
        # The members' ids only: at a million files, ids of every file were a 200 ms sort on the GUI thread.
        self._inode = file_ids(library, members)
        self._one_file_each = int(self._inode.max(initial=-1)) + 1 == len(self._inode)
        wanted = self._on | self._parked
        self._parked = wanted.copy()
        self._parked[members] = False
        kept = wanted[members] & ~groups.reference
        per_group = np.bincount(groups.group_ids, weights=kept, minlength=len(groups)).astype(np.int64)
        full = np.flatnonzero(per_group == groups.sizes)
        kept[groups.offsets[full + 1] - 1] = False   # all marked: the last copy stays
        self._on[:] = False
        self._on[members[kept]] = True
        self._recount()

    def found_in(self, library: Library, paths: frozenset[str], rows: list[int]) -> None:
        """The rows of these marked (and parked) paths in a library a worker made (the files acted on dropped):
        attach() to it takes them, if the marks are still these, instead of a pass over a million paths."""
        self._found = (library, paths, rows)

    def restore(self, library: Library, paths: Collection[str], rows: list[int] | None = None) -> None:
        """Marks on these files of a library (a saved review, or the same marks on a new library); attach() next.
        rows: where these paths are in the library, if known."""
        self._library, self._index, self._found = library, None, None
        self._on = np.zeros(len(library), dtype=bool)
        # One pass over the paths, not an index of every file: marks are a few, the library may be a million.
        self._on[rows_of(library, paths) if rows is None else rows] = True
        self._parked = np.zeros(len(library), dtype=bool)
        self._size = np.asarray(library.table.size, dtype=np.int64)
        self._groups = GroupList.empty()
        self._inode = np.zeros(0, dtype=np.int64)
        self._group_bytes = np.zeros(0, dtype=np.int64)

    def reset(self) -> None:
        """No library, no groups, nothing marked (a new scan)."""
        self.restore(Library(), ())

    def clear(self) -> None:
        self._on[:] = False
        self._parked[:] = False
        self._group_bytes[:] = 0

    def discard(self, paths: Collection[str]) -> None:
        # Only marked or parked files can be unmarked: look at their paths, not at every file's.
        held = np.flatnonzero(self._on | self._parked).tolist()
        table = self._library.table
        gone = [k for k in held if table.paths[k] in paths]
        self._on[gone] = False
        self._parked[gone] = False
        self._recount()

    def set(self, member: Member, marked: bool) -> str | None:
        """Mark or unmark; returns the reason when refused (nothing changes then)."""
        if not marked:
            self._on[member.index] = False
        else:
            reason = self.refusal(member)
            if reason is not None:
                return reason
            self._on[member.index] = True
        self._recount(self._groups.group_of(member.index))
        return None

    def keep_only(self, keep: Member) -> None:
        """Keep this member, mark every other one of its group that may be marked."""
        row = self._groups.group_of(keep.index)
        if row is None:
            return
        lo, hi = self._groups.bounds(row)
        members = self._groups.indices[lo:hi]
        self._on[members] |= ~self._groups.reference[lo:hi]
        self._on[keep.index] = False
        self._recount(row)

    def auto_mark(self) -> None:
        """Mark exactly what the keep rules suggest in each group."""
        g = self._groups
        self._on[g.indices] = g.suggested & ~g.reference
        self._parked[:] = False   # a fresh decision by the rules, for every group shown
        self._recount()

    # -- internals ------------------------------------------------------------------
    def _index_of(self) -> dict[str, int]:
        if self._index is None:   # O(members): a regroup or a card's check box must not walk a million paths
            paths = self._library.table.paths
            self._index = {paths[k]: k for k in self._groups.indices.tolist()}
        return self._index

    def _recount(self, row: int | None = None) -> None:
        """The bytes each group frees: all groups at once, or just one after a key press."""
        g = self._groups
        if row is None:
            marked = self._on[g.indices]
            comp = g.group_ids
            if self._one_file_each:
                # No two records are one file (the usual library): every marked copy frees its own bytes.
                self._group_bytes = np.bincount(comp[marked], weights=self._size[g.indices[marked]],
                                                minlength=len(g)).astype(np.int64)
                return
            key = comp * (int(self._inode.max(initial=0)) + 1) + self._inode
            kept_keys = np.unique(key[~marked])
            freeing = marked & ~np.isin(key, kept_keys)
            first = np.unique(key[freeing], return_index=True)[1]
            rows = np.flatnonzero(freeing)[first]
            self._group_bytes = np.bincount(comp[rows], weights=self._size[g.indices[rows]],
                                            minlength=len(g)).astype(np.int64)
            return
        lo, hi = g.bounds(row)
        members, inodes = g.indices[lo:hi], self._inode[lo:hi]
        marked = self._on[members]
        kept = set(inodes[~marked].tolist())
        seen: set[int] = set()
        total = 0
        for k, inode, on in zip(members.tolist(), inodes.tolist(), marked.tolist(), strict=True):
            if on and inode not in kept and inode not in seen:
                seen.add(inode)
                total += int(self._size[k])
        self._group_bytes[row] = total


def file_ids(library: Library, rows: npt.NDArray[np.int64] | None = None) -> npt.NDArray[np.int64]:
    """An id per record (or per record at `rows`), the same for records that are one file (same device and
    inode: hard links, aliases). Ids are 0..k-1 for the k distinct files among them."""
    # The columns, as uint64: inode numbers of some filesystems (NFS, overlay, FUSE) use all 64 bits.
    dev = library.table.dev.astype(np.uint64) if rows is None else library.table.dev[rows].astype(np.uint64)
    ino = library.table.ino.astype(np.uint64) if rows is None else library.table.ino[rows].astype(np.uint64)
    n = len(dev)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    order = np.lexsort((ino, dev))
    starts = np.ones(n, dtype=bool)
    starts[1:] = (dev[order][1:] != dev[order][:-1]) | (ino[order][1:] != ino[order][:-1])
    ids = np.empty(n, dtype=np.int64)
    ids[order] = np.cumsum(starts) - 1
    return ids
