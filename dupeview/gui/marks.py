"""Which files the user marked for the trash, with the rules marks obey (Qt-free, so easy to test)."""

from __future__ import annotations

from collections.abc import Iterable

from dupeview.core.grouping import Group, GroupList, Member
from dupeview.core.records import Library

REFERENCE_REFUSAL = "it is in a reference folder: reference files are never marked"
LAST_COPY_REFUSAL = "it is the last unmarked copy in its group: one copy is always kept"


class Marks:
    """A set of marked paths. Every group keeps at least one unmarked member; references are never marked."""

    def __init__(self) -> None:
        self._marked: set[str] = set()

    def __contains__(self, path: object) -> bool:
        return path in self._marked

    def __len__(self) -> int:
        return len(self._marked)

    @property
    def paths(self) -> frozenset[str]:
        return frozenset(self._marked)

    def clear(self) -> None:
        self._marked.clear()

    def refusal(self, library: Library, group: Group, member: Member) -> str | None:
        """Why this member may not be marked now, or None if it may."""
        if member.reference:
            return REFERENCE_REFUSAL
        path = library.records[member.index].path
        others = [m for m in group.members if m is not member]
        if path not in self._marked and all(library.records[m.index].path in self._marked for m in others):
            return LAST_COPY_REFUSAL
        return None

    def set(self, library: Library, group: Group, member: Member, marked: bool) -> str | None:
        """Mark or unmark; returns the reason when refused (nothing changes then)."""
        path = library.records[member.index].path
        if not marked:
            self._marked.discard(path)
            return None
        reason = self.refusal(library, group, member)
        if reason is None:
            self._marked.add(path)
        return reason

    def toggle(self, library: Library, group: Group, member: Member) -> str | None:
        path = library.records[member.index].path
        return self.set(library, group, member, path not in self._marked)

    def keep_only(self, library: Library, group: Group, keep: Member) -> None:
        """Keep this member, mark every other one that may be marked."""
        for m in group.members:
            path = library.records[m.index].path
            if m is keep:
                self._marked.discard(path)
            elif not m.reference:
                self._marked.add(path)

    def auto_mark(self, library: Library, groups: Iterable[Group]) -> None:
        """Mark exactly what the keep rules suggest in each group (Member.suggested)."""
        for g in groups:
            for m in g.members:
                path = library.records[m.index].path
                if m.suggested and not m.reference:
                    self._marked.add(path)
                else:
                    self._marked.discard(path)

    def unmark_group(self, library: Library, group: Group) -> None:
        for m in group.members:
            self._marked.discard(library.records[m.index].path)

    def discard(self, paths: Iterable[str]) -> None:
        self._marked.difference_update(paths)

    def prune(self, library: Library, groups: GroupList) -> None:
        """Drop marks on files no longer in any group, and any that would break a rule after regrouping."""
        if not self._marked:
            return
        keep: set[str] = set()
        for g in groups:
            paths = [library.records[m.index].path for m in g.members]
            marked = [p for p, m in zip(paths, g.members, strict=False) if p in self._marked and not m.reference]
            if len(marked) == len(paths):
                marked = marked[:-1]  # regrouping may have split a group: always leave one copy
            keep.update(marked)
        self._marked &= keep

    def marked_in(self, library: Library, group: Group) -> int:
        return sum(1 for m in group.members if library.records[m.index].path in self._marked)

    def total_bytes(self, library: Library, groups: GroupList) -> int:
        """Bytes freed by trashing the marked files (hard links of a kept file free nothing)."""
        total = 0
        for g in groups:
            kept_inodes = {(library.records[m.index].dev, library.records[m.index].ino)
                           for m in g.members if library.records[m.index].path not in self._marked}
            seen: set[tuple[int, int]] = set()
            for m in g.members:
                r = library.records[m.index]
                inode = (r.dev, r.ino)
                if r.path in self._marked and inode not in kept_inodes and inode not in seen:
                    seen.add(inode)
                    total += r.size
        return total
