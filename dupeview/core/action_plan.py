"""What an action on the marked files would do, worked out before asking: the plan and its summary per folder."""

from __future__ import annotations

import os
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from dupeview.core.grouping import GroupList
from dupeview.core.records import Library
from dupeview.core.session_types import ACTION_KINDS, Plan

NEEDS_FOLDER = ("move", "copy")


def build(library: Library, groups: GroupList, marked: Collection[str], kind: str, dest: str | None,
          roots: tuple[str, ...]) -> Plan:
    """The plan for these marks: the files acted on, the ones refused and why, the bytes; no disk access."""
    from dupeview.core import actions

    if kind not in ACTION_KINDS or (kind in NEEDS_FOLDER) != bool(dest):
        raise ValueError(f"cannot plan {kind!r} with destination {dest!r}")
    records = library.records
    members = tuple(tuple(records[k].path for k in groups.indices[lo:hi].tolist())
                    for lo, hi in (groups.bounds(r) for r in range(len(groups))))
    in_groups = {p for g in members for p in g}
    chosen_marks = sorted(p for p in marked if p in in_groups)
    # A copy leaves every file in place, so it may take every copy of a group.
    refused = actions.refusals(members, chosen_marks) if chosen_marks and kind != "copy" else {}
    chosen = [p for p in chosen_marks if p not in refused]
    by_path = {records[k].path: records[k] for k in groups.indices.tolist()}
    return Plan(kind, tuple(chosen), dict(refused), sum(by_path[p].size for p in chosen),
                tuple(by_path[p] for p in chosen), members, dest if kind in NEEDS_FOLDER else None, roots)


@dataclass(frozen=True)
class FolderLine:
    """One line of a confirmation: a folder, how many files the action puts there (or takes from it), their bytes."""

    folder: str
    files: int
    bytes: int


def by_folder(plan: Plan) -> list[FolderLine]:
    """Files and bytes per destination folder for a move or copy, per source folder otherwise; largest first."""
    from dupeview.core import actions

    lines: dict[str, list[int]] = {}
    for r in plan.records:
        where = actions.destination(r.path, plan.dest, plan.roots) if plan.dest else r.path
        line = lines.setdefault(os.path.dirname(where), [0, 0])
        line[0] += 1
        line[1] += r.size
    return sorted((FolderLine(f, n, b) for f, (n, b) in lines.items()), key=lambda x: (-x.bytes, x.folder))


def other_filesystem(plan: Plan, library: Library) -> list[str]:
    """Files a hard link would be refused for, as scanned: their group's first unmarked copy is on another
    filesystem (the action checks again on disk, file by file)."""
    device = {r.path: r.dev for r in library.records}
    chosen = set(plan.paths)
    out = []
    for group in plan.groups:
        keepers: Sequence[str] = [p for p in group if p not in chosen]
        if not keepers:
            continue
        dev = device.get(keepers[0])
        out += [p for p in group if p in chosen and device.get(p) != dev]
    return out
